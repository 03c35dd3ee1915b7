"""A paragraph cut into sentences and clauses; targets shared across a sentence."""

from __future__ import annotations

import re

from tianbao.plantext.phrases.clause import _Clause
from tianbao.plantext.phrases.forms import _BASE_ONLY_RE, _ITEM_NO_RE, _strip_years
from tianbao.plantext.phrases.names import Context, Found, LeftOut, clean_name
from tianbao.plantext.phrases.numbers import find_values
from tianbao.plantext.phrases.spans import Span


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
        if re.search(
            r"(国纲|纲要|国家|全国|省|自治区|市)(的)?目标|目标(值)?为|国家标准为|省定|全国平均",
            inner,
        ) and find_values(inner):
            drops.append(m.span())
            left.append(
                LeftOut(
                    span.line_at(m.start()),
                    inner[:60],
                    "括号内引述的上级（国家/省）目标，不是本规划的目标",
                )
            )
    # a drafter's revision "X（改：Y）": Y replaces the clause X
    for m in re.finditer(r"[（(]改[：:]([^（）()]*)[）)]", span.text):
        a = max(span.text.rfind(c, 0, m.start()) for c in "，,。；;") + 1
        drops.append((a, m.start() + 3))
        drops.append((m.end() - 1, m.end()))
        left.append(
            LeftOut(span.line_at(a), span.text[a : m.start()][:60], "被“（改：…）”批注替换的原文")
        )
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
    base_from: int | None = (
        None  # "以2020年为基数，X增长50%": the base phrase reads with the next clause
    )
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
    """ "睡眠时间小学生达到10小时、初中生达到9小时": the later short subjects share the first one's
    topic (小学生睡眠时间, 初中生睡眠时间)."""
    i = 0
    while i < len(found) - 1:
        a, b = found[i], found[i + 1]
        k = len(b.name)
        if (
            2 <= k <= 4 < len(a.name) - 1
            and a.unit == b.unit
            and a.unit not in ("%", "‰", "1/10万")
            and a.name[-1] == b.name[-1]
            and a.name[-k:] != b.name
            and not a.topic
        ):
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


def _parse_clause(
    cl: Span,
    sent: Span,
    offset: int,
    ctx: Context,
    section: str,
    left: list[LeftOut],
    year_ctx: int | None,
) -> list[Found]:
    return _Clause(cl, ctx, section, left, year_ctx).run()
