"""Remembered choices (database, plan, unit, year, language) in QSettings."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings


@dataclass
class Choice:
    db: str = ""
    plan: str = ""
    unit: str = ""
    year: int = 0
    lang: str = "zh"
    own: str = ""  # 我的数据: the user's own database (``db`` may be the demonstration's)


def settings() -> QSettings:
    return QSettings("Tianbao", "Tianbao")


def load_choice() -> Choice:
    s = settings()
    year = s.value("year", 0)
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    return Choice(
        db=str(s.value("db", "") or ""),
        plan=str(s.value("plan", "") or ""),
        unit=str(s.value("unit", "") or ""),
        year=year,
        lang=str(s.value("lang", "zh") or "zh"),
        own=str(s.value("own", "") or ""),
    )


def save_choice(c: Choice) -> None:
    s = settings()
    for key in ("db", "plan", "unit", "year", "lang", "own"):
        value = getattr(c, key)
        if key in ("db", "own") and "://" in str(value):
            from db.engine import public_url

            value = public_url(str(value))  # a server's password is never stored in the settings
        s.setValue(key, value)
    s.sync()


def load_user() -> str:
    """The name recorded with every change: chosen at first start, by default the OS login."""
    from db.repo import current_user

    return str(settings().value("user", "") or "").strip() or current_user()


def save_user(name: str) -> None:
    s = settings()
    s.setValue("user", (name or "").strip()[:50])
    s.sync()


def save_geometry(widget, key: str) -> None:
    """A window's size and position, restored at the next start."""
    s = settings()
    s.setValue(f"geometry/{key}", widget.saveGeometry())
    s.sync()


def restore_geometry(widget, key: str) -> bool:
    value = settings().value(f"geometry/{key}")
    return bool(value) and widget.restoreGeometry(value)
