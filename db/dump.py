"""Logical backups that work on any engine: every table's rows as JSON (gzip), read back by the program.

A PostgreSQL server has no file to copy, and ``pg_dump`` is not on an office PC; this dump needs only
SQLAlchemy.  It reflects the tables actually in the database (so a dump made before a migration holds
the old schema) and records the schema revision.  ``restore_dump`` loads it into an empty database —
creating the schema at the dump's revision, then migrating to the program's — or replaces the rows of
a database at the same revision.  ``move_to`` copies a SQLite file onto a server and verifies the copy
(row counts and every return's fingerprint).
"""

from __future__ import annotations

import base64
import gzip
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Date, DateTime, MetaData, String, func, select, text
from sqlalchemy.engine import Engine, make_url

from db.failures import DatabaseError

FORMAT = "tianbao-dump"
FORMAT_VERSION = 1


def _plain(v):
    if isinstance(v, datetime):
        return {"$dt": v.isoformat()}
    if isinstance(v, date):
        return {"$date": v.isoformat()}
    if isinstance(v, bytes | memoryview):
        return {"$b64": base64.b64encode(bytes(v)).decode()}
    return v


def _unplain(v):
    if isinstance(v, dict):
        if "$dt" in v:
            return datetime.fromisoformat(v["$dt"])
        if "$date" in v:
            return date.fromisoformat(v["$date"])
        if "$b64" in v:
            return base64.b64decode(v["$b64"])
    return v


def _metadata(conn) -> MetaData:
    """The tables as they are in the database.  On SQLite, times and dates are read and written as
    the text stored (ISO 8601), not parsed by SQLAlchemy's SQLite types, which drop time zones."""
    md = MetaData()
    md.reflect(conn)
    if conn.dialect.name == "sqlite":
        for table in md.tables.values():
            for col in table.columns:
                if isinstance(col.type, Date | DateTime):
                    col.type = String()
    return md


def _for(dialect: str, v):
    if dialect == "sqlite" and isinstance(v, datetime):
        return v.isoformat(timespec="microseconds")
    if dialect == "sqlite" and isinstance(v, date):
        return v.isoformat()
    return v


def dump_database(engine: Engine, dest: Path) -> Path:
    """Write every table's rows to ``dest`` (gzip JSON), in one consistent read."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"))
        md = _metadata(conn)
        revision = None
        if "alembic_version" in md.tables:
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        tables = {}
        for table in md.sorted_tables:
            if table.name == "alembic_version":
                continue
            cols = [c.name for c in table.columns]
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(table).order_by(*order)).all()
            tables[table.name] = {
                "columns": cols,
                "rows": [[_plain(v) for v in r] for r in rows],
            }
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "revision": revision,
        "made_at": datetime.now(UTC).isoformat(),
        "source": _public(str(engine.url)),
        "tables": tables,
    }
    tmp = dest.with_name(dest.name + ".part")
    with gzip.open(tmp, "wt", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False)
    os.replace(tmp, dest)
    return dest


def _public(url: str) -> str:
    u = make_url(url)
    return u.set(password=None).render_as_string(hide_password=False) if u.password else url


def read_dump(path: Path) -> dict:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, EOFError, ValueError) as e:
        raise DatabaseError(
            f"“{path}”不是可读的 Tianbao 备份（{e}）。请选择由 tianbao backup 生成的备份文件。"
        ) from e
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DatabaseError(f"“{path}”不是 Tianbao 的数据库备份，未恢复。")
    return data


def server_backup_path(url: str, reason: str) -> Path:
    """Where a server's automatic backup goes: the user's data folder, backups/, named by server."""
    from platformdirs import user_data_dir

    u = make_url(url)
    name = f"{u.host or 'local'}-{u.database or 'db'}".replace("/", "_").replace(":", "_")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = Path(user_data_dir("Tianbao", appauthor=False)) / "backups"
    return folder / f"server-{name}-{reason}-{stamp}.json.gz"


def _is_empty(conn, md: MetaData) -> bool:
    for table in md.sorted_tables:
        if table.name in ("alembic_version",):
            continue
        if conn.execute(select(func.count()).select_from(table)).scalar():
            return False
    return True


def _load(conn, md: MetaData, data: dict) -> dict[str, int]:
    """Insert the dump's rows (parents first) and move PostgreSQL's id sequences past them."""
    counts = {}
    for table in md.sorted_tables:
        if table.name not in data["tables"]:
            continue
        src = data["tables"][table.name]
        cols = [c for c in src["columns"] if c in table.c]
        idx = [src["columns"].index(c) for c in cols]
        d = conn.dialect.name
        rows = [
            {c: _for(d, _unplain(r[i])) for c, i in zip(cols, idx, strict=True)}
            for r in src["rows"]
        ]
        for start in range(0, len(rows), 2000):
            conn.execute(table.insert(), rows[start : start + 2000])
        counts[table.name] = len(rows)
    if conn.dialect.name == "postgresql":
        for table in md.sorted_tables:
            pk = list(table.primary_key.columns)
            if len(pk) == 1 and pk[0].name == "id" and table.name in data["tables"]:
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
                    )
                )
    return counts


def _wipe(conn, md: MetaData) -> None:
    for table in reversed(md.sorted_tables):
        if table.name != "alembic_version":
            conn.execute(table.delete())
