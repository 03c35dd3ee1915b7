"""The return service, aggregation and monitoring on a real SQLite file and real catalogue indicators."""

from datetime import date

import pytest

from db import repo
from db.engine import open_database
from db.repo import InputError
from tianbao.domain.values import Entry
from tianbao.services.aggregation import aggregate
from tianbao.services.monitoring import monitor, rank
from tianbao.services.returns import ReturnService, SignOff, SubmitBlocked

PLAN = "qingyuan-children"  # H04 婴儿死亡率 ‰; H11 免疫规划疫苗接种率, ≥90% in every township


@pytest.fixture
def db(tmp_path):
    d = open_database(tmp_path / "svc.sqlite", backups=False)
    with d.session() as s:
        repo.add_unit(s, "D", "甲区", "county")
        repo.add_unit(s, "T1", "一街道", "township", "D")
        repo.add_unit(s, "T2", "二镇", "township", "D")
        repo.add_unit(s, "WJ", "区卫健局", "department", "D")
    yield d
    d.close()


def test_worked_example_district_rate_from_summed_counts(db):
    """T1: 2 deaths / 400 births (5‰); T2: 6 / 3600 (1.67‰).  District: 8 / 4000 = 2‰, not (5+1.67)/2."""
    svc = ReturnService(db)
    t1 = svc.open("T1", PLAN, 2024).id
    t2 = svc.open("T2", PLAN, 2024).id
    svc.save_entry(t1, "H04", "", Entry(numerator=2, denominator=400))
    svc.save_entry(t2, "H04", "", Entry(numerator=6, denominator=3600))
    svc.save_entry(t1, "H01", "", Entry(choice="yes"))
    svc.save_entry(t2, "H01", "", Entry(choice="no"))
    result = aggregate(db, "D", PLAN, 2024)
    assert (result.reported, result.expected) == (2, 2)  # departments are not sub-units
    view = svc.view(result.return_id)
    h04 = view.row("H04")
    assert h04.entry == Entry(numerator=8, denominator=4000)
    assert h04.value == pytest.approx(2.0)
    assert h04.status.status == "met"  # ≤3‰
    h01 = view.row("H01")
    assert h01.entry.choice == "partly" and h01.entry.tally == (1, 0, 1)  # a tally, not text
    audit = svc.history(result.return_id, "H04")
    assert audit[-1].source == "aggregated"


def test_aggregation_reports_missing_sub_units_and_rates_without_counts(db):
    svc = ReturnService(db)
    t1 = svc.open("T1", PLAN, 2024).id
    svc.save_entry(t1, "H04", "", Entry(number=2.5))  # a rate typed without its counts
    result = aggregate(db, "D", PLAN, 2024)
    assert result.reported == 1 and result.missing_units == ("二镇",)
    assert any("H04" in n and "分子分母" in n for n in result.notes)
    assert svc.view(result.return_id).row("H04").entry.empty


def test_per_sub_unit_target_is_judged_on_each_township(db):
    svc = ReturnService(db)
    for unit, (num, den) in (("T1", (95, 100)), ("T2", (85, 100))):
        svc.save_entry(
            svc.open(unit, PLAN, 2024).id, "H11", "", Entry(numerator=num, denominator=den)
        )
    rid = aggregate(db, "D", PLAN, 2024).return_id
    row = svc.view(rid).row("H11")
    assert row.value == pytest.approx(90.0)  # the total alone would meet ≥90%
    assert row.status.status == "not_met"
    assert row.status.subunits_met == (1, 2)
    assert row.subunits == {"一街道": pytest.approx(95.0), "二镇": pytest.approx(85.0)}


def test_every_change_is_audited_and_locked_returns_refuse_edits(db):
    svc = ReturnService(db, user="张三")
    rid = svc.open("T1", PLAN, 2024).id
    svc.save_entry(rid, "H08", "", Entry(number=96))
    svc.save_entry(rid, "H08", "", Entry(number=97))
    assert not svc.save_entry(rid, "H08", "", Entry(number=97)).changed
    rows = svc.history(rid, "H08")
    assert [(r.old, r.new) for r in rows] == [
        (None, '{"number": 96}'),
        ('{"number": 96}', '{"number": 97}'),
    ]
    assert rows[0].user == "张三" and rows[0].source == "typed"
    with db.session() as s:
        r = s.get(repo.Return, rid)
        r.status = "submitted"
    with pytest.raises(InputError, match="锁定"):
        svc.save_entry(rid, "H08", "", Entry(number=50))
    assert svc.view(rid).row("H08").entry.number == 97


def test_submit_lists_every_blocker_then_succeeds(db):
    svc = ReturnService(db)
    plan_rows = svc.view(svc.open("T1", PLAN, 2024).id).rows
    rid = svc.open("T1", PLAN, 2024).id
    with pytest.raises(SubmitBlocked) as e:
        svc.submit(rid, SignOff())
    reasons = e.value.reasons
    assert any("未填报" in r for r in reasons)
    assert any("单位负责人" in r for r in reasons)
    # Explaining a value that cannot be had makes the gap acceptable.
    for row in plan_rows:
        svc.save_explanation(rid, row.indicator.code, "本单位不承担此项统计。")
    signoff = SignOff("张三", "李四", "王五", "123", date(2025, 1, 10))
    svc.submit(rid, signoff)
    info = svc.info(rid)
    assert info.status == "submitted" and info.signoff == signoff
    with pytest.raises(InputError, match="原因"):
        svc.unlock(rid, "  ")
    svc.unlock(rid, "数据更正")
    assert svc.info(rid).status == "draft"


def test_wrong_input_changes_nothing(db):
    svc = ReturnService(db)
    rid = svc.open("T1", PLAN, 2024).id
    with pytest.raises(InputError, match="H99"):
        svc.save_entry(rid, "H99", "", Entry(number=1))
    with pytest.raises(InputError, match="是 / 部分 / 否"):
        svc.save_entry(rid, "H01", "", Entry(number=1))
    with pytest.raises(InputError, match="分组"):
        svc.save_entry(rid, "H08", "sex=female", Entry(number=1))
    with pytest.raises(InputError, match="规划期"):
        svc.open("T1", PLAN, 2050)
    with pytest.raises(InputError, match="单位"):
        svc.open("NOPE", PLAN, 2024)
    assert svc.history(rid) == []


def test_previous_year_and_baseline_drive_warnings_and_relative_targets(db):
    svc = ReturnService(db)
    with db.session() as s:
        repo.set_baseline(s, repo.unit_by_code(s, "T1"), PLAN, "S02", 2020, 10.0)
    prev = svc.open("T1", PLAN, 2023).id
    svc.save_entry(prev, "H08", "", Entry(number=98))
    rid = svc.open("T1", PLAN, 2024).id
    svc.save_entry(rid, "H08", "", Entry(number=80))
    row = svc.view(rid).row("H08")
    assert row.previous == 98
    assert {f.code for _c, f in row.warnings} >= {"yoy_change", "target_not_met"}
    # 儿童伤害死亡率 to fall 20% from the 2020 base: 7.5 is a fall of 25%.
    svc.save_entry(rid, "S02", "", Entry(number=7.5))
    s02 = svc.view(rid).row("S02")
    assert s02.baseline == (2020, 10.0)
    assert s02.status.status == "met"


def test_monitoring_attainment_warnings_and_ranking(db):
    svc = ReturnService(db)
    for year, (a, b) in ((2022, (4.0, 5.0)), (2023, (3.6, 4.4)), (2024, (3.3, 3.9))):
        for unit, v in (("T1", a), ("T2", b)):
            rid = svc.open(unit, PLAN, year).id
            svc.save_entry(rid, "H04", "", Entry(numerator=round(v * 10), denominator=10000))
            svc.save_entry(rid, "H08", "", Entry(numerator=96, denominator=100))
        aggregate(db, "D", PLAN, year)
    rep = monitor(db, "D", PLAN, 2024)
    assert rep.overall.assessed == 2
    assert rep.overall.met == 1  # H08 met; H04 3.6‰ > 3‰ not met
    assert rep.series["H04"][2022] == pytest.approx(4.5)
    names = [r[0] for r in rank(db, "D", PLAN, 2024, "H04")]
    assert names == ["一街道", "二镇"]
    assert rep.to_json()["attainment"]["met"] == 1


def test_unit_and_form_mark_changes_are_in_the_history(db):
    from sqlalchemy import select

    from db.models import Audit
    from db.plans import get_plan, set_form_marks
    from tianbao.domain.catalogue import FormMarks

    with db.session() as s:
        repo.add_unit(s, "T3", "三村", "village", "T1")
        repo.rename_unit(s, "T3", "三社区")
        repo.delete_unit(s, "T3")
        set_form_marks(s, PLAN, FormMarks(table_no="妇儿1表"))
        set_form_marks(s, PLAN, FormMarks(table_no="妇儿1表"))  # unchanged: no new entry
        plan = get_plan(s, PLAN)
    with db.session() as s:
        rows = s.scalars(select(Audit).where(Audit.return_id.is_(None)).order_by(Audit.id)).all()
        actions = [
            (a.action, a.old, a.new) for a in rows if a.action != "unit_add" or "T3" in a.new
        ]
    assert [a for a, _o, _n in actions] == ["unit_add", "unit_rename", "unit_delete", "form_marks"]
    assert actions[1][1:] == ("T3 三村", "T3 三社区")
    assert "妇儿1表" in actions[3][2]
    assert plan.id == PLAN


def test_reading_a_missing_return_creates_nothing(db):
    from sqlalchemy import func, select

    with pytest.raises(InputError, match="汇总"):
        monitor(db, "D", PLAN, 2024)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(repo.Return)) == 0
