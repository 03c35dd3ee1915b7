"""After a typed value the grid re-reads and signals only what changed — and still shows
everything a whole re-read would: others' changes, fitted row heights, the side panel."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from desktop.entry_model import COL_EXPLAIN, COL_NAME, COL_VALUE
from tests.support.desktop import open_editor, stored, type_cell
from tianbao.domain.values import Entry
from tianbao.services.returns import ReturnService


def signalled_rows(window):
    rows: set[int] = set()

    def record(top, bottom, _roles=()):
        rows.update(range(top.row(), bottom.row() + 1))

    window.model.dataChanged.connect(record)
    return rows


def grid_rows_of(window, code):
    m = window.model
    return {i for i in range(m.rowCount()) if m.grid_row(i).row.indicator.code == code}


def test_only_the_edited_indicators_rows_are_signalled(qtbot, window, db):
    rows = signalled_rows(window)
    # H03 新生儿死亡率 has urban and rural sub-rows: its three grid rows, nothing else.
    type_cell(qtbot, window, "H03", COL_VALUE, "2.5")
    assert stored(db, window.return_id, "H03").number == 2.5
    assert rows and rows <= grid_rows_of(window, "H03")
    assert window.model.row_of("H03") in rows
    rows.clear()
    type_cell(qtbot, window, "H08", COL_VALUE, "96")
    assert rows == grid_rows_of(window, "H08")


def test_another_users_change_meanwhile_shows_after_a_save(qtbot, window, db):
    ReturnService(db, user="李强").save_entry(window.return_id, "H07", "", Entry(number=97.5))
    type_cell(qtbot, window, "H08", COL_VALUE, "96")
    m = window.model
    assert m.data(m.index(m.row_of("H07"), COL_VALUE)) == "97.50"
    assert m.data(m.index(m.row_of("H08"), COL_VALUE)) == "96.00"
    # The history has the real user of each change.
    users = {a.user for a in window.svc.history(window.return_id) if a.action == "value"}
    assert "李强" in users


def test_row_heights_fit_wrapped_text_after_a_save_and_a_narrower_column(qtbot, window):
    grid = window.grid
    row = grid.proxy.mapFromSource(window.model.index(window.model.row_of("H08"), 0)).row()
    one_line = grid.rowHeight(row)
    long = "新生儿听力筛查设备年内更换，停检两个月，其间转往市妇幼保健院筛查，数据由该院补报。"
    editor = open_editor(qtbot, window, "H08", COL_EXPLAIN)
    ime = QInputMethodEvent("", [])  # Chinese arrives from an input method as one commit
    ime.setCommitString(long)
    QApplication.sendEvent(editor, ime)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert window.view.row("H08").explanation == long
    assert grid.rowHeight(row) == grid.sizeHintForRow(row) > one_line
    # A narrower name column wraps the names onto more lines: the rows grow to fit.
    h01 = grid.proxy.mapFromSource(window.model.index(window.model.row_of("H01"), 0)).row()
    before = grid.rowHeight(h01)
    grid.horizontalHeader().resizeSection(COL_NAME, 60)
    qtbot.waitUntil(lambda: grid.rowHeight(h01) > before)
    assert grid.rowHeight(h01) == grid.sizeHintForRow(h01)


def test_the_side_panel_shows_the_cell_enter_moved_to(qtbot, window):
    type_cell(qtbot, window, "H08", COL_VALUE, "96")  # Enter: on to its 情况说明
    QApplication.processEvents()
    g = window.model.grid_row(window.grid.source_row(window.grid.currentIndex()))
    assert window.side.title.text().startswith(g.row.indicator.code)
    # Its history lists the value just typed.
    type_cell(qtbot, window, "H08", COL_VALUE, "95")
    window.grid.select_cell(window.model.row_of("H08"), COL_VALUE)
    texts = [window.side.history.item(0, c).text() for c in range(4)]
    assert "96 → 95" in texts[1]


def test_the_side_panel_says_when_the_history_cannot_be_read(qtbot, window, monkeypatch):
    """A database out of reach while the cursor moves (a server stopped): no error escapes into the
    event loop, the panel shows the row and says why its history is missing, the status bar is left
    to the saver's 未保存 message."""
    from PySide6.QtTest import QTest

    from db.failures import DatabaseError

    def unreachable(*_a, **_k):
        raise DatabaseError("无法连接数据库服务器，请检查网络后重试。", kind="unreachable")

    window.grid.select_cell(window.model.row_of("H08"), COL_VALUE)
    QApplication.processEvents()
    monkeypatch.setattr(window.svc, "history", unreachable)
    window.statusBar().showMessage("未保存：测试")
    QTest.keyClick(window.grid, Qt.Key.Key_Down)  # the user moves on
    qtbot.waitUntil(lambda: not window._side_timer.isActive())
    QApplication.processEvents()
    texts = [window.side.findings.item(i).text() for i in range(window.side.findings.count())]
    assert any("修改记录暂时无法读取" in t and "无法连接数据库服务器" in t for t in texts), texts
    assert window.side.history.rowCount() == 0
    assert window.statusBar().currentMessage() == "未保存：测试"
