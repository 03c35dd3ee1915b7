"""Files as colleagues really send them, made here with openpyxl: every quirk of issue 5."""

from __future__ import annotations

import re

import openpyxl
import pytest

from db import repo
from tests.support import xlsx as h
from tianbao.domain.values import Entry
from tianbao.excel.export import export_return, export_template
from tianbao.excel.imports import ImportError_, apply_import, preview_import
from tianbao.excel.layout import (
    CODE,
    FIRST_DATA_ROW,
    HEADER_ROW,
    LAST_COLUMN,
    NAME,
    NUMBER,
    NUMERATOR,
    SUBHEADER_ROW,
)


def _imported(db, path, **kw):
    (fp,) = preview_import(db, [path], **kw)
    assert not fp.refused, fp.refused
    assert not fp.blocking, [i.message for i in fp.blocking]
    apply_import(db, fp, confirm_mapping=True)
    with db.session() as s:
        u = repo.unit_by_code(s, fp.unit_code)
        r = repo.find_return(s, u.id, fp.plan_id, fp.year)
        return fp, {k: e for k, e in repo.entries(s, r.id).items() if not e.empty}


@pytest.mark.parametrize(
    "quirk", ["text", "spaces", "fullwidth", "thousands", "percent_text", "percent_format"]
)
def test_numbers_typed_the_way_people_type_them(db, plan, entries, tmp_path, quirk):
    blank = export_template(db, h.UNIT, h.PLAN_ID, h.YEAR, tmp_path / "blank.xlsx")
    h.fill_template(blank.path, tmp_path / f"{quirk}.xlsx", plan, entries, quirk=quirk)
    fp, values = _imported(db, tmp_path / f"{quirk}.xlsx")
    assert values == entries
    assert not [i.message for i in fp.issues if i.severity in ("error", "warn")]
    if quirk == "percent_format":
        assert any("百分比格式" in i.message for i in fp.issues)


def test_dash_and_slash_mean_no_data(db, plan, entries, tmp_path):
    some = {k: e for n, (k, e) in enumerate(entries.items()) if n % 3}
    blank = export_template(db, h.UNIT, h.PLAN_ID, h.YEAR, tmp_path / "blank.xlsx")
    h.fill_template(blank.path, tmp_path / "dash.xlsx", plan, some, empty_as_dash=True)
    wb = openpyxl.load_workbook(tmp_path / "dash.xlsx")
    marks = {c.value for ws in wb.worksheets[:-4] for row in ws.iter_rows() for c in row}
    assert {"—", "/"} <= marks
    fp, values = _imported(db, tmp_path / "dash.xlsx")
    assert values == some


def _resort_and_rename(src, dst, plan):
    """Reverse every domain sheet's data rows (values only) and rename every sheet."""
    wb = openpyxl.load_workbook(src)
    for n, ws in enumerate(wb.worksheets[:-4]):
        rows = sorted(h.rows_of(ws, plan).values())
        data = [[ws.cell(row=r, column=c).value for c in range(1, LAST_COLUMN + 1)] for r in rows]
        for r, values in zip(rows, reversed(data), strict=True):
            for c, v in enumerate(values, 1):
                ws.cell(row=r, column=c).value = v
        ws.title = f"Sheet{n + 1}"
    wb.save(dst)


def test_resorted_rows_and_renamed_sheets(db, other_db, filled, entries, plan, tmp_path):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    _resort_and_rename(out.path, tmp_path / "sorted.xlsx", plan)
    fp, values = _imported(other_db, tmp_path / "sorted.xlsx")
    assert values == entries and fp.fingerprint == out.fingerprint


def test_an_inserted_column_and_a_deleted_code_column(
    db, other_db, filled, entries, plan, tmp_path
):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(out.path)
    for ws in wb.worksheets[:-4]:
        ws.insert_cols(NUMBER)  # a colleague's own column before 本年值
        ws.cell(row=HEADER_ROW, column=NUMBER).value = "备用"
        ws.delete_cols(CODE)  # and the code column gone: rows are found by name
    wb.save(tmp_path / "cols.xlsx")
    fp, values = _imported(other_db, tmp_path / "cols.xlsx")
    assert values == entries and fp.fingerprint == out.fingerprint


def test_headers_overwritten_fall_back_to_the_positions_in_the_hidden_sheet(
    db, other_db, filled, entries, plan, tmp_path
):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(out.path)
    for ws in wb.worksheets[:-4]:
        for rng in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(rng))
        for c in range(1, LAST_COLUMN + 1):
            ws.cell(row=HEADER_ROW, column=c).value = None
            ws.cell(row=HEADER_ROW + 1, column=c).value = None
    wb.save(tmp_path / "noheads.xlsx")
    fp, values = _imported(other_db, tmp_path / "noheads.xlsx")
    assert values == entries and fp.fingerprint == out.fingerprint


def test_formulas_use_their_cached_value_or_are_reported(
    db, other_db, filled, entries, plan, tmp_path
):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(out.path)
    index, ws = next(
        (n, ws)
        for n, ws in enumerate(wb.worksheets[:-4])
        if sum(plan.indicator(k[0]).kind == "count" for k in h.rows_of(ws, plan)) >= 2
    )
    rows = h.rows_of(ws, plan)
    counts = [k for k in rows if plan.indicator(k[0]).kind == "count"]
    cached, uncached = counts[0], counts[1]
    ws.cell(row=rows[uncached], column=NUMBER).value = "=1+1"  # openpyxl stores no result
    wb.save(tmp_path / "f.xlsx")
    ref = f"H{rows[cached]}"
    value = entries[cached].number

    def add_formula(xml: bytes) -> bytes:
        pattern = rb'(<c r="' + ref.encode() + rb'"[^>]*?)(?: t="n")?>(<v>[^<]*</v>)</c>'
        new, n = re.subn(pattern, rb"\1><f>" + f"{value:g}*1".encode() + rb"</f>\2</c>", xml)
        assert n == 1
        return new

    h.patch_sheet_xml(tmp_path / "f.xlsx", index, add_formula)
    (fp,) = preview_import(other_db, [tmp_path / "f.xlsx"])
    infos = [i.message for i in fp.issues if i.severity == "info"]
    errors = [i.message for i in fp.issues if i.severity == "error"]
    assert any(ref in m and "计算结果" in m for m in infos)
    assert (
        len(errors) == 1 and f"H{rows[uncached]}" in errors[0] and "没有保存计算结果" in errors[0]
    )
    assert fp.values[cached] == entries[cached]
    assert fp.values[uncached] == Entry()


def test_a_foreign_layout_is_matched_by_name_and_must_be_confirmed(db, plan, tmp_path):
    rates = [i for i in plan.indicators if i.kind == "rate" and i.unit == "%" and not i.gross]
    yesno = next(i for i in plan.indicators if i.kind == "yesno")
    count = next(i for i in plan.indicators if i.kind == "count")
    split = next(i for i in plan.indicators if "sex" in i.disaggregation)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "监测数据"
    ws.append([f"{h.YEAR}年妇女发展规划监测数据"])
    ws.append(["填报单位：东城街道", None, None, "2024年"])
    ws.append(["序号", "指标名称", "单位", f"{h.YEAR - 1}年", f"{h.YEAR}年", "备注"])
    ws.append([1, f" {rates[0].name} ", "%", 90, "95.5%", None])
    ws.append([2, rates[1].name.replace("（", "(").replace("）", ")"), "%", 80, 0.88, None])
    ws.cell(row=5, column=5).number_format = "0%"
    ws.append([3, yesno.name, None, "是", "部分", "按计划推进"])
    ws.append([4, count.name, count.unit, 10, "1,234", None])
    ws.append([5, split.name, split.unit, None, 40, None])
    ws.append([None, "其中：女", None, None, 41, None])
    ws.append([6, "我们自己加的指标", None, None, 7, None])
    wb.save(tmp_path / "ours.xlsx")

    (fp,) = preview_import(db, [tmp_path / "ours.xlsx"])
    assert fp.layout == "foreign" and fp.needs_confirmation
    assert (fp.unit_code, fp.plan_id, fp.year) == (h.UNIT, h.PLAN_ID, h.YEAR)
    mapped = {m.label: (m.indicator, m.cell) for m in fp.mapping}
    assert mapped["我们自己加的指标"] == (None, "")
    assert mapped["其中：女"] == (split.code, "sex=female")
    before = h.dump(db)
    with pytest.raises(ImportError_, match="确认"):
        apply_import(db, fp)
    assert h.dump(db) == before
    apply_import(db, fp, confirm_mapping=True)
    with db.session() as s:
        r = repo.find_return(s, repo.unit_by_code(s, h.UNIT).id, h.PLAN_ID, h.YEAR)
        got = repo.entries(s, r.id)
        expl = repo.explanations(s, r.id)
    assert got[(rates[0].code, "")] == Entry(number=95.5)
    assert got[(rates[1].code, "")] == Entry(number=88.0)
    assert got[(yesno.code, "")] == Entry(choice="partly") and expl[yesno.code] == "按计划推进"
    assert got[(count.code, "")] == Entry(number=1234.0)
    assert got[(split.code, "sex=female")] == Entry(number=41.0)


def test_a_foreign_layout_with_a_code_column_needs_unit_and_year_when_not_written(
    db, plan, tmp_path
):
    count = next(i for i in plan.indicators if i.kind == "count")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指标代码", "名称", "本期值"])
    ws.append([count.code, "随便写的名称", 12])
    wb.save(tmp_path / "codes.xlsx")
    (fp,) = preview_import(db, [tmp_path / "codes.xlsx"])
    assert fp.layout == "foreign" and {"单位", "年份"} <= {
        w for i in fp.blocking for w in ("单位", "年份") if w in i.message
    }
    (fp,) = preview_import(db, [tmp_path / "codes.xlsx"], unit=h.UNIT, year=h.YEAR)
    assert any("多个计划" in i.message for i in fp.blocking)  # H01 … exist in several plans
    (fp,) = preview_import(db, [tmp_path / "codes.xlsx"], unit=h.UNIT, year=h.YEAR, plan=h.PLAN_ID)
    assert not fp.blocking and fp.values[(count.code, "")] == Entry(number=12.0)
    assert fp.mapping[0].how == "code"


def test_values_in_foreign_sheet_without_any_match_are_refused(db, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "电话"])
    wb.active.append(["张三", "123"])
    wb.save(tmp_path / "contacts.xlsx")
    (fp,) = preview_import(db, [tmp_path / "contacts.xlsx"])
    assert fp.refused and "指标" in fp.refused


def test_name_cells_are_not_read_beyond_the_first_rows(db, plan, tmp_path):
    """A sheet whose table starts far down (row 60) is not taken for a return."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for _ in range(59):
        ws.append(["说明文字"])
    ws.append(["指标名称", "本年值"])
    ws.append([plan.indicators[0].name, 1])
    wb.save(tmp_path / "deep.xlsx")
    (fp,) = preview_import(db, [tmp_path / "deep.xlsx"])
    assert fp.refused


def test_first_data_row_constant_matches_the_written_layout(db, filled, tmp_path):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(out.path).worksheets[0]
    assert (
        ws.cell(row=FIRST_DATA_ROW, column=CODE).value
        and ws.cell(row=FIRST_DATA_ROW, column=NAME).value
    )
    assert ws.cell(row=SUBHEADER_ROW, column=NUMERATOR).value == "分子"
