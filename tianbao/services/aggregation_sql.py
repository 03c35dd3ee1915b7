"""The sub-units' figures of an assembly made in SQL, where that is exactly what
:func:`tianbao.domain.assembly.combine` would make (issue 19: a county of 2,000 sub-units).

One GROUP BY over the sub-units' totals gives, per indicator, how many sub-units gave a number, a
numerator, a denominator, each answer of a qualitative goal or a tally, the sums, and how many gave
a figure that is not a plain integer (a fraction, or one too large to add exactly in a double);
a second one gives the same for the few breakdown and reference cells.  When every sub-unit gave a
usable integral figure, the sums SQL makes are exact and equal to the Python sums ``combine``
makes, in any order, so the parent's cells are made from the GROUP BY alone.  A breakdown
(城镇/农村 …) of an additive rule must also add up to each sub-unit's own total: one more query,
over those indicators only, compares them per sub-unit.  A mean of decimals (a sum of floats
depends on its order), a least or a greatest value are made from the sub-units' numbers, read and
combined in their order.  Everything else — a sub-unit missing, a rate without its counts, text,
a weighted mean — is left to ``combine``, on its rows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from sqlalchemy import and_, case, func, or_, select

from db.models import Value
from tianbao.domain.assembly import (
    ADDITIVE,
    NOT_AGGREGATED,
    Combined,
    breakdown_label,
    close,
    combine_cell,
    mismatch_note,
    tally_entry,
    tidy,
)
from tianbao.domain.catalogue import Indicator
from tianbao.domain.values import CELLS, REFERENCE, TOTAL, Entry, cells_of

# Integral figures below this add up exactly in a double for up to MAX_UNITS sub-units
# (9,000 × 10^12 < 2^53): the order of the additions cannot change the sum.
_BOUND = 1e12
MAX_UNITS = 9000

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


def _count(cond):
    """How many rows meet ``cond`` (portable: COUNT of a CASE without ELSE)."""
    return func.count(case((cond, 1)))


def _odd(col):
    """Not a plain integral figure (NULL, no figure: not counted)."""
    return and_(col.is_not(None), or_(col != func.round(col), func.abs(col) >= _BOUND))


def _columns():
    return (
        func.count().label("rows"),
        func.count(Value.number).label("n_number"),
        func.sum(Value.number).label("s_number"),
        func.count(Value.numerator).label("n_num"),
        func.count(Value.denominator).label("n_den"),
        func.sum(Value.numerator).label("s_num"),
        func.sum(Value.denominator).label("s_den"),
        _count(_odd(Value.number)).label("odd_number"),
        func.sum(func.abs(Value.number)).label("s_abs"),
        _count(
            and_(
                Value.numerator.is_not(None),
                or_(_odd(Value.numerator), _odd(Value.denominator)),
            )
        ).label("odd_ratio"),
        _count(Value.choice == "yes").label("yes"),
        _count(Value.choice == "partly").label("partly"),
        _count(Value.choice == "no").label("no"),
        # A tally's three columns are written together (repo's _tally_columns): one tells.
        func.count(Value.tally_yes).label("tallied"),
    )


def stats(s, returns, inds: Sequence[Indicator]) -> dict[tuple[str, str], object]:
    """(indicator, cell) → what the sub-units (``returns``, a subquery of their return ids) gave.
    The totals in one GROUP BY over the sub-units' values (by indicator alone: a shorter sort
    key), the few breakdown and reference cells in a second one over their indicators only.
    Only columns the quick rules need: each column costs the sort a little."""
    q = (
        select(Value.indicator, *_columns())
        .where(Value.return_id.in_(returns), Value.cell == TOTAL)
        .group_by(Value.indicator)
    )
    out = {(row.indicator, TOTAL): row for row in s.execute(q)}
    more = sorted(i.code for i in inds if len(cells_of(i)) > 1)
    if more:
        q = (
            select(Value.indicator, Value.cell, *_columns())
            .where(Value.return_id.in_(returns), Value.indicator.in_(more), Value.cell != TOTAL)
            .group_by(Value.indicator, Value.cell)
        )
        out.update({(row.indicator, row.cell): row for row in s.execute(q)})
    return out


class Given:
    """Whether any sub-unit gave an indicator's total (``_division`` asks); falsy: no sub-units.
    Known from the GROUP BY but for totals holding only text or a choice outside 是/部分/否: those
    are looked up in one more query, when first asked."""

    def __init__(self, s, returns, st: dict, any_kids: bool) -> None:
        self.s, self.returns, self.stats, self.any_kids = s, returns, st, any_kids
        self._texts: set[str] | None = None

    def has(self, code: str) -> bool:
        st = self.stats.get((code, TOTAL))
        if st is None:
            return False
        if st.n_number or st.n_num or st.n_den or st.yes or st.partly or st.no or st.tallied:
            return True
        if self._texts is None:
            unsure = [c for (c, cell), r in self.stats.items() if cell == TOTAL and r.rows]
            q = (
                select(Value.indicator)
                .where(
                    Value.return_id.in_(self.returns),
                    Value.cell == TOTAL,
                    Value.indicator.in_(unsure),
                    _NONEMPTY,
                )
                .distinct()
            )
            self._texts = set(self.s.scalars(q))
        return code in self._texts

    def __bool__(self) -> bool:
        return self.any_kids


def _usable(ind: Indicator, rule: str, st, n: int) -> bool:
    """Every one of the ``n`` sub-units gave this cell a figure the rule can add exactly."""
    if st is None:
        return False
    if rule == "ratio":
        return st.n_num == n and st.n_den == n and not st.odd_ratio
    return not ind.is_rate and st.n_number == n and not st.odd_number


def _made(ind: Indicator, rule: str, st, n: int) -> Entry:
    """The parent's entry of a cell that is :func:`_usable` (as ``combine_cell`` makes it)."""
    if rule == "ratio":
        return Entry(numerator=float(st.s_num), denominator=float(st.s_den))
    if rule == "sum":
        return Entry(number=tidy(float(st.s_number)))
    return Entry(number=round(float(st.s_number) / n, 4))  # mean


def quick(
    s,
    returns,
    inds: Sequence[Indicator],
    st: dict,
    kids: Sequence[tuple[str, int | None]],
) -> dict[str, Combined]:
    """Indicator code → the parent's cells made here, for those of ``inds`` (sub-unit-reported)
    where this is exactly what ``combine`` makes; the others are left out (``combine``'s).
    ``kids``: every expected sub-unit's (name, return id or None), in their order."""
    n = len(kids)
    out: dict[str, Combined] = {}
    if n == 0 or n > MAX_UNITS:
        return out
    checks: dict[str, list[tuple[Indicator, str]]] = {}  # dim → indicators whose parts to check
    pending: dict[str, tuple[dict, list]] = {}  # code → (cells, [dims to check])
    decimals: list[Indicator] = []
    for ind in inds:
        rule = ind.aggregation
        if rule == "none":
            out[ind.code] = Combined(complete=True, reason=NOT_AGGREGATED)
            continue
        if ind.weight or rule == "weighted_mean":
            continue
        total = st.get((ind.code, TOTAL))
        if total is None or total.rows != n:
            continue  # a sub-unit gave nothing: combine names it
        if ind.kind == "yesno":
            if ind.disaggregation or _has_reference(ind):
                continue
            if rule not in ("tally", "all", "any") or total.tallied:
                continue
            if total.yes + total.partly + total.no != n:
                continue
            out[ind.code] = Combined(
                {TOTAL: tally_entry(rule, total.yes, total.partly, total.no)}, reported=n
            )
            continue
        if not ind.is_numeric or rule not in ("sum", "ratio", "mean", "min", "max"):
            continue
        if rule in ("min", "max") or not _usable(ind, rule, total, n):
            if (
                rule != "ratio"
                and not ind.is_rate
                and total.n_number == n
                and not ind.disaggregation
                and not _has_reference(ind)
            ):
                e = _bounded(rule, total, n)
                if e is not None:
                    out[ind.code] = Combined({TOTAL: e}, complete=True, reported=n)
                else:  # min, max, or too close to call: read, in the sub-units' order
                    decimals.append(ind)
            continue
        total_made = _made(ind, rule, total, n)
        notes: list = []
        ok = True
        for dim in ind.disaggregation:
            members = [k for k, _label in CELLS[dim]]
            mst = [st.get((ind.code, k)) for k in members]
            if all(m is None for m in mst):
                notes.append(None)  # no sub-unit gave the breakdown: nothing made, nothing said
            elif all(_usable(ind, rule, m, n) for m in mst):
                made = {k: _made(ind, rule, m, n) for k, m in zip(members, mst, strict=True)}
                if rule in ADDITIVE:
                    checks.setdefault(dim, []).append((ind, rule))
                notes.append((dim, made))
            else:
                ok = False  # some sub-units gave part of it: combine names them
                break
        ref_made = None
        if ok and _has_reference(ind):
            ref = st.get((ind.code, REFERENCE))
            if ref is not None:
                if not _usable(ind, rule, ref, n):
                    ok = False  # some sub-units lack it: combine names them
                else:
                    ref_made = _made(ind, rule, ref, n)
        if ok:
            pending[ind.code] = (total_made, notes, ref_made)
    odd = {dim: _mismatched(s, returns, dim, found) for dim, found in checks.items()}
    name_of = {rid: name for name, rid in kids if rid is not None}
    order = {name: i for i, (name, _rid) in enumerate(kids)}
    for ind in inds:
        if ind.code not in pending:
            continue
        total_made, parts, ref_made = pending[ind.code]
        cells = {TOTAL: total_made}  # in combine's order: total, breakdowns, reference
        said = []
        for part in parts:
            if part is None:
                continue
            dim, made = part
            bad = odd.get(dim, {}).get(ind.code, ())
            if bad:
                names = sorted((name_of[r] for r in bad), key=order.__getitem__)
                said.append(mismatch_note(breakdown_label(dim), names))
            else:
                cells.update(made)
        if ref_made is not None:
            cells[REFERENCE] = ref_made
        out[ind.code] = Combined(cells=cells, complete=True, reason="；".join(said), reported=n)
    out.update(_decimals(s, returns, decimals, kids))
    return out


_U = 2.0**-53  # the unit roundoff of a double


def _bounded(rule: str, st, n: int) -> Entry | None:
    """The sum or mean of decimals, when every sum of the same figures in any order gives it.

    ``combine`` adds the sub-units' numbers left to right; SQL adds them in its own order (SQLite
    with compensation).  Either sum is within ``(n - 1) u Σ|x|`` of the exact one (the standard
    bound of floating-point summation), so the Python sum lies in ``SQL sum ± 2 n u Σ|x|``
    (widened here threefold, and for the division and these very operations).  If the rule's
    rounding — four decimals of the mean, ten significant digits of a sum (``tidy``) — gives
    the same value at both ends of that interval, it gives it at every point inside (rounding is
    monotonic): that is the value ``combine`` makes.  Otherwise None: too close to call."""
    if rule not in ("sum", "mean") or st.s_number is None or st.s_abs is None:
        return None
    total, absolute = float(st.s_number), float(st.s_abs)
    if not (math.isfinite(total) and math.isfinite(absolute)) or n * _U > 1e-6:
        return None
    spread = 6 * n * _U * absolute + abs(total) * 8 * _U + 1e-300
    if rule == "sum":
        lo, hi = f"{total - spread:.10g}", f"{total + spread:.10g}"
        return Entry(number=float(lo)) if lo == hi else None
    mean = total / n
    margin = spread / n + abs(mean) * 8 * _U
    lo, hi = round(mean - margin, 4), round(mean + margin, 4)
    return Entry(number=lo) if lo == hi else None


def _has_reference(ind: Indicator) -> bool:
    return any(k == REFERENCE for k, _ in cells_of(ind))


def _mismatched(s, returns, dim: str, found: list[tuple[Indicator, str]]) -> dict[str, set[int]]:
    """Indicator code → the sub-units' returns whose ``dim`` members do not add up to their own
    total (the check ``combine`` makes; every figure here is integral, so the sums are exact)."""
    members = [k for k, _label in CELLS[dim]]
    rules = {ind.code: rule for ind, rule in found}
    part = Value.cell.in_(members)
    tot = Value.cell == TOTAL
    # Only the columns the rules compare: (parts, total) of the counts of a ratio, or of the number.
    cols = ((Value.numerator, Value.denominator) if "ratio" in rules.values() else ()) + (
        (Value.number,) if set(rules.values()) - {"ratio"} else ()
    )
    which = {c.key: i for i, c in enumerate(cols)}
    sums = [f(case((cond, c))) for c in cols for f, cond in ((func.sum, part), (func.max, tot))]
    q = (
        select(Value.return_id, Value.indicator, *sums)
        .where(
            Value.return_id.in_(returns),
            Value.indicator.in_(sorted(rules)),  # each return's few cells of these: index seeks
        )
        .group_by(Value.return_id, Value.indicator)
    )
    out: dict[str, set[int]] = {}
    num, den, number = (2 + 2 * which.get(k, 0) for k in ("numerator", "denominator", "number"))
    for row in s.execute(q):
        code = row[1]
        if rules[code] == "ratio":
            fine = close(float(row[num]), float(row[num + 1])) and close(
                float(row[den]), float(row[den + 1])
            )
        else:
            fine = close(float(row[number]), float(row[number + 1]))
        if not fine:
            out.setdefault(code, set()).add(row[0])
    return out


def _decimals(
    s, returns, inds: list[Indicator], kids: Sequence[tuple[str, int | None]]
) -> dict[str, Combined]:
    """Totals of decimals every sub-unit gave (sum, mean, min, max): the numbers read and
    combined in the sub-units' order, as ``combine`` does."""
    if not inds:
        return {}
    by_code = {ind.code: ind for ind in inds}
    got: dict[str, dict[int, float]] = {code: {} for code in by_code}
    q = select(Value.indicator, Value.return_id, Value.number).where(
        Value.return_id.in_(returns), Value.cell == TOTAL, Value.indicator.in_(sorted(by_code))
    )
    for code, rid, number in s.execute(q):
        got[code][rid] = number
    out: dict[str, Combined] = {}
    for code, ind in by_code.items():
        numbers = got[code]
        values = [(name, numbers.get(rid)) for name, rid in kids]
        if any(v is None or not math.isfinite(v) for _n, v in values):
            continue
        entries = [(name, Entry(number=v)) for name, v in values]
        cell = combine_cell(ind, ind.aggregation, entries, {})
        out[code] = Combined({TOTAL: cell}, complete=True, reported=len(kids))
    return out
