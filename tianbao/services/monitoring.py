"""Monitoring outputs for a unit, plan and year: 达标率, early warning, trends, ranking of sub-units."""

from __future__ import annotations

from dataclasses import dataclass

from db import repo
from db.engine import Database
from db.plans import get_plan
from db.repo import InputError
from tianbao.domain.status import TargetStatus, evaluate
from tianbao.domain.values import TOTAL
from tianbao.domain.warning import Attainment, attainment, early_warnings
from tianbao.services.returns import ReturnService

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

    def to_json(self) -> dict:
        def att(a: Attainment) -> dict:
            return {
                "met": a.met,
                "close": a.close,
                "not_met": a.not_met,
                "assessed": a.assessed,
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


def monitor(db: Database, unit_code: str, plan_id: str, year: int) -> MonitorReport:
    svc = ReturnService(db)
    info = svc.existing(unit_code, plan_id, year)
    view = svc.view(info.id)
    plan = view.plan
    series = series_of(db, unit_code, plan_id, range(plan.period[0] - 1, year + 1))
    statuses = {r.indicator.code: r.status for r in view.rows}
    domains = []
    for d in plan.domains:
        domains.append((d.name, attainment((i.code, statuses[i.code]) for i in d.indicators)))
    overall = attainment(statuses.items())
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
    )


def rank(db: Database, unit_code: str, plan_id: str, year: int, indicator: str):
    """Sub-units ranked on one indicator, best first: (name, value, status label)."""
    with db.session() as s:
        parent = repo.unit_by_code(s, unit_code)
        plan = get_plan(s, plan_id)
        try:
            ind = plan.indicator(indicator)
        except KeyError:
            raise InputError(f"计划 {plan_id} 中没有指标 {indicator}。") from None
        if not ind.is_numeric:
            raise InputError(f"{ind.name}不是数值指标，不能排名。")
        rows = []
        for kid in repo.children(s, parent.id):
            r = repo.find_return(s, kid.id, plan_id, year)
            e = repo.entries(s, r.id).get((indicator, TOTAL)) if r else None
            v = e.value(ind) if e else None
            st = evaluate(ind, year, v)
            rows.append((kid.name, v, STATUS_LABELS[st.status]))
    reverse = ind.better != "lower"
    with_values = sorted((r for r in rows if r[1] is not None), key=lambda r: r[1], reverse=reverse)
    return with_values + [r for r in rows if r[1] is None]
