"""The signature footer (单位负责人 … 报出日期) read back on import: found by its labels, compared
field by field, applied only when accepted, never on a submitted return, outside the fingerprint."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

import openpyxl
import pytest
from sqlalchemy import select

from db.models import Audit, Return
from tests.support import xlsx as h
from tianbao.domain.fingerprint import fingerprint, view_fingerprint
from tianbao.excel.export import export_return, export_template
from tianbao.excel.imports import (
    SIGNOFF_KEY,
    ImportError_,
    accept_all_but_conflicts,
    apply_import,
    preview_import,
    summary_lines,
)
from tianbao.excel.layout import META_SHEET, SIGNOFF
from tianbao.excel.signoff import parse_date
from tianbao.services.returns import ReturnService, SignOff

LABEL = dict(SIGNOFF)
SIGNED = SignOff("张三", "李四", "王五", "0434-5221234", date(2025, 1, 15))


def _footer_cells(ws):
    """{field: (row, value column)} of an exported domain sheet's footer."""
    out = {}
    by_text = {f"{label}：": key for key, label in SIGNOFF}
    for row in ws.iter_rows():
        for c in row:
            key = by_text.get(c.value) if isinstance(c.value, str) else None
            if key:
                merged = next((m for m in ws.merged_cells.ranges if c.coordinate in m), None)
                out[key] = (c.row, (merged.max_col if merged else c.column) + 1)
    return out


def _sign(src, dest, values: dict, sheets: slice = slice(0, 1)):
    """Fill the footer of the first domain sheet (or of ``sheets``) as a colleague would."""
    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets[:-4][sheets]:
        cells = _footer_cells(ws)
        for key, value in values.items():
            r, c = cells[key]
            ws.cell(row=r, column=c).value = value
    wb.save(dest)
    return dest


def _filled_template(db, plan, entries, tmp_path, name="filled.xlsx"):
    blank = export_template(db, h.UNIT, h.PLAN_ID, h.YEAR, tmp_path / "blank.xlsx")
    h.fill_template(blank.path, tmp_path / name, plan, entries)
    return tmp_path / name


def _signoff(db, unit=h.UNIT):
    return ReturnService(db).open(unit, h.PLAN_ID, h.YEAR).signoff


@pytest.mark.parametrize(
    "typed",
    [
        date(2025, 1, 15),
        datetime(2025, 1, 15, 9, 30),
        45672,
        "2025年1月15日",
        "2025-01-15",
        "2025/1/15",
        "２０２５年１月１５日",
        " 2025 年 1 月 15 日 ",
        "2025.01.15",
    ],
)
def test_a_filled_template_imports_the_signoff(db, plan, entries, tmp_path, typed):
    filled = _filled_template(db, plan, entries, tmp_path)
    path = _sign(
        filled,
        tmp_path / "signed.xlsx",
        {
            "unit_head": "张三",
            "stats_head": "李四",
            "filled_by": "王五",
            "phone": "0434-5221234",
            "report_date": typed,
        },
    )
    (fp,) = preview_import(db, [path])
    assert fp.signoff == SIGNED and not fp.blocking
    assert {c.cell: c.kind for c in fp.signoff_changes} == {key: "new" for key, _ in SIGNOFF}
    date_change = next(c for c in fp.signoff_changes if c.cell == "report_date")
    assert date_change.new == "2025-01-15" and re.fullmatch(r".+!J\d+", date_change.where)
    text = "\n".join(summary_lines(fp))
    assert "签署栏：单位负责人 张三" in text and "签署栏 报出日期" in text
    result = apply_import(db, fp, user="县统计局")
    assert result.signed == 5 and result.written == len(entries)
    assert _signoff(db) == SIGNED
    rid = result.return_id
    with db.session() as s:
        (a,) = s.scalars(select(Audit).where(Audit.return_id == rid, Audit.action == "signoff"))
    assert (a.source, a.source_file, a.source_hash, a.user) == (
        "imported",
        "signed.xlsx",
        fp.sha256,
        "县统计局",
    )
    assert "王五" in a.new and a.old == repr(SignOff())
    # Importing the same file again changes nothing.
    before = h.dump(db)
    (again,) = preview_import(db, [path])
    assert again.nothing_to_do and apply_import(db, again).nothing_to_do
    assert h.dump(db) == before


def test_the_fingerprint_covers_the_values_only(db, other_db, plan, entries, tmp_path):
    plain = _filled_template(db, plan, entries, tmp_path)
    signed = _sign(
        plain, tmp_path / "signed.xlsx", {"filled_by": "王五", "report_date": "2025-01-15"}
    )
    (a,) = preview_import(db, [plain])
    (b,) = preview_import(other_db, [signed])
    expected = fingerprint(h.PLAN_ID, plan.version, h.UNIT, h.YEAR, entries)
    assert a.fingerprint == b.fingerprint == a.fingerprint_after == b.fingerprint_after == expected
    assert a.signoff == SignOff() and not a.signoff_changes and len(b.signoff_changes) == 2
    ra, rb = apply_import(db, a), apply_import(other_db, b)
    assert ra.fingerprint == rb.fingerprint == expected
    assert view_fingerprint(ReturnService(other_db).view(rb.return_id)) == expected


def test_only_a_signoff_to_import(db, plan, filled, tmp_path):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    path = _sign(out.path, tmp_path / "signed.xlsx", {"phone": 13943412345})
    (fp,) = preview_import(db, [path])
    assert [(c.key, c.kind, c.new) for c in fp.changes] == [
        ((SIGNOFF_KEY, "phone"), "new", "13943412345")
    ]
    assert fp.can_apply and not fp.findings
    r = apply_import(db, fp)
    assert (r.written, r.signed) == (0, 1) and _signoff(db).phone == "13943412345"


def test_a_conflict_is_not_taken_unless_chosen(db, plan, entries, tmp_path):
    rid = ReturnService(db).open(h.UNIT, h.PLAN_ID, h.YEAR).id
    ReturnService(db).save_signoff(rid, SignOff(filled_by="赵六", phone="111"))
    filled = _filled_template(db, plan, entries, tmp_path)
    path = _sign(
        filled, tmp_path / "signed.xlsx", {"filled_by": "王五", "unit_head": "张三", "phone": "111"}
    )
    (fp,) = preview_import(db, [path])
    kinds = {c.cell: c.kind for c in fp.signoff_changes}
    assert kinds == {"filled_by": "conflict", "unit_head": "new"}  # the same phone is no change
    conflict = next(c for c in fp.conflicts if c.indicator == SIGNOFF_KEY)
    assert (conflict.old, conflict.new, conflict.label) == (
        "赵六",
        "王五",
        f"签署栏 {LABEL['filled_by']}",
    )
    assert "冲突" in "\n".join(summary_lines(fp))
    apply_import(db, fp, accept=accept_all_but_conflicts(fp))
    assert _signoff(db) == SignOff(unit_head="张三", filled_by="赵六", phone="111")
    # Chosen: the file's 填表人 is taken (the file was imported; plan it again to decide again).
    (again,) = preview_import(db, [path], reimport=True)
    assert [c.key for c in again.changes] == [(SIGNOFF_KEY, "filled_by")]
    apply_import(db, again, accept={(SIGNOFF_KEY, "filled_by")})
    assert _signoff(db).filled_by == "王五"


def test_three_way_with_the_signoff_as_exported(db, other_db, plan, filled, tmp_path):
    svc = ReturnService(db)
    svc.save_signoff(filled, SIGNED)
    out = export_return(db, filled, tmp_path / "r.xlsx")
    # Here after the export: the unit head changes.  In the file: the phone changes.
    svc.save_signoff(filled, replace(SIGNED, unit_head="新领导"))
    path = _sign(out.path, tmp_path / "back.xlsx", {"phone": "0434-5220000"}, slice(None))
    (fp,) = preview_import(db, [path])
    kinds = {c.cell: c for c in fp.signoff_changes}
    assert set(kinds) == {"unit_head", "phone"}
    assert kinds["phone"].kind == "changed" and kinds["phone"].old == SIGNED.phone
    assert kinds["unit_head"].kind == "conflict" and kinds["unit_head"].untouched
    apply_import(db, fp, accept=accept_all_but_conflicts(fp))
    assert _signoff(db) == replace(SIGNED, unit_head="新领导", phone="0434-5220000")
    # Elsewhere (an empty return) the whole footer is new; the date survives the round trip.
    (elsewhere,) = preview_import(other_db, [out.path])
    assert elsewhere.signoff == SIGNED and len(elsewhere.signoff_changes) == 5


def test_older_files_without_the_signoff_in_the_hidden_sheet(db, plan, filled, tmp_path):
    svc = ReturnService(db)
    svc.save_signoff(filled, SIGNED)
    out = export_return(db, filled, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(out.path)
    meta = wb[META_SHEET]
    rows = [
        r
        for r in range(1, meta.max_row + 1)
        if str(meta.cell(r, 1).value or "").startswith("signoff_")
    ]
    assert len(rows) == 5
    meta.delete_rows(rows[0], len(rows))
    for ws in wb.worksheets[:-4]:
        r, c = _footer_cells(ws)["phone"]
        ws.cell(row=r, column=c).value = "0434-5220000"
    wb.save(tmp_path / "old.xlsx")
    (fp,) = preview_import(db, [tmp_path / "old.xlsx"])
    assert not fp.refused
    # Without the footer as exported, a field differing from this database is a conflict.
    assert [(c.cell, c.kind) for c in fp.signoff_changes] == [("phone", "conflict")]


def test_a_submitted_return_refuses_a_signoff(db, plan, filled, tmp_path):
    svc = ReturnService(db)
    svc.save_signoff(filled, SIGNED)
    out = export_return(db, filled, tmp_path / "r.xlsx")
    with db.session() as s:
        s.get(Return, filled).status = "submitted"
    path = _sign(out.path, tmp_path / "back.xlsx", {"filled_by": "王五五"})
    (fp,) = preview_import(db, [path])
    assert [c.cell for c in fp.changes] == ["filled_by"]
    assert any("已报送" in i.message for i in fp.blocking) and not fp.can_apply
    before = h.dump(db)
    with pytest.raises(ImportError_, match="不能导入"):
        apply_import(db, fp)
    with pytest.raises(ImportError_, match="解锁"):  # even with the plan's blocking issue gone
        apply_import(db, replace(fp, issues=()))
    assert h.dump(db) == before


def test_a_signoff_changed_after_the_preview_refuses_the_file(db, plan, entries, tmp_path):
    path = _sign(
        _filled_template(db, plan, entries, tmp_path), tmp_path / "s.xlsx", {"filled_by": "王五"}
    )
    (fp,) = preview_import(db, [path])
    rid = ReturnService(db).open(h.UNIT, h.PLAN_ID, h.YEAR).id
    ReturnService(db).save_signoff(rid, SignOff(filled_by="赵六"))
    before = h.dump(db)
    with pytest.raises(ImportError_, match="重新预览"):
        apply_import(db, fp)
    assert h.dump(db) == before


def test_the_footer_is_found_wherever_the_colleague_put_it(db, plan, entries, tmp_path):
    filled = _filled_template(db, plan, entries, tmp_path)
    wb = openpyxl.load_workbook(filled)
    labels = {f"{label}：" for _key, label in SIGNOFF}
    for n, ws in enumerate(wb.worksheets[:-4]):
        for row in ws.iter_rows():  # the footer moved: gone from every domain sheet
            for c in row:
                if c.value in labels:
                    c.value = None
        ws.title = f"表{n + 1}"
    ws = wb.worksheets[-2]  # 情况说明, renamed, gets a footer of its own making
    ws.title = "附"
    ws["B20"], ws["D20"] = "单位负责人", "张三"  # no colon, the value two columns on
    ws["B21"] = "填表人:王五"  # one cell, a half-width colon
    ws["B22"], ws["C22"] = "联系电话：", "—"  # no data
    ws["B23"], ws["C23"], ws["E23"] = "报出日期：", "　　年　　月　　日", "（单位公章）"
    wb.save(tmp_path / "moved.xlsx")
    (fp,) = preview_import(db, [tmp_path / "moved.xlsx"])
    assert fp.signoff == SignOff(unit_head="张三", filled_by="王五")
    assert {c.cell: c.where for c in fp.signoff_changes} == {
        "unit_head": "附!D20",
        "filled_by": "附!B21",
    }


def test_an_unreadable_date_and_differing_copies_are_reported(db, plan, entries, tmp_path):
    filled = _filled_template(db, plan, entries, tmp_path)
    path = _sign(filled, tmp_path / "a.xlsx", {"report_date": "明年春天", "filled_by": "王五"})
    path = _sign(path, tmp_path / "b.xlsx", {"filled_by": "王小五"}, slice(1, 2))
    (fp,) = preview_import(db, [path])
    assert fp.signoff.report_date is None and fp.signoff.filled_by == "王五"
    warns = [i.message for i in fp.issues if i.severity == "warn"]
    assert any("明年春天" in m and "日期" in m for m in warns)
    assert any("不一致" in m and "王小五" in m for m in warns)


def test_a_foreign_layout_is_read_only_if_the_labels_are_there(db, plan, tmp_path):
    count = next(i for i in plan.indicators if i.kind == "count")

    def book(name, footer):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["指标代码", "指标名称", "本期值"])
        ws.append([count.code, count.name, 12])
        for row in footer:
            ws.append(row)
        wb.save(tmp_path / name)
        return tmp_path / name

    plain = book("plain.xlsx", [])
    signed = book("signed.xlsx", [[], ["填表人：", None, "王五", "报出日期", "2025/1/15"]])
    (a, b) = preview_import(db, [plain, signed], unit=h.UNIT, year=h.YEAR, plan=h.PLAN_ID)
    assert a.signoff is None and not a.signoff_changes
    assert b.signoff == SignOff(filled_by="王五", report_date=date(2025, 1, 15))
    apply_import(db, b, confirm_mapping=True)
    assert _signoff(db) == b.signoff


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2025年1月15日", date(2025, 1, 15)),
        ("2025-1-5", date(2025, 1, 5)),
        ("20250115", date(2025, 1, 15)),
        (45672.0, date(2025, 1, 15)),
        ("45672", date(2025, 1, 15)),
        ("２０２５／０１／１５", date(2025, 1, 15)),
        ("　　年　　月　　日", None),
        ("", None),
        (None, None),
        ("—", None),
        ("/", None),
    ],
)
def test_dates_as_people_type_them(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["2025年2月30日", "明天", "2025年　月　日", 12.5, True])
def test_dates_that_cannot_be_read(raw):
    with pytest.raises(ValueError):
        parse_date(raw)


def test_the_import_dialog_lists_the_signoff_rows(qtbot, db, plan, entries, tmp_path):
    from PySide6.QtCore import Qt

    from desktop.import_dialog import ImportDialog

    rid = ReturnService(db).open(h.UNIT, h.PLAN_ID, h.YEAR).id
    ReturnService(db).save_signoff(rid, SignOff(filled_by="赵六"))
    path = _sign(
        _filled_template(db, plan, entries, tmp_path),
        tmp_path / "s.xlsx",
        {"filled_by": "王五", "unit_head": "张三"},
    )
    (fp,) = preview_import(db, [path])
    dlg = ImportDialog(db, [fp])
    qtbot.addWidget(dlg)
    dlg.show_file(0)
    rows = {dlg.cells.item(r, 2).text(): r for r in range(dlg.cells.rowCount())}
    head, filler = rows["签署栏 单位负责人"], rows["签署栏 填表人"]
    assert dlg.cells.item(filler, 3).text() == "“赵六” → “王五”"
    assert dlg.cells.item(head, 0).checkState() == Qt.CheckState.Checked
    assert dlg.cells.item(filler, 0).checkState() == Qt.CheckState.Unchecked  # a conflict
    dlg.cells.item(filler, 0).setCheckState(Qt.CheckState.Checked)  # the user ticks it
    assert (SIGNOFF_KEY, "filled_by") in dlg.accepted[0]
    dlg.apply()
    assert _signoff(db) == SignOff(unit_head="张三", filled_by="王五")
