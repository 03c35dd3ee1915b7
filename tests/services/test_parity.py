"""The command line and the desktop apply the same rules: both go through the same services.

Each case does one thing twice — once as ``tianbao …`` on the command line, once the way the desktop
does it (what the entry grid turns typed text into, then the service call it makes) — on two fresh
databases, and compares what was stored and what was refused.
"""

from __future__ import annotations

import pytest

from db import repo
from db.engine import open_database
from tianbao.cli.main import main
from tianbao.domain.editing import edited
from tianbao.domain.errors import KnownError
from tianbao.domain.values import Entry
from tianbao.services.returns import ReturnService

PLAN = "xinhua-children"
YEAR = 2024


def _db(path):
    db = open_database(path, backups=False)
    with db.session() as s:
        repo.add_unit(s, "D", "甲区", "county")
        repo.add_unit(s, "T1", "一街道", "township", "D")
    return db


@pytest.fixture
def two(tmp_path):
    cli, gui = _db(tmp_path / "cli.sqlite"), _db(tmp_path / "gui.sqlite")
    yield tmp_path / "cli.sqlite", cli, gui
    cli.close()
    gui.close()


def _qualitative_code(db) -> str:
    svc = ReturnService(db)
    view = svc.view(svc.open("T1", PLAN, YEAR).id)
    return next(r.indicator.code for r in view.rows if r.indicator.kind == "yesno")


def _rate_code(db) -> str:
    svc = ReturnService(db)
    view = svc.view(svc.open("T1", PLAN, YEAR).id)
    return next(r.indicator.code for r in view.rows if r.indicator.kind == "rate")


def _stored(db, code):
    svc = ReturnService(db)
    rid = svc.open("T1", PLAN, YEAR).id
    with db.session() as s:
        return repo.entries(s, rid).get((code, ""), Entry())


def _gui_types(db, code, text):
    svc = ReturnService(db, user="张三")
    rid = svc.open("T1", PLAN, YEAR).id
    ind = svc.view(rid).row(code).indicator
    svc.save_entry(rid, code, "", edited(ind, _stored(db, code), "value", text))


@pytest.mark.parametrize(
    "typed, choice", [("y", "yes"), ("是", "yes"), ("部分", "partly"), ("否", "no")]
)
def test_a_choice_typed_on_either_side_is_stored_alike(two, capsys, typed, choice):
    path, cli, gui = two
    code = _qualitative_code(cli)
    assert main(["--db", str(path), "enter", "T1", PLAN, str(YEAR), code, typed]) == 0
    _gui_types(gui, code, typed)
    assert _stored(cli, code) == _stored(gui, code) == Entry(choice=choice)


def test_an_invalid_choice_is_refused_on_both_sides(two, capsys):
    path, cli, gui = two
    code = _qualitative_code(cli)
    assert main(["--db", str(path), "enter", "T1", PLAN, str(YEAR), code, "maybe"]) == 2
    err = capsys.readouterr().err
    with pytest.raises(KnownError) as exc:
        _gui_types(gui, code, "maybe")
    assert str(exc.value) in err and "是 / 部分 / 否" in err
    assert _stored(cli, code) == _stored(gui, code) == Entry()


def test_a_negative_baseline_is_refused_on_both_sides(two, capsys):
    path, cli, gui = two
    code = _rate_code(cli)
    assert main(["--db", str(path), "baseline", "T1", PLAN, code, "2020", "-3"]) == 2
    err = capsys.readouterr().err
    svc = ReturnService(gui)
    rid = svc.open("T1", PLAN, YEAR).id
    with pytest.raises(KnownError) as exc:
        svc.save_baseline(rid, code, 2020, -3.0)
    assert str(exc.value) in err
    for db in (cli, gui):
        with db.session() as s:
            assert repo.baselines(s, repo.unit_by_code(s, "T1").id, PLAN) == {}


def test_a_baseline_set_on_either_side_is_the_same(two, capsys):
    path, cli, gui = two
    code = _rate_code(cli)
    assert main(["--db", str(path), "baseline", "T1", PLAN, code, "2020", "5.5"]) == 0
    svc = ReturnService(gui)
    svc.save_baseline(svc.open("T1", PLAN, YEAR).id, code, 2020, 5.5)
    got = []
    for db in (cli, gui):
        with db.session() as s:
            got.append(repo.baselines(s, repo.unit_by_code(s, "T1").id, PLAN))
    assert got[0] == got[1] and got[0]


@pytest.mark.parametrize("typed", ["1,234", "１２３４", "1234。0"])
def test_numbers_typed_on_either_side_parse_alike(two, capsys, typed):
    path, cli, gui = two
    code = next(
        r.indicator.code
        for r in ReturnService(cli).view(ReturnService(cli).open("T1", PLAN, YEAR).id).rows
        if r.indicator.kind == "count"
    )
    assert main(["--db", str(path), "enter", "T1", PLAN, str(YEAR), code, typed]) == 0
    _gui_types(gui, code, typed)
    assert _stored(cli, code).number == _stored(gui, code).number == 1234
