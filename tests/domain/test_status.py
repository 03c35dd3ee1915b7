"""Target status: every target form, the close band, no_data and no_target."""

import pytest

from tianbao.domain.status import (
    CLOSE,
    MET,
    NO_DATA,
    NO_TARGET,
    NOT_MET,
    evaluate,
    fmt_number,
    margin,
)
from tianbao.domain.values import Entry

IMR = dict(
    unit="‰", scale=1000, numerator="未满1岁婴儿死亡数", denominator="活产数", better="lower"
)


# --- one-sided and level targets --------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "status"),
    [(3.8, MET), (4.0, MET), (4.1, CLOSE), (4.2, CLOSE), (4.3, NOT_MET)],
)
def test_at_most(make, value, status):
    ind = make(**IMR, targets=[{"op": "<=", "value": 4}])
    assert evaluate(ind, 2024, value).status == status


def test_at_most_detail_names_target_value_and_verdict(make):
    st = evaluate(make(**IMR, targets=[{"op": "<=", "value": 4, "year": 2025}]), 2024, 3.8)
    assert st.detail == "目标 ≤4‰ (2025年)，实际 3.80‰，已达标"  # the value with its fixed decimals
    assert st.detail_en == "Target ≤4‰ (2025), actual 3.80‰: met"
    assert st.target is not None and st.target.value == 4
    assert st.subunits_met is None


def test_strict_less_than_on_the_bound_is_close(make):
    ind = make(**IMR, targets=[{"op": "<", "value": 5}])
    assert evaluate(ind, 2024, 4.9).status == MET
    assert evaluate(ind, 2024, 5).status == CLOSE
    assert evaluate(ind, 2024, 5.4).status == NOT_MET


@pytest.mark.parametrize(("value", "status"), [(97, MET), (96, MET), (92, CLOSE), (91, NOT_MET)])
def test_at_least(make, value, status):
    # close band: 5 % of 96 = 4.8 points below the target
    ind = make(targets=[{"op": ">=", "value": 96}])
    assert evaluate(ind, 2024, value).status == status


def test_strict_greater_than(make):
    ind = make(targets=[{"op": ">", "value": 50}])
    assert evaluate(ind, 2024, 50.1).status == MET
    assert evaluate(ind, 2024, 50).status == CLOSE
    assert evaluate(ind, 2024, 40).status == NOT_MET


def test_small_target_close_band_is_a_tenth_of_the_unit(make):
    assert margin(1) == 0.1
    assert margin(80) == 4
    ind = make(kind="count", unit="所", targets=[{"op": ">=", "value": 1}])
    assert evaluate(ind, 2024, 0).status == NOT_MET  # 0 所 is not "close" to 1 所


@pytest.mark.parametrize(
    ("value", "status"),
    [(3.5, MET), (3.9, MET), (3.1, MET), (4.3, CLOSE), (2.6, CLOSE), (4.6, NOT_MET)],
)
def test_approx_tolerance_and_twice_tolerance(make, value, status):
    ind = make(targets=[{"op": "approx", "value": 3.5, "tolerance": 0.5}])
    assert evaluate(ind, 2024, value).status == status


@pytest.mark.parametrize(
    ("value", "status"), [(50, MET), (40, MET), (60, MET), (38, CLOSE), (63, CLOSE), (30, NOT_MET)]
)
def test_range(make, value, status):
    ind = make(targets=[{"op": "range", "value": [40, 60]}])
    assert evaluate(ind, 2024, value).status == status


def test_float_noise_from_counts_does_not_fail_a_bound(make):
    ind = make(**IMR, targets=[{"op": "<=", "value": 4.2}])
    v = Entry(numerator=42, denominator=10000).value(ind)
    assert evaluate(ind, 2024, v).status == MET


# --- milestones, no target, no data ---------------------------------------------------------


def test_milestones_target_in_force_is_the_next_one(make):
    ind = make(
        **IMR,
        targets=[
            {"op": "<=", "value": 4.2, "year": 2025},
            {"op": "<=", "value": 3.4, "year": 2030},
        ],
    )
    assert evaluate(ind, 2023, 4.0).target.value == 4.2
    assert evaluate(ind, 2025, 4.0).status == MET
    st = evaluate(ind, 2026, 4.0)
    assert st.target.value == 3.4 and st.status == NOT_MET
    assert len(st.targets) == 1


def test_no_target_after_the_last_milestone(make):
    ind = make(**IMR, targets=[{"op": "<=", "value": 4.2, "year": 2025}])
    st = evaluate(ind, 2026, 3.0)
    assert st.status == NO_TARGET and st.target is None and st.targets == ()
    assert "无适用目标" in st.detail


def test_undated_target_still_in_force_after_the_milestones(make):
    ind = make(targets=[{"op": ">=", "value": 95, "year": 2025}, {"op": ">=", "value": 90}])
    st = evaluate(ind, 2027, 92)
    assert st.status == MET and [t.value for t in st.targets] == [90]


def test_indicator_without_targets(make):
    assert evaluate(make(), 2024, 50).status == NO_TARGET


@pytest.mark.parametrize("value", [None, float("nan")])
def test_no_value_is_no_data(make, value):
    st = evaluate(make(targets=[{"op": ">=", "value": 90}]), 2024, value)
    assert st.status == NO_DATA and "未填报" in st.detail


# --- relative targets ------------------------------------------------------------------------

INJURY = dict(
    unit="1/10万",
    scale=100000,
    numerator="伤害死亡数",
    denominator="儿童数",
    better="lower",
    targets=[
        {
            "op": "change",
            "value": -20,
            "change_unit": "percent",
            "basis": "base_year",
            "base_year": 2020,
            "year": 2030,
        }
    ],
)


@pytest.mark.parametrize(
    ("value", "status"), [(7.9, MET), (8.0, MET), (8.1, CLOSE), (9.0, NOT_MET), (11, NOT_MET)]
)
def test_change_from_base_year_percent(make, value, status):
    ind = make(**INJURY)
    st = evaluate(ind, 2030, value, baseline=10, baseline_year=2020)
    assert st.status == status
    assert "较2020年下降20%" in st.detail


def test_change_from_base_year_detail_shows_baseline_and_change(make):
    st = evaluate(make(**INJURY), 2026, 7.5, baseline=10)
    assert st.status == MET
    assert "2020年 10.00/10万" in st.detail and "下降 25%" in st.detail


def test_change_from_base_year_without_baseline_is_no_data(make):
    st = evaluate(make(**INJURY), 2026, 7.5)
    assert st.status == NO_DATA
    assert "缺少2020年基数" in st.detail and "2020 baseline is missing" in st.detail_en


def test_change_uses_the_plans_own_baseline_when_none_stored(make):
    row = dict(INJURY)
    row["targets"] = [{**INJURY["targets"][0], "baseline": 10.0}]
    assert evaluate(make(**row), 2026, 7.9).status == MET
    assert (
        evaluate(make(**row), 2026, 7.9, baseline=9.0, progress=False).status == NOT_MET
    )  # own wins


def test_change_with_zero_baseline_is_no_data(make):
    assert evaluate(make(**INJURY), 2026, 1, baseline=0).status == NO_DATA


MYOPIA = dict(
    targets=[
        {"op": "change", "value": [-1, -0.5], "change_unit": "points", "basis": "previous_year"}
    ],
)


@pytest.mark.parametrize(
    ("value", "status"),
    [(49.4, MET), (49.5, MET), (48, MET), (49.55, CLOSE), (49.8, NOT_MET), (50.5, NOT_MET)],
)
def test_yearly_change_in_points(make, value, status):
    assert evaluate(make(**MYOPIA), 2024, value, previous=50).status == status


def test_yearly_change_detail(make):
    st = evaluate(make(**MYOPIA), 2024, 49.3, previous=50)
    assert "每年下降0.5–1个百分点" in st.detail and "下降 0.7个百分点" in st.detail


def test_yearly_change_over_a_gap_is_per_year(make):
    st = evaluate(make(**MYOPIA), 2024, 50, previous=51.2, previous_year=2022)
    assert st.status == MET  # 0.6 points a year
    assert "年均下降 0.6个百分点" in st.detail


def test_yearly_change_without_previous_is_no_data(make):
    st = evaluate(make(**MYOPIA), 2024, 49)
    assert st.status == NO_DATA and "缺少上年（2023年）数值" in st.detail


GROWTH = dict(
    kind="amount",
    unit="元",
    better="higher",
    targets=[{"op": "growth", "value": 6, "base_year": 2020, "year": 2025}],
)


def test_growth_compound_since_base_year(make):
    ind = make(**GROWTH)
    on_track = 1000 * 1.06**5
    assert evaluate(ind, 2025, on_track + 0.01, baseline=1000).status == MET
    assert (
        evaluate(ind, 2025, 1000 * 1.0575**5, baseline=1000).status == CLOSE
    )  # 0.25 short, margin 0.3
    st = evaluate(ind, 2025, 1000 * 1.05**5, baseline=1000)
    assert st.status == NOT_MET and "年均增长 5%" in st.detail


def test_growth_baseline_year_given_by_the_caller(make):
    ind = make(**GROWTH)
    # 6 % a year from 2022 to 2025 is 3 years of growth, not 5
    assert evaluate(ind, 2025, 1000 * 1.06**3, baseline=1000, baseline_year=2022).status == MET
    assert evaluate(ind, 2025, 1000 * 1.06**3, baseline=1000).status == NOT_MET


def test_growth_without_baseline_is_no_data(make):
    st = evaluate(make(**GROWTH), 2025, 1500)
    assert st.status == NO_DATA and "2020年基数" in st.detail


def test_growth_in_the_base_year_is_no_data(make):
    assert evaluate(make(**GROWTH), 2020, 1500, baseline=1000).status == NO_DATA


# --- per sub-unit, per capita -------------------------------------------------------------

VACCINE = dict(targets=[{"op": ">=", "value": 90, "each": "乡镇（街道）"}])


def test_each_subunit_must_meet_the_target(make):
    ind = make(**VACCINE)
    st = evaluate(ind, 2024, 95, subunits={"甲镇": 96, "乙镇": 80, "丙街道": 93, "丁镇": None})
    assert st.status == NOT_MET
    assert st.subunits_met == (2, 3)
    assert "3个乡镇（街道）中2个达标" in st.detail and "乙镇 80.00%" in st.detail


def test_each_all_met(make):
    st = evaluate(make(**VACCINE), 2024, 95, subunits={"甲镇": 96, "乙镇": 90})
    assert st.status == MET and st.subunits_met == (2, 2)


def test_each_worst_subunit_close(make):
    st = evaluate(make(**VACCINE), 2024, 95, subunits={"甲镇": 96, "乙镇": 88})
    assert st.status == CLOSE and st.subunits_met == (1, 2)


def test_each_without_subunits_judges_the_value(make):
    st = evaluate(make(**VACCINE), 2024, 95)
    assert st.status == MET and st.subunits_met is None


def test_each_with_no_subunit_data_is_no_data(make):
    st = evaluate(make(**VACCINE), 2024, 95, subunits={"甲镇": None})
    assert st.status == NO_DATA


def test_each_count_per_county(make):
    ind = make(kind="count", unit="所", targets=[{"op": ">=", "value": 1, "each": "县（市、区）"}])
    st = evaluate(ind, 2024, 3, subunits={"清城区": 1, "清新区": 1, "佛冈县": 0, "阳山县": 1})
    assert st.status == NOT_MET and st.subunits_met == (3, 4)


def test_per_capita_ratio(make):
    ind = make(
        kind="ratio",
        unit="个",
        scale=1000,
        numerator="托位数",
        denominator="常住人口数",
        targets=[{"op": ">=", "value": 5.5}],
    )
    v = Entry(numerator=5600, denominator=1_000_000).value(ind)
    assert v == pytest.approx(5.6)
    assert evaluate(ind, 2024, v).status == MET
    assert evaluate(ind, 2024, 5.3).status == CLOSE
    assert evaluate(ind, 2024, 4).status == NOT_MET


# --- direction and qualitative --------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "value", "status"),
    [
        ("not_up", 9.9, MET),
        ("not_up", 10, MET),
        ("not_up", 10.3, CLOSE),
        ("not_up", 11, NOT_MET),
        ("down", 9.9, MET),
        ("down", 10, CLOSE),
        ("down", 12, NOT_MET),
        ("up", 10.1, MET),
        ("up", 9, NOT_MET),
        ("not_down", 10, MET),
        ("not_down", 9.8, CLOSE),
        ("stable", 10.4, MET),
        ("stable", 10.8, CLOSE),
        ("stable", 12, NOT_MET),
    ],
)
def test_direction(make, direction, value, status):
    ind = make(targets=[{"op": "direction", "direction": direction}])
    assert evaluate(ind, 2024, value, previous=10).status == status


def test_direction_without_previous_is_no_data(make):
    st = evaluate(make(targets=[{"op": "direction", "direction": "not_up"}]), 2024, 10)
    assert st.status == NO_DATA and "缺少上年" in st.detail


@pytest.mark.parametrize(("choice", "status"), [("yes", MET), ("partly", CLOSE), ("no", NOT_MET)])
def test_qualitative(make, choice, status):
    ind = make(kind="yesno", unit="", targets=[{"op": "qualitative"}])
    assert evaluate(ind, 2024, choice).status == status


def test_qualitative_without_answer_or_with_a_bad_one(make):
    ind = make(kind="yesno", unit="", targets=[{"op": "qualitative"}])
    assert evaluate(ind, 2024, None).status == NO_DATA
    assert evaluate(ind, 2024, "maybe").status == NO_DATA


def test_yesno_direction_target_is_judged_by_the_answer(make):
    ind = make(kind="yesno", unit="", targets=[{"op": "direction", "direction": "not_up"}])
    assert evaluate(ind, 2024, "yes").status == MET


# --- several targets --------------------------------------------------------------------------


def test_worst_of_several_targets_wins(make):
    ind = make(
        targets=[{"op": ">=", "value": 90}, {"op": ">=", "value": 90, "each": "乡镇（街道）"}]
    )
    st = evaluate(ind, 2024, 95, subunits={"甲镇": 96, "乙镇": 70})
    assert st.status == NOT_MET
    assert st.target.each == "乡镇（街道）"
    assert len(st.targets) == 2 and st.subunits_met == (1, 2)
    assert "已达标" in st.detail and "未达标" in st.detail


def test_met_needs_every_target_judged(make):
    ind = make(
        targets=[
            {"op": ">=", "value": 90},
            {"op": "change", "value": 5, "change_unit": "points", "basis": "base_year"},
        ]
    )
    assert evaluate(ind, 2024, 95).status == NO_DATA
    assert evaluate(ind, 2024, 95, baseline=89).status == MET
    assert evaluate(ind, 2024, 85, baseline=70).status == NOT_MET  # level fails, change met


def test_fmt_number():
    assert fmt_number(3.0) == "3"
    assert fmt_number(3.846) == "3.85"
    assert fmt_number(0.004) == "0.004"
    assert fmt_number(-0.0) == "0"
