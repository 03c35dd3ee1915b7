"""Where an assembled value came from, in both languages: ``SourceInfo.label(en=)`` over every kind
of source (a department, the sub-units by each rule, the office itself) and every reason the
assembly writes when a figure cannot be made (数据不全).  The Chinese stays as it was (the Excel and
PDF returns print it); the English says the same with no Chinese left but the units' names."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from tests.domain.conftest import build
from tianbao.domain.assembly import (
    DEPARTMENT,
    RULE_LABELS,
    RULE_LABELS_EN,
    SELF,
    SUBUNITS,
    SourceInfo,
    combine,
)
from tianbao.domain.values import Entry

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def test_a_department_in_both_languages():
    info = SourceInfo(DEPARTMENT, unit_code="WJ", unit_name="区卫生健康委员会", reported=1)
    assert info.label() == "区卫生健康委员会填报"
    assert info.label(en=True) == "reported by 区卫生健康委员会"
    coded = SourceInfo(DEPARTMENT, unit_code="WJ")
    assert coded.label(en=True) == "reported by WJ" and coded.label() == "WJ填报"
    # The department did not report: the reason the aggregation service writes.
    late = replace(info, complete=False, reported=0, reason="区卫生健康委员会未报送本指标")
    assert late.label() == "数据不全：区卫生健康委员会未报送本指标"
    assert late.label(en=True) == "incomplete: 区卫生健康委员会 has not reported this indicator"


@pytest.mark.parametrize("rule", sorted(RULE_LABELS))
def test_subunits_by_each_rule_in_both_languages(rule):
    info = SourceInfo(SUBUNITS, rule=rule, reported=11, expected=11)
    assert info.label() == f"11个下级单位中11个汇总（{RULE_LABELS[rule]}）"
    assert info.label("乡镇（街道）") == f"11个乡镇（街道）中11个汇总（{RULE_LABELS[rule]}）"
    en = info.label(en=True)
    assert en == f"aggregated from 11 of 11 sub-units ({RULE_LABELS_EN[rule]})"
    assert not CJK.search(en), en


def test_every_rule_has_an_english_label_of_its_own():
    assert set(RULE_LABELS_EN) == set(RULE_LABELS)
    assert len(set(RULE_LABELS_EN.values())) == len(RULE_LABELS_EN)
    ratio = SourceInfo(SUBUNITS, rule="ratio", reported=2, expected=3).label(en=True)
    assert ratio == "aggregated from 2 of 3 sub-units (ratio recomputed)"


def test_the_office_itself_and_an_edited_total():
    assert SourceInfo(SELF).label() == "本级填报"
    assert SourceInfo(SELF).label(en=True) == "entered by this office"
    edited = SourceInfo(SUBUNITS, rule="sum", reported=2, expected=2, edited=True)
    assert edited.label() == "2个下级单位中2个汇总（求和）；汇总后经本级修改"
    assert edited.label(en=True) == (
        "aggregated from 2 of 2 sub-units (sum); changed by this office after aggregation"
    )


def _info(ind, children, **kw) -> SourceInfo:
    """The source the aggregation service stores for ``ind`` made from ``children``."""
    made = combine(ind, children, **kw)
    return SourceInfo(
        SUBUNITS,
        rule=ind.aggregation,
        reported=made.reported,
        expected=len(children),
        complete=made.complete,
        reason=made.reason,
        units=made.units,
    )


RATE = build()
COUNT = build(code="C1", kind="count", unit="人")
YESNO = build(code="Q1", kind="yesno", unit="")
BY_SEX = build(code="S1", disaggregation=["sex"])
WITH_REF = build(code="R1", targets=[{"op": ">=", "reference": "参照比例", "year": 2025}])
ONE = {
    "": Entry(numerator=3, denominator=10),
    "sex=male": Entry(numerator=1, denominator=5),
    "sex=female": Entry(numerator=2, denominator=5),
}
ODD = {**ONE, "sex=female": Entry(numerator=1, denominator=5)}
HALF = Entry(numerator=1, denominator=2)

# (what goes wrong, the indicator, the sub-units' cells, extra arguments, the Chinese, the English)
CASES = [
    (
        "not reported, rate without counts",
        RATE,
        [("T1", {"": Entry(number=95)}), ("T2", {})],
        {},
        "数据不全：1个下级单位未填报（T2）；1个下级单位只填了比率、没有分子分母（T1）",
        "incomplete: 1 sub-unit did not report (T2); "
        "1 sub-unit gave only the rate, no numerator and denominator (T1)",
    ),
    (
        "text in a number, no number",
        COUNT,
        [("T1", {"": Entry(text="unknown")}), ("T2", {"": Entry(numerator=3)})],
        {},
        "数据不全：1个下级单位填写了“unknown”（T1）；1个下级单位没有数值（T2）",
        "incomplete: 1 sub-unit wrote “unknown” (T1); 1 sub-unit gave no number (T2)",
    ),
    (
        "no weight",
        replace(COUNT, aggregate="weighted_mean", weight="C9"),
        [
            ("T1", {"": Entry(number=3)}),
            ("T2", {"": Entry(number=3)}),
            ("T3", {"": Entry(number=1)}),
        ],
        {"weights": {"T1": Entry(number=5)}},
        "数据不全：2个下级单位缺少权重（C9）（T2、T3）",
        "incomplete: 2 sub-units gave no weight (C9) (T2, T3)",
    ),
    (
        "invalid choice",
        YESNO,
        [("T1", {"": Entry(choice="maybe")})],
        {},
        "数据不全：1个下级单位选项无效（T1）",
        "incomplete: 1 sub-unit gave an invalid choice (T1)",
    ),
    (
        "no sub-units",
        RATE,
        [],
        {},
        "数据不全：没有下级单位",
        "incomplete: there are no sub-units",
    ),
    (
        "more than five missing",
        COUNT,
        [(f"T{i}", {}) for i in range(1, 8)],
        {},
        "数据不全：7个下级单位未填报（T1、T2、T3、T4、T5等7个）",
        "incomplete: 7 sub-units did not report (T1, T2, T3, T4, T5 and 2 more)",
    ),
]
# Made, with a note on what could not be: the breakdown or the reference figure left empty.
NOTES = [
    (
        "breakdown given by some",
        BY_SEX,
        [("T1", ONE), ("T2", {"": HALF})],
        "2个下级单位中2个汇总（比率重算）；男/女分组未汇总：1个下级单位未填或不可汇总（T2），"
        "只有1个填了分组",
        "aggregated from 2 of 2 sub-units (ratio recomputed); male/female breakdown not "
        "aggregated: 1 sub-unit left it empty or unusable (T2), only 1 gave it",
    ),
    (
        "breakdown not adding up",
        BY_SEX,
        [("T1", ONE), ("T2", ODD)],
        "2个下级单位中2个汇总（比率重算）；男/女分组未汇总：1个下级单位的分组之和与合计不符（T2）",
        "aggregated from 2 of 2 sub-units (ratio recomputed); male/female breakdown not "
        "aggregated: in 1 sub-unit the breakdown does not add up to the total (T2)",
    ),
    (
        "reference figure given by some",
        WITH_REF,
        [("T1", {"": HALF, "ref": HALF}), ("T2", {"": HALF})],
        "2个下级单位中2个汇总（比率重算）；参照值未汇总：1个下级单位未填或不可汇总（T2）",
        "aggregated from 2 of 2 sub-units (ratio recomputed); reference figure not aggregated: "
        "1 sub-unit left it empty or unusable (T2)",
    ),
]


@pytest.mark.parametrize(
    ("why", "ind", "children", "kw", "zh", "en"), CASES, ids=[c[0] for c in CASES]
)
def test_incomplete_in_both_languages(why, ind, children, kw, zh, en):
    info = _info(ind, children, **kw)
    assert info.incomplete
    assert info.label() == zh
    assert info.label(en=True) == en
    assert not CJK.search(en), en


@pytest.mark.parametrize(("why", "ind", "children", "zh", "en"), NOTES, ids=[c[0] for c in NOTES])
def test_a_note_on_what_was_not_made_in_both_languages(why, ind, children, zh, en):
    info = _info(ind, children)
    assert info.complete
    assert info.label() == zh
    assert info.label(en=True) == en
    assert not CJK.search(en), en


def test_the_english_of_an_urban_rural_and_an_age_breakdown():
    for dim, word in (("urban_rural", "urban/rural"), ("age_group", "age 0-5/6-14/15-17")):
        ind = build(code="B1", disaggregation=[dim])
        parts = {
            "urban_rural": ("urban_rural=urban", "urban_rural=rural"),
            "age_group": ("age_group=0-5", "age_group=6-14", "age_group=15-17"),
        }[dim]
        given = {"": Entry(numerator=len(parts), denominator=10)}
        given |= {p: Entry(numerator=1, denominator=10 / len(parts)) for p in parts}
        en = _info(ind, [("T1", given), ("T2", {"": HALF})]).label(en=True)
        assert f"; {word} breakdown not aggregated" in en and not CJK.search(en), en


def test_a_reason_not_written_by_the_assembly_is_shown_as_stored():
    info = SourceInfo(
        SUBUNITS, rule="sum", expected=2, complete=False, reason="旧版本的说明；没有下级单位"
    )
    assert info.label(en=True) == "incomplete: 旧版本的说明; there are no sub-units"
    assert info.label() == "数据不全：旧版本的说明；没有下级单位"
