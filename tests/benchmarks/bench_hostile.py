"""Benchmark: what refusing the worst files costs, and what the sandbox costs per file.

A script, not a test (pytest collects test_*.py only):

    python tests/benchmarks/bench_hostile.py [--repeat 5]

For each hostile or extreme workbook it prints the wall time of ``read_book`` (checks and parsing
in the sandboxed worker), the worker's CPU time and peak resident memory for that file, and the
outcome.  Then the overhead of the sandbox on a typical exported return: the same reading done
in this process (``read_workbook``), through a warm worker, and the first file (worker start).
Issue 12 asks for refusals within 2 s CPU and 200 MB.
"""

from __future__ import annotations

import argparse
import random
import re
import struct
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import openpyxl

from tests.support import xlsx as h
from tianbao.domain.errors import KnownError
from tianbao.excel import sandbox
from tianbao.excel.export import export_return
from tianbao.excel.read import read_book, read_workbook


def _zip(parts: dict[str, bytes], path: Path, method=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", method) as z:
        for n, d in parts.items():
            z.writestr(n, d)
    return path


def _plain_parts(tmp: Path) -> dict[str, bytes]:
    wb = openpyxl.Workbook()
    wb.active.append(["指标名称", "本年值"])
    wb.active.append(["随便", 1])
    wb.save(tmp / "plain.xlsx")
    with zipfile.ZipFile(tmp / "plain.xlsx") as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _with_sheet(tmp: Path, name: str, sheet_data: str, method=zipfile.ZIP_DEFLATED) -> Path:
    parts = _plain_parts(tmp)
    key = "xl/worksheets/sheet1.xml"
    parts[key] = re.sub(
        rb"<sheetData>.*</sheetData>|<sheetData/>",
        f"<sheetData>{sheet_data}</sheetData>".encode(),
        parts[key],
        flags=re.S,
    )
    return _zip(parts, tmp / name, method)


def cases(tmp: Path, ret: Path) -> dict[str, Path]:
    rng = random.Random(5)
    out: dict[str, Path] = {}
    out["far cell XFD1048576"] = _with_sheet(
        tmp,
        "far.xlsx",
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    )
    rows = "".join(
        "<row>" + "".join(f"<c><v>{rng.random():.5f}</v></c>" for _ in range(16384)) + "</row>"
        for _ in range(62)
    )
    out["1.02M cells without references"] = _with_sheet(tmp, "norefs.xlsx", rows)
    # The largest sheet accepted: 499 × 500 numbers.
    rows = "".join(
        f'<row r="{r}">' + "".join(f"<c><v>{(r * c) % 997}</v></c>" for c in range(500)) + "</row>"
        for r in range(1, 500)
    )
    out["accepted: 249,500 numbers"] = _with_sheet(tmp, "big_ok.xlsx", rows)
    parts = _plain_parts(tmp)
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        b"<sst><si><t>&c;</t></si></sst>"
    )
    out["billion laughs"] = _zip(parts, tmp / "laughs.xlsx")
    parts = _plain_parts(tmp)
    parts["xl/worksheets/sheet1.xml"] = b"<worksheet>" + b" " * (40 << 20) + b"</worksheet>"
    out["zip bomb (40 MB of spaces)"] = _zip(parts, tmp / "bomb.xlsx")
    parts = _plain_parts(tmp)
    body = parts["xl/worksheets/sheet1.xml"].decode().split("?>", 1)[-1]
    parts["xl/worksheets/sheet1.xml"] = ('<?xml version="1.0" encoding="UTF-32BE"?>' + body).encode(
        "utf-32-be"
    )
    out["UTF-32BE sheet without BOM"] = _zip(parts, tmp / "utf32.xlsx")
    xls = (h.FIXTURES / "libreoffice.xls").read_bytes()
    i = xls.find(b"\x00\x02\x0e\x00")
    dims = bytearray(xls)
    dims[i + 4 : i + 16] = struct.pack("<IIHH", 0, 65536, 0, 256)
    (tmp / "dims.xls").write_bytes(bytes(dims))
    out[".xls DIMENSIONS A1:IV65536"] = tmp / "dims.xls"
    (tmp / "cut.xls").write_bytes(xls[: len(xls) * 9 // 10])
    out[".xls truncated"] = tmp / "cut.xls"
    data = bytearray(ret.read_bytes())
    with zipfile.ZipFile(ret) as z:
        info = max(z.infolist(), key=lambda i: i.compress_size)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 10, start + 60):
        data[k] ^= 0x5A
    (tmp / "broken.xlsx").write_bytes(bytes(data))
    out["broken download (deflate damaged)"] = tmp / "broken.xlsx"
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        db = h.make_db(tmp / "bench.sqlite")
        plan = h.plan_of(db)
        rid = h.fill_return(db, h.UNIT, h.YEAR, h.sample_entries(plan), h.sample_explanations(plan))
        ret = export_return(db, rid, tmp / "return.xlsx").path
        box = sandbox.shared()

        t0 = time.perf_counter()
        read_book(ret)
        cold = time.perf_counter() - t0

        print(f"{'case':38} {'wall s':>7} {'CPU s':>6} {'peak MB':>8}  outcome")
        for label, path in cases(tmp, ret).items():
            box.last = None
            t0 = time.perf_counter()
            try:
                _info, sheets = read_book(path)
                outcome = f"read, {sum(len(r) for s in sheets for r in s.rows):,} cells"
            except KnownError as e:
                outcome = "refused: " + re.sub(r"“[^”]*”", "", str(e))[:40]
            wall = time.perf_counter() - t0
            st = box.last
            cpu = f"{st.cpu:6.2f}" if st else "   n/a"
            peak = f"{st.peak_rss / 1048576:8.0f}" if st else "     n/a"
            print(f"{label:38} {wall:7.2f} {cpu} {peak}  {outcome}")

        inproc, warm = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            read_workbook(ret)
            inproc.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            read_book(ret)
            warm.append(time.perf_counter() - t0)
        size = ret.stat().st_size / 1024
        print(
            f"\nsandbox overhead on an exported return ({size:.0f} KB, "
            f"{len(plan.indicators)} indicators), best of {args.repeat}:"
        )
        print(f"  in this process        {min(inproc) * 1000:7.1f} ms")
        print(
            f"  warm worker            {min(warm) * 1000:7.1f} ms "
            f"(+{(min(warm) - min(inproc)) * 1000:.1f} ms per file)"
        )
        print(f"  first file (start)     {cold * 1000:7.1f} ms")
        box.close()
        db.close()


if __name__ == "__main__":
    main()
