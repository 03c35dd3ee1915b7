"""check_entry, evaluate and early_warnings run over every indicator of every built-in plan."""

import pytest

from tianbao.domain.catalogue import CatalogueError, Indicator, builtin_plan_paths, load_plan_file
from tianbao.domain.checks import ERROR, check_entry
from tianbao.domain.status import STATUSES, evaluate
from tianbao.domain.values import Entry
from tianbao.domain.warning import early_warnings


def _plausible(ind: Indicator) -> float:
    """A value the indicator could well have: mid plausible range, else its first level target."""
    if ind.plausible:
        v = sum(ind.plausible) / 2
    else:
        level = [t for t in ind.targets if t.op in ("<=", "<", ">=", ">", "approx", "range")]
        if level:
            tv = level[0].value
            v = sum(tv) / 2 if isinstance(tv, tuple) else tv
        elif ind.kind == "rate" and ind.scale:
            v = ind.scale / 2
        else:
            v = 10.0
    return float(round(v)) if ind.kind == "count" else v


@pytest.mark.parametrize("path", builtin_plan_paths(), ids=lambda p: p.stem)
def test_every_indicator_checks_and_evaluates(path):
    try:
        plan = load_plan_file(path, builtin=True)
    except CatalogueError as e:  # reported by tests/catalogue; nothing to check here
        pytest.skip(f"plan does not load: {e}")
    first, last = plan.period
    for ind in plan.indicators:
        if ind.is_numeric:
            v: float | str = _plausible(ind)
            entry = Entry(number=v)
        elif ind.kind == "yesno":
            v, entry = "yes", Entry(choice="yes")
        else:
            v, entry = "", Entry(text="情况")
        for year in range(first, last + 1):
            findings = check_entry(
                ind,
                entry,
                year=year,
                previous=v if ind.is_numeric else None,
                baseline=v if ind.is_numeric else None,
                baseline_year=plan.base_year,
                required=True,
            )
            assert not [f for f in findings if f.severity == ERROR], (ind.code, v, findings)
            st = evaluate(
                ind,
                year,
                v if ind.kind != "text" else None,
                previous=v if ind.is_numeric else None,
                baseline=v if ind.is_numeric else None,
                baseline_year=plan.base_year,
                subunits={"甲": v, "乙": None} if ind.is_numeric else None,
            )
            assert st.status in STATUSES and st.detail, (ind.code, year)
        if ind.is_numeric:
            series = {y: v * (1 + 0.05 * (y - first)) for y in range(first, last)}
            early_warnings(ind, series, last - 1, end_year=last)
