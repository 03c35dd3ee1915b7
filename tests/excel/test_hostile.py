"""Hostile and broken files: each is refused with a Chinese message saying what is wrong and what
to do, and the database is unchanged (a dump of every table before and after)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest

from db.repo import InputError
from tests.support import xlsx as h
from tianbao.excel.export import export_return
from tianbao.excel.imports import ImportError_, apply_import, preview_import
from tianbao.excel.safety import MAX_CELLS, MAX_UNCOMPRESSED, open_safely

TIANBAO = Path(__file__).resolve().parents[2] / "tianbao"


def _valid(tmp: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["指标名称", "本年值"])
    wb.active.append(["随便", 1])
    wb.save(tmp / "valid.xlsx")
    return tmp / "valid.xlsx"


def _rezip(src: Path, dst: Path, change) -> Path:
    with zipfile.ZipFile(src) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts = change(parts) or parts
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return dst


def empty(tmp):
    (tmp / "empty.xlsx").write_bytes(b"")
    return tmp / "empty.xlsx"


def text_file(tmp):
    (tmp / "notes.xlsx").write_text("代码,名称\nT01,东城街道\n", encoding="utf-8")
    return tmp / "notes.xlsx"


def html_as_xls(tmp):
    (tmp / "直报导出.xls").write_text(
        "<html><body><table><tr><td>婴儿死亡率</td><td>3.1</td></tr></table></body></html>",
        encoding="utf-8",
    )
    return tmp / "直报导出.xls"


def word_as_xlsx(tmp):
    with zipfile.ZipFile(tmp / "report.xlsx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return tmp / "report.xlsx"


def truncated(tmp):
    data = _valid(tmp).read_bytes()
    (tmp / "cut.xlsx").write_bytes(data[: len(data) // 2])
    return tmp / "cut.xlsx"


def zip_bomb(tmp):
    def add(parts):
        parts["xl/worksheets/sheet1.xml"] = (
            b"<worksheet>" + b" " * (MAX_UNCOMPRESSED + 1) + b"</worksheet>"
        )

    return _rezip(_valid(tmp), tmp / "bomb.xlsx", add)


def ratio_bomb(tmp):
    def add(parts):
        parts["xl/sharedStrings.xml"] = b"<sst>" + b"A" * (5 * 1024 * 1024) + b"</sst>"

    return _rezip(_valid(tmp), tmp / "ratio.xlsx", add)


def huge_sheet(tmp):
    def far(parts):
        xml = parts["xl/worksheets/sheet1.xml"]
        parts["xl/worksheets/sheet1.xml"] = re.sub(
            rb"</sheetData>",
            b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>',
            xml,
        )

    return _rezip(_valid(tmp), tmp / "huge.xlsx", far)


def billion_laughs(tmp):
    lol = (
        '<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&c;</t></si></sst>'
    )

    def add(parts):
        parts["xl/sharedStrings.xml"] = lol.encode()

    return _rezip(_valid(tmp), tmp / "laughs.xlsx", add)


def external_entity(tmp):
    def add(parts):
        xml = parts["xl/workbook.xml"].decode()
        parts["xl/workbook.xml"] = (
            '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            + xml.split("?>", 1)[-1]
        ).encode("utf-16")

    return _rezip(_valid(tmp), tmp / "xxe.xlsx", add)


def xlsx_named_xls(tmp):
    shutil.copyfile(_valid(tmp), tmp / "renamed.xls")
    return tmp / "renamed.xls"


def xls_named_xlsx(tmp):
    shutil.copyfile(h.FIXTURES / "libreoffice.xls", tmp / "renamed.xlsx")
    return tmp / "renamed.xlsx"


def ods_huge_repeat(tmp):
    content = textwrap.dedent("""\
        <?xml version="1.0" encoding="UTF-8"?>
        <office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
          xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
          xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>
        <table:table table:name="S"><table:table-row table:number-rows-repeated="100000">
        <table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1">
        <text:p>1</text:p></table:table-cell></table:table-row></table:table>
        </office:spreadsheet></office:body></office:document-content>""")
    with zipfile.ZipFile(tmp / "repeat.ods", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", "<manifest/>")
    return tmp / "repeat.ods"


def too_many_parts(tmp):
    def add(parts):
        for k in range(2100):
            parts[f"xl/extra/p{k}.xml"] = b"<x/>"

    return _rezip(_valid(tmp), tmp / "parts.xlsx", add)


def pdf(tmp):
    (tmp / "return.xlsx").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    return tmp / "return.xlsx"


def zip_of_returns(tmp):
    with zipfile.ZipFile(tmp / "all.xlsx", "w") as z:
        z.writestr("东城街道.xlsx", _valid(tmp).read_bytes())
    return tmp / "all.xlsx"


CASES = {
    empty: "空文件",
    text_file: "文本文件",
    html_as_xls: "网页",
    word_as_xlsx: "Word",
    truncated: "不完整",
    zip_bomb: "解压后",
    ratio_bomb: "压缩炸弹",
    huge_sheet: "范围过大",
    billion_laughs: "DOCTYPE",
    external_entity: "DOCTYPE",
    xlsx_named_xls: "扩展名",
    xls_named_xlsx: "扩展名",
    ods_huge_repeat: "范围过大",
    too_many_parts: "组成部分",
    pdf: "PDF",
    zip_of_returns: "压缩包",
}


@pytest.mark.parametrize("make", list(CASES), ids=[f.__name__ for f in CASES])
def test_hostile_or_broken_file_is_refused_and_changes_nothing(db, filled, tmp_path, make):
    path = make(tmp_path)
    before = h.dump(db)
    with pytest.raises(ImportError_) as e:
        open_safely(path)
    assert isinstance(e.value, InputError)  # the command line prints it, exit status 2
    (fp,) = preview_import(db, [path])
    assert CASES[make] in fp.refused, fp.refused
    assert "未导入任何数据" in fp.refused and path.name in fp.refused
    with pytest.raises(ImportError_):
        apply_import(db, fp)
    assert h.dump(db) == before


def test_a_folder_with_good_and_hostile_files_imports_the_good_ones(db, other_db, filled, tmp_path):
    folder = tmp_path / "收到的报表"
    folder.mkdir()
    export_return(db, filled, folder / "东城街道.xlsx")
    shutil.move(huge_sheet(tmp_path), folder / "huge.xlsx")
    (folder / "~$东城街道.xlsx").write_bytes(b"lock")  # Excel's lock file is skipped
    plans = preview_import(other_db, [folder])
    assert [p.name for p in plans] == ["huge.xlsx", "东城街道.xlsx"]
    assert plans[0].refused and plans[1].can_apply
    seen = []
    stopped = preview_import(
        other_db,
        [folder],
        progress=lambda done, total, fp: seen.append((done, total, fp.name)) or False,
    )  # the cancel button after the first file
    assert seen == [(1, 2, "huge.xlsx")] and len(stopped) == 1


def test_limits_are_below_what_would_exhaust_memory():
    assert MAX_CELLS <= 250_000 and MAX_UNCOMPRESSED <= 50 * 1024 * 1024


def test_nothing_parses_xml_unsafely():
    """openpyxl uses defusedxml; the one direct use of expat (the pre-scan in xmlscan.py) refuses
    any DTD, entity or external entity from its callbacks, as the billion-laughs and XXE cases
    above show."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML  # openpyxl found defusedxml and uses it
    files = list((TIANBAO / "excel").rglob("*.py"))
    assert len(files) > 10
    for path in files:
        source = path.read_text(encoding="utf-8")
        found = re.findall(
            r"^\s*(?:from|import)\s+((?:xml|lxml)\S*)(?:\s+import\s+(\w+))?", source, re.M
        )
        allowed = {("xml.parsers", "expat")} if path.name == "xmlscan.py" else set()
        parsers = {f for f in found if f[0] != "xml.sax.saxutils"}  # escaping, not parsing
        assert parsers <= allowed, (path.name, found)
    safety = (TIANBAO / "excel" / "xmlscan.py").read_text(encoding="utf-8")
    for handler in ("StartDoctypeDeclHandler", "EntityDeclHandler", "ExternalEntityRefHandler"):
        assert f"parser.{handler} = dtd" in safety


@pytest.mark.skipif(sys.platform == "win32", reason="uses resource.setrlimit")
def test_a_huge_sheet_would_really_abort_the_parser(tmp_path):
    """Why the used range is measured first: calamine aborts the process on such a sheet."""
    path = huge_sheet(tmp_path)
    code = (
        "import resource; resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30));"
        "from python_calamine import CalamineWorkbook as W;"
        f"W.from_path({str(path)!r}).get_sheet_by_index(0)"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert proc.returncode != 0


def test_refusals_happen_before_any_parser_sees_the_bytes(tmp_path, monkeypatch):
    import python_calamine

    def boom(*_a, **_k):
        raise AssertionError("calamine must not be called")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", boom)
    for make in (zip_bomb, billion_laughs, huge_sheet, ods_huge_repeat):
        with pytest.raises(ImportError_):
            open_safely(make(tmp_path))
