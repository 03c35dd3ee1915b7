"""The demonstration kept apart and marked; the one error path; the blockers list; the units editor."""

import sys

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from db import repo
from desktop import errors
from desktop.app import Controller, make_app
from desktop.dialogs import ReasonDialog
from desktop.settings import Choice
from desktop.sources import DataSources
from desktop.start import StartDialog
from desktop.units import UnitsDialog
from tests.support.desktop import PLAN, drive_dialog
from tianbao.domain.errors import KnownError
from tianbao.services.returns import ReturnService


@pytest.mark.sqlite_only  # 演示数据 is told from 我的数据 by its file (tianbao-demo.sqlite)
def test_switch_between_my_data_and_the_demo_from_the_menu(qtbot, db, tmp_path, monkeypatch):
    sources = DataSources(own=db.path, demo=tmp_path / "demo.sqlite", backups=False)
    ctl = Controller(make_app(), db, Choice(), sources)
    ctl.show(ReturnService(db).open("T1", PLAN, 2024).id)
    qtbot.addWidget(ctl.window)
    assert not ctl.window.windowTitle().startswith("【演示数据】")

    def to_demo(dlg):
        assert dlg.source_box.currentData() == "own" and dlg.choice()[1] == "T1"
        dlg.source_box.setCurrentIndex(dlg.source_box.findData("demo"))
        dlg.source_box.activated.emit(dlg.source_box.currentIndex())
        assert dlg.windowTitle().startswith("【演示数据】")
        dlg.unit_box.setCurrentIndex(dlg.unit_box.findData("DEMO02"))

    drive_dialog(monkeypatch, StartDialog, to_demo)
    ctl.window.switch_action.trigger()
    w = ctl.window
    qtbot.addWidget(w)
    assert sources.is_demo(w.db) and w.windowTitle().startswith("【演示数据】西城街道")
    # Every printout made from the demonstration says so.
    saved = []

    def save(parent, title, name, filt, *a):
        saved.append(tmp_path / name)
        return str(saved[-1]), filt

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    w.files.save_pdf.trigger()
    pages = PdfReader(saved[-1]).pages
    assert all("演示数据" in p.extract_text() for p in pages)
    w.files.export_xlsx.trigger()
    wb = openpyxl.load_workbook(saved[-1])
    assert all("演示数据" in ws.oddHeader.left.text for ws in wb.worksheets)
    assert "演示数据" in "".join(PdfReader(w.files._temp_pdf()).pages[0].extract_text())

    # And back to 我的数据, at the demo's current choice of plan and year.
    def to_own(dlg):
        dlg.source_box.setCurrentIndex(dlg.source_box.findData("own"))
        dlg.source_box.activated.emit(dlg.source_box.currentIndex())
        dlg.unit_box.setCurrentIndex(dlg.unit_box.findData("T2"))
        dlg.plan_box.setCurrentIndex(dlg.plan_box.findData(PLAN))
        dlg.year_box.setValue(2024)

    drive_dialog(monkeypatch, StartDialog, to_own)
    w.switch_action.trigger()
    qtbot.addWidget(ctl.window)
    assert ctl.window.db.path == db.path and ctl.window.windowTitle().startswith("二街道")
    with db.session() as s:
        assert not any(u.code.startswith("DEMO") for u in repo.list_units(s))
    sources.close_all()


def test_a_known_problem_is_a_message_and_a_bug_is_logged_with_copy_details(
    qtbot, messages, monkeypatch, tmp_path
):
    log = tmp_path / "logs" / "tianbao-errors.log"
    monkeypatch.setattr(errors, "log_path", lambda: log)
    shown = []
    monkeypatch.setattr(errors.CrashDialog, "exec", lambda self: shown.append(self) or 0)
    errors.install_excepthook()
    assert sys.excepthook is errors.handle_exception
    try:
        raise KnownError("数据库被其他程序锁定，请关闭其他程序后重试。")
    except KnownError as e:
        sys.excepthook(type(e), e, e.__traceback__)
    assert messages[-1] == ("warning", "数据库被其他程序锁定，请关闭其他程序后重试。")
    assert not shown and not log.exists()
    try:
        {}["missing"]
    except KeyError as e:
        sys.excepthook(type(e), e, e.__traceback__)
    assert "KeyError: 'missing'" in log.read_text(encoding="utf-8")
    dlg = shown[-1]
    qtbot.addWidget(dlg)
    qtbot.mouseClick(dlg.copy_button, Qt.MouseButton.LeftButton)
    assert "KeyError" in QApplication.clipboard().text()
    assert any(str(log) in lbl.text() for lbl in dlg.findChildren(QLabel))
    sys.excepthook = sys.__excepthook__


def test_blockers_grouped_by_domain_jump_and_mark_no_data(qtbot, window, db, monkeypatch):
    window.submit_action.trigger()
    dlg = window.blockers_dialog
    assert "未填报" in dlg.counts.text()
    domains = [dlg.tree.topLevelItem(i).text(0) for i in range(dlg.tree.topLevelItemCount())]
    assert len(domains) == len(window.view.plan.domains)
    # Double-click one: the grid goes to it, in its domain.
    item = next(i for i in dlg.items() if i.data(0, Qt.ItemDataRole.UserRole).code == "H08")
    dlg.tree.itemDoubleClicked.emit(item, 0)
    src = window.grid.source_row(window.grid.currentIndex())
    assert window.model.grid_row(src).row.indicator.code == "H08"
    # Several marked 无此项数据 with one reason.
    window.submit_action.trigger()
    dlg = window.blockers_dialog
    picked = [i for i in dlg.items() if i.data(0, Qt.ItemDataRole.UserRole).kind == "missing"][:3]
    for i in picked:
        i.setSelected(True)
    codes = dlg.selected_codes()
    drive_dialog(monkeypatch, ReasonDialog, lambda d: d.reason.setPlainText("本街道不承担此项统计"))
    qtbot.mouseClick(dlg.missing_button, Qt.MouseButton.LeftButton)
    view = ReturnService(db).view(window.return_id)
    for code in codes:
        assert view.row(code).explanation == "无此项数据：本街道不承担此项统计"
        assert not any(b.code == code for b in view.blocking())
        hist = ReturnService(db).history(window.return_id, code)
        assert hist and "本街道不承担此项统计" in (hist[-1].new or "")


def test_units_editor_keeps_typing_defaults_level_edits_and_imports(qtbot, db, tmp_path):
    dlg = UnitsDialog(db)
    qtbot.addWidget(dlg)
    district = dlg.tree.topLevelItem(0)
    # Typing first, then selecting the parent: what was typed stays.
    qtbot.keyClicks(dlg.code, "T3")
    dlg.name.insert("三街道")  # Chinese arrives from the input method
    dlg.tree.setCurrentItem(district)
    assert (dlg.code.text(), dlg.name.text()) == ("T3", "三街道")
    assert dlg.level.currentData() == "township"  # the level below 县（区）
    qtbot.mouseClick(dlg.add_child_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert repo.unit_by_code(s, "T3").parent.code == "D"
    # Change code, name, level and parent of a unit.
    dlg.reload("T3")
    assert dlg.code.text() == "T3"
    dlg.code.setText("T3X")
    dlg.name.setText("第三社区")
    dlg.level.setCurrentIndex(dlg.level.findData("village"))
    dlg.parent_box.setCurrentIndex(dlg.parent_box.findData("T1"))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        u = repo.unit_by_code(s, "T3X")
        assert (u.name, u.level, u.parent.code) == ("第三社区", "village", "T1")
    # A unit cannot go under its own child.
    dlg.reload("T1")
    dlg.parent_box.setCurrentIndex(dlg.parent_box.findData("T3X"))
    dlg.level.setCurrentIndex(dlg.level.findData("township"))
    assert not dlg.update_selected() and "下级" in dlg.message.text()
    # Import a unit list, as `tianbao units import`.
    csv = tmp_path / "units.csv"
    csv.write_text("代码,名称,级别,上级代码\nT4,四街道,乡镇,D\nV1,一村,村,T4\n", encoding="utf-8")
    assert dlg.import_file(csv)
    assert "2" in dlg.message.text()
    with db.session() as s:
        assert repo.unit_by_code(s, "V1").parent.code == "T4"
    bad = tmp_path / "bad.csv"
    bad.write_text("代码,名称,级别\nT5,五街道,星球\n", encoding="utf-8")
    assert not dlg.import_file(bad) and "星球" in dlg.message.text()


def test_window_remembers_its_size_and_position(qtbot, db, messages):
    from desktop.main_window import MainWindow

    rid = ReturnService(db).open("T1", PLAN, 2024).id
    w = MainWindow(db, rid)
    qtbot.addWidget(w)
    w.show()
    w.resize(720, 530)  # within the offscreen screen, which restoreGeometry fits windows into
    w.move(30, 20)
    qtbot.wait(10)
    size, pos = (w.width(), w.height()), (w.x(), w.y())
    assert size != (1340, 740)  # not the default size
    w.close()
    w2 = MainWindow(db, rid)
    qtbot.addWidget(w2)
    w2.show()
    assert (w2.width(), w2.height()) == size
    # Offscreen adds a few pixels of pretend frame on restore; the place is kept.
    assert abs(w2.x() - pos[0]) <= 5 and abs(w2.y() - pos[1]) <= 5
