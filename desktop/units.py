"""A tree editor for the unit hierarchy and member departments."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from db import repo
from db.engine import Database
from db.models import UNIT_LEVEL_LABELS, UNIT_LEVELS
from db.repo import InputError
from desktop.hub import Hub
from desktop.i18n import core
from tianbao.services.returns import Change


class UnitsDialog(QDialog):
    def __init__(self, db: Database, hub: Hub | None = None, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.hub = hub
        self.setWindowTitle(self.tr("单位管理"))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("名称"), self.tr("代码"), self.tr("级别")])
        self.tree.setColumnWidth(0, 260)
        self.code = QLineEdit()
        self.name = QLineEdit()
        self.level = QComboBox()
        for lv in UNIT_LEVELS:
            self.level.addItem(core(UNIT_LEVEL_LABELS[lv]), lv)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        add_child = QPushButton(self.tr("添加为所选单位的下级"))
        add_child.clicked.connect(lambda: self.add(under_selected=True))
        add_top = QPushButton(self.tr("添加为顶级单位"))
        add_top.clicked.connect(lambda: self.add(under_selected=False))
        rename = QPushButton(self.tr("重命名所选单位"))
        rename.clicked.connect(self.rename)
        delete = QPushButton(self.tr("删除所选单位"))
        delete.clicked.connect(self.delete)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        form = QFormLayout()
        form.addRow(self.tr("代码"), self.code)
        form.addRow(self.tr("名称"), self.name)
        form.addRow(self.tr("级别"), self.level)
        buttons = QHBoxLayout()
        for b in (add_child, add_top, rename, delete):
            buttons.addWidget(b)
        buttons.addStretch()
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(self.tree)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addLayout(buttons)
        self.resize(640, 520)
        self.tree.currentItemChanged.connect(self._selected)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        with self.db.session() as s:
            units = repo.list_units(s)
        self.tree.clear()
        items: dict[str, QTreeWidgetItem] = {}
        for u in units:
            item = QTreeWidgetItem([u.name, u.code, core(UNIT_LEVEL_LABELS[u.level])])
            item.setData(0, Qt.ItemDataRole.UserRole, u.code)
            parent = items.get(u.parent_code) if u.parent_code else None
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            items[u.code] = item
        self.tree.expandAll()
        if select and select in items:
            self.tree.setCurrentItem(items[select])

    def selected_code(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item else None

    def _selected(self, item, _prev) -> None:
        if item is not None:
            self.name.setText(item.text(0))

    def _run(self, fn, select: str | None = None) -> bool:
        try:
            with self.db.session() as s:
                fn(s)
        except InputError as e:
            self.message.setText(str(e))
            return False
        self.message.setText("")
        self.reload(select)
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
        ok = self._run(lambda s: repo.add_unit(s, code, name, level, parent), select=code)
        if ok:
            self.code.clear()
        return ok

    def rename(self) -> bool:
        code = self.selected_code()
        if code is None:
            self.message.setText(self.tr("请先选择一个单位。"))
            return False
        return self._run(lambda s: repo.rename_unit(s, code, self.name.text()), select=code)

    def delete(self) -> bool:
        code = self.selected_code()
        if code is None:
            self.message.setText(self.tr("请先选择一个单位。"))
            return False
        return self._run(lambda s: repo.delete_unit(s, code))
