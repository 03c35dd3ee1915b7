"""统计资料 (data book): the multi-year table and 指标解释, read back from xlsx and PDF."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from db import repo
from db.engine import open_database
from tianbao.cli.main import main
from tianbao.domain.explain import explain
from tianbao.domain.values import Entry
from tianbao.excel.databook import write_databook_xlsx
from tianbao.pdf.databook import write_databook_pdf
from tianbao.services.databook import databook
from tianbao.services.returns import ReturnService

PLAN, CODE = "heping-children", "V08"


@pytest.fixture
def book_db(tmp_path):
    db = open_database(tmp_path / "b.sqlite", backups=False)
    with db.session() as s:
        repo.add_unit(s, "D1", "测试区", "county")
        repo.add_unit(s, "T1", "甲镇", "township", "D1")
    svc = ReturnService(db)
    plan = svc.view(svc.open("D1", PLAN, 2023).id).plan
    count = next(i for i in plan.indicators if i.kind == "count")
    for y, v, n in ((2023, 92.5, 3), (2024, 93.0, 4), (2025, 94.25, 5)):
        rid = svc.open("D1", PLAN, y).id
        svc.save_entry(rid, CODE, "", Entry(number=v))
        svc.save_entry(rid, count.code, "", Entry(number=n))
    kid = svc.open("T1", PLAN, 2025).id
    svc.save_entry(kid, CODE, "", Entry(number=97.0))
    yield db, plan, count
    db.close()


def test_databook_table_xlsx(book_db, tmp_path):
    db, plan, count = book_db
    book = databook(db, "D1", PLAN, subunits=True)
    assert book.years == (2023, 2024, 2025)
    path = write_databook_xlsx(book, tmp_path / "资料.xlsx")
    wb = load_workbook(path)
    ws = wb["统计资料"]
    heads = [c.value for c in ws[3]]
    assert heads[:4] == ["序号", "指标代码", "指标名称", "计量单位"]
    assert heads[4:7] == ["2023年", "2024年", "2025年"] and heads[-1] == "数据来源"
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True)]
    mine = [r for r in rows if r[1] == CODE]
    assert len(mine) == 2  # the unit's block and the sub-unit's
    assert mine[0][4:7] == (92.5, 93.0, 94.25) and mine[1][6] == 97.0
    cell = next(c for c in ws["G"] if c.value == 94.25)
    assert cell.number_format == "0.00"
    counted = next(r for r in ws.iter_rows(min_row=4) if r[1].value == count.code)
    assert counted[4].number_format == "0"
    assert any(r[0] == "甲镇" for r in rows)
    # wrapped names get their row height; print setup for a landscape A4
    long_row = next(r[0].row for r in ws.iter_rows(min_row=4) if len(str(r[2].value or "")) > 18)
    assert ws.row_dimensions[long_row].height and ws.row_dimensions[long_row].height > 15
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"
    assert "测试区" in ws.oddFooter.left.text and "2023—2025年" in ws.oddFooter.left.text
    # 指标解释 with the catalogue's definitions
    ex = wb["指标解释"]
    row = next(r for r in ex.iter_rows(min_row=3, values_only=True) if r[0] == CODE)
    ind = plan.indicator(CODE)
    assert row[2] == explain(ind).definition and ind.numerator in row[3]
    assert row[5] == "×100（百分比，%）"


def test_databook_pdf(book_db, tmp_path):
    db, plan, _ = book_db
    out = tmp_path / "资料.pdf"
    pages = write_databook_pdf(databook(db, "D1", PLAN), out)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(out).pages))
    assert pages >= 2 and "统计资料（2023—2025年）" in text
    assert "92.50" in text and "94.25" in text  # fixed decimals
    assert "指标解释" in text and plan.indicator(CODE).numerator in text


def test_databook_cli(book_db, tmp_path, capsys):
    db, *_ = book_db
    path = str(db.path or db.url)
    db.close()
    path = path or str(tmp_path / "b.sqlite")
    out = tmp_path / "x.xlsx"
    assert main(["--db", path, "databook", "D1", PLAN, "--subunits", str(out)]) == 0
    assert out.exists() and "2023—2025年" in capsys.readouterr().out
    assert main(["--db", path, "databook", "D1", PLAN, str(tmp_path / "x.doc")]) == 2
    assert ".xlsx 或 .pdf" in capsys.readouterr().err


def test_databook_pdf_with_subunits_lists_what_each_reports(book_db, tmp_path):
    db, plan, count = book_db
    out = tmp_path / "资料下级.pdf"
    write_databook_pdf(databook(db, "D1", PLAN, subunits=True), out)
    pages = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(out).pages]
    town = "".join(p for p in pages if "甲镇" in p)
    assert "97.00" in town  # the township's own value, with its fixed decimals
    assert squash_name(plan.indicator(CODE).name) in town
    assert squash_name(count.name) not in town.split("甲镇", 1)[1].split("指标解释")[0]


def squash_name(text: str) -> str:
    return re.sub(r"\s+", "", text)
