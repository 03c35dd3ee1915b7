"""Benchmark: the printable return PDF of the largest built-in plan, every cell filled.

Run: ``python tests/benchmarks/bench_pdf.py``.  Prints the time to build the ReturnView alone
(the baseline: what any view of the return costs) and to write the whole PDF — cold (the first
PDF in the process, with the fonts loaded) and warm (the median of several) — and the ratio of
the warm PDF time to the baseline.  Target: under 1 s.  Exits 1 when the warm time misses it.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from db import repo
from db.engine import open_database
from db.plans import get_plan
from tianbao.domain.catalogue import Indicator, load_builtin_plans
from tianbao.domain.values import Entry, cells_of
from tianbao.services.returns import ReturnService, SignOff

TARGET_S = 1.0
YEAR = 2024


def _entry(ind: Indicator, rng: random.Random) -> Entry:
    if ind.kind == "yesno":
        return Entry(choice=rng.choice(["yes", "yes", "partly", "no"]))
    if ind.kind == "text":
        return Entry(text="已按计划开展，详见附件。")
    if ind.is_rate:
        den = float(rng.randint(500, 5000))
        share = rng.uniform(0.002, 0.02) if ind.better == "lower" else rng.uniform(0.85, 0.99)
        return Entry(numerator=float(round(den * share)), denominator=den)
    return Entry(number=float(rng.randint(1, 200)))


def build(path: Path) -> tuple[object, int, str, int]:
    plans = load_builtin_plans()
    plan_id = max(plans.values(), key=lambda p: len(p.indicators)).id
    db = open_database(path, backups=False)
    rng = random.Random(6)
    with db.session() as s:
        repo.add_unit(s, "B", "基准区", "county")
        plan = get_plan(s, plan_id)
        unit = repo.unit_by_code(s, "B")
        for year in (YEAR - 1, YEAR):
            ret = repo.get_or_create_return(s, unit, plan.id, plan.version, year)
            for ind in plan.indicators:
                for cell, _label in cells_of(ind):
                    repo.set_entry(s, ret, ind.code, cell, _entry(ind, rng))
    svc = ReturnService(db)
    rid = svc.open("B", plan_id, YEAR).id
    for row in svc.view(rid).rows:
        if row.warnings:
            svc.save_explanation(rid, row.indicator.code, "经核实，数据准确：统计口径调整所致。")
    svc.save_signoff(rid, SignOff("王建国", "李敏", "张丽", "0375-2345678", date(2025, 1, 15)))
    return db, rid, plan_id, len(plan.indicators)


def main() -> int:
    from tianbao.pdf.returns import write_return_pdf

    with tempfile.TemporaryDirectory() as tmp:
        db, rid, plan_id, n = build(Path(tmp) / "bench.sqlite")
        svc = ReturnService(db)
        views = []
        for _ in range(5):
            t = time.perf_counter()
            svc.view(rid)
            views.append(time.perf_counter() - t)
        out = Path(tmp) / "return.pdf"
        t = time.perf_counter()
        result = write_return_pdf(db, rid, out)
        cold = time.perf_counter() - t
        warm_runs, cpu_runs = [], []
        for _ in range(5):
            t, c = time.perf_counter(), time.process_time()
            write_return_pdf(db, rid, out)
            warm_runs.append(time.perf_counter() - t)
            cpu_runs.append(time.process_time() - c)
        size_kib = out.stat().st_size // 1024
        db.close()
    view_s, warm = statistics.median(views), statistics.median(warm_runs)
    print(f"plan {plan_id}: {n} indicators, {result.pages} pages, {size_kib} KiB")
    print(f"ReturnView alone (baseline): {view_s * 1000:7.1f} ms (median of 5)")
    print(f"return PDF, cold (fonts loaded): {cold * 1000:7.1f} ms")
    print(
        f"return PDF, warm:              {warm * 1000:7.1f} ms (median of 5; "
        f"CPU {statistics.median(cpu_runs) * 1000:.1f} ms — steadier on a busy machine)"
    )
    print(f"ratio warm PDF / view:         {warm / view_s:7.1f}x")
    ok = warm < TARGET_S
    print(f"target < {TARGET_S:.0f} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
