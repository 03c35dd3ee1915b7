"""The pages a printed statistical form carries besides its tables: 填报说明 and 指标解释.

Both come from the catalogue through ``tianbao.domain.explain``; the blank paper form, the
printed return and the data book use them.  Also the □是 □部分 □否 boxes of the blank form's
qualitative goals (neither embedded font has a ballot box, so they are drawn).
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Table

from tianbao.domain.catalogue import Indicator, Plan
from tianbao.domain.explain import explain, formula, instructions
from tianbao.pdf.common import (
    CONTENT_WIDTH,
    LATIN,
    LIGHT,
    cell,
    draw_text,
    heading,
    para,
    table_style,
)


def instructions_pages(plan: Plan, year: int, *, unit_name: str = "", blank: bool = False) -> list:
    """填报说明 on a page of its own (after the tables)."""
    out: list = [PageBreak(), *heading("填报说明", "h1")]
    out += [para(t, "plain") for t in instructions(plan, year, unit_name=unit_name, blank=blank)]
    return out


def explanation_pages(
    plan: Plan, indicators: Sequence[Indicator], *, page_break: bool = True
) -> list:
    """指标解释: one row per indicator — definition, calculation, unit, source department."""
    out: list = [PageBreak()] if page_break else []
    out += heading("指标解释", "h1")
    head = ["代码", "指标名称", "定义及计算方法", "计量单位", "数据来源"]
    widths = [12 * mm, 40 * mm, CONTENT_WIDTH - 94 * mm, 14 * mm, 28 * mm]
    data: list[list] = [[para(h, "head") for h in head]]
    for ind in indicators:
        e = explain(ind)
        text = e.definition
        f = formula(e)
        if f:
            text += f"计算方法：{f}。分子：{e.numerator}；分母：{e.denominator}。"
        if e.source:
            text += f"规划原文：{e.source}"
        data.append(
            [
                ind.code,
                cell(ind.name, "cell", widths[1], flowable=True),
                para(text, "cell"),
                cell(e.unit, width=widths[3]),
                cell(e.department, "cell", widths[4], flowable=True),
            ]
        )
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(
        table_style(
            [
                ("FONTNAME", (0, 0), (-1, -1), LATIN),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("GRID", (0, 0), (-1, -1), 0.4, "black"),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 0), (0, -1), "CENTER"),
                ("ALIGN", (3, 0), (3, -1), "CENTER"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    out.append(t)
    return out


class ChoiceBoxes(Flowable):
    """□是 □部分 □否 — drawn boxes to tick on the blank paper form."""

    LABELS = ("是", "部分", "否")

    def __init__(self, size: float = 8.0, *, vertical: bool = False):
        super().__init__()
        self.size, self.vertical = size, vertical
        self.box = size * 0.85
        self.line = size * 1.45

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.line * (len(self.LABELS) if self.vertical else 1)

    def draw(self) -> None:
        c = self.canv
        c.setLineWidth(0.5)
        x, y = 0.5, self.line * (len(self.LABELS) - 1) if self.vertical else 0
        for label in self.LABELS:
            c.rect(x, y + 1, self.box, self.box)
            draw_text(c, x + self.box + 1.2, y + 1.5, label, self.size)
            if self.vertical:
                y -= self.line
            else:
                x += self.box + 2.5 + self.size * len(label) + 2


__all__ = ["ChoiceBoxes", "explanation_pages", "instructions_pages"]
