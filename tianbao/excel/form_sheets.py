"""What an Excel return carries besides its domain sheets: 填报说明, 指标解释, and the finish.

``finish_book`` is applied to every return, template and compilation once its sheets are
written: the footer names the unit, the year and the page and (for a return) prints the 校验码;
rows whose wrapped text needs more than one line get the height it needs (Excel, WPS and
LibreOffice do not grow rows written by a program, and print overlapping text); a template's
sheets are protected with a password and its workbook structure locked, so a colleague can fill
the yellow cells but not delete, rename or reorder sheets.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from tianbao.domain.explain import explain, formula, instructions
from tianbao.excel.layout import EXPLANATIONS_SHEET, INSTRUCTIONS_SHEET, META_SHEET
from tianbao.excel.return_sheets import fit_to_page

# The look of the return's own sheets (tianbao.excel.export), kept here so that export can use
# this module without the two importing each other.
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = Font(name="宋体", size=10)
_BOLD = Font(name="宋体", size=10, bold=True)
_TITLE = Font(name="黑体", size=16, bold=True)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def _put(
    ws: Worksheet, row: int, col: int, value, *, font=_FONT, align=_LEFT, border=False, fill=None
):
    c = ws.cell(row=row, column=col)
    if value not in (None, ""):
        c.value = value
        if isinstance(value, str) and value[:1] in "=+-@":
            c.data_type = "s"
            c.quotePrefix = True
    c.font, c.alignment = font, align
    if border:
        c.border = _BORDER
    if fill is not None:
        c.fill = fill
    return c


TEMPLATE_PASSWORD = "tianbao"  # deters accidental edits of the structure; not a secret
LINE_HEIGHT = 13.5  # points per line of 10-point 宋体
DEFAULT_WIDTH = 8.43


def write_instructions_sheet(wb: Workbook, data) -> Worksheet:
    ws = wb.create_sheet(INSTRUCTIONS_SHEET)
    ws.column_dimensions["A"].width = 110
    _put(ws, 1, 1, "填报说明", font=_TITLE)
    _put(ws, 2, 1, f"{data.plan.title}监测统计表　{data.year}年", font=_BOLD)
    blank = data.kind == "template"
    for i, text in enumerate(
        instructions(data.plan, data.year, unit_name=data.unit_name, blank=blank), 3
    ):
        _put(ws, i, 1, text)
    last = ws.max_row
    fit_to_page(ws, "1:1", last, 1)
    return ws


def write_explanations_sheet(wb: Workbook, data) -> Worksheet:
    ws = wb.create_sheet(EXPLANATIONS_SHEET)
    heads = ["指标代码", "指标名称", "定义", "计算方法", "计量单位", "比例尺度", "数据来源部门"]
    widths = [9, 30, 46, 40, 8, 16, 20]
    _put(ws, 1, 1, f"指标解释　{data.plan.title}", font=_TITLE, align=Alignment(vertical="center"))
    for c, (h, w) in enumerate(zip(heads, widths, strict=True), 1):
        _put(ws, 2, c, h, font=_BOLD, align=_CENTER, border=True, fill=_HEAD_FILL)
        ws.column_dimensions[get_column_letter(c)].width = w
    seen: set[str] = set()
    r = 3
    for row in data.rows:
        ind = row.indicator
        if ind.code in seen:
            continue
        seen.add(ind.code)
        e = explain(ind)
        values = [ind.code, ind.name, e.definition, formula(e), e.unit, e.scale, e.department]
        for c, v in enumerate(values, 1):
            _put(ws, r, c, v or None, align=_CENTER if c in (1, 5) else _LEFT, border=True)
        r += 1
    ws.freeze_panes = "C3"
    fit_to_page(ws, "2:2", r - 1, len(heads))
    return ws


def _width(ws: Worksheet, col: int) -> float:
    w = ws.column_dimensions[get_column_letter(col)].width
    return float(w) if w else DEFAULT_WIDTH


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (CJK counts two)."""
    lines = 0
    for part in str(text).split("\n"):
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in part)
        lines += max(1, -(-units // max(int(width) - 1, 1)))
    return lines


def fit_row_heights(ws: Worksheet, first_row: int = 1) -> None:
    """Every row with wrapped text that needs more lines than its height holds gets them."""
    spans: dict[tuple[int, int], int] = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row == rng.max_row:
            spans[(rng.min_row, rng.min_col)] = rng.max_col
    for row in ws.iter_rows(min_row=first_row):
        need = 1
        for c in row:
            if not isinstance(c.value, str) or not c.value:
                continue
            if not (c.alignment is not None and c.alignment.wrap_text):
                continue
            last = spans.get((c.row, c.column), c.column)
            width = sum(_width(ws, k) for k in range(c.column, last + 1))
            need = max(need, text_lines(c.value, width))
        if need > 1:
            r = row[0].row
            height = LINE_HEIGHT * min(need, 15)
            current = ws.row_dimensions[r].height
            if not current or current < height:
                ws.row_dimensions[r].height = height


MAX_COLUMNS_PER_PAGE = 14  # beyond this a sheet fitted to one page width prints at ~6 pt


def legible(ws: Worksheet) -> None:
    """A wide sheet (sub-units side by side) prints over several pages across, at a readable
    size, with its first columns (序号, 代码, 指标, 单位) repeated on every page."""
    cols = ws.max_column
    if cols <= MAX_COLUMNS_PER_PAGE:
        return
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = -(-cols // MAX_COLUMNS_PER_PAGE)
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_cols = "A:D"


def finish_book(wb: Workbook, data) -> None:
    """Footer (unit, year, page, 校验码), row heights, and a template's protection."""
    template = data.kind == "template"
    for ws in wb.worksheets:
        if ws.title == META_SHEET:
            continue
        fit_row_heights(ws)
        legible(ws)
        ws.oddFooter.left.text = f"{data.unit_name}　{data.year}年"
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        if not template and data.fingerprint:
            ws.oddFooter.right.text = f"校验码 {data.fingerprint}"
        for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
            part.size = 8
        if template:
            ws.protection.formatColumns = False
            ws.protection.formatRows = False
            ws.protection.password = TEMPLATE_PASSWORD
            ws.protection.enable()
    if template:
        wb.security = WorkbookProtection(workbookPassword=TEMPLATE_PASSWORD, lockStructure=True)


__all__ = [
    "EXPLANATIONS_SHEET",
    "INSTRUCTIONS_SHEET",
    "TEMPLATE_PASSWORD",
    "finish_book",
    "fit_row_heights",
    "text_lines",
    "write_explanations_sheet",
    "write_instructions_sheet",
]
