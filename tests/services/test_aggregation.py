"""The assembled return (issue 14) on real SQLite files, with real xlsx and pdf files read back.

Worked examples by number: a department's figure taken as reported; a mean rule; a tally; a rate
with one sub-unit missing its counts flagged 数据不全 and not counted as met; that overview not
saying 100 %; the district's export imported back with 0 changes and the fingerprint of its PDF;
the chain township → district → city; the demo's overview, report and compiled workbook agreeing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from db import repo
from db.engine import open_database
from tianbao.domain.assembly import combine
from tianbao.domain.catalogue import load_builtin_plans
from tianbao.domain.fingerprint import view_fingerprint
from tianbao.domain.values import Entry
from tianbao.excel.compiled import export_compiled
from tianbao.excel.export import export_return
from tianbao.excel.imports import apply_import, preview_import
from tianbao.excel.layout import SOURCE, SOURCE_LABEL
from tianbao.pdf.report import write_monitoring_report
from tianbao.pdf.returns import write_return_pdf
from tianbao.services.aggregation import aggregate
from tianbao.services.duties import Duties
from tianbao.services.monitoring import monitor, rank
from tianbao.services.returns import ReturnService, SignOff

PLAN = "qingyuan-children"  # H04 婴儿死亡率 ‰ ≤3; H08 新生儿听力筛查率 % ; H01 qualitative
XINHUA = "xinhua-children"  # H36 小学心理健康教育课时数: each 小学 ≥12, the weakest sub-unit
YEAR = 2024


def _pdf_text(path) -> str:
    return "".join(p.extract_text() for p in PdfReader(str(path)).pages).replace("\n", "")


@pytest.fixture
def db(tmp_path):
    d = open_database(tmp_path / "district.sqlite", backups=False)
    with d.session() as s:
        repo.add_unit(s, "D", "甲区", "county")
        repo.add_unit(s, "T1", "一街道", "township", "D")
        repo.add_unit(s, "T2", "二镇", "township", "D")
        repo.add_unit(s, "WJ", "区卫健局", "department", "D")
    yield d
    d.close()


def _fill(svc, unit, plan, values):
    rid = svc.open(unit, plan, YEAR).id
    for code, entry in values.items():
        svc.save_entry(rid, code, "", entry)
    return rid


def test_a_departments_figure_is_taken_as_reported(db):
    """The division gives H04 to 区卫健局: its 3/1000 is the district's, whatever townships say."""
    Duties(db).set("D", PLAN, ["H04"], "WJ")
    Duties(db).set("D", PLAN, ["H08"], "subunits")
    svc = ReturnService(db)
    _fill(svc, "WJ", PLAN, {"H04": Entry(numerator=3, denominator=1000)})
    _fill(svc, "T1", PLAN, {"H08": Entry(numerator=95, denominator=100)})
    _fill(svc, "T2", PLAN, {"H08": Entry(numerator=190, denominator=200)})
    result = aggregate(db, "D", PLAN, YEAR)
    view = svc.view(result.return_id)
    h04 = view.row("H04")
    assert h04.entry == Entry(numerator=3, denominator=1000)
    assert h04.source.kind == "department" and h04.source.label() == "区卫健局填报"
    h08 = view.row("H08")
    assert h08.entry == Entry(numerator=285, denominator=300)
    assert h08.source.label() == "2个下级单位中2个汇总（比率重算）"


def test_a_mean_rule_never_sums_a_per_school_figure(db):
    """小学心理健康教育课时数 (each 小学 ≥12 hours): the district's is the weakest, 12, not 12 + 14."""
    svc = ReturnService(db)
    _fill(svc, "T1", XINHUA, {"H36": Entry(number=12)})
    _fill(svc, "T2", XINHUA, {"H36": Entry(number=14)})
    plan = load_builtin_plans()[XINHUA]
    assert plan.indicator("H36").aggregation == "min"
    rid = aggregate(db, "D", XINHUA, YEAR).return_id
    row = svc.view(rid).row("H36")
    assert row.entry.number == 12
    assert not any(f.code == "implausible" for _c, f in row.findings)
    # A duration (睡眠时间) is averaged by default: (9.5 + 10) / 2.
    sleep = replace(plan.indicator("H33"))
    assert sleep.aggregation == "mean"
    made = combine(sleep, [("一", {"": Entry(number=9.5)}), ("二", {"": Entry(number=10)})])
    assert made.cells[""] == Entry(number=9.75)


def test_a_tally_is_data_exported_read_back_and_fingerprinted(db, tmp_path):
    svc = ReturnService(db)
    _fill(svc, "T1", PLAN, {"H01": Entry(choice="yes")})
    _fill(svc, "T2", PLAN, {"H01": Entry(choice="partly")})
    rid = aggregate(db, "D", PLAN, YEAR).return_id
    view = svc.view(rid)
    assert view.row("H01").entry == Entry(choice="partly", tally=(1, 1, 0))
    out = export_return(db, rid, tmp_path / "d.xlsx")
    wb = load_workbook(out.path)
    ws = next(w for w in wb.worksheets if w.title != "_tianbao" and w.cell(6, SOURCE).value)
    assert ws.cell(6, SOURCE).value == SOURCE_LABEL
    cells = [ws.cell(r, SOURCE).value for r in range(8, ws.max_row + 1)]
    assert any(c and "是 1，部分 1，否 0" in c for c in cells)
    # The tally is in the fingerprint: without it the return's fingerprint differs.
    entries = {(r.indicator.code, c): e for r in view.rows for c, e in r.cells.items()}
    from tianbao.domain.fingerprint import fingerprint

    plain = {k: replace(e, tally=None) for k, e in entries.items()}
    assert fingerprint(PLAN, view.info.plan_version, "D", YEAR, plain) != out.fingerprint


def test_a_rate_with_one_subunit_missing_its_counts_is_flagged_and_not_met(db, tmp_path):
    """T1 typed 新生儿听力筛查率 95% without counts; T2 gave 90/100.  The district cannot make the
    rate: 数据不全, naming 一街道, the cell empty (not T2's 90%), not counted as met; and the
    overview does not say 100 % although every indicator it could judge is met."""
    svc = ReturnService(db)
    _fill(svc, "T1", PLAN, {"H08": Entry(number=95), "H04": Entry(numerator=2, denominator=1000)})
    _fill(svc, "T2", PLAN, {"H08": Entry(numerator=90, denominator=100), "H04": Entry(2, 2, 1000)})
    result = aggregate(db, "D", PLAN, YEAR)
    assert "H08" in result.incomplete
    row = svc.view(result.return_id).row("H08")
    assert row.entry.empty and row.incomplete
    assert "一街道" in row.source.units and "只填了比率" in row.source.reason
    assert row.status.status == "no_data" and row.status.detail.startswith("数据不全")
    blockers = svc.view(result.return_id).blockers()
    assert any("H08" in b and "数据不全" in b for b in blockers)
    rep = monitor(db, "D", PLAN, YEAR)
    assert rep.statuses["H04"].status == "met"
    assert "H08" in rep.overall.not_assessable_codes
    assert rep.overall.reasons["H08"] == "数据不全"
    assert rep.overall.rate is not None and rep.overall.rate < 100
    assert "100" not in rep.overall.describe().split("（")[0]
    # The annual report says so too, and never 已评估的各项指标均已达标 without the rest.
    pdf = write_monitoring_report(db, "D", PLAN, YEAR, tmp_path / "report.pdf")
    text = _pdf_text(pdf.path)
    assert "无法评估" in text and "数据不全" in text and "达标率100.0%" not in text


def test_subunits_that_missed_a_target_are_listed_even_when_the_total_is_met(db):
    svc = ReturnService(db)
    # 婴儿死亡率 ≤3‰: T1 6‰ misses, T2 1‰; the district 9/5000 = 1.8‰ is met.
    _fill(svc, "T1", PLAN, {"H04": Entry(numerator=6, denominator=1000)})
    _fill(svc, "T2", PLAN, {"H04": Entry(numerator=3, denominator=4000)})
    aggregate(db, "D", PLAN, YEAR)
    rep = monitor(db, "D", PLAN, YEAR)
    assert rep.statuses["H04"].status == "met"
    assert [name for name, _v, _d in rep.subunit_misses["H04"]] == ["一街道"]
    # The ranking judges each township by its own return's status.
    rows = rank(db, "D", PLAN, YEAR, "H04")
    assert rows[0][0] == "二镇" and rows[-1] == ("一街道", pytest.approx(6.0), "未达标")


def test_breakdown_rows_only_from_subunits_that_gave_them_consistently(db):
    plan = load_builtin_plans()[PLAN]
    ind = next(i for i in plan.indicators if i.is_rate and "urban_rural" in i.disaggregation)
    u, r = "urban_rural=urban", "urban_rural=rural"
    one = {"": Entry(numerator=7, denominator=3000), u: Entry(2, 2, 1000), r: Entry(5, 5, 2000)}
    other = {"": Entry(numerator=3, denominator=1000)}
    made = combine(ind, [("一", one), ("二", other)])
    assert made.cells[""] == Entry(numerator=10, denominator=4000)
    assert u not in made.cells and "城镇/农村分组未汇总" in made.reason and "二" in made.reason
    odd = {"": Entry(numerator=7, denominator=3000), u: Entry(2, 2, 1000), r: Entry(1, 1, 500)}
    made = combine(ind, [("一", odd), ("二", one)])
    assert u not in made.cells and "与合计不符" in made.reason
    both = combine(ind, [("一", one), ("二", one)])
    assert both.cells[u] == Entry(numerator=4, denominator=2000)
    # 不详 typed in a count: never left out silently.
    count = next(i for i in plan.indicators if i.kind == "count")
    made = combine(count, [("一", {"": Entry(number=3)}), ("二", {"": Entry(text="不详")})])
    assert not made.complete and "不详" in made.reason and made.units == ("二",)


def test_district_export_reimports_with_no_change_and_the_pdf_fingerprint(db, tmp_path):
    svc = ReturnService(db)
    for unit, k in (("T1", 1), ("T2", 2)):
        _fill(
            svc,
            unit,
            PLAN,
            {
                "H04": Entry(numerator=k, denominator=1000 * k),
                "H08": Entry(numerator=90 * k, denominator=100 * k),
                "H01": Entry(choice="yes" if k == 1 else "no"),
            },
        )
    rid = aggregate(db, "D", PLAN, YEAR).return_id
    xlsx = export_return(db, rid, tmp_path / "district.xlsx")
    pdf = write_return_pdf(db, rid, tmp_path / "district.pdf")
    assert pdf.fingerprint == xlsx.fingerprint == view_fingerprint(svc.view(rid))
    assert f"校验码 {pdf.fingerprint}" in _pdf_text(pdf.path)
    assert "来源：2个下级单位中2个汇总（比率重算）" in _pdf_text(pdf.path)
    [fp] = preview_import(db, [xlsx.path])
    assert fp.changes == () and not fp.blocking
    assert fp.fingerprint == fp.exported_fingerprint == xlsx.fingerprint


def _chain_db(path, units):
    d = open_database(path, backups=False)
    with d.session() as s:
        for args in units:
            repo.add_unit(s, *args)
    return d


def test_township_district_city_chain(tmp_path):
    """Two districts assemble their townships' files; the city imports the districts' files
    and assembles them: counts add up, rates are recomputed, tallies add, statuses travel."""
    city = _chain_db(
        tmp_path / "city.sqlite",
        [("C", "市", "city", None), ("D1", "甲区", "county", "C"), ("D2", "乙区", "county", "C")],
    )
    district_files = []
    signoff = SignOff("王一", "李二", "张三", "123", date(2025, 1, 15))
    for dcode, dname, towns in (
        ("D1", "甲区", [("T1", 2, 1000, "yes"), ("T2", 4, 1000, "yes")]),
        ("D2", "乙区", [("T3", 6, 2000, "partly")]),
    ):
        d = _chain_db(
            tmp_path / f"{dcode}.sqlite",
            [(dcode, dname, "county", None)]
            + [(t, f"{t}街道", "township", dcode) for t, *_ in towns],
        )
        town_db = _chain_db(tmp_path / f"{dcode}-towns.sqlite", [(dcode, dname, "county", None)])
        tsvc = ReturnService(town_db)
        with town_db.session() as s:
            for t, *_ in towns:
                repo.add_unit(s, t, f"{t}街道", "township", dcode)
        files = []
        for t, num, den, choice in towns:
            rid = _fill(
                tsvc,
                t,
                PLAN,
                {"H04": Entry(numerator=num, denominator=den), "H01": Entry(choice=choice)},
            )
            for row in tsvc.view(rid).rows:
                tsvc.save_explanation(rid, row.indicator.code, "本单位不承担此项统计。")
            tsvc.submit(rid, signoff)
            files.append(export_return(town_db, rid, tmp_path / f"{t}.xlsx").path)
        for f in files:  # the district imports its townships' files
            [fp] = preview_import(d, [f])
            res = apply_import(d, fp)
            assert res.submitted  # a submitted return stays submitted at the district
        rid = aggregate(d, dcode, PLAN, YEAR).return_id
        district_files.append(export_return(d, rid, tmp_path / f"{dcode}.xlsx").path)
        [again] = preview_import(d, [district_files[-1]])
        assert again.changes == ()
        d.close()
        town_db.close()
    for f in district_files:
        [fp] = preview_import(city, [f])
        apply_import(city, fp)
    rid = aggregate(city, "C", PLAN, YEAR).return_id
    view = ReturnService(city).view(rid)
    assert view.row("H04").entry == Entry(numerator=12, denominator=4000)  # 3‰, not (3 + 3)/2
    assert view.row("H01").entry == Entry(choice="partly", tally=(2, 1, 0))
    xlsx = export_return(city, rid, tmp_path / "city.xlsx")
    [back] = preview_import(city, [xlsx.path])
    assert back.changes == () and back.fingerprint == xlsx.fingerprint
    city.close()


def test_demo_overview_report_and_compiled_workbook_agree(tmp_path):
    from tianbao.services.demo import make_demo

    d = open_database(tmp_path / "demo.sqlite", backups=False)
    make_demo(d)
    svc = ReturnService(d)
    years = sorted({y for y in range(2021, 2031)})
    year = max(
        y for y in years if repo_return_exists(d, "DEMO", XINHUA, y)
    )  # the demo's latest year
    info = svc.existing("DEMO", XINHUA, year)
    view = svc.view(info.id)
    rep = monitor(d, "DEMO", XINHUA, year)
    # Every value says where it came from; a department's figure is its own return's.
    assert all(r.source is not None for r in view.rows)
    # The report: the same 达标率 sentence and, per indicator, the same status.
    pdf = write_monitoring_report(d, "DEMO", XINHUA, year, tmp_path / "report.pdf")
    text = _pdf_text(pdf.path)
    assert rep.overall.describe() in text
    # The compiled workbook: the district column of the compliance sheet says what the view says.
    out = export_compiled(d, "DEMO", XINHUA, year, tmp_path / "compiled.xlsx")
    wb = load_workbook(out.path)
    ws = wb["下级单位达标情况"]
    head = [c.value for c in ws[3]]
    total_col = head.index("合计") + 1
    labels = {"met": "达标", "not_met": "未达标", "close": "接近", "no_data": "无数据"}
    seen = 0
    for r in range(4, ws.max_row + 1):
        code = ws.cell(r, 2).value
        if not code:
            continue
        row = view.row(code)
        want = "数据不全" if row.incomplete else labels.get(row.status.status)
        if want:
            assert ws.cell(r, total_col).value == want, code
            seen += 1
    assert seen > 20
    summary = {ws.cell(r, 3).value: ws.cell(r, total_col).value for r in range(4, ws.max_row + 1)}
    assert summary["达标"] == rep.overall.met
    assert summary["应评估指标数"] == rep.overall.due
    assert summary["达标率（%）"] == round(rep.overall.rate, 1)
    # And the district's own file round-trips exactly.
    xlsx = export_return(d, info.id, tmp_path / "demo.xlsx")
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){3}", xlsx.fingerprint)
    [fp] = preview_import(d, [xlsx.path])
    assert fp.changes == () and fp.fingerprint == xlsx.fingerprint
    d.close()


def repo_return_exists(db, unit_code, plan_id, year) -> bool:
    with db.session() as s:
        u = repo.unit_by_code(s, unit_code)
        return repo.find_return(s, u.id, plan_id, year) is not None
