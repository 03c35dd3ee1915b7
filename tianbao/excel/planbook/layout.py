"""The plan workbook's sheets, columns, enumerations and problems, shared by its writer and reader."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from tianbao.domain.catalogue import (
    AGGREGATIONS,
    BASES,
    BETTER,
    CHANGE_UNITS,
    DIRECTIONS,
    DISAGGREGATIONS,
    KINDS,
    OPS,
    UNITS,
)
from tianbao.domain.errors import KnownError

SHEET_README = "说明"
SHEET_PLAN = "计划"
SHEET_DOMAINS = "领域"
SHEET_INDICATORS = "指标"
SHEET_TARGETS = "目标"
REQUIRED_SHEETS = (SHEET_PLAN, SHEET_DOMAINS, SHEET_INDICATORS, SHEET_TARGETS)
_SHEET_ORDER = {s: i for i, s in enumerate(REQUIRED_SHEETS)}

# A plan workbook is a few hundred kilobytes; refuse anything absurd before unzipping it.
_MAX_BYTES = 50 * 1024 * 1024
# Rows below the data that still get drop-down lists, so that added rows have them too.
_SPARE_ROWS = 500


# ---------------------------------------------------------------------------------------
# Errors


@dataclass(frozen=True)
class PlanbookProblem:
    """One problem in a plan workbook; ``sheet``/``row``/``column`` are None where unknown."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.sheet is None:
            return self.message
        where = f"“{self.sheet}”表"
        if self.row is not None:
            where += f"第 {self.row} 行"
        if self.column is not None:
            where += f"“{self.column}”列"
        return f"{where}：{self.message}"


class PlanbookError(KnownError):
    """A plan workbook that cannot be imported.  ``problems`` lists every problem found."""

    def __init__(self, origin: str, problems: list[PlanbookProblem]):
        self.origin = origin
        self.problems = problems
        if len(problems) == 1 and problems[0].sheet is None:
            text = f"“{origin}”：{problems[0].message}"
        else:
            lines = [f"计划工作簿“{origin}”有 {len(problems)} 处错误，未导入："]
            lines += [f"  {p}" for p in problems]
            text = "\n".join(lines)
        super().__init__(text)

    def __reduce__(self):  # raised in the sandboxed reader, raised again in the program
        return (type(self), (self.origin, self.problems))


# ---------------------------------------------------------------------------------------
# Enumerations: the word written in the workbook, and the spellings accepted on reading


def _key(text: str) -> str:
    """Normal form for matching labels: NFKC (full-width → ASCII), no spaces, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


@dataclass(frozen=True)
class _Enum:
    what: str  # for messages: 比较方式, 值类型 …
    codes: tuple[str, ...]
    labels: Mapping[str, str] = field(default_factory=dict)  # code → word written
    aliases: Mapping[str, str] = field(default_factory=dict)  # other spelling → code

    def word(self, code: str) -> str:
        return self.labels.get(code, code)

    def choices(self) -> list[str]:
        return [self.word(c) for c in self.codes]

    def lookup(self, text: str) -> str | None:
        table: dict[str, str] = {}
        for c in self.codes:
            table[_key(c)] = c
            table[_key(self.word(c))] = c
        for alias, c in self.aliases.items():
            table[_key(alias)] = c
        return table.get(_key(text))

    def unknown(self, text: str) -> str:
        return f"未知的{self.what}“{text}”，可用：{' '.join(self.choices())}"


OP_ENUM = _Enum(
    "比较方式",
    OPS,
    aliases={
        "≤": "<=",
        "≦": "<=",
        "=<": "<=",
        "以下": "<=",
        "不高于": "<=",
        "不超过": "<=",
        "低于": "<",
        "≥": ">=",
        "≧": ">=",
        "=>": ">=",
        "以上": ">=",
        "不低于": ">=",
        "高于": ">",
        "超过": ">",
        "左右": "approx",
        "≈": "approx",
        "区间": "range",
        "范围": "range",
        "变动": "change",
        "年均增长": "growth",
        "年均增幅": "growth",
        "趋势": "direction",
        "定性": "qualitative",
    },
)
KIND_ENUM = _Enum(
    "值类型",
    KINDS,
    labels={
        "rate": "率",
        "ratio": "比值",
        "count": "计数",
        "amount": "数额",
        "duration": "时长",
        "yesno": "是否",
        "text": "文本",
    },
    aliases={
        "比率": "rate",
        "人均比": "ratio",
        "数量": "count",
        "金额": "amount",
        "是/否": "yesno",
        "定性": "yesno",
    },
)
AGGREGATION_ENUM = _Enum(
    "汇总方式",
    AGGREGATIONS,
    labels={
        "sum": "求和",
        "ratio": "比率重算",
        "mean": "平均",
        "weighted_mean": "加权平均",
        "min": "最小",
        "max": "最大",
        "all": "全部",
        "any": "任一",
        "tally": "计数",
        "none": "不汇总",
    },
    aliases={"合计": "sum", "相加": "sum", "平均值": "mean", "最小值": "min", "最大值": "max"},
)
BETTER_ENUM = _Enum(
    "优劣方向",
    BETTER,
    labels={"lower": "越小越好", "higher": "越大越好", "none": "不区分"},
    aliases={"越低越好": "lower", "越高越好": "higher", "无": "none"},
)
BASIS_ENUM = _Enum(
    "基数",
    BASES,
    labels={"base_year": "基期", "previous_year": "上年"},
    aliases={"基期年": "base_year", "上一年": "previous_year", "较上年": "previous_year"},
)
CHANGE_UNIT_ENUM = _Enum(
    "变动单位",
    CHANGE_UNITS,
    labels={"percent": "百分比", "points": "百分点"},
    aliases={"%": "percent", "个百分点": "points"},
)
DIRECTION_ENUM = _Enum(
    "趋势方向",
    DIRECTIONS,
    labels={
        "down": "下降",
        "up": "上升",
        "stable": "保持稳定",
        "not_up": "不上升",
        "not_down": "不下降",
    },
    aliases={"稳定": "stable"},
)
DISAGGREGATION_ENUM = _Enum(
    "分组",
    DISAGGREGATIONS,
    labels={"sex": "性别", "urban_rural": "城乡", "age_group": "年龄段"},
    aliases={"年龄": "age_group", "年龄组": "age_group"},
)
PLAN_KIND_ENUM = _Enum(
    "计划类型", ("women", "children"), labels={"women": "妇女", "children": "儿童"}
)
UNIT_ENUM = _Enum("计量单位", tuple(u for u in UNITS if u), aliases={"无": ""})
YESNO_ENUM = _Enum(
    "选项",
    ("yes", "no"),
    labels={"yes": "是", "no": "否"},
    aliases={"true": "yes", "false": "no", "y": "yes", "n": "no", "1": "yes", "0": "no"},
)


# ---------------------------------------------------------------------------------------
# Layout

# The 计划 sheet: (label, key, hint).  ``form.x`` keys go to the form marks.
_PLAN_ROWS = (
    (
        "计划编号",
        "id",
        "小写字母开头，只用小写字母、数字和连字符，如 lishu-children。作为新版本导入时不要改",
    ),
    ("版本", "version", "正整数；导入时由程序确定新版本号"),
    ("标题", "title", "计划全称，如 某县儿童发展规划（2021—2030年）"),
    ("英文标题", "title_en", "可留空"),
    ("类型", "kind", "妇女 或 儿童"),
    ("地区", "region", "如 某某县"),
    ("规划起始年", "period_start", "如 2021"),
    ("规划终止年", "period_end", "如 2030；每个目标的年份都必须在规划期内"),
    ("基期年", "base_year", "“变动”“年均增长”目标默认的基期年，通常是起始年的前一年"),
    ("原文文件", "source", "规划原文的文件名；“原文行号”指这个文件的行号"),
    ("表号", "form.table_no", "统计报表表号"),
    ("制定机关", "form.made_by", ""),
    ("批准机关", "form.approved_by", ""),
    ("批准文号", "form.approval_no", "批准文号或备案文号"),
    ("有效期至", "form.valid_until", "如 2026年12月"),
    ("备注", "note", "对整个计划的说明"),
)
_PLAN_LABEL = {key: label for label, key, _ in _PLAN_ROWS}

_DOMAIN_COLS = (("代码", 12), ("名称", 24), ("英文名称", 36))

_DATA_COL = "_数据（勿改）"
_INDICATOR_COLS = (
    ("指标代码", 10),
    ("领域代码", 11),
    ("指标名称", 32),
    ("英文名称", 26),
    ("计量单位", 9),
    ("值类型", 8),
    ("倍数", 8),
    ("分子", 22),
    ("分母", 16),
    ("毛比率", 7),
    ("优劣方向", 10),
    ("下限", 8),
    ("上限", 8),
    ("合理下限", 9),
    ("合理上限", 9),
    ("变动阈值", 9),
    ("分组", 14),
    ("汇总方式", 12),
    ("责任部门", 22),
    ("备注", 32),
    ("原文出处", 60),
    (_DATA_COL, 12),
)
_TARGET_REF_COL = "指标名称（参考）"
_TARGET_COLS = (
    ("指标代码", 10),
    (_TARGET_REF_COL, 26),
    ("年份", 7),
    ("比较方式", 10),
    ("目标值", 9),
    ("目标值上限", 10),
    ("容差", 7),
    ("容差出自原文", 9),
    ("基期年", 8),
    ("基数", 7),
    ("变动单位", 9),
    ("基期值", 8),
    ("趋势方向", 9),
    ("每个下级单位须达标", 16),
    ("起始年份", 8),
    ("参照值名称", 18),
    ("实际值年份", 9),
    ("原文行号", 9),
    ("原文", 60),
    ("备注", 32),
)

_HEADER_HINTS = {
    "指标代码": "指标的唯一代码，字母开头。已有指标的代码不要改，否则已填报的数据对不上",
    "领域代码": "“领域”表中的代码",
    "计量单位": "从下拉列表选择；没有单位留空",
    "值类型": "率 / 比值 / 计数 / 数额 / 时长 / 是否 / 文本",
    "倍数": "率和比值才填：指标值 = 分子 ÷ 分母 × 倍数。% 填 100，‰ 填 1000，1/10万 填 100000",
    "毛比率": "是：允许超过 100%（如毛入园率）；否或留空：不超过倍数",
    "优劣方向": "越小越好 / 越大越好 / 不区分",
    "下限": "数值不可能低于下限（可留空）",
    "上限": "数值不可能高于上限（可留空）",
    "合理下限": "低于它时提示核实（可留空）",
    "合理上限": "高于它时提示核实（可留空）",
    "变动阈值": "与上年相比变动超过它时要求说明；率为百分点，其他为百分比",
    "分组": "性别、城乡、年龄段，多个用逗号隔开",
    "汇总方式": "上级由下级数据汇总的方式：求和 / 比率重算 / 平均 / 加权平均:权重指标代码 / 最小 / 最大 / "
    "全部 / 任一 / 计数 / 不汇总；留空按值类型默认（计数求和，率重算，数额和时长平均，是否计数）",
    "责任部门": "多个用逗号隔开",
    "原文出处": "每行一处，写成 行号：原文，如 94：婴儿死亡率降至3.4‰以下",
    _DATA_COL: "程序使用，请勿修改",
    "比较方式": "<= < >= > approx（左右） range（区间） change（变动） growth（年均增长） "
    "direction（趋势） qualitative（定性）",
    "目标值上限": "区间（range）的上限；或变动（change）区间的另一端",
    "容差": "“左右”（approx）必须填写，如 3.5 左右 ±0.5 填 0.5；原文没有给出时是本目录的取值，"
    "报表上注明“容差为目录取值”，可在此修改",
    "容差出自原文": "原文写明了容差时填 是；留空或 否 表示容差是本目录的取值",
    "起始年份": "分步推行（逐步扩大到…）的目标从哪一年起适用，之前各年不考核（可留空）",
    "参照值名称": "目标与同年另一个数值比较时填写该数值的名称，如 本地区党员总数中女性比例；"
    "目标值留空，填报时在“参照值”一行填写该数值",
    "实际值年份": "“在此基础上继续提高”：填里程碑年份（如 2025），目标与该年实际达到的数值比较，"
    "目标值留空",
    "基期年": "变动、年均增长目标的基期年；留空用“计划”表的基期年",
    "基数": "基期 或 上年",
    "变动单位": "百分比 或 百分点",
    "基期值": "原文给出的基期年数值（可留空）",
    "趋势方向": "下降 / 上升 / 保持稳定 / 不上升 / 不下降",
    "每个下级单位须达标": "如 乡镇（街道）：每个下级单位都要达到目标，不只是合计",
    _TARGET_REF_COL: "仅供参考，导入时不读取",
}

_TEXT_FORMAT = "@"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="A6A6A6")
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
