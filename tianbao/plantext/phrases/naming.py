"""Names for a clause's values: from its subject, from the noun after the values, coverage phrasings, each unit."""

from __future__ import annotations

import re

from tianbao.plantext.phrases.forms import _FULL_COVER_RE, _strip_years
from tianbao.plantext.phrases.names import (
    _HEAD_RE,
    _PROVIDE,
    Context,
    _split_list,
    clean_name,
    complete_names,
)
from tianbao.plantext.phrases.numbers import Value

_BARE_HEAD_RE = re.compile(
    r"(?:[\u4e00-\u9fff]{1,2}级)?(?:覆盖率|普及率|比例|占比|达标率|合格率|完成率|参与率|知晓率|建成率)"
)


def _one_value_names(subj: str, gap: str) -> list[str]:
    """Names sharing one value: "A和B均达到 X", "A、B和C检测率", "艾滋病、梅毒、乙肝等母婴阻断率"."""
    parts = _split_list(subj)
    em = re.fullmatch(r"(.+?)等(.{2,12}?(?:率|比例|数))", subj)
    if (
        em
        and len(_split_list(em.group(1))) >= 2
        and all(len(p) <= 4 for p in _split_list(em.group(1)))
    ):
        return [p + em.group(2) for p in _split_list(em.group(1))]
    if "等" in subj:
        return [subj]
    if len(parts) > 1 and (
        re.search(r"均|都", gap) or all(_HEAD_RE.search(p) for p in parts) or len(parts) >= 3
    ):
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
        before = text[: m.end()]
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
    m = re.search(
        r"(?P<a>[^，,。；;]{2,20}?)覆盖(?:城乡|全区|全市|全县)?(?:所有|全部|全体)(?P<b>[^，,。；;]{2,20})",
        text,
    )
    if m:
        a = clean_name(m.group("a"))
        if _EFFORT_RE.search(text[: m.start("b")]) or a.endswith(("制度", "政策", "体系", "服务")):
            return None
        b = re.sub(r"^(符合条件的|城乡)", "", m.group("b"))
        return [(a + b + "覆盖率", m.start(), m.end())]
    m = re.search(r"全面普及(?P<b>[^，,。；;]{2,20})", text)
    if m and not _EFFORT_RE.search(text[: m.start()]):
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
    m = re.match(
        r"^(.{0,20}?(?:学校|中小学|小学|中学|幼儿园|园|校|中心|医院|卫生院|机构|班子|社区|村))(?:每学期|每学年|每年|每月)",
        subj,
    )
    if m:
        return m.group(1)
    if "各" in gap[-4:] and re.search(r"(校|园|中心|院|机构|班子|社区|村|街道|乡镇)$", subj):
        return subj
    return None


def _names_after(
    grp: list[Value],
    text: str,
    end: int,
    bound: int,
    subject: str,
    verb: str | None,
    noun_after: str,
    each: str | None,
) -> list[str] | None:
    """Names for values that stand before their noun ("95%以上的城市社区建立…", "至少配备1名…医生")."""
    unit = grp[-1].unit
    nouns: list[str] = []
    for k, v in enumerate(grp):
        seg = text[v.end : grp[k + 1].start] if k + 1 < len(grp) else noun_after
        seg = re.sub(r"^(以上|以下|以内|左右)?的?", "", seg)
        seg = re.sub(r"[、和及与或]+$", "", seg)
        nouns.append(seg)
    if unit in ("%", "‰"):
        # the predicate ("建立家长学校…") follows the last of the listed nouns
        tail = text[end:]
        pm = re.search(
            r"(建立|建有|设立|设有|配备|开展|实现|具备|拥有|参加|参与|接受|掌握|享有|开设|落实|成立|达到|有)",
            tail,
        )
        if not pm:
            return None
        pred = re.split(r"[，,]", tail[pm.start() :])[0]
        out = []
        for n_ in nouns:
            m2 = re.search(
                r"(建立|建有|设立|设有|配备|开展|实现|具备|拥有|参加|参与|接受|掌握|享有|开设|落实|成立|达到|有)",
                n_,
            )
            if m2:
                n_ = n_[: m2.start()]
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
