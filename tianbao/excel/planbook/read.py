"""Reading an edited plan workbook back: every problem found, with sheet, row and column."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from tianbao.domain.catalogue import (
    OPS,
    PLAN_ID_RE,
    Plan,
)
from tianbao.domain.errors import os_problem
from tianbao.excel.planbook.cells import (
    _STRIP,
    _as_code,
    _as_int,
    _as_text,
    _Bad,
    _blank,
    _parse_sources,
    _Problems,
    _Row,
    _rows,
    _same_text,
    _shown,
    _split_list,
    _table,
    _Where,
)
from tianbao.excel.planbook.layout import (
    _DATA_COL,
    _DOMAIN_COLS,
    _INDICATOR_COLS,
    _MAX_BYTES,
    _PLAN_LABEL,
    _PLAN_ROWS,
    _TARGET_COLS,
    AGGREGATION_ENUM,
    BASIS_ENUM,
    BETTER_ENUM,
    CHANGE_UNIT_ENUM,
    DIRECTION_ENUM,
    DISAGGREGATION_ENUM,
    KIND_ENUM,
    OP_ENUM,
    PLAN_KIND_ENUM,
    REQUIRED_SHEETS,
    SHEET_DOMAINS,
    SHEET_INDICATORS,
    SHEET_PLAN,
    SHEET_README,
    SHEET_TARGETS,
    UNIT_ENUM,
    YESNO_ENUM,
    PlanbookError,
    PlanbookProblem,
    _key,
)
from tianbao.excel.planbook.validate import (
    _validate,
)
from tianbao.excel.planbook.write import (
    _list_text,
    _sources_text,
)

# ---------------------------------------------------------------------------------------
# Reading: the workbook


def read_plan_workbook(path: Path, new_id: str | None = None) -> Plan:
    """Read a plan workbook and return the validated plan (never marked built-in).

    ``new_id`` renames it into a new plan (version 1); otherwise the plan keeps the id and
    version written in the 计划 sheet and the caller decides how to store it.  Raises
    :class:`PlanbookError` listing every problem, each with its sheet, row and column.

    The workbook is checked (``tianbao.excel.safety``) and read in the sandboxed reader process
    (``tianbao.excel.sandbox``), like every file someone sent: a crash, a time-out or a limit
    reached there is a refusal (a ``KnownError``), never the end of the program.
    """
    from tianbao.excel import sandbox

    path = Path(path)
    return sandbox.run(_read_here, path, new_id, name=path.name)


def _read_here(path: Path, new_id: str | None) -> Plan:
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
        raise fail(f"无法读取文件：{os_problem(e)}（文件是否正在 Excel/WPS 中打开？）") from None
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
    from tianbao.excel.safety import ImportError_, NotAWorkbook, WrongExtension, open_safely

    try:
        # The same checks as a colleague's return (zip bombs, DTDs, huge sheets …); openpyxl
        # then reads the verified, re-packed parts only.
        raw = open_safely(path).data
    except (NotAWorkbook, WrongExtension):
        raise fail(
            "无法打开工作簿：文件不是 .xlsx 格式的计划工作簿。"
            "请选择本程序导出、在 Excel/WPS 中修改后保存的 .xlsx 文件。"
        ) from None
    except ImportError_ as e:
        raise fail(
            str(e).replace(f"“{origin}”", "文件", 1).replace("未导入任何数据。", "未导入。")
        ) from None
    try:
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any failure inside a damaged or foreign file is the file's fault
        raise fail(
            "无法打开工作簿，文件可能已损坏或不是 .xlsx 格式。请在 Excel/WPS 中打开并另存为 .xlsx 后再导入。"
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
    rule = row.text("汇总方式")
    if rule:
        word, _, weight = rule.replace("：", ":").partition(":")
        code = AGGREGATION_ENUM.lookup(word)
        if code is None:
            row.error("汇总方式", AGGREGATION_ENUM.unknown(word))
        else:
            ind["aggregate"] = code
            if weight.strip():
                ind["weight"] = weight.strip()
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
