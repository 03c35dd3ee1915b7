"""Reading a plan's text from each file format, generated here."""

from __future__ import annotations

import zipfile

import pytest

from tests.support.plantext import PLAN_LINES, PLAN_TEXT, write_docx, write_html, write_pdf
from tianbao.domain.errors import KnownError
from tianbao.plantext import draft_plans
from tianbao.plantext.reader import PlanTextError, read_plan_file, read_plan_text


def _targets(pt):
    d = draft_plans(pt)[0]
    return sorted(
        (i["name"], t["op"], t.get("value"), t.get("year"))
        for i in d.plan["indicators"]
        for t in i["targets"]
        if t["op"] not in ("qualitative",)
    )


def test_txt_utf8_keeps_line_numbers(tmp_path):
    p = tmp_path / "plan.txt"
    p.write_text(PLAN_TEXT, encoding="utf-8")
    pt = read_plan_file(p)
    assert pt.fmt == "txt" and pt.lines[11].startswith("2.婴儿死亡率")
    d = draft_plans(pt)[0]
    inf = next(i for i in d.plan["indicators"] if i["name"] == "婴儿死亡率")
    assert inf["targets"][0]["line"] == 12  # 1-based line of the file


def test_txt_gb18030_and_bom(tmp_path):
    p = tmp_path / "plan-gbk.txt"
    p.write_bytes(PLAN_TEXT.encode("gb18030"))
    q = tmp_path / "plan-bom.txt"
    q.write_bytes(b"\xef\xbb\xbf" + PLAN_TEXT.encode("utf-8"))
    assert read_plan_file(p).lines == read_plan_file(q).lines == tuple(PLAN_TEXT.split("\n"))


def test_docx(tmp_path):
    pt = read_plan_file(write_docx(tmp_path / "plan.docx", PLAN_LINES))
    assert pt.fmt == "docx"
    assert pt.lines[0] == PLAN_LINES[0]
    assert _targets(pt) == _targets(read_plan_text(PLAN_TEXT))


def test_pdf_text_layer(tmp_path):
    pt = read_plan_file(write_pdf(tmp_path / "plan.pdf", PLAN_LINES))
    assert pt.fmt == "pdf"
    assert any("婴儿死亡率" in s for s in pt.lines)
    got = _targets(pt)
    assert ("婴儿死亡率", "<=", 3.5, None) in got
    assert ("学前教育毛入园率", ">=", 95, 2030) in got


@pytest.mark.parametrize("encoding", ["utf-8", "gb2312"])
def test_saved_web_page(tmp_path, encoding):
    pt = read_plan_file(write_html(tmp_path / "plan.html", PLAN_LINES, encoding))
    assert pt.fmt == "html"
    assert not any("var x" in s for s in pt.lines)  # scripts are not text
    got = _targets(pt)
    assert got == _targets(read_plan_text(PLAN_TEXT))


def test_pasted_text():
    pt = read_plan_text(PLAN_TEXT.replace("\n", "\r\n"))
    assert pt.fmt == "pasted" and pt.lines[0] == PLAN_LINES[0]


def test_unreadable_files_say_what_to_do(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    doc = tmp_path / "old.doc"
    doc.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 100)
    bad_docx = tmp_path / "bad.docx"
    bad_docx.write_bytes(b"PK\x03\x04 not really a zip")
    no_doc = tmp_path / "nodoc.docx"
    with zipfile.ZipFile(no_doc, "w") as z:
        z.writestr("hello.txt", "x")
    bad_pdf = tmp_path / "bad.pdf"
    bad_pdf.write_bytes(b"%PDF-1.4 garbage")
    latin = tmp_path / "latin.txt"
    latin.write_text("no Chinese here", encoding="utf-8")
    expect = {
        empty: "空的",
        doc: ".docx",
        bad_docx: ".docx",
        no_doc: ".docx",
        bad_pdf: "PDF",
        latin: "中文",
        tmp_path / "missing.txt": "找不到",
    }
    for path, words in expect.items():
        with pytest.raises(PlanTextError) as e:
            read_plan_file(path)
        assert isinstance(e.value, KnownError)
        assert words in str(e.value), (path.name, str(e.value))


def test_docx_entity_expansion_refused(tmp_path):
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "儿童儿童儿童儿童">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"
    )
    p = tmp_path / "bomb.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", bomb)
    with pytest.raises(PlanTextError):
        read_plan_file(p)


def test_docx_tables_and_text_boxes_read_once(tmp_path):
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    doc = (
        f'<w:document xmlns:w="{W}"><w:body>'
        "<w:p><w:r><w:t>甲</w:t></w:r><w:r><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p>"
        "</w:txbxContent></w:r><w:r><w:t>乙</w:t></w:r></w:p>"
        "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>婴儿死亡率</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>3‰</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
        "<w:p><w:r><w:t>一行</w:t><w:br/><w:t>二行</w:t></w:r></w:p></w:body></w:document>"
    )
    p = tmp_path / "t.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", doc)
    assert read_plan_file(p).lines == ("甲乙", "框内", "婴儿死亡率", "3‰", "一行", "二行")
