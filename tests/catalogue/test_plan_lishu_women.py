"""The 梨树区妇女发展规划（2021-2025年） catalogue against its source text (seed 003, lines 15–651).

The expected values below were written by reading the plan, not copied from the catalogue.
This plan has no milestones, no base-year or yearly change targets, no growth targets and no
per-capita ratios: every quantified target is a level (≥, ≤, 左右) for the whole period, some
per sub-unit (each), and many goal lines give a direction only.
"""

import re

import pytest

from tianbao.domain.catalogue import load_plan_file
from tianbao.resources import resource_path

_WS = re.compile(r"\s+")


@pytest.fixture(scope="module")
def plan():
    return load_plan_file(resource_path("plans", "lishu-women.toml"))


@pytest.fixture(scope="module")
def seed_lines(plan, seeds_dir):
    return (seeds_dir / plan.source).read_text(encoding="utf-8").splitlines()


def _line(seed_lines, n: int) -> str:
    return _WS.sub("", seed_lines[n - 1])


def test_plan_header(plan):
    assert plan.id == "lishu-women"
    assert plan.kind == "women"
    assert plan.title == "梨树区妇女发展规划（2021-2025年）"
    assert plan.period == (2021, 2025)
    assert plan.base_year == 2020
    assert plan.source == "003_5d942587361e330d.txt"
    assert [d.name for d in plan.domains] == [
        "妇女与健康",
        "妇女与教育",
        "妇女与经济",
        "妇女参与决策和管理",
        "妇女与社会保障",
        "妇女与家庭建设",
        "妇女与环境",
        "妇女与法律",
    ]
    assert [d.code for d in plan.domains] == [
        "health",
        "education",
        "economy",
        "decision",
        "security",
        "family",
        "environment",
        "law",
    ]


def test_counts(plan):
    assert len(plan.indicators) == 156
    # issue 16: F16 (revised goal) and D31 (推进…全覆盖) are yes/no; D02 compares with a reference
    assert plan.quantified_target_count == 33
    assert sum(1 for i in plan.indicators if i.kind == "yesno") == 78
    assert [len(d.indicators) for d in plan.domains] == [34, 16, 11, 31, 16, 16, 19, 13]


def test_title_line_and_plan_boundary(seed_lines):
    assert seed_lines[14].strip() == "梨树区妇女发展规划（2021-2025年）"
    assert seed_lines[651].strip() == "梨树区儿童发展规划（2021-2025年）"


# (code, op, value, line, words in that line that state the number, extra target fields)
SAMPLES = [
    ("H01", ">=", 1, 59, "区设置1所", {}),
    ("H12", ">=", 90, 81, "孕产妇系统管理率达到90%以上", {}),
    ("H13", "<=", 14.5, 83, "14.5/10万以下", {}),
    ("H15", "<=", 3, 87, "艾滋病母婴传播率下降到3%以下", {}),
    # one sentence, three indicators
    ("H16", ">=", 98, 89, "检测率达到98%以上", {}),
    ("H17", ">=", 98, 89, "检测率达到98%以上", {}),
    ("H18", ">=", 98, 89, "检测率达到98%以上", {}),
    ("H28", ">=", 65, 111, "35岁—45岁接受高效宫颈癌筛查的妇女达到65%以上", {}),
    ("H34", ">=", 25, 121, "心理健康素养水平达到25%以上", {}),
    ("E06", ">=", 90, 169, "学前教育毛入园率达到并保持在90%以上", {}),
    ("E08", ">=", 99, 175, "九年义务教育巩固率保持在99%以上", {}),
    ("E10", ">=", 96, 181, "高中阶段教育毛入学率保持在96%以上", {}),
    # 左右 with a tolerance of our own
    ("C01", "approx", 40, 229, "就业人员中的女性比例保持在40%左右", {"tolerance": 2}),
    ("D27", "approx", 50, 337, "社区居委会成员中女性比例保持在50%左右", {"tolerance": 5}),
    ("C09", ">=", 90, 248, "仲裁结案率达到90%以上", {}),
    # per sub-unit: every leadership team needs one woman
    ("D08", ">=", 1, 306, "至少各配备1名女干部", {"each": "区级党委、人大、政府、政协领导班子"}),
    ("D10", ">=", 1, 308, "至少各配备1名女干部", {"each": "乡（镇）级党委、政府领导班子"}),
    ("D23", ">=", 30, 328, "村委会成员中女性比例达到30%以上", {}),
    ("D28", ">=", 40, 339, "社区居委会主任中的女性比例达到40%以上", {}),
    # 全覆盖 / 所有 in 策略措施 and 主要目标 → 100
    ("S01", ">=", 100, 374, "生育保险覆盖城乡所有用人单位", {}),
    ("S13", ">=", 55, 388, "护理型床位占比不低于55%", {}),
    ("F05", ">=", 100, 433, "农村覆盖率达到100%", {}),
    ("F15", ">=", 100, 457, "城市社区综合服务设施实现全覆盖", {}),
    ("V09", ">=", 96, 498, "农村自来水普及率达到96%以上", {}),
]


@pytest.mark.parametrize(
    ("code", "op", "value", "line", "words", "extra"), SAMPLES, ids=[s[0] for s in SAMPLES]
)
def test_quantified_target(plan, seed_lines, code, op, value, line, words, extra):
    ind = plan.indicator(code)
    matches = [t for t in ind.targets if t.op == op and t.value == value]
    assert len(matches) == 1, ind.targets
    t = matches[0]
    assert t.year is None  # the plan states no year: the target holds for the whole period
    assert t.line == line
    for key, expected in extra.items():
        assert getattr(t, key) == expected, key
    text = _line(seed_lines, line)
    assert _WS.sub("", words) in text
    if value != 100 or "100" in words:
        assert f"{value:g}" in text


def test_rate_definitions(plan):
    mmr = plan.indicator("H13")
    assert (mmr.kind, mmr.unit, mmr.scale) == ("rate", "1/10万", 100000)
    assert (mmr.numerator, mmr.denominator, mmr.better) == ("孕产妇死亡数", "活产数", "lower")
    ger = plan.indicator("E06")
    assert ger.gross and ger.scale == 100
    assert (ger.numerator, ger.denominator) == ("在园幼儿数", "3-5岁适龄人口数")
    assert ger.disaggregation == ("sex",)
    assert plan.indicator("H12").denominator == "活产数"
    assert plan.indicator("D08").kind == "count" and plan.indicator("D08").unit == "名"


@pytest.mark.parametrize(
    ("code", "direction", "line", "words"),
    [
        ("H09", "down", 75, "孕产妇贫血患病率下降"),
        ("H23", "not_up", 99, "剖宫产率得到合理控制"),
        ("H27", "up", 109, "适龄妇女乳腺癌人群筛查率逐步提高"),
        ("D04", "up", 296, "区级人大代表女性比例保持稳定并有所提高"),
        ("F11", "down", 442, "两性家务劳动时间差距逐步缩小"),
    ],
)
def test_direction_targets(plan, seed_lines, code, direction, line, words):
    ind = plan.indicator(code)
    assert ind.kind != "yesno"
    (t,) = ind.targets
    assert (t.op, t.direction, t.line) == ("direction", direction, line)
    assert not t.quantified
    assert words in _line(seed_lines, line)


def test_qualitative_goals(plan, seed_lines):
    l04 = plan.indicator("L04")
    assert l04.kind == "yesno"
    assert [t.op for t in l04.targets] == ["qualitative"]
    # restated in 策略措施: one indicator, two sources
    assert [s.line for s in l04.sources] == [561, 594]
    assert "家庭暴力发现、报告、处置机制" in _line(seed_lines, 594)
    # a goal relative to another figure of the same year (issue 16): compared with the
    # reference figure entered with the return
    d02 = plan.indicator("D02")
    assert d02.kind == "rate"
    assert [(t.op, t.value, t.reference) for t in d02.targets] == [
        (">=", None, "本地区党员总数中女性比例")
    ]
    assert "不低于本地区党员总数中女性比例" in _line(seed_lines, 291)
    # 相适应 compares with nothing the program can judge: D20 and V14 stay qualitative, and say why
    for code in ("D20", "V14"):
        ind = plan.indicator(code)
        assert ind.kind == "yesno" and "相适应" in ind.note, code
    # a goal line mixing a qualitative sentence and a quantified target is split
    assert plan.indicator("H14").kind == "yesno"
    assert plan.indicator("H15").targets[0].line == 87


def test_restated_target_lists_every_place(plan, seed_lines):
    e08 = plan.indicator("E08")
    assert [s.line for s in e08.sources] == [175, 207]
    assert "提高女童义务教育巩固率" in _line(seed_lines, 207)
    c02 = plan.indicator("C02")
    assert [s.line for s in c02.sources] == [231, 263]
    assert "提高城镇单位就业人员中的女性比例" in _line(seed_lines, 263)


def test_oddity_recorded(plan, seed_lines):
    """Line 465 keeps an editor's remark (改：…) that would replace the 全覆盖 target."""
    assert "（改：" in seed_lines[464]
    f16 = plan.indicator("F16")
    assert "改" in f16.note and "改" in f16.targets[0].note
