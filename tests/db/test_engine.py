"""Opening, migrating, refusing and backing up the database — on real SQLite files."""

import sqlite3
import subprocess
import sys
from datetime import datetime

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from db.engine import (
    DatabaseError,
    DatabaseTooNew,
    _alembic_config,
    backup_file,
    daily_backup,
    head_revision,
    open_database,
    restore_file,
)

# About the SQLite file itself (WAL, copies of the file, its bytes); server mode: test_concurrency.
pytestmark = pytest.mark.sqlite_only


def test_new_database_is_created_with_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "t.sqlite"
    db = open_database(path)
    with db.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert c.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        assert (
            c.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        )
        assert c.execute(text("SELECT count(*) FROM plan_version")).scalar() == 6
    db.close()
    assert path.exists()


def test_env_variable_chooses_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TIANBAO_DB", str(tmp_path / "env.sqlite"))
    db = open_database()
    assert db.path == tmp_path / "env.sqlite"
    db.close()


def test_database_newer_than_program_is_refused_unchanged(tmp_path):
    path = tmp_path / "new.sqlite"
    open_database(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew) as e:
        open_database(path)
    assert "更新版本" in str(e.value)
    assert path.read_bytes() == before


def test_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(DatabaseError) as e:
        open_database(path)
    assert "不是" in str(e.value)
    assert path.read_text(encoding="utf-8") == "hello"


def test_migration_from_first_revision_keeps_data_and_backs_up(tmp_path):
    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    with engine.begin() as conn:
        cfg = _alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(
            text("INSERT INTO unit (id, code, name, level) VALUES (1, 'A', '甲区', 'county')")
        )
        conn.execute(
            text(
                "INSERT INTO unit (id, code, name, level, parent_id) VALUES (2, 'A1', '一街道', 'township', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO return (id, unit_id, plan_id, plan_version, year, status, aggregated, unit_head,"
                " stats_head, filled_by, phone, updated_at) VALUES (1, 2, 'qingyuan-children', 1, 2024, 'draft',"
                " 0, '', '', '', '', :now)"
            ),
            {"now": datetime(2025, 1, 1)},
        )
        conn.execute(
            text(
                "INSERT INTO value (return_id, indicator, cell, number, updated_at) VALUES (1, 'H01', '', 3.2, :now)"
            ),
            {"now": datetime(2025, 1, 1)},
        )
    engine.dispose()

    db = open_database(path)
    with db.engine.connect() as c:
        assert (
            c.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()
        )
        assert c.execute(text("SELECT number FROM value WHERE indicator='H01'")).scalar() == 3.2
        assert c.execute(text("SELECT name, sort FROM unit WHERE code='A1'")).one() == ("一街道", 2)
        assert c.execute(text("SELECT count(*) FROM imported_file")).scalar() == 0
    db.close()
    backups = list((tmp_path / "backups").glob("old-pre-migration-0001-*.sqlite"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    con.close()


def test_daily_backups_rotate_keeping_seven(tmp_path):
    path = tmp_path / "d.sqlite"
    open_database(path).close()
    folder = tmp_path / "backups"
    for day in range(1, 11):
        (folder / f"d-daily-202501{day:02d}.sqlite").write_bytes(b"x")
    daily_backup(path)
    kept = sorted(p.name for p in folder.glob("d-daily-*.sqlite"))
    assert len(kept) == 7
    assert kept[-1].startswith(f"d-daily-{datetime.now():%Y%m%d}")


def test_backup_and_restore_round_trip(tmp_path):
    path = tmp_path / "r.sqlite"
    db = open_database(path)
    with db.engine.begin() as c:
        c.execute(
            text("INSERT INTO unit (code, name, level, sort) VALUES ('X', '某区', 'county', 1)")
        )
    copy = backup_file(path, dest=tmp_path / "copy.sqlite")
    with db.engine.begin() as c:
        c.execute(text("DELETE FROM unit"))
    db.close()
    restore_file(copy, path)
    db = open_database(path)
    with db.engine.connect() as c:
        assert c.execute(text("SELECT name FROM unit")).scalar() == "某区"
    db.close()


def test_restore_refuses_a_broken_backup(tmp_path):
    path = tmp_path / "r.sqlite"
    open_database(path).close()
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    before = path.read_bytes()
    with pytest.raises(DatabaseError):
        restore_file(bad, path)
    assert path.read_bytes() == before


def test_core_imports_no_qt():
    """Every module of db/ and tianbao/ imports without pulling in PySide6."""
    code = (
        "import importlib, pkgutil, sys, db, tianbao\n"
        "for pkg in (db, tianbao):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if '.migrations' not in m.name: importlib.import_module(m.name)\n"
        "assert 'tianbao.services.returns' in sys.modules\n"
        "qt = [m for m in sys.modules if m.startswith('PySide6')]\n"
        "assert not qt, qt\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_known_revisions_match_the_migration_scripts():
    from alembic.script import ScriptDirectory

    from db.engine import REVISIONS

    script = ScriptDirectory.from_config(_alembic_config("sqlite://"))
    assert script.get_current_head() == head_revision() == REVISIONS[-1]
    assert [r.revision for r in reversed(list(script.walk_revisions()))] == list(REVISIONS)


def test_a_changed_builtin_file_becomes_a_new_version_once(tmp_path, monkeypatch):
    import db.plans
    import tianbao.domain.catalogue
    from db.plans import get_plan, plan_versions
    from tianbao.resources import resource_path

    path = tmp_path / "t.sqlite"
    open_database(path).close()
    plans_dir = tmp_path / "plans"
    plans_dir.mkdir()
    for f in resource_path("plans").glob("*.toml"):
        (plans_dir / f.name).write_bytes(f.read_bytes())
    paths = lambda: sorted(plans_dir.glob("*.toml"))  # noqa: E731
    monkeypatch.setattr(tianbao.domain.catalogue, "builtin_plan_paths", paths)
    monkeypatch.setattr(db.plans, "builtin_plan_paths", paths)
    f = plans_dir / "qingyuan-children.toml"
    f.write_text(f.read_text(encoding="utf-8") + "\n# a comment only\n", encoding="utf-8")
    db = open_database(path)
    with db.session() as s:
        assert len(plan_versions(s, "qingyuan-children")) == 1  # same content: no new version
    db.close()
    text_ = f.read_text(encoding="utf-8").replace('title_en = "', 'title_en = "Revised: ', 1)
    f.write_text(text_, encoding="utf-8")
    for _ in range(2):
        db = open_database(path)
        with db.session() as s:
            assert len(plan_versions(s, "qingyuan-children")) == 2
            assert get_plan(s, "qingyuan-children").title_en.startswith("Revised: ")
            assert get_plan(s, "qingyuan-children", 1).title_en.startswith("Qingyuan")
        db.close()
