import pytest
from PySide6.QtWidgets import QMessageBox

from db import repo
from db.engine import open_database
from desktop.main_window import MainWindow
from tests.support.desktop import PLAN
from tianbao.services.returns import ReturnService


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
