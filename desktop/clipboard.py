"""Working like Excel in the entry grid: Ctrl+C / Ctrl+V of a block of cells, Delete.

A pasted block is tab-separated text, as Excel and WPS put on the clipboard.  Each cell is
checked exactly like a typed value (full-width digits, %, thousands separators; text that is not a
number kept and flagged) and saved through the same call the grid's own editing uses, so a
conflict or a failed save is handled the same way.  A whole paste or delete is one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from desktop.entry_model import COL_EXPLAIN
from desktop.i18n import fill
from tianbao.domain.errors import KnownError


def _tr(text: str) -> str:
    # The main window's context, written out so that pyside6-lupdate finds these strings.
    return QCoreApplication.translate("MainWindow", text)


def parse_block(text: str) -> list[list[str]]:
    """Rows of cells from tab-separated clipboard text (Excel ends it with a line break)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    rows = [line.split("\t") for line in text.split("\n")]
    # Excel quotes a cell that holds a line break or a tab: "a\nb" → a b
    return [
        [c[1:-1].replace('""', '"') if len(c) > 1 and c[0] == c[-1] == '"' else c for c in r]
        for r in rows
    ]


def selected_block(view) -> tuple[int, int, int, int] | None:
    """(top, left, bottom, right) of the selection in the view's rows and columns."""
    indexes = view.selectionModel().selectedIndexes() or (
        [view.currentIndex()] if view.currentIndex().isValid() else []
    )
    if not indexes:
        return None
    rows = [i.row() for i in indexes]
    cols = [i.column() for i in indexes]
    return min(rows), min(cols), max(rows), max(cols)


def copy_selection(window) -> str:
    """Ctrl+C: the selected block as Excel reads it (tab-separated, one line per row)."""
    view = window.grid
    block = selected_block(view)
    if block is None:
        return ""
    top, left, bottom, right = block
    proxy = view.proxy
    lines = []
    for r in range(top, bottom + 1):
        cells = []
        for c in range(left, right + 1):
            text = proxy.index(r, c).data(Qt.ItemDataRole.DisplayRole) or ""
            cells.append(str(text).replace("\t", " ").replace("\n", " "))
        lines.append("\t".join(cells))
    text = "\n".join(lines) + "\n"
    QApplication.clipboard().setText(text)
    window.statusBar().showMessage(
        fill(_tr("已复制 %1 行 × %2 列"), bottom - top + 1, right - left + 1), 4000
    )
    return text


def _write_cells(window, cells: list[tuple[int, int, str]], label: str) -> tuple[int, int]:
    """Write ``(view row, column, text)`` one by one as typed values; one undo step."""
    view, model = window.grid, window.model
    written = skipped = 0
    refused: list[str] = []
    window.undo_stack.beginMacro(label)
    try:
        for r, c, text in cells:
            index = view.proxy.index(r, c)
            if not index.isValid():
                skipped += 1
                continue
            src = view.proxy.mapToSource(index).row()
            if not model.is_input(src, c):
                skipped += 1
                continue
            g = model.grid_row(src)  # read again: the previous cell may have been this row
            try:
                if c == COL_EXPLAIN:
                    window.save_explanation(g.row.indicator.code, text.strip())
                else:
                    window._edit(g, c, text)
            except KnownError as e:  # e.g. "大概" pasted into a 是/部分/否 cell
                refused.append(f"{g.row.indicator.code}：{e}")
                continue
            written += 1
    finally:
        window.undo_stack.endMacro()
    if refused:
        window._warn("\n".join(refused[:10]) + ("\n……" if len(refused) > 10 else ""))
    return written, skipped + len(refused)


def paste_block(window, text: str | None = None) -> tuple[int, int]:
    """Ctrl+V: the block goes in from the current cell rightwards and down; cells that take no
    input (names, targets, computed rates) are left alone and counted."""
    view = window.grid
    if not window.view.info.editable:
        window._warn(_tr("该报表已报送并锁定，不能粘贴。如需修改，请先解锁（需填写原因）。"))
        return 0, 0
    text = QApplication.clipboard().text() if text is None else text
    rows = parse_block(text)
    block = selected_block(view)
    if not text.strip() or block is None:
        return 0, 0
    top, left, bottom, right = block
    if len(rows) == 1 and len(rows[0]) == 1:
        # One value into a selected block fills the block, as in Excel.
        cells = [(r, c, rows[0][0]) for r in range(top, bottom + 1) for c in range(left, right + 1)]
    else:
        cells = [
            (top + i, left + j, value) for i, row in enumerate(rows) for j, value in enumerate(row)
        ]
    window.grid.delegate.commit_open_editor()
    written, skipped = _write_cells(window, cells, _tr("粘贴"))
    message = fill(_tr("已粘贴 %1 格"), written)
    if skipped:
        message += fill(_tr("；%1 格不能填写，已跳过"), skipped)
    window.statusBar().showMessage(message, 6000)
    return written, skipped


def clear_selection(window) -> int:
    """Delete: empties the selected input cells (one undo step); other cells are left alone."""
    view = window.grid
    block = selected_block(view)
    if block is None or not window.view.info.editable:
        return 0
    top, left, bottom, right = block
    selected = {(i.row(), i.column()) for i in view.selectionModel().selectedIndexes()} or {
        (top, left)
    }
    cells = [(r, c, "") for r, c in sorted(selected)]
    written, _skipped = _write_cells(window, cells, _tr("清除"))
    window.statusBar().showMessage(fill(_tr("已清除 %1 格"), written), 4000)
    return written
