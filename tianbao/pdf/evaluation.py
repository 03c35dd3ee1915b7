"""The 中期评估报告 / 终期评估报告 of a unit for a plan: black and white, A4, Chinese.

Sections: 一、总体情况 (counts per domain: 已达到 / 按进度 / 落后于进度 / 未达标 / 无法评估, and why
not assessable); 二、指标逐年数值 (base-year value, each year's value, change since the base year);
三、目标进度评估 (milestone in force and its status, the final target, progress toward it and the
value projected for the final year); 四、落后于进度和未达标的指标 with trend charts; 五、下级单位
评估 side by side; 六、定性目标; 七、数据来源 with each return's 校验码.  Fonts, page numbers and
fingerprints as the returns (``tianbao.pdf.common``); the figures come from
``tianbao.services.evaluation`` and the same figures go to the data annex (``excel.annex``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table

from db.engine import Database
from tianbao.domain.status import (
    BEHIND,
    LEVEL_OPS,
    NOT_MET,
    final_level,
    fmt_fixed_value,
)
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
    table_style,
    targets_text,
)
from tianbao.services.evaluation import (
    BEHIND_C,
    COUNT_KEYS,
    COUNT_NAMES,
    MISSED_C,
    Evaluation,
    IndicatorEval,
    change_text,
    eval_name,
    evaluation,
    projection_text,
)

MAX_CHARTS = 12
KIDS_PER_TABLE = 6


@dataclass(frozen=True)
class EvaluationResult:
    path: Path
    pages: int
    charts: tuple[str, ...]
    evaluation: Evaluation


def write_evaluation_report(
    db: Database,
    unit_code: str,
    plan_id: str,
    year: int,
    path: str | Path,
    *,
    final: bool = False,
) -> EvaluationResult:
    ev = evaluation(db, unit_code, plan_id, year, final=final)
    return write_evaluation_pdf(ev, path)


def write_evaluation_pdf(ev: Evaluation, path: str | Path) -> EvaluationResult:
    today = date.today()
    title = f"{ev.year}年{ev.kind_name}报告"
    charts = _chart_rows(ev)
    story: list = [
        para_lines([ev.plan.title, title], "title"),
        para_lines(
            [f"评估单位：{ev.unit_name}", f"生成日期：{today.year}年{today.month}月{today.day}日"],
            "subtitle",
        ),
        Spacer(1, 3 * mm),
        *_overview(ev),
        *_values_table(ev),
        *_progress_table(ev),
        *_behind_section(ev, charts),
        *_subunits_section(ev),
        *_qualitative_section(ev),
        *_sources(ev, today),
    ]
    pages: list[int] = []

    decorate = page_footer(pages, f"{ev.unit_name} {title}", "生成日期", today)

    build_pdf(
        Path(path),
        story,
        decorate,
        title=f"{ev.plan.title} {title}",
        subject=f"{ev.unit_name} {title}",
    )
    return EvaluationResult(
        Path(path), pages[0] if pages else 0, tuple(r.indicator.code for r in charts), ev
    )


# ---------------------------------------------------------------------------------------
# Parts


def _domain_rows(t: Table, rows: list[int]) -> None:
    t.setStyle(
        table_style(
            [
                s
                for r in rows
                for s in (("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), LIGHT))
            ]
        )
    )


def _overview(ev: Evaluation) -> list:
    plan, c = ev.plan, ev.counts()
    quantified = sum(1 for r in ev.rows if r.count is not None)
    assessed = quantified - c["na"]
    kind = ev.kind_name
    text = [
        f"{plan.title}规划期为{plan.period[0]}—{plan.period[1]}年，基期为{plan.base_year}年，"
        f"共设{len(plan.domains)}个领域、{len(ev.rows)}项监测指标，其中有量化目标的{quantified}项。"
        f"本报告为{ev.unit_name}{ev.year}年{kind}。"
    ]
    text.append(
        f"对照{ev.year}年适用的目标（阶段性目标年份已到的按目标值判断，目标年份未到的按进度判断），"
        f"可评估的{assessed}项中，已达到{c['met']}项，按进度{c['on_course']}项，"
        f"落后于进度{c['behind']}项，未达标{c['not_met']}项；另有{c['na']}项无法评估。"
    )
    if assessed:
        good = c["met"] + c["on_course"]
        text.append(f"已达到或按进度推进的指标占可评估指标的{good / assessed * 100:.1f}%。")
    if not ev.final and ev.year < plan.period[1]:
        ahead = [r for r in ev.rows if r.projected_meets is False]
        text.append(
            f"按各指标逐年数值的线性趋势推算，{len(ahead)}项指标预计到{plan.period[1]}年"
            "难以达到终期目标（见表3）。"
        )
    out: list = [
        *heading("一、总体情况", "h1"),
        para("".join(text), "body"),
        para(
            "判断规则：目标年份未到的量化目标，以基期值到目标年份目标值的直线为进度线，"
            "当年值达到或优于进度线为“按进度”，否则为“落后于进度”；已达到目标值的为“已达到”。"
            "无基期值的，以有数据的第一年为起点。",
            "small",
        ),
        *heading("表1　分领域评估结果", "h2"),
    ]
    data = [["领域", *[COUNT_NAMES[k] for k in COUNT_KEYS], "合计"]]
    for d in plan.domains:
        dc = ev.counts(d.code)
        data.append([d.name, *[str(dc[k]) for k in COUNT_KEYS], str(sum(dc.values()))])
    data.append(["合计", *[str(c[k]) for k in COUNT_KEYS], str(sum(c.values()))])
    widths = [52 * mm] + [(CONTENT_WIDTH - 52 * mm) / 6] * 6
    out.append(grid(data, widths, total_row=True))
    reasons = ev.reasons()
    if reasons:
        out += heading("无法评估的指标及原因", "h2", room=20 * mm)
        for k, (ind, why) in enumerate(reasons, 1):
            out.append(para(f"{k}. {ind.code} {ind.name}：{why}", "item"))
    return out


def _values_table(ev: Evaluation) -> list:
    out: list = [*heading("二、指标逐年数值", "h1")]
    years = list(ev.years)
    out.append(
        para(
            f"表2列出各项指标的基期值和{years[0]}—{ev.year}年各年数值（空白为未填报），"
            "以及当年值较基期的变化（定性目标见第六部分）。基期年份标“*”的，没有基期值，"
            "以有数据的第一年为起点。",
            "body",
        )
    )
    out += heading("表2　指标逐年数值", "h2")
    head = [
        "序号",
        "指标名称",
        "单位",
        "基期年份",
        "基期值",
        *[str(y) for y in years],
        "较基期变化",
    ]
    fixed = [8 * mm, 46 * mm, 11 * mm, 11 * mm, 15 * mm, 25 * mm]
    col = (CONTENT_WIDTH - sum(fixed)) / max(len(years), 1)
    widths = fixed[:5] + [col] * len(years) + fixed[5:]
    data: list[list] = [head]
    domain_rows, n = [], 0
    for i, d in enumerate(ev.plan.domains):
        rows = [r for r in ev.rows if r.indicator.domain == d.code and r.indicator.is_numeric]
        if not rows:
            continue
        domain_rows.append(len(data))
        data.append([para(f"{cn_numeral(i + 1)}、{d.name}", "cell"), *[""] * (len(head) - 1)])
        for r in rows:
            n += 1
            ind = r.indicator
            by, base = "", ""
            if r.base is not None:
                by = f"{r.base[0]}{'*' if r.base_is_start else ''}"
                base = fmt_shown(r.base[1], ind)
            data.append(
                [
                    str(n),
                    ind.name,
                    ind.unit,
                    by,
                    base,
                    *[fmt_shown(r.values.get(y), ind) for y in years],
                    change_text(r),
                ]
            )
    t = grid(data, widths, left=(1,), size=7.5)
    _domain_rows(t, domain_rows)
    out.append(t)
    return out


def _progress_table(ev: Evaluation) -> list:
    end = ev.plan.period[1]
    out: list = [*heading("三、目标进度评估", "h1")]
    out.append(
        para(
            f"表3对照{ev.year}年适用的目标（本期目标）和规划期末{end}年的目标（终期目标）评估各项"
            f"量化指标；“预计{end}年值”按各年数值的最小二乘线性趋势推算，至少需要两年数据。",
            "body",
        )
    )
    out += heading("表3　目标进度评估", "h2")
    head = ["序号", "指标名称", "本期目标", "本期评估", "终期目标", "终期进度", f"预计{end}年值"]
    widths = [w * mm for w in (8, 52, 30, 20, 30, 20, 22)]
    data: list[list] = [head]
    domain_rows, n = [], 0
    for i, d in enumerate(ev.plan.domains):
        rows = [r for r in ev.rows if r.indicator.domain == d.code and r.count is not None]
        if not rows:
            continue
        domain_rows.append(len(data))
        data.append([para(f"{cn_numeral(i + 1)}、{d.name}", "cell"), *[""] * 6])
        for r in rows:
            n += 1
            ind = r.indicator
            data.append(
                [
                    str(n),
                    ind.name,
                    targets_text(ind, r.milestone),
                    eval_name(r.status.status),
                    targets_text(ind, r.final),
                    eval_name(r.final_status.status),
                    projection_text(r),
                ]
            )
    t = grid(data, widths, left=(1,), size=7.5)
    _domain_rows(t, domain_rows)
    out.append(t)
    return out


def _chart_rows(ev: Evaluation) -> list[IndicatorEval]:
    pick = [
        r
        for r in ev.rows
        if r.indicator.is_numeric
        and (r.count in (BEHIND_C, MISSED_C) or r.final_status.status in (BEHIND, NOT_MET))
        and sum(1 for v in r.values.values() if isinstance(v, (int, float))) >= 2
    ]
    return pick[:MAX_CHARTS]


def _levels(r: IndicatorEval) -> list[float]:
    out: list[float] = []
    base = r.base[1] if r.base else None
    for t in (*r.milestone, *r.final):
        if t.each or t.relative_to:
            continue
        if t.op == "range" and isinstance(t.value, tuple):
            out += list(t.value)
            continue
        level = final_level(t, base)
        if level is not None and (t.op in LEVEL_OPS or t.op in ("change", "growth")):
            out.append(level)
    return sorted(set(round(v, 6) for v in out))


def _behind_section(ev: Evaluation, charts: list[IndicatorEval]) -> list:
    out: list = [*heading("四、落后于进度和未达标的指标", "h1")]
    bad = [r for r in ev.rows if r.count in (BEHIND_C, MISSED_C)]
    if not bad:
        out.append(para("可评估的各项量化指标均已达到目标或按进度推进。", "body"))
    for k, r in enumerate(bad, 1):
        ind = r.indicator
        v = fmt_fixed_value(r.value, ind) if isinstance(r.value, (int, float)) else "—"
        out.append(
            para(
                f"{k}. {ind.name}（{eval_name(r.status.status)}）：{ev.year}年 {v}。"
                f"{r.status.detail}。",
                "item",
            )
        )
    if charts:
        out += heading("主要指标变化趋势", "h2")
        out.append(
            para(
                f"以下为{len(charts)}项落后于进度或未达标指标的变化趋势（实线为实际值，虚线为本期"
                "和终期目标值）。",
                "body",
            )
        )
        cells = []
        for r in charts:
            ind = r.indicator
            pts = sorted((y, float(v)) for y, v in r.values.items() if isinstance(v, (int, float)))
            unit = f"（{ind.unit}）" if ind.unit else ""
            cells.append([para(f"{ind.name}{unit}", "cell"), trend_chart(pts, _levels(r))])
        rows = [
            cells[i : i + 2] + [""] * (2 - len(cells[i : i + 2])) for i in range(0, len(cells), 2)
        ]
        t = Table(rows, colWidths=[CONTENT_WIDTH / 2] * 2)
        t.setStyle(
            table_style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
                ]
            )
        )
        out.append(t)
    return out


def _subunits_section(ev: Evaluation) -> list:
    out: list = [*heading("五、下级单位评估", "h1")]
    if not ev.subunits:
        out.append(para(f"{ev.unit_name}没有下级单位。", "body"))
        return out
    out.append(
        para(
            f"{ev.unit_name}的{len(ev.subunits)}个下级单位{ev.year}年的评估结果如表4（只计各单位"
            "填报了数据的指标）。",
            "body",
        )
    )
    out += heading("表4　下级单位评估结果", "h2")
    data = [["单位", "填报指标", *[COUNT_NAMES[k] for k in COUNT_KEYS]]]
    for s in ev.subunits:
        filled = sum(1 for v in s.values.values() if v is not None)
        if not s.reported:
            data.append([s.name, "未填报", *[""] * len(COUNT_KEYS)])
        else:
            data.append([s.name, str(filled), *[str(s.counts[k]) for k in COUNT_KEYS]])
    widths = [50 * mm] + [(CONTENT_WIDTH - 50 * mm) / 6] * 6
    out.append(grid(data, widths))
    # The indicators the sub-units report, side by side.
    codes = [
        r.indicator.code
        for r in ev.rows
        if r.indicator.kind != "text"
        and any(s.values.get(r.indicator.code) is not None for s in ev.subunits)
    ]
    if codes:
        out += heading(f"表5　下级单位{ev.year}年主要指标", "h2")
        for start in range(0, len(ev.subunits), KIDS_PER_TABLE):
            kids = ev.subunits[start : start + KIDS_PER_TABLE]
            head = ["指标名称", "单位", *[k.name for k in kids]]
            data = [head]
            for code in codes:
                ind = ev.plan.indicator(code)
                row = [ind.name, ind.unit]
                for k in kids:
                    v = k.values.get(code)
                    st = k.statuses.get(code, "")
                    mark = {"behind": "†", "not_met": "×", "close": "×"}.get(st, "")
                    row.append(f"{fmt_shown(v, ind)}{mark}" if v is not None else "")
                data.append(row)
            fixed = [52 * mm, 12 * mm]
            col = (CONTENT_WIDTH - sum(fixed)) / len(kids)
            out.append(grid(data, fixed + [col] * len(kids), left=(0,), size=7.5))
            out.append(Spacer(1, 2 * mm))
        out.append(para("注：“×”为未达标，“†”为落后于进度；空白为未填报。", "small"))
    return out


def _qualitative_section(ev: Evaluation) -> list:
    out: list = [*heading("六、定性目标", "h1")]
    rows = [r for r in ev.rows if r.indicator.kind == "yesno"]
    if not rows:
        out.append(para("本计划没有定性目标。", "body"))
        return out
    answered = [r for r in rows if r.value]
    c = {k: sum(1 for r in answered if r.value == k) for k in ("yes", "partly", "no")}
    out.append(
        para(
            f"定性目标{len(rows)}项，{ev.year}年填报{len(answered)}项：评为“是”的{c['yes']}项，"
            f"“部分”{c['partly']}项，“否”{c['no']}项。",
            "body",
        )
    )
    years = list(ev.years)
    data = [["序号", "目标", *[str(y) for y in years], "评估"]]
    for k, r in enumerate(rows, 1):
        data.append(
            [
                str(k),
                r.indicator.name,
                *[fmt(r.values.get(y)) for y in years],
                eval_name(r.status.status),
            ]
        )
    fixed = [8 * mm, 90 * mm, 22 * mm]
    col = (CONTENT_WIDTH - sum(fixed)) / max(len(years), 1)
    out.append(grid(data, fixed[:2] + [col] * len(years) + fixed[2:], left=(1,)))
    return out


def _sources(ev: Evaluation, today: date) -> list:
    out: list = [
        *heading("七、数据来源", "h1"),
        para(
            f"本报告依据Tianbao数据库中{ev.year}年的下列报表及以前各年的报表生成。校验码与各单位"
            "报送的Excel文件和纸质报表上的校验码一致时，数据相同。"
            f"报告生成日期：{today.year}年{today.month}月{today.day}日。",
            "body",
        ),
    ]
    data = [["单位", "方式", "状态", "校验码"]]
    data += [list(s) for s in ev.sources]
    out.append(grid(data, [60 * mm, 20 * mm, 24 * mm, CONTENT_WIDTH - 104 * mm]))
    return out


__all__ = [
    "EvaluationResult",
    "change_text",
    "grid",
    "write_evaluation_pdf",
    "write_evaluation_report",
]
