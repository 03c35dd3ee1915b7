"""The layout of Tianbao's Excel returns, shared by the writer (``xlsx_export``) and the reader
(``xlsx_import``).

A return workbook has one sheet per plan domain, a 情况说明 sheet, and a very hidden, protected
sheet ``_tianbao`` that says what the workbook is (format version, plan id and version, unit,
year, fingerprint) and where each input cell was written.  The reader never trusts those
positions alone: every data row also carries the indicator code and the disaggregation label in
visible columns, so rows re-sorted by a colleague, sheets renamed, or columns inserted still
match by indicator code and cell.

The hidden sheet also records each input as it was exported, so an import can tell a value the
colleague changed (file ≠ exported) from one changed in the database since the export
(database ≠ exported): only the first is applied, and only both together are a conflict.  It
records the signature footer as exported too (``signoff_*`` keys; files written before that have
none, and their footer is compared two-way).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date, datetime

from tianbao.domain.errors import KnownError
from tianbao.domain.values import CELL_LABELS, TOTAL, Entry, SignOff

FORMAT_VERSION = 1
MAX_INPUTS = 100_000  # rows of the hidden sheet's input table read at most
META_SHEET = "_tianbao"
NOTES_SHEET = "情况说明"
INSTRUCTIONS_SHEET, EXPLANATIONS_SHEET = "填报说明", "指标解释"
# The sheets a return carries for people to read, never read back: in a file with the hidden
# sheet, the readers leave them closed (``tianbao.excel.readfile``).
READ_ONLY_SHEETS = frozenset({INSTRUCTIONS_SHEET, EXPLANATIONS_SHEET, NOTES_SHEET})
EXPLANATION = "#说明"  # the key of an indicator's explanation beside its (indicator, cell) keys
SIGNOFF_KEY = "#签署"  # (SIGNOFF_KEY, field) is the key of a signature footer field

# Column numbers (1-based) of a domain sheet.
SEQ, CODE, NAME, GROUP, UNIT, TARGET, PREVIOUS, NUMBER, NUMERATOR, DENOMINATOR, STATUS, NOTE = (
    range(1, 13)
)
LAST_COLUMN = NOTE
# 数据来源: on an assembled return only, beside 说明 — where each value came from, and a
# qualitative goal's tally (是 9，部分 2，否 0), which the import reads back.
SOURCE = NOTE + 1
SOURCE_LABEL = "数据来源"
HEADER_ROW, SUBHEADER_ROW, CODE_ROW, FIRST_DATA_ROW = 6, 7, 8, 9
# The column-code row under the headings (甲乙丙 for the description columns, 1 2 3 4 for the
# figures), as on the printed form; the import skips it (``is_code_row``).
COLUMN_CODES = {
    SEQ: "甲",
    CODE: "乙",
    NAME: "丙",
    GROUP: "丁",
    UNIT: "戊",
    TARGET: "己",
    PREVIOUS: "1",
    NUMBER: "2",
    NUMERATOR: "3",
    DENOMINATOR: "4",
    STATUS: "庚",
    NOTE: "辛",
    SOURCE: "壬",
}
CODE_LETTERS = frozenset("甲乙丙丁戊己庚辛壬癸")


def is_code_row(code: object, name: object) -> bool:
    """The 甲乙丙 row under a form's headings: not a data row."""
    return str(code or "").strip() in CODE_LETTERS and str(name or "").strip() in CODE_LETTERS


MARK_COLUMN = STATUS  # the form marks sit top right, over 达标情况 and 说明

COLUMN_LABELS = {
    SEQ: "序号",
    CODE: "指标代码",
    NAME: "指标名称",
    GROUP: "分组",
    UNIT: "计量单位",
    TARGET: "目标值",
    PREVIOUS: "上年值",
    NUMBER: "本年值",
    STATUS: "达标情况",
    NOTE: "说明",
}
SUBCOLUMN_LABELS = {NUMBER: "数值", NUMERATOR: "分子", DENOMINATOR: "分母"}
COLUMN_WIDTHS = {
    SEQ: 5,
    CODE: 9,
    NAME: 34,
    GROUP: 8,
    UNIT: 8,
    TARGET: 20,
    PREVIOUS: 10,
    NUMBER: 11,
    NUMERATOR: 11,
    DENOMINATOR: 11,
    STATUS: 11,
    NOTE: 30,
}

FORM_MARKS = (
    ("table_no", "表　　号"),
    ("made_by", "制定机关"),
    ("approved_by", "批准机关"),
    ("approval_no", "批准文号"),
    ("valid_until", "有效期至"),
)
SIGNOFF = (
    ("unit_head", "单位负责人"),
    ("stats_head", "统计负责人"),
    ("filled_by", "填表人"),
    ("phone", "联系电话"),
    ("report_date", "报出日期"),
)

# Disaggregation labels as shown in the 分组 column, and back.
GROUP_LABEL = CELL_LABELS
GROUP_OF_LABEL = {label: key for key, label in GROUP_LABEL.items()}
GROUP_OF_LABEL.update(
    {
        "": TOTAL,
        "总计": TOTAL,
        "全部": TOTAL,
        "合计数": TOTAL,
        "小计": TOTAL,
        "男性": "sex=male",
        "女性": "sex=female",
        "城市": "urban_rural=urban",
        "乡村": "urban_rural=rural",
    }
)

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


def clean_text(text: str) -> str:
    """Text as it can be stored in a workbook: no XML-illegal control characters."""
    return _ILLEGAL.sub("", text)


def sheet_title(name: str, taken: set[str]) -> str:
    """A legal, unique sheet name (≤31 characters, none of []:*?/\\)."""
    base = _SHEET_BAD.sub("_", clean_text(name)).strip("'") or "表"
    title, n = base[:31], 1
    while title.lower() in taken or title == META_SHEET:
        n += 1
        title = f"{base[:28]}({n})"
    taken.add(title.lower())
    return title


def group_key(label: object) -> str | None:
    """The cell key of a 分组 label ('女' → 'sex=female'), None if unknown."""
    text = re.sub(r"\s+", "", str(label or ""))
    text = text.removeprefix("其中：").removeprefix("其中:")
    return GROUP_OF_LABEL.get(text)


# --- the hidden sheet ------------------------------------------------------------------------


@dataclass(frozen=True)
class InputRow:
    """Where one (indicator, cell) was written, and what it held then."""

    indicator: str
    cell: str
    sheet: str
    row: int
    number_col: int
    numerator_col: int  # 0 when the indicator has no numerator/denominator
    denominator_col: int
    explanation_col: int  # 0 on breakdown rows: an explanation belongs to the indicator
    exported: Entry
    exported_explanation: str


@dataclass(frozen=True)
class BookMeta:
    format: int
    kind: str  # return | template | compiled
    plan_id: str
    plan_version: int
    plan_fingerprint: str
    unit_code: str
    unit_name: str
    year: int
    fingerprint: str
    exported_at: str
    program: str
    inputs: tuple[InputRow, ...]
    signoff: SignOff | None = None  # the footer as exported; None in files written before it was
    status: str = ""  # the return's status when exported (draft | submitted); "" in older files

    def rows(self) -> list[list[object]]:
        """The hidden sheet's content: key/value pairs, a blank row, then the input table."""
        out: list[list[object]] = [
            ["format", self.format],
            ["kind", self.kind],
            ["plan_id", self.plan_id],
            ["plan_version", self.plan_version],
            ["plan_fingerprint", self.plan_fingerprint],
            ["unit_code", self.unit_code],
            ["unit_name", self.unit_name],
            ["year", self.year],
            ["fingerprint", self.fingerprint],
            ["exported_at", self.exported_at],
            ["program", self.program],
            *([["status", self.status]] if self.status else []),
            *(
                [[f"signoff_{key}", signoff_text(self.signoff, key)] for key, _ in SIGNOFF]
                if self.signoff is not None
                else []
            ),
            [],
            [
                "indicator",
                "cell",
                "sheet",
                "row",
                "number_col",
                "numerator_col",
                "denominator_col",
                "explanation_col",
                "exported",
                "exported_explanation",
            ],
        ]
        for r in self.inputs:
            out.append(
                [
                    r.indicator,
                    r.cell,
                    r.sheet,
                    r.row,
                    r.number_col,
                    r.numerator_col,
                    r.denominator_col,
                    r.explanation_col,
                    entry_to_json(r.exported),
                    r.exported_explanation,
                ]
            )
        return out


class MetaError(KnownError):
    """The hidden sheet is there but unreadable."""


def parse_meta(rows: list[list[object]]) -> BookMeta:
    """Read the hidden sheet back (values as any reader returns them: str, float, int)."""
    kv: dict[str, object] = {}
    i = 0
    while i < len(rows) and rows[i] and _s(rows[i][0]) not in ("", "indicator"):
        kv[_s(rows[i][0])] = rows[i][1] if len(rows[i]) > 1 else ""
        i += 1
    while i < len(rows) and (not rows[i] or _s(rows[i][0]) != "indicator"):
        i += 1
    try:
        fmt = _int(kv.get("format"))
        if fmt > FORMAT_VERSION:
            raise MetaError(
                f"该文件由更新版本的 Tianbao 生成（文件格式第 {fmt} 版，本程序支持第 "
                f"{FORMAT_VERSION} 版）。请升级 Tianbao 后再导入。"
            )
        inputs = []
        for r in rows[i + 1 : i + 1 + MAX_INPUTS]:
            if not r or not _s(r[0]):
                continue
            r = list(r) + [""] * (10 - len(r))
            inputs.append(
                InputRow(
                    indicator=_s(r[0]),
                    cell=_s(r[1]),
                    sheet=_s(r[2]),
                    row=_int(r[3], 1, 1_048_576),
                    number_col=_int(r[4], 1, 16_384),
                    numerator_col=_int(r[5] or 0, 0, 16_384),
                    denominator_col=_int(r[6] or 0, 0, 16_384),
                    explanation_col=_int(r[7] or 0, 0, 16_384),
                    exported=entry_from_json(_s(r[8])),
                    exported_explanation=_s(r[9]),
                )
            )
        return BookMeta(
            format=fmt,
            kind=_s(kv.get("kind")) or "return",
            plan_id=_code(kv["plan_id"]),
            plan_version=_int(kv["plan_version"], 1, 1_000_000),
            plan_fingerprint=_s(kv.get("plan_fingerprint")),
            unit_code=_code(kv["unit_code"]),
            unit_name=_s(kv.get("unit_name")),
            year=_int(kv["year"], 1900, 2200),
            fingerprint=_s(kv.get("fingerprint")),
            exported_at=_s(kv.get("exported_at")),
            program=_s(kv.get("program")),
            inputs=tuple(inputs),
            signoff=SignOff(
                **{key: signoff_value(key, _s(kv.get(f"signoff_{key}"))) for key, _ in SIGNOFF}
            )
            if any(k.startswith("signoff_") for k in kv)
            else None,
            status=_s(kv.get("status")),
        )
    except MetaError:
        raise
    except (KeyError, ValueError, TypeError, OverflowError, RecursionError) as e:
        raise MetaError(
            "文件中 Tianbao 的隐藏识别表已损坏，无法确认单位、计划和年份。"
            "请向报送单位索取原文件，或从程序重新导出空白表发给对方填写。"
        ) from e


def _s(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _code(v: object) -> str:
    """A unit code or plan id of the hidden sheet: never empty (ValueError: a damaged sheet)."""
    text = _s(v)
    if not text or len(text) > 64:
        raise ValueError(v)
    return text


def _int(v: object, low: int = 0, high: int = 1_000_000) -> int:
    """An integer field of the hidden sheet, within [low, high] (ValueError otherwise: a year
    of twenty digits is a damaged sheet, not a number to store)."""
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, float):
        if not v.is_integer():
            raise ValueError(v)
        n = int(v)
    elif isinstance(v, int):
        n = v
    else:
        text = str(v).strip()
        if len(text) > 12:
            raise ValueError(v)
        n = int(text)
    if not low <= n <= high:
        raise ValueError(v)
    return n


def entry_to_json(e: Entry) -> str:
    if e.empty:
        return ""
    d = {k: getattr(e, k) for k in ("number", "numerator", "denominator", "choice", "text")}
    if e.tally is not None:
        d["tally"] = list(e.tally)
    return json.dumps({k: v for k, v in d.items() if v not in (None, "")}, ensure_ascii=False)


def entry_from_json(text: str) -> Entry:
    if not text:
        return Entry()
    if len(text) > 100_000:
        raise ValueError("too long")
    d = json.loads(text)
    if not isinstance(d, dict):
        raise ValueError(text)
    num = {
        k: float(d[k]) if d.get(k) is not None else None
        for k in ("number", "numerator", "denominator")
    }
    if any(v is not None and not math.isfinite(v) for v in num.values()):
        raise ValueError(text)
    for k in ("choice", "text"):
        if d.get(k) is not None and not isinstance(d[k], str):
            raise ValueError(text)
    tally = d.get("tally")
    if tally is not None:
        tally = tuple(int(n) for n in tally)
        if len(tally) != 3 or any(not 0 <= n <= 1_000_000_000 for n in tally):
            raise ValueError(text)
    return Entry(**num, choice=d.get("choice"), text=d.get("text"), tally=tally)


def signoff_text(signoff: SignOff, key: str) -> str:
    """One field of a sign-off as text (报出日期 as 2025-01-15), "" if empty."""
    value = getattr(signoff, key)
    return value.isoformat() if isinstance(value, date) else (value or "")


def signoff_value(key: str, text: str) -> str | date | None:
    """The field back from :func:`signoff_text`."""
    if key == "report_date":
        return date.fromisoformat(text) if text else None
    return text


def now_text() -> str:
    return datetime.now().isoformat(timespec="seconds")
