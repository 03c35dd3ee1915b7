"""Reading a checked workbook (``xlsx_safety.SafeBook``) into sheets of plain values, and the
cell formats calamine does not report.

Calamine returns cached values for formula cells and plain fractions for percent-formatted
cells (98.5% is stored as 0.985).  Where that matters — a value of a % indicator between 0 and
2, or a sheet that contains formulas — the sheet's XML (already verified and in memory) is
consulted for the cell's number format and formula; for .ods the percentage cells were noted
while the file was checked; for .xls neither is available and the caller falls back on the
numerator and denominator (see ``xlsx_match``).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from tianbao.excel.safety import (
    MAX_CELLS,
    DamagedWorkbook,
    SafeBook,
    _damaged,
    _encrypted,
    _huge,
)


@dataclass
class Sheet:
    name: str
    index: int
    visible: bool
    rows: list[list[object]]  # from A1, as calamine returns them ('' for empty)

    def value(self, row: int, col: int) -> object:
        """The value at 0-based (row, col), '' outside the used range."""
        if 0 <= row < len(self.rows):
            r = self.rows[row]
            if 0 <= col < len(r):
                return r[col]
        return ""


def read_sheets(book: SafeBook) -> list[Sheet]:
    """Every sheet (hidden ones too) of a checked workbook, as values from A1."""
    try:
        if book.format == "xls":
            # An encrypted .xls defeats calamine's sniffing of bytes; by path it reads the
            # extension (checked to be .xls) and reports the password.
            wb = CalamineWorkbook.from_path(str(book.path))
        else:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(book.data))
    except PasswordError as e:
        raise _encrypted(book.name) from e
    except CalamineError as e:
        raise _damaged(book.name, _short(e)) from e
    except Exception as e:  # noqa: BLE001 - calamine raises plain errors for broken files too
        raise _damaged(book.name, _short(e)) from e
    sheets: list[Sheet] = []
    total = 0
    try:
        for i, meta in enumerate(wb.sheets_metadata):
            if str(meta.typ).split(".")[-1] not in ("WorkSheet",):
                continue
            sh = wb.get_sheet_by_name(meta.name)
            end = sh.end
            if end is not None:
                total += (end[0] + 1) * (end[1] + 1)
                if total > MAX_CELLS:
                    raise _huge(book.name)
            rows = sh.to_python(skip_empty_area=False) if end is not None else []
            visible = str(meta.visible).split(".")[-1] == "Visible"
            sheets.append(Sheet(meta.name, i, visible, rows))
    except DamagedWorkbook:
        raise
    except PasswordError as e:
        raise _encrypted(book.name) from e
    except CalamineError as e:
        raise _damaged(book.name, _short(e)) from e
    finally:
        wb.close()
    if not sheets:
        raise _damaged(book.name, "没有任何工作表")
    return sheets


def _short(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return text[:120]


# --- cell formats (xlsx and ods) -------------------------------------------------------------


class Formats:
    """Percent formats and formulas of a workbook's cells, looked up only when needed."""

    def __init__(self, book: SafeBook):
        self.book = book
        self._sheet_parts: dict[str, str] | None = None
        self._percent_styles: set[int] | None = None
        self._details: dict[str, dict[tuple[int, int], tuple[int, bool]]] = {}
        self._formulas: dict[str, bool] = {}

    @property
    def known(self) -> bool:
        """Whether formats can be told at all (not for .xls)."""
        return self.book.format in ("xlsx", "ods")

    def is_percent(self, sheet: str, row: int, col: int) -> bool:
        if self.book.format == "ods":
            return (row, col) in self.book.ods_percent.get(sheet, ())
        if self.book.format != "xlsx":
            return False
        detail = self._sheet_details(sheet).get((row, col))
        return detail is not None and detail[0] in self._percents()

    def has_formulas(self, sheet: str) -> bool:
        if self.book.format != "xlsx":
            return False
        found = self._formulas.get(sheet)
        if found is None:
            xml = self.book.parts.get(self._parts().get(sheet, ""), b"")
            found = self._formulas[sheet] = _FORMULA.search(xml) is not None
        return found

    def is_formula(self, sheet: str, row: int, col: int) -> bool:
        """Whether an .xlsx cell holds a formula (its cached value is what calamine returns)."""
        d = self._sheet_details(sheet).get((row, col))
        return d is not None and d[1]

    # -- xlsx internals

    def _parts(self) -> dict[str, str]:
        if self._sheet_parts is None:
            self._sheet_parts = _xlsx_sheet_parts(self.book.parts)
        return self._sheet_parts

    def _percents(self) -> set[int]:
        if self._percent_styles is None:
            self._percent_styles = _percent_styles(self.book.parts.get("xl/styles.xml", b""))
        return self._percent_styles

    def _sheet_details(self, sheet: str) -> dict[tuple[int, int], tuple[int, bool]]:
        if sheet not in self._details:
            xml = self.book.parts.get(self._parts().get(sheet, ""), b"")
            self._details[sheet] = _cell_details(xml)
        return self._details[sheet]


_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _xlsx_sheet_parts(parts: dict[str, bytes]) -> dict[str, str]:
    """Sheet name → part path, from xl/workbook.xml and its relationships."""
    from defusedxml.ElementTree import fromstring

    try:
        rels = {
            el.get("Id"): el.get("Target", "")
            for el in fromstring(parts.get("xl/_rels/workbook.xml.rels", b"<r/>")).iter()
            if _local(el.tag) == "Relationship"
        }
        out = {}
        for el in fromstring(parts.get("xl/workbook.xml", b"<r/>")).iter():
            if _local(el.tag) == "sheet":
                target = rels.get(el.get(_NS_REL) or el.get("id") or "", "")
                target = target.lstrip("/")
                if not target.startswith("xl/"):
                    target = "xl/" + target
                out[el.get("name", "")] = target
        return out
    except Exception:  # noqa: BLE001 - formats are a refinement; without them values still read
        return {}


_BUILTIN_PERCENT = {9, 10}


def _percent_styles(styles: bytes) -> set[int]:
    """Indexes of cell formats (cellXfs) whose number format shows a percentage."""
    from defusedxml.ElementTree import fromstring

    if not styles:
        return set()
    try:
        root = fromstring(styles)
    except Exception:  # noqa: BLE001
        return set()
    percent_fmts = set(_BUILTIN_PERCENT)
    xfs = None
    for el in root:
        name = _local(el.tag)
        if name == "numFmts":
            for nf in el:
                code = re.sub(r'"[^"]*"|\\.', "", nf.get("formatCode", ""))
                if "%" in code:
                    percent_fmts.add(int(nf.get("numFmtId", "-1")))
        elif name == "cellXfs":
            xfs = el
    if xfs is None:
        return set()
    return {i for i, xf in enumerate(xfs) if int(xf.get("numFmtId", "0")) in percent_fmts}


_CELL = re.compile(
    rb"<(?P<p>(?:[A-Za-z_][\w.-]*:)?)c\b(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</(?P=p)c>)", re.DOTALL
)
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_ATTR_R = re.compile(rb'\sr="([A-Z]{1,3})([0-9]{1,7})"')
_ATTR_S = re.compile(rb'\ss="([0-9]+)"')


def _cell_details(xml: bytes) -> dict[tuple[int, int], tuple[int, bool]]:
    """(row, col) 0-based → (style index, has a formula)."""
    out = {}
    for m in _CELL.finditer(xml):
        attrs = m.group("attrs")
        r = _ATTR_R.search(attrs)
        if r is None:
            continue
        col = 0
        for ch in r.group(1):
            col = col * 26 + ch - 64
        s = _ATTR_S.search(attrs)
        body = m.group("body") or b""
        has_f = _FORMULA.search(body) is not None
        out[(int(r.group(2)) - 1, col - 1)] = (int(s.group(1)) if s else 0, has_f)
    return out
