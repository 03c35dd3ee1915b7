"""The entry grid's table model: one row per input cell of a domain's indicators.

The model holds plain rows built from a ReturnView; it never touches the database.  Edits are
handed to an ``editor`` callable (the controller), which saves and then refreshes the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QApplication, QStyle

from desktop.i18n import core
from tianbao.domain.catalogue import target_in_force
from tianbao.domain.status import describe_en, fmt_fixed
from tianbao.domain.values import CHOICE_LABELS, REFERENCE, TOTAL, Entry, cells_of
from tianbao.services.returns import Row

(
    COL_CODE,
    COL_NAME,
    COL_UNIT,
    COL_TARGET,
    COL_PREVIOUS,
    COL_NUM,
    COL_DEN,
    COL_VALUE,
    COL_STATUS,
    COL_CHECK,
    COL_EXPLAIN,
) = range(11)
COLUMN_COUNT = 11
INPUT_COLUMNS = (COL_NUM, COL_DEN, COL_VALUE, COL_EXPLAIN)

STATUS_SYMBOLS = {
    "met": "✓",
    "not_met": "✗",
    "close": "≈",
    "no_target": "—",
    "no_data": "",
    "on_course": "↗",
    "behind": "↘",
}

ERROR_BG = QColor("#fde2e1")
WARNING_BG = QColor("#fff4cc")
READONLY_BG = QColor("#f4f5f7")
UNSAVED_BG = QColor("#ffd8a8")  # typed, not yet in the database (kept and retried)


def status_label(status: str) -> str:
    labels = {
        "met": QCoreApplication.translate("EntryModel", "达标"),
        "not_met": QCoreApplication.translate("EntryModel", "未达标"),
        "close": QCoreApplication.translate("EntryModel", "接近"),
        "no_target": QCoreApplication.translate("EntryModel", "本年无目标"),
        "no_data": QCoreApplication.translate("EntryModel", "无数据"),
        "on_course": QCoreApplication.translate("EntryModel", "按进度"),
        "behind": QCoreApplication.translate("EntryModel", "落后于进度"),
    }
    return labels[status]


def fmt(v: float | str | None, digits: int = 2) -> str:
    if v is None:
        return ""
    if isinstance(v, str):
        return CHOICE_LABELS.get(v, v)
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.{digits}f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class GridRow:
    row: Row
    cell: str
    label: str
    seq: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.row.indicator.code, self.cell)

    @property
    def is_total(self) -> bool:
        return self.cell == TOTAL

    @property
    def entry(self) -> Entry:
        return self.row.cells.get(self.cell, Entry())

    @property
    def findings(self):
        return [f for c, f in self.row.findings if c == self.cell]


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) ranges: [3, 4, 5, 9] → [(3, 5), (9, 9)]."""
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


def grid_rows(rows: list[Row]) -> list[GridRow]:
    out = []
    for seq, r in enumerate(rows, 1):
        for cell, label in cells_of(r.indicator):
            if cell == TOTAL:
                text = r.indicator.name
            elif cell == REFERENCE:  # the figure a target compares with, not a part of the total
                text = "    " + label
            else:
                text = "    " + QCoreApplication.translate("EntryModel", "其中：") + core(label)
            out.append(GridRow(r, cell, text, seq))
    return out


Editor = Callable[[GridRow, int, str], None]


class EntryModel(QAbstractTableModel):
    def __init__(self, editor: Editor | None = None, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[GridRow] = []
        self._editor = editor
        self.year = 0
        self.editable = True
        self.english = False
        # 填报分工: indicators another unit reports, shown (显示全部指标) but never editable here.
        self.readonly: frozenset[str] = frozenset()
        # Cells typed but not yet saved (the database could not be reached): (code, cell) → Entry.
        # Shown instead of the stored content, marked 未保存, until desktop.saving retries them.
        self.unsaved: dict[tuple[str, str], Entry] = {}

    def set_unsaved(self, unsaved: dict[tuple[str, str], Entry]) -> None:
        self.unsaved = dict(unsaved)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, COLUMN_COUNT - 1)
            )

    def entry_of(self, g: GridRow) -> Entry:
        """What the cell shows: the unsaved typed content, else the stored one."""
        return self.unsaved.get(g.key, g.entry)

    # --- content ---------------------------------------------------------------------------

    def set_rows(
        self, rows: list[Row], year: int, editable: bool, readonly: frozenset[str] = frozenset()
    ) -> None:
        new = grid_rows(rows)
        same_shape = [g.key for g in new] == [g.key for g in self._rows]
        same_state = (self.year, self.editable, self.readonly) == (year, editable, readonly)
        self.year, self.editable, self.readonly = year, editable, frozenset(readonly)
        if same_shape and self._rows:
            old, self._rows = self._rows, new
            # Only the rows whose content changed (a typed value: its indicator's rows) are
            # signalled, so Qt repaints those, not the whole grid.
            changed = [
                i
                for i, (a, b) in enumerate(zip(old, new, strict=True))
                if not same_state or a.row != b.row
            ]
            for first, last in _runs(changed):
                self.dataChanged.emit(self.index(first, 0), self.index(last, COLUMN_COUNT - 1))
        else:
            self.beginResetModel()
            self._rows = new
            self.endResetModel()

    def grid_row(self, row: int) -> GridRow:
        return self._rows[row]

    def row_of(self, code: str, cell: str = TOTAL) -> int:
        for i, g in enumerate(self._rows):
            if g.key == (code, cell):
                return i
        return -1

    # --- Qt model interface ----------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return [
            QCoreApplication.translate("EntryModel", "代码"),
            QCoreApplication.translate("EntryModel", "指标名称"),
            QCoreApplication.translate("EntryModel", "单位"),
            QCoreApplication.translate("EntryModel", "本年目标"),
            QCoreApplication.translate("EntryModel", "上年值"),
            QCoreApplication.translate("EntryModel", "分子"),
            QCoreApplication.translate("EntryModel", "分母"),
            QCoreApplication.translate("EntryModel", "本年值"),
            QCoreApplication.translate("EntryModel", "达标情况"),
            QCoreApplication.translate("EntryModel", "审核"),
            QCoreApplication.translate("EntryModel", "情况说明"),
        ][section]

    def is_input(self, row: int, col: int) -> bool:
        if not self.editable or not 0 <= row < len(self._rows):
            return False
        g = self._rows[row]
        if g.row.indicator.code in self.readonly:
            return False
        ind = g.row.indicator
        if col in (COL_NUM, COL_DEN):
            return ind.is_rate
        if col == COL_VALUE:
            return True
        if col == COL_EXPLAIN:
            return g.is_total
        return False

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.is_input(index.row(), index.column()):
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if not index.isValid():
            return None
        g = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(g, col, edit=role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(g, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(g, index.row(), col)
        if role == Qt.ItemDataRole.DecorationRole and col == COL_CHECK:
            return self._icon(g)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (
            COL_PREVIOUS,
            COL_NUM,
            COL_DEN,
            COL_VALUE,
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and g.row.indicator.code in self.readonly:
            return QBrush(QColor("#777777"))
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_STATUS and g.is_total:
            return QBrush(
                QColor(
                    {"not_met": "#b3261e", "met": "#1e6b30", "close": "#8a5a00"}.get(
                        g.row.status.status, "#444"
                    )
                )
            )
        return None

    def _text(self, g: GridRow, col: int, edit: bool = False) -> str:
        ind = g.row.indicator
        e = self.entry_of(g)
        if col == COL_CODE:
            return ind.code if g.is_total else ""
        if col == COL_NAME:
            name = ind.name_en if self.english and ind.name_en and g.is_total else g.label
            return name
        if col == COL_UNIT:
            return ind.unit
        if col == COL_TARGET:
            if not g.is_total:
                return ""
            targets = target_in_force(ind.targets, self.year)
            if self.english:
                return "; ".join(describe_en(t, ind.unit) for t in targets)
            return "；".join(t.describe(ind.unit) for t in targets)
        if col == COL_PREVIOUS:
            if not g.is_total:
                return ""
            prev = g.row.previous
            if isinstance(prev, str):
                return core(CHOICE_LABELS.get(prev, prev))
            return fmt_fixed(prev, ind) if prev is not None else ""  # as in Excel and PDF
        if col == COL_NUM:
            return fmt(e.numerator) if ind.is_rate else ""
        if col == COL_DEN:
            return fmt(e.denominator) if ind.is_rate else ""
        if col == COL_VALUE:
            if ind.kind == "yesno":
                return core(CHOICE_LABELS[e.choice]) if e.choice in CHOICE_LABELS else ""
            if ind.kind == "text":
                return e.text or ""
            if e.text and e.number is None and e.numerator is None:
                return e.text  # what was typed, kept although it is not a number
            if edit:
                return fmt(e.number, 6) if e.number is not None else fmt(e.value(ind), 2)
            # What the user typed is what is shown (and exported, see excel.export._number_shown):
            # a rate typed over the computed one stays, with the mismatch warning beside it.
            v = e.number if e.number is not None else e.value(ind)
            return fmt_fixed(v, ind) if v is not None else ""  # the indicator's fixed decimals
        if col == COL_STATUS:
            if not g.is_total:
                return ""
            st = g.row.status
            if any(f.severity == "error" for _c, f in g.row.findings):
                # Never ✓ 达标 beside a hard error: the value cannot be judged until it is fixed.
                return "✗ " + QCoreApplication.translate("EntryModel", "先改正错误")
            text = f"{STATUS_SYMBOLS[st.status]} {status_label(st.status)}".strip()
            if st.subunits_met:
                k, n = st.subunits_met
                text += f"（{k}/{n}）"
            return text
        if col == COL_CHECK:
            errors = sum(f.severity == "error" for f in g.findings)
            warnings = sum(f.severity == "warning" for f in g.findings)
            # Symbols and counts; the icon and the tooltip carry the words, colour is never alone.
            parts = []
            if g.key in self.unsaved:
                parts.append(QCoreApplication.translate("EntryModel", "未保存"))
            if errors:
                parts.append(f"✗{errors}")
            if warnings:
                parts.append(f"⚠{warnings}")
            return " ".join(parts)
        if col == COL_EXPLAIN:
            return g.row.explanation if g.is_total else ""
        return ""

    def _tooltip(self, g: GridRow, col: int) -> str | None:
        if g.key in self.unsaved and col in (COL_NUM, COL_DEN, COL_VALUE):
            return QCoreApplication.translate(
                "EntryModel", "未保存：无法写入数据库，内容已保留，程序会自动重试。"
            )
        # An assembled return: where the value came from (a department, n of m sub-units, the
        # office), as the side panel, the Excel and the PDF say it.
        source = None
        if col in (COL_NUM, COL_DEN, COL_VALUE) and g.row.source is not None:
            source = QCoreApplication.translate("EntryModel", "数据来源：%1").replace(
                "%1", g.row.source.label(en=self.english)
            )
        if col == COL_CHECK or (col in INPUT_COLUMNS and g.findings):
            msgs = [
                f"{'✗' if f.severity == 'error' else '⚠'} {f.message_en if self.english else f.message}"
                for f in g.findings
            ]
            return "\n".join([*msgs, *([source] if source else [])]) or None
        if source:
            return source
        if col == COL_STATUS and g.is_total:
            st = g.row.status
            lines = [st.detail_en if self.english else st.detail]
            if g.row.subunits:
                lines += [f"{name}: {fmt(v) or '—'}" for name, v in g.row.subunits.items()]
            return "\n".join(lines)
        if col == COL_NAME and g.is_total:
            ind = g.row.indicator
            parts = [f"{ind.code} {ind.name}"]
            if ind.is_rate:
                parts.append(f"= {ind.numerator} ÷ {ind.denominator} × {fmt(ind.scale)}")
            if ind.note:
                parts.append(ind.note)
            if ind.code in self.readonly:
                parts.append(
                    QCoreApplication.translate("EntryModel", "不由本单位填报（填报分工），只读")
                )
            return "\n".join(parts)
        return None

    def _background(self, g: GridRow, row: int, col: int):
        if g.key in self.unsaved and col in (COL_NUM, COL_DEN, COL_VALUE):
            return QBrush(UNSAVED_BG)
        if col in INPUT_COLUMNS and self.is_input(row, col):
            if any(f.severity == "error" for f in g.findings) and col != COL_EXPLAIN:
                return QBrush(ERROR_BG)
            if col == COL_EXPLAIN and g.row.needs_explanation:
                return QBrush(WARNING_BG)
            if any(f.severity == "warning" for f in g.findings) and col != COL_EXPLAIN:
                return QBrush(WARNING_BG)
            return None
        if col == COL_CHECK and g.findings:
            return QBrush(
                ERROR_BG if any(f.severity == "error" for f in g.findings) else WARNING_BG
            )
        return QBrush(READONLY_BG)

    def _icon(self, g: GridRow):
        style = QApplication.style()
        if any(f.severity == "error" for f in g.findings):
            return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical)
        if g.findings:
            return style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return None

    def setData(
        self,
        index: QModelIndex | QPersistentModelIndex,
        value,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.is_input(index.row(), index.column()):
            return False
        text = "" if value is None else str(value)
        g = self._rows[index.row()]
        if text.strip() == self._text(g, index.column(), edit=True).strip():
            return False
        if self._editor is not None:
            self._editor(g, index.column(), text)
        return True
