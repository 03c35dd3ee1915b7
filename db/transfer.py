"""Restoring a logical dump and moving a SQLite file onto a server (uses the engine; db.dump does not,
so that db.engine can back a server up before a migration without an import cycle)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Engine

from db.dump import _is_empty, _load, _metadata, _wipe, dump_database, read_dump, server_backup_path
from db.failures import DatabaseError


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
