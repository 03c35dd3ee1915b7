"""The import preview checks a return against the year before (one query finds both years' returns)."""

from __future__ import annotations

from dataclasses import replace

from tests.support import xlsx as h
from tianbao.excel.export import export_template
from tianbao.excel.imports import preview_import


def _year_on_year(fp) -> list[str]:
    return [f.message for _c, _cell, f in fp.findings if "比上年" in f.message]


def test_the_preview_checks_the_file_against_the_year_before(db, other_db, plan, entries, tmp_path):
    blank = export_template(db, h.UNIT, h.PLAN_ID, h.YEAR, tmp_path / "blank.xlsx")
    h.fill_template(blank.path, tmp_path / "filled.xlsx", plan, entries)
    # Without a return the year before, nothing to compare with.
    (alone,) = preview_import(other_db, [tmp_path / "filled.xlsx"])
    assert alone.return_id is None and not _year_on_year(alone)

    before = {
        k: replace(e, number=e.number * 3 + 50) if e.number is not None else e
        for k, e in entries.items()
    }
    h.fill_return(db, h.UNIT, h.YEAR - 1, before, {})
    (fp,) = preview_import(db, [tmp_path / "filled.xlsx"])
    assert fp.return_id is None  # this year's return does not exist yet
    assert _year_on_year(fp)
    assert fp.fingerprint == alone.fingerprint == fp.fingerprint_after

    # With this year's return there too, both are found.
    rid = h.fill_return(db, h.UNIT, h.YEAR, {}, {})
    (again,) = preview_import(db, [tmp_path / "filled.xlsx"])
    assert again.return_id == rid and _year_on_year(again) == _year_on_year(fp)
