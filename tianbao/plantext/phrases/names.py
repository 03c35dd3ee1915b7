"""Comparator words, the names of indicators (lists sharing a head), and the result types Found, LeftOut, Context."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# ---- comparators --------------------------------------------------------------------------------

# "?" = decided by the indicator's direction (达到 10% for a rate that should fall means ≤ 10%).
VERBS: list[tuple[str, str]] = sorted(
    [
        ("不超过", "<="),
        ("不高于", "<="),
        ("不多于", "<="),
        ("不大于", "<="),
        ("低于", "<"),
        ("少于", "<"),
        ("小于", "<"),
        ("不低于", ">="),
        ("不少于", ">="),
        ("不小于", ">="),
        ("至少", ">="),
        ("高于", ">"),
        ("超过", ">"),
        ("大于", ">"),
        ("多于", ">"),
        ("下降到", "<="),
        ("下降至", "<="),
        ("降低到", "<="),
        ("降低至", "<="),
        ("减少到", "<="),
        ("减少至", "<="),
        ("降至", "<="),
        ("降到", "<="),
        ("控制在", "<="),
        ("控制到", "<="),
        ("压降至", "<="),
        ("减至", "<="),
        ("达到", "?"),
        ("达", "?"),
        ("保持在", "?"),
        ("保持", "?"),
        ("稳定在", "?"),
        ("巩固在", "?"),
        ("维持在", "?"),
        ("稳定", "?"),
        ("在", "?"),
        ("为", "is"),
        ("是", "is"),
        ("提高到", ">="),
        ("提高至", ">="),
        ("提升到", ">="),
        ("提升至", ">="),
        ("增至", ">="),
        ("增加到", ">="),
        ("增加至", ">="),
        ("增长到", ">="),
        ("扩大到", ">="),
        ("扩大至", ">="),
        ("达标", "?"),
        ("配备", ">="),
        ("设置", ">="),
        ("设立", ">="),
        ("设", ">="),
        ("建设", ">="),
        ("建立", ">="),
        ("创建", ">="),
        ("办好", ">="),
        ("建成", ">="),
        ("建有", ">="),
        ("拥有", ">="),
        ("有", ">="),
        ("掌握", ">="),
        ("组织", ">="),
        ("开展", ">="),
        ("接受", ">="),
        ("培育", ">="),
        ("打造", ">="),
        ("建", ">="),
        ("开设", ">="),
        ("举办", ">="),
    ],
    key=lambda p: -len(p[0]),
)
_PROVIDE = {
    "配备",
    "设置",
    "设立",
    "设",
    "建设",
    "建立",
    "创建",
    "办好",
    "建成",
    "建有",
    "拥有",
    "有",
    "掌握",
    "组织",
    "开展",
    "接受",
    "培育",
    "打造",
    "建",
    "开设",
    "举办",
}
SUFFIXES = [
    ("及以上", ">="),
    ("或以上", ">="),
    ("以上", ">="),
    ("及以下", "<="),
    ("以下", "<="),
    ("以内", "<="),
    ("左右", "approx"),
    ("之内", "<="),
]

# Words that sit between the name and the comparator (or before the name) and are not part of it.
_ADVERBS = r"(?:并|均|都|分别|各|要|应|能|力争|争取|稳定|逐步|基本|总体|始终|继续|进一步|全部|累计|持续|普遍|每年|仍|原则上|确保|保障|保证|努力|达到并|得到)"
_LEAD = (
    r"^(?:[，,、和及与并且]|其中|同时|全区|全市|全县|全省|全州|全旗|全师|我区|我市|我县|全面|"
    r"到|至|力争|争取|确保|保障|保证|推进|推动|促进|进一步|持续|不断|继续|逐步|基本|要|将|把|使|让|"
    r"努力|实现|巩固|加强|提高|规范|扩大|完善|开展|落实|深入|切实|引导|鼓励|支持|指导|各级|要求|"
    r"到期末|期末|届时|目前|此外|另外)+"
)
YEAR_RE = re.compile(r"(?:到|至|于|在)?(20[2-9]\d)年(?:底|末|前|时)?(?:[，,]?)")
_EACH_UNIT_RE = re.compile(r"以([^，,。；;为]{1,14}?)为(?:单位|单元)")
_PAREN_RE = re.compile(r"[（(][^（）()]*[）)]")


def split_names(subject: str, n: int) -> list[str] | None:
    """'新生儿、婴儿和5岁以下儿童死亡率', 3 → ['新生儿死亡率', '婴儿死亡率', '5岁以下儿童死亡率']."""
    parts = _split_list(subject)
    if len(parts) != n:
        return None
    return complete_names(parts)


def _split_list(subject: str) -> list[str]:
    # split on 、 和 及 与 outside brackets
    out, depth, cur = [], 0, ""
    i = 0
    while i < len(subject):
        ch = subject[i]
        if ch in "（(《":
            depth += 1
        elif ch in "）)》":
            depth = max(0, depth - 1)
        if depth == 0 and (ch in "、和及与" or subject.startswith("以及", i)):
            if ch == "以":
                i += 1
            if cur:
                out.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    if cur:
        out.append(cur)
    return out


_HEAD_RE = re.compile(
    r"(率|比例|占比|比重|数|水平|时间|标准|指数|人数|数量|覆盖面|合格率|面积|程度)$"
)
# Common heads of a list of names sharing one: the shortest suffix of the last name that reads
# as a measure ("死亡率", "检测率", "管理率" …): a two-character (or longer) word ending in a head.
_POP_PREFIX_RE = re.compile(
    r"^(\d+(?:[—\-~至到]\d+)?岁(?:以下|以上|及以下)?(?:儿童|婴幼儿|女性|妇女|学生)?|孕产妇|适龄儿童|适龄妇女|"
    r"中小学生|中小学|在校学生|妇女|儿童|婴幼儿|农村|城镇|城市)"
)


# Measure words a list of names can share ("新生儿、婴儿和5岁以下儿童死亡率"): generic statistical heads.
MEASURE_HEADS = sorted(
    {
        "死亡率",
        "发生率",
        "患病率",
        "发病率",
        "检测率",
        "治疗率",
        "筛查率",
        "接种率",
        "覆盖率",
        "普及率",
        "管理率",
        "系统管理率",
        "健康管理率",
        "知晓率",
        "阻断率",
        "传播率",
        "感染率",
        "入学率",
        "入园率",
        "巩固率",
        "达标率",
        "合格率",
        "参与率",
        "就业率",
        "参保率",
        "配备率",
        "建成率",
        "签订率",
        "培训率",
        "访视率",
        "完成率",
        "流行率",
        "检出率",
        "龋患率",
        "近视率",
        "贫血率",
        "报告率",
        "救治率",
        "保障率",
        "比例",
        "占比",
        "比重",
        "人数",
        "数量",
        "床位数",
        "医生数",
        "标准",
        "水平",
        "时间",
    },
    key=len,
    reverse=True,
)


def _head_of(last: str) -> str:
    for h in MEASURE_HEADS:
        if last.endswith(h) and len(last) > len(h):
            return h
    m = re.search(r"(\D{2}(?:率|比例|数))$", last)
    if m and len(last) > len(m.group(1)):
        return m.group(1)
    return ""


def complete_names(parts: list[str]) -> list[str]:
    """Give every name of a list its share of the common part: a short varying word before a shared
    rest ("城市和农村儿童之家覆盖率"), or a shared measure after ("新生儿、婴儿…死亡率")."""
    last = parts[-1]
    if len(parts[0]) <= 2 and len(last) > len(parts[0]) + 2 and not _HEAD_RE.search(parts[0]):
        shared = last[len(parts[0]) :]
        return [p + shared for p in parts[:-1]] + [last]
    head = "" if _HEAD_RE.search(parts[0]) else _head_of(last)
    names = []
    prefix = ""
    m = _POP_PREFIX_RE.match(parts[0])
    if m and len(parts[0]) > len(m.group(0)) + 1:
        prefix = m.group(0)
    for i, p in enumerate(parts):
        name = p
        if i < len(parts) - 1 and head and not _HEAD_RE.search(p):
            name = p + head
        if prefix and i > 0 and not _POP_PREFIX_RE.match(name):
            name = prefix + name
        names.append(name)
    return names


@dataclass
class Found:
    name: str
    op: str
    value: float | list[float] | None
    unit: str
    line: int
    quote: str
    year: int | None = None
    each: str | None = None
    change_unit: str | None = None
    basis: str | None = None
    base_year: int | None = None
    direction: str | None = None
    flags: list[str] = field(default_factory=list)
    note: str = ""
    reached_in: int | None = (
        None  # "在此基础上继续提高": above the value reached in that milestone year
    )
    reference: str | None = None  # "不低于本地区党员总数中女性比例": compared with a named figure
    ambiguous_op: bool = False  # "?" comparator: decided later by the indicator's direction
    provision: bool = False  # a count of something provided (每所…配备 1 名 …)
    topic: str = ""  # a topic shared with the names next to it (睡眠时间 of 小学生, 初中生 …)


@dataclass
class LeftOut:
    line: int
    text: str
    reason: str


@dataclass
class Context:
    period: tuple[int, int]
    base_year: int
    prev_names: list[str] = field(default_factory=list)
    prev_found: list[Found] = field(default_factory=list)
    sent_found: list[Found] = field(default_factory=list)  # found so far in the current sentence
    prev_clause: str = ""  # the clause before the current one, cleaned (for a bare "覆盖率达到…")


def clean_name(s: str) -> str:
    s = re.sub(r"^(?:——|-{2}|\d+[.．、]|[（(][一二三四五六七八九十\d]+[）)])", "", s)
    s = re.sub(r"在(?:此|这一|现有)?(?:的)?基础上", "", s)
    s = re.sub(r"(?:至少|最少|不少于)?(?:各|均)?$", "", s)
    s = s.strip("，,、；;。：:的 ")
    for _ in range(3):
        s2 = re.sub(_LEAD, "", s)
        s2 = re.sub(rf"{_ADVERBS}+$", "", s2)
        s2 = s2.strip("，,、；;。：:的 ")
        if s2 == s:
            break
        s = s2
    # unbalanced brackets left by a cut
    if s.count("（") > s.count("）") and s.endswith("（"):
        s = s[:-1]
    if s.startswith(("）", ")")):
        s = s[1:]
    return s
