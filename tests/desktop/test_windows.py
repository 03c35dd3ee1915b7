"""Overview, language switch, units editor, the start dialog and the demonstration data."""

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCharts import QLineSeries
from PySide6.QtCore import Qt

from db import repo
from desktop.app import Controller, install_language, make_app
from desktop.settings import Choice
from desktop.start import StartDialog
from desktop.units import UnitsDialog
from tests.support.desktop import PLAN, drive_dialog
from tianbao.domain.values import Entry
from tianbao.resources import resource_path
from tianbao.services.aggregation import aggregate
from tianbao.services.returns import ReturnService


def _fill_two_years(db):
    svc = ReturnService(db)
    for year, values in ((2023, (1.8, 2.2)), (2024, (2.6, 3.4))):
        for unit, v in zip(("T1", "T2"), values, strict=True):
            rid = svc.open(unit, PLAN, year).id
            births = 1000.0 if unit == "T1" else 3000.0
            svc.save_entry(
                rid, "H04", "", Entry(numerator=round(v * births / 1000), denominator=births)
            )
            svc.save_entry(
                rid, "H11", "", Entry(numerator=95.0 if unit == "T1" else 85.0, denominator=100.0)
            )
        aggregate(db, "D", PLAN, year)


def test_overview_shows_attainment_chart_and_ranking(qtbot, db, messages):
    from desktop.main_window import MainWindow

    _fill_two_years(db)
    rid = ReturnService(db).open("D", PLAN, 2024).id
    w = MainWindow(db, rid)
    qtbot.addWidget(w)
    w.show()
    w.tabs.setCurrentWidget(w.overview)
    ov = w.overview
    assert "达标率" in ov.summary.text()
    assert ov.attainment.rowCount() == len(w.view.plan.domains) + 1
    ov.indicator_box.setCurrentIndex(ov.indicator_box.findData("H04"))
    series = [s for s in ov.chart.series() if isinstance(s, QLineSeries)]
    actual = next(s for s in series if s.name() == "实际值")
    assert [p.x() for p in actual.points()] == [2023, 2024]
    assert actual.points()[1].y() == pytest.approx(
        (3 + 10) / 4000 * 1000
    )  # summed counts, not averaged rates
    target = next(s for s in series if s.name() == "目标")
    assert all(p.y() == 3.0 for p in target.points())
    # Ranking: lower infant mortality is better.
    assert ov.ranking.item(0, 1).text() == "一街道"
    ov.indicator_box.setCurrentIndex(ov.indicator_box.findData("H11"))
    # The per-sub-unit vaccination target: the district row says k of n sub-units.
    w.tabs.setCurrentIndex(0)
    m = w.model
    status = m.data(m.index(m.row_of("H11"), 8))
    assert "1/2" in status


def test_language_switch_rebuilds_window_in_english(qtbot, db, messages):
    app = make_app()
    rid = ReturnService(db).open("T1", PLAN, 2024).id
    ctl = Controller(app, db, Choice(plan=PLAN, unit="T1", year=2024))
    ctl.show(rid)
    qtbot.addWidget(ctl.window)
    first = ctl.window
    assert first.model.headerData(1, Qt.Orientation.Horizontal) == "指标名称"
    first.lang_en.trigger()
    try:
        w = ctl.window
        qtbot.addWidget(w)
        assert w is not first and w.return_id == rid
        assert w.model.headerData(1, Qt.Orientation.Horizontal) == "Indicator"
        assert w.file_menu.title() == "&File"
        assert (
            w.nav.item(0).text().startswith("Children and Health")
            or "Health" in w.nav.item(0).text()
        )
        assert ctl.choice.lang == "en"
    finally:
        install_language(app, "zh")


def test_translations_are_complete():
    ts = ET.parse(resource_path("i18n", "tianbao_en.ts"))
    unfinished = [
        m.find("source").text
        for m in ts.getroot().iter("message")
        if m.find("translation").get("type") == "unfinished" or not m.find("translation").text
    ]
    assert not unfinished
    assert resource_path("i18n", "tianbao_en.qm").stat().st_size > 1000


def test_units_editor_adds_renames_and_refuses(qtbot, db):
    dlg = UnitsDialog(db)
    qtbot.addWidget(dlg)
    assert dlg.tree.topLevelItemCount() == 1
    dlg.tree.setCurrentItem(dlg.tree.topLevelItem(0))
    dlg.code.setText("T3")
    dlg.name.setText("三街道")
    dlg.level.setCurrentIndex(dlg.level.findData("township"))
    assert dlg.add(under_selected=True)
    with db.session() as s:
        assert repo.unit_by_code(s, "T3").parent.code == "D"
    dlg.name.setText("第三街道")
    assert dlg.rename()
    with db.session() as s:
        assert repo.unit_by_code(s, "T3").name == "第三街道"
    # A duplicate code is refused with a message, nothing changes.
    dlg.code.setText("T1")
    dlg.name.setText("重复")
    assert not dlg.add()
    assert "已存在" in dlg.message.text()
    dlg.tree.setCurrentItem(dlg.tree.topLevelItem(0))
    assert not dlg.delete()
    assert "下级" in dlg.message.text()


def test_start_dialog_opens_the_chosen_return(qtbot, db):
    dlg = StartDialog(db, PLAN, "T2", 2024)
    qtbot.addWidget(dlg)
    assert dlg.choice() == (PLAN, "T2", 2024)
    rid = dlg.open_return()
    info = ReturnService(db).info(rid)
    assert (info.unit_code, info.plan_id, info.year) == ("T2", PLAN, 2024)


@pytest.mark.sqlite_only  # 演示数据 is told from 我的数据 by its file (tianbao-demo.sqlite)
def test_demo_is_one_click_and_opens_the_districts_overview(
    qtbot, tmp_path, db, messages, monkeypatch
):
    from desktop.sources import DataSources

    sources = DataSources(own=db.path, demo=tmp_path / "demo.sqlite", backups=False)
    ctl = Controller(make_app(), db, Choice(), sources)
    drive_dialog(
        monkeypatch,
        StartDialog,
        lambda dlg: qtbot.mouseClick(dlg.demo_button, Qt.MouseButton.LeftButton),
    )
    rid = ctl.choose()
    assert ctl.overview_first and sources.is_demo(ctl.db)
    info = ReturnService(ctl.db).info(rid)
    assert info.unit_code == "DEMO" and info.plan_id == "xinhua-children"
    ctl.show(rid)
    w = ctl.window
    qtbot.addWidget(w)
    assert w.tabs.currentWidget() is w.overview
    assert w.windowTitle().startswith("【演示数据】")
    assert "达标率" in w.overview.summary.text()
    # The user's own database got none of the demonstration's units.
    with db.session() as s:
        assert "DEMO" not in {u.code for u in repo.list_units(s)}
    sources.close_all()


def test_aggregate_and_form_marks_from_the_menu(qtbot, db, messages, monkeypatch):
    from db.plans import form_marks, get_plan
    from desktop.dialogs import FormMarksDialog
    from desktop.main_window import MainWindow

    svc = ReturnService(db)
    for unit, num in (("T1", 2), ("T2", 6)):
        svc.save_entry(
            svc.open(unit, PLAN, 2024).id, "H04", "", Entry(numerator=num, denominator=2000)
        )
    w = MainWindow(db, svc.open("D", PLAN, 2024).id)
    qtbot.addWidget(w)
    assert w.aggregate_action.isEnabled()
    w.aggregate_action.trigger()
    assert "2/2" in w.result_dialog.summary.text()
    assert w.view.row("H04").value == 2.0

    def fill_marks(dlg):
        dlg.edits["table_no"].setText("清妇儿统1表")
        dlg.edits["made_by"].setText("清远市统计局")

    drive_dialog(monkeypatch, FormMarksDialog, fill_marks)
    w.marks_action.trigger()
    with db.session() as s:
        marks = form_marks(s, get_plan(s, PLAN))
    assert marks.table_no == "清妇儿统1表" and marks.made_by == "清远市统计局"


def test_start_dialog_imports_a_local_plan(qtbot, db, tmp_path):
    from db.plans import get_plan
    from tianbao.excel.planbook import write_plan_workbook

    with db.session() as s:
        plan = get_plan(s, PLAN)
    path = tmp_path / "local.xlsx"
    write_plan_workbook(plan, path)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["计划"]
    for row in ws.iter_rows():
        if row[0].value == "计划编号":
            row[1].value = "qingcheng-children"
        if row[0].value == "标题":
            row[1].value = "清城区儿童发展规划（2021—2030年）"
    wb.save(path)
    dlg = StartDialog(db, PLAN, "T1", 2024)
    qtbot.addWidget(dlg)
    assert dlg.import_plan(path), dlg.hint.text()
    assert dlg.choice()[0] == "qingcheng-children"
    assert "新计划" in dlg.hint.text()


def test_a_new_user_adds_units_from_the_start_dialog(qtbot, tmp_path):
    from db.engine import open_database

    fresh = open_database(tmp_path / "new.sqlite", backups=False)
    dlg = StartDialog(fresh)
    qtbot.addWidget(dlg)
    ok = dlg.buttons.button(dlg.buttons.StandardButton.Ok)
    assert not ok.isEnabled() and "单位管理" in dlg.hint.text()
    assert not dlg.demo_button.isVisible()  # no demo action offered without data sources
    dlg.edit_units()
    units = dlg.units_dialog
    units.code.setText("441802")
    units.name.setText("清城区")
    units.level.setCurrentIndex(units.level.findData("county"))
    assert units.add(under_selected=False)
    units.accept()
    assert ok.isEnabled() and dlg.choice()[1] == "441802"
    fresh.close()


def test_the_choice_is_remembered(qtbot, db, messages):
    from desktop.settings import load_choice

    app = make_app()
    rid = ReturnService(db).open("T2", PLAN, 2024).id
    ctl = Controller(app, db, Choice())
    ctl.show(rid)
    qtbot.addWidget(ctl.window)
    again = load_choice()
    assert (again.plan, again.unit, again.year) == (PLAN, "T2", 2024)
    assert again.db == str(db.path or db.public_url)  # a file, or a server without its password
    ctl2 = Controller(app, db, again)
    assert ctl2.remembered_return() == rid


@pytest.mark.sqlite_only  # the file's own alembic_version, changed with sqlite3
def test_program_start_refuses_a_database_newer_than_it(tmp_path, messages, monkeypatch):
    import sqlite3

    from db.engine import open_database
    from desktop.app import run

    path = tmp_path / "newer.sqlite"
    open_database(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.commit()
    con.close()
    before = path.read_bytes()
    assert run(db=str(path)) == 2
    assert messages and messages[-1][0] == "critical" and "更新版本" in messages[-1][1]
    assert path.read_bytes() == before
