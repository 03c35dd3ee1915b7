"""A fresh database per test, copied from one built per session (migrations and the built-in
plans take a second to set up), with a county and three townships on a real built-in plan."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from db.engine import open_database
from tests.support import xlsx as h


@pytest.fixture(scope="session")
def base_db_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("base") / "base.sqlite"
    h.make_db(path).close()
    return path


def _copy(base: Path, dest: Path):
    shutil.copyfile(base, dest)
    return open_database(dest, backups=False)


@pytest.fixture
def db(base_db_file, tmp_path):
    d = _copy(base_db_file, tmp_path / "mine.sqlite")
    yield d
    d.close()


@pytest.fixture
def other_db(base_db_file, tmp_path):
    """The colleague's (or the upper level's) database: same units, no values."""
    d = _copy(base_db_file, tmp_path / "theirs.sqlite")
    yield d
    d.close()


@pytest.fixture
def plan(db):
    return h.plan_of(db)


@pytest.fixture
def entries(plan):
    return h.sample_entries(plan)


@pytest.fixture
def explanations(plan):
    return h.sample_explanations(plan)


@pytest.fixture
def filled(db, entries, explanations) -> int:
    """The return of T01 for 2024 with a value in every cell and four explanations."""
    return h.fill_return(db, h.UNIT, h.YEAR, entries, explanations)
