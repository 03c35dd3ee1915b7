"""ReturnService.refreshed: after a save, only the changed indicators' rows are read again —
and the result is the same view a whole re-read gives, or the whole re-read itself when anyone
else changed the return meanwhile."""

import pytest

from db import repo
from db.engine import open_database
from db.repo import ConflictError
from tianbao.domain.values import Entry
from tianbao.services.aggregation import aggregate
from tianbao.services.returns import ReturnService

PLAN = "qingyuan-children"  # H08 a percentage with a target; H11 ≥90% in every township


@pytest.fixture
def db(tmp_path):
    d = open_database(tmp_path / "refresh.sqlite", backups=False)
    with d.session() as s:
        repo.add_unit(s, "D", "甲区", "county")
        repo.add_unit(s, "T1", "一街道", "township", "D")
        repo.add_unit(s, "T2", "二镇", "township", "D")
    yield d
    d.close()


def same_view(a, b):
    assert a.info == b.info
    assert a.reported == b.reported
    assert len(a.rows) == len(b.rows)
    for x, y in zip(a.rows, b.rows, strict=True):
        assert x == y, x.indicator.code


def test_rows_of_a_saved_indicator_are_rebuilt_with_previous_year_and_baseline(db):
    svc = ReturnService(db, user="王芳")
    with db.session() as s:
        repo.set_baseline(s, repo.unit_by_code(s, "T1"), PLAN, "S02", 2020, 10.0)
    prev = svc.open("T1", PLAN, 2023).id
    svc.save_entry(prev, "H08", "", Entry(number=98))
    rid = svc.open("T1", PLAN, 2024).id
    view = svc.view(rid)
    seen = view.row("H08").entry
    svc.save_entry(rid, "H08", "", Entry(number=80), expected=seen)
    after = svc.refreshed(view, ["H08"])
    row = after.row("H08")
    assert row.entry == Entry(number=80) and row.previous == 98
    assert {f.code for _c, f in row.warnings} >= {"yoy_change", "target_not_met"}
    assert after.info.changes == view.info.changes + 1
    # The other rows are the very objects of the view it was given (nothing else read).
    assert all(
        a is b for a, b in zip(view.rows, after.rows, strict=True) if a.indicator.code != "H08"
    )
    same_view(after, svc.view(rid))
    # A relative target's baseline is read for the rebuilt row.
    svc.save_entry(rid, "S02", "", Entry(number=7.5))
    after2 = svc.refreshed(after, ["S02"])
    assert after2.row("S02").baseline == (2020, 10.0)
    assert after2.row("S02").status.status == "met"
    same_view(after2, svc.view(rid))


def test_another_users_change_meanwhile_is_read_too(db):
    mine, theirs = ReturnService(db, user="王芳"), ReturnService(db, user="李强")
    rid = mine.open("T1", PLAN, 2024).id
    view = mine.view(rid)
    theirs.save_entry(rid, "H07", "", Entry(number=97.5))  # another indicator, another user
    mine.save_entry(rid, "H08", "", Entry(number=96))
    after = mine.refreshed(view, ["H08"])
    assert after.row("H07").entry == Entry(number=97.5)  # the whole return was read again
    assert after.row("H08").entry == Entry(number=96)
    same_view(after, mine.view(rid))


def test_a_refused_save_leaves_the_view_as_stored(db):
    mine, theirs = ReturnService(db, user="王芳"), ReturnService(db, user="李强")
    rid = mine.open("T1", PLAN, 2024).id
    mine.save_entry(rid, "H08", "", Entry(number=90))
    view = mine.view(rid)
    theirs.save_entry(rid, "H08", "", Entry(number=91), expected=Entry(number=90))
    with pytest.raises(ConflictError) as e:
        mine.save_entry(rid, "H08", "", Entry(number=92), expected=Entry(number=90))
    assert e.value.user == "李强" and "为避免覆盖" in str(e.value)
    after = mine.refreshed(view, ["H08"])
    assert after.row("H08").entry == Entry(number=91)  # theirs, not overwritten
    same_view(after, mine.view(rid))


def test_per_sub_unit_values_are_read_for_the_rebuilt_row(db):
    svc = ReturnService(db)
    for unit, (num, den) in (("T1", (95, 100)), ("T2", (85, 100))):
        svc.save_entry(
            svc.open(unit, PLAN, 2024).id, "H11", "", Entry(numerator=num, denominator=den)
        )
    rid = aggregate(db, "D", PLAN, 2024).return_id
    view = svc.view(rid)
    svc.save_entry(rid, "H11", "", Entry(numerator=190, denominator=200))
    row = svc.refreshed(view, ["H11"]).row("H11")
    assert row.subunits == {"一街道": pytest.approx(95.0), "二镇": pytest.approx(85.0)}
    assert row.status.subunits_met == (1, 2) and row.status.status == "not_met"
    same_view(svc.refreshed(view, ["H11"]), svc.view(rid))
