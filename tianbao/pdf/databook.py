"""统计资料 as a PDF: per unit and domain a table of every indicator over the years, then 指标解释.

A4, black and white, the same fonts, page numbers and heading rows as the returns; values with
each indicator's fixed decimals.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer

from tianbao.domain.status import fmt_fixed
from tianbao.pdf.common import (
    CONTENT_WIDTH,
    build_pdf,
    cn_numeral,
    fmt,
    grid,
    heading,
    page_footer,
    para,
    para_lines,
)
from tianbao.pdf.form_pages import explanation_pages
from tianbao.services.databook import DataBook

MAX_YEARS = 11  # base year and a ten-year period fit the page width


def write_databook_pdf(book: DataBook, path: str | Path) -> int:
    plan, years = book.plan, list(book.years)[-MAX_YEARS:]
    span = f"{years[0]}—{years[-1]}年"
    today = date.today()
    story: list = [
        para_lines([plan.title, f"统计资料（{span}）"], "title"),
        para_lines(
            [
                f"编制单位：{book.unit_name}",
                f"编制日期：{today.year}年{today.month}月{today.day}日",
            ],
            "subtitle",
        ),
        Spacer(1, 3 * mm),
    ]
    fixed = [8 * mm, 50 * mm, 12 * mm]
    col = (CONTENT_WIDTH - sum(fixed)) / len(years)
    widths = fixed + [col] * len(years)
    for k, u in enumerate(book.units):
        if k == 1:  # the sub-units start on a new page, then follow one another
            story.append(PageBreak())
        story += heading(u.name, "h1")
        if k and not any(v is not None for by in u.values.values() for v in by.values()):
            story.append(para("本单位尚无数据。", "body"))
            continue
        n = 0
        for i, d in enumerate(plan.domains):
            inds = [ind for ind in d.indicators if ind.kind != "text"]
            if k:  # a sub-unit: only what it reports (填报分工), not pages of empty rows
                inds = [i for i in inds if any(v is not None for v in u.values[i.code].values())]
            if not inds:
                continue
            story += heading(f"{cn_numeral(i + 1)}、{d.name}", "h2", room=30 * mm)
            data = [["序号", "指标名称", "单位", *[str(y) for y in years]]]
            for ind in inds:
                n += 1
                row = [str(n), ind.name, ind.unit]
                for y in years:
                    v = u.values.get(ind.code, {}).get(y)
                    row.append(fmt_fixed(v, ind) if isinstance(v, (int, float)) else fmt(v))
                data.append(row)
            story.append(grid(data, widths, left=(1,), size=7.5))
    story += explanation_pages(plan, plan.indicators)
    pages: list[int] = []

    decorate = page_footer(pages, f"{book.unit_name}　统计资料　{span}", "编制日期", today)

    build_pdf(
        Path(path),
        story,
        decorate,
        title=f"{plan.title} 统计资料",
        subject=f"{book.unit_name} {span}",
    )
    return pages[0] if pages else 0


__all__ = ["write_databook_pdf"]
