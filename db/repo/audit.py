"""The audit trail: where a change came from (Origin), one row per changed cell, and its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import (
    Audit,
)
from db.repo.concurrency import _who, local_time, now_utc


@dataclass(frozen=True)
class Origin:
    """Where a change comes from, for the audit trail."""

    source: str = "typed"  # typed | imported | aggregated | system
    user: str = ""
    file: str = ""
    sha256: str = ""
    reason: str = ""


TYPED = Origin()


def _cell_label(indicator: str, cell: str) -> str:
    return f"指标 {indicator}" + (f"（{cell}）" if cell else "")


def audit(
    s: Session,
    return_id: int | None,
    action: str,
    origin: Origin = TYPED,
    *,
    indicator: str = "",
    cell: str = "",
    old: str | None = None,
    new: str | None = None,
    reason: str = "",
) -> None:
    s.add(
        Audit(
            at=now_utc(),
            user=_who(origin),
            return_id=return_id,
            indicator=indicator,
            cell=cell,
            action=action,
            old=old,
            new=new,
            source=origin.source,
            source_file=origin.file,
            source_hash=origin.sha256,
            reason=reason or origin.reason,
        )
    )


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    user: str
    action: str
    indicator: str
    cell: str
    old: str | None
    new: str | None
    source: str
    source_file: str
    source_hash: str
    reason: str


def history(
    s: Session, return_id: int, indicator: str | None = None, cell: str | None = None
) -> list[AuditRow]:
    q = select(Audit).where(Audit.return_id == return_id)
    if indicator is not None:
        q = q.where(Audit.indicator == indicator)
    if cell is not None:
        q = q.where(Audit.cell == cell)
    return [_row(a) for a in s.scalars(q.order_by(Audit.id))]


def duty_history(s: Session, parent_code: str) -> list[AuditRow]:
    """The changes of a parent unit's division of reporting duties (填报分工), oldest first."""
    q = select(Audit).where(Audit.action == "duty", Audit.cell == parent_code)
    return [_row(a) for a in s.scalars(q.order_by(Audit.id))]


def _row(a: Audit) -> AuditRow:
    return AuditRow(
        local_time(a.at),  # stored in UTC; shown in this PC's time zone
        a.user,
        a.action,
        a.indicator,
        a.cell,
        a.old,
        a.new,
        a.source,
        a.source_file,
        a.source_hash,
        a.reason,
    )
