"""Plan workbooks: a plan as an .xlsx that a county office edits in Excel or WPS and imports back.

County offices set their own targets.  They export a plan (built-in or their own) with
:func:`write_plan_workbook`, change it in Excel or WPS, and import it with
:func:`read_plan_workbook`, which returns a new :class:`~tianbao.domain.catalogue.Plan`; the caller
decides whether it is a new version of the plan named in the workbook or, with ``new_id``, a
new plan.

The workbook has five sheets: 说明 (instructions, never read back), 计划 (the header as
key/value rows), 领域, 指标 and 目标 (one row per domain, indicator and target).  Columns are
found by their header, so users may reorder columns and rows, add their own columns, type
numbers as text or in full-width digits, and write enumerations in Chinese.

Reading builds plain data in the catalogue format and validates it with
:func:`~tianbao.domain.catalogue.plan_from_dict`, so a workbook obeys exactly the rules of a built-in
TOML file.  Every problem is reported (not only the first) with the sheet, row and column it is
in; catalogue problems, which name only an indicator code, are traced back to the row of the
indicator or of the target that causes them.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import tempfile
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tianbao.domain.catalogue import (
    BASES,
    BETTER,
    CHANGE_UNITS,
    DIRECTIONS,
    DISAGGREGATIONS,
    KINDS,
    OPS,
    PLAN_ID_RE,
    UNITS,
    CatalogueError,
    Indicator,
    Plan,
    Target,
    plan_from_dict,
)
from tianbao.domain.errors import KnownError

__all__ = [
    "REQUIRED_SHEETS",
    "SHEET_DOMAINS",
    "SHEET_INDICATORS",
    "SHEET_PLAN",
    "SHEET_README",
    "SHEET_TARGETS",
    "PlanbookError",
    "PlanbookProblem",
    "read_plan_workbook",
    "write_plan_workbook",
]

SHEET_README = "说明"
SHEET_PLAN = "计划"
SHEET_DOMAINS = "领域"
SHEET_INDICATORS = "指标"
SHEET_TARGETS = "目标"
REQUIRED_SHEETS = (SHEET_PLAN, SHEET_DOMAINS, SHEET_INDICATORS, SHEET_TARGETS)
_SHEET_ORDER = {s: i for i, s in enumerate(REQUIRED_SHEETS)}

# A plan workbook is a few hundred kilobytes; refuse anything absurd before unzipping it.
_MAX_BYTES = 50 * 1024 * 1024
# Rows below the data that still get drop-down lists, so that added rows have them too.
_SPARE_ROWS = 500


# ---------------------------------------------------------------------------------------
# Errors


@dataclass(frozen=True)
class PlanbookProblem:
    """One problem in a plan workbook; ``sheet``/``row``/``column`` are None where unknown."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.sheet is None:
            return self.message
        where = f"“{self.sheet}”表"
        if self.row is not None:
            where += f"第 {self.row} 行"
        if self.column is not None:
            where += f"“{self.column}”列"
        return f"{where}：{self.message}"


class PlanbookError(KnownError):
    """A plan workbook that cannot be imported.  ``problems`` lists every problem found."""

    def __init__(self, origin: str, problems: list[PlanbookProblem]):
        self.origin = origin
        self.problems = problems
        if len(problems) == 1 and problems[0].sheet is None:
            text = f"“{origin}”：{problems[0].message}"
        else:
            lines = [f"计划工作簿“{origin}”有 {len(problems)} 处错误，未导入："]
            lines += [f"  {p}" for p in problems]
            text = "\n".join(lines)
        super().__init__(text)


# ---------------------------------------------------------------------------------------
# Enumerations: the word written in the workbook, and the spellings accepted on reading


def _key(text: str) -> str:
    """Normal form for matching labels: NFKC (full-width → ASCII), no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


@dataclass(frozen=True)
class _Enum:
    what: str  # for messages: 比较方式, 值类型 …
    codes: tuple[str, ...]
    labels: Mapping[str, str] = field(default_factory=dict)  # code → word written
    aliases: Mapping[str, str] = field(default_factory=dict)  # other spelling → code

    def word(self, code: str) -> str:
        return self.labels.get(code, code)

    def choices(self) -> list[str]:
        return [self.word(c) for c in self.codes]

    def lookup(self, text: str) -> str | None:
        table: dict[str, str] = {}
        for c in self.codes:
            table[_key(c)] = c
            table[_key(self.word(c))] = c
        for alias, c in self.aliases.items():
            table[_key(alias)] = c
        return table.get(_key(text))

    def unknown(self, text: str) -> str:
        return f"未知的{self.what}“{text}”，可用：{' '.join(self.choices())}"


OP_ENUM = _Enum(
    "比较方式",
    OPS,
    aliases={
        "≤": "<=",
        "≦": "<=",
        "=<": "<=",
        "以下": "<=",
        "不高于": "<=",
        "不超过": "<=",
        "低于": "<",
        "≥": ">=",
        "≧": ">=",
        "=>": ">=",
        "以上": ">=",
        "不低于": ">=",
        "高于": ">",
        "超过": ">",
        "左右": "approx",
        "≈": "approx",
        "区间": "range",
        "范围": "range",
        "变动": "change",
        "年均增长": "growth",
        "年均增幅": "growth",
        "趋势": "direction",
        "定性": "qualitative",
    },
)
KIND_ENUM = _Enum(
    "值类型",
    KINDS,
    labels={
        "rate": "率",
        "ratio": "比值",
        "count": "计数",
        "amount": "数额",
        "duration": "时长",
        "yesno": "是否",
        "text": "文本",
    },
    aliases={
        "比率": "rate",
        "人均比": "ratio",
        "数量": "count",
        "金额": "amount",
        "是/否": "yesno",
        "定性": "yesno",
    },
)
BETTER_ENUM = _Enum(
    "优劣方向",
    BETTER,
    labels={"lower": "越小越好", "higher": "越大越好", "none": "不区分"},
    aliases={"越低越好": "lower", "越高越好": "higher", "无": "none"},
)
BASIS_ENUM = _Enum(
    "基数",
    BASES,
    labels={"base_year": "基期", "previous_year": "上年"},
    aliases={"基期年": "base_year", "上一年": "previous_year", "较上年": "previous_year"},
)
CHANGE_UNIT_ENUM = _Enum(
    "变动单位",
    CHANGE_UNITS,
    labels={"percent": "百分比", "points": "百分点"},
    aliases={"%": "percent", "个百分点": "points"},
)
DIRECTION_ENUM = _Enum(
    "趋势方向",
    DIRECTIONS,
    labels={
        "down": "下降",
        "up": "上升",
        "stable": "保持稳定",
        "not_up": "不上升",
        "not_down": "不下降",
    },
    aliases={"稳定": "stable"},
)
DISAGGREGATION_ENUM = _Enum(
    "分组",
    DISAGGREGATIONS,
    labels={"sex": "性别", "urban_rural": "城乡", "age_group": "年龄段"},
    aliases={"年龄": "age_group", "年龄组": "age_group"},
)
PLAN_KIND_ENUM = _Enum(
    "计划类型", ("women", "children"), labels={"women": "妇女", "children": "儿童"}
)
UNIT_ENUM = _Enum("计量单位", tuple(u for u in UNITS if u), aliases={"无": ""})
YESNO_ENUM = _Enum(
    "选项",
    ("yes", "no"),
    labels={"yes": "是", "no": "否"},
    aliases={"true": "yes", "false": "no", "y": "yes", "n": "no", "1": "yes", "0": "no"},
)


# ---------------------------------------------------------------------------------------
# Layout

# The 计划 sheet: (label, key, hint).  ``form.x`` keys go to the form marks.
_PLAN_ROWS = (
    (
        "计划编号",
        "id",
        "小写字母开头，只用小写字母、数字和连字符，如 lishu-children。作为新版本导入时不要改",
    ),
    ("版本", "version", "正整数；导入时由程序确定新版本号"),
    ("标题", "title", "计划全称，如 某县儿童发展规划（2021—2030年）"),
    ("英文标题", "title_en", "可留空"),
    ("类型", "kind", "妇女 或 儿童"),
    ("地区", "region", "如 某某县"),
    ("规划起始年", "period_start", "如 2021"),
    ("规划终止年", "period_end", "如 2030；每个目标的年份都必须在规划期内"),
    ("基期年", "base_year", "“变动”“年均增长”目标默认的基期年，通常是起始年的前一年"),
    ("原文文件", "source", "规划原文的文件名；“原文行号”指这个文件的行号"),
    ("表号", "form.table_no", "统计报表表号"),
    ("制定机关", "form.made_by", ""),
    ("批准机关", "form.approved_by", ""),
    ("批准文号", "form.approval_no", "批准文号或备案文号"),
    ("有效期至", "form.valid_until", "如 2026年12月"),
    ("备注", "note", "对整个计划的说明"),
)
_PLAN_LABEL = {key: label for label, key, _ in _PLAN_ROWS}

_DOMAIN_COLS = (("代码", 12), ("名称", 24), ("英文名称", 36))

_DATA_COL = "_数据（勿改）"
_INDICATOR_COLS = (
    ("指标代码", 10),
    ("领域代码", 11),
    ("指标名称", 32),
    ("英文名称", 26),
    ("计量单位", 9),
    ("值类型", 8),
    ("倍数", 8),
    ("分子", 22),
    ("分母", 16),
    ("毛比率", 7),
    ("优劣方向", 10),
    ("下限", 8),
    ("上限", 8),
    ("合理下限", 9),
    ("合理上限", 9),
    ("变动阈值", 9),
    ("分组", 14),
    ("责任部门", 22),
    ("备注", 32),
    ("原文出处", 60),
    (_DATA_COL, 12),
)
_TARGET_REF_COL = "指标名称（参考）"
_TARGET_COLS = (
    ("指标代码", 10),
    (_TARGET_REF_COL, 26),
    ("年份", 7),
    ("比较方式", 10),
    ("目标值", 9),
    ("目标值上限", 10),
    ("容差", 7),
    ("容差出自原文", 9),
    ("基期年", 8),
    ("基数", 7),
    ("变动单位", 9),
    ("基期值", 8),
    ("趋势方向", 9),
    ("每个下级单位须达标", 16),
    ("起始年份", 8),
    ("参照值名称", 18),
    ("实际值年份", 9),
    ("原文行号", 9),
    ("原文", 60),
    ("备注", 32),
)

_HEADER_HINTS = {
    "指标代码": "指标的唯一代码，字母开头。已有指标的代码不要改，否则已填报的数据对不上",
    "领域代码": "“领域”表中的代码",
    "计量单位": "从下拉列表选择；没有单位留空",
    "值类型": "率 / 比值 / 计数 / 数额 / 时长 / 是否 / 文本",
    "倍数": "率和比值才填：指标值 = 分子 ÷ 分母 × 倍数。% 填 100，‰ 填 1000，1/10万 填 100000",
    "毛比率": "是：允许超过 100%（如毛入园率）；否或留空：不超过倍数",
    "优劣方向": "越小越好 / 越大越好 / 不区分",
    "下限": "数值不可能低于下限（可留空）",
    "上限": "数值不可能高于上限（可留空）",
    "合理下限": "低于它时提示核实（可留空）",
    "合理上限": "高于它时提示核实（可留空）",
    "变动阈值": "与上年相比变动超过它时要求说明；率为百分点，其他为百分比",
    "分组": "性别、城乡、年龄段，多个用逗号隔开",
    "责任部门": "多个用逗号隔开",
    "原文出处": "每行一处，写成 行号：原文，如 94：婴儿死亡率降至3.4‰以下",
    _DATA_COL: "程序使用，请勿修改",
    "比较方式": "<= < >= > approx（左右） range（区间） change（变动） growth（年均增长） "
    "direction（趋势） qualitative（定性）",
    "目标值上限": "区间（range）的上限；或变动（change）区间的另一端",
    "容差": "“左右”（approx）必须填写，如 3.5 左右 ±0.5 填 0.5；原文没有给出时是本目录的取值，"
    "报表上注明“容差为目录取值”，可在此修改",
    "容差出自原文": "原文写明了容差时填 是；留空或 否 表示容差是本目录的取值",
    "起始年份": "分步推行（逐步扩大到…）的目标从哪一年起适用，之前各年不考核（可留空）",
    "参照值名称": "目标与同年另一个数值比较时填写该数值的名称，如 本地区党员总数中女性比例；"
    "目标值留空，填报时在“参照值”一行填写该数值",
    "实际值年份": "“在此基础上继续提高”：填里程碑年份（如 2025），目标与该年实际达到的数值比较，"
    "目标值留空",
    "基期年": "变动、年均增长目标的基期年；留空用“计划”表的基期年",
    "基数": "基期 或 上年",
    "变动单位": "百分比 或 百分点",
    "基期值": "原文给出的基期年数值（可留空）",
    "趋势方向": "下降 / 上升 / 保持稳定 / 不上升 / 不下降",
    "每个下级单位须达标": "如 乡镇（街道）：每个下级单位都要达到目标，不只是合计",
    _TARGET_REF_COL: "仅供参考，导入时不读取",
}

_TEXT_FORMAT = "@"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="A6A6A6")
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


# ---------------------------------------------------------------------------------------
# Writing


def write_plan_workbook(plan: Plan, path: Path) -> None:
    """Write ``plan`` as a plan workbook at ``path`` (replaced atomically; OSError if it cannot)."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = plan.title
    wb.properties.creator = "Tianbao 填报"
    _write_readme(wb.create_sheet(SHEET_README), plan)
    _write_plan_sheet(wb.create_sheet(SHEET_PLAN), plan)
    _write_domains(wb.create_sheet(SHEET_DOMAINS), plan)
    _write_indicators(wb.create_sheet(SHEET_INDICATORS), plan)
    _write_targets(wb.create_sheet(SHEET_TARGETS), plan)
    for ws in wb.worksheets:  # print on landscape pages, as wide as the page
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        if ws.title != SHEET_README:
            ws.print_title_rows = "1:1"
    wb.active = 0

    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".planbook-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write a value; strings are always stored as text (never as a formula)."""
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        return cell
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # "=SUM(…)" stays text: openpyxl would otherwise store a formula
        cell.number_format = _TEXT_FORMAT  # and stays text when the user edits the cell
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        cell.value = int(value)
    else:
        cell.value = value
    return cell


def _header(ws: Worksheet, cols: Iterable[tuple[str, float]]) -> None:
    for i, (title, width) in enumerate(cols, start=1):
        cell = _put(ws, 1, i, title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _HEADER_BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        if title in _HEADER_HINTS:
            comment = Comment(_HEADER_HINTS[title], "填报")
            comment.width, comment.height = 260, 90
            cell.comment = comment
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "B2"


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit_height(ws: Worksheet, row: int) -> None:
    """Give a row with wrapped text the height it needs (Excel and WPS do not always do it)."""
    lines = 1
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            width = max(4.0, (ws.column_dimensions[cell.column_letter].width or 8.43) - 1)
            n = sum(max(1, math.ceil(_text_width(part) / width)) for part in cell.value.split("\n"))
            lines = max(lines, n)
    if lines > 1:
        ws.row_dimensions[row].height = min(400, 15 * lines + 3)


def _list_validation(
    ws: Worksheet, col: int, choices: list[str], last_row: int, prompt: str = ""
) -> None:
    letter = get_column_letter(col)
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="不在列表中",
        error="请从下拉列表中选择（导入时会检查）。",
        showInputMessage=bool(prompt),
        prompt=prompt[:250] or None,
    )
    dv.add(f"{letter}2:{letter}{last_row}")
    ws.add_data_validation(dv)


def _num_out(v: float | None) -> float | int | None:
    if v is None:
        return None
    return int(v) if float(v).is_integer() and abs(v) < 1e15 else v


def _write_plan_sheet(ws: Worksheet, plan: Plan) -> None:
    values: dict[str, Any] = {
        "id": plan.id,
        "version": plan.version,
        "title": plan.title,
        "title_en": plan.title_en,
        "kind": PLAN_KIND_ENUM.word(plan.kind),
        "region": plan.region,
        "period_start": plan.period[0],
        "period_end": plan.period[1],
        "base_year": plan.base_year,
        "source": plan.source,
        "note": plan.note,
    }
    for name in ("table_no", "made_by", "approved_by", "approval_no", "valid_until"):
        values[f"form.{name}"] = getattr(plan.form, name)
    _header(ws, (("项目", 14), ("内容", 56), ("说明", 70)))
    ws.freeze_panes = "A2"
    for r, (label, key, hint) in enumerate(_PLAN_ROWS, start=2):
        label_cell = _put(ws, r, 1, label)
        label_cell.font = _HEADER_FONT
        label_cell.alignment = _WRAP_TOP
        cell = _put(ws, r, 2, values[key])
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if key in ("version", "period_start", "period_end", "base_year"):
            cell.number_format = "0"
        else:
            cell.number_format = _TEXT_FORMAT
        hint_cell = _put(ws, r, 3, hint)
        hint_cell.font = Font(color="808080")
        hint_cell.alignment = _WRAP_TOP
        if key == "kind":
            dv = DataValidation(type="list", formula1='"妇女,儿童"', allow_blank=False)
            dv.add(cell.coordinate)
            ws.add_data_validation(dv)
        _fit_height(ws, r)


def _write_domains(ws: Worksheet, plan: Plan) -> None:
    _header(ws, _DOMAIN_COLS)
    for r, d in enumerate(plan.domains, start=2):
        for c, v in enumerate((d.code, d.name, d.name_en), start=1):
            _put(ws, r, c, v)
    ws.auto_filter.ref = f"A1:C{max(2, len(plan.domains) + 1)}"


def _sources_text(lines: Iterable[tuple[int, str]]) -> str:
    return "\n".join(f"{line}：{quote}" for line, quote in lines)


def _list_text(items: Iterable[str]) -> str:
    return "，".join(items)


def _indicator_cells(ind: Indicator) -> list[Any]:
    bounds = ind.bounds or (None, None)
    plausible = ind.plausible or (None, None)
    data = {
        "sources": [[s.line, s.quote] for s in ind.sources],
        "departments": list(ind.departments),
    }
    return [
        ind.code,
        ind.domain,
        ind.name,
        ind.name_en,
        ind.unit,
        KIND_ENUM.word(ind.kind),
        _num_out(ind.scale),
        ind.numerator,
        ind.denominator,
        YESNO_ENUM.word("yes" if ind.gross else "no"),
        BETTER_ENUM.word(ind.better),
        _num_out(bounds[0]),
        _num_out(bounds[1]),
        _num_out(plausible[0]),
        _num_out(plausible[1]),
        _num_out(ind.change_threshold),
        _list_text(DISAGGREGATION_ENUM.word(d) for d in ind.disaggregation),
        _list_text(ind.departments),
        ind.note,
        _sources_text((s.line, s.quote) for s in ind.sources),
        json.dumps(data, ensure_ascii=False),
    ]


def _write_indicators(ws: Worksheet, plan: Plan) -> None:
    _header(ws, _INDICATOR_COLS)
    col = {title: i for i, (title, _) in enumerate(_INDICATOR_COLS, start=1)}
    wrap = {
        col[t] for t in ("指标名称", "英文名称", "分子", "分母", "责任部门", "备注", "原文出处")
    }
    for r, ind in enumerate(plan.indicators, start=2):
        for c, v in enumerate(_indicator_cells(ind), start=1):
            cell = _put(ws, r, c, v)
            if c in wrap:
                cell.alignment = _WRAP_TOP
        _fit_height(ws, r)
    last = len(plan.indicators) + 1
    ws.column_dimensions[get_column_letter(col[_DATA_COL])].hidden = True
    ws.auto_filter.ref = f"A1:{get_column_letter(len(_INDICATOR_COLS))}{max(2, last)}"
    spare = last + _SPARE_ROWS
    _list_validation(ws, col["计量单位"], UNIT_ENUM.choices(), spare, "没有单位留空")
    _list_validation(ws, col["值类型"], KIND_ENUM.choices(), spare)
    _list_validation(ws, col["毛比率"], YESNO_ENUM.choices(), spare)
    _list_validation(ws, col["优劣方向"], BETTER_ENUM.choices(), spare)


def _target_cells(ind: Indicator, t: Target) -> list[Any]:
    v = t.value
    low, high = v if isinstance(v, tuple) else (v, None)
    return [
        ind.code,
        ind.name,
        t.year,
        t.op,
        _num_out(low),
        _num_out(high),
        _num_out(t.tolerance),
        YESNO_ENUM.word("yes") if t.tolerance_stated else None,
        t.base_year,
        BASIS_ENUM.word(t.basis) if t.basis else None,
        CHANGE_UNIT_ENUM.word(t.change_unit) if t.change_unit else None,
        _num_out(t.baseline),
        DIRECTION_ENUM.word(t.direction) if t.direction else None,
        t.each,
        t.from_year,
        t.reference,
        t.reached_in,
        t.line,
        t.quote,
        t.note,
    ]


def _write_targets(ws: Worksheet, plan: Plan) -> None:
    _header(ws, _TARGET_COLS)
    col = {title: i for i, (title, _) in enumerate(_TARGET_COLS, start=1)}
    wrap = {col[t] for t in (_TARGET_REF_COL, "原文", "备注")}
    grey = Font(color="808080")
    r = 1
    for ind in plan.indicators:
        for t in ind.targets:
            r += 1
            for c, v in enumerate(_target_cells(ind, t), start=1):
                cell = _put(ws, r, c, v)
                if c in wrap:
                    cell.alignment = _WRAP_TOP
                if c == col[_TARGET_REF_COL]:
                    cell.font = grey
            _fit_height(ws, r)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(_TARGET_COLS))}{max(2, r)}"
    spare = r + _SPARE_ROWS
    _list_validation(ws, col["比较方式"], list(OPS), spare, _HEADER_HINTS["比较方式"])
    _list_validation(ws, col["基数"], BASIS_ENUM.choices(), spare)
    _list_validation(ws, col["变动单位"], CHANGE_UNIT_ENUM.choices(), spare)
    _list_validation(ws, col["趋势方向"], DIRECTION_ENUM.choices(), spare)
    _list_validation(ws, col["容差出自原文"], YESNO_ENUM.choices(), spare)


_README_FORMS = (
    ("降至/控制在 X 以下、以内", "比较方式 <=，目标值 X", "婴儿死亡率降至 3.4‰ 以下：<=，3.4"),
    ("低于 X", "比较方式 <，目标值 X", ""),
    ("达到/保持在 X 以上", "比较方式 >=，目标值 X", "新生儿访视率保持在 90% 以上：>=，90"),
    ("高于/超过 X", "比较方式 >，目标值 X", ""),
    ("实现全覆盖、100%", "比较方式 >=，目标值 100", ""),
    (
        "分阶段目标（里程碑）",
        "每个年份一行，填写年份；某年适用的是该年或其后最近的一个里程碑",
        "2025 年 ≤4.2‰、2030 年 ≤3.4‰：两行，年份 2025 和 2030",
    ),
    (
        "X 左右",
        "比较方式 approx，目标值 X，容差必须填写（原文没有给出时自行确定并在备注中说明）",
        "近视率控制在 3.5% 左右：approx，3.5，容差 0.5",
    ),
    ("X 到 Y 之间", "比较方式 range，目标值 X，目标值上限 Y", ""),
    (
        "以基期年为基数下降/上升 N%",
        "比较方式 change，目标值 −N（下降为负数），变动单位 百分比，"
        "基数 基期，基期年 如 2020，基期值 可填原文给出的基期数值",
        "伤害死亡率以 2020 年为基数下降 20%：change，-20，百分比，基期，2020",
    ),
    (
        "每年下降/上升 a—b 个百分点",
        "比较方式 change，目标值与目标值上限填区间两端（下降为负数），变动单位 百分点，基数 上年",
        "每年下降 0.5—1 个百分点：change，-1，-0.5，百分点，上年",
    ),
    (
        "年均增长（增幅）不低于 N%",
        "比较方式 growth，目标值 N（自基期年起按复合增长计算）",
        "养育标准年均增幅不低于 6%：growth，6",
    ),
    (
        "以下级单位为单位达标",
        "照常填写比较方式和目标值，并在“每个下级单位须达标”中写单位名称",
        "以乡镇（街道）为单位保持在 90% 以上：>=，90，乡镇（街道）",
    ),
    (
        "分步推行，自某年起每个下级单位达标",
        "照常填写，并在“起始年份”中写从哪一年起适用；原文没有写年份的不要自拟，按定性目标填写",
        "2025 年起扩大到每个县（市、区）：>=，1，县（市、区），起始年份 2025",
    ),
    (
        "不低于同年另一个数值（如本地区党员中女性比例）",
        "比较方式 >= 等，目标值留空，“参照值名称”写该数值的名称；填报时在“参照值”一行填写",
        "女党员代表比例不低于本地区党员总数中女性比例：>=，参照值名称 本地区党员总数中女性比例",
    ),
    (
        "里程碑之后“在此基础上继续提高”",
        "比较方式 >（继续提高）或 >=（巩固），目标值留空，“实际值年份”写里程碑年份",
        "2025 年达到 60%，2030 年在此基础上继续提高：两行，2025 >= 60；2030 >，实际值年份 2025",
    ),
    (
        "每千人拥有 X 个",
        "指标值类型填 比值，倍数 1000，目标 >= X",
        "每千常住人口拥有托位数 5.5 个以上",
    ),
    (
        "趋势（上升趋势得到控制等）",
        "比较方式 direction，趋势方向 下降/上升/保持稳定/不上升/不下降，不填目标值",
        "超重率上升趋势得到有效控制：direction，不上升",
    ),
    (
        "定性目标（机制有效运行等）",
        "指标值类型填 是否，比较方式 qualitative，不填目标值",
        "基层儿童保护机制有效运行",
    ),
)


def _write_readme(ws: Worksheet, plan: Plan) -> None:
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 62
    ws.column_dimensions["C"].width = 46
    ws.sheet_view.showGridLines = False
    bold = Font(bold=True)
    r = 0

    def line(a: str = "", b: str = "", c: str = "", *, font: Font | None = None) -> None:
        nonlocal r
        r += 1
        for col, text in ((1, a), (2, b), (3, c)):
            cell = _put(ws, r, col, text)
            cell.alignment = _WRAP_TOP
            if font is not None:
                cell.font = font
        _fit_height(ws, r)

    line("计划工作簿", font=Font(bold=True, size=14))
    line("计划", f"{plan.title}（编号 {plan.id}，第 {plan.version} 版）")
    line(
        "用途",
        "本工作簿用于县（市、区）自行制定或修改本地的妇女/儿童发展规划目标："
        "在 Excel 或 WPS 中修改后，用填报程序导入，作为本计划的新版本或另存为新计划。",
    )
    line()
    line("一、各工作表", font=bold)
    line("说明", "就是本页，导入时不读取。")
    line(
        "计划",
        "计划的基本信息，每行一项：“项目”列是名称（不要改），“内容”列填写。"
        "表号、制定机关、批准机关、批准文号、有效期至会印在统计报表的右上角。",
    )
    line(
        "领域",
        "规划的领域（如 儿童与健康），每行一个：代码、名称、英文名称。领域的先后顺序就是报表中的顺序。",
    )
    line("指标", "每行一个指标。各列含义见下文，把鼠标停在表头上也能看到提示。")
    line(
        "目标",
        "每行一个目标；同一指标可以有多个目标（不同年份的里程碑，或一个总体目标加一个"
        "“每个下级单位须达标”的目标）。用“指标代码”对应到“指标”表。",
    )
    line()
    line("二、“指标”表各列", font=bold)
    for title, text in (
        ("指标代码", "指标的唯一代码：字母开头，只用字母、数字和 _ . -，最长 32 个字符。"),
        ("领域代码", "该指标所属领域，必须是“领域”表中的代码。"),
        ("指标名称 / 英文名称", "英文名称可留空。"),
        ("计量单位", "从下拉列表选择：" + " ".join(UNIT_ENUM.choices()) + "；没有单位留空。"),
        (
            "值类型",
            "率（分子÷分母×倍数，如死亡率、接种率）、比值（人均指标，如每千人托位数）、"
            "计数（整数，如个数）、数额（带小数，如金额）、时长（小时、天、年）、"
            "是否（定性目标，填报 是/部分/否 并说明）、文本。",
        ),
        (
            "倍数",
            "只有率和比值填写：% 填 100，‰ 填 1000，1/万 填 10000，1/10万 填 100000，"
            "每千人填 1000。其他类型留空。",
        ),
        ("分子 / 分母", "率和比值必须填写分子、分母的名称，如 未满1岁婴儿死亡数 / 活产数。"),
        ("毛比率", "填“是”表示可以超过 100%（如学前教育毛入园率），否则填“否”。"),
        ("优劣方向", "越小越好（如死亡率）、越大越好（如接种率）或不区分。"),
        (
            "下限 / 上限",
            "数值不可能超出的范围（必要性审核）；两个都填或都不填。率可以不填，默认 0 到倍数。",
        ),
        ("合理下限 / 合理上限", "超出时提示核实（核实性审核），两个都填或都不填。"),
        ("变动阈值", "与上年相比变动超过这个数时要求填写说明；率按百分点，其他按百分比。"),
        ("分组", "需要分性别、城乡、年龄段填报时填写，多个用逗号隔开，如 性别，城乡。"),
        ("责任部门", "负责报送的部门，多个用逗号隔开。"),
        (
            "原文出处",
            "规划原文中提到该指标的每一处，每处一行，写成“行号：原文”，"
            "如 94：婴儿死亡率降至3.4‰以下。本地新增的指标没有原文的可以不填。行号是“计划”表“原文文件”中的行号。",
        ),
        ("最后一列（隐藏）", "程序使用，请勿修改或删除。"),
    ):
        line(title, text)
    line()
    line("三、“目标”表各列", font=bold)
    for title, text in (
        ("指标代码", "对应“指标”表的指标代码。"),
        ("指标名称（参考）", "仅便于阅读，导入时不读取，改了也不起作用。"),
        ("年份", "目标年份，必须在规划期内；原文没有写年份的留空（表示每年都适用）。"),
        (
            "比较方式",
            "从下拉列表选择，写法见下文第四部分。也可以写 ≤ ≥ 以下 以上 左右 区间 "
            "变动 年均增长 趋势 定性。",
        ),
        (
            "目标值 / 目标值上限",
            "目标数值，按“指标”表的计量单位填写（如 96% 填 96）。"
            "目标值上限只用于区间（range）和变动区间（change）。",
        ),
        ("容差", "“左右”（approx）必须填写，如 3.5 左右、上下 0.5 以内算达标，填 0.5。"),
        (
            "基期年 / 基数 / 变动单位 / 基期值",
            "用于变动（change）和年均增长（growth）："
            "基数填 基期（与基期年比）或 上年（与上一年比）；变动单位填 百分比 或 百分点；"
            "基期年留空时用“计划”表的基期年；基期值可填原文给出的基期数值。",
        ),
        ("趋势方向", "用于趋势（direction）：下降、上升、保持稳定、不上升、不下降。"),
        ("每个下级单位须达标", "原文要求“以乡镇（街道）为单位”等时填写单位名称，如 乡镇（街道）。"),
        ("起始年份", "分步推行的目标从哪一年起适用（原文写明年份时才填），之前各年不考核。"),
        (
            "参照值名称",
            "目标与同年另一个数值比较（如“不低于本地区党员总数中女性比例”）时填写该数值的名称，"
            "目标值留空；报表上该指标下多一行“参照值”，与指标一同填报。",
        ),
        (
            "实际值年份",
            "“在此基础上继续提高”时填写里程碑年份，目标与本单位该年实际达到的数值比较，目标值留空。",
        ),
        (
            "容差出自原文",
            "“左右”的容差原文写明时填 是；否则容差是本目录的取值，报表上注明“容差为目录取值”。",
        ),
        ("原文行号 / 原文", "目标在规划原文中的行号和原话（可留空）。"),
        ("备注", "原文有矛盾、目标已提前实现等情况在此说明。"),
    ):
        line(title, text)
    line()
    line("四、目标的写法", font=bold)
    line("原文的说法", "在“目标”表中怎样填", "例子", font=bold)
    for form, how, example in _README_FORMS:
        line(form, how, example)
    line()
    line("五、不能改的内容", font=bold)
    line(
        "代码",
        "已经填报过数据的计划，不要修改领域代码和指标代码，否则已填报的数据无法对应。"
        "作为本计划的新版本导入时，不要修改“计划编号”。新增指标请用新的代码。",
    )
    line(
        "表名和表头",
        "不要修改五张工作表的名称和各列的表头；可以调整列的顺序，也可以在右侧加自己的列"
        "（导入时不读取）。",
    )
    line("隐藏列", "“指标”表最后的隐藏列由程序使用，请勿修改或删除。")
    line()
    line("六、填写和导入", font=bold)
    line(
        "填写",
        "可以增加、删除、调整行的顺序。数字可以是文本或全角数字，多余的空格会被忽略。"
        "不要用公式。以 = + - @ 开头的文字会按文字保存。",
    )
    line(
        "导入",
        "在填报程序中选择“导入计划工作簿”，选择本文件，再选择作为本计划的新版本，"
        "或者用新的计划编号另存为新计划。程序会检查全部内容，"
        "有错误时列出每一处错误所在的表、行和列，全部改正后才能导入。"
        "也可以用命令：tianbao plans import 文件名.xlsx（作为新计划时加 --as-new 新编号）。",
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


# ---------------------------------------------------------------------------------------
# Reading: the workbook


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


def read_plan_workbook(path: Path, new_id: str | None = None) -> Plan:
    """Read a plan workbook and return the validated plan (never marked built-in).

    ``new_id`` renames it into a new plan (version 1); otherwise the plan keeps the id and
    version written in the 计划 sheet and the caller decides how to store it.  Raises
    :class:`PlanbookError` listing every problem, each with its sheet, row and column.
    """
    path = Path(path)
    origin = path.name
    if new_id is not None:
        new_id = new_id.strip()
        if not PLAN_ID_RE.match(new_id):
            raise PlanbookError(
                origin,
                [
                    PlanbookProblem(
                        None,
                        None,
                        None,
                        f"新计划编号“{new_id}”无效：应以小写字母开头，只用小写字母、数字和连字符，2–64 个字符",
                    )
                ],
            )
    wb = _open(path)
    try:
        names = {n.strip(_STRIP): n for n in wb.sheetnames}
        missing = [s for s in REQUIRED_SHEETS if s not in names]
        if missing:
            raise PlanbookError(
                origin,
                [
                    PlanbookProblem(
                        None,
                        None,
                        None,
                        f"工作簿缺少“{'”“'.join(missing)}”表。计划工作簿应有这些工作表："
                        f"{'、'.join((SHEET_README, *REQUIRED_SHEETS))}；请在本程序导出的计划工作簿上修改。",
                    )
                ],
            )
        problems = _Problems()
        where = _Where()
        data = _read_sheets(wb, names, problems, where, new_id)
    finally:
        wb.close()
    if new_id is not None:
        data["id"] = new_id
        data["version"] = 1
    plan = _validate(data, where, problems, origin)
    if problems.items or plan is None:
        raise PlanbookError(origin, problems.sorted())
    return plan


def _open(path: Path) -> Any:
    origin = path.name

    def fail(message: str) -> PlanbookError:
        return PlanbookError(origin, [PlanbookProblem(None, None, None, message)])

    try:
        size = path.stat().st_size
        if size > _MAX_BYTES:
            raise fail(f"文件太大（{size // (1024 * 1024)} MB），不是计划工作簿。")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail("找不到这个文件。") from None
    except OSError as e:
        raise fail(f"无法读取文件：{e.strerror or e}（文件是否正在 Excel/WPS 中打开？）") from None
    if not raw:
        raise fail("文件是空的（0 字节），不是计划工作簿。")
    if raw[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise fail(
            "这是旧版 .xls 工作簿或加了密码的工作簿。请在 Excel/WPS 中去掉密码并“另存为” .xlsx 后再导入。"
        )
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise fail(
            "不是 Excel 工作簿（.xlsx）。请选择本程序导出、在 Excel/WPS 中修改后保存的 .xlsx 文件。"
        )
    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as e:  # any failure inside a damaged or foreign file is the file's fault
        raise fail(
            f"无法打开工作簿，文件可能已损坏或不是 .xlsx 格式（{type(e).__name__}）。"
        ) from None


def _read_sheets(
    wb: Any, names: dict[str, str], P: _Problems, where: _Where, new_id: str | None
) -> dict[str, Any]:
    data = _read_plan(wb[names[SHEET_PLAN]], P, where, check_id=new_id is None)
    data["domains"] = _read_domains(wb[names[SHEET_DOMAINS]], P, where)
    indicators = _read_indicators(wb[names[SHEET_INDICATORS]], P, where)
    if SHEET_INDICATORS not in where.broken:  # else every target would be "not found"
        _read_targets(wb[names[SHEET_TARGETS]], P, where, indicators)
    data["indicators"] = list(indicators.values())
    return data


def _read_plan(ws: Any, P: _Problems, where: _Where, check_id: bool) -> dict[str, Any]:
    sheet = SHEET_PLAN
    by_label = {_key(label): key for label, key, _ in _PLAN_ROWS}
    cells: dict[str, Any] = {}
    for i, row in _rows(ws):
        label_v = getattr(row[0], "value", None) if row else None
        value_cell = row[1] if len(row) > 1 else None
        if _blank(label_v):
            if not _blank(getattr(value_cell, "value", None)):
                P.add(sheet, i, "项目", "填写了内容但没有项目名称")
            continue
        label = _key(_as_text(label_v)).rstrip(":")
        if label == "项目":
            continue
        key = by_label.get(label)
        if key is None:
            P.add(
                sheet,
                i,
                "项目",
                f"未知的项目“{_shown(label_v)}”，可用：{' '.join(lbl for lbl, _, _ in _PLAN_ROWS)}",
            )
            continue
        if key in where.plan_rows:
            P.add(sheet, i, "项目", f"“{_PLAN_LABEL[key]}”重复（第 {where.plan_rows[key]} 行已有）")
            continue
        where.plan_rows[key] = i
        cells[key] = value_cell

    def err(key: str, message: str) -> None:
        row = where.plan_rows.get(key)
        label = _PLAN_LABEL[key]
        if row is None:
            P.add(sheet, None, None, f"缺少“{label}”一行：{message}")
        else:
            P.add(sheet, row, "内容", f"“{label}”{message}")

    def raw(key: str) -> Any:
        v = getattr(cells.get(key), "value", None)
        return None if _blank(v) else v

    def text(key: str) -> str:
        v = raw(key)
        return "" if v is None else _as_text(v).strip(_STRIP)

    def integer(key: str, what: str, required: bool) -> int | None:
        v = raw(key)
        if v is None:
            if required:
                err(key, "必须填写")
            return None
        try:
            return _as_int(v, what)
        except _Bad as e:
            err(key, str(e))
            return None

    data: dict[str, Any] = {"format": 1}
    plan_id = None
    if check_id:
        v = raw("id")
        if v is None:
            err("id", "必须填写")
        else:
            plan_id = _as_code(v)
    data["id"] = plan_id
    version = integer("version", "版本号", required=False)
    if version is not None:
        data["version"] = version
    data["title"] = text("title") or None
    if data["title"] is None:
        err("title", "必须填写")
    data["title_en"] = text("title_en")
    kind_v = raw("kind")
    kind = None
    if kind_v is None:
        err("kind", "必须填写（妇女 或 儿童）")
    else:
        kind = PLAN_KIND_ENUM.lookup(_as_text(kind_v))
        if kind is None:
            err("kind", f"应为 妇女 或 儿童，而不是“{_shown(kind_v)}”")
    data["kind"] = kind
    data["region"] = text("region")
    start = integer("period_start", "年份", required=True)
    end = integer("period_end", "年份", required=True)
    data["period"] = [start, end] if start is not None and end is not None else None
    base_year = integer("base_year", "年份", required=False)
    if base_year is not None:
        data["base_year"] = base_year
    data["source"] = text("source")
    data["note"] = "" if raw("note") is None else _as_text(raw("note"))
    data["form"] = {key[5:]: text(key) for _, key, _ in _PLAN_ROWS if key.startswith("form.")}
    return data


def _read_domains(ws: Any, P: _Problems, where: _Where) -> list[dict[str, Any]]:
    rows = _table(ws, SHEET_DOMAINS, [c for c, _ in _DOMAIN_COLS], ("代码", "名称"), P)
    if rows is None:
        where.broken.add(SHEET_DOMAINS)
    out = []
    for row in rows or ():
        code = row.code("代码")
        if code is None:
            row.error("代码", "必须填写领域代码")
            continue
        if code in where.domain_rows:
            row.error("代码", f"领域代码“{code}”重复（与第 {where.domain_rows[code]} 行相同）")
            continue
        where.domain_rows[code] = row.index
        dom: dict[str, Any] = {"code": code, "name_en": row.text("英文名称") or ""}
        name = row.text("名称")
        if name:
            dom["name"] = name
        out.append(dom)
    return out


def _read_indicators(ws: Any, P: _Problems, where: _Where) -> dict[str, dict[str, Any]]:
    cols = [c for c, _ in _INDICATOR_COLS]
    rows = _table(ws, SHEET_INDICATORS, cols, ("指标代码", "领域代码", "指标名称", "值类型"), P)
    if rows is None:
        where.broken.add(SHEET_INDICATORS)
    out: dict[str, dict[str, Any]] = {}
    for row in rows or ():
        code = row.code("指标代码")
        if code is None:
            row.error("指标代码", "必须填写指标代码")
            continue
        if code in where.indicator_rows:
            row.error(
                "指标代码", f"指标代码“{code}”重复（与第 {where.indicator_rows[code]} 行相同）"
            )
            continue
        where.indicator_rows[code] = row.index
        out[code] = _indicator_row(row, code)
    return out


def _indicator_row(row: _Row, code: str) -> dict[str, Any]:
    ind: dict[str, Any] = {"code": code, "name_en": row.text("英文名称") or "", "targets": []}
    domain = row.code("领域代码")
    if domain is not None:
        ind["domain"] = domain
    name = row.text("指标名称")
    if name is not None:
        ind["name"] = name
    unit_v = row.raw("计量单位")
    if unit_v is None:
        ind["unit"] = ""
    else:
        unit = UNIT_ENUM.lookup(_as_text(unit_v))
        if unit is None:
            row.error("计量单位", UNIT_ENUM.unknown(_shown(unit_v)) + "（没有单位留空）")
        else:
            ind["unit"] = unit
    kind = row.enum("值类型", KIND_ENUM)
    if kind is not None:
        ind["kind"] = kind
    for column, key in (("倍数", "scale"), ("变动阈值", "change_threshold")):
        n = row.number(column)
        if n is not None:
            ind[key] = n
    for column, key in (("分子", "numerator"), ("分母", "denominator")):
        t = row.text(column)
        if t is not None:
            ind[key] = t
    gross = row.enum("毛比率", YESNO_ENUM)
    ind["gross"] = gross == "yes"
    better = row.enum("优劣方向", BETTER_ENUM)
    if better is not None:
        ind["better"] = better
    for low, high, key in (("下限", "上限", "bounds"), ("合理下限", "合理上限", "plausible")):
        pair = row.pair(low, high)
        if pair is not None:
            ind[key] = pair
    dis = []
    for item in _split_list(row.text("分组") or ""):
        d = DISAGGREGATION_ENUM.lookup(item)
        if d is None:
            row.error("分组", DISAGGREGATION_ENUM.unknown(item))
        elif d not in dis:
            dis.append(d)
    ind["disaggregation"] = dis
    ind["note"] = row.verbatim("备注")

    # The hidden column keeps sources and departments exactly as exported; a visible cell that
    # the user changed wins over it.
    saved: dict[str, Any] = {}
    hidden = row.text(_DATA_COL)
    if hidden:
        try:
            saved = json.loads(hidden)
            if not isinstance(saved, dict):
                saved = {}
        except ValueError:
            saved = {}
    depts_text = row.text("责任部门") or ""
    depts = saved.get("departments")
    if not (
        isinstance(depts, list)
        and all(isinstance(d, str) for d in depts)
        and _same_text(_list_text(depts), depts_text)
    ):
        depts = _split_list(depts_text)
    ind["departments"] = depts
    src_text = row.verbatim("原文出处")
    src = saved.get("sources")
    if (
        isinstance(src, list)
        and all(isinstance(s, list) and len(s) == 2 for s in src)
        and _same_text(_sources_text((s[0], s[1]) for s in src), src_text)
    ):
        ind["sources"] = [{"line": s[0], "quote": s[1]} for s in src]
    else:
        try:
            ind["sources"] = _parse_sources(src_text)
        except _Bad as e:
            row.error("原文出处", str(e))
            ind["sources"] = [{"line": 0, "quote": "-"}]  # stand-in; the problem is reported
    return ind


def _read_targets(
    ws: Any, P: _Problems, where: _Where, indicators: dict[str, dict[str, Any]]
) -> None:
    cols = [c for c, _ in _TARGET_COLS]
    rows = _table(ws, SHEET_TARGETS, cols, ("指标代码", "比较方式"), P)
    if rows is None:
        where.broken.add(SHEET_TARGETS)
    for row in rows or ():
        code = row.code("指标代码")
        if code is None:
            row.error("指标代码", "必须填写指标代码")
            continue
        if code not in indicators:
            row.error("指标代码", f"指标代码“{code}”不在“指标”表中")
            continue
        op_v = row.raw("比较方式")
        if op_v is None:
            row.error("比较方式", "必须填写，可用：" + " ".join(OPS))
            continue
        op = row.enum("比较方式", OP_ENUM)
        if op is None:
            continue
        t: dict[str, Any] = {"op": op}
        for column, key in (
            ("年份", "year"),
            ("基期年", "base_year"),
            ("原文行号", "line"),
            ("起始年份", "from_year"),
            ("实际值年份", "reached_in"),
        ):
            n = row.integer(column, "年份" if key != "line" else "行号")
            if n is not None:
                t[key] = n
        reference = row.text("参照值名称")
        if reference:
            t["reference"] = reference
        if row.enum("容差出自原文", YESNO_ENUM) == "yes":
            t["tolerance_stated"] = True
        low, high = row.number("目标值"), row.number("目标值上限")
        if high is not None and op not in ("range", "change"):
            row.error(
                "目标值上限",
                f"只有 range（区间）和 change（变动）可以填写目标值上限，比较方式 {op} 不能填",
            )
        elif high is not None:
            if low is None:
                if row.raw("目标值") is None:
                    row.error("目标值", "填写了目标值上限，目标值（下限）也必须填写")
            else:
                t["value"] = [low, high]
        elif low is not None:
            t["value"] = low
        for column, key in (("容差", "tolerance"), ("基期值", "baseline")):
            n = row.number(column)
            if n is not None:
                t[key] = n
        for column, key, enum in (
            ("基数", "basis", BASIS_ENUM),
            ("变动单位", "change_unit", CHANGE_UNIT_ENUM),
            ("趋势方向", "direction", DIRECTION_ENUM),
        ):
            e = row.enum(column, enum)
            if e is not None:
                t[key] = e
        each = row.text("每个下级单位须达标")
        if each:
            t["each"] = each
        t["quote"] = row.verbatim("原文")
        t["note"] = row.verbatim("备注")
        indicators[code]["targets"].append(t)
        where.target_rows.setdefault(code, []).append((row.index, t))


# ---------------------------------------------------------------------------------------
# Validation by the catalogue, and putting its problems back on rows and columns

# (words in a catalogue message, column).  First match wins.
_INDICATOR_COLUMN_HINTS = (
    ("指标代码", "指标代码"),
    ("缺少字段 domain", "领域代码"),
    ("领域", "领域代码"),
    ("缺少字段 name", "指标名称"),
    ("缺少字段 unit", "计量单位"),
    ("缺少字段 kind", "值类型"),
    ("值类型", "值类型"),
    ("scale", "倍数"),
    ("numerator", "分子"),
    ("denominator", "分母"),
    ("计量单位", "计量单位"),
    ("better", "优劣方向"),
    ("bounds", "下限"),
    ("plausible", "合理下限"),
    ("change_threshold", "变动阈值"),
    ("disaggregation", "分组"),
    ("departments", "责任部门"),
    ("sources", "原文出处"),
)
_TARGET_COLUMN_HINTS = (
    ("tolerance_stated", "容差出自原文"),
    ("from_year", "起始年份"),
    ("reached_in", "实际值年份"),
    ("reference", "参照值名称"),
    ("未知的比较方式", "比较方式"),
    ("目标年份", "年份"),
    ("change_unit", "变动单位"),
    ("basis", "基数"),
    ("基期年份", "基期年"),
    ("baseline", "基期值"),
    ("tolerance", "容差"),
    ("direction 目标", "趋势方向"),
    ("value", "目标值"),
    ("区间两端", "目标值"),
    ("值类型", "比较方式"),
    ("是/否类指标", "比较方式"),
    ("line", "原文行号"),
)
_PLAN_HINTS = (
    ("计划编号", "id"),
    ("缺少字段 id", "id"),
    ("规划期", "period_start"),
    ("缺少字段 period", "period_start"),
    ("base_year", "base_year"),
    ("kind", "kind"),
    ("version", "version"),
    ("缺少字段 title", "title"),
)


def _column(message: str, hints: Iterable[tuple[str, str]]) -> str | None:
    return next((col for words, col in hints if words in message), None)


def _polish(message: str) -> str:
    m = re.fullmatch(r"(领域)?缺少字段 (\w+)", message)
    return "必须填写" if m else message


def _validate(data: dict[str, Any], where: _Where, P: _Problems, origin: str) -> Plan | None:
    try:
        plan = plan_from_dict(data, origin=origin)
    except CatalogueError as e:
        found = e.problems
    else:
        return plan
    by_code: dict[str, list[str]] = {}
    for code, message in found:
        by_code.setdefault(code, []).append(message)

    def add(sheet: str | None, row: int | None, column: str | None, message: str) -> None:
        if (sheet, row, column) in P.cells and sheet is not None:
            return  # already reported in the reader's own words
        if (sheet in where.broken and row is None) or (
            SHEET_DOMAINS in where.broken and column == "领域代码"
        ):
            return  # follows from a sheet that could not be read, reported already
        P.add(sheet, row, column, message)

    for code, messages in by_code.items():
        if code in where.indicator_rows:
            _place_indicator_problems(data, code, messages, where, add)
            continue
        for message in messages:
            if code and code in where.domain_rows and message.startswith("领域"):
                add(
                    SHEET_DOMAINS,
                    where.domain_rows[code],
                    "名称" if "name" in message else "代码",
                    _polish(message),
                )
            elif code == "" and ("没有任何领域" in message or message.startswith("领域")):
                add(SHEET_DOMAINS, None, None, message)
            elif code == "" and "没有任何指标" in message:
                add(SHEET_INDICATORS, None, None, message)
            elif code == "":
                key = _column(message, _PLAN_HINTS)
                row = where.plan_rows.get(key) if key else None
                if row is not None:
                    add(SHEET_PLAN, row, "内容", f"“{_PLAN_LABEL[key]}”{_polish(message)}")
                else:
                    add(SHEET_PLAN, None, None, message)
            else:
                add(None, None, None, f"[{code}] {message}")
    return None


def _place_indicator_problems(
    data: dict[str, Any], code: str, messages: list[str], where: _Where, add: Any
) -> None:
    """Tell which catalogue problems of an indicator come from which of its target rows.

    The catalogue names only the indicator; validating the indicator alone and then with each
    target in turn shows which target row each problem belongs to.
    """
    ind = next(i for i in data["indicators"] if i["code"] == code)
    targets = where.target_rows.get(code, [])

    def problems_with(tgts: list[dict[str, Any]]) -> Counter[str]:
        trial = dict(data, indicators=[dict(ind, targets=tgts)])
        try:
            plan_from_dict(trial, origin="")
        except CatalogueError as e:
            return Counter(m for c, m in e.problems if c == code)
        return Counter()

    own = problems_with([])
    per_target = [problems_with([t]) - own for _, t in targets]
    ind_row = where.indicator_rows[code]
    for message in messages:
        if own[message] > 0:
            own[message] -= 1
            add(
                SHEET_INDICATORS,
                ind_row,
                _column(message, _INDICATOR_COLUMN_HINTS),
                _polish(message),
            )
            continue
        for (row, _), found in zip(targets, per_target, strict=True):
            if found[message] > 0:
                found[message] -= 1
                add(SHEET_TARGETS, row, _column(message, _TARGET_COLUMN_HINTS), message)
                break
        else:
            add(SHEET_INDICATORS, ind_row, None, message)
