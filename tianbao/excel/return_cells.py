"""What every sheet of a return workbook is built from.

The data of one workbook (:class:`BookData`) and what a save reports (:class:`Exported`), the cell
styles, and the small writers: :func:`put` (every text written as text), :func:`merge`, the texts
of targets, sources and numbers.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass
from pathlib import Path

from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from tianbao.domain.catalogue import FormMarks, Indicator, Plan, target_in_force
from tianbao.domain.status import decimals
from tianbao.domain.values import CHOICE_LABELS, Entry, tally_text
from tianbao.excel.layout import (
    clean_text,
)
from tianbao.services.returns import Row, SignOff

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
UNDERLINE = Border(bottom=_THIN)
FONT = Font(name="宋体", size=10)
BOLD = Font(name="宋体", size=10, bold=True)
TITLE_FONT = Font(name="黑体", size=16, bold=True)
SUBTITLE_FONT = Font(name="宋体", size=12, bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
NA_FILL = PatternFill("solid", fgColor="EDEDED")
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
STATUS_FILL = {
    "met": PatternFill("solid", fgColor="E2EFDA"),
    "close": PatternFill("solid", fgColor="FFF2CC"),
    "not_met": PatternFill("solid", fgColor="F8CBAD"),
    "on_course": PatternFill("solid", fgColor="E2EFDA"),
    "behind": PatternFill("solid", fgColor="FFF2CC"),
}
UNLOCKED = Protection(locked=False)
META_PASSWORD = "tianbao"  # deters casual edits; the sheet is not a secret


@dataclass(frozen=True)
class Exported:
    """What was written: the file, its fingerprint, and how many input cells it has."""

    path: Path
    fingerprint: str
    sheets: tuple[str, ...]
    inputs: int


@dataclass(frozen=True)
class BookData:
    """Everything a return workbook shows, independent of where it came from."""

    kind: str  # return | template | compiled
    plan: Plan
    marks: FormMarks
    unit_code: str
    unit_name: str
    year: int
    rows: tuple[Row, ...]
    signoff: SignOff
    fingerprint: str
    reported_by: str = ""  # 填报分工: the unit fills only these rows (本表由…填报)
    status: str = ""  # the return's status (draft | submitted), carried to the level above

    @property
    def with_sources(self) -> bool:
        """An assembled return (or one holding a tally) has the 数据来源 column."""
        return self.kind == "compiled" or any(
            e.tally is not None for r in self.rows for e in r.cells.values()
        )


def put(
    ws: Worksheet,
    row: int,
    col: int,
    value: object,
    *,
    font: Font = FONT,
    align: Alignment | None = None,
    border: bool | Border = False,
    fill: PatternFill | None = None,
    number_format: str | None = None,
    unlocked: bool = False,
):
    """Write one cell.  Strings are always text: one starting with = + - @ is not a formula."""
    c = ws.cell(row=row, column=col)
    quote = False
    if isinstance(value, str):
        value = clean_text(value)
        if value:
            c.value = value
            if value[0] in "=+-@":
                c.data_type = "s"
                quote = True
    elif value is not None:
        c.value = value
    # Setting styles one attribute at a time makes openpyxl hash every style object again;
    # a workbook has a handful of distinct styles, so build each once and copy it.
    cache = ws.parent.__dict__.setdefault("_tianbao_styles", {})
    key = (id(font), id(align), id(border), id(fill), number_format, quote, unlocked)
    style = cache.get(key)
    if style is None:
        c.font = font
        if align is not None:
            c.alignment = align
        if border:
            c.border = BORDER if border is True else border
        if fill is not None:
            c.fill = fill
        if number_format:
            c.number_format = number_format
        if quote:
            c.quotePrefix = True
        if unlocked:
            c.protection = UNLOCKED
        cache[key] = copy(c._style)
    else:
        c._style = copy(style)
    return c


def merge(ws: Worksheet, row: int, c1: int, c2: int, row2: int | None = None) -> None:
    """Merge without openpyxl's per-cell clean-up and border formatting (slow; borders are set
    explicitly where wanted)."""
    if c2 > c1 or (row2 or row) > row:
        ref = f"{get_column_letter(c1)}{row}:{get_column_letter(c2)}{row2 or row}"
        ws.merged_cells.add(MergedCellRange(ws, ref))


def targets_text(ind: Indicator, year: int) -> str:
    targets = target_in_force(ind.targets, year) or list(ind.targets)
    return "；".join(t.describe(ind.unit) for t in targets)


def _num_format(ind: Indicator, field: str) -> str:
    if field != "number" or ind.kind == "count":
        return "0" if ind.is_numeric else "@"
    d = decimals(ind)  # the same decimals as the grid and the PDF
    return "0" if d == 0 else "0." + "0" * d


def source_text(row: Row) -> str:
    """The 数据来源 cell: a qualitative goal's tally first (read back by the import), then where
    the value came from."""
    parts = []
    if row.entry.tally is not None:
        parts.append(f"汇总：{tally_text(row.entry.tally)}")
    if row.source is not None:
        parts.append(row.source.label())
    return "；".join(parts)


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column (CJK characters are two units wide)."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text or "")
    return max(1, -(-units // max(int(width) - 1, 1)))


def _number_shown(ind: Indicator, e: Entry) -> object:
    """The 数值 cell: the typed number, else the rate computed from the counts (the import
    recognises the computed rate and does not store it as typed)."""
    if ind.kind == "yesno":
        return CHOICE_LABELS.get(e.choice or "", e.choice)
    if ind.kind == "text":
        return e.text
    if e.number is not None:
        return e.number
    return e.derived(ind)


def reported_by_text(unit_name: str) -> str:
    return f"说明：本表由{unit_name}填报，只含本单位负责填报的指标（填报分工）。"


def _fnum(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))
