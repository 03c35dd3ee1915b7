"""单位 → 填报分工…: who reports each indicator — a member department, the sub-units, or the office.

A table with a choice per indicator; bulk assignment of a whole domain or of the indicators a
filter shows; export and import of the division as a sheet.  Nothing is stored until 保存; every
change saved is in the history (tianbao.services.duties).  Problems are shown in the dialog in
plain Chinese, never as a modal box, and leave the stored division unchanged.

The dialog remembers what it showed: 保存 writes only the indicators changed here, each expecting
the reporter shown.  If another user changed one of them meanwhile, nothing is saved and a
question names the indicator, the other reporter, who and when, and offers to reload (the other
user's division shown, the user's other changes kept in the table, unsaved).  Indicators changed
by others and not here keep the other user's reporter.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
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
from tianbao.services.duties import Duties, DutyConflict, DutyTable, Source

C_CODE, C_DOMAIN, C_NAME, C_SOURCE, C_PLAN = range(5)
POLL_MS = 3000  # how often an open dialog looks for other users' changes


class DutiesDialog(QDialog):
    def __init__(
        self,
        db: Database,
        parent_code: str,
        plan_id: str,
        hub: Hub | None = None,
        user: str = "",
        parent=None,
    ) -> None:
        super().__init__(parent)
        self.db, self.hub = db, hub
        self.parent_code, self.plan_id = parent_code, plan_id
        self.duties = Duties(db, user=user)
        self.table_data: DutyTable | None = None
        self.setWindowTitle(self.tr("填报分工"))
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.domain_box = QComboBox()
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText(self.tr("按名称或代码筛选"))
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(lambda _t: self.apply_filter())
        self.domain_box.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.target_box = QComboBox()
        self.domain_button = QPushButton(self.tr("整个领域分给"))
        self.domain_button.setToolTip(self.tr("把所选领域的全部指标分给右边选定的单位"))
        self.domain_button.clicked.connect(lambda: self.assign_domain())
        self.filter_button = QPushButton(self.tr("筛选出的指标分给"))
        self.filter_button.setToolTip(self.tr("把表中当前显示的指标分给右边选定的单位"))
        self.filter_button.clicked.connect(lambda: self.assign_shown())
        self.grid = QTableWidget(0, 5)
        self.grid.setHorizontalHeaderLabels(
            [self.tr("代码"), self.tr("领域"), self.tr("指标名称"), self.tr("填报单位"),
             self.tr("计划所列责任部门")]
        )  # fmt: skip
        self.grid.verticalHeader().setVisible(False)
        self.grid.horizontalHeader().setSectionResizeMode(C_NAME, QHeaderView.ResizeMode.Stretch)
        self.grid.setColumnWidth(C_CODE, 60)
        self.grid.setColumnWidth(C_DOMAIN, 110)
        self.grid.setColumnWidth(C_SOURCE, 190)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.defaults_button = QPushButton(self.tr("恢复默认"))
        self.defaults_button.setToolTip(
            self.tr("按计划所列责任部门、以乡镇为单位的目标分给下级，其余由本级填报（保存后生效）")
        )
        self.defaults_button.clicked.connect(lambda: self.restore_defaults())
        self.export_button = QPushButton(self.tr("导出分工表…"))
        self.export_button.clicked.connect(lambda: self.export_sheet())
        self.import_button = QPushButton(self.tr("导入分工表…"))
        self.import_button.clicked.connect(lambda: self.import_sheet())
        self.save_button = QPushButton(self.tr("保存"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda: self.save())
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)
        self.close_button = close

        bulk = QHBoxLayout()
        bulk.addWidget(QLabel(self.tr("领域：")))
        bulk.addWidget(self.domain_box)
        bulk.addWidget(self.filter_box, 1)
        bulk.addWidget(self.domain_button)
        bulk.addWidget(self.filter_button)
        bulk.addWidget(self.target_box)
        buttons = QHBoxLayout()
        for b in (self.defaults_button, self.export_button, self.import_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addLayout(bulk)
        lay.addWidget(self.grid, 1)
        lay.addWidget(self.message)
        lay.addLayout(buttons)
        self.resize(980, 640)
        self.reload()
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(lambda: self.poll())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.poll_timer.start()  # only while shown: a closed dialog does not query the database

    def hideEvent(self, event) -> None:
        self.poll_timer.stop()
        super().hideEvent(event)

    # --- content ------------------------------------------------------------------------------

    def reload(self) -> None:
        self.stamp = self.duties.stamp(self.parent_code)
        t = self.duties.table(self.parent_code, self.plan_id)
        self.table_data = t
        state = "" if t.explicit else self.tr("（尚未确定：下表为默认分工，保存后生效）")
        self.heading.setText(
            fill(
                self.tr("%1 · %2（第 %3 版）填报分工"), t.parent_name, t.plan_title, t.plan_version
            )
            + state
        )
        self.domain_box.blockSignals(True)
        self.domain_box.clear()
        self.domain_box.addItem(self.tr("全部领域"), "")
        seen = []
        for r in t.rows:
            if r.domain not in seen:
                seen.append(r.domain)
                self.domain_box.addItem(r.domain_name, r.domain)
        self.domain_box.blockSignals(False)
        self.choices = t.choices()
        self.target_box.clear()
        for _src, label in self.choices:
            self.target_box.addItem(label)
        self.grid.setRowCount(len(t.rows))
        for n, r in enumerate(t.rows):
            for col, text in ((C_CODE, r.code), (C_DOMAIN, r.domain_name), (C_NAME, r.name),
                              (C_PLAN, "、".join(r.departments))):  # fmt: skip
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.grid.setItem(n, col, item)
            box = QComboBox()
            for _src, label in self.choices:
                box.addItem(label)
            box.setCurrentIndex(self._index_of(r.source))
            box.currentIndexChanged.connect(lambda _i, n=n: self._mark(n))
            self.grid.setCellWidget(n, C_SOURCE, box)
        self.apply_filter()
        self._update_state()

    def poll(self) -> bool:
        """Show other users' changes of the division: reloaded at once while nothing is changed
        here; with unsaved changes only a notice (reloading would hide a conflict: 保存 finds it
        and asks).  True when something changed."""
        try:
            stamp = self.duties.stamp(self.parent_code)
        except KnownError:
            return False  # the database is busy or gone: the next poll or 保存 will say so
        if stamp == self.stamp:
            return False
        if self.pending():
            self.stamp = stamp
            self._error(
                self.tr(
                    "另一位用户刚修改了填报分工。您的修改尚未保存；保存时如与对方冲突，会提示您。"
                )
            )
            return True
        self.reload()
        self.message.setText(self.tr("已显示其他用户的最新修改。") + " " + self.message.text())
        return True

    def _index_of(self, source: Source) -> int:
        for i, (src, _label) in enumerate(self.choices):
            if src == source:
                return i
        return 0

    def combo(self, row: int) -> QComboBox:
        return self.grid.cellWidget(row, C_SOURCE)

    def row_of(self, code: str) -> int:
        for n in range(self.grid.rowCount()):
            if self.grid.item(n, C_CODE).text() == code:
                return n
        return -1

    def chosen(self) -> dict[str, Source]:
        """The division as it stands in the dialog (saved or not)."""
        return {
            self.grid.item(n, C_CODE).text(): self.choices[self.combo(n).currentIndex()][0]
            for n in range(self.grid.rowCount())
        }

    def pending(self) -> dict[str, Source]:
        """What differs from the stored division (all of it while none is stored)."""
        t = self.table_data
        stored = {r.code: r.source for r in t.rows}
        return {c: s for c, s in self.chosen().items() if s != stored[c]}

    def _mark(self, n: int) -> None:
        t = self.table_data
        changed = self.choices[self.combo(n).currentIndex()][0] != t.rows[n].source
        font = QFont()
        font.setBold(changed)
        for col in (C_CODE, C_NAME):
            self.grid.item(n, col).setFont(font)
        self._update_state()

    def _update_state(self) -> None:
        n = len(self.pending())
        counts: dict[str, int] = {}
        for src in self.chosen().values():
            label = self.choices[self._index_of(src)][1]
            counts[label] = counts.get(label, 0) + 1
        text = "；".join(f"{k} {v} 项" for k, v in counts.items())
        if n:
            text = fill(self.tr("%1 项未保存。"), n) + text
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _error(self, text: str) -> None:
        self.message.setStyleSheet("color: #b3261e;")
        self.message.setText(text)

    # --- filtering and bulk assignment -----------------------------------------------------

    def apply_filter(self) -> None:
        domain = self.domain_box.currentData() or ""
        text = self.filter_box.text().strip().lower()
        t = self.table_data
        for n, r in enumerate(t.rows):
            shown = (not domain or r.domain == domain) and (
                not text or text in r.name.lower() or text in r.code.lower()
            )
            self.grid.setRowHidden(n, not shown)

    def shown_rows(self) -> list[int]:
        return [n for n in range(self.grid.rowCount()) if not self.grid.isRowHidden(n)]

    def _assign(self, rows: list[int]) -> int:
        i = self.target_box.currentIndex()
        for n in rows:
            self.combo(n).setCurrentIndex(i)
        return len(rows)

    def assign_domain(self) -> int:
        domain = self.domain_box.currentData() or ""
        if not domain:
            self._error(self.tr("请先在“领域”中选择一个领域。"))
            return 0
        rows = [n for n, r in enumerate(self.table_data.rows) if r.domain == domain]
        return self._assign(rows)

    def assign_shown(self) -> int:
        rows = self.shown_rows()
        if len(rows) == self.grid.rowCount() and not self.filter_box.text().strip():
            self._error(self.tr("请先输入筛选条件或选择领域，再把筛选出的指标分给一个单位。"))
            return 0
        return self._assign(rows)

    def restore_defaults(self) -> None:
        for n, r in enumerate(self.table_data.rows):
            self.combo(n).setCurrentIndex(self._index_of(r.default))

    # --- storing -------------------------------------------------------------------------

    def save(self) -> bool:
        shown = {r.code: r.source for r in self.table_data.rows}
        mine = self.pending()
        try:
            change = self.duties.set_many(
                self.parent_code, self.plan_id, mine, force=True, expected=shown
            )
        except DutyConflict as e:
            return self._conflict(e, mine)
        except KnownError as e:
            self._error(str(e))
            return False
        if self.hub is not None:
            self.hub.changed.emit(change)
        n = len(change.indicators) if change.changed else 0
        self.reload()
        text = fill(self.tr("已保存填报分工（%1 项有变化）。"), n)
        others = [
            r.code for r in self.table_data.rows if r.source != mine.get(r.code, shown[r.code])
        ]
        if others:
            text += fill(
                self.tr("另有 %1 个指标已由其他用户修改（%2），表中显示的是最新分工。"),
                len(others),
                " ".join(others[:10]) + ("…" if len(others) > 10 else ""),
            )
        self.message.setText(text)
        return True

    def _conflict(self, e: DutyConflict, mine: dict[str, Source]) -> bool:
        """Another user changed some of the indicators changed here: nothing was saved.  Offer
        to reload; the user's other changes stay in the table, unsaved."""
        self._error(str(e))
        answer = QMessageBox.question(
            self,
            self.tr("填报分工已被其他用户修改"),
            str(e)
            + "\n\n"
            + self.tr(
                "是否重新载入？重新载入后表中显示对方的分工，您对其他指标的修改仍保留在表中（尚未保存）。"
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        clashed = {c.code for c in e.clashes}
        self.reload()
        kept = 0
        for code, src in mine.items():
            n = self.row_of(code)
            if code in clashed or n < 0 or all(src != s for s, _label in self.choices):
                continue
            self.combo(n).setCurrentIndex(self._index_of(src))
            kept += 1
        self._error(
            fill(
                self.tr("已重新载入：%1 个指标显示对方的分工（%2）；您的其他 %3 项修改尚未保存。"),
                len(clashed),
                " ".join(sorted(clashed)),
                kept,
            )
        )
        return False

    def export_sheet(self, path: str | None = None) -> Path | None:
        if path is None:
            t = self.table_data
            path, _ = QFileDialog.getSaveFileName(
                self,
                self.tr("导出填报分工表"),
                f"{t.parent_name}_{t.plan_id}_填报分工.xlsx",
                self.tr("Excel 工作簿 (*.xlsx)"),
            )
            if not path:
                return None
        try:
            out = self.duties.export_xlsx(self.parent_code, self.plan_id, path)
            mark_demo_file(self, out)  # 【演示数据】 like every other export of the demo
        except KnownError as e:
            self._error(str(e))
            return None
        self.message.setText(fill(self.tr("已导出：%1"), str(out)))
        return out

    def import_sheet(self, path: str | None = None) -> bool:
        if path is None:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("导入填报分工表"), "", self.tr("Excel 工作簿 (*.xlsx)")
            )
            if not path:
                return False
        try:
            change = self.duties.import_xlsx(self.parent_code, self.plan_id, path)
        except DutyConflict as e:  # a row changed in the sheet that another user changed since
            return self._conflict(e, self.pending())
        except KnownError as e:
            self._error(str(e))
            return False
        if self.hub is not None:
            self.hub.changed.emit(change)
        self.reload()
        n = len(change.indicators) if change.changed else 0
        self.message.setText(fill(self.tr("已导入填报分工（%1 项有变化）。"), n))
        return True


# --- the main window's actions -------------------------------------------------------------


def install_duties_actions(window, report_menu, units_menu, toolbar=None) -> None:
    """单位 → 填报分工…, 报表 → 收报情况…, 报表 → 导出各单位空白模板…, and the toolbar's
    显示全部指标 toggle (the indicators other units report, read-only)."""

    def act(text, slot):
        a = QAction(text, window)
        a.triggered.connect(lambda _checked=False: slot())
        return a

    window.duties_action = act(
        QCoreApplication.translate("MainWindow", "填报分工…"), lambda: open_duties(window)
    )
    window.progress_action = act(
        QCoreApplication.translate("MainWindow", "收报情况…"), lambda: open_progress(window)
    )
    window.templates_action = act(
        QCoreApplication.translate("MainWindow", "导出各单位空白模板…"),
        lambda: all_templates(window),
    )
    units_menu.addAction(window.duties_action)
    report_menu.addSeparator()
    report_menu.addAction(window.progress_action)
    report_menu.addAction(window.templates_action)
    window.show_all_action = QAction(
        QCoreApplication.translate("MainWindow", "显示全部指标"), window
    )
    window.show_all_action.setCheckable(True)
    window.show_all_action.setToolTip(
        QCoreApplication.translate(
            "MainWindow", "同时显示由其他单位填报的指标（只读）；默认只显示本单位填报的指标"
        )
    )
    window.show_all_action.toggled.connect(lambda on: _show_all(window, on))
    if toolbar is not None:
        toolbar.addAction(window.show_all_action)


def _show_all(window, on: bool) -> None:
    window.show_all = on
    if window.view is not None:
        window.refresh()


def _office(window) -> str | None:
    info = window.view.info
    try:
        office = Duties(window.db).office_of(info.unit_code)
    except KnownError as e:
        window._warn(str(e))
        return None
    if office is None:
        window._warn(
            QCoreApplication.translate(
                "MainWindow",
                "本单位没有下级单位和成员单位，也没有上级单位，无需填报分工。"
                "请先在“单位管理”中添加乡镇（街道）或成员单位。",
            )
        )
    return office


def open_duties(window) -> DutiesDialog | None:
    office = _office(window)
    if office is None:
        return None
    dlg = DutiesDialog(
        window.db, office, window.view.info.plan_id, window.hub, window.svc.user, window
    )
    window.duties_dialog = dlg
    dlg.open()
    return dlg


def open_progress(window):
    from desktop.progress_view import ProgressDialog

    office = _office(window)
    if office is None:
        return None
    info = window.view.info
    dlg = ProgressDialog(window.db, office, info.plan_id, info.year, window.hub, window)
    window.progress_dialog = dlg
    dlg.open()
    return dlg


def all_templates(window, folder: str | None = None):
    from desktop.progress_view import write_all_templates

    office = _office(window)
    if office is None:
        return None
    info = window.view.info
    return write_all_templates(window, window.db, office, info.plan_id, info.year, folder)
