"""repo.set_entries (an import, an aggregation): the rows it stores and their history, exactly as
the cell-by-cell writer stores them, and the audit JSON text as it has always been written."""

from __future__ import annotations

import json
import random

import pytest
from sqlalchemy import select, text

from db import repo
from db.models import Value
from db.repo import Origin
from tests.support import xlsx as h
from tianbao.domain.values import Entry


def reference_json(e: Entry | None) -> str | None:
    """entry_json as first written (json.dumps of the non-empty fields): the text the history
    readers have always parsed."""
    if e is None or e.empty:
        return None
    d = {k: getattr(e, k) for k in ("number", "numerator", "denominator", "choice", "text")}
    for k in ("number", "numerator", "denominator"):
        if d[k] is not None:
            v = float(d[k])
            d[k] = int(v) if v.is_integer() else v
    if e.tally is not None:
        d["tally"] = list(e.tally)
    return json.dumps({k: v for k, v in d.items() if v not in (None, "")}, ensure_ascii=False)


ODD = [
    Entry(number=0.0),
    Entry(number=-0.0),
    Entry(number=96.0),
    Entry(number=96),
    Entry(number=-3.5),
    Entry(number=0.1 + 0.2),
    Entry(number=1e20),
    Entry(number=1e-7),
    Entry(number=123456789.125),
    Entry(number=float("inf")),
    Entry(number=float("nan")),
    Entry(numerator=3.0, denominator=7.5),
    Entry(numerator=0.0, denominator=0.0),
    Entry(choice="yes"),
    Entry(choice="partly", text=""),
    Entry(text='引号"、反斜杠\\、换行\n制表\t\u2028控制\x01 emoji 👩‍👧'),
    Entry(text="  "),
    Entry(tally=(1, 2, 3)),
    Entry(tally=(0, 0, 0)),
    Entry(number=5.0, choice="no", text="说明", tally=(1, 0, 2)),
    Entry(),
    Entry(choice=""),
    None,
]


def test_entry_json_is_the_json_text_written_before():
    rng = random.Random(19)
    sample = ODD + [
        Entry(
            number=rng.uniform(-1e6, 1e6), numerator=round(rng.uniform(0, 1e4), rng.randint(0, 3))
        )
        for _ in range(5000)
    ]
    for e in sample:
        assert repo.entry_json(e) == reference_json(e), e


@pytest.fixture
def db(tmp_path):
    d = h.make_db(tmp_path / "t.sqlite")
    yield d
    d.close()


def _stored(db, return_id: int) -> tuple[dict, list[tuple]]:
    with db.session() as s:
        values = repo.entries(s, return_id)
    with db.engine.connect() as c:
        audits = c.execute(
            text(
                'SELECT "user", indicator, cell, action, old, new, source, source_file, '
                "source_hash, reason, at FROM audit WHERE return_id = :r ORDER BY id"
            ),
            {"r": return_id},
        ).fetchall()
    return values, [tuple(a) for a in audits]


def _time_form(at) -> object:
    return len(at) if isinstance(at, str) else (type(at), at.utcoffset())


def _write(db, unit: str, batches, bulk: bool) -> int:
    """Write the batches of cells into the return of ``unit``, by set_entries or cell by cell."""
    with db.session() as s:
        ret = repo.get_or_create_return(s, repo.unit_by_code(s, unit), h.PLAN_ID, 1, h.YEAR)
        rid = ret.id
    origin = Origin(source="imported", user="甲", file="a.xlsx", sha256="ab" * 32)
    for batch in batches:
        with db.session() as s:
            ret = s.get(repo.Return, rid)
            if bulk:
                repo.set_entries(s, ret, batch, origin)
            else:
                for i, c, e in batch:
                    repo.set_entry(s, ret, i, c, e, origin)
    return rid


def test_set_entries_stores_what_set_entry_stores_with_the_same_history(db):
    plan = h.plan_of(db)
    codes = [i.code for i in plan.indicators]
    cells = [(codes[k], "") for k in range(len(ODD))]
    first = [(c, cell, e or Entry()) for (c, cell), e in zip(cells, ODD, strict=True)]
    second = [
        (c, cell, e)
        for (c, cell), e in zip(
            cells,
            [Entry(number=k * 1.5) if k % 3 else Entry() for k in range(len(ODD))],
            strict=True,
        )
    ] + [(codes[-1], "", Entry(text="新的"))]
    bulk = _write(db, "T01", [first, second, second], bulk=True)
    single = _write(db, "T02", [first, second, second], bulk=False)
    values, audits = _stored(db, bulk)
    values_1, audits_1 = _stored(db, single)
    assert values == values_1 and values
    strip = [a[:-1] for a in audits]  # all but the moment
    assert strip == [a[:-1] for a in audits_1] and len(strip) > len(ODD)
    # The same time format: SQLite's text of one length; a server's timestamp with its zone.
    assert {_time_form(a[-1]) for a in audits} == {_time_form(a[-1]) for a in audits_1}
    for *_who, old, new, _source, _file, _hash, _reason, _at in audits:
        assert old is None or old == reference_json(repo.entry_from_json(old))
        assert new is None or new == reference_json(repo.entry_from_json(new))
    assert ("甲", codes[0], "", "value", None, '{"number": 0}') == strip[0][:6]


def test_set_entries_refreshes_the_values_loaded_in_the_session(db):
    plan = h.plan_of(db)
    code = plan.indicators[0].code
    rid = _write(db, "T01", [[(code, "", Entry(number=1.0))]], bulk=True)
    with db.session() as s:
        ret = s.get(repo.Return, rid)
        row = s.scalar(select(Value).where(Value.return_id == rid))
        assert row.number == 1.0
        assert repo.set_entries(s, ret, [(code, "", Entry(number=2.0))]) == 1
        assert row.number == 2.0  # expired, read again
        assert repo.set_entries(s, ret, [(code, "", Entry())]) == 1
    with db.session() as s:
        assert repo.entries(s, rid) == {}


def test_insert_rows_writes_what_the_core_insert_writes():
    from datetime import UTC, datetime

    from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert

    from db.models import UTCDateTime
    from db.repo.bulk import insert_rows

    md = MetaData()
    t = Table(
        "t",
        md,
        Column("id", Integer, primary_key=True),
        Column("user", String(10)),  # a reserved word
        Column("n", Integer),
        Column("at", UTCDateTime),
        Column("kind", String(5), default="x"),
    )
    engine = create_engine("sqlite://")
    md.create_all(engine)
    now = datetime(2025, 1, 2, 3, 4, 5, 678, tzinfo=UTC)
    rows = [{"n": k, "user": f"u{k}"} for k in range(3)]
    with engine.begin() as c:
        insert_rows(c, t, rows, {"at": now, "kind": "y"})
        c.execute(insert(t), [{**r, "at": now, "kind": "y"} for r in rows])
        insert_rows(c, t, rows, {"at": now})  # kind left to its default
        got = [tuple(r)[1:] for r in c.exec_driver_sql("SELECT * FROM t ORDER BY id")]
    assert (
        got[:3]
        == got[3:6]
        == [(f"u{k}", k, "2025-01-02T03:04:05.000678+00:00", "y") for k in range(3)]
    )
    assert got[6:] == [(f"u{k}", k, "2025-01-02T03:04:05.000678+00:00", "x") for k in range(3)]
