"""文件 → 从规划文本新建计划…, driven with the menu action, mouse clicks and typing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from db import repo
from db.plans import get_plan, plan_ids
from desktop.plan_draft_dialog import C_FLAG, C_NAME, C_VALUE, PlanDraftDialog
from tests.support.plantext import PLAN_LINES, write_docx
from tianbao.domain.values import Entry
from tianbao.excel.planbook import read_plan_workbook
from tianbao.services.returns import ReturnService


def _open_with(monkeypatch, path: Path | None):
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        staticmethod(lambda *a, **k: (str(path) if path else "", "")),
    )


def _click_row(qtbot, dlg: PlanDraftDialog, r: int, col: int = C_NAME):
    t = dlg.table
    t.scrollToItem(t.item(r, col))
    rect = t.visualItemRect(t.item(r, col))
    qtbot.mouseClick(t.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert t.currentRow() == r


def _edit_cell(qtbot, dlg: PlanDraftDialog, r: int, col: int) -> QLineEdit:
    """Double-click a cell, as a user would, and return its editor."""
    t = dlg.table
    t.scrollToItem(t.item(r, col))
    rect = t.visualItemRect(t.item(r, col))
    qtbot.mouseClick(t.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(t.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editors = [e for e in t.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "no cell editor opened"
    return editors[0]


def _row_of(dlg: PlanDraftDialog, name: str, k: int = 0) -> int:
    rows = [
        r for r, row in enumerate(dlg.rows) if row["ind"] is not None and row["ind"]["name"] == name
    ]
    return rows[k]


def _open_dialog(qtbot, window, monkeypatch, tmp_path) -> PlanDraftDialog:
    src = write_docx(tmp_path / "示范县儿童发展规划.docx", PLAN_LINES)
    _open_with(monkeypatch, src)
    window.draft_plan_action.trigger()
    dlg = window.draft_dialog
    qtbot.addWidget(dlg)
    qtbot.waitExposed(dlg)
    return dlg


def test_menu_action_is_in_the_file_menu(window):
    texts = [a.text() for a in window.file_menu.actions()]
    assert "从规划文本新建计划…" in texts
    assert texts.index("从规划文本新建计划…") < texts.index("导出计划工作簿…")


def test_review_and_save_as_new_plan(qtbot, window, monkeypatch, tmp_path, messages, db):
    dlg = _open_dialog(qtbot, window, monkeypatch, tmp_path)
    assert dlg.plan["title"] == "示范县儿童发展规划（2021—2030年）"
    assert "还有 2 处待核" in dlg.summary.text()
    before = set(plan_ids_of(db))

    # choosing a target shows where it came from
    r = _row_of(dlg, "婴儿死亡率")
    _click_row(qtbot, dlg, r)
    cursor = dlg.text_view.textCursor()
    assert cursor.blockNumber() == 11  # line 12
    assert (
        cursor.selectedText()
        == "婴儿死亡率和5岁以下儿童死亡率分别降至3.5‰和4.5‰以下"[: len(cursor.selectedText())]
    )
    assert "3.5‰" in cursor.selectedText()

    # saving with open flags is refused and changes nothing
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert messages and "还有 2 处待核" in messages[-1][1]
    assert set(plan_ids_of(db)) == before

    # accept the first flagged row
    r = _row_of(dlg, "学前教育毛入园率", 1)
    assert dlg.table.item(r, C_FLAG).text().startswith("⚠")
    _click_row(qtbot, dlg, r)
    qtbot.mouseClick(dlg.accept_button, Qt.MouseButton.LeftButton)
    assert dlg.table.item(r, C_FLAG).text() == ""
    assert "还有 1 处待核" in dlg.summary.text()

    # correct a value by typing in the cell (a bad value is refused first)
    r = _row_of(dlg, "新生儿访视率")
    editor = _edit_cell(qtbot, dlg, r, C_VALUE)
    editor.selectAll()
    qtbot.keyClicks(editor, "abc")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "不是数字" in dlg.status.text())
    qtbot.waitUntil(lambda: dlg.table.item(r, C_VALUE).text() == "92")
    assert dlg.rows[r]["target"]["value"] == 92
    editor = _edit_cell(qtbot, dlg, r, C_VALUE)
    editor.selectAll()
    qtbot.keyClicks(editor, "93")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dlg.table.item(r, C_VALUE).text() == "93")
    assert dlg.rows[r]["target"]["value"] == 93 and "已更正" in dlg.status.text()

    # delete the remaining flagged item (the kindergarten count)
    r = next(i for i, row in enumerate(dlg.rows) if not row["resolved"])
    name = dlg.rows[r]["ind"]["name"]
    _click_row(qtbot, dlg, r)
    qtbot.mouseClick(dlg.delete_button, Qt.MouseButton.LeftButton)
    assert all(i["name"] != name for i in dlg.plan["indicators"])
    assert "还有 0 处待核" in dlg.summary.text()

    # a bad id is refused
    dlg.id_edit.clear()
    qtbot.keyClicks(dlg.id_edit, "Shifan County")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert "计划编号" in messages[-1][1]
    assert set(plan_ids_of(db)) == before

    dlg.id_edit.clear()
    qtbot.keyClicks(dlg.id_edit, "shifan-children")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert messages[-1][0] == "information" and "shifan-children" in messages[-1][1]
    with db.session() as s:
        plan = get_plan(s, "shifan-children")
    assert not plan.builtin
    assert plan.title == "示范县儿童发展规划（2021—2030年）"
    visits = next(i for i in plan.indicators if i.name == "新生儿访视率")
    assert visits.targets[0].value == 93
    assert all(i.name != name for i in plan.indicators)
    assert plan.quantified_target_count == 7
    assert not any("待核" in (i.note or "") for i in plan.indicators)
    assert not dlg.isVisible()
    # the new plan is usable at once: a township opens its return on it and enters a value
    svc = ReturnService(db)
    rid = svc.open("T1", "shifan-children", 2025).id
    code = next(i.code for i in plan.indicators if i.name == "新生儿访视率")
    svc.save_entry(rid, code, "", Entry(number=95.0))
    with db.session() as s:
        assert repo.entries(s, rid)[(code, "")].number == 95.0

    # the same id again is refused (a new plan never overwrites one)
    dlg2 = _open_dialog(qtbot, window, monkeypatch, tmp_path)
    for row in dlg2.rows:
        row["resolved"] = True
    dlg2.id_edit.setText("shifan-children")
    qtbot.mouseClick(dlg2.save_button, Qt.MouseButton.LeftButton)
    assert "已有编号" in messages[-1][1]


def test_export_plan_workbook_with_flags_left(qtbot, window, monkeypatch, tmp_path, messages):
    dlg = _open_dialog(qtbot, window, monkeypatch, tmp_path)
    out = tmp_path / "draft.xlsx"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
    )
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    plan = read_plan_workbook(out)
    assert plan.quantified_target_count == 8
    assert any("待核" in (i.note or "") for i in plan.indicators)


def test_unreadable_file_changes_nothing(qtbot, window, monkeypatch, tmp_path, messages):
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing readable")
    _open_with(monkeypatch, bad)
    window.draft_plan_action.trigger()
    dlg = window.draft_dialog
    qtbot.addWidget(dlg)
    assert messages and messages[-1][0] == "warning" and "PDF" in messages[-1][1]
    assert dlg.plan is None and not dlg.save_button.isEnabled()
    good = write_docx(tmp_path / "plan.docx", PLAN_LINES)
    _open_with(monkeypatch, good)
    qtbot.mouseClick(dlg.open_button, Qt.MouseButton.LeftButton)
    assert dlg.plan is not None and dlg.save_button.isEnabled()


def test_pasted_text_and_filter(qtbot, window, monkeypatch, tmp_path, messages):
    _open_with(monkeypatch, None)
    window.draft_plan_action.trigger()
    dlg = window.draft_dialog
    qtbot.addWidget(dlg)
    QApplication.clipboard().setText("")
    qtbot.mouseClick(dlg.paste_button, Qt.MouseButton.LeftButton)
    assert "剪贴板中没有文字" in messages[-1][1]
    QApplication.clipboard().setText("\n".join(PLAN_LINES))
    qtbot.mouseClick(dlg.paste_button, Qt.MouseButton.LeftButton)
    assert dlg.plan is not None
    dlg.filter_combo.setCurrentIndex(2)  # 只看待核
    shown = [r for r in range(dlg.table.rowCount()) if not dlg.table.isRowHidden(r)]
    assert len(shown) == 2
    qtbot.mouseClick(dlg.next_flag_button, Qt.MouseButton.LeftButton)
    assert dlg.table.currentRow() in shown


def plan_ids_of(db):
    with db.session() as s:
        return plan_ids(s)


def test_dialog_in_english(qtbot, db):
    from desktop.app import install_language

    app = QApplication.instance()
    install_language(app, "en")
    try:
        dlg = PlanDraftDialog(db)
        qtbot.addWidget(dlg)
        assert dlg.save_button.text() == "Save as new plan"
        assert dlg.table.horizontalHeaderItem(0).text() == "To review"
        assert dlg.windowTitle() == "New plan from the plan text"
    finally:
        install_language(app, "zh")


def test_saving_messages_in_english(qtbot, db, monkeypatch, tmp_path, messages):
    """The saving section (PlanDraftSaving mixin, its own translation context since the split)
    still speaks English: a refused save with items to review, a bad plan id, an export."""
    from desktop.app import install_language

    app = QApplication.instance()
    install_language(app, "en")
    try:
        dlg = PlanDraftDialog(db)
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.waitExposed(dlg)
        assert dlg.load_file(write_docx(tmp_path / "示范县儿童发展规划.docx", PLAN_LINES))
        before = set(plan_ids_of(db))
        qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
        assert messages[-1] == (
            "warning",
            "2 items are still to review. Accept, correct (in the table) or delete each one, "
            "then save; or export the plan workbook and finish in Excel.",
        )
        dlg.id_edit.clear()
        qtbot.keyClicks(dlg.id_edit, "Bad Id")
        out = tmp_path / "draft.xlsx"
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), ""))
        )
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
        assert messages[-1][1].startswith("A plan id may contain only lower-case letters")
        assert not out.exists() and set(plan_ids_of(db)) == before  # nothing changed
        dlg.id_edit.clear()
        qtbot.keyClicks(dlg.id_edit, "demo-county-children")
        qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
        assert out.exists()
        assert dlg.status.text().startswith("Exported: ") and "items to review" in dlg.status.text()
    finally:
        install_language(app, "zh")
