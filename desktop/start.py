"""Choosing what to work on: plan, reporting unit, year (remembered), or the demonstration data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from db import repo
from db.engine import Database
from db.models import UNIT_LEVEL_LABELS
from db.plans import latest_plans
from desktop.i18n import core, fill
from tianbao.domain.errors import KnownError
from tianbao.services.returns import ReturnService


class StartDialog(QDialog):
    def __init__(
        self, db: Database, plan: str = "", unit: str = "", year: int = 0, parent=None, on_demo=None
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.on_demo = on_demo
        self.setWindowTitle(self.tr("选择报表"))
        self.plan_box = QComboBox()
        self.unit_box = QComboBox()
        self.year_box = QSpinBox()
        self.year_box.setRange(2015, 2040)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.demo_button = QPushButton(self.tr("打开演示数据"))
        self.demo_button.setToolTip(
            self.tr("一个演示区：11 个乡镇（街道）、6 个成员单位、三年的数据")
        )
        self.demo_button.clicked.connect(self._demo)
        self.plan_button = QPushButton(self.tr("导入计划工作簿…"))
        self.plan_button.setToolTip(
            self.tr("本地目标与内置计划不同时，导入在 Excel 中编辑过的计划工作簿")
        )
        self.plan_button.clicked.connect(lambda: self.import_plan())
        self.units_button = QPushButton(self.tr("单位管理…"))
        self.units_button.setToolTip(self.tr("添加本单位及下级单位、成员单位"))
        self.units_button.clicked.connect(self.edit_units)
        self.demo_button.setVisible(on_demo is not None)
        form = QFormLayout()
        form.addRow(self.tr("计划"), self.plan_box)
        form.addRow(self.tr("填报单位"), self.unit_box)
        form.addRow(self.tr("年份"), self.year_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("开始填报"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("请选择要填报的计划、单位和年份。")))
        lay.addLayout(form)
        lay.addWidget(self.hint)
        row = QHBoxLayout()
        row.addWidget(self.units_button)
        row.addWidget(self.plan_button)
        row.addWidget(self.demo_button)
        lay.addLayout(row)
        lay.addWidget(self.buttons)
        self.plan_box.currentIndexChanged.connect(self._plan_changed)
        self.load(plan, unit, year)

    def load(self, plan: str = "", unit: str = "", year: int = 0) -> None:
        with self.db.session() as s:
            plans = latest_plans(s)
            units = repo.list_units(s)
        self.plan_box.clear()
        for p in plans:
            self.plan_box.addItem(f"{p.title}", p.id)
            self.plan_box.setItemData(
                self.plan_box.count() - 1,
                f"{p.id}  {p.period[0]}–{p.period[1]}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.unit_box.clear()
        depth: dict[str, int] = {}
        for u in units:
            depth[u.code] = depth.get(u.parent_code, -1) + 1 if u.parent_code else 0
            self.unit_box.addItem(
                f"{'　' * depth[u.code]}{u.name}（{core(UNIT_LEVEL_LABELS[u.level])}）", u.code
            )
        if plan:
            self.plan_box.setCurrentIndex(max(0, self.plan_box.findData(plan)))
        if unit:
            self.unit_box.setCurrentIndex(max(0, self.unit_box.findData(unit)))
        self.year_box.setValue(year or date.today().year - 1)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(units))
        self.hint.setText(
            ""
            if units
            else self.tr("还没有填报单位：请在“单位管理”中添加，或点击“打开演示数据”先看一看。")
        )

    def edit_units(self) -> None:
        from desktop.units import UnitsDialog

        self.units_dialog = UnitsDialog(self.db, parent=self)
        self.units_dialog.finished.connect(lambda _r: self.load(*self.choice()))
        self.units_dialog.open()

    def _plan_changed(self, _i: int) -> None:
        pid = self.plan_box.currentData()
        if not pid:
            return
        with self.db.session() as s:
            from db.plans import get_plan

            p = get_plan(s, pid)
        self.year_box.setRange(p.period[0] - 1, p.period[1])

    def _demo(self) -> None:
        if self.on_demo is not None:
            self.on_demo(self)

    def import_plan(self, path: Path | None = None) -> bool:
        """Add a local plan (or a new version) from a plan workbook, then offer it in the list."""
        from db.plans import plan_ids, save_plan_version
        from tianbao.excel.planbook import read_plan_workbook

        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, self.tr("导入计划工作簿"), "", "Excel (*.xlsx)"
            )
            if not name:
                return False
            path = Path(name)
        try:
            plan = read_plan_workbook(path)
            with self.db.session() as s:
                exists = plan.id in plan_ids(s)
                stored = save_plan_version(s, plan, origin=path.name)
        except (KnownError, OSError) as e:
            self.hint.setText(str(e))
            return False
        _p, unit, year = self.choice()
        self.load(stored.id, unit or "", year)
        what = self.tr("新版本") if exists else self.tr("新计划")
        self.hint.setText(
            fill(self.tr("已导入%1：%2 第 %3 版"), what, stored.title, stored.version)
        )
        return True

    def choice(self) -> tuple[str, str, int]:
        return self.plan_box.currentData(), self.unit_box.currentData(), self.year_box.value()

    def open_return(self) -> int | None:
        plan, unit, year = self.choice()
        if not plan or not unit:
            return None
        return ReturnService(self.db).open(unit, plan, year).id
