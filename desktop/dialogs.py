"""Small dialogs: sign-off and submit, unlock reason, the list of what blocks submission.

Each is an ordinary QDialog whose result is read after ``accept()``, so tests fill the fields
and call ``accept()`` instead of running a modal loop.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
)

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
        note = QLabel(self.tr("报送后报表将被锁定；如需修改，须填写原因解锁。"))
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
    """Asks why a submitted return is unlocked; the reason goes into the history."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("解锁报表"))
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(self.tr("请填写解锁原因（将记入修改记录）"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("解锁原因")))
        lay.addWidget(self.reason)
        lay.addWidget(buttons)

    def text(self) -> str:
        return self.reason.toPlainText().strip()


class BlockersDialog(QDialog):
    """Lists every reason the return cannot be submitted yet."""

    def __init__(self, reasons: list[str], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("报表还不能报送"))
        self.list = QListWidget()
        self.list.addItems(reasons)
        self.list.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("请先改正错误，并为每条提示填写情况说明：")))
        lay.addWidget(self.list)
        lay.addWidget(buttons)
        self.resize(640, 400)


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
