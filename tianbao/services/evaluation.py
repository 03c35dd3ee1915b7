"""中期评估 and 终期评估: every indicator of a unit's plan from the base year to the evaluation year.

For each indicator: the base-year value, each year's value, the milestone in force in the
evaluation year and its status (progress toward a later milestone, see ``tianbao.domain.status``),
progress toward the final target (the status against the plan's last targets and the value the
least-squares linear trend projects for the final year), and the change since the base year.
Per domain and overall the counts met / on course / behind / not met / not assessable, with the
reasons for the last.  The sub-units' own evaluation (their counts and values) where the unit has
any.  Reading only: nothing is created.  Rules in ``docs/evaluation.md``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from db import repo
from db.engine import Database
from db.plans import get_plan
from db.repo import InputError
from tianbao.domain.catalogue import Indicator, Plan, Target, target_in_force
from tianbao.domain.fingerprint import fingerprint
from tianbao.domain.status import (
    BEHIND,
    CLOSE,
    LEVEL_OPS,
    MET,
    NO_DATA,
    NO_TARGET,
    NOT_MET,
    ON_COURSE,
    TargetStatus,
    compare,
    display_unit,
    evaluate,
    final_level,
    fmt_fixed,
    fmt_fixed_change,
    status_name,
)
from tianbao.domain.values import REFERENCE, TOTAL, Entry
from tianbao.domain.warning import project

# The five counts of an evaluation, in the order reports print them.
MET_C, COURSE_C, BEHIND_C, MISSED_C, NA_C = "met", "on_course", "behind", "not_met", "na"
COUNT_KEYS = (MET_C, COURSE_C, BEHIND_C, MISSED_C, NA_C)
COUNT_NAMES = {
    MET_C: "已达到",
    COURSE_C: "按进度",
    BEHIND_C: "落后于进度",
    MISSED_C: "未达标",
    NA_C: "无法评估",
}
_COUNT_OF = {
    MET: MET_C,
    ON_COURSE: COURSE_C,
    BEHIND: BEHIND_C,
    NOT_MET: MISSED_C,
    CLOSE: MISSED_C,
    NO_DATA: NA_C,
}


@dataclass(frozen=True)
class IndicatorEval:
    indicator: Indicator
    values: Mapping[int, float | str | None]  # every evaluated year, None where not reported
    base: tuple[int, float] | None  # (year, value) the progress path starts from
    base_is_start: bool  # True: no base-year value, ``base`` is the first year with data
    value: float | str | None  # the evaluation year's value
    milestone: tuple[Target, ...]  # targets in force in the evaluation year
    status: TargetStatus  # against the milestone in force
    final: tuple[Target, ...]  # the targets of the plan's last year
    final_status: TargetStatus  # progress toward (or, in the final year, attainment of) them
    projected: float | None  # the trend value in the final year
    projected_meets: bool | None  # does the projection meet the final level targets?
    change: float | None  # value − base value
    count: str | None  # one of COUNT_KEYS; None for qualitative goals and indicators without target
    reason: str = ""  # why not assessable

    @property
    def qualitative(self) -> bool:
        return self.indicator.kind in ("yesno", "text") or (
            bool(self.indicator.targets) and not any(t.quantified for t in self.indicator.targets)
        )


@dataclass(frozen=True)
class SubunitEval:
    code: str
    name: str
    reported: bool
    counts: Mapping[str, int]
    values: Mapping[str, float | str | None]  # indicator -> evaluation year value
    statuses: Mapping[str, str]  # indicator -> status


@dataclass(frozen=True)
class Evaluation:
    unit_code: str
    unit_name: str
    plan: Plan
    year: int
    final: bool
    years: tuple[int, ...]  # columns: years with any data, base year first
    rows: tuple[IndicatorEval, ...]
    subunits: tuple[SubunitEval, ...]
    sources: tuple[tuple[str, str, str, str], ...] = field(default=())  # unit, kind, status, 校验码

    @property
    def kind_name(self) -> str:
        return "终期评估" if self.final else "中期评估"

    def counts(self, domain: str | None = None) -> Counter:
        c: Counter = Counter({k: 0 for k in COUNT_KEYS})
        for r in self.rows:
            if r.count and (domain is None or r.indicator.domain == domain):
                c[r.count] += 1
        return c

    def reasons(self, domain: str | None = None) -> list[tuple[Indicator, str]]:
        return [
            (r.indicator, r.reason)
            for r in self.rows
            if r.count == NA_C and (domain is None or r.indicator.domain == domain)
        ]

    def row(self, code: str) -> IndicatorEval:
        return next(r for r in self.rows if r.indicator.code == code)


def _value(ind: Indicator, e: Entry | None) -> float | str | None:
    if e is None:
        return None
    if ind.kind == "yesno":
        return e.choice
    if ind.kind == "text":
        return e.text or None
    return e.value(ind)


def _years_entries(s, unit_id: int, plan_id: str, years) -> dict[int, dict]:
    out = {}
    for y in years:
        r = repo.find_return(s, unit_id, plan_id, y)
        if r is not None:
            out[y] = repo.entries(s, r.id)
    return out


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def evaluate_indicator(
    ind: Indicator,
    plan: Plan,
    year: int,
    values: Mapping[int, float | str | None],
    *,
    final: bool = False,
    baseline: tuple[int, float] | None = None,
    subunits: Mapping[str, float | None] | None = None,
    reference: float | None = None,
) -> IndicatorEval:
    """The evaluation of one indicator from its yearly ``values`` (the worked example's entry)."""
    end = plan.period[1]
    series = {y: v for y, v in values.items() if _num(v) and y <= year}
    value = values.get(year)
    base, is_start = baseline, False
    if base is None and _num(values.get(plan.base_year)):
        base = (plan.base_year, float(values[plan.base_year]))
    if base is None:
        earlier = sorted((y, v) for y, v in series.items() if y < year)
        if earlier:
            base, is_start = (earlier[0][0], float(earlier[0][1])), True
    prev = values.get(year - 1)
    prev = float(prev) if _num(prev) else None
    kw = dict(
        previous=prev,
        previous_year=year - 1 if prev is not None else None,
        subunits=subunits,
        reference=reference,
        reached={y: float(v) for y, v in series.items()},
    )
    if base is not None and not is_start:
        kw.update(baseline=base[1], baseline_year=base[0])
    elif base is not None:
        kw.update(start=base)
    final_targets = tuple(target_in_force(ind.targets, end))
    if final:
        # The final evaluation judges the plan's last targets as due.
        ind_now = replace(ind, targets=final_targets)
        status = evaluate(ind_now, year, value, progress=False, **kw)
        milestone = final_targets
    else:
        status = evaluate(ind, year, value, **kw)
        milestone = tuple(target_in_force(ind.targets, year))
    final_status = evaluate(replace(ind, targets=final_targets), year, value, **kw)
    projected = projected_meets = None
    if ind.is_numeric and len(series) >= 2 and year < end:
        p = project(series, end)
        lo, hi = ind.hard_bounds
        if p is not None:
            p = max(p, lo) if lo is not None else p
            p = min(p, hi) if hi is not None else p
            projected = p
            judged = []
            for t in final_targets:
                level = final_level(t, base[1] if base else None, near=p)
                if level is None or t.each:
                    continue
                op = t.op if t.op in LEVEL_OPS else _change_op(t)
                tv = t.value if t.op in ("approx", "range") else level
                judged.append(compare(op, p, tv, t.tolerance) == MET)
            projected_meets = all(judged) if judged else None
    change = float(value) - base[1] if _num(value) and base is not None and base[0] < year else None
    count, reason = _count(ind, status)
    return IndicatorEval(
        indicator=ind,
        values=dict(values),
        base=base,
        base_is_start=is_start,
        value=value,
        milestone=milestone,
        status=status,
        final=final_targets,
        final_status=final_status,
        projected=projected,
        projected_meets=projected_meets,
        change=change,
        count=count,
        reason=reason,
    )


def _change_op(t: Target) -> str:
    need = t.value if not isinstance(t.value, tuple) else t.value[0]
    return ">=" if t.op == "growth" or (need or 0) > 0 else "<="


def _count(ind: Indicator, st: TargetStatus) -> tuple[str | None, str]:
    quantified = any(t.quantified for t in ind.targets)
    if not quantified or ind.kind in ("yesno", "text"):
        return None, ""
    if st.status == NO_TARGET:
        return NA_C, "本期没有适用的量化目标"
    count = _COUNT_OF.get(st.status)
    if count is None:
        return None, ""
    if count == NA_C:
        detail = st.detail or "未填报"
        reason = "未填报数据" if "未填报" in detail else detail
        return count, reason
    return count, ""


def evaluation(
    db: Database, unit_code: str, plan_id: str, year: int, *, final: bool = False
) -> Evaluation:
    """The 中期 (or, with ``final``, 终期) evaluation of a unit's plan in ``year``."""
    with db.session() as s:
        plan = get_plan(s, plan_id)
        unit = repo.unit_by_code(s, unit_code)
        if not plan.period[0] <= year <= plan.period[1]:
            raise InputError(
                f"{year} 年不在计划“{plan.title}”的规划期（{plan.period[0]}–{plan.period[1]}年）内，"
                "不能评估。中期评估通常为规划期中点（如2025年），终期评估为规划期末年。"
            )
        years = range(plan.base_year, year + 1)
        by_year = _years_entries(s, unit.id, plan.id, years)
        if year not in by_year:
            raise InputError(
                f"{unit.name}还没有 {year} 年“{plan.title}”的报表，不能评估。"
                "请先填报（或由下级报表汇总）后再生成评估报告。"
            )
        base = repo.baselines(s, unit.id, plan.id)
        kids = repo.children(s, unit.id)
        kid_data = []
        for k in kids:
            kb = _years_entries(s, k.id, plan.id, years)
            kid_data.append((k.code, k.name, kb, repo.baselines(s, k.id, plan.id)))
        sources = []
        for u in [unit, *kids]:
            r = repo.find_return(s, u.id, plan.id, year)
            if r is None:
                sources.append((u.name, "—", "未填报", ""))
                continue
            fp = fingerprint(r.plan_id, r.plan_version, u.code, r.year, repo.entries(s, r.id))
            sources.append(
                (
                    u.name,
                    "汇总" if r.aggregated else "填报",
                    "已报送" if r.status == "submitted" else "草稿",
                    fp,
                )
            )
        unit_name = unit.name
    kid_year = {code: kb.get(year, {}) for code, _, kb, _ in kid_data}
    rows = []
    for ind in plan.indicators:
        values = {y: _value(ind, by_year[y].get((ind.code, TOTAL))) for y in by_year}
        subs = None
        if any(t.each for t in ind.targets) and kid_data:
            subs = {
                name: _num_or_none(_value(ind, kid_year[code].get((ind.code, TOTAL))))
                for code, name, _, _ in kid_data
            }
        ref = by_year[year].get((ind.code, REFERENCE))
        rows.append(
            evaluate_indicator(
                ind,
                plan,
                year,
                values,
                final=final,
                baseline=base.get(ind.code),
                subunits=subs,
                reference=ref.value(ind) if ref is not None else None,
            )
        )
    subunits = []
    for code, name, kb, kbase in kid_data:
        vals, stats = {}, {}
        c: Counter = Counter({k: 0 for k in COUNT_KEYS})
        for ind in plan.indicators:
            values = {y: _value(ind, kb[y].get((ind.code, TOTAL))) for y in kb}
            if year not in kb:
                continue
            ref = kb[year].get((ind.code, REFERENCE))
            ev = evaluate_indicator(
                ind,
                plan,
                year,
                values,
                final=final,
                baseline=kbase.get(ind.code),
                reference=ref.value(ind) if ref is not None else None,
            )
            vals[ind.code], stats[ind.code] = ev.value, ev.status.status
            if ev.count and ev.value is not None:  # what a sub-unit does not report is not its duty
                c[ev.count] += 1
        subunits.append(SubunitEval(code, name, year in kb, c, vals, stats))
    shown = sorted({y for r in rows for y, v in r.values.items() if v is not None} | {year})
    return Evaluation(
        unit_code=unit_code,
        unit_name=unit_name,
        plan=plan,
        year=year,
        final=final,
        years=tuple(shown),
        rows=tuple(rows),
        subunits=tuple(subunits),
        sources=tuple(sources),
    )


def eval_name(status: str) -> str:
    """Status names as an evaluation says them: a target met is 已达到."""
    return {"met": "已达到", "close": "未达标（接近）"}.get(status, status_name(status))


def change_text(r: IndicatorEval) -> str:
    """The change since the base year as the shown figures differ, with the indicator's fixed
    decimals: "+4.00个百分点", "−0.30‰", "持平"."""
    if r.change is None or r.base is None:
        return ""
    return fmt_fixed_change(float(r.value), r.base[1], r.indicator)


def projection_text(r: IndicatorEval) -> str:
    if r.projected is None:
        return ""
    verdict = {True: "可达", False: "难达", None: ""}[r.projected_meets]
    shown = fmt_fixed(r.projected, r.indicator)  # the indicator's fixed decimals
    return f"{shown}{('，' + verdict) if verdict else ''}"


def targets_words(ind: Indicator, targets) -> str:
    """The targets as printed: "≤4‰ (2025年)"; "—" where the plan has none."""
    if not targets:
        return "—" if not ind.targets else "本期无目标"
    return "；".join(t.describe(display_unit(ind.unit)) for t in targets)


def _num_or_none(v):
    return float(v) if _num(v) else None


__all__ = [
    "COUNT_KEYS",
    "COUNT_NAMES",
    "Evaluation",
    "IndicatorEval",
    "SubunitEval",
    "change_text",
    "eval_name",
    "evaluate_indicator",
    "evaluation",
    "projection_text",
    "targets_words",
]
