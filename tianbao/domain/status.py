"""Target status (目标达标情况): is a year's value on course for the plan's targets?

A value is judged against every target in force for the year (``catalogue.target_in_force``);
the worst status wins, in the order ``not_met`` < ``close`` < ``no_data`` < ``met``.  ``no_data``
ranks below ``met`` on purpose: an indicator is only reported as met when every target in force
could be judged, so a missing base-year value never turns into a silent "达标".

"close" (接近目标) is a band on the wrong side of the target, shown separately in reports:

* ``approx``: inside the tolerance is met; outside it but within twice the tolerance is close.
* ``<=``, ``<``, ``>=``, ``>`` and the ends of ``range``: within :func:`margin` of the target on
  the wrong side — 5 % of the target value, but at least 0.1 of the unit so that a small target
  (≤0.5‰, ≥1 所) still has a band.  A value exactly on a strict bound (``<`` 5 with 5) is close.
* ``change``, ``growth`` and ``direction`` compare the computed change (or this year's value
  with last year's) in the same way, with the margin taken on the required change.
* a one-sided target with ``reference`` compares with the reference figure of the same year
  entered with the return, one with ``reached_in`` with the value the unit actually reached in
  that milestone year; either is ``no_data`` until that figure is there.

Progress (进度, see ``docs/evaluation.md``).  A quantified target due in a later year than the one
judged — the 2030 target in 2023, the 2025 milestone in 2022 — is not "not met" because it is not
met yet: a value that already meets it is ``met`` (已达到); otherwise it is ``on_course`` (按进度)
when it is at or beyond the straight path from the base-year value to the target in its target
year, else ``behind`` (落后于进度).  A target due in the year judged, or without a year (in force
throughout), is judged as before (met / close / not_met).  The start of the path is the unit's
base-year value (``baseline``), else the plan's (``target.baseline``), else ``start`` (the first
value known, given by the evaluation report), else last year's value; without any the target is
judged against its level as before, and the detail says so.  Per-sub-unit targets, targets
against a reference or a year's actual value, and year-on-year changes are judged as before.

How numbers, measures and targets are shown (and each indicator's decimals) is in
:mod:`tianbao.domain.display`; this module hands those names on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from tianbao.domain.catalogue import Indicator, Target, target_in_force
from tianbao.domain.display import (
    decimals,
    describe_en,
    display_unit,
    fmt_fixed,
    fmt_fixed_change,
    fmt_fixed_value,
    fmt_number,
    fmt_value,
    shown_difference,
    unit_en,
)
from tianbao.domain.vocab import CHOICE_LABELS, CHOICES

MET, CLOSE, NOT_MET, NO_TARGET, NO_DATA = "met", "close", "not_met", "no_target", "no_data"
ON_COURSE, BEHIND = "on_course", "behind"  # progress toward a target due in a later year
STATUSES = (MET, CLOSE, NOT_MET, NO_TARGET, NO_DATA, ON_COURSE, BEHIND)
PROGRESS_STATUSES = frozenset({ON_COURSE, BEHIND})
LEVEL_OPS = frozenset({"<=", "<", ">=", ">", "approx", "range"})

# Worst first.  See the module docstring for why no_data ranks below met (and below on_course).
_RANK = {NOT_MET: 0, CLOSE: 1, BEHIND: 2, NO_DATA: 3, ON_COURSE: 4, MET: 5}
_VERDICT = {
    MET: "已达标",
    CLOSE: "接近目标",
    NOT_MET: "未达标",
    NO_DATA: "无法判断",
    ON_COURSE: "按进度",
    BEHIND: "落后于进度",
}
_VERDICT_EN = {
    MET: "met",
    CLOSE: "close to target",
    NOT_MET: "not met",
    NO_DATA: "cannot judge",
    ON_COURSE: "on course",
    BEHIND: "behind schedule",
}
# Chinese names of every status, for reports and tables (met early reads 已达到 in the detail).
STATUS_NAMES = {
    MET: "已达标",
    CLOSE: "接近目标",
    NOT_MET: "未达标",
    NO_TARGET: "本年无目标",
    NO_DATA: "无法判断",
    ON_COURSE: "按进度",
    BEHIND: "落后于进度",
}
_CHOICE_STATUS = {"yes": MET, "partly": CLOSE, "no": NOT_MET}


@dataclass(frozen=True)
class TargetStatus:
    status: str  # one of STATUSES
    target: Target | None = None  # the target that decided the status
    targets: tuple[Target, ...] = ()  # every target in force
    detail: str = ""
    detail_en: str = ""
    subunits_met: tuple[int, int] | None = None  # (k, n): k of the n sub-units with data meet it


# ---------------------------------------------------------------------------------------
# Comparisons


def margin(target_value: float) -> float:
    """Width of the "close" band beside a one-sided target: 5 % of it, at least 0.1 of the unit."""
    return max(0.05 * abs(target_value), 0.1)


def _eps(x: float) -> float:
    # Rates computed from counts (12/3000*1000) are not exact; never judge on the last bit.
    return 1e-9 * max(1.0, abs(x))


def compare(
    op: str, v: float, tv: float | tuple[float, float], tolerance: float | None = None
) -> str:
    """Judge a number against a level target (<=, <, >=, >, approx, range): met, close or not_met."""
    if op == "approx":
        tol = tolerance or 0.0
        d = abs(v - tv)
        return MET if d <= tol + _eps(tv) else CLOSE if d <= 2 * tol + _eps(tv) else NOT_MET
    if op == "range":
        lo, hi = tv
        if lo - _eps(lo) <= v <= hi + _eps(hi):
            return MET
        bound = lo if v < lo else hi
        return CLOSE if abs(v - bound) <= margin(bound) + _eps(bound) else NOT_MET
    gap = v - tv if op in ("<=", "<") else tv - v  # positive: on the wrong side
    ok = gap <= _eps(tv) if op in ("<=", ">=") else gap < -_eps(tv)
    if ok:
        return MET
    return CLOSE if gap <= margin(tv) + _eps(tv) else NOT_MET


@dataclass(frozen=True)
class _Judged:
    status: str
    detail: str
    detail_en: str
    subunits_met: tuple[int, int] | None = None


def _is_num(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


# ---------------------------------------------------------------------------------------
# evaluate


def evaluate(
    ind: Indicator,
    year: int,
    value: float | str | None,
    *,
    previous: float | None = None,
    previous_year: int | None = None,
    baseline: float | None = None,
    baseline_year: int | None = None,
    subunits: Mapping[str, float | None] | None = None,
    reference: float | None = None,
    reached: Mapping[int, float | None] | None = None,
    start: tuple[int, float] | None = None,
    progress: bool = True,
) -> TargetStatus:
    """The status of ``value`` (a number, or a choice yes/partly/no for yesno) in ``year``.

    ``previous`` is last year's value (``previous_year`` defaults to ``year - 1``); ``baseline``
    the unit's stored base-year value (``baseline_year`` defaults to the target's base year; the
    plan's own ``target.baseline`` is used when none is given); ``subunits`` the values of the
    sub-units for per-sub-unit (``each``) targets.  Without ``subunits`` an ``each`` target is
    judged on ``value``; so is an ``each`` change/growth/direction target, which would need every
    sub-unit's own baseline.  ``reference`` is the reference figure of the same year entered
    with the return (targets with ``reference``); ``reached`` the unit's own values of earlier
    years by year (targets with ``reached_in``, e.g. 2030 above what was reached in 2025).
    ``start`` (year, value) is the first known value, the start of the progress path when no
    base-year value is known; ``progress=False`` judges a later target as if it were due now.
    """
    targets = tuple(target_in_force(ind.targets, year))
    if not targets:
        return TargetStatus(
            NO_TARGET, None, (), f"{year}年无适用目标", f"No target in force for {year}"
        )
    ctx = _Context(
        ind,
        year,
        value,
        previous,
        previous_year or year - 1,
        baseline,
        baseline_year,
        reference,
        dict(reached or {}),
        start,
    )
    judged = [(t, _judge(ctx, t, subunits)) for t in targets]
    if progress:
        judged = [(t, _progress(ctx, t, j)) for t, j in judged]
    target, worst = min(judged, key=lambda tj: _RANK[tj[1].status])
    subunits_met = worst.subunits_met
    if subunits_met is None:
        subunits_met = next((j.subunits_met for _, j in judged if j.subunits_met), None)
    return TargetStatus(
        status=worst.status,
        target=target,
        targets=targets,
        detail="；".join(j.detail for _, j in judged),
        detail_en="; ".join(j.detail_en for _, j in judged),
        subunits_met=subunits_met,
    )


@dataclass(frozen=True)
class _Context:
    ind: Indicator
    year: int
    value: float | str | None
    previous: float | None
    previous_year: int
    baseline: float | None
    baseline_year: int | None
    reference: float | None = None
    reached: Mapping[int, float | None] | None = None
    start: tuple[int, float] | None = None


def _judge(ctx: _Context, t: Target, subunits: Mapping[str, float | None] | None) -> _Judged:
    ind, unit = ctx.ind, ctx.ind.unit
    head = f"目标 {t.describe(display_unit(unit))}"
    head_en = f"Target {t.describe(unit, en=True)}"
    if t.each and subunits and t.op in LEVEL_OPS:
        return _judge_each(ind, t, subunits, head, head_en)
    v = ctx.value
    if v is None or (not isinstance(v, str) and not _is_num(v)):
        return _Judged(NO_DATA, f"{head}，未填报", f"{head_en}, no value reported")
    if t.op == "qualitative" or (t.op == "direction" and isinstance(v, str)):
        # A yesno indicator's direction target ("上升趋势得到有效控制") is judged by its answer.
        if not isinstance(v, str):
            return _Judged(
                NO_DATA, f"{head}，定性目标需填写是/部分/否", f"{head_en}, needs yes/partly/no"
            )
        return _choice(v, head, head_en)
    if isinstance(v, str):
        return _Judged(NO_DATA, f"{head}，填报的不是数值", f"{head_en}, the value is not a number")
    actual = f"实际 {fmt_fixed_value(v, ctx.ind)}"
    actual_en = f"actual {fmt_fixed_value(v, ctx.ind, en=True)}"
    if t.relative_to:
        return _judge_against(ctx, t, v, head, head_en, actual, actual_en)
    if t.op in LEVEL_OPS:
        return _with(compare(t.op, v, t.value, t.tolerance), head, actual, head_en, actual_en)
    if t.op == "direction":
        return _judge_direction(ctx, t, v, head, head_en, actual, actual_en)
    return _judge_relative(ctx, t, v, head, head_en, actual, actual_en)


def _with(status: str, head: str, actual: str, head_en: str, actual_en: str) -> _Judged:
    return _Judged(
        status,
        f"{head}，{actual}，{_VERDICT[status]}",
        f"{head_en}, {actual_en}: {_VERDICT_EN[status]}",
    )


def _choice(choice: str, head: str, head_en: str) -> _Judged:
    if choice not in CHOICES:
        return _Judged(
            NO_DATA, f"{head}，选项“{choice}”无效", f"{head_en}, invalid choice {choice!r}"
        )
    label = CHOICE_LABELS[choice]
    return _with(_CHOICE_STATUS[choice], head, f"填报“{label}”", head_en, f"answered {choice!r}")


def _judge_each(
    ind: Indicator, t: Target, subunits: Mapping[str, float | None], head: str, head_en: str
) -> _Judged:
    """Every sub-unit with data must meet the target; the total alone does not count."""
    rows = [(name, v) for name, v in subunits.items() if _is_num(v)]
    if not rows:
        return _Judged(NO_DATA, f"{head}，各{t.each}均未填报", f"{head_en}, no {t.each} reported")
    judged = [(name, v, compare(t.op, v, t.value, t.tolerance)) for name, v in rows]
    k, n = sum(s == MET for *_, s in judged), len(judged)
    statuses = {s for *_, s in judged}
    status = MET if statuses == {MET} else NOT_MET if NOT_MET in statuses else CLOSE
    failing = [(name, v) for name, v, s in judged if s != MET]
    shown = "、".join(f"{name} {fmt_fixed_value(v, ind)}" for name, v in failing[:3])
    more = f"等{len(failing)}个" if len(failing) > 3 else ""
    detail = f"{head}，{n}个{t.each}中{k}个达标"
    detail_en = f"{head_en}, {k} of {n} met"
    if failing:
        detail += f"（未达标：{shown}{more}）"
        detail_en += (
            f" (not met: {', '.join(name for name, _ in failing[:3])}{'…' if more else ''})"
        )
    return _Judged(
        status, f"{detail}，{_VERDICT[status]}", f"{detail_en}: {_VERDICT_EN[status]}", (k, n)
    )


def _judge_against(
    ctx: _Context, t: Target, v: float, head: str, head_en: str, actual: str, actual_en: str
) -> _Judged:
    """A one-sided target whose bar is another figure: the reference, or a year's actual value."""
    if t.reference:
        bar = ctx.reference
        what, what_en = f"参照值（{t.reference}）", f"the reference figure ({t.reference})"
        missing = f"{head}，未填报参照值（{t.reference}），无法判断"
        missing_en = f"{head_en}, the reference figure ({t.reference}) is missing"
    else:
        bar = (ctx.reached or {}).get(t.reached_in)
        what, what_en = f"{t.reached_in}年实际值", f"the value reached in {t.reached_in}"
        missing = f"{head}，缺少{t.reached_in}年实际值，无法判断"
        missing_en = f"{head_en}, the value reached in {t.reached_in} is missing"
    if not _is_num(bar):
        return _Judged(NO_DATA, missing, missing_en)
    return _with(
        compare(t.op, v, bar),
        head,
        f"{actual}，{what} {fmt_fixed_value(bar, ctx.ind)}",
        head_en,
        f"{actual_en}, {what_en} {fmt_fixed_value(bar, ctx.ind, en=True)}",
    )


def _judge_direction(
    ctx: _Context, t: Target, v: float, head: str, head_en: str, actual: str, actual_en: str
) -> _Judged:
    prev = ctx.previous
    if not _is_num(prev):
        return _Judged(
            NO_DATA,
            f"{head}，缺少上年（{ctx.previous_year}年）数值，无法判断趋势",
            f"{head_en}, last year's ({ctx.previous_year}) value is missing",
        )
    if t.direction == "stable":
        status = compare("approx", v, prev, margin(prev))
    else:
        op = {"down": "<", "not_up": "<=", "up": ">", "not_down": ">="}[t.direction or "not_up"]
        status = compare(op, v, prev)
    return _with(
        status,
        head,
        f"{actual}，上年 {fmt_fixed_value(prev, ctx.ind)}",
        head_en,
        f"{actual_en}, last year {fmt_fixed_value(prev, ctx.ind, en=True)}",
    )


def _judge_relative(
    ctx: _Context, t: Target, v: float, head: str, head_en: str, actual: str, actual_en: str
) -> _Judged:
    """change (vs base year or per year) and growth (average annual compound growth)."""
    unit = ctx.ind.unit
    if t.op == "change" and t.basis == "previous_year":
        ref, ref_year = ctx.previous, ctx.previous_year
        missing, missing_en = (
            f"缺少上年（{ref_year}年）数值",
            f"last year's ({ref_year}) value is missing",
        )
    else:
        ref = ctx.baseline if ctx.baseline is not None else t.baseline
        ref_year = ctx.baseline_year or t.base_year or ctx.year
        missing, missing_en = f"缺少{ref_year}年基数", f"the {ref_year} baseline is missing"
    if not _is_num(ref):
        return _Judged(NO_DATA, f"{head}，{missing}，无法判断", f"{head_en}, {missing_en}")
    years = ctx.year - ref_year
    if years <= 0:
        return _Judged(
            NO_DATA,
            f"{head}，基期 {ref_year}年不早于 {ctx.year}年，无法判断",
            f"{head_en}, base year {ref_year} is not before {ctx.year}",
        )
    relative = t.op == "growth" or t.change_unit == "percent"
    if relative and ref <= 0:
        return _Judged(
            NO_DATA,
            f"{head}，基数为 {fmt_number(ref)}，无法计算相对变化",
            f"{head_en}, baseline {fmt_number(ref)} allows no relative change",
        )
    per_year = t.op == "growth" or t.basis == "previous_year"
    if relative:
        ratio = max(v, 0.0) / ref
        change = (ratio ** (1 / years) - 1) * 100 if per_year else (ratio - 1) * 100
        cu, cu_en = "%", "%"
    else:
        change = (v - ref) / years if per_year else v - ref
        cu, cu_en = (
            "个百分点" if unit == "%" else display_unit(unit),
            " pp" if unit == "%" else unit_en(unit),
        )
    need = t.value if not isinstance(t.value, tuple) else min(t.value, key=abs)
    status = compare(">=" if t.op == "growth" or need > 0 else "<=", change, need)
    ref_text = f"{ref_year}年 {fmt_fixed_value(ref, ctx.ind)}"
    ref_en = f"{ref_year} {fmt_fixed_value(ref, ctx.ind, en=True)}"
    if t.op == "growth":
        how, how_en = (
            f"年均增长 {fmt_number(change)}%",
            f"average annual growth {fmt_number(change)}%",
        )
    else:
        verb, verb_en = ("下降", "down") if change < 0 else ("上升", "up")
        how = f"{'年均' if per_year and years > 1 else ''}{verb} {fmt_number(abs(change))}{cu}"
        how_en = f"{verb_en} {fmt_number(abs(change))}{cu_en}{' a year' if per_year else ''}"
    return _with(
        status, head, f"{actual}（{ref_text}），{how}", head_en, f"{actual_en} ({ref_en}), {how_en}"
    )


# ---------------------------------------------------------------------------------------
# Progress toward a target due in a later year


def on_path(base_year: int, base: float, target_year: int, level: float, year: int) -> float:
    """The straight path from ``base`` in ``base_year`` to ``level`` in ``target_year``, at ``year``."""
    if target_year == base_year:
        return level
    return base + (level - base) * (year - base_year) / (target_year - base_year)


def final_level(t: Target, base: float | None, near: float | None = None) -> float | None:
    """The level a target asks for in its year: its value, or the base changed as required.

    ``near`` picks the bound of a range (the one nearer to it); ``base`` is needed for change
    (against the base year) and growth targets.  None where a target has no level.
    """
    if t.relative_to or t.each:
        return None
    if t.op in ("<=", "<", ">=", ">", "approx") and isinstance(t.value, (int, float)):
        return float(t.value)
    if t.op == "range" and isinstance(t.value, tuple):
        lo, hi = t.value
        ref = near if near is not None else base
        return hi if ref is not None and ref > hi else lo
    if base is None:
        return None
    if t.op == "change" and t.basis != "previous_year":
        need = t.value if not isinstance(t.value, tuple) else min(t.value, key=abs)
        return base * (1 + need / 100) if t.change_unit == "percent" else base + need
    if t.op == "growth" and isinstance(t.value, (int, float)) and t.year and t.base_year:
        return base * (1 + t.value / 100) ** (t.year - t.base_year)
    return None


def _lower_is_progress(t: Target, base: float, level: float) -> bool:
    if t.op in ("<=", "<"):
        return True
    if t.op in (">=", ">", "growth"):
        return False
    if t.op == "change":
        need = t.value if not isinstance(t.value, tuple) else t.value[0]
        return need < 0
    return level < base  # approx, range: toward the level from the base


def _path_start(ctx: _Context, t: Target) -> tuple[int, float, str] | None:
    """(year, value, what) the progress path starts from, or None."""
    if t.op in ("change", "growth"):
        ref = ctx.baseline if ctx.baseline is not None else t.baseline
        ref_year = ctx.baseline_year or t.base_year
        return (ref_year, float(ref), "基期值") if _is_num(ref) and ref_year else None
    if _is_num(ctx.baseline) and ctx.baseline_year:
        return ctx.baseline_year, float(ctx.baseline), "基期值"
    if _is_num(t.baseline) and t.base_year:
        return t.base_year, float(t.baseline), "基期值"
    if ctx.start is not None and _is_num(ctx.start[1]):
        return int(ctx.start[0]), float(ctx.start[1]), "起始值"
    if _is_num(ctx.previous):
        return ctx.previous_year, float(ctx.previous), "上年值"
    return None


def _progress(ctx: _Context, t: Target, judged: _Judged) -> _Judged:
    """Re-judge a target due later than ``ctx.year`` by progress on the straight path."""
    if (
        t.year is None
        or t.year <= ctx.year
        or judged.status not in (NOT_MET, CLOSE)
        or t.op not in LEVEL_OPS | {"change", "growth"}
        or t.each
        or t.relative_to
        or (t.op == "change" and t.basis == "previous_year")
        or not _is_num(ctx.value)
    ):
        return judged
    unit, v = ctx.ind.unit, float(ctx.value)
    head = f"目标 {t.describe(display_unit(unit))}"
    head_en = f"Target {t.describe(unit, en=True)}"
    start = _path_start(ctx, t)
    if start is None or not start[0] < ctx.year:
        # Nothing to measure progress from: judged against the target itself, and said so.
        return _Judged(
            judged.status,
            f"{judged.detail}（缺少基期值，无法判断进度，按目标值判断）",
            f"{judged.detail_en} (no base-year value to judge progress against)",
            judged.subunits_met,
        )
    by, base, what = start
    level = final_level(t, base, near=v)
    if level is None:
        return judged
    expected = on_path(by, base, t.year, level, ctx.year)
    lower = _lower_is_progress(t, base, level)
    gap = v - expected if lower else expected - v
    status = ON_COURSE if gap <= _eps(expected) else BEHIND
    bar, bar_en = ("不高于", "at most") if lower else ("不低于", "at least")
    detail = (
        f"{head}，实际 {fmt_fixed_value(v, ctx.ind)}，按{by}年{what} {fmt_fixed_value(base, ctx.ind)}至{t.year}年 "
        f"{fmt_fixed_value(level, ctx.ind)}的直线进度，{ctx.year}年应{bar} {fmt_fixed_value(expected, ctx.ind)}，"
        f"{_VERDICT[status]}"
    )
    detail_en = (
        f"{head_en}, actual {fmt_fixed_value(v, ctx.ind, en=True)}; on the straight path from "
        f"{fmt_fixed_value(base, ctx.ind, en=True)} in {by} to {fmt_fixed_value(level, ctx.ind, en=True)} in "
        f"{t.year}, {ctx.year} should be {bar_en} {fmt_fixed_value(expected, ctx.ind, en=True)}: "
        f"{_VERDICT_EN[status]}"
    )
    return _Judged(status, detail, detail_en, judged.subunits_met)


def status_name(status: str) -> str:
    """The Chinese name of a status (已达标, 按进度, 落后于进度 …)."""
    return STATUS_NAMES.get(status, status)


__all__ = [
    "BEHIND",
    "CLOSE",
    "LEVEL_OPS",
    "MET",
    "NOT_MET",
    "NO_DATA",
    "NO_TARGET",
    "ON_COURSE",
    "PROGRESS_STATUSES",
    "STATUSES",
    "STATUS_NAMES",
    "TargetStatus",
    "compare",
    "decimals",
    "describe_en",
    "display_unit",
    "evaluate",
    "final_level",
    "fmt_fixed",
    "fmt_fixed_change",
    "fmt_fixed_value",
    "fmt_number",
    "fmt_value",
    "margin",
    "on_path",
    "shown_difference",
    "status_name",
    "unit_en",
]
