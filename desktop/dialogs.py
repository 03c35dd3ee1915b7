"""Small dialogs: sign-off and submit, a reason, what blocks submission, long results, form marks.

Each is an ordinary QDialog whose result is read after ``accept()``; tests patch ``exec`` at the class,
fill the fields and accept, so the real action runs the real dialog.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from desktop.i18n import fill
from tianbao.services.returns import SignOff


class SignOffDialog(QDialog):
    """单位负责人 / 统计负责人 / 填表人 / 联系电话 / 报出日期, then submit."""

    def __init__(self, signoff: SignOff, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("签署并报送"))
        self.unit_head = QLineEdit(signoff.unit_head)
        self.stats_head = QLineEdit(signoff.stats_head)
        self.filled_by = QLineEdit(signoff.filled_by)
        self.phone = QLineEdit(signoff.phone)
        self.report_date = QDateEdit()
        self.report_date.setCalendarPopup(True)
        self.report_date.setDisplayFormat("yyyy-MM-dd")
        d = signoff.report_date or date.today()
        self.report_date.setDate(QDate(d.year, d.month, d.day))
        form = QFormLayout()
        form.addRow(self.tr("单位负责人"), self.unit_head)
        form.addRow(self.tr("统计负责人"), self.stats_head)
        form.addRow(self.tr("填表人"), self.filled_by)
        form.addRow(self.tr("联系电话"), self.phone)
        form.addRow(self.tr("报出日期"), self.report_date)
        self.note = note = QLabel(self.tr("报送后报表将被锁定；如需修改，须填写原因解锁。"))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("报送"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(note)
        lay.addWidget(buttons)

    def signoff(self) -> SignOff:
        q = self.report_date.date()
        return SignOff(
            self.unit_head.text().strip(),
            self.stats_head.text().strip(),
            self.filled_by.text().strip(),
            self.phone.text().strip(),
            date(q.year(), q.month(), q.day()),
        )


class ReasonDialog(QDialog):
    """Asks for a reason (why a submitted return is unlocked, why there is no data); it goes
    into the history."""

    def __init__(
        self, parent=None, *, title: str = "", label: str = "", placeholder: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or self.tr("解锁报表"))
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(placeholder or self.tr("请填写解锁原因（将记入修改记录）"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(label or self.tr("解锁原因")))
        lay.addWidget(self.reason)
        lay.addWidget(buttons)

    def text(self) -> str:
        return self.reason.toPlainText().strip()


KIND_LABELS = {
    "error": QT_TRANSLATE_NOOP("BlockersDialog", "错误"),
    "unexplained": QT_TRANSLATE_NOOP("BlockersDialog", "提示未说明"),
    "missing": QT_TRANSLATE_NOOP("BlockersDialog", "未填报"),
}


class BlockersDialog(QDialog):
    """What blocks submission: counts by kind, grouped by domain; double-click goes to the cell.

    Indicators the unit has no data for can be selected and marked 无此项数据 with one reason.
    """

    jump = Signal(str, str)  # indicator code, cell
    mark_missing = Signal(list, str)  # indicator codes, reason

    def __init__(self, blockers, parent=None, extra: list[str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("报表还不能报送"))
        self.blockers = list(blockers)
        counts = {k: sum(b.kind == k for b in self.blockers) for k in KIND_LABELS}
        self.counts = QLabel(
            fill(
                self.tr("错误 %1 项 · 提示未说明 %2 项 · 未填报 %3 项"),
                counts["error"],
                counts["unexplained"],
                counts["missing"],
            )
        )
        self.counts.setStyleSheet("font-weight: bold;")
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("指标"), self.tr("类别"), self.tr("原因")])
        self.tree.setColumnWidth(0, 260)
        self.tree.setColumnWidth(1, 90)
        self.tree.setWordWrap(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        domains: dict[str, QTreeWidgetItem] = {}
        for b in self.blockers:
            top = domains.get(b.domain)
            if top is None:
                top = QTreeWidgetItem([b.domain])
                top.setFlags(Qt.ItemFlag.ItemIsEnabled)
                domains[b.domain] = top
                self.tree.addTopLevelItem(top)
            item = QTreeWidgetItem([b.label, self.tr(KIND_LABELS[b.kind]), b.text])
            item.setToolTip(2, b.text)
            item.setData(0, Qt.ItemDataRole.UserRole, b)
            top.addChild(item)
        for top in domains.values():
            top.setText(0, f"{top.text(0)}（{top.childCount()}）")
        self.tree.expandAll()
        self.tree.itemDoubleClicked.connect(self._go)
        self.extra = QListWidget()
        self.extra.setWordWrap(True)
        self.extra.addItems(extra or [])
        self.extra.setVisible(bool(extra))
        self.extra.setMaximumHeight(90)
        self.missing_button = QPushButton(self.tr("所选指标标为“无此项数据”…"))
        self.missing_button.setToolTip(
            self.tr("本单位确实没有这些指标的数据：填写一个原因，记入情况说明和修改记录")
        )
        self.missing_button.clicked.connect(lambda: self.ask_missing())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("请先改正错误，并为每条提示填写情况说明（双击可跳到该格）：")))
        lay.addWidget(self.counts)
        lay.addWidget(self.tree, 1)
        lay.addWidget(self.extra)
        row = QHBoxLayout()
        row.addWidget(self.missing_button)
        row.addStretch()
        row.addWidget(buttons)
        lay.addLayout(row)
        self.resize(760, 460)

    def items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            out += [top.child(j) for j in range(top.childCount())]
        return out

    def _go(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        b = item.data(0, Qt.ItemDataRole.UserRole)
        if b is not None:
            self.jump.emit(b.code, b.cell)
            self.accept()

    def selected_codes(self) -> list[str]:
        """The indicators selected (every kind may be marked: a warning may be a missing figure)."""
        codes = []
        for item in self.tree.selectedItems():
            b = item.data(0, Qt.ItemDataRole.UserRole)
            if b is not None and b.code not in codes:
                codes.append(b.code)
        return codes

    def ask_missing(self) -> bool:
        codes = self.selected_codes()
        if not codes:
            self.counts.setText(
                self.tr("请先在列表中选择一个或多个指标（可按住 Ctrl 或 Shift 多选）。")
            )
            return False
        dlg = ReasonDialog(
            self,
            title=self.tr("无此项数据"),
            label=fill(self.tr("%1 个指标标为“无此项数据”，原因："), len(codes)),
            placeholder=self.tr("例如：本单位不承担该项统计，数据由县卫健局报送"),
        )
        self.reason_dialog = dlg
        if dlg.exec() != QDialog.DialogCode.Accepted or not dlg.text():
            return False
        self.mark_missing.emit(codes, dlg.text())
        self.accept()
        return True


class ResultDialog(QDialog):
    """A result that may be long (aggregation notes, import results): a scrollable list."""

    def __init__(self, title: str, summary: str, lines: list[str], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.addItems(lines)
        self.list.setVisible(bool(lines))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.list, 1)
        lay.addWidget(buttons)
        self.resize(640, 380 if lines else 140)

    def lines(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]


class FormMarksDialog(QDialog):
    """The marks the Statistics Law requires at the top right of a form, set per plan."""

    FIELDS = (
        ("table_no", "表号"),
        ("made_by", "制定机关"),
        ("approved_by", "批准机关"),
        ("approval_no", "批准文号"),
        ("valid_until", "有效期至"),
    )

    def __init__(self, marks, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("报表表头标志"))
        self.edits = {}
        form = QFormLayout()
        labels = {
            "table_no": self.tr("表号"),
            "made_by": self.tr("制定机关"),
            "approved_by": self.tr("批准机关"),
            "approval_no": self.tr("批准文号"),
            "valid_until": self.tr("有效期至"),
        }
        for key, _label in self.FIELDS:
            edit = QLineEdit(getattr(marks, key))
            self.edits[key] = edit
            form.addRow(labels[key], edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("这些标志印在本计划所有报表的右上角（Excel 与 PDF）。")))
        lay.addLayout(form)
        lay.addWidget(buttons)

    def marks(self):
        from tianbao.domain.catalogue import FormMarks

        return FormMarks(**{k: e.text().strip() for k, e in self.edits.items()})
