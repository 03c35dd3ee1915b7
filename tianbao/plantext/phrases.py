"""Read the targets out of one paragraph of a plan's goals or measures.

The plans state their targets in a small set of regular phrasings (see docs/catalogue-format.md);
this module knows those phrasings — never any particular plan's sentences.  Input is a
:class:`Span`: a paragraph's text with whitespace removed and, for every character, the line it
came from.  Output: :class:`Found` targets (one per indicator and target), each with its quote and
line and the flags a reviewer must look at, plus notes on numbers left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# ---- text with a line for every character -------------------------------------------------------


@dataclass
class Span:
    text: str
    lines: list[int]

    @classmethod
    def of(cls, parts: list[tuple[int, str]]) -> Span:
        """Join (line number, text) pieces, dropping whitespace and normalising width."""
        chars: list[str] = []
        lines: list[int] = []
        for ln, txt in parts:
            for ch in normalise(txt):
                if ch.isspace():
                    continue
                chars.append(ch)
                lines.append(ln)
        return cls("".join(chars), lines)

    def sub(self, a: int, b: int) -> Span:
        return Span(self.text[a:b], self.lines[a:b])

    def line_at(self, i: int) -> int:
        if not self.lines:
            return 0
        return self.lines[min(max(i, 0), len(self.lines) - 1)]

    def drop(self, ranges: list[tuple[int, int]]) -> Span:
        keep = [True] * len(self.text)
        for a, b in ranges:
            for i in range(a, b):
                keep[i] = False
        return Span(
            "".join(c for c, k in zip(self.text, keep, strict=True) if k),
            [ln for ln, k in zip(self.lines, keep, strict=True) if k],
        )

    def quote(self, a: int, b: int, at: int) -> tuple[int, str]:
        """The text a..b restricted to the line of character ``at``: (line, quote)."""
        line = self.line_at(at)
        a = max(a, 0)
        b = min(b, len(self.text))
        while a < b and self.lines[a] != line:
            a += 1
        while b > a and self.lines[b - 1] != line:
            b -= 1
        q = re.sub(r"^(?:\d+[.．、](?!\d)|——|[（(][一二三四五六七八九十\d]+[）)])", "", self.text[a:b])
        return line, q.strip("，,、；;。 ")


_FULLWIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９％．／～"}
_FULLWIDTH[ord("\u3000")] = ord(" ")


def normalise(s: str) -> str:
    return s.translate(_FULLWIDTH).replace("\u00a0", " ")


# ---- numbers ------------------------------------------------------------------------------------

_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def cn_number(s: str) -> float | None:
    """一 → 1, 十二 → 12, 九十五 → 95, 一百 → 100, 两千 → 2000, 三万 → 30000, 九十五点五 → 95.5;
    None if not a numeral."""
    if not s:
        return None
    frac = ""
    if "点" in s:
        s, frac = s.split("点", 1)
        if not frac or any(c not in _CN_DIGIT for c in frac):
            return None
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGIT:
            cur = _CN_DIGIT[ch]
        elif ch == "万":
            total = (total + cur or 1) * 10000
            cur = 0
        elif ch in _CN_UNIT:
            total += (cur or 1) * _CN_UNIT[ch]
            cur = 0
        else:
            return None
    total += cur
    if frac:
        return float(f"{total}.{''.join(str(_CN_DIGIT[c]) for c in frac)}")
    return float(total)


_CN = "零〇一二两三四五六七八九十百"
COUNT_UNITS = ("课时", "人次", "名", "所", "个", "张", "次", "项", "家", "处", "支", "人", "间", "户", "册", "座", "种", "门")
_UNIT_RE = r"(?:个百分点|/10万|/万|万元|平方米|课时|小时|人次|%|‰|名|所|个|张|次|项|家|处|支|人|元|天|间|户|册|座|种|门)"
_NUM = r"\d+(?:\.\d+)?"
VALUE_RE = re.compile(
    rf"(?P<pct>百分之(?P<pctcn>[{_CN}点]+))"
    rf"|(?P<num>{_NUM})(?P<u1>%|‰)?(?:(?P<dash>[-—–~至到])(?P<num2>{_NUM}))?(?P<unit>{_UNIT_RE})?"
    rf"|(?P<cn>[一两二三四五六七八九十百千万]{{1,6}})(?P<cnunit>人次|所|个|名|项|次|张|家|处|门|种)"
)
_NOT_VALUE_AFTER = ("岁", "年", "月", "日", "周", "届", "期", "类", "级", "条", "款", "部", "倍", "孩", "胎", "代",
                    "化", "级", "版", "号", "方面", "季", "G", "星", "位")


@dataclass
class Value:
    start: int
    end: int
    value: float | list[float]
    unit: str  # %, ‰, 1/10万, 个百分点, 名 …
    chinese: bool = False


def find_values(text: str) -> list[Value]:
    out: list[Value] = []
    for m in VALUE_RE.finditer(text):
        a, b = m.span()
        nxt = text[b:b + 2]
        if m.group("pct"):
            v = cn_number(m.group("pctcn"))
            if v is None:
                continue
            out.append(Value(a, b, v, "%", True))
            continue
        if m.group("cn"):
            v = cn_number(m.group("cn"))
            prev = text[max(0, a - 1):a]
            if v is None or prev in ("第", "十", "每") or text[a - 2:a] in ("十四", "十三"):
                continue
            # 七个领域, 两个全覆盖 … are counts of the text's own parts, not targets: a Chinese
            # count is a target only after a verb that creates or provides something.
            before = text[max(0, a - 4):a]
            if not re.search(r"(建立|建设|创建|设置|设立|配备|办好|建成|掌握|打造|培育|建|设|至少|不少于|有)$", before):
                continue
            out.append(Value(a, b, v, m.group("cnunit"), True))
            continue
        unit = m.group("u1") or m.group("unit") or ""
        if m.group("u1") and m.group("unit") and m.group("unit") not in ("%", "‰"):
            # "10%至20所" never happens; keep the percent sign, give back the rest
            b = m.start("unit")
        if not unit:
            continue
        if any(nxt.startswith(x) for x in _NOT_VALUE_AFTER):
            continue
        if unit in ("/10万",):
            unit = "1/10万"
        elif unit == "/万":
            unit = "1/万"
        prev = text[max(0, a - 1):a]
        if prev in ("第", "/", ".") or re.match(r"\d", prev or "x"):
            continue
        num = float(m.group("num"))
        if m.group("num2"):
            v2 = float(m.group("num2"))
            if m.group("dash") in ("至", "到") and not m.group("u1") and unit in ("%", "‰"):
                pass
            value: float | list[float] = sorted([num, v2])
        else:
            value = num
        if unit == "%" and m.group("num2") is None and num > 1000:
            continue
        out.append(Value(a, b, value, unit, False))
    return out


# ---- comparators --------------------------------------------------------------------------------

# "?" = decided by the indicator's direction (达到 10% for a rate that should fall means ≤ 10%).
VERBS: list[tuple[str, str]] = sorted([
    ("不超过", "<="), ("不高于", "<="), ("不多于", "<="), ("不大于", "<="), ("低于", "<"), ("少于", "<"),
    ("小于", "<"), ("不低于", ">="), ("不少于", ">="), ("不小于", ">="), ("至少", ">="), ("高于", ">"),
    ("超过", ">"), ("大于", ">"), ("多于", ">"),
    ("下降到", "<="), ("下降至", "<="), ("降低到", "<="), ("降低至", "<="), ("减少到", "<="), ("减少至", "<="),
    ("降至", "<="), ("降到", "<="), ("控制在", "<="), ("控制到", "<="), ("压降至", "<="), ("减至", "<="),
    ("达到", "?"), ("达", "?"), ("保持在", "?"), ("保持", "?"), ("稳定在", "?"), ("巩固在", "?"),
    ("维持在", "?"), ("稳定", "?"), ("在", "?"), ("为", "is"), ("是", "is"),
    ("提高到", ">="), ("提高至", ">="), ("提升到", ">="), ("提升至", ">="), ("增至", ">="), ("增加到", ">="),
    ("增加至", ">="), ("增长到", ">="), ("扩大到", ">="), ("扩大至", ">="), ("达标", "?"),
    ("配备", ">="), ("设置", ">="), ("设立", ">="), ("设", ">="), ("建设", ">="), ("建立", ">="),
    ("创建", ">="), ("办好", ">="), ("建成", ">="), ("建有", ">="), ("拥有", ">="), ("有", ">="),
    ("掌握", ">="), ("组织", ">="), ("开展", ">="), ("接受", ">="), ("培育", ">="), ("打造", ">="),
    ("建", ">="), ("开设", ">="), ("举办", ">="),
], key=lambda p: -len(p[0]))
_PROVIDE = {"配备", "设置", "设立", "设", "建设", "建立", "创建", "办好", "建成", "建有", "拥有", "有", "掌握",
            "组织", "开展", "接受", "培育", "打造", "建", "开设", "举办"}
SUFFIXES = [("及以上", ">="), ("或以上", ">="), ("以上", ">="), ("及以下", "<="), ("以下", "<="),
            ("以内", "<="), ("左右", "approx"), ("之内", "<=")]

# Words that sit between the name and the comparator (or before the name) and are not part of it.
_ADVERBS = r"(?:并|均|都|分别|各|要|应|能|力争|争取|稳定|逐步|基本|总体|始终|继续|进一步|全部|累计|持续|普遍|每年|仍|原则上|确保|保障|保证|努力|达到并|得到)"
_LEAD = (r"^(?:[，,、和及与并且]|其中|同时|全区|全市|全县|全省|全州|全旗|全师|我区|我市|我县|全面|"
         r"到|至|力争|争取|确保|保障|保证|推进|推动|促进|进一步|持续|不断|继续|逐步|基本|要|将|把|使|让|"
         r"努力|实现|巩固|加强|提高|规范|扩大|完善|开展|落实|深入|切实|引导|鼓励|支持|指导|各级|要求|"
         r"到期末|期末|届时|目前|此外|另外)+")
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


_HEAD_RE = re.compile(r"(率|比例|占比|比重|数|水平|时间|标准|指数|人数|数量|覆盖面|合格率|面积|程度)$")
# Common heads of a list of names sharing one: the shortest suffix of the last name that reads
# as a measure ("死亡率", "检测率", "管理率" …): a two-character (or longer) word ending in a head.
_POP_PREFIX_RE = re.compile(
    r"^(\d+(?:[—\-~至到]\d+)?岁(?:以下|以上|及以下)?(?:儿童|婴幼儿|女性|妇女|学生)?|孕产妇|适龄儿童|适龄妇女|"
    r"中小学生|中小学|在校学生|妇女|儿童|婴幼儿|农村|城镇|城市)"
)


# Measure words a list of names can share ("新生儿、婴儿和5岁以下儿童死亡率"): generic statistical heads.
MEASURE_HEADS = sorted({
    "死亡率", "发生率", "患病率", "发病率", "检测率", "治疗率", "筛查率", "接种率", "覆盖率", "普及率",
    "管理率", "系统管理率", "健康管理率", "知晓率", "阻断率", "传播率", "感染率", "入学率", "入园率",
    "巩固率", "达标率", "合格率", "参与率", "就业率", "参保率", "配备率", "建成率", "签订率", "培训率",
    "访视率", "完成率", "流行率", "检出率", "龋患率", "近视率", "贫血率", "报告率", "救治率", "保障率",
    "比例", "占比", "比重", "人数", "数量", "床位数", "医生数", "标准", "水平", "时间",
}, key=len, reverse=True)


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
        shared = last[len(parts[0]):]
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
    reached_in: int | None = None  # "在此基础上继续提高": above the value reached in that milestone year
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


# ---- the special forms -------------------------------------------------------------------------

_CHANGE_BASE_RE = re.compile(
    r"(?:比|较)?以?(?P<by>20\d\d)年(?:的?数据|水平|数|值)?为(?:基数|基期|基准|基础)[，,]?"
    r"(?P<dir>下降|降低|减少|上升|提高|增长|增加)(?P<num>\d+(?:\.\d+)?)(?:[-—–~至到](?P<num2>\d+(?:\.\d+)?))?%"
    r"(?P<suf>以上|左右)?"
)
_BASE_ONLY_RE = re.compile(r"(?:——)?(?:以|与|同|比|较)(20\d\d)年(?:的?数据|水平)?(?:为(?:基数|基期|基准|基础)|相比)")
_CHANGE_BASE_AFTER_RE = re.compile(
    r"(?:以|与|同|比|较)(?P<by>20\d\d)年(?:的?数据|水平)?(?:为(?:基数|基期|基准|基础)|相比)[，,](?P<subj>[^，,]{2,40}?)"
    r"(?P<dir>下降|降低|减少|上升|提高|增长|增加)(?P<num>\d+(?:\.\d+)?)(?:[-—–~至到](?P<num2>\d+(?:\.\d+)?))?%"
)
_CHANGE_YEARLY_RE = re.compile(
    r"(?:每年|年均|逐年)(?:平均)?(?P<dir>下降|降低|减少|上升|提高|增长|增加)(?P<num>\d+(?:\.\d+)?)"
    r"(?:[-—–~至到](?P<num2>\d+(?:\.\d+)?))?(?P<unit>个百分点|%)(?P<suf>以上|左右)?"
)
_GROWTH_RE = re.compile(
    r"年均(?P<what>[\u4e00-\u9fff]{0,4}?)(?:增长|增幅|提高|增加|递增|提升)(?:率|幅度|速度)?(?P<verb>不低于|不少于|达到|保持在|在|为)?"
    r"(?P<num>\d+(?:\.\d+)?)%(?P<suf>以上|左右)?"
)
_CONTINUE_RE = re.compile(
    r"在(?:此|这一|这个|现有|(?P<num>\d+(?:\.\d+)?)(?P<unit>%|‰)?)(?:的)?基础上(?:继续|进一步|稳步|逐步|持续|有所)?"
    r"(?P<keep>巩固)?(?:提高|提升|增长|上升|增加|改善)"
)
_REFERENCE_RE = re.compile(
    r"(?P<verb>一般不低于|不低于|不少于|不高于|高于|低于)(?P<ref>(?:本地区|本区|本市|本县|全区|全市|全县|同级|当地)[^，,。；;\d]{2,30}?(?:比例|比重|水平|占比))"
)
_FULL_COVER_RE = re.compile(r"(?P<name>[^，,。；;]{2,40}?)(?:实现|达到|基本实现)?(?:全覆盖|全面覆盖)")
_TREND_UP_RE = re.compile(r"(?P<name>[^，,。；;]{2,30}?)(?:的)?(?:上升|增长)(?:趋势|势头)?(?:得到)?(?:有效)?(?:控制|遏制)")
_PAST_RE = re.compile(r"(?:已|已经|曾|分别为|为|是)$")


_ITEM_NO_RE = re.compile(r"^(?:\d{1,2}[.．、]|——|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)")


def parse_paragraph(span: Span, ctx: Context, section: str) -> tuple[list[Found], list[LeftOut]]:
    """All targets in one paragraph (a numbered goal, a —— line, or a measures paragraph)."""
    left: list[LeftOut] = []
    drops: list[tuple[int, int]] = []
    # 0. the item's number ("3.80%以上的社区…" is item 3, not 3.80 %)
    m = _ITEM_NO_RE.match(span.text)
    if m:
        drops.append(m.span())
    # 1. bracketed national / provincial targets are quotations, not this plan's targets
    for m in re.finditer(r"[（(](?:[^（）()]|[（(][^（）()]*[）)])*[）)]", span.text):
        inner = m.group(0)
        if re.search(r"(国纲|纲要|国家|全国|省|自治区|市)(的)?目标|目标(值)?为|国家标准为|省定|全国平均", inner) and find_values(inner):
            drops.append(m.span())
            left.append(LeftOut(span.line_at(m.start()), inner[:60], "括号内引述的上级（国家/省）目标，不是本规划的目标"))
    # a drafter's revision "X（改：Y）": Y replaces the clause X
    for m in re.finditer(r"[（(]改[：:]([^（）()]*)[）)]", span.text):
        a = max(span.text.rfind(c, 0, m.start()) for c in "，,。；;") + 1
        drops.append((a, m.start() + 3))
        drops.append((m.end() - 1, m.end()))
        left.append(LeftOut(span.line_at(a), span.text[a:m.start()][:60], "被“（改：…）”批注替换的原文"))
    if drops:
        span = span.drop(sorted(drops))
    found: list[Found] = []
    # 2. sentences
    for a, b in _pieces(span.text, "。；;！？!?"):
        sent = span.sub(a, b)
        found.extend(_parse_sentence(sent, ctx, section, left))
    return found, left


def _pieces(text: str, seps: str) -> list[tuple[int, int]]:
    out, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "（(“《":
            depth += 1
        elif ch in "）)”》":
            depth = max(0, depth - 1)
        elif ch in seps and depth == 0:
            if i > start:
                out.append((start, i))
            start = i + 1
    if start < len(text):
        out.append((start, len(text)))
    return out


def _parse_sentence(sent: Span, ctx: Context, section: str, left: list[LeftOut]) -> list[Found]:
    out: list[Found] = []
    clauses = _pieces(sent.text, "，,：:")
    year_ctx: int | None = None
    ctx.sent_found = []
    ctx.prev_clause = ""
    base_from: int | None = None  # "以2020年为基数，X增长50%": the base phrase reads with the next clause
    for a, b in clauses:
        if base_from is not None:
            a, base_from = base_from, None
        cl = sent.sub(a, b)
        text = cl.text
        if not text:
            continue
        if _BASE_ONLY_RE.fullmatch(text):
            base_from = a
            continue
        res = _parse_clause(cl, sent, a, ctx, section, left, year_ctx)
        # a clause that is only a year ("2025年，…") sets the year of what follows
        ym = re.fullmatch(r"(?:——|\d+[.．、])?(?:到|至|于|在)?(20[2-9]\d)年(?:底|末)?", text)
        if ym and ctx.period[0] <= int(ym.group(1)) <= ctx.period[1]:
            year_ctx = int(ym.group(1))
            continue
        out.extend(res)
        ctx.sent_found.extend(res)
        _share_topic(ctx.sent_found)
        ctx.prev_clause = clean_name(_strip_years(text))
        if res:
            ctx.prev_found = res
            names = [f.name for f in res if f.name]
            if names:
                ctx.prev_names = list(dict.fromkeys(names))
    return out


def _share_topic(found: list[Found]) -> None:
    """"睡眠时间小学生达到10小时、初中生达到9小时": the later short subjects share the first one's
    topic (小学生睡眠时间, 初中生睡眠时间)."""
    i = 0
    while i < len(found) - 1:
        a, b = found[i], found[i + 1]
        k = len(b.name)
        if (2 <= k <= 4 < len(a.name) - 1 and a.unit == b.unit and a.unit not in ("%", "‰", "1/10万")
                and a.name[-1] == b.name[-1] and a.name[-k:] != b.name and not a.topic):
            topic = a.name[:-k]
            a.name = a.name[-k:] + topic
            a.topic = topic
            j = i + 1
            while j < len(found) and len(found[j].name) <= 4 and found[j].unit == a.unit:
                found[j].name = found[j].name + topic
                found[j].topic = topic
                j += 1
            i = j
        else:
            i += 1


def _decide_op(verb_op: str | None, suffix_op: str | None) -> tuple[str | None, bool]:
    """(op, ambiguous)."""
    if suffix_op == "approx":
        return "approx", False
    if verb_op in ("<", ">"):
        return verb_op, False
    if suffix_op:
        if verb_op == "<=" and suffix_op == ">=":
            return ">=", True
        return suffix_op, False
    if verb_op in ("<=", ">="):
        return verb_op, False
    if verb_op in ("?", "is"):
        return ">=", True
    return None, False


def _verb_before(gap: str) -> tuple[str | None, str | None, int]:
    """The comparator ending ``gap`` (after trailing years and adverbs): (verb, op, index of verb)."""
    g = gap
    # strip trailing year phrases and adverbs, repeatedly
    for _ in range(4):
        g2 = re.sub(r"(?:(?:到|至|于|在)?20[2-9]\d年(?:底|末)?[，,]?|" + _ADVERBS + r"|的|约|达到并|并)$", "", g)
        if g2 == g:
            break
        g = g2
    for verb, op in VERBS:
        if g.endswith(verb):
            return verb, op, len(g) - len(verb)
    return None, None, len(g)


def _year_in(text: str, ctx: Context) -> int | None:
    for m in YEAR_RE.finditer(text):
        y = int(m.group(1))
        after = text[m.end():m.end() + 4]
        if after.startswith(("为基数", "数据", "为基", "的基", "基础", "水平")):
            continue
        if text[max(0, m.start() - 1):m.start()] == "以":
            continue
        if ctx.period[0] <= y <= ctx.period[1]:
            return y
    return None


def _strip_years(s: str) -> str:
    return re.sub(r"(?:到|至|于)?20[2-9]\d年(?:底|末|前)?", "", s)


def _parse_clause(cl: Span, sent: Span, offset: int, ctx: Context, section: str,
                  left: list[LeftOut], year_ctx: int | None) -> list[Found]:
    return _Clause(cl, ctx, section, left, year_ctx).run()


_DOWN = ("下降", "降低", "减少")


class _Clause:
    """One clause (between commas): the special forms first, then the value tokens, and when the
    clause has no number, the forms without one (在此基础上继续提高, 全覆盖, trends)."""

    def __init__(self, cl: Span, ctx: Context, section: str, left: list[LeftOut], year_ctx: int | None):
        self.cl, self.ctx, self.section, self.left = cl, ctx, section, left
        self.text = text = cl.text
        self.year = _year_in(text, ctx) or year_ctx
        m = _EACH_UNIT_RE.search(text)
        self.each = m.group(1) if m else None
        self.out: list[Found] = []
        self.consumed: list[tuple[int, int]] = []
        # past figures: "2020年…为95%", a year before the plan's period
        self.past = [int(y) for y in re.findall(r"(20[0-9]\d)年", text) if int(y) <= ctx.base_year]
        self.last: dict = {}  # the previous group of this clause: op, verb, subject, each, noun mode
        self.last_names: list[str] = []
        self.trailing_fix: list[Found] = []  # durations listed before their shared noun
        self.starts_guarantee = bool(re.match(r"^(?:——)?(?:保证|保障|确保|要求)", text))
        self.prev_end = 0

    def quote(self, a: int, b: int, at: int) -> tuple[int, str]:
        return self.cl.quote(a, b, at)

    def taken(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.consumed)

    def run(self) -> list[Found]:
        self._change_base()
        self._change_base_after()
        self._change_yearly()
        self._growth()
        self._continue_value()
        groups = self._groups()
        for gi in range(len(groups)):
            self._group(groups, gi)
        if not groups and not self.out:
            self._no_value()
        return self.out

    # --- special forms ---------------------------------------------------------------------

    def _subject_names(self, start: int) -> tuple[str, list[str] | None]:
        subj = clean_name(_strip_years(self.text[:start]))
        return subj, _names_for(subj, 1, self.ctx)

    def _add_named(self, names: list[str] | None, op: str, value, unit: str, line: int, q: str,
                   **kw) -> None:
        for name in names or [""]:
            f = Found(name, op, value, unit, line, q, year=self.year, each=self.each, **kw)
            if not names:
                f.flags.append("name_missing")
            self.out.append(f)

    def _change_base(self) -> None:
        for m in _CHANGE_BASE_RE.finditer(self.text):
            sign = -1 if m.group("dir") in _DOWN else 1
            value: float | list[float] = sign * float(m.group("num"))
            if m.group("num2"):
                value = sorted([sign * float(m.group("num")), sign * float(m.group("num2"))])
            _subj, names = self._subject_names(m.start())
            line, q = self.quote(0, m.end(), m.start("num"))
            by = int(m.group("by"))
            self._add_named(names, "change", value, "", line, q, change_unit="percent",
                            basis="base_year", base_year=by)
            self.consumed.append(m.span())

    def _change_base_after(self) -> None:
        for m in _CHANGE_BASE_AFTER_RE.finditer(self.text):
            sign = -1 if m.group("dir") in _DOWN else 1
            value: float | list[float] = sign * float(m.group("num"))
            if m.group("num2"):
                value = sorted([sign * float(m.group("num")), sign * float(m.group("num2"))])
            names = _names_for(clean_name(m.group("subj")), 1, self.ctx)
            line, q = self.quote(m.start("subj"), m.end(), m.start("num"))
            self._add_named(names, "change", value, "", line, q, change_unit="percent",
                            basis="base_year", base_year=int(m.group("by")))
            self.consumed.append(m.span())

    def _change_yearly(self) -> None:
        for m in _CHANGE_YEARLY_RE.finditer(self.text):
            if self.taken(m.start()):
                continue
            sign = -1 if m.group("dir") in _DOWN else 1
            value: float | list[float] = sign * float(m.group("num"))
            if m.group("num2"):
                value = sorted([sign * float(m.group("num")), sign * float(m.group("num2"))])
            cu = "points" if m.group("unit") == "个百分点" else "percent"
            if cu == "percent" and self.text[m.start():m.start() + 2] == "年均":
                continue  # 年均增长 X% is growth, below
            _subj, names = self._subject_names(m.start())
            line, q = self.quote(0, m.end(), m.start("num"))
            self._add_named(names, "change", value, "%" if cu == "points" else "", line, q,
                            change_unit=cu, basis="previous_year")
            self.consumed.append(m.span())

    def _growth(self) -> None:
        for m in _GROWTH_RE.finditer(self.text):
            if self.taken(m.start()):
                continue
            subj, names = self._subject_names(m.start())
            if m.group("what") and names:
                names = [f"{n}{m.group('what')}" if len(subj) >= 2 else n for n in names]
            line, q = self.quote(0, m.end(), m.start("num"))
            rate = float(m.group("num"))
            self._add_named(names, "growth", rate, "", line, q)
            self.consumed.append(m.span())

    def _continue_value(self) -> None:
        """"在 96% 基础上继续提高": above the stated value."""
        for m in _CONTINUE_RE.finditer(self.text):
            if not m.group("num") or self.taken(m.start()):
                continue
            subj, names = self._subject_names(m.start())
            line, q = self.quote(0, m.end(), m.start())
            for name in names or []:
                f = Found(name, ">", float(m.group("num")), m.group("unit") or "%", line, q,
                          year=_year_in(self.text[:m.start()], self.ctx) or self.year, each=self.each,
                          note="“在…基础上继续提高”读作高于该值。")
                if len(subj) < 2:
                    f.flags.append("name_from_previous")
                self.out.append(f)
            self.consumed.append(m.span())

    # --- value tokens ------------------------------------------------------------------------

    def _groups(self) -> list[list[Value]]:
        """Values joined only by 、 和 及 (分别 a、b 和 c) form one group."""
        text = self.text
        groups: list[list[Value]] = []
        for v in find_values(text):
            if self.taken(v.start):
                continue
            if groups:
                gap = re.sub(r"^(以上|以下|以内|左右)", "", text[groups[-1][-1].end:v.start])
                if re.fullmatch(r"[、和及与或]|以及", gap) and groups[-1][-1].unit in (v.unit, "") and v.unit:
                    groups[-1].append(v)
                    continue
            groups.append([v])
        return groups

    @staticmethod
    def _comparator(gap: str) -> tuple[str | None, str | None, int, str]:
        verb, verb_op, vi = _verb_before(gap)
        if verb is None:
            # "每千名儿童至少拥有儿科医生1.12名": the comparator stands before the noun
            hits = list(re.finditer(r"(至少|不少于|不低于|不超过|不高于|达到|保持在|控制在|降至)", gap))
            if hits and len(gap) - hits[-1].end() <= 20:
                sm = hits[-1]
                verb = sm.group(1)
                verb_op = dict(VERBS)[verb]
                gap = gap[:sm.start()] + gap[sm.end():]
                vi = len(gap)
        return verb, verb_op, vi, gap

    @staticmethod
    def _noun_after(rest: str, unit: str, more: bool) -> str | None:
        noun = None
        if rest.startswith("的") and unit in ("%", "‰") and len(rest) > 2:
            noun = rest[1:]
        elif unit in COUNT_UNITS and rest and re.match(r"[\u4e00-\u9fff《“]", rest[0]) \
                and not re.match(r"(以上|以下|以内|左右|和|及|或|与|、|的|等|为|是|以|，)", rest):
            noun = rest
        elif unit in ("小时", "天") and rest and re.match(r"[\u4e00-\u9fff]", rest[0]) \
                and not re.match(r"(以上|以下|以内|左右|和|及|或|、|为|是|以)", rest):
            noun = rest
        if noun is not None and more:
            noun = re.sub(r"[、和及与或，,]+$", "", noun)
        return noun

    def _op_for(self, verb, verb_op, suffix_op, gap, noun_after, unit, subj_text, flags):
        """(op, ambiguous, continuing) or None when the numbers are not a target."""
        op, ambiguous = _decide_op(verb_op, suffix_op)
        bare = re.sub(r"[、和及与或，,的]", "", gap)
        last = self.last
        continuing = bool(last) and (not bare or (last.get("noun") and not verb))
        if op is None and continuing and last.get("op"):
            op, ambiguous = last["op"], last.get("ambiguous", False)
        if op is None and noun_after is not None and unit not in ("小时", "天"):
            op = ">="  # "90%的城市社区建立…", "建设1个…": at least that many
        if op is None and self.starts_guarantee:
            op, ambiguous = ">=", True
        if op is None:
            # no comparator: inherit the previous target's, as in "小学生10小时、初中生9小时"
            prev = self.ctx.sent_found or self.out
            if prev and prev[-1].op in ("<=", ">=", "<", ">", "approx") and noun_after is None \
                    and len(clean_name(subj_text)) <= 8:
                op = prev[-1].op
                flags.append("op_inherited")
            else:
                return None, "数字未能识别为目标（无比较词）"
        if (verb_op == "is" or verb in ("达", "达到")) and self.past and self.year is None:
            return None, "过去年份的数字（现状），不是目标"
        if verb_op == "is" and not suffix_op:
            return None, "“为 X”多为现状描述，未作为目标（请核对）"
        return (op, ambiguous, continuing), ""

    def _group(self, groups: list[list[Value]], gi: int) -> None:
        text, grp = self.text, groups[gi]
        first, lastv = grp[0], grp[-1]
        bound = groups[gi + 1][0].start if gi + 1 < len(groups) else len(text)
        suffix_op, suf_len = None, 0
        for suf, sop in SUFFIXES:
            if text.startswith(suf, lastv.end):
                suffix_op, suf_len = sop, len(suf)
                break
        verb, verb_op, vi, gap = self._comparator(text[self.prev_end:first.start])
        end = lastv.end + suf_len
        unit = lastv.unit
        noun_after = self._noun_after(text[end:bound], unit, gi + 1 < len(groups))
        subj_text = _strip_years(gap[:vi] if verb else gap)
        each_here = self.each
        if each_here:
            subj_text = _EACH_UNIT_RE.sub("", subj_text)
        flags: list[str] = []
        decided, why = self._op_for(verb, verb_op, suffix_op, gap, noun_after, unit, subj_text, flags)
        if decided is None:
            self.left.append(LeftOut(self.cl.line_at(first.start), text[:80], why))
            self.prev_end = end
            return
        op, ambiguous, continuing = decided
        provision = verb in _PROVIDE if verb else False
        n = len(grp)
        subj = clean_name(subj_text)
        names: list[str] | None = None
        if noun_after is not None:
            names, each_here = self._names_before_noun(grp, end, bound, subj, verb, noun_after, each_here,
                                                       continuing, gap, op, ambiguous, flags)
            provision = provision or bool(names)
        if names is None:
            names, each_here = self._names_by_subject(subj, n, unit, gap, each_here, continuing, flags)
            self.last = {"op": op, "ambiguous": ambiguous, "verb": verb, "subj": subj, "each": each_here,
                         "noun": False}
        if names and noun_after is None and unit in COUNT_UNITS:
            head = {"次": "次数", "课时": "课时数", "人次": "人次"}.get(unit, "数")
            names = [nm if (not nm or _HEAD_RE.search(nm)) else nm + head for nm in names]
        if not names:
            self.left.append(LeftOut(self.cl.line_at(first.start), text[:80], "有数值但找不到指标名称"))
            flags.append("name_missing")
            names = [""] * n
        if len(names) != n and n > 1:
            names = (names * n)[:n]
        this_year = _year_in(gap, self.ctx) or self.year
        for k, v in enumerate(grp):
            line, q = self.quote(self.prev_end if k == 0 else 0, bound if noun_after is not None else end, v.start)
            for name in ([names[k]] if n > 1 else names):
                f = Found(name, op, v.value, v.unit, line, q, year=this_year, each=each_here,
                          flags=list(flags), ambiguous_op=ambiguous, provision=provision)
                self._emit(f, v, unit, noun_after)
        self.last_names = names
        self.prev_end = bound if noun_after is not None else end

    def _names_before_noun(self, grp, end, bound, subj, verb, noun_after, each_here, continuing, gap,
                           op, ambiguous, flags):
        """The value stands before its noun: the name is built from the noun (and predicate)."""
        last, unit = self.last, grp[-1].unit
        use_verb, pre_subj = verb, subj
        if (len(subj) < 2 or continuing) and last:
            pre_subj = last.get("subj", "")
            use_verb = use_verb or last.get("verb")
            each_here = each_here or last.get("each")
        elif len(subj) < 2 and self.ctx.prev_found and self.ctx.prev_found[-1].each and unit in COUNT_UNITS:
            each_here = self.ctx.prev_found[-1].each
            pre_subj = "每" + each_here
            flags.append("name_from_previous")
        if each_here is None and unit in COUNT_UNITS:
            each_here = _each_from_subject(pre_subj, unit, gap)
        names = _names_after(grp, self.text, end, bound, pre_subj, use_verb, noun_after, each_here)
        if names:
            self.last = {"op": op, "ambiguous": ambiguous, "verb": use_verb, "subj": pre_subj,
                         "each": each_here, "noun": True}
        return names, each_here

    def _names_by_subject(self, subj, n, unit, gap, each_here, continuing, flags):
        if continuing and len(subj) < 2 and self.last.get("noun"):
            subj = self.last.get("subj", "")
        if _BARE_HEAD_RE.fullmatch(subj) and self.ctx.prev_clause and n == 1:
            # "指导乡镇设立工作站，覆盖率达到50%": the measure of what the previous clause names
            subj = self.ctx.prev_clause + subj
            flags.append("name_from_previous")
        # 每所…, X级…, X各… : the target applies to each such unit
        if unit in COUNT_UNITS and each_here is None:
            each_here = _each_from_subject(subj, unit, gap) or None
        if subj.startswith(("每所", "每个", "每家", "每一")) and each_here:
            subj = ""
        if len(subj) < 2:
            inherited = self.last_names or self.ctx.prev_names
            if inherited and len(inherited) == n:
                flags.append("name_from_previous")
                return list(inherited), each_here
            if inherited and n == 1:
                flags.append("name_from_previous")
                return [inherited[-1]], each_here
            return None, each_here
        if n > 1:
            names = split_names(subj, n)
            if names is None:
                flags.append("names_not_split")
                return [subj] * n, each_here
            return names, each_here
        return _one_value_names(subj, gap), each_here

    def _emit(self, f: Found, v: Value, unit: str, noun_after: str | None) -> None:
        if isinstance(v.value, list):
            f.op = "range"
        if v.unit == "个百分点":
            f.flags.append("points_without_change")
        if v.chinese:
            f.note = "数值由中文数字读出。"
        if unit in ("小时", "天") and noun_after is None:
            self.trailing_fix.append(f)
        elif unit in ("小时", "天") and noun_after is not None and self.trailing_fix:
            noun = re.sub(r"^的", "", noun_after)
            for tf in self.trailing_fix:
                if noun not in tf.name:
                    tf.name = tf.name + noun
            self.trailing_fix = []
        self.out.append(f)

    # --- clauses without a number ------------------------------------------------------------

    def _no_value(self) -> None:
        for form in (self._continue_milestone, self._reference, self._full_coverage, self._trend):
            if form():
                return

    def _continue_milestone(self) -> bool:
        m = _CONTINUE_RE.search(self.text)
        if not m:
            return False
        if m.group("num"):
            _subj, names = self._subject_names(m.start())
            line, q = self.quote(0, m.end(), m.start())
            for name in names or []:
                self.out.append(Found(name, ">", float(m.group("num")), m.group("unit") or "%", line, q,
                                      year=self.year, each=self.each, note="“在…基础上继续提高”读作高于该值。"))
            return True
        keep = bool(m.group("keep"))
        for p in self.ctx.prev_found:
            if p.op in (">=", ">") and isinstance(p.value, float):
                line, q = self.quote(0, m.end(), m.start())
                f = Found(p.name, ">=" if keep else ">", p.value, p.unit, line, q, year=self.year,
                          each=p.each, flags=["name_from_previous"])
                if p.year and self.year and self.year > p.year:
                    f.reached_in = p.year
                    f.note = (f"“在此基础上{'巩固' if keep else '继续'}提高”：{'不低于' if keep else '高于'}"
                              f"{p.year}年实际达到的数值。")
                else:
                    f.note = "“在此基础上继续提高”读作高于上一阶段目标值。"
                self.out.append(f)
        return True

    def _reference(self) -> bool:
        m = _REFERENCE_RE.search(self.text)
        if not m:
            return False
        _subj, names = self._subject_names(m.start())
        if not names:
            return False
        line, q = self.quote(0, m.end(), m.start())
        op = {"高于": ">", "低于": "<", "不高于": "<="}.get(m.group("verb"), ">=")
        for name in names:
            self.out.append(Found(name, op, None, "%", line, q, year=self.year, reference=m.group("ref"),
                                  note="与同年的参照数值比较。"))
        return True

    def _full_coverage(self) -> bool:
        cover = _coverage(self.text, self.section)
        if cover is None:
            return False
        for name, a, b in cover:
            line, q = self.quote(a, b, a)
            self.out.append(Found(name, ">=", 100.0, "%", line, q, year=self.year, each=self.each,
                                  flags=["full_coverage"], note="“全覆盖/全面普及/所有”读作达到 100%。"))
        return True

    def _trend(self) -> bool:
        m = _TREND_UP_RE.search(self.text)
        if not m:
            return False
        name = clean_name(m.group("name"))
        if len(name) >= 2:
            line, q = self.quote(0, m.end(), m.start())
            self.out.append(Found(name, "direction", None, "", line, q, year=self.year, direction="not_up"))
        return True


_BARE_HEAD_RE = re.compile(r"(?:[\u4e00-\u9fff]{1,2}级)?(?:覆盖率|普及率|比例|占比|达标率|合格率|完成率|参与率|知晓率|建成率)")


def _one_value_names(subj: str, gap: str) -> list[str]:
    """Names sharing one value: "A和B均达到 X", "A、B和C检测率", "艾滋病、梅毒、乙肝等母婴阻断率"."""
    parts = _split_list(subj)
    em = re.fullmatch(r"(.+?)等(.{2,12}?(?:率|比例|数))", subj)
    if em and len(_split_list(em.group(1))) >= 2 and all(len(p) <= 4 for p in _split_list(em.group(1))):
        return [p + em.group(2) for p in _split_list(em.group(1))]
    if "等" in subj:
        return [subj]
    if len(parts) > 1 and (re.search(r"均|都", gap) or all(_HEAD_RE.search(p) for p in parts) or len(parts) >= 3):
        return complete_names(parts)
    return [subj]


_EFFORT_RE = re.compile(r"(基本|推进|推动|逐步|力争|争取|努力|探索|扩大|加快)")


def _coverage(text: str, section: str) -> list[tuple[str, int, int]] | None:
    """Coverage words that state 100 %: 实现/保持…全覆盖, 全面普及…, X 覆盖所有 Y.  An effort
    (推进…全覆盖, 基本实现…, 逐步…) or a scheme open to all (…制度覆盖所有…) is qualitative."""
    if section == "intro":
        return None
    m = _FULL_COVER_RE.search(text)
    if m:
        before = text[:m.end()]
        if _EFFORT_RE.search(before) or re.search(r"[两二三四五六七八九十]个", before):
            return None
        raw = re.sub(r"^(实现|保持|达到)", "", clean_name(_strip_years(m.group("name"))))
        raw = re.sub(r"(实现|达到)$", "", raw)
        if len(raw) < 2:
            return None
        parts = _split_list(raw) if "等" not in raw else [raw]
        if len(parts) == 2 and all(len(p) >= 4 for p in parts):
            return [(p + "覆盖率", m.start(), m.end()) for p in parts]
        return [(raw + "覆盖率", m.start(), m.end())]
    m = re.search(r"(?P<a>[^，,。；;]{2,20}?)覆盖(?:城乡|全区|全市|全县)?(?:所有|全部|全体)(?P<b>[^，,。；;]{2,20})", text)
    if m:
        a = clean_name(m.group("a"))
        if _EFFORT_RE.search(text[:m.start("b")]) or a.endswith(("制度", "政策", "体系", "服务")):
            return None
        b = re.sub(r"^(符合条件的|城乡)", "", m.group("b"))
        return [(a + b + "覆盖率", m.start(), m.end())]
    m = re.search(r"全面普及(?P<b>[^，,。；;]{2,20})", text)
    if m and not _EFFORT_RE.search(text[:m.start()]):
        return [(m.group("b") + "普及率", m.start(), m.end())]
    return None


def _names_for(subj: str, n: int, ctx: Context) -> list[str] | None:
    if subj and len(subj) >= 2:
        parts = _split_list(subj) if "等" not in subj else [subj]
        if len(parts) > 1 and (all(_HEAD_RE.search(p) for p in parts[:-1]) or len(parts) >= 3):
            return complete_names(parts)
        if len(parts) == 2 and not _HEAD_RE.search(parts[0]) and _HEAD_RE.search(parts[1]):
            # 孤儿和事实无人抚养儿童基本生活养育标准: two populations, one measure
            m = re.search(r"(基本生活(?:养育|保障)?标准|[^\d]{2,6}(?:率|标准|比例))$", parts[1])
            if m and len(parts[1]) > len(m.group(1)) + 1:
                return [parts[0] + m.group(1), parts[1]]
        return [subj]
    if ctx.prev_found:
        return [ctx.prev_found[-1].name]
    return None


# 每年/每学期… (a frequency) and 每千人… (a per-capita ratio) are not "each unit"
_PER_TIME_RE = re.compile(r"^每(?:年|月|天|日|周|学期|学年|季度|半年|人|千|万|百|十万)")


def _each_from_subject(subj: str, unit: str, gap: str = "") -> str | None:
    m = re.match(r"^每(?:所|个|家|一个|一所|座)?(.{2,30})$", subj)
    if m and not _PER_TIME_RE.match(subj):
        return m.group(1).rstrip("均都各")
    if re.search(r"级$", subj):
        return subj
    m = re.match(r"^各(.{2,20}?)(?:均|都)?$", subj)
    if m:
        return m.group(1)
    m = re.match(r"^(.{2,30}?)中$", subj)
    if m and "各" in gap:
        return m.group(1)
    m = re.match(r"^(.{0,20}?(?:学校|中小学|小学|中学|幼儿园|园|校|中心|医院|卫生院|机构|班子|社区|村))(?:每学期|每学年|每年|每月)", subj)
    if m:
        return m.group(1)
    if "各" in gap[-4:] and re.search(r"(校|园|中心|院|机构|班子|社区|村|街道|乡镇)$", subj):
        return subj
    return None


def _names_after(grp: list[Value], text: str, end: int, bound: int, subject: str,
                 verb: str | None, noun_after: str, each: str | None) -> list[str] | None:
    """Names for values that stand before their noun ("95%以上的城市社区建立…", "至少配备1名…医生")."""
    unit = grp[-1].unit
    nouns: list[str] = []
    for k, v in enumerate(grp):
        seg = text[v.end:grp[k + 1].start] if k + 1 < len(grp) else noun_after
        seg = re.sub(r"^(以上|以下|以内|左右)?的?", "", seg)
        seg = re.sub(r"[、和及与或]+$", "", seg)
        nouns.append(seg)
    if unit in ("%", "‰"):
        # the predicate ("建立家长学校…") follows the last of the listed nouns
        tail = text[end:]
        pm = re.search(r"(建立|建有|设立|设有|配备|开展|实现|具备|拥有|参加|参与|接受|掌握|享有|开设|落实|成立|达到|有)", tail)
        if not pm:
            return None
        pred = re.split(r"[，,]", tail[pm.start():])[0]
        out = []
        for n_ in nouns:
            m2 = re.search(r"(建立|建有|设立|设有|配备|开展|实现|具备|拥有|参加|参与|接受|掌握|享有|开设|落实|成立|达到|有)", n_)
            if m2:
                n_ = n_[:m2.start()]
            n_ = n_.strip("、和及与或，,")
            if len(n_) < 2:
                return None
            out.append(f"{n_}{pred}的比例")
        return out
    subj = clean_name(_strip_years(subject))
    m = re.match(r"^每(?:所|个|家|一所|一个)?(.{2,30})$", subj)
    if m and not _PER_TIME_RE.match(subj):
        pre = m.group(1).rstrip("均都各")
    else:
        pre = subj
    names = []
    for k, n_ in enumerate(nouns):
        n_ = n_.strip("、和及与，,")
        if k == len(nouns) - 1:
            n_ = re.split(r"(?:并|，|,|同时|逐步|进一步)", n_)[0]
        if not n_:
            return None
        if unit in ("小时", "天"):
            n_ = re.sub(r"^的", "", n_)
            names.append(f"{pre}{n_}" if n_.endswith("时间") else f"{pre}{n_}时间")
        else:
            v = verb if verb and verb in _PROVIDE and verb not in ("有",) and pre else ""
            head = {"次": "次数", "课时": "课时数", "人次": "人次"}.get(unit, "数")
            names.append(f"{pre}{v}{n_}{head}")
    return names
