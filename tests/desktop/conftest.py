import pytest
from PySide6.QtWidgets import QMessageBox

from db import repo
from db.engine import open_database
from desktop.main_window import MainWindow
from tests.support.desktop import PLAN
from tests.support.server import SERVER_URL
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
    # On a server run (TIANBAO_TEST_DB_URL) the file becomes a fresh database on the server
    # (tests/conftest.py): the desktop tests' subject, the database, is then PostgreSQL.
    assert d.is_server == bool(SERVER_URL), d.url
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


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch):
    """A modal dialog a test did not answer would wait for a click forever: fail the test instead.

    Tests answer a dialog the way a user would by patching its class's ``exec`` (which takes
    precedence over this guard) or by patching QMessageBox's static functions (``messages``).
    """
    from PySide6.QtWidgets import QDialog

    def refuse(self, *args, **kwargs):
        raise AssertionError(
            f"a modal {type(self).__name__} opened in a test and nobody answered it: "
            "patch its exec() as the user would answer it"
        )

    monkeypatch.setattr(QDialog, "exec", refuse)
