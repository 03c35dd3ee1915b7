"""Benchmark: import the filled returns of the largest built-in plan from a folder.

A script, not a test (pytest collects test_*.py only):

    python tests/benchmarks/bench_import.py [--returns 500] [--sizes 50 200 500 1000] [--keep DIR]

Exports the returns (or takes those kept in DIR), then for each size N imports the first N into a
fresh database twice: as the import dialog does (every preview, then ``apply_imports``: one
transaction, a savepoint per file, each preview dropped once applied), and as a folder is
imported when it is read (``import_files``: previewed and applied file by file).  For the second
it prints the time per file, values per second, the ratio to the time python-calamine alone
takes to parse the same files in the same run (one process), the CPU time of this process and
of the sandbox's reader processes, and the peak resident memory of this process during the
import over its size before (Linux: the kernel's high-water mark, reset before the import) and
of a reader.  With several sizes it ends with one line per size (the growth with the folder).
The goal in issue 19: ≤ 3× bare parsing, 500 files under 10 s on this 2-core machine, peak
memory independent of the number of files.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import openpyxl
from python_calamine import CalamineWorkbook

from db import repo
from db.engine import open_database
from db.plans import latest_plans
from tianbao.domain.catalogue import Indicator, Plan
from tianbao.domain.values import Entry, cells_of
from tianbao.excel import sandbox
from tianbao.excel.export import export_return
from tianbao.excel.imports import apply_imports, import_files, preview_import
from tianbao.excel.sandbox import _peak_rss, _reset_peak

YEAR = 2024


def entry_for(ind: Indicator, rng: random.Random) -> Entry:
    if ind.kind == "yesno":
        return Entry(choice=rng.choice(("yes", "yes", "partly", "no")))
    if ind.kind == "text":
        return Entry(text=f"情况{rng.randint(1, 99)}")
    if ind.is_rate:
        den = float(rng.randint(100, 9000))
        share = (
            rng.uniform(0.5, 0.99)
            if ind.kind == "rate" and not ind.gross
            else rng.uniform(0.1, 1.5)
        )
        return Entry(numerator=float(round(den * share)), denominator=den)
    if ind.kind == "count":
        return Entry(number=float(rng.randint(0, 300)))
    return Entry(number=round(rng.uniform(1, 90), 1))


def largest_plan(db) -> Plan:
    with db.session() as s:
        return max(latest_plans(s), key=lambda p: sum(len(cells_of(i)) for i in p.indicators))


def add_units(db, n: int) -> None:
    with db.session() as s:
        repo.add_unit(s, "BENCH", "基准县", "county")
        for k in range(n):
            repo.add_unit(s, f"B{k:04d}", f"基准乡镇{k:04d}", "township", "BENCH")


def _calamine(data: bytes) -> None:
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python(skip_empty_area=False)


def _openpyxl(data: bytes) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for ws in wb.worksheets:
        for _row in ws.iter_rows(values_only=True):
            pass
    wb.close()


def _warm() -> None:
    time.sleep(0.3)  # long enough that each reader of the pool gets one


def _rss() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _workers_cpu(box) -> float:
    """CPU seconds used so far by the sandbox's idle reader processes (Linux; 0 elsewhere)."""
    total = 0.0
    for w in list(box._idle):
        try:
            with open(f"/proc/{w.process.pid}/stat", encoding="ascii") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            pass
    return total


def _per_file(fn, n: int = 20) -> float:
    fn()
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--returns", type=int, default=500)
    ap.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        help="import the first N of the returns for each N (the growth with the folder)",
    )
    ap.add_argument("--keep", type=Path, help="keep the workbooks in this folder")
    args = ap.parse_args()
    n = max([args.returns, *(args.sizes or [])])
    tmp = Path(tempfile.mkdtemp(prefix="tianbao-bench-"))
    try:
        src = open_database(tmp / "source.sqlite", backups=False)
        plan = largest_plan(src)
        cells = sum(len(cells_of(i)) for i in plan.indicators)
        print(f"plan {plan.id}: {len(plan.indicators)} indicators, {cells} input cells per return")
        folder = args.keep or tmp / "returns"
        if args.keep is not None and len(list(folder.glob("B*.xlsx"))) >= n:
            print(f"export: skipped, the {n} workbooks kept in {folder} are imported")
            src.close()
            _imports(tmp, folder, args.sizes or [n], cells)
            return
        add_units(src, n)
        rng = random.Random(5)
        ids = []
        with src.session() as s:
            for k in range(n):
                unit = repo.unit_by_code(s, f"B{k:04d}")
                ret = repo.get_or_create_return(s, unit, plan.id, plan.version, YEAR)
                repo.set_entries(
                    s,
                    ret,
                    [
                        (i.code, c, entry_for(i, rng))
                        for i in plan.indicators
                        for c, _ in cells_of(i)
                    ],
                )
                ids.append(ret.id)
        folder.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        for k, rid in enumerate(ids):
            export_return(src, rid, folder / f"B{k:04d}.xlsx")
        t_export = time.perf_counter() - t0
        src.close()
        files = sorted(folder.glob("*.xlsx"))
        size = sum(f.stat().st_size for f in files)
        print(
            f"export: {t_export:.1f} s for {n} returns = {t_export / n * 1000:.0f} ms per return "
            f"({size / n / 1024:.0f} KB each)"
        )
        _imports(tmp, folder, args.sizes or [n], cells)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


def _imports(tmp: Path, folder: Path, sizes: list[int], cells: int) -> None:
    files = sorted(folder.glob("*.xlsx"))
    per_file = []
    for n in sizes:
        print(f"--- {n} files")
        per_file.append((n, *_import(tmp, files[:n], n, cells)))
    if len(per_file) > 1:
        print(
            "growth (per file: wall, ratio to bare parsing, CPU here + in the readers, peak "
            "memory over the start):\n"
            + "\n".join(
                f"  {n:5d} files  {t * 1000:5.1f} ms  {r:4.2f}×  {c * 1000:4.1f} + {w * 1000:4.1f} ms"
                f"  {m / 2**20:+4.0f} MB"
                for n, t, r, c, w, m in per_file
            )
        )


def _import(tmp: Path, files: list[Path], n: int, cells: int) -> tuple:
    assert len(files) == n, f"only {len(files)} workbooks for {n}"
    t0 = time.perf_counter()
    for f in files:
        wb = CalamineWorkbook.from_path(str(f))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        wb.close()
    t_parse = time.perf_counter() - t0

    sample = files[0].read_bytes()
    t_cal = _per_file(lambda: _calamine(sample))
    t_opx = _per_file(lambda: _openpyxl(sample))
    print(
        f"one return, parsed alone: python-calamine {t_cal * 1000:.1f} ms, openpyxl read-only "
        f"{t_opx * 1000:.1f} ms ({t_opx / t_cal:.0f}× slower)"
    )

    box = sandbox.shared()
    with ThreadPoolExecutor(box.size) as pool:  # the readers' start-up is not the import's
        list(pool.map(lambda _k: box.run(_warm), range(box.size)))

    # 1. As the desktop and the command line do it: every preview first, then the files applied
    #    (one transaction for the folder, a savepoint per file), each preview dropped once applied.
    dst = open_database(tmp / "target.sqlite", backups=False)
    add_units(dst, n)
    t0 = time.perf_counter()
    plans = preview_import(dst, files)
    t_plan = time.perf_counter() - t0
    assert all(p.can_apply for p in plans), [(p.name, p.refused, p.blocking) for p in plans]
    written2 = 0
    for _p, r in apply_imports(dst, _drain(plans)):
        assert not isinstance(r, Exception), r
        written2 += r.written
    t_two = time.perf_counter() - t0
    dst.close()
    assert written2 == n * cells, (written2, n * cells)
    del plans

    # 2. A folder imported as it is read (import_files): the figures of the goal.
    dst = open_database(tmp / "target2.sqlite", backups=False)
    add_units(dst, n)
    gc.collect()
    _reset_peak()
    base_rss = _rss()
    c0 = time.process_time()
    w0 = _workers_cpu(box)
    t0 = time.perf_counter()
    written = 0
    for _p, r in import_files(dst, files):
        assert not isinstance(r, Exception), r
        written += r.written
    t_import = time.perf_counter() - t0
    cpu = time.process_time() - c0
    wcpu = _workers_cpu(box) - w0
    peak = _peak_rss()
    dst.close()
    assert written == n * cells, (written, n * cells)
    print(f"python-calamine alone: {t_parse:.2f} s ({t_parse / n * 1000:.1f} ms per file)")
    print(
        f"preview all, then apply: {t_two:.2f} s for {n} files (dry run {t_plan:.2f} s, apply "
        f"{t_two - t_plan:.2f} s) = {t_two / t_parse:.2f}× bare parsing"
    )
    print(
        f"import as read: {t_import:.2f} s for {n} files = {t_import / n * 1000:.1f} ms per file, "
        f"{written} values = {written / t_import:,.0f} values/s"
    )
    print(f"ratio import / bare parsing: {t_import / t_parse:.2f}×")
    print(
        f"cpu: this process {cpu / n * 1000:.1f} ms per file, readers {wcpu / n * 1000:.1f} ms "
        f"per file ({box.size} reader processes)"
    )
    print(
        f"peak memory: this process {peak / 2**20:.0f} MB ({(peak - base_rss) / 2**20:+.0f} MB "
        f"over its size before the import), a reader "
        f"{(box.last.peak_rss if box.last else 0) / 2**20:.0f} MB for its last file"
    )
    for f in tmp.glob("target*.sqlite*"):
        f.unlink()
    return t_import / n, t_import / t_parse, cpu / n, wcpu / n, peak - base_rss


def _drain(plans: list):
    while plans:
        yield plans.pop(0), None, False  # a preview is freed once applied


if __name__ == "__main__":
    main()
