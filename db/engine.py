"""Opening the database: location, SQLite settings, migrations, backups.

The database is opened before any window. ``open_database`` returns a :class:`Database` holding
the engine and a session factory; callers open one session per user action
(``with db.session() as s:`` commits on success, rolls back on error).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from tianbao.domain.errors import KnownError

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The schema revisions this program knows, oldest first (a test checks them against Alembic's
# scripts).  Knowing the head lets an up-to-date database open without importing Alembic,
# which costs a fifth of a second at every start.
REVISIONS = ("0001", "0002", "0003_duties", "0004_concurrency", "0005_assembly")
HEAD = REVISIONS[-1]
KEEP_DAILY_BACKUPS = 7


class DatabaseError(KnownError):
    """A database that cannot be used, with a message for the user in Chinese."""


class DatabaseTooNew(DatabaseError):
    pass


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("Tianbao", appauthor=False)) / "tianbao.sqlite"


def resolve_url(db: str | os.PathLike | None = None) -> str:
    """``--db`` / ``TIANBAO_DB`` / the default file, as a SQLAlchemy URL.

    A plain path means a SQLite file; anything with ``://`` is taken as a SQLAlchemy URL, so an
    office can point several PCs at one PostgreSQL server.
    """
    db = db or os.environ.get("TIANBAO_DB") or default_db_path()
    text = str(db)
    if "://" in text:
        return text
    path = Path(text).expanduser().resolve()
    return f"sqlite:///{path}"


def sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    return HEAD


def current_revision(engine: Engine) -> str | None:
    """The schema revision stamped in the database, or None for a new (empty) one."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


@dataclass
class Database:
    url: str
    engine: Engine
    factory: sessionmaker[Session]

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls back on an exception."""
        with self.factory.begin() as s:
            yield s

    def close(self) -> None:
        self.engine.dispose()


def make_engine(url: str) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        engine = create_engine(url, connect_args={"timeout": 5})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def open_database(db: str | os.PathLike | None = None, *, backups: bool = True) -> Database:
    """Open (creating or migrating as needed) the database; refuse one newer than the program."""
    url = resolve_url(db)
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(url)
    try:
        migrate(engine, url, backups=backups)
    except Exception:
        engine.dispose()
        raise
    if backups and path is not None:
        daily_backup(path)
    factory = sessionmaker(engine, expire_on_commit=False)
    from db.plans import sync_builtin_plans

    db_ = Database(url, engine, factory)
    with db_.session() as s:
        sync_builtin_plans(s)
    return db_


def _check_sqlite_file(path: Path) -> None:
    if not path.exists() or path.stat().st_size == 0:
        return
    with open(path, "rb") as f:
        head = f.read(16)
    if head != b"SQLite format 3\x00":
        raise DatabaseError(
            f"“{path}”不是 Tianbao 的数据库文件（也不是 SQLite 文件）。"
            "请检查所选文件，或另选一个位置新建数据库。"
        )


def migrate(engine: Engine, url: str, *, backups: bool = True) -> None:
    """Bring the schema to the head revision, backing the file up first if it holds data."""
    try:
        current = current_revision(engine)
    except Exception as e:  # noqa: BLE001 - a damaged file shows here first
        raise DatabaseError(f"无法读取数据库：{e}。文件可能已损坏，请从备份恢复。") from e
    if current == HEAD:
        return
    if current is not None and current not in REVISIONS:
        raise DatabaseTooNew(
            f"该数据库由更新版本的 Tianbao 创建（结构版本 {current}），本程序无法安全打开。"
            "请安装最新版本的 Tianbao 后再打开；为保护数据，本程序未做任何更改。"
        )
    path = sqlite_path(url)
    if current is not None and backups and path is not None:
        backup_file(path, reason=f"pre-migration-{current}")
    from alembic import command

    with engine.begin() as conn:
        cfg = _alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def backups_dir(path: Path) -> Path:
    return path.parent / "backups"


def backup_file(path: Path, *, reason: str = "manual", dest: Path | None = None) -> Path:
    """A consistent copy of a live SQLite file (SQLite's online backup, safe under WAL)."""
    if dest is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        dest = backups_dir(path) / f"{path.stem}-{reason}-{stamp}.sqlite"
    dest.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(path)
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    return dest


def daily_backup(path: Path, keep: int = KEEP_DAILY_BACKUPS) -> Path | None:
    """Once a day, copy the database into backups/; keep the newest ``keep`` daily copies."""
    folder = backups_dir(path)
    today = datetime.now().strftime("%Y%m%d")
    daily = sorted(folder.glob(f"{path.stem}-daily-*.sqlite"))
    made = None
    if not any(p.name.startswith(f"{path.stem}-daily-{today}") for p in daily):
        made = backup_file(path, reason="daily", dest=folder / f"{path.stem}-daily-{today}.sqlite")
        daily = sorted(folder.glob(f"{path.stem}-daily-*.sqlite"))
    for old in daily[:-keep]:
        old.unlink(missing_ok=True)
    return made


def restore_file(backup: Path, path: Path) -> Path:
    """Replace the database with a backup, keeping a copy of the current file first."""
    _check_sqlite_file(backup)
    if not backup.exists():
        raise DatabaseError(f"找不到备份文件“{backup}”。")
    check = sqlite3.connect(backup)
    try:
        ok = check.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    except sqlite3.DatabaseError as e:
        raise DatabaseError(f"备份文件“{backup}”已损坏：{e}。请选择另一个备份。") from e
    finally:
        check.close()
    if ok != "ok" or "alembic_version" not in tables:
        raise DatabaseError(f"“{backup}”不是完好的 Tianbao 数据库备份，未恢复。")
    saved = None
    if path.exists():
        saved = backup_file(path, reason="pre-restore")
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    tmp = path.with_suffix(".restoring")
    shutil.copyfile(backup, tmp)
    os.replace(tmp, path)
    return saved or path
