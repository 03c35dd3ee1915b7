"""Deleting a member department that reports indicators: its duties go with it, each one in the
duties history with the real user, what it was and what the indicator falls back to."""

import pytest

from db import repo
from db.engine import open_database
from tianbao.domain.errors import KnownError
from tianbao.services import units as unit_service
from tianbao.services.duties import Duties, Source

PLAN = "xinhua-children"
WJ, JY = "XH-WJ", "XH-JY"
HEALTH = ["H03", "H04", "H05", "H24"]


@pytest.fixture
def db(tmp_path):
    d = open_database(tmp_path / "del.sqlite", backups=False)
    with d.session() as s:
        repo.add_unit(s, "XH", "新华区", "county")
        repo.add_unit(s, "T1", "西市场街道", "township", "XH")
        repo.add_unit(s, WJ, "区卫生健康局", "department", "XH")
        repo.add_unit(s, JY, "区教育局", "department", "XH")
    Duties(d, user="办公室").set("XH", PLAN, HEALTH, WJ)
    yield d
    d.close()


def test_deleting_a_department_records_each_of_its_indicators(db):
    assert unit_service.duties_reported_by(db, WJ) == len(HEALTH)
    assert unit_service.duties_reported_by(db, JY) == 0
    before = len(Duties(db).history("XH"))
    assert unit_service.delete_unit(db, WJ, user="王五") == len(HEALTH)
    rows = Duties(db).history("XH")[before:]
    assert sorted(r.indicator for r in rows) == sorted(HEALTH)
    for r in rows:
        assert (r.user, r.old, r.new) == ("王五", "区卫生健康局", "本级")
        assert "删除单位“区卫生健康局”" in r.reason and PLAN in r.reason
    src = Duties(db).source_of("XH", PLAN)
    assert all(src[c] == Source("self", None) for c in HEALTH)


def test_the_unit_deletion_itself_carries_the_user(db):
    from sqlalchemy import select

    from db.models import Audit

    unit_service.delete_unit(db, JY, user="赵六")
    with db.session() as s:
        a = s.scalars(select(Audit).where(Audit.action == "unit_delete")).one()
        assert a.user == "赵六" and a.old.startswith(JY)


def test_a_refused_deletion_keeps_the_duties(db):
    from tianbao.services.returns import ReturnService

    ReturnService(db).open(WJ, PLAN, 2025)  # a department that has a return cannot go
    before = len(Duties(db).history("XH"))
    with pytest.raises(KnownError, match="已有报表"):
        unit_service.delete_unit(db, WJ, user="王五")
    assert Duties(db).indicators_for(WJ, PLAN) == HEALTH
    assert len(Duties(db).history("XH")) == before


def test_a_department_reporting_only_by_the_plans_default_is_recorded_too(db):
    """No stored row names 区教育局, but a plan lists it as the responsible department of E04:
    the confirmation counts it and the deletion writes the change into the duties history."""
    from dataclasses import replace

    from db.plans import get_plan, save_plan_version

    with db.session() as s:
        plan = get_plan(s, PLAN)
        local = replace(
            plan,
            id="xinhua-local",
            domains=tuple(
                replace(
                    d,
                    indicators=tuple(
                        replace(i, departments=("教育局",) if i.code == "E04" else ())
                        for i in d.indicators
                    ),
                )
                for d in plan.domains
            ),
        )
        save_plan_version(s, local)
    assert Duties(db).source_of("XH", "xinhua-local")["E04"] == Source("department", JY)
    assert unit_service.duties_reported_by(db, JY) == 1
    before = len(Duties(db).history("XH"))
    assert unit_service.delete_unit(db, JY, user="赵六") == 1
    (row,) = Duties(db).history("XH")[before:]
    assert (row.indicator, row.user, row.old, row.new) == ("E04", "赵六", "区教育局", "本级")
    assert "xinhua-local" in row.reason
    assert Duties(db).source_of("XH", "xinhua-local")["E04"] == Source("self", None)
