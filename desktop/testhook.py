"""A scripted session for tests that start the real program as a process (TIANBAO_TEST_SCRIPT).

The script is a comma-separated list of steps, each run as soon as its window is on screen:

    start:close     close the start dialog (its window's close button)
    start:cancel    click 取消 on the start dialog
    start:ok        click 开始填报
    start:demo      click 打开演示数据
    main:<action>   trigger a QAction of the main window by its attribute name, e.g. main:quit_action
    close:<Class>   close the visible top-level window of that class (e.g. close:QPrintPreviewDialog)

Actions are triggered with ``QAction.trigger()`` and buttons clicked, exactly as a user's click
arrives; nothing calls a slot directly.  Unused in normal runs.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox


def _visible(class_name: str):
    for w in QApplication.topLevelWidgets():
        if w.isVisible() and type(w).__name__ == class_name:
            return w
    return None


class Script(QObject):
    def __init__(self, app: QApplication, steps: list[str]) -> None:
        super().__init__(app)
        self.steps = steps
        self.timer = QTimer(self)
        self.timer.setInterval(150)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def later(self, fn) -> None:
        """Run after this tick returns: an action may open a modal dialog, whose own event loop
        must see this timer fire again (Qt does not re-enter a timer that is still running)."""
        QTimer.singleShot(0, fn)

    def tick(self) -> None:
        if not self.steps:
            self.timer.stop()
            return
        step = self.steps[0]
        where, _, what = step.partition(":")
        if where == "start":
            dlg = _visible("StartDialog")
            if dlg is None:
                return
            self.steps.pop(0)
            print(f"[testhook] {step}", file=sys.stderr, flush=True)
            if what == "close":
                self.later(dlg.close)
            elif what == "cancel":
                self.later(dlg.buttons.button(QDialogButtonBox.StandardButton.Cancel).click)
            elif what == "ok":
                self.later(dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click)
            elif what == "demo":
                self.later(dlg.demo_button.click)
        elif where == "main":
            w = _visible("MainWindow")
            if w is None:
                return
            self.steps.pop(0)
            print(f"[testhook] {step} {w.windowTitle()}", file=sys.stderr, flush=True)
            action = getattr(w, what, None) or getattr(w.files, what)
            self.later(action.trigger)
        elif where == "close":
            w = _visible(what)
            if w is None:
                return
            self.steps.pop(0)
            print(f"[testhook] {step}", file=sys.stderr, flush=True)
            self.later(w.close)
        else:
            self.steps.pop(0)


def install(app: QApplication, script: str) -> Script | None:
    steps = [s.strip() for s in script.split(",") if s.strip()]
    return Script(app, steps) if steps else None
