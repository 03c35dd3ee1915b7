"""The main window's actions, menus and toolbar (a part of MainWindow, split off by its section).

``self.tr`` here translates in the MainWindow context first and then in WindowMenus (PySide looks
up every class of the window's type in turn), and pyside6-lupdate files these strings under
WindowMenus, so both the running window and the .ts file agree.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QToolBar


class WindowMenus:
    """Mixin of MainWindow: builds its QActions, menu bar and toolbar."""

    def _build_actions(self) -> None:
        def act(text, slot, shortcut=None):
            a = QAction(text, self)
            if shortcut:
                a.setShortcut(shortcut)
            # triggered(bool) passes `checked`; no slot may receive it by accident.
            a.triggered.connect(lambda _checked=False, slot=slot: slot())
            return a

        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("撤销"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("重做"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.find_action = act(self.tr("查找指标"), self._focus_find, QKeySequence.StandardKey.Find)
        self.find_next_action = act(
            self.tr("查找下一个"), self.find_next, QKeySequence.StandardKey.FindNext
        )
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
        self.server_action = act(self.tr("连接服务器…"), self.connect_server)
        self.units_action = act(self.tr("单位管理…"), self.edit_units)
        self.quit_action = act(self.tr("退出"), self.close, QKeySequence.StandardKey.Quit)

        m = self.menuBar()
        self.file_menu = m.addMenu(self.tr("文件(&F)"))
        self.file_menu.addAction(self.switch_action)
        self.file_menu.addAction(self.server_action)
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
        edit.addAction(self.find_next_action)
        edit.addSeparator()
        self._build_clipboard_actions(edit)
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
        from desktop.duties_dialog import install_duties_actions

        install_duties_actions(self, ret, tools, tb)  # 填报分工…, 收报情况…, 显示全部指标
        from desktop.evaluation_actions import install_evaluation_actions

        install_evaluation_actions(self, ret)  # 中期/终期评估报告…, 统计资料…

    def _build_clipboard_actions(self, menu) -> None:
        """Ctrl+C, Ctrl+V, Delete on the grid only (an open editor or the find box keeps its own)."""
        from desktop import clipboard

        def grid_act(text, slot, keys):
            a = QAction(text, self)
            a.setShortcuts(keys)
            a.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            a.triggered.connect(lambda _checked=False, slot=slot: slot())
            self.grid.addAction(a)
            menu.addAction(a)
            return a

        self.copy_action = grid_act(
            self.tr("复制"), lambda: clipboard.copy_selection(self), [QKeySequence.StandardKey.Copy]
        )
        self.paste_action = grid_act(
            self.tr("粘贴"), lambda: clipboard.paste_block(self), [QKeySequence.StandardKey.Paste]
        )
        self.clear_action = grid_act(
            self.tr("清除所选格"),
            lambda: clipboard.clear_selection(self),
            [QKeySequence(Qt.Key.Key_Delete), QKeySequence(Qt.Key.Key_Backspace)],
        )
