"""单位 → 填报分工…, 报表 → 收报情况…, the templates for all, and 显示全部指标, driven with real clicks
and keys through the main window's actions; results checked in the database and in the files."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from db import repo
from db.engine import open_database
from desktop.main_window import MainWindow
from tests.support import xlsx as h
from tests.support.desktop import PLAN
from tianbao.services.duties import Duties, Source
from tianbao.services.returns import ReturnService

YEAR = 2024


@pytest.fixture
def db(tmp_path):
    d = open_database(tmp_path / "duties-desk.sqlite", backups=False)
    with d.session() as s:
        repo.add_unit(s, "D", "甲区", "county")
        repo.add_unit(s, "T1", "一街道", "township", "D")
        repo.add_unit(s, "T2", "二镇", "township", "D")
        repo.add_unit(s, "WJ", "区卫生健康局", "department", "D")
        repo.add_unit(s, "JY", "区教育局", "department", "D")
        repo.add_unit(s, "GA", "区公安分局", "department", "D")
    yield d
    d.close()


def _window(qtbot, db, unit):
    rid = ReturnService(db).open(unit, PLAN, YEAR).id
    w = MainWindow(db, rid)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


def choose(qtbot, combo, text):
    """Pick an item of a combo box with the keyboard (Home, then Down)."""
    target = combo.findText(text)
    assert target >= 0, (text, [combo.itemText(i) for i in range(combo.count())])
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(target):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentIndex() == target


def type_ime(widget, text):
    """Chinese typed as an input method delivers it: one commit string (keyClicks is ASCII only)."""
    widget.setFocus()
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _codes(db, domain):
    from db.plans import get_plan

    with db.session() as s:
        return [i.code for i in get_plan(s, PLAN).indicators if i.domain == domain]


def test_assigning_by_domain_by_filter_and_one_by_one_with_clicks(qtbot, db, messages):
    w = _window(qtbot, db, "D")
    w.duties_action.trigger()
    dlg = w.duties_dialog
    assert dlg.isVisible() and "尚未确定" in dlg.heading.text()
    assert dlg.combo(dlg.row_of("H11")).currentText() == "下级乡镇（街道）"  # default

    choose(qtbot, dlg.domain_box, "儿童与教育")
    choose(qtbot, dlg.target_box, "区教育局")
    click(qtbot, dlg.domain_button)
    choose(qtbot, dlg.domain_box, "全部领域")
    type_ime(dlg.filter_box, "死亡率")
    shown = [dlg.grid.item(n, 0).text() for n in dlg.shown_rows()]
    assert "H04" in shown and all("死亡率" in dlg.grid.item(n, 2).text() for n in dlg.shown_rows())
    choose(qtbot, dlg.target_box, "区卫生健康局")
    click(qtbot, dlg.filter_button)
    dlg.filter_box.clear()
    choose(qtbot, dlg.combo(dlg.row_of("S02")), "区公安分局")  # one indicator by hand
    assert "未保存" in dlg.message.text()
    assert Duties(db).is_set("D", PLAN) is False  # nothing stored before 保存
    click(qtbot, dlg.save_button)
    assert "已保存填报分工" in dlg.message.text()

    du = Duties(db)
    src = du.source_of("D", PLAN)
    assert {c for c, s in src.items() if s == Source("department", "JY")} == set(
        _codes(db, "education")
    )
    assert src["H04"] == Source("department", "WJ") and src["S02"] == Source("department", "GA")
    assert src["H11"] == Source("subunits") and src["H01"] == Source("self")
    assert du.indicators_for("GA", PLAN) == ["S02"]
    assert any(a.indicator == "S02" and a.new == "区公安分局" for a in du.history("D"))


def test_bad_sheet_in_the_dialog_says_why_and_changes_nothing(qtbot, db, messages, tmp_path):
    Duties(db).set("D", PLAN, ["H04"], "WJ")
    w = _window(qtbot, db, "D")
    w.duties_action.trigger()
    dlg = w.duties_dialog
    out = dlg.export_sheet(str(tmp_path / "分工.xlsx"))
    wb = openpyxl.load_workbook(out)
    ws = wb["填报分工"]
    for row in ws.iter_rows(min_row=4):
        if row[0].value == "H05":
            row[4].value = "不存在的局"
    wb.save(tmp_path / "bad.xlsx")
    before = h.dump(db)
    path = str(tmp_path / "bad.xlsx")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (path, "")))
        click(qtbot, dlg.import_button)
    assert "不存在的局" in dlg.message.text() and "未导入" in dlg.message.text()
    assert h.dump(db) == before


def test_a_department_sees_only_its_own_and_the_others_read_only(qtbot, db, messages):
    du = Duties(db)
    du.set("D", PLAN, ["H04", "H05"], "WJ")
    du.set_domain("D", PLAN, "education", "JY")
    w = _window(qtbot, db, "WJ")
    assert [g.row.indicator.code for g in w.model._rows if g.is_total] == ["H04", "H05"]
    assert "已填 0/2" in w.status_label.text()
    nav = [w.nav.item(i).text() for i in range(w.nav.count())]
    assert "已填 0/2" in nav[0] and "已填 0/0" in nav[2]

    w.show_all_action.trigger()  # 显示全部指标
    codes = [g.row.indicator.code for g in w.model._rows if g.is_total]
    assert len(codes) > 2 and "H01" in codes
    h01 = w.model.row_of("H01")
    assert not w.model.is_input(h01, 7)
    assert "不由本单位填报" in w.model.data(w.model.index(h01, 1), Qt.ItemDataRole.ToolTipRole)
    h04 = w.model.row_of("H04")
    assert w.model.is_input(h04, 5)
    w.show_all_action.trigger()
    assert [g.row.indicator.code for g in w.model._rows if g.is_total] == ["H04", "H05"]


def test_progress_view_reminder_sheet_and_templates_for_all(qtbot, db, messages, tmp_path):
    du = Duties(db)
    du.set("D", PLAN, ["H04", "H05"], "WJ")
    du.set("D", PLAN, ["S02"], "GA")
    rid = ReturnService(db).open("WJ", PLAN, YEAR).id
    from tianbao.domain.values import Entry

    ReturnService(db).save_entry(rid, "H04", "", Entry(numerator=2, denominator=900))
    w = _window(qtbot, db, "D")
    w.progress_action.trigger()
    dlg = w.progress_dialog
    names = [dlg.grid.item(n, 0).text() for n in range(dlg.grid.rowCount())]
    assert names == ["区卫生健康局", "区公安分局", "一街道", "二镇"]
    assert [dlg.grid.item(0, c).text() for c in (2, 3, 6)] == ["2", "1", "填报中"]
    assert dlg.grid.item(1, 6).text() == "未报" and "S02" in dlg.grid.item(1, 12).text()
    assert "区公安分局" in dlg.late_label.text()

    # A value typed elsewhere: the open view refreshes itself through the hub.
    change = ReturnService(db).save_entry(rid, "H05", "", Entry(numerator=3, denominator=900))
    w.hub.changed.emit(change)
    assert dlg.grid.item(0, 3).text() == "2"

    sheet = str(tmp_path / "催报.xlsx")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (sheet, "")))
        click(qtbot, dlg.export_button)
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(sheet).active.iter_rows()]
    assert any(r[1] == "区公安分局" and r[7] == "未报" for r in rows)

    folder = tmp_path / "模板"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder)))
        w.templates_action.trigger()
    files = sorted(p.name for p in folder.iterdir())
    assert files == sorted(
        f"{YEAR}_{n}_{PLAN}_空白表.xlsx" for n in ("区卫生健康局", "区公安分局", "一街道", "二镇")
    )
    assert "已为 4 个单位导出空白模板" in w.statusBar().currentMessage()
