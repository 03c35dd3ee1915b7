"""Opening the database: location, SQLite settings, migrations, backups.

The database is opened before any window. ``open_database`` returns a :class:`Database` holding
the engine and a session factory; callers open one session per user action
(``with db.session() as s:`` commits on success, rolls back on error).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from db.failures import DatabaseError, DatabaseTooNew, translate
from db.locks import LOCK_MIGRATE, LOCK_PLANS, lock
from db.netshare import network_share

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The schema revisions this program knows, oldest first (a test checks them against Alembic's
# scripts).  Knowing the head lets an up-to-date database open without importing Alembic,
# which costs a fifth of a second at every start.
REVISIONS = ("0001", "0002", "0003_duties", "0004_concurrency", "0005_assembly")
HEAD = REVISIONS[-1]
KEEP_DAILY_BACKUPS = 7


# DatabaseError and DatabaseTooNew live in db.failures (with the translation of driver errors);
# they are importable from here as before.
# Server mode timeouts (seconds): connecting, one statement, a transaction left idle by a PC.
PG_CONNECT_TIMEOUT = 10
PG_STATEMENT_TIMEOUT = 30
PG_LOCK_TIMEOUT = 15
PG_IDLE_IN_TRANSACTION_TIMEOUT = 20


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("Tianbao", appauthor=False)) / "tianbao.sqlite"


def demo_db_path() -> Path:
    """The demonstration data lives beside the user's own database, in its own file."""
    return default_db_path().with_name("tianbao-demo.sqlite")


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


def _sqlite_connect(journal: str):
    def on_connect(dbapi_conn, _record) -> None:
        # The driver's own transaction handling is off: SQLAlchemy's "begin" event below emits
        # BEGIN (or BEGIN IMMEDIATE for a write unit of work, so two writers queue instead of
        # one failing with "database is locked" when it upgrades its read lock).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.execute(f"PRAGMA journal_mode={journal}")
        cur.execute("PRAGMA synchronous=NORMAL" if journal == "WAL" else "PRAGMA synchronous=FULL")
        cur.close()

    return on_connect


def _sqlite_begin(conn) -> None:
    immediate = conn.get_execution_options().get("tianbao_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_pragmas(dbapi_conn, record) -> None:  # kept for callers that listened to it
    _sqlite_connect("WAL")(dbapi_conn, record)


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
    #: a session factory whose transactions take the write lock at once (BEGIN IMMEDIATE on SQLite)
    write_factory: sessionmaker[Session] | None = None
    #: a risk the user should be told about (e.g. the file is on a network share), or ""
    warning: str = ""

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @property
    def is_server(self) -> bool:
        return self.path is None and make_url(self.url).get_backend_name() != "sqlite"

    @property
    def public_url(self) -> str:
        """The URL without its password: what may be shown, logged or remembered in the settings."""
        return public_url(self.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls back on an exception.

        Database failures (server gone, timeout, locked, disk full …) come out as
        :class:`DatabaseError` with a message for the user."""
        with _translated():
            with self.factory.begin() as s:
                yield s

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work that writes: on SQLite it holds the write lock from its first statement,
        so what it reads is still true when it writes; on PostgreSQL rows are locked as written
        (``repo.lock_return``) and the statement and idle timeouts bound any wait."""
        with _translated():
            with (self.write_factory or self.factory).begin() as s:
                yield s

    def close(self) -> None:
        self.engine.dispose()


@contextmanager
def _translated() -> Iterator[None]:
    from sqlalchemy import exc as sa_exc

    try:
        yield
    except sa_exc.SQLAlchemyError as e:
        known = translate(e)
        if known is None:
            raise
        raise known from e


def public_url(url: str) -> str:
    u = make_url(url)
    if u.password is None:
        return url if "://" in url else u.render_as_string(hide_password=False)
    return u.set(password=None).render_as_string(hide_password=False)


def make_engine(url: str, *, journal: str = "WAL") -> Engine:
    path = sqlite_path(url)
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": 5})
        event.listen(engine, "connect", _sqlite_connect(journal))
        event.listen(engine, "begin", _sqlite_begin)
        del path
    else:
        args = {}
        if u.get_backend_name() == "postgresql":
            options = (
                f"-c statement_timeout={PG_STATEMENT_TIMEOUT * 1000}"
                f" -c lock_timeout={PG_LOCK_TIMEOUT * 1000}"
                f" -c idle_in_transaction_session_timeout={PG_IDLE_IN_TRANSACTION_TIMEOUT * 1000}"
            )
            args = {
                "connect_timeout": PG_CONNECT_TIMEOUT,
                "options": options,
                "application_name": "tianbao",
            }
            if "keepalives" not in u.query:
                args.update(keepalives=1, keepalives_idle=30, keepalives_interval=10)
        engine = create_engine(url, pool_pre_ping=True, connect_args=args)
    return engine


def _journal_for(path: Path) -> tuple[str, str]:
    """The journal mode for a SQLite file and the risk to tell the user (network shares)."""
    share = network_share(path)
    if share is None:
        return "WAL", ""
    return "DELETE", (
        f"数据库文件“{path}”位于网络共享上（{share}）。网络共享不支持 SQLite 的 WAL 模式，"
        "程序已改用较安全的 DELETE 日志模式；但多台电脑同时通过网络共享写同一个文件仍可能损坏数据。"
        "多人同时填报请改用服务器模式（“连接服务器…”，PostgreSQL），或把文件放在本机磁盘上。"
    )


def open_database(db: str | os.PathLike | None = None, *, backups: bool = True) -> Database:
    """Open (creating or migrating as needed) the database; refuse one newer than the program.

    Safe when several PCs do it at once on a new or outdated database: the migration and the
    sync of the built-in plans each run under a lock and re-check what is there first."""
    url = resolve_url(db)
    path = sqlite_path(url)
    journal, warning = "WAL", ""
    if path is not None:
        _check_sqlite_file(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        journal, warning = _journal_for(path)
        if journal != "WAL":
            _refuse_shared_wal(path)
    engine = make_engine(url, journal=journal)
    try:
        with _translated():
            migrate(engine, url, backups=backups)
    except Exception:
        engine.dispose()
        raise
    if backups and path is not None:
        daily_backup(path)
    factory = sessionmaker(engine, expire_on_commit=False)
    write_factory = sessionmaker(
        engine.execution_options(tianbao_write=True), expire_on_commit=False
    )
    from db.plans import builtin_plans_synced, sync_builtin_plans

    db_ = Database(url, engine, factory, write_factory, warning)
    try:
        with db_.session() as s:
            synced = builtin_plans_synced(s)
        if not synced:
            with db_.write() as s:
                lock(s, LOCK_PLANS)
                sync_builtin_plans(s)
    except Exception:
        engine.dispose()
        raise
    return db_


def _refuse_shared_wal(path: Path) -> None:
    """A file on a network share still in WAL mode with its -wal file present is being used in a
    mode that share cannot support: refuse rather than risk it, and say what to do."""
    wal = Path(str(path) + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise DatabaseError(
            f"数据库文件“{path}”位于网络共享上，且正以 WAL 模式被使用（存在“{wal.name}”）。"
            "WAL 模式在网络共享上不安全，为保护数据，程序没有打开它。请先在正在使用它的电脑上关闭 Tianbao，"
            "或改用服务器模式（“连接服务器…”，PostgreSQL）让多台电脑共用一个数据库。",
            f"The database file {path} is on a network share and in use in WAL mode; it was not "
            "opened. Close Tianbao on the PC using it, or use server mode (PostgreSQL).",
            kind="locked",
        )


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
    """Bring the schema to the head revision, backing the data up first if there is any.

    The check and the upgrade happen in one transaction that holds a lock (BEGIN IMMEDIATE on
    SQLite, an advisory lock on PostgreSQL), so PCs starting at once upgrade it exactly once."""
    try:
        current = current_revision(engine)
    except Exception as e:
        known = translate(e)
        if known is not None and known.kind != "other":
            raise known from e
        raise DatabaseError(
            f"无法读取数据库：{e}。文件可能已损坏，请从备份恢复。", kind="corrupt"
        ) from e
    if current == HEAD:
        return
    _refuse_newer(current)
    path = sqlite_path(url)
    if current is not None and backups:
        if path is not None:
            backup_file(path, reason=f"pre-migration-{current}")
        else:
            from db.dump import dump_database, server_backup_path

            dump_database(engine, server_backup_path(url, f"pre-migration-{current}"))
    from alembic import command

    with engine.execution_options(tianbao_write=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_MIGRATE})
        # Another PC may have migrated while this one waited for the lock.
        now = (
            conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if inspect(conn).has_table("alembic_version")
            else None
        )
        if now == HEAD:
            return
        _refuse_newer(now)
        cfg = _alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _refuse_newer(current: str | None) -> None:
    if current is not None and current not in REVISIONS:
        raise DatabaseTooNew(
            f"该数据库由更新版本的 Tianbao 创建（结构版本 {current}），本程序无法安全打开。"
            "请安装最新版本的 Tianbao 后再打开；为保护数据，本程序未做任何更改。"
        )


def backups_dir(path: Path) -> Path:
    return path.parent / "backups"


def backup_file(path: Path, *, reason: str = "manual", dest: Path | None = None) -> Path:
    """A consistent copy of a live SQLite file (SQLite's online backup, safe under WAL).

    The copy is written under a temporary name (``….partial``), flushed to disk, checked with
    ``PRAGMA integrity_check`` and only then renamed to ``dest``: a copy interrupted by a crash
    or a kill never carries a backup's name, and a broken one is deleted, not kept."""
    if dest is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        dest = backups_dir(path) / f"{path.stem}-{reason}-{stamp}.sqlite"
    dest.parent.mkdir(parents=True, exist_ok=True)
    # One temporary name per process: two programs starting at once may both copy today's backup.
    tmp = dest.with_name(f"{dest.name}.{os.getpid()}.partial")
    tmp.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(path)
        try:
            out = sqlite3.connect(tmp)
            try:
                src.backup(out)
                ok = out.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                out.close()
        finally:
            src.close()
        if ok != "ok":
            raise DatabaseError(
                f"数据库备份未通过完整性检查（{str(ok)[:80]}），未保存该备份。"
                "数据库文件可能已损坏：请用 tianbao restore 从较早的备份恢复，或联系技术支持。"
            )
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except sqlite3.DatabaseError as e:
        raise DatabaseError(
            f"无法备份数据库：{e}。数据库文件可能已损坏，请从较早的备份恢复。"
        ) from e
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def _is_sqlite_file(p: Path) -> bool:
    try:
        with open(p, "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def daily_backup(path: Path, keep: int = KEEP_DAILY_BACKUPS) -> Path | None:
    """Once a day, copy the database into backups/; keep the newest ``keep`` daily copies.

    Today's copy is made again if the one there is not a SQLite file (left by a version that
    wrote backups in place); leftovers of interrupted copies (``*.partial`` older than an hour)
    are removed."""
    folder = backups_dir(path)
    today = datetime.now().strftime("%Y%m%d")
    for stale in folder.glob(f"{path.stem}-daily-*.partial"):
        try:  # left by an interrupted copy, not one in progress in another process
            if time.time() - stale.stat().st_mtime > 3600:
                stale.unlink(missing_ok=True)
        except OSError:
            pass
    daily = sorted(folder.glob(f"{path.stem}-daily-*.sqlite"))
    made = None
    todays = [p for p in daily if p.name.startswith(f"{path.stem}-daily-{today}")]
    if not any(_is_sqlite_file(p) for p in todays):
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
