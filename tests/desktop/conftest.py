import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from db import repo
from db.engine import open_database
from desktop.main_window import MainWindow
from tianbao.returns import ReturnService
from tianbao.values import Entry

PLAN = "qingyuan-children"


@pytest.fixture
def messages(monkeypatch):
    """QMessageBox calls, recorded instead of shown."""
    shown = []

    def record(kind):
        def box(parent, title, text, *a, **k):
            shown.append((kind, text))
            return QMessageBox.StandardButton.Ok
        return box

    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record(kind)))
    return shown


@pytest.fixture
def db(tmp_path):
    d = open_database(tmp_path / "desk.sqlite", backups=False)
    with d.session() as s:
        repo.add_unit(s, "D", "甲区", "county")
        repo.add_unit(s, "T1", "一街道", "township", "D")
        repo.add_unit(s, "T2", "二街道", "township", "D")
    yield d
    d.close()


@pytest.fixture
def window(qtbot, db, messages):
    rid = ReturnService(db).open("T1", PLAN, 2024).id
    w = MainWindow(db, rid)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


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
