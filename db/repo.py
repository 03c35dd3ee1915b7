"""Repository functions.  Each takes a Session and never commits; the caller owns the unit of work."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
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
from tianbao.domain.errors import InputError, KnownError  # noqa: F401 - InputError lives in domain
from tianbao.domain.values import Entry, SignOff


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
    sort = (s.scalar(select(func.max(Unit.sort))) or 0) + 1
    u = Unit(code=code, name=name, level=level, parent=parent, sort=sort)
    s.add(u)
    s.flush()
    audit(s, None, "unit_add", new=f"{code} {name} [{level}] ← {parent_code or '-'}")
    return _unit_info(u)


def list_units(s: Session) -> list[UnitInfo]:
    return [_unit_info(u) for u in s.scalars(select(Unit).order_by(Unit.sort, Unit.id))]


def children(s: Session, unit_id: int, *, include_departments: bool = False) -> list[Unit]:
    q = select(Unit).where(Unit.parent_id == unit_id)
    if not include_departments:
        q = q.where(Unit.level != "department")
    return list(s.scalars(q.order_by(Unit.sort, Unit.id)))


def rename_unit(s: Session, code: str, name: str) -> None:
    if not name.strip():
        raise InputError("单位名称不能为空。")
    u = unit_by_code(s, code)
    if u.name != name.strip():
        audit(s, None, "unit_rename", old=f"{code} {u.name}", new=f"{code} {name.strip()}")
        u.name = name.strip()


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


def get_or_create_return(
    s: Session, unit: Unit, plan_id: str, plan_version: int, year: int
) -> Return:
    r = find_return(s, unit.id, plan_id, year)
    if r is None:
        r = Return(
            unit_id=unit.id,
            plan_id=plan_id,
            plan_version=plan_version,
            year=year,
            status="draft",
            aggregated=False,
            updated_at=datetime.now(),
        )
        s.add(r)
        s.flush()
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


def _tally(yes: int | None, partly: int | None, no: int | None) -> tuple[int, int, int] | None:
    """A parent's tally of a qualitative goal (是, 部分, 否), None where there is none."""
    if yes is None and partly is None and no is None:
        return None
    return (yes or 0, partly or 0, no or 0)


def _tally_columns(entry: Entry) -> dict[str, int | None]:
    t = entry.tally
    return dict(zip(("tally_yes", "tally_partly", "tally_no"), t or (None, None, None), strict=True))


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
    s: Session, ret: Return, indicator: str, cell: str, entry: Entry, origin: Origin = TYPED
) -> bool:
    """Store one cell; record the change in the audit trail.  Returns False if nothing changed."""
    row = s.scalar(
        select(Value).where(
            Value.return_id == ret.id, Value.indicator == indicator, Value.cell == cell
        )
    )
    old = _entry(row) if row is not None else None
    if (old or Entry()) == entry:
        return False
    now = datetime.now()
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
    ret.updated_at = now
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
    s: Session, ret: Return, items: Iterable[tuple[str, str, Entry]], origin: Origin = TYPED
) -> int:
    """Store many cells of one return (an import) as :func:`set_entry` would, with the same audit
    records, in a few bulk statements instead of a query and an ORM object per cell.  Value rows
    of this return already loaded in the session are expired.  Returns the cells changed."""
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
    now = datetime.now()
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
                "user": origin.user,
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
    ret.updated_at = now
    return len(audits)


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
            at=datetime.now(),
            user=origin.user,
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
            a.at,
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


def set_signoff(s: Session, r: Return, signoff: SignOff, origin: Origin = TYPED) -> bool:
    """Write 单位负责人 … 报出日期 to a return, with an audit entry; False if nothing changed."""
    old = signoff_of(r)
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


# --- explanations and baselines ---------------------------------------------------------------


def explanations(s: Session, return_id: int) -> dict[str, str]:
    rows = s.scalars(select(Explanation).where(Explanation.return_id == return_id))
    return {e.indicator: e.text for e in rows}


def set_explanation(
    s: Session, ret: Return, indicator: str, text: str, origin: Origin = TYPED
) -> bool:
    text = (text or "").strip()
    row = s.scalar(
        select(Explanation).where(
            Explanation.return_id == ret.id, Explanation.indicator == indicator
        )
    )
    old = row.text if row else None
    if (old or "") == text:
        return False
    if not text:
        s.delete(row)
    else:
        if row is None:
            row = Explanation(return_id=ret.id, indicator=indicator)
            s.add(row)
        row.text, row.updated_at = text, datetime.now()
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
) -> None:
    row = s.scalar(
        select(Baseline).where(
            Baseline.unit_id == unit.id,
            Baseline.plan_id == plan_id,
            Baseline.indicator == indicator,
        )
    )
    old = f"{row.year}: {row.value:g}" if row else None
    if row is None:
        row = Baseline(unit_id=unit.id, plan_id=plan_id, indicator=indicator)
        s.add(row)
    row.year, row.value = year, value
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


# --- imported files ----------------------------------------------------------------------------


def imported_file(s: Session, sha256: str) -> ImportedFile | None:
    return s.get(ImportedFile, sha256)


def record_import(s: Session, sha256: str, name: str, return_id: int | None, changed: int) -> None:
    s.add(
        ImportedFile(
            sha256=sha256,
            name=name,
            return_id=return_id,
            imported_at=datetime.now(),
            values_changed=changed,
        )
    )
