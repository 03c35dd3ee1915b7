"""Exported returns, templates and compilations, read back with openpyxl and python-calamine."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from db.plans import set_form_marks
from tests.support import xlsx as h
from tianbao.domain.catalogue import FormMarks
from tianbao.domain.fingerprint import fingerprint, view_fingerprint
from tianbao.domain.values import CHOICE_LABELS, Entry
from tianbao.excel.compiled import export_compiled
from tianbao.excel.export import export_return, export_template
from tianbao.excel.layout import (
    DENOMINATOR,
    META_SHEET,
    NOTE,
    NOTES_SHEET,
    NUMBER,
    NUMERATOR,
    parse_meta,
)
from tianbao.services.returns import ReturnService

MARKS = FormMarks("妇儿监测1表", "梨树县统计局", "梨树县统计局", "梨统字〔2024〕3号", "2026年12月")


def _domain_sheets(wb, plan):
    return [wb.worksheets[i] for i in range(len([d for d in plan.domains if d.indicators]))]


def _shown_number(ind, e: Entry):
    if ind.kind == "yesno":
        return CHOICE_LABELS[e.choice] if e.choice else None
    return e.number if e.number is not None else e.derived(ind)


@pytest.fixture
def exported(db, filled, tmp_path):
    with db.session() as s:
        set_form_marks(s, h.PLAN_ID, MARKS)
    return export_return(db, filled, tmp_path / "东城街道2024.xlsx")


def test_export_header_marks_values_and_footer_read_back_with_openpyxl(
    db, plan, filled, entries, exported
):
    wb = openpyxl.load_workbook(exported.path)
    sheets = _domain_sheets(wb, plan)
    assert [ws.title for ws in sheets] == [d.name for d in plan.domains if d.indicators]
    assert wb.sheetnames[-2:] == [NOTES_SHEET, META_SHEET]
    ws = sheets[0]
    assert plan.title in ws["A1"].value
    assert [ws.cell(row=r, column=11).value for r in range(1, 6)] == [
        "表　　号：妇儿监测1表",
        "制定机关：梨树县统计局",
        "批准机关：梨树县统计局",
        "批准文号：梨统字〔2024〕3号",
        "有效期至：2026年12月",
    ]
    assert ws["A5"].value == "填报单位：东城街道" and ws["F5"].value == "报告期：2024年"
    assert [ws.cell(row=6, column=c).value for c in (1, 3, 5, 6, 7, 8, 11, 12)] == [
        "序号",
        "指标名称",
        "计量单位",
        "目标值",
        "上年值",
        "本年值",
        "达标情况",
        "说明",
    ]
    assert [ws.cell(row=7, column=c).value for c in (NUMBER, NUMERATOR, DENOMINATOR)] == [
        "数值",
        "分子",
        "分母",
    ]
    seen = 0
    inds = {i.code: i for i in plan.indicators}
    for sheet in sheets:
        for (code, cell), r in h.rows_of(sheet, plan).items():
            e, ind = entries[(code, cell)], inds[code]
            assert sheet.cell(row=r, column=NUMBER).value == pytest.approx(_shown_number(ind, e))
            if ind.is_rate:
                assert sheet.cell(row=r, column=NUMERATOR).value == e.numerator
                assert sheet.cell(row=r, column=DENOMINATOR).value == e.denominator
            seen += 1
    assert seen == len(entries)
    texts = [c.value for c in sheets[0][9] if c.value]  # somewhere below the data: the footer
    footer = " ".join(str(c.value) for row in sheets[0].iter_rows() for c in row if c.value)
    assert all(
        w in footer
        for w in ("单位负责人", "统计负责人", "填表人", "联系电话", "报出日期", "单位公章")
    )
    assert texts


def test_text_that_looks_like_a_formula_is_written_as_text(db, plan, exported, explanations):
    wb = openpyxl.load_workbook(exported.path)
    found = {}
    for ws in _domain_sheets(wb, plan):
        for row in ws.iter_rows(min_col=NOTE, max_col=NOTE):
            c = row[0]
            if c.value in explanations.values():
                found[c.value] = c.data_type
    assert found == {t: "s" for t in explanations.values()}
    with zipfile.ZipFile(exported.path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name), name
    notes = " ".join(str(c.value) for row in wb[NOTES_SHEET].iter_rows() for c in row if c.value)
    assert all(t in notes for t in explanations.values())


def test_print_setup_is_a4_landscape_fit_to_width_with_repeated_header_rows(plan, exported):
    wb = openpyxl.load_workbook(exported.path)
    for ws in [*_domain_sheets(wb, plan), wb[NOTES_SHEET]]:
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows in ("$6:$8", "6:8", "$3:$3", "3:3")
    assert _domain_sheets(wb, plan)[0].print_title_rows in ("$6:$8", "6:8")


def test_hidden_sheet_is_very_hidden_protected_and_carries_identity(db, filled, plan, exported):
    view = ReturnService(db).view(filled)
    wb = openpyxl.load_workbook(exported.path)
    meta_ws = wb[META_SHEET]
    assert meta_ws.sheet_state == "veryHidden"
    assert meta_ws.protection.sheet
    rows = [[c.value for c in row] for row in meta_ws.iter_rows()]
    meta = parse_meta(rows)
    assert (meta.plan_id, meta.plan_version, meta.unit_code, meta.year) == (
        h.PLAN_ID,
        plan.version,
        h.UNIT,
        h.YEAR,
    )
    assert meta.fingerprint == view_fingerprint(view) == exported.fingerprint
    assert len(meta.inputs) == exported.inputs == sum(1 for _ in h.sample_entries(plan))
    first = meta.inputs[0]
    assert wb[first.sheet].cell(row=first.row, column=2).value == first.indicator


def test_calamine_reads_the_same_workbook(db, filled, plan, entries, exported):
    wb = CalamineWorkbook.from_path(str(exported.path))
    vis = {m.name: str(m.visible).split(".")[-1] for m in wb.sheets_metadata}
    assert vis[META_SHEET] == "VeryHidden"
    meta = parse_meta(wb.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False))
    assert meta.fingerprint == exported.fingerprint
    inds = {i.code: i for i in plan.indicators}
    for r in meta.inputs:
        rows = wb.get_sheet_by_name(r.sheet).to_python(skip_empty_area=False)
        row = rows[r.row - 1]
        assert row[1] == r.indicator
        expected = _shown_number(inds[r.indicator], entries[(r.indicator, r.cell)])
        got = row[r.number_col - 1]
        assert (got == "" and expected is None) or got == pytest.approx(expected)
    first = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    assert [first[r][10] for r in range(5)][0] == "表　　号：妇儿监测1表"


def test_template_is_protected_except_inputs_with_validation_and_hints(db, plan, entries, tmp_path):
    h.fill_return(db, h.UNIT, h.YEAR - 1, entries)  # last year's values are shown
    before = h.dump(db)
    out = export_template(db, h.UNIT, h.PLAN_ID, h.YEAR, tmp_path / "blank.xlsx")
    assert h.dump(db) == before  # a template creates nothing
    assert out.fingerprint == fingerprint(h.PLAN_ID, plan.version, h.UNIT, h.YEAR, {})
    wb = openpyxl.load_workbook(out.path)
    inds = {i.code: i for i in plan.indicators}
    kinds_seen = set()
    for ws in _domain_sheets(wb, plan):
        assert ws.protection.sheet
        rules = list(ws.data_validations.dataValidation)
        assert rules and all(dv.showInputMessage and dv.prompt for dv in rules)

        def rule_for(ref, rules=rules):
            return next(dv for dv in rules if ref in dv.sqref)

        for (code, cell), r in h.rows_of(ws, plan).items():
            ind = inds[code]
            num = ws.cell(row=r, column=NUMBER)
            assert num.value is None
            assert num.protection.locked is False
            assert ws.cell(row=r, column=2).protection.locked is not False  # the code is locked
            if not cell:
                assert ws.cell(row=r, column=7).value is not None or ind.kind == "text"  # last year
                assert ws.cell(row=r, column=NOTE).protection.locked is False
            dv = rule_for(num.coordinate)
            if ind.kind == "yesno":
                assert (dv.type, dv.formula1) == ("list", '"是,部分,否"')
                kinds_seen.add("yesno")
            elif ind.kind == "count":
                assert dv.type == "whole" and dv.formula1 == "0"
                kinds_seen.add("count")
            elif ind.kind == "rate" and ind.unit == "%" and not ind.gross:
                assert (dv.type, dv.operator, dv.formula1, dv.formula2) == (
                    "decimal",
                    "between",
                    "0",
                    "100",
                )
                kinds_seen.add("rate")
            if ind.is_rate:
                for col in (NUMERATOR, DENOMINATOR):
                    c = ws.cell(row=r, column=col)
                    assert c.protection.locked is False
                    assert rule_for(c.coordinate).type == "whole"
            elif ind.is_numeric:
                assert ws.cell(row=r, column=NUMERATOR).protection.locked is not False
    assert kinds_seen == {"yesno", "count", "rate"}
    meta = parse_meta([[c.value for c in row] for row in wb[META_SHEET].iter_rows()])
    assert meta.kind == "template" and all(r.exported.empty for r in meta.inputs)


def test_compiled_workbook_has_sub_units_side_by_side_compliance_and_ranking(db, plan, tmp_path):
    kid_entries = [h.sample_entries(plan, seed=k) for k in range(len(h.UNITS))]
    for (code, _name), e in zip(h.UNITS, kid_entries, strict=True):
        h.fill_return(db, code, h.YEAR, e)
    out = export_compiled(db, h.COUNTY, h.PLAN_ID, h.YEAR, tmp_path / "汇总.xlsx")
    wb = openpyxl.load_workbook(out.path)
    assert {"下级单位数据", "下级单位达标情况", "排名", META_SHEET} <= set(wb.sheetnames)
    assert wb.worksheets[0]["A5"].value == "综合机关名称：梨树县"
    ws = wb["下级单位数据"]
    heads = [c.value for c in ws[3]]
    assert heads[4:] == [n for _c, n in h.UNITS] + ["合计"]
    count = next(i for i in plan.indicators if i.kind == "count")
    row = next(r for r in ws.iter_rows(min_row=4) if r[1].value == count.code)
    kids = [c.value for c in row[4:7]]
    assert row[7].value == sum(kids)
    rate = next(
        i
        for i in plan.indicators
        if i.kind == "rate" and all(e[(i.code, "")].numerator is not None for e in kid_entries)
    )
    row = next(r for r in ws.iter_rows(min_row=4) if r[1].value == rate.code)
    assert isinstance(row[7].value, float)  # recomputed from summed counts, not averaged
    # Every number carries its indicator's fixed decimals, as in the return and the PDF (issue 17).
    from tianbao.excel.annex import number_format

    by_code = {i.code: i for i in plan.indicators}
    formats = {}
    for r in ws.iter_rows(min_row=4):
        ind = by_code.get(r[1].value)
        for c in r[4:8]:
            if ind is not None and isinstance(c.value, (int, float)):
                assert c.number_format == number_format(ind), (ind.code, c.value)
                formats[ind.kind] = c.number_format
    assert formats.get("count") == "0" and formats.get("rate") == "0.00"
    comp = wb["下级单位达标情况"]
    labels = {c.value for r in comp.iter_rows(min_row=4) for c in r[4:8]}
    assert labels & {"达标", "未达标", "接近"}
    rank = wb["排名"]
    assert [rank.cell(row=r, column=2).value for r in range(4, 7)] and {
        rank.cell(row=r, column=2).value for r in range(4, 7)
    } == {n for _c, n in h.UNITS}
    meta = parse_meta([[c.value for c in row] for row in wb[META_SHEET].iter_rows()])
    assert meta.kind == "compiled" and meta.unit_code == h.COUNTY


def test_a_workbook_is_always_named_xlsx(db, filled, tmp_path):
    assert export_return(db, filled, tmp_path / "r.xls").path.name == "r.xlsx"
    assert export_return(db, filled, tmp_path / "东城.2024年").path.name == "东城.2024年.xlsx"
