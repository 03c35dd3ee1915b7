"""The entry grid shows the reference figure of a target as its own input row (not as a part
of the total), typing into it changes the row's status, and a 左右 target says that its
tolerance is the catalogue's reading (issue 16)."""

import pytest
from PySide6.QtCore import Qt

from desktop.entry_model import COL_DEN, COL_NAME, COL_NUM, COL_STATUS, COL_TARGET
from desktop.main_window import MainWindow
from tests.support.desktop import stored, type_cell
from tianbao.domain.values import REFERENCE, Entry
from tianbao.services.returns import ReturnService


@pytest.fixture
def women(qtbot, db, messages):
    rid = ReturnService(db).open("T1", "lishu-women", 2024).id
    w = MainWindow(db, rid)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    return w


def _go(qtbot, window, code):
    """Click the indicator's domain in the navigation list, as a user does."""
    plan = window.view.plan
    row = [d.code for d in plan.domains].index(plan.domain_of(code).code)
    nav = window.nav
    rect = nav.visualItemRect(nav.item(row))
    qtbot.mouseClick(nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.domain_index == row


def _text(window, code, column, cell=""):
    m = window.model
    return m.data(m.index(m.row_of(code, cell), column))


def test_reference_row_is_typed_and_judges_the_total(qtbot, women, db):
    rid = women.return_id
    _go(qtbot, women, "D02")
    assert _text(women, "D02", COL_NAME, REFERENCE).strip() == "参照值：本地区党员总数中女性比例"
    assert "其中" not in _text(women, "D02", COL_NAME, REFERENCE)
    assert _text(women, "D02", COL_TARGET) == "≥本地区党员总数中女性比例"
    type_cell(qtbot, women, "D02", COL_NUM, "90")
    type_cell(qtbot, women, "D02", COL_DEN, "300")
    m = women.model
    status = m.index(m.row_of("D02"), COL_STATUS)
    assert m.data(status) == "无数据"
    assert "未填报参照值" in m.data(status, Qt.ItemDataRole.ToolTipRole)
    type_cell(qtbot, women, "D02", COL_NUM, "4000", cell=REFERENCE)
    type_cell(qtbot, women, "D02", COL_DEN, "10000", cell=REFERENCE)
    assert stored(db, rid, "D02", REFERENCE) == Entry(numerator=4000.0, denominator=10000.0)
    assert "未达标" in _text(women, "D02", COL_STATUS)  # 30 % against 40 %


def test_about_target_says_its_tolerance_is_the_catalogues(qtbot, women):
    _go(qtbot, women, "C01")
    assert _text(women, "C01", COL_TARGET) == "40%左右(±2，容差为目录取值)"
