"""Excel returns: a unit's return, a blank template for a colleague, the upper level's compilation.

The workbook is what a statistics office accepts on paper and in a file: title, 填报单位 and
period, the form marks top right (表号 …), one sheet per plan domain with 序号, 指标名称, 计量单位,
目标值, 上年值, 本年值 (数值, and 分子/分母 where the indicator has them), 达标情况 and 说明, the
signature footer, a 情况说明 sheet, A4 landscape print setup fitted to the page width with the
column headers repeated on every page.  A very hidden, protected sheet carries what the import
needs (see ``tianbao.excel.layout``).

No merged cells in the data area: Excel and WPS refuse to sort a range with merged cells, and a
colleague re-sorting the rows must not break anything.  Every text is written as text, so an
explanation starting with '=' or '-' is never taken for a formula.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from copy import copy
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from db import repo
from db.engine import Database
from db.plans import form_marks, get_plan
from db.repo import InputError
from tianbao import __version__
from tianbao.domain.catalogue import Domain, FormMarks, Indicator, Plan, target_in_force
from tianbao.domain.fingerprint import fingerprint, view_fingerprint
from tianbao.domain.status import decimals
from tianbao.domain.values import CHOICE_LABELS, TOTAL, Entry, cells_of, tally_text
from tianbao.excel.form_sheets import (
    finish_book,
    write_explanations_sheet,
    write_instructions_sheet,
)
from tianbao.excel.layout import (
    CODE,
    CODE_ROW,
    COLUMN_CODES,
    COLUMN_LABELS,
    COLUMN_WIDTHS,
    DENOMINATOR,
    FIRST_DATA_ROW,
    FORM_MARKS,
    GROUP,
    GROUP_LABEL,
    HEADER_ROW,
    LAST_COLUMN,
    MARK_COLUMN,
    META_SHEET,
    NAME,
    NOTE,
    NOTES_SHEET,
    NUMBER,
    NUMERATOR,
    PREVIOUS,
    SEQ,
    SIGNOFF,
    SOURCE,
    SOURCE_LABEL,
    STATUS,
    SUBCOLUMN_LABELS,
    SUBHEADER_ROW,
    TARGET,
    UNIT,
    BookMeta,
    InputRow,
    clean_text,
    now_text,
    sheet_title,
)
from tianbao.excel.layout import FORMAT_VERSION as _FORMAT
from tianbao.services.duties import reported_codes
from tianbao.services.monitoring import STATUS_LABELS
from tianbao.services.returns import ReturnService, Row, SignOff, build_row

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


# --- public API ---------------------------------------------------------------------------


def export_return(db: Database, return_id: int, path: str | os.PathLike) -> Exported:
    """Write the return ``return_id`` as a workbook a statistics office accepts."""
    view = ReturnService(db).view(return_id)
    with db.session() as s:
        marks = form_marks(s, view.plan)
    info = view.info
    data = BookData(
        "compiled" if info.aggregated else "return",
        view.plan,
        marks,
        info.unit_code,
        info.unit_name,
        info.year,
        view.own_rows,
        info.signoff,
        view_fingerprint(view),
        info.unit_name if view.reported is not None else "",
        status=info.status,
    )
    return save_workbook(build_workbook(data), path, data)


def export_template(
    db: Database, unit_code: str, plan_id: str, year: int, path: str | os.PathLike
) -> Exported:
    """A blank return for a colleague: protected except the input cells, with data validation
    and input hints, last year's values and the targets shown.  Creates nothing in the database."""
    with db.session() as s:
        unit = repo.unit_by_code(s, unit_code)
        plan = get_plan(s, plan_id)
        if not plan.period[0] - 1 <= year <= plan.period[1] + 5:
            raise InputError(
                f"{year} 年不在计划“{plan.title}”的规划期（{plan.period[0]}–{plan.period[1]}年）内。"
            )
        prev = repo.find_return(s, unit.id, plan.id, year - 1)
        previous = repo.entries(s, prev.id) if prev else {}
        base = repo.baselines(s, unit.id, plan.id)
        marks = form_marks(s, plan)
        unit_name = unit.name
        reported = reported_codes(s, unit, plan)
    rows = tuple(
        build_row(ind, year, {}, previous.get((ind.code, TOTAL)), base.get(ind.code), "")
        for ind in plan.indicators
        if reported is None or ind.code in reported
    )
    data = BookData(
        "template",
        plan,
        marks,
        unit_code,
        unit_name,
        year,
        rows,
        SignOff(),
        fingerprint(plan.id, plan.version, unit_code, year, {}),
        unit_name if reported is not None else "",
    )
    return save_workbook(build_workbook(data), path, data)


# --- building -----------------------------------------------------------------------------


def build_workbook(data: BookData) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = {NOTES_SHEET.lower()}
    inputs: list[InputRow] = []
    held = {r.indicator.domain for r in data.rows}
    for n, domain in enumerate(data.plan.domains, 1):
        if domain.indicators and domain.code in held:
            ws = wb.create_sheet(sheet_title(domain.name, taken))
            inputs += write_domain_sheet(ws, data, domain, n)
    write_instructions_sheet(wb, data)
    write_explanations_sheet(wb, data)
    write_notes_sheet(wb.create_sheet(NOTES_SHEET), data)
    write_meta_sheet(wb, data, inputs)
    finish_book(wb, data)
    wb.active = 0
    return wb


def save_workbook(wb: Workbook, path: str | os.PathLike, data: BookData, *, save=None) -> Exported:
    """Write atomically: a failure (disk full, file open in Excel) leaves the old file intact.
    ``save(wb, path)`` writes the file instead of ``wb.save`` (the compiled workbook streams
    its wide sheets)."""
    path = Path(path)
    if path.suffix.lower() in (".xls", ".ods", ".et", ".csv"):
        path = path.with_suffix(".xlsx")  # the content is .xlsx; another name would mislead
    elif path.suffix.lower() not in (".xlsx", ".xlsm"):
        path = path.with_name(path.name + ".xlsx")
    n_inputs = sum(1 for r in data.rows for _ in cells_of(r.indicator))
    sheets = tuple(ws.title for ws in wb.worksheets)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}.{os.getpid()}.tianbao-tmp.xlsx")
        try:
            if save is None:
                wb.save(tmp)
            else:
                save(wb, tmp)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except PermissionError as e:
        raise InputError(
            f"无法写入“{path}”：文件可能正被 Excel 或 WPS 打开，或该文件夹没有写入权限。"
            "请关闭该文件或另选位置后重试。"
        ) from e
    except OSError as e:
        raise InputError(
            f"无法写入“{path}”：{e.strerror or e}。请检查磁盘空间和文件夹后重试。"
        ) from e
    return Exported(path, data.fingerprint, sheets, n_inputs)


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


def write_header(
    ws: Worksheet,
    data: BookData,
    subtitle: str,
    last_col: int = LAST_COLUMN,
    mark_col: int = MARK_COLUMN,
) -> None:
    """Title, subtitle, 填报单位 and period on the left; the form marks top right (rows 1–5)."""
    title = f"{data.plan.title}监测统计表"
    put(ws, 1, 1, title, font=TITLE_FONT, align=CENTER)
    merge(ws, 1, 1, mark_col - 1)
    put(ws, 2, 1, subtitle, font=SUBTITLE_FONT, align=CENTER)
    merge(ws, 2, 1, mark_col - 1)
    for i, (key, label) in enumerate(FORM_MARKS, 1):
        put(ws, i, mark_col, f"{label}：{getattr(data.marks, key)}", align=LEFT)
        merge(ws, i, mark_col, last_col)
    who = "综合机关名称" if data.kind == "compiled" else "填报单位"
    put(ws, 5, 1, f"{who}：{data.unit_name}", align=LEFT)
    merge(ws, 5, 1, NAME)
    put(ws, 5, TARGET, f"报告期：{data.year}年", font=BOLD, align=CENTER)
    merge(ws, 5, TARGET, PREVIOUS)
    if data.kind != "template" and data.fingerprint:
        put(ws, 5, NUMBER, f"校验码：{data.fingerprint}", font=BOLD, align=LEFT)
        merge(ws, 5, NUMBER, DENOMINATOR)
    ws.row_dimensions[1].height = 30


def print_setup(ws: Worksheet, title_rows: str, last_row: int, last_col: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_area = f"A1:{get_column_letter(last_col)}{last_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def write_domain_sheet(
    ws: Worksheet, data: BookData, domain: Domain, number: int
) -> list[InputRow]:
    template = data.kind == "template"
    write_header(ws, data, f"表{number}　{domain.name}")
    for col, label in COLUMN_LABELS.items():
        put(ws, HEADER_ROW, col, label, font=BOLD, align=CENTER, border=True, fill=HEAD_FILL)
        if col not in SUBCOLUMN_LABELS:
            merge(ws, HEADER_ROW, col, col, SUBHEADER_ROW)
            put(ws, SUBHEADER_ROW, col, None, border=True, fill=HEAD_FILL)
    for col, label in SUBCOLUMN_LABELS.items():
        put(ws, SUBHEADER_ROW, col, label, font=BOLD, align=CENTER, border=True, fill=HEAD_FILL)
    for col in (NUMERATOR, DENOMINATOR):
        put(ws, HEADER_ROW, col, None, border=True, fill=HEAD_FILL)
    merge(ws, HEADER_ROW, NUMBER, DENOMINATOR)
    for col, width in COLUMN_WIDTHS.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    last_col = LAST_COLUMN
    if data.with_sources:
        last_col = SOURCE
        put(
            ws,
            HEADER_ROW,
            SOURCE,
            SOURCE_LABEL,
            font=BOLD,
            align=CENTER,
            border=True,
            fill=HEAD_FILL,
        )
        merge(ws, HEADER_ROW, SOURCE, SOURCE, SUBHEADER_ROW)
        put(ws, SUBHEADER_ROW, SOURCE, None, border=True, fill=HEAD_FILL)
        ws.column_dimensions[get_column_letter(SOURCE)].width = 34

    for col in range(SEQ, last_col + 1):
        put(ws, CODE_ROW, col, COLUMN_CODES[col], align=CENTER, border=True, fill=HEAD_FILL)

    rows = [r for r in data.rows if r.indicator.domain == domain.code]
    validations = _Validations(ws) if template else None
    inputs: list[InputRow] = []
    r = FIRST_DATA_ROW
    for seq, row in enumerate(rows, 1):
        inputs += _write_indicator(ws, r, seq, row, data, validations)
        r += len(cells_of(row.indicator))
    last = r - 1
    r = write_footer(ws, last + 2, data.signoff, template)
    if data.reported_by:
        r += 1
        put(ws, r, 1, reported_by_text(data.reported_by), align=LEFT)
        merge(ws, r, 1, NAME)
    if validations:
        validations.attach()
        ws.protection.formatColumns = False
        ws.protection.formatRows = False
        ws.protection.enable()
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=GROUP)
    print_setup(ws, f"{HEADER_ROW}:{CODE_ROW}", r, last_col)
    return inputs


def _write_indicator(
    ws: Worksheet, r: int, seq: int, row: Row, data: BookData, validations: _Validations | None
) -> list[InputRow]:
    ind = row.indicator
    template = validations is not None
    out = []
    cells = cells_of(ind)
    for cell, _label in cells:
        total = cell == TOTAL
        entry = row.cells.get(cell, Entry())
        put(ws, r, SEQ, seq if total else None, align=CENTER, border=True)
        put(ws, r, CODE, ind.code, align=CENTER, border=True)
        put(ws, r, NAME, ind.name, align=LEFT, border=True)
        put(ws, r, GROUP, GROUP_LABEL[cell] if len(cells) > 1 else None, align=CENTER, border=True)
        put(ws, r, UNIT, ind.unit or None, align=CENTER, border=True)
        put(ws, r, TARGET, targets_text(ind, data.year) if total else None, align=LEFT, border=True)
        prev = row.previous if total else None
        if isinstance(prev, str):
            prev = CHOICE_LABELS.get(prev, prev)
        put(
            ws,
            r,
            PREVIOUS,
            prev,
            align=RIGHT,
            border=True,
            number_format=_num_format(ind, "number") if isinstance(prev, float) else None,
        )
        fill = INPUT_FILL if template else None
        put(
            ws,
            r,
            NUMBER,
            _number_shown(ind, entry),
            align=RIGHT if ind.is_numeric else CENTER,
            border=True,
            fill=fill,
            number_format=_num_format(ind, "number"),
            unlocked=template,
        )
        if ind.is_rate:
            put(
                ws,
                r,
                NUMERATOR,
                entry.numerator,
                align=RIGHT,
                border=True,
                fill=fill,
                number_format="0",
                unlocked=template,
            )
            put(
                ws,
                r,
                DENOMINATOR,
                entry.denominator,
                align=RIGHT,
                border=True,
                fill=fill,
                number_format="0",
                unlocked=template,
            )
        else:
            put(ws, r, NUMERATOR, None, border=True, fill=NA_FILL)
            put(ws, r, DENOMINATOR, None, border=True, fill=NA_FILL)
        status = row.status.status if total and not template else None
        put(
            ws,
            r,
            STATUS,
            STATUS_LABELS.get(status) if status else None,
            align=CENTER,
            border=True,
            fill=STATUS_FILL.get(status or ""),
        )
        put(
            ws,
            r,
            NOTE,
            row.explanation if total else None,
            align=LEFT,
            border=True,
            fill=fill if total else None,
            unlocked=template and total,
        )
        lines = max(
            _lines(ind.name, COLUMN_WIDTHS[NAME]),
            _lines(targets_text(ind, data.year), COLUMN_WIDTHS[TARGET]) if total else 1,
            _lines(row.explanation, COLUMN_WIDTHS[NOTE]) if total else 1,
        )
        if lines > 1:
            ws.row_dimensions[r].height = 13.5 * min(lines, 8)
        if data.with_sources:
            put(ws, r, SOURCE, source_text(row) if total else None, align=LEFT, border=True)
        if validations is not None:
            validations.for_cell(ind, r, total)
        out.append(
            InputRow(
                indicator=ind.code,
                cell=cell,
                sheet=ws.title,
                row=r,
                number_col=NUMBER,
                numerator_col=NUMERATOR if ind.is_rate else 0,
                denominator_col=DENOMINATOR if ind.is_rate else 0,
                explanation_col=NOTE if total else 0,
                exported=entry,
                exported_explanation=row.explanation if total else "",
            )
        )
        r += 1
    return out


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


def write_footer(ws: Worksheet, r: int, signoff: SignOff, template: bool) -> int:
    """单位负责人 … 报出日期 on two rows, each label followed by its value cell; returns the last row."""
    spots = [
        (r, 1, 2, 3, 3),
        (r, 4, 5, 6, 6),
        (r, 7, 7, 8, 8),
        (r, 9, 9, 10, 11),
        (r + 1, 9, 9, 10, 11),
    ]
    for (key, label), (row, c1, c2, v1, v2) in zip(SIGNOFF, spots, strict=True):
        put(ws, row, c1, f"{label}：", align=RIGHT)
        merge(ws, row, c1, c2)
        value = getattr(signoff, key)
        if key == "report_date":
            value = f"{value.year}年{value.month}月{value.day}日" if value else "　　年　　月　　日"
        for col in range(v1, v2 + 1):
            put(
                ws,
                row,
                col,
                value if col == v1 else None,
                align=LEFT,
                border=UNDERLINE,
                unlocked=template,
            )
        merge(ws, row, v1, v2)
    put(ws, r + 1, NOTE, "（单位公章）", align=CENTER)
    return r + 1


class _Validations:
    """Data validation and input hints of a template sheet, one rule per distinct hint."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.rules: dict[tuple, DataValidation] = {}

    def _add(
        self,
        ref: str,
        kind: str,
        op: str | None,
        f1: str | None,
        f2: str | None,
        title: str,
        prompt: str,
        error: str,
    ) -> None:
        key = (kind, op, f1, f2, title, prompt)
        dv = self.rules.get(key)
        if dv is None:
            dv = DataValidation(
                type=kind,
                operator=op,
                formula1=f1,
                formula2=f2,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="输入有误",
                error=error[:225],
                showInputMessage=True,
                promptTitle=title[:32],
                prompt=prompt[:250],
            )
            self.rules[key] = dv
        dv.add(ref)

    def for_cell(self, ind: Indicator, r: int, total: bool) -> None:
        unit = ind.unit or ""
        num_ref = f"{get_column_letter(NUMBER)}{r}"
        title = ind.name[:32]
        if total:
            self._add(
                f"{get_column_letter(NOTE)}{r}",
                "textLength",
                "lessThanOrEqual",
                "2000",
                None,
                "情况说明",
                "本指标有异常波动或未达到目标时，请在此说明原因。",
                "说明不能超过 2000 字。",
            )
        if ind.kind == "yesno":
            self._add(
                num_ref,
                "list",
                None,
                '"是,部分,否"',
                None,
                title,
                "请从下拉列表选择：是 / 部分 / 否。",
                "只能填写 是、部分 或 否。",
            )
            return
        if ind.kind == "text":
            return
        lo, hi = ind.hard_bounds
        lo = 0.0 if lo is None else lo
        whole = ind.kind == "count"
        kind = "whole" if whole else "decimal"
        f1 = _fnum(lo)
        if hi is not None:
            op, f2, rng = "between", _fnum(hi), f"{_fnum(lo)} 到 {_fnum(hi)} 之间"
        else:
            op, f2, rng = "greaterThanOrEqual", None, f"不小于 {_fnum(lo)}"
        hint = f"计量单位：{unit or '—'}。" + ("请填写整数。" if whole else "请填写数字。")
        if ind.is_rate:
            hint = (
                f"比率（{unit}）。可直接填写比率，或只填分子、分母由程序计算（推荐）。"
                f"分子：{ind.numerator}；分母：{ind.denominator}。"
            )
        self._add(
            num_ref,
            kind,
            op,
            f1,
            f2,
            title,
            hint + f"范围：{rng}。没有数据请留空。",
            f"请填写{rng}{'' if hi is not None else ' '}的{'整数' if whole else '数字'}；"
            "没有数据请留空。",
        )
        if ind.is_rate:
            for col, what, name in (
                (NUMERATOR, "分子", ind.numerator),
                (DENOMINATOR, "分母", ind.denominator),
            ):
                self._add(
                    f"{get_column_letter(col)}{r}",
                    "whole",
                    "greaterThanOrEqual",
                    "0",
                    None,
                    f"{what}：{name}"[:32],
                    f"{what}：{name}。请填写不小于 0 的整数。",
                    f"{what}应为不小于 0 的整数。",
                )

    def attach(self) -> None:
        for dv in self.rules.values():
            self.ws.add_data_validation(dv)


def _fnum(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else repr(float(v))


def write_notes_sheet(ws: Worksheet, data: BookData) -> None:
    """情况说明: every check finding with the indicator's explanation."""
    heads = ["序号", "指标代码", "指标名称", "分组", "审核类型", "提示内容", "情况说明"]
    widths = [5, 9, 30, 8, 14, 50, 50]
    put(ws, 1, 1, "情况说明", font=TITLE_FONT, align=CENTER)
    merge(ws, 1, 1, len(heads))
    who = "综合机关名称" if data.kind == "compiled" else "填报单位"
    put(ws, 2, 1, f"{who}：{data.unit_name}　　{data.year}年　　{data.plan.title}", align=LEFT)
    merge(ws, 2, 1, len(heads))
    for i, (h, w) in enumerate(zip(heads, widths, strict=True), 1):
        put(ws, 3, i, h, font=BOLD, align=CENTER, border=True, fill=HEAD_FILL)
        ws.column_dimensions[get_column_letter(i)].width = w
    r, n = 4, 0
    if data.kind == "template":
        put(
            ws,
            r,
            1,
            "本表为空白表。填写后由 Tianbao 审核生成情况说明；如有异常或未达标的指标，"
            "请在各表“说明”列写明原因。",
            align=LEFT,
        )
        merge(ws, r, 1, len(heads))
        r += 1
    else:
        for row in data.rows:
            items: Iterable = list(row.findings)
            if not items and row.explanation:
                items = [("", None)]
            for cell, f in items:
                n += 1
                tier = (
                    ""
                    if f is None
                    else ("必要性审核（须改正）" if f.severity == "error" else "核实性审核")
                )
                values = [
                    n,
                    row.indicator.code,
                    row.indicator.name,
                    GROUP_LABEL.get(cell, cell) if cell else None,
                    tier,
                    f.message if f else None,
                    row.explanation or None,
                ]
                for col, v in enumerate(values, 1):
                    put(ws, r, col, v, align=LEFT if col in (3, 6, 7) else CENTER, border=True)
                r += 1
        if n == 0:
            put(ws, r, 1, "本报表没有审核提示。", align=LEFT)
            merge(ws, r, 1, len(heads))
            r += 1
    print_setup(ws, "3:3", r, len(heads))


def write_meta_sheet(wb: Workbook, data: BookData, inputs: list[InputRow]) -> None:
    meta = BookMeta(
        format=_FORMAT,
        kind=data.kind,
        plan_id=data.plan.id,
        plan_version=data.plan.version,
        plan_fingerprint=replace(data.plan, version=1, builtin=False).fingerprint,
        unit_code=data.unit_code,
        unit_name=data.unit_name,
        year=data.year,
        fingerprint=data.fingerprint,
        exported_at=now_text(),
        program=f"Tianbao {__version__}",
        inputs=tuple(inputs),
        signoff=data.signoff,
        status=data.status,
    )
    ws = wb.create_sheet(META_SHEET)
    for r, values in enumerate(meta.rows(), 1):
        for c, v in enumerate(values, 1):
            if v not in (None, ""):
                cell = ws.cell(row=r, column=c)
                cell.value = clean_text(v) if isinstance(v, str) else v
                if isinstance(v, str) and v[:1] in "=+-@":
                    cell.data_type = "s"
    ws.sheet_state = "veryHidden"
    ws.protection.password = META_PASSWORD
    ws.protection.enable()
