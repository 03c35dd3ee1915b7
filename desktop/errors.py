"""The desktop's one error path.

A known problem (``KnownError``: a bad file, a locked or unreachable database, a full disk) that
reaches the event loop is shown in plain Chinese with what to do.  Anything else is a bug: its
traceback is appended to a log file in the data folder and shown in a dialog with 复制详情, so the
user can send it.  Nothing is swallowed silently.
"""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from tianbao.domain.errors import KnownError


def log_path() -> Path:
    from db.engine import default_db_path

    return default_db_path().parent / "logs" / "tianbao-errors.log"


def known_message(error: BaseException) -> str:
    """A known problem's message; an OSError (disk full, no permission) said in Chinese."""
    lang = "en" if QCoreApplication.translate("Core", "是") == "yes" else "zh"
    if isinstance(error, KnownError):
        return error.text(lang)
    if isinstance(error, OSError):
        where = f"“{error.filename}”" if getattr(error, "filename", None) else ""
        return (
            f"无法读写文件{where}：{error.strerror or error}。"
            "请检查磁盘空间、文件是否被其他程序（如 Excel、WPS）打开，或换一个位置后重试。"
        )
    return str(error)


class CrashDialog(QDialog):
    """A bug: what happened in one sentence, the details, 复制详情."""

    def __init__(self, details: str, log: Path | None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("程序出错"))
        where = str(log) if log else self.tr("（未能写入日志文件）")
        intro = QLabel(
            self.tr(
                "程序遇到一个内部错误。已保存的数据不受影响；正在输入的内容请核对后重新输入。"
                "请点击“复制详情”，把内容发给技术支持人员。\n错误已记入日志文件："
            )
            + where
        )
        intro.setWordWrap(True)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.copy_button = QPushButton(self.tr("复制详情"))
        self.copy_button.clicked.connect(lambda: self.copy())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.details, 1)
        lay.addWidget(buttons)
        self.resize(720, 420)

    def copy(self) -> None:
        QApplication.clipboard().setText(self.details.toPlainText())


def write_log(text: str, path: Path | None = None) -> Path | None:
    path = path or log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"=== {datetime.now():%Y-%m-%d %H:%M:%S} ===\n{text}\n")
    except OSError:
        return None
    return path


def handle_exception(exc_type, exc, tb) -> None:
    """sys.excepthook: known problems as a message, bugs logged and shown with their details."""
    if issubclass(exc_type, KeyboardInterrupt):
        QApplication.quit()
        return
    parent = QApplication.activeWindow()
    if isinstance(exc, KnownError | OSError):
        QMessageBox.warning(
            parent, QCoreApplication.translate("Errors", "未完成"), known_message(exc)
        )
        return
    details = "".join(traceback.format_exception(exc_type, exc, tb))
    from tianbao import __version__

    details = f"Tianbao {__version__}, Python {sys.version.split()[0]}\n{details}"
    log = write_log(details)
    sys.stderr.write(details)
    if QApplication.instance() is None:
        return
    dlg = CrashDialog(details, log, parent)
    handle_exception.last_dialog = dlg
    dlg.exec()


handle_exception.last_dialog = None


def install_excepthook() -> None:
    sys.excepthook = handle_exception
