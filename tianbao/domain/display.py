"""How numbers, measures and targets are shown, shared by status, checks and warnings.

Numbers without trailing zeros, measures for display and in English, a target described in
English, and one number of decimals per indicator (the same in the grid, Excel and PDF).
"""

from __future__ import annotations

from tianbao.domain.catalogue import Indicator, Target

# ---------------------------------------------------------------------------------------
# Number and unit display, shared with checks and warning


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


_SYMBOL = {"<=": "≤", "<": "<", ">=": "≥", ">": ">"}
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
    return _UNIT_EN.get(unit, "")


def fmt_value(v: float | None, unit: str, *, en: bool = False) -> str:
    return fmt_number(v) + (unit_en(unit) if en else display_unit(unit))


def describe_en(t: Target, unit: str) -> str:
    """English wording of a target, the counterpart of :meth:`Target.describe`."""
    n, u, v = fmt_number, unit_en(unit), t.value
    if t.op in ("<=", "<", ">=", ">") and t.reference:
        text = f"{_SYMBOL[t.op]} the reference figure ({t.reference})"
    elif t.op in ("<=", "<", ">=", ">") and t.reached_in:
        text = f"{_SYMBOL[t.op]} the value reached in {t.reached_in}"
    elif t.op in ("<=", "<", ">=", ">"):
        text = f"{_SYMBOL[t.op]}{n(v)}{u}"
    elif t.op == "approx":
        whose = "" if t.tolerance_stated else ", tolerance set by the catalogue"
        text = f"about {n(v)}{u} (±{n(t.tolerance)}{whose})"
    elif t.op == "range":
        text = f"{n(v[0])}–{n(v[1])}{u}"
    elif t.op == "change":
        cu = "%" if t.change_unit == "percent" else " pp"
        first = v[0] if isinstance(v, tuple) else v
        mags = sorted(abs(x) for x in v) if isinstance(v, tuple) else [abs(v)]
        amount = "–".join(n(x) for x in mags)
        base = f"vs {t.base_year}" if t.basis == "base_year" else "per year"
        text = f"{'down' if first < 0 else 'up'} {amount}{cu} {base}"
    elif t.op == "growth":
        text = f"average annual growth ≥{n(v)}%"
    elif t.op == "direction":
        text = {
            "down": "falling",
            "up": "rising",
            "stable": "stable",
            "not_up": "not rising",
            "not_down": "not falling",
        }.get(t.direction or "", "trend")
    else:
        text = "qualitative goal"
    if t.each:
        text += f" in every {t.each}"
    if t.year:
        text += f" ({t.year})"
    if t.from_year:
        text += f" (from {t.from_year})"
    return text


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
