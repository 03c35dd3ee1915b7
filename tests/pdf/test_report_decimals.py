"""Issue 17: the annual monitoring report shows every indicator's figures with the indicator's
fixed decimals, the same as the grid and the returns (read back from the PDF with pypdf)."""

from __future__ import annotations

import re

import pytest

from tests.support.pdf import page_texts, squash
from tianbao.domain.display import decimals, fmt_fixed, fmt_fixed_change, fmt_number
from tianbao.domain.warning import LARGE_CHANGE
from tianbao.pdf.report import write_monitoring_report
from tianbao.services.demo import DEMO_PLAN, DISTRICT, demo_years
from tianbao.services.monitoring import monitor, places, rank
from tianbao.services.plans import get_plan
from tianbao.services.returns import ReturnService


@pytest.fixture(scope="module")
def report(demo_db, tmp_path_factory):
    year = demo_years(get_plan(demo_db, DEMO_PLAN))[-1]
    out = tmp_path_factory.mktemp("decimals") / "report.pdf"
    result = write_monitoring_report(demo_db, DISTRICT[0], DEMO_PLAN, year, out)
    svc = ReturnService(demo_db)
    view = svc.view(svc.existing(DISTRICT[0], DEMO_PLAN, year).id)
    return {"text": "".join(page_texts(out)), "view": view, "year": year, "result": result}


def _amount(change: str) -> float:
    """The figure of a change such as "−0.49个百分点" or "+3/10万"."""
    return float(re.match(r"[+−]([0-9.]+)", change).group(1))


def _numeric_rows(view):
    return [r for r in view.rows if r.indicator.is_numeric and isinstance(r.value, (int, float))]


def test_indicator_table_values_have_the_indicators_fixed_decimals(report):
    text, rows = report["text"], _numeric_rows(report["view"])
    assert len(rows) > 20
    for r in rows:  # 指标名称 计量单位 本年值 — as the grid shows the value
        ind = r.indicator
        assert squash(f"{ind.name}{ind.unit}{fmt_fixed(r.value, ind)}") in text, ind.code
        shown = fmt_fixed(r.value, ind)
        assert len(shown.partition(".")[2]) == decimals(ind), (ind.code, shown)
    # The demo has values the old shortest form printed with fewer decimals (29.2, 12, 100).
    assert any(fmt_fixed(r.value, r.indicator) != fmt_number(r.value) for r in rows)


def test_last_year_and_change_follow_the_shown_figures(report):
    text, rows = report["text"], _numeric_rows(report["view"])
    changed = [r for r in rows if isinstance(r.previous, (int, float))]
    assert len(changed) > 20
    for r in changed:  # 上年值 较上年变化: the change is the difference of the two printed figures
        ind = r.indicator
        change = fmt_fixed_change(r.value, r.previous, ind)
        assert squash(f"{fmt_fixed(r.previous, ind)}{change}") in text, ind.code
        if change not in ("持平", ""):
            d = decimals(ind)
            diff = _amount(change)
            assert diff == pytest.approx(abs(round(r.value, d) - round(r.previous, d)))
    percents = [r for r in changed if r.indicator.unit == "%"]
    assert any(
        fmt_fixed_change(r.value, r.previous, r.indicator).endswith("个百分点") for r in percents
    )


def test_ranking_and_warnings_use_the_same_decimals(report, demo_db):
    text, view, year = report["text"], report["view"], report["year"]
    assert report["result"].ranked
    for code in report["result"].ranked:
        ind = view.plan.indicator(code)
        rows = rank(demo_db, DISTRICT[0], DEMO_PLAN, year, code)
        for (name, v, _st), place in zip(rows, places(rows, ind.better == "lower"), strict=True):
            if v is not None:
                assert squash(f"{place}{name}{fmt_fixed(v, ind)}") in text, (code, name)
    rep = monitor(demo_db, DISTRICT[0], DEMO_PLAN, year)
    large = [w for w in rep.fluctuating if w.kind == LARGE_CHANGE]
    assert large
    for w in large:  # "…2024 年为 95.64%，比 2023 年 92.53% 上升 3.11%…" as the table says
        r = view.row(w.indicator)
        ind = r.indicator
        shift = fmt_fixed_change(r.value, r.previous, ind)
        assert fmt_fixed(r.value, ind) in w.message and fmt_fixed(r.previous, ind) in w.message
        assert (
            f"{'上升' if shift[0] == '+' else '下降'} {fmt_fixed(_amount(shift), ind)}" in w.message
        )
        assert squash(w.message.split("：", 1)[1]) in text
