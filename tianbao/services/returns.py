"""Returns as the user works with them: read a whole return, save a cell, explain, submit, unlock.

Every public method is one unit of work in its own session and returns plain frozen data, so the
desktop program and the command line share exactly the same behaviour.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from db import assembly as source_store
from db import repo
from db.engine import Database
from db.models import Duty, Return
from db.plans import get_plan
from db.repo import InputError, Origin
from tianbao.domain import text as texts
from tianbao.domain.assembly import SUBUNITS, SourceInfo
from tianbao.domain.catalogue import Indicator, Plan
from tianbao.domain.checks import Finding, check_entry, number_finding, storable
from tianbao.domain.status import NO_DATA, TargetStatus, evaluate
from tianbao.domain.values import REFERENCE, TOTAL, Entry, SignOff, cell_suffix, cells_of
from tianbao.services import duties

_TOTAL_ONLY = {"target_not_met", "yoy_change", "worse_than_base"}


@dataclass(frozen=True)
class ReturnInfo:
    id: int
    unit_code: str
    unit_name: str
    unit_level: str
    plan_id: str
    plan_version: int
    year: int
    status: str
    aggregated: bool
    signoff: SignOff
    submitted_at: datetime | None
    updated_at: datetime
    changes: int = 0  # the return's change counter when read (open windows poll for a new one)

    @property
    def editable(self) -> bool:
        return self.status == "draft"


@dataclass(frozen=True)
class Row:
    """One indicator of a return with everything the entry grid and the exports show."""

    indicator: Indicator
    cells: Mapping[str, Entry]
    previous: float | str | None
    baseline: tuple[int, float] | None
    findings: tuple[tuple[str, Finding], ...]  # (cell, finding)
    status: TargetStatus
    explanation: str
    subunits: Mapping[str, float | None] | None = None
    source: SourceInfo | None = None  # an assembled return: where the value came from

    @property
    def incomplete(self) -> bool:
        """数据不全: the value could not be aggregated and the office has not entered one."""
        return self.source is not None and self.source.incomplete and self.entry.empty

    @property
    def entry(self) -> Entry:
        return self.cells.get(TOTAL, Entry())

    @property
    def value(self) -> float | str | None:
        e = self.entry
        if self.indicator.kind == "yesno":
            return e.choice
        if self.indicator.kind == "text":
            return e.text
        return e.value(self.indicator)

    @property
    def errors(self) -> list[tuple[str, Finding]]:
        return [(c, f) for c, f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[tuple[str, Finding]]:
        return [(c, f) for c, f in self.findings if f.severity == "warning"]

    @property
    def needs_explanation(self) -> bool:
        return bool(self.warnings) and not self.explanation.strip()

    @property
    def filled(self) -> bool:
        return not self.entry.empty

    @property
    def missing(self) -> bool:
        """A required value not filled in (all but free-text indicators are required)."""
        return self.entry.empty and self.indicator.kind != "text"


@dataclass(frozen=True)
class ReturnView:
    info: ReturnInfo
    plan: Plan
    rows: tuple[Row, ...]
    # 填报分工: the indicators this unit reports (None = all); the others are shown read-only.
    reported: frozenset[str] | None = None

    @property
    def own_rows(self) -> tuple[Row, ...]:
        """The rows of the indicators this unit reports: what its form, checks and counts hold."""
        if self.reported is None:
            return self.rows
        return tuple(r for r in self.rows if r.indicator.code in self.reported)

    def reports(self, code: str) -> bool:
        return self.reported is None or code in self.reported

    def row(self, code: str) -> Row:
        for r in self.rows:
            if r.indicator.code == code:
                return r
        raise KeyError(code)

    def blockers(self) -> list[str]:
        """Why the return cannot be submitted yet (Chinese), empty if it can."""
        return [b.message for b in self.blocking()]

    def blocking(self) -> list[Blocker]:
        """The same reasons as ``blockers``, each with its kind, domain and cell (for the GUI list)."""
        domain_of = {i.code: d.name for d in self.plan.domains for i in d.indicators}
        out = []
        for r in self.own_rows:
            code = r.indicator.code
            name = f"{code} {r.indicator.name}"
            dom = domain_of.get(code, "")
            for cell, f in r.errors:
                out.append(Blocker("error", dom, code, cell, name + cell_suffix(cell), f.message))
            if r.incomplete and not r.explanation.strip():
                text = f"数据不全（{r.source.reason}），请核实后由本级填写，或在情况说明中说明原因"
                out.append(Blocker("missing", dom, code, TOTAL, name, text))
            elif r.missing and not r.explanation.strip():
                text = "未填报；确实无法取得数据的，请在情况说明中说明原因"
                out.append(Blocker("missing", dom, code, TOTAL, name, text))
            elif r.needs_explanation:
                text = "有待说明的提示，请填写情况说明"
                out.append(Blocker("unexplained", dom, code, TOTAL, name, text))
        return out


@dataclass(frozen=True)
class Blocker:
    """One reason a return cannot be submitted: an error, a warning not explained, a value missing."""

    kind: str  # "error" | "unexplained" | "missing"
    domain: str
    code: str
    cell: str
    label: str  # the indicator (and breakdown cell) as a user reads it
    text: str

    @property
    def message(self) -> str:
        return f"{self.label}：{self.text}"


@dataclass(frozen=True)
class Change:
    """What an operation changed, so each view can refresh itself."""

    return_id: int | None = None
    indicators: tuple[str, ...] = ()
    status: bool = False
    changed: bool = True
    units: bool = False


def _info(r: Return) -> ReturnInfo:
    return ReturnInfo(
        id=r.id,
        unit_code=r.unit.code,
        unit_name=r.unit.name,
        unit_level=r.unit.level,
        plan_id=r.plan_id,
        plan_version=r.plan_version,
        year=r.year,
        status=r.status,
        aggregated=r.aggregated,
        signoff=repo.signoff_of(r),
        submitted_at=r.submitted_at,
        updated_at=r.updated_at,
        changes=r.changes or 0,
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
        current = repo.entries(s, r.id)
        prev_ret = repo.find_return(s, r.unit_id, r.plan_id, r.year - 1)
        previous = repo.entries(s, prev_ret.id) if prev_ret else {}
        base = repo.baselines(s, r.unit_id, r.plan_id)
        expl = repo.explanations(s, r.id)
        subunit_values = self._subunit_values(s, r, plan)
        reached = self._reached_values(s, r, plan, base)
        sources = source_store.sources(s, r.id)
        return self._assemble(
            r,
            plan,
            current,
            previous,
            base,
            expl,
            subunit_values,
            reached,
            sources,
            duties.reported_codes(s, r.unit, plan),
        )

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
        by_code: dict[str, dict[str, Entry]] = {}
        for (code, c), e in current.items():  # one pass, not one per indicator
            by_code.setdefault(code, {})[c] = e
        rows = tuple(
            build_row(
                ind,
                r.year,
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
            for ind in plan.indicators
        )
        return ReturnView(_info(r), plan, rows, reported)

    def views(
        self, return_ids: Sequence[int], *, checks: bool = True, batch: int = 200
    ) -> Iterator[ReturnView]:
        """The views of many returns (in the order given), read in a few queries per ``batch``
        rather than several per return — the same rows :meth:`view` gives.  ``checks=False``
        leaves out the findings (the compiled workbook and the rankings need values and
        statuses only).  A generator: the caller keeps only what it needs of each."""
        ids = list(return_ids)
        for at in range(0, len(ids), batch):
            chunk = ids[at : at + batch]
            with self.db.session() as s:
                yield from self._views_bulk(s, chunk, checks)

    def _views_bulk(self, s, ids: list[int], checks: bool) -> list[ReturnView]:
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
                plan = get_plan(s, r.plan_id, r.plan_version)
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

    def _subunit_values(self, s, r: Return, plan: Plan) -> dict[str, dict[str, float | None]]:
        """For per-sub-unit targets: each child's value of the same plan and year."""
        codes = [i for i in plan.indicators if any(t.each for t in i.targets)]
        kids = repo.children(s, r.unit_id)
        if not codes or not kids:
            return {}
        out: dict[str, dict[str, float | None]] = {i.code: {} for i in codes}
        totals = repo.totals_of_units(s, [k.id for k in kids], r.plan_id, r.year)  # one query
        for kid in kids:
            ke = totals.get(kid.id, {})
            for ind in codes:
                e = ke.get((ind.code, TOTAL))
                out[ind.code][kid.name] = e.value(ind) if e else None
        return out

    def _reached_values(
        self, s, r: Return, plan: Plan, base: Mapping[str, tuple[int, float]]
    ) -> dict[str, dict[int, float | None]]:
        """For targets above what was reached in a milestone year (reached_in): the unit's own
        value in that year — from its return of that year, else from a baseline stored for it."""
        out: dict[str, dict[int, float | None]] = {}
        returns: dict[int, dict] = {}
        for ind in plan.indicators:
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


def _indicator(plan: Plan, code: str) -> Indicator:
    try:
        return plan.indicator(code)
    except KeyError:
        raise InputError(f"计划“{plan.title}”中没有指标 {code}。") from None


def _validate_shape(ind: Indicator, e: Entry) -> None:
    """Refuse entries that do not fit the indicator's kind at all (not a check: a wrong call)."""
    if ind.kind == "yesno" and (e.number is not None or e.numerator is not None):
        raise InputError(f"{ind.name}是定性指标，请填写 是 / 部分 / 否。")
    if ind.kind != "yesno" and e.choice:
        raise InputError(f"{ind.name}是数值指标，不能填写 是 / 部分 / 否。")
    if not ind.is_rate and (e.numerator is not None or e.denominator is not None):
        raise InputError(f"{ind.name}没有分子分母，请直接填写数值。")


def build_row(
    ind: Indicator,
    year: int,
    cells: Mapping[str, Entry],
    previous: Entry | None,
    baseline: tuple[int, float] | None,
    explanation: str,
    subunits: Mapping[str, float | None] | None = None,
    *,
    reached: Mapping[int, float | None] | None = None,
    source: SourceInfo | None = None,
    checks: bool = True,
    memo: dict | None = None,
) -> Row:
    prev_value: float | str | None = None
    if previous is not None:
        prev_value = previous.choice if ind.kind == "yesno" else previous.value(ind)
    prev_num = prev_value if isinstance(prev_value, float | int) else None
    base_year, base_value = baseline if baseline else (None, None)
    total = cells.get(TOTAL, Entry())
    value = total.choice if ind.kind == "yesno" else total.value(ind)
    summed_over = 0
    if source is not None and source.computed is not None:
        source = replace(source, edited=source.computed != total)
        if source.kind == SUBUNITS and not source.edited:
            summed_over = max(source.reported, 1)  # the checks know the value is aggregated
    ref = cells.get(REFERENCE)
    ref_value = ref.value(ind) if ref is not None else None
    key = None
    if memo is not None and subunits is None and not reached:
        # Many returns read at once: equal inputs give the equal (immutable) status.
        key = (id(ind), year, value, prev_num, base_value, base_year, ref_value)
        status = memo.get(key)
    if key is None or status is None:
        status = evaluate(
            ind,
            year,
            value,
            previous=prev_num,
            previous_year=year - 1 if prev_num is not None else None,
            baseline=base_value,
            baseline_year=base_year,
            subunits=subunits,
            reference=ref_value,
            reached=reached,
        )
        if key is not None:
            memo[key] = status
    if source is not None and source.incomplete and total.empty and status.status == NO_DATA:
        status = replace(
            status,
            detail=f"数据不全：{source.reason}",
            detail_en=f"Incomplete data from the sub-units ({len(source.units)} concerned)",
        )
    findings: list[tuple[str, Finding]] = []
    for cell, _label in cells_of(ind) if checks else ():
        entry = cells.get(cell, Entry())
        if cell != TOTAL and entry.empty:
            continue
        if ind.is_numeric and entry.text:
            # Text typed where a number belongs: kept so nothing is lost, but an error until fixed.
            bad = number_finding(entry.text)
            if bad is not None:
                findings.append((cell, bad))
                continue
        is_total = cell == TOTAL
        for f in check_entry(
            ind,
            entry,
            year=year,
            previous=prev_num if is_total else None,
            baseline=base_value if is_total else None,
            baseline_year=base_year,
            status=status if is_total else None,
            judge_target=is_total,
            summed_over=summed_over,
        ):
            if not is_total and f.code in _TOTAL_ONLY:
                continue
            findings.append((cell, f))
    return Row(
        ind,
        dict(cells),
        prev_value,
        baseline,
        tuple(findings),
        status,
        explanation,
        subunits,
        source,
    )


def clean_entry(entry: Entry) -> Entry:
    """An entry as it may be stored: text cleaned of characters XML cannot hold and bounded,
    numbers finite and within range (``NumberError``, a KnownError, otherwise)."""
    for f in ("number", "numerator", "denominator"):
        v = getattr(entry, f)
        if v is not None:
            storable(float(v))
    if entry.text is not None:
        t = texts.text_value(entry.text)
        entry = replace(entry, text=t or None)
    return entry


def clean_signoff(signoff: SignOff) -> SignOff:
    """The sign-off's fields cleaned and trimmed (a trailing space or a control character would
    make the return's own export re-import with false conflicts) and bounded."""
    labels = {
        "unit_head": "单位负责人",
        "stats_head": "统计负责人",
        "filled_by": "填表人",
        "phone": "联系电话",
    }
    return replace(
        signoff, **{k: texts.signoff_field(getattr(signoff, k) or "", w) for k, w in labels.items()}
    )
