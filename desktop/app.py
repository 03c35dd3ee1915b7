"""Application start: fonts, translations, the database (opened before any window), the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from db.engine import Database, DatabaseError, default_db_path, open_database
from desktop.hub import Hub
from desktop.settings import Choice, load_choice, save_choice
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


def demo_db_path() -> Path:
    return default_db_path().with_name("tianbao-demo.sqlite")


class Controller:
    """Holds the open database and the main window; rebuilds the window on a language switch."""

    def __init__(self, app: QApplication, db: Database, choice: Choice) -> None:
        self.app = app
        self.db = db
        self.choice = choice
        self.hub = Hub()
        self.hub.language_changed.connect(self.switch_language)
        self.window = None

    def open_demo(self, dialog=None) -> None:
        from tianbao.services.demo import DEMO_PLAN, DISTRICT, TOWNSHIPS, demo_years, make_demo

        path = demo_db_path()
        db = open_database(path)
        with db.session() as s:
            from db import repo

            empty = not repo.list_units(s)
        if empty:
            make_demo(db)
        with db.session() as s:
            from db.plans import get_plan

            years = demo_years(get_plan(s, DEMO_PLAN))
        if self.db is not db:
            self.db.close()
        self.db = db
        self.choice = Choice(str(path), DEMO_PLAN, TOWNSHIPS[0][0], years[-1], self.choice.lang)
        del DISTRICT
        if dialog is not None:
            dialog.db = db
            dialog.load(self.choice.plan, self.choice.unit, self.choice.year)

    def choose(self) -> int | None:
        from desktop.start import StartDialog

        c = self.choice
        dlg = StartDialog(self.db, c.plan, c.unit, c.year, on_demo=self.open_demo)
        if dlg.exec() != StartDialog.DialogCode.Accepted:
            return None
        self.db = dlg.db
        plan, unit, year = dlg.choice()
        self.choice = Choice(self.choice.db, plan, unit, year, self.choice.lang)
        return dlg.open_return()

    def remembered_return(self) -> int | None:
        c = self.choice
        if not (c.plan and c.unit and c.year):
            return None
        from tianbao.services.returns import ReturnService

        try:
            return ReturnService(self.db).open(c.unit, c.plan, c.year).id
        except Exception:  # noqa: BLE001 - a stale choice simply means asking again
            return None

    def show(self, return_id: int) -> None:
        from desktop.main_window import MainWindow

        self.window = MainWindow(self.db, return_id, self.hub, english=self.choice.lang == "en")
        self.window.show()
        self.remember(return_id)

    def remember(self, return_id: int) -> None:
        info = self.window.svc.info(return_id) if self.window else None
        if info is not None:
            self.choice = Choice(
                str(self.db.path or self.db.url),
                info.plan_id,
                info.unit_code,
                info.year,
                self.choice.lang,
            )
        save_choice(self.choice)

    def switch_language(self, lang: str) -> None:
        if self.window is None:
            return
        rid = self.window.return_id
        self.window.grid.delegate.commit_open_editor()
        self.choice.lang = lang
        install_language(self.app, lang)
        old = self.window
        self.show(rid)
        old.close()
        old.deleteLater()


def run(db: str | None = None, lang: str | None = None) -> int:
    app = make_app()
    choice = load_choice()
    if lang:
        choice.lang = lang
    install_language(app, choice.lang)
    try:
        database = open_database(db or choice.db or None)
    except DatabaseError as e:
        QMessageBox.critical(None, "Tianbao", str(e))
        return 2
    if db:
        choice.db = db
    ctl = Controller(app, database, choice)
    rid = ctl.remembered_return() or ctl.choose()
    if rid is None:
        return 0
    ctl.show(rid)
    ctl.window.hub.return_opened.connect(ctl.remember)
    return app.exec()
