"""Returns as frozen data: ReturnInfo, Row (one indicator with its entry, checks and status),
ReturnView, Blocker, Change — and building a row from the plan, the stored entry and the checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from db import repo
from db.models import Return
from db.repo import InputError
from tianbao.domain import text as texts
from tianbao.domain.assembly import SUBUNITS, SourceInfo
from tianbao.domain.catalogue import Indicator, Plan
from tianbao.domain.checks import Finding, check_entry, number_finding, storable
from tianbao.domain.status import NO_DATA, TargetStatus, evaluate
from tianbao.domain.values import REFERENCE, TOTAL, Entry, SignOff, cell_suffix, cells_of

_TOTAL_ONLY = {"target_not_met", "yoy_change", "worse_than_base"}
_EMPTY = Entry()  # frozen: one empty cell for every row that has none (2,000 returns × 200 rows)


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
        return self.cells.get(TOTAL, _EMPTY)

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
    prev_num = prev_value if isinstance(prev_value, (float, int)) else None
    base_year, base_value = baseline if baseline else (None, None)
    total = cells.get(TOTAL, _EMPTY)
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
        entry = cells.get(cell, _EMPTY)
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
