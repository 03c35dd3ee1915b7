"""The sheets of a return workbook: the header with the form marks, one sheet per plan domain (with
its input checks), the signature footer, the 情况说明 notes sheet and the very hidden meta sheet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tianbao import __version__
from tianbao.domain.catalogue import Domain, Indicator
from tianbao.domain.values import CHOICE_LABELS, TOTAL, Entry, cells_of
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
)
from tianbao.excel.layout import FORMAT_VERSION as _FORMAT
from tianbao.excel.return_cells import (
    BOLD,
    CENTER,
    HEAD_FILL,
    INPUT_FILL,
    LEFT,
    META_PASSWORD,
    NA_FILL,
    RIGHT,
    STATUS_FILL,
    SUBTITLE_FONT,
    TITLE_FONT,
    UNDERLINE,
    BookData,
    _fnum,
    _lines,
    _num_format,
    _number_shown,
    merge,
    put,
    reported_by_text,
    source_text,
    targets_text,
)
from tianbao.services.monitoring import STATUS_LABELS
from tianbao.services.returns import Row, SignOff


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


def fit_to_page(ws: Worksheet, title_rows: str, last_row: int, last_col: int) -> None:
    """A4 landscape fitted to the page width, the heading rows repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(last_row, 1)}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7


def print_setup(ws: Worksheet, title_rows: str, last_row: int, last_col: int) -> None:
    """:func:`fit_to_page` with the page number in the footer (the return's sheets)."""
    fit_to_page(ws, title_rows, last_row, last_col)
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
