"""Two users, two real entry-grid windows on one database: typed with real key events."""

from __future__ import annotations

import pytest

from db.engine import open_database
from db.failures import DatabaseError
from desktop.entry_model import COL_CHECK, COL_DEN, COL_NUM, COL_VALUE
from desktop.main_window import MainWindow
from desktop.saving import ConflictDialog
from tests.support import server
from tests.support.desktop import stored
from tests.support.desktop import type_cell as _type_cell
from tianbao.domain.values import Entry


@pytest.fixture
def second(qtbot, db, window):
    """Another user's window on the same return (opened before the first user types), with its
    own connection to the database, as on another computer: the same SQLite file opened again,
    or the same PostgreSQL database on a server run (TIANBAO_TEST_DB_URL)."""
    other = open_database(db.path or db.url, backups=False)
    assert other is not db and other.url == db.url
    w = MainWindow(other, window.return_id, user="乙")
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    other.close()


def type_cell(qtbot, w, code, column, text):
    """Type into one of the two windows: the user clicks it first, making it the active one."""
    w.activateWindow()
    qtbot.waitUntil(lambda: w.isActiveWindow())
    return _type_cell(qtbot, w, code, column, text)


def _choose(monkeypatch, choice):
    shown = []

    def exec_(self):
        shown.append(self.conflict)
        (self.keep_mine if choice == "mine" else self.take_theirs).click()
        return self.result()

    monkeypatch.setattr(ConflictDialog, "exec", exec_)
    return shown


def test_second_writer_sees_the_first_value_and_keeps_theirs(
    qtbot, db, window, second, monkeypatch
):
    rid = window.return_id
    window.svc.user = "甲"
    shown = _choose(monkeypatch, "mine")
    type_cell(qtbot, window, "H03", COL_NUM, "3")
    assert stored(db, rid, "H03").numerator == 3
    type_cell(qtbot, second, "H03", COL_NUM, "4")  # 乙 still shows an empty cell
    assert len(shown) == 1 and shown[0].user == "甲" and shown[0].theirs.numerator == 3
    assert stored(db, rid, "H03").numerator == 4  # 保留我的值, knowingly
    assert [h.user for h in window.svc.history(rid, "H03")] == ["甲", "乙"]


def test_taking_theirs_changes_nothing_and_shows_their_value(
    qtbot, db, window, second, monkeypatch
):
    rid = window.return_id
    shown = _choose(monkeypatch, "theirs")
    type_cell(qtbot, window, "H03", COL_NUM, "3")
    type_cell(qtbot, window, "H03", COL_DEN, "1500")
    type_cell(qtbot, second, "H03", COL_NUM, "4")
    assert shown and stored(db, rid, "H03") == Entry(numerator=3.0, denominator=1500.0)
    row = second.model.row_of("H03")
    assert second.model.index(row, COL_NUM).data() == "3"  # refreshed to their value
    assert not second.undo_stack.canUndo()  # the refused edit left nothing to undo


def test_undo_in_one_window_never_erases_what_the_other_typed(
    qtbot, db, window, second, monkeypatch
):
    rid = window.return_id
    shown = _choose(monkeypatch, "theirs")
    type_cell(qtbot, window, "H04", COL_VALUE, "96")
    second.saver.poll()
    type_cell(qtbot, second, "H04", COL_VALUE, "91")
    window.undo_action.trigger()  # Ctrl+Z in the first window: back to empty, expecting 96
    assert shown and stored(db, rid, "H04").number == 91


def test_an_open_window_shows_what_another_saved_within_seconds(qtbot, db, window, second):
    type_cell(qtbot, window, "H04", COL_VALUE, "96")
    row = second.model.row_of("H04")
    # Shown with the indicator's fixed decimals (96.00 for a rate in %).
    qtbot.waitUntil(lambda: _number(second, row, COL_VALUE) == 96, timeout=8000)


def test_a_failed_save_keeps_the_typed_value_marked_unsaved_and_retries(
    qtbot, db, window, messages, monkeypatch
):
    rid = window.return_id
    real = window.svc.save_entry
    down = {"on": True}

    def flaky(*a, **k):
        if down["on"]:
            raise DatabaseError("无法连接数据库服务器（测试）。", kind="unreachable")
        return real(*a, **k)

    monkeypatch.setattr(window.svc, "save_entry", flaky)
    type_cell(qtbot, window, "H04", COL_VALUE, "96")
    row = window.model.row_of("H04")
    assert _number(window, row, COL_VALUE) == 96  # kept in the cell
    assert "未保存" in window.model.index(row, COL_CHECK).data()
    assert any("未保存" in text for _kind, text in messages)  # told
    assert stored(db, rid, "H04").empty
    down["on"] = False
    qtbot.waitUntil(lambda: stored(db, rid, "H04").number == 96, timeout=12000)  # retried
    qtbot.waitUntil(lambda: "未保存" not in (window.model.index(row, COL_CHECK).data() or ""))
    assert _number(window, row, COL_VALUE) == 96


def _number(window, row, column) -> float | None:
    """The number a cell shows (with the indicator's fixed decimals, e.g. 96.00)."""
    text = window.model.index(row, column).data() or ""
    try:
        return float(text)
    except ValueError:
        return None


@pytest.mark.server_only
@pytest.mark.skipif(
    bool(server.SERVER_URL) and not server.can_stop_server(),
    reason="stopping the server needs TIANBAO_TEST_PG_BIN/_DATA (as .ci/run sets)",
)
def test_the_server_stopped_while_typing_keeps_the_value_and_saves_it_when_back(
    qtbot, db, window, second, messages
):
    """The real server goes away (pg_ctl stop) while 甲 types: nothing typed is lost."""
    rid = window.return_id
    row = window.model.row_of("H04")
    server.stop_server()
    try:
        type_cell(qtbot, window, "H04", COL_VALUE, "96")
        assert _number(window, row, COL_VALUE) == 96  # kept in the cell
        assert "未保存" in window.model.index(row, COL_CHECK).data()
        assert any("未保存" in text and "无法连接数据库服务器" in text for _k, text in messages)
        assert window.saver.retry() == 1  # still down: still kept
    finally:
        server.start_server()
    qtbot.waitUntil(lambda: stored(db, rid, "H04").number == 96, timeout=15000)  # retried
    qtbot.waitUntil(lambda: "未保存" not in (window.model.index(row, COL_CHECK).data() or ""))
    assert len(window.svc.history(rid, "H04")) == 1  # saved once, by the retry
    # 乙's window, whose connections the restart cut too, shows it on its next poll.
    qtbot.waitUntil(
        lambda: _number(second, second.model.row_of("H04"), COL_VALUE) == 96, timeout=8000
    )
