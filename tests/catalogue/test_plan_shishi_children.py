"""第十三师新星市儿童发展规划（2021—2030年）: a hand-checked sample of targets against the text.

The expected values below were read from seeds/002_0b3b762a59dca94d.txt by hand, not copied
from the catalogue.
"""

import re

import pytest

from tianbao.domain.catalogue import load_plan_file
from tianbao.resources import resource_path

_WS = re.compile(r"\s+")


@pytest.fixture(scope="module")
def plan():
    return load_plan_file(resource_path("plans", "shishi-children.toml"))


@pytest.fixture(scope="module")
def seed_lines(plan, seeds_dir):
    return (seeds_dir / plan.source).read_text(encoding="utf-8").splitlines()


def _line(seed_lines, n):
    return _WS.sub("", seed_lines[n - 1])


def test_header(plan):
    assert plan.id == "shishi-children"
    assert plan.kind == "children"
    assert plan.title == "第十三师新星市儿童发展规划（2021—2030年）"
    assert "第十三师新星市" in plan.region
    assert plan.period == (2021, 2030)
    assert plan.base_year == 2020
    assert plan.source == "002_0b3b762a59dca94d.txt"
    # The text never states the plan period or its own title: the note must say so.
    assert "规划期原文未写明" in plan.note


def test_domains_in_order(plan):
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
    # issue 16: E14–E16 were added (the same sentences as the other plans, as yes/no goals)
    assert len(plan.indicators) == 110
    assert plan.quantified_target_count == 32
    assert sum(1 for i in plan.indicators if i.kind == "yesno") == 69
    assert [len(d.indicators) for d in plan.domains] == [36, 12, 16, 14, 10, 11, 11]
    directions = [t for i in plan.indicators for t in i.targets if t.op == "direction"]
    assert len(directions) == 9
    # No target in this plan names a year (no 2025 milestones).
    assert all(t.year is None for i in plan.indicators for t in i.targets)


# (code, seed line, op, value, number as written in the line, extra attributes)
SAMPLES = [
    ("H03", 24, "<=", 2.0, "2.0‰", {}),
    ("H04", 24, "<=", 4, "4‰", {}),
    ("H05", 24, "<=", 5, "5‰", {}),
    ("H09", 27, ">=", 98, "98%", {"each": "团场"}),
    ("H11", 29, "<=", 8, "8%", {}),
    ("H12", 29, "<=", 3, "3%", {}),
    ("H18", 30, "<=", 70, "70%", {}),
    ("H19", 30, ">=", 95, "95%", {}),
    ("H23", 36, ">=", 1.12, "1.12名", {}),
    ("H24", 36, ">=", 3.17, "3.17张", {}),
    ("H26", 36, ">=", 2, "2名", {"each": "团场医院、社区卫生服务中心"}),
    ("H30", 41, "<=", 25, "25%", {}),
    ("H35", 46, ">=", 9, "9小时", {}),
    (
        "S02",
        52,
        "change",
        -20,
        "下降20%",
        {"change_unit": "percent", "basis": "base_year", "base_year": 2020},
    ),
    ("E03", 78, ">=", 100, "100%", {}),
    ("F08", 136, ">=", 90, "90%", {}),
    ("V08", 157, ">=", 100, "100%", {}),
]


@pytest.mark.parametrize("code,line,op,value,written,extra", SAMPLES, ids=[s[0] for s in SAMPLES])
def test_sample_target(plan, seed_lines, code, line, op, value, written, extra):
    ind = plan.indicator(code)
    matching = [t for t in ind.targets if t.op == op and t.value == value]
    assert len(matching) == 1, [(t.op, t.value) for t in ind.targets]
    t = matching[0]
    assert t.year is None
    assert t.line == line
    for key, expected in extra.items():
        assert getattr(t, key) == expected, key
    assert written in _line(seed_lines, line)


def test_rate_definitions(plan):
    imr = plan.indicator("H04")
    assert (imr.name, imr.unit, imr.kind, imr.scale) == ("婴儿死亡率", "‰", "rate", 1000)
    assert imr.numerator == "未满1岁婴儿死亡数" and imr.denominator == "活产数"
    assert imr.better == "lower"
    assert imr.disaggregation == ("urban_rural",)
    assert "1.21" in imr.note  # already met in the base year

    kg = plan.indicator("E03")
    assert kg.gross and kg.better == "higher"

    injury = plan.indicator("S02")
    assert (injury.unit, injury.scale) == ("1/10万", 100000)

    doctors = plan.indicator("H23")
    assert (doctors.kind, doctors.scale, doctors.unit) == ("ratio", 1000, "名")

    sleep = plan.indicator("H34")
    assert (sleep.kind, sleep.unit) == ("duration", "小时")
    assert plan.indicator("H25").kind == "count"


def test_direction_targets(plan, seed_lines):
    cases = {
        "H13": ("not_up", 29, "超重、肥胖上升趋势得到有效控制"),
        "H15": ("down", 30, "新发近视率明显下降"),
        "S04": ("down", 53, "溺水死亡率持续下降"),
        "W07": ("up", 107, "托位数量持续增加"),
        "W10": ("not_down", 110, "儿童之家覆盖率进一步巩固提高"),
        "L11": ("down", 183, "降低未成年人犯罪人数占未成年人人口数量的比重"),
    }
    for code, (direction, line, words) in cases.items():
        ind = plan.indicator(code)
        (t,) = ind.targets
        assert (t.op, t.direction, t.line) == ("direction", direction, line), code
        assert not t.quantified
        assert words in _line(seed_lines, line), code


def test_qualitative_goals(plan, seed_lines):
    hotline = plan.indicator("W12")
    assert hotline.kind == "yesno"
    (t,) = hotline.targets
    assert t.op == "qualitative" and t.line == 111
    assert "儿童保护热线" in _line(seed_lines, 111)
    # Restated in the strategy measures (line 126): one indicator, both places cited.
    assert {s.line for s in hotline.sources} == {111, 126}
    assert "师市开通全国统一的儿童保护热线" in _line(seed_lines, 126)

    # A goal line mixing a qualitative clause and a number is split.
    assert plan.indicator("H06").kind == "yesno"
    assert plan.indicator("H06").targets[0].line == 24
    assert plan.indicator("S01").kind == "yesno"
    assert plan.indicator("S01").targets[0].line == 52


def test_restated_quantified_target(plan, seed_lines):
    water = plan.indicator("V08")
    assert [s.line for s in water.sources] == [157, 169]
    assert "自来水普及率" in _line(seed_lines, 169)
    eye = plan.indicator("H19")
    assert [s.line for s in eye.sources] == [30, 45]
    assert "0-6岁儿童眼保健和视力检查" in _line(seed_lines, 45)


def test_every_main_goal_line_is_cited(plan, seed_lines):
    """Every numbered line under 主要目标 is the source of at least one indicator."""
    cited = {s.line for i in plan.indicators for s in i.sources}
    goal_lines = []
    in_goals = False
    for n, text in enumerate(seed_lines, start=1):
        stripped = text.strip()
        if stripped.startswith("主要目标"):
            in_goals = True
            continue
        if stripped.startswith("策略措施"):
            in_goals = False
        if in_goals and re.match(r"^(\[bookmark: \w+\])*\d+\.", stripped):
            goal_lines.append(n)
    assert len(goal_lines) == 12 + 10 + 9 + 11 + 8 + 9 + 10
    assert not [n for n in goal_lines if n not in cited]
