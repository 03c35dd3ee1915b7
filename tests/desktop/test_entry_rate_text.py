"""Text typed into a rate's 分子 or 分母 cell: refused with a Chinese message, nothing changed —
never shown as the rate's 本年值 (an Entry has one text, which belongs to 本年值)."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.entry_model import COL_DEN, COL_NUM, COL_VALUE
from tests.support.desktop import open_editor, stored, type_cell
from tianbao.domain.values import Entry


def text(window, code, column):
    m = window.model
    return m.data(m.index(m.row_of(code), column))


def test_text_in_the_numerator_is_refused_and_changes_nothing(qtbot, window, db, messages):
    rid = window.return_id
    type_cell(qtbot, window, "H04", COL_NUM, "3")
    type_cell(qtbot, window, "H04", COL_NUM, "abc")
    assert messages, "no message"
    kind, message = messages[-1]
    assert kind == "warning" and "分子" in message and "只能填写数字" in message
    assert "abc" in message
    assert stored(db, rid, "H04") == Entry(numerator=3.0)
    assert text(window, "H04", COL_NUM) == "3"
    assert "abc" not in (text(window, "H04", COL_VALUE) or "")
    assert not [
        a for a in window.svc.history(rid) if a.action == "value" and "abc" in (a.new or "")
    ]


def test_text_in_the_denominator_is_refused_and_changes_nothing(qtbot, window, db, messages):
    rid = window.return_id
    type_cell(qtbot, window, "H04", COL_DEN, "1500")
    editor = open_editor(qtbot, window, "H04", COL_DEN)
    editor.selectAll()
    qtbot.keyClicks(editor, "n/a")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert messages and "分母" in messages[-1][1] and "n/a" in messages[-1][1]
    assert stored(db, rid, "H04") == Entry(denominator=1500.0)
    assert text(window, "H04", COL_DEN) == "1500"
    # The grid goes on working: the next cell takes a number.
    QApplication.processEvents()
    type_cell(qtbot, window, "H04", COL_NUM, "3")
    assert stored(db, rid, "H04") == Entry(numerator=3.0, denominator=1500.0)


def test_text_in_the_rate_itself_is_kept_where_it_was_typed(qtbot, window, db, messages):
    type_cell(qtbot, window, "H04", COL_VALUE, "abc")
    assert stored(db, window.return_id, "H04").text == "abc"  # kept, an error until fixed
    assert text(window, "H04", COL_VALUE) == "abc"
    assert text(window, "H04", COL_NUM) == "" and not messages


def test_pasting_text_into_a_numerator_is_refused_with_the_same_message(
    qtbot, window, db, messages
):
    from desktop import clipboard

    window.grid.setFocus()
    window.grid.select_cell(window.model.row_of("H04"), COL_NUM)
    clipboard.paste_block(window, "abc")
    assert messages and "分子" in messages[-1][1] and "只能填写数字" in messages[-1][1]
    assert stored(db, window.return_id, "H04") == Entry()
