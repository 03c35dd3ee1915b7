"""Repository functions.  Each takes a Session and never commits; the caller owns the unit of work."""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import String, delete, event, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import (
    UNIT_LEVELS,
    Audit,
    Baseline,
    Explanation,
    ImportedFile,
    Return,
    Unit,
    Value,
)
from tianbao.domain.errors import InputError, KnownError
from tianbao.domain.values import Entry, SignOff

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


# --- what a database server refuses, checked before writing -----------------------------------

FIELD_LABELS = {
    ("unit", "code"): "单位代码",
    ("unit", "name"): "单位名称",
    ("return", "unit_head"): "单位负责人",
    ("return", "stats_head"): "统计负责人",
    ("return", "filled_by"): "填表人",
    ("return", "phone"): "联系电话",
    ("value", "text"): "填写的内容",
    ("value", "indicator"): "指标代码",
    ("value", "cell"): "分组",
    ("explanation", "text"): "情况说明",
    ("audit", "reason"): "原因",
    ("plan_form", "table_no"): "表号",
    ("plan_form", "made_by"): "制定机关",
    ("plan_form", "approved_by"): "批准机关",
    ("plan_form", "approval_no"): "批准文号",
    ("plan_form", "valid_until"): "有效期至",
    ("plan_version", "title"): "计划名称",
    ("imported_file", "name"): "文件名",
}


def check_text(label: str, text: str | None, limit: int | None = None) -> None:
    """Refuse text a database would refuse or cut: NUL characters (PostgreSQL refuses them) and more
    characters than the column holds (PostgreSQL refuses; SQLite would keep them silently)."""
    if text is None:
        return
    if "\x00" in text:
        raise InputError(
            f"“{label}”中含有不可见的控制字符（NUL），数据库不能保存。"
            "这常见于从其他程序复制的文字；请删除该字符（或重新输入）后再保存。",
            f"{label} contains an invisible NUL character that the database cannot store; remove it.",
        )
    if limit is not None and len(text) > limit:
        raise InputError(
            f"“{label}”最多 {limit} 个字符，现在有 {len(text)} 个。请缩短后再保存。",
            f"{label} takes at most {limit} characters ({len(text)} given); shorten it.",
        )


def check_row(table, values: Mapping[str, object]) -> None:
    """:func:`check_text` for every text column of one row of ``table`` about to be written."""
    for name, v in values.items():
        if not isinstance(v, str) or name not in table.c:
            continue
        col = table.c[name]
        limit = col.type.length if isinstance(col.type, String) else None
        check_text(FIELD_LABELS.get((table.name, name), name), v, limit)


@event.listens_for(Session, "before_flush")
def _check_before_flush(session: Session, _ctx, _instances) -> None:
    # The net under every ORM write, whoever wrote the code: nothing a server refuses reaches it.
    for obj in list(session.new) + list(session.dirty):
        table = getattr(obj, "__table__", None)
        if table is None:
            continue
        state = obj.__dict__
        check_row(table, {c.key: state.get(c.key) for c in table.columns})


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


def rename_unit(s: Session, code: str, name: str, *, expected: str | _Any = ANY) -> None:
    """Rename a unit; ``expected`` is the name the user saw (a conflict if someone renamed it)."""
    if not name.strip():
        raise InputError("单位名称不能为空。")
    check_text("单位名称", name.strip(), 100)
    u = s.scalar(select(Unit).where(Unit.code == code).with_for_update())
    if u is None:
        u = unit_by_code(s, code)
    if expected is not ANY and u.name != expected:
        user, at = _last_change_unit(s, code)
        raise ConflictError(f"单位 {code} 的名称", expected, name.strip(), u.name, user, at)
    if u.name != name.strip():
        audit(s, None, "unit_rename", old=f"{code} {u.name}", new=f"{code} {name.strip()}")
        u.name = name.strip()


def _last_change_unit(s: Session, code: str) -> tuple[str, datetime | None]:
    a = s.scalars(
        select(Audit)
        .where(Audit.action.in_(("unit_rename", "unit_add")), Audit.new.like(f"{code} %"))
        .order_by(Audit.id.desc())
        .limit(1)
    ).first()
    return (a.user, a.at) if a is not None else ("", None)


def delete_unit(s: Session, code: str) -> None:
    u = unit_by_code(s, code)
    if s.scalar(select(func.count()).select_from(Unit).where(Unit.parent_id == u.id)):
        raise InputError(f"“{u.name}”还有下级单位，请先删除或移走下级单位。")
    if s.scalar(select(func.count()).select_from(Return).where(Return.unit_id == u.id)):
        raise InputError(f"“{u.name}”已有报表，不能删除。")
    audit(s, None, "unit_delete", old=f"{u.code} {u.name} [{u.level}]")
    s.delete(u)


# --- returns -------------------------------------------------------------------------------


def find_return(s: Session, unit_id: int, plan_id: str, year: int) -> Return | None:
    return s.scalar(
        select(Return).where(
            Return.unit_id == unit_id, Return.plan_id == plan_id, Return.year == year
        )
    )


def returns_of_units(
    s: Session, unit_ids: Iterable[int], plan_id: str, year: int
) -> dict[int, int]:
    """Unit id → the id of its return (plan, year), for the units that have one: one query."""
    out: dict[int, int] = {}
    for chunk in _chunks(list(unit_ids)):
        rows = s.execute(
            select(Return.unit_id, Return.id).where(
                Return.unit_id.in_(chunk), Return.plan_id == plan_id, Return.year == year
            )
        )
        out.update({u: r for u, r in rows})
    return out


def get_or_create_return(
    s: Session, unit: Unit, plan_id: str, plan_version: int, year: int
) -> Return:
    """The return, created if new.  Two PCs opening the same new return at once both get the one
    row: the second insert waits for the first and, refused by the unique key, reads it instead."""
    r = find_return(s, unit.id, plan_id, year)
    if r is None:
        r = Return(
            unit_id=unit.id,
            plan_id=plan_id,
            plan_version=plan_version,
            year=year,
            status="draft",
            aggregated=False,
            updated_at=now_utc(),
            changes=0,
        )
        try:
            with s.begin_nested():
                s.add(r)
                s.flush()
        except IntegrityError:
            r = find_return(s, unit.id, plan_id, year)
            if r is None:
                raise
    return r


# --- values --------------------------------------------------------------------------------


def entries(s: Session, return_id: int) -> dict[tuple[str, str], Entry]:
    # Plain columns, not ORM objects: several times faster, and callers only want the values.
    rows = s.execute(
        select(
            Value.indicator,
            Value.cell,
            Value.number,
            Value.numerator,
            Value.denominator,
            Value.choice,
            Value.text,
            Value.tally_yes,
            Value.tally_partly,
            Value.tally_no,
        ).where(Value.return_id == return_id)
    )
    return {
        (r[0], r[1]): Entry(r[2], r[3], r[4], r[5], r[6], _tally(r[7], r[8], r[9])) for r in rows
    }


_ENTRY_COLUMNS = (
    Value.indicator,
    Value.cell,
    Value.number,
    Value.numerator,
    Value.denominator,
    Value.choice,
    Value.text,
    Value.tally_yes,
    Value.tally_partly,
    Value.tally_no,
)


def _chunks(ids: list, size: int = 500):
    for at in range(0, len(ids), size):
        yield ids[at : at + size]


def entries_of_returns(
    s: Session, return_ids: Iterable[int], *, indicators: list[str] | None = None
) -> dict[int, dict[tuple[str, str], Entry]]:
    """:func:`entries` of many returns in a few queries: return id → its cells (of
    ``indicators`` only, if given)."""
    out: dict[int, dict[tuple[str, str], Entry]] = {}
    for chunk in _chunks(list(return_ids)):
        q = select(Value.return_id, *_ENTRY_COLUMNS).where(Value.return_id.in_(chunk))
        if indicators is not None:
            q = q.where(Value.indicator.in_(indicators))
        rows = s.execute(q)
        for r in rows:
            out.setdefault(r[0], {})[(r[1], r[2])] = Entry(
                r[3], r[4], r[5], r[6], r[7], _tally(r[8], r[9], r[10])
            )
    return out


def totals_of_units(
    s: Session, unit_ids: Iterable[int], plan_id: str, year: int
) -> dict[int, dict[tuple[str, str], Entry]]:
    """Unit id → the total cells of its return of ``year`` (the previous year of a view)."""
    out: dict[int, dict[tuple[str, str], Entry]] = {}
    for chunk in _chunks(list(unit_ids)):
        rows = s.execute(
            select(Return.unit_id, *_ENTRY_COLUMNS)
            .join(Value, Value.return_id == Return.id)
            .where(
                Return.unit_id.in_(chunk),
                Return.plan_id == plan_id,
                Return.year == year,
                Value.cell == "",
            )
        )
        for r in rows:
            out.setdefault(r[0], {})[(r[1], r[2])] = Entry(
                r[3], r[4], r[5], r[6], r[7], _tally(r[8], r[9], r[10])
            )
    return out


def baselines_of_units(
    s: Session, unit_ids: Iterable[int], plan_id: str
) -> dict[int, dict[str, tuple[int, float]]]:
    out: dict[int, dict[str, tuple[int, float]]] = {}
    for chunk in _chunks(list(unit_ids)):
        rows = s.execute(
            select(Baseline.unit_id, Baseline.indicator, Baseline.year, Baseline.value).where(
                Baseline.unit_id.in_(chunk), Baseline.plan_id == plan_id
            )
        )
        for unit_id, code, year, value in rows:
            out.setdefault(unit_id, {})[code] = (year, value)
    return out


def explanations_of_returns(s: Session, return_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    out: dict[int, dict[str, str]] = {}
    for chunk in _chunks(list(return_ids)):
        rows = s.execute(
            select(Explanation.return_id, Explanation.indicator, Explanation.text).where(
                Explanation.return_id.in_(chunk)
            )
        )
        for rid, code, text in rows:
            out.setdefault(rid, {})[code] = text
    return out


def units_with_children(s: Session, unit_ids: Iterable[int]) -> set[int]:
    """Which of these units have sub-units or member departments."""
    out: set[int] = set()
    for chunk in _chunks(list(unit_ids)):
        out.update(s.scalars(select(Unit.parent_id).where(Unit.parent_id.in_(chunk)).distinct()))
    return out


def _tally(yes: int | None, partly: int | None, no: int | None) -> tuple[int, int, int] | None:
    """A parent's tally of a qualitative goal (是, 部分, 否), None where there is none."""
    if yes is None and partly is None and no is None:
        return None
    return (yes or 0, partly or 0, no or 0)


def _tally_columns(entry: Entry) -> dict[str, int | None]:
    t = entry.tally
    return dict(
        zip(("tally_yes", "tally_partly", "tally_no"), t or (None, None, None), strict=True)
    )


def _entry(v: Value) -> Entry:
    return Entry(
        v.number,
        v.numerator,
        v.denominator,
        v.choice,
        v.text,
        _tally(v.tally_yes, v.tally_partly, v.tally_no),
    )


def entry_json(e: Entry | None) -> str | None:
    """A compact, human-readable record of an entry for the audit trail."""
    if e is None or e.empty:
        return None
    d = {k: getattr(e, k) for k in ("number", "numerator", "denominator", "choice", "text")}
    for k in ("number", "numerator", "denominator"):
        if d[k] is not None:
            v = float(d[k])
            d[k] = int(v) if v.is_integer() else v  # 96 and 96.0 are the same value
    if e.tally is not None:
        d["tally"] = list(e.tally)
    return json.dumps({k: v for k, v in d.items() if v not in (None, "")}, ensure_ascii=False)


def entry_from_json(text: str | None) -> Entry:
    if not text:
        return Entry()
    d = json.loads(text)
    if d.get("tally") is not None:
        d["tally"] = tuple(int(n) for n in d["tally"])
    return Entry(**d)


@dataclass(frozen=True)
class Origin:
    """Where a change comes from, for the audit trail."""

    source: str = "typed"  # typed | imported | aggregated | system
    user: str = ""
    file: str = ""
    sha256: str = ""
    reason: str = ""


TYPED = Origin()


def set_entry(
    s: Session,
    ret: Return,
    indicator: str,
    cell: str,
    entry: Entry,
    origin: Origin = TYPED,
    *,
    expected: Entry | None | _Any = ANY,
) -> bool:
    """Store one cell; record the change in the audit trail.  Returns False if nothing changed.

    ``expected`` is the content the user saw (None or an empty Entry: an empty cell).  The return
    is locked first, then the stored content compared with it: if someone else changed the cell
    meanwhile, :class:`ConflictError` and nothing is written."""
    check_text(FIELD_LABELS[("value", "text")], entry.text)
    lock_return(s, ret)
    row = s.scalar(
        select(Value).where(
            Value.return_id == ret.id, Value.indicator == indicator, Value.cell == cell
        )
    )
    old = _entry(row) if row is not None else None
    if expected is not ANY and (old or Entry()) != (expected or Entry()):
        # Even when the other user stored exactly this content: the caller's change (e.g. +1)
        # was computed from what it saw, so it is told (the GUI treats an equal value as saved).
        user, at = _last_change(s, ret.id, "value", indicator, cell)
        raise ConflictError(
            _cell_label(indicator, cell),
            expected or Entry(),
            entry,
            old or Entry(),
            user,
            at,
            key=(indicator, cell),
        )
    if (old or Entry()) == entry:
        return False
    now = now_utc()
    if entry.empty:
        if row is not None:
            s.delete(row)
    else:
        if row is None:
            row = Value(return_id=ret.id, indicator=indicator, cell=cell)
            s.add(row)
        row.number, row.numerator, row.denominator = (
            entry.number,
            entry.numerator,
            entry.denominator,
        )
        row.choice, row.text, row.updated_at = entry.choice, entry.text, now
        row.tally_yes, row.tally_partly, row.tally_no = _tally_columns(entry).values()
        row.updated_by = _who(origin)
    audit(
        s,
        ret.id,
        "value",
        origin,
        indicator=indicator,
        cell=cell,
        old=entry_json(old),
        new=entry_json(entry),
    )
    return True


def set_entries(
    s: Session,
    ret: Return,
    items: Iterable[tuple[str, str, Entry]],
    origin: Origin = TYPED,
    *,
    expected: Mapping[tuple[str, str], Entry | None] | None = None,
) -> int:
    """Store many cells of one return (an import) as :func:`set_entry` would, with the same audit
    records, in a few bulk statements instead of a query and an ORM object per cell.  Value rows
    of this return already loaded in the session are expired.  Returns the cells changed.

    The return is locked before its cells are read.  ``expected`` maps cells to the content the
    caller saw (an import's preview): if a stored cell differs, :class:`ConflictError` for the
    first such cell and nothing is written (all or nothing)."""
    items = list(items)
    if not items:
        return 0
    for _i, _c, e in items:
        check_text(FIELD_LABELS[("value", "text")], e.text)
    lock_return(s, ret)
    cols = (
        Value.id,
        Value.indicator,
        Value.cell,
        Value.number,
        Value.numerator,
        Value.denominator,
        Value.choice,
        Value.text,
        Value.tally_yes,
        Value.tally_partly,
        Value.tally_no,
    )
    existing = {
        (r.indicator, r.cell): r for r in s.execute(select(*cols).where(Value.return_id == ret.id))
    }
    now = now_utc()
    user = _who(origin)
    inserts, updates, deletes, audits = [], [], [], []
    for indicator, cell, entry in items:
        row = existing.get((indicator, cell))
        old = (
            Entry(
                row.number,
                row.numerator,
                row.denominator,
                row.choice,
                row.text,
                _tally(row.tally_yes, row.tally_partly, row.tally_no),
            )
            if row
            else None
        )
        if expected is not None and (indicator, cell) in expected:
            want = expected[(indicator, cell)] or Entry()
            if (old or Entry()) != want and (old or Entry()) != entry:
                who, at = _last_change(s, ret.id, "value", indicator, cell)
                raise ConflictError(
                    _cell_label(indicator, cell),
                    want,
                    entry,
                    old or Entry(),
                    who,
                    at,
                    key=(indicator, cell),
                )
        if (old or Entry()) == entry:
            continue
        data = {
            "number": entry.number,
            "numerator": entry.numerator,
            "denominator": entry.denominator,
            "choice": entry.choice,
            "text": entry.text,
            **_tally_columns(entry),
            "updated_at": now,
            "updated_by": user,
        }
        if entry.empty:
            if row is not None:
                deletes.append(row.id)
        elif row is None:
            inserts.append({"return_id": ret.id, "indicator": indicator, "cell": cell, **data})
        else:
            updates.append({"id": row.id, **data})
        audits.append(
            {
                "at": now,
                "user": user,
                "return_id": ret.id,
                "indicator": indicator,
                "cell": cell,
                "action": "value",
                "old": entry_json(old),
                "new": entry_json(entry),
                "source": origin.source,
                "source_file": origin.file,
                "source_hash": origin.sha256,
                "reason": origin.reason,
            }
        )
    if not audits:
        return 0
    s.flush()
    # Core statements on the tables (executemany): the ORM's bulk paths cost several times more.
    if inserts:
        s.execute(insert(Value.__table__), inserts)
    if updates:
        s.execute(update(Value), updates)
    if deletes:
        s.execute(delete(Value).where(Value.id.in_(deletes)))
    s.execute(insert(Audit.__table__), audits)
    for obj in list(s.identity_map.values()):
        if isinstance(obj, Value) and obj.return_id == ret.id:
            s.expire(obj)
    return len(audits)


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
    return [
        AuditRow(
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
        for a in s.scalars(q.order_by(Audit.id))
    ]


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


# --- imported files ----------------------------------------------------------------------------


def imported_file(s: Session, sha256: str) -> ImportedFile | None:
    return s.get(ImportedFile, sha256)


def record_import(s: Session, sha256: str, name: str, return_id: int | None, changed: int) -> None:
    s.add(
        ImportedFile(
            sha256=sha256,
            name=name,
            return_id=return_id,
            imported_at=now_utc(),
            values_changed=changed,
        )
    )
