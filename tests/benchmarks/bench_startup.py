"""How fast the main window opens on the demonstration database (a benchmark, not a test).

    python tests/benchmarks/bench_startup.py

Prints the median seconds of: opening the database; building one return's view (the baseline:
the data work the window cannot avoid); constructing and showing the main window on that return;
and the ratio of the window time to the baseline.  Also the time `tianbao demo` takes.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

RUNS = 5


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    from db.engine import open_database
    from desktop.app import make_app
    from desktop.main_window import MainWindow
    from tianbao.services.demo import DEMO_PLAN, TOWNSHIPS, make_demo
    from tianbao.services.returns import ReturnService

    app = make_app()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite"
        db = open_database(path, backups=False)
        demo_s = timed(lambda: make_demo(db))
        db.close()
        open_s, view_s, window_s = [], [], []
        for _ in range(RUNS):
            t = time.perf_counter()
            d = open_database(path, backups=False)
            open_s.append(time.perf_counter() - t)
            svc = ReturnService(d)
            rid = svc.open(TOWNSHIPS[0][0], DEMO_PLAN, 2025).id
            t = time.perf_counter()
            svc.view(rid)
            view_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            w = MainWindow(d, rid)
            w.show()
            app.processEvents()
            window_s.append(time.perf_counter() - t)
            w.close()
            d.close()
    med = statistics.median
    print(f"tianbao demo (fresh database):       {demo_s:.2f} s")
    print(f"open database (migrate check, sync): {med(open_s) * 1000:.0f} ms")
    print(f"build one return view (baseline):    {med(view_s) * 1000:.0f} ms")
    print(f"main window constructed and shown:   {med(window_s) * 1000:.0f} ms")
    print(f"window / baseline ratio:             {med(window_s) / med(view_s):.1f}x")
    print(f"start to window (open + window):     {(med(open_s) + med(window_s)) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
