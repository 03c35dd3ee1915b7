"""Shared by the Excel tests and by fixtures/make_fixtures.py: a database with a county and three
townships on a real built-in plan, deterministic values of every kind, and a "colleague" who
fills an exported template in the ways people do."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import openpyxl
from sqlalchemy import inspect, text

from db import repo
from db.engine import Database, open_database
from db.plans import get_plan
from tianbao.domain.catalogue import Indicator, Plan
from tianbao.domain.values import Entry, cells_of
from tianbao.excel.layout import (
    CODE,
    DENOMINATOR,
    FIRST_DATA_ROW,
    GROUP,
    GROUP_LABEL,
    HEADER_ROW,
    NOTE,
    NUMBER,
    NUMERATOR,
)
from tianbao.services.returns import ReturnService

FIXTURES = Path(__file__).resolve().parents[1] / "excel" / "fixtures"
PLAN_ID = "lishu-women"  # a real built-in plan with sex/urban-rural breakdowns
COUNTY, UNIT, YEAR = "C01", "T01", 2024
UNITS = [("T01", "东城街道"), ("T02", "西城街道"), ("T03", "南关街道")]
# Explanations a spreadsheet would take for formulas if they were not written as text.
EXPLANATIONS = [
    "=SUM(A1:A9) 为统计口径调整所致",
    "-2.5 个百分点，因人口流出",
    "+新增 1 所",
    "@所有乡镇已核实",
]


def make_db(path: Path) -> Database:
    db = open_database(path, backups=False)
    with db.session() as s:
        repo.add_unit(s, COUNTY, "梨树县", "county")
        for code, name in UNITS:
            repo.add_unit(s, code, name, "township", COUNTY)
    return db


def plan_of(db: Database, plan_id: str = PLAN_ID) -> Plan:
    with db.session() as s:
        return get_plan(s, plan_id)


def _entry(ind: Indicator, cell: str, rng: random.Random, k: int) -> Entry:
    if ind.kind == "yesno":
        return Entry(choice=("yes", "partly", "no")[k % 3])
    if ind.kind == "text":
        return Entry(text=f"情况{k}")
    if ind.is_rate:
        den = float(rng.randint(1200, 9000))
        hi = 0.99 if ind.kind == "rate" and not ind.gross else 1.4
        num = float(round(den * rng.uniform(0.55, hi)))
        derived = num / den * (ind.scale or 1)
        style = k % 4 if not cell else 0
        if style == 1 and ind.unit == "%":
            return Entry(number=round(rng.uniform(60, 99), 1))  # only the rate is known
        if style == 2 and round(derived, 1) != derived:
            # a typed, rounded rate beside the counts (the exact rate would be read as computed)
            return Entry(number=round(derived, 1), numerator=num, denominator=den)
        return Entry(numerator=num, denominator=den)
    if ind.kind == "count":
        return Entry(number=float(rng.randint(1, 25000)))
    return Entry(number=round(rng.uniform(1, 90), 1))


def sample_entries(plan: Plan, seed: int = 7) -> dict[tuple[str, str], Entry]:
    """A value for every input cell of the plan, of every kind the plan has."""
    rng = random.Random(seed)
    out = {}
    for k, ind in enumerate(plan.indicators):
        for cell, _ in cells_of(ind):
            out[(ind.code, cell)] = _entry(ind, cell, rng, k)
    return out


def sample_explanations(plan: Plan) -> dict[str, str]:
    codes = [i.code for i in plan.indicators]
    return {codes[i * 7 + 1]: text for i, text in enumerate(EXPLANATIONS)}


def fill_return(
    db: Database,
    unit: str,
    year: int,
    entries: dict,
    explanations: dict | None = None,
    plan_id: str = PLAN_ID,
) -> int:
    svc = ReturnService(db)
    info = svc.open(unit, plan_id, year)
    with db.session() as s:
        ret = s.get(repo.Return, info.id)
        repo.set_entries(s, ret, [(c, cell, e) for (c, cell), e in entries.items()])
    for code, t in (explanations or {}).items():
        svc.save_explanation(info.id, code, t)
    return info.id


def dump(db: Database) -> dict[str, list[tuple]]:
    """Every row of every table, to prove a refused import changed nothing."""
    out = {}
    with db.engine.connect() as c:
        for table in sorted(inspect(c).get_table_names()):
            rows = c.execute(text(f'SELECT * FROM "{table}"')).fetchall()
            out[table] = sorted(tuple(map(repr, r)) for r in rows)
    return out


# --- a colleague filling a template ---------------------------------------------------------------


def _fullwidth(s: str) -> str:
    return s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789.,%"})


def _num_text(v: float) -> str:
    return f"{v:.10g}"


def quirk_value(
    v: float, ind: Indicator, field: str, quirk: str, k: int
) -> tuple[object, str | None]:
    """How a colleague might type ``v`` — and the number format their spreadsheet gives the cell."""
    if quirk == "text":
        return _num_text(v), None
    if quirk == "spaces":
        return f"  {_num_text(v)} ", None
    if quirk == "fullwidth":
        return _fullwidth(_num_text(v)), None
    if quirk == "thousands" and abs(v) >= 1000:
        return f"{v:,.10g}" if not float(v).is_integer() else f"{int(v):,}", None
    if quirk == "percent_text" and ind.unit == "%" and field == "number":
        return f"{_num_text(v)}%", None
    if quirk == "percent_format" and ind.unit == "%" and field == "number":
        return v / 100, "0.0%"
    if quirk == "mixed":
        return quirk_value(
            v,
            ind,
            field,
            ("text", "spaces", "fullwidth", "thousands", "percent_text", "percent_format", "plain")[
                k % 7
            ],
            k,
        )
    if quirk == "mixed_no_format":  # .xls keeps no number formats we can read
        return quirk_value(
            v,
            ind,
            field,
            ("text", "spaces", "fullwidth", "thousands", "percent_text", "plain")[k % 6],
            k,
        )
    return v, None


def put_text(cell, value: str) -> None:
    cell.value = value
    if value[:1] in "=+-@":
        cell.data_type = "s"


def fill_template(
    src: Path,
    dst: Path,
    plan: Plan,
    entries: dict,
    explanations: dict | None = None,
    quirk: str = "plain",
    empty_as_dash: bool = False,
) -> None:
    """Fill an exported template the way a colleague would, in Excel/WPS, and save it."""
    wb = openpyxl.load_workbook(src)
    inds = {i.code: i for i in plan.indicators}
    k = 0
    for ws in wb.worksheets:
        if ws.sheet_state != "visible" or ws.cell(row=HEADER_ROW, column=CODE).value != "指标代码":
            continue
        for r in range(FIRST_DATA_ROW, ws.max_row + 1):
            code = ws.cell(row=r, column=CODE).value
            if code not in inds:
                continue
            ind = inds[code]
            cell = {v: key for key, v in GROUP_LABEL.items()}.get(
                ws.cell(row=r, column=GROUP).value or "合计", ""
            )
            e = entries.get((code, cell), Entry())
            k += 1
            if ind.kind == "yesno":
                ws.cell(row=r, column=NUMBER).value = {
                    "yes": "是",
                    "partly": "部分",
                    "no": "否",
                }.get(e.choice or "", "—" if empty_as_dash else None)
            for field, col in (
                ("number", NUMBER),
                ("numerator", NUMERATOR),
                ("denominator", DENOMINATOR),
            ):
                v = getattr(e, field)
                if ind.kind == "yesno":
                    break
                c = ws.cell(row=r, column=col)
                if v is None:
                    if empty_as_dash and (field == "number" or ind.is_rate):
                        c.value = "—" if k % 2 else "/"
                    continue
                value, fmt = quirk_value(v, ind, field, quirk, k)
                if isinstance(value, str):
                    put_text(c, value)
                else:
                    c.value = value
                if fmt:
                    c.number_format = fmt
            if not cell and (explanations or {}).get(code):
                put_text(ws.cell(row=r, column=NOTE), explanations[code])
    wb.save(dst)


def patch_sheet_xml(path: Path, sheet_index: int, fn) -> None:
    """Rewrite one worksheet's XML inside an .xlsx (for what openpyxl cannot write)."""
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    sheets = [p for p in parts if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", p)]
    name = sorted(sheets, key=lambda p: int(re.sub(r"\D", "", p)))[sheet_index]
    parts[name] = fn(parts[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def rows_of(ws, plan: Plan) -> dict[tuple[str, str], int]:
    """(indicator, cell) → row number of an openpyxl domain sheet."""
    inds = {i.code for i in plan.indicators}
    by_label = {v: key for key, v in GROUP_LABEL.items()}
    out = {}
    for r in range(FIRST_DATA_ROW, ws.max_row + 1):
        code = ws.cell(row=r, column=CODE).value
        if code in inds:
            out[(code, by_label.get(ws.cell(row=r, column=GROUP).value or "合计", ""))] = r
    return out
