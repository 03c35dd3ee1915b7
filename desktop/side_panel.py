"""The side panel: the selected indicator's checks, its explanation, and its history."""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.repo import AuditRow
from desktop.entry_model import GridRow, fmt
from desktop.i18n import core, fill
from tianbao.domain.values import CHOICE_LABELS

SOURCE_LABELS = {"typed": "录入", "imported": "导入", "aggregated": "汇总", "system": "系统"}


def describe_audit_value(text: str | None) -> str:
    if not text:
        return QCoreApplication.translate("SidePanel", "（空）")
    try:
        d = json.loads(text)
    except (json.JSONDecodeError, TypeError):
        return text
    if not isinstance(d, dict):
        return text
    parts = []
    if "numerator" in d or "denominator" in d:
        parts.append(f"{fmt(d.get('numerator'))}/{fmt(d.get('denominator'))}")
    if "number" in d:
        parts.append(fmt(d["number"]))
    if "choice" in d:
        parts.append(CHOICE_LABELS.get(d["choice"], d["choice"]))
    if "text" in d:
        parts.append(str(d["text"]))
    return " ".join(parts)


class SidePanel(QWidget):
    explanation_saved = Signal(str, str)  # indicator code, text
    baseline_saved = Signal(str, int, str)  # indicator code, base year, typed value

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._code: str | None = None
        self._base_year: int | None = None
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        self.findings = QListWidget()
        self.findings.setWordWrap(True)
        self.explanation = QPlainTextEdit()
        self.explanation.setPlaceholderText(self.tr("对本指标的提示作出说明，例如数据变动的原因……"))
        self.save_button = QPushButton(self.tr("保存说明"))
        self.save_button.clicked.connect(self.save_explanation)
        self.history = QTableWidget(0, 4)
        self.history.setHorizontalHeaderLabels(
            [self.tr("时间"), self.tr("原值 → 新值"), self.tr("来源"), self.tr("操作人")]
        )
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        self.setMinimumWidth(220)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 0, 2, 0)
        lay.addWidget(self.title)
        lay.addWidget(QLabel(self.tr("审核结果")))
        lay.addWidget(self.findings, 2)
        lay.addWidget(QLabel(self.tr("情况说明")))
        lay.addWidget(self.explanation, 2)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.save_button)
        lay.addLayout(row)
        self.baseline_label = QLabel()
        self.baseline_edit = QLineEdit()
        self.baseline_edit.setPlaceholderText(self.tr("基期值"))
        self.baseline_button = QPushButton(self.tr("保存基期值"))
        self.baseline_button.clicked.connect(self.save_baseline)
        self.baseline_row = QWidget()
        bl = QHBoxLayout(self.baseline_row)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.baseline_label)
        bl.addWidget(self.baseline_edit, 1)
        bl.addWidget(self.baseline_button)
        lay.addWidget(self.baseline_row)
        lay.addWidget(QLabel(self.tr("修改记录")))
        lay.addWidget(self.history, 3)

    def show_row(
        self, g: GridRow | None, history: list[AuditRow], editable: bool, english: bool = False
    ) -> None:
        self.findings.clear()
        if g is None:
            self._code = None
            self.title.setText(self.tr("选择一个指标"))
            self.explanation.setPlainText("")
            self.history.setRowCount(0)
            return
        ind = g.row.indicator
        self._code = ind.code
        base_years = sorted(
            {
                t.base_year
                for t in ind.targets
                if t.op in ("change", "growth") and t.basis != "previous_year" and t.base_year
            }
        )
        self._base_year = base_years[0] if base_years else None
        self.baseline_row.setVisible(self._base_year is not None)
        if self._base_year is not None:
            self.baseline_label.setText(fill(self.tr("%1年基期值"), self._base_year))
            stored = g.row.baseline[1] if g.row.baseline else None
            self.baseline_edit.setText("" if stored is None else fmt(stored, 4))
            self.baseline_edit.setReadOnly(not editable)
            self.baseline_button.setEnabled(editable)
        self.title.setText(f"{ind.code}  {ind.name_en if english and ind.name_en else ind.name}")
        style = self.style()
        for cell, f in g.row.findings:
            if cell != g.cell and cell:
                continue
            icon = style.standardIcon(
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if f.severity == "error"
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            prefix = self.tr("错误") if f.severity == "error" else self.tr("提示")
            item = QListWidgetItem(icon, f"{prefix}：{f.message_en if english else f.message}")
            self.findings.addItem(item)
        st = g.row.status
        self.findings.addItem(
            QListWidgetItem(fill(self.tr("达标情况：%1"), st.detail_en if english else st.detail))
        )
        if g.row.source is not None:
            # An assembled return: which department, how many sub-units, or the office itself.
            self.findings.addItem(
                QListWidgetItem(fill(self.tr("数据来源：%1"), g.row.source.label(en=english)))
            )
        if g.row.subunits:
            # A target every sub-unit must meet: show each sub-unit's figure.
            for name, v in g.row.subunits.items():
                self.findings.addItem(QListWidgetItem(f"    {name}：{fmt(v) or '—'}"))
        if not self.explanation.hasFocus():
            self.explanation.setPlainText(g.row.explanation)
        self.explanation.setReadOnly(not editable)
        self.save_button.setEnabled(editable)
        self.history.setRowCount(len(history))
        for i, a in enumerate(reversed(history)):
            change = f"{describe_audit_value(a.old)} → {describe_audit_value(a.new)}"
            if a.action != "value":
                change = f"[{a.action}] {change}"
            source = core(SOURCE_LABELS.get(a.source, a.source))
            if a.source_file:
                source += f"：{a.source_file}"
            for col, text in enumerate((a.at.strftime("%Y-%m-%d %H:%M"), change, source, a.user)):
                self.history.setItem(i, col, QTableWidgetItem(text))
        self.history.resizeColumnsToContents()

    def save_baseline(self) -> None:
        if self._code is not None and self._base_year is not None:
            self.baseline_saved.emit(self._code, self._base_year, self.baseline_edit.text())

    def save_explanation(self) -> None:
        if self._code is not None:
            self.explanation_saved.emit(self._code, self.explanation.toPlainText())
