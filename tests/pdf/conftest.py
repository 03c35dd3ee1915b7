"""Databases and PDF readers shared by the PDF tests."""

from __future__ import annotations

import pytest

from db import repo
from db.engine import open_database
from db.plans import get_plan, set_form_marks
from tests.support.pdf import EXPLANATION, MARKS, SIGNOFF, YEAR
from tianbao.domain.values import Entry, cells_of
from tianbao.services.demo import DEMO_PLAN, make_demo
from tianbao.services.returns import ReturnService


@pytest.fixture
def filled(tmp_path):
    """A township's return on a real built-in plan: a rate with counts and breakdowns, a count,
    a yes/no goal, last year's values, an explanation, form marks and a sign-off."""
    db = open_database(tmp_path / "t.sqlite", backups=False)
    with db.session() as s:
        repo.add_unit(s, "D1", "测试区", "county")
        repo.add_unit(s, "T1", "测试街道", "township", "D1")
        plan = get_plan(s, DEMO_PLAN)
        set_form_marks(s, plan.id, MARKS)
    rate = next(i for i in plan.indicators if i.kind == "rate" and i.disaggregation)
    number = next(i for i in plan.indicators if i.kind in ("count", "duration", "amount"))
    yesno = next(i for i in plan.indicators if i.kind == "yesno")
    svc = ReturnService(db)
    prev = svc.open("T1", plan.id, YEAR - 1).id
    svc.save_entry(prev, rate.code, "", Entry(numerator=4, denominator=1600))
    svc.save_entry(prev, number.code, "", Entry(number=11))
    rid = svc.open("T1", plan.id, YEAR).id
    svc.save_entry(rid, rate.code, "", Entry(numerator=3, denominator=1537))
    sub = cells_of(rate)[1][0]
    svc.save_entry(rid, rate.code, sub, Entry(numerator=1, denominator=811))
    svc.save_entry(rid, number.code, "", Entry(number=12))
    svc.save_entry(rid, yesno.code, "", Entry(choice="partly"))
    svc.save_explanation(rid, rate.code, EXPLANATION)
    svc.save_signoff(rid, SIGNOFF)
    yield {
        "db": db,
        "id": rid,
        "plan": plan,
        "rate": rate,
        "number": number,
        "yesno": yesno,
        "svc": svc,
    }
    db.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The demonstration database (a district, 11 townships, three years) — built once."""
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.sqlite", backups=False)
    make_demo(db)
    yield db
    db.close()
