"""统计资料 (the statistical data book): every indicator of a unit over the plan period so far.

A multi-year table — base year to the last year with a return — with each indicator's unit,
definition and source (``tianbao.domain.explain``), for the unit and optionally each of its
sub-units.  Reading only.
"""

from __future__ import annotations

from dataclasses import dataclass

from db import repo
from db.engine import Database
from db.plans import get_plan
from db.repo import InputError
from tianbao.domain.catalogue import Plan
from tianbao.domain.values import TOTAL


@dataclass(frozen=True)
class UnitSeries:
    code: str
    name: str
    values: dict[str, dict[int, float | str | None]]  # indicator -> year -> value


@dataclass(frozen=True)
class DataBook:
    plan: Plan
    unit_name: str
    years: tuple[int, ...]
    units: tuple[UnitSeries, ...]  # the unit first, then its sub-units (if asked for)


def _value(ind, e):
    if e is None:
        return None
    if ind.kind == "yesno":
        return e.choice
    if ind.kind == "text":
        return e.text or None
    return e.value(ind)


def databook(
    db: Database,
    unit_code: str,
    plan_id: str,
    *,
    subunits: bool = False,
    up_to: int | None = None,
) -> DataBook:
    with db.session() as s:
        plan = get_plan(s, plan_id)
        unit = repo.unit_by_code(s, unit_code)
        last = up_to or plan.period[1]
        years = range(plan.base_year, last + 1)
        units = [unit, *(repo.children(s, unit.id) if subunits else [])]
        out, seen = [], set()
        for u in units:
            base = repo.baselines(s, u.id, plan.id)
            vals: dict[str, dict[int, float | str | None]] = {i.code: {} for i in plan.indicators}
            for code, (by, bv) in base.items():
                if code in vals:
                    vals[code][by] = bv
            for y in years:
                r = repo.find_return(s, u.id, plan.id, y)
                if r is None:
                    continue
                for (code, cell), e in repo.entries(s, r.id).items():
                    if cell == TOTAL and code in vals:
                        v = _value(plan.indicator(code), e)
                        if v is not None:
                            vals[code][y] = v
            for by_year in vals.values():
                seen.update(y for y, v in by_year.items() if y in years and v is not None)
            out.append(UnitSeries(u.code, u.name, vals))
        if not seen:
            raise InputError(
                f"{unit.name}还没有“{plan.title}”的任何数据（报表或基期值），无法编制统计资料。"
                "请先填报后再生成。"
            )
        shown = tuple(range(min(seen), max(seen) + 1))
        return DataBook(plan, unit.name, shown, tuple(out))


__all__ = ["DataBook", "UnitSeries", "databook"]
