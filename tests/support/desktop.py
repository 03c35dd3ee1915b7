"""Driving the desktop program in tests: the plan used, reading stored values, opening editors."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from db import repo
from tianbao.domain.values import Entry

PLAN = "qingyuan-children"


def stored(db, rid, code, cell=""):
    with db.session() as s:
        return repo.entries(s, rid).get((code, cell), Entry())


def open_editor(qtbot, window, code, column, *, cell=""):
    """Select a cell and open its editor with F2, as a user would; returns the editor."""
    grid = window.grid
    grid.setFocus()
    grid.select_cell(window.model.row_of(code, cell), column)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not grid, "no editor opened"
    return editor


def type_cell(qtbot, window, code, column, text, *, cell=""):
    """Open a cell's editor, type with keyClicks and press Enter."""
    editor = open_editor(qtbot, window, code, column, cell=cell)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    return QApplication.focusWidget()
