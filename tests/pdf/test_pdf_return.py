"""The printable return and the blank form, read back with pypdf."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader

from db import repo
from db.plans import save_plan_version
from db.repo import InputError
from tests.support.pdf import EXPLANATION, MARKS, SIGNOFF, YEAR, page_texts, squash
from tianbao.domain.catalogue import plan_from_dict
from tianbao.domain.fingerprint import view_fingerprint
from tianbao.domain.status import fmt_number
from tianbao.domain.values import Entry
from tianbao.pdf.returns import write_blank_form_pdf, write_return_pdf
from tianbao.services.returns import ReturnService


def test_return_carries_marks_names_values_signoff_and_fingerprint(filled, tmp_path):
    out = tmp_path / "return.pdf"
    result = write_return_pdf(filled["db"], filled["id"], out)
    pages = page_texts(out)
    text = "".join(pages)
    view = filled["svc"].view(filled["id"])

    assert result.pages == len(pages) > 1
    for label, value in (
        ("表号", MARKS.table_no),
        ("制定机关", MARKS.made_by),
        ("批准机关", MARKS.approved_by),
        ("批准文号", MARKS.approval_no),
        ("有效期至", MARKS.valid_until),
    ):
        assert f"{label}：{squash(value)}" in text
    assert "填报单位：测试街道" in text
    assert f"报告期：{YEAR}年" in text
    assert squash(view.plan.title) in text
    for ind in view.plan.indicators:
        assert squash(ind.name) in text, ind.name
    rate = filled["rate"]
    assert squash(view.plan.domains[0].name) in text
    assert fmt_number(3 / 1537 * rate.scale) in text
    assert "1537" in text and "811" in text  # 分母 of the total and of a breakdown cell
    assert fmt_number(4 / 1600 * rate.scale) in text  # last year's value
    assert "部分" in text
    assert "12" in text and "11" in text
    for name in (SIGNOFF.unit_head, SIGNOFF.stats_head, SIGNOFF.filled_by, SIGNOFF.phone):
        assert name in text
    assert "2025年1月20日" in text
    assert "（单位公章）" in text
    assert "情况说明" in text and squash(EXPLANATION) in text
    assert "达标" in text or "无数据" in text

    fp = view_fingerprint(view)
    assert result.fingerprint == fp
    assert re.fullmatch(r"[0-9A-F]{4}(-[0-9A-F]{4}){3}", fp)
    for n, page in enumerate(pages, 1):
        assert f"第{n}页共{len(pages)}页" in page
        assert f"校验码{fp}" in page


def test_status_reads_in_black_and_white(filled, tmp_path):
    out = tmp_path / "return.pdf"
    write_return_pdf(filled["db"], filled["id"], out)
    text = "".join(page_texts(out))
    view = filled["svc"].view(filled["id"])
    marks = {
        "met": "√达标",
        "not_met": "×未达标",
        "close": "≈接近",
        "no_target": "—无目标",
        "no_data": "无数据",
    }
    for status in {r.status.status for r in view.rows}:
        assert marks[status] in text


def test_fingerprint_follows_the_values(filled, tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first = write_return_pdf(filled["db"], filled["id"], a)
    filled["svc"].save_entry(filled["id"], filled["number"].code, "", Entry(number=13))
    second = write_return_pdf(filled["db"], filled["id"], b)
    assert first.fingerprint != second.fingerprint
    assert f"校验码{second.fingerprint}" in page_texts(b)[0]


def test_fonts_are_embedded_subsets(filled, tmp_path):
    out = tmp_path / "return.pdf"
    write_return_pdf(filled["db"], filled["id"], out)
    names = set()
    for page in PdfReader(out).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            names.add(name)
            assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not an embedded subset"
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{name} is not embedded"
            assert "/ToUnicode" in font  # what makes the Chinese text extractable
    assert any("DroidSansFallback" in n for n in names)


def test_blank_form(filled, tmp_path):
    out = tmp_path / "blank.pdf"
    result = write_blank_form_pdf(filled["db"], "T1", filled["plan"].id, YEAR + 1, out)
    pages = page_texts(out)
    text = "".join(pages)
    assert result.pages == len(pages) and result.fingerprint == ""
    assert squash(MARKS.approval_no) in text and "表号" in text
    assert "填报单位：测试街道" in text and f"报告期：{YEAR + 1}年" in text
    for ind in filled["plan"].indicators:
        assert squash(ind.name) in text
    assert fmt_number(3 / 1537 * filled["rate"].scale) in text  # this year's value is last year's
    assert "情况说明" in text and "单位负责人" in text and "填表人" in text
    assert "报出日期：年月日" in text and "（单位公章）" in text
    assert "校验码" not in text
    for n, page in enumerate(pages, 1):
        assert f"第{n}页共{len(pages)}页" in page
        assert "空白表" in page


def test_blank_form_refuses_a_year_outside_the_plan(filled, tmp_path):
    with pytest.raises(InputError):
        write_blank_form_pdf(filled["db"], "T1", filled["plan"].id, 1990, tmp_path / "x.pdf")


def _big_plan(n: int = 200) -> dict:
    domains = [{"code": f"D{k}", "name": f"测试领域{k}"} for k in range(1, 5)]
    indicators = []
    for k in range(1, n + 1):
        ind = {
            "code": f"X{k:03d}",
            "domain": f"D{(k - 1) % 4 + 1}",
            "name": f"合成指标第{k:03d}号",
            "sources": [{"line": 1, "quote": "合成"}],
        }
        if k % 2:
            ind |= {
                "unit": "%",
                "kind": "rate",
                "scale": 100,
                "numerator": "甲数",
                "denominator": "乙数",
                "targets": [{"op": ">=", "value": 90}],
            }
        else:
            ind |= {
                "unit": "个",
                "kind": "count",
                "targets": [{"op": ">=", "value": 5, "year": 2025}],
            }
        indicators.append(ind)
    return {
        "id": "synthetic-200",
        "title": "合成测试规划（2021-2025年）",
        "kind": "children",
        "period": [2021, 2025],
        "domains": domains,
        "indicators": indicators,
    }


def test_two_hundred_indicators_paginate_with_headers_on_every_page(filled, tmp_path):
    db = filled["db"]
    plan = plan_from_dict(_big_plan(), origin="test")
    with db.session() as s:
        save_plan_version(s, plan)
        repo.add_unit(s, "T2", "大表街道", "township", "D1")
    svc = ReturnService(db)
    rid = svc.open("T2", plan.id, 2024).id
    for k in range(1, 200, 7):
        e = Entry(numerator=95, denominator=100) if k % 2 else Entry(number=k)
        svc.save_entry(rid, f"X{k:03d}", "", e)
    out = tmp_path / "big.pdf"
    result = write_return_pdf(db, rid, out)
    pages = page_texts(out)
    assert result.pages == len(pages) >= 4
    text = "".join(pages)
    for k in range(1, 201):
        assert f"合成指标第{k:03d}号" in text
    fp = view_fingerprint(svc.view(rid))
    table_pages = [p for p in pages if "合成指标第" in p and "定义及计算方法" not in p]
    assert len(table_pages) >= 3
    for page in table_pages:
        assert "序号代码指标名称计量单位目标值上年值本年值分子分母达标情况" in page
        assert "甲乙丙丁戊1234己" in page
    for n, page in enumerate(pages, 1):
        assert f"第{n}页共{len(pages)}页" in page
        assert f"校验码{fp}" in page
