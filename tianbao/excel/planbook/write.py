"""Writing a plan as a workbook that a county office edits in Excel or WPS."""

from __future__ import annotations

import json
import math
import os
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tianbao.domain.catalogue import (
    OPS,
    Indicator,
    Plan,
    Target,
)
from tianbao.excel.planbook.layout import (
    _DATA_COL,
    _DOMAIN_COLS,
    _HEADER_BORDER,
    _HEADER_FILL,
    _HEADER_FONT,
    _HEADER_HINTS,
    _INDICATOR_COLS,
    _PLAN_ROWS,
    _SPARE_ROWS,
    _TARGET_COLS,
    _TARGET_REF_COL,
    _TEXT_FORMAT,
    _WRAP_TOP,
    AGGREGATION_ENUM,
    BASIS_ENUM,
    BETTER_ENUM,
    CHANGE_UNIT_ENUM,
    DIRECTION_ENUM,
    DISAGGREGATION_ENUM,
    KIND_ENUM,
    PLAN_KIND_ENUM,
    SHEET_DOMAINS,
    SHEET_INDICATORS,
    SHEET_PLAN,
    SHEET_README,
    SHEET_TARGETS,
    UNIT_ENUM,
    YESNO_ENUM,
)

# ---------------------------------------------------------------------------------------
# Writing


def write_plan_workbook(plan: Plan, path: Path) -> None:
    """Write ``plan`` as a plan workbook at ``path`` (replaced atomically; OSError if it cannot)."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = plan.title
    wb.properties.creator = "Tianbao 填报"
    _write_readme(wb.create_sheet(SHEET_README), plan)
    _write_plan_sheet(wb.create_sheet(SHEET_PLAN), plan)
    _write_domains(wb.create_sheet(SHEET_DOMAINS), plan)
    _write_indicators(wb.create_sheet(SHEET_INDICATORS), plan)
    _write_targets(wb.create_sheet(SHEET_TARGETS), plan)
    for ws in wb.worksheets:  # print on landscape pages, as wide as the page
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        if ws.title != SHEET_README:
            ws.print_title_rows = "1:1"
    wb.active = 0

    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=".planbook-", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Cell:
    """Write a value; strings are always stored as text (never as a formula)."""
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        return cell
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # "=SUM(…)" stays text: openpyxl would otherwise store a formula
        cell.number_format = _TEXT_FORMAT  # and stays text when the user edits the cell
    elif isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        cell.value = int(value)
    else:
        cell.value = value
    return cell


def _header(ws: Worksheet, cols: Iterable[tuple[str, float]]) -> None:
    for i, (title, width) in enumerate(cols, start=1):
        cell = _put(ws, 1, i, title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.border = _HEADER_BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        if title in _HEADER_HINTS:
            comment = Comment(_HEADER_HINTS[title], "填报")
            comment.width, comment.height = 260, 90
            cell.comment = comment
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "B2"


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit_height(ws: Worksheet, row: int) -> None:
    """Give a row with wrapped text the height it needs (Excel and WPS do not always do it)."""
    lines = 1
    for cell in ws[row]:
        if isinstance(cell.value, str) and cell.alignment.wrap_text:
            width = max(4.0, (ws.column_dimensions[cell.column_letter].width or 8.43) - 1)
            n = sum(max(1, math.ceil(_text_width(part) / width)) for part in cell.value.split("\n"))
            lines = max(lines, n)
    if lines > 1:
        ws.row_dimensions[row].height = min(400, 15 * lines + 3)


def _list_validation(
    ws: Worksheet, col: int, choices: list[str], last_row: int, prompt: str = ""
) -> None:
    letter = get_column_letter(col)
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning",
        errorTitle="不在列表中",
        error="请从下拉列表中选择（导入时会检查）。",
        showInputMessage=bool(prompt),
        prompt=prompt[:250] or None,
    )
    dv.add(f"{letter}2:{letter}{last_row}")
    ws.add_data_validation(dv)


def _num_out(v: float | None) -> float | int | None:
    if v is None:
        return None
    return int(v) if float(v).is_integer() and abs(v) < 1e15 else v


def _write_plan_sheet(ws: Worksheet, plan: Plan) -> None:
    values: dict[str, Any] = {
        "id": plan.id,
        "version": plan.version,
        "title": plan.title,
        "title_en": plan.title_en,
        "kind": PLAN_KIND_ENUM.word(plan.kind),
        "region": plan.region,
        "period_start": plan.period[0],
        "period_end": plan.period[1],
        "base_year": plan.base_year,
        "source": plan.source,
        "note": plan.note,
    }
    for name in ("table_no", "made_by", "approved_by", "approval_no", "valid_until"):
        values[f"form.{name}"] = getattr(plan.form, name)
    _header(ws, (("项目", 14), ("内容", 56), ("说明", 70)))
    ws.freeze_panes = "A2"
    for r, (label, key, hint) in enumerate(_PLAN_ROWS, start=2):
        label_cell = _put(ws, r, 1, label)
        label_cell.font = _HEADER_FONT
        label_cell.alignment = _WRAP_TOP
        cell = _put(ws, r, 2, values[key])
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
        if key in ("version", "period_start", "period_end", "base_year"):
            cell.number_format = "0"
        else:
            cell.number_format = _TEXT_FORMAT
        hint_cell = _put(ws, r, 3, hint)
        hint_cell.font = Font(color="808080")
        hint_cell.alignment = _WRAP_TOP
        if key == "kind":
            dv = DataValidation(type="list", formula1='"妇女,儿童"', allow_blank=False)
            dv.add(cell.coordinate)
            ws.add_data_validation(dv)
        _fit_height(ws, r)


def _write_domains(ws: Worksheet, plan: Plan) -> None:
    _header(ws, _DOMAIN_COLS)
    for r, d in enumerate(plan.domains, start=2):
        for c, v in enumerate((d.code, d.name, d.name_en), start=1):
            _put(ws, r, c, v)
    ws.auto_filter.ref = f"A1:C{max(2, len(plan.domains) + 1)}"


def _sources_text(lines: Iterable[tuple[int, str]]) -> str:
    return "\n".join(f"{line}：{quote}" for line, quote in lines)


def _list_text(items: Iterable[str]) -> str:
    return "，".join(items)


def _indicator_cells(ind: Indicator) -> list[Any]:
    bounds = ind.bounds or (None, None)
    plausible = ind.plausible or (None, None)
    data = {
        "sources": [[s.line, s.quote] for s in ind.sources],
        "departments": list(ind.departments),
    }
    return [
        ind.code,
        ind.domain,
        ind.name,
        ind.name_en,
        ind.unit,
        KIND_ENUM.word(ind.kind),
        _num_out(ind.scale),
        ind.numerator,
        ind.denominator,
        YESNO_ENUM.word("yes" if ind.gross else "no"),
        BETTER_ENUM.word(ind.better),
        _num_out(bounds[0]),
        _num_out(bounds[1]),
        _num_out(plausible[0]),
        _num_out(plausible[1]),
        _num_out(ind.change_threshold),
        _list_text(DISAGGREGATION_ENUM.word(d) for d in ind.disaggregation),
        _aggregation_text(ind),
        _list_text(ind.departments),
        ind.note,
        _sources_text((s.line, s.quote) for s in ind.sources),
        json.dumps(data, ensure_ascii=False),
    ]


def _aggregation_text(ind) -> str:
    """汇总方式 as stated in the catalogue ("" = the default of the kind), 加权平均:H05 with its weight."""
    if not ind.aggregate:
        return ""
    word = AGGREGATION_ENUM.word(ind.aggregate)
    return f"{word}:{ind.weight}" if ind.weight else word


def _write_indicators(ws: Worksheet, plan: Plan) -> None:
    _header(ws, _INDICATOR_COLS)
    col = {title: i for i, (title, _) in enumerate(_INDICATOR_COLS, start=1)}
    wrap = {
        col[t] for t in ("指标名称", "英文名称", "分子", "分母", "责任部门", "备注", "原文出处")
    }
    for r, ind in enumerate(plan.indicators, start=2):
        for c, v in enumerate(_indicator_cells(ind), start=1):
            cell = _put(ws, r, c, v)
            if c in wrap:
                cell.alignment = _WRAP_TOP
        _fit_height(ws, r)
    last = len(plan.indicators) + 1
    ws.column_dimensions[get_column_letter(col[_DATA_COL])].hidden = True
    ws.auto_filter.ref = f"A1:{get_column_letter(len(_INDICATOR_COLS))}{max(2, last)}"
    spare = last + _SPARE_ROWS
    _list_validation(ws, col["计量单位"], UNIT_ENUM.choices(), spare, "没有单位留空")
    _list_validation(ws, col["值类型"], KIND_ENUM.choices(), spare)
    _list_validation(ws, col["毛比率"], YESNO_ENUM.choices(), spare)
    _list_validation(ws, col["优劣方向"], BETTER_ENUM.choices(), spare)


def _target_cells(ind: Indicator, t: Target) -> list[Any]:
    v = t.value
    low, high = v if isinstance(v, tuple) else (v, None)
    return [
        ind.code,
        ind.name,
        t.year,
        t.op,
        _num_out(low),
        _num_out(high),
        _num_out(t.tolerance),
        YESNO_ENUM.word("yes") if t.tolerance_stated else None,
        t.base_year,
        BASIS_ENUM.word(t.basis) if t.basis else None,
        CHANGE_UNIT_ENUM.word(t.change_unit) if t.change_unit else None,
        _num_out(t.baseline),
        DIRECTION_ENUM.word(t.direction) if t.direction else None,
        t.each,
        t.from_year,
        t.reference,
        t.reached_in,
        t.line,
        t.quote,
        t.note,
    ]


def _write_targets(ws: Worksheet, plan: Plan) -> None:
    _header(ws, _TARGET_COLS)
    col = {title: i for i, (title, _) in enumerate(_TARGET_COLS, start=1)}
    wrap = {col[t] for t in (_TARGET_REF_COL, "原文", "备注")}
    grey = Font(color="808080")
    r = 1
    for ind in plan.indicators:
        for t in ind.targets:
            r += 1
            for c, v in enumerate(_target_cells(ind, t), start=1):
                cell = _put(ws, r, c, v)
                if c in wrap:
                    cell.alignment = _WRAP_TOP
                if c == col[_TARGET_REF_COL]:
                    cell.font = grey
            _fit_height(ws, r)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(_TARGET_COLS))}{max(2, r)}"
    spare = r + _SPARE_ROWS
    _list_validation(ws, col["比较方式"], list(OPS), spare, _HEADER_HINTS["比较方式"])
    _list_validation(ws, col["基数"], BASIS_ENUM.choices(), spare)
    _list_validation(ws, col["变动单位"], CHANGE_UNIT_ENUM.choices(), spare)
    _list_validation(ws, col["趋势方向"], DIRECTION_ENUM.choices(), spare)
    _list_validation(ws, col["容差出自原文"], YESNO_ENUM.choices(), spare)


_README_FORMS = (
    ("降至/控制在 X 以下、以内", "比较方式 <=，目标值 X", "婴儿死亡率降至 3.4‰ 以下：<=，3.4"),
    ("低于 X", "比较方式 <，目标值 X", ""),
    ("达到/保持在 X 以上", "比较方式 >=，目标值 X", "新生儿访视率保持在 90% 以上：>=，90"),
    ("高于/超过 X", "比较方式 >，目标值 X", ""),
    ("实现全覆盖、100%", "比较方式 >=，目标值 100", ""),
    (
        "分阶段目标（里程碑）",
        "每个年份一行，填写年份；某年适用的是该年或其后最近的一个里程碑",
        "2025 年 ≤4.2‰、2030 年 ≤3.4‰：两行，年份 2025 和 2030",
    ),
    (
        "X 左右",
        "比较方式 approx，目标值 X，容差必须填写（原文没有给出时自行确定并在备注中说明）",
        "近视率控制在 3.5% 左右：approx，3.5，容差 0.5",
    ),
    ("X 到 Y 之间", "比较方式 range，目标值 X，目标值上限 Y", ""),
    (
        "以基期年为基数下降/上升 N%",
        "比较方式 change，目标值 −N（下降为负数），变动单位 百分比，"
        "基数 基期，基期年 如 2020，基期值 可填原文给出的基期数值",
        "伤害死亡率以 2020 年为基数下降 20%：change，-20，百分比，基期，2020",
    ),
    (
        "每年下降/上升 a—b 个百分点",
        "比较方式 change，目标值与目标值上限填区间两端（下降为负数），变动单位 百分点，基数 上年",
        "每年下降 0.5—1 个百分点：change，-1，-0.5，百分点，上年",
    ),
    (
        "年均增长（增幅）不低于 N%",
        "比较方式 growth，目标值 N（自基期年起按复合增长计算）",
        "养育标准年均增幅不低于 6%：growth，6",
    ),
    (
        "以下级单位为单位达标",
        "照常填写比较方式和目标值，并在“每个下级单位须达标”中写单位名称",
        "以乡镇（街道）为单位保持在 90% 以上：>=，90，乡镇（街道）",
    ),
    (
        "分步推行，自某年起每个下级单位达标",
        "照常填写，并在“起始年份”中写从哪一年起适用；原文没有写年份的不要自拟，按定性目标填写",
        "2025 年起扩大到每个县（市、区）：>=，1，县（市、区），起始年份 2025",
    ),
    (
        "不低于同年另一个数值（如本地区党员中女性比例）",
        "比较方式 >= 等，目标值留空，“参照值名称”写该数值的名称；填报时在“参照值”一行填写",
        "女党员代表比例不低于本地区党员总数中女性比例：>=，参照值名称 本地区党员总数中女性比例",
    ),
    (
        "里程碑之后“在此基础上继续提高”",
        "比较方式 >（继续提高）或 >=（巩固），目标值留空，“实际值年份”写里程碑年份",
        "2025 年达到 60%，2030 年在此基础上继续提高：两行，2025 >= 60；2030 >，实际值年份 2025",
    ),
    (
        "每千人拥有 X 个",
        "指标值类型填 比值，倍数 1000，目标 >= X",
        "每千常住人口拥有托位数 5.5 个以上",
    ),
    (
        "趋势（上升趋势得到控制等）",
        "比较方式 direction，趋势方向 下降/上升/保持稳定/不上升/不下降，不填目标值",
        "超重率上升趋势得到有效控制：direction，不上升",
    ),
    (
        "定性目标（机制有效运行等）",
        "指标值类型填 是否，比较方式 qualitative，不填目标值",
        "基层儿童保护机制有效运行",
    ),
)


def _write_readme(ws: Worksheet, plan: Plan) -> None:
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 62
    ws.column_dimensions["C"].width = 46
    ws.sheet_view.showGridLines = False
    bold = Font(bold=True)
    r = 0

    def line(a: str = "", b: str = "", c: str = "", *, font: Font | None = None) -> None:
        nonlocal r
        r += 1
        for col, text in ((1, a), (2, b), (3, c)):
            cell = _put(ws, r, col, text)
            cell.alignment = _WRAP_TOP
            if font is not None:
                cell.font = font
        _fit_height(ws, r)

    line("计划工作簿", font=Font(bold=True, size=14))
    line("计划", f"{plan.title}（编号 {plan.id}，第 {plan.version} 版）")
    line(
        "用途",
        "本工作簿用于县（市、区）自行制定或修改本地的妇女/儿童发展规划目标："
        "在 Excel 或 WPS 中修改后，用填报程序导入，作为本计划的新版本或另存为新计划。",
    )
    line()
    line("一、各工作表", font=bold)
    line("说明", "就是本页，导入时不读取。")
    line(
        "计划",
        "计划的基本信息，每行一项：“项目”列是名称（不要改），“内容”列填写。"
        "表号、制定机关、批准机关、批准文号、有效期至会印在统计报表的右上角。",
    )
    line(
        "领域",
        "规划的领域（如 儿童与健康），每行一个：代码、名称、英文名称。领域的先后顺序就是报表中的顺序。",
    )
    line("指标", "每行一个指标。各列含义见下文，把鼠标停在表头上也能看到提示。")
    line(
        "目标",
        "每行一个目标；同一指标可以有多个目标（不同年份的里程碑，或一个总体目标加一个"
        "“每个下级单位须达标”的目标）。用“指标代码”对应到“指标”表。",
    )
    line()
    line("二、“指标”表各列", font=bold)
    for title, text in (
        ("指标代码", "指标的唯一代码：字母开头，只用字母、数字和 _ . -，最长 32 个字符。"),
        ("领域代码", "该指标所属领域，必须是“领域”表中的代码。"),
        ("指标名称 / 英文名称", "英文名称可留空。"),
        ("计量单位", "从下拉列表选择：" + " ".join(UNIT_ENUM.choices()) + "；没有单位留空。"),
        (
            "值类型",
            "率（分子÷分母×倍数，如死亡率、接种率）、比值（人均指标，如每千人托位数）、"
            "计数（整数，如个数）、数额（带小数，如金额）、时长（小时、天、年）、"
            "是否（定性目标，填报 是/部分/否 并说明）、文本。",
        ),
        (
            "倍数",
            "只有率和比值填写：% 填 100，‰ 填 1000，1/万 填 10000，1/10万 填 100000，"
            "每千人填 1000。其他类型留空。",
        ),
        ("分子 / 分母", "率和比值必须填写分子、分母的名称，如 未满1岁婴儿死亡数 / 活产数。"),
        ("毛比率", "填“是”表示可以超过 100%（如学前教育毛入园率），否则填“否”。"),
        ("优劣方向", "越小越好（如死亡率）、越大越好（如接种率）或不区分。"),
        (
            "下限 / 上限",
            "数值不可能超出的范围（必要性审核）；两个都填或都不填。率可以不填，默认 0 到倍数。",
        ),
        ("合理下限 / 合理上限", "超出时提示核实（核实性审核），两个都填或都不填。"),
        ("变动阈值", "与上年相比变动超过这个数时要求填写说明；率按百分点，其他按百分比。"),
        ("分组", "需要分性别、城乡、年龄段填报时填写，多个用逗号隔开，如 性别，城乡。"),
        ("责任部门", "负责报送的部门，多个用逗号隔开。"),
        (
            "原文出处",
            "规划原文中提到该指标的每一处，每处一行，写成“行号：原文”，"
            "如 94：婴儿死亡率降至3.4‰以下。本地新增的指标没有原文的可以不填。行号是“计划”表“原文文件”中的行号。",
        ),
        ("最后一列（隐藏）", "程序使用，请勿修改或删除。"),
    ):
        line(title, text)
    line()
    line("三、“目标”表各列", font=bold)
    for title, text in (
        ("指标代码", "对应“指标”表的指标代码。"),
        ("指标名称（参考）", "仅便于阅读，导入时不读取，改了也不起作用。"),
        ("年份", "目标年份，必须在规划期内；原文没有写年份的留空（表示每年都适用）。"),
        (
            "比较方式",
            "从下拉列表选择，写法见下文第四部分。也可以写 ≤ ≥ 以下 以上 左右 区间 "
            "变动 年均增长 趋势 定性。",
        ),
        (
            "目标值 / 目标值上限",
            "目标数值，按“指标”表的计量单位填写（如 96% 填 96）。"
            "目标值上限只用于区间（range）和变动区间（change）。",
        ),
        ("容差", "“左右”（approx）必须填写，如 3.5 左右、上下 0.5 以内算达标，填 0.5。"),
        (
            "基期年 / 基数 / 变动单位 / 基期值",
            "用于变动（change）和年均增长（growth）："
            "基数填 基期（与基期年比）或 上年（与上一年比）；变动单位填 百分比 或 百分点；"
            "基期年留空时用“计划”表的基期年；基期值可填原文给出的基期数值。",
        ),
        ("趋势方向", "用于趋势（direction）：下降、上升、保持稳定、不上升、不下降。"),
        ("每个下级单位须达标", "原文要求“以乡镇（街道）为单位”等时填写单位名称，如 乡镇（街道）。"),
        ("起始年份", "分步推行的目标从哪一年起适用（原文写明年份时才填），之前各年不考核。"),
        (
            "参照值名称",
            "目标与同年另一个数值比较（如“不低于本地区党员总数中女性比例”）时填写该数值的名称，"
            "目标值留空；报表上该指标下多一行“参照值”，与指标一同填报。",
        ),
        (
            "实际值年份",
            "“在此基础上继续提高”时填写里程碑年份，目标与本单位该年实际达到的数值比较，目标值留空。",
        ),
        (
            "容差出自原文",
            "“左右”的容差原文写明时填 是；否则容差是本目录的取值，报表上注明“容差为目录取值”。",
        ),
        ("原文行号 / 原文", "目标在规划原文中的行号和原话（可留空）。"),
        ("备注", "原文有矛盾、目标已提前实现等情况在此说明。"),
    ):
        line(title, text)
    line()
    line("四、目标的写法", font=bold)
    line("原文的说法", "在“目标”表中怎样填", "例子", font=bold)
    for form, how, example in _README_FORMS:
        line(form, how, example)
    line()
    line("五、不能改的内容", font=bold)
    line(
        "代码",
        "已经填报过数据的计划，不要修改领域代码和指标代码，否则已填报的数据无法对应。"
        "作为本计划的新版本导入时，不要修改“计划编号”。新增指标请用新的代码。",
    )
    line(
        "表名和表头",
        "不要修改五张工作表的名称和各列的表头；可以调整列的顺序，也可以在右侧加自己的列"
        "（导入时不读取）。",
    )
    line("隐藏列", "“指标”表最后的隐藏列由程序使用，请勿修改或删除。")
    line()
    line("六、填写和导入", font=bold)
    line(
        "填写",
        "可以增加、删除、调整行的顺序。数字可以是文本或全角数字，多余的空格会被忽略。"
        "不要用公式。以 = + - @ 开头的文字会按文字保存。",
    )
    line(
        "导入",
        "在填报程序中选择“导入计划工作簿”，选择本文件，再选择作为本计划的新版本，"
        "或者用新的计划编号另存为新计划。程序会检查全部内容，"
        "有错误时列出每一处错误所在的表、行和列，全部改正后才能导入。"
        "也可以用命令：tianbao plans import 文件名.xlsx（作为新计划时加 --as-new 新编号）。",
    )
