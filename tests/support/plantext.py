"""A small invented plan, written to every format the drafter reads."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

PLAN_LINES = [
    "示范县儿童发展规划（2021—2030年）",
    "",
    "前  言",
    "2020年，全县婴儿死亡率为4.1‰，学前教育毛入园率为88%。规划围绕七个领域提出目标。",
    "一、指导思想、基本原则和总体目标",
    "（一）指导思想",
    "坚持儿童优先原则。",
    "二、发展领域、主要目标和策略措施",
    "（一）儿童与健康",
    "主要目标：",
    "1.儿童健康服务体系更加完善。",
    "2.婴儿死亡率和5岁以下儿童死亡率分别降至3.5‰和4.5‰以下。（国家目标为5.0‰和6.0‰）",
    "3.适龄儿童免疫规划疫苗接种率以乡镇（街道）为单位保持在95%以上。",
    "4.儿童伤害死亡率以2020年为基数下降25%。",
    "策略措施：",
    "1.加强新生儿保健。新生儿访视率保持在92%以上，婴儿死亡率降至3.5‰以下。",
    "（二）儿童与教育",
    "主要目标：",
    "1.学前教育毛入园率2025年达到92%，2030年达到95%以上。",
    "2.适龄儿童普遍接受有质量的教育。",
    "策略措施：",
    "1.每个乡镇至少办好1所公办中心幼儿园。",
    "三、组织实施",
    "（一）加强领导。各部门每年报告2次实施情况。",
]
PLAN_TEXT = "\n".join(PLAN_LINES) + "\n"


def write_docx(path: Path, lines: list[str]) -> Path:
    """A minimal .docx built by hand: one w:p per line."""
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(s)}</w:t></w:r></w:p>' for s in lines
    )
    doc = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", doc)
    return path


def write_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF with a real text layer, in the CJK font the program ships."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from tianbao.resources import resource_path

    if "PlanCJK" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(
            TTFont("PlanCJK", str(resource_path("fonts", "DroidSansFallbackFull.ttf")))
        )
        pdfmetrics.registerFont(TTFont("PlanLatin", str(resource_path("fonts", "Vera.ttf"))))
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for s in lines:
        if y < 60:
            c.showPage()
            y = 800
        t = c.beginText(40, y)
        run, font = "", None
        for ch in s + "\0":  # runs of Latin (digits, %, ‰) and CJK text, as office PDFs have
            f = "PlanLatin" if ch.isascii() or ch == "‰" else "PlanCJK"
            if (f != font or ch == "\0") and run:
                t.setFont(font, 10)
                t.textOut(run)
                run = ""
            font = f
            run += ch if ch != "\0" else ""
        c.drawText(t)
        y -= 16
    c.save()
    return path


def write_html(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    paras = "\n".join(f"<p>{escape(s)}</p>" if s else "<br>" for s in lines)
    html = (
        f'<html><head><meta charset="{encoding}"><title>{escape(lines[0])}</title>'
        f"<style>p {{margin:0}}</style><script>var x = '婴儿死亡率降至1‰以下';</script></head>"
        f'<body><div class="nav">首页 &gt; 政务公开</div><div class="content">{paras}</div></body></html>'
    )
    path.write_bytes(
        html.encode("gb18030" if encoding == "gb2312" else encoding)
    )  # as browsers save it
    return path
