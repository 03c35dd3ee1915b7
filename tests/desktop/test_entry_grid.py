"""The entry grid driven with the keyboard, checked against the database and the row."""

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from db import repo
from desktop.dialogs import ReasonDialog, SignOffDialog
from desktop.entry_model import COL_CHECK, COL_DEN, COL_EXPLAIN, COL_NUM, COL_STATUS, COL_VALUE
from tests.support.desktop import (
    PLAN,
    drive_dialog,
    fill_everything,
    fill_signoff,
    open_editor,
    stored,
    type_cell,
)
from tianbao.domain.values import Entry
from tianbao.services.returns import ReturnService


def row_text(window, code, column, cell=""):
    m = window.model
    return m.data(m.index(m.row_of(code, cell), column))


def test_model_passes_qt_model_tester(qtbot, window):
    ModelTester(qtbot).check(window.model, force_py=True)
    ModelTester(qtbot).check(window.grid.proxy, force_py=True)


def test_typing_numerator_and_denominator_saves_and_derives_the_rate(qtbot, window, db):
    rid = window.return_id
    editor = type_cell(qtbot, window, "H04", COL_NUM, "3")
    # Enter moved on to the next input cell (the denominator) and opened its editor.
    assert window.grid.currentIndex().column() == COL_DEN
    qtbot.keyClicks(editor, "1500")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert stored(db, rid, "H04") == Entry(numerator=3.0, denominator=1500.0)
    assert row_text(window, "H04", COL_VALUE) == "2.00"  # 3 / 1500 × 1000 ‰, fixed decimals
    assert "达标" in row_text(window, "H04", COL_STATUS)


def test_tab_skips_cells_that_take_no_input(qtbot, window):
    grid = window.grid
    grid.setFocus()
    grid.select_cell(window.model.row_of("H01"), COL_VALUE)
    qtbot.keyClick(grid, Qt.Key.Key_Tab)
    assert grid.currentIndex().column() == COL_EXPLAIN
    qtbot.keyClick(grid, Qt.Key.Key_Tab)
    src = grid.source_row(grid.currentIndex())
    assert window.model.grid_row(src).row.indicator.code == "H02"
    assert grid.currentIndex().column() == COL_VALUE


def test_error_shows_in_row_then_is_fixed(qtbot, window, db):
    rid = window.return_id
    type_cell(qtbot, window, "H07", COL_NUM, "120")
    type_cell(qtbot, window, "H07", COL_DEN, "100")
    # The typed value is saved even though it is wrong, and the row says why.
    assert stored(db, rid, "H07") == Entry(numerator=120.0, denominator=100.0)
    assert "✗1" in row_text(window, "H07", COL_CHECK)
    tip = window.model.data(
        window.model.index(window.model.row_of("H07"), COL_CHECK), Qt.ItemDataRole.ToolTipRole
    )
    assert "分子" in tip and "分母" in tip
    assert (
        window.model.data(
            window.model.index(window.model.row_of("H07"), COL_CHECK),
            Qt.ItemDataRole.DecorationRole,
        )
        is not None
    )
    type_cell(qtbot, window, "H07", COL_NUM, "99")
    assert stored(db, rid, "H07").numerator == 99.0
    assert "✗" not in (row_text(window, "H07", COL_CHECK) or "")


def test_text_that_is_not_a_number_is_kept_and_flagged(qtbot, window, db):
    type_cell(qtbot, window, "H07", COL_VALUE, "abc")
    assert stored(db, window.return_id, "H07").text == "abc"
    assert row_text(window, "H07", COL_VALUE) == "abc"
    assert "✗1" in row_text(window, "H07", COL_CHECK)


def test_full_width_digits_are_understood(qtbot, window, db):
    # Full-width text arrives from an input method as committed text, not as key presses.
    editor = open_editor(qtbot, window, "H08", COL_VALUE)
    editor.insert("９６．５")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert stored(db, window.return_id, "H08").number == 96.5


def test_qualitative_goal_takes_yes_partly_no(qtbot, window, db):
    combo = open_editor(qtbot, window, "H01", COL_VALUE)
    combo.setCurrentText("部分")
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert stored(db, window.return_id, "H01").choice == "partly"
    assert "接近" in row_text(window, "H01", COL_STATUS)


def test_undo_and_redo_value_edits(qtbot, window, db):
    rid = window.return_id
    type_cell(qtbot, window, "H08", COL_VALUE, "97")
    type_cell(qtbot, window, "H08", COL_VALUE, "98")
    window.grid.setFocus()
    window.undo_action.trigger()
    assert stored(db, rid, "H08").number == 97.0
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(db, rid, "H08").empty
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert stored(db, rid, "H08").number == 97.0
    # Every step is in the history.
    assert len(ReturnService(db).history(rid, "H08")) == 5


def test_filters(qtbot, window):
    type_cell(qtbot, window, "H08", COL_VALUE, "-3")
    proxy = window.grid.proxy
    window.filter_box.setCurrentIndex(window.filter_box.findData("errors"))
    codes = {
        window.model.grid_row(proxy.mapToSource(proxy.index(r, 0)).row()).row.indicator.code
        for r in range(proxy.rowCount())
    }
    assert codes == {"H08"}
    window.filter_box.setCurrentIndex(window.filter_box.findData("empty"))
    assert proxy.rowCount() == window.model.rowCount() - 1
    window.filter_box.setCurrentIndex(window.filter_box.findData("all"))
    assert proxy.rowCount() == window.model.rowCount()


def test_find_goes_to_indicator_in_another_domain(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.find_box.hasFocus()
    target = window.view.plan.domains[2].indicators[0]
    window.find_box.insert(target.name[:6])  # Chinese arrives from the input method
    qtbot.keyClick(window.find_box, Qt.Key.Key_Return)
    assert window.nav.currentRow() == 2
    src = window.grid.source_row(window.grid.currentIndex())
    assert window.model.grid_row(src).row.indicator.code == target.code


def test_warning_needs_explanation_before_submit(qtbot, window, db, messages):
    svc = ReturnService(db)
    with db.session() as s:
        t1 = repo.unit_by_code(s, "T1")
    prev = svc.open("T1", PLAN, 2023).id
    svc.save_entry(prev, "H08", "", Entry(number=98.0))
    window.refresh()
    type_cell(
        qtbot, window, "H08", COL_VALUE, "80"
    )  # a drop of 18 points: a warning, and target missed
    assert "⚠" in row_text(window, "H08", COL_CHECK)
    view = svc.view(window.return_id)
    assert any("H08" in b for b in view.blockers())
    window.submit_action.trigger()
    assert any(b.code == "H08" for b in window.blockers_dialog.blockers)
    assert window.blockers_dialog.tree.topLevelItemCount() >= 1
    # Explain in the side panel.
    window.grid.select_cell(window.model.row_of("H08"), COL_VALUE)
    window.side.explanation.setPlainText("新生儿听力筛查设备年内更换，停检两个月。")
    qtbot.mouseClick(window.side.save_button, Qt.MouseButton.LeftButton)
    assert row_text(window, "H08", COL_EXPLAIN).startswith("新生儿听力筛查")
    assert svc.view(window.return_id).row("H08").needs_explanation is False
    del t1


def test_sign_submit_lock_and_unlock(qtbot, window, db, messages, monkeypatch):
    svc = ReturnService(db)
    rid = window.return_id
    fill_everything(svc, rid, window.view.plan)
    window.refresh()
    blockers = svc.view(rid).blockers()
    assert not blockers, blockers[:5]
    drive_dialog(monkeypatch, SignOffDialog, fill_signoff)
    window.submit_action.trigger()
    info = svc.info(rid)
    assert info.status == "submitted"
    assert info.signoff.unit_head == "张三" and info.signoff.report_date == date.today()
    assert not window.model.flags(window.model.index(0, COL_VALUE)) & Qt.ItemFlag.ItemIsEditable
    assert window.unlock_action.isEnabled() and not window.submit_action.isEnabled()
    drive_dialog(monkeypatch, ReasonDialog)
    window.unlock_action.trigger()  # a reason is required
    assert messages and "原因" in messages[-1][1]
    assert svc.info(rid).status == "submitted"
    drive_dialog(
        monkeypatch,
        ReasonDialog,
        lambda d: d.reason.setPlainText("上级审核发现H07口径有误，需更正"),
    )
    window.unlock_action.trigger()
    assert svc.info(rid).status == "draft"
    unlocks = [a for a in svc.history(rid) if a.action == "unlock"]
    assert unlocks and unlocks[-1].reason == "上级审核发现H07口径有误，需更正"


def test_closing_with_an_open_editor_saves_the_value(qtbot, window, db):
    qtbot.keyClicks(open_editor(qtbot, window, "H08", COL_VALUE), "93.5")
    window.close()
    assert stored(db, window.return_id, "H08").number == 93.5


def test_disaggregated_indicator_has_sub_rows(window):
    m = window.model
    assert m.row_of("H03", "urban_rural=urban") == m.row_of("H03") + 1
    assert "城镇" in m.data(m.index(m.row_of("H03", "urban_rural=urban"), 1))


def test_domain_navigation_shows_progress(qtbot, window):
    type_cell(qtbot, window, "H08", COL_VALUE, "96")
    first = window.nav.item(0).text()
    assert "已填 1/" in first
    window.nav.setCurrentRow(1)
    assert window.model.grid_row(0).row.indicator.domain == window.view.plan.domains[1].code


def test_baseline_for_a_relative_target_is_set_in_the_side_panel(qtbot, window, db):
    # S02 儿童伤害死亡率: to fall 20% from the 2020 base.
    window.svc.save_entry(window.return_id, "S02", "", Entry(number=7.5))
    window.find("S02")
    side = window.side
    assert side.baseline_row.isVisibleTo(side) and "2020" in side.baseline_label.text()
    side.baseline_edit.setText("10")
    qtbot.mouseClick(side.baseline_button, Qt.MouseButton.LeftButton)
    row = window.svc.view(window.return_id).row("S02")
    assert row.baseline == (2020, 10.0) and row.status.status == "met"
    assert "达标" in row_text(window, "S02", COL_STATUS)
    window.find("H08")
    assert not side.baseline_row.isVisibleTo(side)


def test_a_typed_rate_over_the_computed_one_is_shown_with_its_warning(qtbot, window, db):
    rid = window.return_id
    type_cell(qtbot, window, "H04", COL_NUM, "3")
    type_cell(qtbot, window, "H04", COL_DEN, "1500")
    assert row_text(window, "H04", COL_VALUE).startswith("2")
    type_cell(qtbot, window, "H04", COL_VALUE, "5")
    assert stored(db, rid, "H04") == Entry(number=5, numerator=3, denominator=1500)
    assert row_text(window, "H04", COL_VALUE).startswith("5")  # what will be exported
    assert row_text(window, "H04", COL_CHECK)  # the mismatch is flagged beside it


def test_the_status_never_says_met_beside_a_hard_error(qtbot, window, db):
    type_cell(qtbot, window, "H04", COL_NUM, "3000")
    type_cell(qtbot, window, "H04", COL_DEN, "1500")  # numerator above denominator
    assert "✗" in row_text(window, "H04", COL_CHECK)
    status = row_text(window, "H04", COL_STATUS)
    assert "达标" not in status and "先改正错误" in status
