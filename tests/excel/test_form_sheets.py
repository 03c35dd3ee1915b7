"""The Excel return and template explain themselves and print right: 填报说明 and 指标解释 from the
catalogue, 校验码 visible and in the footer (with unit, year and page), 报告期 label, row heights
where text wraps, fixed decimals, template protection, hours bounded, validation wording."""

from __future__ import annotations

import openpyxl
import pytest

from tests.support import xlsx as h
from tianbao.domain.explain import explain
from tianbao.domain.fingerprint import view_fingerprint
from tianbao.domain.status import decimals
from tianbao.excel.export import export_return, export_template
from tianbao.excel.form_sheets import EXPLANATIONS_SHEET, INSTRUCTIONS_SHEET, text_lines
from tianbao.excel.layout import CODE, NAME, NUMBER
from tianbao.services.returns import ReturnService


@pytest.fixture
def exported(db, tmp_path):
    plan = h.plan_of(db)
    rid = h.fill_return(db, h.UNIT, h.YEAR, h.sample_entries(plan), h.sample_explanations(plan))
    out = export_return(db, rid, tmp_path / "ret.xlsx")
    return plan, rid, out


def _domain_sheets(wb):
    return [ws for ws in wb.worksheets if ws.cell(row=6, column=CODE).value == "指标代码"]


def test_return_has_instructions_and_explanations(db, exported):
    plan, _rid, out = exported
    wb = openpyxl.load_workbook(out.path)
    assert INSTRUCTIONS_SHEET in wb.sheetnames and EXPLANATIONS_SHEET in wb.sheetnames
    text = "".join(str(c.value or "") for row in wb[INSTRUCTIONS_SHEET].iter_rows() for c in row)
    for words in (
        "填报范围",
        f"报告期：{h.YEAR}年1月1日至12月31日",
        "报送时间",
        "报送方式",
        "无此项数据",
        "校验码",
    ):
        assert words in text, words
    ex = wb[EXPLANATIONS_SHEET]
    assert [c.value for c in ex[2]][:4] == ["指标代码", "指标名称", "定义", "计算方法"]
    rows = {r[0]: r for r in ex.iter_rows(min_row=3, values_only=True)}
    assert set(rows) == {i.code for i in plan.indicators}
    rate = next(i for i in plan.indicators if i.is_rate)
    assert rows[rate.code][2] == explain(rate).definition
    assert rate.numerator in rows[rate.code][3] and rows[rate.code][5].startswith("×")


def test_fingerprint_visible_and_printed(db, exported):
    _plan, rid, out = exported
    fp = view_fingerprint(ReturnService(db).view(rid))
    wb = openpyxl.load_workbook(out.path)
    for ws in _domain_sheets(wb):
        assert ws["F5"].value == f"报告期：{h.YEAR}年"
        assert ws.cell(row=5, column=NUMBER).value == f"校验码：{fp}"
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        assert fp in ws.oddFooter.right.text, ws.title
        assert "东城街道" in ws.oddFooter.left.text and f"{h.YEAR}年" in ws.oddFooter.left.text
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text


def test_row_heights_where_text_wraps(db, exported):
    _plan, _rid, out = exported
    wb = openpyxl.load_workbook(out.path)
    ws = _domain_sheets(wb)[0]
    long = [c for c in ws.iter_cols(min_col=NAME, max_col=NAME, min_row=8) for c in c]
    width = ws.column_dimensions["C"].width
    long = [c for c in long if isinstance(c.value, str) and text_lines(c.value, width) > 1]
    assert long
    for c in long:
        assert (ws.row_dimensions[c.row].height or 0) >= 27, c.value
    notes = wb["情况说明"]
    wrapped = [
        r for r in range(4, notes.max_row + 1) if len(str(notes.cell(r, 6).value or "")) > 25
    ]
    assert wrapped and all((notes.row_dimensions[r].height or 0) >= 27 for r in wrapped)
    ex = wb[EXPLANATIONS_SHEET]
    assert any((ex.row_dimensions[r].height or 0) >= 27 for r in range(3, ex.max_row + 1))


def test_fixed_decimals_per_indicator(db, exported):
    plan, _rid, out = exported
    wb = openpyxl.load_workbook(out.path)
    for ws in _domain_sheets(wb):
        for rows in ws.iter_rows(min_row=8):
            code = rows[CODE - 1].value
            ind = next((i for i in plan.indicators if i.code == code), None)
            if ind is None or not ind.is_numeric:
                continue
            d = decimals(ind)
            assert rows[NUMBER - 1].number_format == ("0" if d == 0 else "0." + "0" * d)


def test_template_protected_hours_bounded_messages_read_right(db, tmp_path):
    out = export_template(db, h.UNIT, "xinhua-children", 2025, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(out.path)
    assert wb.security is not None and wb.security.lockStructure
    assert wb.security.workbookPassword  # stored hashed
    plan = h.plan_of(db, "xinhua-children")
    hours = [i for i in plan.indicators if i.unit == "小时" and "每天" in i.name]
    assert hours
    messages = []
    for ws in _domain_sheets(wb):
        assert ws.protection.sheet and ws.protection.password
        for dv in ws.data_validations.dataValidation:
            messages += [dv.error or "", dv.prompt or ""]
            refs = str(dv.sqref).split()
            for ind in hours:
                row = next(
                    (r for r in range(8, ws.max_row + 1) if ws.cell(r, CODE).value == ind.code),
                    None,
                )
                if row and f"H{row}" in refs:
                    assert dv.operator == "between" and dv.formula2 == "24"
    assert messages
    assert not any("不小于 0之间" in m or "之间之间" in m for m in messages)
    assert any("0 到 100 之间" in m for m in messages)
    assert any("不小于 0 的" in m for m in messages)


def test_compiled_wide_sheets_stay_legible(tmp_path):
    from db.engine import open_database
    from tianbao.excel.compiled import export_compiled
    from tianbao.services.demo import make_demo

    db = open_database(tmp_path / "demo.sqlite", backups=False)
    try:
        make_demo(db)
        out = export_compiled(db, "DEMO", "xinhua-children", 2025, tmp_path / "c.xlsx")
    finally:
        db.close()
    wb = openpyxl.load_workbook(out.path)
    ws = wb["下级单位数据"]
    assert ws.max_column > 14  # eleven townships side by side
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth >= 2 and ws.print_title_cols == "$A:$D"
    assert ws.print_title_rows == "$3:$3"
    assert "演示区" in ws.oddFooter.left.text and "&P" in ws.oddFooter.center.text
    long = [r for r in range(4, ws.max_row + 1) if text_lines(ws.cell(r, 3).value or "", 34) > 1]
    assert long and all((ws.row_dimensions[r].height or 0) >= 27 for r in long)


def test_column_code_row_as_on_the_printed_form(db, exported):
    from tianbao.excel.imports import preview_import
    from tianbao.excel.layout import CODE_ROW, HEADER_ROW, PREVIOUS, SEQ

    _plan, _rid, out = exported
    wb = openpyxl.load_workbook(out.path)
    ws = _domain_sheets(wb)[0]
    codes = [ws.cell(CODE_ROW, c).value for c in range(SEQ, NUMBER + 3)]
    assert codes[:3] == ["甲", "乙", "丙"] and codes[PREVIOUS - 1 :] == ["1", "2", "3", "4"]
    assert ws.print_title_rows == f"${HEADER_ROW}:${CODE_ROW}"
    # the import does not take the code row for a data row
    (fp,) = preview_import(db, [out.path])
    assert not fp.refused and not fp.blocking
    assert not any("乙" in i.message or "甲" in i.message for i in fp.issues)
