"""单位 → 单位管理 → 删除所选单位 on a member department that reports indicators: the program asks,
naming how many; 否 changes nothing; 是 deletes it and records each indicator in the duties history
with the window's user."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QTreeWidgetItemIterator

from db import repo
from desktop.main_window import MainWindow
from desktop.units import UnitsDialog
from tests.support.desktop import PLAN
from tianbao.services.duties import Duties
from tianbao.services.returns import ReturnService
from tianbao.services.units import list_units

HEALTH = ["H03", "H04"]


def _select(dlg, code):
    it = QTreeWidgetItemIterator(dlg.tree)
    while it.value() is not None:
        if it.value().data(0, Qt.ItemDataRole.UserRole) == code:
            dlg.tree.setCurrentItem(it.value())
            return
        it += 1
    raise AssertionError(code)


def test_deleting_a_department_with_duties_asks_and_records_them(qtbot, db, monkeypatch):
    with db.session() as s:
        repo.add_unit(s, "D-WJ", "区卫健局", "department", "D")
    Duties(db, user="办公室").set("D", PLAN, HEALTH, "D-WJ")
    w = MainWindow(db, ReturnService(db).open("D", PLAN, 2024).id, user="张三")
    qtbot.addWidget(w)
    questions, answers = [], [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def question(parent, title, text, *a):
        questions.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    dialogs = []

    def run(dlg):
        dialogs.append(dlg)
        button = next(b for b in dlg.findChildren(QPushButton) if b.text() == "删除所选单位")
        _select(dlg, "D-WJ")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # 否
        assert "D-WJ" in {u.code for u in list_units(db)}
        assert dlg.message.text() == "未删除。"
        _select(dlg, "D-WJ")
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # 是
        return UnitsDialog.DialogCode.Accepted

    monkeypatch.setattr(UnitsDialog, "exec", run)
    before = len(Duties(db).history("D"))
    w.units_action.trigger()
    assert dialogs and len(questions) == 2
    assert "“区卫健局”" in questions[0] and "负责填报 2 个指标" in questions[0]
    assert "D-WJ" not in {u.code for u in list_units(db)}
    rows = Duties(db).history("D")[before:]
    assert sorted(r.indicator for r in rows) == HEALTH
    assert {(r.user, r.old) for r in rows} == {("张三", "区卫健局")}


def test_a_unit_without_duties_is_deleted_without_asking(qtbot, db, monkeypatch):
    with db.session() as s:
        repo.add_unit(s, "T9", "九街道", "township", "D")
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(lambda *a: (_ for _ in ()).throw(AssertionError("asked"))),
    )
    dlg = UnitsDialog(db, user="李四")
    qtbot.addWidget(dlg)
    _select(dlg, "T9")
    assert dlg.delete()
    assert "T9" not in {u.code for u in list_units(db)}
