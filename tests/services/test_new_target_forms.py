"""The target forms of issue 16 on a real SQLite file with the built-in catalogues: the reference
figure is entered with the return (a cell like a breakdown), the value reached in a milestone
year comes from the unit's own return of that year (or a baseline stored for that year), and both
reach the grid's status, the checks, the Excel return and the printed PDF."""

import openpyxl
import pytest

from db import repo
from db.engine import open_database
from tests.support.pdf import page_texts
from tianbao.domain.values import REFERENCE, Entry, cells_of
from tianbao.excel.export import export_return
from tianbao.excel.layout import CODE, GROUP, NUMBER, NUMERATOR
from tianbao.pdf.returns import write_return_pdf
from tianbao.services.aggregation import aggregate
from tianbao.services.returns import ReturnService


@pytest.fixture
def db(tmp_path):
    d = open_database(tmp_path / "forms.sqlite", backups=False)
    with d.session() as s:
        repo.add_unit(s, "D", "梨树区", "county")
    yield d
    d.close()


def _codes(row) -> list[str]:
    return [f.code for _cell, f in row.findings]


def test_party_congress_share_is_judged_against_the_reference_figure(db):
    svc = ReturnService(db)
    rid = svc.open("D", "lishu-women", 2024).id
    ind = svc.view(rid).plan.indicator("D02")
    assert cells_of(ind)[-1] == (REFERENCE, "参照值：本地区党员总数中女性比例")

    svc.save_entry(rid, "D02", "", Entry(numerator=90, denominator=300))  # 30 %
    row = svc.view(rid).row("D02")
    assert row.status.status == "no_data" and "未填报参照值" in row.status.detail
    assert "reference_missing" in _codes(row)

    svc.save_entry(rid, "D02", REFERENCE, Entry(numerator=3150, denominator=10000))  # 31.5 %
    row = svc.view(rid).row("D02")
    assert row.status.status == "close"  # 30 % against 31.5 %: within 5 % of the bar
    assert "参照值（本地区党员总数中女性比例） 31.50%" in row.status.detail
    assert "reference_missing" not in _codes(row)

    svc.save_entry(rid, "D02", REFERENCE, Entry(numerator=4000, denominator=10000))  # 40 %
    row = svc.view(rid).row("D02")
    assert row.status.status == "not_met" and "target_not_met" in _codes(row)
    svc.save_entry(rid, "D02", "", Entry(numerator=130, denominator=300))  # 43.3 %
    assert svc.view(rid).row("D02").status.status == "met"


def test_above_what_was_reached_in_2025_reads_the_2025_return(db):
    svc = ReturnService(db)
    r2030 = svc.open("D", "xinhua-children", 2030).id
    svc.save_entry(r2030, "H20", "", Entry(numerator=66, denominator=100))
    row = svc.view(r2030).row("H20")
    assert row.status.status == "no_data" and "缺少2025年实际值" in row.status.detail

    r2025 = svc.open("D", "xinhua-children", 2025).id
    svc.save_entry(r2025, "H20", "", Entry(numerator=65, denominator=100))
    assert svc.view(r2025).row("H20").status.status == "met"  # 2025: ≥ 60 %
    row = svc.view(r2030).row("H20")
    assert row.status.status == "met" and "2025年实际值 65.00%" in row.status.detail
    svc.save_entry(r2030, "H20", "", Entry(numerator=61, denominator=100))
    row = svc.view(r2030).row("H20")
    assert row.status.status == "not_met"  # above the 60 % target, but below what 2025 reached
    assert "target_not_met" in _codes(row)
    # 进一步巩固提高 (E08): not below 2025, so equal is met
    svc.save_entry(r2025, "E08", "", Entry(numerator=95, denominator=100))
    svc.save_entry(r2030, "E08", "", Entry(numerator=95, denominator=100))
    assert svc.view(r2030).row("E08").status.status == "met"


def test_without_the_2025_return_a_baseline_stored_for_2025_is_the_value_reached(db):
    svc = ReturnService(db)
    rid = svc.open("D", "xinhua-children", 2030).id
    svc.save_entry(rid, "H20", "", Entry(numerator=70, denominator=100))
    svc.save_baseline(rid, "H20", 2025, 72.0)
    row = svc.view(rid).row("H20")
    assert row.status.status == "close" and "2025年实际值 72.00%" in row.status.detail
    svc.save_baseline(rid, "H20", 2020, 72.0)  # a baseline of another year is not the 2025 value
    assert svc.view(rid).row("H20").status.status == "no_data"


def test_excel_return_has_the_reference_row(db, tmp_path):
    svc = ReturnService(db)
    rid = svc.open("D", "lishu-women", 2024).id
    svc.save_entry(rid, "D02", "", Entry(numerator=90, denominator=300))
    svc.save_entry(rid, "D02", REFERENCE, Entry(numerator=3200, denominator=10000))
    out = export_return(db, rid, tmp_path / "lishu-women-2024.xlsx")
    wb = openpyxl.load_workbook(out.path)
    rows = [
        (ws.cell(r, GROUP).value, ws.cell(r, NUMERATOR).value, ws.cell(r, NUMBER).value)
        for ws in wb.worksheets
        for r in range(1, ws.max_row + 1)
        if ws.cell(r, CODE).value == "D02"
    ]
    assert ("参照值", 3200, pytest.approx(32)) in [(g, n, v) for g, n, v in rows]


def test_printed_return_shows_the_new_targets_and_the_reference_row(db, tmp_path):
    svc = ReturnService(db)
    rid = svc.open("D", "lishu-women", 2024).id
    svc.save_entry(rid, "D02", "", Entry(numerator=90, denominator=300))
    svc.save_entry(rid, "D02", REFERENCE, Entry(numerator=3200, denominator=10000))
    write_return_pdf(db, rid, tmp_path / "r.pdf")
    text = "".join(page_texts(tmp_path / "r.pdf"))
    assert "≥本地区党员总数中女性比例" in text
    assert "参照值：本地区党员总数中女性比例" in text
    assert "其中：参照值" not in text  # a reference is not a part of the total
    assert "容差为目录取值" in text  # 左右 tolerances are the catalogue's reading

    r2030 = svc.open("D", "xinhua-children", 2030).id
    write_return_pdf(db, r2030, tmp_path / "x.pdf")
    assert ">2025年实际值(2030年)" in "".join(page_texts(tmp_path / "x.pdf"))


def test_the_reference_figure_is_aggregated_from_summed_counts(db):
    """Two townships' reference figures add up like any rate cell: summed counts, not averaged."""
    with db.session() as s:
        repo.add_unit(s, "T1", "一镇", "township", "D")
        repo.add_unit(s, "T2", "二镇", "township", "D")
    svc = ReturnService(db)
    for unit, (num, den), (rnum, rden) in (
        ("T1", (10, 100), (300, 1000)),
        ("T2", (90, 200), (1700, 4000)),
    ):
        rid = svc.open(unit, "lishu-women", 2024).id
        svc.save_entry(rid, "D02", "", Entry(numerator=num, denominator=den))
        svc.save_entry(rid, "D02", REFERENCE, Entry(numerator=rnum, denominator=rden))
    result = aggregate(db, "D", "lishu-women", 2024)
    row = svc.view(result.return_id).row("D02")
    assert row.cells[REFERENCE] == Entry(numerator=2000, denominator=5000)  # 40 %, not (30+42.5)/2
    assert row.entry == Entry(numerator=100, denominator=300)  # 33.3 %
    assert row.status.status == "not_met"
