"""How a parent unit's value of one indicator is made from its sub-units' values (综合汇总).

The rule is the indicator's own (``Indicator.aggregation``, see docs/catalogue-format.md): counts
are summed, rates recomputed from summed numerators and denominators (never an average of rates,
which would weigh a village of 50 births like a town of 5,000), per-school and per-person figures
averaged, "each sub-unit" figures taken at the weakest sub-unit, qualitative goals tallied.

A figure that cannot be made honestly is not made.  If any expected sub-unit did not give the
figure, gave a rate without its counts (a ratio rule), or wrote text such as 不详 where a number
belongs, the parent's cell stays empty and the result says 数据不全, why, and which sub-units —
never a sum of the others.  Breakdown rows (城镇/农村, 男/女, age groups) are aggregated only when
every sub-unit gave them, and (for the additive rules) they add up to its own total; otherwise
they are left empty and said why, the total unaffected.

Pure functions on plain values: the service (``tianbao.services.aggregation``) reads the
returns and stores the result with its :class:`SourceInfo`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tianbao.domain.catalogue import Indicator
from tianbao.domain.values import CELLS, CHOICES, REFERENCE, TOTAL, Entry, cells_of

RULE_LABELS = {
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
}
RULE_OF_LABEL = {label: rule for rule, label in RULE_LABELS.items()}
# The same rules in the English UI (SourceInfo.label(en=True)); the exports stay Chinese.
RULE_LABELS_EN = {
    "sum": "sum",
    "ratio": "ratio recomputed",
    "mean": "mean",
    "weighted_mean": "weighted mean",
    "min": "minimum",
    "max": "maximum",
    "all": "all",
    "any": "any",
    "tally": "tally",
    "none": "not aggregated",
}
ADDITIVE = frozenset({"sum", "ratio"})
DEPARTMENT, SUBUNITS, SELF = "department", "subunits", "self"


@dataclass(frozen=True)
class SourceInfo:
    """Where one indicator's value of an assembled return came from."""

    kind: str  # department | subunits | self
    unit_code: str = ""  # the department (kind department)
    unit_name: str = ""
    rule: str = ""  # the aggregation rule used (kind subunits)
    reported: int = 0  # sub-units (or the department: 1) that gave a usable figure
    expected: int = 0  # sub-units expected
    complete: bool = True  # False: 数据不全, the total could not be made
    reason: str = ""  # why not, or what is wrong with a breakdown
    units: tuple[str, ...] = ()  # the sub-units concerned
    computed: Entry | None = None  # the total as assembled; a later edit makes it "entered"
    edited: bool = False  # the office changed the assembled total since (set when read)

    @property
    def incomplete(self) -> bool:
        return not self.complete

    def label(self, subunit_word: str = "下级单位", *, en: bool = False) -> str:
        """For people: "区卫生健康委员会填报", "11个下级单位中11个汇总（比率重算）", "本级填报",
        "数据不全：…"; in English (``en``) "reported by 区卫生健康委员会", "aggregated from 11 of
        11 sub-units (ratio recomputed)", "entered by this office", "incomplete: …".

        The one describer for both languages: the same branches, the words from
        :data:`_SOURCE_WORDS`.  ``subunit_word`` names the sub-units in Chinese only.  The
        reason is stored in Chinese (it was written by the assembly); English gives it through
        :func:`reason_en`.  Unit names are names and stay as the units wrote them."""
        w = _SOURCE_WORDS["en" if en else "zh"]
        if self.kind == DEPARTMENT:
            text = w["department"].format(unit=self.unit_name or self.unit_code)
        elif self.kind == SUBUNITS:
            rules = RULE_LABELS_EN if en else RULE_LABELS
            text = w["subunits"].format(
                expected=self.expected,
                reported=self.reported,
                word=subunit_word,
                rule=rules.get(self.rule, self.rule),
            )
        else:
            text = w["self"]
        reason = reason_en(self.reason) if en else self.reason
        if self.incomplete:
            text = w["incomplete"].format(reason=reason)
        elif reason:
            text += w["also"].format(reason=reason)
        if self.edited and self.complete:
            text += w["edited"]
        return text


# The words of :meth:`SourceInfo.label`, one table per language (the same keys).
_SOURCE_WORDS = {
    "zh": {
        "department": "{unit}填报",
        "subunits": "{expected}个{word}中{reported}个汇总（{rule}）",
        "self": "本级填报",
        "incomplete": "数据不全：{reason}",
        "also": "；{reason}",
        "edited": "；汇总后经本级修改",
    },
    "en": {
        "department": "reported by {unit}",
        "subunits": "aggregated from {reported} of {expected} sub-units ({rule})",
        "self": "entered by this office",
        "incomplete": "incomplete: {reason}",
        "also": "; {reason}",
        "edited": "; changed by this office after aggregation",
    },
}


@dataclass(frozen=True)
class Combined:
    """The parent's cells of one indicator, or why (some of) them could not be made."""

    cells: dict[str, Entry] = field(default_factory=dict)
    complete: bool = True
    reason: str = ""
    units: tuple[str, ...] = ()
    reported: int = 0


def _names(names: Sequence[str]) -> str:
    shown = "、".join(names[:5])
    return shown + (f"等{len(names)}个" if len(names) > 5 else "")


# The English of the reasons the assembly writes (stored in Chinese with the source, so read
# back from their wording): each Chinese form as a pattern, and its English.  A part of a reason
# that matches none of them is shown as stored, never dropped.
_WHY_EN = (
    (r"未填报", lambda m: "did not report"),
    (r"选项无效", lambda m: "gave an invalid choice"),
    (r"填写了“(?P<x>.*?)”", lambda m: f"wrote “{m['x']}”"),
    (r"只填了比率、没有分子分母", lambda m: "gave only the rate, no numerator and denominator"),
    (r"没有数值", lambda m: "gave no number"),
    (r"缺少权重（(?P<w>[^（）]*)）", lambda m: f"gave no weight ({m['w']})"),
)
_BREAKDOWNS_EN = {
    "sex": "male/female",
    "urban_rural": "urban/rural",
    "age_group": "age 0-5/6-14/15-17",
}


def _count_en(n: str) -> str:
    return f"{n} sub-unit" if n == "1" else f"{n} sub-units"


def _names_en(text: str) -> str:
    """ "甲、乙等7个" → "甲, 乙 and 5 more"; the names stay as the units wrote them."""
    m = re.fullmatch(r"(.*)等(\d+)个", text)
    if m:
        shown = m[1].split("、")
        return f"{', '.join(shown)} and {int(m[2]) - len(shown)} more"
    return text.replace("、", ", ")


def _breakdown_en(label: str) -> str:
    for dim, en in _BREAKDOWNS_EN.items():
        if label == breakdown_label(dim):
            return en
    return label


_NAMED = r"（(?P<names>.*?)）"
_REASONS_EN = (
    *(
        (
            rf"(?P<n>\d+)个下级单位{why}{_NAMED}",
            lambda m, say=say: f"{_count_en(m['n'])} {say(m)} ({_names_en(m['names'])})",
        )
        for why, say in _WHY_EN
    ),
    (
        rf"(?P<label>[^：；]+?)分组未汇总：(?P<n>\d+)个下级单位未填或不可汇总{_NAMED}，"
        r"只有(?P<m>\d+)个填了分组",
        lambda m: (
            f"{_breakdown_en(m['label'])} breakdown not aggregated: {_count_en(m['n'])} left it"
            f" empty or unusable ({_names_en(m['names'])}), only {m['m']} gave it"
        ),
    ),
    (
        rf"(?P<label>[^：；]+?)分组未汇总：(?P<n>\d+)个下级单位的分组之和与合计不符{_NAMED}",
        lambda m: (
            f"{_breakdown_en(m['label'])} breakdown not aggregated: in {_count_en(m['n'])} the"
            f" breakdown does not add up to the total ({_names_en(m['names'])})"
        ),
    ),
    (
        rf"参照值未汇总：(?P<n>\d+)个下级单位未填或不可汇总{_NAMED}",
        lambda m: (
            f"reference figure not aggregated: {_count_en(m['n'])} left it empty or unusable"
            f" ({_names_en(m['names'])})"
        ),
    ),
    (r"没有下级单位", lambda m: "there are no sub-units"),
    (r"本指标不汇总，由本级填报", lambda m: "not aggregated: entered by this office"),
    (r"(?P<unit>.+?)未报送本指标", lambda m: f"{m['unit']} has not reported this indicator"),
)
_REASON_PATTERNS = tuple((re.compile(rf"{zh}(?=；|$)"), say) for zh, say in _REASONS_EN)


def reason_en(reason: str) -> str:
    """The English of a reason the assembly wrote ("2个下级单位未填报（甲、乙）" → "2 sub-units did
    not report (甲, 乙)"), part by part (parts are joined by "；")."""
    out: list[str] = []
    at = 0
    while at < len(reason):
        for pattern, say in _REASON_PATTERNS:
            m = pattern.match(reason, at)
            if m:
                out.append(say(m))
                at = m.end()
                break
        else:  # not a wording of the assembly: as it was written
            end = reason.find("；", at)
            end = len(reason) if end < 0 else end
            out.append(reason[at:end])
            at = end
        at += reason.startswith("；", at)
    return "; ".join(out)


def _problem(ind: Indicator, rule: str, e: Entry | None) -> str | None:
    """Why a sub-unit's entry cannot go into the rule ("" if fine), None if it is empty."""
    if e is None or e.empty:
        return None
    if ind.kind == "yesno":
        if e.tally is not None or e.choice in CHOICES:
            return ""
        return "选项无效"
    if ind.is_numeric and e.text and e.number is None and e.numerator is None:
        return f"填写了“{e.text.strip()[:10]}”"
    if rule == "ratio":
        if e.numerator is None or e.denominator is None:
            return "只填了比率、没有分子分母"
        return ""
    v = e.value(ind)
    if v is None or not math.isfinite(v):
        return "没有数值"
    return ""


def _weight(ind: Indicator, weights: Mapping[str, Entry] | None, name: str) -> float | None:
    e = (weights or {}).get(name)
    if e is None:
        return None
    w = e.denominator if e.denominator is not None else e.number
    return w if w is not None and w > 0 else None


def combine_cell(
    ind: Indicator,
    rule: str,
    entries: Sequence[tuple[str, Entry]],
    weight_of: Mapping[str, float | None],
) -> Entry:
    """The parent's entry from usable entries (every check already passed)."""
    if rule == "ratio":
        return Entry(
            numerator=sum(e.numerator for _, e in entries),
            denominator=sum(e.denominator for _, e in entries),
        )
    if ind.kind == "yesno":
        counts = [0, 0, 0]
        for _, e in entries:
            if e.tally is not None:
                counts = [a + b for a, b in zip(counts, e.tally, strict=True)]
            else:
                counts[CHOICES.index(e.choice)] += 1
        return tally_entry(rule, *counts)
    values = [(name, e.value(ind)) for name, e in entries]
    if rule == "sum":
        return Entry(number=tidy(sum(v for _, v in values)))
    if rule == "min":
        return Entry(number=min(v for _, v in values))
    if rule == "max":
        return Entry(number=max(v for _, v in values))
    if rule == "weighted_mean":
        total = sum(weight_of[name] for name, _ in values)
        return Entry(number=round(sum(v * weight_of[name] for name, v in values) / total, 4))
    return Entry(number=round(sum(v for _, v in values) / len(values), 4))


def tally_entry(rule: str, yes: int, partly: int, no: int) -> Entry:
    """A qualitative goal's parent entry from its sub-units' 是 / 部分 / 否 counts."""
    n = yes + partly + no
    if rule == "all":
        choice = "yes" if yes == n else "no"
    elif rule == "any":
        choice = "yes" if yes else "partly" if partly else "no"
    else:
        choice = "yes" if yes == n else "no" if no == n else "partly"
    return Entry(choice=choice, tally=(yes, partly, no))


def tidy(x: float) -> float:
    """A sum of decimals without binary noise (0.1 + 0.2 is 0.3)."""
    return float(f"{x:.10g}")


NOT_AGGREGATED = "本指标不汇总，由本级填报"


def breakdown_label(dim: str) -> str:
    """ "男/女", "城镇/农村": a breakdown as its notes name it."""
    return "/".join(lbl for _k, lbl in CELLS[dim])


def mismatch_note(label: str, odd: Sequence[str]) -> str:
    """The note for a breakdown whose parts do not add up to the total in ``odd`` sub-units."""
    return f"{label}分组未汇总：{len(odd)}个下级单位的分组之和与合计不符（{_names(odd)}）"


def close(a: float, b: float) -> bool:
    """Equal but for rounding: how a breakdown's sum is compared with its total."""
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def combine(
    ind: Indicator,
    children: Sequence[tuple[str, Mapping[str, Entry]]],
    *,
    weights: Mapping[str, Entry] | None = None,
) -> Combined:
    """The parent's cells of ``ind`` from every expected sub-unit's cells (``{}`` for a
    sub-unit without a return), by the indicator's rule.  ``weights``: each sub-unit's entry of
    the weight indicator (weighted_mean)."""
    rule = ind.aggregation
    if rule == "none":
        return Combined(complete=True, reason=NOT_AGGREGATED)
    totals = [(name, cells.get(TOTAL)) for name, cells in children]
    missing = [name for name, e in totals if e is None or e.empty]
    bad: dict[str, list[str]] = {}
    for name, e in totals:
        why = _problem(ind, rule, e)
        if why:
            bad.setdefault(why, []).append(name)
    weight_of: dict[str, float | None] = {}
    if rule == "weighted_mean":
        weight_of = {name: _weight(ind, weights, name) for name, _ in children}
        no_weight = [n for n, e in totals if e is not None and not e.empty and weight_of[n] is None]
        if no_weight:
            bad.setdefault(f"缺少权重（{ind.weight}）", []).extend(no_weight)
    usable = [
        (n, e) for n, e in totals if n not in missing and not any(n in v for v in bad.values())
    ]
    if missing or bad:
        reasons = [f"{len(v)}个下级单位{why}（{_names(v)}）" for why, v in bad.items()]
        if missing:
            reasons.insert(0, f"{len(missing)}个下级单位未填报（{_names(missing)}）")
        concerned = tuple(missing) + tuple(n for v in bad.values() for n in v)
        return Combined(
            complete=False, reason="；".join(reasons), units=concerned, reported=len(usable)
        )
    if not children:
        return Combined(complete=False, reason="没有下级单位", reported=0)
    out = {TOTAL: combine_cell(ind, rule, usable, weight_of)}
    notes = []
    for dim in ind.disaggregation:
        made, note = _breakdown(ind, rule, dim, children, weight_of)
        out.update(made)
        if note:
            notes.append(note)
    if any(k == REFERENCE for k, _ in cells_of(ind)):
        made, note = _cells(ind, rule, REFERENCE, "参照值", children, weight_of)
        out.update(made)
        if note:
            notes.append(note)
    return Combined(cells=out, complete=True, reason="；".join(notes), reported=len(usable))


def _cells(
    ind: Indicator,
    rule: str,
    cell: str,
    label: str,
    children: Sequence[tuple[str, Mapping[str, Entry]]],
    weight_of: Mapping[str, float | None],
) -> tuple[dict[str, Entry], str]:
    """One extra cell (the reference figure) by the same rule, if every sub-unit gave it."""
    got = [(n, c.get(cell)) for n, c in children]
    given = [(n, e) for n, e in got if e is not None and not e.empty]
    if not given:
        return {}, ""
    lacking = [n for n, e in got if e is None or e.empty or _problem(ind, rule, e)]
    if lacking:
        return {}, f"{label}未汇总：{len(lacking)}个下级单位未填或不可汇总（{_names(lacking)}）"
    return {cell: combine_cell(ind, rule, given, weight_of)}, ""


def _breakdown(
    ind: Indicator,
    rule: str,
    dim: str,
    children: Sequence[tuple[str, Mapping[str, Entry]]],
    weight_of: Mapping[str, float | None],
) -> tuple[dict[str, Entry], str]:
    """The members of one breakdown (城镇/农村 …), from sub-units that gave all of them
    consistently with their own total — all sub-units, or none of the members is made."""
    members = [key for key, _label in CELLS[dim]]
    label = breakdown_label(dim)
    gave = [
        n for n, c in children if any(c.get(k) is not None and not c.get(k).empty for k in members)
    ]
    if not gave:
        return {}, ""
    partial = [
        n
        for n, c in children
        if any(c.get(k) is None or c.get(k).empty or _problem(ind, rule, c.get(k)) for k in members)
    ]
    if partial:
        return {}, (
            f"{label}分组未汇总：{len(partial)}个下级单位未填或不可汇总（{_names(partial)}），"
            f"只有{len(children) - len(partial)}个填了分组"
        )
    if rule in ADDITIVE:
        odd = [n for n, c in children if not _adds_up(ind, rule, [c[k] for k in members], c[TOTAL])]
        if odd:
            return {}, mismatch_note(label, odd)
    out = {}
    for k in members:
        out[k] = combine_cell(ind, rule, [(n, c[k]) for n, c in children], weight_of)
    return out, ""


def _adds_up(ind: Indicator, rule: str, parts: Sequence[Entry], total: Entry) -> bool:
    if rule == "ratio":
        return close(sum(p.numerator for p in parts), total.numerator) and close(
            sum(p.denominator for p in parts), total.denominator
        )
    return close(sum(p.value(ind) for p in parts), total.value(ind))
