"""Working like Excel, driven with real key events: Ctrl+C / Ctrl+V of blocks, Delete, Ctrl+F and F3."""

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from desktop.entry_model import COL_DEN, COL_NAME, COL_NUM, COL_VALUE
from tests.support.desktop import stored
from tianbao.domain.values import Entry

CTRL = Qt.KeyboardModifier.ControlModifier


def select(window, code, first_col, last_col=None, rows=1, cell=""):
    grid = window.grid
    grid.setFocus()
    grid.select_cell(window.model.row_of(code, cell), first_col)
    start = grid.currentIndex()
    end = grid.proxy.index(start.row() + rows - 1, last_col if last_col is not None else first_col)
    from PySide6.QtCore import QItemSelection

    grid.selectionModel().select(
        QItemSelection(start, end), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )


def numeric_pair(window):
    """Two neighbouring rows of the shown domain that both take a number in 本年值."""
    m = window.model
    for i in range(m.rowCount() - 1):
        a, b = m.grid_row(i), m.grid_row(i + 1)
        if all(g.row.indicator.is_numeric and not g.row.indicator.is_rate for g in (a, b)):
            return a, b
    raise AssertionError("no two numeric rows")


def test_paste_a_block_from_excel_is_checked_like_typing_and_undone_at_once(qtbot, window, db):
    rid = window.return_id
    # A row from Excel/WPS: full-width digits and a thousands separator.
    QApplication.clipboard().setText("３\t1,500\r\n")
    select(window, "H04", COL_NUM)
    qtbot.keyClick(window.grid, Qt.Key.Key_V, CTRL)
    assert stored(db, rid, "H04") == Entry(numerator=3, denominator=1500)
    # A column: a percentage, then text that is not a number (kept, flagged as an error).
    first, below = numeric_pair(window)
    code = first.row.indicator.code
    QApplication.clipboard().setText("96.5%\n约九成\n")
    select(window, code, COL_VALUE, cell=first.cell)
    qtbot.keyClick(window.grid, Qt.Key.Key_V, CTRL)
    assert stored(db, rid, code, first.cell).number == 96.5
    kept = stored(db, rid, below.row.indicator.code, below.cell)
    assert kept.text == "约九成"
    assert any(
        f.code == "not_a_number"
        for _c, f in window.svc.view(rid).row(below.row.indicator.code).errors
    )
    # One Ctrl+Z takes the whole second paste back.
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, CTRL)
    assert stored(db, rid, code, first.cell) == Entry()
    assert stored(db, rid, below.row.indicator.code, below.cell) == Entry()
    assert stored(db, rid, "H04") == Entry(numerator=3, denominator=1500)
    # Cells that take no input (names) are skipped and said so.
    QApplication.clipboard().setText("x\ty\n")
    select(window, "H08", COL_NAME)
    qtbot.keyClick(window.grid, Qt.Key.Key_V, CTRL)
    assert "跳过" in window.statusBar().currentMessage()


def test_paste_of_a_word_into_a_yes_no_cell_is_refused_with_a_message(qtbot, window, db, messages):
    m = window.model
    g = next(
        m.grid_row(i) for i in range(m.rowCount()) if m.grid_row(i).row.indicator.kind == "yesno"
    )
    QApplication.clipboard().setText("大概\n")
    select(window, g.row.indicator.code, COL_VALUE)
    qtbot.keyClick(window.grid, Qt.Key.Key_V, CTRL)
    assert stored(db, window.return_id, g.row.indicator.code) == Entry()
    assert messages and "是 / 部分 / 否" in messages[-1][1]


def test_copy_a_block_and_delete_clears_selected_input_cells(qtbot, window, db):
    rid = window.return_id
    window.svc.save_entry(rid, "H04", "", Entry(numerator=3, denominator=1500))
    window.refresh()
    select(window, "H04", COL_NUM, COL_VALUE)
    qtbot.keyClick(window.grid, Qt.Key.Key_C, CTRL)
    assert QApplication.clipboard().text() == "3\t1500\t2.00\n"  # as shown
    qtbot.keyClick(window.grid, Qt.Key.Key_Delete)
    assert stored(db, rid, "H04") == Entry()
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, CTRL)
    assert stored(db, rid, "H04") == Entry(numerator=3, denominator=1500)
    # Delete inside an open editor deletes a character, not the cell.
    select(window, "H04", COL_DEN)
    qtbot.keyClick(window.grid, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.setCursorPosition(0)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert stored(db, rid, "H04") == Entry(numerator=3, denominator=500)


def test_ctrl_f_then_enter_and_f3_go_to_the_next_match(qtbot, window):
    grid = window.grid
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is window.find_box
    qtbot.keyClicks(window.find_box, "H0")
    qtbot.keyClick(window.find_box, Qt.Key.Key_Return)

    def current_code():
        return window.model.grid_row(grid.source_row(grid.currentIndex())).row.indicator.code

    first = current_code()
    qtbot.keyClick(window.find_box, Qt.Key.Key_Return)
    second = current_code()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F3)
    third = current_code()
    matches = [c for _d, c in window.matches("H0")]
    assert [first, second, third] == matches[:3]
    assert "3/" in window.statusBar().currentMessage()
