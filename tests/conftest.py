import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Remembered choices (QSettings) and default data folders go to a scratch place, never the
# developer's own settings or database.
_scratch = tempfile.mkdtemp(prefix="tianbao-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_scratch, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_scratch, "data")
os.environ.pop("TIANBAO_DB", None)

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("TIANBAO_SEEDS", REPO.parent / "shared" / "seeds"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    assert SEEDS.is_dir(), f"seed documents not found at {SEEDS} (set TIANBAO_SEEDS)"
    return SEEDS


# --- the same suite on a PostgreSQL server (TIANBAO_TEST_DB_URL), see tests/support/server.py ---

from tests.support import server as _server  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only: about SQLite files themselves; skipped on a PostgreSQL server"
    )
    config.addinivalue_line(
        "markers", "server_only: needs a PostgreSQL server (TIANBAO_TEST_DB_URL)"
    )


def pytest_collection_modifyitems(config, items):
    if _server.SERVER_URL:
        skip = pytest.mark.skip(reason="about SQLite files; this run is on a PostgreSQL server")
        for item in items:
            if "sqlite_only" in item.keywords:
                item.add_marker(skip)
    else:
        skip = pytest.mark.skip(reason="needs a PostgreSQL server (set TIANBAO_TEST_DB_URL)")
        for item in items:
            if "server_only" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(scope="session")
def _server_template():
    if _server.SERVER_URL:
        _server.make_template()
    yield
    if _server.SERVER_URL:
        _server.drop_templates()


@pytest.fixture(autouse=True)
def _server_databases(request, monkeypatch):
    """On a server run, each SQLite file a test opens becomes a fresh database on the server."""
    if not _server.SERVER_URL or "sqlite_only" in request.keywords:
        yield {}
        return
    request.getfixturevalue("_server_template")
    import db.engine as engine

    mapped: dict[str, str] = {}
    original = engine.resolve_url

    def resolve(db=None):
        url = original(db)
        path = engine.sqlite_path(url)
        if path is None:
            return url
        key = str(path)
        if key not in mapped:
            if path.exists() and path.stat().st_size > 0:
                # A file the test prepared (a copy of a database built once per session).
                mapped[key] = _server.database_from_file(path, _open_sqlite)
            else:
                mapped[key] = _server.create_database()
        return _server.url_for(mapped[key])

    copying = []  # inside database_from_file: the prepared file itself is read as SQLite

    def _open_sqlite(path):
        monkeypatch.setattr(engine, "resolve_url", original)
        copying.append(path)
        try:
            return engine.open_database(path, backups=False)
        finally:
            copying.pop()
            monkeypatch.setattr(engine, "resolve_url", resolve)

    # A test that still reaches SQLite on a server run (an engine made from a sqlite:// URL that
    # did not come through the mapping) would silently test SQLite twice: it fails, unless it
    # replaced resolve_url itself (knowingly on SQLite, e.g. moving a file onto the server).
    make_engine = engine.make_engine
    reached: list[str] = []

    def watched_make_engine(url, *args, **kwargs):
        if not copying and engine.resolve_url is resolve and str(url).startswith("sqlite"):
            reached.append(str(url))
        return make_engine(url, *args, **kwargs)

    monkeypatch.setattr(engine, "resolve_url", resolve)
    monkeypatch.setattr(engine, "make_engine", watched_make_engine)
    yield mapped
    _server.drop_databases(mapped.values())
    if reached:
        pytest.fail(
            f"this test opened SQLite ({reached[0]}) on a PostgreSQL server run: open the database "
            "with db.engine.open_database (mapped to the server) or mark the test sqlite_only",
            pytrace=False,
        )
