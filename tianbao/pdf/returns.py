"""The printable return (统计报表) of a unit for a plan and year, and the blank paper form.

Laid out as a Chinese statistical form: the marks the Statistics Law requires top right (表号,
制定机关, 批准机关, 批准文号, 有效期至), the title, 填报单位 and 报告期; one table per domain with
the column headings and the 甲乙丙/1 2 3 column-code row repeated on every page; the 情况说明;
and the sign-off block (单位负责人, 统计负责人, 填表人, 联系电话, 报出日期) beside the seal area.
Every page carries "第 x 页 共 y 页" and the return's fingerprint (校验码), the same as in the
Excel file, so a signed paper copy can be matched to the file it came from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table

from db import repo
from db.engine import Database
from db.plans import form_marks, get_plan
from db.repo import InputError
from tianbao.domain.assembly import SourceInfo
from tianbao.domain.catalogue import FormMarks, Indicator, Plan, Target, target_in_force
from tianbao.domain.fingerprint import view_fingerprint
from tianbao.domain.status import NO_DATA, TargetStatus
from tianbao.domain.values import REFERENCE, TOTAL, Entry, cell_suffix, cells_of, tally_text
from tianbao.pdf.common import (
    CONTENT_WIDTH,
    GREY,
    LATIN,
    LIGHT,
    MARGIN,
    PAGE,
    Rule,
    SealBox,
    build_pdf,
    cell,
    cn_numeral,
    draw_text,
    fmt,
    fmt_shown,
    heading,
    para,
    para_lines,
    status_mark,
    table_style,
    targets_text,
)
from tianbao.pdf.form_pages import ChoiceBoxes, explanation_pages, instructions_pages
from tianbao.services.duties import reported_codes
from tianbao.services.returns import ReturnService, SignOff

HEAD = (
    "序号",
    "代码",
    "指标名称",
    "计量单位",
    "目标值",
    "上年值",
    "本年值",
    "分子",
    "分母",
    "达标情况",
)
CODES = ("甲", "乙", "丙", "丁", "戊", "1", "2", "3", "4", "己")
COL_MM = (8, 11, 44, 12, 26, 15, 16, 17, 17, 16)
W = tuple(w * mm for w in COL_MM)
STATUS_LABELS = {"draft": "草稿（未报送）", "submitted": "已报送"}


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int
    fingerprint: str = ""


@dataclass(frozen=True)
class _Line:
    """One indicator as printed: a return's Row, or a bare indicator on the blank form."""

    indicator: Indicator
    targets: tuple[Target, ...]
    cells: Mapping[str, Entry] = field(default_factory=dict)
    previous: float | str | None = None
    status: TargetStatus | None = None
    source: SourceInfo | None = None  # an assembled return: where the value came from


@dataclass(frozen=True)
class _Form:
    plan: Plan
    marks: FormMarks
    unit_name: str
    year: int
    lines: tuple[_Line, ...]
    blank: bool
    aggregated: bool = False
    status: str = ""
    signoff: SignOff = SignOff()
    notes: tuple[tuple[str, list[str], str], ...] = ()  # (indicator, messages, explanation)
    fingerprint: str = ""
    reported_by: str = ""  # 填报分工: the unit fills only these rows (本表由…填报)


# ---------------------------------------------------------------------------------------
# Public API


def write_return_pdf(db: Database, return_id: int, path: str | Path) -> PdfResult:
    """Write the return ``return_id`` as a printable PDF; returns the page count and 校验码."""
    view = ReturnService(db).view(return_id)
    with db.session() as s:
        marks = form_marks(s, view.plan)
    fp = view_fingerprint(view)
    lines = tuple(
        _Line(r.indicator, r.status.targets, r.cells, r.previous, r.status, r.source)
        for r in view.own_rows
    )
    notes = []
    for r in view.own_rows:
        msgs = [f"{cell_suffix(c)}{f.message}" for c, f in r.errors + r.warnings]
        if msgs or r.explanation.strip():
            notes.append((r.indicator.name, msgs, r.explanation.strip()))
    form = _Form(
        plan=view.plan,
        marks=marks,
        unit_name=view.info.unit_name,
        year=view.info.year,
        lines=lines,
        blank=False,
        aggregated=view.info.aggregated,
        status=STATUS_LABELS.get(view.info.status, view.info.status),
        signoff=view.info.signoff,
        notes=tuple(notes),
        fingerprint=fp,
        reported_by=view.info.unit_name if view.reported is not None else "",
    )
    return _write(form, Path(path))


def write_blank_form_pdf(
    db: Database, unit_code: str, plan_id: str, year: int, path: str | Path
) -> PdfResult:
    """A blank paper form for a unit that fills in on paper first (targets and last year shown)."""
    with db.session() as s:
        plan = get_plan(s, plan_id)
        if not plan.period[0] - 1 <= year <= plan.period[1] + 5:
            raise InputError(
                f"{year} 年不在计划“{plan.title}”的规划期（{plan.period[0]}–{plan.period[1]}年）内。"
            )
        unit = repo.unit_by_code(s, unit_code)
        marks = form_marks(s, plan)
        prev_ret = repo.find_return(s, unit.id, plan_id, year - 1)
        prev = repo.entries(s, prev_ret.id) if prev_ret else {}
        unit_name = unit.name
        reported = reported_codes(s, unit, plan)
    lines = []
    for ind in plan.indicators:
        if reported is not None and ind.code not in reported:
            continue
        e = prev.get((ind.code, TOTAL))
        previous = (e.choice if ind.kind == "yesno" else e.value(ind)) if e else None
        lines.append(_Line(ind, tuple(target_in_force(ind.targets, year)), previous=previous))
    form = _Form(
        plan=plan,
        marks=marks,
        unit_name=unit_name,
        year=year,
        lines=tuple(lines),
        blank=True,
        reported_by=unit_name if reported is not None else "",
    )
    return _write(form, Path(path))


# ---------------------------------------------------------------------------------------
# Layout


def _write(form: _Form, path: Path) -> PdfResult:
    story: list = [*_header(form)]
    number = 0
    for i, domain in enumerate(form.plan.domains):
        lines = [ln for ln in form.lines if ln.indicator.domain == domain.code]
        if not lines:
            continue
        story += heading(f"{cn_numeral(i + 1)}、{domain.name}", "h2")
        story.append(_table(lines, number, form.blank))
        number += len(lines)
    story += _notes(form)
    story.append(_signoff(form))
    story += instructions_pages(form.plan, form.year, unit_name=form.unit_name, blank=form.blank)
    story += explanation_pages(form.plan, [ln.indicator for ln in form.lines])
    pages: list[int] = []

    def decorate(canv, page: int, total: int) -> None:
        pages[:] = [total]
        _decorate(canv, form, page, total)

    what = "空白表" if form.blank else f"校验码 {form.fingerprint}"
    build_pdf(
        path,
        story,
        decorate,
        title=f"{form.plan.title} {form.unit_name} {form.year}年",
        subject=what,
    )
    return PdfResult(path, pages[0] if pages else 0, form.fingerprint)


def _header(form: _Form) -> list:
    m = form.marks
    marks = [
        ("表　　号：", m.table_no),
        ("制定机关：", m.made_by),
        ("批准机关：", m.approved_by),
        ("批准文号：", m.approval_no),
        ("有效期至：", m.valid_until),
    ]
    box = Table(
        [[para(k, "marks"), para(v, "marks")] for k, v in marks],
        colWidths=[15 * mm, 47 * mm],
        hAlign="RIGHT",
    )
    box.setStyle(
        table_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
            ]
        )
    )
    title = para_lines([form.plan.title, "监测指标统计表"], "title")
    who = "综合机关名称" if form.aggregated else "填报单位"
    right = "空白表（手工填写）" if form.blank else f"报表状态：{form.status}"
    info = Table(
        [
            [
                para(f"{who}：{form.unit_name}", "plain"),
                para(f"报告期：{form.year}年", "plain"),
                para(f"计划版本：第 {form.plan.version} 版　{right}", "right"),
            ]
        ],
        colWidths=[CONTENT_WIDTH * 0.42, CONTENT_WIDTH * 0.2, CONTENT_WIDTH * 0.38],
    )
    info.setStyle(
        table_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    out = [box, Spacer(1, 1 * mm), title, info, Spacer(1, 1 * mm)]
    if form.reported_by:
        out += [para(f"本表由{form.reported_by}填报（只含本单位负责填报的指标）", "plain")]
        out += [Spacer(1, 1 * mm)]
    return out


def _status_text(st: TargetStatus | None) -> str:
    if st is None:
        return ""
    text = status_mark(st.status)
    if st.subunits_met and st.status != NO_DATA:
        k, n = st.subunits_met
        text += f"（{k}/{n}）"
    return text


def _table(lines: Sequence[_Line], start: int, blank: bool) -> Table:
    rows: list[list] = [[para(h, "head") for h in HEAD], [para(c, "head") for c in CODES]]
    subrows: list[int] = []
    for k, ln in enumerate(lines, start + 1):
        ind = ln.indicator
        name = cell(ind.name, "cell", W[2], flowable=True)
        if ind.is_rate:
            parts = f"分子：{ind.numerator}；分母：{ind.denominator}"
            name = [name, cell(parts, "small", W[2], flowable=True)]
        if ln.source is not None:
            where = cell(f"来源：{ln.source.label()}", "small", W[2], flowable=True)
            name = [*(name if isinstance(name, list) else [name]), where]
        total = ln.cells.get(TOTAL, Entry())
        rows.append(
            [
                str(k),
                cell(ind.code, width=W[1]),
                name,
                cell(ind.unit, width=W[3]),
                cell(targets_text(ind, ln.targets), width=W[4]),
                cell(fmt_shown(ln.previous, ind), width=W[5]),
                *_values(ind, total, blank),
                cell(_status_text(ln.status), width=W[9]),
            ]
        )
        for key, label in cells_of(ind)[1:]:
            subrows.append(len(rows))
            rows.append(
                [
                    "",
                    "",
                    cell(label if key == REFERENCE else f"其中：{label}", "cell", W[2]),
                    cell(ind.unit, width=W[3]),
                    "",
                    "",
                    *_values(ind, ln.cells.get(key, Entry()), blank),
                    "",
                ]
            )
    widths = list(W)
    t = Table(rows, colWidths=widths, repeatRows=2)
    pad = 5 if blank else 1.6
    style = [
        ("FONTNAME", (0, 0), (-1, -1), LATIN),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, "black"),
        ("BOX", (0, 0), (-1, -1), 0.9, "black"),
        ("BACKGROUND", (0, 0), (-1, 1), LIGHT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("ALIGN", (5, 2), (8, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
        ("TOPPADDING", (0, 2), (-1, -1), pad),
        ("BOTTOMPADDING", (0, 2), (-1, -1), pad),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    style += [("TEXTCOLOR", (0, r), (-1, r), GREY) for r in subrows if not blank]
    style += [
        ("ALIGN", (c, r), (c, r), "CENTER")
        for r, row in enumerate(rows)
        for c in (5, 6, 7, 8)
        if row[c] == "—"
    ]
    t.setStyle(table_style(style))
    return t


def _values(ind: Indicator, e: Entry, blank: bool) -> list:
    """本年值, 分子, 分母 cells; "—" where the indicator has no numerator/denominator."""
    na = "—"
    if blank:
        if ind.kind == "yesno":
            return [ChoiceBoxes(vertical=True), na, na]
        return ["", "", ""] if ind.is_rate else ["", na, na]
    if ind.kind == "yesno":
        shown = fmt(e.choice)
        if e.tally is not None:  # a parent's tally, printed as the Excel return holds it
            shown += f"（{tally_text(e.tally)}）"
        return [cell(shown, width=W[6]), na, na]
    if ind.kind == "text":
        return [cell(e.text or "", "cell"), na, na]
    value = e.value(ind)
    if ind.is_rate:
        return [cell(fmt_shown(value, ind)), cell(fmt(e.numerator)), cell(fmt(e.denominator))]
    return [cell(fmt_shown(value, ind)), na, na]


def _notes(form: _Form) -> list:
    out: list = [*heading("情况说明", "h1")]
    if form.blank:
        out.append(
            para("（对未达标、较上年变化较大或与基期相比变差的指标，请逐项说明原因。）", "plain")
        )
        out += [Rule(CONTENT_WIDTH) for _ in range(8)]
        return out
    if not form.notes:
        out.append(para("本期各项指标未触发审核提示，无需说明。", "body"))
        return out
    for k, (name, msgs, expl) in enumerate(form.notes, 1):
        out.append(para(f"{k}. {name}", "plain"))
        out += [para(f"审核提示：{m}", "item") for m in msgs]
        out.append(para(f"说明：{expl}" if expl else "说明：（未填写）", "item"))
    return out


def _signoff(form: _Form) -> KeepTogether:
    so = form.signoff
    cells = [
        [
            para("单位负责人：", "plain"),
            para(so.unit_head, "plain"),
            para("统计负责人：", "plain"),
            para(so.stats_head, "plain"),
            para("填表人：", "plain"),
            para(so.filled_by, "plain"),
        ],
        [
            para("联系电话：", "plain"),
            para(so.phone, "plain"),
            "",
            para("报出日期：", "plain"),
            _date_cells(so.report_date),
            "",
        ],
    ]
    sig = Table(
        cells,
        colWidths=[23 * mm, 22 * mm, 23 * mm, 22 * mm, 16 * mm, 30 * mm],
        rowHeights=[12 * mm, 12 * mm],
    )
    sig.setStyle(
        table_style(
            [
                ("SPAN", (1, 1), (2, 1)),
                ("SPAN", (4, 1), (5, 1)),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LINEBELOW", (1, 0), (1, 0), 0.5, "black"),
                ("LINEBELOW", (3, 0), (3, 0), 0.5, "black"),
                ("LINEBELOW", (5, 0), (5, 0), 0.5, "black"),
                ("LINEBELOW", (1, 1), (2, 1), 0.5, "black"),
                ("LEFTPADDING", (0, 0), (-1, -1), 1),
                ("RIGHTPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    seal = SealBox()
    outer = Table([[sig, seal]], colWidths=[CONTENT_WIDTH - 46 * mm, 46 * mm])
    outer.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ]
        )
    )
    return KeepTogether([Spacer(1, 6 * mm), outer])


def _date_cells(d) -> Table:
    """报出日期 as "2025 年 1 月 15 日", or with room to write the numbers by hand."""
    parts = (
        [str(d.year), "年", str(d.month), "月", str(d.day), "日"]
        if d
        else ["", "年", "", "月", "", "日"]
    )
    t = Table(
        [[para(p, "plain") if p and not p.isdigit() else p for p in parts]],
        colWidths=[12 * mm, 6 * mm, 8 * mm, 6 * mm, 8 * mm, 5 * mm],
        hAlign="LEFT",
    )
    t.setStyle(
        table_style(
            [
                ("FONTNAME", (0, 0), (-1, -1), LATIN),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return t


def _decorate(canv, form: _Form, page: int, total: int) -> None:
    width = PAGE[0]
    y = 9 * mm
    canv.setLineWidth(0.4)
    canv.setStrokeColor(GREY)
    canv.line(MARGIN, y + 4 * mm, width - MARGIN, y + 4 * mm)
    left = "空白表　填写后请录入系统" if form.blank else f"校验码 {form.fingerprint}"
    draw_text(canv, MARGIN, y, left, 8)
    draw_text(canv, width / 2, y, f"第 {page} 页 共 {total} 页", 8.5, "center")
    draw_text(canv, width - MARGIN, y, f"{form.unit_name}　{form.year}年", 8, "right")
    if page > 1:
        draw_text(
            canv,
            MARGIN,
            PAGE[1] - 9 * mm,
            f"{form.plan.title}　{form.unit_name}　{form.year}年（续）",
            7.5,
        )
