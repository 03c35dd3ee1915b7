"""Returns as the user works with them: read a whole return, save a cell, explain, submit, unlock.

Every public method is one unit of work in its own session and returns plain frozen data, so the
desktop program and the command line share exactly the same behaviour.

The frozen data the service hands out (ReturnInfo, Row, ReturnView, Blocker, Change) and the
building of a row live in :mod:`tianbao.services.return_views`; this module hands those names on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from db import assembly as source_store
from db import repo
from db.engine import Database
from db.models import Duty, Return
from db.plans import get_plan
from db.repo import InputError, Origin
from tianbao.domain import text as texts
from tianbao.domain.catalogue import Indicator, Plan
from tianbao.domain.values import TOTAL, Entry, SignOff, cells_of
from tianbao.services import duties
from tianbao.services.return_views import (
    Blocker,
    Change,
    ReturnInfo,
    ReturnView,
    Row,
    _indicator,
    _info,
    _validate_shape,
    build_row,
    clean_entry,
    clean_signoff,
)


class ReturnService:
    def __init__(self, db: Database, user: str = "") -> None:
        self.db = db
        self.user = user

    # --- opening ----------------------------------------------------------------------------

    def open(self, unit_code: str, plan_id: str, year: int) -> ReturnInfo:
        """The return of a unit for a plan and year, created (under the latest plan version) if new."""
        with self.db.write() as s:
            plan = get_plan(s, plan_id)
            if not plan.period[0] - 1 <= year <= plan.period[1] + 5:
                raise InputError(
                    f"{year} 年不在计划“{plan.title}”的规划期（{plan.period[0]}–{plan.period[1]}年）内。"
                )
            unit = repo.unit_by_code(s, unit_code)
            r = repo.get_or_create_return(s, unit, plan.id, plan.version, year)
            return _info(r)

    def existing(self, unit_code: str, plan_id: str, year: int) -> ReturnInfo:
        """The return if it exists; reading (reports, overviews) never creates one."""
        with self.db.session() as s:
            unit = repo.unit_by_code(s, unit_code)
            plan = get_plan(s, plan_id)
            r = repo.find_return(s, unit.id, plan.id, year)
            if r is None:
                hint = "可先用“由下级报表汇总”生成本级报表，或" if repo.children(s, unit.id) else ""
                raise InputError(
                    f"{unit.name}还没有 {year} 年“{plan.title}”的报表。{hint}先填报后再查看。"
                )
            return _info(r)

    def info(self, return_id: int) -> ReturnInfo:
        with self.db.session() as s:
            return _info(self._return(s, return_id))

    def changes(self, return_id: int) -> int | None:
        """The return's change counter: a new number means someone changed it (cheap to poll)."""
        with self.db.session() as s:
            return repo.changes_of(s, return_id)

    def _return(self, s, return_id: int) -> Return:
        r = s.get(Return, return_id)
        if r is None:
            raise InputError(f"报表 {return_id} 不存在。")
        return r

    # --- reading ----------------------------------------------------------------------------

    def view(self, return_id: int) -> ReturnView:
        with self.db.session() as s:
            return self._view(s, self._return(s, return_id))

    def _view(self, s, r: Return) -> ReturnView:
        plan = get_plan(s, r.plan_id, r.plan_version)
        return self._assemble(
            r, plan, *self._inputs(s, r, plan), duties.reported_codes(s, r.unit, plan)
        )

    def _inputs(self, s, r: Return, plan: Plan, codes: frozenset[str] | None = None) -> tuple:
        """What the rows of a return are built from (of the indicators ``codes`` only, if given):
        its cells, the previous year's, baselines, explanations, sub-units' values, milestone
        years' values and, for an assembled return, the sources."""
        only = None if codes is None else sorted(codes)

        def cells_of_return(return_id: int) -> dict:
            if only is None:
                return repo.entries(s, return_id)
            return repo.entries_of_returns(s, [return_id], indicators=only).get(return_id, {})

        current = cells_of_return(r.id)
        prev_ret = repo.find_return(s, r.unit_id, r.plan_id, r.year - 1)
        previous = cells_of_return(prev_ret.id) if prev_ret else {}
        base = repo.baselines(s, r.unit_id, r.plan_id)
        expl = repo.explanations(s, r.id)
        subunit_values = self._subunit_values(s, r, plan, codes)
        reached = self._reached_values(s, r, plan, base, codes)
        sources = source_store.sources(s, r.id)
        return current, previous, base, expl, subunit_values, reached, sources

    def refreshed(self, view: ReturnView, codes: Iterable[str], writes: int = 1) -> ReturnView:
        """``view`` after this program's own ``writes`` saves to the indicators ``codes``.

        A row depends on its own indicator only, so just those rows are read again and rebuilt
        (the entry grid after a typed value: a few queries of a few rows, not the whole return).
        If anything else changed the return since ``view`` was read — its change counter, bumped
        by every write, moved by more than ``writes`` — the whole return is read again."""
        codes = frozenset(codes)
        with self.db.session() as s:
            r = self._return(s, view.info.id)
            known = {i.code for i in view.plan.indicators}
            if (
                (r.changes or 0) != view.info.changes + writes
                or r.plan_version != view.info.plan_version
                or not codes <= known
            ):
                return self._view(s, r)
            plan = view.plan
            current, previous, base, expl, subunit_values, reached, sources = self._inputs(
                s, r, plan, codes
            )
            fresh = {
                row.indicator.code: row
                for row in _rows(
                    r.year,
                    [row.indicator for row in view.rows if row.indicator.code in codes],
                    (current, previous, base, expl, subunit_values, reached, sources),
                )
            }
            rows = tuple(fresh.get(row.indicator.code, row) for row in view.rows)
            info = replace(
                view.info,
                status=r.status,
                aggregated=r.aggregated,
                signoff=repo.signoff_of(r),
                submitted_at=r.submitted_at,
                updated_at=r.updated_at,
                changes=r.changes or 0,
            )
            return ReturnView(info, plan, rows, view.reported)

    def _assemble(
        self,
        r,
        plan,
        current,
        previous,
        base,
        expl,
        subunit_values,
        reached,
        sources,
        reported,
        *,
        checks: bool = True,
        memo: dict | None = None,
    ) -> ReturnView:
        inputs = (current, previous, base, expl, subunit_values, reached, sources)
        rows = tuple(_rows(r.year, plan.indicators, inputs, checks=checks, memo=memo))
        return ReturnView(_info(r), plan, rows, reported)

    def views(
        self, return_ids: Sequence[int], *, checks: bool = True, batch: int = 200
    ) -> Iterator[ReturnView]:
        """The views of many returns (in the order given), read in a few queries per ``batch``
        rather than several per return — the same rows :meth:`view` gives.  ``checks=False``
        leaves out the findings (the compiled workbook and the rankings need values and
        statuses only).  A generator: the caller keeps only what it needs of each."""
        ids = list(return_ids)
        plans: dict[tuple[str, int], Plan] = {}  # one plan version read once, not per return
        for at in range(0, len(ids), batch):
            chunk = ids[at : at + batch]
            with self.db.session() as s:
                yield from self._views_bulk(s, chunk, checks, plans)

    def _views_bulk(
        self, s, ids: list[int], checks: bool, plans: dict | None = None
    ) -> list[ReturnView]:
        plans = {} if plans is None else plans
        rets = {
            r.id: r
            for r in s.scalars(
                select(Return).where(Return.id.in_(ids)).options(selectinload(Return.unit))
            )
        }
        missing = [i for i in ids if i not in rets]
        if missing:
            raise InputError(f"报表 {missing[0]} 不存在。")
        current = repo.entries_of_returns(s, ids)
        out: list[ReturnView] = []
        groups: dict[tuple[str, int], list[Return]] = {}
        for i in ids:
            r = rets[i]
            groups.setdefault((r.plan_id, r.year), []).append(r)
        views: dict[int, ReturnView] = {}
        memo: dict = {}
        for (plan_id, year), group in groups.items():
            unit_ids = [r.unit_id for r in group]
            previous = repo.totals_of_units(s, unit_ids, plan_id, year - 1)
            base = repo.baselines_of_units(s, unit_ids, plan_id)
            expl = repo.explanations_of_returns(s, [r.id for r in group])
            sources = source_store.sources_of_returns(s, [r.id for r in group])
            parents = repo.units_with_children(s, unit_ids)
            own_duties = set(
                s.scalars(
                    select(Duty.parent_id)
                    .where(Duty.parent_id.in_(unit_ids), Duty.plan_id == plan_id)
                    .distinct()
                )
            )
            reported_of: dict[tuple, frozenset[str] | None] = {}
            for r in group:
                plan = plans.get((r.plan_id, r.plan_version))
                if plan is None:
                    plan = plans[(r.plan_id, r.plan_version)] = get_plan(
                        s, r.plan_id, r.plan_version
                    )
                subunit_values = self._subunit_values(s, r, plan) if r.unit_id in parents else {}
                b = base.get(r.unit_id, {})
                reached = self._reached_values(s, r, plan, b)
                # 填报分工 (duties.reported_codes): None for a parent with its own division,
                # else the same answer for every sub-unit of one parent and level.
                key = (r.unit.parent_id, r.unit.level == "department", r.unit.code, plan.version)
                if r.unit_id in own_duties:
                    key, reported_of[key] = ("own",), None
                else:
                    if r.unit.level != "department":
                        key = (*key[:2], "", plan.version)
                    if key not in reported_of:
                        reported_of[key] = duties.reported_codes(s, r.unit, plan)
                views[r.id] = self._assemble(
                    r,
                    plan,
                    current.get(r.id, {}),
                    previous.get(r.unit_id, {}),
                    b,
                    expl.get(r.id, {}),
                    subunit_values,
                    reached,
                    sources.get(r.id, {}),
                    reported_of[key],
                    checks=checks,
                    memo=memo,
                )
        out = [views[i] for i in ids]
        return out

    def _subunit_values(
        self, s, r: Return, plan: Plan, only: frozenset[str] | None = None
    ) -> dict[str, dict[str, float | None]]:
        """For per-sub-unit targets: each child's value of the same plan and year."""
        codes = [
            i
            for i in plan.indicators
            if any(t.each for t in i.targets) and (only is None or i.code in only)
        ]
        if not codes:
            return {}
        kids = repo.children(s, r.unit_id)
        if not kids:
            return {}
        out: dict[str, dict[str, float | None]] = {i.code: {} for i in codes}
        totals = repo.totals_of_units(
            s, [k.id for k in kids], r.plan_id, r.year, indicators=[i.code for i in codes]
        )  # a few queries, of these indicators only
        for kid in kids:
            ke = totals.get(kid.id, {})
            for ind in codes:
                e = ke.get((ind.code, TOTAL))
                out[ind.code][kid.name] = e.value(ind) if e else None
        return out

    def _reached_values(
        self,
        s,
        r: Return,
        plan: Plan,
        base: Mapping[str, tuple[int, float]],
        only: frozenset[str] | None = None,
    ) -> dict[str, dict[int, float | None]]:
        """For targets above what was reached in a milestone year (reached_in): the unit's own
        value in that year — from its return of that year, else from a baseline stored for it."""
        out: dict[str, dict[int, float | None]] = {}
        returns: dict[int, dict] = {}
        for ind in plan.indicators:
            if only is not None and ind.code not in only:
                continue
            years = sorted({t.reached_in for t in ind.targets if t.reached_in})
            for y in [y for y in years if y < r.year]:
                if y not in returns:
                    yr = repo.find_return(s, r.unit_id, r.plan_id, y)
                    returns[y] = repo.entries(s, yr.id) if yr else {}
                e = returns[y].get((ind.code, TOTAL))
                v = e.value(ind) if e else None
                if v is None and ind.code in base and base[ind.code][0] == y:
                    v = base[ind.code][1]
                out.setdefault(ind.code, {})[y] = v
        return out

    # --- writing ----------------------------------------------------------------------------

    def save_entry(
        self,
        return_id: int,
        indicator: str,
        cell: str,
        entry: Entry,
        origin: Origin | None = None,
        *,
        expected: Entry | None | object = repo.ANY,
    ) -> Change:
        """Save one cell in its own transaction (a typed value is never lost).

        ``expected`` is the content the user saw; if another user changed the cell since,
        :class:`~db.repo.ConflictError` (with their value, who and when) and nothing is written."""
        origin = origin or Origin(user=self.user)
        with self.db.write() as s:
            r = self._return(s, return_id)
            self._editable(r)
            plan = get_plan(s, r.plan_id, r.plan_version)
            ind = _indicator(plan, indicator)
            reported = duties.reported_codes(s, r.unit, plan)
            if reported is not None and indicator not in reported:
                raise InputError(
                    f"指标 {indicator} {ind.name}不由{r.unit.name}填报（见上级的“填报分工”），"
                    "这里只能查看。"
                )
            if cell not in dict(cells_of(ind)):
                raise InputError(f"指标 {indicator} 没有分组“{cell}”。")
            entry = clean_entry(entry)
            _validate_shape(ind, entry)
            changed = repo.set_entry(s, r, indicator, cell, entry, origin, expected=expected)
            return Change(return_id, (indicator,), changed=changed)

    def save_explanation(
        self, return_id: int, indicator: str, text: str, *, expected: str | None | object = repo.ANY
    ) -> Change:
        """Save an explanation; ``expected`` is the text the user saw (a conflict if it changed)."""
        text = texts.explanation(text)
        with self.db.write() as s:
            r = self._return(s, return_id)
            self._editable(r)
            _indicator(get_plan(s, r.plan_id, r.plan_version), indicator)
            changed = repo.set_explanation(
                s, r, indicator, text, Origin(user=self.user), expected=expected
            )
            return Change(return_id, (indicator,), changed=changed)

    def save_baseline(
        self,
        return_id: int,
        indicator: str,
        year: int,
        value: float | None,
        *,
        expected: tuple[int, float] | None | object = repo.ANY,
    ) -> Change:
        """The unit's base-year value for an indicator's relative targets (较基期下降/年均增长);
        ``expected`` is the (year, value) the user saw."""
        with self.db.write() as s:
            r = self._return(s, return_id)
            plan = get_plan(s, r.plan_id, r.plan_version)
            self._store_baseline(s, r.unit, plan, indicator, year, value, expected=expected)
            return Change(return_id, (indicator,))

    def set_baseline(
        self, unit_code: str, plan_id: str, indicator: str, year: int, value: float | None
    ) -> tuple[str, Indicator]:
        """The same rule as :meth:`save_baseline`, for a unit and plan without opening a return;
        returns the unit's name and the indicator."""
        with self.db.write() as s:
            unit = repo.unit_by_code(s, unit_code)
            plan = get_plan(s, plan_id)
            return unit.name, self._store_baseline(s, unit, plan, indicator, year, value)

    def _store_baseline(
        self, s, unit, plan: Plan, indicator: str, year: int, value, *, expected=repo.ANY
    ) -> Indicator:
        ind = _indicator(plan, indicator)
        if value is None:
            raise InputError(f"请填写{ind.name}的基期值。")
        if value < 0:
            raise InputError(f"{ind.name}的基期值不能为负数。")
        repo.set_baseline(
            s, unit, plan.id, ind.code, year, value, Origin(user=self.user), expected=expected
        )
        return ind

    def save_signoff(
        self, return_id: int, signoff: SignOff, *, expected: SignOff | object = repo.ANY
    ) -> Change:
        signoff = clean_signoff(signoff)
        with self.db.write() as s:
            r = self._return(s, return_id)
            changed = repo.set_signoff(s, r, signoff, Origin(user=self.user), expected=expected)
            return Change(return_id, status=True, changed=changed)

    def submit(
        self, return_id: int, signoff: SignOff, *, expected: SignOff | object = repo.ANY
    ) -> Change:
        """Submit (and lock) the return; refused with every reason while anything blocks it.

        One transaction: the return is locked, then checked, then marked submitted, so a value
        written by another user at the same moment is either checked here or refused (locked)."""
        signoff = clean_signoff(signoff)
        with self.db.write() as s:
            r = self._return(s, return_id)
            try:
                repo.lock_return(s, r)
            except InputError:
                raise InputError("该报表已报送，不能重复报送。") from None
            view = self._view(s, r)
            reasons = view.blockers() + [f"请填写{m}" for m in signoff.missing()]
            if reasons:
                raise SubmitBlocked(reasons)
            repo.set_signoff(s, r, signoff, Origin(user=self.user), expected=expected, locked=True)
            r.status, r.submitted_at = "submitted", repo.now_utc()
            repo.audit(s, r.id, "submit", Origin(user=self.user), old="draft", new="submitted")
        return Change(return_id, status=True)

    def unlock(self, return_id: int, reason: str) -> Change:
        if not reason.strip():
            raise InputError("解锁报表需要填写原因，原因将记入修改记录。")
        with self.db.write() as s:
            r = self._return(s, return_id)
            repo.lock_return(s, r, draft_only=False)
            if r.status == "draft":
                raise InputError("该报表尚未报送（或刚被另一位用户解锁），无需解锁。")
            old = r.status
            r.status, r.submitted_at = "draft", None
            repo.audit(
                s,
                r.id,
                "unlock",
                Origin(user=self.user),
                old=old,
                new="draft",
                reason=reason.strip(),
            )
        return Change(return_id, status=True)

    def history(self, return_id: int, indicator: str | None = None, cell: str | None = None):
        with self.db.session() as s:
            return repo.history(s, return_id, indicator, cell)

    def _editable(self, r: Return) -> None:
        if r.status != "draft":
            raise InputError("该报表已报送并锁定，不能修改。如需修改，请先解锁（需填写原因）。")


class SubmitBlocked(InputError):
    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("报表还不能报送：\n" + "\n".join(f"· {r}" for r in reasons))


__all__ = [
    "Blocker",
    "Change",
    "ReturnInfo",
    "ReturnService",
    "ReturnView",
    "Row",
    "SignOff",
    "SubmitBlocked",
    "build_row",
    "clean_entry",
    "clean_signoff",
]


def _rows(year: int, indicators, inputs, *, checks: bool = True, memo: dict | None = None):
    """The rows of ``indicators`` from what :meth:`ReturnService._inputs` read (a whole return's
    view and the few rows :meth:`ReturnService.refreshed` rebuilds are made alike)."""
    current, previous, base, expl, subunit_values, reached, sources = inputs
    by_code: dict[str, dict[str, Entry]] = {}
    for (code, c), e in current.items():  # one pass, not one per indicator
        by_code.setdefault(code, {})[c] = e
    return [
        build_row(
            ind,
            year,
            by_code.get(ind.code, {}),
            previous.get((ind.code, TOTAL)),
            base.get(ind.code),
            expl.get(ind.code, ""),
            subunit_values.get(ind.code),
            reached=reached.get(ind.code),
            source=sources.get(ind.code),
            checks=checks,
            memo=memo,
        )
        for ind in indicators
    ]
