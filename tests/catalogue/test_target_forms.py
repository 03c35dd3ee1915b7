"""The three target forms added for issue 16 load, describe themselves, and are refused when
malformed: a target compared with a reference figure of the same year, one compared with the
value actually reached in a milestone year, and a rule phased in from a stated year."""

import pytest

from tianbao.domain.catalogue import (
    CatalogueError,
    load_builtin_plans,
    load_plan_file,
    plan_from_dict,
    target_in_force,
)
from tianbao.domain.status import describe_en
from tianbao.domain.values import REFERENCE, TOTAL, cells_of

HEAD = """
format = 1
id = "test-plan"
title = "测试计划（2021—2030年）"
kind = "women"
period = [2021, 2030]
source = "x.txt"

[[domains]]
code = "decision"
name = "妇女参与决策和管理"
"""

RATE = """
[[indicators]]
code = "D02"
domain = "decision"
name = "党代会中女党员代表比例"
name_en = "Share of women delegates"
unit = "%"
kind = "rate"
scale = 100
numerator = "女党员代表人数"
denominator = "代表总数"
sources = [{ line = 1, quote = "不低于本地区党员总数中女性比例" }]
"""


def load(tmp_path, targets: str, head: str = HEAD, body: str = RATE):
    path = tmp_path / "test-plan.toml"
    path.write_text(head + body + f"targets = [\n{targets}\n]\n", encoding="utf-8")
    return load_plan_file(path)


def refused(tmp_path, targets: str, body: str = RATE) -> str:
    with pytest.raises(CatalogueError) as e:
        load(tmp_path, targets, body=body)
    text = str(e.value)
    assert "test-plan.toml" in text and "未载入" in text and "D02" in text
    return text


def test_reference_target_loads_and_adds_a_reference_cell(tmp_path):
    plan = load(
        tmp_path,
        '  { op = ">=", reference = "本地区党员总数中女性比例", line = 1, quote = "不低于" },',
    )
    ind = plan.indicator("D02")
    (t,) = ind.targets
    assert (t.op, t.value, t.reference, t.relative_to, t.quantified) == (
        ">=",
        None,
        "本地区党员总数中女性比例",
        "reference",
        True,
    )
    assert t.describe("%") == "≥本地区党员总数中女性比例"
    assert describe_en(t, "%") == "≥ the reference figure (本地区党员总数中女性比例)"
    # entered with the return like a breakdown cell, after the total
    assert cells_of(ind) == [(TOTAL, "合计"), (REFERENCE, "参照值：本地区党员总数中女性比例")]


def test_reached_in_target_loads(tmp_path):
    plan = load(
        tmp_path,
        '  { year = 2025, op = ">=", value = 60, line = 1, quote = "2025年达到60%" },\n'
        '  { year = 2030, op = ">", reached_in = 2025, line = 1, quote = "2030年在此基础上继续提高" },',
    )
    t2025, t2030 = plan.indicator("D02").targets
    assert (t2030.op, t2030.value, t2030.reached_in, t2030.relative_to) == (
        ">",
        None,
        2025,
        "reached",
    )
    assert t2030.describe("%") == ">2025年实际值 (2030年)"
    assert describe_en(t2030, "%") == "> the value reached in 2025 (2030)"
    assert target_in_force(plan.indicator("D02").targets, 2026) == [t2030]
    assert cells_of(plan.indicator("D02")) == [(TOTAL, "合计")]  # the bar is last years' own value


def test_phased_in_rule_is_in_force_from_its_year_only(tmp_path):
    plan = load(
        tmp_path,
        '  { op = ">=", value = 30, line = 1, quote = "30%" },\n'
        '  { op = ">=", value = 25, each = "乡镇（街道）", from_year = 2025, line = 1, quote = "逐步扩大到" },',
    )
    level, each = plan.indicator("D02").targets
    assert each.from_year == 2025
    assert target_in_force(plan.indicator("D02").targets, 2024) == [level]
    assert target_in_force(plan.indicator("D02").targets, 2025) == [level, each]
    assert target_in_force(plan.indicator("D02").targets, 2030) == [level, each]
    assert each.describe("%") == "每个乡镇（街道）≥25% (2025年起)"
    assert describe_en(each, "%") == "≥25% in every 乡镇（街道） (from 2025)"


def test_a_phased_in_milestone_counts_only_from_its_year(tmp_path):
    plan = load(
        tmp_path,
        '  { year = 2025, op = ">=", value = 30, line = 1, quote = "30%" },\n'
        '  { year = 2030, op = ">=", value = 40, line = 1, quote = "40%" },\n'
        '  { year = 2030, op = ">=", value = 35, each = "乡镇（街道）", from_year = 2027, line = 1, quote = "x" },',
    )
    t25, t30, each = plan.indicator("D02").targets
    assert target_in_force(plan.indicator("D02").targets, 2026) == [t30]
    assert target_in_force(plan.indicator("D02").targets, 2028) == [t30, each]


def test_tolerance_of_about_is_shown_as_the_catalogues_unless_the_text_states_it(tmp_path):
    plan = load(
        tmp_path,
        '  { op = "approx", value = 40, tolerance = 2, line = 1, quote = "40%左右" },',
    )
    (t,) = plan.indicator("D02").targets
    assert t.describe("%") == "40%左右(±2，容差为目录取值)"
    assert describe_en(t, "%") == "about 40% (±2, tolerance set by the catalogue)"
    plan = load(
        tmp_path,
        '  { op = "approx", value = 40, tolerance = 2, tolerance_stated = true, line = 1, quote = "40%左右" },',
    )
    (t,) = plan.indicator("D02").targets
    assert t.describe("%") == "40%左右(±2)"


@pytest.mark.parametrize(
    ("targets", "words"),
    [
        ('{ op = ">=", reference = "x", value = 3 }', "不应有 value"),
        ('{ op = "approx", reference = "x", tolerance = 1 }', "只能用于"),
        ('{ op = "change", reached_in = 2025, change_unit = "points" }', "只能用于"),
        ('{ op = ">=", reference = "x", reached_in = 2025, year = 2030 }', "只能填一个"),
        ('{ op = ">=", reference = "  " }', "参照数值的名称"),
        ('{ op = ">=", reference = "x", each = "乡镇（街道）" }', "each"),
        ('{ op = ">", reached_in = 2025 }', "更晚的目标年份"),
        ('{ op = ">", reached_in = 2025, year = 2025 }', "更晚的目标年份"),
        ('{ op = ">", reached_in = 2019, year = 2025 }', "不在规划期"),
        ('{ op = ">=", value = 1, from_year = 2031 }', "不在规划期"),
        ('{ op = ">=", value = 1, from_year = 2028, year = 2025 }', "不能晚于目标年份"),
        ('{ op = ">=", value = 1, from_year = "2025" }', "from_year"),
        ('{ op = ">=", value = 1, tolerance_stated = true }', "tolerance_stated"),
        ('{ op = ">=", reference = "甲" },\n  { op = "<=", reference = "乙" }', "同一个数值"),
    ],
)
def test_malformed_new_forms_are_refused(tmp_path, targets, words):
    assert words in refused(tmp_path, "  " + targets + ",")


def test_relative_target_needs_a_numeric_indicator(tmp_path):
    body = RATE.replace(
        'unit = "%"\nkind = "rate"\nscale = 100\nnumerator = "女党员代表人数"\n'
        'denominator = "代表总数"\n',
        'unit = ""\nkind = "yesno"\n',
    )
    assert "不能有数值目标" in refused(tmp_path, '  { op = ">=", reference = "x" },', body=body)


def test_unused_new_fields_leave_the_plain_data_and_fingerprint_alone():
    """Plans that do not use the new fields keep their content fingerprint (exported files match)."""
    plan = load_builtin_plans()["qingyuan-children"]
    for ind in plan.to_dict()["indicators"]:
        for t in ind["targets"]:
            assert not {"reference", "reached_in", "from_year", "tolerance_stated"} & set(t)
    again = plan_from_dict(plan.to_dict(), origin="again", builtin=True)
    assert again.fingerprint == plan.fingerprint


def test_used_new_fields_round_trip_through_plain_data():
    plans = load_builtin_plans()
    for pid in ("lishu-women", "xinhua-children"):
        plan = plans[pid]
        again = plan_from_dict(plan.to_dict(), origin="again", builtin=True)
        assert again == plan
    (d02,) = plans["lishu-women"].indicator("D02").targets
    assert d02.reference == "本地区党员总数中女性比例"
    h20 = plans["xinhua-children"].indicator("H20").targets
    assert [(t.year, t.op, t.value, t.reached_in) for t in h20] == [
        (2025, ">=", 60, None),
        (2030, ">", None, 2025),
    ]
