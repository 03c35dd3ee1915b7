"""The File menu writes real files that read back."""

from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from db.plans import get_plan
from desktop.file_actions import render_pdf
from tests.support.desktop import PLAN
from tianbao.domain.fingerprint import view_fingerprint
from tianbao.domain.values import Entry
from tianbao.excel.planbook import write_plan_workbook


@pytest.fixture
def save_to(monkeypatch, tmp_path):
    target = {}

    def fake(parent, title, name, filt):
        path = tmp_path / name
        target["path"] = path
        return str(path), filt

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return target


def test_export_return_xlsx_and_pdf(window, save_to):
    window.svc.save_entry(window.return_id, "H08", "", Entry(number=96.0))
    assert window.files.export_return_xlsx()
    wb = openpyxl.load_workbook(save_to["path"])
    assert "一街道" in str([c.value for row in wb.worksheets[0].iter_rows(max_row=6) for c in row])
    assert window.files.save_return_pdf()
    text = "".join(p.extract_text() for p in PdfReader(save_to["path"]).pages)
    assert view_fingerprint(window.svc.view(window.return_id)) in text
    assert window.files.export_blank_template()
    assert save_to["path"].exists()


def test_print_renders_every_page(window, tmp_path):
    pdf = window.files._temp_pdf()
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    pages = render_pdf(pdf, printer)
    assert pages == len(PdfReader(pdf).pages) >= 2
    assert len(PdfReader(out).pages) == pages
    dlg = window.files.make_preview()
    assert dlg.windowTitle() == "打印预览"


def test_plan_workbook_round_trip_in_the_program(window, save_to, db, messages, tmp_path):
    assert window.files.export_plan_workbook()
    path: Path = save_to["path"]
    wb = openpyxl.load_workbook(path)
    ws = wb["目标"]
    header = [c.value for c in ws[1]]
    code_col, value_col = header.index("指标代码") + 1, header.index("目标值") + 1
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, code_col).value == "H08":
            ws.cell(r, value_col).value = 97
    wb.save(path)
    assert window.files.import_plan_workbook(path)
    assert "新版本" in messages[-1][1]
    with db.session() as s:
        plan = get_plan(s, PLAN)
    assert plan.version == 2 and not plan.builtin
    assert plan.indicator("H08").targets[0].value == 97.0


def test_broken_plan_workbook_is_refused_with_a_message(window, db, messages, tmp_path):
    with db.session() as s:
        plan = get_plan(s, PLAN)
    path = tmp_path / "bad.xlsx"
    write_plan_workbook(plan, path)
    wb = openpyxl.load_workbook(path)
    ws = wb["目标"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("比较方式") + 1).value = "约等于"
    wb.save(path)
    assert not window.files.import_plan_workbook(path)
    assert "比较方式" in messages[-1][1] and "第 2 行" in messages[-1][1]
    with db.session() as s:
        assert get_plan(s, PLAN).version == 1


def test_file_menu_and_its_messages_are_english_in_the_english_ui(qtbot, db, monkeypatch, tmp_path):
    """Strings of desktop/file_actions.py sit in a context the running program looks up."""
    from PySide6.QtWidgets import QMessageBox

    from desktop.app import install_language, make_app
    from desktop.main_window import MainWindow
    from tianbao.services.returns import ReturnService

    app = make_app()
    install_language(app, "en")
    try:
        w = MainWindow(db, ReturnService(db).open("T1", PLAN, 2024).id, english=True)
        qtbot.addWidget(w)
        texts = [a.text() for a in w.file_menu.actions()]
        assert "Export return (Excel)…" in texts and "Import plan workbook…" in texts
        assert "Connect to server…" in texts and "New plan from plan text…" in texts
        assert not [t for t in texts if any("\u4e00" <= ch <= "\u9fff" for ch in t)], texts
        # A refused write: the warning's title and the save dialog's title are English.
        titles, boxes = [], []
        (tmp_path / "a-file").write_text("not a folder")
        monkeypatch.setattr(
            QFileDialog,
            "getSaveFileName",
            staticmethod(
                lambda parent, title, name, filt: (
                    titles.append(title) or str(tmp_path / "a-file" / name),
                    filt,
                )
            ),
        )
        monkeypatch.setattr(
            QMessageBox,
            "warning",
            staticmethod(lambda parent, title, text, *a: boxes.append(title)),
        )
        w.files.export_xlsx.trigger()
        assert titles == ["Export return"]
        assert boxes == ["Not done"]
        w.evaluations.databook_xlsx.trigger()
        assert titles[-1] == "Statistical tables"
    finally:
        install_language(app, "zh")


def test_every_translation_context_is_a_class_the_program_looks_up():
    """``self.w.tr()`` or ``tr = window.tr`` made lupdate file strings under "self.w", "window" or no
    context, which the running program never asks for (it asks by class name)."""
    import xml.etree.ElementTree as ET

    from tianbao.resources import resource_path

    root = ET.parse(resource_path("i18n", "tianbao_en.ts")).getroot()
    names = [c.findtext("name") or "" for c in root.iter("context")]
    assert names and all(n.isidentifier() for n in names), names
