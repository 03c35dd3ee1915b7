"""The assembly made in SQL (``aggregation_sql``) against ``combine`` on every sub-unit's rows.

Generated counties of a plan with every rule — sums, means of whole numbers and of decimals, min,
max, weighted means, rates from their counts (with and without breakdowns and a reference figure),
tallied, all-of and any-of qualitative goals, a "not aggregated" indicator — filled cleanly, with
breakdowns that do not add up, with decimals, with gaps (a sub-unit without a return, 不详 typed in a
count, a rate without its counts, a missing weight), and with sub-units' own tallies.  Each county is
assembled twice, in two databases built alike: once by the program, once with the SQL path
switched off, so every indicator goes through ``combine``.  The values, sources, notes and history
rows written must be the same, also when the county is assembled again after a sub-unit's change.
"""

from __future__ import annotations

import math
import random
from dataclasses import replace

from sqlalchemy import select

from db import repo
from db.engine import open_database
from db.models import Audit, Return, ValueSource
from db.plans import get_plan, save_plan_version
from tianbao.domain.catalogue import Domain, load_builtin_plans
from tianbao.domain.values import CELLS, REFERENCE, TOTAL, Entry, cells_of
from tianbao.services import aggregation_sql
from tianbao.services.aggregation import aggregate

YEAR = 2024
MODES = ("clean", "mismatch", "decimals", "gaps", "tallies", "mixed")


def _plan():
    plans = load_builtin_plans()
    plans = list(plans.values()) if isinstance(plans, dict) else list(plans)
    base = next(p for p in plans if p.id == "lishu-women")
    every = [i for p in plans for i in p.indicators]

    def pick(kind, *, rate=False, ref=False):
        return next(
            i
            for i in every
            if i.kind == kind
            and i.is_rate == rate
            and not i.weight
            and (not ref or any(k == REFERENCE for k, _ in cells_of(i)))
        )

    count, duration, amount = pick("count"), pick("duration"), pick("amount")
    rate, yesno, with_ref = (
        pick("rate", rate=True),
        pick("yesno"),
        pick("rate", rate=True, ref=True),
    )

    def ind(src, code, **kw):
        return replace(src, code=code, domain="Z", departments=(), **kw)

    inds = (
        ind(count, "C1", aggregate="sum"),
        ind(count, "C2", aggregate="sum", disaggregation=("sex",)),
        ind(count, "C3", aggregate="min"),
        ind(count, "C4", aggregate="max"),
        ind(count, "C5", aggregate="none"),
        ind(duration, "M1", aggregate="mean"),
        ind(amount, "M2", aggregate="mean", disaggregation=("urban_rural",)),
        ind(amount, "W1", aggregate="weighted_mean", weight="C1"),
        ind(rate, "R1", aggregate="ratio"),
        ind(rate, "R2", aggregate="ratio", disaggregation=("sex", "urban_rural")),
        ind(with_ref, "R3", aggregate="ratio"),
        ind(yesno, "Y1", aggregate="tally"),
        ind(yesno, "Y2", aggregate="all"),
        ind(yesno, "Y3", aggregate="any"),
    )
    return replace(
        base, id="mixed-rules", period=(2016, 2035), domains=(Domain("Z", "混合", "Mixed", inds),)
    )


def _figure(ind, rng, decimals):
    if ind.is_rate:
        den = float(rng.randint(50, 900))
        num = float(rng.randint(0, int(den)))
        if decimals:
            num += rng.choice((0.0, 0.5, 0.25))
        return Entry(numerator=num, denominator=den)
    if decimals:
        return Entry(number=round(rng.uniform(0, 90), rng.choice((1, 2))))
    return Entry(number=float(rng.randint(0, 300)))


def _sum(parts):
    if parts[0].numerator is not None:
        return Entry(
            numerator=sum(p.numerator for p in parts), denominator=sum(p.denominator for p in parts)
        )
    return Entry(number=sum(p.number for p in parts))


def _cells(ind, rng, mode) -> dict[str, Entry]:
    """One sub-unit's cells of ``ind`` in the county's ``mode``."""
    decimals = mode == "decimals" or (mode == "mixed" and rng.random() < 0.3)
    if ind.kind == "yesno":
        choice = rng.choice(("yes", "yes", "partly", "no"))
        if mode == "tallies":
            t = (rng.randint(0, 5), rng.randint(0, 3), rng.randint(0, 2))
            return {TOTAL: Entry(choice=choice, tally=t)}
        if mode in ("gaps", "mixed") and rng.random() < 0.15:
            return {}
        return {TOTAL: Entry(choice=choice)}
    out: dict[str, Entry] = {}
    for dim in ind.disaggregation:
        parts = [_figure(ind, rng, decimals) for _ in CELLS[dim]]
        out.update({k: p for (k, _label), p in zip(CELLS[dim], parts, strict=True)})
        out[TOTAL] = _sum(parts)  # the later breakdown wins; the first one may not add up then
    if TOTAL not in out or mode == "mismatch" and rng.random() < 0.5:
        out[TOTAL] = _figure(ind, rng, decimals)
    if any(k == REFERENCE for k, _ in cells_of(ind)):
        out[REFERENCE] = _figure(ind, rng, decimals)
    if mode in ("gaps", "mixed"):
        r = rng.random()
        if r < 0.08:
            out.pop(TOTAL)
        elif r < 0.14:
            out[TOTAL] = Entry(text="不详")
        elif r < 0.2 and ind.is_rate:
            out[TOTAL] = Entry(number=55.5)  # a rate without its counts
        elif r < 0.26 and out.keys() - {TOTAL}:
            out.pop(rng.choice(sorted(out.keys() - {TOTAL})))
    return out


def _county(db, plan, code: str, mode: str, kids: int, seed: int) -> None:
    rng = random.Random(seed)
    with db.session() as s:
        repo.add_unit(s, code, f"{code}县", "county")
        for k in range(kids):
            repo.add_unit(s, f"{code}-{k}", f"{code}第{k}镇", "township", code)
    for k in range(kids):
        if mode in ("gaps", "mixed") and k == kids - 1:
            continue  # this sub-unit has no return at all
        with db.session() as s:
            unit = repo.unit_by_code(s, f"{code}-{k}")
            ret = repo.get_or_create_return(s, unit, plan.id, plan.version, YEAR)
            items = [
                (ind.code, cell, e)
                for ind in plan.indicators
                for cell, e in _cells(ind, rng, mode).items()
            ]
            repo.set_entries(s, ret, items, repo.Origin(source="import", user="t"))


def _written(db, code: str, result) -> dict:
    """What an assembly left: the values, the sources, the history rows and the result's notes."""
    with db.session() as s:
        unit = repo.unit_by_code(s, code)
        ret = s.scalar(select(Return).where(Return.unit_id == unit.id))
        sources = [
            (
                v.indicator,
                v.kind,
                v.rule,
                v.reported,
                v.expected,
                v.complete,
                v.reason,
                v.units,
                v.computed,
            )
            for v in s.scalars(
                select(ValueSource)
                .where(ValueSource.return_id == ret.id)
                .order_by(ValueSource.indicator)
            )
        ]
        history = [
            (a.indicator, a.cell, a.action, a.old, a.new, a.source, a.reason, a.user)
            for a in s.scalars(select(Audit).where(Audit.return_id == ret.id).order_by(Audit.id))
        ]
        return {
            "entries": repo.entries(s, ret.id),
            "sources": sources,
            "history": history,
            "notes": result.notes,
            "incomplete": result.incomplete,
            "infos": result.sources,
            "written": result.values_written,
            "missing": result.missing_units,
        }


def _build(path):
    """The generated counties (the same for every call: fixed seeds)."""
    db = open_database(path, backups=False)
    with db.session() as s:
        plan = save_plan_version(s, _plan())
    for n, mode in enumerate(MODES):
        _county(db, plan, f"K{n}", mode, kids=7 + n, seed=n)
    return db, plan.id


def _assemble_both(tmp_path, monkeypatch, change=None):
    """Each county assembled by the program (fast) and with the SQL path off (slow), in two
    databases built alike; what was written, and which indicators the SQL path made."""
    out: dict = {}
    used: set[str] = set()
    for name in ("fast", "slow"):
        db, plan_id = _build(tmp_path / f"{name}.sqlite")
        with monkeypatch.context() as m:
            if name == "slow":
                m.setattr(aggregation_sql, "quick", lambda *a, **k: {})
            else:

                def spy(*a, real=aggregation_sql.quick, **k):
                    got = real(*a, **k)
                    used.update(got)
                    return got

                m.setattr(aggregation_sql, "quick", spy)
            for n in range(len(MODES)):
                code = f"K{n}"
                result = aggregate(db, code, plan_id, YEAR, user="张三")
                if change is not None:
                    change(db, code, plan_id)
                    result = aggregate(db, code, plan_id, YEAR, user="李四")
                out.setdefault(name, {})[code] = _written(db, code, result)
        db.close()
    return out, used


def test_the_sql_path_writes_what_combine_writes(tmp_path, monkeypatch):
    out, quick_codes = _assemble_both(tmp_path, monkeypatch)
    # The SQL path was taken for most rules (or this comparison would prove nothing).
    assert {"C1", "C2", "C3", "C4", "C5", "M1", "R1", "R2", "R3", "Y1", "Y2", "Y3"} <= quick_codes
    for code in out["slow"]:
        fast, slow = out["fast"][code], out["slow"][code]
        for key in slow:
            assert fast[key] == slow[key], (code, key)
    # The counties differ: incomplete data, notes on breakdowns, tallies of tallies all occur.
    assert any(o["incomplete"] for o in out["slow"].values())
    assert any("分组未汇总" in " ".join(o["notes"]) for o in out["slow"].values())
    assert any(
        e.tally and sum(e.tally) > 20 for o in out["slow"].values() for e in o["entries"].values()
    )


def test_assembled_again_after_a_change_the_same(tmp_path, monkeypatch):
    def change(db, code, plan_id):
        # The first sub-unit clears one rate and types a decimal count; the office enters a value.
        with db.session() as s:
            plan = get_plan(s, plan_id)
            kid = repo.unit_by_code(s, f"{code}-0")
            ret = repo.find_return(s, kid.id, plan.id, YEAR)
            repo.set_entries(
                s,
                ret,
                [("R1", TOTAL, Entry()), ("C1", TOTAL, Entry(number=12.5))],
                repo.Origin(source="typed", user="王五"),
            )
            parent = repo.unit_by_code(s, code)
            pret = repo.find_return(s, parent.id, plan.id, YEAR)
            repo.set_entries(
                s,
                pret,
                [("C3", TOTAL, Entry(number=7.0))],
                repo.Origin(source="typed", user="赵六"),
            )

    out, _ = _assemble_both(tmp_path, monkeypatch, change)
    for code in out["slow"]:
        for key in out["slow"][code]:
            assert out["fast"][code][key] == out["slow"][code][key], (code, key)
    assert any(("R1", TOTAL) not in o["entries"] for o in out["slow"].values())


def test_decimal_sums_and_means_made_in_sql_only_when_every_order_agrees():
    """``_bounded`` against combine's own arithmetic (left to right) for random decimals, with
    the SQL sum taken as the exactly rounded one or the reversed one: whenever it gives a value,
    it is combine's; a mean exactly between two four-decimal values is left to combine."""
    from types import SimpleNamespace

    from tianbao.domain.assembly import tidy

    rng = random.Random(19)
    decided = 0
    for trial in range(3000):
        n = rng.randint(1, 2500)
        digits = rng.choice((1, 2, 3))
        values = [round(rng.uniform(-50, 1000), digits) for _ in range(n)]
        sql_sum = math.fsum(values) if trial % 2 else sum(reversed(values))
        st = SimpleNamespace(s_number=sql_sum, s_abs=math.fsum(abs(v) for v in values))
        for rule, want in (("sum", tidy(sum(values))), ("mean", round(sum(values) / n, 4))):
            got = aggregation_sql._bounded(rule, st, n)
            if got is not None:
                decided += 1
                assert got == Entry(number=want), (rule, n, values[:5])
    assert decided > 0.9 * 2 * 3000  # nearly always made in SQL
    tie = [0.0001, 0.0]  # the mean is 0.00005: which way it rounds depends on the last bit
    st = SimpleNamespace(s_number=sum(tie), s_abs=sum(tie))
    assert aggregation_sql._bounded("mean", st, 2) is None
