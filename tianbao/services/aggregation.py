"""A parent unit's return computed from its sub-units' returns (综合汇总).

Counts are summed; rates and ratios are recomputed from the summed numerators and denominators —
never an average of rates, which would weigh a village of 50 births like a town of 5,000; yes /
partly / no goals are counted; amounts and durations (standards, hours) are not additive and are
left for the parent to enter.  Coverage says how many sub-units reported.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from db import repo
from db.engine import Database
from db.plans import get_plan
from db.repo import InputError, Origin
from tianbao.domain.catalogue import Indicator
from tianbao.domain.values import CHOICE_LABELS, Entry, cells_of


@dataclass(frozen=True)
class AggregateResult:
    unit_name: str
    return_id: int
    expected: int
    reported: int
    values_written: int
    missing_units: tuple[str, ...]
    notes: tuple[str, ...]


def combine(ind: Indicator, entries: list[Entry]) -> tuple[Entry | None, str]:
    """The parent's entry for one cell from the children's entries, and a note if it cannot be made."""
    entries = [e for e in entries if not e.empty]
    if not entries:
        return None, ""
    if ind.kind == "count":
        nums = [e.number for e in entries if e.number is not None]
        return Entry(number=sum(nums)), ""
    if ind.is_rate:
        usable = [e for e in entries if e.numerator is not None and e.denominator is not None]
        if len(usable) < len(entries):
            return None, (
                f"{ind.code} {ind.name}：{len(entries) - len(usable)} 个下级单位只填了比率、没有分子分母，"
                "无法重新计算，请上级单位核实后填写"
            )
        num = sum(e.numerator for e in usable)
        den = sum(e.denominator for e in usable)
        return Entry(numerator=num, denominator=den), ""
    if ind.kind == "yesno":
        counts = Counter(e.choice for e in entries if e.choice)
        if not counts:
            return None, ""
        n = sum(counts.values())
        choice = "yes" if counts["yes"] == n else "no" if counts["no"] == n else "partly"
        tally = "，".join(
            f"{CHOICE_LABELS[c]} {counts[c]}" for c in ("yes", "partly", "no") if counts[c]
        )
        return Entry(choice=choice, text=f"下级单位：{tally}"), ""
    return None, f"{ind.code} {ind.name}：{ind.unit or '该'}类数值不能相加，请上级单位自行填写"


def aggregate(
    db: Database, unit_code: str, plan_id: str, year: int, *, user: str = ""
) -> AggregateResult:
    """Compute (or recompute) the parent's return in one transaction."""
    with db.session() as s:
        parent = repo.unit_by_code(s, unit_code)
        kids = repo.children(s, parent.id)
        if not kids:
            raise InputError(f"“{parent.name}”没有下级单位，无法汇总。")
        plan = get_plan(s, plan_id)
        ret = repo.get_or_create_return(s, parent, plan.id, plan.version, year)
        if ret.status != "draft":
            raise InputError(f"“{parent.name}”{year}年报表已报送，请先解锁再汇总。")
        child_entries = []
        missing = []
        for kid in kids:
            kr = repo.find_return(s, kid.id, plan.id, year)
            ke = repo.entries(s, kr.id) if kr else {}
            if ke:
                child_entries.append(ke)
            else:
                missing.append(kid.name)
        origin = Origin(
            source="aggregated", user=user, reason=f"由 {len(child_entries)} 个下级单位汇总"
        )
        notes: list[str] = []
        items = []
        for ind in plan.indicators:
            for cell, _label in cells_of(ind):
                entry, note = combine(
                    ind, [ke[(ind.code, cell)] for ke in child_entries if (ind.code, cell) in ke]
                )
                if note and cell == "":
                    notes.append(note)
                if entry is not None:
                    items.append((ind.code, cell, entry))
        written = repo.set_entries(s, ret, items, origin)
        ret.aggregated = True
        if missing:
            notes.insert(0, f"未填报的下级单位：{'、'.join(missing)}")
        return AggregateResult(
            parent.name,
            ret.id,
            len(kids),
            len(child_entries),
            written,
            tuple(missing),
            tuple(notes),
        )
