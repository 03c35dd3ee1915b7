"""Application start: fonts, translations, the database (opened before any window), the main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from db.engine import Database, DatabaseError, open_database
from desktop.errors import install_excepthook
from desktop.hub import Hub
from desktop.settings import Choice, load_choice, load_user, save_choice
from desktop.sources import DataSources, demo_db_path
from tianbao.domain.errors import KnownError
from tianbao.resources import resource_path

_translator: QTranslator | None = None
_qt_translator: QTranslator | None = None


def register_fonts() -> str | None:
    """Register the bundled CJK font so Chinese renders on a PC without one; returns its family."""
    font_id = QFontDatabase.addApplicationFont(
        str(resource_path("fonts", "DroidSansFallbackFull.ttf"))
    )
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    return families[0] if families else None


def install_language(app: QApplication, lang: str) -> None:
    """Chinese is the source language; English comes from resources/i18n/tianbao_en.qm."""
    global _translator, _qt_translator
    for old in (_translator, _qt_translator):
        if old is not None:
            app.removeTranslator(old)
    _translator = _qt_translator = None
    # Qt's own strings (standard buttons, file dialogs) in the chosen language.
    qt = QTranslator(app)
    qt_name = "qtbase_en" if lang == "en" else "qtbase_zh_CN"
    if qt.load(qt_name, QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _qt_translator = qt
    if lang == "en":
        tr = QTranslator(app)
        if tr.load(str(resource_path("i18n", "tianbao_en.qm"))):
            app.installTranslator(tr)
            _translator = tr
        QLocale.setDefault(QLocale(QLocale.Language.English))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Tianbao")
    app.setOrganizationName("Tianbao")
    family = register_fonts()
    if family:
        font = QFont(app.font())
        font.setFamilies([app.font().family(), family])
        app.setFont(font)
    return app


class Controller:
    """Holds the open database and the main window; rebuilds the window on a language switch
    or when another database (我的数据 / 演示数据 / a file) is chosen."""

    def __init__(
        self,
        app: QApplication,
        db: Database,
        choice: Choice,
        sources: DataSources | None = None,
    ) -> None:
        self.app = app
        self.db = db
        self.choice = choice
        self.sources = sources or DataSources(own=db.path or db.url)
        self.sources.adopt(db)
        self.hub = Hub()
        self.hub.language_changed.connect(self.switch_language)
        self.hub.database_changed.connect(self.switch_database)
        self.hub.return_opened.connect(self.remember)
        self.window = None
        self.overview_first = False

    def choose(self) -> int | None:
        """The start dialog; None when the user closes it."""
        from desktop.start import StartDialog

        c = self.choice
        dlg = StartDialog(self.db, c.plan, c.unit, c.year, sources=self.sources)
        try:
            if dlg.exec() != StartDialog.DialogCode.Accepted:
                self.sources.release(keep=self.db)
                return None
            try:
                rid = dlg.open_return()
            except KnownError as e:
                QMessageBox.warning(None, "Tianbao", str(e))
                return None
            self.db = dlg.db
            self.sources.release(keep=self.db)
            self.overview_first = dlg.overview_first
            plan, unit, year = dlg.choice()
            self.choice = Choice(str(self.db.path or self.db.url), plan, unit, year, c.lang)
            return rid
        finally:
            dlg.deleteLater()

    def remembered_return(self) -> int | None:
        """The return worked on last time — never the demonstration (a new start asks again)."""
        c = self.choice
        if not (c.plan and c.unit and c.year) or self.sources.is_demo(self.db):
            return None
        from tianbao.services.returns import ReturnService

        try:
            return ReturnService(self.db).open(c.unit, c.plan, c.year).id
        except KnownError:  # a stale choice (unit deleted, plan gone) simply means asking again
            return None

    def show(self, return_id: int) -> None:
        from desktop.main_window import MainWindow

        self.window = MainWindow(
            self.db,
            return_id,
            self.hub,
            english=self.choice.lang == "en",
            user=load_user(),
            demo=self.sources.is_demo(self.db),
            sources=self.sources,
        )
        if self.overview_first:
            self.window.tabs.setCurrentWidget(self.window.overview)
            self.overview_first = False
        self.window.show()
        self.remember(return_id)

    def remember(self, return_id: int) -> None:
        from tianbao.services.returns import ReturnService

        try:  # the return is in the database now open (the window may still be being built)
            info = ReturnService(self.db).info(return_id)
        except KnownError:
            info = None
        if info is not None:
            self.choice = Choice(
                str(self.db.path or self.db.public_url),
                info.plan_id,
                info.unit_code,
                info.year,
                self.choice.lang,
            )
        if not self.sources.is_demo(self.db):
            self.choice.own = self.choice.db
        save_choice(self.choice)

    def _replace_window(self, return_id: int) -> None:
        old = self.window
        self.show(return_id)
        if old is not None:
            old.close()
            old.deleteLater()

    def switch_language(self, lang: str) -> None:
        if self.window is None:
            return
        rid = self.window.return_id
        self.window.grid.delegate.commit_open_editor()
        self.choice.lang = lang
        install_language(self.app, lang)
        self._replace_window(rid)

    def switch_database(self, db: Database, return_id: int) -> None:
        """文件 → 切换报表 chose another database: the window reopens on it."""
        if self.window is not None:
            self.window.grid.delegate.commit_open_editor()
            self.overview_first = self.window.start_dialog.overview_first
        self.db = db
        self.sources.release(keep=db)
        self._replace_window(return_id)

    def shutdown(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        self.app.processEvents()
        self.sources.close_all()


def run(db: str | None = None, lang: str | None = None) -> int:
    app = make_app()
    install_excepthook()
    choice = load_choice()
    if lang:
        choice.lang = lang
    install_language(app, choice.lang)
    own = db or choice.own or (choice.db if choice.db and not _is_demo_path(choice.db) else "")
    sources = DataSources(own=own or None)
    start = db or choice.db or None
    if start and _is_demo_path(start) and not db:
        start = own or None  # the last session was the demonstration: start on one's own data
    try:
        database = open_database(start)
    except DatabaseError as e:
        QMessageBox.critical(None, "Tianbao", str(e))
        return 2
    if db:
        choice.db = db
    ctl = Controller(app, database, choice, sources)
    script = os.environ.get("TIANBAO_TEST_SCRIPT")
    if script:
        from desktop import testhook

        ctl.script = testhook.install(app, script)
    try:
        rid = ctl.remembered_return() or ctl.choose()
        if rid is None:
            return 0
        ctl.show(rid)
        return app.exec()
    finally:
        ctl.shutdown()


def _is_demo_path(path: str) -> bool:
    from desktop.sources import _same

    return "://" not in path and _same(Path(path), demo_db_path())
