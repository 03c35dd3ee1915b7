"""A folder of returns: matched in the readers, applied in one transaction with a savepoint per
file, imported as it is read (issue 19) — the same result as file by file."""

from __future__ import annotations

import zipfile

import openpyxl
from sqlalchemy import select

from db import repo
from db.models import Audit, Return
from tests.support import xlsx as h
from tianbao.excel import xmlscan
from tianbao.excel.export import export_return
from tianbao.excel.imports import (
    EXPLANATION,
    ImportError_,
    apply_import,
    apply_imports,
    import_files,
    preview_file,
    preview_import,
)
from tianbao.excel.layout import SIGNOFF_KEY


def _folder(db, filled, tmp_path, units=("T01", "T02", "T03")):
    """The same filled return exported for each unit (its code in the hidden sheet changed)."""
    folder = tmp_path / "收到的报表"
    folder.mkdir()
    out = export_return(db, filled, tmp_path / "r.xlsx")
    paths = []
    for code in units:
        wb = openpyxl.load_workbook(out.path)
        meta = wb["_tianbao"]
        for row in meta.iter_rows():
            for c in row:
                if c.value == h.UNIT:
                    c.value = code
        path = folder / f"{code}.xlsx"
        wb.save(path)
        paths.append(path)
    return folder, paths


def _state(db):
    with db.session() as s:
        returns = {
            (r.unit_id, r.year): (repo.entries(s, r.id), repo.explanations(s, r.id))
            for r in s.scalars(select(Return))
        }
        unit_of = {r.id: r.unit_id for r in s.scalars(select(Return))}
        audits = sorted(
            (unit_of[a.return_id], a.indicator, a.cell, a.new, a.user, a.source_file)
            for a in s.scalars(select(Audit))
            if a.action == "value"
        )
    return returns, audits


def test_previews_matched_in_the_readers_equal_those_matched_here(db, other_db, filled, tmp_path):
    folder, paths = _folder(db, filled, tmp_path)
    in_readers = preview_import(other_db, [folder])  # the plans sent to the readers
    here = [preview_file(other_db, p) for p in paths]  # the sheets sent back, matched here
    assert [p.can_apply for p in in_readers] == [True, True, True]
    for a, b in zip(in_readers, here, strict=True):
        assert a.changes == b.changes and a.issues == b.issues and a.mapping == b.mapping
        assert a.signoff == b.signoff and a.fingerprint == b.fingerprint
        assert list(a.findings) == list(b.findings) and a.findings


def test_a_folder_applied_together_equals_file_by_file(db, other_db, filled, tmp_path):
    folder, _paths = _folder(db, filled, tmp_path)
    for p in preview_import(db, [folder]):  # db: one file at a time, as before
        if p.can_apply:
            apply_import(db, p, user="县统计局")
    todo = [(p, None, False) for p in preview_import(other_db, [folder])]
    results = list(apply_imports(other_db, todo, user="县统计局"))
    assert [type(r).__name__ for _p, r in results] == ["ImportResult"] * 3
    assert all(r.written > 0 for _p, r in results if _p.unit_code != h.UNIT)
    mine, theirs = _state(db), _state(other_db)
    assert theirs[0] == mine[0]  # the same values and explanations in every return
    with other_db.session() as s:
        t01 = repo.unit_by_code(s, h.UNIT).id
    # the same history for the files both imported, every value with the real user
    assert [a for a in theirs[1] if a[0] != t01] == [a for a in mine[1] if a[0] != t01]
    assert {a[4] for a in theirs[1]} == {"县统计局"} and len(theirs[1]) > 3


def test_a_file_refused_half_way_rolls_back_to_its_savepoint_and_the_others_stay(
    other_db, db, filled, tmp_path
):
    folder, _paths = _folder(db, filled, tmp_path)
    plans = preview_import(other_db, [folder])
    # T02's return is typed into meanwhile: its preview's old values are no longer true.
    with other_db.session() as s:
        unit = repo.unit_by_code(s, "T02")
        ret = repo.get_or_create_return(s, unit, h.PLAN_ID, plans[1].plan_version, h.YEAR)
        c = next(
            c
            for c in plans[1].changes
            if c.kind == "new" and c.cell != EXPLANATION and c.indicator != SIGNOFF_KEY
        )
        repo.set_entries(s, ret, [(c.indicator, c.cell, c.new)])
    before = _state(other_db)
    results = list(apply_imports(other_db, [(p, None, False) for p in plans], user="甲"))
    (_a, first), (_b, second), (_c, third) = results
    assert isinstance(second, ImportError_) and "已被修改" in str(second)
    assert first.written > 0 and third.written > 0
    after = _state(other_db)
    with other_db.session() as s:
        t02 = repo.find_return(s, repo.unit_by_code(s, "T02").id, h.PLAN_ID, h.YEAR).id
        assert repo.imported_file(s, plans[1].sha256) is None  # nothing of T02's file
        assert repo.imported_file(s, plans[0].sha256) is not None
        t02_unit = repo.unit_by_code(s, "T02").id
    assert [a for a in after[1] if a[0] == t02_unit] == [a for a in before[1] if a[0] == t02_unit]
    assert after[0][(t02_unit, h.YEAR)] == before[0][(t02_unit, h.YEAR)]
    assert t02


def test_a_folder_imported_as_it_is_read_refuses_a_bad_file_and_goes_on(
    db, other_db, filled, tmp_path
):
    folder, _paths = _folder(db, filled, tmp_path)
    (folder / "T015.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    results = list(import_files(other_db, [folder], user="乙"))
    names = [p.name for p, _r in results]
    assert names == ["T01.xlsx", "T015.xlsx", "T02.xlsx", "T03.xlsx"]
    bad = results[1][1]
    assert isinstance(bad, ImportError_) and "T015.xlsx" in str(bad)
    assert all(r.written > 0 for p, r in results if p.name != "T015.xlsx")
    # imported again: every file is known, nothing written twice
    again = list(import_files(other_db, [folder], user="乙"))
    assert all(r.nothing_to_do for p, r in again if p.name != "T015.xlsx")


def _sheet_xml(path):
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml")


def _slow(content, percent=frozenset()):
    scan = xmlscan._SheetScan("f.xlsx", "xl/worksheets/sheet1.xml", set(percent))
    xmlscan.parse_xml("f.xlsx", "sheet", content, scan.start, scan.end)
    return scan.area, scan.percent, scan.formulas


_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="2"><v>0.5</v></c></row>'
    b'<row r="3"><c r="C3"><f>A1+B1</f><v>1</v></c><c r="D3" s="2" t="n" /></row>'
    b"</sheetData></worksheet>"
)


def test_the_quick_sheet_measure_agrees_with_expat_or_leaves_it_to_expat(db, filled, tmp_path):
    usual = _sheet_xml(export_return(db, filled, tmp_path / "r.xlsx").path)
    variants = {
        "export": usual,
        "usual": _SHEET,
        "prefixed": _SHEET.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>"),
        "lower case": _SHEET.replace(b'<c r="A1"', b'<c r="a1"'),
        "no reference": _SHEET.replace(b'<c r="D3"', b"<c"),
        "order": _SHEET.replace(b'<c r="B1" s="2"', b'<c s="2" r="B1"'),
        "comment": _SHEET.replace(b"<sheetData>", b'<!-- <c r="XFD9"/> --><sheetData>'),
        "cdata": _SHEET.replace(b"<v>0</v>", b'<v><![CDATA[<c r="XFD9"/>]]></v>'),
        "instruction": _SHEET.replace(b"<sheetData>", b'<?pi <c r="XFD9"/>?><sheetData>'),
        "far": _SHEET.replace(b"</sheetData>", b'<row r="99"><c r="ZZ99"/></row></sheetData>'),
        "beyond Excel": _SHEET.replace(b'<c r="D3"', b'<c r="ZZZ3"'),
        "bad row": _SHEET.replace(b'<row r="3"', b'<row r="x3"'),
        "malformed": _SHEET.replace(b"</row></sheetData>", b"</sheetData>"),
    }
    for what, content in variants.items():
        try:
            expected = _slow(content, {2})
        except ImportError_ as e:
            expected = type(e)
        quick = xmlscan._fast_scan("f.xlsx", "sheet", content, {2}, 0)
        if quick is None:  # left to the element-by-element scan, which gives `expected`
            assert what not in ("export", "usual", "far"), what
            continue
        assert (quick.area, quick.percent, quick.formulas) == expected, what
    quick = xmlscan._fast_scan("f.xlsx", "sheet", _SHEET, {2}, 0)
    pos = xmlscan.pos_key
    assert quick.area == 12 and quick.percent == {pos(0, 1), pos(2, 3)}
    assert quick.formulas == {pos(2, 2)}


def test_a_dry_run_stopped_by_its_progress_returns_the_files_so_far(db, other_db, filled, tmp_path):
    folder, _paths = _folder(db, filled, tmp_path)
    seen = []

    def progress(done, total, fp):
        seen.append((done, total, fp.name))
        return done < 2  # the cancel button, after the second file

    plans = preview_import(other_db, [folder], progress=progress)
    assert [p.name for p in plans] == ["T01.xlsx", "T02.xlsx"]
    assert seen == [(1, 3, "T01.xlsx"), (2, 3, "T02.xlsx")]


def test_the_heap_is_frozen_only_while_a_folder_is_read(db, other_db, filled, tmp_path):
    import gc

    from tianbao.excel.imports import iter_previews

    folder, _paths = _folder(db, filled, tmp_path)
    assert gc.get_freeze_count() == 0
    assert all(r.written > 0 for _p, r in import_files(other_db, [folder], user="乙"))
    assert gc.get_freeze_count() == 0
    previews = iter_previews(other_db, [folder], reimport=True)
    first = next(previews)
    assert first.name == "T01.xlsx" and gc.get_freeze_count() > 0  # what existed: left alone
    previews.close()  # stopped half-way: unfrozen too
    assert gc.get_freeze_count() == 0
    assert len(preview_import(other_db, [folder])) == 3 and gc.get_freeze_count() == 0
