"""Concurrency: every write states the old value it expects; row locks, change counters, who and when."""

from __future__ import annotations

import getpass
import os
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.models import (
    Audit,
    Return,
)
from tianbao.domain.errors import InputError, KnownError
from tianbao.domain.values import Entry

# --- concurrency: every write states the old value it expects ----------------------------------


class _Any:
    """``expected=ANY``: the caller reads and writes in this same transaction (nothing to compare)."""

    def __repr__(self) -> str:
        return "ANY"


ANY = _Any()


class ConflictError(KnownError):
    """Someone else changed what this write expected; nothing was overwritten.

    Carries what the other user stored (``theirs``), who and when, so the user can choose:
    keep mine (write again expecting ``theirs``) or take theirs."""

    def __init__(
        self,
        what: str,
        expected,
        mine,
        theirs,
        user: str,
        at: datetime | None,
        *,
        key: tuple[str, str] | None = None,
        shown=None,
    ):
        self.what, self.expected, self.mine, self.theirs = what, expected, mine, theirs
        self.user, self.at, self.key = user or "另一位用户", at, key
        show = shown or show_value
        self.shown = show
        when = f"于 {local_time(at):%Y-%m-%d %H:%M:%S} " if at else ""
        when_en = f" at {local_time(at):%Y-%m-%d %H:%M:%S}" if at else ""
        super().__init__(
            f"{what}：您看到的是“{show(expected)}”，但在您保存之前，{self.user}{when}"
            f"已把它改为“{show(theirs)}”。为避免覆盖，您的“{show(mine)}”没有保存。"
            "请选择保留您的值，或采用对方的值。",
            f"{what}: you saw {show(expected)!r}, but before you saved, {self.user}{when_en} changed "
            f"it to {show(theirs)!r}. Your {show(mine)!r} was not saved, so nothing was overwritten. "
            "Choose to keep yours or take theirs.",
        )


def local_time(at: datetime) -> datetime:
    """A stored (UTC) time in this PC's local time zone, for showing."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone()


def show_value(v) -> str:
    """A cell's content as a user reads it (for messages)."""
    if v is None:
        return "空"
    if isinstance(v, Entry):
        if v.empty:
            return "空"
        parts = []
        if v.numerator is not None or v.denominator is not None:
            parts.append(f"分子 {_num(v.numerator)} / 分母 {_num(v.denominator)}")
        if v.number is not None:
            parts.append(_num(v.number))
        if v.choice:
            parts.append(CHOICE_WORDS.get(v.choice, v.choice))
        if v.text:
            parts.append(v.text)
        return "，".join(parts) or "空"
    if isinstance(v, float | int):
        return _num(v)
    return str(v) or "空"


CHOICE_WORDS = {"yes": "是", "partly": "部分", "no": "否"}


def _num(v: float | None) -> str:
    if v is None:
        return "—"
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def current_user() -> str:
    """Who is working, when the caller did not say: ``TIANBAO_USER`` or the operating-system login."""
    name = os.environ.get("TIANBAO_USER", "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except Exception:  # noqa: BLE001 - no login name (a service account …)
            name = ""
    return (name or "未知用户")[:50]


def _who(origin) -> str:
    return (origin.user or current_user())[:50]


def now_utc() -> datetime:
    return datetime.now(UTC)


def lock_return(s: Session, ret: Return, *, draft_only: bool = True) -> None:
    """Take the return's row lock for this unit of work and bump its change counter, before any
    read that a write depends on: two writers of one return queue here (PostgreSQL row lock,
    SQLite write lock), and a write never lands in a return submitted meanwhile."""
    q = update(Return).where(Return.id == ret.id)
    if draft_only:
        q = q.where(Return.status == "draft")
    res = s.execute(
        q.values(changes=Return.changes + 1, updated_at=now_utc()).execution_options(
            synchronize_session=False
        )
    )
    s.expire(ret, ["changes", "updated_at", "status", "submitted_at"])
    if res.rowcount == 0:
        raise InputError(
            "该报表已报送并锁定（可能刚被另一位用户报送），不能修改。如需修改，请先解锁（需填写原因）。",
            "This return has been submitted and locked (perhaps just now by another user). "
            "Unlock it first (with a reason).",
        )


def touch_unit_returns(s: Session, unit_id: int, plan_id: str) -> None:
    """Bump the change counter of a unit's returns of a plan (a baseline changed their checks)."""
    s.execute(
        update(Return)
        .where(Return.unit_id == unit_id, Return.plan_id == plan_id)
        .values(changes=Return.changes + 1)
        .execution_options(synchronize_session=False)
    )


def changes_of(s: Session, return_id: int) -> int | None:
    """The return's change counter (the cheap query that open windows poll)."""
    return s.scalar(select(Return.changes).where(Return.id == return_id))


def _last_change(
    s: Session, return_id: int | None, action: str, indicator: str = "", cell: str = ""
) -> tuple[str, datetime | None]:
    a = s.scalars(
        select(Audit)
        .where(
            Audit.return_id == return_id,
            Audit.action == action,
            Audit.indicator == indicator,
            Audit.cell == cell,
        )
        .order_by(Audit.id.desc())
        .limit(1)
    ).first()
    return (a.user, a.at) if a is not None else ("", None)
