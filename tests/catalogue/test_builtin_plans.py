"""Every built-in plan loads, and every quoted place is really in its seed line."""

import re

import pytest

from tianbao.domain.catalogue import builtin_plan_paths, load_builtin_plans, load_plan_file

_WS = re.compile(r"\s+")


def _norm(s: str) -> str:
    return _WS.sub("", s)


PLAN_FILES = builtin_plan_paths()

_CN_DIGITS = "零一二三四五六七八九十"
# Coverage words (全覆盖, 全面普及, 所有 …) state 100 %; see docs/catalogue-format.md, "Consistency rules".
_WORDS = {
    0: ("零", "消除", "杜绝", "清零"),
    2: ("两",),
    100: ("全覆盖", "全面普及", "全部", "所有", "每个", "均", "100"),
}


def _written_forms(v: float) -> set[str]:
    """The ways a number can be written in the plans' text (digits, Chinese numerals, words)."""
    forms = {f"{v:g}", f"{v:.1f}", f"{v:.2f}"}
    if v == int(v):
        n = int(v)
        forms.add(str(n))
        if n <= 10:
            forms.add(_CN_DIGITS[n])
        forms.update(_WORDS.get(n, ()))
    return forms


def test_all_six_plans_load():
    plans = load_builtin_plans()
    assert len(plans) == 6, sorted(plans)
    assert {p.kind for p in plans.values()} == {"women", "children"}
    total = sum(p.quantified_target_count for p in plans.values())
    assert total >= 230, total


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.stem)
def test_every_quote_is_in_its_seed_line(path, seeds_dir):
    plan = load_plan_file(path)
    lines = (seeds_dir / plan.source).read_text(encoding="utf-8").splitlines()
    problems = []
    for ind in plan.indicators:
        places = [(s.line, s.quote) for s in ind.sources]
        places += [(t.line, t.quote) for t in ind.targets if t.line is not None]
        for line, quote in places:
            if not 1 <= line <= len(lines) or _norm(quote) not in _norm(lines[line - 1]):
                problems.append(f"{ind.code} line {line}: {quote!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.stem)
def test_quantified_values_appear_in_their_quote(path):
    """A number in a target must be written in the words it cites."""
    plan = load_plan_file(path)
    problems = []
    for ind in plan.indicators:
        for t in ind.targets:
            if not t.quantified or t.line is None:
                continue
            text = _norm(t.quote)
            if t.reference is not None:  # the figure compared with must be named in the quote
                if _norm(t.reference) not in text:
                    problems.append(f"{ind.code} reference {t.reference!r} not in {t.quote!r}")
                continue
            if t.reached_in is not None:  # so must the year whose value is the bar
                if f"{t.reached_in}年" not in text:
                    problems.append(f"{ind.code} reached_in {t.reached_in} not in {t.quote!r}")
                continue
            values = t.value if isinstance(t.value, tuple) else (t.value,)
            for v in values:
                if not any(f in text for f in _written_forms(abs(v))):
                    problems.append(f"{ind.code} {t.op} {v} not in {t.quote!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.stem)
def test_every_indicator_has_a_domain_and_source(path):
    plan = load_plan_file(path)
    assert plan.domains
    for d in plan.domains:
        assert d.indicators, f"domain {d.code} has no indicators"
    for ind in plan.indicators:
        assert ind.sources
        assert ind.name and ind.name_en, ind.code


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.stem)
def test_every_target_cites_its_line(path):
    """No target of a built-in plan goes without the line it comes from (issue 16: V16 had none)."""
    plan = load_plan_file(path)
    missing = [ind.code for ind in plan.indicators for t in ind.targets if t.line is None]
    assert not missing, missing
