"""The annual monitoring report on the demonstration database, read back with pypdf."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from db import repo
from tests.support.pdf import page_texts, squash
from tianbao.domain.fingerprint import view_fingerprint
from tianbao.pdf.report import write_monitoring_report
from tianbao.services.demo import DEMO_PLAN, DISTRICT, TOWNSHIPS, demo_years
from tianbao.services.monitoring import monitor, rank
from tianbao.services.returns import ReturnService


@pytest.fixture(scope="module")
def report(demo_db, tmp_path_factory):
    with demo_db.session() as s:
        from db.plans import get_plan

        plan = get_plan(s, DEMO_PLAN)
    year = demo_years(plan)[-1]
    out = tmp_path_factory.mktemp("report") / "report.pdf"
    result = write_monitoring_report(demo_db, DISTRICT[0], DEMO_PLAN, year, out)
    return {"result": result, "path": out, "pages": page_texts(out), "plan": plan, "year": year}


def test_report_reads_like_a_monitoring_report(report, demo_db):
    pages, plan, year = report["pages"], report["plan"], report["year"]
    text = "".join(pages)
    rep = monitor(demo_db, DISTRICT[0], DEMO_PLAN, year)
    assert squash(plan.title) in text and f"{year}年度监测报告" in text
    assert f"监测单位：{DISTRICT[1]}" in text and "生成日期" in text
    for section in (
        "一、总体情况",
        "二、主要指标监测情况",
        "三、监测预警",
        "四、主要指标变化趋势",
        "五、下级单位排名",
        "六、数据来源",
    ):
        assert section in text
    a = rep.overall
    assert "达标率" in text
    assert squash(a.describe()) in text  # of how many, and how many could not be assessed
    for name, att in rep.domains:  # a row of 表1: 领域 应评估 达标 接近 未达标 无法评估 达标率
        rate = "—" if att.rate is None else f"{att.rate:.1f}%"
        row = f"{name}{att.due}{att.met}{att.close}{att.not_met}{att.not_assessable}{rate}"
        assert squash(row) in text
    assert f"预计达标困难（{len(rep.projected)}项）" in text
    assert f"波动较大（{len(rep.fluctuating)}项）" in text
    for w in (*rep.projected, *rep.fluctuating):  # under its heading, without the prefix
        assert squash(w.message.split("：", 1)[1]) in text
    for n, page in enumerate(pages, 1):
        assert f"第{n}页共{len(pages)}页" in page


def test_indicator_table_has_value_target_status_and_change(report):
    text = "".join(report["pages"])
    assert "本年值目标值达标情况上年值较上年变化" in text
    for ind in report["plan"].indicators:
        assert squash(ind.name) in text
    assert "个百分点" in text  # a change of a percentage rate is in points
    assert "√达标" in text


def test_trend_charts_are_drawn_with_a_dashed_target_line(report):
    result = report["result"]
    assert 0 < len(result.charts) <= 12
    reader = PdfReader(report["path"])
    chart_pages = [
        i
        for i, t in enumerate(report["pages"])
        if "变化趋势" in t
        or any(squash(report["plan"].indicator(c).name) in t for c in result.charts)
    ]
    streams = b"".join(reader.pages[i].get_contents().get_data() for i in chart_pages)
    assert re.search(rb"\[4 2\.5\] 0 d", streams)  # the dashed target line
    assert streams.count(b" l") > 20  # the line segments of the series
    first = report["plan"].indicator(result.charts[0])
    assert squash(first.name) in "".join(report["pages"][i] for i in chart_pages)
    years = demo_years(report["plan"])
    assert all(str(y) in "".join(report["pages"][i] for i in chart_pages) for y in years)


def test_ranking_of_sub_units(report, demo_db):
    text = "".join(report["pages"])
    result = report["result"]
    assert result.ranked
    code = result.ranked[0]
    rows = rank(demo_db, DISTRICT[0], DEMO_PLAN, report["year"], code)
    assert squash(report["plan"].indicator(code).name) in text
    assert "名次单位" in text
    best, worst = rows[0][0], [r for r in rows if r[1] is not None][-1][0]
    assert best in text and worst in text


def test_data_sources_list_each_return_with_its_fingerprint(report, demo_db):
    text = "".join(report["pages"])
    svc = ReturnService(demo_db)
    with demo_db.session() as s:
        unit = repo.unit_by_code(s, TOWNSHIPS[0][0])
        rid = repo.find_return(s, unit.id, DEMO_PLAN, report["year"]).id
    fp = view_fingerprint(svc.view(rid))
    assert fp in text
    for _, name in TOWNSHIPS:
        assert name in text
    assert "已报送" in text and "汇总" in text


def test_report_fonts_are_embedded(report):
    for page in PdfReader(report["path"]).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert re.match(r"^/[A-Z]{6}\+", str(font["/BaseFont"]))
            assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_report_for_a_unit_without_sub_units(demo_db, tmp_path, report):
    out = tmp_path / "township.pdf"
    result = write_monitoring_report(demo_db, TOWNSHIPS[0][0], DEMO_PLAN, report["year"], out)
    text = "".join(page_texts(out))
    assert result.ranked == ()
    assert "不作排名" in text and "达标率" in text
