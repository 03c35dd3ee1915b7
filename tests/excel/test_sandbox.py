"""Issue 12: the real-world shapes that crashed the program or slipped past it, and the sandboxed
reader that makes any remaining parser failure a refusal.  Every refusal is a Chinese message,
the database is unchanged, and the next file of a folder goes on."""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.support import xlsx as h
from tianbao.domain.errors import KnownError
from tianbao.excel import sandbox
from tianbao.excel.export import export_return
from tianbao.excel.imports import apply_import, preview_import

REPO = Path(__file__).resolve().parents[2]


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _zip(parts: dict[str, bytes], dst: Path) -> Path:
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return dst


def _plain(tmp: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["指标名称", "本年值"])
    wb.active.append(["随便", 1])
    wb.save(tmp / "plain.xlsx")
    return tmp / "plain.xlsx"


FAR_CELL = '<row r="1048576"><c {attr} t="n"><v>1</v></c></row></sheetData>'


def _far(attr: str):
    def change(parts):
        key = "xl/worksheets/sheet1.xml"
        parts[key] = parts[key].replace(b"</sheetData>", FAR_CELL.format(attr=attr).encode())

    return change


def _move_sheet(new: str):
    def change(parts):
        _far('r="XFD1048576"')(parts)
        parts[new] = parts.pop("xl/worksheets/sheet1.xml")
        rels = "xl/_rels/workbook.xml.rels"
        parts[rels] = parts[rels].replace(
            b"worksheets/sheet1.xml", new.removeprefix("xl/").encode()
        )
        ct = "[Content_Types].xml"
        parts[ct] = parts[ct].replace(b"/xl/worksheets/sheet1.xml", f"/{new}".encode())

    return change


def _no_refs(parts):
    import random

    rng = random.Random(3)
    rows = "".join(
        "<row>" + "".join(f"<c><v>{rng.random():.6f}</v></c>" for _ in range(16384)) + "</row>"
        for _ in range(62)
    )
    key = "xl/worksheets/sheet1.xml"
    parts[key] = re.sub(
        rb"<sheetData>.*</sheetData>",
        f"<sheetData>{rows}</sheetData>".encode(),
        parts[key],
        flags=re.S,
    )


def _encoded(codec: str, bom: bool = False):
    def change(parts):
        key = "xl/worksheets/sheet1.xml"
        text = parts[key].decode("utf-8").split("?>", 1)[-1]
        decl = f'<?xml version="1.0" encoding="{codec.upper()}"?>'
        data = (decl + text).encode(codec)
        if bom:
            data = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}[codec] + data
        parts[key] = data

    return change


def _declared_only(parts):
    key = "xl/worksheets/sheet1.xml"
    body = parts[key].decode("utf-8").split("?>", 1)[-1]
    parts[key] = ('<?xml version="1.0" encoding="UTF-16"?>' + body).encode("utf-8")


def _numfmt(parts):
    parts["xl/styles.xml"] = parts["xl/styles.xml"].replace(
        b"<cellXfs",
        b'<numFmts count="1"><numFmt numFmtId="abc" formatCode="0.0%"/></numFmts><cellXfs',
        1,
    )


def _sst_count(parts):
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="1" uniqueCount="999999999999"><si><t>a</t></si></sst>'
    )


SHAPES = {
    "single_quotes": (_far("r='XFD1048576'"), "范围过大"),
    "tab_before_r": (_far('\tr="XFD1048576"'), "范围过大"),
    "newline_before_r": (_far('\nr="XFD1048576"'), "范围过大"),
    "spaces_around_equals": (_far('r = "XFD1048576"'), "范围过大"),
    "lower_case_reference": (_far('r="xfd1048576"'), "范围过大"),
    "sheet_outside_worksheets": (_move_sheet("xl/data/grid.xml"), "范围过大"),
    "upper_case_sheet_name": (_move_sheet("xl/worksheets/SHEET1.xml"), "范围过大"),
    "cells_without_references": (_no_refs, "范围过大"),
    "utf16be_without_bom": (_encoded("utf-16-be"), "UTF-16"),
    "utf32be_without_bom": (_encoded("utf-32-be"), "UTF-32"),
    "utf16be_with_bom": (_encoded("utf-16-be", bom=True), "UTF-16"),
    "utf16_declared_on_utf8_bytes": (_declared_only, "UTF-16"),
    "non_numeric_numfmtid": (_numfmt, "numFmtId"),
    "huge_shared_string_count": (_sst_count, "文本单元格"),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_real_world_shapes_are_refused_with_a_message(db, tmp_path, shape):
    change, words = SHAPES[shape]
    src = _plain(tmp_path)
    parts = _parts(src)
    change(parts)
    path = _zip(parts, tmp_path / f"{shape}.xlsx")
    before = h.dump(db)
    (fp,) = preview_import(db, [path])
    assert fp.refused and words in fp.refused, fp.refused
    assert "未导入任何数据" in fp.refused and path.name in fp.refused
    assert not re.search(r"[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}", fp.refused), (
        fp.refused
    )  # no parser text
    assert h.dump(db) == before


def _flip_deflate(src: Path, dst: Path) -> Path:
    """A broken download: bytes in the middle of a part's compressed data changed."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as z:
        info = max(z.infolist(), key=lambda i: i.compress_size)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 10, start + min(info.compress_size, 60)):
        data[k] ^= 0x5A
    dst.write_bytes(bytes(data))
    return dst


def test_damaged_compressed_data_is_a_damaged_file(db, filled, tmp_path):
    good = export_return(db, filled, tmp_path / "good.xlsx").path
    (fp,) = preview_import(db, [_flip_deflate(good, tmp_path / "broken.xlsx")])
    assert "已损坏" in fp.refused and "压缩数据" in fp.refused, fp.refused


def test_a_workbook_rezipped_on_a_mac_imports(db, other_db, filled, tmp_path):
    good = export_return(db, filled, tmp_path / "good.xlsx").path
    parts = _parts(good)
    parts["__MACOSX/._good.xlsx"] = b"\x00\x05\x16\x07Mac OS X resource fork"
    parts["__MACOSX/xl/._workbook.xml"] = b"\x00\x05\x16\x07"
    parts[".DS_Store"] = b"\x00\x00\x00\x01Bud1"
    path = _zip(parts, tmp_path / "mac.xlsx")
    (fp,) = preview_import(other_db, [path])
    assert not fp.refused and fp.can_apply, fp.refused
    assert apply_import(other_db, fp).written > 0


def _meta_rows(path: Path, change) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb["_tianbao"]
    for row in ws.iter_rows():
        change(row)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    "key, value",
    [("year", "20242024202420242024"), ("unit_code", ""), ("plan_version", "1e400"), ("year", -5)],
)
def test_a_damaged_hidden_sheet_is_refused_in_the_preview_not_in_the_import(
    db, other_db, filled, tmp_path, key, value
):
    path = export_return(db, filled, tmp_path / "r.xlsx").path

    def change(row):
        if row[0].value == key:
            row[1].value = value

    _meta_rows(path, change)
    before = h.dump(other_db)
    (fp,) = preview_import(other_db, [path])
    assert fp.refused and "隐藏识别表已损坏" in fp.refused, fp.refused
    assert not fp.can_apply
    assert h.dump(other_db) == before


# --- .xls --------------------------------------------------------------------------------------


def _patch_record(data: bytes, header: bytes, body) -> bytes:
    i = data.find(header)
    assert i >= 0, header
    out = bytearray(data)
    start = i + 4
    out[start : start + len(body)] = body
    return bytes(out)


def test_xls_shapes_are_refused(db, tmp_path):
    src = (h.FIXTURES / "libreoffice.xls").read_bytes()
    import struct

    cases = {
        # DIMENSIONS (BIFF8, 14 bytes): first row 0, last row+1 65536, first col 0, last col+1 256
        "dims.xls": _patch_record(src, b"\x00\x02\x0e\x00", struct.pack("<IIHH", 0, 65536, 0, 256)),
        # DIMENSIONS whose first row lies after its last: calamine's u32 wraps to four billion
        "wrap.xls": _patch_record(src, b"\x00\x02\x0e\x00", struct.pack("<IIHH", 9, 2, 0, 3)),
        **{f"cut{k}.xls": src[: len(src) * k // 100] for k in (30, 50, 90, 99)},
    }
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    fp_dims, fp_wrap, *cut = preview_import(db, [tmp_path / n for n in cases])
    assert "范围过大" in fp_dims.refused, fp_dims.refused
    assert "范围过大" in fp_wrap.refused, fp_wrap.refused
    for fp in cut:  # a truncated .xls: refused, whichever part is missing
        assert fp.refused.endswith("未导入任何数据。"), fp.refused


def test_random_byte_changes_in_an_xls_never_crash(db, tmp_path):
    import random

    src = (h.FIXTURES / "libreoffice.xls").read_bytes()
    rng = random.Random(12)
    paths = []
    for k in range(12):
        data = bytearray(src)
        for _ in range(8):
            data[rng.randrange(512, len(data))] = rng.randrange(256)
        paths.append(tmp_path / f"m{k}.xls")
        paths[-1].write_bytes(bytes(data))
    before = h.dump(db)
    previews = preview_import(db, paths)
    assert len(previews) == len(paths)
    for fp in previews:
        assert fp.refused == "" or "未导入任何数据" in fp.refused
    assert h.dump(db) == before


# --- the sandbox itself ------------------------------------------------------------------------


def _abort(_path):
    os.abort()


def _sleep(_path):
    time.sleep(30)


def _hog(_path):
    return bytearray(900 * 1024 * 1024)


def _flood(_path):
    return b"x" * (8 * 1024 * 1024)


def _known(_path):
    raise KnownError("文件有问题，请重新发送。", "bad file")


def _fine(path):
    return f"read {path}"


@pytest.fixture
def box():
    b = sandbox.Sandbox(time_limit=2, memory_limit=512 * 1024 * 1024, output_limit=1024 * 1024)
    yield b
    b.close()


@pytest.mark.parametrize(
    "func, reason, words",
    [
        (_abort, "crash", "已损坏"),
        (_sleep, "timeout", "超过 2 秒"),
        (_flood, "output", "数据量"),
    ]
    + ([(_hog, "memory", "内存")] if sys.platform == "linux" else []),
)
def test_a_crash_timeout_or_limit_is_a_refusal_and_the_next_file_goes_on(box, func, reason, words):
    with pytest.raises(sandbox.FileRefused) as e:
        box.run(func, "a.xlsx", name="a.xlsx")
    assert e.value.reason == reason and words in str(e.value) and "“a.xlsx”" in str(e.value)
    assert box.run(_fine, "b.xlsx", name="b.xlsx") == "read b.xlsx"


def test_known_errors_come_back_as_themselves_and_workers_are_reused(box):
    with pytest.raises(KnownError) as e:
        box.run(_known, "a", name="a")
    assert str(e.value) == "文件有问题，请重新发送。" and e.value.message_en == "bad file"
    for k in range(3):
        assert box.run(_fine, k) == f"read {k}"
    assert box.started == 1  # one worker, started at the first call and kept
    assert box.last is not None and box.last.cpu < 1


def test_a_file_that_aborts_the_parser_is_refused_in_a_folder_and_the_rest_imports(
    db, other_db, filled, tmp_path, monkeypatch
):
    """What issue 12 measured: calamine aborting (SIGABRT) took the whole folder import down.
    The worker here aborts for real (os.abort) on the first file."""
    import tianbao.excel.readfile as readfile
    from tests.support.hostile import aborting_reader

    folder = tmp_path / "收到的报表"
    folder.mkdir()
    export_return(db, filled, folder / "b_good.xlsx")
    shutil.copyfile(_plain(tmp_path), folder / "a_abort.xlsx")
    monkeypatch.setattr(readfile, "READER", aborting_reader)
    before = h.dump(other_db)
    bad, good = preview_import(other_db, [folder])
    assert "已损坏" in bad.refused and "a_abort.xlsx" in bad.refused, bad.refused
    assert h.dump(other_db) == before
    assert good.can_apply and apply_import(other_db, good).written > 0


def test_an_idle_worker_killed_from_outside_is_replaced_not_blamed_on_the_file(box):
    assert box.run(_fine, 1) == "read 1"
    (worker,) = box._idle
    worker.process.kill()
    worker.process.join(5)
    assert box.run(_fine, 2) == "read 2"
    assert box.started == 2


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_hostile_plan_workbooks_are_refused_with_a_message(db, tmp_path):
    import random

    from tests.excel.test_fuzz import mutants
    from tianbao.excel.planbook import PlanbookError, read_plan_workbook, write_plan_workbook

    good = tmp_path / "plan.xlsx"
    write_plan_workbook(h.plan_of(db), good)
    parts = _parts(good)
    sheet = next(p for p in parts if p.startswith("xl/worksheets/"))
    parts[sheet] = parts[sheet].replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
    )
    with pytest.raises(PlanbookError) as e:
        read_plan_workbook(_zip(parts, tmp_path / "huge.xlsx"))
    assert "范围过大" in str(e.value)
    outcomes = {"read": 0, "refused": 0}
    rng = random.Random(4)
    for i, data, how in mutants(good.read_bytes(), rng.randrange(1000), 20):
        path = tmp_path / f"plan{i}.xlsx"
        path.write_bytes(data)
        try:
            read_plan_workbook(path)
            outcomes["read"] += 1
        except KnownError as err:  # PlanbookError or a sandbox refusal: nothing else
            assert re.search(r"[\u4e00-\u9fff]{4}", str(err)), (how, str(err))
            outcomes["refused"] += 1
    assert outcomes["refused"]
