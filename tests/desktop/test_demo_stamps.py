"""The duties sheet, the progress (催报) sheet and the templates for every unit, exported from the
demonstration data, say 【演示数据】 on every sheet like every other export; from one's own data not.

Each export is reached as a user reaches it: the menu action, then the dialog's button; the file
dialogs answer with a path; the files are read back with openpyxl.
"""

from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from db.engine import open_database
from desktop.main_window import MainWindow
from tianbao.excel.stamp import DEMO_MARK
from tianbao.services.demo import DEMO_PLAN, DISTRICT, make_demo
from tianbao.services.returns import ReturnService


def _stamped(path: Path) -> bool:
    wb = openpyxl.load_workbook(path)
    heads = [ws.oddHeader.left.text or "" for ws in wb.worksheets]
    return all(DEMO_MARK in h for h in heads) and DEMO_MARK in (wb.properties.title or "")


def _answer_files(monkeypatch, folder: Path) -> list[Path]:
    saved: list[Path] = []

    def save(parent, title, name, filt, *a):
        saved.append(folder / Path(name).name)
        return str(saved[-1]), filt

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save))
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder / "t"))
    )
    (folder / "t").mkdir()
    return saved


def _export_all(qtbot, w: MainWindow, saved: list[Path], folder: Path):
    w.duties_action.trigger()
    qtbot.mouseClick(w.duties_dialog.export_button, Qt.MouseButton.LeftButton)
    duties = saved[-1]
    w.progress_action.trigger()
    qtbot.mouseClick(w.progress_dialog.export_button, Qt.MouseButton.LeftButton)
    progress = saved[-1]
    w.templates_action.trigger()
    templates = sorted((folder / "t").glob("*.xlsx"))
    for d in (w.duties_dialog, w.progress_dialog):
        d.close()
    assert duties.exists() and progress.exists() and duties != progress
    assert templates
    return duties, progress, templates


def test_demo_duties_progress_and_templates_are_stamped(qtbot, messages, monkeypatch, tmp_path):
    demo = open_database(tmp_path / "demo.sqlite", backups=False)
    make_demo(demo)
    rid = ReturnService(demo).open(DISTRICT[0], DEMO_PLAN, 2024).id
    w = MainWindow(demo, rid, demo=True)
    qtbot.addWidget(w)
    saved = _answer_files(monkeypatch, tmp_path)
    duties, progress, templates = _export_all(qtbot, w, saved, tmp_path)
    assert _stamped(duties), duties
    assert _stamped(progress), progress
    assert all(_stamped(t) for t in templates)
    assert len(templates) > 10  # 11 townships and 6 departments in the demo
    # The stamp is in the printed header only: the duty sheet still reads back as before.
    assert w.duties_dialog.import_sheet(str(duties))
    assert "已导入填报分工（0 项有变化）" in w.duties_dialog.message.text()
    demo.close()


def test_own_data_exports_are_not_stamped(qtbot, window, monkeypatch, tmp_path):
    saved = _answer_files(monkeypatch, tmp_path)
    duties, progress, templates = _export_all(qtbot, window, saved, tmp_path)
    assert not any(_stamped(p) for p in (duties, progress, *templates))
