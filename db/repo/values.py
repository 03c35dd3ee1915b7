"""Values of a return: reading entries (one return or many), writing one or many with their audit."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from db.models import (
    Audit,
    Baseline,
    Explanation,
    Return,
    Unit,
    Value,
)
from db.repo.audit import TYPED, Origin, _cell_label, audit
from db.repo.concurrency import ANY, ConflictError, _Any, _last_change, _who, lock_return, now_utc
from db.repo.limits import FIELD_LABELS, check_text
from tianbao.domain.values import Entry

# --- values --------------------------------------------------------------------------------


def entries(s: Session, return_id: int) -> dict[tuple[str, str], Entry]:
    # Plain columns, not ORM objects: several times faster, and callers only want the values.
    rows = s.execute(select(*_ENTRY_COLUMNS).where(Value.return_id == return_id))
    return {(r[0], r[1]): _entry_at(r, 2) for r in rows}


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


def _entry_at(r, at: int) -> Entry:
    """The Entry in a row of ``_ENTRY_COLUMNS`` whose number column is at ``at``."""
    return Entry(r[at], r[at + 1], r[at + 2], r[at + 3], r[at + 4], _tally(*r[at + 5 : at + 8]))


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
            out.setdefault(r[0], {})[(r[1], r[2])] = _entry_at(r, 3)
    return out


def totals_of_units(
    s: Session,
    unit_ids: Iterable[int],
    plan_id: str,
    year: int,
    *,
    indicators: list[str] | None = None,
) -> dict[int, dict[tuple[str, str], Entry]]:
    """Unit id → the total cells of its return of ``year`` (the previous year of a view), of
    ``indicators`` only, if given."""
    out: dict[int, dict[tuple[str, str], Entry]] = {}
    for chunk in _chunks(list(unit_ids)):
        q = (
            select(Return.unit_id, *_ENTRY_COLUMNS)
            .join(Value, Value.return_id == Return.id)
            .where(
                Return.unit_id.in_(chunk),
                Return.plan_id == plan_id,
                Return.year == year,
                Value.cell == "",
            )
        )
        if indicators is not None:
            q = q.where(Value.indicator.in_(sorted(set(indicators))))
        rows = s.execute(q)
        for r in rows:
            out.setdefault(r[0], {})[(r[1], r[2])] = _entry_at(r, 3)
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
