"""Importing returns: round trips, the dry run, re-imports, conflicts, all-or-nothing."""

from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import select

from db import repo
from db.models import Audit, Return
from db.plans import get_plan, save_plan_version
from tests.support import xlsx as h
from tianbao.domain.fingerprint import fingerprint, view_fingerprint
from tianbao.domain.values import Entry
from tianbao.excel.export import export_return, export_template
from tianbao.excel.imports import EXPLANATION, ImportError_, apply_import, preview_import
from tianbao.excel.layout import NOTE, NUMBER, NUMERATOR
from tianbao.services.returns import ReturnService


def _values(db, unit=h.UNIT, year=h.YEAR):
    with db.session() as s:
        u = repo.unit_by_code(s, unit)
        r = repo.find_return(s, u.id, h.PLAN_ID, year)
        return (
            {k: e for k, e in repo.entries(s, r.id).items() if not e.empty},
            repo.explanations(s, r.id),
            r.id,
        )


def test_exported_return_imports_elsewhere_with_same_values_and_fingerprint(
    db, other_db, filled, entries, explanations, tmp_path
):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    before = h.dump(other_db)
    (fp,) = preview_import(other_db, [out.path])
    assert h.dump(other_db) == before  # a dry run changes nothing
    assert not fp.refused and not fp.blocking and fp.layout == "tianbao" and fp.can_apply
    assert len(fp.new) == len(entries) + len(explanations) and not fp.conflicts and not fp.changed
    assert fp.fingerprint == fp.exported_fingerprint == out.fingerprint == fp.fingerprint_after
    assert any(f.severity == "warning" for _c, _cell, f in fp.findings)  # the checks ran
    result = apply_import(other_db, fp, user="县统计局")
    values, expl, rid = _values(other_db)
    assert values == entries and expl == explanations
    assert (
        result.fingerprint == view_fingerprint(ReturnService(other_db).view(rid)) == out.fingerprint
    )
    with other_db.session() as s:
        audits = list(
            s.scalars(select(Audit).where(Audit.return_id == rid, Audit.action == "value"))
        )
    assert len(audits) == len(entries)
    assert {(a.source, a.source_file, a.source_hash, a.user) for a in audits} == {
        ("imported", "r.xlsx", fp.sha256, "县统计局")
    }


@pytest.mark.parametrize("quirk", ["plain", "mixed"])
def test_filled_template_imports_back_with_same_values_and_fingerprint(
    db, other_db, plan, entries, explanations, tmp_path, quirk
):
    blank = export_template(db, h.UNIT, h.PLAN_ID, h.YEAR, tmp_path / "blank.xlsx")
    h.fill_template(
        blank.path,
        tmp_path / "filled.xlsx",
        plan,
        entries,
        explanations,
        quirk=quirk,
        empty_as_dash=True,
    )
    (fp,) = preview_import(db, [tmp_path / "filled.xlsx"])
    assert fp.kind == "template" and not fp.blocking
    expected = fingerprint(h.PLAN_ID, plan.version, h.UNIT, h.YEAR, entries)
    assert fp.fingerprint == expected != fp.exported_fingerprint
    apply_import(db, fp)
    values, expl, rid = _values(db)
    assert values == entries and expl == explanations
    # the same values typed into another database give the same fingerprint
    other = h.fill_return(other_db, h.UNIT, h.YEAR, entries)
    assert (
        view_fingerprint(ReturnService(db).view(rid))
        == expected
        == view_fingerprint(ReturnService(other_db).view(other))
    )


def test_importing_the_same_file_again_changes_nothing(db, other_db, filled, tmp_path):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    apply_import(other_db, preview_import(other_db, [out.path])[0])
    before = h.dump(other_db)
    (again,) = preview_import(other_db, [tmp_path])  # the folder this time
    assert again.already_imported is not None and again.nothing_to_do and not again.can_apply
    assert "导入过" in again.issues[0].message
    assert apply_import(other_db, again).nothing_to_do
    assert h.dump(other_db) == before


def _edit(path, plan, changes: dict, dest):
    """Change cells of an exported file the way a colleague would: {(code, cell): {col: value}}."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets[:-4]:
        rows = h.rows_of(ws, plan)
        for key, cols in changes.items():
            if key in rows:
                for col, v in cols.items():
                    ws.cell(row=rows[key], column=col).value = v
    wb.save(dest)


def test_changes_conflicts_and_the_per_cell_decision(db, plan, filled, entries, tmp_path):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    count = [i for i in plan.indicators if i.kind == "count"]
    a, b, c = (count[0].code, ""), (count[1].code, ""), (count[2].code, "")
    svc = ReturnService(db)
    # Here, after the export: a and c are retyped.
    svc.save_entry(filled, a[0], "", Entry(number=11.0))
    svc.save_entry(filled, c[0], "", Entry(number=33.0))
    # The colleague changes a and b in the file, and leaves c alone.
    _edit(out.path, plan, {a: {NUMBER: 12}, b: {NUMBER: 22}}, tmp_path / "back.xlsx")
    (fp,) = preview_import(db, [tmp_path / "back.xlsx"])
    kinds = {ch.key: ch for ch in fp.changes}
    assert (
        kinds[a].kind == "conflict"
        and kinds[a].old == Entry(number=11.0)
        and kinds[a].new == Entry(number=12.0)
    )
    assert (
        kinds[b].kind == "changed"
        and kinds[b].old == entries[b]
        and kinds[b].new == Entry(number=22.0)
    )
    assert kinds[c].kind == "conflict" and kinds[c].untouched and kinds[c].new == entries[c]
    assert "→" in kinds[b].describe()
    # Decide per cell: take b and the file's a, keep this database's c.
    result = apply_import(db, fp, accept={a, b})
    assert (result.written, result.skipped) == (2, 1)
    values, _expl, _rid = _values(db)
    assert (
        values[a] == Entry(number=12.0)
        and values[b] == Entry(number=22.0)
        and values[c] == Entry(number=33.0)
    )


def test_an_explanation_is_imported_and_can_conflict(db, plan, filled, explanations, tmp_path):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    code = next(iter(explanations))
    other = next(i.code for i in plan.indicators if i.code not in explanations)
    _edit(
        out.path,
        plan,
        {(code, ""): {NOTE: "经复核，数据无误"}, (other, ""): {NOTE: "新增说明"}},
        tmp_path / "back.xlsx",
    )
    (fp,) = preview_import(db, [tmp_path / "back.xlsx"])
    kinds = {ch.key: ch.kind for ch in fp.changes}
    assert kinds == {(code, EXPLANATION): "changed", (other, EXPLANATION): "new"}
    apply_import(db, fp)
    _values_, expl, _rid = _values(db)
    assert expl[code] == "经复核，数据无误" and expl[other] == "新增说明"


def test_apply_is_all_or_nothing_when_the_database_changed_after_the_preview(
    db, other_db, plan, filled, entries, tmp_path
):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    (fp,) = preview_import(other_db, [out.path])
    count = next(i for i in plan.indicators if i.kind == "count")
    svc = ReturnService(other_db)
    rid = svc.open(h.UNIT, h.PLAN_ID, h.YEAR).id
    svc.save_entry(rid, count.code, "", Entry(number=1.0))  # typed meanwhile
    before = h.dump(other_db)
    with pytest.raises(ImportError_, match="重新预览"):
        apply_import(other_db, fp)
    assert h.dump(other_db) == before
    (fresh,) = preview_import(other_db, [out.path])
    assert [ch.key for ch in fresh.conflicts] == [(count.code, "")]


def test_a_file_changed_after_the_preview_is_refused(db, other_db, filled, tmp_path):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    (fp,) = preview_import(other_db, [out.path])
    out.path.write_bytes(out.path.read_bytes() + b"\0")
    before = h.dump(other_db)
    with pytest.raises(ImportError_, match="修改"):
        apply_import(other_db, fp)
    assert h.dump(other_db) == before


def test_a_submitted_return_blocks_the_import(db, other_db, filled, tmp_path):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    rid = ReturnService(other_db).open(h.UNIT, h.PLAN_ID, h.YEAR).id
    with other_db.session() as s:
        s.get(Return, rid).status = "submitted"
    (fp,) = preview_import(other_db, [out.path])
    assert fp.return_status == "submitted" and any("已报送" in i.message for i in fp.blocking)
    before = h.dump(other_db)
    with pytest.raises(ImportError_, match="解锁"):
        apply_import(other_db, fp)
    assert h.dump(other_db) == before


def test_unknown_unit_wrong_plan_year_and_version(db, other_db, plan, entries, tmp_path):
    with db.session() as s:
        repo.add_unit(s, "T09", "新设街道", "township", h.COUNTY)
    rid = h.fill_return(db, "T09", h.YEAR, entries)
    out = export_return(db, rid, tmp_path / "t09.xlsx")
    (fp,) = preview_import(other_db, [out.path])
    assert any("T09" in i.message and "单位" in i.message for i in fp.blocking)
    with pytest.raises(ImportError_):
        apply_import(other_db, fp)

    rid = h.fill_return(db, h.UNIT, h.YEAR, entries)
    out = export_return(db, rid, tmp_path / "t01.xlsx")
    (fp,) = preview_import(other_db, [out.path], year=h.YEAR - 1, plan="lishu-children")
    messages = " ".join(i.message for i in fp.blocking)
    assert "年份" in messages and "计划" in messages

    with db.session() as s:  # this office edits the plan: its returns go on under version 2
        save_plan_version(s, get_plan(s, h.PLAN_ID), origin="test")
    svc = ReturnService(db)
    rid2 = svc.open("T02", h.PLAN_ID, h.YEAR).id
    out = export_return(db, rid2, tmp_path / "v2.xlsx")
    (fp,) = preview_import(other_db, [out.path])
    assert fp.refused and "第 2 版" in fp.refused


def test_a_return_under_an_older_plan_version_with_the_same_indicators_is_a_warning(
    db, other_db, filled, tmp_path
):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    with other_db.session() as s:
        save_plan_version(s, get_plan(s, h.PLAN_ID), origin="test")
        u = repo.unit_by_code(s, h.UNIT)
        repo.get_or_create_return(s, u, h.PLAN_ID, 2, h.YEAR)
    (fp,) = preview_import(other_db, [out.path])
    assert not fp.blocking and any(
        "第 2 版" in i.message for i in fp.issues if i.severity == "warn"
    )


def test_numerator_typed_as_text_with_a_unit_is_reported_and_the_rest_imported(
    db, other_db, plan, filled, entries, tmp_path
):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    rate = next(
        i for i in plan.indicators if i.is_rate and entries[(i.code, "")].numerator is not None
    )
    _edit(out.path, plan, {(rate.code, ""): {NUMERATOR: "约 300 人"}}, tmp_path / "bad.xlsx")
    (fp,) = preview_import(other_db, [tmp_path / "bad.xlsx"])
    errors = [i for i in fp.issues if i.severity == "error"]
    assert len(errors) == 1 and rate.code in errors[0].message and "不是数字" in errors[0].message
    apply_import(other_db, fp)
    values, _e, _r = _values(other_db)
    assert values[(rate.code, "")].numerator is None
    assert len(values) == len(entries)
