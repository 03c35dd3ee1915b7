"""中期评估报告 and its data annex, read back (pypdf, openpyxl), against a worked example.

Worked example (heping-children V08 农村自来水普及率, target ≥99% in 2030, base year 2020):
base 90%, then 91, 91.5, 92.5, 93, 94 in 2021–2025.  The straight path from 90 (2020) to 99
(2030) asks for 94.5 in 2025, so 94 is 落后于进度; the least-squares trend of 2021–2025 rises
0.75 a year and projects 92.4 + 0.75 × 7 = 97.65 for 2030 (难达); the change since the base
year is +4 个百分点.  With 95 in 2025 the indicator is 按进度.
"""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from db import repo
from db.engine import open_database
from tests.support.pdf import page_texts
from tianbao.cli.main import main
from tianbao.domain.values import Entry
from tianbao.excel.annex import write_annex
from tianbao.pdf.evaluation import write_evaluation_report
from tianbao.services.evaluation import evaluation
from tianbao.services.returns import ReturnService

PLAN, CODE = "heping-children", "V08"
VALUES = {2021: 91.0, 2022: 91.5, 2023: 92.5, 2024: 93.0, 2025: 94.0}


def _fill(db, values=VALUES, sub=None):
    with db.session() as s:
        repo.add_unit(s, "D1", "测试区", "county")
        repo.add_unit(s, "T1", "甲镇", "township", "D1")
        repo.add_unit(s, "T2", "乙镇", "township", "D1")
    svc = ReturnService(db)
    for y, v in values.items():
        rid = svc.open("D1", PLAN, y).id
        svc.save_entry(rid, CODE, "", Entry(number=v))
    svc.save_baseline(rid, CODE, 2020, 90.0)
    for code, v in (sub or {}).items():
        kid = svc.open(code, PLAN, 2025).id
        svc.save_entry(kid, CODE, "", Entry(number=v))


@pytest.fixture
def db(tmp_path):
    d = open_database(tmp_path / "e.sqlite", backups=False)
    yield d
    d.close()


def test_worked_example_figures(db):
    _fill(db)
    r = evaluation(db, "D1", PLAN, 2025).row(CODE)
    assert r.base == (2020, 90.0) and not r.base_is_start
    assert [r.values[y] for y in sorted(VALUES)] == list(VALUES.values())
    assert r.status.status == "behind" and "94.50%" in r.status.detail
    assert r.projected == pytest.approx(97.65) and r.projected_meets is False
    assert r.change == pytest.approx(4.0)
    assert r.count == "behind"


def test_on_course_when_at_the_path(db):
    _fill(db, {**VALUES, 2025: 95.0})
    r = evaluation(db, "D1", PLAN, 2025).row(CODE)
    assert r.status.status == "on_course" and r.count == "on_course"


def test_final_evaluation_judges_the_final_target_as_due(db):
    _fill(db)
    r = evaluation(db, "D1", PLAN, 2025, final=True).row(CODE)
    assert r.status.status == "not_met"


def test_report_and_annex_read_back(db, tmp_path):
    _fill(db, sub={"T1": 97.0, "T2": 88.0})
    out = tmp_path / "mid.pdf"
    res = write_evaluation_report(db, "D1", PLAN, 2025, out)
    text = "".join(page_texts(out))
    assert "2025年中期评估报告" in text and "评估单位：测试区" in text
    for part in (
        "一、总体情况",
        "表1分领域评估结果",
        "表2指标逐年数值",
        "表3目标进度评估",
        "四、落后于进度和未达标的指标",
        "五、下级单位评估",
        "六、定性目标",
        "七、数据来源",
    ):
        assert part in text, part
    assert "落后于进度1项" in text
    # Every figure of the indicator with its fixed decimals (two for a rate), as in the grid and
    # the returns: base, each year, the change since the base year, the projection, the path.
    assert "农村自来水普及率%202090.0091.0091.5092.5093.0094.00+4.00个百分点" in text
    assert "97.65，难达" in text and "2025年94.00%" in text and "应不低于94.50%" in text
    assert "实际94.00%" in text and "基期值90.00%" in text
    assert "农村自来水普及率%97.00×88.00×" in text  # sub-units side by side
    assert CODE in res.charts  # the indicator behind has its trend chart
    assert "校验码" in text and "第1页共" in text

    annex = write_annex(res.evaluation, tmp_path / "annex.xlsx")
    wb = load_workbook(annex)
    ws = wb["评估指标"]
    heads = [c.value for c in ws[3]]
    row = next(r for r in ws.iter_rows(min_row=4, values_only=True) if r[1] == CODE)
    got = dict(zip(heads, row, strict=True))
    assert got["基期年份"] == 2020 and got["基期值"] == 90
    assert got["2025年"] == 94 and got["2021年"] == 91
    assert got["本期评估"] == "落后于进度" and got["趋势判断"] == "难达"
    assert got["预计2030年值"] == pytest.approx(97.65)
    assert got["较基期变化"] == "+4.00个百分点"
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows
    assert "测试区" in ws.oddFooter.left.text and "&P" in ws.oddFooter.center.text
    assert {"分领域统计", "下级单位", "说明"} <= set(wb.sheetnames)


def test_cli_evaluate_and_bad_year(db, tmp_path, capsys):
    _fill(db)
    path = tmp_path / "e.sqlite"
    db.close()
    out = tmp_path / "r.pdf"
    assert main(["--db", str(path), "evaluate", "D1", PLAN, "2025", str(out)]) == 0
    assert out.exists() and (tmp_path / "r_数据附件.xlsx").exists()
    assert "落后于进度 1" in capsys.readouterr().out
    assert main(["--db", str(path), "evaluate", "D1", PLAN, "2031", str(out)]) == 2
    assert "不在计划" in capsys.readouterr().err
