"""Progress toward a target due in a later year: 已达标 / 按进度 / 落后于进度 / 未达标.

Worked example (docs/evaluation.md): infant mortality 6‰ in the base year 2020, target ≤4‰ in
2030.  The straight path falls 0.2‰ a year, so 2023 should be at most 5.4‰.
"""

from __future__ import annotations

import pytest

from tianbao.domain.status import (
    BEHIND,
    CLOSE,
    MET,
    NO_DATA,
    NOT_MET,
    ON_COURSE,
    STATUSES,
    final_level,
    on_path,
    status_name,
)
from tianbao.domain.status import evaluate as ev
from tianbao.domain.warning import attainment

IMR = dict(unit="‰", scale=1000, numerator="婴儿死亡数", denominator="活产数", better="lower")
END = [{"op": "<=", "value": 4, "year": 2030}]


def test_path_arithmetic():
    assert on_path(2020, 6.0, 2030, 4.0, 2023) == pytest.approx(5.4)
    assert on_path(2020, 6.0, 2030, 4.0, 2030) == pytest.approx(4.0)


def test_end_of_period_target_is_judged_by_progress(make):
    ind = make(**IMR, targets=END)
    kw = dict(baseline=6.0, baseline_year=2020)
    assert ev(ind, 2023, 5.4, **kw).status == ON_COURSE  # exactly on the path
    assert ev(ind, 2023, 5.0, **kw).status == ON_COURSE
    st = ev(ind, 2023, 5.6, **kw)
    assert st.status == BEHIND
    assert "5.40‰" in st.detail and "落后于进度" in st.detail and "2020年基期值 6.00‰" in st.detail
    assert ev(ind, 2023, 3.9, **kw).status == MET  # reached early
    # In its own year the same target is judged as today.
    assert ev(ind, 2030, 4.1, **kw).status == CLOSE
    assert ev(ind, 2030, 5.0, **kw).status == NOT_MET
    # Asked for the old reading explicitly, a later target is simply not met yet.
    assert ev(ind, 2023, 5.0, progress=False, **kw).status == NOT_MET


def test_path_start_falls_back_to_first_value_then_last_year(make):
    ind = make(**IMR, targets=END)
    # the first known value (the evaluation report passes it)
    assert ev(ind, 2023, 5.6, start=(2021, 6.4)).status == ON_COURSE  # path at 2023: 5.92
    # last year's value
    assert ev(ind, 2023, 5.6, previous=5.9).status == ON_COURSE  # path: 5.9 − 1.9/8 = 5.66
    st = ev(ind, 2023, 5.6, previous=5.7)
    assert st.status == BEHIND and "上年值" in st.detail
    # nothing to start from: judged against the level, and the detail says why
    st = ev(ind, 2023, 5.6)
    assert st.status == NOT_MET and "无法判断进度" in st.detail


def test_higher_is_better_and_milestone_in_force(make):
    ind = make(
        better="higher",
        targets=[
            {"op": ">=", "value": 90, "year": 2025},
            {"op": ">=", "value": 95, "year": 2030},
        ],
    )
    kw = dict(baseline=80.0, baseline_year=2020)
    # 2023: the 2025 milestone is in force; path 80 → 90 over five years: 86 in 2023
    assert ev(ind, 2023, 86.5, **kw).status == ON_COURSE
    assert ev(ind, 2023, 85.0, **kw).status == BEHIND
    # 2025: the milestone is due: judged as today
    assert ev(ind, 2025, 85.0, **kw).status == NOT_MET
    assert ev(ind, 2025, 91.0, **kw).status == MET
    # 2026: toward the 2030 target from the base year: 80 + 15 × 6/10 = 89
    assert ev(ind, 2026, 89.0, **kw).status == ON_COURSE
    assert ev(ind, 2026, 88.0, **kw).status == BEHIND


def test_change_against_base_year(make):
    ind = make(
        unit="1/10万",
        scale=100000,
        numerator="死亡数",
        denominator="儿童数",
        better="lower",
        targets=[
            {
                "op": "change",
                "value": -20,
                "change_unit": "percent",
                "basis": "base_year",
                "base_year": 2020,
                "year": 2030,
            }
        ],
    )
    t = ind.targets[0]
    assert final_level(t, 10.0) == pytest.approx(8.0)
    kw = dict(baseline=10.0, baseline_year=2020)
    assert ev(ind, 2025, 9.0, **kw).status == ON_COURSE  # path 9.0
    assert ev(ind, 2025, 9.2, **kw).status == BEHIND
    assert ev(ind, 2025, 7.9, **kw).status == MET
    assert ev(ind, 2025, 9.2).status == NO_DATA  # no base: the change cannot be computed


def test_statuses_named_and_counted(make):
    assert {ON_COURSE, BEHIND} <= set(STATUSES)
    assert status_name(ON_COURSE) == "按进度" and status_name(BEHIND) == "落后于进度"
    ind = make(**IMR, targets=END)
    kw = dict(baseline=6.0, baseline_year=2020)
    a = attainment(
        [
            ("A", ev(ind, 2023, 5.0, **kw)),
            ("B", ev(ind, 2023, 5.9, **kw)),
            ("C", ev(ind, 2023, 3.0, **kw)),
        ]
    )
    assert (a.met, a.on_course, a.behind, a.not_met, a.assessed) == (1, 1, 1, 0, 3)
    assert a.behind_codes == ("B",) and a.on_course_codes == ("A",)
