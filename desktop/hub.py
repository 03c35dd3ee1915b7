"""One signal hub: operations publish what changed, each view refreshes itself."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class Hub(QObject):
    changed = Signal(object)  # tianbao.services.returns.Change
    return_opened = Signal(int)  # return id
    language_changed = Signal(str)
    database_changed = Signal(object, int)  # another database (db.engine.Database), return id
