"""文件 → 从规划文本新建计划…: review a plan drafted from its published text, then save it.

The plan's text is on the left, the drafted targets on the right; choosing a target highlights the
words it came from.  Every flagged item (待核) must be accepted, corrected (edit the cell) or
deleted before the draft can be saved as a new plan; the plan workbook can be exported at any
time to finish the work in Excel.  The saved plan passes the same catalogue checks as a built-in one.

Sections: the layout, loading a text, the table and its review (here); the table's data —
columns, comparator words, rows, quotes — in :mod:`desktop.plan_draft_model`; saving as a new plan
or a plan workbook in :mod:`desktop.plan_draft_save` (the ``PlanDraftSaving`` mixin).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QAction, QBrush, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import fill
from desktop.plan_draft_model import (
    C_CODE,
    C_EACH,
    C_FLAG,
    C_LINE,
    C_NAME,
    C_OP,
    C_QUOTE,
    C_UNIT,
    C_VALUE,
    C_YEAR,
    COLUMNS,
    CURRENT_BG,
    EDITABLE,
    FLAG_BG,
    OP_LABEL,
    OP_OF_LABEL,
    TARGET_BG,
    TEXT_FILTER,
    find_quote,
    num,
    rows_of,
    value_text,
)
from desktop.plan_draft_save import PlanDraftSaving
from tianbao.domain.errors import KnownError


class PlanDraftDialog(PlanDraftSaving, QDialog):
    def __init__(self, db, parent=None, *, user: str = "") -> None:
        super().__init__(parent)
        self.db, self.user = db, user
        self.setWindowTitle(self.tr("从规划文本新建计划"))
        self.drafts: list = []
        self.plan: dict[str, Any] | None = None
        self.lines: tuple[str, ...] = ()
        self.source = ""
        self.rows: list[dict[str, Any]] = []
        self.saved_plan = None
        self._filling = False

        self.open_button = QPushButton(self.tr("打开规划文件…"))
        self.open_button.clicked.connect(self.open_file)
        self.paste_button = QPushButton(self.tr("粘贴规划正文"))
        self.paste_button.clicked.connect(self.paste_text)
        self.plan_combo = QComboBox()
        self.plan_combo.currentIndexChanged.connect(self._choose_plan)
        self.plan_combo.setVisible(False)
        self.summary = QLabel(self.tr("打开规划的 Word、PDF、网页或文本文件，或粘贴正文。"))
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        for w in (self.open_button, self.paste_button, self.plan_combo):
            top.addWidget(w)
        top.addWidget(self.summary, 1)

        self.text_view = QPlainTextEdit()
        self.text_view.setReadOnly(True)
        self.text_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

        self.filter_combo = QComboBox()
        self.filter_combo.addItems([self.tr("全部目标"), self.tr("量化目标"), self.tr("只看待核")])
        self.filter_combo.currentIndexChanged.connect(self._apply_filter)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(C_QUOTE, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            C_NAME, QHeaderView.ResizeMode.Interactive
        )
        self.table.setColumnWidth(C_NAME, 220)
        self.table.currentCellChanged.connect(lambda r, *_: self._show_source(r))
        self.table.itemChanged.connect(self._edited)
        self.accept_button = QPushButton(self.tr("接受"))
        self.accept_button.setToolTip(self.tr("认可所选项，取消“待核”"))
        self.accept_button.clicked.connect(self.accept_selected)
        self.delete_button = QPushButton(self.tr("删除"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.next_flag_button = QPushButton(self.tr("下一处待核"))
        self.next_flag_button.clicked.connect(self.next_flag)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        bar.addWidget(self.filter_combo)
        bar.addStretch(1)
        for b in (self.next_flag_button, self.accept_button, self.delete_button):
            bar.addWidget(b)
        rl.addLayout(bar)
        rl.addWidget(self.table, 1)
        rl.addWidget(self.status)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.text_view)
        split.addWidget(right)
        split.setSizes([480, 820])

        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText(self.tr("如 xx-county-children（小写字母、数字、连字符）"))
        self.title_edit = QLineEdit()
        form = QFormLayout()
        form.addRow(self.tr("计划编号"), self.id_edit)
        form.addRow(self.tr("计划名称"), self.title_edit)
        self.save_button = QPushButton(self.tr("保存为新计划"))
        self.save_button.clicked.connect(self.save_as_plan)
        self.export_button = QPushButton(self.tr("导出计划工作簿…"))
        self.export_button.clicked.connect(self.export_workbook)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addLayout(form, 1)
        for b in (self.export_button, self.save_button, self.close_button):
            bottom.addWidget(b)

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addLayout(bottom)
        self._set_enabled(False)
        self.resize(1320, 760)

    # --- loading -------------------------------------------------------------------------------

    def _set_enabled(self, on: bool) -> None:
        for w in (
            self.table,
            self.accept_button,
            self.delete_button,
            self.next_flag_button,
            self.save_button,
            self.export_button,
            self.id_edit,
            self.title_edit,
            self.filter_combo,
        ):
            w.setEnabled(on)

    def open_file(self) -> bool:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("打开规划正文"), "", TEXT_FILTER)
        if not name:
            return False
        return self.load_file(Path(name))

    def paste_text(self) -> bool:
        text = QApplication.clipboard().text()
        if not text.strip():
            QMessageBox.warning(
                self,
                self.tr("未完成"),
                self.tr("剪贴板中没有文字。请先在网页或文档中复制规划正文，再点“粘贴规划正文”。"),
            )
            return False
        from tianbao.plantext import read_plan_text

        return self._load(lambda: read_plan_text(text))

    def load_file(self, path: Path) -> bool:
        from tianbao.plantext import read_plan_file

        return self._load(lambda: read_plan_file(path))

    def _load(self, read) -> bool:
        from tianbao.plantext import draft_plans

        try:
            pt = read()
            drafts = draft_plans(pt)
        except KnownError as e:
            QMessageBox.warning(self, self.tr("无法起草"), str(e))
            return False
        self.drafts = drafts
        self.lines = pt.lines
        self.source = pt.source
        self.text_view.setPlainText("\n".join(pt.lines))
        self.plan_combo.blockSignals(True)
        self.plan_combo.clear()
        for d in drafts:
            self.plan_combo.addItem(d.plan["title"])
        self.plan_combo.setVisible(len(drafts) > 1)
        self.plan_combo.blockSignals(False)
        self._choose_plan(0)
        return True

    def _choose_plan(self, i: int) -> None:
        if not (0 <= i < len(self.drafts)):
            return
        d = self.drafts[i]
        self.plan = copy.deepcopy(d.plan)
        self.id_edit.setText(self.plan["id"])
        self.title_edit.setText(self.plan["title"])
        self.rows = rows_of(self.plan, d.flags)
        self._set_enabled(True)
        self._fill_table()

    # --- the table ----------------------------------------------------------------------------

    def _fill_table(self) -> None:
        self._filling = True
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            ind, t = row["ind"], row["target"]
            cells = ["" for _ in COLUMNS]
            cells[C_FLAG] = "" if row["resolved"] else "⚠ " + "；".join(row["flags"])
            if ind is not None:
                cells[C_CODE] = ind["code"]
                cells[C_NAME] = ind["name"]
                cells[C_UNIT] = ind.get("unit", "")
                cells[C_OP] = OP_LABEL.get(t["op"], t["op"])
                cells[C_VALUE] = value_text(t)
                cells[C_YEAR] = str(t.get("year", ""))
                cells[C_EACH] = t.get("each", "")
            else:
                cells[C_NAME] = self.tr("（未识别的数字）")
            cells[C_LINE] = str(t.get("line") or "")
            cells[C_QUOTE] = t.get("quote", "")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
                if c in EDITABLE and ind is not None:
                    flags |= Qt.ItemFlag.ItemIsEditable
                item.setFlags(flags)
                if not row["resolved"]:
                    item.setBackground(QBrush(FLAG_BG))
                if c == C_FLAG and not row["resolved"]:
                    item.setToolTip("\n".join(row["flags"]))
                self.table.setItem(r, c, item)
        self._filling = False
        self._apply_filter()
        self._update_summary()
        self._highlight_lines()

    def _apply_filter(self) -> None:
        mode = self.filter_combo.currentIndex()
        for r, row in enumerate(self.rows):
            quant = row["kind"] == "target" and row["target"]["op"] not in (
                "qualitative",
                "direction",
            )
            hide = (mode == 1 and not quant) or (mode == 2 and row["resolved"])
            self.table.setRowHidden(r, hide)

    def unresolved(self) -> int:
        return sum(1 for r in self.rows if not r["resolved"])

    def _update_summary(self) -> None:
        if self.plan is None:
            return
        inds = self.plan["indicators"]
        targets = [t for i in inds for t in i["targets"]]
        quant = sum(1 for t in targets if t["op"] not in ("qualitative", "direction"))
        self.summary.setText(
            fill(
                self.tr("%1：%2 个指标，%3 个目标（量化 %4），还有 %5 处待核。"),
                self.plan["title"],
                len(inds),
                len(targets),
                quant,
                self.unresolved(),
            )
        )

    def _show_source(self, r: int) -> None:
        if not (0 <= r < len(self.rows)):
            return
        t = self.rows[r]["target"]
        line = t.get("line")
        if not line:
            return
        block = self.text_view.document().findBlockByNumber(line - 1)
        cursor = QTextCursor(block)
        quote = t.get("quote", "")
        text = block.text()
        start, length = find_quote(text, quote)
        cursor.setPosition(block.position() + start)
        cursor.setPosition(block.position() + start + length, QTextCursor.MoveMode.KeepAnchor)
        self.text_view.setTextCursor(cursor)
        self.text_view.ensureCursorVisible()
        self._highlight_lines(current=(block.position() + start, length))

    def _highlight_lines(self, current: tuple[int, int] | None = None) -> None:
        doc = self.text_view.document()
        sels = []
        for row in self.rows:
            line = row["target"].get("line")
            if not line:
                continue
            block = doc.findBlockByNumber(line - 1)
            if not block.isValid():
                continue
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(QBrush(TARGET_BG if row["resolved"] else FLAG_BG))
            start, length = find_quote(block.text(), row["target"].get("quote", ""))
            cur = QTextCursor(block)
            cur.setPosition(block.position() + start)
            cur.setPosition(block.position() + start + length, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor, sel.format = cur, fmt
            sels.append(sel)
        if current is not None:
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(QBrush(CURRENT_BG))
            fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
            cur = QTextCursor(doc)
            cur.setPosition(current[0])
            cur.setPosition(current[0] + current[1], QTextCursor.MoveMode.KeepAnchor)
            sel.cursor, sel.format = cur, fmt
            sels.append(sel)
        self.text_view.setExtraSelections(sels)

    def _selected_rows(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        return rows

    def next_flag(self) -> None:
        start = self.table.currentRow() + 1
        order = list(range(start, len(self.rows))) + list(range(0, start))
        for r in order:
            if not self.rows[r]["resolved"] and not self.table.isRowHidden(r):
                self.table.setCurrentCell(r, C_NAME)
                return
        self.status.setText(self.tr("没有待核项了。"))

    def accept_selected(self) -> None:
        for r in self._selected_rows():
            self._resolve(self.rows[r])
        current = self.table.currentRow()
        self._fill_table()
        if current >= 0:
            self.table.setCurrentCell(min(current, len(self.rows) - 1), C_NAME)

    def _resolve(self, row: dict[str, Any]) -> None:
        row["resolved"] = True
        t, ind = row["target"], row["ind"]
        if ind is None:
            return
        if "note" in t:
            t["note"] = re.sub(r"\s*待核：[^。；]*[。；]?", "", t["note"]).strip()
            if not t["note"]:
                del t["note"]
        if "note" in ind and not any(not r["resolved"] for r in self.rows if r["ind"] is ind):
            ind["note"] = re.sub(r"^待核：[^。]*。", "", ind["note"]).strip()
            if not ind["note"]:
                del ind["note"]

    def delete_selected(self) -> None:
        doomed = [self.rows[r] for r in self._selected_rows()]
        for row in doomed:
            ind = row["ind"]
            if ind is not None:
                ind["targets"] = [t for t in ind["targets"] if t is not row["target"]]
                if not ind["targets"]:
                    self.plan["indicators"] = [i for i in self.plan["indicators"] if i is not ind]
        self.rows = [r for r in self.rows if not any(r is d for d in doomed)]
        current = self.table.currentRow()
        self._fill_table()
        if self.rows and current >= 0:
            self.table.setCurrentCell(min(current, len(self.rows) - 1), C_NAME)
        self.status.setText(fill(self.tr("已删除 %1 项。"), len(doomed)))

    def _edited(self, item: QTableWidgetItem) -> None:
        if self._filling:
            return
        r, c = item.row(), item.column()
        row = self.rows[r]
        ind, t = row["ind"], row["target"]
        text = item.text().strip()
        problem = None
        if c == C_NAME:
            if not text:
                problem = self.tr("指标名称不能为空。")
            else:
                ind["name"] = text
        elif c == C_OP:
            op = OP_OF_LABEL.get(text)
            if op is None:
                problem = self.tr(
                    "比较方式应为 ≤、<、≥、>、≈、区间、变化、年均增长、趋势 或 定性。"
                )
            elif (op in ("qualitative", "direction")) != (t["op"] in ("qualitative", "direction")):
                problem = self.tr("定性目标与量化目标不能互换，请删除后在计划工作簿中添加。")
            else:
                t["op"] = op
        elif c == C_VALUE:
            problem = self._set_value(t, text)
        elif c == C_YEAR:
            if not text:
                t.pop("year", None)
            elif (
                re.fullmatch(r"\d{4}", text)
                and self.plan["period"][0] <= int(text) <= self.plan["period"][1]
            ):
                t["year"] = int(text)
            else:
                problem = fill(self.tr("年份应在规划期 %1—%2 年内，或留空。"), *self.plan["period"])
        elif c == C_EACH:
            if text:
                t["each"] = text
            else:
                t.pop("each", None)
        if problem:
            self.status.setText(problem + self.tr("（未修改）"))
        else:
            self._resolve(row)
            self.status.setText(self.tr("已更正。"))
        # the table is rebuilt once the editor has closed (never under the item being edited)
        QTimer.singleShot(0, lambda: self._refresh(r, c))

    def _refresh(self, r: int, c: int) -> None:
        self._fill_table()
        if 0 <= r < self.table.rowCount():
            self.table.setCurrentCell(r, c)

    def _set_value(self, t: dict[str, Any], text: str) -> str | None:
        if t["op"] in ("qualitative", "direction"):
            return self.tr("定性目标没有目标值。")
        m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*[-—–~至]\s*(-?\d+(?:\.\d+)?)", text)
        try:
            if m and t["op"] in ("range", "change"):
                a, b = sorted([float(m.group(1)), float(m.group(2))])
                t["value"] = [num(a), num(b)]
            else:
                v = float(text.replace("%", "").replace("‰", ""))
                t["value"] = num(v)
        except ValueError:
            return fill(self.tr("“%1”不是数字。"), text)
        t.pop("reached_in", None)
        t.pop("reference", None)
        return None


def install_draft_action(window) -> QAction:
    """Add 文件 → 从规划文本新建计划… to a main window (before 导出计划工作簿…)."""
    action = QAction(QCoreApplication.translate("PlanDraftDialog", "从规划文本新建计划…"), window)

    def run() -> None:
        dlg = PlanDraftDialog(window.db, window, user=getattr(window.svc, "user", ""))
        window.draft_dialog = dlg
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        dlg.show()
        dlg.open_file()

    action.triggered.connect(run)
    before = getattr(getattr(window, "files", None), "plan_export", None)
    if before is not None:
        window.file_menu.insertAction(before, action)
    else:
        window.file_menu.addAction(action)
    window.draft_plan_action = action
    return action


__all__ = ["C_FLAG", "C_NAME", "C_VALUE", "PlanDraftDialog", "install_draft_action"]
