"""The annual monitoring report (年度监测报告) of a unit — usually the district — for a plan and year.

It follows the shape of the reports the women's and children's committee offices publish: the
overall picture in a few sentences generated from the figures (达标 x 项，未达标 y 项 …) with the
达标率 per domain; the indicator table with value, target, status and change from last year; the
early warnings (预计达标困难, 波动较大); trend charts of the key indicators with their target line;
the ranking of sub-units on a few key indicators; and where the figures come from (which returns,
submitted or not, with their 校验码), with the date the report was generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from db import repo
from db.engine import Database
from tianbao.domain.catalogue import Indicator, target_in_force
from tianbao.domain.fingerprint import fingerprint
from tianbao.domain.status import CLOSE, LEVEL_OPS, NOT_MET, fmt_fixed_change, fmt_fixed_value
from tianbao.domain.values import tally_text
from tianbao.domain.warning import Attainment
from tianbao.pdf.chart import trend_chart
from tianbao.pdf.common import (
    CONTENT_WIDTH,
    LIGHT,
    build_pdf,
    cn_numeral,
    fmt,
    fmt_shown,
    grid,
    heading,
    page_footer,
    para,
    para_lines,
    status_mark,
    table_style,
    targets_text,
)
from tianbao.services.monitoring import (
    STATUS_LABELS,
    MonitorReport,
    monitor,
    places,
    rank,
    row_attainment,
    subunit_views,
)
from tianbao.services.returns import ReturnService, ReturnView, Row

MAX_CHARS = 12
MAX_RANKED = 4
_STATUS_OF_LABEL = {label: status for status, label in STATUS_LABELS.items()}


@dataclass(frozen=True)
class ReportResult:
    path: Path
    pages: int
    charts: tuple[str, ...]  # indicator codes with a trend chart
    ranked: tuple[str, ...]  # indicator codes with a ranking of sub-units


@dataclass(frozen=True)
class _Source:
    unit: str
    kind: str
    status: str
    date: str
    fingerprint: str


REPORT_PAD = (1.6, 2)  # vertical, horizontal cell padding of the report's tables


def write_monitoring_report(
    db: Database, unit_code: str, plan_id: str, year: int, path: str | Path
) -> ReportResult:
    rep = monitor(db, unit_code, plan_id, year)
    svc = ReturnService(db)
    view = svc.view(svc.existing(unit_code, plan_id, year).id)
    prev = _previous_attainment(db, svc, view)
    today = date.today()
    charts = _charts(view, rep)
    kids = subunit_views(db, unit_code, plan_id, year)
    ranked = _rankings(db, view, rep, kids)
    story: list = [
        para_lines([view.plan.title, f"{year}年度监测报告"], "title"),
        para_lines(
            [f"监测单位：{rep.unit_name}", f"生成日期：{today.year}年{today.month}月{today.day}日"],
            "subtitle",
        ),
        Spacer(1, 3 * mm),
        *_overview(view, rep, prev),
        *_indicator_table(view, rep),
        *_warnings(rep),
        *_chart_section(charts, view),
        *_ranking_section(ranked, view),
        *_sources(db, view, today),
    ]

    pages: list[int] = []
    decorate = page_footer(pages, f"{rep.unit_name} {year}年度监测报告", "生成日期", today)
    build_pdf(
        Path(path),
        story,
        decorate,
        title=f"{view.plan.title} {year}年度监测报告",
        subject=f"{rep.unit_name} {year}年度监测报告",
    )
    return ReportResult(
        Path(path),
        pages[0] if pages else 0,
        tuple(code for _, code in charts),
        tuple(code for code, _ in ranked),
    )


# ---------------------------------------------------------------------------------------
# Figures


def _previous_attainment(db: Database, svc: ReturnService, view: ReturnView) -> Attainment | None:
    """Last year's 达标率, if there is a return for last year (never creates one)."""
    with db.session() as s:
        unit = repo.unit_by_code(s, view.info.unit_code)
        r = repo.find_return(s, unit.id, view.info.plan_id, view.info.year - 1)
        rid = r.id if r else None
    if rid is None:
        return None
    prev = svc.view(rid)
    att = row_attainment(prev.own_rows)
    return att if att.due else None


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}%"


def _overview(view: ReturnView, rep: MonitorReport, prev: Attainment | None) -> list:
    plan, a, year = view.plan, rep.overall, view.info.year
    rows = view.rows
    n = len(rows)
    quantified = sum(1 for r in rows if any(t.quantified for t in r.indicator.targets))
    filled = sum(r.filled for r in rows)
    text = [
        f"{plan.title}共设{len(plan.domains)}个领域、{n}项监测指标，其中有量化目标的{quantified}项。"
        f"{year}年，{rep.unit_name}填报了{filled}项指标的数据。"
    ]
    if a.due:
        text.append(f"按本年适用的量化目标和趋势目标，{a.describe()}。")
        if prev is not None and prev.rate is not None:
            d = a.rate - prev.rate
            trend = (
                "持平" if abs(d) < 0.05 else f"{'提高' if d > 0 else '下降'}{abs(d):.1f}个百分点"
            )
            text.append(f"与{year - 1}年（{_pct(prev.rate)}）相比，达标率{trend}。")
    else:
        text.append("本年尚无可按量化目标评估的指标数据。")
    rated = [(name, att) for name, att in rep.domains if att.rate is not None]
    if len(rated) >= 2:
        hi = max(att.rate for _n, att in rated)
        lo = min(att.rate for _n, att in rated)
        if hi != lo:
            text.append(
                f"分领域看，{_tied(rated, hi)}达标率最高（{_pct(hi)}），"
                f"{_tied(rated, lo)}最低（{_pct(lo)}）。"
            )
        else:
            text.append(f"各领域达标率均为{_pct(hi)}。")
    qual = [r for r in rows if r.indicator.kind == "yesno" and r.value]
    if qual:
        c = {k: sum(1 for r in qual if r.value == k) for k in ("yes", "partly", "no")}
        text.append(
            f"定性目标{len(qual)}项中，评为“是”的{c['yes']}项，“部分”{c['partly']}项，"
            f"“否”{c['no']}项。"
        )
        tallies = [r.entry.tally for r in qual if r.entry.tally is not None]
        if tallies:
            total = tuple(sum(t[k] for t in tallies) for k in range(3))
            text.append(
                f"其中{len(tallies)}项由下级单位汇总，各下级单位的回答合计为{tally_text(total)}。"
            )
    missing = n - filled
    if missing:
        text.append(f"另有{missing}项指标本年尚无数据。")
    text.append(
        f"监测预警显示，预计达标困难的指标{len(rep.projected)}项，"
        f"波动较大的指标{len(rep.fluctuating)}项（详见第三部分）。"
    )
    out: list = [
        *heading("一、总体情况", "h1"),
        para("".join(text), "body"),
        *heading("表1　分领域达标率", "h2"),
    ]
    data = [["领域", "应评估", "达标", "接近目标", "未达标", "无法评估", "达标率"]]
    for name, att in [*rep.domains, ("合计", a)]:
        data.append(
            [
                name,
                str(att.due),
                str(att.met),
                str(att.close),
                str(att.not_met),
                str(att.not_assessable),
                _pct(att.rate),
            ]
        )
    widths = [54 * mm] + [(CONTENT_WIDTH - 54 * mm) / 6] * 6
    out.append(grid(data, widths, total_row=True, pad=REPORT_PAD))
    return out


def _indicator_table(view: ReturnView, rep: MonitorReport) -> list:
    out: list = [*heading("二、主要指标监测情况", "h1")]
    # Quantified targets only: qualitative goals are counted in the overview, not listed here.
    missed = [r for r in view.rows if r.indicator.code in rep.overall.not_met_codes]
    close = [r for r in view.rows if r.indicator.code in rep.overall.close_codes]
    if missed:
        names = "、".join(
            f"{r.indicator.name}（{fmt_fixed_value(r.value, r.indicator)}）"
            if isinstance(r.value, float | int)
            else r.indicator.name
            for r in missed
        )
        out.append(para(f"未达标的{len(missed)}项指标是：{names}。", "body"))
    if close:
        out.append(
            para(
                f"接近目标的{len(close)}项指标是："
                f"{'、'.join(r.indicator.name for r in close)}，稍加努力即可达标。",
                "body",
            )
        )
    unknown = [r for r in view.rows if r.indicator.code in rep.overall.not_assessable_codes]
    if not missed and not close and not unknown:
        out.append(para("已评估的各项指标均已达标。", "body"))
    elif not missed and not close:
        out.append(para(f"已评估的{rep.overall.assessed}项指标均已达标。", "body"))
    if unknown:
        names = "、".join(
            f"{r.indicator.name}（{rep.overall.reasons.get(r.indicator.code, '无数据')}）"
            for r in unknown
        )
        out.append(para(f"另有{len(unknown)}项指标本年无法评估，不计为达标：{names}。", "body"))
    misses = [
        (r, rep.subunit_misses[r.indicator.code])
        for r in view.rows
        if r.indicator.code in rep.subunit_misses
    ]
    if misses:
        lines = "；".join(
            f"{r.indicator.name}——"
            + "、".join(
                f"{name}（{fmt_fixed_value(v, r.indicator) if isinstance(v, float | int) else fmt(v)}）"
                for name, v, _d in kids
            )
            + f"（合计{_total_word(r)}）"
            for r, kids in misses
        )
        out.append(
            para(
                f"有下级单位未达到目标的指标{len(misses)}项（含合计达标或无法汇总的）：{lines}。",
                "body",
            )
        )
    out += heading("表2　主要指标监测情况", "h2")
    head = ["序号", "指标名称", "计量单位", "本年值", "目标值", "达标情况", "上年值", "较上年变化"]
    data: list[list] = [head]
    domain_rows = []
    number = 0
    for i, d in enumerate(view.plan.domains):
        rows = [r for r in view.rows if r.indicator.domain == d.code]
        if not rows:
            continue
        domain_rows.append(len(data))
        data.append([para(f"{cn_numeral(i + 1)}、{d.name}", "cell"), "", "", "", "", "", "", ""])
        for r in rows:
            number += 1
            data.append(_indicator_line(number, r))
    widths = [w * mm for w in (9, 52, 13, 16, 30, 18, 16, 28)]
    t = grid(data, widths, left=(1,), pad=REPORT_PAD)
    t.setStyle(
        table_style(
            [
                s
                for r in domain_rows
                for s in (("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), LIGHT))
            ]
        )
    )
    out.append(t)
    return out


def _indicator_line(number: int, r: Row) -> list:
    ind = r.indicator
    v, p = r.value, r.previous
    return [
        str(number),
        ind.name,
        ind.unit,
        fmt_shown(v, ind) if ind.kind != "text" else "",
        targets_text(ind, r.status.targets),
        "数据不全" if r.incomplete else status_mark(r.status.status),
        fmt_shown(p, ind) if ind.kind != "text" else "",
        fmt_fixed_change(v, p, ind) if ind.is_numeric else "",
    ]


def _warnings(rep: MonitorReport) -> list:
    out: list = [*heading("三、监测预警", "h1")]
    sections = (
        (
            "（一）预计达标困难",
            rep.projected,
            "按现有数据的变化趋势，各项有量化目标的指标预计均可如期达标，或数据年份不足两年、暂不能作趋势预测。",
        ),
        ("（二）波动较大", rep.fluctuating, "各项指标较上年的变化均在正常范围内。"),
    )
    for title, items, none in sections:
        out += heading(f"{title}（{len(items)}项）", "h2")
        if not items:
            out.append(para(none, "body"))
        for k, w in enumerate(items, 1):
            message = w.message.removeprefix(f"{title[3:]}：")  # the heading already says it
            out.append(para(f"{k}. {message}", "item"))
    if rep.projected:
        out.append(
            para(
                "建议相关责任单位针对预计达标困难的指标分析原因、加大工作力度；"
                "对波动较大的指标核实数据来源和统计口径。",
                "body",
            )
        )
    return out


# ---------------------------------------------------------------------------------------
# Trend charts


def _target_lines(ind: Indicator, year: int, row: Row) -> list[float]:
    """Levels to draw as the target line: level targets, or a change on a known base."""
    out: list[float] = []
    for t in target_in_force(ind.targets, year):
        if t.each:
            continue
        if t.op in LEVEL_OPS and t.value is not None:  # not a reference or a year's actual value
            out += list(t.value) if isinstance(t.value, tuple) else [t.value]
        elif t.op == "change" and t.basis == "base_year" and not isinstance(t.value, tuple):
            base = row.baseline[1] if row.baseline else t.baseline
            if base is not None:
                out.append(
                    base * (1 + t.value / 100) if t.change_unit == "percent" else base + t.value
                )
    return out


def _charts(view: ReturnView, rep: MonitorReport) -> list[tuple[Drawing, str]]:
    """Key indicators (a quantified target, two or more years of data), warned ones first."""
    year = view.info.year
    first = {w.indicator: 0 for w in rep.projected} | {w.indicator: 1 for w in rep.fluctuating}
    order = {NOT_MET: 2, CLOSE: 3}
    keyed = []
    for pos, r in enumerate(view.rows):
        ind = r.indicator
        points = sorted((y, v) for y, v in rep.series.get(ind.code, {}).items() if y <= year)
        if len(points) < 2 or not any(t.quantified for t in ind.targets):
            continue
        rank_ = first.get(ind.code, order.get(r.status.status, 4))
        keyed.append((rank_, pos, r, points))
    keyed.sort(key=lambda k: (k[0], k[1]))
    out = []
    for _, _, r, points in keyed[:MAX_CHARS]:
        chart = trend_chart(points, _target_lines(r.indicator, year, r))
        out.append((chart, r.indicator.code))
    return out


def _chart_section(charts: list[tuple[Drawing, str]], view: ReturnView) -> list:
    out: list = [*heading("四、主要指标变化趋势", "h1")]
    if not charts:
        out.append(para("有量化目标且有两年以上数据的指标暂无，暂不绘制趋势图。", "body"))
        return out
    out.append(
        para(f"以下为{len(charts)}项重点指标的变化趋势（实线为实际值，虚线为目标值）。", "body")
    )
    cells = []
    for chart, code in charts:
        ind = view.plan.indicator(code)
        unit = f"（{ind.unit}）" if ind.unit else ""
        cells.append([para(f"{ind.name}{unit}", "cell"), chart])
    out.append(_two_up(cells))
    return out


def _two_up(cells: list[list]) -> Table:
    """Blocks (each a list of flowables kept together) two to a row."""
    rows = [cells[i : i + 2] + [""] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)]
    t = Table(rows, colWidths=[CONTENT_WIDTH / 2] * 2)
    t.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    return t


# ---------------------------------------------------------------------------------------
# Ranking and sources


def _tied(rated: list[tuple[str, Attainment]], rate: float) -> str:
    """ "健康领域" or "健康、教育领域并列" — a tie is said as a tie."""
    names = [n for n, a in rated if a.rate == rate]
    return f"{names[0]}领域" if len(names) == 1 else f"{'、'.join(names)}领域并列"


def _total_word(r: Row) -> str:
    if r.incomplete:
        return "数据不全"
    return STATUS_LABELS.get(r.status.status, r.status.status)


def _rankings(
    db: Database, view: ReturnView, rep: MonitorReport, kids: list | None = None
) -> list[tuple[str, list]]:
    """Up to MAX_RANKED key indicators on which the sub-units differ, ranked.

    Preferred: per-sub-unit targets (以乡镇为单位…), then indicators warned about, then rates.
    """
    info = view.info
    candidates = sorted(
        (
            r
            for r in view.rows
            if r.indicator.code in rep.rankable and any(t.quantified for t in r.indicator.targets)
        ),
        key=lambda r: (
            not any(t.each for t in r.indicator.targets),
            r.indicator.code not in {w.indicator for w in rep.projected},
            not r.indicator.is_rate,
        ),
    )
    out = []
    for r in candidates[: MAX_RANKED * 4]:
        rows = rank(db, info.unit_code, info.plan_id, info.year, r.indicator.code, views=kids)
        values = {round(v, 9) for _, v, _ in rows if v is not None}
        if len(values) >= 2:  # a ranking where everyone ties says nothing
            out.append((r.indicator.code, rows))
        if len(out) == MAX_RANKED:
            break
    return out


def _ranking_section(ranked: list[tuple[str, list]], view: ReturnView) -> list:
    out: list = [*heading("五、下级单位排名", "h1")]
    if not ranked:
        out.append(para("没有足够的下级单位报表数据，本年不作排名。", "body"))
        return out
    out.append(
        para(
            f"选取{len(ranked)}项重点指标，对各下级单位{view.info.year}年的数值排名（数值相同者名次并列）。",
            "body",
        )
    )
    blocks = []
    for code, rows in ranked:
        ind = view.plan.indicator(code)
        with_values = [(n, v, st) for n, v, st in rows if v is not None]
        met = sum(1 for *_, st in with_values if st == "达标")
        hi, lo = ("最低", "最高") if ind.better == "lower" else ("最高", "最低")
        out.append(
            para(
                f"「{ind.name}」{_ends(with_values, 0, ind)}{hi}，{_ends(with_values, -1, ind)}{lo}；"
                f"{len(with_values)}个单位中{met}个达标。",
                "item",
            )
        )
        head = f"本年值（{ind.unit}）" if ind.unit else "本年值"
        data: list[list] = [["名次", "单位", head, "达标情况"]]
        for (name, v, st), place in zip(rows, places(rows, ind.better == "lower"), strict=True):
            mark = status_mark(_STATUS_OF_LABEL.get(st, "")) or st
            data.append([str(place) if place is not None else "—", name, fmt_shown(v, ind), mark])
        half = CONTENT_WIDTH / 2 - 3 * mm
        table = grid(data, [9 * mm, half - 45 * mm, 20 * mm, 16 * mm], left=(1,), pad=REPORT_PAD)
        blocks.append([para(f"{code}　{ind.name}", "cell"), table])
    out.append(Spacer(1, 2 * mm))
    out.append(_two_up(blocks))
    return out


def _ends(with_values: list, end: int, ind: Indicator) -> str:
    """ "南关街道（89.43%）" — or "北关街道等6个单位（100%）" when several share the place."""
    name, v, _ = with_values[end]
    tied = [n for n, w, _ in with_values if abs(w - v) <= 1e-9]
    who = name if len(tied) == 1 else f"{tied[0]}等{len(tied)}个单位并列"
    return f"{who}（{fmt_fixed_value(v, ind)}）"


def _sources(db: Database, view: ReturnView, today: date) -> list:
    info = view.info
    sources: list[_Source] = []
    with db.session() as s:
        unit = repo.unit_by_code(s, info.unit_code)
        units = [unit, *repo.children(s, unit.id, include_departments=True)]
        for u in units:
            r = repo.find_return(s, u.id, info.plan_id, info.year)
            if r is None:
                if u.level != "department":
                    sources.append(_Source(u.name, "—", "未填报", "", ""))
                continue
            fp = fingerprint(r.plan_id, r.plan_version, u.code, r.year, repo.entries(s, r.id))
            kind = "汇总" if r.aggregated else "填报"
            status = "已报送" if r.status == "submitted" else "草稿"
            # 报出日期 is the return's own sign-off (imported with the file), not when it arrived.
            when = r.report_date.isoformat() if r.report_date else ""
            sources.append(_Source(u.name, kind, status, when, fp))
    submitted = sum(1 for x in sources if x.status == "已报送")
    out: list = [
        *heading("六、数据来源", "h1"),
        para(
            f"本报告依据Tianbao数据库中{info.year}年的下列{len(sources)}份报表生成，"
            f"其中已报送{submitted}份；草稿报表的数据可能仍会变动。校验码与各单位报送的Excel文件"
            f"和纸质报表上的校验码一致时，数据相同。报告生成日期：{today.year}年{today.month}月{today.day}日。",
            "body",
        ),
    ]
    data = [["单位", "方式", "状态", "报出日期", "校验码"]]
    data += [[x.unit, x.kind, x.status, x.date, x.fingerprint] for x in sources]
    out.append(
        grid(data, [60 * mm, 18 * mm, 20 * mm, 28 * mm, CONTENT_WIDTH - 126 * mm], pad=REPORT_PAD)
    )
    return out


__all__ = ["ReportResult", "write_monitoring_report"]
