"""Numbers and measures as written after them, in Chinese and in English.

The lowest piece of display: no other module of the project is imported, so the plan's types
(:mod:`tianbao.domain.catalogue_model`, whose targets describe themselves) and the display of
values (:mod:`tianbao.domain.display`, which hands these names on) can both use it.
"""

from __future__ import annotations


def fmt_number(v: float | None) -> str:
    """At most two decimals, no trailing zeros; tiny non-zero values keep three significant digits."""
    if v is None:
        return "?"
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    if s in ("0", "-0"):
        return f"{v:.3g}" if v != 0 else "0"
    return s


def display_unit(unit: str) -> str:
    """The unit as written after a number: ``12.5/10万`` rather than ``12.51/10万``."""
    return unit[1:] if unit.startswith("1/") else unit


_UNIT_EN = {
    "%": "%",
    "‰": "‰",
    "1/10万": " per 100,000",
    "1/万": " per 10,000",
    "元": " yuan",
    "万元": " × 10,000 yuan",
    "小时": " h",
    "天": " days",
    "年": " years",
    "岁": " years",
    "人": " persons",
    "名": " persons",
    "平方米": " m²",
    "个百分点": " pp",
}


def unit_en(unit: str) -> str:
    """The catalogue's unit as written after a number in English ("" for a count's 个, 所 …)."""
    return _UNIT_EN.get(unit, "")


__all__ = ["display_unit", "fmt_number", "unit_en"]
