"""The main window: domain navigation, the entry grid, the side panel, the overview."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack
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
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.repo import ANY
from desktop.dialogs import BlockersDialog, ReasonDialog, ResultDialog, SignOffDialog
from desktop.entry_grid import FILTERS, EntryView
from desktop.entry_model import COL_DEN, COL_EXPLAIN, COL_NUM, COL_VALUE, EntryModel, GridRow
from desktop.hub import Hub
from desktop.i18n import core, fill
from desktop.side_panel import SidePanel
from desktop.window_find import WindowFind
from desktop.window_menus import WindowMenus
from desktop.window_switch import WindowSwitch
from tianbao.domain.editing import edited
from tianbao.domain.errors import KnownError
from tianbao.domain.values import Entry
from tianbao.domain.vocab import RETURN_STATUS_LABELS
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
        # Each direction states what it replaces, so an undo never erases another user's value.
        saved = self.window.save_entry(self.return_id, self.code, self.cell, self.new, self.old)
        self.setObsolete(not saved)

    def undo(self) -> None:
        saved = self.window.save_entry(self.return_id, self.code, self.cell, self.old, self.new)
        self.setObsolete(not saved)


class DomainNav(QListWidget):
    """The plan's domains with their progress: filled / total, errors, warnings."""

    english = False

    def show_progress(self, view: ReturnView, current: int) -> None:
        self.blockSignals(True)
        by_code = {r.indicator.code: r for r in view.rows}
        same = self.count() == len(view.plan.domains)  # the texts change in place: no flicker
        if not same:
            self.clear()
        for at, d in enumerate(view.plan.domains):
            name = d.name_en if self.english and d.name_en else d.name
            rows = [by_code[i.code] for i in d.indicators if view.reports(i.code)]  # 填报分工
            filled = sum(r.filled for r in rows)
            errors = sum(len(r.errors) for r in rows)
            warnings = sum(len(r.warnings) for r in rows)
            text = f"{name}\n" + fill(self.tr("已填 %1/%2"), filled, len(rows))
            if errors:
                text += f"  ✗{errors}"
            if warnings:
                text += f"  ⚠{warnings}"
            tip = f"{name}: " + fill(
                self.tr("已填 %1/%2，错误 %3，提示 %4"), filled, len(rows), errors, warnings
            )
            item = self.item(at) if same else QListWidgetItem()
            if item.text() != text:
                item.setText(text)
            if item.toolTip() != tip:
                item.setToolTip(tip)
            if not same:
                self.addItem(item)
        self.setCurrentRow(current)
        self.blockSignals(False)


class MainWindow(WindowMenus, WindowFind, WindowSwitch, QMainWindow):
    """The window; its menus (desktop.window_menus), find (desktop.window_find) and switching the
    return or the database (desktop.window_switch) are mixins."""

    def __init__(
        self,
        db: Database,
        return_id: int,
        hub: Hub | None = None,
        *,
        english: bool = False,
        user: str = "",
        demo: bool = False,
        sources=None,
    ) -> None:
        super().__init__()
        self.db = db
        self.demo = demo  # the demonstration data: marked in the title and on every printout
        self.sources = sources  # desktop.sources.DataSources: 我的数据 / 演示数据 / another file
        self.hub = hub or Hub()
        self.svc = ReturnService(db, user=user)
        from desktop.saving import Saver

        self.saver = Saver(self)  # the save path: conflicts shown, failed saves kept and retried
        self.english = english
        self.return_id = return_id
        self.view: ReturnView | None = None
        self._side_timer = QTimer(self)  # see _update_side_later
        self._side_timer.setSingleShot(True)
        self._side_timer.setInterval(0)
        self._side_timer.timeout.connect(lambda: self._update_side())
        self.domain_index = 0
        self.undo_stack = QUndoStack(self)

        self.model = EntryModel(editor=self._typed)
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
        self.find_box.returnPressed.connect(lambda: self.find_next())
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

    # --- loading ---------------------------------------------------------------------------

    def open_return(self, return_id: int) -> None:
        self.grid.delegate.commit_open_editor()
        self.return_id = return_id
        self.undo_stack.clear()
        self.domain_index = 0
        self.refresh()
        self.grid.first_input()
        self.hub.return_opened.emit(return_id)
        self.saver.poll_timer.start()  # others' changes appear within a few seconds

    def refresh(self, codes: tuple[str, ...] = ()) -> None:
        """Show the return as stored: after this program's own save to the indicators ``codes``
        only their rows are read again (the whole return if anyone else changed it meanwhile)."""
        if codes and self.view is not None and self.view.info.id == self.return_id:
            self.view = self.svc.refreshed(self.view, codes)
        else:
            self.view = self.svc.view(self.return_id)
        info = self.view.info
        title = fill(
            self.tr("%1 · %2年 · %3 — 填报 Tianbao"),
            info.unit_name,
            info.year,
            self.view.plan.title,
        )
        self.setWindowTitle(self.tr("【演示数据】") + title if self.demo else title)
        self.nav.show_progress(self.view, self.domain_index)
        self._show_rows()
        own = self.view.own_rows  # 填报分工: only what this unit reports
        filled = sum(r.filled for r in own)
        errors = sum(len(r.errors) for r in own)
        pending = sum(r.needs_explanation for r in own)
        status = core(RETURN_STATUS_LABELS[info.status])
        self.status_label.setText(
            fill(
                self.tr("%1 · 已填 %2/%3 · 错误 %4 · 待说明 %5"),
                status,
                filled,
                len(own),
                errors,
                pending,
            )
        )
        self.submit_action.setEnabled(info.editable)
        self.unlock_action.setEnabled(not info.editable)
        self.aggregate_action.setEnabled(
            info.editable and info.unit_level not in ("village", "department")
        )
        self._update_side_later()

    def _show_rows(self) -> None:
        domain = self.view.plan.domains[self.domain_index]
        show_all = getattr(self, "show_all", False)  # 显示全部指标 (desktop.duties_dialog)
        by_code = {r.indicator.code: r for r in self.view.rows}
        rows = [by_code[i.code] for i in domain.indicators if show_all or self.view.reports(i.code)]
        others = frozenset(
            r.indicator.code for r in rows if not self.view.reports(r.indicator.code)
        )
        self.model.set_rows(rows, self.view.info.year, self.view.info.editable, others)
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

    def _typed(self, g: GridRow, column: int, text: str) -> None:
        """A cell typed in the grid; what it cannot take is refused with the reason, unchanged."""
        try:
            self._edit(g, column, text)
        except KnownError as e:
            self._warn(str(e))

    def _edit(self, g: GridRow, column: int, text: str) -> None:
        if column == COL_EXPLAIN:
            self.save_explanation(g.row.indicator.code, text)
            return
        old = g.entry  # what the database held when the window last read it
        shown = self.model.entry_of(g)  # incl. a value typed but not yet saved
        new = edited(g.row.indicator, shown, FIELD_OF_COLUMN[column], text)
        if new == shown:
            return
        self.undo_stack.push(
            SaveEntry(self, self.return_id, g.row.indicator.code, g.cell, old, new)
        )

    def save_entry(self, return_id: int, code: str, cell: str, entry: Entry, expected=ANY) -> bool:
        """Save a cell expecting what the user saw; see desktop.saving for conflicts and retries."""
        return self.saver.save_entry(return_id, code, cell, entry, expected)

    def save_explanation(self, code: str, text: str) -> None:
        seen = self.view.row(code).explanation if self.view is not None else ANY
        try:
            change = self.svc.save_explanation(self.return_id, code, text, expected=seen)
        except KnownError as e:
            self._warn(str(e))
            return
        self.hub.changed.emit(change)

    def save_baseline(self, code: str, year: int, text: str) -> None:
        from tianbao.domain.checks import parse_number

        try:
            seen = self.view.row(code).baseline if self.view is not None else ANY
            change = self.svc.save_baseline(
                self.return_id, code, year, parse_number(text), expected=seen
            )
        except KnownError as e:
            self._warn(str(e))
            return
        self.hub.changed.emit(change)

    def _on_change(self, change: Change) -> None:
        if change.return_id in (None, self.return_id) or change.units:
            # A value, explanation or baseline of this return: only its indicators' rows.
            partial = change.return_id == self.return_id and not (
                change.status or change.units or getattr(change, "duties", False)
            )
            self.refresh(change.indicators if partial else ())

    # --- selection --------------------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_side()

    def _update_side_later(self) -> None:
        """Update the side panel once the current event is done: after Enter saves a value the
        cursor moves on at once, and the panel then shows the next cell (one update, not two)."""
        self._side_timer.start()

    def _update_side(self) -> None:
        self._side_timer.stop()
        idx = self.grid.currentIndex()
        if not idx.isValid() or self.view is None:
            self.side.show_row(None, [], False, self.english)
            return
        g = self.model.grid_row(self.grid.source_row(idx))
        problem = None
        try:
            history = self.svc.history(self.return_id, g.row.indicator.code, g.cell)
        except KnownError as e:
            # The database is out of reach (a server stopped, a share gone): the panel shows the
            # row without its history and says why there — no dialog on a cursor move, and the
            # status bar keeps the saver's lasting 未保存 message for a value typed meanwhile.
            history = []
            problem = fill(
                self.tr("修改记录暂时无法读取：%1"), e.text("en" if self.english else "zh")
            )
        self.side.show_row(g, history, self.view.info.editable, self.english)
        if problem:
            self.side.findings.addItem(problem)

    # --- submit and unlock ------------------------------------------------------------------

    def submit(self) -> bool:
        """报表 → 签署并报送: the list of what blocks it, or the sign-off form, then submit."""
        self.grid.delegate.commit_open_editor()
        view = self.svc.view(self.return_id)
        if not view.info.editable:
            self._warn(self.tr("该报表已报送。如需修改，请先解锁（需填写原因）。"))
            return False
        blocking = view.blocking()
        if blocking:
            self.show_blockers(blocking)
            return False
        dlg = SignOffDialog(view.info.signoff, self)
        self.signoff_dialog = dlg
        while True:
            if dlg.exec() != SignOffDialog.DialogCode.Accepted:
                return False
            missing = dlg.signoff().missing()
            if not missing:
                break
            # Asked again with what is missing, nothing typed lost.
            dlg.note.setText(fill(self.tr("请填写：%1"), "、".join(missing)))
        try:
            change = self.svc.submit(self.return_id, dlg.signoff(), expected=view.info.signoff)
        except SubmitBlocked:
            self.show_blockers(self.svc.view(self.return_id).blocking())
            return False
        except KnownError as e:
            self._warn(str(e))
            return False
        self.undo_stack.clear()
        self.hub.changed.emit(change)
        self.statusBar().showMessage(self.tr("已报送，报表已锁定。"), 8000)
        return True

    def show_blockers(self, blocking) -> BlockersDialog:
        dlg = BlockersDialog(blocking, self)
        dlg.jump.connect(lambda code, cell: self.go_to(code, cell))
        dlg.mark_missing.connect(lambda codes, reason: self.mark_no_data(codes, reason))
        self.blockers_dialog = dlg
        dlg.open()
        return dlg

    def mark_no_data(self, codes: list[str], reason: str) -> bool:
        """Mark indicators 无此项数据 with one reason: the explanation of each, in the history."""
        text = fill(self.tr("无此项数据：%1"), reason.strip())
        try:
            changes = [self.svc.save_explanation(self.return_id, c, text) for c in codes]
        except KnownError as e:
            self._warn(str(e))
            return False
        for change in changes:
            self.hub.changed.emit(change)
        self.statusBar().showMessage(
            fill(self.tr("%1 个指标已标为“无此项数据”。"), len(codes)), 8000
        )
        return True

    def unlock(self) -> bool:
        """报表 → 解锁: asks the reason, which is stored in the history."""
        dlg = ReasonDialog(self)
        self.reason_dialog = dlg
        if dlg.exec() != ReasonDialog.DialogCode.Accepted:
            return False
        try:
            change = self.svc.unlock(self.return_id, dlg.text())
        except KnownError as e:
            self._warn(str(e))
            return False
        self.hub.changed.emit(change)
        self.statusBar().showMessage(self.tr("已解锁，可以修改。"), 8000)
        return True

    def aggregate(self) -> bool:
        """Compute this unit's return from its sub-units' returns (counts summed, rates recomputed)."""
        from tianbao.services.aggregation import aggregate

        self.grid.delegate.commit_open_editor()
        i = self.view.info
        try:
            result = aggregate(self.db, i.unit_code, i.plan_id, i.year, user=self.svc.user)
        except KnownError as e:
            self._warn(str(e))
            return False
        self.undo_stack.clear()
        self.hub.changed.emit(Change(self.return_id))
        summary = fill(
            self.tr("已汇总：下级单位 %1/%2 已填报，写入 %3 个数值。"),
            result.reported,
            result.expected,
            result.values_written,
        )
        self.result_dialog = ResultDialog(self.tr("汇总"), summary, list(result.notes), self)
        self.result_dialog.open()
        return True

    def edit_form_marks(self) -> bool:
        """报表 → 表头标志: 表号, 制定机关, 批准机关, 批准文号, 有效期至 of this plan's returns."""
        from desktop.dialogs import FormMarksDialog
        from tianbao.services import plans

        try:
            marks = plans.form_marks(self.db, self.view.plan.id)
            dlg = FormMarksDialog(marks, self)
            self.marks_dialog = dlg
            if dlg.exec() != FormMarksDialog.DialogCode.Accepted:
                return False
            plans.set_form_marks(self.db, self.view.plan.id, dlg.marks())
        except KnownError as e:
            self._warn(str(e))
            return False
        self.statusBar().showMessage(self.tr("表头标志已保存，将印在本计划的所有报表上。"), 8000)
        return True

    # --- other windows ----------------------------------------------------------------------

    def edit_units(self) -> None:
        from desktop.units import UnitsDialog

        self.grid.delegate.commit_open_editor()
        dlg = UnitsDialog(self.db, self.hub, self, user=self.svc.user)
        self.units_dialog = dlg
        dlg.exec()

    def _warn(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)
        QMessageBox.warning(self, self.tr("提示"), message)

    def showEvent(self, event) -> None:
        if not getattr(self, "_geometry_restored", False):
            self._geometry_restored = True
            from desktop.settings import restore_geometry

            restore_geometry(self, "main-window")
        super().showEvent(event)

    def closeEvent(self, event) -> None:
        # A value being typed when the window closes is saved, not lost.
        self.grid.delegate.commit_open_editor()
        from desktop.settings import save_geometry

        save_geometry(self, "main-window")
        super().closeEvent(event)


__all__ = ["MainWindow", "Qt"]
