"""Benchmark: assemble a county's return from N sub-units, and write its compiled workbook.

A script, not a test (pytest collects test_*.py only):

    python tests/benchmarks/bench_aggregate.py [--units 100 500 1000 2000] [--plan ID]
        [--indicators 200] [--no-compile]

For each N it builds a county of N townships through the program's own code (units, returns opened by
the return service, every cell of the largest plan written in bulk as an import would), then prints:

- ``first``: the first assembly of the county return (writes every value and its history row);
- ``aggregate``: assembling it again (the median of 5; nothing changed, so no values written);
- ``GROUP BY``: one SQL GROUP BY summing the same rows, the floor for any aggregation (the median of
  5, interleaved with the assemblies so that both see the same load);
- ``compile``: the compiled workbook (every sub-unit's values, compliance and a ranking), timed
  on its own, and its peak memory (tracemalloc, in a second run: tracing slows Python down).
Goals (issue 19): aggregate ≤ 2× the GROUP BY and under 0.5 s at 2,000 × 200; compile under 15 s and
300 MB at 2,000; linear growth from 100 to 2,000.  Growth is shown per sub-unit (ms per sub-unit at each
N, and that figure divided by the one at the smallest N: 1 or below is linear — below, the fixed
costs spread over more sub-units).

``--indicators 200``: no built-in plan has 200 indicators (the largest has 156), so the benchmark
stores a synthetic plan ``bench-<N>``: the largest plan with a domain of copies of its first
indicators appended (codes ``X001``…, same kinds, rules, breakdowns and targets) until it has N.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import func, select

from db import repo
from db.engine import open_database
from db.models import Return, Value
from db.plans import get_plan, save_plan_version
from tests.benchmarks.bench_import import entry_for, largest_plan
from tianbao.domain.catalogue import Domain, Plan
from tianbao.domain.values import cells_of
from tianbao.excel.compiled import export_compiled
from tianbao.services.aggregation import aggregate
from tianbao.services.returns import ReturnService

YEAR = 2024


def widened(plan: Plan, count: int) -> Plan:
    """``plan`` with copies of its first indicators appended until it has ``count``."""
    have = list(plan.indicators)
    copies = [
        replace(
            have[i % len(have)], code=f"X{i + 1:03d}", name=f"{have[i % len(have)].name}（副本）"
        )
        for i in range(max(0, count - len(have)))
    ]
    extra = Domain("X", "基准副本", "Benchmark copies", tuple(copies))
    return replace(
        plan, id=f"bench-{count}", title=f"基准计划（{count}项）", domains=(*plan.domains, extra)
    )


def build(
    path: Path, n: int, plan_id: str | None, indicators: int | None = None
) -> tuple[object, str, int]:
    db = open_database(path, backups=False)
    rng = random.Random(n)
    with db.session() as s:
        plan = get_plan(s, plan_id) if plan_id else largest_plan(db)
        if indicators:
            plan = save_plan_version(s, widened(plan, indicators))
        repo.add_unit(s, "C", "测试县", "county")
        for i in range(n):
            repo.add_unit(s, f"T{i:04d}", f"第{i}街道", "township", "C")
    svc = ReturnService(db, user="bench")
    cells = [(ind, cell) for ind in plan.indicators for cell, _label in cells_of(ind)]
    for i in range(n):
        rid = svc.open(f"T{i:04d}", plan.id, YEAR).id
        with db.session() as s:
            r = s.get(Return, rid)
            repo.set_entries(s, r, [(ind.code, cell, entry_for(ind, rng)) for ind, cell in cells])
    return db, plan.id, len(cells)


def group_by(db) -> float:
    t0 = time.perf_counter()
    with db.session() as s:
        parent = repo.unit_by_code(s, "C")
        kids = select(Return.id).where(
            Return.unit_id.in_([u.id for u in repo.children(s, parent.id)]), Return.year == YEAR
        )
        rows = s.execute(
            select(
                Value.indicator,
                Value.cell,
                func.sum(Value.number),
                func.sum(Value.numerator),
                func.sum(Value.denominator),
                func.count(Value.id),
            )
            .where(Value.return_id.in_(kids))
            .group_by(Value.indicator, Value.cell)
        ).all()
    assert rows
    return time.perf_counter() - t0


def median(fn, times: int = 3) -> float:
    return statistics.median(fn() for _ in range(times))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, nargs="+", default=[100, 500])
    ap.add_argument("--plan")
    ap.add_argument("--indicators", type=int, help="a synthetic plan of this many indicators")
    ap.add_argument("--no-compile", action="store_true", help="time the aggregation only")
    args = ap.parse_args()
    print(
        f"{'units':>6} {'inds':>5} {'cells':>6} {'build s':>8} {'GROUP BY s':>11} "
        f"{'first s':>8} {'aggregate s':>12} {'ratio':>6} {'agg ms/unit':>12} {'compile s':>10} "
        f"{'cmp ms/unit':>12} {'peak MB':>8}"
    )
    per_unit: list[tuple[int, float, float | None]] = []
    for n in args.units:
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            db, plan_id, ncells = build(Path(tmp) / "bench.sqlite", n, args.plan, args.indicators)
            built = time.perf_counter() - t0
            with db.session() as s:
                ninds = len(get_plan(s, plan_id).indicators)

            def agg(db=db, plan_id=plan_id):
                t = time.perf_counter()
                aggregate(db, "C", plan_id, YEAR, user="bench")
                return time.perf_counter() - t

            first = agg()  # writes every value and its history row; the timed ones re-assemble
            # Baseline and aggregate interleaved, so both see the same load.
            bases, tooks = [], []
            for _ in range(5):
                bases.append(group_by(db))
                tooks.append(agg())
            base, took = statistics.median(bases), statistics.median(tooks)
            compiled = peak = None
            if not args.no_compile:
                t = time.perf_counter()
                export_compiled(db, "C", plan_id, YEAR, Path(tmp) / "compiled.xlsx")
                compiled = time.perf_counter() - t
                # Peak memory in a second run: tracemalloc slows Python down 2-3×, not timed.
                tracemalloc.start()
                export_compiled(db, "C", plan_id, YEAR, Path(tmp) / "compiled.xlsx")
                peak = tracemalloc.get_traced_memory()[1] / 1e6
                tracemalloc.stop()
            per_unit.append((n, took / n * 1e3, compiled / n * 1e3 if compiled else None))
            shown_c = (
                f"{compiled:>10.1f} {compiled / n * 1e3:>12.2f}"
                if compiled
                else f"{'—':>10} {'—':>12}"
            )
            print(
                f"{n:>6} {ninds:>5} {ncells:>6} {built:>8.1f} {base:>11.3f} {first:>8.3f} {took:>12.3f} "
                f"{took / base:>6.2f} {took / n * 1e3:>12.3f} {shown_c} "
                f"{peak if peak is not None else float('nan'):>8.0f}"
            )
            db.close()
    if len(per_unit) > 1:
        n0, a0, c0 = per_unit[0]
        print(f"growth per sub-unit against {n0} sub-units (≤ 1.0: linear):")
        for n, a, c in per_unit[1:]:
            cmp = f", compile {c / c0:.2f}" if c and c0 else ""
            print(f"  {n:>5}: aggregate {a / a0:.2f}{cmp}")


if __name__ == "__main__":
    main()
