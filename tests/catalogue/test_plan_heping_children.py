"""和平区儿童发展规划（2021-2030年）: the catalogue against a hand-read sample of its text.

Every expected value below was written from reading seed 000_4eb0a5975be1d437.txt, not copied
from the catalogue; each sample also checks that the cited seed line really carries the number.
"""

import pytest

from tianbao.domain.catalogue import load_plan_file
from tianbao.resources import resource_path


@pytest.fixture(scope="module")
def plan():
    return load_plan_file(resource_path("plans", "heping-children.toml"))


def _seed_line(plan, seeds_dir, line: int) -> str:
    return (seeds_dir / plan.source).read_text(encoding="utf-8").splitlines()[line - 1]


def test_header(plan):
    assert plan.id == "heping-children"
    assert plan.title == "和平区儿童发展规划（2021-2030年）"
    assert plan.kind == "children"
    assert plan.region == "沈阳市和平区"
    assert plan.period == (2021, 2030)
    assert plan.base_year == 2020
    assert plan.source == "000_4eb0a5975be1d437.txt"
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
    # issue 16: E19 and E21 became yes/no goals, V13 and L09 were added
    assert len(plan.indicators) == 130
    assert plan.quantified_target_count == 62
    assert sum(1 for i in plan.indicators if i.kind == "yesno") == 57
    per_domain = {d.code: len(d.indicators) for d in plan.domains}
    assert per_domain == {
        "health": 45,
        "safety": 9,
        "education": 22,
        "welfare": 22,
        "family": 10,
        "environment": 13,
        "law": 9,
    }


# (code, year, op, value, extra target attributes, seed line, text that must be on that line)
SAMPLES = [
    # milestones: 2025 and 2030 targets of one indicator (line 36)
    ("H04", 2025, "<=", 3, {}, 36, "新生儿死亡率降至3‰以下"),
    ("H04", 2030, "<=", 2.3, {}, 36, "新生儿死亡率降至2.3‰以下"),
    ("H05", 2025, "<=", 4.2, {}, 36, "婴儿死亡率降至4.2‰以下"),
    ("H05", 2030, "<=", 3.4, {}, 36, "婴儿死亡率降至3.4‰以下"),
    ("H06", 2030, "<=", 4.4, {}, 36, "5岁以下儿童死亡率降至4.4‰以下"),
    # restated in 策略措施 (line 65), one target
    ("H07", None, ">=", 90, {}, 38, "新生儿访视率保持在90%以上"),
    # per sub-unit: 以区为单位
    ("H11", None, ">=", 98, {"each": "区"}, 42, "以区为单位保持在98%以上"),
    # two indicators in one sentence with 分别
    ("H16", None, "<=", 4.5, {}, 46, "分别控制在7%和4.5%以下"),
    # yearly change in percentage points against the previous year
    (
        "H20",
        None,
        "change",
        (-1.0, -0.5),
        {"change_unit": "points", "basis": "previous_year"},
        48,
        "每年下降0.5—1个百分点",
    ),
    ("H21", 2025, ">=", 90, {}, 49, "2025年0-6岁儿童眼保健和视力检查覆盖率达到90%以上"),
    ("H21", 2030, ">=", 92, {}, 49, "2030年达到92%以上"),
    # per-capita ratios
    ("H33", None, ">=", 1.12, {}, 63, "医生达到1.12名"),
    ("H34", None, ">=", 3.17, {}, 63, "床位增至3.17张"),
    # per sub-unit count from 策略措施
    ("H36", None, ">=", 2, {"each": "社区卫生服务中心"}, 63, "至少配备2名专业从事儿童保健的医生"),
    ("H43", None, ">=", 10, {}, 74, "小学生达到10小时"),
    # change against the base year, in percent
    (
        "S03",
        None,
        "change",
        -20,
        {"change_unit": "percent", "basis": "base_year", "base_year": 2020},
        85,
        "以2020年数据为基数下降20%",
    ),
    ("S09", None, ">=", 100, {}, 111, "工作站或工作专干实现全覆盖"),
    ("E03", None, ">=", 96, {}, 122, "学前教育毛入园率达到96%以上"),
    ("E08", None, ">=", 100, {}, 128, "高中阶段教育毛入学率达到100%"),
    (
        "E18",
        None,
        ">=",
        2,
        {"each": "幼儿园"},
        151,
        "幼儿园每学期至少组织1次家庭教育指导和2次亲子活动",
    ),
    ("E20", None, ">=", 1, {"each": "街道"}, 153, "每个街道至少办好1所优质公办中心幼儿园"),
    ("W06", None, ">=", 4, {}, 182, "每千人口3岁以下婴幼儿托位数达到4个以上"),
    # average annual growth up to 2025
    ("W09", 2025, "growth", 6, {"base_year": 2020}, 185, "到2025年年均提高6%以上"),
    ("W12", None, ">=", 100, {}, 189, "书面照护协议签订率达到100%"),
    ("F08", None, ">=", 85, {}, 225, "85%以上的农村社区（村）"),
    ("V08", 2030, ">=", 99, {}, 247, "到2030年达到 99%以上"),
]


@pytest.mark.parametrize(
    "code,year,op,value,extra,line,text", SAMPLES, ids=[f"{s[0]}-{s[1]}-{s[2]}" for s in SAMPLES]
)
def test_sample_target(plan, seeds_dir, code, year, op, value, extra, line, text):
    ind = plan.indicator(code)
    matches = [t for t in ind.targets if t.year == year and t.op == op]
    assert len(matches) == 1, (code, year, op, ind.targets)
    t = matches[0]
    if isinstance(value, tuple):
        assert t.value == value
    else:
        assert t.value == pytest.approx(value)
    for key, want in extra.items():
        assert getattr(t, key) == want, (code, key)
    assert t.line == line
    assert text in _seed_line(plan, seeds_dir, line)


def test_kinds_and_definitions(plan):
    h05 = plan.indicator("H05")
    assert (h05.name, h05.kind, h05.unit, h05.scale) == ("婴儿死亡率", "rate", "‰", 1000)
    assert (h05.numerator, h05.denominator, h05.better) == ("未满1岁婴儿死亡数", "活产数", "lower")
    assert plan.indicator("E03").gross is True
    for code in ("H33", "H34", "W06"):
        ind = plan.indicator(code)
        assert ind.kind == "ratio" and ind.scale == 1000, code
    assert plan.indicator("S03").unit == "1/10万"
    assert plan.indicator("S03").scale == 100000


def test_restated_targets_list_every_place(plan, seeds_dir):
    for code, lines in {
        "H07": [38, 65],
        "H09": [40, 68],
        "H10": [40, 68],
        "H12": [43, 72],
        "W14": [191, 210],
    }.items():
        ind = plan.indicator(code)
        assert [s.line for s in ind.sources] == lines, code
        quantified = [t for t in ind.targets if t.quantified]
        assert len(quantified) <= 1, code
    for line in (38, 65):
        assert "90%" in _seed_line(plan, seeds_dir, line)
    for line in (40, 68):
        assert "92%" in _seed_line(plan, seeds_dir, line)


def test_direction_targets(plan, seeds_dir):
    expected = {
        "H17": "not_up",
        "H18": "not_up",
        "H19": "down",
        "S04": "down",
        "S05": "down",
        "E11": "up",
        "W14": "not_down",
        "V09": "up",
        "L08": "down",
    }
    for code, direction in expected.items():
        (t,) = plan.indicator(code).targets
        assert (t.op, t.direction) == ("direction", direction), code
        assert t.quote in _seed_line(plan, seeds_dir, t.line)
    # W09: growth to 2025, then only "并持续提高"
    w09 = plan.indicator("W09")
    assert [(t.year, t.op, t.direction) for t in w09.targets] == [
        (2025, "growth", None),
        (2030, "direction", "up"),
    ]


def test_qualitative_goals(plan, seeds_dir):
    for code, line, text in [
        ("H01", 27, "覆盖城乡的儿童健康服务体系更加完善"),
        ("E01", 120, "全面落实立德树人根本任务"),
        ("W21", 196, "“五位一体”的基层儿童保护机制有效运行"),
        ("L07", 280, "预防未成年人违法犯罪"),
    ]:
        ind = plan.indicator(code)
        assert ind.kind == "yesno"
        (t,) = ind.targets
        assert (t.op, t.line) == ("qualitative", line)
        assert text in _seed_line(plan, seeds_dir, line)
    # every yesno indicator has exactly one qualitative target
    for ind in plan.indicators:
        if ind.kind == "yesno":
            assert [t.op for t in ind.targets] == ["qualitative"], ind.code
