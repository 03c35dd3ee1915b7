"""The two tiers of Chinese statistical review (统计审核) of one entered cell.

必要性审核 (severity ``"error"``) finds values that cannot be right — a negative count, a
proportion over 100 %, more vaccinated children than eligible ones, a count with decimals — and
blocks the return until they are fixed.  核实性审核 (severity ``"warning"``) finds values that may
be right but need a written explanation (情况说明): a large change from last year, a value worse
than the base year, a typed rate that disagrees with its counts, a value outside the plausible
range, a target in force not met or its reference figure (参照值) not filled in.  Warnings are only computed once a cell has no errors: a
warning about a number that must be changed anyway is noise.

Year-over-year change uses fixed thresholds, not z-scores.  A plan's series is a handful of
yearly values, and with n values no point can lie further than (n−1)/√n standard deviations
from their mean (1.79 for n = 5), so the usual |z| > 3 rule (DHIS2's outlier check) can never
fire.  The default thresholds when the catalogue gives no ``change_threshold``
(:func:`change_limit`):

* ``rate`` — 20 % of the nearer distance to 0 or to the scale (for 95 % coverage that is 20 % of
  the 5 % not covered = 1 point; for an infant mortality of 3‰, 0.6‰), but never less than one
  unit (1 percentage point, 1‰, 1/10万).  Near 0 or near 100 % the rare side is what changes,
  so a relative rule on it scales sensibly at both ends; the one-unit floor stops small-number
  noise from warning every year.
* ``ratio`` (per-capita, 每千人口托位数) — 30 % of last year's value: its numerator is a count and
  its population denominator barely moves, so it behaves like a count.
* ``count`` — 30 % of last year's value, and more than 2: changes of one or two in small counts
  (儿童之家 3 → 5) are normal.
* ``amount``, ``duration`` — 30 % of last year's value.

An explicit ``change_threshold`` is percentage points (an absolute difference of values) for
rate and ratio, and a relative percentage for the other kinds, as the catalogue format says.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from tianbao.domain.catalogue import Indicator
from tianbao.domain.errors import KnownError
from tianbao.domain.status import (
    BEHIND,
    NO_DATA,
    NOT_MET,
    TargetStatus,
    display_unit,
    evaluate,
    fmt_number,
    fmt_value,
    unit_en,
)
from tianbao.domain.values import CHOICES, Entry

ERROR, WARNING = "error", "warning"
_EXPLAIN = "请核实；数据无误的，请在情况说明中说明原因。"
_EXPLAIN_EN = "Please verify; if the figure is right, explain it in the notes."


@dataclass(frozen=True)
class Finding:
    code: str  # stable: negative, above_scale, num_gt_den, ... (see check_entry)
    severity: str  # "error" (必要性审核) or "warning" (核实性审核)
    message: str
    message_en: str
    field: str = (
        ""  # the input to highlight: number, numerator, denominator, choice, text; "" = cell
    )


# ---------------------------------------------------------------------------------------
# Parsing typed text


class NumberError(KnownError):
    """Text that is not a number; ``str(e)`` is the Chinese message, ``e.message_en`` English."""

    def __init__(self, message: str, message_en: str):
        super().__init__(message, message_en)


_DASHES = "-‐‑‒–—―−﹣"
_NO_DATA_RE = re.compile(rf"[{_DASHES}]{{1,2}}|/|")
_NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_GROUPED_RE = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")


def parse_number(text: str) -> float | None:
    """A typed or imported number; ``None`` for "no data" ('', '—', '——', '-', '/').

    Accepts full-width digits and punctuation (NFKC), '。' typed for a decimal point by a
    Chinese input method, thousands separators in their proper places, spaces anywhere and one
    trailing % or ‰ (dropped: the number is already in the indicator's unit).  Anything else —
    words, units, '1,23', exponents, 'nan' — raises :class:`NumberError` (a KnownError).
    """
    s = unicodedata.normalize("NFKC", str(text)).replace("。", ".")
    s = re.sub(r"\s+", "", s)
    if _NO_DATA_RE.fullmatch(s):
        return None
    s = s.translate({ord(c): "-" for c in "−﹣"})
    if s[-1:] in ("%", "‰"):
        s = s[:-1]
    if "," in s:
        if not _GROUPED_RE.fullmatch(s):
            raise NumberError(
                f"“{_shown(text)}”的千位分隔符位置不对，请直接填写数字，如 12345.6。",
                f"{_shown(text)!r}: misplaced thousands separator; type the plain number, e.g. 12345.6.",
            )
        s = s.replace(",", "")
    if not _NUMBER_RE.fullmatch(s):
        raise NumberError(
            f"“{_shown(text)}”不是数字，请只填写数字（可带小数点，如 3.8）；没有数据请填“—”或留空。",
            f"{_shown(text)!r} is not a number; type digits only (e.g. 3.8), or '—' for no data.",
        )
    return storable(float(s), text)


MAX_NUMBER = 1e15  # |value| beyond this is no statistic, and loses digits as a float


def storable(value: float, text: object = None) -> float:
    """``value`` if it is finite and within ±MAX_NUMBER; else :class:`NumberError`.  A number of
    309 digits is infinity as a float, and would be stored, ranked and reported as such."""
    if math.isfinite(value) and abs(value) <= MAX_NUMBER:
        return value
    shown = _shown(value if text is None else text)
    raise NumberError(
        f"“{shown}”超出可填写的范围（绝对值不超过 1 千万亿，即 10 的 15 次方），请核对后重新填写。",
        f"{shown!r} is out of range (at most 10^15 in absolute value); please check it.",
    )


def _shown(text: object, limit: int = 40) -> str:
    t = str(text).strip()
    return t if len(t) <= limit else t[:limit] + "…"


def number_finding(text: str, *, field: str = "number") -> Finding | None:
    """The ``not_a_number`` error for typed or imported text, or None if it parses."""
    try:
        parse_number(text)
    except NumberError as e:
        return Finding("not_a_number", ERROR, str(e), e.message_en, field)
    return None


# ---------------------------------------------------------------------------------------
# Thresholds


def change_limit(ind: Indicator, previous: float) -> float:
    """The yearly change (absolute, in the indicator's unit) beyond which an explanation is needed."""
    prev = abs(previous)
    if ind.change_threshold is not None:
        return ind.change_threshold if ind.is_rate else prev * ind.change_threshold / 100
    if ind.kind == "rate":
        nearer = min(prev, abs((ind.scale or 100) - previous))
        return max(0.2 * nearer, 1.0)
    if ind.kind == "count":
        return max(0.3 * prev, 2.0)
    return 0.3 * prev


def _is_int(x: float) -> bool:
    return abs(x - round(x)) <= 1e-9 * max(1.0, abs(x))


def _finite(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


# ---------------------------------------------------------------------------------------
# check_entry


def check_entry(
    ind: Indicator,
    entry: Entry,
    *,
    year: int,
    previous: float | None = None,
    baseline: float | None = None,
    baseline_year: int | None = None,
    required: bool = False,
    status: TargetStatus | None = None,
    judge_target: bool = True,
    summed_over: int = 0,
) -> list[Finding]:
    """Errors, or (when there are none) warnings, for one cell of ``ind`` in ``year``.

    ``summed_over``: the value was computed by aggregating that many sub-units (0: typed or
    imported).  Checks then know the level: a sum is held to the plausible range scaled by the
    number of sub-units (the range is written for one reporting unit), and a mean of whole
    numbers may have decimals.

    ``status``: the target status the caller has already evaluated (with sub-units and the
    previous year), so the warning agrees with what the row shows and is not computed twice;
    ``judge_target=False`` skips the target check (a breakdown cell against a total's target).

    ``previous`` is last year's value of the same cell, ``baseline`` the unit's base-year value.
    The target check judges the cell's own value; callers checking a breakdown cell (sex=female)
    against a whole-population target may drop ``target_not_met``.
    """
    c = _Cell(ind, year)
    c.status, c.judge_target = status, judge_target
    c.summed_over = summed_over
    if ind.kind == "text":
        return [c.missing("text")] if required and not (entry.text or "").strip() else []
    if ind.kind == "yesno":
        if not entry.choice:
            return [c.missing("choice")] if required else []
        if entry.choice not in CHOICES:
            return [
                c.error(
                    "invalid_choice",
                    "choice",
                    f"「{ind.name}」的选项“{entry.choice}”无效，只能选 是 / 部分 / 否。",
                    f"{ind.name}: invalid choice {entry.choice!r}; choose yes, partly or no.",
                )
            ]
        return c.target(entry.choice, previous, baseline, baseline_year)

    fields = [("number", entry.number)]
    if ind.is_rate:
        fields += [("numerator", entry.numerator), ("denominator", entry.denominator)]
    fields = [(f, x) for f, x in fields if x is not None]
    if not fields:
        return [c.missing("number")] if required else []
    bad = [(f, x) for f, x in fields if not _finite(x)]
    if bad:
        return [
            c.error(
                "not_a_number",
                f,
                f"{c.label(f)}“{x}”不是有效数字，请重新填写。",
                f"{c.label_en(f)}: {x!r} is not a valid number; please re-enter it.",
            )
            for f, x in bad
        ]
    errors = _errors(c, entry)
    if errors:
        return errors
    return _warnings(c, entry, previous, baseline, baseline_year)


class _Cell:
    """Message helpers for one indicator's cell."""

    def __init__(self, ind: Indicator, year: int):
        self.ind, self.year = ind, year
        self.status: TargetStatus | None = None
        self.judge_target = True
        self.summed_over = 0

    def label(self, field: str) -> str:
        if field == "numerator":
            return f"「{self.ind.name}」的分子（{self.ind.numerator}）"
        if field == "denominator":
            return f"「{self.ind.name}」的分母（{self.ind.denominator}）"
        return f"「{self.ind.name}」"

    def label_en(self, field: str) -> str:
        name = self.ind.name_en or self.ind.name
        return f"{name} ({field})" if field in ("numerator", "denominator") else name

    def v(self, x: float, en: bool = False) -> str:
        return fmt_value(x, self.ind.unit, en=en)

    def error(self, code: str, field: str, msg: str, msg_en: str) -> Finding:
        return Finding(code, ERROR, msg, msg_en, field)

    def warning(
        self,
        code: str,
        field: str,
        msg: str,
        msg_en: str,
        explain: tuple[str, str] = (_EXPLAIN, _EXPLAIN_EN),
    ) -> Finding:
        return Finding(code, WARNING, f"{msg}{explain[0]}", f"{msg_en} {explain[1]}", field)

    def missing(self, field: str) -> Finding:
        return self.error(
            "missing",
            field,
            f"「{self.ind.name}」是必填指标，{self.year}年尚未填写，请填写后再上报。",
            f"{self.ind.name_en or self.ind.name} is required and has no {self.year} value.",
        )

    def target(
        self,
        value: float | str,
        previous: float | None,
        baseline: float | None,
        baseline_year: int | None,
    ) -> list[Finding]:
        if not self.judge_target:
            return []
        st = self.status or evaluate(
            self.ind,
            self.year,
            value,
            previous=previous,
            baseline=baseline,
            baseline_year=baseline_year,
        )
        if st.status == NO_DATA and st.target is not None and st.target.reference:
            # The bar is a figure entered with the return (参照值): without it, no verdict.
            ref = st.target.reference
            return [
                self.warning(
                    "reference_missing",
                    "",
                    f"「{self.ind.name}」的目标要与“{ref}”比较，但“参照值”一行未填，无法判断是否达标。",
                    f"{self.ind.name_en or self.ind.name} is compared with {ref}, which is not "
                    "filled in (reference row).",
                    (
                        "请在“参照值”一行填写该数值，或在情况说明中说明缺少的原因。",
                        "Fill in the reference row, or explain why it is missing.",
                    ),
                )
            ]
        if st.status == BEHIND:
            return [
                self.warning(
                    "target_behind",
                    "",
                    f"「{self.ind.name}」落后于进度：{st.detail}。",
                    f"{self.ind.name_en or self.ind.name} is behind schedule: {st.detail_en}.",
                    (
                        "请在情况说明中说明落后于进度的原因和改进措施。",
                        "Explain the reasons and the remedies in the notes.",
                    ),
                )
            ]
        if st.status != NOT_MET:
            return []
        return [
            self.warning(
                "target_not_met",
                "",
                f"「{self.ind.name}」未达到目标：{st.detail}。",
                f"{self.ind.name_en or self.ind.name} misses its target: {st.detail_en}.",
                (
                    "请在情况说明中说明未达标的原因和改进措施。",
                    "Explain the reasons and the remedies in the notes.",
                ),
            )
        ]


def _errors(c: _Cell, e: Entry) -> list[Finding]:
    ind, out = c.ind, []
    for field, x in (
        ("number", e.number),
        ("numerator", e.numerator),
        ("denominator", e.denominator),
    ):
        if x is None or (field != "number" and not ind.is_rate):
            continue
        if x < 0:
            out.append(
                c.error(
                    "negative",
                    field,
                    f"{c.label(field)}为 {fmt_number(x)}，不能为负数，请改正。",
                    f"{c.label_en(field)} is {fmt_number(x)}; it cannot be negative.",
                )
            )
        elif (ind.kind == "count" or field != "number") and not _is_int(x) and not c.summed_over:
            out.append(
                c.error(
                    "decimal_count",
                    field,
                    f"{c.label(field)}是人数或个数，应为整数，现填 {fmt_number(x)}，请改正。",
                    f"{c.label_en(field)} is a count and must be whole; it is {fmt_number(x)}.",
                )
            )
    # A value already reported as impossible is not reported again as out of bounds.
    flagged = any(f.code == "negative" for f in out)
    num, den, scale = e.numerator, e.denominator, ind.scale or 1
    if ind.is_rate and (num is None) != (den is None):
        field, other = ("denominator", "分母") if den is None else ("numerator", "分子")
        out.append(
            c.error(
                "incomplete",
                field,
                f"「{ind.name}」只填了{'分子' if den is None else '分母'}，"
                f"{other}未填，请补全或删除。",
                f"{c.label_en(field)} is missing: fill in both numerator and denominator.",
            )
        )
    elif ind.is_rate and num is not None and den == 0 and num != 0:
        flagged = True
        out.append(
            c.error(
                "zero_denominator",
                "denominator",
                f"{c.label('denominator')}为 0，却填了分子 {fmt_number(num)}，请核对分母。",
                f"{c.label_en('denominator')} is 0 but the numerator is {fmt_number(num)}.",
            )
        )
    elif ind.kind == "rate" and not ind.gross and num is not None and den and num > den:
        flagged = True
        out.append(
            c.error(
                "num_gt_den",
                "numerator",
                f"{c.label('numerator')}{fmt_number(num)} 大于分母（{ind.denominator}）"
                f"{fmt_number(den)}，分子不能大于分母，请核对。",
                f"{c.label_en('numerator')} {fmt_number(num)} exceeds the denominator "
                f"{fmt_number(den)}; a proportion's numerator cannot exceed its denominator.",
            )
        )
    if ind.kind == "rate" and not ind.gross and e.number is not None and e.number > scale:
        flagged = True
        out.append(
            c.error(
                "above_scale",
                "number",
                f"「{ind.name}」填了 {c.v(e.number)}，比率不能超过 {c.v(scale)}，请改正。",
                f"{c.label_en('number')} is {c.v(e.number, True)}; it cannot exceed "
                f"{c.v(scale, True)}.",
            )
        )
    lo, hi = ind.hard_bounds
    for field, x in (("", e.derived(ind)), ("number", e.number)):
        if flagged or x is None or ((lo is None or x >= lo) and (hi is None or x <= hi)):
            continue
        flagged = True
        rng = f"{fmt_number(lo) if lo is not None else '-∞'}–{fmt_number(hi) if hi is not None else '∞'}"
        out.append(
            c.error(
                "out_of_bounds",
                field,
                f"「{ind.name}」为 {c.v(x)}，超出允许范围 {rng}{display_unit(ind.unit)}，请改正。",
                f"{c.label_en(field)} is {c.v(x, True)}, outside the allowed range {rng}.",
            )
        )
    return out


def _warnings(
    c: _Cell, e: Entry, previous: float | None, baseline: float | None, baseline_year: int | None
) -> list[Finding]:
    ind, out = c.ind, []
    derived = e.derived(ind)
    if derived is not None and e.number is not None:
        # A typed rate may be rounded to one decimal (±0.05) or be off by 0.5 % of itself.
        if abs(e.number - derived) > max(0.005 * abs(derived), 0.05) + 1e-9:
            out.append(
                c.warning(
                    "rate_mismatch",
                    "number",
                    f"「{ind.name}」填的 {c.v(e.number)} 与分子分母计算值 {c.v(derived)}"
                    f"（{fmt_number(e.numerator)} ÷ {fmt_number(e.denominator)} × {fmt_number(ind.scale)}）不一致。",
                    f"{c.label_en('number')}: typed {c.v(e.number, True)} but numerator and denominator give "
                    f"{c.v(derived, True)}.",
                )
            )
    v = e.value(ind)
    if v is None:  # 0 ÷ 0: nothing happened in an empty population
        return out
    plausible = ind.plausible
    if plausible and c.summed_over and ind.aggregation == "sum":
        plausible = (plausible[0] * c.summed_over, plausible[1] * c.summed_over)
    if plausible and not plausible[0] <= v <= plausible[1]:
        lo, hi = plausible
        out.append(
            c.warning(
                "implausible",
                "",
                f"「{ind.name}」为 {c.v(v)}，超出通常范围 {fmt_number(lo)}–{fmt_number(hi)}{display_unit(ind.unit)}。",
                f"{c.label_en('')} is {c.v(v, True)}, outside the usual range {fmt_number(lo)}–{fmt_number(hi)}.",
            )
        )
    if previous is not None and _finite(previous):
        limit, delta = change_limit(ind, previous), v - previous
        if abs(delta) > limit + 1e-9 * max(1.0, limit):
            out.append(_change_finding(c, v, previous, delta, limit))
    if baseline is not None and _finite(baseline) and ind.better in ("lower", "higher"):
        worse = v > baseline if ind.better == "lower" else v < baseline
        if worse and not math.isclose(v, baseline, rel_tol=1e-9):
            by = f"{baseline_year}年" if baseline_year else "基期"
            by_en = str(baseline_year) if baseline_year else "the base year"
            good = "越低越好" if ind.better == "lower" else "越高越好"
            out.append(
                c.warning(
                    "worse_than_base",
                    "",
                    f"「{ind.name}」为 {c.v(v)}，比{by}基数 {c.v(baseline)} 差（该指标{good}）。",
                    f"{c.label_en('')} is {c.v(v, True)}, worse than {c.v(baseline, True)} in {by_en}.",
                )
            )
    return out + c.target(v, previous, baseline, baseline_year)


def _change_finding(c: _Cell, v: float, previous: float, delta: float, limit: float) -> Finding:
    ind = c.ind
    if ind.unit == "%":
        u, u_en = "个百分点", " pp"
    elif ind.unit == "‰":
        u, u_en = "个千分点", "‰"
    else:
        u, u_en = display_unit(ind.unit), unit_en(ind.unit)
    verb, verb_en = ("上升", "up") if delta > 0 else ("下降", "down")
    rel = f"（{delta / abs(previous) * 100:+.1f}%）" if previous and not ind.is_rate else ""
    return c.warning(
        "yoy_change",
        "",
        f"「{ind.name}」为 {c.v(v)}，比上年 {c.v(previous)} {verb} {fmt_number(abs(delta))}{u}{rel}，"
        f"超过核实阈值 ±{fmt_number(limit)}{u}。",
        f"{c.label_en('')} is {c.v(v, True)}, {verb_en} {fmt_number(abs(delta))}{u_en} from "
        f"{c.v(previous, True)} last year (limit ±{fmt_number(limit)}{u_en}).",
    )
