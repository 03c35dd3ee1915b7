"""The entry grid: a table view where Enter and Tab move to the next input cell."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtGui import QRegion
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

from desktop.entry_model import (
    COL_CHECK,
    COL_CODE,
    COL_EXPLAIN,
    COL_NAME,
    COL_STATUS,
    COL_TARGET,
    COL_VALUE,
    EntryModel,
)
from desktop.i18n import core
from tianbao.domain.values import CHOICE_LABELS

FILTERS = ("all", "empty", "errors", "warnings", "not_met")


class EntryFilter(QSortFilterProxyModel):
    """Show all rows, or only empty ones, ones with errors, warnings, or a target not met."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.mode = "all"

    def set_mode(self, mode: str) -> None:
        assert mode in FILTERS
        self.mode = mode
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if self.mode == "all":
            return True
        g = self.sourceModel().grid_row(source_row)
        r = g.row
        if self.mode == "empty":
            return g.entry.empty
        if self.mode == "errors":
            return any(f.severity == "error" for f in g.findings)
        if self.mode == "warnings":
            return any(f.severity == "warning" for f in g.findings)
        return g.is_total and r.status.status in ("not_met", "close")


class EntryDelegate(QStyledItemDelegate):
    """Line editors (a list for yes / partly / no); Enter commits and moves on like Tab."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.open_editor: QWidget | None = None

    def createEditor(self, parent, option, index):
        model = index.model()
        src = model.mapToSource(index) if isinstance(model, QSortFilterProxyModel) else index
        source = src.model()
        g = source.grid_row(src.row())
        if src.column() == COL_VALUE and g.row.indicator.kind == "yesno":
            editor = QComboBox(parent)
            editor.addItems(["", *(core(v) for v in CHOICE_LABELS.values())])
        else:
            editor = QLineEdit(parent)
        editor.installEventFilter(self)
        self.open_editor = editor
        return editor

    def setEditorData(self, editor, index):
        text = index.data(Qt.ItemDataRole.EditRole) or ""
        if isinstance(editor, QComboBox):
            editor.setCurrentText(text)
        else:
            editor.setText(text)

    def setModelData(self, editor, model, index):
        text = editor.currentText() if isinstance(editor, QComboBox) else editor.text()
        model.setData(index, text, Qt.ItemDataRole.EditRole)

    def destroyEditor(self, editor, index):
        if self.open_editor is editor:
            self.open_editor = None
        super().destroyEditor(editor, index)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
        ):
            if isinstance(obj, QComboBox) and obj.view().isVisible():
                return super().eventFilter(obj, event)
            self.commitData.emit(obj)
            self.closeEditor.emit(obj, QAbstractItemDelegate.EndEditHint.EditNextItem)
            return True
        return super().eventFilter(obj, event)

    def commit_open_editor(self) -> None:
        """Save what is being typed (used when the window closes or the return changes)."""
        if self.open_editor is not None:
            editor = self.open_editor
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)


class EntryView(QTableView):
    def __init__(self, model: EntryModel, parent=None) -> None:
        super().__init__(parent)
        self.source = model
        self.proxy = EntryFilter(self)
        self.proxy.setSourceModel(model)
        self.setModel(self.proxy)
        self.delegate = EntryDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        # A block of cells can be selected (Shift+arrows, drag) for copy, paste and Delete.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setAlternatingRowColors(False)
        self.setWordWrap(True)
        self.verticalHeader().setVisible(False)
        # Row heights fit the (wrapped) text, but are measured only when they can change: all rows
        # when the rows or the column widths change, the changed rows when a save signals them.
        # (ResizeToContents would measure every row again on any change: ~20 ms per typed value.)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._fit_pending = False
        self.proxy.modelReset.connect(self.fit_rows)
        self.proxy.layoutChanged.connect(self.fit_rows)
        self.proxy.rowsInserted.connect(self.fit_rows)
        self.proxy.dataChanged.connect(self._fit_changed)
        h = self.horizontalHeader()
        h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        h.setStretchLastSection(True)
        widths = {
            COL_CODE: 46,
            COL_NAME: 220,
            COL_TARGET: 120,
            COL_STATUS: 82,
            COL_CHECK: 64,
            COL_EXPLAIN: 110,
        }
        for col, w in widths.items():
            self.setColumnWidth(col, w)
        self.setColumnWidth(2, 40)
        for col in (4, 5, 6, 7):
            self.setColumnWidth(col, 58)
        h.sectionResized.connect(self.fit_rows_later)  # wider or narrower: wrapping changes

    def fit_rows_later(self, *_args) -> None:
        """Fit every row's height to its text once the current event is done (coalesced)."""
        if not self._fit_pending:
            self._fit_pending = True
            QTimer.singleShot(0, self.fit_rows)

    def fit_rows(self, *_args) -> None:
        self._fit_pending = False
        self.resizeRowsToContents()

    def _fit_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles=()) -> None:
        if self._fit_pending:
            return  # all rows are fitted anyway
        for row in range(top_left.row(), bottom_right.row() + 1):
            self.resizeRowToContents(row)

    # Qt repaints the whole table when it gains or loses the focus (twice per typed value: the
    # editor closes, the next one opens), though only the current cell's focus frame changes:
    # about 20 ms for a screen of rows.  Repaint that cell and the frame instead.
    def focusInEvent(self, event) -> None:
        current = self.currentIndex()
        if not current.isValid():
            super().focusInEvent(event)  # Qt picks the first cell
            return
        editable = bool(current.flags() & Qt.ItemFlag.ItemIsEditable)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, editable)
        self._repaint_focus(current)

    def focusOutEvent(self, event) -> None:
        current = self.currentIndex()
        if not current.isValid():
            super().focusOutEvent(event)
            return
        self._repaint_focus(current)

    def _repaint_focus(self, current: QModelIndex) -> None:
        self.viewport().update(self.visualRect(current))
        self.update(QRegion(self.rect()) - QRegion(self.viewport().geometry()))

    def source_row(self, proxy_index: QModelIndex) -> int:
        return self.proxy.mapToSource(proxy_index).row()

    def _input_cells(self, row: int = 0, step: int = 1):
        """The input cells (proxy row, column) in reading order from ``row`` on (``step`` -1:
        backwards); moving on from a cell looks at the rows from it, not at the whole grid."""
        columns = range(self.proxy.columnCount())
        rows = range(row, self.proxy.rowCount()) if step > 0 else range(row, -1, -1)
        for r in rows:
            src = self.proxy.mapToSource(self.proxy.index(r, 0)).row()
            for c in columns if step > 0 else reversed(columns):
                if self.source.is_input(src, c):
                    yield (r, c)

    def moveCursor(self, action, modifiers):
        """Tab / Enter (MoveNext) and Shift+Tab (MovePrevious) skip cells that take no input;
        past the last (before the first) input cell the cursor stays on it."""
        forward = action == QAbstractItemView.CursorAction.MoveNext
        if forward or action == QAbstractItemView.CursorAction.MovePrevious:
            cur = self.currentIndex()
            here = (cur.row(), cur.column())
            if forward:
                nxt = next((rc for rc in self._input_cells(max(here[0], 0)) if rc > here), None)
                nxt = nxt or next(self._input_cells(self.proxy.rowCount() - 1, -1), None)
            else:
                start = here[0] if here[0] >= 0 else self.proxy.rowCount() - 1
                nxt = next((rc for rc in self._input_cells(start, -1) if rc < here), None)
                nxt = nxt or next(self._input_cells(), None)
            return self.proxy.index(*nxt) if nxt else cur
        return super().moveCursor(action, modifiers)

    def select_cell(self, source_row: int, column: int = COL_VALUE) -> None:
        idx = self.proxy.mapFromSource(self.source.index(source_row, column))
        if idx.isValid():
            self.setCurrentIndex(idx)
            self.scrollTo(idx)

    def first_input(self) -> None:
        first = next(self._input_cells(), None)
        if first is not None:
            self.setCurrentIndex(self.proxy.index(*first))


__all__ = ["EntryView", "EntryFilter", "EntryDelegate", "FILTERS", "COL_CHECK", "COL_EXPLAIN"]
