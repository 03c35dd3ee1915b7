"""Issue 17: the overview's ranking of sub-units shows each figure with the indicator's fixed
decimals, as the grid, the Excel and the PDF do (not 97.4 beside 94.75).  The user opens the 概览
tab with a click and walks the indicators with the Down key; every ranking cell is read."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from db.engine import open_database
from desktop.main_window import MainWindow
from tianbao.domain.display import decimals, fmt_fixed, fmt_number
from tianbao.services.demo import DEMO_PLAN, DISTRICT, demo_years, make_demo
from tianbao.services.monitoring import rank
from tianbao.services.plans import get_plan
from tianbao.services.returns import ReturnService


def test_overview_ranking_cells_have_the_indicators_fixed_decimals(qtbot, messages, tmp_path):
    db = open_database(tmp_path / "demo.sqlite", backups=False)
    make_demo(db)
    plan = get_plan(db, DEMO_PLAN)
    year = demo_years(plan)[-1]
    w = MainWindow(db, ReturnService(db).open(DISTRICT[0], DEMO_PLAN, year).id, demo=True)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    bar = w.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())  # 概览
    ov = w.overview
    box = ov.indicator_box
    box.setFocus()
    seen, differs = 0, 0
    while True:
        code = box.currentData()
        ind = plan.indicator(code)
        rows = rank(db, DISTRICT[0], DEMO_PLAN, year, code)
        assert ov.ranking.rowCount() == len(rows), code
        for i, (name, value, _status) in enumerate(rows):
            assert ov.ranking.item(i, 1).text() == name
            cell = ov.ranking.item(i, 2).text()
            if value is None:
                assert cell == ""
                continue
            assert cell == fmt_fixed(value, ind), (code, name, cell)
            assert len(cell.partition(".")[2]) == decimals(ind), (code, cell)
            seen += 1
            differs += cell != fmt_number(value)  # what the overview showed before
        if box.currentIndex() == box.count() - 1:
            break
        QTest.keyClick(box, Qt.Key.Key_Down)
    assert seen > 20 and differs > 0, (seen, differs)
    db.close()
