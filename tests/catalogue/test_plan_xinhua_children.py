"""平顶山市新华区儿童发展规划（2021-2030年）: a hand-checked sample of the catalogue against the text.

Every expected value below was read from the seed (001_130452331a43bd84.txt), not from the catalogue.
"""

import re

import pytest

from tianbao.domain.catalogue import load_plan_file
from tianbao.resources import resource_path

_WS = re.compile(r"\s+")


@pytest.fixture(scope="module")
def plan():
    return load_plan_file(resource_path("plans", "xinhua-children.toml"))


def _line(plan, seeds_dir, n: int) -> str:
    text = (seeds_dir / plan.source).read_text(encoding="utf-8").splitlines()[n - 1]
    return _WS.sub("", text)


def _target(plan, code: str, year: int | None, op: str | None = None):
    found = [
        t for t in plan.indicator(code).targets if t.year == year and (op is None or t.op == op)
    ]
    assert len(found) == 1, (code, year, op, found)
    return found[0]


def test_header(plan):
    assert plan.id == "xinhua-children"
    assert plan.title == "平顶山市新华区儿童发展规划（2021-2030年）"
    assert plan.kind == "children"
    assert plan.region == "平顶山市新华区"
    assert plan.period == (2021, 2030)
    assert plan.base_year == 2020
    assert plan.source == "001_130452331a43bd84.txt"
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
    # issue 16: E17, E18 became yes/no goals; E19 and W15 were added
    assert len(plan.indicators) == 115
    assert plan.quantified_target_count == 46
    assert [len(d.indicators) for d in plan.domains] == [37, 12, 19, 15, 10, 11, 11]
    assert sum(1 for i in plan.indicators if i.kind == "yesno") == 72
    directions = [t for i in plan.indicators for t in i.targets if t.op == "direction"]
    assert len(directions) == 9


# (code, year, op, value, line, words that must be in that seed line, extra attributes)
SAMPLES = [
    # milestones; the 2030 mortality targets are looser than 2025's (line 94)
    ("H03", 2025, "<=", 2, 94, "2025年分别下降到2‰、4‰和5‰", {}),
    ("H04", 2025, "<=", 4, 94, "2025年分别下降到2‰、4‰和5‰", {}),
    ("H04", 2030, "<=", 5, 94, "2030年在此基础上分别下降到3‰、5‰和6‰", {}),
    ("H05", 2030, "<=", 6, 94, "2030年在此基础上分别下降到3‰、5‰和6‰", {}),
    # per sub-unit
    ("H09", None, ">=", 90, 100, "以乡镇(街道)为单位保持在90%以上", {"each": "乡镇（街道）"}),
    # a target split over two lines; "达到 10%" of a prevalence read as ≤
    ("H10", 2025, "<=", 10, 102, "2025年分别达到10%", {}),
    ("H11", 2025, "<=", 5, 104, "和5%", {}),
    ("H11", 2030, "<=", 5, 104, "2030年在10%和5%以下", {}),
    ("H15", None, "<=", 38, 106, "小学生近视率降至38%以下", {}),
    ("H18", None, ">=", 90, 106, "眼保健和视力检覆盖率达到90%以上", {}),
    # "2030 年在此基础上继续提高": above the value actually reached in 2025 (issue 16)
    ("H20", 2025, ">=", 60, 108, "优良率达到2025年达到60%", {}),
    ("H20", 2030, ">", None, 108, "2025年达到60%，2030年在此基础上继续提高", {"reached_in": 2025}),
    # "进一步巩固提高": not below what 2025 reached (巩固 is the floor)
    ("E08", 2030, ">=", None, 222, "2030年在此基础上进一步巩固提高", {"reached_in": 2025}),
    ("H23", None, ">=", 1, 120, "至少配备1名", {"each": "乡镇卫生院、社区卫生服务中心"}),
    ("H25", None, ">=", 100, 128, "保持免费婚检城乡居民全覆盖", {}),
    ("H28", None, "<=", 25, 134, "12岁儿童龋患率控制在25%以内", {}),
    ("H33", None, ">=", 10, 144, "小学生10小时", {}),
    ("H36", None, ">=", 12, 146, "小学每学年不少于12课时", {"each": "小学"}),
    # change against the 2020 base year
    (
        "S02",
        2025,
        "change",
        -14,
        156,
        "2025年以2020年为基数下降14%",
        {"change_unit": "percent", "basis": "base_year", "base_year": 2020},
    ),
    (
        "S02",
        2030,
        "change",
        -20,
        156,
        "2030年以2020年为基数下降20%",
        {"change_unit": "percent", "basis": "base_year", "base_year": 2020},
    ),
    ("E04", 2025, ">=", 93, 218, "2025年达到93%", {}),
    ("E04", 2030, ">=", 93, 218, "2030年达到93%以上", {}),
    ("E06", None, ">", 96, 220, "九年义务教育巩固率在96%基础上继续巩固提高", {}),
    ("E08", 2025, ">=", 92, 222, "2025年达到92%以上", {}),
    ("E16", None, ">=", 50, 250, "争取公办幼儿园比例达到50%以上", {}),
    ("F07", 2025, ">=", 90, 343, "2025年90%的城市社区", {}),
    ("F08", 2030, ">=", 85, 343, "85%的农村社区(村)", {}),
    ("V08", 2025, ">=", 95, 393, "农村自来水普及率2025年达到95%", {}),
    ("V08", 2030, ">", 95, 393, "到2030年在95%基础上继续提高", {}),
]


@pytest.mark.parametrize(
    "code,year,op,value,line,words,extra",
    SAMPLES,
    ids=[f"{s[0]}-{s[1]}-{s[2]}" for s in SAMPLES],
)
def test_sampled_targets(plan, seeds_dir, code, year, op, value, line, words, extra):
    t = _target(plan, code, year, op)
    assert t.value == value
    assert t.line == line
    for key, expected in extra.items():
        assert getattr(t, key) == expected, key
    seed = _line(plan, seeds_dir, line)
    assert _WS.sub("", words) in seed
    if value is None:  # compared with the value reached in an earlier year, named in the text
        assert f"{t.reached_in}年" in _WS.sub("", t.quote) and "在此基础上" in t.quote
    else:
        assert str(abs(value)) in seed or (value == 100 and "全覆盖" in words)


def test_looser_2030_mortality_is_noted(plan):
    for code in ("H03", "H04", "H05"):
        ind = plan.indicator(code)
        t2025, t2030 = _target(plan, code, 2025), _target(plan, code, 2030)
        assert t2030.value > t2025.value
        assert "宽于" in ind.note and "宽于" in t2030.note
        assert ind.disaggregation == ("urban_rural",)


def test_rates_carry_their_definitions(plan):
    h04 = plan.indicator("H04")
    assert (h04.unit, h04.kind, h04.scale, h04.better) == ("‰", "rate", 1000, "lower")
    assert (h04.numerator, h04.denominator) == ("未满1岁婴儿死亡数", "活产数")
    s02 = plan.indicator("S02")
    assert (s02.unit, s02.scale) == ("1/10万", 100000)
    e04 = plan.indicator("E04")
    assert e04.gross and (e04.numerator, e04.denominator) == ("在园幼儿数", "3—5岁适龄人口数")
    assert plan.indicator("H24").denominator == "活产数"
    assert plan.indicator("H33").kind == "duration"


def test_restated_targets_list_every_place(plan, seeds_dir):
    # 眼保健和视力检查覆盖率 90%: 主要目标 line 106 and 策略措施 line 142, one indicator, one target
    h18 = plan.indicator("H18")
    assert [s.line for s in h18.sources] == [106, 142]
    assert len(h18.targets) == 1
    assert "眼保健和视力检查覆盖率达到90%以上" in _line(plan, seeds_dir, 142)
    # 免疫规划疫苗接种率: line 100 and the strategy's 保持较高水平 at line 136
    assert [s.line for s in plan.indicator("H09").sources] == [100, 136]


@pytest.mark.parametrize(
    "code,direction,line,words",
    [
        ("H12", "not_up", 104, "儿童超重、肥胖上升得到有效控制"),
        ("H14", "down", 106, "儿童新发近视率明显下降"),
        ("S04", "down", 158, "儿童溺水死亡率持续下降"),
        ("W10", "not_down", 287, "城乡社区儿童之家覆盖率进一步巩固提高"),
        ("L11", "down", 440, "降低未成年人犯罪人数占未成年人人口数量的比重"),
    ],
)
def test_direction_targets(plan, seeds_dir, code, direction, line, words):
    (t,) = plan.indicator(code).targets
    assert (t.op, t.direction, t.line, t.quantified) == ("direction", direction, line, False)
    assert words in _line(plan, seeds_dir, line)


@pytest.mark.parametrize(
    "code,line,words",
    [
        ("H06", 94, "地区和城乡差距逐步缩小"),
        ("S01", 156, "减少儿童伤害所致死亡和残疾"),
        ("W12", 288, "“五位一体”的基层儿童保护机制有效运行"),
        ("L07", 437, "禁止使用童工"),
    ],
)
def test_qualitative_goals(plan, seeds_dir, code, line, words):
    ind = plan.indicator(code)
    assert ind.kind == "yesno"
    (t,) = ind.targets
    assert (t.op, t.line) == ("qualitative", line)
    assert words in _line(plan, seeds_dir, line)


def test_national_and_provincial_targets_not_taken(plan):
    """The parentheses quote 国纲 / 河南省 targets (e.g. 学前教育毛入园率 90%); they are not this plan's."""
    assert {t.value for t in plan.indicator("E04").targets} == {93}
    assert {t.value for t in plan.indicator("F07").targets} == {90, 95}
