"""Plain value objects passed between the database, the checks and the user interface."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tianbao.domain.catalogue import Indicator

# The answers to a qualitative goal are part of the vocabulary (vocab.py); kept importable from here
# because every reader of an Entry needs them.
from tianbao.domain.vocab import CHOICE_LABELS, CHOICES

# A disaggregation cell key: "" is the total; otherwise "dimension=member", e.g. "sex=female".
TOTAL = ""
CELLS = {
    "sex": (("sex=male", "男"), ("sex=female", "女")),
    "urban_rural": (("urban_rural=urban", "城镇"), ("urban_rural=rural", "农村")),
    "age_group": (
        ("age_group=0-5", "0-5岁"),
        ("age_group=6-14", "6-14岁"),
        ("age_group=15-17", "15-17岁"),
    ),
}

# The figure of the same year a target is compared with (Target.reference), entered with the
# return like a breakdown cell: no table of its own, and it travels with the return's cells
# through Excel, PDF, import and aggregation.
REFERENCE = "ref"

CELL_LABELS = {
    TOTAL: "合计",
    **{key: label for members in CELLS.values() for key, label in members},
    REFERENCE: "参照值",
}


def cell_suffix(cell: str) -> str:
    """How a breakdown cell is named after an indicator: "（女）"; nothing for the total."""
    return f"（{CELL_LABELS.get(cell, cell)}）" if cell else ""


def cells_of(ind: Indicator) -> list[tuple[str, str]]:
    """The input cells of an indicator: the total, each disaggregation member, the reference."""
    out = [(TOTAL, "合计")]
    for dim in ind.disaggregation:
        out += list(CELLS[dim])
    ref = reference_of(ind)
    if ref:
        out.append((REFERENCE, f"参照值：{ref}"))
    return out


def reference_of(ind: Indicator) -> str | None:
    """The name of the figure the indicator's targets are compared with, if any."""
    return next((t.reference for t in ind.targets if t.reference), None)


@dataclass(frozen=True)
class Entry:
    """One cell's content as stored: a number, or numerator and denominator, or a choice or text."""

    number: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    choice: str | None = None
    text: str | None = None
    # A parent's tally of a qualitative goal: (是, 部分, 否) counts of its sub-units.
    tally: tuple[int, int, int] | None = None

    @property
    def empty(self) -> bool:
        return (
            self.number is None
            and self.numerator is None
            and self.denominator is None
            and not self.choice
            and not self.text
            and self.tally is None
        )

    def derived(self, ind: Indicator) -> float | None:
        """The rate computed from numerator and denominator, if both are there."""
        if ind.is_rate and self.numerator is not None and self.denominator:
            return self.numerator / self.denominator * (ind.scale or 1)
        return None

    def value(self, ind: Indicator) -> float | None:
        """The value the targets are judged on: the derived rate, else the typed number."""
        d = self.derived(ind)
        return d if d is not None else self.number


def tally_text(tally: tuple[int, int, int] | None) -> str:
    """ "是 9，部分 2，否 0" — the words the Excel return and the PDF print, read back by the import."""
    if tally is None:
        return ""
    return "，".join(f"{CHOICE_LABELS[c]} {n}" for c, n in zip(CHOICES, tally, strict=True))


def tally_of(text: object) -> tuple[int, int, int] | None:
    """The tally written by :func:`tally_text` (spaces, full-width digits and commas tolerated)."""
    import re
    import unicodedata

    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))
    m = re.search(r"是(\d+)[,，、;；]?部分(\d+)[,，、;；]?否(\d+)", s)
    return (int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


@dataclass(frozen=True)
class SignOff:
    unit_head: str = ""  # 单位负责人
    stats_head: str = ""  # 统计负责人
    filled_by: str = ""  # 填表人
    phone: str = ""  # 联系电话
    report_date: date | None = None  # 报出日期

    def missing(self) -> list[str]:
        labels = {
            "unit_head": "单位负责人",
            "stats_head": "统计负责人",
            "filled_by": "填表人",
            "phone": "联系电话",
            "report_date": "报出日期",
        }
        return [label for key, label in labels.items() if not getattr(self, key)]
