"""The upper level's compiled workbook (综合汇总表): the parent's return, recomputed from its
sub-units when it is still a draft, followed by every sub-unit's values side by side with the
total, each sub-unit's target compliance, and a ranking.

The parent's own sheets are an ordinary return workbook (with the hidden sheet), so the level
above can import the compiled file like any other return; the extra sheets carry no 本年值
column, so an import never mistakes them for input rows.

Scale (issue 19): a city of 2,000 sub-units makes three sheets of ~2,000 columns each — about a
million cells.  The sub-units' returns are read in a few queries per 200 (``ReturnService.views``)
and each is reduced at once to what the sheets show; the wide sheets' titles and headings are
ordinary openpyxl cells, but their bodies are streamed into the file as sheet XML when the
workbook is saved (with the same cell styles, row heights and text cleaning as ``put``), instead
of being held as a million openpyxl cell objects (~180 s and ~1 GB at 2,000 sub-units before).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from db import repo
from db.engine import Database
from db.plans import form_marks, get_plan
from db.repo import InputError
from tianbao.domain.catalogue import target_in_force
from tianbao.domain.fingerprint import view_fingerprint
from tianbao.domain.values import CHOICE_LABELS
from tianbao.domain.warning import Attainment
from tianbao.excel.annex import number_format
from tianbao.excel.export import (
    BOLD,
    CENTER,
    FONT,
    HEAD_FILL,
    LEFT,
    RIGHT,
    STATUS_FILL,
    TITLE_FONT,
    BookData,
    Exported,
    build_workbook,
    clean_text,
    merge,
    print_setup,
    put,
    save_workbook,
)
from tianbao.excel.form_sheets import DEFAULT_WIDTH, LINE_HEIGHT, finish_book, text_lines
from tianbao.services.aggregation import aggregate
from tianbao.services.monitoring import (
    STATUS_LABELS,
    places,
    ranked,
    row_attainment,
)
from tianbao.services.returns import ReturnService, ReturnView, Row


def export_compiled(
    db: Database, parent_code: str, plan_id: str, year: int, path: str | os.PathLike
) -> Exported:
    svc = ReturnService(db)
    with db.session() as s:
        parent = repo.unit_by_code(s, parent_code)
        kids = repo.children(s, parent.id)
        if not kids:
            raise InputError(f"“{parent.name}”没有下级单位，无法生成综合汇总表。")
        plan = get_plan(s, plan_id)
        ret = repo.find_return(s, parent.id, plan.id, year)
        draft = ret is None or ret.status == "draft"
        found = repo.returns_of_units(s, [k.id for k in kids], plan.id, year)
        kid_returns = [(k.name, found.get(k.id)) for k in kids]
    if draft:
        aggregate(db, parent_code, plan_id, year)
    info = svc.open(parent_code, plan_id, year)
    view = svc.view(info.id)
    with db.session() as s:
        marks = form_marks(s, view.plan)
    data = BookData(
        "compiled",
        view.plan,
        marks,
        info.unit_code,
        info.unit_name,
        year,
        view.rows,
        info.signoff,
        view_fingerprint(view),
    )
    columns = _columns(svc, data, kid_returns)
    wb = build_workbook(data)
    at = len(wb.worksheets) - 1  # before the hidden sheet
    bodies: dict[str, Callable[[], Iterator[str]]] = {}
    _values_sheet(wb.create_sheet("下级单位数据", at), data, columns, bodies)
    _compliance_sheet(wb.create_sheet("下级单位达标情况", at + 1), data, columns, bodies)
    _ranking_sheet(wb.create_sheet("排名", at + 2), data, columns, bodies)
    finish_book(wb, data)  # footer, row heights, wide sheets legible
    try:
        return save_workbook(wb, path, data, save=lambda wb, p: _save(wb, p, bodies))
    finally:
        _LISTS.clear()


# --- what each sub-unit gives the sheets ---------------------------------------------------


@dataclass
class _Column:
    """One sub-unit (or the total), reduced to what the three sheets show."""

    name: str
    shown: list  # per data.rows: the value shown (None: no return or no value)
    labels: list  # per indicator with a target in force: (label, status) for the compliance sheet
    attainment: Attainment | None  # over all its rows (the compliance sheet's summary)
    own_attainment: Attainment | None  # over the rows it reports (the ranking)
    ranks: list  # per rankable indicator: (value, status label)


_LISTS: dict[tuple[int, str], tuple[BookData, list[Row]]] = {}  # asked once per sub-unit


def _targeted(data: BookData) -> list[Row]:
    """The parent's rows with a target in force (the compliance sheet's rows)."""
    got = _LISTS.get((id(data), "targeted"))
    if got is None or got[0] is not data:
        rows = [r for r in data.rows if target_in_force(r.indicator.targets, data.year)]
        got = _LISTS[(id(data), "targeted")] = (data, rows)
    return got[1]


def _rankable(data: BookData) -> list[Row]:
    """The parent's rows of numeric indicators with a better direction (ranked)."""
    got = _LISTS.get((id(data), "rankable"))
    if got is None or got[0] is not data:
        rows = [
            r
            for r in data.rows
            if r.indicator.is_numeric and r.indicator.better in ("lower", "higher")
        ]
        got = _LISTS[(id(data), "rankable")] = (data, rows)
    return got[1]


def _column(name: str, view: ReturnView | None, data: BookData) -> _Column:
    return _column_of(name, view.rows if view else None, view.own_rows if view else None, data)


def _column_of(name: str, rows, own_rows, data: BookData) -> _Column:
    if rows is None:
        return _Column(
            name,
            [None] * len(data.rows),
            [("未填报", None)] * len(_targeted(data)),
            row_attainment(()),
            None,
            [(None, "未填报")] * len(_rankable(data)),
        )
    by = {r.indicator.code: r for r in rows}
    # Each row's value once (a rate's is computed from its counts), then what each sheet shows.
    value = {code: r.value for code, r in by.items()}
    labels = []
    for row in _targeted(data):
        kid_row = by.get(row.indicator.code)
        st = kid_row.status.status if kid_row else None
        label = STATUS_LABELS.get(st, "未填报") if st else "未填报"
        if kid_row is not None and kid_row.incomplete:
            label = "数据不全"
        labels.append((label, st))
    every = row_attainment(by.values())
    shown = []
    for r in data.rows:
        v = value.get(r.indicator.code)
        shown.append(CHOICE_LABELS.get(v, v) if isinstance(v, str) else v)
    ranks = []
    for r in _rankable(data):
        kid_row = by.get(r.indicator.code)
        if kid_row is None:
            ranks.append((None, "未填报"))  # as rank_entry
        else:
            v = value[r.indicator.code]
            ranks.append(
                (
                    v if not isinstance(v, str) else None,
                    STATUS_LABELS.get(kid_row.status.status, ""),
                )
            )
    return _Column(
        name,
        shown,
        labels,
        every,
        (every if own_rows is rows else row_attainment(own_rows)) if own_rows is not None else None,
        ranks,
    )


def _columns(
    svc: ReturnService, data: BookData, kid_returns: list[tuple[str, int | None]]
) -> list[_Column]:
    """Every sub-unit's column, its return read in bulk and dropped once reduced."""
    views = svc.views([rid for _n, rid in kid_returns if rid], checks=False)
    return [_column(name, next(views) if rid else None, data) for name, rid in kid_returns]


def _shown(row: Row | None) -> object:
    if row is None:
        return None
    v = row.value
    if isinstance(v, str):
        return CHOICE_LABELS.get(v, v)
    return v


def _title(ws: Worksheet, data: BookData, title: str, width: int) -> None:
    put(ws, 1, 1, f"{data.plan.title}　{title}", font=TITLE_FONT, align=CENTER)
    merge(ws, 1, 1, max(width, 2))
    put(ws, 2, 1, f"综合机关名称：{data.unit_name}　　{data.year}年", align=LEFT)
    merge(ws, 2, 1, max(width, 2))
    ws.row_dimensions[1].height = 28


def _heads(ws: Worksheet, row: int, heads: list[str], widths: list[int]) -> None:
    for c, (h, w) in enumerate(zip(heads, widths, strict=True), 1):
        put(ws, row, c, h, font=BOLD, align=CENTER, border=True, fill=HEAD_FILL)
        ws.column_dimensions[get_column_letter(c)].width = w


# --- streamed sheet bodies -------------------------------------------------------------------


class _Body:
    """Rows of a sheet written as XML when the workbook is saved, styled exactly as ``put``
    styles a cell (the style registered once per distinct style, like ``put``'s cache)."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.rows: list[Callable[[], list[tuple[int, object, tuple]]]] = []
        self.last_col = ws.max_column
        self._styles: dict[tuple, tuple[int, bool]] = {}
        self._widths: dict[int, float] = {}
        self._lines: dict[tuple[str, int], int] = {}
        self._scratch: Worksheet | None = None
        self._resolved: dict[int, tuple[tuple, int, bool]] = {}

    def style(self, key: tuple) -> tuple[int, bool]:
        """(style id, wraps) of put's keyword arguments ``key`` (font, align, border, fill,
        number_format, quote)."""
        font, align, border, fill, number_format, quote = key
        ident = (id(font), id(align), border, id(fill), number_format, quote)  # cheap to hash
        got = self._styles.get(ident)
        if got is None:
            wb = self.ws.parent
            scratch = wb.__dict__.get("_tianbao_scratch")
            if scratch is None:
                scratch = wb.__dict__["_tianbao_scratch"] = Worksheet(wb)
            c = put(
                scratch,
                1,
                1,
                "=" if quote else None,
                font=font,
                align=align,
                border=border,
                fill=fill,
                number_format=number_format,
            )
            got = (wb._cell_styles.add(c._style), bool(align is not None and align.wrap_text))
            self._styles[ident] = got
        return got

    def width(self, col: int) -> float:
        w = self._widths.get(col)
        if w is None:
            d = self.ws.column_dimensions[get_column_letter(col)].width
            w = self._widths[col] = float(d) if d else DEFAULT_WIDTH
        return w

    def resolved(self, key: tuple) -> tuple[tuple, int, bool]:
        """``key`` with its style id and whether it wraps, looked up once per key object: the
        sheets pass the same few key tuples (``_key``) for every cell."""
        got = self._resolved.get(id(key))
        if got is None or got[0] is not key:  # the stored key keeps its id from being reused
            got = self._resolved[id(key)] = (key, *self.style((*key, False)))
        return got

    def xml(self, first_row: int) -> Iterator[str]:
        letters = [get_column_letter(c) for c in range(1, self.last_col + 2)]
        texts: dict[str, tuple[str, bool, str]] = {}  # text → (its XML, quoted, cleaned)
        resolved = self._resolved
        r = first_row
        for make in self.rows:
            cells = make()
            out = []
            need = 1
            row = str(r)
            for col, value, key in cells:
                got = resolved.get(id(key))
                if got is None or got[0] is not key:
                    got = self.resolved(key)
                _k, sid, wraps = got
                ref = letters[col - 1] + row
                if value is None:
                    out.append(f'<c r="{ref}" s="{sid}" t="n"/>')
                elif isinstance(value, str):
                    got = texts.get(value)
                    if got is None:
                        clean = clean_text(value)
                        quote = bool(clean) and clean[0] in "=+-@"
                        space = ' xml:space="preserve"' if clean != clean.strip() else ""
                        xml = f"<is><t{space}>{escape(clean)}</t></is>" if clean else ""
                        got = texts[value] = (xml, quote, clean)
                    xml, quote, clean = got
                    if not xml:
                        out.append(f'<c r="{ref}" s="{sid}" t="n"/>')
                        continue
                    if quote:  # text starting with = + - @: shown as text, not a formula
                        sid = self.style((*key, True))[0]
                    out.append(f'<c r="{ref}" s="{sid}" t="inlineStr">{xml}</c>')
                    if wraps:
                        lines = self._lines.get((clean, col))
                        if lines is None:
                            lines = self._lines[(clean, col)] = text_lines(clean, self.width(col))
                        if lines > need:
                            need = lines
                else:
                    out.append(f'<c r="{ref}" s="{sid}" t="n"><v>{value:.16g}</v></c>')
            height = ""
            if need > 1:  # as fit_row_heights does for the openpyxl rows
                height = f' ht="{LINE_HEIGHT * min(need, 15):g}" customHeight="1"'
            yield f'<row r="{row}"{height}>{"".join(out)}</row>'
            r += 1


def _save(wb: Workbook, path, bodies) -> None:
    wb.__dict__.pop("_tianbao_scratch", None)
    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    _StreamingWriter(wb, archive, bodies).save()


class _StreamingWriter(ExcelWriter):
    """openpyxl's writer, with the bodies of the wide sheets streamed into their sheet XML."""

    def __init__(self, wb, archive, bodies) -> None:
        super().__init__(wb, archive)
        self.bodies = bodies

    def write_worksheet(self, ws) -> None:
        body = self.bodies.get(ws.title)
        if body is None:
            return super().write_worksheet(ws)
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = WorksheetWriter(ws)
        writer.write()
        ws._rels = writer._rels
        with open(writer.out, encoding="utf-8") as f:
            xml = f.read()
        rows = ws.max_row
        last_row = rows + len(body.rows)
        ref = f"A1:{get_column_letter(max(body.last_col, ws.max_column))}{last_row}"
        xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{ref}"', xml, count=1)
        if "</sheetData>" in xml:
            head, tail = xml.split("</sheetData>", 1)
        else:
            head, tail = xml.split("<sheetData />", 1)
            head += "<sheetData>"
        with self._archive.open(ws.path[1:], "w") as out:
            out.write(head.encode("utf-8"))
            batch: list[str] = []
            for row in body.xml(rows + 1):
                batch.append(row)
                if len(batch) >= 64:
                    out.write("".join(batch).encode("utf-8"))
                    batch.clear()
            out.write("".join(batch).encode("utf-8"))
            out.write(("</sheetData>" + tail).encode("utf-8"))
        self.manifest.append(ws)
        writer.cleanup()


_KEYS: dict[tuple, tuple] = {}


def _key(font, align, border: bool, fill, number_format: str | None) -> tuple:
    """The one tuple of these style arguments (the body writer looks styles up by identity)."""
    ident = (id(font), id(align), border, id(fill), number_format)
    got = _KEYS.get(ident)
    if got is None:
        got = _KEYS[ident] = (font, align, border, fill, number_format)
    return got


def _value_style(v: object, ind, font=None) -> tuple:
    # The indicator's fixed decimals (as the return, the grid and the PDF): 1.80 beside 1.82.
    fmt = number_format(ind) if isinstance(v, (int, float)) and ind.is_numeric else None
    return _key(font or FONT, RIGHT if not isinstance(v, str) else CENTER, True, None, fmt)


# --- the three sheets ------------------------------------------------------------------------


def _values_sheet(ws: Worksheet, data: BookData, columns: list[_Column], bodies) -> None:
    """Every sub-unit's value of each indicator (total cell), side by side, and the total."""
    heads = ["序号", "代码", "指标", "计量单位", *(c.name for c in columns), "合计"]
    _title(ws, data, "下级单位数据", len(heads))
    _heads(ws, 3, heads, [5, 8, 34, 8] + [11] * len(columns) + [12])
    body = bodies[ws.title] = _Body(ws)

    def make(i: int, seq: int, row: Row):
        def cells():
            ind = row.indicator
            out = [
                (1, seq, _key(FONT, CENTER, True, None, None)),
                (2, ind.code, _key(FONT, CENTER, True, None, None)),
                (3, ind.name, _key(FONT, LEFT, True, None, None)),
                (4, ind.unit or None, _key(FONT, CENTER, True, None, None)),
            ]
            text, number = _value_style("", ind), _value_style(0, ind)
            rate = _value_style(0.0, ind)  # a number: the indicator's fixed decimals
            for c, col in enumerate(columns, 5):
                v = col.shown[i]
                key = text if isinstance(v, str) else rate if isinstance(v, float) else number
                out.append((c, v, key))
            v = _shown(row)
            out.append((5 + len(columns), v, _value_style(v, ind, BOLD)))
            return out

        return cells

    for i, row in enumerate(data.rows):
        body.rows.append(make(i, i + 1, row))
    ws.freeze_panes = "E4"
    print_setup(ws, "3:3", 3 + len(body.rows), len(heads))


def _compliance_sheet(ws: Worksheet, data: BookData, columns: list[_Column], bodies) -> None:
    """Each sub-unit's target status per indicator with a target in force, then 达标率."""
    heads = ["序号", "代码", "指标", "目标", *(c.name for c in columns), "合计"]
    _title(ws, data, "下级单位目标达标情况", len(heads))
    _heads(ws, 3, heads, [5, 8, 34, 20] + [10] * len(columns) + [10])
    total = _column_of("合计", data.rows, data.rows, data)
    everyone = [*columns, total]
    body = bodies[ws.title] = _Body(ws)

    def status_row(i: int, seq: int, row: Row):
        def cells():
            ind = row.indicator
            targets = target_in_force(ind.targets, data.year)
            out = [
                (1, seq, _key(FONT, CENTER, True, None, None)),
                (2, ind.code, _key(FONT, CENTER, True, None, None)),
                (3, ind.name, _key(FONT, LEFT, True, None, None)),
                (
                    4,
                    "；".join(t.describe(ind.unit) for t in targets),
                    _key(FONT, LEFT, True, None, None),
                ),
            ]
            keys: dict = {}
            for c, col in enumerate(everyone, 5):
                label, st = col.labels[i]
                key = keys.get(st)
                if key is None:
                    key = keys[st] = _key(FONT, CENTER, True, STATUS_FILL.get(st or ""), None)
                out.append((c, label, key))
            return out

        return cells

    for i, row in enumerate(_targeted(data)):
        body.rows.append(status_row(i, i + 1, row))

    def summary_row(label: str, pick: str):
        def cells():
            out = [(3, label, _key(BOLD, LEFT, True, None, None))]
            for c, col in enumerate(everyone, 5):
                v = getattr(col.attainment, pick)
                v = round(v, 1) if isinstance(v, float) else v
                out.append((c, v, _key(BOLD, RIGHT, True, None, None)))
            return out

        return cells

    for label, pick in (
        ("达标", "met"),
        ("接近", "close"),
        ("未达标", "not_met"),
        ("已评估指标数", "assessed"),
        ("无法评估", "not_assessable"),
        ("应评估指标数", "due"),
        ("达标率（%）", "rate"),
    ):
        body.rows.append(summary_row(label, pick))
    ws.freeze_panes = "E4"
    print_setup(ws, "3:3", 3 + len(body.rows), len(heads))


def _ranking_sheet(ws: Worksheet, data: BookData, columns: list[_Column], bodies) -> None:
    """Sub-units ranked by 达标率, then each sub-unit's rank on every indicator that has a
    better direction (1 = best; 越低越好 indicators ranked from the lowest value)."""
    names = [c.name for c in columns]
    width = max(7, 5 + len(names))
    _title(ws, data, "下级单位排名", width)
    _heads(
        ws,
        3,
        ["名次", "单位", "达标", "接近", "未达标", "应评估指标数", "达标率（%）"],
        [6, 16, 8, 8, 8, 10, 11],
    )
    for c in range(5, 5 + len(names)):
        ws.column_dimensions[get_column_letter(c)].width = max(
            ws.column_dimensions[get_column_letter(c)].width or 0, 10
        )
    ws.cell(row=3, column=4 + len(names))  # the sheet's full width (legible), nothing written
    body = bodies[ws.title] = _Body(ws)
    body.last_col = max(7, 4 + len(names))
    table = [(c.name, c.own_attainment) for c in columns]
    table.sort(key=lambda t: (t[1] is None or t[1].rate is None, -(t[1].rate or 0) if t[1] else 0))
    rated = [(n, a.rate if a and a.rate is not None else None, "") for n, a in table]
    shared = places(rated, lower_is_better=False)  # equal rates share a place
    plain = _key(FONT, CENTER, True, None, None)

    def unit_row(name, att, pos):
        def cells():
            values = [
                pos if pos is not None else "—",
                name,
                att.met if att else None,
                att.close if att else None,
                att.not_met if att else None,
                att.due if att else None,
                round(att.rate, 1) if att and att.rate is not None else "未填报",
            ]
            return [(c, v, plain) for c, v in enumerate(values, 1)]

        return cells

    for (name, att), pos in zip(table, shared, strict=True):
        body.rows.append(unit_row(name, att, pos))
    body.rows.append(list)  # an empty row
    body.rows.append(lambda: [(1, "各指标名次（1 为最好）", _key(BOLD, LEFT, False, None, None))])
    heads = ["代码", "指标", "计量单位", "方向", *names]
    head_style = _key(BOLD, CENTER, True, HEAD_FILL, None)
    body.rows.append(lambda: [(c, h, head_style) for c, h in enumerate(heads, 1)])
    head_row = 3 + len(body.rows)

    def indicator_row(i: int, row: Row):
        def cells():
            ind = row.indicator
            order = ranked(ind, [(c.name, *c.ranks[i]) for c in columns])
            shared = places(order, ind.better == "lower")  # ties share a place
            place = {n: pos for (n, _v, _st), pos in zip(order, shared, strict=True) if pos}
            out = [
                (1, ind.code, plain),
                (2, ind.name, _key(FONT, LEFT, True, None, None)),
                (3, ind.unit or None, plain),
                (4, "越低越好" if ind.better == "lower" else "越高越好", plain),
            ]
            out += [(c, place.get(n, "—"), plain) for c, n in enumerate(names, 5)]
            return out

        return cells

    for i, row in enumerate(_rankable(data)):
        body.rows.append(indicator_row(i, row))
    print_setup(ws, f"{head_row}:{head_row}", 3 + len(body.rows), width)
