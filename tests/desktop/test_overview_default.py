"""The district overview of the demonstration opens at an indicator its townships report, so the
ranking of sub-units beside the chart has figures (not 无数据 for every township, as with H03, a
figure only the health department reports)."""

from PySide6.QtCore import Qt

from db.engine import open_database
from desktop.main_window import MainWindow
from tianbao.services.demo import DEMO_PLAN, DISTRICT, demo_years, make_demo
from tianbao.services.monitoring import monitor
from tianbao.services.plans import get_plan
from tianbao.services.returns import ReturnService


def test_demo_district_overview_ranks_its_townships_by_default(qtbot, messages, tmp_path):
    db = open_database(tmp_path / "demo.sqlite", backups=False)
    make_demo(db)
    year = demo_years(get_plan(db, DEMO_PLAN))[-1]
    rep = monitor(db, DISTRICT[0], DEMO_PLAN, year)
    assert "H03" in rep.rankable and "H03" not in rep.subunit_ranked  # a department's figure
    assert rep.subunit_ranked  # the townships' own indicators (H09, V08 in the demo)

    w = MainWindow(db, ReturnService(db).open(DISTRICT[0], DEMO_PLAN, year).id, demo=True)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    bar = w.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())  # 概览
    assert w.tabs.currentWidget() is w.overview
    ov = w.overview
    code = ov.indicator_box.currentData()
    assert code in rep.subunit_ranked, code
    assert ov.ranking.rowCount() > 1
    values = [ov.ranking.item(i, 2).text() for i in range(ov.ranking.rowCount())]
    assert any(v not in ("", "—") for v in values), values
    statuses = [ov.ranking.item(i, 3).text() for i in range(ov.ranking.rowCount())]
    assert not all(s == "无数据" for s in statuses), statuses
    # The sub-units' names are readable at a small window's size (not cut to "李…"): place, value
    # and status as wide as their text, the name column takes the rest.
    w.resize(800, 700)
    qtbot.wait(10)
    t = ov.ranking
    fm = t.fontMetrics()
    longest = max(fm.horizontalAdvance(t.item(i, 1).text()) for i in range(t.rowCount()))
    assert t.columnWidth(1) >= max(longest, *(t.columnWidth(c) for c in (0, 2, 3)))
    # H03 is still there to chart; choosing it is the user's choice.
    assert ov.indicator_box.findData("H03") >= 0
    db.close()
