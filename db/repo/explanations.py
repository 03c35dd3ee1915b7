"""Explanations of a return's values and a unit's baselines."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import (
    Audit,
    Baseline,
    Explanation,
    Return,
    Unit,
)
from db.repo.audit import TYPED, Origin, audit
from db.repo.concurrency import (
    ANY,
    ConflictError,
    _Any,
    _last_change,
    _num,
    _who,
    lock_return,
    now_utc,
    show_value,
    touch_unit_returns,
)
from db.repo.limits import FIELD_LABELS, check_text

# --- explanations and baselines ---------------------------------------------------------------


def explanations(s: Session, return_id: int) -> dict[str, str]:
    rows = s.scalars(select(Explanation).where(Explanation.return_id == return_id))
    return {e.indicator: e.text for e in rows}


def set_explanation(
    s: Session,
    ret: Return,
    indicator: str,
    text: str,
    origin: Origin = TYPED,
    *,
    expected: str | None | _Any = ANY,
) -> bool:
    """Store an indicator's explanation; ``expected`` is the text the user saw (None: none)."""
    text = (text or "").strip()
    check_text(FIELD_LABELS[("explanation", "text")], text)
    lock_return(s, ret)
    row = s.scalar(
        select(Explanation).where(
            Explanation.return_id == ret.id, Explanation.indicator == indicator
        )
    )
    old = row.text if row else None
    if expected is not ANY and (old or "") != (expected or "").strip():
        user, at = _last_change(s, ret.id, "explanation", indicator)
        raise ConflictError(
            f"指标 {indicator} 的情况说明",
            expected or "",
            text,
            old or "",
            user,
            at,
            key=(indicator, "explanation"),
        )
    if (old or "") == text:
        return False
    if not text:
        s.delete(row)
    else:
        if row is None:
            row = Explanation(return_id=ret.id, indicator=indicator)
            s.add(row)
        row.text, row.updated_at = text, now_utc()
        row.updated_by = _who(origin)
    audit(s, ret.id, "explanation", origin, indicator=indicator, old=old, new=text or None)
    return True


def baselines(s: Session, unit_id: int, plan_id: str) -> dict[str, tuple[int, float]]:
    rows = s.scalars(
        select(Baseline).where(Baseline.unit_id == unit_id, Baseline.plan_id == plan_id)
    )
    return {b.indicator: (b.year, b.value) for b in rows}


def set_baseline(
    s: Session,
    unit: Unit,
    plan_id: str,
    indicator: str,
    year: int,
    value: float,
    origin: Origin = TYPED,
    *,
    expected: tuple[int, float] | None | _Any = ANY,
) -> None:
    """Store a base-year value; ``expected`` is the (year, value) the user saw (None: none)."""
    touch_unit_returns(s, unit.id, plan_id)  # the lock: writers of this unit's returns queue
    q = select(Baseline).where(
        Baseline.unit_id == unit.id,
        Baseline.plan_id == plan_id,
        Baseline.indicator == indicator,
    )
    row = s.scalar(q)
    stored = (row.year, row.value) if row else None
    if expected is not ANY and stored != expected:
        a = s.scalars(
            select(Audit)
            .where(
                Audit.action == "baseline",
                Audit.indicator == indicator,
                Audit.reason == f"{unit.code} {plan_id}",
            )
            .order_by(Audit.id.desc())
            .limit(1)
        ).first()
        raise ConflictError(
            f"{unit.name} 指标 {indicator} 的基期值",
            expected,
            (year, value),
            stored,
            a.user if a else (row.updated_by if row else ""),
            a.at if a else None,
            key=(indicator, "baseline"),
            shown=_show_baseline,
        )
    old = f"{row.year}: {row.value:g}" if row else None
    if row is None:
        try:
            with s.begin_nested():  # another PC may add the same baseline at the same moment
                row = Baseline(unit_id=unit.id, plan_id=plan_id, indicator=indicator)
                row.year, row.value = year, value
                s.add(row)
                s.flush()
        except IntegrityError:
            row = s.scalar(q)
    row.year, row.value = year, value
    row.updated_at, row.updated_by = now_utc(), _who(origin)
    audit(
        s,
        None,
        "baseline",
        origin,
        indicator=indicator,
        old=old,
        new=f"{year}: {value:g}",
        reason=f"{unit.code} {plan_id}",
    )


def _show_baseline(v) -> str:
    if isinstance(v, tuple):
        return f"{v[0]} 年 {_num(v[1])}"
    return show_value(v)
