"""Status of the target forms added for issue 16: compared with a reference figure of the same
year, with the value reached in a milestone year, and a rule phased in from a stated year."""

from tianbao.domain.checks import check_entry
from tianbao.domain.status import CLOSE, MET, NO_DATA, NO_TARGET, NOT_MET, evaluate
from tianbao.domain.values import Entry

REF = {"op": ">=", "reference": "本地区党员总数中女性比例"}
REACHED = [
    {"year": 2025, "op": ">=", "value": 60},
    {"year": 2030, "op": ">", "reached_in": 2025},
]


def test_reference_target_compares_with_the_reference_figure(make):
    ind = make(targets=[REF])
    assert evaluate(ind, 2024, 31.0, reference=30.0).status == MET
    assert evaluate(ind, 2024, 30.0, reference=30.0).status == MET
    assert evaluate(ind, 2024, 29.0, reference=30.0).status == CLOSE  # within 5 % of the bar
    st = evaluate(ind, 2024, 20.0, reference=30.0)
    assert st.status == NOT_MET
    assert (
        st.detail
        == "目标 ≥本地区党员总数中女性比例，实际 20.00%，参照值（本地区党员总数中女性比例） 30.00%，未达标"
    )
    assert "reference figure" in st.detail_en and "not met" in st.detail_en


def test_reference_target_without_the_figure_cannot_be_judged(make):
    st = evaluate(make(targets=[REF]), 2024, 31.0)
    assert st.status == NO_DATA
    assert "未填报参照值（本地区党员总数中女性比例）" in st.detail


def test_above_the_value_reached_in_the_milestone_year(make):
    ind = make(targets=REACHED)
    # 2025 itself: the number
    assert evaluate(ind, 2025, 61.0).status == MET
    # 2030: above what 2025 actually reached (65), not above the 2025 target (60)
    assert evaluate(ind, 2030, 66.0, reached={2025: 65.0}).status == MET
    st = evaluate(ind, 2030, 62.0, reached={2025: 65.0})
    assert st.status == CLOSE and "2025年实际值 65.00%" in st.detail
    assert evaluate(ind, 2030, 55.0, reached={2025: 65.0}).status == NOT_MET
    assert (
        evaluate(ind, 2030, 65.0, reached={2025: 65.0}).status == CLOSE
    )  # 继续提高: strictly above


def test_above_the_value_reached_needs_that_value(make):
    st = evaluate(make(targets=REACHED), 2028, 70.0)
    assert st.status == NO_DATA and "缺少2025年实际值" in st.detail
    st = evaluate(make(targets=REACHED), 2028, 70.0, reached={2025: None})
    assert st.status == NO_DATA


def test_phased_in_rule_counts_from_its_year_only(make):
    ind = make(
        targets=[
            {"op": ">=", "value": 90},
            {"op": ">=", "value": 90, "each": "乡镇（街道）", "from_year": 2025},
        ]
    )
    subunits = {"一街道": 95.0, "二镇": 80.0}
    before = evaluate(ind, 2024, 92.0, subunits=subunits)
    assert before.status == MET and len(before.targets) == 1  # the township rule is not in force
    after = evaluate(ind, 2025, 92.0, subunits=subunits)
    assert after.status == NOT_MET and after.subunits_met == (1, 2)
    assert "2025年起" in after.detail
    only = make(targets=[{"op": ">=", "value": 1, "each": "县（市、区）", "from_year": 2026}])
    assert evaluate(only, 2025, 1.0).status == NO_TARGET


def test_the_check_warns_with_the_same_verdict(make):
    """check_entry judges the total with the row's status: a reference target not met warns."""
    ind = make(targets=[REF])
    st = evaluate(ind, 2024, 20.0, reference=30.0)
    findings = check_entry(ind, Entry(number=20.0), year=2024, status=st)
    assert [f.code for f in findings] == ["target_not_met"]
    assert "参照值" in findings[0].message


def test_a_missing_reference_figure_is_a_warning_to_fill_it_or_explain(make):
    ind = make(targets=[REF])
    st = evaluate(ind, 2024, 31.0)
    (f,) = check_entry(ind, Entry(number=31.0), year=2024, status=st)
    assert (f.code, f.severity) == ("reference_missing", "warning")
    assert "本地区党员总数中女性比例" in f.message and "参照值" in f.message
    # without a status of its own the check evaluates, and says the same
    (g,) = check_entry(ind, Entry(number=31.0), year=2024)
    assert g.code == "reference_missing"
    # filled in: judged, no warning when met
    met = evaluate(ind, 2024, 31.0, reference=30.0)
    assert check_entry(ind, Entry(number=31.0), year=2024, status=met) == []
