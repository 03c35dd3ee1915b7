"""Font runs, the status marks and the command line."""

from __future__ import annotations

import subprocess
import sys

from tests.support.pdf import YEAR, page_texts
from tianbao.cli.main import main
from tianbao.pdf.common import CJK, LATIN, STATUS_MARKS, register_fonts, runs


def test_mixed_text_is_split_by_font():
    assert runs("婴儿死亡率≤4‰ (2025年)") == [
        (CJK, "婴儿死亡率"),
        (LATIN, "≤4‰ (2025"),
        (CJK, "年"),
        (LATIN, ")"),
    ]
    assert runs("第 1 页") == [(CJK, "第 "), (LATIN, "1 "), (CJK, "页")]


def test_characters_neither_font_has_are_replaced_where_possible():
    assert "".join(chunk for _, chunk in runs("①项")) == "1项"


def test_every_status_mark_has_its_glyphs():
    cjk, latin = register_fonts()
    for mark in STATUS_MARKS.values():
        for ch in mark.replace(" ", ""):
            assert ord(ch) in cjk or ord(ch) in latin, ch


def test_cli_prints_a_return_a_blank_form_and_a_report(filled, tmp_path, capsys):
    db = str(filled["db"].path or filled["db"].url)  # the file, or the server database (a URL)
    plan = filled["plan"].id
    out = tmp_path / "r.pdf"
    assert main(["--db", db, "pdf", "T1", plan, str(YEAR), str(out)]) == 0
    assert "校验码" in capsys.readouterr().out and out.exists()
    blank = tmp_path / "b.pdf"
    assert main(["--db", db, "pdf", "T1", plan, str(YEAR + 1), str(blank), "--blank"]) == 0
    assert "空白表" in page_texts(blank)[0]
    assert main(["--db", db, "pdf", "T1", plan, str(YEAR + 1), str(tmp_path / "x.pdf")]) == 2
    assert "--blank" in capsys.readouterr().err
    report = tmp_path / "m.pdf"
    # The district's report reads its compiled return; before compiling it says so and writes nothing.
    assert main(["--db", db, "report", "D1", plan, str(YEAR), str(report)]) == 2
    assert "汇总" in capsys.readouterr().err and not report.exists()
    assert main(["--db", db, "aggregate", "D1", plan, str(YEAR)]) == 0
    assert main(["--db", db, "report", "D1", plan, str(YEAR), str(report)]) == 0
    assert "达标率" in "".join(page_texts(report))


def test_pdf_modules_import_no_qt():
    code = (
        "import sys, tianbao.pdf.returns, tianbao.pdf.report, tianbao.pdf.chart;"
        "assert not any(m.startswith('PySide6') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
