"""The whole draft: structure, merged restatements, left-out numbers, flags, counts, and the
real catalogue loader accepting the saved draft (of the invented plan and of every seed)."""

from __future__ import annotations

import tomllib

import pytest

from tests.support.plantext import PLAN_TEXT
from tianbao.domain.catalogue import load_plan_file, plan_from_dict
from tianbao.plantext import DraftError, draft_plans, draft_text, read_plan_file, read_plan_text
from tianbao.plantext.dictionary import Dictionary


@pytest.fixture(scope="module")
def draft():
    return draft_text(PLAN_TEXT, source="示范县.txt")


def _ind(d, name):
    return next(i for i in d.plan["indicators"] if i["name"] == name)


def test_header(draft):
    p = draft.plan
    assert (p["title"], p["region"], p["kind"], p["period"], p["base_year"]) == (
        "示范县儿童发展规划（2021—2030年）",
        "示范县",
        "children",
        [2021, 2030],
        2020,
    )
    assert [d["code"] for d in p["domains"]] == ["health", "education"]
    assert [d["name"] for d in p["domains"]] == ["儿童与健康", "儿童与教育"]


def test_indicators_get_dictionary_definitions(draft):
    imr = _ind(draft, "婴儿死亡率")
    assert (imr["kind"], imr["unit"], imr["scale"], imr["better"]) == ("rate", "‰", 1000, "lower")
    assert imr["numerator"] and imr["denominator"]
    assert _ind(draft, "学前教育毛入园率").get("gross") is True


def test_restated_target_is_one_indicator_with_two_sources(draft):
    imr = _ind(draft, "婴儿死亡率")
    assert [s["line"] for s in imr["sources"]] == [12, 16]
    assert [(t["op"], t["value"], t["line"]) for t in imr["targets"]] == [("<=", 3.5, 12)]


def test_target_forms(draft):
    vac = _ind(draft, "适龄儿童免疫规划疫苗接种率")["targets"][0]
    assert (vac["op"], vac["value"], vac["each"]) == (">=", 95, "乡镇（街道）")
    inj = _ind(draft, "儿童伤害死亡率")["targets"][0]
    assert (inj["op"], inj["value"], inj["change_unit"], inj["basis"], inj["base_year"]) == (
        "change",
        -25,
        "percent",
        "base_year",
        2020,
    )
    enrol = _ind(draft, "学前教育毛入园率")["targets"]
    assert [(t["year"], t["value"]) for t in enrol] == [(2025, 92), (2030, 95)]
    kg = next(i for i in draft.plan["indicators"] if "公办中心幼儿园" in i["name"])
    assert (kg["kind"], kg["unit"], kg["targets"][0]["each"]) == ("count", "所", "乡镇")


def test_qualitative_goal_lines_become_yes_no(draft):
    yes = [i for i in draft.plan["indicators"] if i["kind"] == "yesno"]
    assert [i["targets"][0]["line"] for i in yes] == [11, 20]
    assert all(i["targets"][0]["op"] == "qualitative" for i in yes)


def test_non_targets_left_out_with_reasons(draft):
    values = {(t.get("value")) for i in draft.plan["indicators"] for t in i["targets"]}
    assert 4.1 not in values and 88 not in values and 5.0 not in values and 2 not in values
    reasons = {x["line"]: x["reason"] for x in draft.left_out}
    assert "前言" in reasons[4]
    assert "国家" in reasons[12]
    assert 24 in reasons  # 组织实施


def test_counts_and_note(draft):
    c = draft.counts
    assert c == {**c, "indicators": 9, "quantified": 8, "qualitative": 2}
    assert "9 个指标" in draft.plan["note"] and "待核" in draft.plan["note"]
    assert c["flags"] == len(draft.flags)


def test_flags_for_uncertain_items():
    d = draft_text(
        "示范区妇女发展规划（2021—2025年）\n（一）妇女与健康\n主要目标：\n"
        "1.妇女骨密度筛查率达到70%。\n2.女职工体检率以街道为单位达到85%，职工心理咨询率达到40%。\n"
        "3.妇女健康档案建档率75%，稳步提高。\n"
    )
    flags = {(f["name"], f["flag"]) for f in d.flags}
    assert ("妇女骨密度筛查率", "unknown_indicator") in flags  # not in the dictionary
    assert any(f["flag"] == "unmatched_number" and f["line"] == 6 for f in d.flags)
    ind = next(i for i in d.plan["indicators"] if i["name"] == "妇女骨密度筛查率")
    assert "待核" in ind["note"]
    assert d.plan["kind"] == "women" and d.plan["domains"][0]["code"] == "health"


def test_saved_draft_passes_the_loader(draft, tmp_path):
    path = tmp_path / "draft.toml"
    path.write_text(draft.to_toml(), encoding="utf-8")
    plan = load_plan_file(path)
    assert plan.quantified_target_count == draft.counts["quantified"]
    assert len(plan.indicators) == draft.counts["indicators"]
    assert tomllib.loads(path.read_text(encoding="utf-8")) == draft.plan


def test_no_targets_is_a_known_error():
    with pytest.raises(DraftError) as e:
        draft_plans(read_plan_text("关于召开会议的通知\n请各单位准时参加。\n"))
    assert "没有找到任何量化目标" in str(e.value)


def test_dictionary_leave_one_out_and_extend(tmp_path):
    full = Dictionary.builtin()
    lo = Dictionary.builtin(exclude={"qingyuan-children"})
    assert full.lookup("5岁以下儿童乙型肝炎病毒表面抗原流行率") is not None
    assert lo.lookup("5岁以下儿童乙型肝炎病毒表面抗原流行率") is None
    assert len(lo) < len(full)
    extra = tmp_path / "own.toml"
    extra.write_text(
        'id = "own"\n[[indicators]]\nname = "妇女骨密度筛查率"\nunit = "%"\nkind = "rate"\n'
        'scale = 100\nnumerator = "接受骨密度筛查的妇女数"\ndenominator = "应筛查妇女数"\n'
        'better = "higher"\n',
        encoding="utf-8",
    )
    assert lo.add_file(extra) == 1
    d = draft_text(
        "示范区妇女发展规划（2021—2025年）\n（一）妇女与健康\n主要目标：\n1.妇女骨密度筛查率达到70%以上。\n",
        dictionary=lo,
    )
    ind = d.plan["indicators"][0]
    assert ind["numerator"] == "接受骨密度筛查的妇女数"
    assert not any(f["flag"] == "unknown_indicator" for f in d.flags)


@pytest.mark.slow
def test_every_seed_drafts_and_loads(seeds_dir, tmp_path):
    kinds = []
    for seed in sorted(seeds_dir.glob("*.txt")):
        for d in draft_plans(read_plan_file(seed)):
            kinds.append(d.plan["kind"])
            assert d.counts["quantified"] >= 25, seed.name
            out = tmp_path / f"{d.plan['id']}.toml"
            out.write_text(d.to_toml(), encoding="utf-8")
            plan = load_plan_file(out)
            plan_from_dict(d.plan, origin=seed.name)
            assert plan.quantified_target_count == d.counts["quantified"]
            lines = d.lines
            for ind in d.plan["indicators"]:
                for t in ind["targets"]:
                    # every quote is on its line (whitespace aside)
                    assert t["quote"] in "".join(lines[t["line"] - 1].split()), (seed.name, t)
    assert sorted(kinds) == ["children"] * 5 + ["women"]


def test_pdf_page_numbers_and_domains_without_goal_headings():
    text = (
        "某县妇女发展规划（2021—2025年）\n一、妇女与健康\n1.孕产妇系统管理率达到\n— 3 —\n95%以上。\n"
        "2.妇女健康素养水平稳步提升。\n二、妇女与教育\n【主要目标】\n1.女性高中阶段毛入学率达到96%以上。\n"
    )
    d = draft_text(text)
    got = [
        (i["domain"], i["name"], t.get("value"), t["line"])
        for i in d.plan["indicators"]
        for t in i["targets"]
    ]
    assert ("health", "孕产妇系统管理率", 95, 5) in got
    assert ("education", "女性高中阶段毛入学率", 96, 9) in got
    assert any(i["kind"] == "yesno" and i["targets"][0]["line"] == 6 for i in d.plan["indicators"])
