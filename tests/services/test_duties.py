"""填报分工 end to end on real files: a district with three departments and two townships assigns
duties, sends out the templates, colleagues fill them in a spreadsheet, the office imports them,
and each unit's return, template and paper form hold only what it reports."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date

import openpyxl
import pytest

from db import repo
from db.engine import open_database
from db.plans import get_plan, save_plan_version
from tests.support import xlsx as h
from tests.support.pdf import page_texts
from tianbao.cli.main import main
from tianbao.domain.values import Entry, SignOff, cells_of
from tianbao.excel.export import export_template
from tianbao.excel.imports import apply_import, preview_import
from tianbao.excel.layout import CODE, FIRST_DATA_ROW, HEADER_ROW, SIGNOFF_KEY
from tianbao.excel.progress import export_progress
from tianbao.excel.templates import export_all_templates
from tianbao.pdf.returns import write_blank_form_pdf
from tianbao.services.duties import Duties, Source, department_key
from tianbao.services.progress import progress
from tianbao.services.returns import ReturnService

PLAN = "xinhua-children"  # H09 immunisation: ≥90% in every township (each = 乡镇（街道）)
YEAR = 2025
WJ, JY, GA = "XH-WJ", "XH-JY", "XH-GA"
HEALTH = ["H03", "H04", "H05", "H24"]
POLICE = ["S02", "S04"]


@pytest.fixture
def db(tmp_path):
    d = open_database(tmp_path / "duties.sqlite", backups=False)
    with d.session() as s:
        repo.add_unit(s, "XH", "新华区", "county")
        repo.add_unit(s, "T1", "西市场街道", "township", "XH")
        repo.add_unit(s, "T2", "焦店镇", "township", "XH")
        repo.add_unit(s, WJ, "区卫生健康局", "department", "XH")
        repo.add_unit(s, JY, "区教育局", "department", "XH")
        repo.add_unit(s, GA, "区公安分局", "department", "XH")
    yield d
    d.close()


def _plan(db, plan_id=PLAN):
    with db.session() as s:
        return get_plan(s, plan_id)


def _education(db):
    return [i.code for i in _plan(db).indicators if i.domain == "education"]


def _assign(db) -> Duties:
    du = Duties(db, user="办公室")
    du.set("XH", PLAN, HEALTH, WJ)
    du.set_domain("XH", PLAN, "儿童与教育", "区教育局")  # by name as well as by code
    du.set("XH", PLAN, POLICE, GA)
    du.set("XH", PLAN, ["V08"], "subunits")
    return du


def _template_codes(path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    codes = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" or ws.cell(HEADER_ROW, CODE).value != "指标代码":
            continue
        for r in range(FIRST_DATA_ROW, ws.max_row + 1):
            v = ws.cell(r, CODE).value
            if v and v not in codes:
                codes.append(v)
    return codes


def _sheet_text(path) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join(
        str(c.value)
        for ws in wb.worksheets
        if ws.sheet_state == "visible"
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    )


def _entries_for(plan, codes) -> dict:
    """Plausible values a colleague types: counts for rates, 是 for goals."""
    out = {}
    for ind in plan.indicators:
        if ind.code not in codes:
            continue
        for cell, _ in cells_of(ind):
            if ind.kind == "yesno":
                out[(ind.code, cell)] = Entry(choice="yes")
            elif ind.is_rate:
                out[(ind.code, cell)] = Entry(numerator=3.0, denominator=2000.0)
            elif ind.kind != "text":
                out[(ind.code, cell)] = Entry(number=12.0)
    return out


# --- the division itself --------------------------------------------------------------------


def test_without_a_division_every_unit_reports_everything_and_defaults_are_shown(db):
    du = Duties(db)
    src = du.source_of("XH", PLAN)
    assert len(src) == len(_plan(db).indicators)
    assert src["H09"] == Source("subunits", None)  # 以乡镇（街道）为单位 → the townships
    assert src["H04"] == Source("self", None)  # the built-in plan names no department
    assert du.indicators_for(WJ, PLAN) is None and du.indicators_for("T1", PLAN) is None
    assert not du.is_set("XH", PLAN)


def test_assigning_by_codes_domain_and_filter_is_audited(db):
    du = _assign(db)
    src = du.source_of("XH", PLAN)
    assert {c for c, s in src.items() if s == Source("department", WJ)} == set(HEALTH)
    assert du.indicators_for(WJ, PLAN) == HEALTH
    assert du.indicators_for(JY, PLAN) == _education(db)
    assert du.indicators_for(GA, PLAN) == POLICE
    assert du.indicators_for("T1", PLAN) == ["H09", "V08"]  # plan order
    assert du.indicators_for("XH", PLAN) is None  # the office's own return is whole
    ch = du.set_matching("XH", PLAN, "近视率", JY)
    assert set(ch.indicators) == {"H14", "H15", "H16", "H17"} and ch.changed
    assert du.source_of("XH", PLAN)["H15"] == Source("department", JY)
    again = du.set("XH", PLAN, ["H15"], JY)
    assert not again.changed
    hist = [a for a in du.history("XH") if a.indicator == "H04"]
    assert (hist[-1].old, hist[-1].new, hist[-1].user) == ("本级", "区卫生健康局", "办公室")


@pytest.mark.parametrize(
    ("codes", "to", "message"),
    [
        (["H04"], "XH-NOPE", "不是新华区的成员单位"),
        (["ZZ99"], "self", "没有指标：ZZ99"),
        ([], "self", "请指定要分配的指标代码"),
    ],
)
def test_bad_assignments_say_what_is_wrong_and_change_nothing(db, codes, to, message):
    du = _assign(db)
    before = h.dump(db)
    with pytest.raises(repo.InputError, match=message):
        du.set("XH", PLAN, codes, to)
    assert h.dump(db) == before


def test_subunits_need_sub_units(db):
    with db.session() as s:
        repo.add_unit(s, "LONE", "孤县", "county")
    with pytest.raises(repo.InputError, match="还没有下级单位"):
        Duties(db).set("LONE", PLAN, ["H04"], "subunits")


def test_defaults_match_the_catalogues_departments_by_name(db):
    plan = _plan(db)
    inds = {
        "H04": ("区卫健委",),
        "E04": ("教育局",),
        "L11": ("区法院",),  # no court among the members: stays with the office
    }
    local = replace(
        plan,
        id="xinhua-local",
        domains=tuple(
            replace(
                d,
                indicators=tuple(
                    replace(i, departments=inds.get(i.code, i.departments)) for i in d.indicators
                ),
            )
            for d in plan.domains
        ),
    )
    with db.session() as s:
        save_plan_version(s, local)
    src = Duties(db).source_of("XH", "xinhua-local")
    assert src["H04"] == Source("department", WJ)
    assert src["E04"] == Source("department", JY)
    assert src["L11"] == Source("self", None)
    assert department_key("区卫生健康委员会") == department_key("卫健局") == "卫健"
    assert department_key("区公安分局") == department_key("公安局") == "公安"


def test_the_division_is_kept_per_plan_version(db):
    du = _assign(db)
    with db.session() as s:
        v2 = save_plan_version(s, _plan(db))  # a new version of the plan
    assert du.source_of("XH", PLAN, version=v2.version)["H04"] == Source("department", WJ)
    du.set("XH", PLAN, ["H04"], "self")  # changed under version 2 only
    assert du.source_of("XH", PLAN)["H04"] == Source("self")
    assert du.source_of("XH", PLAN, version=1)["H04"] == Source("department", WJ)


# --- the sheet ---------------------------------------------------------------------------------


def test_division_sheet_round_trip_and_a_bad_sheet_changes_nothing(db, tmp_path):
    du = _assign(db)
    path = du.export_xlsx("XH", PLAN, tmp_path / "分工.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["填报分工"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=4) if r[0].value}
    assert rows["H04"][3].value == "区卫生健康局" and rows["H04"][4].value == WJ
    assert rows["V08"][4].value == "subunits" and rows["H01"][4].value == "self"
    rows["H01"][4].value = GA  # the office edits the sheet in Excel
    wb.save(path)
    ch = du.import_xlsx("XH", PLAN, path)
    assert ch.changed and ch.indicators == ("H01",)
    assert du.source_of("XH", PLAN)["H01"] == Source("department", GA)
    hist = du.history("XH")[-1]
    assert hist.source == "imported" and hist.source_file == "分工.xlsx"

    rows["H02"][4].value = "卫生院"  # not a member
    rows["H03"][4].value = None
    wb.save(tmp_path / "bad.xlsx")
    before = h.dump(db)
    with pytest.raises(repo.InputError) as e:
        du.import_xlsx("XH", PLAN, tmp_path / "bad.xlsx")
    assert "2 处错误" in str(e.value) and "卫生院" in str(e.value) and "H03" in str(e.value)
    assert h.dump(db) == before
    (tmp_path / "junk.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(repo.InputError, match="不是有效的 xlsx"):
        du.import_xlsx("XH", PLAN, tmp_path / "junk.xlsx")
    other = openpyxl.Workbook()
    other.active.append(["代码", "名称"])
    other.save(tmp_path / "other.xlsx")
    with pytest.raises(repo.InputError, match="不是填报分工表"):
        du.import_xlsx("XH", PLAN, tmp_path / "other.xlsx")
    assert h.dump(db) == before


# --- the whole round: templates out, filled, imported --------------------------------------------


def test_templates_out_filled_imported_each_return_holds_only_its_own(db, tmp_path):
    _assign(db)
    plan = _plan(db)
    out = tmp_path / "发出"
    sent = export_all_templates(db, "XH", PLAN, YEAR, out)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        f"2025_{n}_xinhua-children_空白表.xlsx"
        for n in ("区卫生健康局", "区教育局", "区公安分局", "西市场街道", "焦店镇")
    )
    own = {
        WJ: HEALTH,
        JY: _education(db),
        GA: POLICE,
        "T1": ["H09", "V08"],
        "T2": ["H09", "V08"],
    }
    by_unit = {t.unit_code: t for t in sent}
    for unit, codes in own.items():
        assert _template_codes(by_unit[unit].path) == codes, unit
        assert by_unit[unit].indicators == len(codes)
    assert "本表由区教育局填报" in _sheet_text(by_unit[JY].path)

    # Colleagues fill their templates in a spreadsheet; the police have not sent theirs.
    filled = tmp_path / "收回"
    filled.mkdir()
    for unit in (WJ, JY, "T1"):
        src = by_unit[unit].path
        h.fill_template(src, filled / src.name, plan, _entries_for(plan, own[unit]))
    previews = preview_import(db, [filled])
    assert len(previews) == 3
    for fp in previews:
        assert fp.can_apply, (fp.name, fp.refused, [i.message for i in fp.blocking])
        apply_import(db, fp)

    svc = ReturnService(db)
    for unit in (WJ, JY, "T1"):
        info = svc.existing(unit, PLAN, YEAR)
        view = svc.view(info.id)
        assert [r.indicator.code for r in view.own_rows] == own[unit]
        assert len(view.rows) == len(plan.indicators)  # the others are there to read
        with db.session() as s:
            stored = {code for code, _cell in repo.entries(s, info.id)}
        assert stored == set(own[unit])
        assert all(b.code in own[unit] for b in view.blocking())
    # Typing another unit's indicator is refused with the reason.
    wj = svc.existing(WJ, PLAN, YEAR).id
    with pytest.raises(repo.InputError, match="不由区卫生健康局填报"):
        svc.save_entry(wj, "E04", "", Entry(number=90))

    # 收报情况
    p = progress(db, "XH", PLAN, YEAR)
    lines = {u.unit_code: u for u in p.units}
    assert list(lines) == [WJ, JY, GA, "T1", "T2"]
    assert (len(lines[WJ].assigned), lines[WJ].filled) == (4, 4)
    assert lines[WJ].state == "draft" and lines[WJ].imported_file == by_unit[WJ].path.name
    digest = hashlib.sha256((filled / by_unit[WJ].path.name).read_bytes()).hexdigest()
    assert lines[WJ].imported_sha256 == digest and lines[WJ].fingerprint
    assert lines[GA].state == "none" and lines[GA].missing == tuple(POLICE)
    assert lines["T2"].state == "none" and lines["T2"].filled == 0
    assert lines["T1"].filled == 2 and not lines["T1"].missing
    assert {u.unit_code for u in p.late} == {WJ, JY, GA, "T1", "T2"}

    # T1 explains its warnings and submits: the count moves.
    t1 = svc.existing("T1", PLAN, YEAR).id
    for b in svc.view(t1).blocking():
        svc.save_explanation(t1, b.code, "经核实无误。")
    svc.submit(t1, SignOff("王", "李", "张", "0375-1234567", date(2026, 1, 5)))
    p = progress(db, "XH", PLAN, YEAR)
    assert p.submitted == 1 and {u.unit_code for u in p.late} == {WJ, JY, GA, "T2"}
    sheet = export_progress(db, "XH", PLAN, YEAR, tmp_path / "收报情况.xlsx")
    ws = openpyxl.load_workbook(sheet).active
    text = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(text) if r[0] == "单位代码")
    body = {r[0]: r for r in text[head + 1 :] if r[0]}
    assert body[GA][7] == "未报" and "S02" in body[GA][13] and "S04" in body[GA][13]
    assert body[WJ][3] == 4 and body[WJ][10] == by_unit[WJ].path.name and body[WJ][11] == digest
    assert "区公安分局" in text[1][0]  # the late ones at a glance


def test_blank_template_and_paper_form_hold_only_the_units_indicators(db, tmp_path):
    _assign(db)
    out = export_template(db, GA, PLAN, YEAR, tmp_path / "ga.xlsx")
    assert _template_codes(out.path) == POLICE
    assert "本表由区公安分局填报" in _sheet_text(out.path)
    pdf = write_blank_form_pdf(db, GA, PLAN, YEAR, tmp_path / "ga.pdf")
    text = "".join(page_texts(pdf.path))
    assert "本表由区公安分局填报" in text
    assert "儿童伤害死亡率" in text and "儿童溺水死亡率" in text
    assert "婴儿死亡率" not in text and "学前教育毛入园率" not in text
    # The office's own paper form is whole and says nothing of a division.
    whole = "".join(page_texts(write_blank_form_pdf(db, "XH", PLAN, YEAR, tmp_path / "x.pdf").path))
    assert "婴儿死亡率" in whole and "本表由新华区填报" not in whole


# --- the command line --------------------------------------------------------------------------


def _plan_of_url(url):
    d = open_database(url, backups=False)
    try:
        return _plan(d)
    finally:
        d.close()


def _run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.sqlite_only
def test_cli_lists_sets_exports_and_reports_progress(db, capsys, tmp_path):
    url = str(db.engine.url.database)
    db.close()
    code, out, _ = _run(capsys, "--db", url, "duties", "XH", PLAN, "--json")
    assert code == 0
    listed = json.loads(out)
    assert listed["set"] is False
    assert len(listed["indicators"]) == len(_plan_of_url(url).indicators)
    code, out, err = _run(capsys, "--db", url, "duties", "XH", PLAN, "H04", "H05", "--to", WJ)
    assert code == 0 and "已将 2 个指标分给区卫生健康局" in out
    code, out, _ = _run(capsys, "--db", url, "duties", "XH", PLAN, "--domain", "safety", "--to", GA)
    assert code == 0
    code, out, err = _run(capsys, "--db", url, "duties", "XH", PLAN, "H04", "--to", "法院")
    assert code == 2 and "不是新华区的成员单位" in err
    code, out, err = _run(capsys, "--db", url, "duties", "XH", PLAN, "H04")
    assert code == 2 and "--to" in err
    code, out, _ = _run(capsys, "--db", url, "duties", "XH", PLAN, "--json")
    got = {i["code"]: (i["kind"], i["unit"]) for i in json.loads(out)["indicators"]}
    assert got["H04"] == ("department", WJ) and got["S02"] == ("department", GA)
    code, out, _ = _run(capsys, "--db", url, "duties", "XH", PLAN, "--export", str(tmp_path / "d"))
    assert code == 0 and (tmp_path / "d.xlsx").exists()
    (tmp_path / "bad.xlsx").write_text("x")
    code, _, err = _run(
        capsys, "--db", url, "duties", "XH", PLAN, "--import", str(tmp_path / "bad.xlsx")
    )
    assert code == 2 and "不是有效的 xlsx" in err
    code, out, _ = _run(
        capsys, "--db", url, "duties", "XH", PLAN, "--import", str(tmp_path / "d.xlsx")
    )
    assert code == 0
    code, out, _ = _run(capsys, "--db", url, "templates", "XH", PLAN, "2025", str(tmp_path / "t"))
    assert code == 0 and "已为 4 个单位导出空白模板" in out  # WJ, GA and the two townships
    assert (tmp_path / "t" / "2025_区公安分局_xinhua-children_空白表.xlsx").exists()
    code, out, _ = _run(capsys, "--db", url, "progress", "XH", PLAN, "2025", "--json")
    assert code == 0
    units = {u["code"]: u for u in json.loads(out)["units"]}
    assert units[WJ]["assigned"] == 2 and units[WJ]["state"] == "none"
    assert set(units) == {WJ, GA, "T1", "T2"}
    code, out, _ = _run(capsys, "--db", url, "progress", "XH", PLAN, "2025")
    assert code == 0 and "未报送：区卫生健康局" in out
    code, out, _ = _run(
        capsys, "--db", url, "progress", "XH", PLAN, "2025", "--export", str(tmp_path / "p.xlsx")
    )
    assert code == 0 and (tmp_path / "p.xlsx").exists()
    code, _, err = _run(capsys, "--db", url, "progress", "NOPE", PLAN, "2025")
    assert code == 2 and "没有代码为“NOPE”的单位" in err


def test_a_whole_old_template_brings_only_the_units_own_figures(db, tmp_path):
    plan = _plan(db)
    old = export_template(db, WJ, PLAN, YEAR, tmp_path / "old.xlsx")  # before the division
    assert len(_template_codes(old.path)) == len(plan.indicators)
    _assign(db)
    h.fill_template(old.path, tmp_path / "filled.xlsx", plan, _entries_for(plan, {"H04", "E04"}))
    (fp,) = preview_import(db, [tmp_path / "filled.xlsx"])
    assert any("不由区卫生健康局填报" in i.message and "E04" in i.message for i in fp.issues)
    assert {c.indicator for c in fp.changes if c.indicator != SIGNOFF_KEY} <= set(HEALTH)
    apply_import(db, fp)
    svc = ReturnService(db)
    rid = svc.existing(WJ, PLAN, YEAR).id
    with db.session() as s:
        assert {code for code, _ in repo.entries(s, rid)} == {"H04"}
    # The Excel return of the department holds its own rows only.
    from tianbao.excel.export import export_return

    out = export_return(db, rid, tmp_path / "wj.xlsx")
    assert _template_codes(out.path) == HEALTH
    assert "本表由区卫生健康局填报" in _sheet_text(out.path)
