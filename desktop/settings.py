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
    )


def save_choice(c: Choice) -> None:
    s = settings()
    for key in ("db", "plan", "unit", "year", "lang"):
        s.setValue(key, getattr(c, key))
    s.sync()
