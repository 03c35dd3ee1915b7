"""Plan catalogues: the indicators and targets of a development plan.

A catalogue is one TOML file per plan in ``resources/plans/`` (format described in
``docs/catalogue-format.md``).  The loader validates the whole file and either returns a
complete, frozen :class:`Plan` or raises :class:`CatalogueError` listing every problem with
the file and indicator code — a plan is never half-loaded.

The same validation serves plans that arrive as dictionaries (from the database, where each
plan version is stored as JSON, or from a plan workbook).
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tianbao.domain.errors import KnownError
from tianbao.resources import resource_path

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
AGGREGATIONS = ("sum", "ratio", "mean", "weighted_mean", "min", "max", "all", "any", "tally", "none")
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

    def describe(self, unit: str = "") -> str:
        """A short Chinese wording of the target, e.g. ``≤4‰ (2025年)``."""
        v = self.value
        num = _fmt_num
        if unit.startswith("1/"):
            unit = unit[1:]  # 14.5/10万 reads right; "14.51/10万" would not
        if self.op in ("<=", "<", ">=", ">"):
            sym = {"<=": "≤", "<": "<", ">=": "≥", ">": ">"}[self.op]
            if self.reference:
                text = f"{sym}{self.reference}"
            elif self.reached_in:
                text = f"{sym}{self.reached_in}年实际值"
            else:
                text = f"{sym}{num(v)}{unit}"
        elif self.op == "approx":
            # The plans never state the tolerance of 左右: say that it is the catalogue's reading.
            whose = "" if self.tolerance_stated else "，容差为目录取值"
            text = f"{num(v)}{unit}左右(±{num(self.tolerance)}{whose})"
        elif self.op == "range":
            text = f"{num(v[0])}–{num(v[1])}{unit}"
        elif self.op == "change":
            u = "%" if self.change_unit == "percent" else "个百分点"
            base = f"较{self.base_year}年" if self.basis == "base_year" else "每年"
            if isinstance(v, tuple):
                lo, hi = sorted((abs(v[0]), abs(v[1])))
                verb = "下降" if v[0] < 0 else "上升"
                text = f"{base}{verb}{num(lo)}–{num(hi)}{u}"
            else:
                verb = "下降" if v < 0 else "上升"
                text = f"{base}{verb}{num(abs(v))}{u}"
        elif self.op == "growth":
            text = f"年均增长≥{num(v)}%"
        elif self.op == "direction":
            text = {
                "down": "下降",
                "up": "上升",
                "stable": "保持稳定",
                "not_up": "不上升",
                "not_down": "不下降",
            }.get(self.direction or "", "趋势")
        else:
            text = "定性"
        if self.each:
            text = f"每个{self.each}{text}"
        if self.year:
            text += f" ({self.year}年)"
        if self.from_year:
            text += f" ({self.from_year}年起)"
        return text


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


def _drop_unset(t: dict[str, Any], fields: Mapping[str, Any] = _LATER_TARGET_FIELDS) -> dict[str, Any]:
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


# ---------------------------------------------------------------------------------------
# Loading and validation


def load_plan_file(path: Path, *, builtin: bool = False) -> Plan:
    origin = path.name
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise CatalogueError(origin, [("", f"无法读取文件：{e.strerror or e}")]) from e
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise CatalogueError(origin, [("", "文件不是 UTF-8 编码的文本")]) from e
    except tomllib.TOMLDecodeError as e:
        raise CatalogueError(origin, [("", f"TOML 语法错误：{e}")]) from e
    return plan_from_dict(data, origin=origin, builtin=builtin)


def builtin_plan_paths() -> list[Path]:
    return sorted(resource_path("plans").glob("*.toml"))


_file_cache: dict[Path, tuple[tuple[int, int], Plan]] = {}


def _load_cached(path: Path) -> Plan:
    """Parse a built-in file once per process (until it changes on disk)."""
    st = path.stat()
    stamp = (st.st_mtime_ns, st.st_size)
    hit = _file_cache.get(path)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    plan = load_plan_file(path, builtin=True)
    _file_cache[path] = (stamp, plan)
    return plan


def load_builtin_plans() -> dict[str, Plan]:
    """Every built-in plan, keyed by id; raises on the first broken file."""
    plans: dict[str, Plan] = {}
    for path in builtin_plan_paths():
        plan = _load_cached(path)
        if plan.id != path.stem:
            raise CatalogueError(
                path.name, [("", f"计划编号 {plan.id} 应与文件名 {path.stem} 相同")]
            )
        if plan.id in plans:
            raise CatalogueError(path.name, [("", f"计划编号 {plan.id} 与另一个内置计划重复")])
        plans[plan.id] = plan
    return plans


class _Collector:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def add(self, code: str, msg: str) -> None:
        self.problems.append((code, msg))


def _num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _pair(x: Any) -> bool:
    return isinstance(x, (list, tuple)) and len(x) == 2 and all(_num(v) for v in x)


def plan_from_dict(data: Mapping[str, Any], *, origin: str, builtin: bool = False) -> Plan:
    """Validate plain catalogue data and build a :class:`Plan`, or raise CatalogueError."""
    c = _Collector()
    if not isinstance(data, Mapping):
        raise CatalogueError(origin, [("", "内容不是一个计划目录")])
    fmt = data.get("format", FORMAT_VERSION)
    if fmt != FORMAT_VERSION:
        raise CatalogueError(
            origin, [("", f"目录格式版本 {fmt} 不受支持（本程序支持 {FORMAT_VERSION}）")]
        )

    for key in ("id", "title", "kind", "period", "domains", "indicators"):
        if key not in data:
            c.add("", f"缺少字段 {key}")
    if c.problems:
        raise CatalogueError(origin, c.problems)

    plan_id = data["id"]
    if not isinstance(plan_id, str) or not PLAN_ID_RE.match(plan_id):
        c.add("", f"计划编号 {plan_id!r} 无效（小写字母、数字和连字符）")
    period = data["period"]
    if not (_pair(period) and int(period[0]) <= int(period[1])):
        c.add("", f"规划期 {period!r} 应为 [起始年, 终止年]")
        period = (0, 9999)
    period = (int(period[0]), int(period[1]))
    base_year = data.get("base_year", period[0] - 1)
    if not isinstance(base_year, int):
        c.add("", "base_year 应为年份")
        base_year = period[0] - 1
    if data["kind"] not in ("women", "children"):
        c.add("", f"kind 应为 women 或 children，而不是 {data['kind']!r}")
    version = data.get("version", 1)
    if not isinstance(version, int) or version < 1:
        c.add("", f"version 应为正整数，而不是 {version!r}")
        version = 1

    domain_codes: list[str] = []
    domain_rows = data["domains"] if isinstance(data["domains"], list) else []
    if not domain_rows:
        c.add("", "没有任何领域（domains）")
    for dom in domain_rows:
        if not isinstance(dom, Mapping):
            c.add("", "领域条目格式错误")
            continue
        for key in ("code", "name"):
            if not dom.get(key):
                c.add(str(dom.get("code", "")), f"领域缺少字段 {key}")
        if dom.get("code") in domain_codes:
            c.add(str(dom.get("code")), "领域代码重复")
        domain_codes.append(dom.get("code"))

    indicators: dict[str, list[Indicator]] = {d: [] for d in domain_codes}
    seen: set[str] = set()
    rows = data["indicators"] if isinstance(data["indicators"], list) else []
    if not rows:
        c.add("", "没有任何指标（indicators）")
    for row in rows:
        ind = _indicator(row, c, period, base_year, domain_codes, builtin)
        if ind is None:
            continue
        if ind.code in seen:
            c.add(ind.code, "指标代码重复")
            continue
        seen.add(ind.code)
        indicators.setdefault(ind.domain, []).append(ind)

    numeric = {i.code for inds in indicators.values() for i in inds if i.is_numeric}
    for inds in indicators.values():
        for ind in inds:
            if ind.weight and (ind.weight not in numeric or ind.weight == ind.code):
                c.add(ind.code, f"权重指标 weight = {ind.weight!r} 不是本计划的另一个数值指标")

    form = data.get("form", {}) or {}
    known_form = set(FormMarks.__dataclass_fields__)
    if not isinstance(form, Mapping) or set(form) - known_form:
        c.add("", f"form 只能包含 {', '.join(sorted(known_form))}")
        form = {}

    if c.problems:
        raise CatalogueError(origin, c.problems)

    domains = tuple(
        Domain(
            code=d["code"],
            name=d["name"],
            name_en=d.get("name_en", ""),
            indicators=tuple(indicators.get(d["code"], ())),
        )
        for d in domain_rows
    )
    return Plan(
        id=plan_id,
        version=version,
        title=str(data["title"]),
        title_en=str(data.get("title_en", "")),
        kind=data["kind"],
        region=str(data.get("region", "")),
        period=period,
        base_year=base_year,
        domains=domains,
        source=str(data.get("source", "")),
        form=FormMarks(**{k: str(v) for k, v in form.items()}),
        builtin=builtin,
        note=str(data.get("note", "")),
    )


_INDICATOR_KEYS = {
    "code",
    "domain",
    "name",
    "name_en",
    "unit",
    "kind",
    "targets",
    "sources",
    "scale",
    "numerator",
    "denominator",
    "gross",
    "better",
    "bounds",
    "plausible",
    "change_threshold",
    "disaggregation",
    "departments",
    "note",
    "aggregate",
    "weight",
}
_TARGET_KEYS = {
    "op",
    "year",
    "value",
    "tolerance",
    "base_year",
    "basis",
    "change_unit",
    "baseline",
    "direction",
    "each",
    "line",
    "quote",
    "note",
    "reference",
    "reached_in",
    "from_year",
    "tolerance_stated",
}


def _indicator(
    row: Any,
    c: _Collector,
    period: tuple[int, int],
    base_year: int,
    domains: list[str],
    builtin: bool = False,
) -> Indicator | None:
    if not isinstance(row, Mapping):
        c.add("", "指标条目格式错误")
        return None
    code = row.get("code")
    if not isinstance(code, str) or not _CODE_RE.match(code):
        c.add(str(code or ""), f"指标代码 {code!r} 无效（字母开头，字母数字及 _ . -，最长32）")
        return None
    n0 = len(c.problems)
    unknown = set(row) - _INDICATOR_KEYS
    if unknown:
        c.add(code, f"未知字段 {', '.join(sorted(unknown))}")
    # Built-in plans must cite their source text; a county's own plan may have no text to cite.
    for key in ("domain", "name", "unit", "kind", *(("sources",) if builtin else ())):
        if key not in row:
            c.add(code, f"缺少字段 {key}")
    if c.problems[n0:]:
        return None
    if row["domain"] not in domains:
        c.add(code, f"领域 {row['domain']!r} 未定义")
    kind = row["kind"]
    if kind not in KINDS:
        c.add(code, f"未知的值类型 {kind!r}（可用：{', '.join(KINDS)}）")
    unit = row["unit"]
    if unit not in UNITS:
        c.add(code, f"未知的计量单位 {unit!r}")
    scale = row.get("scale")
    if kind in RATE_KINDS:
        if not _num(scale) or scale <= 0:
            c.add(code, "比率类指标缺少 scale（如 % 为 100，‰ 为 1000，1/10万 为 100000）")
        for key in ("numerator", "denominator"):
            if not row.get(key):
                c.add(code, f"比率类指标缺少 {key}（分子/分母名称）")
        expected = {"%": 100, "‰": 1000, "1/10万": 100000, "1/万": 10000}.get(unit)
        if kind == "rate" and expected and _num(scale) and scale != expected:
            c.add(code, f"单位 {unit} 的 scale 应为 {expected}，而不是 {scale}")
    elif scale is not None:
        c.add(code, "只有 rate / ratio 类指标可以有 scale")
    better = row.get("better", "none")
    if better not in BETTER:
        c.add(code, f"better 应为 {'/'.join(BETTER)}")
    for key in ("bounds", "plausible"):
        if row.get(key) is not None and not (_pair(row[key]) and row[key][0] <= row[key][1]):
            c.add(code, f"{key} 应为 [下限, 上限]")
    ct = row.get("change_threshold")
    if ct is not None and not (_num(ct) and ct > 0):
        c.add(code, "change_threshold 应为正数")
    dis = row.get("disaggregation", [])
    if not isinstance(dis, list) or any(d not in DISAGGREGATIONS for d in dis):
        c.add(code, f"disaggregation 只能包含 {', '.join(DISAGGREGATIONS)}")
        dis = []
    depts = row.get("departments", [])
    if not isinstance(depts, list) or not all(isinstance(d, str) for d in depts):
        c.add(code, "departments 应为字符串列表")
        depts = []

    aggregate = row.get("aggregate", "") or ""
    if aggregate and aggregate not in AGGREGATIONS:
        c.add(code, f"未知的汇总方式 aggregate = {aggregate!r}（可用：{', '.join(AGGREGATIONS)}）")
    elif aggregate and kind in _AGGREGATIONS_FOR and aggregate not in _AGGREGATIONS_FOR[kind]:
        allowed = "、".join(a for a in AGGREGATIONS if a in _AGGREGATIONS_FOR[kind])
        c.add(code, f"值类型 {kind} 不能用汇总方式 {aggregate}（可用：{allowed}）")
    weight = row.get("weight")
    if weight is not None and (aggregate != "weighted_mean" or not isinstance(weight, str)):
        c.add(code, "weight（权重指标代码）只用于 aggregate = \"weighted_mean\"")
    elif aggregate == "weighted_mean" and not weight:
        c.add(code, "加权平均（weighted_mean）需要 weight：作为权重的指标代码")

    sources: list[Source] = []
    srows = row.get("sources", [])
    if not isinstance(srows, list) or (builtin and not srows):
        c.add(code, "sources 至少要有一处原文出处")
        srows = []
    for s in srows:
        if not (isinstance(s, Mapping) and isinstance(s.get("line"), int) and s.get("quote")):
            c.add(code, "sources 的每一项需要 line（行号）和 quote（原文）")
            continue
        sources.append(Source(line=s["line"], quote=str(s["quote"])))

    targets: list[Target] = []
    trows = row.get("targets", [])
    if not isinstance(trows, list):
        c.add(code, "targets 应为列表")
        trows = []
    for t in trows:
        tgt = _target(t, c, code, kind, period, base_year)
        if tgt is not None:
            targets.append(tgt)
    if kind == "yesno" and any(t.op not in ("qualitative", "direction") for t in targets):
        c.add(code, "是/否类指标只能有 qualitative 或 direction 目标")
    references = sorted({t.reference for t in targets if t.reference})
    if len(references) > 1:
        # One reference figure is entered with the return (the 参照值 cell), so one name.
        c.add(code, f"一个指标的目标只能参照同一个数值（reference），现有：{'、'.join(references)}")

    if c.problems[n0:]:
        return None

    def pair(key: str) -> tuple[float, float] | None:
        v = row.get(key)
        return (float(v[0]), float(v[1])) if v is not None else None

    return Indicator(
        code=code,
        domain=row["domain"],
        name=str(row["name"]),
        name_en=str(row.get("name_en", "")),
        unit=unit,
        kind=kind,
        targets=tuple(targets),
        sources=tuple(sources),
        scale=float(scale) if scale is not None else None,
        numerator=row.get("numerator"),
        denominator=row.get("denominator"),
        gross=bool(row.get("gross", False)),
        better=better,
        bounds=pair("bounds"),
        plausible=pair("plausible"),
        change_threshold=float(ct) if ct is not None else None,
        disaggregation=tuple(dis),
        departments=tuple(depts),
        note=str(row.get("note", "")),
        aggregate=aggregate,
        weight=weight,
    )


def _target(
    t: Any, c: _Collector, code: str, kind: str, period: tuple[int, int], base_year: int
) -> Target | None:
    if not isinstance(t, Mapping):
        c.add(code, "目标条目格式错误")
        return None
    n0 = len(c.problems)
    unknown = set(t) - _TARGET_KEYS
    if unknown:
        c.add(code, f"目标含未知字段 {', '.join(sorted(unknown))}")
    op = t.get("op")
    if op not in OPS:
        c.add(code, f"未知的比较方式 {op!r}（可用：{' '.join(OPS)}）")
        return None
    year = t.get("year")
    if year is not None and (not isinstance(year, int) or not period[0] <= year <= period[1]):
        c.add(code, f"目标年份 {year!r} 不在规划期 {period[0]}–{period[1]} 内")
    value = t.get("value")
    reference, reached_in = t.get("reference"), t.get("reached_in")
    relative = reference is not None or reached_in is not None
    if relative:
        if op not in ONE_SIDED_OPS:
            c.add(code, f"reference / reached_in 只能用于 {' '.join(ONE_SIDED_OPS)}，不能用于 {op}")
        if reference is not None and reached_in is not None:
            c.add(code, "一个目标只能与一个数值比较：reference 和 reached_in 只能填一个")
        if value is not None:
            c.add(code, "与参照值或实际值比较的目标不应有 value")
        if t.get("each"):
            c.add(code, "与参照值或实际值比较的目标不能同时要求每个下级单位（each）达标")
        if reference is not None and not (isinstance(reference, str) and reference.strip()):
            c.add(code, "reference 应为参照数值的名称，如 本地区党员总数中女性比例")
        if reached_in is not None:
            if not isinstance(reached_in, int) or not period[0] <= reached_in <= period[1]:
                c.add(code, f"reached_in 年份 {reached_in!r} 不在规划期 {period[0]}–{period[1]} 内")
            elif not isinstance(year, int) or year <= reached_in:
                c.add(code, f"reached_in（{reached_in}）需要一个更晚的目标年份 year")
    elif op in ("<=", "<", ">=", ">", "approx", "growth"):
        if not _num(value):
            c.add(code, f"比较方式 {op} 需要一个数值 value")
    elif op == "range":
        if not (_pair(value) and value[0] <= value[1]):
            c.add(code, "range 需要 value = [下限, 上限]")
    elif op == "change":
        if not (_num(value) or _pair(value)) or value == 0:
            c.add(code, "change 需要非零的 value（负数为下降）或 [a, b]")
        elif _pair(value) and (value[0] < 0) != (value[1] < 0):
            c.add(code, "change 的区间两端应同为下降或同为上升")
        if t.get("change_unit") not in CHANGE_UNITS:
            c.add(code, f"change 需要 change_unit（{' / '.join(CHANGE_UNITS)}）")
        if t.get("basis", "base_year") not in BASES:
            c.add(code, f"basis 应为 {' / '.join(BASES)}")
    elif value is not None:
        c.add(code, f"比较方式 {op} 不应有 value")
    if op == "approx" and not (_num(t.get("tolerance")) and t["tolerance"] > 0):
        c.add(code, "approx（左右）需要正的 tolerance（容差）")
    if t.get("tolerance_stated") is not None and (
        not isinstance(t["tolerance_stated"], bool) or op != "approx"
    ):
        c.add(code, "tolerance_stated 只用于 approx，应为 true 或 false")
    from_year = t.get("from_year")
    if from_year is not None:
        if not isinstance(from_year, int) or not period[0] <= from_year <= period[1]:
            c.add(code, f"from_year 起始年份 {from_year!r} 不在规划期 {period[0]}–{period[1]} 内")
        elif isinstance(year, int) and from_year > year:
            c.add(code, f"from_year（{from_year}）不能晚于目标年份 {year}")
    if op == "direction" and t.get("direction") not in DIRECTIONS:
        c.add(code, f"direction 目标需要 direction（{' / '.join(DIRECTIONS)}）")
    if op in QUANTIFIED_OPS and kind not in NUMERIC_KINDS:
        c.add(code, f"值类型 {kind} 不能有数值目标 {op}")
    basis = t.get("basis")
    by = t.get("base_year")
    if op in ("change", "growth"):
        basis = basis or "base_year"
        if basis == "base_year":
            by = by if by is not None else base_year
            if not isinstance(by, int) or by > period[1]:
                c.add(code, f"基期年份 {by!r} 无效")
    if t.get("baseline") is not None and not _num(t.get("baseline")):
        c.add(code, "baseline 应为数值")
    line = t.get("line")
    if line is not None and not isinstance(line, int):
        c.add(code, "目标的 line 应为行号")
    if c.problems[n0:]:
        return None
    if _pair(value):
        value = (float(value[0]), float(value[1]))
    elif _num(value):
        value = float(value)
    return Target(
        op=op,
        year=year,
        value=value,
        tolerance=float(t["tolerance"]) if t.get("tolerance") is not None else None,
        base_year=by,
        basis=basis,
        change_unit=t.get("change_unit"),
        baseline=float(t["baseline"]) if t.get("baseline") is not None else None,
        direction=t.get("direction"),
        each=t.get("each"),
        line=line,
        quote=str(t.get("quote", "")),
        note=str(t.get("note", "")),
        reference=reference.strip() if reference else None,
        reached_in=reached_in,
        from_year=from_year,
        tolerance_stated=bool(t.get("tolerance_stated", False)),
    )


def target_in_force(targets: Iterable[Target], year: int) -> list[Target]:
    """The targets that apply to ``year``.

    With milestones (targets for several years), the one in force is the first milestone at or
    after the year; targets without a year apply throughout.  Several targets can be in force at
    once (e.g. a level and a per-sub-unit requirement).  A target phased in (``from_year``) is
    not in force before that year.
    """
    targets = [t for t in targets if t.from_year is None or t.from_year <= year]
    dated = sorted({t.year for t in targets if t.year is not None})
    upcoming = [y for y in dated if y >= year]
    chosen_year = upcoming[0] if upcoming else None
    return [t for t in targets if t.year is None or t.year == chosen_year]
