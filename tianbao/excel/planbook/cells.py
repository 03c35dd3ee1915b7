"""Reading a plan workbook's cells and rows as people type them: text, numbers, lists, sources."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from tianbao.excel.planbook.layout import (
    _DATA_COL,
    _SHEET_ORDER,
    PlanbookProblem,
    _Enum,
    _key,
)

# ---------------------------------------------------------------------------------------
# Reading: cell values


_STRIP = " \t\r\n\u3000\u00a0\u200b\ufeff"
_NUM_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS_RE = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")


class _Bad(ValueError):
    """A cell value that cannot be used; the message is Chinese."""


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip(_STRIP))


def _shown(v: Any) -> str:
    """A cell value as quoted in a message."""
    text = str(v).strip(_STRIP)
    return text if len(text) <= 40 else text[:40] + "…"


def _as_text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat(sep=" ")
    if isinstance(v, (date, time)):
        return v.isoformat()
    return str(v)


def _as_number(v: Any, number_format: str = "") -> float | int:
    if isinstance(v, bool):
        raise _Bad(f"应为数字，而不是“{_shown(v)}”")
    if isinstance(v, (int, float)):
        if not math.isfinite(v):
            raise _Bad("应为数字")
        if "%" in (number_format or ""):  # typed as 96% in Excel: stored 0.96, meant 96
            return round(v * 100, 9)
        return v
    if isinstance(v, str):
        s = unicodedata.normalize("NFKC", v).replace("\u2212", "-")
        s = re.sub(r"\s+", "", s).strip(_STRIP)
        if _THOUSANDS_RE.fullmatch(s.rstrip("%‰")):
            s = s.replace(",", "")
        if s[-1:] in ("%", "‰"):
            s = s[:-1]
        if _NUM_RE.fullmatch(s):
            if re.fullmatch(r"[+-]?\d+", s):
                return int(s)
            if math.isfinite(f := float(s)):
                return f
    raise _Bad(f"应为数字，而不是“{_shown(v)}”")


def _as_int(v: Any, what: str) -> int:
    if isinstance(v, str):
        s = unicodedata.normalize("NFKC", v).strip(_STRIP)
        s = re.sub(r"^第\s*|\s*[年行]$", "", s)
        v = s
    try:
        n = _as_number(v)
    except _Bad:
        raise _Bad(f"应为{what}（整数），而不是“{_shown(v)}”") from None
    if isinstance(n, float):
        if not n.is_integer():
            raise _Bad(f"应为{what}（整数），而不是“{_shown(v)}”")
        n = int(n)
    return n


def _as_code(v: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", _as_text(v))).strip(_STRIP)


_SEP_RE = re.compile(r"[,，;；\n\r]+")


def _split_list(text: str) -> list[str]:
    """Split on commas, semicolons, new lines, and 、 outside brackets (县（市、区）卫健局)."""
    items: list[str] = []
    depth = 0
    cur = ""
    for ch in text:
        if ch in "(（[【":
            depth += 1
        elif ch in ")）]】":
            depth = max(0, depth - 1)
        if _SEP_RE.fullmatch(ch) or (ch == "、" and depth == 0):
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    return [s.strip(_STRIP) for s in items if s.strip(_STRIP)]


_SOURCE_RE = re.compile(r"(?:第\s*)?([0-9０-９]+)\s*(?:行)?\s*[:：]\s*(.*)", re.S)


def _parse_sources(text: str) -> list[dict[str, Any]]:
    out = []
    for raw in text.splitlines():
        item = raw.strip(_STRIP)
        if not item:
            continue
        m = _SOURCE_RE.fullmatch(item)
        if not m or not m.group(2).strip(_STRIP):
            raise _Bad(f"“{_shown(item)}”应写成“行号：原文”，如 94：婴儿死亡率降至3.4‰以下")
        out.append(
            {
                "line": int(unicodedata.normalize("NFKC", m.group(1))),
                "quote": m.group(2).strip(_STRIP),
            }
        )
    return out


def _same_text(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip(_STRIP) == b.replace("\r\n", "\n").strip(_STRIP)


# ---------------------------------------------------------------------------------------
# Reading: sheets and rows


class _Problems:
    def __init__(self) -> None:
        self.items: list[PlanbookProblem] = []
        self.cells: set[tuple[str | None, int | None, str | None]] = set()

    def add(self, sheet: str | None, row: int | None, column: str | None, message: str) -> None:
        p = PlanbookProblem(sheet, row, column, message)
        if p not in self.items:
            self.items.append(p)
        self.cells.add((sheet, row, column))

    def sorted(self) -> list[PlanbookProblem]:
        return sorted(self.items, key=lambda p: (_SHEET_ORDER.get(p.sheet or "", -1), p.row or 0))


def _header_key(text: Any) -> str:
    """Header as matched: NFKC, no spaces, a trailing “（…）” explanation dropped."""
    s = _key(_as_text(text)) if not _blank(text) else ""
    return re.sub(r"\(.*\)$", "", s) if s != _key(_DATA_COL) else s


class _Row:
    """A data row of a table sheet, with helpers that record problems by column."""

    def __init__(self, sheet: str, number: int, cells: dict[str, Any], problems: _Problems):
        self.sheet = sheet
        self.index = number
        self.cells = cells
        self.problems = problems

    def error(self, column: str | None, message: str) -> None:
        self.problems.add(self.sheet, self.index, column, message)

    def raw(self, column: str) -> Any:
        cell = self.cells.get(column)
        v = getattr(cell, "value", None)
        return None if _blank(v) else v

    def text(self, column: str) -> str | None:
        v = self.raw(column)
        return None if v is None else _as_text(v).strip(_STRIP)

    def verbatim(self, column: str) -> str:
        """Free text (notes, quotes) as typed, so that it round-trips exactly."""
        v = self.raw(column)
        return "" if v is None else _as_text(v)

    def code(self, column: str) -> str | None:
        v = self.raw(column)
        return None if v is None else _as_code(v)

    def number(self, column: str) -> float | int | None:
        v = self.raw(column)
        if v is None:
            return None
        try:
            return _as_number(v, getattr(self.cells.get(column), "number_format", ""))
        except _Bad as e:
            self.error(column, str(e))
            return None

    def integer(self, column: str, what: str) -> int | None:
        v = self.raw(column)
        if v is None:
            return None
        try:
            return _as_int(v, what)
        except _Bad as e:
            self.error(column, str(e))
            return None

    def enum(self, column: str, enum: _Enum) -> str | None:
        v = self.raw(column)
        if v is None:
            return None
        code = enum.lookup(_as_text(v))
        if code is None:
            self.error(column, enum.unknown(_shown(v)))
        return code

    def pair(self, low_col: str, high_col: str) -> list[float | int] | None:
        low, high = self.number(low_col), self.number(high_col)
        if (low is None) != (high is None):
            missing = high_col if high is None else low_col
            if (self.sheet, self.index, missing) not in self.problems.cells and (
                self.raw(missing) is None
            ):
                self.error(missing, f"“{low_col}”和“{high_col}”要同时填写或同时留空")
            return None
        return None if low is None else [low, high]


def _rows(ws: Any) -> list[tuple[int, list[Any]]]:
    ws.reset_dimensions()  # some writers store a wrong sheet size; read every row
    return [(i, list(row)) for i, row in enumerate(ws.iter_rows(), start=1)]


def _table(
    ws: Any, sheet: str, columns: Iterable[str], required: Iterable[str], problems: _Problems
) -> list[_Row] | None:
    """The data rows of a table sheet, keyed by header; None if its header is unusable."""
    rows = _rows(ws)
    known = {_header_key(c): c for c in columns}
    required = list(required)
    header_at = None
    for i, cells in rows[:10]:
        keys = {_header_key(getattr(c, "value", None)) for c in cells}
        if _header_key(required[0]) in keys:
            header_at = i
            break
    if header_at is None:
        problems.add(sheet, None, None, f"找不到表头（第一行应有“{required[0]}”等列名）")
        return None
    index: dict[str, int] = {}
    for pos, cell in enumerate(rows[header_at - 1][1]):
        k = _header_key(getattr(cell, "value", None))
        if k in known:
            name = known[k]
            if name in index:
                problems.add(sheet, header_at, name, "表头重复，无法确定用哪一列")
            else:
                index[name] = pos
    missing = [c for c in required if c not in index]
    for c in missing:
        problems.add(sheet, None, c, "缺少这一列（不要删除或改名）")
    if missing:
        return None
    out = []
    for i, cells in rows[header_at:]:
        by_name = {name: cells[pos] for name, pos in index.items() if pos < len(cells)}
        if all(_blank(getattr(c, "value", None)) for c in by_name.values()):
            continue
        out.append(_Row(sheet, i, by_name, problems))
    return out


@dataclass
class _Where:
    """Where each part of the plan came from, to put catalogue problems back on their rows."""

    plan_rows: dict[str, int] = field(default_factory=dict)
    domain_rows: dict[str, int] = field(default_factory=dict)
    indicator_rows: dict[str, int] = field(default_factory=dict)
    # indicator code → [(row, target dict)] in the order given to the catalogue
    target_rows: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    # sheets whose header is unusable: what depends on them is not checked
    broken: set[str] = field(default_factory=set)
