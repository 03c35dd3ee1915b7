"""Switching what the main window shows: 文件 → 切换报表… and 文件 → 连接服务器… (a part of
MainWindow split off by its section).  Another database makes the program reopen on it
(``hub.database_changed``, desktop.app.Controller); databases opened for a switch that did not
happen are closed again.
"""

from __future__ import annotations

from tianbao.domain.errors import KnownError


class WindowSwitch:
    """Mixin of MainWindow: another return, or another database (我的数据 / 演示数据 / a server)."""

    def switch_return(self) -> bool:
        """文件 → 切换报表: starts at the current plan, unit and year; may switch the data too."""
        from desktop.start import StartDialog

        self.grid.delegate.commit_open_editor()
        i = self.svc.info(self.return_id)
        dlg = StartDialog(
            self.db, i.plan_id, i.unit_code, i.year, parent=self, sources=self.sources
        )
        self.start_dialog = dlg
        if dlg.exec() != StartDialog.DialogCode.Accepted:
            if self.sources is not None:
                self.sources.release(keep=self.db)
            return False
        try:
            rid = dlg.open_return()
        except KnownError as e:
            self._warn(str(e))
            return False
        if rid is None:
            return False
        if dlg.db is not self.db:
            # Another database (演示数据 / 我的数据 / a file): the program reopens on it.
            self.hub.database_changed.emit(dlg.db, rid)
            return True
        self.open_return(rid)
        if dlg.overview_first:
            self.tabs.setCurrentWidget(self.overview)
        return True

    def connect_server(self) -> bool:
        """文件 → 连接服务器…: the office's shared PostgreSQL database, then which return on it.

        The same dialog as the start dialog's (it tests the connection and says in Chinese why one
        fails, staying open); nothing changes until a return on the server is chosen.
        """
        from desktop.server_dialog import ServerDialog
        from desktop.start import StartDialog

        self.grid.delegate.commit_open_editor()
        dlg = ServerDialog(str(self.db.url) if self.db.is_server else "", self)
        self.server_dialog = dlg
        if dlg.exec() != ServerDialog.DialogCode.Accepted or dlg.database_opened is None:
            return False
        server = dlg.database_opened
        if self.sources is not None:
            self.sources.adopt(server)
        i = self.svc.info(self.return_id)
        start = StartDialog(
            server, i.plan_id, i.unit_code, i.year, parent=self, sources=self.sources
        )
        self.start_dialog = start
        rid = None
        if start.exec() == StartDialog.DialogCode.Accepted:
            try:
                rid = start.open_return()
            except KnownError as e:
                self._warn(str(e))
        if rid is None:
            self._release(server)
            return False
        if start.db is self.db:  # chose 我的数据 again in the start dialog
            self._release(server)
            self.open_return(rid)
            return True
        self.hub.database_changed.emit(start.db, rid)  # the program reopens on the server
        return True

    def _release(self, opened) -> None:
        """Close the databases opened for a switch that did not happen (keep the one in use)."""
        if self.sources is not None:
            self.sources.release(keep=self.db)
        elif opened is not self.db:
            opened.close()
