"""报表 → 中期/终期评估报告… and 统计资料…, triggered as a click arrives (QAction.trigger())."""

from pathlib import Path

import openpyxl
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog

from desktop.main_window import MainWindow
from tests.support.desktop import PLAN
from tianbao.domain.values import Entry
from tianbao.services.returns import ReturnService


def _save_to(monkeypatch, tmp_path, saved):
    def save(parent, title, name, filt, *a, **k):
        path = tmp_path / "out" / Path(name).name
        path.parent.mkdir(exist_ok=True)
        saved.append(path)
        return str(path), filt

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))


def test_menu_writes_evaluation_annex_and_databook(qtbot, db, messages, monkeypatch, tmp_path):
    svc = ReturnService(db)
    for year, v in ((2023, 90.0), (2024, 91.0)):
        svc.save_entry(svc.open("T1", PLAN, year).id, "H08", "", Entry(number=v))
    w = MainWindow(db, svc.open("T1", PLAN, 2024).id)
    qtbot.addWidget(w)
    titles = [a.text() for m in w.menuBar().actions() if m.menu() for a in m.menu().actions()]
    assert "中期评估报告（PDF）…" in titles and "统计资料（Excel）…" in titles
    saved: list[Path] = []
    _save_to(monkeypatch, tmp_path, saved)

    w.evaluations.midterm.trigger()
    pdf = saved[-1]
    assert pdf.name == "一街道_2024年_中期评估报告.pdf" and pdf.exists()
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "2024年中期评估报告" in text and "一街道" in text
    assert (pdf.parent / "一街道_2024年_中期评估报告_数据附件.xlsx").exists()

    w.evaluations.final.trigger()
    assert "终期评估报告" in "".join(p.extract_text() for p in PdfReader(saved[-1]).pages)

    w.evaluations.databook_xlsx.trigger()
    wb = openpyxl.load_workbook(saved[-1])
    assert {"统计资料", "指标解释"} <= set(wb.sheetnames)
    row = next(r for r in wb["统计资料"].iter_rows(values_only=True) if r[1] == "H08")
    assert 90 in row and 91 in row

    w.evaluations.databook_pdf.trigger()
    assert "统计资料" in PdfReader(saved[-1]).pages[0].extract_text()
    assert not [m for m in messages if m[0] != "information"]


def test_no_return_for_the_year_is_a_message(qtbot, db, messages, monkeypatch, tmp_path):
    svc = ReturnService(db)
    w = MainWindow(db, svc.open("T2", PLAN, 2024).id)
    qtbot.addWidget(w)
    saved: list[Path] = []
    _save_to(monkeypatch, tmp_path, saved)
    w.evaluations.databook_xlsx.trigger()  # an empty return: nothing to put in a data book
    assert messages and "无法编制统计资料" in messages[-1][1]
    assert not saved[-1].exists()
