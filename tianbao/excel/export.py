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

This module writes a return or a template and hands on the names of its parts: the data, the styles
and the small cell writers are in :mod:`tianbao.excel.return_cells`, the sheets (header, domain
sheets, footer, input checks, notes and the hidden meta sheet) in :mod:`tianbao.excel.return_sheets`.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook

from db import repo
from db.engine import Database
from db.plans import form_marks, get_plan
from db.repo import InputError
from tianbao.domain.fingerprint import fingerprint, view_fingerprint
from tianbao.domain.values import TOTAL, cells_of
from tianbao.excel.form_sheets import (
    finish_book,
    write_explanations_sheet,
    write_instructions_sheet,
)
from tianbao.excel.layout import (
    NOTES_SHEET,
    InputRow,
    clean_text,
    sheet_title,
)
from tianbao.excel.return_cells import (
    BOLD,
    BORDER,
    CENTER,
    FONT,
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
    UNLOCKED,
    BookData,
    Exported,
    merge,
    put,
    reported_by_text,
    source_text,
    targets_text,
)
from tianbao.excel.return_sheets import (
    print_setup,
    write_domain_sheet,
    write_footer,
    write_header,
    write_meta_sheet,
    write_notes_sheet,
)
from tianbao.services.duties import reported_codes
from tianbao.services.returns import ReturnService, SignOff, build_row

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


__all__ = [
    "BOLD",
    "BORDER",
    "BookData",
    "CENTER",
    "Exported",
    "FONT",
    "HEAD_FILL",
    "INPUT_FILL",
    "LEFT",
    "META_PASSWORD",
    "NA_FILL",
    "RIGHT",
    "STATUS_FILL",
    "SUBTITLE_FONT",
    "TITLE_FONT",
    "UNDERLINE",
    "UNLOCKED",
    "build_workbook",
    "clean_text",
    "export_return",
    "export_template",
    "merge",
    "print_setup",
    "put",
    "reported_by_text",
    "save_workbook",
    "source_text",
    "targets_text",
    "write_domain_sheet",
    "write_footer",
    "write_header",
    "write_meta_sheet",
    "write_notes_sheet",
]
