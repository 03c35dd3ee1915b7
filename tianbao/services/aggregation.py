"""A parent unit's return assembled from its sources (综合汇总).

Who reports each indicator is the parent's division of labour (填报分工, ``tianbao.services.duties``):
a member department's figure is taken as the department reported it; a sub-unit-reported one is
made from every sub-unit's figure by the indicator's own rule (``tianbao.domain.assembly``); the
rest the office enters itself.  Until the office has set its division, each indicator is taken
from whoever reported it — the department the catalogue names, else the sub-units — so a
district whose townships fill in everything is assembled as before.

What cannot be aggregated (a sub-unit missing, a rate without its counts, 不详 typed in a count)
is never dropped or half-summed: the cell stays empty (or keeps what the office entered) and the
indicator is recorded as 数据不全 with the reason and the sub-units concerned.  Every indicator's
source is stored beside the values (``db.assembly``), so each view can say where a value came from.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import Row, select

from db import assembly as store
from db import repo
from db.engine import Database
from db.models import Return, Unit, Value
from db.plans import get_plan
from db.repo import InputError, Origin
from tianbao.domain.assembly import DEPARTMENT, SELF, SUBUNITS, SourceInfo, combine
from tianbao.domain.catalogue import Plan
from tianbao.domain.values import TOTAL, Entry, cells_of
from tianbao.services import aggregation_sql as fast


@dataclass(frozen=True)
class AggregateResult:
    unit_name: str
    return_id: int
    expected: int
    reported: int
    values_written: int
    missing_units: tuple[str, ...]
    notes: tuple[str, ...]
    incomplete: tuple[str, ...] = ()  # indicator codes flagged 数据不全
    sources: dict[str, SourceInfo] | None = None


@dataclass(frozen=True)
class _Source:
    kind: str
    unit_code: str | None = None


def _division(s, parent, plan: Plan, dept_cells, kid_cells) -> dict[str, _Source]:
    """Indicator → who reports it: the office's division if set (issue 13), else whoever did."""
    try:
        from tianbao.services import duties

        division, is_set = duties.effective(s, parent, plan)
    except (ImportError, AttributeError, NotImplementedError):
        division, is_set = {}, False
    out: dict[str, _Source] = {}
    for ind in plan.indicators:
        src = division.get(ind.code)
        if is_set and src is not None:
            out[ind.code] = _Source(src.kind, src.unit_code)
            continue
        dept = src.unit_code if src is not None and src.kind == DEPARTMENT else None
        if dept and _has(dept_cells.get(dept, {}), ind.code):
            out[ind.code] = _Source(DEPARTMENT, dept)
        elif kid_cells.has(ind.code) or not kid_cells:
            out[ind.code] = _Source(SUBUNITS)
        elif src is not None:
            out[ind.code] = _Source(src.kind, src.unit_code)
        else:
            out[ind.code] = _Source(SUBUNITS)
    return out


def _kid_returns(parent_id: int, plan_id: str, year: int):
    """The sub-units' returns (as in ``repo.children``: departments excluded), as a subquery."""
    return (
        select(Return.id)
        .join(Unit, Unit.id == Return.unit_id)
        .where(
            Unit.parent_id == parent_id,
            Unit.level != "department",
            Return.plan_id == plan_id,
            Return.year == year,
        )
    )


def _units(s, parent_id: int) -> list[Row]:
    """The parent's sub-units and member departments (id, code, name, level), in their order."""
    q = (
        select(Unit.id, Unit.code, Unit.name, Unit.level)
        .where(Unit.parent_id == parent_id)
        .order_by(Unit.sort, Unit.id)
    )
    return list(s.execute(q))


def _with_values(s, returns) -> set[int]:
    """Which of the sub-units' returns hold any cell."""
    has = select(Value.id).where(Value.return_id == Return.id).exists()
    return set(s.scalars(select(Return.id).where(Return.id.in_(returns), has)))


def _cells_of(s, by_name: dict[str, int | None], codes: list[str]) -> dict[str, dict]:
    """Sub-unit name → indicator → cell → entry, for ``codes`` only (one query)."""
    out: dict[str, dict] = {name: {} for name in by_name}
    if not codes:
        return out
    name_of = {rid: name for name, rid in by_name.items() if rid is not None}
    rids = list(name_of)
    codes = sorted(set(codes))
    for at in range(0, len(rids), 500):
        got = repo.entries_of_returns(s, rids[at : at + 500], indicators=codes)
        for rid, cells in got.items():
            mine = out[name_of[rid]]
            for (code, cell), e in cells.items():
                mine.setdefault(code, {})[cell] = e
    return out


def _has(entries, code: str) -> bool:
    e = entries.get((code, TOTAL))
    return e is not None and not e.empty


def aggregate(
    db: Database, unit_code: str, plan_id: str, year: int, *, user: str = ""
) -> AggregateResult:
    """Assemble (or re-assemble) the parent's return in one transaction."""
    with db.session() as s:
        parent = repo.unit_by_code(s, unit_code)
        units = _units(s, parent.id)
        kids = [u for u in units if u.level != "department"]
        depts = [u for u in units if u.level == "department"]
        if not kids and not depts:
            raise InputError(f"“{parent.name}”没有下级单位，也没有成员单位，无法汇总。")
        plan = get_plan(s, plan_id)
        ret = repo.get_or_create_return(s, parent, plan.id, plan.version, year)
        if ret.status != "draft":
            raise InputError(f"“{parent.name}”{year}年报表已报送，请先解锁再汇总。")

        dept_rids = repo.returns_of_units(s, [d.id for d in depts], plan.id, year)
        dept_cells = {
            d.code: repo.entries(s, dept_rids[d.id]) if d.id in dept_rids else {} for d in depts
        }
        dept_names = {d.code: d.name for d in depts}
        # The sub-units' figures are made in SQL (one GROUP BY, aggregation_sql) where that is
        # exactly what combine makes; only the other indicators are read row by row.
        kid_rids = repo.returns_of_units(s, [k.id for k in kids], plan.id, year)
        by_name = {k.name: kid_rids.get(k.id) for k in kids}
        returns = _kid_returns(parent.id, plan.id, year)
        stats = fast.stats(s, returns, plan.indicators)
        filled = _with_values(s, returns)
        missing = [name for name, rid in by_name.items() if rid not in filled]
        given = fast.Given(s, returns, stats, bool(by_name))
        division = _division(s, parent, plan, dept_cells, given)
        current = repo.entries(s, ret.id)
        before = store.previous_computed(s, ret.id)

        mine = [ind for ind in plan.indicators if division[ind.code].kind == SUBUNITS]
        quick = fast.quick(s, returns, mine, stats, list(by_name.items()))
        slow: list[str] = []
        for ind in mine:
            if ind.code not in quick:
                slow += [ind.code] + ([ind.weight] if ind.weight else [])
        kid_cells = _cells_of(s, by_name, slow)

        infos: dict[str, SourceInfo] = {}
        made: dict[str, dict[str, Entry]] = {}
        items: list[tuple[str, str, Entry]] = []
        notes: list[str] = []
        for ind in plan.indicators:
            src = division[ind.code]
            keys = [c for c, _label in cells_of(ind)]
            if src.kind == DEPARTMENT:
                name = dept_names.get(src.unit_code or "", src.unit_code or "")
                cells = {
                    c: e
                    for (code, c), e in dept_cells.get(src.unit_code or "", {}).items()
                    if code == ind.code
                }
                ok = not cells.get(TOTAL, Entry()).empty
                info = SourceInfo(
                    DEPARTMENT,
                    unit_code=src.unit_code or "",
                    unit_name=name,
                    reported=int(ok),
                    expected=1,
                    complete=ok,
                    reason="" if ok else f"{name}未报送本指标",
                    units=() if ok else (name,),
                )
            elif src.kind == SUBUNITS:
                weights = None
                if ind.weight:
                    weights = {n: c.get(ind.weight, {}).get(TOTAL) for n, c in kid_cells.items()}
                    weights = {n: e for n, e in weights.items() if e is not None}
                if ind.code in quick:
                    combined = quick[ind.code]
                    children = by_name
                else:
                    children = [(n, cells.get(ind.code, {})) for n, cells in kid_cells.items()]
                    combined = combine(ind, children, weights=weights)
                cells = combined.cells
                info = SourceInfo(
                    SUBUNITS,
                    rule=ind.aggregation,
                    reported=combined.reported,
                    expected=len(children),
                    complete=combined.complete,
                    reason=combined.reason,
                    units=combined.units,
                )
                if ind.aggregation == "none":
                    info = SourceInfo(SELF, reason="")
            else:
                infos[ind.code] = SourceInfo(SELF)
                continue
            for c in keys:
                new = cells.get(c)
                if new is not None:
                    items.append((ind.code, c, new))
                else:
                    # Not made this time: clear what an earlier assembly wrote, keep what the
                    # office entered itself.
                    old = current.get((ind.code, c))
                    if old is not None and before.get(ind.code, {}).get(c) == old:
                        items.append((ind.code, c, Entry()))
            infos[ind.code] = replace(info, computed=cells.get(TOTAL))
            made[ind.code] = dict(cells)
            if info.incomplete:
                notes.append(f"{ind.code} {ind.name}：数据不全，{info.reason}，请核实后由本级填写")
            elif info.reason and info.kind == SUBUNITS:
                notes.append(f"{ind.code} {ind.name}：{info.reason}")
        origin = Origin(
            source="aggregated",
            user=user,
            reason=f"由 {len(kids) - len(missing)} 个下级单位和 {len(depts)} 个成员单位汇总",
        )
        written = repo.set_entries(s, ret, items, origin)
        store.set_sources(s, ret, infos, made)
        ret.aggregated = True
        if missing:
            notes.insert(0, f"未填报的下级单位：{'、'.join(missing)}")
        return AggregateResult(
            parent.name,
            ret.id,
            len(kids),
            len(kids) - len(missing),
            written,
            tuple(missing),
            tuple(notes),
            tuple(code for code, i in infos.items() if i.incomplete),
            infos,
        )
