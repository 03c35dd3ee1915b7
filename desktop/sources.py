"""Where the data comes from: 我的数据 (the user's own database), 演示数据 (the demonstration), or
another database file — kept apart, so the demonstration never mixes with a user's real units.

The start dialog and 文件 → 切换报表 open a source through this object; it keeps each database it
opened until one is chosen and closes the others (``release``).
"""

from __future__ import annotations

from pathlib import Path

from db.engine import Database, default_db_path, demo_db_path, open_database

OWN, DEMO, FILE = "own", "demo", "file"


def _same(a: Path | None, b: Path | None) -> bool:
    if a is None or b is None:
        return False
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a == b


class DataSources:
    def __init__(
        self,
        own: str | Path | None = None,
        demo: Path | None = None,
        *,
        backups: bool = True,
    ) -> None:
        # ``own`` may be a SQLAlchemy URL (a shared server): then it is kept as text.
        self.own = own or default_db_path()
        self.demo = demo or demo_db_path()
        self.backups = backups
        self._open: list[Database] = []

    # --- what a database is ------------------------------------------------------------------

    def is_demo(self, db: Database) -> bool:
        return _same(db.path, Path(self.demo))

    def kind(self, db: Database) -> str:
        if self.is_demo(db):
            return DEMO
        own = self.own
        if isinstance(own, Path) or (isinstance(own, str) and "://" not in own):
            return OWN if _same(db.path, Path(own)) else FILE
        return OWN if db.url == own else FILE

    # --- opening ------------------------------------------------------------------------------

    def adopt(self, db: Database) -> Database:
        if db not in self._open:
            self._open.append(db)
        return db

    def _find(self, path: Path) -> Database | None:
        return next((d for d in self._open if _same(d.path, path)), None)

    def open_own(self) -> Database:
        own = self.own
        if isinstance(own, str) and "://" in own:
            found = next((d for d in self._open if d.url == own), None)
            return found or self.adopt(open_database(own, backups=self.backups))
        return self._find(Path(own)) or self.adopt(open_database(own, backups=self.backups))

    def open_demo(self) -> Database:
        """The demonstration database, made on first use (a district, 11 townships, 3 years)."""
        from tianbao.services.demo import make_demo
        from tianbao.services.units import list_units

        db = self._find(Path(self.demo)) or self.adopt(
            open_database(self.demo, backups=self.backups)
        )
        if not list_units(db):
            make_demo(db)
        return db

    def open_file(self, path: str | Path) -> Database:
        """Another database file (a colleague's copy, a backup); it becomes 我的数据 if chosen."""
        path = Path(path)
        return self._find(path) or self.adopt(open_database(path, backups=self.backups))

    def release(self, keep: Database) -> None:
        """Close every database opened here except the one in use."""
        for db in list(self._open):
            if db is not keep:
                db.close()
                self._open.remove(db)
        self.adopt(keep)

    def close_all(self) -> None:
        for db in self._open:
            db.close()
        self._open.clear()
