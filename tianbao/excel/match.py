"""Finding a plan's indicators in the sheets of a workbook, and reading their values tolerantly.

Rows are found by what they say, never by where they are: a header row is recognised by its
labels (指标代码 / 指标名称 and 本年值 / 数值, with common synonyms), then each row below is
matched by its indicator code, else by its name, and its 分组 label ('女', '其中：农村' …).
That survives re-sorted rows, renamed sheets, inserted columns and the re-saving of a file by
WPS or LibreOffice, and the same matcher serves a colleague's own layout ("foreign" files),
where the result is only a proposal the user confirms.

The values of the matched rows are read by ``tianbao.excel.readvalues``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tianbao.domain.catalogue import Indicator, Plan
from tianbao.domain.values import TOTAL, Entry, cells_of
from tianbao.excel.layout import META_SHEET, group_key, is_code_row
from tianbao.excel.read import Sheet

if TYPE_CHECKING:
    from tianbao.services.returns import SignOff

CODE_WORDS = {"指标代码", "代码", "指标编码", "编码", "指标编号", "编号", "code", "indicator"}
NAME_WORDS = {"指标名称", "指标", "名称", "监测指标", "指标项", "项目", "指标内容", "name"}
GROUP_WORDS = {"分组", "分类", "性别", "类别", "分项", "group"}
NUMBER_WORDS = {
    "数值",
    "本年值",
    "本年",
    "本期",
    "本期值",
    "本年数",
    "本年数值",
    "填报值",
    "实际值",
    "当年值",
    "完成值",
    "完成情况",
    "数据",
    "值",
    "value",
    "监测值",
    "本年度",
}
NOTE_WORDS = {"说明", "备注", "情况说明", "原因说明", "原因", "note"}
SOURCE_WORDS = {"数据来源", "来源", "source"}
MAX_HEADER_SCAN = 40

_PAREN = re.compile(r"[（(][^）)]*[)）]")
_YEAR = re.compile(r"^(20\d\d)年?(?:值|数|数据|数值)?$")
_ANY_YEAR = re.compile(r"(20\d\d)\s*年")
_UNIT_LINE = re.compile(r"(?:填报单位|单位名称|综合机关名称|填表单位|报送单位)[:：]\s*(\S+)")
_UNIT_LABEL = re.compile(r"(?:填报单位|单位名称|综合机关名称|填表单位|报送单位)[:：]?")
_PERIOD = re.compile(r"(?:报告期|统计期|年度|时期)?[:：]?(20\d\d)年度?")


def norm(v: object) -> str:
    """A label for comparison: NFKC, no spaces, no bracketed notes, lower case, no trailing colon."""
    text = v if isinstance(v, str) else str(v or "")
    return _norm(text) if len(text) <= _CACHED else _norm.__wrapped__(text)


_CACHED = 200  # longer texts are not cached (a hostile file's cannot fill memory)


_SPACE = re.compile(r"\s+")


@functools.lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    # Cached: a folder's files repeat the same labels and indicator names (issue 19).
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).rstrip(":：").lower()


def norm_name(v: object) -> str:
    text = norm(v)
    return _norm_name(text) if len(text) <= _CACHED else _norm_name.__wrapped__(text)


@functools.lru_cache(maxsize=8192)
def _norm_name(text: str) -> str:
    return _PAREN.sub("", text).replace("“", "").replace("”", "").replace('"', "")


@dataclass(frozen=True)
class Header:
    row: int  # 0-based row of the labels
    code: int | None
    name: int | None
    group: int | None
    number: int
    numerator: int | None
    denominator: int | None
    note: int | None
    year: int | None = None  # the year named in the value column's label, if any
    source: int | None = None  # 数据来源 (an assembled return): a qualitative goal's tally


def find_header(sheet: Sheet, year: int | None = None) -> Header | None:
    """The first row (of the first 40) with a code or name column and a value column."""
    rows = sheet.rows
    below = _labels(rows[0]) if rows else {}
    for r in range(min(MAX_HEADER_SCAN, len(rows))):
        here = below
        below = _labels(rows[r + 1]) if r + 1 < len(rows) else {}
        code = _first(here, CODE_WORDS)
        name = _first(here, NAME_WORDS)
        if code is None and name is None:
            continue
        labels = {**here, **{c: t for c, t in below.items() if c not in here or t in ("数值",)}}
        number, label_year = _value_column(labels, year)
        if number is None:
            continue
        return Header(
            row=r,
            code=code,
            name=name,
            group=_first(here, GROUP_WORDS),
            number=number,
            numerator=_first(labels, {"分子"}, prefix=True),
            denominator=_first(labels, {"分母"}, prefix=True),
            note=_first(here, NOTE_WORDS),
            year=label_year,
            source=_first(here, SOURCE_WORDS),
        )
    return None


def _labels(row: list[object]) -> dict[int, str]:
    """The short texts of a row (a header label is short; titles and notes are not)."""
    return {
        c: norm(v)
        for c, v in enumerate(row)
        if isinstance(v, str) and 0 < len(v) <= 24 and v.strip()
    }


def _first(labels: dict[int, str], words: set[str], prefix: bool = False) -> int | None:
    for c, t in sorted(labels.items()):
        base = _unbracketed(t)
        if base in words or (prefix and any(base.startswith(w) for w in words)):
            return c
    return None


@functools.lru_cache(maxsize=4096)
def _unbracketed(label: str) -> str:
    """A short label (at most 24 characters, see _labels) without its bracketed notes; cached,
    the same labels come back in every sheet of every file of a folder (issue 19)."""
    return _PAREN.sub("", label)


def _value_column(labels: dict[int, str], year: int | None) -> tuple[int | None, int | None]:
    by_year = {}
    for c, t in labels.items():
        m = _YEAR.match(_unbracketed(t))
        if m:
            by_year.setdefault(int(m.group(1)), c)
    if "数值" in labels.values():
        return min(c for c, t in labels.items() if t == "数值"), None
    if year is not None and year in by_year:
        return by_year[year], year
    word = _first(labels, NUMBER_WORDS)
    if word is not None:
        return word, None
    if by_year:
        y = max(by_year)
        return by_year[y], y
    return None, None


# --- matching rows to indicators --------------------------------------------------------------


@dataclass(frozen=True)
class MappedRow:
    """One data row of the file and the indicator cell it was matched to (None: not matched)."""

    sheet: str
    row: int  # 0-based
    label: str  # the code or name as written in the file
    indicator: str | None
    cell: str
    how: str  # code | name | similar | group | position | ""

    @property
    def where(self) -> str:
        return f"{self.sheet}!第{self.row + 1}行"


@dataclass
class Issue:
    severity: str  # block | error | warn | info
    message: str
    indicator: str = ""
    cell: str = ""
    where: str = ""


@dataclass
class Content:
    """What a workbook says about one return."""

    values: dict[tuple[str, str], Entry] = field(default_factory=dict)
    explanations: dict[str, str] = field(default_factory=dict)
    where: dict[tuple[str, str], str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    mapping: list[MappedRow] = field(default_factory=list)
    matched_by: dict[str, int] = field(default_factory=dict)  # how → rows
    signoff: SignOff | None = None  # the signature footer (``xlsx_signoff``), None if none


def match_rows(
    sheets: list[Sheet],
    plan: Plan,
    year: int | None,
    override: Mapping[tuple[str, int], str] | None = None,
) -> tuple[list[MappedRow], dict[str, Header]]:
    """Every data row of every sheet with a recognisable header, matched to the plan.

    ``override`` is the user's own choice for some rows, (sheet, 0-based row) → indicator code,
    or "" for "do not import this row"; it wins over the matching by code or name."""
    by_code = {i.code.lower(): i for i in plan.indicators}
    by_name: dict[str, list[Indicator]] = {}
    for i in plan.indicators:
        by_name.setdefault(norm_name(i.name), []).append(i)
    rows: list[MappedRow] = []
    headers: dict[str, Header] = {}
    for sheet in sheets:
        if sheet.name == META_SHEET:
            continue
        h = find_header(sheet, year)
        if h is None:
            continue
        headers[sheet.name] = h
        last: Indicator | None = None
        for r in range(h.row + 1, len(sheet.rows)):
            code = _text(sheet.value(r, h.code)) if h.code is not None else ""
            name = _text(sheet.value(r, h.name)) if h.name is not None else ""
            if (not code and not name) or is_code_row(code, name):
                continue
            group_label = sheet.value(r, h.group) if h.group is not None else ""
            cell = group_key(group_label) if group_label not in ("", None) else TOTAL
            ind, how = None, ""
            if code and code.lower() in by_code:
                ind, how = by_code[code.lower()], "code"
            elif name:
                ind, how = _by_name(name, by_name, plan)
                sub = group_key(name)
                if ind is None and sub not in (None, TOTAL) and last is not None:
                    ind, how, cell = last, "group", sub
            if override is not None and (sheet.name, r) in override:
                chosen = override[(sheet.name, r)]
                ind = (
                    next((i for i in plan.indicators if i.code == chosen), None) if chosen else None
                )
                how = "user" if ind is not None else ""
                if ind is not None and cell not in dict(cells_of(ind)):
                    cell = TOTAL
            if ind is not None and (cell is None or cell not in dict(cells_of(ind))):
                cell = None
            rows.append(
                MappedRow(
                    sheet.name,
                    r,
                    code or name,
                    ind.code if ind and cell is not None else None,
                    cell or "",
                    how if cell is not None else "",
                )
            )
            if ind is not None and how != "group":
                last = ind
    return rows, headers


def _by_name(
    name: str, by_name: dict[str, list[Indicator]], plan: Plan
) -> tuple[Indicator | None, str]:
    key = norm_name(name)
    hit = by_name.get(key, [])
    if len(hit) == 1:
        return hit[0], "name"
    if not hit and len(key) >= 4:
        similar = [
            i for k, inds in by_name.items() for i in inds if len(k) >= 4 and (k in key or key in k)
        ]
        if len(similar) == 1:
            return similar[0], "similar"
    return None, ""


def _text(v: object) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


# --- identity of a foreign file ----------------------------------------------------------------


def hints(sheets: list[Sheet]) -> tuple[str | None, int | None]:
    """The unit name and year written in the first rows of the first sheets, if any: a cell
    such as "填报单位：东城街道" (or the label and the name in two cells) and a period cell
    such as "2024年" or "报告期：2024年度"."""
    unit, periods, anywhere = None, set(), set()
    for sheet in sheets[:5]:
        if sheet.name == META_SHEET:
            continue
        for row in sheet.rows[:8]:
            texts = [
                unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else "" for v in row
            ]
            for i, v in enumerate(texts):
                if not v:
                    continue
                m = _UNIT_LINE.search(v)
                if m and unit is None:
                    unit = m.group(1).strip()
                elif unit is None and _UNIT_LABEL.fullmatch(v):
                    unit = next((t for t in texts[i + 1 :] if t), None)
                p = _PERIOD.fullmatch(re.sub(r"\s+", "", v))
                if p:
                    periods.add(int(p.group(1)))
                anywhere.update(int(y) for y in _ANY_YEAR.findall(v))
    years = periods or anywhere
    return unit, (years.pop() if len(years) == 1 else None)
