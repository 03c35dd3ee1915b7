"""Start the program offscreen on a fresh demonstration database and save PNG screenshots.

python -m desktop.screenshots docs/screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main(out: str = "docs/screenshots", lang: str = "zh") -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from db.engine import open_database
    from desktop.app import install_language, make_app
    from desktop.main_window import MainWindow
    from tianbao.services.demo import DEMO_PLAN, DISTRICT, TOWNSHIPS, demo_years, make_demo
    from tianbao.services.returns import ReturnService

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    app = make_app()
    install_language(app, lang)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "demo.sqlite", backups=False)
        make_demo(db)
        from tianbao.services.plans import get_plan

        year = demo_years(get_plan(db, DEMO_PLAN))[-1]
        svc = ReturnService(db)
        # A township return that still has warnings to explain, if there is one.
        rid = None
        for code, _name in TOWNSHIPS:
            info = svc.open(code, DEMO_PLAN, year)
            if info.status == "draft":
                rid = info.id
                break
        rid = rid or svc.open(TOWNSHIPS[0][0], DEMO_PLAN, year).id
        w = MainWindow(db, rid, english=lang == "en")
        w.resize(1366, 768)
        w.show()
        app.processEvents()
        w.grid.select_cell(w.model.row_of(w.view.plan.domains[0].indicators[2].code))
        app.processEvents()
        suffix = "" if lang == "zh" else f"-{lang}"
        w.grab().save(str(folder / f"entry{suffix}.png"))
        district = svc.open(DISTRICT[0], DEMO_PLAN, year).id
        w.open_return(district)
        w.tabs.setCurrentWidget(w.overview)
        app.processEvents()
        w.grab().save(str(folder / f"overview{suffix}.png"))
        w.close()
        db.close()
    print(f"screenshots saved in {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
