"""文件 → 连接服务器… in the running program: the same dialog as at the start, then the return on the
server; a refused connection keeps the dialog's Chinese reason and changes nothing.

The dialog is the real one, answered by typing into its fields and clicking 连接.  Without a server
on this machine the "server" is a database file standing in for it: ``db_engine.open_database`` is
given the PostgreSQL URL the dialog built and answers with that file.
"""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from db import engine as db_engine
from db import repo
from db.engine import open_database
from desktop.app import Controller, make_app
from desktop.server_dialog import ServerDialog
from desktop.settings import Choice
from desktop.sources import DataSources
from desktop.start import StartDialog
from tests.support.desktop import PLAN, drive_dialog
from tianbao.services.returns import ReturnService
from tianbao.services.units import list_units


def _controller(qtbot, db, tmp_path):
    rid = ReturnService(db).open("T1", PLAN, 2024).id
    sources = DataSources(own=db.path, demo=tmp_path / "demo.sqlite", backups=False)
    ctl = Controller(make_app(), db, Choice(plan=PLAN, unit="T1", year=2024), sources)
    ctl.show(rid)
    qtbot.addWidget(ctl.window)
    return ctl


def _server_action(window):
    return next(a for a in window.file_menu.actions() if a.text() == "连接服务器…")


def _answer(qtbot, monkeypatch, *, port: int, seen: list):
    """The user types the server's address and clicks 连接; then 取消 if the dialog is still open."""

    def fake_exec(dlg):
        seen.append(dlg)
        qtbot.keyClicks(dlg.host, "192.168.1.10" if port != 1 else "127.0.0.1")
        dlg.port.setValue(port)
        dlg.database.setText("tianbao")
        qtbot.keyClicks(dlg.user, "tongji")
        qtbot.keyClicks(dlg.password, "secret")
        ok = dlg.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        if dlg.result() != QDialog.DialogCode.Accepted:
            dlg.reject()  # 取消 after reading the reason
        return dlg.result()

    monkeypatch.setattr(ServerDialog, "exec", fake_exec)


def test_refused_server_says_why_and_the_window_stays_on_its_data(
    qtbot, db, messages, monkeypatch, tmp_path
):
    ctl = _controller(qtbot, db, tmp_path)
    window, rid = ctl.window, ctl.window.return_id
    seen: list = []
    _answer(qtbot, monkeypatch, port=1, seen=seen)  # nothing listens on port 1
    action = _server_action(window)
    action.trigger()
    assert seen, "the server dialog was not opened"
    assert "无法连接" in seen[0].result_label.text()  # its Chinese reason, shown in the dialog
    assert seen[0].database_opened is None
    assert ctl.window is window and ctl.db is db and window.return_id == rid
    assert window.db is db and ReturnService(db).info(rid).unit_code == "T1"


def test_connect_server_from_the_file_menu_reopens_the_program_on_the_server(
    qtbot, db, messages, monkeypatch, tmp_path
):
    server = open_database(tmp_path / "server.sqlite", backups=False)
    with server.session() as s:
        repo.add_unit(s, "S", "服务器区", "county")
        repo.add_unit(s, "S1", "服务器街道", "township", "S")
    urls: list[str] = []
    real_open = db_engine.open_database

    def open_server(url, *a, **k):
        if isinstance(url, str) and url.startswith("postgresql"):
            urls.append(url)
            return server
        return real_open(url, *a, **k)

    monkeypatch.setattr(db_engine, "open_database", open_server)
    ctl = _controller(qtbot, db, tmp_path)
    first = ctl.window
    seen: list = []
    _answer(qtbot, monkeypatch, port=5433, seen=seen)
    starts: list = []

    def choose_on_server(dlg: StartDialog):
        assert dlg.db is server  # the start dialog lists the server's plans and units
        dlg.unit_box.setCurrentIndex(dlg.unit_box.findData("S1"))

    drive_dialog(monkeypatch, StartDialog, choose_on_server, seen=starts)
    _server_action(first).trigger()
    assert urls and "tongji" in urls[0] and "192.168.1.10:5433/tianbao" in urls[0]
    assert starts, "no start dialog on the server"
    w = ctl.window
    qtbot.addWidget(w)
    assert w is not first and ctl.db is server and w.db is server
    info = ReturnService(server).info(w.return_id)
    assert (info.unit_code, info.plan_id, info.year) == ("S1", PLAN, 2024)
    assert "服务器街道" in w.windowTitle()
    # The return on this PC's file was left alone; the program now writes to the server.
    assert "S1" not in {u.code for u in list_units(db)}
    server.close()


def test_cancelled_start_dialog_on_the_server_changes_nothing(
    qtbot, db, messages, monkeypatch, tmp_path
):
    server = open_database(tmp_path / "server.sqlite", backups=False)
    closed: list = []
    monkeypatch.setattr(server, "close", lambda: closed.append(True))
    real_open = db_engine.open_database
    monkeypatch.setattr(
        db_engine,
        "open_database",
        lambda url, *a, **k: server if str(url).startswith("postgresql") else real_open(url),
    )
    ctl = _controller(qtbot, db, tmp_path)
    window, rid = ctl.window, ctl.window.return_id
    _answer(qtbot, monkeypatch, port=5432, seen=[])
    drive_dialog(monkeypatch, StartDialog, accept=False)
    _server_action(window).trigger()
    assert ctl.window is window and ctl.db is db and window.db is db and window.return_id == rid
    assert closed, "the server connection opened for nothing was not closed"
