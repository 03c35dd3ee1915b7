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
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Date, DateTime, MetaData, String, func, inspect, select, text
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
    from db.engine import default_db_path

    u = make_url(url)
    name = f"{u.host or 'local'}-{u.database or 'db'}".replace("/", "_").replace(":", "_")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return default_db_path().parent / "backups" / f"server-{name}-{reason}-{stamp}.json.gz"


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


def restore_dump(url: str, path: Path, *, backup_first: bool = True) -> Path | None:
    """Load a dump into the database at ``url``; returns the safety dump of what it replaced."""
    from alembic import command

    from db.engine import REVISIONS, _alembic_config, make_engine, migrate

    data = read_dump(path)
    rev = data.get("revision")
    if rev not in REVISIONS:
        raise DatabaseError(
            f"备份“{path}”来自更新版本的 Tianbao（结构版本 {rev}），本程序无法恢复。请安装最新版本后再恢复。"
        )
    engine = make_engine(url)
    saved = None
    try:
        with engine.connect() as conn:
            has_schema = inspect(conn).has_table("alembic_version")
            current = (
                conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if has_schema
                else None
            )
        if current is not None and current != rev:
            raise DatabaseError(
                f"目标数据库的结构版本（{current}）与备份的（{rev}）不同，未恢复。"
                "请恢复到一个新的空数据库（程序会先建立备份时的结构，再升级）。"
            )
        if current is not None and backup_first:
            saved = dump_database(engine, server_backup_path(url, "pre-restore"))
        with engine.execution_options(tianbao_write=True).begin() as conn:
            if current is None:
                cfg = _alembic_config(url)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, rev)
            md = _metadata(conn)
            _wipe(conn, md)
            _load(conn, md, data)
        migrate(engine, url, backups=False)
    finally:
        engine.dispose()
    return saved


@dataclass(frozen=True)
class MoveResult:
    counts: dict[str, int]
    returns: int
    fingerprints_match: bool


def move_to(src_db, target_url: str) -> MoveResult:
    """Copy an office's SQLite database onto an empty server database and verify the copy."""
    from db.engine import _translated, make_engine, migrate

    src_engine = src_db.engine
    with _translated():
        dst = make_engine(target_url)
        try:
            migrate(dst, target_url, backups=False)
            with dst.connect() as conn:
                md = _metadata(conn)
                if not _is_empty(conn, md):
                    raise DatabaseError(
                        "目标服务器数据库中已有数据，未复制（为避免混合两份数据）。"
                        "请使用一个新的空数据库，或先备份并清空它。"
                    )
            with src_engine.connect() as sconn:
                src_md = _metadata(sconn)
                data = {"tables": {}}
                for table in src_md.sorted_tables:
                    if table.name == "alembic_version":
                        continue
                    rows = sconn.execute(select(table)).all()
                    data["tables"][table.name] = {
                        "columns": [c.name for c in table.columns],
                        "rows": [list(r) for r in rows],
                    }
            with dst.begin() as conn:
                md = _metadata(conn)
                _wipe(conn, md)  # plan versions the migration may not have; nothing else is there
                counts = _load(conn, md, data)
            result = _verify(src_engine, dst, counts)
        finally:
            dst.dispose()
    return result


def _fingerprints(engine: Engine) -> dict[tuple[str, str, int], str]:
    from sqlalchemy.orm import Session

    from db import repo
    from db.models import Return
    from tianbao.domain.fingerprint import fingerprint

    out = {}
    with Session(engine) as s:
        for r in s.scalars(select(Return)):
            out[(r.unit.code, r.plan_id, r.year)] = fingerprint(
                r.plan_id, r.plan_version, r.unit.code, r.year, repo.entries(s, r.id)
            )
    return out


def _verify(src: Engine, dst: Engine, counts: dict[str, int]) -> MoveResult:
    with src.connect() as a, dst.connect() as b:
        for name in counts:
            md_a, md_b = _metadata(a), _metadata(b)
            na = a.execute(select(func.count()).select_from(md_a.tables[name])).scalar()
            nb = b.execute(select(func.count()).select_from(md_b.tables[name])).scalar()
            if na != nb:
                raise DatabaseError(
                    f"复制后核对失败：表 {name} 在原数据库有 {na} 行，在服务器上有 {nb} 行。"
                    "服务器上的数据不可用，请清空后重试。"
                )
    fa, fb = _fingerprints(src), _fingerprints(dst)
    if fa != fb:
        bad = sorted(k for k in fa if fa.get(k) != fb.get(k))
        raise DatabaseError(
            f"复制后核对失败：{len(bad)} 份报表的校验码不一致（如 {bad[0]}）。服务器上的数据不可用，请清空后重试。"
        )
    return MoveResult(counts, len(fa), True)
