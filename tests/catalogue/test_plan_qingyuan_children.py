"""清远市儿童发展规划（2021—2030年）: a hand-checked sample of the catalogue against the seed text.

The expected values below were read from shared/seeds/004_4efacdd1b957c13c.txt, not copied
from the catalogue.
"""

import pytest

from tianbao.domain.catalogue import load_plan_file, target_in_force
from tianbao.resources import resource_path


@pytest.fixture(scope="module")
def plan():
    return load_plan_file(resource_path("plans", "qingyuan-children.toml"))


@pytest.fixture(scope="module")
def seed_lines(plan, seeds_dir):
    return (seeds_dir / plan.source).read_text(encoding="utf-8").splitlines()


def _nows(s: str) -> str:
    return "".join(s.split())


def test_header(plan):
    assert plan.id == "qingyuan-children"
    assert plan.title == "清远市儿童发展规划（2021—2030年）"
    assert plan.kind == "children"
    assert plan.region == "清远市"
    assert plan.period == (2021, 2030)
    assert plan.base_year == 2020
    assert plan.source == "004_4efacdd1b957c13c.txt"
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
    # issue 16: V10 lost its dated per-county target; V19, E18, E19 and F10 were added
    assert len(plan.indicators) == 128
    assert plan.quantified_target_count == 53
    assert sum(1 for i in plan.indicators if i.kind == "yesno") == 66
    per_domain = {d.code: len(d.indicators) for d in plan.domains}
    assert per_domain == {
        "health": 44,
        "safety": 11,
        "education": 19,
        "welfare": 14,
        "family": 10,
        "environment": 19,
        "law": 11,
    }
    # every yes/no indicator carries exactly one qualitative target
    for ind in plan.indicators:
        if ind.kind == "yesno":
            assert [t.op for t in ind.targets] == ["qualitative"], ind.code


# (code, line, number as written in the seed line, op, value, extra target attributes)
SAMPLES = [
    # 主要目标: three mortality rates in one sentence
    ("H03", 27, "2.0‰", "<=", 2.0, {}),
    ("H04", 27, "3.0‰", "<=", 3.0, {}),
    ("H05", 27, "4.0‰", "<=", 4.0, {}),
    # per sub-unit (以乡镇（街道）为单位)
    ("H11", 30, "90%", ">=", 90, {"each": "乡镇（街道）"}),
    # 左右 with our own tolerance
    ("H25", 38, "3.5%", "approx", 3.5, {"tolerance": 0.5}),
    ("H26", 38, "38%", "<=", 38, {}),
    ("H16", 34, "9%", "<=", 9, {}),
    ("H17", 34, "5%", "<=", 5, {}),
    # 策略措施: per-capita ratios and per-facility counts
    ("H34", 52, "1.12名", ">=", 1.12, {}),
    ("H35", 52, "3.17张", ">=", 3.17, {}),
    ("H33", 52, "1所", ">=", 1, {"each": "市、县级"}),
    ("H37", 52, "2名", ">=", 2, {"each": "乡镇卫生院、社区卫生服务中心"}),
    ("H39", 70, "60%", ">=", 60, {}),
    ("H40", 72, "1小时", "<=", 1, {}),
    ("H43", 74, "两项", ">=", 2, {}),
    # 重点工程 only: yearly change in percentage points
    (
        "H44",
        381,
        "0.5个百分点",
        "change",
        -0.5,
        {"change_unit": "points", "basis": "previous_year"},
    ),
    # change against the 2020 base
    (
        "S02",
        86,
        "20%",
        "change",
        -20,
        {"change_unit": "percent", "basis": "base_year", "base_year": 2020},
    ),
    ("S07", 90, "95%", ">=", 95, {}),
    ("E02", 129, "100%", ">=", 100, {}),
    ("E05", 130, "96%", ">=", 96, {}),
    ("E10", 133, "97%", ">=", 97, {}),
    ("E16", 161, "5所", ">=", 5, {}),
    ("W07", 195, "5.5", ">=", 5.5, {}),
    ("W10", 201, "100%", ">=", 100, {}),
    ("W11", 201, "50%", ">=", 50, {}),
    ("F06", 242, "95%", ">=", 95, {}),
    ("F07", 242, "85%", ">=", 85, {}),
    ("V04", 276, "10", ">=", 10, {}),
    ("V09", 282, "70%", ">=", 70, {}),
    ("V15", 290, "99%", ">=", 99, {}),
]


@pytest.mark.parametrize("code,line,written,op,value,extra", SAMPLES, ids=[s[0] for s in SAMPLES])
def test_sample_target(plan, seed_lines, code, line, written, op, value, extra):
    ind = plan.indicator(code)
    matches = [t for t in ind.targets if t.line == line and t.op == op]
    assert len(matches) == 1, [t for t in ind.targets]
    t = matches[0]
    assert t.value == value
    assert t.year is None
    for key, expected in extra.items():
        assert getattr(t, key) == expected, key
    assert written in _nows(seed_lines[line - 1])
    assert _nows(t.quote) in _nows(seed_lines[line - 1])


def test_range_target(plan, seed_lines):
    (t,) = plan.indicator("E09").targets
    assert (t.op, t.value, t.line) == ("range", (1.0, 2.0), 133)
    assert "创建1-2所特殊教育示范学校" in seed_lines[132]


def test_park_roll_out_has_no_year(plan, seed_lines):
    """逐步扩大到县（市、区） states no year: the city's one park is the only number (issue 16)."""
    (city,) = plan.indicator("V10").targets
    assert (city.op, city.value, city.each, city.year) == (">=", 1, None, None)
    assert "建立一所儿童主题公园并逐步扩大到县（市、区）" in seed_lines[283]
    for year in (2021, 2025, 2030):
        assert target_in_force(plan.indicator("V10").targets, year) == [city]
    roll_out = plan.indicator("V19")
    assert roll_out.kind == "yesno"
    ((t,),) = [roll_out.targets]
    assert (t.op, t.year, t.each, t.line) == ("qualitative", None, None, 284)
    assert _nows(t.quote) in _nows(seed_lines[283])


def test_restated_targets_list_every_place(plan, seed_lines):
    restated = {
        "H07": [28, 379],
        "H08": [28, 379],
        "H21": [36, 381],
        "H23": [36, 381],
        "H25": [38, 381],
        "H28": [38, 381],
        "H38": [58, 379],
        "S02": [86, 385],
        "W07": [195, 377],
        "V05": [276, 373],
    }
    for code, lines in restated.items():
        ind = plan.indicator(code)
        assert [s.line for s in ind.sources if s.line in lines] == lines, code
        (t,) = ind.targets
        written = f"{abs(t.value):g}"
        for line in lines:
            assert written in _nows(seed_lines[line - 1]), (code, line)


def test_ratios_and_rates(plan):
    w07 = plan.indicator("W07")
    assert (w07.kind, w07.scale, w07.unit, w07.denominator) == ("ratio", 1000, "个", "常住人口数")
    h34 = plan.indicator("H34")
    assert (h34.kind, h34.scale, h34.unit) == ("ratio", 1000, "名")
    h04 = plan.indicator("H04")
    assert (h04.kind, h04.scale, h04.unit, h04.better) == ("rate", 1000, "‰", "lower")
    assert h04.numerator == "未满1岁婴儿死亡数" and h04.denominator == "活产数"
    assert h04.disaggregation == ("urban_rural",)
    s02 = plan.indicator("S02")
    assert (s02.scale, s02.unit) == (100000, "1/10万")
    e02 = plan.indicator("E02")
    assert e02.gross and e02.denominator == "3—5岁适龄人口数"


@pytest.mark.parametrize(
    "code,line,direction,words",
    [
        ("S03", 87, "down", "儿童溺水死亡率持续下降"),
        ("H18", 34, "not_up", "上升趋势得到有效控制"),
        ("H24", 38, "down", "儿童新发近视率明显下降"),
        ("W06", 195, "up", "托位数量持续增加"),
        ("E17", 163, "up", "逐年增加普通高中、中职学校招收残疾学生数量"),
        ("L11", 339, "down", "降低未成年人犯罪人数占未成年人人口数量的比重"),
    ],
)
def test_direction_targets(plan, seed_lines, code, line, direction, words):
    (t,) = plan.indicator(code).targets
    assert (t.op, t.direction, t.line, t.quantified) == ("direction", direction, line, False)
    assert words in seed_lines[line - 1]


@pytest.mark.parametrize(
    "code,line,words",
    [
        ("H06", 28, "出生缺陷防治体系"),
        ("S06", 90, "儿童食品药品用品安全得到有效保障"),
        ("W13", 205, "基层儿童保护机制有效运行"),
        ("L10", 339, "对未成年人违法犯罪实行分级干预"),
    ],
)
def test_qualitative_goals(plan, seed_lines, code, line, words):
    ind = plan.indicator(code)
    assert ind.kind == "yesno"
    (t,) = ind.targets
    assert (t.op, t.line) == ("qualitative", line)
    assert words in seed_lines[line - 1]


def test_full_coverage_read_as_100(plan, seed_lines):
    (t,) = plan.indicator("V16").targets
    assert (t.op, t.value, t.line) == (">=", 100, 290)  # issue 16: the target has its line again
    assert t.quote in seed_lines[289]
    assert 290 in [s.line for s in plan.indicator("V16").sources]
