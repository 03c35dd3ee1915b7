"""Running the suite on a PostgreSQL server: ``TIANBAO_TEST_DB_URL=postgresql+psycopg://…``.

Every SQLite file a test opens through ``db.engine`` (``open_database(tmp_path / "x.sqlite")``) is
mapped to a fresh database on that server, copied from a template that is already migrated and
holds the built-in plans, and dropped when the test ends.  Tests about SQLite files themselves
(WAL, backup copies, the file on disk) are marked ``sqlite_only`` and skipped there.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from sqlalchemy.engine import make_url

SERVER_URL = os.environ.get("TIANBAO_TEST_DB_URL", "").strip()
TEMPLATE = "tianbao_test_template"
_counter = itertools.count(1)


def _admin():
    import psycopg

    u = make_url(SERVER_URL)
    kw = {
        "dbname": u.database or "postgres",
        "user": u.username,
        "password": u.password,
        "host": u.query.get("host") or u.host,
        "port": u.port,
        "autocommit": True,
    }
    return psycopg.connect(**{k: v for k, v in kw.items() if v is not None})


def url_for(name: str) -> str:
    return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def make_template() -> None:
    """A migrated database with the built-in plans, copied for each test (fast: no migration)."""
    from db.engine import open_database

    with _admin() as c:
        c.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{TEMPLATE}"')
    open_database(url_for(TEMPLATE), backups=False).close()


def create_database() -> str:
    name = f"t_{os.getpid()}_{next(_counter)}"
    with _admin() as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    return name


def drop_databases(names) -> None:
    if not names:
        return
    with _admin() as c:
        for name in names:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stop_server_connections(name: str) -> int:
    """End every connection to one test database (as if its server went away for it)."""
    with _admin() as c:
        rows = c.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchall()
    return len(rows)


_copies: dict[str, str] = {}


def database_from_file(path, open_sqlite) -> str:
    """A fresh server database holding what a SQLite file holds (a test made the file, e.g. by
    copying a prepared one): copied once per content with ``move_to``, then used as a template."""
    import hashlib

    from db.transfer import move_to

    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
    template = _copies.get(digest)
    if template is None:
        template = f"tf_{os.getpid()}_{digest}"
        with _admin() as c:
            c.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{template}"')
        src = open_sqlite(path)
        try:
            move_to(src, url_for(template))
        finally:
            src.close()
        _copies[digest] = template
    name = f"t_{os.getpid()}_{next(_counter)}"
    with _admin() as c:
        c.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name


def drop_templates() -> None:
    drop_databases([*_copies.values(), TEMPLATE])


def create_empty_database() -> str:
    """A new database with nothing in it (not even the schema)."""
    name = f"e_{os.getpid()}_{next(_counter)}"
    with _admin() as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')
    return name


def _pg_ctl() -> list[str] | None:
    bin_dir, data = os.environ.get("TIANBAO_TEST_PG_BIN"), os.environ.get("TIANBAO_TEST_PG_DATA")
    if not bin_dir or not data:
        return None
    owner = Path(data).stat().st_uid
    prefix = []
    if os.getuid() == 0 and owner != 0:
        import pwd

        prefix = ["runuser", "-u", pwd.getpwuid(owner).pw_name, "--"]
    return [*prefix, f"{bin_dir}/pg_ctl", "-D", data]


def can_stop_server() -> bool:
    """Whether this run may stop and start its server (.ci/run sets TIANBAO_TEST_PG_BIN/_DATA)."""
    return _pg_ctl() is not None


def stop_server() -> None:
    """Stop the test server at once (fast shutdown: open transactions are cut off)."""
    import subprocess

    subprocess.run([*_pg_ctl(), "-m", "fast", "-w", "stop"], check=True, capture_output=True)


def start_server() -> None:
    import subprocess

    log = Path(os.environ["TIANBAO_TEST_PG_DATA"]).parent / "restart.log"
    subprocess.run(
        [*_pg_ctl(), "-l", str(log), "-w", "-t", "60", "start"], check=True, capture_output=True
    )
