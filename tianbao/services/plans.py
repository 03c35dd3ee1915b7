"""Plans as the desktop works with them: read one, list the latest, store a workbook's plan, form marks.

Each function is one unit of work in its own session and returns plain frozen data (``Plan``,
``FormMarks``); reading the workbook itself is the Excel layer's job, done by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from db import plans as plan_repo
from db.engine import Database
from tianbao.domain.catalogue import FormMarks, Plan


@dataclass(frozen=True)
class StoredPlan:
    plan: Plan
    new_plan: bool  # False: a new version of a plan that was there already


def get_plan(db: Database, plan_id: str, version: int | None = None) -> Plan:
    with db.session() as s:
        return plan_repo.get_plan(s, plan_id, version)


def latest_plans(db: Database) -> list[Plan]:
    with db.session() as s:
        return plan_repo.latest_plans(s)


def store_plan(db: Database, plan: Plan, origin: str = "") -> StoredPlan:
    """A plan read from a plan workbook, stored as a new plan or the next version of its id."""
    with db.session() as s:
        exists = plan.id in plan_repo.plan_ids(s)
        stored = plan_repo.save_plan_version(s, plan, origin=origin)
    return StoredPlan(stored, new_plan=not exists)


def form_marks(db: Database, plan_id: str) -> FormMarks:
    """表号, 制定机关, 批准机关, 批准文号, 有效期至 as set in this office (else the catalogue's)."""
    with db.session() as s:
        return plan_repo.form_marks(s, plan_repo.get_plan(s, plan_id))


def set_form_marks(db: Database, plan_id: str, marks: FormMarks) -> None:
    with db.session() as s:
        plan_repo.get_plan(s, plan_id)
        plan_repo.set_form_marks(s, plan_id, marks)
