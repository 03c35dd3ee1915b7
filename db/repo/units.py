"""Reporting units: add, list, rename, delete."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import (
    UNIT_LEVEL_LABELS,
    UNIT_LEVELS,
    Audit,
    Return,
    Unit,
)
from db.repo.audit import TYPED, Origin, audit
from db.repo.concurrency import ANY, ConflictError, _Any, local_time
from db.repo.limits import check_text
from tianbao.domain.errors import InputError

# --- units ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitInfo:
    id: int
    code: str
    name: str
    level: str
    parent_code: str | None


def _unit_info(u: Unit) -> UnitInfo:
    return UnitInfo(u.id, u.code, u.name, u.level, u.parent.code if u.parent else None)


def unit_by_code(s: Session, code: str) -> Unit:
    u = s.scalar(select(Unit).where(Unit.code == code))
    if u is None:
        raise InputError(f"没有代码为“{code}”的单位。用 `tianbao units list` 查看已有单位。")
    return u


def add_unit(
    s: Session, code: str, name: str, level: str, parent_code: str | None = None
) -> UnitInfo:
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise InputError("单位代码和名称都不能为空。")
    if level not in UNIT_LEVELS:
        raise InputError(f"单位级别“{level}”无效，可用：{'、'.join(UNIT_LEVELS)}。")
    if s.scalar(select(Unit).where(Unit.code == code)) is not None:
        raise InputError(f"单位代码“{code}”已存在，请换一个代码。")
    parent = unit_by_code(s, parent_code) if parent_code else None
    if (
        parent is not None
        and UNIT_LEVELS.index(parent.level) >= UNIT_LEVELS.index(level)
        and level != "department"
    ):
        raise InputError(f"“{name}”的级别不能高于或等于其上级“{parent.name}”。")
    if parent is not None and parent.level == "department":
        raise InputError(f"成员单位“{parent.name}”不能有下级单位。")
    check_text("单位代码", code, 40)
    check_text("单位名称", name, 100)
    sort = (s.scalar(select(func.max(Unit.sort))) or 0) + 1
    u = Unit(code=code, name=name, level=level, parent=parent, sort=sort)
    try:
        with s.begin_nested():  # another PC may add the same code at the same moment
            s.add(u)
            s.flush()
    except IntegrityError:
        raise InputError(
            f"单位代码“{code}”已存在（可能刚被另一位用户添加），请换一个代码。"
        ) from None
    audit(s, None, "unit_add", new=f"{code} {name} [{level}] ← {parent_code or '-'}")
    return _unit_info(u)


def list_units(s: Session) -> list[UnitInfo]:
    return [_unit_info(u) for u in s.scalars(select(Unit).order_by(Unit.sort, Unit.id))]


def children(s: Session, unit_id: int, *, include_departments: bool = False) -> list[Unit]:
    q = select(Unit).where(Unit.parent_id == unit_id)
    if not include_departments:
        q = q.where(Unit.level != "department")
    return list(s.scalars(q.order_by(Unit.sort, Unit.id)))


def rename_unit(
    s: Session, code: str, name: str, *, expected: str | _Any = ANY, origin: Origin = TYPED
) -> None:
    """Rename a unit; ``expected`` is the name the user saw (a conflict if someone renamed it)."""
    if not name.strip():
        raise InputError("单位名称不能为空。")
    check_text("单位名称", name.strip(), 100)
    u = lock_unit_as_seen(s, code, ANY, "")
    if expected is not ANY and u.name != expected:
        user, at = _last_change_unit(s, code)
        raise ConflictError(f"单位 {code} 的名称", expected, name.strip(), u.name, user, at)
    if u.name != name.strip():
        audit(s, None, "unit_rename", origin, old=f"{code} {u.name}", new=f"{code} {name.strip()}")
        u.name = name.strip()


def _last_change_unit(s: Session, code: str, old_code: str = "") -> tuple[str, datetime | None]:
    """Who last added, renamed, changed or deleted the unit ``code`` (or ``old_code``), and when."""
    match = Audit.new.like(f"{code} %")
    if old_code:
        match = match | Audit.old.like(f"{old_code} %")
    a = s.scalars(
        select(Audit)
        .where(
            Audit.action.in_(("unit_rename", "unit_add", "unit_update", "unit_delete")),
            Audit.return_id.is_(None),
            match,
        )
        .order_by(Audit.id.desc())
        .limit(1)
    ).first()
    return (a.user, a.at) if a is not None else ("", None)


def describe_unit(info: UnitInfo | None) -> str:
    """A unit as its editor shows it, for conflict messages."""
    if info is None:
        return "（已删除）"
    parent = f"，上级 {info.parent_code}" if info.parent_code else "，顶级单位"
    return f"{info.code} {info.name}（{UNIT_LEVEL_LABELS.get(info.level, info.level)}{parent}）"


def lock_unit_as_seen(s: Session, code: str, expected: UnitInfo | _Any, mine: str) -> Unit:
    """The unit ``code``, row-locked for this unit of work; with ``expected`` (the unit as the
    caller showed it), a :class:`ConflictError` naming the other change, who and when, if another
    user changed or deleted the unit meanwhile.  ``mine`` says what the caller was about to do."""
    if expected is ANY:
        u = s.scalar(select(Unit).where(Unit.code == code).with_for_update())
        return u if u is not None else unit_by_code(s, code)
    u = s.scalar(select(Unit).where(Unit.id == expected.id).with_for_update())
    now = _unit_info(u) if u is not None else None
    if now != expected:
        user, at = _last_change_unit(s, now.code if now else expected.code, expected.code)
        raise UnitConflict(expected, now, mine, user, at)
    return u


class UnitConflict(ConflictError):
    """Another user changed or deleted a unit after the caller showed it; nothing was written."""

    def __init__(self, seen: UnitInfo, now: UnitInfo | None, mine: str, user: str, at):
        what = f"单位“{seen.name}”（{seen.code}）"
        super().__init__(what, describe_unit(seen), mine, describe_unit(now), user, at, shown=str)
        when = f"于 {local_time(at):%Y-%m-%d %H:%M:%S} " if at else ""
        done = "已删除了它" if now is None else f"已把它改为“{describe_unit(now)}”"
        self.args = (
            f"{what}未修改：在您看到之后，{self.user}{when}{done}（您看到的是“{describe_unit(seen)}”）。"
            f"为避免覆盖，您的修改（{mine}）没有保存。请重新载入，看到对方的修改后再决定。",
        )
        self.message_en = (
            f"Unit {seen.code} was not changed: {self.user} changed or deleted it after you saw it. "
            "Nothing was overwritten. Reload to see their change, then decide."
        )


def delete_unit(
    s: Session, code: str, origin: Origin = TYPED, *, expected: UnitInfo | _Any = ANY
) -> None:
    """Delete a unit without sub-units or returns; ``expected``: the unit as the caller showed it."""
    u = lock_unit_as_seen(s, code, expected, "删除")
    if s.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == u.id)):
        raise InputError(f"“{u.name}”还有下级单位，请先删除或移走下级单位。")
    if s.scalar(select(func.count()).select_from(Return).where(Return.unit_id == u.id)):
        raise InputError(f"“{u.name}”已有报表，不能删除。")
    audit(s, None, "unit_delete", origin, old=f"{u.code} {u.name} [{u.level}]")
    s.delete(u)
