"""收报情况 as a sheet to send round as a reminder: one line per unit, the missing ones listed."""

from __future__ import annotations

import os
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from db.engine import Database
from db.repo import InputError
from tianbao.services.progress import Progress, progress

HEADERS = (
    "单位代码",
    "单位",
    "类别",
    "应报指标",
    "已填",
    "错误",
    "待说明",
    "状态",
    "报送时间",
    "导入时间",
    "导入文件",
    "文件 SHA-256",
    "报表校验码",
    "尚缺指标",
)
LATE_FILL = PatternFill("solid", fgColor="FCE4D6")
DONE_FILL = PatternFill("solid", fgColor="E2EFDA")
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")


def _t(dt) -> str:
    return f"{dt:%Y-%m-%d %H:%M}" if dt else ""


def progress_workbook(p: Progress) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "收报情况"
    ws.append([f"{p.parent_name} {p.year}年“{p.plan_title}”收报情况"])
    ws["A1"].font = Font(bold=True, size=14)
    late = p.late
    summary = f"应报 {len(p.units)} 个单位，已报送 {p.submitted} 个，未报送 {len(late)} 个"
    if late:
        summary += "：" + "、".join(u.unit_name for u in late)
    ws.append([summary])
    if not p.explicit:
        ws.append(["（本级尚未确定填报分工，以下按默认分工列出）"])
    ws.append(list(HEADERS))
    head = ws.max_row
    for c in ws[head]:
        c.font = Font(bold=True)
        c.fill = HEAD_FILL
        c.alignment = Alignment(horizontal="center", wrap_text=True)
    for u in p.units:
        missing = "、".join(f"{c} {p.names.get(c, '')}".strip() for c in u.missing)
        ws.append(
            [
                u.unit_code,
                u.unit_name,
                "成员单位" if u.kind == "department" else "下级单位",
                len(u.assigned),
                u.filled,
                u.errors,
                u.unexplained,
                u.state_label,
                _t(u.submitted_at),
                _t(u.imported_at),
                u.imported_file,
                u.imported_sha256,
                u.fingerprint,
                missing,
            ]
        )
        fill = DONE_FILL if u.submitted else LATE_FILL
        for c in ws[ws.max_row]:
            c.fill = fill
            c.alignment = Alignment(vertical="top", wrap_text=True)
    for col, w in zip(
        "ABCDEFGHIJKLMN", (12, 20, 10, 9, 7, 7, 8, 9, 17, 17, 30, 20, 22, 60), strict=True
    ):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = ws.cell(row=head + 1, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return wb


def export_progress(
    db: Database, parent_code: str, plan_id: str, year: int, path: str | os.PathLike
) -> Path:
    p = progress(db, parent_code, plan_id, year)
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        progress_workbook(p).save(path)
    except OSError as e:
        raise InputError(
            f"无法写入“{path}”：{e.strerror or e}。文件可能正被 Excel 或 WPS 打开，请关闭后重试。"
        ) from e
    return path
