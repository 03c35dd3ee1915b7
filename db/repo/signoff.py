"""A return's sign-off (who filled, checked and approved it)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.models import (
    Return,
)
from db.repo.audit import TYPED, Origin, audit
from db.repo.concurrency import ANY, ConflictError, _Any, _last_change, lock_return, show_value
from db.repo.limits import FIELD_LABELS, check_text
from tianbao.domain.values import SignOff

# --- sign-off ----------------------------------------------------------------------------------


def signoff_of(r: Return) -> SignOff:
    return SignOff(
        r.unit_head or "", r.stats_head or "", r.filled_by or "", r.phone or "", r.report_date
    )


def set_signoff(
    s: Session,
    r: Return,
    signoff: SignOff,
    origin: Origin = TYPED,
    *,
    expected: SignOff | _Any = ANY,
    locked: bool = False,
) -> bool:
    """Write 单位负责人 … 报出日期 to a return, with an audit entry; False if nothing changed.

    ``expected`` is the sign-off the user saw; ``locked``: the caller holds the return's lock."""
    for f in ("unit_head", "stats_head", "filled_by", "phone"):
        check_text(FIELD_LABELS[("return", f)], getattr(signoff, f), 50)
    if not locked:
        lock_return(s, r, draft_only=False)
    old = signoff_of(r)
    if expected is not ANY and old != expected:
        user, at = _last_change(s, r.id, "signoff")
        raise ConflictError("签署信息", expected, signoff, old, user, at, shown=_show_signoff)
    if old == signoff:
        return False
    r.unit_head, r.stats_head, r.filled_by = (
        signoff.unit_head,
        signoff.stats_head,
        signoff.filled_by,
    )
    r.phone, r.report_date = signoff.phone, signoff.report_date
    audit(s, r.id, "signoff", origin, old=repr(old), new=repr(signoff))
    return True


def _show_signoff(so) -> str:
    if not isinstance(so, SignOff):
        return show_value(so)
    parts = [so.unit_head, so.stats_head, so.filled_by, so.phone]
    if so.report_date:
        parts.append(so.report_date.isoformat())
    return " / ".join(p or "—" for p in parts)
