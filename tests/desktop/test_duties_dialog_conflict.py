"""Two 填报分工 dialogs on one database file (two PCs, two sessions), driven with real clicks and
keys: the second save after the first is refused with a message naming the indicator, the other
reporter, who and when; the user reloads, sees the other reporter, keeps their other change and
saves it; nothing of either user is lost.  An open dialog shows other users' changes (poll).
The same for two 单位管理 editors."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from db import repo
from db.engine import open_database
from desktop.duties_dialog import DutiesDialog
from tests.support.desktop import PLAN
from tianbao.services.duties import Duties, Source


@pytest.fixture
def two(tmp_path):
    path = tmp_path / "office.sqlite"
    a = open_database(path, backups=False)
    with a.session() as s:
        repo.add_unit(s, "D", "甲区", "county")
        repo.add_unit(s, "T1", "一街道", "township", "D")
        repo.add_unit(s, "WJ", "区卫生健康局", "department", "D")
        repo.add_unit(s, "JY", "区教育局", "department", "D")
        repo.add_unit(s, "GA", "区公安分局", "department", "D")
    b = open_database(path, backups=False)
    yield a, b
    a.close()
    b.close()


@pytest.fixture
def questions(monkeypatch):
    """QMessageBox.question answered as the user would (Yes unless a test says otherwise)."""
    asked, answers = [], []

    def question(parent, title, text, *a, **k):
        asked.append((title, text))
        return answers.pop(0) if answers else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked, answers


def dialog(qtbot, db, user, *, polling=False):
    dlg = DutiesDialog(db, "D", PLAN, user=user)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.poll_timer.isActive()  # an open dialog looks for other users' changes
    if not polling:
        # These tests are about 保存 racing another user: the 3-second poll would show the other
        # change first on a slow machine (tested on its own below).
        dlg.poll_timer.stop()
    qtbot.waitExposed(dlg)
    return dlg


def choose(qtbot, dlg, code, text):
    """Pick a reporter in an indicator's row with the keyboard (Home, then Down)."""
    combo = dlg.combo(dlg.row_of(code))
    target = combo.findText(text)
    assert target >= 0, (text, [combo.itemText(i) for i in range(combo.count())])
    dlg.grid.scrollToItem(dlg.grid.item(dlg.row_of(code), 0))
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(target):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text


def shown(dlg, code):
    return dlg.combo(dlg.row_of(code)).currentText()


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_second_dialog_is_refused_reloads_and_keeps_its_other_change(qtbot, two, questions):
    db_a, db_b = two
    asked, _answers = questions
    x, y = [r.code for r in Duties(db_a).table("D", PLAN).rows if r.source == Source("self")][:2]
    a, b = dialog(qtbot, db_a, "甲"), dialog(qtbot, db_b, "乙")  # both open on the same division

    choose(qtbot, a, x, "区卫生健康局")
    click(qtbot, a.save_button)
    assert "已保存" in a.message.text()

    choose(qtbot, b, x, "区教育局")
    choose(qtbot, b, y, "区公安分局")
    click(qtbot, b.save_button)
    assert len(asked) == 1
    title, text = asked[0]
    assert "其他用户" in title
    assert f"指标 {x}" in text and "甲" in text and "区卫生健康局" in text and "区教育局" in text
    assert "重新载入" in text
    stored = Duties(db_a).source_of("D", PLAN)
    assert stored[x] == Source("department", "WJ")  # A's choice not overwritten
    assert stored[y] == Source("self")  # and nothing of B's saved
    assert not any(r.user == "乙" for r in Duties(db_a).history("D"))
    # Reloaded (the user answered 是): A's reporter shown, B's other change still there, unsaved.
    assert shown(b, x) == "区卫生健康局" and shown(b, y) == "区公安分局"
    assert b.pending() == {y: Source("department", "GA")}
    assert "已重新载入" in b.message.text() and x in b.message.text()

    click(qtbot, b.save_button)
    assert "已保存" in b.message.text() and len(asked) == 1
    stored = Duties(db_b).source_of("D", PLAN)
    assert stored[x] == Source("department", "WJ") and stored[y] == Source("department", "GA")
    users = {r.indicator: r.user for r in Duties(db_b).history("D") if r.indicator in (x, y)}
    assert users == {x: "甲", y: "乙"}


def test_refusing_to_reload_leaves_the_dialog_as_typed_and_saves_nothing(qtbot, two, questions):
    db_a, db_b = two
    asked, answers = questions
    (x,) = [r.code for r in Duties(db_a).table("D", PLAN).rows if r.source == Source("self")][:1]
    a, b = dialog(qtbot, db_a, "甲"), dialog(qtbot, db_b, "乙")
    choose(qtbot, a, x, "区卫生健康局")
    click(qtbot, a.save_button)
    choose(qtbot, b, x, "区教育局")
    answers.append(QMessageBox.StandardButton.No)
    click(qtbot, b.save_button)
    assert len(asked) == 1
    assert shown(b, x) == "区教育局"  # what the user chose is still on screen
    assert "甲" in b.message.text() and "没有保存任何修改" in b.message.text()
    assert Duties(db_b).source_of("D", PLAN)[x] == Source("department", "WJ")


def test_an_open_dialog_shows_another_users_change_or_says_so(qtbot, two, questions, monkeypatch):
    import desktop.duties_dialog as duties_dialog

    monkeypatch.setattr(duties_dialog, "POLL_MS", 50)
    db_a, db_b = two
    x, y = [r.code for r in Duties(db_a).table("D", PLAN).rows if r.source == Source("self")][:2]
    a, b = dialog(qtbot, db_a, "甲"), dialog(qtbot, db_b, "乙", polling=True)
    choose(qtbot, a, x, "区卫生健康局")
    click(qtbot, a.save_button)
    # Nothing changed in B: it shows A's reporter by itself within a poll.
    qtbot.waitUntil(lambda: shown(b, x) == "区卫生健康局", timeout=5000)
    assert "其他用户" in b.message.text() and not b.pending()
    # With a change of its own in B, a poll only says so; 保存 then finds the conflict.
    choose(qtbot, b, y, "区公安分局")
    choose(qtbot, a, y, "区教育局")
    click(qtbot, a.save_button)
    qtbot.waitUntil(lambda: "刚修改了填报分工" in b.message.text(), timeout=5000)
    assert shown(b, y) == "区公安分局"  # what B chose is not replaced
    click(qtbot, b.save_button)
    asked, _answers = questions
    assert len(asked) == 1 and f"指标 {y}" in asked[0][1] and "区教育局" in asked[0][1]
    assert Duties(db_b).source_of("D", PLAN)[y] == Source("department", "JY")
    click(qtbot, b.close_button)
    assert not b.poll_timer.isActive()  # closed: no more queries


# --- 单位管理: two editors on one file ------------------------------------------------------------


def select_unit(qtbot, dlg, code):
    """Click the unit's row in the tree."""
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    it = QTreeWidgetItemIterator(dlg.tree)
    while it.value() is not None:
        item = it.value()
        if item.data(0, Qt.ItemDataRole.UserRole) == code:
            dlg.tree.scrollToItem(item)
            rect = dlg.tree.visualItemRect(item)
            qtbot.mouseClick(dlg.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert dlg.selected_code() == code
            return
        it += 1
    raise AssertionError(code)


def units_dialog(qtbot, db, user, *, polling=False):
    from desktop.units import UnitsDialog

    dlg = UnitsDialog(db, user=user)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.poll_timer.isActive()
    if not polling:  # as for the duties dialogs: the save race, not the poll
        dlg.poll_timer.stop()
    qtbot.waitExposed(dlg)
    return dlg


def tree_name(dlg, code):
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    it = QTreeWidgetItemIterator(dlg.tree)
    while it.value() is not None:
        if it.value().data(0, Qt.ItemDataRole.UserRole) == code:
            return it.value().text(0)
        it += 1
    return None


def retype(qtbot, edit, text):
    """Select all and type over, as a user does (Chinese through the input method)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(edit, event)
    assert edit.text() == text


def test_second_units_editor_is_refused_and_keeps_what_was_typed(qtbot, two, questions):
    from tianbao.services.units import list_units

    db_a, db_b = two
    asked, answers = questions
    a, b = units_dialog(qtbot, db_a, "甲"), units_dialog(qtbot, db_b, "乙")
    select_unit(qtbot, a, "T1")
    retype(qtbot, a.name, "一街道办事处")
    click(qtbot, a.save_button)
    assert {u.code: u.name for u in list_units(db_a)}["T1"] == "一街道办事处"

    select_unit(qtbot, b, "T1")
    retype(qtbot, b.name, "第一街道")
    answers.append(QMessageBox.StandardButton.Yes)
    click(qtbot, b.save_button)
    assert len(asked) == 1
    _title, text = asked[0]
    assert "一街道办事处" in text and "甲" in text and "第一街道" in text and "没有保存" in text
    assert {u.code: u.name for u in list_units(db_b)}["T1"] == "一街道办事处"  # A's kept
    # Reloaded: the tree shows A's name, the field still holds what B typed.
    assert b._unit("T1").name == "一街道办事处" and b.name.text() == "第一街道"
    click(qtbot, b.save_button)  # B, having seen A's name, saves theirs knowingly
    assert {u.code: u.name for u in list_units(db_a)}["T1"] == "第一街道" and len(asked) == 1


def test_a_sheet_row_another_user_changed_since_the_export_is_refused(
    qtbot, two, questions, tmp_path
):
    import openpyxl
    from PySide6.QtWidgets import QFileDialog

    db_a, db_b = two
    asked, _answers = questions
    (x,) = [r.code for r in Duties(db_a).table("D", PLAN).rows if r.source == Source("self")][:1]
    a, b = dialog(qtbot, db_a, "甲"), dialog(qtbot, db_b, "乙")
    out = b.export_sheet(str(tmp_path / "分工.xlsx"))  # B sends the sheet out
    choose(qtbot, a, x, "区卫生健康局")
    click(qtbot, a.save_button)  # meanwhile A gives x to health
    wb = openpyxl.load_workbook(out)
    for row in wb["填报分工"].iter_rows(min_row=4):
        if row[0].value == x:
            row[4].value = "JY"  # the colleague's sheet gives x to education
    wb.save(tmp_path / "back.xlsx")
    path = str(tmp_path / "back.xlsx")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (path, "")))
        click(qtbot, b.import_button)
    assert len(asked) == 1 and f"指标 {x}" in asked[0][1] and "甲" in asked[0][1]
    assert Duties(db_b).source_of("D", PLAN)[x] == Source("department", "WJ")
    assert shown(b, x) == "区卫生健康局"  # reloaded: A's reporter shown


def test_an_open_units_editor_shows_another_users_change_and_keeps_typing(
    qtbot, two, questions, monkeypatch
):
    import desktop.units as units_module

    monkeypatch.setattr(units_module, "POLL_MS", 50)
    db_a, db_b = two
    a, b = units_dialog(qtbot, db_a, "甲"), units_dialog(qtbot, db_b, "乙", polling=True)
    select_unit(qtbot, b, "T1")
    retype(qtbot, b.name, "正在输入的名称")
    select_unit(qtbot, a, "JY")
    retype(qtbot, a.name, "区教育体育局")
    click(qtbot, a.save_button)
    qtbot.waitUntil(lambda: tree_name(b, "JY") == "区教育体育局", timeout=5000)
    assert "其他用户" in b.message.text()
    assert b.name.text() == "正在输入的名称"  # what B is typing is not overwritten
