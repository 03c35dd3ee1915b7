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


def drive_dialog(monkeypatch, cls, fill=None, *, accept=True, seen=None):
    """Patch ``cls.exec`` at the class: the real dialog is built by the real action, then
    ``fill(dialog)`` types into its fields and it is accepted (or rejected) instead of a modal loop.
    Every dialog driven is appended to ``seen``."""
    from PySide6.QtWidgets import QDialog

    def fake_exec(self):
        if seen is not None:
            seen.append(self)
        if fill is not None:
            fill(self)
        (self.accept if accept else self.reject)()
        return self.result() if accept else QDialog.DialogCode.Rejected

    monkeypatch.setattr(cls, "exec", fake_exec)
    return seen


def fill_signoff(dlg):
    dlg.unit_head.setText("张三")
    dlg.stats_head.setText("李四")
    dlg.filled_by.setText("王五")
    dlg.phone.setText("0763-1234567")


def fill_everything(svc, rid, plan):
    """A plausible value for every indicator: its level target where it has one."""
    for ind in plan.indicators:
        if ind.kind == "yesno":
            svc.save_entry(rid, ind.code, "", Entry(choice="yes"))
            continue
        if ind.kind == "text":
            continue
        levels = [t.value for t in ind.targets if t.op in ("<=", ">=", "approx")]
        v = levels[0] if levels else max((ind.plausible or (1.0, 1.0))[0], 1.0)
        if ind.is_rate:
            num = round(v / (ind.scale or 100) * 100000)
            svc.save_entry(rid, ind.code, "", Entry(numerator=float(num), denominator=100000.0))
        else:
            svc.save_entry(rid, ind.code, "", Entry(number=float(round(v))))
    for row in svc.view(rid).rows:
        if row.warnings or row.errors or row.missing:
            svc.save_explanation(rid, row.indicator.code, "经核实无误。")
