"""One target describer for both languages (issue 11 leftover): ``Target.describe(unit, en=...)``
renders every target of every built-in catalogue exactly as the two former functions did —
``Target.describe`` (Chinese) and ``status.describe_en`` (English), frozen below as they were —
and ``describe_en`` is that same function, not a second wording that can drift."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tianbao.domain.catalogue import load_builtin_plans
from tianbao.domain.catalogue_model import Target
from tianbao.domain.display import describe_en, display_unit

# --- the former two functions, frozen (commit fc5d947) ------------------------------------------


def _old_num_zh(v: Any) -> str:
    if v is None:
        return "?"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return f"{v:g}" if isinstance(v, float) else str(v)


def _old_num_en(v: float | None) -> str:
    if v is None:
        return "?"
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    if s in ("0", "-0"):
        return f"{v:.3g}" if v != 0 else "0"
    return s


_OLD_UNIT_EN = {
    "%": "%",
    "‰": "‰",
    "1/10万": " per 100,000",
    "1/万": " per 10,000",
    "元": " yuan",
    "万元": " × 10,000 yuan",
    "小时": " h",
    "天": " days",
    "年": " years",
    "岁": " years",
    "人": " persons",
    "名": " persons",
    "平方米": " m²",
    "个百分点": " pp",
}


def _old_zh(t: Target, unit: str = "") -> str:
    v, num = t.value, _old_num_zh
    if unit.startswith("1/"):
        unit = unit[1:]
    if t.op in ("<=", "<", ">=", ">"):
        sym = {"<=": "≤", "<": "<", ">=": "≥", ">": ">"}[t.op]
        if t.reference:
            text = f"{sym}{t.reference}"
        elif t.reached_in:
            text = f"{sym}{t.reached_in}年实际值"
        else:
            text = f"{sym}{num(v)}{unit}"
    elif t.op == "approx":
        whose = "" if t.tolerance_stated else "，容差为目录取值"
        text = f"{num(v)}{unit}左右(±{num(t.tolerance)}{whose})"
    elif t.op == "range":
        text = f"{num(v[0])}–{num(v[1])}{unit}"
    elif t.op == "change":
        u = "%" if t.change_unit == "percent" else "个百分点"
        base = f"较{t.base_year}年" if t.basis == "base_year" else "每年"
        if isinstance(v, tuple):
            lo, hi = sorted((abs(v[0]), abs(v[1])))
            verb = "下降" if v[0] < 0 else "上升"
            text = f"{base}{verb}{num(lo)}–{num(hi)}{u}"
        else:
            verb = "下降" if v < 0 else "上升"
            text = f"{base}{verb}{num(abs(v))}{u}"
    elif t.op == "growth":
        text = f"年均增长≥{num(v)}%"
    elif t.op == "direction":
        text = {
            "down": "下降",
            "up": "上升",
            "stable": "保持稳定",
            "not_up": "不上升",
            "not_down": "不下降",
        }.get(t.direction or "", "趋势")
    else:
        text = "定性"
    if t.each:
        text = f"每个{t.each}{text}"
    if t.year:
        text += f" ({t.year}年)"
    if t.from_year:
        text += f" ({t.from_year}年起)"
    return text


def _old_en(t: Target, unit: str) -> str:
    symbol = {"<=": "≤", "<": "<", ">=": "≥", ">": ">"}
    n, u, v = _old_num_en, _OLD_UNIT_EN.get(unit, ""), t.value
    if t.op in ("<=", "<", ">=", ">") and t.reference:
        text = f"{symbol[t.op]} the reference figure ({t.reference})"
    elif t.op in ("<=", "<", ">=", ">") and t.reached_in:
        text = f"{symbol[t.op]} the value reached in {t.reached_in}"
    elif t.op in ("<=", "<", ">=", ">"):
        text = f"{symbol[t.op]}{n(v)}{u}"
    elif t.op == "approx":
        whose = "" if t.tolerance_stated else ", tolerance set by the catalogue"
        text = f"about {n(v)}{u} (±{n(t.tolerance)}{whose})"
    elif t.op == "range":
        text = f"{n(v[0])}–{n(v[1])}{u}"
    elif t.op == "change":
        cu = "%" if t.change_unit == "percent" else " pp"
        first = v[0] if isinstance(v, tuple) else v
        mags = sorted(abs(x) for x in v) if isinstance(v, tuple) else [abs(v)]
        amount = "–".join(n(x) for x in mags)
        base = f"vs {t.base_year}" if t.basis == "base_year" else "per year"
        text = f"{'down' if first < 0 else 'up'} {amount}{cu} {base}"
    elif t.op == "growth":
        text = f"average annual growth ≥{n(v)}%"
    elif t.op == "direction":
        text = {
            "down": "falling",
            "up": "rising",
            "stable": "stable",
            "not_up": "not rising",
            "not_down": "not falling",
        }.get(t.direction or "", "trend")
    else:
        text = "qualitative goal"
    if t.each:
        text += f" in every {t.each}"
    if t.year:
        text += f" ({t.year})"
    if t.from_year:
        text += f" (from {t.from_year})"
    return text


# --- parity --------------------------------------------------------------------------------------


def _targets():
    out = []
    for plan in load_builtin_plans().values():
        for ind in plan.indicators:
            for t in ind.targets:
                out.append((plan.id, ind, t))
    return out


TARGETS = _targets()


def test_every_builtin_catalogue_has_targets_of_every_form():
    assert len({p for p, _i, _t in TARGETS}) == 6
    assert {t.op for _p, _i, t in TARGETS} >= {"<=", ">=", "approx", "change", "direction"}
    assert len(TARGETS) > 500


@pytest.mark.parametrize("plan_id", sorted({p for p, _i, _t in TARGETS}))
def test_one_describer_keeps_both_languages_exact_for_every_builtin_target(plan_id):
    n = 0
    for p, ind, t in TARGETS:
        if p != plan_id:
            continue
        # Chinese, as the tables call it (display unit) and with the catalogue's unit.
        for unit in (display_unit(ind.unit), ind.unit, ""):
            assert t.describe(unit) == _old_zh(t, unit), (ind.code, unit)
            assert t.describe(unit, en=False) == _old_zh(t, unit)
        # English, as status, warnings and the grid call it (the catalogue's unit).
        assert t.describe(ind.unit, en=True) == _old_en(t, ind.unit), ind.code
        assert describe_en(t, ind.unit) == _old_en(t, ind.unit), ind.code
        n += 1
    assert n


def test_forms_the_catalogues_lack_render_the_same_too():
    """Forms no built-in target uses (each + from_year, ranges, growth, reached_in …) and units."""
    base = Target(op=">=", value=25.0, year=2030)
    variants = [
        base,
        replace(base, op="<", value=0.5),
        replace(base, op=">", value=None, reference="本地区党员总数中女性比例"),
        replace(base, op=">", value=None, reached_in=2025),
        replace(base, op="approx", value=40.0, tolerance=2.0),
        replace(base, op="approx", value=40.0, tolerance=2.0, tolerance_stated=True),
        replace(base, op="range", value=(1.5, 2.0)),
        replace(base, op="change", value=-20.0, basis="base_year", base_year=2020),
        replace(base, op="change", value=(-0.5, -1.0), basis="previous", change_unit="points"),
        replace(base, op="change", value=3.0, basis="previous", change_unit="percent"),
        replace(base, op="growth", value=7.5),
        *[
            replace(base, op="direction", value=None, direction=d)
            for d in (None, "down", "up", "stable", "not_up", "not_down")
        ],
        replace(base, op="qualitative", value=None),
        replace(base, each="乡镇（街道）", from_year=2025),
        replace(base, year=None),
    ]
    for t in variants:
        for unit in ("%", "‰", "1/10万", "1/万", "小时", "元", "个", ""):
            assert t.describe(unit) == _old_zh(t, unit), (t, unit)
            assert t.describe(unit, en=True) == _old_en(t, unit), (t, unit)
