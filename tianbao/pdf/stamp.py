"""Marking a finished PDF on every page (the demonstration data's printouts say 演示数据).

Stamped after the writer has finished, so no writer needs to know about the demonstration: the
mark is drawn in a corner of each page over the original content, and the text stays extractable.
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from tianbao.pdf.common import draw_text, register_fonts

DEMO_MARK = "【演示数据】仅供试用，不是正式报表"


def stamp_pdf(path: str | Path, text: str = DEMO_MARK) -> int:
    """Draw ``text`` at the top left of every page of ``path`` (in place); returns the pages."""
    path = Path(path)
    register_fonts()
    writer = PdfWriter(clone_from=path)
    for page in writer.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        buf = io.BytesIO()
        canv = Canvas(buf, pagesize=(w, h))
        canv.setFillColor(colors.Color(0.7, 0.1, 0.1))
        draw_text(canv, 14, h - 12, text, 9)
        canv.save()
        buf.seek(0)
        page.merge_page(PdfReader(buf).pages[0])
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "wb") as f:
        writer.write(f)
    tmp.replace(path)
    return len(writer.pages)
