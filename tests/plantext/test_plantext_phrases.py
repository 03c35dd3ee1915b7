"""Each phrasing form of a target, on short invented sentences (none is a seed sentence)."""

from __future__ import annotations

import pytest

from tianbao.plantext.phrases import Context, Span, cn_number, parse_paragraph


def read(text: str, section: str = "goals", period=(2021, 2030)):
    found, left = parse_paragraph(Span.of([(7, text)]), Context(period, period[0] - 1), section)
    return found, left


def one(text: str):
    found, _ = read(text)
    quant = [f for f in found if f.op not in ("direction", "qualitative")]
    assert len(quant) == 1, [(f.name, f.op, f.value) for f in found]
    return quant[0]


@pytest.mark.parametrize(
    ("text", "name", "op", "value", "unit"),
    [
        ("儿童溺水死亡率降至1.5/10万以下。", "儿童溺水死亡率", "<=", 1.5, "1/10万"),
        ("女童营养不良率控制在3%以内。", "女童营养不良率", "<=", 3, "%"),
        ("适龄女童疫苗接种率稳定在97%以上。", "适龄女童疫苗接种率", ">=", 97, "%"),
        ("农村妇女参保率保持在 92% 以上。", "农村妇女参保率", ">=", 92, "%"),
        ("社区托育点覆盖率不低于70%。", "社区托育点覆盖率", ">=", 70, "%"),
        ("学生每天使用手机时间不超过2小时。", "学生每天使用手机时间", "<=", 2, "小时"),
        ("青少年儿童肥胖率低于8%。", "青少年儿童肥胖率", "<", 8, "%"),
        ("乡村女医生比例高于30%。", "乡村女医生比例", ">", 30, "%"),
        ("村委会主任中女性比例保持在30%左右。", "村委会主任中女性比例", "approx", 30, "%"),
    ],
)
def test_comparators(text, name, op, value, unit):
    f = one(text)
    assert (f.name, f.op, f.value, f.unit) == (name, op, value, unit)
    assert f.line == 7 and f.quote and str(int(value)) in f.quote


def test_bare_reach_is_at_least_and_ambiguous():
    f = one("社区儿童之家覆盖率达到80%。")
    assert (f.op, f.value, f.ambiguous_op) == (">=", 80, True)  # the draft decides by direction


def test_pdf_spacing_is_ignored():
    f = one("6 岁 以下 儿童 听力 筛查率 达到 95 % 以上 。")
    assert (f.name, f.op, f.value) == ("6岁以下儿童听力筛查率", ">=", 95)


def test_respectively_several_indicators_in_one_sentence():
    found, _ = read("孕妇贫血率、低出生体重率和早产率分别降至10%、4%和6%以下。")
    assert [(f.name, f.op, f.value) for f in found] == [
        ("孕妇贫血率", "<=", 10),
        ("低出生体重率", "<=", 4),
        ("早产率", "<=", 6),
    ]


def test_respectively_with_shared_measure_word():
    found, _ = read("新生儿、婴儿和3岁以下幼儿死亡率分别降至1.5‰、2.5‰和3.5‰以下。")
    assert [f.name for f in found] == ["新生儿死亡率", "婴儿死亡率", "3岁以下幼儿死亡率"]
    assert [f.value for f in found] == [1.5, 2.5, 3.5]


def test_both_reach():
    found, _ = read("城市和农村儿童之家覆盖率均达到95%以上。")
    assert [(f.name, f.op, f.value) for f in found] == [
        ("城市儿童之家覆盖率", ">=", 95),
        ("农村儿童之家覆盖率", ">=", 95),
    ]


def test_two_complete_names_share_one_value():
    found, _ = read("婴儿健康体检率和学龄前儿童健康体检率达到96%以上。")
    assert [f.name for f in found] == ["婴儿健康体检率", "学龄前儿童健康体检率"]


def test_two_milestones_second_without_name():
    found, _ = read("孕产妇系统管理率2025年达到92%，2030年达到95%以上。")
    assert [(f.name, f.year, f.op, f.value) for f in found] == [
        ("孕产妇系统管理率", 2025, ">=", 92),
        ("孕产妇系统管理率", 2030, ">=", 95),
    ]
    assert "name_from_previous" in found[1].flags


def test_milestones_respectively():
    found, _ = read("早产儿和低体重儿死亡率2025年分别降至4‰和5‰，2030年在此基础上分别降至3‰和4‰。")
    got = [(f.year, f.value) for f in found]
    assert got == [(2025, 4), (2025, 5), (2030, 3), (2030, 4)]
    assert found[2].name == found[0].name and found[3].name == found[1].name


def test_year_clause_sets_the_year():
    found, _ = read("2025年，女童辍学率降至0.5%以下，男童辍学率降至0.6%以下。")
    assert [(f.name, f.year, f.value) for f in found] == [
        ("女童辍学率", 2025, 0.5),
        ("男童辍学率", 2025, 0.6),
    ]


def test_change_against_base_year():
    f = one("儿童溺水死亡率以2020年为基数下降15%。")
    assert (f.op, f.value, f.change_unit, f.basis, f.base_year) == (
        "change",
        -15,
        "percent",
        "base_year",
        2020,
    )
    assert f.name == "儿童溺水死亡率"


def test_change_each_year_in_points():
    f = one("青少年吸烟率每年下降0.5—1个百分点。")
    assert (f.op, f.value, f.change_unit, f.basis) == (
        "change",
        [-1, -0.5],
        "points",
        "previous_year",
    )


def test_average_growth():
    f = one("困境儿童基本生活补贴标准年均增长5%以上。")
    assert (f.name, f.op, f.value) == ("困境儿童基本生活补贴标准", "growth", 5)


def test_per_sub_unit():
    f = one("儿童健康体检率以乡镇（街道）为单位达到95%以上。")
    assert (f.name, f.each, f.op, f.value) == ("儿童健康体检率", "乡镇（街道）", ">=", 95)


def test_value_before_noun():
    found, _ = read("80%以上的行政村和60%以上的社区建立儿童之家。")
    assert [(f.name, f.op, f.value) for f in found] == [
        ("行政村建立儿童之家的比例", ">=", 80),
        ("社区建立儿童之家的比例", ">=", 60),
    ]


def test_provision_count_each():
    f = one("每所中小学至少配备1名专职心理健康教师。")
    assert (f.op, f.value, f.unit, f.each) == (">=", 1, "名", "中小学")
    assert "专职心理健康教师" in f.name


def test_provision_all_have_one():
    f = one("各县（市、区）均设1所儿童福利院。")
    assert (f.op, f.value, f.each) == (">=", 1, "县（市、区）")
    assert "儿童福利院" in f.name


def test_second_provision_inherits_the_unit():
    found, _ = read("每个乡镇卫生院至少配备1名儿科医生，至少配备2名护士。")
    assert [(f.value, f.each) for f in found] == [(1, "乡镇卫生院"), (2, "乡镇卫生院")]


def test_chinese_numerals():
    f = one("每个街道建立一所儿童友好图书馆。")
    assert (f.op, f.value, f.each) == (">=", 1, "街道")
    g = one("百分之九十五的学校开设心理健康课。")
    assert (g.op, g.value, g.unit) == (">=", 95, "%")
    assert cn_number("九十五") == 95 and cn_number("一百") == 100 and cn_number("十二") == 12


def test_full_coverage_reads_100_but_an_effort_does_not():
    f = one("实现乡镇儿童督导员全覆盖。")
    assert (f.name, f.op, f.value) == ("乡镇儿童督导员覆盖率", ">=", 100)
    found, _ = read("推进乡镇儿童督导员全覆盖。")
    assert not found
    found, _ = read("基本实现农村寄宿制学校心理辅导室全覆盖。")
    assert not found


def test_range():
    f = one("创建2-3所儿童友好医院。")
    assert (f.op, f.value) == ("range", [2, 3])


def test_continue_to_raise_after_a_milestone():
    found, _ = read("女性就业人员比例2025年达到45%，2030年在此基础上继续提高。")
    assert [(f.year, f.op) for f in found] == [(2025, ">="), (2030, ">")]
    assert found[1].reached_in == 2025 and found[1].name == found[0].name


def test_bracketed_national_target_left_out():
    found, left = read("女童入学率达到99%以上。（国家目标为98%；省目标为98.5%）")
    assert [(f.name, f.value) for f in found] == [("女童入学率", 99)]
    assert any("国家" in x.reason for x in left)


def test_counts_of_the_plans_parts_are_not_targets():
    found, _ = read("围绕七个领域提出两个方面的任务。")
    assert found == []


def test_number_without_comparator_is_left_for_review():
    found, left = read("儿童参与率85%，比上年有所提高。")
    assert found == []
    assert left and "无比较词" in left[0].reason


def test_past_figure_is_not_a_target():
    found, left = read("2019年全县儿童入园率为88%。", period=(2021, 2025))
    assert found == []
    assert left


def test_trend_controlled_is_a_direction():
    found, _ = read("学生超重率上升趋势得到有效控制。")
    assert [(f.op, f.direction) for f in found] == [("direction", "not_up")]


def test_revision_replaces_the_clause():
    found, left = read("实现儿童图书馆全覆盖（改：加强儿童图书馆建设），每年开展阅读活动。")
    assert found == []
    assert any("改" in x.reason for x in left)


def test_later_short_subjects_share_the_topic():
    found, _ = read("保证每天阅读时间小学生达到1小时、初中生达到1.5小时、高中生达到2小时。")
    assert [(f.name, f.value) for f in found] == [
        ("小学生每天阅读时间", 1),
        ("初中生每天阅读时间", 1.5),
        ("高中生每天阅读时间", 2),
    ]


def test_bare_measure_takes_the_previous_clause():
    found, _ = read("推动各村建立儿童之家，覆盖率达到80%以上。")
    assert [(f.name, f.value) for f in found] == [("各村建立儿童之家覆盖率", 80)]
    assert "name_from_previous" in found[0].flags
