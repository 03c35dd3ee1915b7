"""The plan catalogue's vocabulary and frozen types.

The words a catalogue may use (comparators, value kinds, measures, directions, aggregations) and
the types a loaded plan is made of — :class:`Source`, :class:`Target`, :class:`Indicator`,
:class:`Domain`, :class:`FormMarks`, :class:`Plan` — with their plain (JSON) form.  Loading and
validating a catalogue is in :mod:`tianbao.domain.catalogue`, which hands these names on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from tianbao.domain.errors import KnownError
from tianbao.domain.measures import display_unit, fmt_number, unit_en

FORMAT_VERSION = 1

# Target comparators.  The first four compare the value with a number; "approx" allows a
# stated tolerance; "range" is [low, high]; "change" is a change against the base year or
# the previous year (in percent or percentage points); "growth" is an average annual growth
# rate in percent since the base year; "direction" is a trend only; "qualitative" is judged
# yes / partly / no.
OPS = ("<=", "<", ">=", ">", "approx", "range", "change", "growth", "direction", "qualitative")
QUANTIFIED_OPS = frozenset(OPS) - {"direction", "qualitative"}
# A one-sided comparison may, instead of a number, compare with another figure: ``reference``
# names a figure of the same year entered with the return (不低于本地区党员总数中女性比例), and
# ``reached_in`` a milestone year whose value actually reached is the bar (在此基础上继续提高).
ONE_SIDED_OPS = ("<=", "<", ">=", ">")

# Value kinds.  "rate": numerator ÷ denominator × scale, a proportion (numerator ≤
# denominator) unless ``gross``; "ratio": a per-capita ratio (numerator may exceed the
# denominator, e.g. 每千常住人口拥有托位数); "count": whole numbers; "amount": a money or
# other continuous quantity; "duration": hours, days, years; "yesno": yes / partly / no;
# "text": free text.
KINDS = ("rate", "ratio", "count", "amount", "duration", "yesno", "text")
NUMERIC_KINDS = frozenset({"rate", "ratio", "count", "amount", "duration"})
RATE_KINDS = frozenset({"rate", "ratio"})

UNITS = (
    "%",
    "‰",
    "1/10万",
    "1/万",
    "个",
    "所",
    "人",
    "名",
    "张",
    "小时",
    "次",
    "岁",
    "元",
    "万元",
    "年",
    "天",
    "平方米",
    "家",
    "项",
    "户",
    "处",
    "支",
    "册",
    "间",
    "个百分点",
    "",
)
BETTER = ("lower", "higher", "none")
DISAGGREGATIONS = ("sex", "urban_rural", "age_group")
DIRECTIONS = ("down", "up", "stable", "not_up", "not_down")
CHANGE_UNITS = ("percent", "points")
BASES = ("base_year", "previous_year")
# How a parent unit's value is made from its sub-units' values (docs/catalogue-format.md,
# "Aggregation"): sum; ratio = recomputed from the summed numerators and denominators (never an
# average of rates); mean / weighted_mean (per-school or per-person figures, hours, standards);
# min / max (the weakest sub-unit, for "each sub-unit" coverage goals); all / any (yes / partly /
# no goals: 是 only if every / some sub-unit says 是); tally (the counts of 是/部分/否); none (the
# office enters the figure itself).
AGGREGATIONS = (
    "sum",
    "ratio",
    "mean",
    "weighted_mean",
    "min",
    "max",
    "all",
    "any",
    "tally",
    "none",
)
_AGGREGATIONS_FOR = {
    "rate": {"ratio", "mean", "weighted_mean", "min", "max", "none"},
    "ratio": {"ratio", "mean", "weighted_mean", "min", "max", "none"},
    "count": {"sum", "mean", "weighted_mean", "min", "max", "none"},
    "amount": {"sum", "mean", "weighted_mean", "min", "max", "none"},
    "duration": {"sum", "mean", "weighted_mean", "min", "max", "none"},
    "yesno": {"tally", "all", "any", "none"},
    "text": {"none"},
}


def default_aggregation(kind: str, unit: str = "") -> str:
    """The rule an indicator gets when its catalogue entry states none: counts are summed, rates
    recomputed from their counts, qualitative goals tallied; amounts and durations are per-person
    or per-school figures and standards (孤儿基本生活养育标准, 睡眠时间, 技能项数), averaged — except
    sums of money in 万元, which add up."""
    if kind in RATE_KINDS:
        return "ratio"
    if kind == "count" or (kind == "amount" and unit == "万元"):
        return "sum"
    if kind in ("amount", "duration"):
        return "mean"
    if kind == "yesno":
        return "tally"
    return "none"


_CODE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$")
PLAN_ID_RE = re.compile(r"^[a-z][a-z0-9-]{1,63}$")


class CatalogueError(KnownError):
    """A catalogue that cannot be used.  ``problems`` lists (where, code, message)."""

    def __init__(self, origin: str, problems: list[tuple[str, str]]):
        self.origin = origin
        self.problems = problems
        lines = [f"{origin}: 计划目录有 {len(problems)} 处错误，未载入："]
        lines += [f"  [{code or '-'}] {msg}" for code, msg in problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class Source:
    """A place in the plan's text: the line in the seed file and the words quoted from it."""

    line: int
    quote: str


@dataclass(frozen=True)
class Target:
    op: str
    year: int | None = None
    value: float | tuple[float, float] | None = None
    tolerance: float | None = None
    base_year: int | None = None
    basis: str | None = None
    change_unit: str | None = None
    baseline: float | None = None
    direction: str | None = None
    each: str | None = None
    line: int | None = None
    quote: str = ""
    note: str = ""
    reference: str | None = None  # compare with this figure of the same year, entered with it
    reached_in: int | None = None  # compare with the value actually reached in this year
    from_year: int | None = None  # phased in: in force from this year only
    tolerance_stated: bool = False  # approx: the text itself states the tolerance

    @property
    def quantified(self) -> bool:
        return self.op in QUANTIFIED_OPS

    @property
    def relative_to(self) -> str | None:
        """What a one-sided target compares with when it is not a number: reference / reached."""
        return "reference" if self.reference else "reached" if self.reached_in else None

    def describe(self, unit: str = "", *, en: bool = False) -> str:
        """A short wording of the target: ``≤4‰ (2025年)`` in Chinese, ``≤4‰ (2025)`` in English.

        The one describer for both languages: the same branches, the words from
        :data:`_TARGET_WORDS`.  ``unit`` is the catalogue's (``1/10万``) or the display unit;
        Chinese writes it as displayed (``/10万``), English through :func:`measures.unit_en`.
        Numbers keep each language's former form (Chinese up to six significant digits, English
        at most two decimals) so that every existing wording stays as it was."""
        w = _TARGET_WORDS["en" if en else "zh"]
        num = fmt_number if en else _fmt_num
        u = unit_en(unit) if en else display_unit(unit)
        v = self.value
        if self.op in _SYMBOLS:
            sym = _SYMBOLS[self.op]
            if self.reference:
                text = w["reference"].format(sym=sym, ref=self.reference)
            elif self.reached_in:
                text = w["reached"].format(sym=sym, year=self.reached_in)
            else:
                text = f"{sym}{num(v)}{u}"
        elif self.op == "approx":
            # The plans never state the tolerance of 左右: say that it is the catalogue's reading.
            whose = "" if self.tolerance_stated else w["catalogue_tolerance"]
            text = w["approx"].format(v=num(v), u=u, tol=num(self.tolerance), whose=whose)
        elif self.op == "range":
            text = f"{num(v[0])}–{num(v[1])}{u}"
        elif self.op == "change":
            first = v[0] if isinstance(v, tuple) else v
            mags = sorted(abs(x) for x in v) if isinstance(v, tuple) else [abs(v)]
            text = w["change"].format(
                base=(
                    w["since"].format(year=self.base_year)
                    if self.basis == "base_year"
                    else w["per_year"]
                ),
                verb=w["down" if first < 0 else "up"],
                amount="–".join(num(x) for x in mags),
                cu=w["percent" if self.change_unit == "percent" else "points"],
            )
        elif self.op == "growth":
            text = w["growth"].format(v=num(v))
        elif self.op == "direction":
            text = w["directions"].get(self.direction or "", w["trend"])
        else:
            text = w["qualitative"]
        if self.each:
            text = w["each"].format(text=text, each=self.each)
        if self.year:
            text += w["year"].format(year=self.year)
        if self.from_year:
            text += w["from_year"].format(year=self.from_year)
        return text


_SYMBOLS = {"<=": "≤", "<": "<", ">=": "≥", ">": ">"}
# The words of :meth:`Target.describe`, one table per language (the same keys).
_TARGET_WORDS: dict[str, dict[str, Any]] = {
    "zh": {
        "reference": "{sym}{ref}",
        "reached": "{sym}{year}年实际值",
        "approx": "{v}{u}左右(±{tol}{whose})",
        "catalogue_tolerance": "，容差为目录取值",
        "change": "{base}{verb}{amount}{cu}",
        "since": "较{year}年",
        "per_year": "每年",
        "down": "下降",
        "up": "上升",
        "percent": "%",
        "points": "个百分点",
        "growth": "年均增长≥{v}%",
        "directions": {
            "down": "下降",
            "up": "上升",
            "stable": "保持稳定",
            "not_up": "不上升",
            "not_down": "不下降",
        },
        "trend": "趋势",
        "qualitative": "定性",
        "each": "每个{each}{text}",
        "year": " ({year}年)",
        "from_year": " ({year}年起)",
    },
    "en": {
        "reference": "{sym} the reference figure ({ref})",
        "reached": "{sym} the value reached in {year}",
        "approx": "about {v}{u} (±{tol}{whose})",
        "catalogue_tolerance": ", tolerance set by the catalogue",
        "change": "{verb} {amount}{cu} {base}",
        "since": "vs {year}",
        "per_year": "per year",
        "down": "down",
        "up": "up",
        "percent": "%",
        "points": " pp",
        "growth": "average annual growth ≥{v}%",
        "directions": {
            "down": "falling",
            "up": "rising",
            "stable": "stable",
            "not_up": "not rising",
            "not_down": "not falling",
        },
        "trend": "trend",
        "qualitative": "qualitative goal",
        "each": "{text} in every {each}",
        "year": " ({year})",
        "from_year": " (from {year})",
    },
}


@dataclass(frozen=True)
class Indicator:
    code: str
    domain: str
    name: str
    name_en: str
    unit: str
    kind: str
    targets: tuple[Target, ...]
    sources: tuple[Source, ...]
    scale: float | None = None
    numerator: str | None = None
    denominator: str | None = None
    gross: bool = False
    better: str = "none"
    bounds: tuple[float, float] | None = None
    plausible: tuple[float, float] | None = None
    change_threshold: float | None = None
    disaggregation: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    note: str = ""
    aggregate: str = ""  # the aggregation rule as stated; "" = the default of the kind
    weight: str | None = None  # weighted_mean: the indicator whose value weighs each sub-unit

    @property
    def aggregation(self) -> str:
        """The rule that makes a parent's value from its sub-units' (see AGGREGATIONS)."""
        return self.aggregate or default_aggregation(self.kind, self.unit)

    @property
    def is_rate(self) -> bool:
        return self.kind in RATE_KINDS

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    @property
    def hard_bounds(self) -> tuple[float | None, float | None]:
        """Bounds a value can never leave: stated ones, else 0..scale for proportions."""
        if self.bounds is not None:
            return self.bounds
        if self.unit == "小时" and any(w in self.name for w in ("每天", "每日", "日均")):
            return (0.0, 24.0)  # hours per day
        if self.kind == "rate" and not self.gross and self.scale:
            return (0.0, float(self.scale))
        if self.is_numeric:
            return (0.0, None)
        return (None, None)


@dataclass(frozen=True)
class Domain:
    code: str
    name: str
    name_en: str
    indicators: tuple[Indicator, ...] = ()


@dataclass(frozen=True)
class FormMarks:
    """The marks the Statistics Law requires on a statistical form (top right)."""

    table_no: str = ""  # 表号
    made_by: str = ""  # 制定机关
    approved_by: str = ""  # 批准机关
    approval_no: str = ""  # 批准文号 / 备案文号
    valid_until: str = ""  # 有效期至


@dataclass(frozen=True)
class Plan:
    id: str
    version: int
    title: str
    title_en: str
    kind: str  # "women" or "children"
    region: str
    period: tuple[int, int]
    base_year: int
    domains: tuple[Domain, ...]
    source: str = ""
    form: FormMarks = field(default_factory=FormMarks)
    builtin: bool = False
    note: str = ""

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for d in self.domains for i in d.indicators)

    def indicator(self, code: str) -> Indicator:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        raise KeyError(code)

    def domain_of(self, code: str) -> Domain:
        for d in self.domains:
            if any(i.code == code for i in d.indicators):
                return d
        raise KeyError(code)

    @property
    def quantified_target_count(self) -> int:
        return sum(1 for i in self.indicators for t in i.targets if t.quantified)

    def to_dict(self) -> dict[str, Any]:
        """Plain data in the catalogue's own shape (round-trips through :func:`plan_from_dict`)."""
        d = _plain(asdict(self))
        d["format"] = FORMAT_VERSION
        domains = d.pop("domains")
        d["domains"] = [{k: v for k, v in dom.items() if k != "indicators"} for dom in domains]
        d["indicators"] = [ind for dom in domains for ind in dom["indicators"]]
        for ind in d["indicators"]:
            _drop_unset(ind, _LATER_INDICATOR_FIELDS)
            for t in ind["targets"]:
                _drop_unset(t)
        d.pop("builtin", None)
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the canonical JSON: the identity of a catalogue version's content."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    def summary_json(self) -> dict[str, Any]:
        """The shape `tianbao plans show --json` prints."""
        return {
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "title_en": self.title_en,
            "period": list(self.period),
            "base_year": self.base_year,
            "domains": [
                {
                    "code": d.code,
                    "name": d.name,
                    "name_en": d.name_en,
                    "indicators": [_indicator_json(i) for i in d.indicators],
                }
                for d in self.domains
            ],
        }


# Target fields added after the first catalogues: left out of the plain data while unset, so
# that a plan which does not use them keeps its content fingerprint (files exported earlier still
# match their plan on import).
_LATER_TARGET_FIELDS = {
    "reference": None,
    "reached_in": None,
    "from_year": None,
    "tolerance_stated": False,
}


# Indicator fields added later, left out while unset for the same reason.
_LATER_INDICATOR_FIELDS = {"aggregate": "", "weight": None}


def _drop_unset(
    t: dict[str, Any], fields: Mapping[str, Any] = _LATER_TARGET_FIELDS
) -> dict[str, Any]:
    for k, default in fields.items():
        if k in t and t[k] == default:
            del t[k]
    return t


def _indicator_json(ind: Indicator) -> dict[str, Any]:
    d = _plain(asdict(ind))
    d.pop("domain")
    for t in d["targets"]:
        _drop_unset(t)
        for k in [k for k, v in t.items() if v in (None, "") and k not in ("year", "value")]:
            del t[k]
    return {k: v for k, v in d.items() if v not in (None, "", [])}


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    return obj


def _fmt_num(v: Any) -> str:
    if v is None:
        return "?"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return f"{v:g}" if isinstance(v, float) else str(v)
