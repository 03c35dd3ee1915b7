"""Choosing what to work on: the data (我的数据 / 演示数据 / another file), plan, reporting unit, year."""

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
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from db.engine import Database
from db.models import UNIT_LEVEL_LABELS
from desktop.i18n import core, fill
from desktop.sources import DEMO, FILE, OWN, DataSources
from tianbao.domain.errors import KnownError
from tianbao.services import plans as plan_service
from tianbao.services import units as unit_service
from tianbao.services.returns import ReturnService


class StartDialog(QDialog):
    """Plan, unit and year; with ``sources`` also which data: 我的数据, 演示数据 or another file."""

    def __init__(
        self,
        db: Database,
        plan: str = "",
        unit: str = "",
        year: int = 0,
        parent=None,
        sources: DataSources | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.sources = sources
        self.overview_first = False  # 打开演示数据 opens the district's overview
        if sources is not None:
            sources.adopt(db)
        self.setWindowTitle(self.tr("选择报表"))
        self.source_box = QComboBox()
        self.source_box.addItem(self.tr("我的数据"), OWN)
        self.source_box.addItem(self.tr("演示数据"), DEMO)
        self.source_box.addItem(self.tr("打开其他数据库文件…"), FILE)
        self.source_box.setToolTip(self.tr("演示数据单独保存，不会与本单位的真实数据混在一起"))
        self.source_box.activated.connect(lambda i: self._source_chosen(i))
        self.source_label = QLabel()
        self.source_label.setWordWrap(True)
        self.source_label.setStyleSheet("color: #555;")
        self.plan_box = QComboBox()
        self.unit_box = QComboBox()
        self.year_box = QSpinBox()
        self.year_box.setRange(2015, 2040)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.demo_button = QPushButton(self.tr("打开演示数据"))
        self.demo_button.setToolTip(
            self.tr("一个演示区：11 个乡镇（街道）、6 个成员单位、三年的数据；单独保存")
        )
        self.demo_button.clicked.connect(lambda: self.open_demo())
        self.plan_button = QPushButton(self.tr("导入计划工作簿…"))
        self.plan_button.setToolTip(
            self.tr("本地目标与内置计划不同时，导入在 Excel 中编辑过的计划工作簿")
        )
        self.plan_button.clicked.connect(lambda: self.import_plan())
        self.units_button = QPushButton(self.tr("单位管理…"))
        self.units_button.setToolTip(self.tr("添加本单位及下级单位、成员单位"))
        self.units_button.clicked.connect(lambda: self.edit_units())
        self.server_button = QPushButton(self.tr("连接服务器…"))
        self.server_button.setToolTip(self.tr("多台电脑共用一个数据库（PostgreSQL 服务器）"))
        self.server_button.clicked.connect(lambda: self.connect_server())
        self.demo_button.setVisible(sources is not None)
        form = QFormLayout()
        if sources is not None:
            form.addRow(self.tr("数据"), self.source_box)
            form.addRow("", self.source_label)
        form.addRow(self.tr("计划"), self.plan_box)
        form.addRow(self.tr("填报单位"), self.unit_box)
        form.addRow(self.tr("年份"), self.year_box)
        from desktop.settings import load_user, save_user

        self.user_box = QLineEdit(load_user())
        self.user_box.setMaxLength(50)
        self.user_box.setToolTip(self.tr("记入每一条修改记录的姓名（默认为本机登录名）"))
        form.addRow(self.tr("填报人"), self.user_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("开始填报"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(lambda: save_user(self.user_box.text()))
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
        row.addWidget(self.server_button)
        lay.addLayout(row)
        lay.addWidget(self.buttons)
        self.plan_box.currentIndexChanged.connect(self._plan_changed)
        self.load(plan, unit, year)

    # --- which data -------------------------------------------------------------------------

    def is_demo(self) -> bool:
        return self.sources is not None and self.sources.is_demo(self.db)

    def _show_source(self) -> None:
        if self.sources is None:
            return
        kind = self.sources.kind(self.db)
        self.source_box.blockSignals(True)
        self.source_box.setCurrentIndex(max(0, self.source_box.findData(kind)))
        self.source_box.blockSignals(False)
        where = str(self.db.path or self.db.url)
        if kind == DEMO:
            self.source_label.setText(
                fill(self.tr("演示数据（%1）：只供试用，请不要在这里填写本单位的真实数据。"), where)
            )
        else:
            self.source_label.setText(where)
        title = self.tr("选择报表")
        self.setWindowTitle(self.tr("【演示数据】") + title if kind == DEMO else title)

    def _source_chosen(self, index: int) -> None:
        kind = self.source_box.itemData(index)
        self.switch_source(kind)

    def switch_source(self, kind: str, path: str | Path | None = None) -> bool:
        """Open 我的数据, 演示数据 or a database file and offer its units (nothing else changes)."""
        if self.sources is None:
            return False
        if kind == FILE and path is None:
            name, _ = QFileDialog.getOpenFileName(
                self,
                self.tr("打开数据库文件"),
                str(Path(str(self.sources.own)).parent),
                self.tr("Tianbao 数据库 (*.sqlite *.db);;所有文件 (*)"),
            )
            if not name:
                self._show_source()
                return False
            path = name
        try:
            if kind == DEMO:
                db = self.sources.open_demo()
            elif kind == FILE:
                db = self.sources.open_file(path)
            else:
                db = self.sources.open_own()
        except KnownError as e:
            self.hint.setText(str(e))
            self._show_source()
            return False
        self.db = db
        plan, _unit, year = self.choice()
        if kind == DEMO:
            # The demonstration is one plan and district: start there, its latest year.
            from tianbao.services.demo import DEMO_PLAN, DISTRICT, demo_years

            plan, unit = DEMO_PLAN, DISTRICT[0]
            year = demo_years(plan_service.get_plan(self.db, DEMO_PLAN))[-1]
            self.load(plan, unit, year)
            return True
        self.load(plan or "", "", year)
        return True

    def open_demo(self) -> bool:
        """One click: the demonstration district's latest year, opened on its overview."""
        from tianbao.services.demo import DEMO_PLAN, DISTRICT, demo_years

        if not self.switch_source(DEMO):
            return False
        years = demo_years(plan_service.get_plan(self.db, DEMO_PLAN))
        self.load(DEMO_PLAN, DISTRICT[0], years[-1])
        self.overview_first = True
        self.accept()
        return True

    # --- plan, unit, year ------------------------------------------------------------------

    def load(self, plan: str = "", unit: str = "", year: int = 0) -> None:
        plans = plan_service.latest_plans(self.db)
        units = unit_service.list_units(self.db)
        self.plan_box.blockSignals(True)
        self.plan_box.clear()
        for p in plans:
            self.plan_box.addItem(f"{p.title}", p.id)
            self.plan_box.setItemData(
                self.plan_box.count() - 1,
                f"{p.id}  {p.period[0]}–{p.period[1]}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.plan_box.blockSignals(False)
        self.unit_box.clear()
        depth: dict[str, int] = {}
        for u in units:
            depth[u.code] = depth.get(u.parent_code, -1) + 1 if u.parent_code else 0
            self.unit_box.addItem(
                f"{'　' * depth[u.code]}{u.name}（{core(UNIT_LEVEL_LABELS[u.level])}）", u.code
            )
        self.plan_box.setCurrentIndex(max(0, self.plan_box.findData(plan)) if plan else 0)
        self._plan_changed(self.plan_box.currentIndex())
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
        self._show_source()

    def edit_units(self) -> None:
        from desktop.units import UnitsDialog

        self.units_dialog = UnitsDialog(self.db, parent=self)
        self.units_dialog.finished.connect(lambda _r: self.load(*self.choice()))
        self.units_dialog.open()

    def _plan_changed(self, _i: int) -> None:
        pid = self.plan_box.currentData()
        if not pid:
            return
        try:
            p = plan_service.get_plan(self.db, pid)
        except KnownError as e:
            self.hint.setText(str(e))
            return
        self.year_box.setRange(p.period[0] - 1, p.period[1])

    def import_plan(self, path: Path | None = None) -> bool:
        """Add a local plan (or a new version) from a plan workbook, then offer it in the list."""
        from tianbao.excel.planbook import read_plan_workbook

        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, self.tr("导入计划工作簿"), "", "Excel (*.xlsx)"
            )
            if not name:
                return False
            path = Path(name)
        try:
            stored = plan_service.store_plan(self.db, read_plan_workbook(path), origin=path.name)
        except (KnownError, OSError) as e:
            self.hint.setText(str(e))
            return False
        _p, unit, year = self.choice()
        self.load(stored.plan.id, unit or "", year)
        what = self.tr("新计划") if stored.new_plan else self.tr("新版本")
        self.hint.setText(
            fill(self.tr("已导入%1：%2 第 %3 版"), what, stored.plan.title, stored.plan.version)
        )
        return True

    def connect_server(self, dialog=None) -> bool:
        """连接服务器…: the office's shared database; the list then shows its plans and units."""
        from desktop.server_dialog import ServerDialog

        dlg = dialog or ServerDialog(str(self.db.url) if self.db.is_server else "", self)
        self.server_dialog = dlg
        if dialog is None and dlg.exec() != ServerDialog.DialogCode.Accepted:
            return False
        if dlg.database_opened is None:
            return False
        self.db = dlg.database_opened
        if self.sources is not None:
            self.sources.adopt(self.db)
        self.load(*self.choice())
        return True

    def choice(self) -> tuple[str, str, int]:
        return self.plan_box.currentData(), self.unit_box.currentData(), self.year_box.value()

    def open_return(self) -> int | None:
        plan, unit, year = self.choice()
        if not plan or not unit:
            return None
        return ReturnService(self.db).open(unit, plan, year).id
