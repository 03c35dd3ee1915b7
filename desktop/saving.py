"""The entry grid's save path: what the user typed is saved, shown as a conflict, or kept and retried.

- Every save states what the user saw (``expected``).  If another user changed the cell meanwhile,
  the service refuses with a :class:`~db.repo.ConflictError`; :class:`ConflictDialog` shows both
  values, who and when, and the user keeps theirs (saved again, now expecting the other value) or
  takes the other one.
- A save that fails because of the database (server unreachable, timed out, locked, disk full)
  keeps the typed content in the cell, marked 未保存, tells the user once, and retries every few
  seconds until it is saved.  Nothing typed is lost.
- Open windows poll the return's change counter and show what others changed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout

from db.failures import DatabaseError
from db.repo import ANY, ConflictError, local_time
from tianbao.domain.errors import KnownError

RETRY_MS = 5000
POLL_MS = 3000


class ConflictDialog(QDialog):
    """Another user changed what you edited: keep yours, or take theirs."""

    MINE, THEIRS = "mine", "theirs"

    def __init__(self, conflict: ConflictError, parent=None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.choice = self.THEIRS
        self.setWindowTitle(self.tr("其他用户已修改"))
        show = conflict.shown
        when = f"{local_time(conflict.at):%Y-%m-%d %H:%M:%S}" if conflict.at else ""
        text = QLabel(
            self.tr("%1\n\n您看到的：%2\n%3（%4）保存的：%5\n您输入的：%6")
            .replace("%1", conflict.what)
            .replace("%2", show(conflict.expected))
            .replace("%3", conflict.user)
            .replace("%4", when)
            .replace("%5", show(conflict.theirs))
            .replace("%6", show(conflict.mine))
        )
        text.setWordWrap(True)
        self.keep_mine = QPushButton(self.tr("保留我的值"))
        self.take_theirs = QPushButton(self.tr("采用对方的值"))
        buttons = QDialogButtonBox()
        buttons.addButton(self.keep_mine, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.take_theirs, QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_mine.clicked.connect(lambda: self._choose(self.MINE))
        self.take_theirs.clicked.connect(lambda: self._choose(self.THEIRS))
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        lay.addWidget(buttons)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.done(
            QDialog.DialogCode.Accepted if choice == self.MINE else QDialog.DialogCode.Rejected
        )

    def ask(self) -> str:
        self.exec()
        return self.choice


class Saver(QObject):
    """Saves the window's cells through the service; keeps and retries what could not be saved."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        # (return id, indicator, cell) → (entry typed, entry expected), in the order typed
        self.pending: dict[tuple[int, str, str], tuple[object, object]] = {}
        self.retry_timer = QTimer(self)
        self.retry_timer.setInterval(RETRY_MS)
        self.retry_timer.timeout.connect(lambda: self.retry())
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(lambda: self.poll())
        self._told = False

    # --- saving -----------------------------------------------------------------------------

    def save_entry(self, return_id: int, code: str, cell: str, entry, expected=ANY) -> bool:
        """Save one cell; True when it is stored (or kept to retry), False when it was not."""
        svc = self.window.svc
        while True:
            try:
                change = svc.save_entry(return_id, code, cell, entry, expected=expected)
            except ConflictError as e:
                self.forget(return_id, code, cell)
                if e.theirs == entry:  # the other user stored just what was typed: nothing lost
                    self.window.refresh()
                    return True
                dlg = ConflictDialog(e, self.window)
                self.window.conflict_dialog = dlg
                if dlg.ask() == ConflictDialog.MINE:
                    expected = e.theirs  # keep mine: now knowingly replacing theirs
                    continue
                self.window.statusBar().showMessage(self.tr("已采用对方的值。"), 8000)
                self.window.refresh()
                return False
            except DatabaseError as e:
                if not e.retry:
                    self.window._warn(str(e))
                    return False
                self.keep(return_id, code, cell, entry, expected, e)
                return True
            except KnownError as e:
                self.forget(return_id, code, cell)
                self.window._warn(str(e))
                return False
            self.forget(return_id, code, cell)
            self.window.hub.changed.emit(change)
            return True

    def keep(self, return_id, code, cell, entry, expected, error) -> None:
        key = (return_id, code, cell)
        if key in self.pending:  # typed again before it was saved: still replacing what was seen
            expected = self.pending[key][1]
        self.pending[key] = (entry, expected)
        self.window.model.set_unsaved(
            {(c, k): e for (r, c, k), (e, _x) in self.pending.items() if r == return_id}
        )
        message = self.tr(
            "未保存：%1 已保留在表格中（标为“未保存”），程序每 5 秒自动重试。"
        ).replace("%1", str(error))
        self.window.statusBar().showMessage(message, 0)
        if not self._told:
            self._told = True
            self.window._warn(message)
        self.retry_timer.start()

    def forget(self, return_id, code, cell) -> None:
        if self.pending.pop((return_id, code, cell), None) is not None:
            self.window.model.set_unsaved(
                {(c, k): e for (r, c, k), (e, _x) in self.pending.items() if r == return_id}
            )
        if not self.pending:
            self.retry_timer.stop()

    def retry(self) -> int:
        """Save again what could not be saved; returns how many are still unsaved."""
        for (rid, code, cell), (entry, expected) in list(self.pending.items()):
            svc = self.window.svc
            try:
                change = svc.save_entry(rid, code, cell, entry, expected=expected)
            except ConflictError:
                # Decided with the user, through the same path as typing.
                self.save_entry(rid, code, cell, entry, expected)
                continue
            except DatabaseError as e:
                if e.retry:
                    break  # still down: try again later, in the same order
                self.forget(rid, code, cell)
                self.window._warn(str(e))
                continue
            except KnownError as e:
                self.forget(rid, code, cell)
                self.window._warn(str(e))
                continue
            self.forget(rid, code, cell)
            self.window.hub.changed.emit(change)
        if not self.pending:
            self._told = False
            self.window.statusBar().showMessage(
                self.tr("已重新保存，全部内容均已存入数据库。"), 8000
            )
        return len(self.pending)

    # --- what others changed ----------------------------------------------------------------

    def poll(self) -> bool:
        """Refresh the window if someone else changed the return; True if it did."""
        w = self.window
        if w.view is None or w.grid.delegate.open_editor is not None:
            return False  # never disturb what is being typed
        try:
            changes = w.svc.changes(w.return_id)
        except KnownError as e:
            w.statusBar().showMessage(str(e), POLL_MS)
            return False
        if changes is None or changes == w.view.info.changes:
            return False
        w.refresh()
        w.statusBar().showMessage(self.tr("已显示其他用户的最新修改。"), 5000)
        return True
