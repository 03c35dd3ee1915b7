"""Importing colleagues' workbooks: a dry run per file, a preview with per-file and per-cell choices,
then each chosen file applied in its own transaction (all or nothing per file).

Files are read one after another in the GUI thread under a progress dialog that can be cancelled
between files; each file takes a fraction of a second, and SQLite sessions stay on one thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from db.engine import Database
from db.models import UNIT_LEVEL_LABELS, UNIT_LEVELS
from desktop.i18n import core, fill
from tianbao.domain.errors import KnownError
from tianbao.excel.imports import (
    CONFLICT,
    FilePreview,
    ImportResult,
    apply_imports,
    preview_file,
    preview_import,
    summary_lines,
)
from tianbao.services.plans import latest_plans
from tianbao.services.units import add_unit, list_units

KIND_LABELS = {
    "new": QT_TRANSLATE_NOOP("ImportDialog", "新增"),
    "changed": QT_TRANSLATE_NOOP("ImportDialog", "修改"),
    "conflict": QT_TRANSLATE_NOOP("ImportDialog", "冲突"),
}


def plan_files(
    db: Database,
    paths: Sequence[Path],
    parent: QWidget | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[FilePreview] | None:
    """The dry run of every file under a progress dialog; None if the user cancelled."""
    progress = QProgressDialog(
        QApplication.translate("ImportDialog", "正在读取文件……"),
        QApplication.translate("ImportDialog", "取消"),
        0,
        len(paths),
        parent,
    )
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    progress.setValue(0)
    cancelled = False

    def step(done: int, total: int, _fp: FilePreview) -> bool:
        # Files are read ahead in the reader processes while this one compares (issue 19).
        nonlocal cancelled
        progress.setValue(done)
        if done < total:
            progress.setLabelText(
                fill(
                    QApplication.translate("ImportDialog", "正在读取 %1（%2/%3）"),
                    paths[done].name,
                    done + 1,
                    total,
                )
            )
        if on_progress is not None:
            on_progress(done)
        QApplication.processEvents()
        cancelled = progress.wasCanceled()
        return not cancelled

    plans = preview_import(db, paths, progress=step) if paths else []
    if cancelled:
        return None
    progress.setValue(len(paths))
    return plans


class ImportDialog(QDialog):
    """The preview: choose files, and within a file the cells to take (conflicts unticked)."""

    def __init__(self, db: Database, plans: list[FilePreview], user: str = "", parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.plans = plans
        self.user = user
        self.results: list[tuple[str, ImportResult | str]] = []
        # Per file: chosen or not, accepted cell keys, mapping confirmed.
        self.chosen = [p.can_apply for p in plans]
        self.accepted = [{c.key for c in p.changes if c.kind != CONFLICT} for p in plans]
        self.confirmed = [False for _ in plans]
        self.overrides: list[dict[tuple[str, int], str]] = [{} for _ in plans]
        self.current = -1

        self.setWindowTitle(self.tr("导入报表：预览"))
        self.files = QListWidget()
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.cells = QTableWidget(0, 5)
        self.cells.setHorizontalHeaderLabels(
            [
                self.tr("导入"),
                self.tr("类别"),
                self.tr("指标"),
                self.tr("原值 → 新值"),
                self.tr("位置"),
            ]
        )
        self.cells.verticalHeader().setVisible(False)
        self.cells.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.cells.itemChanged.connect(self._cell_toggled)
        # A colleague's own sheet may not say which unit, plan or year it is: the user says so.
        self.plan_box = QComboBox()
        self.unit_box = QComboBox()
        self.year_box = QSpinBox()
        self.year_box.setRange(2015, 2040)
        self.plans_by_id = {}
        for plan in latest_plans(db):
            self.plan_box.addItem(plan.title, plan.id)
            self.plans_by_id[plan.id] = plan
        for u in list_units(db):
            self.unit_box.addItem(f"{u.name}（{u.code}）", u.code)
        self.reidentify_button = QPushButton(self.tr("按此重新识别"))
        self.reidentify_button.clicked.connect(self._reidentify_current)
        self.identify_row = QWidget()
        il = QHBoxLayout(self.identify_row)
        il.setContentsMargins(0, 0, 0, 0)
        for label, w in (
            (self.tr("计划"), self.plan_box),
            (self.tr("单位"), self.unit_box),
            (self.tr("年份"), self.year_box),
        ):
            il.addWidget(QLabel(label))
            il.addWidget(w, 1 if w is not self.year_box else 0)
        il.addWidget(self.reidentify_button)
        self.identify_hint = QLabel(
            self.tr("请在上面选择这个文件所属的计划、单位和年份，再点“按此重新识别”。")
        )
        self.identify_hint.setWordWrap(True)
        self.identify_hint.setStyleSheet("color: #b3261e;")
        self.identify_hint.setVisible(False)
        # The fix for a file whose unit is not in this database: add it from the file's code and name.
        self.units_added: list[str] = []
        self.fix_row = QWidget()
        fl = QVBoxLayout(self.fix_row)
        fl.setContentsMargins(0, 0, 0, 0)
        self.fix_label = QLabel()
        self.fix_label.setWordWrap(True)
        self.new_unit_name = QLineEdit()
        self.new_unit_level = QComboBox()
        for lv in UNIT_LEVELS:
            self.new_unit_level.addItem(core(UNIT_LEVEL_LABELS[lv]), lv)
        self.new_unit_level.setCurrentIndex(self.new_unit_level.findData("township"))
        self.new_unit_parent = QComboBox()
        self.new_unit_parent.addItem(self.tr("（无，顶级单位）"), "")
        for u in list_units(db):
            self.new_unit_parent.addItem(u.name, u.code)
        self.add_unit_button = QPushButton(self.tr("添加该单位并重新读取"))
        self.add_unit_button.clicked.connect(lambda: self.add_missing_unit())
        row = QHBoxLayout()
        for label, w in (
            (self.tr("名称"), self.new_unit_name),
            (self.tr("级别"), self.new_unit_level),
            (self.tr("上级单位"), self.new_unit_parent),
        ):
            row.addWidget(QLabel(label))
            row.addWidget(w, 1)
        row.addWidget(self.add_unit_button)
        fl.addWidget(self.fix_label)
        fl.addLayout(row)
        self.fix_row.setVisible(False)
        # Row by row: which indicator each row of a foreign sheet is (the user may correct it).
        self.mapping = QTableWidget(0, 3)
        self.mapping.setHorizontalHeaderLabels(
            [self.tr("位置"), self.tr("文件中写的"), self.tr("对应指标")]
        )
        self.mapping.verticalHeader().setVisible(False)
        self.mapping.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._mapped: list = []
        self.confirm_box = QCheckBox(self.tr("我已核对：外来表格的指标对应关系正确"))
        self.confirm_box.toggled.connect(self._confirm_toggled)
        self.total = QLabel()
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.summary, 2)
        rl.addWidget(self.fix_row)
        rl.addWidget(self.identify_row)
        rl.addWidget(self.identify_hint)
        rl.addWidget(self.mapping, 2)
        rl.addWidget(self.confirm_box)
        rl.addWidget(self.cells, 3)
        split = QSplitter()
        split.addWidget(self.files)
        split.addWidget(right)
        split.setSizes([260, 700])
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("导入所选"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(split)
        row = QHBoxLayout()
        row.addWidget(self.total, 1)
        row.addWidget(self.buttons)
        lay.addLayout(row)
        self.resize(1100, 640)
        self._fill_files()
        self.files.currentRowChanged.connect(self.show_file)
        self.files.itemChanged.connect(self._file_toggled)
        if plans:
            self.files.setCurrentRow(0)

    def _fill_files(self) -> None:
        style = self.style()
        self.files.blockSignals(True)
        self.files.clear()
        for p, chosen in zip(self.plans, self.chosen, strict=True):
            why = self.why_not(p)
            # Why a file cannot be imported is said first, on the file's own line.
            item = QListWidgetItem(f"{p.name}\n✗ {why}" if why else p.name)
            if why:
                item.setToolTip(why)
            if p.refused:
                icon = QStyle.StandardPixmap.SP_MessageBoxCritical
                item.setToolTip(p.refused)
            elif p.nothing_to_do:
                icon = QStyle.StandardPixmap.SP_DialogApplyButton
            elif p.blocking or p.conflicts:
                icon = QStyle.StandardPixmap.SP_MessageBoxWarning
            else:
                icon = QStyle.StandardPixmap.SP_FileIcon
            item.setIcon(style.standardIcon(icon))
            flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
            if not p.can_apply:
                # Still selectable: the user reads why and fixes it below.
                flags &= ~Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags)
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            self.files.addItem(item)
        self.files.blockSignals(False)
        self._update_total()

    @staticmethod
    def why_not(p: FilePreview) -> str:
        """The first reason the file cannot be imported, in the GUI's words ('' if it can)."""
        if p.refused:
            return p.refused
        if p.blocking:
            text = p.blocking[0].message
            # The command line's way round (--plan …) is offered here as the choice below.
            return re.sub(r"（命令行[^）]*）", "", text)
        return ""

    def _missing_unit(self, p: FilePreview) -> bool:
        return bool(p.unit_code) and p.unit_code not in {
            self.unit_box.itemData(i) for i in range(self.unit_box.count())
        }

    def _show_fix(self, p: FilePreview) -> None:
        missing = self._missing_unit(p) and not p.refused
        self.fix_row.setVisible(missing)
        if missing:
            self.fix_label.setText(
                fill(
                    self.tr("本数据库中没有单位 %1（%2）。可在此按文件中的代码和名称添加："),
                    p.unit_name or "?",
                    p.unit_code,
                )
            )
            self.new_unit_name.setText(p.unit_name)
            if p.unit_code[:2] and self.new_unit_parent.count() > 1:
                # The parent whose code the new code starts with, if there is one.
                best = max(
                    (
                        i
                        for i in range(1, self.new_unit_parent.count())
                        if p.unit_code.startswith(self.new_unit_parent.itemData(i))
                    ),
                    key=lambda i: len(self.new_unit_parent.itemData(i)),
                    default=0,
                )
                self.new_unit_parent.setCurrentIndex(best)
        self.identify_hint.setVisible(p.layout == "foreign" and bool(self.why_not(p)))

    def add_missing_unit(self) -> bool:
        """Create the unit the file is for (its code and name from the file), then read it again."""
        if self.current < 0:
            return False
        p = self.plans[self.current]
        parent = self.new_unit_parent.currentData() or None
        try:
            add_unit(
                self.db,
                p.unit_code,
                self.new_unit_name.text().strip() or p.unit_name,
                self.new_unit_level.currentData(),
                parent,
            )
        except KnownError as e:
            self.fix_label.setText(str(e))
            return False
        self.unit_box.addItem(f"{self.new_unit_name.text().strip()}（{p.unit_code}）", p.unit_code)
        self.new_unit_parent.addItem(self.new_unit_name.text().strip(), p.unit_code)
        self.units_added.append(p.unit_code)
        # Every file waiting for this unit is read again.
        for i, q in enumerate(self.plans):
            if q.unit_code == p.unit_code:
                self.plans[i] = q = preview_file(self.db, q.path)
                self.chosen[i] = q.can_apply
                self.accepted[i] = {c.key for c in q.changes if c.kind != CONFLICT}
        self._fill_files()
        self.files.setCurrentRow(self.current)
        self.show_file(self.current)
        return True

    def _update_total(self) -> None:
        n = sum(self.chosen)
        cells = sum(len(a) for a, c in zip(self.accepted, self.chosen, strict=True) if c)
        self.total.setText(
            fill(self.tr("共 %1 个文件，选中 %2 个，将写入 %3 项"), len(self.plans), n, cells)
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(n > 0)

    def show_file(self, index: int) -> None:
        self.current = index
        if index < 0:
            return
        p = self.plans[index]
        self.summary.setPlainText("\n".join(summary_lines(p, detail=50)))
        self._show_fix(p)
        self.confirm_box.setVisible(p.needs_confirmation and p.can_apply)
        self.identify_row.setVisible(p.layout == "foreign")
        self.mapping.setVisible(p.layout == "foreign" and bool(p.mapping))
        self._show_mapping(p)
        if p.layout == "foreign":
            if p.plan_id:
                self.plan_box.setCurrentIndex(max(0, self.plan_box.findData(p.plan_id)))
            if p.unit_code:
                self.unit_box.setCurrentIndex(max(0, self.unit_box.findData(p.unit_code)))
            self.year_box.setValue(p.year or date.today().year - 1)
        self.confirm_box.blockSignals(True)
        self.confirm_box.setChecked(self.confirmed[index])
        self.confirm_box.blockSignals(False)
        self.cells.blockSignals(True)
        self.cells.setRowCount(len(p.changes))
        for r, c in enumerate(p.changes):
            check = QTableWidgetItem()
            check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            check.setCheckState(
                Qt.CheckState.Checked if c.key in self.accepted[index] else Qt.CheckState.Unchecked
            )
            check.setData(Qt.ItemDataRole.UserRole, c.key)
            self.cells.setItem(r, 0, check)
            kind = QTableWidgetItem(self.tr(KIND_LABELS.get(c.kind, c.kind)))
            if c.kind == CONFLICT:
                kind.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            for col, item in enumerate(
                (
                    kind,
                    QTableWidgetItem(c.label),
                    QTableWidgetItem(c.describe(p.indicator(c.indicator))),
                    QTableWidgetItem(c.where),
                ),
                start=1,
            ):
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.cells.setItem(r, col, item)
        self.cells.blockSignals(False)
        self.cells.resizeColumnToContents(1)

    def reidentify(
        self,
        file_index: int,
        unit: str,
        plan: str,
        year: int,
        override: dict[tuple[str, int], str] | None = None,
    ) -> FilePreview:
        """Read a foreign-layout file again as the given unit's return for a plan and year, with
        the user's corrections of the row mapping (kept across readings)."""
        self.overrides[file_index].update(override or {})
        p = preview_file(
            self.db,
            self.plans[file_index].path,
            unit=unit,
            plan=plan,
            year=year,
            override=self.overrides[file_index] or None,
        )
        self.plans[file_index] = p
        self.chosen[file_index] = p.can_apply
        self.accepted[file_index] = {c.key for c in p.changes if c.kind != CONFLICT}
        self.confirmed[file_index] = False
        self._fill_files()
        self.files.setCurrentRow(file_index)
        self.show_file(file_index)
        return p

    def _show_mapping(self, p: FilePreview) -> None:
        plan = self.plans_by_id.get(p.plan_id) or self.plans_by_id.get(self.plan_box.currentData())
        self._mapped = list(p.mapping) if p.layout == "foreign" else []
        self.mapping.setRowCount(len(self._mapped))
        for r, m in enumerate(self._mapped):
            for col, text in enumerate((m.where, m.label)):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.mapping.setItem(r, col, item)
            combo = QComboBox()
            combo.addItem(self.tr("（不导入）"), "")
            for ind in plan.indicators if plan else ():
                combo.addItem(f"{ind.code} {ind.name}", ind.code)
            combo.setCurrentIndex(max(0, combo.findData(m.indicator or "")))
            self.mapping.setCellWidget(r, 2, combo)

    def mapping_override(self) -> dict[tuple[str, int], str]:
        """The rows whose indicator the user changed in the table."""
        out = {}
        for r, m in enumerate(self._mapped):
            chosen = self.mapping.cellWidget(r, 2).currentData()
            if chosen != (m.indicator or ""):
                out[(m.sheet, m.row)] = chosen
        return out

    def _reidentify_current(self) -> None:
        if self.current >= 0:
            self.reidentify(
                self.current,
                self.unit_box.currentData(),
                self.plan_box.currentData(),
                self.year_box.value(),
                self.mapping_override(),
            )

    def set_cell(self, file_index: int, key: tuple[str, str], take: bool) -> None:
        """Take or leave one cell of one file (the per-cell decision on a conflict)."""
        (self.accepted[file_index].add if take else self.accepted[file_index].discard)(key)
        if file_index == self.current:
            self.show_file(file_index)
        self._update_total()

    def set_file(self, file_index: int, take: bool) -> None:
        self.chosen[file_index] = take and self.plans[file_index].can_apply
        self._fill_files()

    def _cell_toggled(self, item: QTableWidgetItem) -> None:
        if item.column() != 0 or self.current < 0:
            return
        key = tuple(item.data(Qt.ItemDataRole.UserRole))
        take = item.checkState() == Qt.CheckState.Checked
        (self.accepted[self.current].add if take else self.accepted[self.current].discard)(key)
        self._update_total()

    def _file_toggled(self, item: QListWidgetItem) -> None:
        i = self.files.row(item)
        self.chosen[i] = item.checkState() == Qt.CheckState.Checked
        self._update_total()

    def _confirm_toggled(self, on: bool) -> None:
        if self.current >= 0:
            self.confirmed[self.current] = on

    def apply(self) -> None:
        """Apply the chosen files, each all or nothing; a refused file changes nothing."""
        todo = [i for i, c in enumerate(self.chosen) if c]
        progress = QProgressDialog(self.tr("正在导入……"), self.tr("取消"), 0, len(todo), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        self.results = []
        # One transaction for the files, a savepoint per file (each still all or nothing); a
        # result is reported once committed, every few files.
        batch = (
            (self.plans[i], self.accepted[i], self.confirmed[i])
            for i in todo
            if not progress.wasCanceled()
        )
        try:
            for n, (p, res) in enumerate(
                apply_imports(self.db, batch, user=self.user, commit_every=10)
            ):
                self.results.append((p.name, str(res) if isinstance(res, KnownError) else res))
                progress.setValue(n + 1)
                QApplication.processEvents()
        except KnownError as e:  # the database failed: the files not reported are not imported
            self.results.append((self.tr("其余文件"), str(e)))
        progress.setValue(len(todo))
        self.accept()

    def report(self) -> str:
        lines = []
        for name, res in self.results:
            if isinstance(res, str):
                lines.append(f"✗ {name}：{res}")
            else:
                lines.append(
                    fill(
                        self.tr("✓ %1：写入 %2 个数值、%3 条说明"),
                        name,
                        res.written,
                        res.explanations,
                    )
                )
        return "\n".join(lines) or self.tr("没有导入任何文件。")
