"""The data annex (数据附件) of a 中期/终期评估报告: every figure of the report in a workbook.

Sheets: 评估指标 (per indicator: base year and value, each year's value, the milestone in force and
its status, the final target, progress toward it, the projected final value, the change since the
base year, the reason), 分领域统计 (the counts per domain), 下级单位 (each sub-unit's values and
statuses) and 说明 (the rule).  A4 landscape, fitted to the width, heading rows repeated, footer
naming unit, year and page.  Numbers are numbers (with a fixed number of decimals per
indicator), so a colleague can compute with them.
"""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from db.repo import InputError
from tianbao.excel.export import BOLD, CENTER, FONT, HEAD_FILL, LEFT, TITLE_FONT, merge, put
from tianbao.services.evaluation import (
    COUNT_KEYS,
    COUNT_NAMES,
    Evaluation,
    change_text,
    eval_name,
    targets_words,
)


def decimals_of(ind) -> int:
    """Decimals shown for an indicator's values, the same in grid, Excel and PDF."""
    from tianbao.domain.status import decimals

    return decimals(ind)


def number_format(ind) -> str:
    d = decimals_of(ind)
    return "0" if d == 0 else "0." + "0" * d


def footer(ws: Worksheet, text: str) -> None:
    ws.oddFooter.left.text = text
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.left.size = ws.oddFooter.center.size = 8


def landscape(ws: Worksheet, title_rows: str, last_row: int, last_col: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_area = f"A1:{get_column_letter(last_col)}{max(last_row, 1)}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column of ``width`` characters (CJK counts two)."""
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text or ""))
    return max(1, -(-units // max(int(width) - 1, 1)))


def fit_rows(ws: Worksheet, first: int, last: int, widths: dict[int, float]) -> None:
    """Give every row whose wrapped text needs more than one line the height it needs."""
    for r in range(first, last + 1):
        lines = 1
        for col, w in widths.items():
            v = ws.cell(row=r, column=col).value
            if isinstance(v, str):
                lines = max(lines, text_lines(v, w))
        if lines > 1:
            ws.row_dimensions[r].height = 13.5 * min(lines, 10)


def save_book(wb: Workbook, path: str | os.PathLike) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_suffix(".xlsx")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}.{os.getpid()}.tianbao-tmp.xlsx")
        try:
            wb.save(tmp)
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
    return path


def _heads(ws: Worksheet, row: int, heads: list[str], widths: list[float]) -> None:
    for c, (h, w) in enumerate(zip(heads, widths, strict=True), 1):
        put(ws, row, c, h, font=BOLD, align=CENTER, border=True, fill=HEAD_FILL)
        ws.column_dimensions[get_column_letter(c)].width = w


def write_annex(ev: Evaluation, path: str | os.PathLike) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "评估指标"
    end = ev.plan.period[1]
    title = f"{ev.plan.title} {ev.year}年{ev.kind_name}数据附件"
    years = list(ev.years)
    heads = [
        "领域",
        "指标代码",
        "指标名称",
        "计量单位",
        "基期年份",
        "基期值",
        *[f"{y}年" for y in years],
        "本期目标",
        "本期评估",
        "终期目标",
        "终期进度",
        f"预计{end}年值",
        "趋势判断",
        "较基期变化",
        "评估说明",
    ]
    widths = [12, 9, 34, 8, 8, 10, *[10] * len(years), 20, 12, 20, 12, 11, 9, 13, 60]
    put(ws, 1, 1, title, font=TITLE_FONT, align=CENTER)
    merge(ws, 1, 1, len(heads))
    put(ws, 2, 1, f"评估单位：{ev.unit_name}　　评估年份：{ev.year}年", align=LEFT)
    merge(ws, 2, 1, len(heads))
    _heads(ws, 3, heads, widths)
    r = 4
    for row in ev.rows:
        ind = row.indicator
        d = ev.plan.domain_of(ind.code).name
        nf = number_format(ind) if ind.is_numeric else None
        values = [
            d,
            ind.code,
            ind.name,
            ind.unit or None,
            (f"{row.base[0]}*" if row.base_is_start else row.base[0]) if row.base else None,
            row.base[1] if row.base else None,
        ]
        for y in years:
            v = row.values.get(y)
            values.append(
                {"yes": "是", "partly": "部分", "no": "否"}.get(v, v) if isinstance(v, str) else v
            )
        values += [
            targets_words(ind, row.milestone),
            eval_name(row.status.status),
            targets_words(ind, row.final),
            eval_name(row.final_status.status),
            row.projected,
            {True: "可达", False: "难达", None: None}[row.projected_meets],
            change_text(row) or None,
            row.reason or row.status.detail,
        ]
        for c, v in enumerate(values, 1):
            numeric = isinstance(v, float)
            put(
                ws,
                r,
                c,
                v,
                align=LEFT if c in (3, len(heads)) else CENTER,
                border=True,
                number_format=nf if numeric else None,
            )
        r += 1
    fit_rows(ws, 4, r - 1, {3: widths[2], len(heads): widths[-1]})
    ws.freeze_panes = "D4"
    landscape(ws, "3:3", r - 1, len(heads))
    footer(ws, f"{ev.unit_name}　{ev.year}年{ev.kind_name}　数据附件")

    ws = wb.create_sheet("分领域统计")
    heads2 = ["领域", *[COUNT_NAMES[k] for k in COUNT_KEYS], "合计"]
    put(ws, 1, 1, f"{ev.unit_name} {ev.year}年{ev.kind_name}：分领域评估结果", font=TITLE_FONT)
    merge(ws, 1, 1, len(heads2))
    _heads(ws, 2, heads2, [20, *[11] * (len(heads2) - 1)])
    r = 3
    for d in [*ev.plan.domains, None]:
        c = ev.counts(d.code if d else None)
        vals = [d.name if d else "合计", *[c[k] for k in COUNT_KEYS], sum(c.values())]
        for col, v in enumerate(vals, 1):
            put(ws, r, col, v, align=CENTER, border=True, font=BOLD if d is None else FONT)
        r += 1
    reasons = ev.reasons()
    if reasons:
        r += 1
        put(ws, r, 1, "无法评估的指标及原因", font=BOLD)
        r += 1
        for ind, why in reasons:
            put(ws, r, 1, ind.code, border=True)
            put(ws, r, 2, ind.name, border=True, align=LEFT)
            merge(ws, r, 2, 4)
            put(ws, r, 5, why, border=True, align=LEFT)
            merge(ws, r, 5, len(heads2))
            r += 1
    landscape(ws, "2:2", r, len(heads2))
    footer(ws, f"{ev.unit_name}　{ev.year}年{ev.kind_name}")

    if ev.subunits:
        ws = wb.create_sheet("下级单位")
        kids = list(ev.subunits)
        heads3 = ["指标代码", "指标名称", "计量单位", *[k.name for k in kids]]
        put(ws, 1, 1, f"{ev.unit_name}下级单位 {ev.year}年数值与评估", font=TITLE_FONT)
        merge(ws, 1, 1, len(heads3))
        _heads(ws, 2, heads3, [9, 34, 8, *[11] * len(kids)])
        r = 3
        for label, key in [(COUNT_NAMES[k], k) for k in COUNT_KEYS]:
            put(ws, r, 1, None, border=True)
            put(ws, r, 2, f"指标数：{label}", border=True, align=LEFT, font=BOLD)
            put(ws, r, 3, None, border=True)
            for c, k in enumerate(kids, 4):
                put(ws, r, c, k.counts[key] if k.reported else None, border=True, align=CENTER)
            r += 1
        for row in ev.rows:
            ind = row.indicator
            if not any(k.values.get(ind.code) is not None for k in kids):
                continue
            put(ws, r, 1, ind.code, border=True, align=CENTER)
            put(ws, r, 2, ind.name, border=True, align=LEFT)
            put(ws, r, 3, ind.unit or None, border=True, align=CENTER)
            for c, k in enumerate(kids, 4):
                v = k.values.get(ind.code)
                if isinstance(v, str):
                    v = {"yes": "是", "partly": "部分", "no": "否"}.get(v, v)
                nf = number_format(ind) if isinstance(v, float) else None
                put(ws, r, c, v, border=True, align=CENTER, number_format=nf)
            r += 1
        fit_rows(ws, 3, r - 1, {2: 34})
        ws.freeze_panes = "D3"
        landscape(ws, "2:2", r - 1, len(heads3))
        footer(ws, f"{ev.unit_name}　{ev.year}年　下级单位")

    ws = wb.create_sheet("说明")
    ws.column_dimensions["A"].width = 100
    notes = [
        "评估规则（详见程序文档 docs/evaluation.md）",
        "1. 本期目标：评估年份适用的目标（该年或其后第一个阶段性目标；无年份的目标全程适用）。",
        "2. 目标年份已到的，按目标值判断：已达到 / 未达标（含接近目标）。",
        "3. 目标年份未到的，按进度判断：以基期值到目标年份目标值的直线为进度线，当年值达到或优于"
        "进度线为“按进度”，否则为“落后于进度”；已达到目标值的为“已达到”。",
        "4. 没有基期值的，以有数据的第一年为起点（基期年份标“*”）。",
        f"5. 预计{end}年值：各年数值的最小二乘线性趋势在{end}年的值（至少两年数据），不超出指标的取值范围。",
        "6. 较基期变化：评估年份数值减基期值；百分比指标以“个百分点”计。",
    ]
    for i, t in enumerate(notes, 1):
        put(ws, i, 1, t, align=LEFT, font=BOLD if i == 1 else FONT)
    fit_rows(ws, 1, len(notes), {1: 100})
    landscape(ws, "1:1", len(notes), 1)
    footer(ws, f"{ev.unit_name}　{ev.year}年{ev.kind_name}")
    return save_book(wb, path)


__all__ = ["fit_rows", "footer", "landscape", "number_format", "save_book", "write_annex"]
