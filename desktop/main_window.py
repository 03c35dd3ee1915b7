"""The main window: domain navigation, the entry grid, the side panel, the overview."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import RETURN_STATUS_LABELS
from db.repo import InputError
from desktop.dialogs import BlockersDialog, ReasonDialog, SignOffDialog
from desktop.entry_grid import FILTERS, EntryView
from desktop.entry_model import COL_DEN, COL_EXPLAIN, COL_NUM, COL_VALUE, EntryModel, GridRow
from desktop.hub import Hub
from desktop.i18n import core, fill
from desktop.side_panel import SidePanel
from tianbao.domain.editing import edited
from tianbao.domain.errors import KnownError
from tianbao.domain.values import Entry
from tianbao.services.returns import Change, ReturnService, ReturnView, SubmitBlocked

FIELD_OF_COLUMN = {COL_NUM: "numerator", COL_DEN: "denominator", COL_VALUE: "number"}


class SaveEntry(QUndoCommand):
    """One value edit; redo saves the new content, undo saves the old one back."""

    def __init__(
        self, window: MainWindow, return_id: int, code: str, cell: str, old: Entry, new: Entry
    ):
        super().__init__(f"{code} {cell}")
        self.window, self.return_id, self.code, self.cell = window, return_id, code, cell
        self.old, self.new = old, new

    def redo(self) -> None:
        self.window.save_entry(self.return_id, self.code, self.cell, self.new)

    def undo(self) -> None:
        self.window.save_entry(self.return_id, self.code, self.cell, self.old)


class DomainNav(QListWidget):
    """The plan's domains with their progress: filled / total, errors, warnings."""

    english = False

    def show_progress(self, view: ReturnView, current: int) -> None:
        self.blockSignals(True)
        self.clear()
        for d in view.plan.domains:
            name = d.name_en if self.english and d.name_en else d.name
            rows = [view.row(i.code) for i in d.indicators]
            filled = sum(r.filled for r in rows)
            errors = sum(len(r.errors) for r in rows)
            warnings = sum(len(r.warnings) for r in rows)
            text = f"{name}\n" + fill(self.tr("已填 %1/%2"), filled, len(rows))
            if errors:
                text += f"  ✗{errors}"
            if warnings:
                text += f"  ⚠{warnings}"
            item = QListWidgetItem(text)
            item.setToolTip(
                f"{name}: "
                + fill(self.tr("已填 %1/%2，错误 %3，提示 %4"), filled, len(rows), errors, warnings)
            )
            self.addItem(item)
        self.setCurrentRow(current)
        self.blockSignals(False)


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        return_id: int,
        hub: Hub | None = None,
        *,
        english: bool = False,
        user: str = "",
    ) -> None:
        super().__init__()
        self.db = db
        self.hub = hub or Hub()
        self.svc = ReturnService(db, user=user)
        self.english = english
        self.return_id = return_id
        self.view: ReturnView | None = None
        self.domain_index = 0
        self.undo_stack = QUndoStack(self)

        self.model = EntryModel(editor=self._edit)
        self.model.english = english
        self.grid = EntryView(self.model)
        self.nav = DomainNav()
        self.nav.english = english
        self.nav.setMinimumWidth(140)
        self.nav.currentRowChanged.connect(self.show_domain)
        self.side = SidePanel()
        self.side.explanation_saved.connect(self.save_explanation)
        self.side.baseline_saved.connect(self.save_baseline)
        self.grid.selectionModel().currentChanged.connect(self._current_changed)

        self.status_label = QLabel()
        self.filter_box = QComboBox()
        for mode, label in zip(
            FILTERS,
            (
                self.tr("全部"),
                self.tr("未填"),
                self.tr("有错误"),
                self.tr("有提示"),
                self.tr("未达标"),
            ),
            strict=True,
        ):
            self.filter_box.addItem(label, mode)
        self.filter_box.currentIndexChanged.connect(
            lambda _i: self.grid.proxy.set_mode(self.filter_box.currentData())
        )
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText(self.tr("查找指标（名称或代码）"))
        self.find_box.setClearButtonEnabled(True)
        self.find_box.returnPressed.connect(lambda: self.find(self.find_box.text()))
        self.find_box.setMaximumWidth(220)

        entry_page = QSplitter()
        entry_page.addWidget(self.nav)
        entry_page.addWidget(self.grid)
        entry_page.addWidget(self.side)
        entry_page.setStretchFactor(1, 4)
        entry_page.setStretchFactor(2, 1)
        entry_page.setSizes([150, 960, 250])
        self.tabs = QTabWidget()
        self.tabs.addTab(entry_page, self.tr("填报"))
        from desktop.overview import OverviewPage

        self.overview = OverviewPage(db, english=english)
        self.tabs.addTab(self.overview, self.tr("概览"))
        self.tabs.currentChanged.connect(self._tab_changed)
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.tabs)
        self.setCentralWidget(central)
        self._build_actions()
        self.hub.changed.connect(self._on_change)
        self.resize(1340, 740)
        self.open_return(return_id)

    # --- actions and menus -------------------------------------------------------------------

    def _build_actions(self) -> None:
        def act(text, slot, shortcut=None):
            a = QAction(text, self)
            if shortcut:
                a.setShortcut(shortcut)
            a.triggered.connect(slot)
            return a

        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("撤销"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("重做"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.find_action = act(self.tr("查找指标"), self._focus_find, QKeySequence.StandardKey.Find)
        self.submit_action = act(self.tr("签署并报送…"), self.submit, QKeySequence("Ctrl+Shift+S"))
        self.next_domain = act(
            self.tr("下一个领域"), lambda: self._step_domain(1), QKeySequence("Ctrl+PgDown")
        )
        self.prev_domain = act(
            self.tr("上一个领域"), lambda: self._step_domain(-1), QKeySequence("Ctrl+PgUp")
        )
        self.unlock_action = act(self.tr("解锁…"), self.unlock)
        self.aggregate_action = act(self.tr("由下级报表汇总"), self.aggregate)
        self.marks_action = act(self.tr("表头标志…"), self.edit_form_marks)
        self.switch_action = act(self.tr("切换报表…"), self.switch_return)
        self.units_action = act(self.tr("单位管理…"), self.edit_units)
        self.quit_action = act(self.tr("退出"), self.close, QKeySequence.StandardKey.Quit)

        m = self.menuBar()
        self.file_menu = m.addMenu(self.tr("文件(&F)"))
        self.file_menu.addAction(self.switch_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        from desktop.file_actions import FileActions

        self.files = FileActions(self)
        self.files.install(self.file_menu, before=self.quit_action)
        from desktop.plan_draft_dialog import install_draft_action

        install_draft_action(self)  # 文件 → 从规划文本新建计划…
        edit = m.addMenu(self.tr("编辑(&E)"))
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addAction(self.find_action)
        edit.addSeparator()
        edit.addAction(self.next_domain)
        edit.addAction(self.prev_domain)
        ret = m.addMenu(self.tr("报表(&R)"))
        ret.addAction(self.submit_action)
        ret.addAction(self.unlock_action)
        ret.addSeparator()
        ret.addAction(self.aggregate_action)
        ret.addAction(self.marks_action)
        tools = m.addMenu(self.tr("单位(&U)"))
        tools.addAction(self.units_action)
        self.language_menu = m.addMenu(self.tr("语言") + " / &Language")
        self.lang_zh = act("中文", lambda: self.hub.language_changed.emit("zh"))
        self.lang_en = act("English", lambda: self.hub.language_changed.emit("en"))
        for a in (self.lang_zh, self.lang_en):
            a.setCheckable(True)
            self.language_menu.addAction(a)
        (self.lang_en if self.english else self.lang_zh).setChecked(True)

        tb = QToolBar(self.tr("工具栏"))
        tb.setObjectName("main-toolbar")
        tb.setMovable(False)
        tb.addAction(self.undo_action)
        tb.addAction(self.redo_action)
        tb.addSeparator()
        tb.addWidget(QLabel(self.tr("筛选：")))
        tb.addWidget(self.filter_box)
        tb.addWidget(self.find_box)
        tb.addSeparator()
        tb.addAction(self.submit_action)
        tb.addAction(self.unlock_action)
        tb.addSeparator()
        tb.addWidget(self.status_label)
        self.addToolBar(tb)

    # --- loading ---------------------------------------------------------------------------

    def open_return(self, return_id: int) -> None:
        self.grid.delegate.commit_open_editor()
        self.return_id = return_id
        self.undo_stack.clear()
        self.domain_index = 0
        self.refresh()
        self.grid.first_input()
        self.hub.return_opened.emit(return_id)

    def refresh(self) -> None:
        self.view = self.svc.view(self.return_id)
        info = self.view.info
        self.setWindowTitle(
            fill(
                self.tr("%1 · %2年 · %3 — 填报 Tianbao"),
                info.unit_name,
                info.year,
                self.view.plan.title,
            )
        )
        self.nav.show_progress(self.view, self.domain_index)
        self._show_rows()
        filled = sum(r.filled for r in self.view.rows)
        errors = sum(len(r.errors) for r in self.view.rows)
        pending = sum(r.needs_explanation for r in self.view.rows)
        status = core(RETURN_STATUS_LABELS[info.status])
        self.status_label.setText(
            fill(
                self.tr("%1 · 已填 %2/%3 · 错误 %4 · 待说明 %5"),
                status,
                filled,
                len(self.view.rows),
                errors,
                pending,
            )
        )
        self.submit_action.setEnabled(info.editable)
        self.unlock_action.setEnabled(not info.editable)
        self.aggregate_action.setEnabled(
            info.editable and info.unit_level not in ("village", "department")
        )
        self._update_side()

    def _show_rows(self) -> None:
        domain = self.view.plan.domains[self.domain_index]
        rows = [self.view.row(i.code) for i in domain.indicators]
        self.model.set_rows(rows, self.view.info.year, self.view.info.editable)
        if self.grid.proxy.mode != "all":
            self.grid.proxy.invalidate()

    def show_domain(self, index: int) -> None:
        if index < 0 or self.view is None:
            return
        self.grid.delegate.commit_open_editor()
        self.domain_index = index
        self._show_rows()
        self.grid.first_input()

    def _step_domain(self, step: int) -> None:
        """Ctrl+PgDown / Ctrl+PgUp: the next or previous domain, keyboard only."""
        if self.view is None:
            return
        self.tabs.setCurrentIndex(0)
        n = len(self.view.plan.domains)
        self.nav.setCurrentRow((self.domain_index + step) % n)
        self.grid.setFocus()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.overview and self.view is not None:
            self.grid.delegate.commit_open_editor()
            i = self.view.info
            self.overview.show_for(i.unit_code, i.plan_id, i.year)

    # --- editing -----------------------------------------------------------------------------

    def _edit(self, g: GridRow, column: int, text: str) -> None:
        if column == COL_EXPLAIN:
            self.save_explanation(g.row.indicator.code, text)
            return
        old = g.entry
        new = edited(g.row.indicator, old, FIELD_OF_COLUMN[column], text)
        if new == old:
            return
        self.undo_stack.push(
            SaveEntry(self, self.return_id, g.row.indicator.code, g.cell, old, new)
        )

    def save_entry(self, return_id: int, code: str, cell: str, entry: Entry) -> None:
        try:
            change = self.svc.save_entry(return_id, code, cell, entry)
        except InputError as e:
            self._warn(str(e))
            return
        self.hub.changed.emit(change)

    def save_explanation(self, code: str, text: str) -> None:
        try:
            change = self.svc.save_explanation(self.return_id, code, text)
        except InputError as e:
            self._warn(str(e))
            return
        self.hub.changed.emit(change)

    def save_baseline(self, code: str, year: int, text: str) -> None:
        from tianbao.domain.checks import parse_number

        try:
            change = self.svc.save_baseline(self.return_id, code, year, parse_number(text))
        except KnownError as e:
            self._warn(str(e))
            return
        self.hub.changed.emit(change)

    def _on_change(self, change: Change) -> None:
        if change.return_id in (None, self.return_id) or change.units:
            self.refresh()

    # --- selection, find ------------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_side()

    def _update_side(self) -> None:
        idx = self.grid.currentIndex()
        if not idx.isValid() or self.view is None:
            self.side.show_row(None, [], False, self.english)
            return
        g = self.model.grid_row(self.grid.source_row(idx))
        history = self.svc.history(self.return_id, g.row.indicator.code, g.cell)
        self.side.show_row(g, history, self.view.info.editable, self.english)

    def _focus_find(self) -> None:
        self.find_box.setFocus()
        self.find_box.selectAll()

    def find(self, text: str) -> bool:
        """Go to the first indicator whose name or code contains ``text``, in any domain."""
        text = text.strip().lower()
        if not text or self.view is None:
            return False
        for di, d in enumerate(self.view.plan.domains):
            for ind in d.indicators:
                if (
                    text in ind.code.lower()
                    or text in ind.name.lower()
                    or text in ind.name_en.lower()
                ):
                    self.filter_box.setCurrentIndex(0)
                    self.nav.setCurrentRow(di)
                    self.grid.select_cell(self.model.row_of(ind.code))
                    self.grid.setFocus()
                    return True
        self.statusBar().showMessage(fill(self.tr("没有找到“%1”"), text), 4000)
        return False

    # --- submit and unlock ------------------------------------------------------------------

    def submit(self, dialog: SignOffDialog | None = None) -> bool:
        self.grid.delegate.commit_open_editor()
        view = self.svc.view(self.return_id)
        blockers = view.blockers()
        if blockers:
            self.blockers_dialog = BlockersDialog(blockers, self)
            self.blockers_dialog.open()
            return False
        dlg = dialog or SignOffDialog(view.info.signoff, self)
        if dialog is None and dlg.exec() != SignOffDialog.DialogCode.Accepted:
            return False
        try:
            change = self.svc.submit(self.return_id, dlg.signoff())
        except SubmitBlocked as e:
            self.blockers_dialog = BlockersDialog(e.reasons, self)
            self.blockers_dialog.open()
            return False
        except InputError as e:
            self._warn(str(e))
            return False
        self.undo_stack.clear()
        self.hub.changed.emit(change)
        return True

    def unlock(self, dialog: ReasonDialog | None = None) -> bool:
        dlg = dialog or ReasonDialog(self)
        if dialog is None and dlg.exec() != ReasonDialog.DialogCode.Accepted:
            return False
        try:
            change = self.svc.unlock(self.return_id, dlg.text())
        except InputError as e:
            self._warn(str(e))
            return False
        self.hub.changed.emit(change)
        return True

    def aggregate(self) -> bool:
        """Compute this unit's return from its sub-units' returns (counts summed, rates recomputed)."""
        from tianbao.services.aggregation import aggregate

        self.grid.delegate.commit_open_editor()
        i = self.view.info
        try:
            result = aggregate(self.db, i.unit_code, i.plan_id, i.year, user=self.svc.user)
        except InputError as e:
            self._warn(str(e))
            return False
        self.undo_stack.clear()
        self.hub.changed.emit(Change(self.return_id))
        lines = [
            fill(
                self.tr("已汇总：下级单位 %1/%2 已填报，写入 %3 个数值。"),
                result.reported,
                result.expected,
                result.values_written,
            ),
            *result.notes,
        ]
        QMessageBox.information(self, self.tr("汇总"), "\n".join(lines))
        return True

    def edit_form_marks(self, dialog=None) -> bool:
        from db.plans import form_marks, set_form_marks
        from desktop.dialogs import FormMarksDialog

        with self.db.session() as s:
            marks = form_marks(s, self.view.plan)
        dlg = dialog or FormMarksDialog(marks, self)
        if dialog is None and dlg.exec() != FormMarksDialog.DialogCode.Accepted:
            return False
        with self.db.session() as s:
            set_form_marks(s, self.view.plan.id, dlg.marks())
        return True

    # --- other windows ----------------------------------------------------------------------

    def switch_return(self) -> None:
        from desktop.start import StartDialog

        dlg = StartDialog(self.db, parent=self)
        if dlg.exec() == StartDialog.DialogCode.Accepted:
            rid = dlg.open_return()
            if rid is not None:
                self.open_return(rid)

    def edit_units(self) -> None:
        from desktop.units import UnitsDialog

        dlg = UnitsDialog(self.db, self.hub, self)
        dlg.exec()

    def _warn(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)
        QMessageBox.warning(self, self.tr("提示"), message)

    def closeEvent(self, event) -> None:
        # A value being typed when the window closes is saved, not lost.
        self.grid.delegate.commit_open_editor()
        super().closeEvent(event)


__all__ = ["MainWindow", "Qt"]
