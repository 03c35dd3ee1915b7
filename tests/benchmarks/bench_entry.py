"""Benchmark: a value typed in the entry grid of the largest plan, from Enter to the repainted row.

A script, not a test (pytest collects test_*.py only); no pytest-qt:

    python tests/benchmarks/bench_entry.py [--times 15]

It opens the real main window offscreen on a return of the largest built-in plan with every cell
filled, opens the editor of a numeric cell, types a new value, and times Enter (QTest key event:
setData, the save with its expected old value, checks, the row refresh through Qt) until the
events it posted — the repaint of the rows it changed — have been processed.  Baseline in the same run: the same keys with the value the cell
already holds (nothing saved: Qt's own editor commit and repaint).  Also printed: the service
alone as the window uses it (save_entry + refreshed: the changed rows read again) and, for
comparison, save_entry + the whole return read again.  Goal (issue 19): under 20 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from db import repo
from db.engine import open_database
from db.models import Return
from desktop.entry_model import COL_VALUE
from tests.benchmarks.bench_import import entry_for, largest_plan
from tianbao.domain.values import Entry, cells_of
from tianbao.services.returns import ReturnService

YEAR = 2024


def setup(path: Path):
    db = open_database(path, backups=False)
    with db.session() as s:
        repo.add_unit(s, "C", "基准县", "county")
        repo.add_unit(s, "T", "基准街道", "township", "C")
    plan = largest_plan(db)
    svc = ReturnService(db, user="bench")
    rid = svc.open("T", plan.id, YEAR).id
    rng = random.Random(1)
    with db.session() as s:
        r = s.get(Return, rid)
        items = [
            (ind.code, cell, entry_for(ind, rng))
            for ind in plan.indicators
            for cell, _label in cells_of(ind)
        ]
        repo.set_entries(s, r, items)
    code = next(i.code for i in plan.indicators if i.kind == "count" and not i.disaggregation)
    return db, svc, rid, code


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--times", type=int, default=15)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    from desktop.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp:
        db, svc, rid, code = setup(Path(tmp) / "bench.sqlite")
        w = MainWindow(db, rid)
        w.resize(1366, 768)
        w.show()
        app.processEvents()
        grid, model = w.grid, w.model

        def goto() -> None:
            w.grid.delegate.commit_open_editor()
            ind = w.view.plan.indicator(code)
            domain = next(i for i, d in enumerate(w.view.plan.domains) if ind in d.indicators)
            if w.nav.currentRow() != domain:
                w.nav.setCurrentRow(domain)
                app.processEvents()
            src = model.index(model.row_of(code), COL_VALUE)
            proxy = grid.model().mapFromSource(src) if grid.model() is not model else src
            grid.setCurrentIndex(proxy)
            grid.setFocus()
            QTest.keyClick(grid, Qt.Key.Key_F2)
            app.processEvents()

        def typed(text: str) -> float:
            goto()
            editor = QApplication.focusWidget()
            editor.selectAll() if hasattr(editor, "selectAll") else None
            QTest.keyClicks(editor, text)
            t0 = time.perf_counter()
            QTest.keyClick(editor, Qt.Key.Key_Return)
            app.processEvents()  # the posted update requests: the changed rows are repainted
            app.processEvents()
            return time.perf_counter() - t0

        def stored() -> float | None:
            with db.session() as s:
                return repo.entries(s, rid)[(code, "")].number

        base, save = [], []
        for k in range(args.times):
            now = stored()
            base.append(typed(f"{now:g}"))  # the value it holds: nothing is saved
            save.append(typed(str(100 + k)))
            assert stored() == 100 + k, "the typed value was not saved"
        service, whole = [], []
        view = svc.view(rid)
        for k in range(args.times):
            t0 = time.perf_counter()
            svc.save_entry(rid, code, "", Entry(number=500.0 + k))
            view = svc.refreshed(view, [code])  # what the window does: the changed rows
            service.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            svc.save_entry(rid, code, "", Entry(number=700.0 + k))
            view = svc.view(rid)  # the whole return read again (before issue 19)
            whole.append(time.perf_counter() - t0)
        rows = sum(len(cells_of(i)) for i in w.view.plan.indicators)
        b, s, v, a = (statistics.median(x) * 1000 for x in (base, save, service, whole))
        print(f"plan {w.view.plan.id}: {rows} grid rows, indicator {code}")
        print(
            f"{'baseline ms':>12} {'typed ms':>9} {'ratio':>6} {'service ms':>11}"
            f" {'save+whole view ms':>19}"
        )
        print(f"{b:>12.1f} {s:>9.1f} {s / b:>6.1f} {v:>11.1f} {a:>19.1f}")
        w.close()
        db.close()


if __name__ == "__main__":
    main()
