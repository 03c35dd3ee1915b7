"""Many rows written in one executemany (an import writes two per cell: the value and its history).

On SQLite the rows go to the driver as they are: SQLAlchemy's per-row parameter processing (the
bind processors of every column of every row) costs twice the driver's own work there.  The
statement is the one SQLAlchemy compiles for the table, and each column's bind processor is
applied as SQLAlchemy applies it — once for the columns that are the same in every row (a
moment, a user), per row only for a column whose type has one.  Other databases take the Core
statement (their drivers batch it their own way).
"""

from __future__ import annotations

from operator import itemgetter

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection

_PLANS: dict = {}


def insert_rows(conn: Connection, table: Table, rows: list[dict], same: dict) -> None:
    """INSERT ``rows`` (dicts with the same keys, in the same order) into ``table``, each with
    the columns of ``same`` as well (the same values for every row)."""
    if not rows:
        return
    dialect = conn.dialect
    if dialect.name != "sqlite":
        conn.execute(insert(table), [{**r, **same} for r in rows])
        return
    keys = (*rows[0], *same)
    key = (table, keys, dialect.paramstyle)
    plan = _PLANS[key] if key in _PLANS else _PLANS.setdefault(key, _plan(conn, table, keys))
    if plan is None:  # columns left to their defaults: SQLAlchemy fills them in
        conn.execute(insert(table), [{**r, **same} for r in rows])
        return
    sql, pick, processors = plan
    fixed = tuple(p(v) if (p := processors.get(k)) else v for k, v in same.items())
    per_row = [(k, p) for k, p in processors.items() if k not in same]
    if per_row:
        rows = [{**r, **{k: p(r[k]) for k, p in per_row}} for r in rows]
    if pick is None:  # named parameters
        params = [{**r, **dict(zip(same, fixed, strict=True))} for r in rows]
    else:  # positional, in the statement's order of the columns
        params = [pick((*r.values(), *fixed)) for r in rows]
    conn.exec_driver_sql(sql, params)


def _plan(conn: Connection, table: Table, keys: tuple[str, ...]):
    """The SQL text for these columns, what picks its positional parameters from the values of
    a row and ``same`` in that order (None: named parameters), and
    the bind processor of each column that has one; None if the statement takes other
    parameters too (a column left out that has a default)."""
    dialect = conn.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=list(keys))
    order = list(compiled.positiontup) if compiled.positional else None
    if sorted(compiled.params) != sorted(keys) or (order is not None and len(order) != len(keys)):
        return None
    processors = {}
    for k in keys:
        p = table.c[k].type.dialect_impl(dialect).bind_processor(dialect)
        if p is not None:
            processors[k] = p
    pick = None if order is None else itemgetter(*[keys.index(k) for k in order])
    return compiled.string, pick, processors
