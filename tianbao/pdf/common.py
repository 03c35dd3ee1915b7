"""What the PDF return and the monitoring report share: fonts, styles, page numbering, small parts.

Fonts.  Droid Sans Fallback (``resources/fonts``) covers the CJK ideographs and full-width
punctuation but, being a fallback font, has no Latin letters, digits or symbols (its cmap holds
only the space below U+1100).  Latin, digits, ‰ ≤ ≥ ≈ √ × — come from Bitstream Vera, which
ships inside reportlab itself (``reportlab/fonts/Vera.ttf``, a permissive licence), so nothing
else needs bundling.  Every string is split into runs by which font has the glyph (:func:`runs`)
and both fonts are embedded as subsets, so a return prints the same on any PC.  A character
neither font has is replaced by its compatibility form (NFKC: ① → 1, ℃ → °C) where that helps.

Page numbers ("第 x 页 共 y 页") need the page count, known only at the end: :class:`NumberedCanvas`
keeps each page's state and draws the footer on all of them when the document is saved.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from tianbao.domain.catalogue import Indicator, Target
from tianbao.domain.status import (
    BEHIND,
    CLOSE,
    MET,
    NO_DATA,
    NO_TARGET,
    NOT_MET,
    ON_COURSE,
    display_unit,
    fmt_fixed,
    fmt_number,
)
from tianbao.domain.values import CHOICE_LABELS
from tianbao.resources import resource_path

CJK, LATIN = "TianbaoCJK", "TianbaoLatin"
CJK_FILE, LATIN_FILE = "DroidSansFallbackFull.ttf", "Vera.ttf"
PAGE = A4
MARGIN = 14 * mm
GREY = colors.Color(0.35, 0.35, 0.35)
LIGHT = colors.Color(0.88, 0.88, 0.88)

# 达标情况: a symbol and a word, so the status reads on a black-and-white printout.  √ and × are
# the marks Chinese forms use (✓ ✗ are in neither font); "无数据" has no symbol — an empty
# place is how statistical tables mark a figure not available.
STATUS_MARKS = {
    MET: "√ 达标",
    NOT_MET: "× 未达标",
    CLOSE: "≈ 接近",
    NO_TARGET: "— 无目标",
    NO_DATA: "无数据",
    ON_COURSE: "+ 按进度",
    BEHIND: "− 落后于进度",
}


# ---------------------------------------------------------------------------------------
# Fonts


@lru_cache(maxsize=1)
def register_fonts() -> tuple[frozenset[int], frozenset[int]]:
    """Register both fonts once per process; return the code points each one covers."""
    cjk = TTFont(CJK, str(resource_path("fonts", CJK_FILE)))
    latin = TTFont(LATIN, str(_latin_font_file()))
    pdfmetrics.registerFont(cjk)
    pdfmetrics.registerFont(latin)
    latin_cover = frozenset(latin.face.charToGlyph)
    # The space belongs to whichever run it is in; the fallback font's other sub-U+1100 entries
    # (a few control and Thai codes) are not wanted for Latin text.
    cjk_cover = frozenset(c for c in cjk.face.charToGlyph if c >= 0x1100)
    return cjk_cover, latin_cover


def _latin_font_file() -> Path:
    """Vera.ttf: beside the CJK font if a build put it there, else inside reportlab."""
    bundled = resource_path("fonts", LATIN_FILE)
    return bundled if bundled.exists() else Path(reportlab.__file__).parent / "fonts" / LATIN_FILE


_font_of_char: dict[str, str | None] = {}


def _font_for(ch: str) -> str | None:
    """The font that has ``ch``; None for a space (it joins the run it is in)."""
    f = _font_of_char.get(ch)
    if f is None and ch not in _font_of_char:
        cjk, latin = register_fonts()
        cp = ord(ch)
        f = None if ch == " " else CJK if cp in cjk else LATIN if cp in latin else ""
        _font_of_char[ch] = f
    return f


def _substitute(ch: str) -> str:
    """A stand-in for a character neither font has (NFKC form, else the character itself)."""
    alt = unicodedata.normalize("NFKC", ch)
    if alt != ch and all(_font_for(c) != "" for c in alt):
        return alt
    return ch


def runs(text: str) -> list[tuple[str, str]]:
    """``text`` split into (font, chunk) runs, each chunk drawable in its font."""
    out: list[tuple[str, str]] = []
    font, buf = LATIN, []
    for ch in text:
        f = _font_for(ch)
        if f == "":
            sub = _substitute(ch)
            if sub != ch:
                for c in sub:
                    f = _font_for(c) or font
                    if f != font and buf:
                        out.append((font, "".join(buf)))
                        buf = []
                    font = f
                    buf.append(c)
                continue
            f = CJK  # drawn as the missing-glyph box rather than dropped
        if f is None:
            f = font
        if f != font and buf:
            out.append((font, "".join(buf)))
            buf = []
        font = f
        buf.append(ch)
    if buf:
        out.append((font, "".join(buf)))
    return out


def markup(text: str) -> str:
    """Paragraph markup for ``text`` in a style whose font is :data:`CJK`."""
    parts = []
    for font, chunk in runs(text):
        chunk = escape(chunk)
        parts.append(chunk if font == CJK else f'<font face="{LATIN}">{chunk}</font>')
    return "".join(parts)


def text_width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in runs(text))


def draw_text(
    canv: Canvas, x: float, y: float, text: str, size: float, align: str = "left"
) -> None:
    """Draw one line of mixed text on a canvas (page headers and footers)."""
    if align != "left":
        w = text_width(text, size)
        x -= w if align == "right" else w / 2
    t = canv.beginText(x, y)
    for font, chunk in runs(text):
        t.setFont(font, size)
        t.textOut(chunk)
    canv.drawText(t)


# ---------------------------------------------------------------------------------------
# Styles and cells


def _style(name: str, size: float, align: int = TA_LEFT, **kw) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=CJK,
        fontSize=size,
        leading=kw.pop("leading", size * 1.3),
        alignment=align,
        wordWrap="CJK",
        **kw,
    )


@lru_cache(maxsize=1)
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    return {
        "title": _style("title", 16, TA_CENTER, leading=22, spaceAfter=2 * mm),
        "subtitle": _style("subtitle", 11, TA_CENTER, leading=16, spaceAfter=2 * mm),
        "h1": _style("h1", 12.5, leading=18, spaceBefore=4 * mm, spaceAfter=2 * mm),
        "h2": _style("h2", 11, leading=15, spaceBefore=2.5 * mm, spaceAfter=1.5 * mm),
        "body": _style("body", 10, leading=16, firstLineIndent=20),
        "plain": _style("plain", 10, leading=15),
        "item": _style("item", 9.5, leading=14, leftIndent=4 * mm, spaceAfter=1 * mm),
        "cell": _style("cell", 8.5, leading=10.5),
        "cell_c": _style("cell_c", 8.5, TA_CENTER, leading=10.5),
        "cell_r": _style("cell_r", 8.5, TA_RIGHT, leading=10.5),
        "head": _style("head", 8.5, TA_CENTER, leading=10.5),
        "small": _style("small", 7, leading=8.5, textColor=GREY),
        "marks": _style("marks", 7.5, leading=10),
        "right": _style("right", 9, TA_RIGHT, leading=13),
    }


_para_cache: dict[tuple[str, str], str] = {}


def para(text: str, style: str = "cell") -> Paragraph:
    key = (text, style)
    m = _para_cache.get(key)
    if m is None:
        m = markup(text)
        if len(_para_cache) < 20000:
            _para_cache[key] = m
    return Paragraph(m, styles()[style])


def heading(text: str, style: str = "h1", room: float = 40 * mm) -> list:
    """A heading that starts a new page when less than ``room`` is left below it.

    (``keepWithNext`` would push a heading and the whole long table after it to a new page.)
    """
    return [CondPageBreak(room), para(text, style)]


def para_lines(lines: list[str], style: str = "plain") -> Paragraph:
    """Several lines of text in one Paragraph."""
    return Paragraph("<br/>".join(markup(t) for t in lines), styles()[style])


def table_style(commands: list) -> TableStyle:
    """A TableStyle whose plain-string cells use the embedded Latin font (not Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), LATIN), *commands])


_ALIGN = {TA_LEFT: "left", TA_CENTER: "center", TA_RIGHT: "right"}


def cell(text: str, style: str = "cell_c", width: float | None = None, *, flowable: bool = False):
    """A table cell: plain text where the Latin font suffices, a :class:`Line` where the text
    fits on one line of ``width`` (the column), else a wrapping Paragraph.

    Paragraphs with CJK line breaking are most of a return's layout time; most cells (units,
    values, 达标情况) are one short line and do not need one.  ``flowable``: never a plain
    string (for cells holding a list of flowables).
    """
    if not text and not flowable:
        return ""
    if not flowable and all(font == LATIN for font, _ in runs(text)):
        return text
    st = styles()[style]
    if width is not None and text_width(text, st.fontSize) <= width - 4.5:
        return Line(text, st.fontSize, _ALIGN.get(st.alignment, "left"), st.leading, st.textColor)
    return para(text, style)


# ---------------------------------------------------------------------------------------
# Formatting

CN_NUMERALS = "一二三四五六七八九十"


def cn_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (domain and section numbers)."""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{CN_NUMERALS[tens - 1] if tens > 1 else ''}十{CN_NUMERALS[ones - 1] if ones else ''}"


def targets_text(ind: Indicator, targets: Sequence[Target]) -> str:
    """The targets in force as printed in a table: "≤4‰ (2025年)", "—" where the plan has none."""
    if not targets:
        return "—" if not ind.targets else "本年无目标"
    return "；".join(t.describe(display_unit(ind.unit)) for t in targets)


def status_mark(status: str) -> str:
    return STATUS_MARKS.get(status, "")


def fmt(v: float | str | None, unit: str = "") -> str:
    """A value as printed in a table cell (no unit for numbers: the unit has its own column)."""
    if v is None:
        return ""
    if isinstance(v, str):
        return CHOICE_LABELS.get(v, v)
    return fmt_number(v)


def fmt_shown(v: float | str | None, ind: Indicator) -> str:
    """An indicator's value in a table cell: numbers with the indicator's fixed decimals (the
    same as the grid, the Excel return and the PDF return), answers as words, "" for none."""
    if isinstance(v, (int, float)) and not isinstance(v, bool) and ind.is_numeric:
        return fmt_fixed(v, ind)
    return fmt(v)


# ---------------------------------------------------------------------------------------
# Page numbering


Decorate = Callable[[Canvas, int, int], None]


class NumberedCanvas(Canvas):
    """A canvas that holds back its pages so each can say "第 x 页 共 y 页"."""

    def __init__(self, *args, decorate: Decorate, **kwargs):
        if not kwargs.get("initialFontName"):
            kwargs["initialFontName"] = LATIN  # no stray unembedded Helvetica
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._decorate = decorate

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self.saveState()
            self._decorate(self, number, total)
            self.restoreState()
            super().showPage()
        super().save()


def page_numbers(canv: Canvas, number: int, total: int) -> None:
    draw_text(canv, PAGE[0] / 2, 8 * mm, f"第 {number} 页 共 {total} 页", 8.5, "center")


def build_pdf(path, story: list, decorate: Decorate, *, title: str, subject: str = "") -> None:
    """Lay ``story`` out on A4 and write it to ``path`` with ``decorate`` drawn on every page."""
    register_fonts()
    doc = SimpleDocTemplate(
        str(path),
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=title,
        subject=subject,
        author="Tianbao 填报",
        creator="Tianbao 填报",
    )
    doc.build(story, canvasmaker=lambda *a, **k: NumberedCanvas(*a, decorate=decorate, **k))


CONTENT_WIDTH = PAGE[0] - 2 * MARGIN


# ---------------------------------------------------------------------------------------
# Flowables


class Line(Flowable):
    """One line of mixed Chinese and Latin text, drawn without Paragraph's line breaking."""

    def __init__(
        self,
        text: str,
        size: float,
        align: str = "left",
        leading: float | None = None,
        color=colors.black,
    ):
        super().__init__()
        self.text, self.size, self.align, self.color = text, size, align, color
        self.leading = leading or size * 1.25

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        return avail_width, self.leading

    def draw(self) -> None:
        x = {"left": 0, "center": self.width / 2, "right": self.width}[self.align]
        self.canv.setFillColor(self.color)
        draw_text(self.canv, x, self.leading - self.size, self.text, self.size, self.align)


class SealBox(Flowable):
    """The place for the unit's official seal (公章): a dashed box labelled （单位公章）."""

    def __init__(
        self, width: float = 42 * mm, height: float = 42 * mm, label: str = "（单位公章）"
    ):
        super().__init__()
        self.width, self.height, self.label = width, height, label

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setDash(3, 2)
        c.setLineWidth(0.6)
        c.setStrokeColor(GREY)
        c.rect(0, 0, self.width, self.height)
        c.restoreState()
        draw_text(c, self.width / 2, 4 * mm, self.label, 9, "center")


class Rule(Flowable):
    """A horizontal line (the lines to write on in a blank 情况说明)."""

    def __init__(self, width: float, gap: float = 8 * mm):
        super().__init__()
        self.width, self.gap = width, gap

    def wrap(self, avail_width, avail_height):
        return self.width, self.gap

    def draw(self) -> None:
        self.canv.setLineWidth(0.4)
        self.canv.line(0, 0, self.width, 0)


def grid(
    data: list[list],
    widths: list[float],
    *,
    total_row: bool = False,
    left: tuple[int, ...] = (0,),
    repeat: int = 1,
    size: float = 8.5,
    pad: tuple[float, float] = (1.4, 1.5),
) -> Table:
    """A ruled table of the reports: string cells drawn by :func:`cell`, the first ``repeat`` rows a
    grey heading repeated on every page, ``pad`` the (vertical, horizontal) cell padding."""
    body = [
        [
            c if not isinstance(c, str) else cell(c, "cell" if j in left else "cell_c", widths[j])
            for j, c in enumerate(row)
        ]
        for row in data
    ]
    for k in range(repeat):
        body[k] = [para(c, "head") if isinstance(c, str) else c for c in data[k]]
    t = Table(body, colWidths=widths, repeatRows=repeat)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), LATIN),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("GRID", (0, 0), (-1, -1), 0.4, "black"),
        ("BACKGROUND", (0, 0), (-1, repeat - 1), LIGHT),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), pad[0]),
        ("BOTTOMPADDING", (0, 0), (-1, -1), pad[0]),
        ("LEFTPADDING", (0, 0), (-1, -1), pad[1]),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad[1]),
    ]
    if total_row:
        style.append(("BACKGROUND", (0, -1), (-1, -1), LIGHT))
    t.setStyle(table_style(style))
    return t


def page_footer(pages: list[int], left: str, date_label: str, today) -> Callable:
    """The footer of a report's pages: what it is on the left, 第 n 页 共 m 页, the date on the right.
    ``pages`` receives the page count."""

    def decorate(canv, page: int, total: int) -> None:
        pages[:] = [total]
        canv.setLineWidth(0.4)
        canv.setStrokeColor(GREY)
        canv.line(MARGIN, 13 * mm, PAGE[0] - MARGIN, 13 * mm)
        draw_text(canv, MARGIN, 9 * mm, left, 8)
        draw_text(canv, PAGE[0] / 2, 9 * mm, f"第 {page} 页 共 {total} 页", 8.5, "center")
        draw_text(canv, PAGE[0] - MARGIN, 9 * mm, f"{date_label} {today.isoformat()}", 8, "right")

    return decorate
