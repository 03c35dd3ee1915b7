"""统计资料 as a workbook: one sheet of every indicator over the years, one of 指标解释.

Sheet 统计资料: for the unit (and each sub-unit after it, if asked for) a block of rows, one per
indicator — 序号, 指标代码, 指标名称, 计量单位, one column per year, 数据来源.  Numbers are numbers,
with each indicator's fixed decimals.  Sheet 指标解释: definition, calculation, unit, scale,
source department and the plan's wording.  A4 landscape, heading rows repeated, footer naming
the unit, the years and the page; row heights set where text wraps.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook

from tianbao.domain.explain import explain, formula
from tianbao.excel.annex import fit_rows, footer, landscape, number_format, save_book
from tianbao.excel.export import BOLD, CENTER, HEAD_FILL, LEFT, TITLE_FONT, merge, put
from tianbao.services.databook import DataBook

CHOICE = {"yes": "是", "partly": "部分", "no": "否"}


def write_databook_xlsx(book: DataBook, path: str | os.PathLike) -> Path:
    plan, years = book.plan, list(book.years)
    span = f"{years[0]}—{years[-1]}年"
    wb = Workbook()
    ws = wb.active
    ws.title = "统计资料"
    heads = ["序号", "指标代码", "指标名称", "计量单位", *[f"{y}年" for y in years], "数据来源"]
    widths = [5, 9, 36, 8, *[10] * len(years), 22]
    put(ws, 1, 1, f"{plan.title}统计资料（{span}）", font=TITLE_FONT, align=CENTER)
    merge(ws, 1, 1, len(heads))
    put(ws, 2, 1, f"编制单位：{book.unit_name}　　基期：{plan.base_year}年", align=LEFT)
    merge(ws, 2, 1, len(heads))
    for c, (h, w) in enumerate(zip(heads, widths, strict=True), 1):
        put(ws, 3, c, h, font=BOLD, align=CENTER, border=True, fill=HEAD_FILL)
        ws.column_dimensions[ws.cell(row=3, column=c).column_letter].width = w
    r = 4
    for u in book.units:
        put(ws, r, 1, u.name, font=BOLD, align=LEFT, border=True)
        merge(ws, r, 1, len(heads))
        r += 1
        n = 0
        for d in plan.domains:
            put(ws, r, 1, d.name, font=BOLD, align=LEFT, border=True)
            merge(ws, r, 1, len(heads))
            r += 1
            for ind in d.indicators:
                if ind.kind == "text":
                    continue
                n += 1
                put(ws, r, 1, n, align=CENTER, border=True)
                put(ws, r, 2, ind.code, align=CENTER, border=True)
                put(ws, r, 3, ind.name, align=LEFT, border=True)
                put(ws, r, 4, ind.unit or None, align=CENTER, border=True)
                nf = number_format(ind) if ind.is_numeric else None
                for c, y in enumerate(years, 5):
                    v = u.values.get(ind.code, {}).get(y)
                    if isinstance(v, str):
                        v = CHOICE.get(v, v)
                    put(
                        ws,
                        r,
                        c,
                        v,
                        align=CENTER,
                        border=True,
                        number_format=nf if isinstance(v, float) else None,
                    )
                put(ws, r, len(heads), explain(ind).department, align=LEFT, border=True)
                r += 1
    fit_rows(ws, 4, r - 1, {3: widths[2], len(heads): widths[-1]})
    ws.freeze_panes = "E4"
    landscape(ws, "3:3", r - 1, len(heads))
    footer(ws, f"{book.unit_name}　统计资料　{span}")

    ws = wb.create_sheet("指标解释")
    heads = [
        "指标代码",
        "指标名称",
        "定义",
        "计算方法",
        "计量单位",
        "比例尺度",
        "数据来源",
        "规划原文",
    ]
    widths = [9, 30, 40, 36, 8, 14, 18, 50]
    put(ws, 1, 1, f"{plan.title}　指标解释", font=TITLE_FONT, align=CENTER)
    merge(ws, 1, 1, len(heads))
    for c, (h, w) in enumerate(zip(heads, widths, strict=True), 1):
        put(ws, 2, c, h, font=BOLD, align=CENTER, border=True, fill=HEAD_FILL)
        ws.column_dimensions[ws.cell(row=2, column=c).column_letter].width = w
    r = 3
    for ind in plan.indicators:
        e = explain(ind)
        for c, v in enumerate(
            [ind.code, ind.name, e.definition, formula(e), e.unit, e.scale, e.department, e.source],
            1,
        ):
            put(ws, r, c, v or None, align=CENTER if c in (1, 5) else LEFT, border=True)
        r += 1
    fit_rows(ws, 3, r - 1, dict(enumerate(widths, 1)))
    ws.freeze_panes = "C3"
    landscape(ws, "2:2", r - 1, len(heads))
    footer(ws, f"{book.unit_name}　统计资料　指标解释")
    return save_book(wb, path)


__all__ = ["write_databook_xlsx"]
