"""The special forms of a target (change from a base year, growth, continuing, full coverage, trends) and the small helpers deciding a comparator and a year."""

from __future__ import annotations

import re

from tianbao.plantext.phrases.names import _ADVERBS, VERBS, YEAR_RE, Context

# ---- the special forms -------------------------------------------------------------------------

_CHANGE_BASE_RE = re.compile(
    r"(?:比|较)?以?(?P<by>20\d\d)年(?:的?数据|水平|数|值)?为(?:基数|基期|基准|基础)[，,]?"
    r"(?P<dir>下降|降低|减少|上升|提高|增长|增加)(?P<num>\d+(?:\.\d+)?)(?:[-—–~至到](?P<num2>\d+(?:\.\d+)?))?%"
    r"(?P<suf>以上|左右)?"
)
_BASE_ONLY_RE = re.compile(
    r"(?:——)?(?:以|与|同|比|较)(20\d\d)年(?:的?数据|水平)?(?:为(?:基数|基期|基准|基础)|相比)"
)
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
_FULL_COVER_RE = re.compile(
    r"(?P<name>[^，,。；;]{2,40}?)(?:实现|达到|基本实现)?(?:全覆盖|全面覆盖)"
)
_TREND_UP_RE = re.compile(
    r"(?P<name>[^，,。；;]{2,30}?)(?:的)?(?:上升|增长)(?:趋势|势头)?(?:得到)?(?:有效)?(?:控制|遏制)"
)
_PAST_RE = re.compile(r"(?:已|已经|曾|分别为|为|是)$")


_ITEM_NO_RE = re.compile(
    r"^(?:\d{1,2}[.．、]|——|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)"
)


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
        g2 = re.sub(
            r"(?:(?:到|至|于|在)?20[2-9]\d年(?:底|末)?[，,]?|" + _ADVERBS + r"|的|约|达到并|并)$",
            "",
            g,
        )
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
        after = text[m.end() : m.end() + 4]
        if after.startswith(("为基数", "数据", "为基", "的基", "基础", "水平")):
            continue
        if text[max(0, m.start() - 1) : m.start()] == "以":
            continue
        if ctx.period[0] <= y <= ctx.period[1]:
            return y
    return None


def _strip_years(s: str) -> str:
    return re.sub(r"(?:到|至|于)?20[2-9]\d年(?:底|末|前)?", "", s)
