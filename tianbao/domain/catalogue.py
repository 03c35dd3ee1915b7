"""Plan catalogues: the indicators and targets of a development plan.

A catalogue is one TOML file per plan in ``resources/plans/`` (format described in
``docs/catalogue-format.md``).  The loader validates the whole file and either returns a
complete, frozen :class:`Plan` or raises :class:`CatalogueError` listing every problem with
the file and indicator code — a plan is never half-loaded.

The same validation serves plans that arrive as dictionaries (from the database, where each
plan version is stored as JSON, or from a plan workbook).

The vocabulary and the frozen types live in :mod:`tianbao.domain.catalogue_model`; this module
holds the loader and its validation and hands those names on, so ``from tianbao.domain.catalogue
import Plan`` keeps working.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from tianbao.domain.catalogue_model import (
    _AGGREGATIONS_FOR,
    _CODE_RE,
    AGGREGATIONS,
    BASES,
    BETTER,
    CHANGE_UNITS,
    DIRECTIONS,
    DISAGGREGATIONS,
    FORMAT_VERSION,
    KINDS,
    NUMERIC_KINDS,
    ONE_SIDED_OPS,
    OPS,
    PLAN_ID_RE,
    QUANTIFIED_OPS,
    RATE_KINDS,
    UNITS,
    CatalogueError,
    Domain,
    FormMarks,
    Indicator,
    Plan,
    Source,
    Target,
    default_aggregation,
)
from tianbao.resources import resource_path

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


def _indicator(  # noqa: C901 - one check per field of the format, in the order of its docs
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
        c.add(code, 'weight（权重指标代码）只用于 aggregate = "weighted_mean"')
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


def _target(  # noqa: C901 - one check per field of the format, in the order of its docs
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


__all__ = [
    "AGGREGATIONS",
    "BASES",
    "BETTER",
    "CHANGE_UNITS",
    "CatalogueError",
    "DIRECTIONS",
    "DISAGGREGATIONS",
    "Domain",
    "FORMAT_VERSION",
    "FormMarks",
    "Indicator",
    "KINDS",
    "NUMERIC_KINDS",
    "ONE_SIDED_OPS",
    "OPS",
    "PLAN_ID_RE",
    "Plan",
    "QUANTIFIED_OPS",
    "RATE_KINDS",
    "Source",
    "Target",
    "UNITS",
    "builtin_plan_paths",
    "default_aggregation",
    "load_builtin_plans",
    "load_plan_file",
    "plan_from_dict",
    "target_in_force",
]
