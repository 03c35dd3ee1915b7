"""How numbers, measures and targets are shown, shared by status, checks and warnings.

Numbers without trailing zeros, measures for display and in English (from
:mod:`tianbao.domain.measures`), a target described in English (:meth:`Target.describe`), and one
number of decimals per indicator (the same in the grid, Excel, PDF, reports and overview).
"""

from __future__ import annotations

from tianbao.domain.catalogue import Indicator, Target
from tianbao.domain.measures import display_unit, fmt_number, unit_en

# ---------------------------------------------------------------------------------------
# Number and unit display, shared with checks and warning (numbers and measures themselves are
# in :mod:`tianbao.domain.measures`, below the catalogue's types, which describe their targets)


def fmt_value(v: float | None, unit: str, *, en: bool = False) -> str:
    return fmt_number(v) + (unit_en(unit) if en else display_unit(unit))


def describe_en(t: Target, unit: str) -> str:
    """English wording of a target: :meth:`Target.describe` in English (one describer for both
    languages; this name is kept for its callers)."""
    return t.describe(unit, en=True)


# ---------------------------------------------------------------------------------------
# Decimals: one number of decimals per indicator, the same in the grid, Excel and PDF


def decimals(ind: Indicator) -> int:
    """Decimals an indicator's values are shown with: whole numbers for counts, one for hours
    and days, two otherwise (rates, ratios, amounts, ages).  A catalogue may state its own
    (``decimals``)."""
    stated = getattr(ind, "decimals", None)
    if isinstance(stated, int) and 0 <= stated <= 4:
        return stated
    if ind.kind == "count":
        return 0
    if ind.kind == "duration" and ind.unit in ("小时", "天"):
        return 1
    return 2


def fmt_fixed(v: float | None, ind: Indicator) -> str:
    """A value with the indicator's fixed decimals: 1.80 beside 1.82, 9.00 beside 9.42."""
    if v is None:
        return ""
    d = decimals(ind)
    return f"{0.0 if abs(v) < 0.5 * 10**-d else v:.{d}f}"


def fmt_fixed_value(v: float | None, ind: Indicator, *, en: bool = False) -> str:
    """A value with its fixed decimals and its measure, as said in a sentence: "95.04%",
    "6669个", "1.2 h" (English).  "?" when there is none, like :func:`fmt_value`."""
    if v is None:
        return "?"
    return fmt_fixed(v, ind) + (unit_en(ind.unit) if en else display_unit(ind.unit))


def fmt_fixed_change(v: float | None, prev: float | None, ind: Indicator) -> str:
    """A change between two values as their shown (rounded) figures differ: "+0.21‰",
    "−0.50个百分点" (a percentage changes in points), "持平"; "" without both numbers."""
    if not isinstance(v, (int, float)) or not isinstance(prev, (int, float)):
        return ""
    diff = shown_difference(v, prev, ind)
    if diff == 0:
        return "持平"
    u = "个百分点" if ind.unit == "%" else display_unit(ind.unit)
    return f"{'+' if diff > 0 else '−'}{fmt_fixed(abs(diff), ind)}{u}"


def shown_difference(v: float, prev: float, ind: Indicator) -> float:
    """``v − prev`` as the two figures are shown (each rounded to the indicator's decimals), so
    that 77.76 beside 78.25 is a change of 0.49, not the 0.5 of the unrounded values."""
    d = decimals(ind)
    diff = round(round(v, d) - round(prev, d), d)
    return 0.0 if abs(diff) < 0.5 * 10**-d else diff


__all__ = [
    "decimals",
    "describe_en",
    "display_unit",
    "fmt_fixed",
    "fmt_fixed_change",
    "fmt_fixed_value",
    "fmt_number",
    "fmt_value",
    "shown_difference",
    "unit_en",
]
