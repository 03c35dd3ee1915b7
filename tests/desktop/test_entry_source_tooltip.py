"""An assembled return's grid says where each value came from when the pointer rests on it (issue 14:
"each value shows where it came from … in the grid"), as its side panel, Excel and PDF do."""

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from db.engine import open_database
from desktop.entry_model import COL_VALUE
from desktop.main_window import MainWindow
from tianbao.services.aggregation import aggregate
from tianbao.services.demo import DEMO_PLAN, DISTRICT, demo_years, make_demo
from tianbao.services.plans import get_plan
from tianbao.services.returns import ReturnService


def hover_text(qtbot, window, code: str, col: int) -> str:
    """The tool tip Qt shows for a cell, asked the way the pointer resting on it asks."""
    grid = window.grid
    index = grid.proxy.mapFromSource(window.model.index(window.model.row_of(code), col))
    grid.scrollTo(index)
    pos = grid.visualRect(index).center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, grid.viewport().mapToGlobal(pos))
    QApplication.sendEvent(grid.viewport(), event)
    qtbot.waitUntil(QToolTip.isVisible, timeout=2000)
    return QToolTip.text()


# The offscreen platform cannot raise the tool-tip window; the tip is shown all the same.
@pytest.mark.qt_log_ignore("does not support raise")
def test_assembled_values_say_their_source_under_the_pointer(qtbot, messages, tmp_path):
    db = open_database(tmp_path / "demo.sqlite", backups=False)
    make_demo(db)
    year = demo_years(get_plan(db, DEMO_PLAN))[-1]
    result = aggregate(db, DISTRICT[0], DEMO_PLAN, year, user="测试")
    w = MainWindow(db, ReturnService(db).open(DISTRICT[0], DEMO_PLAN, year).id, demo=True)
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    by_kind = {}
    for code, info in result.sources.items():
        by_kind.setdefault(info.kind, (code, info))
    assert {"department", "subunits"} <= set(by_kind), set(by_kind)
    for _kind, (code, info) in by_kind.items():
        QToolTip.hideText()
        tip = hover_text(qtbot, w, code, COL_VALUE)
        assert f"数据来源：{info.label()}" in tip, (code, tip)
    db.close()
