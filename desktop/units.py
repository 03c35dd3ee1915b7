"""A tree editor for the unit hierarchy and member departments.

Selecting a unit shows it in the fields only while nothing is being typed there (what a user
types is never overwritten); the level of a new unit defaults to the level below the selected
one; code, name, level and parent of a unit can all be changed; a unit list can be imported
from a file as with ``tianbao units import``.

Every change states the unit as the editor showed it: if another user changed or deleted it
meanwhile, nothing is written and a question names the other change, who and when, and offers
to reload (what is being typed in the fields is kept).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from db.engine import Database
from db.models import UNIT_LEVEL_LABELS, UNIT_LEVELS
from db.repo import ANY, ConflictError
from desktop.errors import known_message
from desktop.hub import Hub
from desktop.i18n import core, fill
from tianbao.domain.errors import KnownError
from tianbao.services import units as unit_service
from tianbao.services.returns import Change

POLL_MS = 3000  # how often an open editor looks for other users' changes


class UnitsDialog(QDialog):
    def __init__(self, db: Database, hub: Hub | None = None, parent=None, user: str = "") -> None:
        super().__init__(parent)
        self.db = db
        if not user:
            from desktop.settings import load_user

            user = load_user()
        self.user = user  # recorded with a deletion's duties history
        self.hub = hub
        self.units = []
        self.setWindowTitle(self.tr("单位管理"))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("名称"), self.tr("代码"), self.tr("级别")])
        self.tree.setColumnWidth(0, 260)
        self.code = QLineEdit()
        self.name = QLineEdit()
        self.level = QComboBox()
        for lv in UNIT_LEVELS:
            self.level.addItem(core(UNIT_LEVEL_LABELS[lv]), lv)
        self.parent_box = QComboBox()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        add_child = QPushButton(self.tr("添加为所选单位的下级"))
        add_child.clicked.connect(lambda: self.add(under_selected=True))
        add_top = QPushButton(self.tr("添加为顶级单位"))
        add_top.clicked.connect(lambda: self.add(under_selected=False))
        save = QPushButton(self.tr("保存对所选单位的修改"))
        save.setToolTip(self.tr("修改所选单位的代码、名称、级别和上级单位"))
        save.clicked.connect(lambda: self.update_selected())
        delete = QPushButton(self.tr("删除所选单位"))
        delete.clicked.connect(lambda: self.delete())
        import_button = QPushButton(self.tr("从文件导入…"))
        import_button.setToolTip(
            self.tr("xlsx 或 csv：代码、名称、级别、上级代码；全部导入或全不导入")
        )
        import_button.clicked.connect(lambda: self.import_file())
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        self.add_child_button, self.add_top_button = add_child, add_top
        self.save_button, self.delete_button, self.import_button = save, delete, import_button
        form = QFormLayout()
        form.addRow(self.tr("代码"), self.code)
        form.addRow(self.tr("名称"), self.name)
        form.addRow(self.tr("级别"), self.level)
        form.addRow(self.tr("上级单位"), self.parent_box)
        buttons = QHBoxLayout()
        for b in (add_child, add_top, save, delete, import_button):
            buttons.addWidget(b)
        buttons.addStretch()
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tree)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addLayout(buttons)
        self.resize(760, 560)
        self.tree.currentItemChanged.connect(self._selected)
        self.reload()
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(lambda: self.poll())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.poll_timer.start()  # only while shown

    def hideEvent(self, event) -> None:
        self.poll_timer.stop()
        super().hideEvent(event)

    def poll(self) -> bool:
        """Show units other users added, changed or deleted; what is being typed is kept (the
        fields are not overwritten, see _selected).  True when something changed."""
        try:
            stamp = unit_service.units_stamp(self.db)
        except KnownError:
            return False  # busy or gone: the next poll or save will say so
        if stamp == self.stamp:
            return False
        self.reload(self.selected_code())
        self.message.setStyleSheet("")
        self.message.setText(self.tr("已显示其他用户对单位的最新修改。"))
        return True

    def reload(self, select: str | None = None) -> None:
        self.stamp = unit_service.units_stamp(self.db)
        self.units = unit_service.list_units(self.db)
        self.tree.blockSignals(True)
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for u in self.units:
            item = QTreeWidgetItem([u.name, u.code, core(UNIT_LEVEL_LABELS[u.level])])
            item.setData(0, Qt.ItemDataRole.UserRole, u.code)
            parent = items.get(u.parent_code) if u.parent_code else None
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            items[u.code] = item
        self.tree.expandAll()
        self.parent_box.clear()
        self.parent_box.addItem(self.tr("（无，顶级单位）"), "")
        for u in self.units:
            self.parent_box.addItem(f"{u.name}（{u.code}）", u.code)
        self.tree.blockSignals(False)
        if select and select in items:
            self.tree.setCurrentItem(items[select])

    def selected_code(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _unit(self, code: str | None):
        return next((u for u in self.units if u.code == code), None)

    def _typing(self) -> bool:
        """Something typed in the fields that a selection must not overwrite."""
        return any(e.isModified() and e.text().strip() for e in (self.code, self.name))

    def _selected(self, item, _prev) -> None:
        u = self._unit(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else None
        if u is None:
            return
        # The level a new unit under this one most likely has.
        self.level.setCurrentIndex(max(0, self.level.findData(unit_service.level_below(u.level))))
        if self._typing():
            self.message.setText(
                fill(
                    self.tr("已选择“%1”。点击“添加为所选单位的下级”把正在填写的单位加在它下面。"),
                    u.name,
                )
            )
            return
        self.code.setText(u.code)
        self.name.setText(u.name)
        self.parent_box.setCurrentIndex(max(0, self.parent_box.findData(u.parent_code or "")))
        for e in (self.code, self.name):
            e.setModified(False)

    def _run(self, fn, select: str | None = None) -> bool:
        try:
            fn()
        except ConflictError as e:
            self.message.setStyleSheet("color: #b3261e;")
            self.message.setText(str(e))
            answer = QMessageBox.question(
                self,
                self.tr("单位已被其他用户修改"),
                str(e) + "\n\n" + self.tr("是否重新载入单位列表？正在填写的内容会保留。"),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer == QMessageBox.StandardButton.Yes:
                current = self.selected_code()
                self.reload(current)
                self.message.setText(
                    self.tr("已重新载入单位列表，显示的是对方的修改；您的修改未保存。")
                )
            return False
        except KnownError as e:
            self.message.setStyleSheet("color: #b3261e;")
            self.message.setText(str(e))
            return False
        self.message.setText("")
        self.reload(select)
        for e in (self.code, self.name):
            e.setModified(False)
        if self.hub is not None:
            self.hub.changed.emit(Change(units=True))
        return True

    def add(self, under_selected: bool = True) -> bool:
        parent = self.selected_code() if under_selected else None
        code, name, level = (
            self.code.text().strip(),
            self.name.text().strip(),
            self.level.currentData(),
        )
        if under_selected and parent is None:
            self.message.setText(self.tr("请先在上面选择上级单位，或点击“添加为顶级单位”。"))
            return False
        ok = self._run(
            lambda: unit_service.add_unit(self.db, code, name, level, parent), select=code
        )
        if ok:
            self.code.clear()
            self.name.clear()
        return ok

    def update_selected(self) -> bool:
        """Save the fields as the selected unit's code, name, level and parent."""
        code = self.selected_code()
        if code is None:
            self.message.setText(self.tr("请先选择一个单位。"))
            return False
        new_code = self.code.text().strip()
        seen = self._unit(code) or ANY  # as shown: a conflict if someone changed it since
        return self._run(
            lambda: unit_service.update_unit(
                self.db,
                code,
                new_code=new_code,
                name=self.name.text(),
                level=self.level.currentData(),
                parent_code=self.parent_box.currentData() or None,
                expected=seen,
                user=self.user,
            ),
            select=new_code,
        )

    def rename(self) -> bool:
        code = self.selected_code()
        if code is None:
            self.message.setText(self.tr("请先选择一个单位。"))
            return False
        seen = self._unit(code)
        return self._run(
            lambda: unit_service.rename_unit(
                self.db,
                code,
                self.name.text(),
                expected=seen.name if seen else ANY,
                user=self.user,
            ),
            select=code,
        )

    def delete(self) -> bool:
        code = self.selected_code()
        if code is None:
            self.message.setText(self.tr("请先选择一个单位。"))
            return False
        try:
            n = unit_service.duties_reported_by(self.db, code)
        except KnownError as e:
            self.message.setText(str(e))
            return False
        if n:
            unit = self._unit(code)
            answer = QMessageBox.question(
                self,
                self.tr("删除单位"),
                fill(
                    self.tr(
                        "“%1”在填报分工中负责填报 %2 个指标。删除后这些指标改按默认分工填报"
                        "（可在“填报分工”中重新指定），并记入填报分工的修改记录。确定删除吗？"
                    ),
                    unit.name if unit else code,
                    n,
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                self.message.setText(self.tr("未删除。"))
                return False
        seen = self._unit(code) or ANY
        return self._run(lambda: unit_service.delete_unit(self.db, code, self.user, expected=seen))

    def import_file(self, path: Path | None = None) -> bool:
        """代码, 名称, 级别, 上级代码 from .xlsx or .csv — all or nothing, as on the command line."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, self.tr("导入单位"), "", self.tr("单位表 (*.xlsx *.xls *.ods *.csv)")
            )
            if not name:
                return False
            path = Path(name)
        count: list[int] = []

        def run():
            count.append(unit_service.import_units(self.db, path))

        try:
            ok = self._run(run)
        except OSError as e:
            self.message.setText(known_message(e))
            return False
        if ok:
            self.message.setStyleSheet("color: #1e6b30;")
            self.message.setText(fill(self.tr("已导入 %1 个单位。"), count[0]))
        return ok
