"""Reading the values of the rows ``tianbao.excel.match`` matched to a plan's indicators.

Cells are read the way people type them: numbers as text, '98.5%', a percent-formatted 0.985
for a % indicator, full-width digits and punctuation, thousands separators, stray spaces,
'—' or '/' for no data (``tianbao.domain.checks.parse_number``); a formula's cached value is used
and a formula without one is reported.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping

from tianbao.domain import text as texts
from tianbao.domain.catalogue import Indicator, Plan
from tianbao.domain.checks import NumberError, parse_number, storable
from tianbao.domain.values import TOTAL, Entry, tally_of
from tianbao.domain.vocab import CHOICE_WORDS
from tianbao.excel.layout import BookMeta
from tianbao.excel.match import Content, Header, Issue, _text, match_rows, norm
from tianbao.excel.read import Formats, Sheet


def read_content(
    sheets: list[Sheet],
    plan: Plan,
    year: int | None,
    formats: Formats,
    meta: BookMeta | None = None,
    override: Mapping[tuple[str, int], str] | None = None,
) -> Content:
    rows, headers = match_rows(sheets, plan, year, override)
    by_name = {s.name: s for s in sheets}
    base = {(r.indicator, r.cell): r.exported for r in meta.inputs} if meta else {}
    inds = {i.code: i for i in plan.indicators}
    out = Content(mapping=rows)
    for m in rows:
        if m.indicator is None:
            continue
        key = (m.indicator, m.cell)
        if key in out.values or key in out.where:
            out.issues.append(
                Issue(
                    "warn",
                    f"{m.where}与前面的行重复（{m.indicator} "
                    f"{m.cell or '合计'}），只读取了第一行。",
                    m.indicator,
                    m.cell,
                    m.where,
                )
            )
            continue
        out.matched_by[m.how] = out.matched_by.get(m.how, 0) + 1
        sheet, h = by_name[m.sheet], headers[m.sheet]
        ind = inds[m.indicator]
        entry, expl = _read_row(sheet, m.row, h, ind, m.cell, formats, base.get(key), out)
        out.where[key] = f"{m.sheet}!{_ref(m.row, h.number)}"
        out.values[key] = entry
        if expl is not None and m.cell == TOTAL:
            out.explanations[m.indicator] = expl
    if meta is not None:
        _positions_fallback(sheets, headers, plan, meta, formats, out)
    return out


def _positions_fallback(
    sheets: list[Sheet],
    headers: dict[str, Header],
    plan: Plan,
    meta: BookMeta,
    formats: Formats,
    out: Content,
) -> None:
    """Inputs the visible columns did not reveal: read where the hidden sheet says they were
    written, if that sheet has no recognisable header any more (its code and name columns were
    deleted or overwritten); otherwise the row is gone and is reported."""
    by_name = {s.name: s for s in sheets}
    missing = [r for r in meta.inputs if (r.indicator, r.cell) not in out.values]
    for r in missing:
        sheet = by_name.get(r.sheet)
        try:
            ind = plan.indicator(r.indicator)
        except KeyError:
            continue
        if sheet is not None and sheet.name not in headers:
            h = Header(
                row=-1,
                code=None,
                name=None,
                group=None,
                number=r.number_col - 1,
                numerator=r.numerator_col - 1 if r.numerator_col else None,
                denominator=r.denominator_col - 1 if r.denominator_col else None,
                note=r.explanation_col - 1 if r.explanation_col else None,
            )
            entry, expl = _read_row(sheet, r.row - 1, h, ind, r.cell, formats, r.exported, out)
            key = (r.indicator, r.cell)
            out.values[key] = entry
            out.where[key] = f"{sheet.name}!{_ref(r.row - 1, h.number)}"
            if expl is not None and r.cell == TOTAL:
                out.explanations[r.indicator] = expl
            out.matched_by["position"] = out.matched_by.get("position", 0) + 1
        elif not r.exported.empty or r.cell == TOTAL:
            out.issues.append(
                Issue(
                    "warn",
                    f"文件中找不到指标 {r.indicator} {ind.name}"
                    f"{'（' + r.cell + '）' if r.cell else ''}的行（可能被删除），该项未导入。",
                    r.indicator,
                    r.cell,
                )
            )


def _ref(row: int, col: int) -> str:
    """A cell's A1 reference from its 0-based row and column."""
    return f"{_letters(col)}{row + 1}"


@functools.lru_cache(maxsize=1024)
def _letters(col: int) -> str:
    """Column letters of a 0-based column (0 → A, 26 → AA), as openpyxl writes them."""
    out = ""
    n = col + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _read_row(
    sheet: Sheet,
    r: int,
    h: Header,
    ind: Indicator,
    cell: str,
    formats: Formats,
    base: Entry | None,
    out: Content,
) -> tuple[Entry, str | None]:
    where = f"{sheet.name}!{_ref(r, h.number)}"
    label = f"{ind.code} {ind.name}{'（' + cell + '）' if cell else ''}"

    def raw(col: int | None) -> object:
        if col is None:
            return ""
        v = sheet.value(r, col)
        if formats.has_formulas(sheet.name) and formats.is_formula(sheet.name, r, col):
            if v in ("", None):
                out.issues.append(
                    Issue(
                        "error",
                        f"{sheet.name}!{_ref(r, col)}（{label}）是公式，"
                        "但文件没有保存计算结果，未读取。请在 Excel/WPS 中打开、"
                        "重新计算并保存后再导入，或把公式改为数值。",
                        ind.code,
                        cell,
                        where,
                    )
                )
                return ""
            else:
                out.issues.append(
                    Issue(
                        "info",
                        f"{sheet.name}!{_ref(r, col)}（{label}）是公式，"
                        f"已读取其计算结果 {_text(v)}。",
                        ind.code,
                        cell,
                        where,
                    )
                )
        return v

    expl_raw = raw(h.note) if cell == TOTAL and h.note is not None else None
    explanation = _clean(expl_raw, texts.MAX_EXPLANATION, "说明", ind, where, out)
    value = raw(h.number)
    if ind.kind == "yesno":
        tally = tally_of(raw(h.source)) if h.source is not None and cell == TOTAL else None
        return Entry(choice=_choice(value, ind, label, where, out), tally=tally), explanation
    if ind.kind == "text":
        text = _clean(value, texts.MAX_TEXT_VALUE, "文字内容", ind, where, out) or ""
        return Entry(text=text if text and parse_or_none(text) else None), explanation
    number = _number(value, ind, label, where, out, "数值")
    numerator = denominator = None
    if ind.is_rate:
        numerator = _number(raw(h.numerator), ind, label, where, out, "分子")
        denominator = _number(raw(h.denominator), ind, label, where, out, "分母")
    if (
        number is not None
        and ind.unit == "%"
        and 0 < abs(number) <= 2
        and isinstance(value, (int, float))
    ):
        number = _percent(
            number,
            sheet,
            r,
            h.number,
            ind,
            numerator,
            denominator,
            base,
            formats,
            label,
            where,
            out,
        )
    if (
        number is not None
        and numerator is not None
        and denominator
        and (base is None or base.number is None)
    ):
        derived = numerator / denominator * (ind.scale or 1)
        if math.isclose(number, derived, rel_tol=1e-9, abs_tol=1e-12):
            number = None  # the rate the program computed and displayed, not a typed value
    return Entry(number=number, numerator=numerator, denominator=denominator), explanation


def _clean(
    v: object, limit: int, what: str, ind: Indicator, where: str, out: Content
) -> str | None:
    """Text of a cell as it may be stored (``tianbao.domain.text``); None, and an error, if too long."""
    if v is None:
        return None
    text = texts.clean(_text(v))
    if len(text) > limit:
        out.issues.append(
            Issue(
                "error",
                f"{where}（{ind.code} {ind.name}）的{what}有 {len(text)} 个字，超过上限 {limit} 个字，"
                "未读取。请精简后重新填写。",
                ind.code,
                "",
                where,
            )
        )
        return None
    return text


_NO_DATA = re.compile(r"\s*(?:[-‐‑‒–—―−﹣－]{1,2}|[/／])?\s*")


def parse_or_none(text: str) -> bool:
    """False for empty text and the no-data marks ('—', '——', '-', '/'), True for any other."""
    return _NO_DATA.fullmatch(text) is None


def _number(
    v: object, ind: Indicator, label: str, where: str, out: Content, what: str
) -> float | None:
    if v is None or v == "":
        return None
    if isinstance(v, bool):
        out.issues.append(
            Issue(
                "error",
                f"{where}（{label}）的{what}是逻辑值 {v}，不是数字，未读取。",
                ind.code,
                "",
                where,
            )
        )
        return None
    if isinstance(v, (int, float)):
        try:
            return storable(float(v))
        except (NumberError, OverflowError) as e:
            reason = str(e) if isinstance(e, NumberError) else "数值过大。"
            out.issues.append(
                Issue(
                    "error",
                    f"{where}（{label}）的{what}不是可填写的数字：{reason}未读取。",
                    ind.code,
                    "",
                    where,
                )
            )
            return None
    if isinstance(v, (dt.date, dt.time, dt.timedelta)):
        out.issues.append(
            Issue(
                "error",
                f"{where}（{label}）的{what}是日期或时间格式（{v}），"
                "不是数字，未读取。请把单元格格式改为“常规”或“数值”后重新填写。",
                ind.code,
                "",
                where,
            )
        )
        return None
    try:
        return parse_number(str(v))
    except NumberError as e:
        out.issues.append(
            Issue("error", f"{where}（{label}）的{what}：{e}未读取。", ind.code, "", where)
        )
        return None


def _percent(
    v: float,
    sheet: Sheet,
    r: int,
    col: int,
    ind: Indicator,
    num: float | None,
    den: float | None,
    base: Entry | None,
    formats: Formats,
    label: str,
    where: str,
    out: Content,
) -> float:
    """A % indicator's value between 0 and 2: a percent-formatted cell holds 0.985 for 98.5%."""
    scaled = float(f"{v * 100:.12g}")
    if formats.known:
        if formats.is_percent(sheet.name, r, col):
            out.issues.append(
                Issue(
                    "info",
                    f"{where}（{label}）为百分比格式，{v:g} 按 {scaled:g}% 读取。",
                    ind.code,
                    "",
                    where,
                )
            )
            return scaled
        return v

    # .xls: no formats; decide from the counts, else from the value as exported.
    def near(a: float, b: float) -> bool:
        return abs(a - b) <= max(0.005 * abs(a), 0.05)

    derived = num / den * (ind.scale or 100) if num is not None and den else None
    reason = ""
    if derived is not None and near(derived, v):
        return v
    if derived is not None and near(derived, scaled):
        reason = "与分子分母计算的比率一致"
    elif base is not None and base.number is not None:
        if math.isclose(base.number, v, rel_tol=1e-9):
            return v
        if math.isclose(base.number, scaled, rel_tol=1e-9):
            reason = "与导出时的数值一致"
    if not reason:
        hi = ind.hard_bounds[1]
        if hi is None or scaled <= hi:
            out.issues.append(
                Issue(
                    "warn",
                    f"{where}（{label}）为 {v:g}：如果单元格是百分比格式（显示为 "
                    f"{scaled:g}%），应填 {scaled:g}；已按 {v:g}% 读取，请核对。",
                    ind.code,
                    "",
                    where,
                )
            )
        return v
    out.issues.append(
        Issue(
            "info",
            f"{where}（{label}）{v:g} 应为百分比格式，按 {scaled:g}% 读取（{reason}）。",
            ind.code,
            "",
            where,
        )
    )
    return scaled


def _choice(v: object, ind: Indicator, label: str, where: str, out: Content) -> str | None:
    text = norm(v)
    if not text or not parse_or_none(text):
        return None
    choice = CHOICE_WORDS.get(text)
    if choice is None:
        out.issues.append(
            Issue(
                "error",
                f"{where}（{label}）填的是“{_text(v)}”，只能填 是 / 部分 / 否，未读取。",
                ind.code,
                "",
                where,
            )
        )
    return choice
