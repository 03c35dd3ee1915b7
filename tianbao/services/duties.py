"""填报分工: who reports each indicator of a plan for a parent unit.

For a parent unit (a district, or a city) and a plan, every indicator is reported by one of
- a member department of the parent (``Source("department", unit_code)``),
- the geographic sub-units (townships, or counties for a city) (``Source("subunits", None)``),
- the office itself (``Source("self", None)``).

PUBLIC API (other services build on it):
    Duties(db).source_of(parent_code, plan_id) -> dict[str, Source]
    Duties(db).indicators_for(unit_code, plan_id) -> list[str] | None   (None = all indicators)
"""

from __future__ import annotations

from dataclasses import dataclass

from db.engine import Database

KINDS = ("department", "subunits", "self")


@dataclass(frozen=True)
class Source:
    kind: str  # "department" | "subunits" | "self"
    unit_code: str | None = None


class Duties:
    def __init__(self, db: Database, user: str = "") -> None:
        self.db = db
        self.user = user

    def source_of(self, parent_code: str, plan_id: str) -> dict[str, Source]:
        """Indicator code → who reports it, for every indicator of the plan's latest version."""
        raise NotImplementedError  # filled in shortly (issue 13)

    def indicators_for(self, unit_code: str, plan_id: str) -> list[str] | None:
        """The indicator codes a unit reports; None = all (no duties set by its parent)."""
        return None
