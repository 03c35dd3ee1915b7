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

from sqlalchemy import Row, and_, case, func, or_, select

from db import assembly as store
from db import repo
from db.engine import Database
from db.models import Return, Unit, Value
from db.plans import get_plan
from db.repo import InputError, Origin
from tianbao.domain.assembly import DEPARTMENT, SELF, SUBUNITS, Combined, SourceInfo, combine
from tianbao.domain.catalogue import Plan
from tianbao.domain.values import REFERENCE, TOTAL, Entry, cells_of


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


class _Given:
    """Whether any sub-unit gave an indicator's total (from the GROUP BY); falsy: no sub-units."""

    def __init__(self, stats: dict, any_kids: bool) -> None:
        self.stats, self.any_kids = stats, any_kids

    def has(self, code: str) -> bool:
        st = self.stats.get((code, TOTAL))
        return st is not None and st.given > 0

    def __bool__(self) -> bool:
        return self.any_kids


_NONEMPTY = or_(
    Value.number.is_not(None),
    Value.numerator.is_not(None),
    Value.denominator.is_not(None),
    and_(Value.choice.is_not(None), Value.choice != ""),
    and_(Value.text.is_not(None), Value.text != ""),
    Value.tally_yes.is_not(None),
    Value.tally_partly.is_not(None),
    Value.tally_no.is_not(None),
)
_TALLY = or_(
    Value.tally_yes.is_not(None), Value.tally_partly.is_not(None), Value.tally_no.is_not(None)
)


def _n(cond):
    return func.sum(case((cond, 1), else_=0))


def _fractional(col):
    return and_(col.is_not(None), col != func.round(col))


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


def _stats(s, returns) -> dict[tuple[str, str], Row]:
    """(indicator, cell) → what the sub-units gave, in one GROUP BY over their values."""
    q = (
        select(
            Value.indicator,
            Value.cell,
            _n(_NONEMPTY).label("given"),
            func.count(Value.number).label("n_number"),
            func.sum(Value.number).label("s_number"),
            _n(and_(Value.numerator.is_not(None), Value.denominator.is_not(None))).label("n_ratio"),
            func.sum(Value.numerator).label("s_num"),
            func.sum(Value.denominator).label("s_den"),
            _n(
                or_(
                    _fractional(Value.number),
                    _fractional(Value.numerator),
                    _fractional(Value.denominator),
                )
            ).label("fractional"),
            _n(
                and_(
                    Value.text.is_not(None),
                    Value.text != "",
                    Value.number.is_(None),
                    Value.numerator.is_(None),
                )
            ).label("text_only"),
            _n(Value.choice == "yes").label("yes"),
            _n(Value.choice == "partly").label("partly"),
            _n(Value.choice == "no").label("no"),
            _n(_TALLY).label("tallied"),
        )
        .where(Value.return_id.in_(returns))
        .group_by(Value.indicator, Value.cell)
    )
    return {(row.indicator, row.cell): row for row in s.execute(q)}


def _row_counts(s, returns) -> dict[int, int]:
    """Return id → how many cells it holds."""
    q = (
        select(Value.return_id, func.count())
        .where(Value.return_id.in_(returns))
        .group_by(Value.return_id)
    )
    return dict(s.execute(q).all())


def _summed(ind, stats: dict, n: int) -> Entry | None:
    """The parent's total of ``ind`` straight from the GROUP BY, when that is exactly what
    :func:`combine` would make: every one of the ``n`` sub-units gave a usable total, the rule
    is one SQL computes exactly (integral sums, so no rounding order matters), and there are
    no breakdown or reference cells to check.  None: leave it to ``combine``."""
    if n == 0 or ind.disaggregation or ind.weight or any(k == REFERENCE for k, _ in cells_of(ind)):
        return None
    st = stats.get((ind.code, TOTAL))
    if st is None or st.given != n:
        return None
    rule = ind.aggregation
    if ind.kind == "yesno":
        if rule not in ("tally", "all", "any") or st.tallied or st.yes + st.partly + st.no != n:
            return None  # a sub-unit's own tally (a district of townships): combine adds them
        yes, partly, no = st.yes, st.partly, st.no
        total = yes + partly + no
        if rule == "all":
            choice = "yes" if yes == total else "no"
        elif rule == "any":
            choice = "yes" if yes else "partly" if partly else "no"
        else:
            choice = "yes" if yes == total else "no" if no == total else "partly"
        return Entry(choice=choice, tally=(yes, partly, no))
    if not ind.is_numeric or st.text_only or st.fractional:
        return None
    if rule == "ratio":
        if st.n_ratio != n:
            return None
        return Entry(numerator=float(st.s_num), denominator=float(st.s_den))
    if ind.is_rate or st.n_number != n:
        return None  # a rate's value is derived from its counts: combine decides
    if rule == "sum":
        return Entry(number=float(f"{float(st.s_number):.10g}"))
    if rule == "mean":
        return Entry(number=round(float(st.s_number) / n, 4))
    return None  # min, max, weighted mean: combine


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
        kids = repo.children(s, parent.id)
        depts = [
            u
            for u in repo.children(s, parent.id, include_departments=True)
            if u.level == "department"
        ]
        if not kids and not depts:
            raise InputError(f"“{parent.name}”没有下级单位，也没有成员单位，无法汇总。")
        plan = get_plan(s, plan_id)
        ret = repo.get_or_create_return(s, parent, plan.id, plan.version, year)
        if ret.status != "draft":
            raise InputError(f"“{parent.name}”{year}年报表已报送，请先解锁再汇总。")

        def cells_of_unit(u):
            r = repo.find_return(s, u.id, plan.id, year)
            return repo.entries(s, r.id) if r else {}

        dept_cells = {d.code: cells_of_unit(d) for d in depts}
        dept_names = {d.code: d.name for d in depts}
        # The sub-units' figures are summed in SQL (one GROUP BY) where the rule allows it and
        # every sub-unit gave a usable figure; only the other indicators are read row by row.
        kid_rids = repo.returns_of_units(s, [k.id for k in kids], plan.id, year)
        by_name = {k.name: kid_rids.get(k.id) for k in kids}
        returns = _kid_returns(parent.id, plan.id, year)
        stats = _stats(s, returns)
        counts = _row_counts(s, returns)
        missing = [name for name, rid in by_name.items() if not counts.get(rid)]
        division = _division(s, parent, plan, dept_cells, _Given(stats, bool(by_name)))
        current = repo.entries(s, ret.id)
        before = store.previous_computed(s, ret.id)

        quick: dict[str, Entry] = {}
        slow: list[str] = []
        for ind in plan.indicators:
            if division[ind.code].kind != SUBUNITS:
                continue
            e = _summed(ind, stats, len(by_name))
            if e is not None:
                quick[ind.code] = e
            else:
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
                    combined = Combined({TOTAL: quick[ind.code]}, reported=len(by_name))
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
