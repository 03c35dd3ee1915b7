"""The 填报分工 sheet: export the division for editing in Excel or WPS, and read it back.

The sheet carries, hidden beside each row, the reporter it was exported with (导出时填报单位代码):
an import writes only the rows changed in the sheet, each expecting that exported reporter, so a
reporter another user changed after the export is never reverted by an unchanged row, and a row
both changed is refused with who changed it and when (issue 15).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from db.repo import ANY, InputError, Origin
from tianbao.domain.errors import KnownError
from tianbao.services.division import SELF, SUBUNITS, DutyChange, Source

SHEET = "填报分工"
HEADERS = (
    "指标代码",
    "领域",
    "指标名称",
    "填报单位",
    "填报单位代码",
    "计划所列责任部门",
    "导出时填报单位代码",
)
EXPORTED = HEADERS[6]


def export_sheet(du, parent_code: str, plan_id: str, path: str | os.PathLike) -> Path:
    """The division as a sheet: 指标代码, 领域, 指标名称, 填报单位, 单位代码 (editable)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    t = du.table(parent_code, plan_id)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([f"{t.parent_name} {t.plan_title}（第 {t.plan_version} 版）填报分工"])
    ws.append([f"单位代码：{t.parent_code}", f"计划：{t.plan_id}"])
    ws.append(list(HEADERS))
    for c in ws[3]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
    for r in t.rows:
        ws.append(
            [
                r.code,
                r.domain_name,
                r.name,
                t.label(r.source),
                _target_code(r.source),
                "、".join(r.departments),
                _target_code(r.source),  # hidden: what this row expects on import
            ]
        )
    choices = [_target_code(src) for src, _ in t.choices()]
    ws.append([])
    ws.append(["“填报单位代码”可填：self（本级）、subunits（下级单位）或成员单位代码："])
    for src, label in t.choices():
        ws.append(["", "", "", label, _target_code(src)])
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=False,
        showErrorMessage=True,
        error="请从列表中选择 self、subunits 或成员单位代码。",
    )
    dv.add(f"E4:E{3 + len(t.rows)}")
    ws.add_data_validation(dv)
    for col, width in zip("ABCDEF", (10, 14, 48, 22, 16, 24), strict=True):
        ws.column_dimensions[col].width = width
    ws.column_dimensions["G"].hidden = True
    for row in ws.iter_rows(min_row=4, max_row=3 + len(t.rows), min_col=5, max_col=5):
        for c in row:
            c.protection = Protection(locked=False)
    ws.freeze_panes = "A4"
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        wb.save(path)
    except OSError as e:
        raise InputError(
            f"无法写入“{path}”：{e.strerror or e}。文件可能正被 Excel 或 WPS 打开，请关闭后重试。"
        ) from e
    return path


def import_sheet(du, parent_code: str, plan_id: str, path: str | os.PathLike) -> DutyChange:
    """Read a division sheet back; any problem → a Chinese message and nothing changed.

    A sheet exported by this program says beside each row what it was exported with: only the
    rows whose 填报单位代码 differs from it are written, each expecting it (a
    :class:`~tianbao.services.division.DutyConflict` if another user changed that indicator
    since).  A sheet without that column (an older export) is the whole division, as before."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"找不到文件“{path}”。")
    from tianbao.excel.read import read_book

    # Checked and parsed in the sandboxed reader process, like every file someone sent:
    # a damaged or hostile file is a KnownError with a Chinese message, never a crash.
    try:
        _book, sheets = read_book(path)
    except KnownError as e:
        raise InputError(
            f"无法读取“{path.name}”：不是有效的 xlsx 文件。请用导出的填报分工表填写后再导入。"
            f"（{e}）"
        ) from None
    sheet = next((sh for sh in sheets if sh.name == SHEET), sheets[0])
    rows = [[None if c == "" else c for c in r] for r in sheet.rows]
    header = next(
        (
            n
            for n, r in enumerate(rows)
            if r and _text(r[0]) == HEADERS[0] and HEADERS[4] in [_text(c) for c in r]
        ),
        None,
    )
    if header is None:
        raise InputError(
            f"“{path.name}”不是填报分工表：找不到“{HEADERS[0]}”和“{HEADERS[4]}”两列。"
            "请先导出填报分工表，在其中修改后再导入。"
        )
    cols = [_text(c) for c in rows[header]]
    c_code, c_to = cols.index(HEADERS[0]), cols.index(HEADERS[4])
    c_was = cols.index(EXPORTED) if EXPORTED in cols else None
    meta = " ".join(_text(c) for r in rows[:header] for c in r if c is not None)
    m = re.search(r"单位代码：(\S+)", meta)
    if m and m.group(1) != parent_code:
        raise InputError(
            f"“{path.name}”是单位 {m.group(1)} 的填报分工表，不是 {parent_code} 的，未导入。"
        )
    m = re.search(r"计划：(\S+)", meta)
    if m and m.group(1) != plan_id:
        raise InputError(
            f"“{path.name}”是计划 {m.group(1)} 的填报分工表，不是 {plan_id} 的，未导入。"
        )
    t = du.table(parent_code, plan_id)
    known = {r.code for r in t.rows}
    targets = {_target_code(src): src for src, _ in t.choices()}
    for d in t.departments:
        targets[d.name] = Source("department", d.code)
    targets.update({"本级": Source(SELF), "下级": Source(SUBUNITS)})
    problems: list[str] = []
    sources: dict[str, Source] = {}
    exported: dict[str, Source] = {}
    for n, r in enumerate(rows[header + 1 :], start=header + 2):
        code = _text(r[c_code]) if c_code < len(r) else ""
        to = _text(r[c_to]) if c_to < len(r) else ""
        was = _text(r[c_was]) if c_was is not None and c_was < len(r) else ""
        if code in known and was in targets:
            exported[code] = targets[was]
        if not code:
            continue
        if code not in known:
            if to:
                problems.append(f"第 {n} 行：计划中没有指标“{code}”")
            continue
        if not to:
            problems.append(f"第 {n} 行（{code}）：“{HEADERS[4]}”为空")
        elif to not in targets:
            problems.append(
                f"第 {n} 行（{code}）：“{to}”不是 self、subunits 或{t.parent_name}的成员单位代码"
            )
        elif code in sources and sources[code] != targets[to]:
            problems.append(f"第 {n} 行：指标 {code} 重复，且分给了不同单位")
        else:
            sources[code] = targets[to]
    if problems:
        raise InputError(
            f"“{path.name}”有 {len(problems)} 处错误，未导入：\n"
            + "\n".join(problems[:30])
            + ("\n……" if len(problems) > 30 else "")
        )
    if not sources:
        raise InputError(f"“{path.name}”中没有任何指标的填报单位，未导入。")
    expected = ANY
    if c_was is not None:
        # Rows left as exported are not writes: what others changed since the export stands.
        sources = {c: src for c, src in sources.items() if exported.get(c) != src}
        expected = exported
    import hashlib

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    origin = Origin(source="imported", user=du.user, file=path.name, sha256=digest)
    return du.set_many(parent_code, plan_id, sources, origin=origin, force=True, expected=expected)


def _target_code(src: Source) -> str:
    return src.unit_code if src.kind == "department" else src.kind


def _text(c: object) -> str:
    if c is None:
        return ""
    if isinstance(c, float) and c.is_integer():
        return str(int(c))
    return str(c).strip()
