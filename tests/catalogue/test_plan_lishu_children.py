"""梨树区儿童发展规划（2021-2025年）: a hand-checked sample of targets against the seed text.

Seed 003 holds two plans; the children's plan runs from line 652 (its title) to the end of the file.
The expected values below were read from the seed text, not from the catalogue.
"""

import re

import pytest

from tianbao.domain.catalogue import load_plan_file
from tianbao.resources import resource_path

_WS = re.compile(r"\s+")


def _norm(s: str) -> str:
    return _WS.sub("", s)


@pytest.fixture(scope="module")
def plan():
    return load_plan_file(resource_path("plans", "lishu-children.toml"))


@pytest.fixture(scope="module")
def seed_lines(plan, seeds_dir):
    return (seeds_dir / plan.source).read_text(encoding="utf-8").splitlines()


def test_header(plan, seed_lines):
    assert plan.id == "lishu-children"
    assert plan.kind == "children"
    assert plan.title == "梨树区儿童发展规划（2021-2025年）"
    assert plan.region == "梨树区"
    assert plan.period == (2021, 2025)
    assert plan.base_year == 2020
    assert plan.source == "003_5d942587361e330d.txt"
    assert _norm(seed_lines[652 - 1]) == _norm(plan.title)
    assert [d.name for d in plan.domains] == [
        "儿童与健康",
        "儿童与安全",
        "儿童与教育",
        "儿童与福利",
        "儿童与家庭",
        "儿童与环境",
        "儿童与法律保护",
    ]
    assert [d.code for d in plan.domains] == [
        "health",
        "safety",
        "education",
        "welfare",
        "family",
        "environment",
        "law",
    ]


def test_counts(plan):
    # issue 16: W05, W07 became yes/no, E07 a rate with a direction, E15–E17 were added
    assert len(plan.indicators) == 146
    assert [len(d.indicators) for d in plan.domains] == [50, 13, 17, 20, 15, 16, 15]
    assert plan.quantified_target_count == 45
    assert sum(1 for i in plan.indicators if i.kind == "yesno") == 88
    assert sum(1 for i in plan.indicators for t in i.targets if t.op == "direction") == 13


def test_every_source_line_is_in_the_childrens_plan(plan):
    for ind in plan.indicators:
        for s in ind.sources:
            assert 652 <= s.line <= 1291, (ind.code, s.line)


# (code, op, value, extra target fields, seed line, number as written in that line)
SAMPLES = [
    ("H01", ">=", 1, {}, 698, "1 所"),
    ("H02", ">=", 1, {}, 700, "1名"),
    ("H03", ">=", 2.5, {}, 700, "2.5张"),
    ("H05", ">=", 2, {"each": "乡（镇）卫生院、社区卫生服务中心"}, 702, "2名"),
    ("H09", "<=", 3.5, {}, 712, "3.5%"),
    ("H13", "<=", 3, {}, 720, "3‰"),
    ("H14", "<=", 5, {}, 722, "5‰"),
    ("H19", ">=", 95, {"each": "乡（镇、街道）"}, 734, "95%"),
    ("H22", ">=", 99, {}, 740, "99%"),
    ("H25", "<=", 25, {}, 744, "25%"),
    ("H37", "<=", 78, {}, 772, "78%"),
    ("H42", ">=", 90, {}, 781, "90%"),
    ("H48", ">=", 10, {}, 814, "10小时"),
    (
        "S01",
        "change",
        -15,
        {"change_unit": "percent", "basis": "base_year", "base_year": 2020},
        827,
        "15%",
    ),
    ("E02", ">=", 90, {}, 895, "90%"),
    ("E03", ">=", 20, {}, 899, "20%"),
    ("E05", ">=", 96, {}, 905, "96%"),
    ("F06", ">=", 80, {}, 1058, "80%"),
    ("F07", ">=", 2, {}, 1062, "2次"),
    ("V12", ">=", 96, {}, 1140, "96%"),
]


@pytest.mark.parametrize("code,op,value,extra,line,written", SAMPLES, ids=[s[0] for s in SAMPLES])
def test_sample_target(plan, seed_lines, code, op, value, extra, line, written):
    ind = plan.indicator(code)
    quantified = [t for t in ind.targets if t.quantified]
    assert len(quantified) == 1, code
    t = quantified[0]
    assert t.year is None  # 主要目标 state no year: they apply throughout 2021-2025
    assert (t.op, t.value, t.line) == (op, value, line)
    for key, expected in extra.items():
        assert getattr(t, key) == expected, (code, key)
    assert written in seed_lines[line - 1]


def test_rate_definitions(plan):
    imr = plan.indicator("H14")
    assert (imr.kind, imr.unit, imr.scale, imr.better) == ("rate", "‰", 1000, "lower")
    assert (imr.numerator, imr.denominator) == ("未满1岁婴儿死亡数", "活产数")
    injury = plan.indicator("S01")
    assert (injury.unit, injury.scale) == ("1/10万", 100000)
    gross = plan.indicator("E02")
    assert gross.gross and gross.denominator == "3-5岁适龄人口数"
    assert plan.indicator("E04").gross  # issue 16: 巩固率 is gross in every plan
    for code in ("H02", "H03"):
        ratio = plan.indicator(code)
        assert (ratio.kind, ratio.scale) == ("ratio", 1000)
        assert ratio.denominator == "0—14岁儿童人口数"  # issue 16: health-statistics definition
    per_parent = plan.indicator("F07")
    assert (per_parent.kind, per_parent.scale, per_parent.unit) == ("ratio", 1, "次")


def test_one_sentence_several_indicators(plan):
    # 艾滋病、梅毒、乙肝等母婴阻断率达到99%以上 -> three indicators on line 740
    for code, disease in (("H21", "艾滋病"), ("H22", "梅毒"), ("H23", "乙肝")):
        ind = plan.indicator(code)
        assert ind.name.startswith(disease)
        assert [(t.op, t.value, t.line) for t in ind.targets] == [(">=", 99, 740)]
    # 小学生10小时、初中生9小时、高中生8小时 (策略措施, line 814)
    assert [plan.indicator(c).targets[0].value for c in ("H48", "H49", "H50")] == [10, 9, 8]
    # line 700 carries both the doctors and the beds per 1,000 children
    assert plan.indicator("H02").sources[0].line == plan.indicator("H03").sources[0].line == 700


def test_direction_targets(plan, seed_lines):
    cases = {
        "H07": ("up", 708, "提高"),
        "H31": ("not_up", 760, "上升趋势得到有效控制"),
        "H33": ("down", 764, "明显下降"),
        "S02": ("down", 829, "持续下降"),
        "W03": ("up", 969, "持续增加"),
        "L15": ("down", 1223, "降低"),
    }
    for code, (direction, line, words) in cases.items():
        (t,) = plan.indicator(code).targets
        assert (t.op, t.direction, t.line) == ("direction", direction, line), code
        assert not t.quantified
        assert words in seed_lines[line - 1]


def test_qualitative_goals(plan, seed_lines):
    w14 = plan.indicator("W14")
    assert w14.kind == "yesno"
    (t,) = w14.targets
    assert (t.op, t.line) == ("qualitative", 993)
    assert "五位一体" in seed_lines[993 - 1]
    # a line mixing a number and a qualitative clause gives two indicators
    assert plan.indicator("H41").kind == "yesno" and plan.indicator("H41").targets[0].line == 781
    assert plan.indicator("H42").kind == "rate" and plan.indicator("H42").targets[0].line == 781
    assert plan.indicator("W06").kind == "yesno" and plan.indicator("W06").targets[0].line == 975


def test_restated_targets_have_several_sources(plan, seed_lines):
    assert [s.line for s in plan.indicator("H19").sources] == [734, 802]
    assert "免疫规划疫苗接种率" in seed_lines[802 - 1]
    assert [s.line for s in plan.indicator("W05").sources] == [975, 1022]
    assert "医疗保险覆盖率" in seed_lines[1022 - 1]
    # the sentence on parents' schools is broken across lines 1058 and 1060
    assert [s.line for s in plan.indicator("F05").sources][:2] == [1058, 1060]
    assert seed_lines[1058 - 1].rstrip().endswith("建立家长")
