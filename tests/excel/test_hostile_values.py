"""Issue 12: numbers and text that slipped past the program — typed, imported, or in a unit list —
and the outputs (Excel, PDF) with the longest text allowed; the dry run's exit status; backups."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from db import repo
from db.engine import backup_file, daily_backup
from tests.support import xlsx as h
from tianbao.cli.main import main
from tianbao.domain import text
from tianbao.domain.checks import NumberError, parse_number
from tianbao.domain.errors import KnownError
from tianbao.domain.values import Entry
from tianbao.excel.export import export_return, export_template
from tianbao.excel.imports import apply_import, preview_import
from tianbao.excel.layout import CODE, GROUP, NUMBER
from tianbao.pdf.returns import write_blank_form_pdf, write_return_pdf
from tianbao.services import units
from tianbao.services.returns import ReturnService, SignOff

REPO = Path(__file__).resolve().parents[2]


def run(capsys, db, *args) -> tuple[int, str]:
    code = main(["--db", str(db.path or db.url), *map(str, args)])
    out = capsys.readouterr()
    return code, out.out + out.err


def _number_indicator(plan):
    return next(i for i in plan.indicators if i.kind == "count")


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["1" * 309, "-" + "9" * 400, "1" * 16, "１" * 20])
def test_a_number_beyond_the_storable_range_is_refused(typed):
    with pytest.raises(NumberError) as e:
        parse_number(typed)
    assert "超出可填写的范围" in str(e.value) and len(str(e.value)) < 200


def test_a_huge_typed_number_on_the_command_line_changes_nothing(capsys, db):
    plan = h.plan_of(db)
    ind = _number_indicator(plan)
    code, out = run(capsys, db, "enter", h.UNIT, h.PLAN_ID, h.YEAR, ind.code, "1" * 309)
    assert code == 2 and "超出可填写的范围" in out, out
    assert "Traceback" not in out
    with db.session() as s:
        ret = repo.find_return(s, repo.unit_by_code(s, h.UNIT).id, h.PLAN_ID, h.YEAR)
        assert ret is None or (ind.code, "") not in repo.entries(s, ret.id)


def test_a_huge_number_in_a_file_is_an_error_not_infinity(db, other_db, filled, tmp_path):
    plan = h.plan_of(db)
    ind = _number_indicator(plan)
    path = export_return(db, filled, tmp_path / "r.xlsx").path
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for r in range(1, ws.max_row + 1):
            if ws.cell(r, CODE).value == ind.code and ws.cell(r, GROUP).value in (None, "", "合计"):
                ws.cell(r, NUMBER).value = "1" * 309
    wb.save(path)
    (fp,) = preview_import(other_db, [path])
    assert not fp.refused
    assert any("超出可填写的范围" in i.message and i.indicator == ind.code for i in fp.issues)
    assert all(
        c.new.number is None or abs(c.new.number) <= 1e15
        for c in fp.changes
        if isinstance(c.new, Entry)
    )


# --- text --------------------------------------------------------------------------------------


def test_text_is_cleaned_of_what_xml_cannot_hold_and_trimmed():
    assert text.clean("  说明\ufffe\uffff\x01\x0b内容\r\n第二行\t \x00 ") == "说明内容\n第二行"
    assert text.one_line(" 王五\n ") == "王五"
    with pytest.raises(KnownError) as e:
        text.unit_name("县" * 101)
    assert "最多 100 个字" in str(e.value)
    with pytest.raises(KnownError):
        text.explanation("字" * 2001)


def test_xml_illegal_characters_never_reach_an_export(db, filled, tmp_path):
    plan = h.plan_of(db)
    ind = plan.indicators[0]
    svc = ReturnService(db)
    svc.save_explanation(filled, ind.code, " 原因\ufffe说明\uffff\x02 ")
    svc.save_signoff(filled, SignOff("张三 ", "\ufffe李四", "王五\x01", "123 ", None))
    units.rename_unit(db, h.UNIT, "东城\ufffe街道 ")
    with db.session() as s:
        assert repo.explanations(s, filled)[ind.code] == "原因说明"
        sign = repo.signoff_of(s.get(repo.Return, filled))
    assert (sign.unit_head, sign.stats_head, sign.filled_by, sign.phone) == (
        "张三",
        "李四",
        "王五",
        "123",
    )
    out = export_return(db, filled, tmp_path / "r.xlsx").path
    wb = openpyxl.load_workbook(out)  # malformed XML would not load
    texts = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert any(isinstance(v, str) and "东城街道" in v for v in texts)
    assert not any(isinstance(v, str) and ("\ufffe" in v or "\uffff" in v) for v in texts)


def test_the_return_s_own_export_re_imports_without_false_conflicts(db, filled, tmp_path):
    svc = ReturnService(db)
    svc.save_signoff(filled, SignOff("张三  ", " 李四", "王五\x07", "0431-1234 ", None))
    path = export_return(db, filled, tmp_path / "r.xlsx").path
    (fp,) = preview_import(db, [path])
    assert not fp.refused and not fp.conflicts, [c.label for c in fp.conflicts]
    assert not [c for c in fp.changes if c.indicator == "#签署"]


def test_the_longest_allowed_text_survives_pdf_and_excel(db, filled, tmp_path):
    plan = h.plan_of(db)
    long_name = "很长的单位名称" * 14 + "街"  # 99 characters
    long_note = ("情况说明" * 500)[: text.MAX_EXPLANATION]
    units.rename_unit(db, h.UNIT, long_name[: text.MAX_UNIT_NAME])
    svc = ReturnService(db)
    for ind in plan.indicators[:3]:
        svc.save_explanation(filled, ind.code, long_note)
    svc.save_signoff(filled, SignOff(*(["签" * text.MAX_SIGNOFF_FIELD] * 4), None))
    pdf = tmp_path / "r.pdf"
    write_return_pdf(db, filled, pdf)
    pages = PdfReader(pdf).pages
    assert len(pages) >= 1 and "很长的单位名称" in "".join(p.extract_text() for p in pages)
    blank = tmp_path / "blank.pdf"
    write_blank_form_pdf(db, h.UNIT, h.PLAN_ID, h.YEAR, blank)
    assert len(PdfReader(blank).pages) >= 1
    x = export_return(db, filled, tmp_path / "r.xlsx").path
    wb = openpyxl.load_workbook(x)
    assert any(c.value == long_note for ws in wb.worksheets for row in ws.iter_rows() for c in row)
    t = export_template(db, h.UNIT, h.PLAN_ID, h.YEAR, tmp_path / "t.xlsx").path
    openpyxl.load_workbook(t)


def test_a_unit_name_too_long_is_refused_with_a_message(db):
    with pytest.raises(KnownError) as e:
        units.add_unit(db, "T99", "名" * 101, "township", h.COUNTY)
    assert "100" in str(e.value)


def test_a_hostile_unit_list_is_refused_cleanly(db, tmp_path):
    from tests.excel.test_hostile import huge_sheet

    path = huge_sheet(tmp_path)
    before = h.dump(db)
    with pytest.raises(KnownError) as e:
        units.import_units(db, path)
    assert "范围过大" in str(e.value)
    bad = tmp_path / "units.csv"
    bad.write_bytes(b'\xef\xbb\xbf\xe4\xbb\xa3\xe7\xa0\x81,"name\n' + b"x" * 200_000)
    with pytest.raises(KnownError):
        units.import_units(db, bad)
    assert h.dump(db) == before


# --- the command line ---------------------------------------------------------------------------


def test_the_dry_run_exits_2_when_a_file_is_refused(capsys, db, filled, tmp_path):
    path = export_return(db, filled, tmp_path / "good.xlsx").path
    (tmp_path / "bad.xlsx").write_bytes(path.read_bytes()[:1000])
    code, out = run(capsys, db, "import", "--dry-run", tmp_path / "bad.xlsx")
    assert code == 2 and "已损坏" in out and "Traceback" not in out
    code, out = run(capsys, db, "import", "--dry-run", path)
    assert code == 0, out


def test_a_preview_that_says_importable_imports(db, other_db, filled, tmp_path):
    path = export_return(db, filled, tmp_path / "r.xlsx").path
    (fp,) = preview_import(other_db, [path])
    assert fp.can_apply
    assert apply_import(other_db, fp).written > 0


# --- backups -----------------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_a_backup_is_checked_before_it_gets_its_name(db, tmp_path):
    dest = backup_file(db.path, dest=tmp_path / "b" / "copy.sqlite")
    con = sqlite3.connect(dest)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
    assert not list((tmp_path / "b").glob("*.partial"))


@pytest.mark.sqlite_only
def test_a_backup_interrupted_by_a_kill_is_never_the_day_s_backup(db, tmp_path):
    """kill -9 in the middle of the first start of a day: the copy never got its name, and the
    next start makes a good one."""
    code = f"""
import os, db.engine as e
real = os.replace
def die(a, b):
    os.kill(os.getpid(), 9)
e.os.replace = die
e.daily_backup(__import__("pathlib").Path({str(db.path)!r}))
"""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=60)
    assert proc.returncode == -9
    folder = db.path.parent / "backups"
    assert not list(folder.glob("*-daily-*.sqlite"))  # only a .partial was left
    (left,) = folder.glob("*.partial")
    os.utime(left, (left.stat().st_atime - 7200, left.stat().st_mtime - 7200))
    busy = folder / f"{db.path.stem}-daily-x.sqlite.99999.partial"  # another program's copy
    busy.write_bytes(b"in progress")
    made = daily_backup(db.path)
    assert made is not None and made.suffix == ".sqlite"
    assert list(folder.glob("*.partial")) == [busy]  # the old leftover is gone, not the busy one
    con = sqlite3.connect(made)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


@pytest.mark.sqlite_only
def test_a_broken_copy_is_deleted_not_kept(db, tmp_path, monkeypatch):
    import db.engine as engine

    class Broken(sqlite3.Connection):
        def execute(self, sql, *a):
            if "integrity_check" in sql:
                return super().execute("SELECT 'row 3 missing from index'")
            return super().execute(sql, *a)

    real_connect = sqlite3.connect

    def connect(path, *a, **k):
        if str(path).endswith(".partial"):
            k["factory"] = Broken
        return real_connect(path, *a, **k)

    monkeypatch.setattr(engine.sqlite3, "connect", connect)
    with pytest.raises(KnownError) as e:
        backup_file(db.path, dest=tmp_path / "b" / "copy.sqlite")
    assert "完整性检查" in str(e.value)
    assert not (tmp_path / "b" / "copy.sqlite").exists()
    assert not list((tmp_path / "b").glob("*"))
