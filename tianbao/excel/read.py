"""Reading a workbook someone sent us into sheets of plain values, and the cell formats calamine
does not report — in a worker process with limits (``tianbao.excel.sandbox``).

:func:`read_book` is what the rest of the program calls: it runs :func:`read_workbook` (the checks
of ``tianbao.excel.safety``, then calamine) in the sandbox and returns plain data, or raises a
``KnownError`` with a Chinese message — whatever the file does to the parser.

Calamine returns cached values for formula cells and plain fractions for percent-formatted
cells (98.5% is stored as 0.985).  Where that matters — a value of a % indicator between 0 and
2, or a sheet that contains formulas — the percent-formatted and formula cells noted while the
sheet XML was checked are consulted; for .xls neither is available and the caller falls back on
the numerator and denominator (see ``tianbao.excel.match``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from tianbao.excel import sandbox
from tianbao.excel.safety import (
    MAX_CELLS,
    BookInfo,
    Closed,
    DamagedWorkbook,
    ImportError_,
    SafeBook,
    _damaged,
    _encrypted,
    _huge,
    open_safely,
    pos_key,
)
from tianbao.excel.xmlscan import sheet_targets


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


def read_book(path: str | Path) -> tuple[BookInfo, list[Sheet]]:
    """Check and read a workbook in the sandbox: its formats and every sheet (hidden ones too).

    Raises a ``KnownError`` (an :class:`ImportError_` or ``sandbox.FileRefused``) for any file
    that cannot be read, with a Chinese message; never the parser's own exception."""
    path = Path(path)
    return sandbox.run(read_workbook, path, name=path.name)


def read_workbook(path: Path, closed: Closed | None = None) -> tuple[BookInfo, list[Sheet]]:
    """The worker's side of :func:`read_book` (also callable in-process, e.g. by benchmarks).

    ``closed``: sheets left closed in one of our own workbooks (``open_safely``); they are not
    among the sheets returned, and ``BookInfo.deferred`` names them."""
    book = open_safely(path, closed)
    try:
        sheets = read_sheets(book)
    except ImportError_:
        if not book.deferred:
            raise
        book = open_safely(path)  # a part the parser needed was left closed: read it all
        sheets = read_sheets(book)
    percent: dict[str, frozenset[int]] = {}
    formulas: dict[str, frozenset[int]] = {}
    if book.format == "ods":
        percent = {t: frozenset(c) for t, c in book.percent.items()}
    elif book.format == "xlsx":
        for sheet, part in _xlsx_sheet_parts(book).items():
            if part in book.percent:
                percent[sheet] = frozenset(book.percent[part])
            if part in book.formulas:
                formulas[sheet] = frozenset(book.formulas[part])
    info = BookInfo(
        book.path, book.format, book.sha256, book.size, percent, formulas, book.deferred
    )
    return info, sheets


def read_sheets(book: SafeBook) -> list[Sheet]:
    """Every sheet (hidden ones too) of a checked workbook, as values from A1."""
    from python_calamine import CalamineWorkbook, PasswordError

    try:
        if book.format == "xls":
            # An encrypted .xls defeats calamine's sniffing of bytes; by path it reads the
            # extension (checked to be .xls) and reports the password.
            wb = CalamineWorkbook.from_path(str(book.path))
        else:
            wb = CalamineWorkbook.from_filelike(io.BytesIO(book.data))
    except PasswordError as e:
        raise _encrypted(book.name) from e
    except MemoryError:
        raise
    except BaseException as e:  # calamine errors and panics (PanicException) alike
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        raise _unreadable(book, e) from None
    sheets: list[Sheet] = []
    total = 0
    try:
        for i, meta in enumerate(wb.sheets_metadata):
            if str(meta.typ).split(".")[-1] not in ("WorkSheet",) or meta.name in book.deferred:
                continue
            sh = wb.get_sheet_by_name(meta.name)
            end = sh.end
            if end is not None:
                total += (end[0] + 1) * (end[1] + 1)
                if total > MAX_CELLS:
                    raise _huge(book.name)
            rows = sh.to_python(skip_empty_area=False) if end is not None else []
            visible = str(meta.visible).split(".")[-1] == "Visible"
            sheets.append(Sheet(str(meta.name), i, visible, rows))
    except ImportError_:
        raise
    except PasswordError as e:
        raise _encrypted(book.name) from e
    except MemoryError:
        raise
    except BaseException as e:  # as above
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        raise _unreadable(book, e) from None
    finally:
        wb.close()
    if not sheets:
        raise _damaged(book.name, "没有任何工作表")
    return sheets


def _unreadable(book: SafeBook, e: BaseException) -> DamagedWorkbook:
    """A parser failure as a damaged file; the parser's own (English) text stays out of it."""
    kind = {"xls": ".xls 工作簿", "ods": "ODS 表格", "xlsx": ".xlsx 工作簿"}[book.format]
    return _damaged(book.name, f"{kind}的内容无法解析")


def _xlsx_sheet_parts(book: SafeBook) -> dict[str, str]:
    """Sheet name → part path, from xl/workbook.xml and its relationships."""
    known = {p.lower(): p for p in (*book.percent, *book.formulas)}
    parts = book.parts
    listed = sheet_targets(
        book.name,
        parts.get("xl/workbook.xml", b"<r/>"),
        parts.get("xl/_rels/workbook.xml.rels", b"<r/>"),
    )
    return {name: known.get(target.lower(), target) for name, target in listed}


# --- cell formats (xlsx and ods) -------------------------------------------------------------


class Formats:
    """Percent formats and formulas of a workbook's cells, as noted in the worker."""

    def __init__(self, book: BookInfo):
        self.book = book

    @property
    def known(self) -> bool:
        """Whether formats can be told at all (not for .xls)."""
        return self.book.format in ("xlsx", "ods")

    def is_percent(self, sheet: str, row: int, col: int) -> bool:
        return pos_key(row, col) in self.book.percent.get(sheet, ())

    def has_formulas(self, sheet: str) -> bool:
        return bool(self.book.formulas.get(sheet))

    def is_formula(self, sheet: str, row: int, col: int) -> bool:
        """Whether an .xlsx cell holds a formula (its cached value is what calamine returns)."""
        return pos_key(row, col) in self.book.formulas.get(sheet, ())
