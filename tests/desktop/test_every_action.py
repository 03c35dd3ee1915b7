"""Every QAction of the main window (menus, toolbar, shortcuts) and of the print preview, triggered
with QAction.trigger() — exactly how a click arrives, with the `checked` bool — and each one's
visible effect asserted on the database, the files written or the window.

Modal dialogs are the real ones built by the action; their ``exec`` is patched at the class to fill
the fields and accept.  File dialogs are patched at the class to answer with a path.
"""

from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPageSetupDialog, QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QToolBar

from db import repo
from desktop.dialogs import FormMarksDialog, ReasonDialog, SignOffDialog
from desktop.entry_model import COL_VALUE
from desktop.import_dialog import ImportDialog
from desktop.start import StartDialog
from desktop.units import UnitsDialog
from tests.support.desktop import (
    PLAN,
    drive_dialog,
    fill_everything,
    fill_signoff,
    stored,
    type_cell,
)
from tianbao.domain.values import Entry
from tianbao.excel.export import export_return
from tianbao.services.plans import get_plan
from tianbao.services.returns import ReturnService


def pdf_text(path: Path) -> str:
    return "".join(p.extract_text() for p in PdfReader(path).pages)


@pytest.fixture
def files(monkeypatch, tmp_path):
    """Answers of the file dialogs: saved files go to tmp_path; opened ones are set per action."""
    answers = {"open": "", "opens": [], "folder": "", "saved": []}

    def save(parent, title, name, filt, *a, **k):
        path = tmp_path / "out" / Path(name).name
        path.parent.mkdir(exist_ok=True)
        answers["saved"].append(path)
        return str(path), filt

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (answers["open"], ""))
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: (answers["opens"], ""))
    )
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: answers["folder"])
    )
    return answers


def all_actions(window) -> list[QAction]:
    """Every action reachable from the menus and the toolbar, and every shortcut."""
    seen: list[QAction] = []

    def walk(actions):
        for a in actions:
            if a.isSeparator() or a in seen:
                continue
            if a.menu() is not None:
                walk(a.menu().actions())
                continue
            seen.append(a)

    def in_dialog(a: QAction) -> bool:
        p = a.parent()
        while p is not None and p is not window:
            if isinstance(p, QDialog):
                return True
            p = p.parent()
        return False

    walk(window.menuBar().actions())
    for a in window.findChildren(QAction):
        if a not in seen and not a.isSeparator() and a.text() and a.menu() is None:
            if not isinstance(a.parent(), QMenu) and not in_dialog(a):
                seen.append(a)
    return seen


def close_modal_soon(qtbot):
    """Answer a modal dialog that Qt opens from C++ (QPrintPreviewDialog's own print buttons)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def close():
        w = QApplication.activeModalWidget()
        if w is not None:
            w.reject()
        else:
            QTimer.singleShot(50, close)

    QTimer.singleShot(50, close)


def test_every_action_of_the_main_window(qtbot, window, db, messages, files, monkeypatch, tmp_path):
    svc = ReturnService(db)
    rid = window.return_id
    checked: set[QAction] = set()

    def trigger(action: QAction) -> None:
        assert action.isEnabled(), action.text()
        action.trigger()
        checked.add(action)

    # --- 编辑: undo, redo, find, find next, domains -------------------------------------------
    type_cell(qtbot, window, "H08", COL_VALUE, "90")
    type_cell(qtbot, window, "H08", COL_VALUE, "91")
    assert stored(db, rid, "H08").number == 91.0
    trigger(window.undo_action)
    assert stored(db, rid, "H08").number == 90.0
    trigger(window.redo_action)
    assert stored(db, rid, "H08").number == 91.0
    trigger(window.find_action)
    assert window.find_box.hasFocus()
    window.find_box.setText("率")
    trigger(window.find_next_action)
    first = window._found[1]
    trigger(window.find_next_action)
    assert window._found[1] != first
    row = window.nav.currentRow()
    trigger(window.next_domain)
    assert window.nav.currentRow() == (row + 1) % window.nav.count()
    trigger(window.prev_domain)
    assert window.nav.currentRow() == row

    # --- 报表: sign and submit, unlock with a reason, form marks ---------------------------------
    fill_everything(svc, rid, window.view.plan)
    window.refresh()
    drive_dialog(monkeypatch, SignOffDialog, fill_signoff)
    trigger(window.submit_action)
    info = svc.info(rid)
    assert info.status == "submitted"
    assert (info.signoff.unit_head, info.signoff.phone) == ("张三", "0763-1234567")
    asked = drive_dialog(
        monkeypatch, ReasonDialog, lambda d: d.reason.setPlainText("更正H08口径"), seen=[]
    )
    trigger(window.unlock_action)
    assert asked and svc.info(rid).status == "draft"
    assert [a.reason for a in svc.history(rid) if a.action == "unlock"] == ["更正H08口径"]

    def marks(d):
        d.edits["table_no"].setText("清妇儿统1表")
        d.edits["made_by"].setText("清远市统计局")
        d.edits["approval_no"].setText("国统制〔2021〕88号")

    drive_dialog(monkeypatch, FormMarksDialog, marks)
    trigger(window.marks_action)
    # Aggregating a township without villages: told why, nothing written.
    before = len(messages)
    trigger(window.aggregate_action)
    assert len(messages) > before or window.result_dialog.summary.text()

    # --- 文件: Excel, PDF (with the marks), report, preview, print --------------------------------
    trigger(window.files.save_pdf)
    text = pdf_text(files["saved"][-1])
    assert "清妇儿统1表" in text and "清远市统计局" in text and "国统制〔2021〕88号" in text
    trigger(window.files.export_xlsx)
    wb = openpyxl.load_workbook(files["saved"][-1])
    assert "一街道" in str([c.value for r in wb.worksheets[0].iter_rows(max_row=6) for c in r])
    trigger(window.files.export_template)
    assert openpyxl.load_workbook(files["saved"][-1]).worksheets
    trigger(window.files.blank_pdf)
    assert PdfReader(files["saved"][-1]).pages
    for action in (window.files.export_compiled, window.files.report_pdf):
        before = len(messages)
        trigger(action)  # a township: a file, or a message saying why not — never silence
        assert files["saved"][-1].exists() or len(messages) > before
    trigger(window.files.preview)
    preview = window.files.preview_dialog
    qtbot.waitExposed(preview)
    widget = preview.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() >= 2)
    assert widget.pageCount() == len(PdfReader(window.files._temp_pdf()).pages)
    preview.close()
    printed = tmp_path / "printed.pdf"

    def to_pdf(dlg):  # the user picks "print to file" (there is no printer offscreen)
        dlg.accept()
        dlg.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dlg.printer().setOutputFileName(str(printed))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", to_pdf)
    trigger(window.files.print_)
    assert len(PdfReader(printed).pages) >= 2

    # --- 文件: import returns (files, folder), plan workbooks ------------------------------------
    t2 = svc.open("T2", PLAN, 2024).id
    svc.save_entry(t2, "H08", "", Entry(number=96.5))
    sent = tmp_path / "in" / "t2.xlsx"
    sent.parent.mkdir()
    export_return(db, t2, sent)
    svc.save_entry(t2, "H08", "", Entry())
    drive_dialog(monkeypatch, ImportDialog, lambda d: d.apply())
    files["opens"] = [str(sent)]
    trigger(window.files.import_files)
    assert stored(db, t2, "H08").number == 96.5
    assert any("✓ t2.xlsx" in line for line in window.files.result_dialog.lines())
    svc.save_entry(t2, "H08", "", Entry(number=1.0))
    files["folder"] = str(sent.parent)
    trigger(window.files.import_folder)
    assert window.files.result_dialog.lines()  # the same file again: said, not silent
    trigger(window.files.plan_export)
    book = files["saved"][-1]
    assert openpyxl.load_workbook(book)["目标"].max_row > 10
    files["open"] = str(book)
    trigger(window.files.plan_import)
    assert get_plan(db, PLAN).version == 2
    assert "新版本" in messages[-1][1]

    # --- 单位, 切换报表, 语言, 退出 ------------------------------------------------------------------
    def add_unit(d):
        d.tree.setCurrentItem(d.tree.topLevelItem(0))
        d.code.setText("T3")
        d.name.setText("三街道")
        d.add(under_selected=True)

    drive_dialog(monkeypatch, UnitsDialog, add_unit)
    trigger(window.units_action)
    with db.session() as s:
        assert repo.unit_by_code(s, "T3").level == "township"  # the level below 区 by default

    def choose_t2(d):
        assert d.choice() == (PLAN, "T1", 2024)  # starts at the current return
        d.unit_box.setCurrentIndex(d.unit_box.findData("T2"))

    drive_dialog(monkeypatch, StartDialog, choose_t2)
    trigger(window.switch_action)
    assert svc.info(window.return_id).unit_code == "T2"
    assert window.windowTitle().startswith("二街道")
    langs = []
    window.hub.language_changed.connect(langs.append)
    trigger(window.lang_en)
    trigger(window.lang_zh)
    assert langs == ["en", "zh"]

    # Any other action (added by other features): triggered with its dialogs declined, no error.
    monkeypatch.setattr(QDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    files["open"], files["opens"], files["folder"] = "", [], ""
    for action in all_actions(window):
        if action not in checked and action is not window.quit_action and action.isEnabled():
            action.trigger()
            for w in window.findChildren(QDialog):
                if w.isVisible():
                    w.close()
            checked.add(action)
    toolbars = window.findChildren(QToolBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
    on_toolbar = {a for tb in toolbars for a in tb.actions() if a.text() and not a.isSeparator()}
    assert window.submit_action in on_toolbar and on_toolbar <= checked
    trigger(window.quit_action)
    assert not window.isVisible()
    missing = [a.text() for a in all_actions(window) if a not in checked]
    assert not missing, missing


def test_aggregate_from_the_menu_shows_the_notes_in_a_list(qtbot, db, messages):
    from desktop.main_window import MainWindow

    svc = ReturnService(db)
    for unit, num in (("T1", 2), ("T2", 6)):
        svc.save_entry(
            svc.open(unit, PLAN, 2024).id, "H04", "", Entry(numerator=num, denominator=2000)
        )
    w = MainWindow(db, svc.open("D", PLAN, 2024).id)
    qtbot.addWidget(w)
    w.aggregate_action.trigger()
    assert "2/2" in w.result_dialog.summary.text()
    assert w.view.row("H04").value == 2.0


# Offscreen there is no system printer, so the preview's page set-up says so; on an office PC it opens.
@pytest.mark.qt_log_ignore("QPageSetupDialog: Cannot be used on non-native printers")
def test_every_action_of_the_print_preview(qtbot, window, monkeypatch):
    """The preview's own toolbar: zoom, fit, pages, orientation, page setup, print."""
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    monkeypatch.setattr(QPageSetupDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    window.files.preview.trigger()
    dlg = window.files.preview_dialog
    qtbot.waitExposed(dlg)
    widget = dlg.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() >= 2)
    actions = [a for a in dlg.findChildren(QAction) if a.text() and not a.isSeparator()]
    assert len(actions) >= 10
    for a in actions:
        if a.isEnabled():
            close_modal_soon(qtbot)  # print and page setup open Qt's own modal dialogs
            a.trigger()
    assert widget.pageCount() >= 2
    dlg.close()
