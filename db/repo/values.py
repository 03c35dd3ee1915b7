"""Values of a return: reading entries (one return or many), writing one or many with their audit."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

from sqlalchemy import bindparam, delete, select, update
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
from db.repo.bulk import insert_rows
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
    """A compact, human-readable record of an entry for the audit trail: the JSON object of
    its non-empty fields, numbers as integers where they are whole (96 and 96.0 are the same
    value), e.g. ``{"numerator": 96, "denominator": 100}``.

    Written field by field (an import writes two per cell): the same text, byte for byte, as
    ``json.dumps(fields, ensure_ascii=False)``, which the history readers parse."""
    if e is None or e.empty:
        return None
    parts = []
    if e.number is not None:
        parts.append('"number": ' + _json_number(e.number))
    if e.numerator is not None:
        parts.append('"numerator": ' + _json_number(e.numerator))
    if e.denominator is not None:
        parts.append('"denominator": ' + _json_number(e.denominator))
    if e.choice is not None and e.choice != "":
        parts.append('"choice": ' + _json_text(e.choice))
    if e.text is not None and e.text != "":
        parts.append('"text": ' + _json_text(e.text))
    if e.tally is not None:
        parts.append('"tally": ' + json.dumps(list(e.tally)))
    return "{" + ", ".join(parts) + "}"


_INFINITIES = (float("inf"), float("-inf"))


def _json_number(v) -> str:
    v = float(v)
    if v.is_integer():
        return repr(int(v))
    if v != v or v in _INFINITIES:
        return json.dumps(v)  # NaN, Infinity as json writes them
    return repr(v)  # json's own float text


def _json_text(v) -> str:
    # json.dumps(ensure_ascii=False) writes strings with this very function
    return json.encoder.encode_basestring(v) if isinstance(v, str) else json.dumps(v)


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
    locked: bool = False,
) -> int:
    """Store many cells of one return (an import) as :func:`set_entry` would, with the same audit
    records, in a few bulk statements instead of a query and an ORM object per cell.  Value rows
    of this return already loaded in the session are expired.  Returns the cells changed.

    The return is locked before its cells are read.  ``expected`` maps cells to the content the
    caller saw (an import's preview): if a stored cell differs, :class:`ConflictError` for the
    first such cell and nothing is written (all or nothing).  ``locked``: the caller has
    already locked the return (:func:`lock_return`) in this transaction, and bumped its change
    counter; it is not locked and bumped a second time."""
    items = list(items)
    if not items:
        return 0
    text_label = FIELD_LABELS[("value", "text")]
    for _i, _c, e in items:
        if e.text:
            check_text(text_label, e.text)
    if not locked:
        lock_return(s, ret)
    existing = {
        (r[1], r[2]): r
        for r in s.execute(select(Value.id, *_ENTRY_COLUMNS).where(Value.return_id == ret.id))
    }
    now = now_utc()
    user = _who(origin)
    rid = ret.id
    inserts, updates, deletes, audits = [], [], [], []
    same_audit = {
        "at": now,
        "user": user,
        "return_id": rid,
        "action": "value",
        "source": origin.source,
        "source_file": origin.file,
        "source_hash": origin.sha256,
        "reason": origin.reason,
    }
    empty = _EMPTY
    for indicator, cell, entry in items:
        row = existing.get((indicator, cell))
        old = _entry_at(row, 3) if row is not None else None
        if expected is not None and (indicator, cell) in expected:
            want = expected[(indicator, cell)] or empty
            if (old or empty) != want and (old or empty) != entry:
                who, at = _last_change(s, rid, "value", indicator, cell)
                raise ConflictError(
                    _cell_label(indicator, cell),
                    want,
                    entry,
                    old or empty,
                    who,
                    at,
                    key=(indicator, cell),
                )
        if (old or empty) == entry:
            continue
        if entry.empty:
            if row is not None:
                deletes.append(row[0])
        else:
            t = entry.tally or _NO_TALLY
            if row is None:
                inserts.append(
                    {
                        "indicator": indicator,
                        "cell": cell,
                        "number": entry.number,
                        "numerator": entry.numerator,
                        "denominator": entry.denominator,
                        "choice": entry.choice,
                        "text": entry.text,
                        "tally_yes": t[0],
                        "tally_partly": t[1],
                        "tally_no": t[2],
                    }
                )
            else:
                updates.append(
                    {
                        "_id": row[0],
                        "number": entry.number,
                        "numerator": entry.numerator,
                        "denominator": entry.denominator,
                        "choice": entry.choice,
                        "text": entry.text,
                        "tally_yes": t[0],
                        "tally_partly": t[1],
                        "tally_no": t[2],
                        "updated_at": now,
                        "updated_by": user,
                    }
                )
        audits.append(
            {
                "indicator": indicator,
                "cell": cell,
                "old": entry_json(old),
                "new": entry_json(entry),
            }
        )
    if not audits:
        return 0
    s.flush()
    # Plain statements on the tables (executemany): the ORM's bulk paths cost several times more.
    conn = s.connection()
    insert_rows(
        conn, Value.__table__, inserts, {"return_id": rid, "updated_at": now, "updated_by": user}
    )
    if updates:
        s.execute(_UPDATE_BY_ID, updates)
    if deletes:
        s.execute(delete(Value).where(Value.id.in_(deletes)))
    insert_rows(conn, Audit.__table__, audits, same_audit)
    stale = [
        obj for obj in s.identity_map.values() if isinstance(obj, Value) and obj.return_id == rid
    ]
    for obj in stale:
        s.expire(obj)
    return len(audits)


_EMPTY = Entry()
_NO_TALLY = (None, None, None)
_VALUE = Value.__table__
# One row of Value by its id; the statement of set_entries' updates (executemany).
_UPDATE_BY_ID = (
    update(_VALUE)
    .where(_VALUE.c.id == bindparam("_id"))
    .values(
        {
            c: bindparam(c)
            for c in (
                "number",
                "numerator",
                "denominator",
                "choice",
                "text",
                "tally_yes",
                "tally_partly",
                "tally_no",
                "updated_at",
                "updated_by",
            )
        }
    )
)
