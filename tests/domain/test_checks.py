"""必要性审核 (errors) and 核实性审核 (warnings) of one cell, and parsing typed numbers."""

import pytest

from tianbao.domain.checks import (
    ERROR,
    WARNING,
    Finding,
    NumberError,
    change_limit,
    check_entry,
    number_finding,
    parse_number,
)
from tianbao.domain.errors import KnownError
from tianbao.domain.values import Entry

IMR = dict(
    name="婴儿死亡率",
    unit="‰",
    scale=1000,
    numerator="未满1岁婴儿死亡数",
    denominator="活产数",
    better="lower",
)
COUNT = dict(name="儿童之家数", kind="count", unit="个")


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def check(ind, entry, **kw):
    kw.setdefault("year", 2024)
    return check_entry(ind, entry, **kw)


# --- parse_number -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("3.8", 3.8),
        ("  12 ", 12),
        ("１２３．４", 123.4),
        ("3。8", 3.8),
        ("96%", 96),
        ("96 ％", 96),
        ("3.8‰", 3.8),
        ("1,234,567", 1234567),
        ("1，234.5", 1234.5),
        ("1 234", 1234),
        ("-2", -2),
        ("－2", -2),
        ("+5", 5),
        (".5", 0.5),
        ("12.", 12),
        ("0", 0),
        ("\u3000７\u3000", 7),
    ],
)
def test_parse_number_accepts(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["", "  ", "—", "——", "-", "－", "--", "/", "／", "–"])
def test_parse_number_no_data(text):
    assert parse_number(text) is None


@pytest.mark.parametrize(
    "text", ["abc", "12个", "1,23", "12,34.5", "1e5", "nan", "inf", "3.8.1", "%", "1_000", "约5"]
)
def test_parse_number_rejects_with_a_chinese_message(text):
    with pytest.raises(KnownError) as exc:
        parse_number(text)
    assert isinstance(exc.value, NumberError)
    assert "数字" in str(exc.value) and exc.value.message_en


def test_number_finding():
    f = number_finding("十二")
    assert (
        f is not None and f.code == "not_a_number" and f.severity == ERROR and "十二" in f.message
    )
    assert number_finding("12") is None and number_finding("—") is None


# --- 必要性审核: errors -----------------------------------------------------------------------


def test_clean_entry_has_no_findings(make):
    ind = make(**IMR, targets=[{"op": "<=", "value": 4}])
    assert check(ind, Entry(numerator=10, denominator=3000)) == []


def test_negative(make):
    out = check(make(**IMR), Entry(numerator=-3, denominator=3000))
    assert codes(out) == ["negative"]
    assert out[0].severity == ERROR and out[0].field == "numerator"
    assert "-3" in out[0].message and "负数" in out[0].message
    assert codes(check(make(**COUNT), Entry(number=-1))) == ["negative"]


def test_rate_above_scale(make):
    out = check(make(name="接种率"), Entry(number=105))
    assert codes(out) == ["above_scale"]
    assert "105%" in out[0].message and "100%" in out[0].message
    assert codes(check(make(**IMR), Entry(number=1200))) == ["above_scale"]
    per_100k = dict(unit="1/10万", scale=100000, numerator="孕产妇死亡数", denominator="活产数")
    assert codes(check(make(**per_100k), Entry(number=100001))) == ["above_scale"]


def test_gross_rate_and_ratio_have_no_ceiling(make):
    assert check(make(name="学前教育毛入园率", gross=True), Entry(number=104.5)) == []
    assert (
        check(make(name="学前教育毛入园率", gross=True), Entry(numerator=1045, denominator=1000))
        == []
    )
    ratio = make(kind="ratio", unit="个", scale=1000, numerator="托位数", denominator="常住人口数")
    assert check(ratio, Entry(numerator=5600, denominator=1000)) == []


def test_numerator_above_denominator(make):
    out = check(
        make(name="接种率", numerator="接种人数", denominator="应种人数"),
        Entry(numerator=1200, denominator=1150),
    )
    assert codes(out) == ["num_gt_den"]
    assert "1200" in out[0].message and "1150" in out[0].message and "应种人数" in out[0].message


def test_zero_denominator_with_numerator(make):
    out = check(make(**IMR), Entry(numerator=2, denominator=0))
    assert codes(out) == ["zero_denominator"] and out[0].field == "denominator"
    assert check(make(**IMR), Entry(numerator=0, denominator=0)) == []  # nothing happened


def test_decimals_in_counts(make):
    out = check(make(**COUNT), Entry(number=12.5))
    assert codes(out) == ["decimal_count"] and "12.5" in out[0].message
    out = check(make(**IMR), Entry(numerator=3.5, denominator=3000))
    assert codes(out) == ["decimal_count"] and out[0].field == "numerator"
    assert check(make(**COUNT), Entry(number=12.0)) == []
    assert check(make(kind="amount", unit="元"), Entry(number=1234.56)) == []


def test_explicit_hard_bounds(make):
    ind = make(name="平均受教育年限", kind="duration", unit="年", bounds=[0, 25])
    out = check(ind, Entry(number=30))
    assert codes(out) == ["out_of_bounds"] and "30" in out[0].message and "0–25" in out[0].message
    assert check(ind, Entry(number=12)) == []


def test_required_missing(make):
    out = check(make(**IMR), Entry(), required=True)
    assert codes(out) == ["missing"] and out[0].severity == ERROR and "2024" in out[0].message
    assert check(make(**IMR), Entry()) == []
    yesno = make(kind="yesno", unit="", targets=[{"op": "qualitative"}])
    assert codes(check(yesno, Entry(), required=True)) == ["missing"]
    text = make(kind="text", unit="")
    assert codes(check(text, Entry(text="  "), required=True)) == ["missing"]
    assert check(text, Entry(text="情况良好"), required=True) == []


def test_yesno_choice_outside_choices(make):
    out = check(make(kind="yesno", unit=""), Entry(choice="maybe"))
    assert codes(out) == ["invalid_choice"] and out[0].severity == ERROR


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_not_a_number_in_a_stored_entry(make, bad):
    out = check(make(**IMR), Entry(numerator=bad, denominator=3000))
    assert codes(out) == ["not_a_number"] and out[0].field == "numerator"


def test_only_numerator_or_only_denominator(make):
    assert codes(check(make(**IMR), Entry(numerator=3))) == ["incomplete"]
    assert codes(check(make(**IMR), Entry(denominator=3000))) == ["incomplete"]


def test_errors_hold_back_warnings(make):
    ind = make(**COUNT)
    out = check(ind, Entry(number=500.5), previous=10)
    assert codes(out) == ["decimal_count"]


# --- 核实性审核: warnings ---------------------------------------------------------------------


def test_rate_change_from_previous_default_threshold(make):
    ind = make(name="接种率")
    assert change_limit(ind, 95) == pytest.approx(1.0)  # 20 % of the 5 points not covered
    assert change_limit(ind, 50) == pytest.approx(10)
    assert change_limit(make(**IMR), 3) == pytest.approx(1.0)  # floor: one unit
    out = check(ind, Entry(number=93.5), previous=95)
    assert codes(out) == ["yoy_change"] and out[0].severity == WARNING
    assert "93.5%" in out[0].message and "95%" in out[0].message and "1.5个百分点" in out[0].message
    assert "情况说明" in out[0].message
    assert check(ind, Entry(number=94.2), previous=95) == []


def test_count_change_default_threshold(make):
    ind = make(**COUNT)
    out = check(ind, Entry(number=140), previous=100)
    assert codes(out) == ["yoy_change"] and "+40.0%" in out[0].message
    assert check(ind, Entry(number=125), previous=100) == []
    assert check(ind, Entry(number=5), previous=3) == []  # small counts: changes of 2 are normal
    assert codes(check(ind, Entry(number=6), previous=3)) == ["yoy_change"]


def test_explicit_change_threshold(make):
    rate = make(name="接种率", change_threshold=2)
    assert codes(check(rate, Entry(number=50), previous=52.5)) == ["yoy_change"]
    assert check(rate, Entry(number=50), previous=51.5) == []
    count = make(**COUNT, change_threshold=10)
    assert codes(check(count, Entry(number=111), previous=100)) == ["yoy_change"]
    assert check(count, Entry(number=109), previous=100) == []


def test_amount_and_ratio_change(make):
    assert codes(check(make(kind="amount", unit="元"), Entry(number=2000), previous=1500)) == [
        "yoy_change"
    ]
    ratio = make(kind="ratio", unit="个", scale=1000, numerator="托位数", denominator="常住人口数")
    assert codes(check(ratio, Entry(number=4.0), previous=3.0)) == ["yoy_change"]
    assert check(ratio, Entry(number=3.5), previous=3.0) == []


def test_worse_than_base_year(make):
    ind = make(**IMR)
    out = check(ind, Entry(number=4.2), baseline=3.8, baseline_year=2020)
    assert codes(out) == ["worse_than_base"]
    assert "2020年" in out[0].message and "3.8‰" in out[0].message and "4.2‰" in out[0].message
    assert check(ind, Entry(number=3.5), baseline=3.8) == []
    higher = make(name="接种率", better="higher")
    assert codes(check(higher, Entry(number=90), baseline=92)) == ["worse_than_base"]
    assert check(make(name="接种率"), Entry(number=90), baseline=92) == []  # better = none


def test_typed_rate_disagreeing_with_counts(make):
    ind = make(**IMR)
    assert check(ind, Entry(number=3.8, numerator=12, denominator=3120)) == []  # 3.846 rounded
    out = check(ind, Entry(number=4.0, numerator=12, denominator=3120))
    assert (
        codes(out) == ["rate_mismatch"]
        and "3.85‰" in out[0].message
        and "12 ÷ 3120" in out[0].message
    )
    cover = make(name="接种率")
    assert check(cover, Entry(number=96.2, numerator=9660, denominator=10000)) == []  # within 0.5 %
    assert codes(check(cover, Entry(number=95, numerator=9660, denominator=10000))) == [
        "rate_mismatch"
    ]


def test_outside_plausible_range(make):
    ind = make(**IMR, plausible=[0, 30])
    out = check(ind, Entry(number=45))
    assert (
        codes(out) == ["implausible"] and out[0].severity == WARNING and "0–30‰" in out[0].message
    )


def test_target_not_met_is_a_warning_but_close_is_not(make):
    ind = make(**IMR, targets=[{"op": "<=", "value": 4, "year": 2025}])
    out = check(ind, Entry(number=5), year=2025)
    assert codes(out) == ["target_not_met"] and out[0].severity == WARNING
    assert "≤4‰" in out[0].message and "实际 5.00‰" in out[0].message  # fixed decimals
    assert check(ind, Entry(number=4.1), year=2025) == []  # close
    assert check(ind, Entry(number=3.9), year=2025) == []
    # Before its year the target is judged by progress: behind the path is a warning too.
    behind = check(ind, Entry(number=5.5), year=2024, previous=6, baseline=6, baseline_year=2020)
    assert codes(behind) == ["target_behind"] and "落后于进度" in behind[0].message
    assert check(ind, Entry(number=4.3), year=2024, baseline=6, baseline_year=2020) == []


def test_target_check_uses_previous_and_baseline(make):
    myopia = make(
        targets=[
            {"op": "change", "value": [-1, -0.5], "change_unit": "points", "basis": "previous_year"}
        ]
    )
    assert codes(check(myopia, Entry(number=50), previous=50)) == ["target_not_met"]
    assert check(myopia, Entry(number=49.3), previous=50) == []
    qual = make(kind="yesno", unit="", targets=[{"op": "qualitative"}])
    assert codes(check(qual, Entry(choice="no"))) == ["target_not_met"]
    assert check(qual, Entry(choice="partly")) == []


def test_several_warnings_together(make):
    ind = make(**IMR, plausible=[0, 20], targets=[{"op": "<=", "value": 4}])
    out = check(ind, Entry(number=25), previous=4, baseline=5, baseline_year=2020)
    assert codes(out) == ["implausible", "yoy_change", "worse_than_base", "target_not_met"]
    assert {f.severity for f in out} == {WARNING}
    assert all(f.message_en for f in out)
