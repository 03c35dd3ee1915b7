"""A new user's whole round with the keyboard: fill a domain, fix an error, explain a warning,
sign and submit, see the overview."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from desktop.dialogs import SignOffDialog
from desktop.entry_model import COL_DEN, COL_EXPLAIN, COL_NUM, COL_VALUE
from tests.support.desktop import PLAN, stored
from tianbao.domain.values import Entry
from tianbao.services.returns import ReturnService

FAMILY = 4  # 儿童与家庭: F01–F05, F08, F09 qualitative; F06 ≥95%, F07 ≥85% (rates)


def fill_other_domains(svc, rid, plan):
    for d in plan.domains:
        if d.code == "family":
            continue
        for ind in d.indicators:
            if ind.kind == "yesno":
                svc.save_entry(rid, ind.code, "", Entry(choice="yes"))
            elif ind.kind != "text":
                svc.save_explanation(rid, ind.code, "本单位不承担此项统计。")


def test_keyboard_only_round(qtbot, window, db, messages, monkeypatch):
    svc = ReturnService(db)
    rid = window.return_id
    fill_other_domains(svc, rid, window.view.plan)
    prev = svc.open("T1", PLAN, 2023).id
    svc.save_entry(prev, "F07", "", Entry(numerator=90, denominator=100))
    window.refresh()

    grid = window.grid
    grid.setFocus()
    for _ in range(FAMILY):
        qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert window.nav.currentRow() == FAMILY
    # Type every input cell in order: Enter moves on and opens the next editor.
    typed = {
        ("F06", COL_NUM): "48",
        ("F06", COL_DEN): "50",
        ("F07", COL_NUM): "60",
        ("F07", COL_DEN): "50",
    }
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    seen = set()
    while True:
        idx = grid.currentIndex()
        g = window.model.grid_row(grid.source_row(idx))
        key = (g.row.indicator.code, idx.column())
        if key in seen:
            break
        seen.add(key)
        editor = QApplication.focusWidget()
        if isinstance(editor, QComboBox):
            qtbot.keyClick(editor, Qt.Key.Key_Down)  # 是
        elif key in typed:
            qtbot.keyClicks(editor, typed[key])
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert all(stored(db, rid, f"F0{i}").choice == "yes" for i in (1, 2, 3, 4, 5, 8, 9))
    assert stored(db, rid, "F06") == Entry(numerator=48, denominator=50)
    # F07: 60 of 50 is an error (numerator above denominator); fix it with the keyboard.
    assert any(f.code == "num_gt_den" for _c, f in svc.view(rid).row("F07").errors)
    grid.select_cell(window.model.row_of("F07"), COL_DEN)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "100")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    row = svc.view(rid).row("F07")
    assert not row.errors
    # 60% is a drop of 30 points from 90% and misses ≥85%: warnings that need an explanation.
    assert {f.code for _c, f in row.warnings} >= {"yoy_change", "target_not_met"}
    # Enter passes the (derived) rate cell unchanged and lands in the explanation.
    assert grid.currentIndex().column() == COL_VALUE
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert svc.view(rid).row("F07").entry == Entry(numerator=60, denominator=100)
    assert grid.currentIndex().column() == COL_EXPLAIN
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "Two villages merged; verified with the civil affairs bureau.")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert svc.view(rid).row("F07").explanation.startswith("Two villages merged")
    assert not svc.view(rid).blockers()

    # Sign and submit with Ctrl+Shift+S: the real dialog, its fields filled with the keyboard.
    def type_signoff(dlg):
        dlg.show()
        for edit, text in (
            (dlg.unit_head, "Li Ming"),
            (dlg.stats_head, "Wang Fang"),
            (dlg.filled_by, "Zhao Lei"),
            (dlg.phone, "0763-3388123"),
        ):
            qtbot.keyClicks(edit, text)
        qtbot.keyClick(dlg.phone, Qt.Key.Key_Return)  # Enter accepts the dialog
        return dlg.result()

    monkeypatch.setattr(SignOffDialog, "exec", type_signoff)
    grid.setFocus()
    qtbot.keyClick(
        grid, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert svc.info(rid).status == "submitted"
    # The overview with Ctrl+Tab.
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.overview
    assert "达标率" in window.overview.summary.text()
