"""A demonstration database: a district, its townships and member departments, three years of data.

The values are invented but plausible: they sit near each target, improve slowly over the years,
and include the things a new user should see — a few targets missed, a township whose figure
jumps from one year to the next, warnings with and without explanations, submitted and draft
returns, and the district's return compiled from the townships'.
"""

from __future__ import annotations

import random
from datetime import date

from db import repo
from db.engine import Database
from db.plans import get_plan
from db.repo import Origin
from tianbao.domain.catalogue import Indicator, Plan, target_in_force
from tianbao.domain.values import Entry, cells_of
from tianbao.services.aggregation import aggregate
from tianbao.services.duties import SELF, SUBUNITS, Duties, Source
from tianbao.services.returns import ReturnService, SignOff

DEMO_PLAN = "xinhua-children"
DISTRICT = ("DEMO", "演示区")
TOWNSHIPS = [
    ("DEMO01", "东城街道"),
    ("DEMO02", "西城街道"),
    ("DEMO03", "南关街道"),
    ("DEMO04", "北关街道"),
    ("DEMO05", "光明路街道"),
    ("DEMO06", "建设路街道"),
    ("DEMO07", "曙光街道"),
    ("DEMO08", "新华路街道"),
    ("DEMO09", "青石镇"),
    ("DEMO10", "湖滨镇"),
    ("DEMO11", "李庄乡"),
]
DEPARTMENTS = [
    ("DEMO-WJ", "区卫生健康委员会"),
    ("DEMO-JY", "区教育局"),
    ("DEMO-MZ", "区民政局"),
    ("DEMO-GA", "区公安分局"),
    ("DEMO-FY", "区人民法院"),
    ("DEMO-FL", "区妇联"),
]
ORIGIN = Origin(source="system", user="演示数据", reason="tianbao demo")

# 填报分工 of the demonstration district (xinhua-children): each department reports its own
# figures for the whole district, the townships the few measured locally (the per-township
# immunisation target, rural tap water), the office itself the qualitative goals.
DEMO_DUTIES = {
    "DEMO-WJ": "H03 H04 H05 H10 H11 H12 H13 H14 H18 H23 H24 H25 H26 H27 H28 H29 H31 H32 S02 W06 W07",
    "DEMO-JY": "E04 E06 E08 E10 E16 H15 H16 H17 H20 H30 H33 H34 H35 H36 H37",
    "DEMO-MZ": "W10",
    "DEMO-GA": "S04",
    "DEMO-FY": "L11",
    "DEMO-FL": "F07 F08",
    SUBUNITS: "H09 V08",
}
# In the latest year: the police have filled half and not submitted, the court nothing yet.
LATE_DEPARTMENTS = {"DEMO-GA": "draft", "DEMO-FY": "none"}


def _demo_duties(db: Database, plan: Plan) -> dict[str, list[str]]:
    """Set the division (where the plan has the demo's indicators) and return unit → codes."""
    known = {i.code for i in plan.indicators}
    sources: dict[str, Source] = {i.code: Source(SELF) for i in plan.indicators}
    for who, codes in DEMO_DUTIES.items():
        src = Source(SUBUNITS) if who == SUBUNITS else Source("department", who)
        for c in codes.split():
            if c in known:
                sources[c] = src
    Duties(db, user="演示数据").set_many(DISTRICT[0], plan.id, sources, origin=ORIGIN, force=True)
    out: dict[str, list[str]] = {}
    for code, src in sources.items():
        out.setdefault(src.unit_code or src.kind, []).append(code)
    return out


def demo_years(plan: Plan) -> list[int]:
    last = min(plan.period[1], date.today().year - 1)
    return [last - 2, last - 1, last]


def _center(ind: Indicator, year: int) -> float:
    """A plausible level for the indicator: near its target, on the better side."""
    tg = [
        t
        for t in target_in_force(ind.targets, year)
        if t.quantified and t.op != "change" and t.value is not None
    ]
    scale = ind.scale or 100.0
    if tg:
        t = tg[0]
        v = t.value if not isinstance(t.value, tuple) else sum(t.value) / 2
        if t.op in ("<=", "<"):
            return v * 0.85
        if t.op in (">=", ">"):
            if ind.kind == "rate":
                ceiling = scale * 1.02 if ind.gross else scale
            else:
                ceiling = v * 1.3
            return min(ceiling * 0.995, v + (ceiling - v) * 0.45) if ceiling > v else v * 1.05
        if t.op == "growth":
            return 1000.0
        return v
    if ind.plausible:
        lo, hi = ind.plausible
        return lo + (hi - lo) * (0.3 if ind.better == "lower" else 0.7)
    if ind.kind == "rate":
        return scale * (0.1 if ind.better == "lower" else 0.9)
    return 20.0


def _entry(ind: Indicator, value: float, rng: random.Random) -> Entry:
    if ind.is_rate:
        scale = ind.scale or 100.0
        base = {1000.0: 600, 100000.0: 3000}.get(scale, 400)
        den = float(rng.randint(base, base * 3))
        num = round(value / scale * den)
        if ind.kind == "rate" and not ind.gross:
            num = min(num, den)
        return Entry(numerator=float(max(num, 0)), denominator=den)
    if ind.kind == "count":
        return Entry(number=float(max(0, round(value))))
    return Entry(number=round(max(value, 0.0), 1))


def _year_values(
    plan: Plan, year: int, y_index: int, rng: random.Random, *, weak: bool, jumpy: bool
) -> list[tuple[str, str, Entry]]:
    """One township's values for a year: near target, improving, a weak or jumpy one off track."""
    items: list[tuple[str, str, Entry]] = []
    for ind in plan.indicators:
        if ind.kind == "text":
            continue
        if ind.kind == "yesno":
            items.append(
                (ind.code, "", Entry(choice=rng.choices(["yes", "partly", "no"], [8, 2, 0.3])[0]))
            )
            continue
        c = _center(ind, year)
        improve = (1 - 0.03 * y_index) if ind.better == "lower" else (1 + 0.01 * y_index)
        # High rates (coverage, enrolment) vary by a few points, small ones relatively more.
        spread = 0.025 if ind.kind == "rate" and c > (ind.scale or 100) * 0.5 else 0.1
        v = c * improve * rng.uniform(1 - spread, 1 + spread)
        if weak and rng.random() < 0.25:
            v = v * (1.6 if ind.better == "lower" else 0.8)
        if jumpy and rng.random() < 0.3:
            v = v * (1.5 if ind.better == "lower" else 0.7)
        e = _entry(ind, v, rng)
        items.append((ind.code, "", e))
        for cell, _label in cells_of(ind)[1:]:
            if e.denominator:
                share = rng.uniform(0.46, 0.54)
                d = round(e.denominator * share)
                n = min(round((e.numerator or 0) * share), d)
                items.append((ind.code, cell, Entry(numerator=n, denominator=d)))
    return items


def make_demo(db: Database, plan_id: str | None = None, seed: int = 2021) -> str:
    rng = random.Random(seed)
    with db.session() as s:
        plan = get_plan(s, plan_id or DEMO_PLAN)
        if repo.list_units(s):
            existing = {u.code for u in repo.list_units(s)}
            if DISTRICT[0] in existing:
                return "演示数据已存在，未作更改。"
        repo.add_unit(s, *DISTRICT, "county")
        for code, name in TOWNSHIPS:
            repo.add_unit(s, code, name, "township", DISTRICT[0])
        for code, name in DEPARTMENTS:
            repo.add_unit(s, code, name, "department", DISTRICT[0])
        district = repo.unit_by_code(s, DISTRICT[0])
        # Base-year values for relative targets.
        for ind in plan.indicators:
            if any(t.op in ("change", "growth") for t in ind.targets):
                by = next(t.base_year for t in ind.targets if t.op in ("change", "growth"))
                for code, _ in [DISTRICT, *TOWNSHIPS]:
                    unit = repo.unit_by_code(s, code)
                    base = _center(ind, plan.period[1]) if ind.is_numeric else 10.0
                    repo.set_baseline(
                        s,
                        unit,
                        plan.id,
                        ind.code,
                        by or plan.base_year,
                        round(base * 1.15 if ind.better == "lower" else base * 0.85, 2),
                        ORIGIN,
                    )
        del district
    svc = ReturnService(db, user="演示数据")
    years = demo_years(plan)
    own = _demo_duties(db, plan)
    weak = {code for code, _ in rng.sample(TOWNSHIPS, 3)}  # townships that miss some targets
    jumpy = TOWNSHIPS[4][0]
    for y_index, year in enumerate(years):
        for code, name in TOWNSHIPS:
            info = svc.open(code, plan.id, year)
            items = _year_values(
                plan,
                year,
                y_index,
                rng,
                weak=code in weak,
                jumpy=code == jumpy and year == years[-1],
            )
            items = [it for it in items if it[0] in own.get(SUBUNITS, ())]
            with db.session() as s:
                repo.set_entries(s, s.get(repo.Return, info.id), items, ORIGIN)
            view = svc.view(info.id)
            latest = year == years[-1]
            for row in view.rows:
                if row.warnings and not (latest and code in weak):
                    svc.save_explanation(
                        info.id,
                        row.indicator.code,
                        "经核实，数据准确：辖区人口变动及统计口径调整所致。",
                    )
            signoff = SignOff(
                "王建国", "李敏", f"{name}统计员", "0375-2345678", date(year + 1, 1, 15)
            )
            if not (latest and code in weak):
                try:
                    svc.submit(info.id, signoff)
                except repo.InputError:
                    pass
        for code, name in DEPARTMENTS:
            _department_return(svc, db, plan, code, name, year, y_index, rng, own, years)
        info = aggregate(db, DISTRICT[0], plan.id, year, user="演示数据")
        office = _year_values(plan, year, y_index, rng, weak=False, jumpy=False)
        with db.session() as s:
            ret = s.get(repo.Return, info.return_id)
            repo.set_entries(s, ret, [it for it in office if it[0] in own.get(SELF, ())], ORIGIN)
    return (
        f"已生成演示数据：{DISTRICT[1]}，{len(TOWNSHIPS)} 个乡镇（街道），{len(DEPARTMENTS)} 个成员单位，"
        f"计划“{plan.title}”，{years[0]}–{years[-1]} 年。"
    )


def _department_return(svc, db, plan, code, name, year, y_index, rng, own, years) -> None:
    codes = own.get(code, [])
    latest = year == years[-1]
    late = LATE_DEPARTMENTS.get(code) if latest else None
    if not codes or late == "none":
        return
    info = svc.open(code, plan.id, year)
    items = _year_values(plan, year, y_index, rng, weak=False, jumpy=False)
    items = [it for it in items if it[0] in codes]
    if late == "draft":
        half = set(codes[: max(1, len(codes) // 2)])
        items = [it for it in items if it[0] in half]
    with db.session() as s:
        repo.set_entries(s, s.get(repo.Return, info.id), items, ORIGIN)
    for row in svc.view(info.id).own_rows:
        if row.warnings:
            svc.save_explanation(
                info.id, row.indicator.code, "经核实，数据准确：统计口径调整所致。"
            )
    if late:
        return
    signoff = SignOff("赵主任", "钱科长", f"{name}统计员", "0375-2345600", date(year + 1, 1, 10))
    try:
        svc.submit(info.id, signoff)
    except repo.InputError:
        pass
