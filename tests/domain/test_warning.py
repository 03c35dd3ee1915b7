"""Early warning (trend projection, large changes) and 达标率."""

import pytest

from tianbao.domain.catalogue import Target
from tianbao.domain.status import CLOSE, MET, NO_DATA, NO_TARGET, NOT_MET, TargetStatus, evaluate
from tianbao.domain.warning import (
    LARGE_CHANGE,
    PROJECTED_MISS,
    Attainment,
    EarlyWarning,
    Warning,
    attainment,
    early_warnings,
    project,
)

IMR = dict(
    name="婴儿死亡率",
    unit="‰",
    scale=1000,
    numerator="未满1岁婴儿死亡数",
    denominator="活产数",
    better="lower",
)
MILESTONES = [{"op": "<=", "value": 4, "year": 2025}, {"op": "<=", "value": 3.4, "year": 2030}]


# --- project ------------------------------------------------------------------------------------


def test_project_exact_line():
    assert project({2021: 5.0, 2022: 4.5, 2023: 4.0}, 2025) == pytest.approx(3.0)


def test_project_least_squares():
    # mean (2021.5, 4.0); slope Σdxdy/Σdx² = 1.4/5 = 0.28 a year
    assert project({2021: 3.6, 2022: 4.0, 2023: 4.6, 2020: 3.8}, 2023) == pytest.approx(4.42)


def test_project_needs_two_years():
    assert project({}, 2025) is None
    assert project({2023: 4.0}, 2025) is None
    assert project({2022: None, 2023: 4.0}, 2025) is None


# --- projected_miss -------------------------------------------------------------------------------


def test_projected_miss_against_next_milestone(make):
    ind = make(**IMR, targets=MILESTONES)
    out = early_warnings(ind, {2021: 3.5, 2022: 3.8, 2023: 4.1}, 2023)
    assert [w.kind for w in out] == [PROJECTED_MISS]
    w = out[0]
    assert w.indicator == "X1" and w.target_year == 2025 and w.projected == pytest.approx(4.7)
    assert w.target.value == 4
    assert (
        "预计达标困难" in w.message
        and "2025" in w.message
        and "4.70‰" in w.message  # the indicator's fixed decimals (two for a rate)
        and "≤4‰" in w.message
    )
    assert "2025" in w.message_en


def test_improving_series_gives_no_warning(make):
    ind = make(**IMR, targets=MILESTONES)
    assert early_warnings(ind, {2021: 4.8, 2022: 4.5, 2023: 4.3}, 2023) == []


def test_on_a_milestone_year_the_next_milestone_is_projected(make):
    ind = make(**IMR, targets=MILESTONES)
    out = early_warnings(ind, {2023: 3.8, 2024: 3.8, 2025: 3.8}, 2025)
    assert [(w.kind, w.target_year, w.target.value) for w in out] == [(PROJECTED_MISS, 2030, 3.4)]


def test_values_after_the_year_are_ignored(make):
    ind = make(**IMR, targets=MILESTONES)
    assert early_warnings(ind, {2021: 4.8, 2022: 4.5, 2023: 9.0}, 2022) == []


def test_projection_is_clipped_to_the_hard_bounds(make):
    ind = make(name="接种率", better="higher", targets=[{"op": ">=", "value": 90, "year": 2030}])
    out = early_warnings(ind, {2021: 60, 2022: 40, 2023: 20}, 2023)
    assert out[0].kind == PROJECTED_MISS and out[0].projected == 0
    ind = make(name="接种率", targets=[{"op": "<=", "value": 90, "year": 2030}])
    out = early_warnings(ind, {2021: 60, 2022: 80, 2023: 100}, 2023)
    assert out[0].kind == PROJECTED_MISS and out[0].projected == 100


def test_undated_target_projected_to_end_year(make):
    ind = make(name="接种率", better="higher", targets=[{"op": ">=", "value": 90}])
    series = {2021: 96, 2022: 95, 2023: 94.5}
    assert early_warnings(ind, series, 2023) == []  # no year to project to
    out = early_warnings(ind, series, 2023, end_year=2030)
    assert [(w.kind, w.target_year) for w in out] == [(PROJECTED_MISS, 2030)]


@pytest.mark.parametrize(
    "target",
    [
        {"op": "approx", "value": 3.5, "tolerance": 0.5, "year": 2030},
        {"op": "range", "value": [3, 4], "year": 2030},
    ],
)
def test_projected_miss_for_approx_and_range(make, target):
    ind = make(targets=[target])
    assert [w.kind for w in early_warnings(ind, {2021: 3.4, 2022: 3.6, 2023: 3.8}, 2023)] == [
        PROJECTED_MISS
    ]
    assert early_warnings(ind, {2021: 3.5, 2022: 3.5, 2023: 3.6}, 2023) == []


def test_relative_each_and_qualitative_targets_are_not_projected(make):
    targets = [
        {"op": ">=", "value": 90, "each": "乡镇（街道）", "year": 2030},
        {"op": "change", "value": -20, "change_unit": "percent", "year": 2030},
        {"op": "direction", "direction": "up", "year": 2030},
    ]
    ind = make(targets=targets)
    assert early_warnings(ind, {2021: 60, 2022: 55, 2023: 50}, 2023) == []


def test_one_year_of_data_cannot_be_projected(make):
    ind = make(**IMR, targets=MILESTONES)
    assert early_warnings(ind, {2023: 9.0}, 2023) == []


# --- large_change ----------------------------------------------------------------------------------


def test_large_change_uses_the_checks_threshold(make):
    ind = make(name="接种率")  # 95 → 92: 3 points > 1 point (20 % of the 5 not covered)
    out = early_warnings(ind, {2022: 95, 2023: 92}, 2023)
    assert [w.kind for w in out] == [LARGE_CHANGE]
    m = out[0].message  # fixed decimals; the change as the two shown figures differ
    assert "波动较大" in m and "92.00%" in m and "95.00%" in m
    # A change of a percentage is in points, and so is the threshold (3 points > 1 point).
    assert "下降 3.00个百分点" in m and "超过 ±1个百分点" in m
    assert "limit ±1 points" in out[0].message_en
    assert out[0].projected is None
    assert early_warnings(ind, {2022: 95, 2023: 94.5}, 2023) == []


def test_large_change_explicit_threshold_and_counts(make):
    ind = make(kind="count", unit="个", change_threshold=10)
    assert [w.kind for w in early_warnings(ind, {2022: 100, 2023: 115}, 2023)] == [LARGE_CHANGE]
    assert early_warnings(ind, {2022: 100, 2023: 105}, 2023) == []


def test_large_change_only_between_consecutive_years(make):
    ind = make(name="接种率")
    assert early_warnings(ind, {2021: 95, 2023: 80}, 2023) == []  # 2022 missing
    assert early_warnings(ind, {2021: 95, 2022: 80}, 2023) == []  # nothing for 2023


def test_both_kinds_together(make):
    ind = make(**IMR, targets=MILESTONES)
    out = early_warnings(ind, {2021: 3.0, 2022: 3.2, 2023: 5.0}, 2023)
    assert sorted(w.kind for w in out) == [LARGE_CHANGE, PROJECTED_MISS]
    assert all(isinstance(w, EarlyWarning) for w in out) and Warning is EarlyWarning


# --- attainment ------------------------------------------------------------------------------------


def test_attainment_counts_quantified_and_direction_targets_and_what_could_not_be_assessed(make):
    level = make(targets=[{"op": ">=", "value": 90}])
    qual = make(kind="yesno", unit="", targets=[{"op": "qualitative"}])
    trend = make(targets=[{"op": "direction", "direction": "down"}])
    statuses = [
        ("A", evaluate(level, 2024, 95)),  # met
        ("B", evaluate(level, 2024, 91)),  # met
        ("C", evaluate(level, 2024, 88)),  # close
        ("D", evaluate(level, 2024, 70)),  # not met
        ("E", evaluate(level, 2024, None)),  # no data
        ("F", evaluate(make(), 2024, 50)),  # no target
        ("G", evaluate(qual, 2024, "no")),  # qualitative: reported in words
        ("H", evaluate(trend, 2024, 9, previous=10)),  # direction only
    ]
    assert [s.status for _, s in statuses] == [
        MET,
        MET,
        CLOSE,
        NOT_MET,
        NO_DATA,
        NO_TARGET,
        NOT_MET,
        MET,
    ]
    a = attainment(statuses, qualitative={"G"}, reasons={"E": "数据不全"})
    # The direction target H is judged in the indicator table, so it is counted here too; E had
    # a target in force but no data: not assessed, not met, and said so with its reason.
    assert a == Attainment(
        met=3,
        close=1,
        not_met=1,
        assessed=5,
        rate=50.0,
        close_codes=("C",),
        not_met_codes=("D",),
        not_assessable=1,
        not_assessable_codes=("E",),
        reasons={"E": "数据不全"},
    )
    assert a.due == 6 and a.rate_assessed == 60.0
    assert a.describe() == (
        "达标率50.0%（应评估6项：达标3项，接近目标1项，未达标1项；1项无法评估：数据不全1项）"
    )


def test_attainment_of_nothing():
    a = attainment([])
    assert a.assessed == 0 and a.rate is None
    t = Target(op=">=", value=90.0)
    a = attainment([("A", TargetStatus(NO_DATA, t, (t,)))])
    assert a.assessed == 0 and a.not_assessable == 1 and a.rate == 0.0  # never 100% unassessed


def test_attainment_rate_all_met(make):
    ind = make(**IMR, targets=MILESTONES)
    a = attainment((c, evaluate(ind, 2024, v)) for c, v in [("A", 3.0), ("B", 3.9), ("C", 4.0)])
    assert a.rate == 100 and a.met == 3 and a.assessed == 3
