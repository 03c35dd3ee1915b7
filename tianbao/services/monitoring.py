"""Monitoring outputs for a unit, plan and year: 达标率, early warning, trends, ranking of sub-units."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from db import repo
from db.engine import Database
from db.plans import get_plan
from db.repo import InputError
from tianbao.domain.status import BEHIND, NOT_MET, TargetStatus
from tianbao.domain.values import TOTAL
from tianbao.domain.warning import Attainment, attainment, early_warnings
from tianbao.services.returns import ReturnService, ReturnView, Row

STATUS_LABELS = {
    "met": "达标",
    "not_met": "未达标",
    "close": "接近",
    "no_target": "本年无目标",
    "no_data": "无数据",
    "on_course": "按进度",
    "behind": "落后于进度",
}


@dataclass(frozen=True)
class MonitorReport:
    unit_code: str
    unit_name: str
    plan_id: str
    plan_title: str
    year: int
    overall: Attainment
    domains: tuple[tuple[str, Attainment], ...]
    projected: tuple  # warnings of kind projected_miss
    fluctuating: tuple  # warnings of kind large_change
    series: dict[str, dict[int, float]]  # indicator -> year -> value (for trend charts)
    statuses: dict[str, TargetStatus]
    # Sub-units that missed a target, per indicator, even where the total is met or missing:
    # (sub-unit, value, the status detail of its own return).
    subunit_misses: dict[str, tuple[tuple[str, float | str | None, str], ...]] = field(
        default_factory=dict
    )
    # Numeric indicators with any figure, here or in a sub-unit: every one can be ranked.
    rankable: tuple[str, ...] = ()
    # Those of them with a figure in at least one sub-unit this year (not only in this unit's own
    # return, e.g. a department's): the ranking of sub-units has something to show.
    subunit_ranked: tuple[str, ...] = ()

    def to_json(self) -> dict:
        def att(a: Attainment) -> dict:
            return {
                "met": a.met,
                "close": a.close,
                "not_met": a.not_met,
                "assessed": a.assessed,
                "not_assessable": a.not_assessable,
                "due": a.due,
                "reasons": a.reason_counts(),
                "rate": a.rate,
            }

        return {
            "unit": self.unit_code,
            "plan": self.plan_id,
            "year": self.year,
            "attainment": att(self.overall),
            "domains": [{"name": n, **att(a)} for n, a in self.domains],
            "projected_miss": [
                {"indicator": w.indicator, "message": w.message} for w in self.projected
            ],
            "large_change": [
                {"indicator": w.indicator, "message": w.message} for w in self.fluctuating
            ],
            "subunit_misses": {
                code: [name for name, _v, _d in rows] for code, rows in self.subunit_misses.items()
            },
        }


def series_of(db: Database, unit_code: str, plan_id: str, years) -> dict[str, dict[int, float]]:
    """Each indicator's total value per year for a unit (numeric indicators only)."""
    with db.session() as s:
        unit = repo.unit_by_code(s, unit_code)
        plan = get_plan(s, plan_id)
        out: dict[str, dict[int, float]] = {i.code: {} for i in plan.indicators if i.is_numeric}
        for year in years:
            r = repo.find_return(s, unit.id, plan_id, year)
            if r is None:
                continue
            for (code, cell), e in repo.entries(s, r.id).items():
                if cell == TOTAL and code in out:
                    v = e.value(plan.indicator(code))
                    if v is not None:
                        out[code][year] = v
        return out


def not_assessable_reason(row: Row) -> str:
    """Why an indicator due this year could not be judged: 数据不全, 无数据, or a figure to
    compare with (base year, last year, reference) missing."""
    if row.incomplete:
        return "数据不全"
    if row.entry.empty:
        return "无数据"
    return "缺少比较数据"


def row_attainment(rows: Iterable[Row]) -> Attainment:
    """达标率 of return rows — the one rule the overview, the report and the compiled workbook use."""
    rows = list(rows)
    return attainment(
        ((r.indicator.code, r.status) for r in rows),
        qualitative={r.indicator.code for r in rows if r.indicator.kind == "yesno"},
        reasons={r.indicator.code: not_assessable_reason(r) for r in rows},
    )


def subunit_views(
    db: Database, unit_code: str, plan_id: str, year: int
) -> list[tuple[str, ReturnView | None]]:
    """Each sub-unit's return view (None where it has none), in the units' order."""
    svc = ReturnService(db)
    with db.session() as s:
        parent = repo.unit_by_code(s, unit_code)
        kids = []
        for kid in repo.children(s, parent.id):
            r = repo.find_return(s, kid.id, plan_id, year)
            kids.append((kid.name, r.id if r else None))
    views = iter(svc.views([rid for _n, rid in kids if rid]))
    return [(name, next(views) if rid else None) for name, rid in kids]


def subunit_misses(
    views: Sequence[tuple[str, ReturnView | None]],
) -> dict[str, tuple[tuple[str, float | str | None, str], ...]]:
    """Indicator → the sub-units whose own return misses its target (未达标, 落后于进度)."""
    out: dict[str, list] = {}
    for name, v in views:
        for r in v.rows if v else ():
            if r.status.status in (NOT_MET, BEHIND):
                out.setdefault(r.indicator.code, []).append((name, r.value, r.status.detail))
    return {code: tuple(rows) for code, rows in out.items()}


def monitor(db: Database, unit_code: str, plan_id: str, year: int) -> MonitorReport:
    svc = ReturnService(db)
    info = svc.existing(unit_code, plan_id, year)
    view = svc.view(info.id)
    plan = view.plan
    series = series_of(db, unit_code, plan_id, range(plan.period[0] - 1, year + 1))
    rows = view.own_rows
    statuses = {r.indicator.code: r.status for r in rows}
    domains = []
    for d in plan.domains:
        domains.append((d.name, row_attainment(r for r in rows if r.indicator.domain == d.code)))
    overall = row_attainment(rows)
    kids = subunit_views(db, unit_code, plan_id, year)
    numeric = [i.code for i in plan.indicators if i.is_numeric]
    in_kids = tuple(
        c for c in numeric if any(v is not None and v.row(c).value is not None for _n, v in kids)
    )
    kid_codes = set(in_kids)
    rankable = tuple(
        c for c in numeric if series.get(c, {}).get(year) is not None or c in kid_codes
    )
    warns = [
        w
        for i in plan.indicators
        if i.is_numeric
        for w in early_warnings(i, series[i.code], year, end_year=plan.period[1])
    ]
    return MonitorReport(
        unit_code=info.unit_code,
        unit_name=info.unit_name,
        plan_id=plan.id,
        plan_title=plan.title,
        year=year,
        overall=overall,
        domains=tuple(domains),
        projected=tuple(w for w in warns if w.kind == "projected_miss"),
        fluctuating=tuple(w for w in warns if w.kind == "large_change"),
        series=series,
        statuses=statuses,
        subunit_misses=subunit_misses(kids),
        rankable=rankable,
        subunit_ranked=in_kids,
    )


def rank(
    db: Database,
    unit_code: str,
    plan_id: str,
    year: int,
    indicator: str,
    *,
    views: Sequence[tuple[str, ReturnView | None]] | None = None,
):
    """Sub-units ranked on one indicator, best first: (name, value, status label).

    The value and the status are those of each sub-unit's own return view — the status its
    return, the compiled workbook and the report show — never judged again on the bare value.
    ``views`` (from :func:`subunit_views`) saves reading them again for every indicator."""
    with db.session() as s:
        plan = get_plan(s, plan_id)
        try:
            ind = plan.indicator(indicator)
        except KeyError:
            raise InputError(f"计划 {plan_id} 中没有指标 {indicator}。") from None
        if not ind.is_numeric:
            raise InputError(f"{ind.name}不是数值指标，不能排名。")
    if views is None:
        views = subunit_views(db, unit_code, plan_id, year)
    rows = []
    for name, v in views:
        row = v.row(indicator) if v is not None else None
        rows.append((name, *rank_entry(row)))
    return ranked(ind, rows)


def rank_entry(row: Row | None) -> tuple[float | None, str]:
    """What a sub-unit's row gives a ranking: its value (None for none or text) and status label."""
    if row is None:
        return None, "未填报"
    value = row.value if not isinstance(row.value, str) else None
    return value, STATUS_LABELS.get(row.status.status, "")


def ranked(ind, rows: Sequence[tuple[str, float | None, str]]) -> list:
    """(name, value, label) rows sorted best first by ``ind``'s direction, those without a value
    last (in their order)."""
    reverse = ind.better != "lower"
    with_values = sorted((r for r in rows if r[1] is not None), key=lambda r: r[1], reverse=reverse)
    return with_values + [r for r in rows if r[1] is None]


def places(
    rows: Sequence[tuple[str, float | None, str]], lower_is_better: bool
) -> list[int | None]:
    """The place of each ranked row, ties sharing a place (1, 2, 2, 4); None without a value.

    A place is 1 + how many values are better by more than 1e-9; counted by bisection in the
    sorted values (n log n: a ranking of 2,000 sub-units would otherwise compare 4 million pairs)."""
    values = sorted(v for _n, v, _s in rows if v is not None)
    n = len(values)
    out: list[int | None] = []
    for _n, v, _s in rows:
        if v is None:
            out.append(None)
        elif lower_is_better:
            out.append(1 + bisect_left(values, v - 1e-9))  # values w < v - 1e-9
        else:
            out.append(1 + n - bisect_right(values, v + 1e-9))  # values w > v + 1e-9
    return out
