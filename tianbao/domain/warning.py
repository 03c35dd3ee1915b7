"""Early warning (预警) and attainment (达标率) for the annual monitoring report.

The plans ask for warning on indicators "unlikely to meet the target" and on those that
"fluctuate strongly".  The first is a least-squares linear trend through the yearly values,
projected to the next milestone: simple, explainable to a statistics office, and honest about
what a handful of points can say (no curve fitting, no z-scores — see ``tianbao.domain.checks``).
The second reuses the year-over-year threshold of the checks, so the report and the entry
form never disagree about what counts as a large change.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from tianbao.domain.catalogue import Indicator, Target, target_in_force
from tianbao.domain.checks import change_limit
from tianbao.domain.status import (
    BEHIND,
    CLOSE,
    LEVEL_OPS,
    MET,
    NO_DATA,
    NOT_MET,
    ON_COURSE,
    TargetStatus,
    compare,
    display_unit,
    fmt_fixed,
    fmt_fixed_value,
    fmt_number,
    shown_difference,
)

PROJECTED_MISS, LARGE_CHANGE = "projected_miss", "large_change"


@dataclass(frozen=True)
class EarlyWarning:
    indicator: str  # indicator code
    kind: str  # projected_miss (预计达标困难) or large_change (波动较大)
    message: str
    message_en: str
    projected: float | None = None  # projected_miss: the trend value in target_year
    target_year: int | None = None
    target: Target | None = None


# The brief's name; code should say EarlyWarning, which does not shadow the built-in Warning.
Warning = EarlyWarning


def _points(
    series: Mapping[int, float | None], up_to: int | None = None
) -> list[tuple[int, float]]:
    return sorted(
        (int(y), float(v))
        for y, v in series.items()
        if isinstance(v, (int, float)) and math.isfinite(v) and (up_to is None or y <= up_to)
    )


def project(series: Mapping[int, float], target_year: int) -> float | None:
    """The least-squares linear trend of ``series`` (year → value) at ``target_year``.

    None with fewer than two years of data.
    """
    pts = _points(series)
    if len(pts) < 2:
        return None
    n = len(pts)
    mx = sum(x for x, _ in pts) / n
    my = sum(y for _, y in pts) / n
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    slope = sum((x - mx) * (y - my) for x, y in pts) / sxx
    return my + slope * (target_year - mx)


def early_warnings(
    ind: Indicator, series: Mapping[int, float], year: int, *, end_year: int | None = None
) -> list[EarlyWarning]:
    """Warnings for ``ind`` as of ``year`` from its yearly ``series`` (values after ``year`` ignored).

    projected_miss: the trend of the years up to ``year`` (at least two), projected to the next
    milestone after ``year`` — or to ``end_year`` (the plan's last year) when the targets carry no
    year — does not meet the level targets (<=, <, >=, >, approx, range) in force then.  The
    projection is clipped to the indicator's hard bounds (a falling rate does not go below 0).
    Per-sub-unit targets are left out: a trend of the total says nothing about each sub-unit.

    large_change: the change from ``year − 1`` to ``year`` exceeds :func:`checks.change_limit`.
    Years further apart are not compared: surveys skip years, and a two-year change is not a
    yearly one.
    """
    pts = _points(series, year)
    out: list[EarlyWarning] = []
    later = sorted({t.year for t in ind.targets if t.year is not None and t.year > year})
    target_year = later[0] if later else (end_year if end_year and end_year > year else None)
    if target_year is not None and len(pts) >= 2:
        p = _clip(ind, project(dict(pts), target_year))
        for t in target_in_force(ind.targets, target_year):
            if t.value is None:  # compared with a reference or a year's actual value: no level
                continue
            if t.op in LEVEL_OPS and not t.each and compare(t.op, p, t.value, t.tolerance) != MET:
                out.append(_projected_miss(ind, t, p, target_year, pts))
    if len(pts) >= 2 and pts[-1][0] == year and pts[-2][0] == year - 1:
        prev, v = pts[-2][1], pts[-1][1]
        limit = change_limit(ind, prev)
        if abs(v - prev) > limit + 1e-9 * max(1.0, limit):
            out.append(_large_change(ind, year, prev, v, limit))
    return out


def _clip(ind: Indicator, p: float) -> float:
    lo, hi = ind.hard_bounds
    if lo is not None:
        p = max(p, lo)
    if hi is not None:
        p = min(p, hi)
    return p


def _projected_miss(
    ind: Indicator, t: Target, p: float, target_year: int, pts: list[tuple[int, float]]
) -> EarlyWarning:
    span = f"{pts[0][0]}—{pts[-1][0]}"
    goal = t.describe(display_unit(ind.unit))
    return EarlyWarning(
        indicator=ind.code,
        kind=PROJECTED_MISS,
        message=f"预计达标困难：「{ind.name}」按 {span} 年的趋势，{target_year} 年预计为 "
        f"{fmt_fixed_value(p, ind)}，达不到目标 {goal}。",
        message_en=f"Target at risk: on the {span} trend, {ind.name_en or ind.name} would be "
        f"{fmt_fixed_value(p, ind, en=True)} in {target_year}, missing {t.describe(ind.unit, en=True)}.",
        projected=p,
        target_year=target_year,
        target=t,
    )


def _large_change(ind: Indicator, year: int, prev: float, v: float, limit: float) -> EarlyWarning:
    verb, verb_en = ("上升", "up") if v > prev else ("下降", "down")
    # A difference of two percentages is in percentage points (97.56% after 94.10%: 3.46个百分点).
    u = "个百分点" if ind.unit == "%" else display_unit(ind.unit)
    shift = fmt_fixed(abs(shown_difference(v, prev, ind)), ind)  # as the two figures differ
    return EarlyWarning(
        indicator=ind.code,
        kind=LARGE_CHANGE,
        message=f"波动较大：「{ind.name}」{year} 年为 {fmt_fixed_value(v, ind)}，比 {year - 1} 年 "
        f"{fmt_fixed_value(prev, ind)} {verb} {shift}{u}，超过 ±{fmt_number(limit)}{u}。",
        message_en=f"Large change: {ind.name_en or ind.name} went {verb_en} from "
        f"{fmt_fixed_value(prev, ind, en=True)} in {year - 1} to {fmt_fixed_value(v, ind, en=True)} "
        f"in {year} (limit ±{fmt_number(limit)}{' points' if ind.unit == '%' else ''}).",
        target_year=year,
    )


# ---------------------------------------------------------------------------------------
# Attainment


@dataclass(frozen=True)
class Attainment:
    met: int
    close: int  # close to target: not met in the rate, but reported separately
    not_met: int  # not met and not close; met + close + not_met + on_course + behind == assessed
    assessed: int  # indicators with a quantified target in force and data
    rate: float | None  # 达标率 in percent; None when nothing was assessed
    close_codes: tuple[str, ...] = ()
    not_met_codes: tuple[str, ...] = ()  # not met and not close
    # Targets due later (see status.py, Progress): counted in ``assessed``, not met yet.
    on_course: int = 0
    behind: int = 0
    on_course_codes: tuple[str, ...] = ()
    behind_codes: tuple[str, ...] = ()
    # Indicators with a target in force that could not be judged (no data, 数据不全, no base
    # value): counted in ``due`` and so in the rate — an indicator is never 达标 unassessed.
    not_assessable: int = 0
    not_assessable_codes: tuple[str, ...] = ()
    reasons: Mapping[str, str] = field(default_factory=dict)  # code → why not assessable

    @property
    def due(self) -> int:
        """Indicators that should have been judged this year: assessed + not assessable."""
        return self.assessed + self.not_assessable

    @property
    def rate_assessed(self) -> float | None:
        """Met ÷ assessed (the rate among the indicators that could be judged)."""
        return self.met / self.assessed * 100 if self.assessed else None

    def reason_counts(self) -> dict[str, int]:
        """How many could not be assessed, per reason (数据不全 3, 无数据 2 …)."""
        out: dict[str, int] = {}
        for code in self.not_assessable_codes:
            why = self.reasons.get(code, "无数据")
            out[why] = out.get(why, 0) + 1
        return out

    def describe(self) -> str:
        """ "达标率 40.0%（应评估 10 项：达标 4 项 … ；5 项无法评估：数据不全 3 项、无数据 2 项）"."""
        if not self.due:
            return "本年没有可评估的量化目标"
        parts = [f"达标{self.met}项"]
        for n, label in (
            (self.close, "接近目标"),
            (self.not_met, "未达标"),
            (self.on_course, "按进度"),
            (self.behind, "落后于进度"),
        ):
            if n:
                parts.append(f"{label}{n}项")
        text = f"达标率{self.rate:.1f}%（应评估{self.due}项：{'，'.join(parts)}"
        if self.not_assessable:
            why = "、".join(f"{k}{n}项" for k, n in self.reason_counts().items())
            text += f"；{self.not_assessable}项无法评估：{why}"
        return text + "）"


def attainment(
    statuses: Iterable[tuple[str, TargetStatus]],
    *,
    qualitative: Collection[str] = (),
    reasons: Mapping[str, str] | None = None,
) -> Attainment:
    """达标率: indicators met ÷ indicators due — those with a quantified or (for a figure) a
    direction target in force this year.

    Direction targets (上升趋势得到有效控制) are counted wherever they are judged, as the indicator
    table judges them.  ``qualitative``: the codes of yes / partly / no goals, reported as a tally
    in words and never in the rate.  An indicator due but not judged (no data, 数据不全, no base
    value) is not assessed and is not met: it stays in the denominator and is counted, with its
    reason from ``reasons``, so that a report never says 100 % of what it could not assess.
    "Close" is not met — a report that counted it as met would overstate progress — but it is
    counted separately so the report can say how many are within reach.
    """
    met, close, missed, course, behind, unknown = [], [], [], [], [], []
    buckets = {MET: met, CLOSE: close, NOT_MET: missed, ON_COURSE: course, BEHIND: behind}
    for code, st in statuses:
        if code in qualitative:
            continue
        if not any(t.quantified or t.op == "direction" for t in st.targets):
            continue
        if st.status in buckets:
            buckets[st.status].append(code)
        elif st.status == NO_DATA:
            unknown.append(code)
    assessed = len(met) + len(close) + len(missed) + len(course) + len(behind)
    due = assessed + len(unknown)
    return Attainment(
        met=len(met),
        close=len(close),
        not_met=len(missed),
        assessed=assessed,
        rate=len(met) / due * 100 if due else None,
        close_codes=tuple(close),
        not_met_codes=tuple(missed),
        on_course=len(course),
        behind=len(behind),
        on_course_codes=tuple(course),
        behind_codes=tuple(behind),
        not_assessable=len(unknown),
        not_assessable_codes=tuple(unknown),
        reasons={c: (reasons or {}).get(c, "无数据") for c in unknown},
    )
