"""The upper level's compiled workbook (综合汇总表): the parent's return, recomputed from its
sub-units when it is still a draft, followed by every sub-unit's values side by side with the
total, each sub-unit's target compliance, and a ranking.

The parent's own sheets are an ordinary return workbook (with the hidden sheet), so the level
above can import the compiled file like any other return; the extra sheets carry no 本年值
column, so an import never mistakes them for input rows.
"""

from __future__ import annotations

import os

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from db import repo
from db.engine import Database
from db.plans import form_marks, get_plan
from db.repo import InputError
from tianbao.domain.catalogue import target_in_force
from tianbao.domain.fingerprint import view_fingerprint
from tianbao.domain.values import CHOICE_LABELS
from tianbao.excel.export import (
    BOLD,
    CENTER,
    HEAD_FILL,
    LEFT,
    RIGHT,
    STATUS_FILL,
    TITLE_FONT,
    BookData,
    Exported,
    build_workbook,
    merge,
    print_setup,
    put,
    save_workbook,
)
from tianbao.excel.form_sheets import finish_book
from tianbao.services.aggregation import aggregate
from tianbao.services.monitoring import STATUS_LABELS, places, rank, row_attainment
from tianbao.services.returns import ReturnService, ReturnView, Row


def export_compiled(
    db: Database, parent_code: str, plan_id: str, year: int, path: str | os.PathLike
) -> Exported:
    svc = ReturnService(db)
    with db.session() as s:
        parent = repo.unit_by_code(s, parent_code)
        kids = repo.children(s, parent.id)
        if not kids:
            raise InputError(f"“{parent.name}”没有下级单位，无法生成综合汇总表。")
        plan = get_plan(s, plan_id)
        ret = repo.find_return(s, parent.id, plan.id, year)
        draft = ret is None or ret.status == "draft"
        kid_returns = []
        for k in kids:
            kr = repo.find_return(s, k.id, plan.id, year)
            kid_returns.append((k.code, k.name, kr.id if kr else None))
    if draft:
        aggregate(db, parent_code, plan_id, year)
    info = svc.open(parent_code, plan_id, year)
    view = svc.view(info.id)
    with db.session() as s:
        marks = form_marks(s, view.plan)
    views: list[tuple[str, ReturnView | None]] = [
        (name, svc.view(rid) if rid else None) for _code, name, rid in kid_returns
    ]
    data = BookData(
        "compiled",
        view.plan,
        marks,
        info.unit_code,
        info.unit_name,
        year,
        view.rows,
        info.signoff,
        view_fingerprint(view),
    )
    wb = build_workbook(data)
    at = len(wb.worksheets) - 1  # before the hidden sheet
    _values_sheet(wb.create_sheet("下级单位数据", at), data, views)
    _compliance_sheet(wb.create_sheet("下级单位达标情况", at + 1), data, views)
    _ranking_sheet(wb.create_sheet("排名", at + 2), db, data, views)
    finish_book(wb, data)  # footer, row heights, wide sheets legible
    return save_workbook(wb, path, data)


def _shown(row: Row | None) -> object:
    if row is None:
        return None
    v = row.value
    if isinstance(v, str):
        return CHOICE_LABELS.get(v, v)
    return v


def _title(ws: Worksheet, data: BookData, title: str, width: int) -> None:
    put(ws, 1, 1, f"{data.plan.title}　{title}", font=TITLE_FONT, align=CENTER)
    merge(ws, 1, 1, max(width, 2))
    put(ws, 2, 1, f"综合机关名称：{data.unit_name}　　{data.year}年", align=LEFT)
    merge(ws, 2, 1, max(width, 2))
    ws.row_dimensions[1].height = 28


def _heads(ws: Worksheet, row: int, heads: list[str], widths: list[int]) -> None:
    for c, (h, w) in enumerate(zip(heads, widths, strict=True), 1):
        put(ws, row, c, h, font=BOLD, align=CENTER, border=True, fill=HEAD_FILL)
        ws.column_dimensions[get_column_letter(c)].width = w


def _values_sheet(
    ws: Worksheet, data: BookData, views: list[tuple[str, ReturnView | None]]
) -> None:
    """Every sub-unit's value of each indicator (total cell), side by side, and the total."""
    heads = ["序号", "代码", "指标", "计量单位", *(n for n, _ in views), "合计"]
    _title(ws, data, "下级单位数据", len(heads))
    _heads(ws, 3, heads, [5, 8, 34, 8] + [11] * len(views) + [12])
    rows_by = [(n, {r.indicator.code: r for r in v.rows} if v else {}) for n, v in views]
    r = 4
    for seq, row in enumerate(data.rows, 1):
        ind = row.indicator
        put(ws, r, 1, seq, align=CENTER, border=True)
        put(ws, r, 2, ind.code, align=CENTER, border=True)
        put(ws, r, 3, ind.name, align=LEFT, border=True)
        put(ws, r, 4, ind.unit or None, align=CENTER, border=True)
        for c, (_name, by) in enumerate(rows_by, 5):
            v = _shown(by.get(ind.code))
            put(
                ws,
                r,
                c,
                v,
                align=RIGHT if not isinstance(v, str) else CENTER,
                border=True,
                number_format="0.00" if isinstance(v, float) and ind.is_rate else None,
            )
        v = _shown(row)
        put(
            ws,
            r,
            5 + len(views),
            v,
            font=BOLD,
            align=RIGHT if not isinstance(v, str) else CENTER,
            border=True,
            number_format="0.00" if isinstance(v, float) and ind.is_rate else None,
        )
        r += 1
    ws.freeze_panes = "E4"
    print_setup(ws, "3:3", r - 1, len(heads))


def _compliance_sheet(
    ws: Worksheet, data: BookData, views: list[tuple[str, ReturnView | None]]
) -> None:
    """Each sub-unit's target status per indicator with a target in force, then 达标率."""
    heads = ["序号", "代码", "指标", "目标", *(n for n, _ in views), "合计"]
    _title(ws, data, "下级单位目标达标情况", len(heads))
    _heads(ws, 3, heads, [5, 8, 34, 20] + [10] * len(views) + [10])
    columns = [({r.indicator.code: r for r in v.rows} if v else {}) for _n, v in views]
    columns.append({r.indicator.code: r for r in data.rows})
    r, seq = 4, 0
    for row in data.rows:
        ind = row.indicator
        targets = target_in_force(ind.targets, data.year)
        if not targets:
            continue
        seq += 1
        put(ws, r, 1, seq, align=CENTER, border=True)
        put(ws, r, 2, ind.code, align=CENTER, border=True)
        put(ws, r, 3, ind.name, align=LEFT, border=True)
        put(ws, r, 4, "；".join(t.describe(ind.unit) for t in targets), align=LEFT, border=True)
        for c, by in enumerate(columns, 5):
            kid_row = by.get(ind.code)
            st = kid_row.status.status if kid_row else None
            label = STATUS_LABELS.get(st, "未填报") if st else "未填报"
            if kid_row is not None and kid_row.incomplete:
                label = "数据不全"
            put(
                ws,
                r,
                c,
                label,
                align=CENTER,
                border=True,
                fill=STATUS_FILL.get(st or ""),
            )
        r += 1
    for label, pick in (
        ("达标", "met"),
        ("接近", "close"),
        ("未达标", "not_met"),
        ("已评估指标数", "assessed"),
        ("无法评估", "not_assessable"),
        ("应评估指标数", "due"),
        ("达标率（%）", "rate"),
    ):
        put(ws, r, 3, label, font=BOLD, align=LEFT, border=True)
        for c, by in enumerate(columns, 5):
            att = row_attainment(by.values())
            v = getattr(att, pick)
            put(
                ws,
                r,
                c,
                round(v, 1) if isinstance(v, float) else v,
                font=BOLD,
                align=RIGHT,
                border=True,
            )
        r += 1
    ws.freeze_panes = "E4"
    print_setup(ws, "3:3", r - 1, len(heads))


def _ranking_sheet(
    ws: Worksheet, db: Database, data: BookData, views: list[tuple[str, ReturnView | None]]
) -> None:
    """Sub-units ranked by 达标率, then each sub-unit's rank on every indicator that has a
    better direction (1 = best; 越低越好 indicators ranked from the lowest value)."""
    names = [n for n, _ in views]
    width = max(7, 5 + len(names))
    _title(ws, data, "下级单位排名", width)
    _heads(
        ws,
        3,
        ["名次", "单位", "达标", "接近", "未达标", "应评估指标数", "达标率（%）"],
        [6, 16, 8, 8, 8, 10, 11],
    )
    table = []
    for name, v in views:
        att = row_attainment(v.own_rows) if v else None
        table.append((name, att))
    table.sort(key=lambda t: (t[1] is None or t[1].rate is None, -(t[1].rate or 0) if t[1] else 0))
    rated = [(n, a.rate if a and a.rate is not None else None, "") for n, a in table]
    shared = places(rated, lower_is_better=False)  # equal rates share a place
    r = 4
    for (name, att), pos in zip(table, shared, strict=True):
        values = [
            pos if pos is not None else "—",
            name,
            att.met if att else None,
            att.close if att else None,
            att.not_met if att else None,
            att.due if att else None,
            round(att.rate, 1) if att and att.rate is not None else "未填报",
        ]
        for c, v in enumerate(values, 1):
            put(ws, r, c, v, align=CENTER, border=True)
        r += 1
    r += 1
    put(ws, r, 1, "各指标名次（1 为最好）", font=BOLD, align=LEFT)
    r += 1
    heads = ["代码", "指标", "计量单位", "方向", *names]
    for c, h in enumerate(heads, 1):
        put(ws, r, c, h, font=BOLD, align=CENTER, border=True, fill=HEAD_FILL)
    for c in range(5, 5 + len(names)):
        ws.column_dimensions[get_column_letter(c)].width = max(
            ws.column_dimensions[get_column_letter(c)].width or 0, 10
        )
    head_row = r
    r += 1
    for row in data.rows:
        ind = row.indicator
        if not ind.is_numeric or ind.better not in ("lower", "higher"):
            continue
        order = rank(db, data.unit_code, data.plan.id, data.year, ind.code, views=views)
        shared = places(order, ind.better == "lower")  # ties share a place
        place = {name: pos for (name, _v, _st), pos in zip(order, shared, strict=True) if pos}
        put(ws, r, 1, ind.code, align=CENTER, border=True)
        put(ws, r, 2, ind.name, align=LEFT, border=True)
        put(ws, r, 3, ind.unit or None, align=CENTER, border=True)
        put(
            ws, r, 4, "越低越好" if ind.better == "lower" else "越高越好", align=CENTER, border=True
        )
        for c, name in enumerate(names, 5):
            put(ws, r, c, place.get(name, "—"), align=CENTER, border=True)
        r += 1
    print_setup(ws, f"{head_row}:{head_row}", r - 1, width)
