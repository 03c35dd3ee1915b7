"""收报情况: which member departments and sub-units have reported, what is missing, who is late.

For a parent unit, a plan and a year, one line per unit that owes a return under the division of
reporting duties (填报分工; its defaults while the office has not set it): the indicators
assigned, how many are filled, errors, warnings not yet explained, whether it has submitted, and
the last file imported into its return (when, which file, the file's SHA-256 and the return's
fingerprint).  Reading never creates a return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from db import repo
from db.engine import Database
from db.models import ImportedFile
from db.plans import get_plan
from tianbao.domain.fingerprint import view_fingerprint
from tianbao.services.duties import Duties
from tianbao.services.returns import ReturnService

STATE_LABELS = {"none": "未报", "draft": "填报中", "submitted": "已报送", "locked": "已报送"}


@dataclass(frozen=True)
class UnitProgress:
    unit_code: str
    unit_name: str
    kind: str  # "department" | "subunit"
    assigned: tuple[str, ...]  # indicator codes it reports
    filled: int
    errors: int
    unexplained: int  # warnings without an explanation
    missing: tuple[str, ...]  # required indicators neither filled nor explained
    state: str  # none | draft | submitted | locked
    submitted_at: datetime | None
    return_id: int | None
    fingerprint: str  # of the return's values ("" if no return)
    imported_at: datetime | None
    imported_file: str
    imported_sha256: str

    @property
    def submitted(self) -> bool:
        return self.state in ("submitted", "locked")

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.errors and not self.unexplained


@dataclass(frozen=True)
class Progress:
    parent_code: str
    parent_name: str
    plan_id: str
    plan_title: str
    year: int
    explicit: bool  # the division has been set by the office (else its defaults)
    units: tuple[UnitProgress, ...]
    names: dict[str, str]  # indicator code → name, for the missing lists

    @property
    def submitted(self) -> int:
        return sum(u.submitted for u in self.units)

    @property
    def late(self) -> tuple[UnitProgress, ...]:
        """The units that have not submitted."""
        return tuple(u for u in self.units if not u.submitted)

    def to_json(self) -> dict:
        return {
            "parent": self.parent_code,
            "plan": self.plan_id,
            "year": self.year,
            "duties_set": self.explicit,
            "submitted": self.submitted,
            "units": [
                {
                    "code": u.unit_code,
                    "name": u.unit_name,
                    "kind": u.kind,
                    "assigned": len(u.assigned),
                    "filled": u.filled,
                    "errors": u.errors,
                    "unexplained": u.unexplained,
                    "missing": list(u.missing),
                    "state": u.state,
                    "submitted_at": u.submitted_at.isoformat() if u.submitted_at else None,
                    "fingerprint": u.fingerprint,
                    "imported_at": u.imported_at.isoformat() if u.imported_at else None,
                    "imported_file": u.imported_file,
                    "imported_sha256": u.imported_sha256,
                }
                for u in self.units
            ],
        }


def progress(db: Database, parent_code: str, plan_id: str, year: int) -> Progress:
    duties = Duties(db)
    table = duties.table(parent_code, plan_id)
    svc = ReturnService(db)
    with db.session() as s:
        plan = get_plan(s, plan_id)
        names = {i.code: i.name for i in plan.indicators}
    lines: list[UnitProgress] = []
    for reporter, codes in duties.assignments(parent_code, plan_id):
        with db.session() as s:
            unit = repo.unit_by_code(s, reporter.code)
            r = repo.find_return(s, unit.id, plan_id, year)
            return_id = r.id if r else None
            imp = (
                s.scalars(
                    select(ImportedFile)
                    .where(ImportedFile.return_id == r.id)
                    .order_by(ImportedFile.imported_at.desc())
                ).first()
                if r
                else None
            )
            imported = (imp.imported_at, imp.name, imp.sha256) if imp else (None, "", "")
        kind = "department" if reporter.kind == "department" else "subunit"
        if return_id is None:
            lines.append(
                UnitProgress(
                    reporter.code,
                    reporter.name,
                    kind,
                    tuple(codes),
                    0,
                    0,
                    0,
                    tuple(c for c in codes if plan.indicator(c).kind != "text"),
                    "none",
                    None,
                    None,
                    "",
                    *imported,
                )
            )
            continue
        view = svc.view(return_id)
        # The rows it owes: those of the division as it stands now (its return's own list may
        # be None when the division was set after the return was filled).
        rows = [view.row(c) for c in codes if any(r.indicator.code == c for r in view.rows)]
        lines.append(
            UnitProgress(
                reporter.code,
                reporter.name,
                kind,
                tuple(codes),
                sum(r.filled for r in rows),
                sum(len(r.errors) for r in rows),
                sum(r.needs_explanation for r in rows),
                tuple(r.indicator.code for r in rows if r.missing and not r.explanation.strip()),
                view.info.status,
                view.info.submitted_at,
                return_id,
                view_fingerprint(view),
                *imported,
            )
        )
    return Progress(
        table.parent_code,
        table.parent_name,
        table.plan_id,
        table.plan_title,
        year,
        table.explicit,
        tuple(lines),
        names,
    )
