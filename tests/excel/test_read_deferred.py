"""The sheets a return carries only for people to read (填报说明, 指标解释, 情况说明) are left closed
when a reader matches one of our own workbooks (issue 19): the same content as reading every
sheet, and every other workbook read whole."""

from __future__ import annotations

import pickle
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from db.plans import latest_plans
from tests.support import xlsx as h
from tianbao.excel import readfile, sandbox
from tianbao.excel.export import export_return, export_template
from tianbao.excel.layout import META_SHEET, READ_ONLY_SHEETS
from tianbao.excel.read import read_workbook
from tianbao.excel.readfile import _CLOSED as CLOSED
from tianbao.excel.readfile import PlanSet, _read_matched
from tianbao.excel.safety import ImportError_, open_safely
from tianbao.services.returns import ReturnService, SignOff


@pytest.fixture
def plans(db, monkeypatch):
    """The plans a folder is matched to, installed as a reader process has them."""
    with db.session() as s:
        ps = PlanSet(latest_plans(s))
    key, blob = ps.context
    monkeypatch.setattr(sandbox, "_context", (key, pickle.loads(blob)))
    return key


def _whole(path: Path, closed=None):
    """A reader that ignores ``closed``: every sheet read, as before issue 19."""
    return read_workbook(path)


def _same(a, b) -> None:
    assert a.refused == b.refused
    assert a.meta == b.meta
    ca, cb = a.content, b.content
    assert ca is not None and cb is not None
    for field in ("values", "explanations", "where", "issues", "mapping", "matched_by", "signoff"):
        assert getattr(ca, field) == getattr(cb, field), field
    assert replace(a.book, deferred=()) == b.book


def _rid(workbook_xml: bytes, sheet: str) -> str:
    """The relationship id of a sheet in xl/workbook.xml."""
    return re.search(rf'name="{sheet}"[^>]*r:id="([^"]+)"', workbook_xml.decode()).group(1)


def _sign(src: Path, dest: Path) -> Path:
    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value == "填表人：":
                    ws.cell(row=c.row, column=c.column + 2).value = "王五"
    wb.save(dest)
    return dest


def test_an_exported_return_reads_the_same_with_its_reading_sheets_closed(
    db, filled, plans, tmp_path
):
    ReturnService(db).save_signoff(filled, SignOff("张三", "李四", "", "0434-5221234", None))
    path = _sign(export_return(db, filled, tmp_path / "r.xlsx").path, tmp_path / "signed.xlsx")
    closed = _read_matched(path, plans)
    assert set(closed.book.deferred) == READ_ONLY_SHEETS
    whole = _read_matched(path, plans, _whole)
    assert whole.book.deferred == ()
    _same(closed, whole)
    assert closed.content.signoff.filled_by == "王五"
    assert closed.content.values and closed.content.explanations


def test_a_filled_template_reads_the_same(db, plan, entries, plans, tmp_path):
    blank = export_template(db, h.UNIT, h.PLAN_ID, h.YEAR, tmp_path / "blank.xlsx")
    h.fill_template(blank.path, tmp_path / "filled.xlsx", plan, entries)
    closed = _read_matched(tmp_path / "filled.xlsx", plans)
    assert set(closed.book.deferred) == READ_ONLY_SHEETS
    _same(closed, _read_matched(tmp_path / "filled.xlsx", plans, _whole))
    assert len(closed.content.values) == len(entries)


def test_a_workbook_without_the_hidden_sheet_is_read_whole(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "指标解释"  # a colleague's own sheet that happens to have the name
    wb.active.append(["指标名称", "本年值"])
    wb.active.append(["孕产妇死亡率", 9.5])
    wb.save(tmp_path / "own.xlsx")
    book, sheets = read_workbook(tmp_path / "own.xlsx", CLOSED)
    assert book.deferred == ()
    assert [s.name for s in sheets] == ["指标解释"] and sheets[0].rows[1] == ["孕产妇死亡率", 9.5]


def test_a_reading_sheet_that_shares_its_part_with_a_data_sheet_is_read(db, filled, tmp_path):
    """A workbook whose 指标解释 entry points at a domain sheet's part: the part is checked and
    parsed (for the domain sheet), so neither sheet is left closed."""
    src = export_return(db, filled, tmp_path / "r.xlsx").path
    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    rid = _rid(parts["xl/workbook.xml"], "指标解释")
    # point 指标解释's relationship at sheet1.xml (the first domain sheet)
    parts["xl/_rels/workbook.xml.rels"] = re.sub(
        rf'Target="[^"]*" Id="{rid}"'.encode(),
        f'Target="/xl/worksheets/sheet1.xml" Id="{rid}"'.encode(),
        parts["xl/_rels/workbook.xml.rels"],
    )
    with zipfile.ZipFile(tmp_path / "shared.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    book, sheets = read_workbook(tmp_path / "shared.xlsx", CLOSED)
    names = [s.name for s in sheets]
    assert "指标解释" not in book.deferred and "指标解释" in names
    first = next(s for s in sheets if s.index == 0)
    assert next(s for s in sheets if s.name == "指标解释").rows == first.rows
    assert META_SHEET in names


def test_a_damaged_reading_sheet_is_still_a_damaged_file(db, filled, tmp_path):
    """Closed is not unchecked for integrity: the part is unpacked (its checksum verified)."""
    src = export_return(db, filled, tmp_path / "r.xlsx").path
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as z:
        rid = _rid(z.read("xl/workbook.xml"), "指标解释")
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        target = re.search(rf'Target="([^"]*)" Id="{rid}"', rels).group(1)
        info = z.getinfo(target.lstrip("/"))
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 10, start + min(info.compress_size, 60)):
        data[k] ^= 0x5A
    (tmp_path / "broken.xlsx").write_bytes(bytes(data))
    with pytest.raises(ImportError_, match="已损坏"):
        open_safely(tmp_path / "broken.xlsx", CLOSED)


def test_a_file_of_a_plan_not_matched_in_the_reader_comes_back_with_every_sheet(
    db, filled, tmp_path, monkeypatch
):
    path = export_return(db, filled, tmp_path / "r.xlsx").path
    monkeypatch.setattr(sandbox, "_context", ("no-plans", {}))
    got = _read_matched(path, "no-plans")
    assert got.content is None and got.book.deferred == ()
    assert READ_ONLY_SHEETS <= {s.name for s in got.sheets}


def test_the_import_reads_through_the_closed_path(db, other_db, filled, entries, tmp_path):
    """End to end: in a reader process the reading sheets are left closed, and the import of
    the file writes every value."""
    from tianbao.excel.imports import apply_import, preview_import

    path = export_return(db, filled, tmp_path / "r.xlsx").path
    with db.session() as s:
        read = readfile.read_file(path, PlanSet(latest_plans(s)))
    assert read.content is not None and set(read.book.deferred) == READ_ONLY_SHEETS
    (fp,) = preview_import(other_db, [path])
    assert fp.can_apply, (fp.refused, fp.blocking)
    assert apply_import(other_db, fp).written == len(entries)
