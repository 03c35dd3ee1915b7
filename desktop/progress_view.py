"""报表 → 收报情况…: who has reported, who is late, what came from which file.

One line per member department and sub-unit that owes a return under the division of duties:
indicators assigned and filled, errors, warnings not explained, submitted or not, the last file
imported (when, name, SHA-256) and the return's fingerprint; the units not yet submitted at the
top; the sheet to send round as a reminder; the blank templates of all units into one folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from db.engine import Database
from desktop.file_actions import mark_demo_file
from desktop.hub import Hub
from desktop.i18n import fill
from tianbao.domain.errors import KnownError
from tianbao.services.progress import Progress, progress

LATE_BG = QColor("#fce4d6")
DONE_BG = QColor("#e2efda")
COLUMNS = (
    QT_TRANSLATE_NOOP("ProgressDialog", "单位"),
    QT_TRANSLATE_NOOP("ProgressDialog", "类别"),
    QT_TRANSLATE_NOOP("ProgressDialog", "应报"),
    QT_TRANSLATE_NOOP("ProgressDialog", "已填"),
    QT_TRANSLATE_NOOP("ProgressDialog", "错误"),
    QT_TRANSLATE_NOOP("ProgressDialog", "待说明"),
    QT_TRANSLATE_NOOP("ProgressDialog", "状态"),
    QT_TRANSLATE_NOOP("ProgressDialog", "报送时间"),
    QT_TRANSLATE_NOOP("ProgressDialog", "导入时间"),
    QT_TRANSLATE_NOOP("ProgressDialog", "导入文件"),
    QT_TRANSLATE_NOOP("ProgressDialog", "文件 SHA-256"),
    QT_TRANSLATE_NOOP("ProgressDialog", "校验码"),
    QT_TRANSLATE_NOOP("ProgressDialog", "尚缺指标"),
)
STATES = (  # tianbao.services.progress.STATE_LABELS
    QT_TRANSLATE_NOOP("ProgressDialog", "未报"),
    QT_TRANSLATE_NOOP("ProgressDialog", "填报中"),
    QT_TRANSLATE_NOOP("ProgressDialog", "已报送"),
)


def _t(dt) -> str:
    return f"{dt:%Y-%m-%d %H:%M}" if dt else ""


class ProgressDialog(QDialog):
    def __init__(
        self,
        db: Database,
        parent_code: str,
        plan_id: str,
        year: int,
        hub: Hub | None = None,
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.db, self.hub = db, hub
        self.parent_code, self.plan_id, self.year = parent_code, plan_id, year
        self.data: Progress | None = None
        self.setWindowTitle(self.tr("收报情况"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.late_label = QLabel()
        self.late_label.setWordWrap(True)
        self.late_label.setStyleSheet("color: #b3261e;")
        self.grid = QTableWidget(0, len(COLUMNS))
        self.grid.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.grid.verticalHeader().setVisible(False)
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.horizontalHeader().setSectionResizeMode(
            len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch
        )
        self.grid.setColumnWidth(0, 140)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.refresh_button.clicked.connect(lambda: self.refresh())
        self.export_button = QPushButton(self.tr("导出催报表…"))
        self.export_button.setToolTip(self.tr("收报情况表（xlsx），发给未报送的单位催报"))
        self.export_button.clicked.connect(lambda: self.export_sheet())
        self.templates_button = QPushButton(self.tr("导出各单位空白模板…"))
        self.templates_button.clicked.connect(lambda: self.templates())
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.templates_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.late_label)
        lay.addWidget(self.grid, 1)
        lay.addWidget(self.message)
        lay.addLayout(buttons)
        self.resize(1180, 520)
        if hub is not None:
            hub.changed.connect(lambda _change: self.refresh() if self.isVisible() else None)
        self.refresh()

    def refresh(self) -> None:
        try:
            p = progress(self.db, self.parent_code, self.plan_id, self.year)
        except KnownError as e:
            self.message.setStyleSheet("color: #b3261e;")
            self.message.setText(str(e))
            return
        self.data = p
        text = fill(
            self.tr("%1 %2年“%3”：应报 %4 个单位，已报送 %5 个。"),
            p.parent_name,
            p.year,
            p.plan_title,
            len(p.units),
            p.submitted,
        )
        if not p.explicit:
            text += self.tr("（本级尚未确定填报分工，按默认分工列出）")
        self.summary.setText(text)
        late = p.late
        self.late_label.setText(
            fill(self.tr("未报送：%1"), "、".join(u.unit_name for u in late)) if late else ""
        )
        self.grid.setRowCount(len(p.units))
        for n, u in enumerate(p.units):
            values = [
                u.unit_name,
                self.tr("成员单位") if u.kind == "department" else self.tr("下级单位"),
                str(len(u.assigned)),
                str(u.filled),
                str(u.errors),
                str(u.unexplained),
                self.tr(u.state_label),
                _t(u.submitted_at),
                _t(u.imported_at),
                u.imported_file,
                u.imported_sha256[:16],
                u.fingerprint,
                "、".join(f"{c} {p.names.get(c, '')}" for c in u.missing),
            ]
            for col, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setBackground(QBrush(DONE_BG if u.submitted else LATE_BG))
                if col == 10 and u.imported_sha256:
                    item.setToolTip(u.imported_sha256)
                if col == 12 and u.missing:
                    item.setToolTip("\n".join(f"{c} {p.names.get(c, '')}" for c in u.missing))
                self.grid.setItem(n, col, item)

    def export_sheet(self, path: str | None = None) -> Path | None:
        from tianbao.excel.progress import export_progress

        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("导出收报情况表"),
                f"{self.year}_{self.data.parent_name if self.data else ''}_收报情况.xlsx",
                self.tr("Excel 工作簿 (*.xlsx)"),
            )
            if not path:
                return None
        try:
            out = export_progress(self.db, self.parent_code, self.plan_id, self.year, path)
            mark_demo_file(self, out)  # 【演示数据】 like every other export of the demo
        except KnownError as e:
            self.message.setStyleSheet("color: #b3261e;")
            self.message.setText(str(e))
            return None
        self.message.setStyleSheet("")
        self.message.setText(fill(self.tr("已导出：%1"), str(out)))
        return out

    def templates(self, folder: str | None = None):
        sent = write_all_templates(self, self.db, self.parent_code, self.plan_id, self.year, folder)
        if sent is not None:
            self.message.setStyleSheet("")
            self.message.setText(fill(self.tr("已为 %1 个单位导出空白模板。"), len(sent)))
        return sent


def write_all_templates(widget, db, parent_code: str, plan_id: str, year: int, folder=None):
    """Each department's and sub-unit's blank template into a folder the user picks."""
    from tianbao.excel.templates import export_all_templates

    if folder is None:
        folder = QFileDialog.getExistingDirectory(
            widget, QCoreApplication.translate("ProgressDialog", "选择保存各单位空白模板的文件夹")
        )
        if not folder:
            return None
    try:
        sent = export_all_templates(db, parent_code, plan_id, year, folder)
        for t in sent:
            mark_demo_file(widget, t.path)
    except KnownError as e:
        _say(widget, str(e), error=True)
        return None
    _say(
        widget,
        fill(
            QCoreApplication.translate("ProgressDialog", "已为 %1 个单位导出空白模板到 %2"),
            len(sent),
            str(folder),
        ),
    )
    return sent


def _say(widget, text: str, error: bool = False) -> None:
    if hasattr(widget, "statusBar"):
        if error and hasattr(widget, "_warn"):
            widget._warn(text)
        else:
            widget.statusBar().showMessage(text, 10000)
    elif hasattr(widget, "message"):
        widget.message.setStyleSheet("color: #b3261e;" if error else "")
        widget.message.setText(text)
