"""Measuring an .xls before calamine reads it: the OLE compound file, then its BIFF records.

Calamine builds a dense grid from the first to the last cell of each sheet and reserves memory
for the cells a sheet's DIMENSIONS record announces, in u32 arithmetic (a record whose first row
lies after its last wraps round to four billion).  A 30 KB .xls can therefore ask for gigabytes.
This module reads just enough of the file — the compound file's sector chains and directory, the
``Workbook`` stream's record headers, the row and column of every cell record — to compute what
calamine would allocate, so the file can be refused before.  It is deliberately small and strict:
anything it cannot follow is :class:`BiffError` (a damaged file).  It runs in the sandboxed
worker like the parser itself, so a mistake here cannot crash the program either.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

_END, _FREE = 0xFFFFFFFE, 0xFFFFFFFF
_U32 = 0xFFFFFFFF

# Cell records: row and column are the first two u16 of the record.
_CELLS = {
    0x0203,  # NUMBER
    0x0204,  # LABEL
    0x0205,  # BOOLERR
    0x027E,  # RK
    0x00FD,  # LABELSST
    0x00D6,  # RSTRING
    0x0006,  # FORMULA
    0x0201,  # BLANK (calamine skips it; counted to stay on the safe side)
}
_MULTI = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column … last column
_DIMENSIONS, _BOF, _EOF, _FILEPASS = 0x0200, 0x0809, 0x000A, 0x002F


class BiffError(Exception):
    """The .xls cannot be followed; ``str(e)`` is a short Chinese description."""


@dataclass(frozen=True)
class XlsMeasure:
    cells: int  # the largest grid calamine would allocate or reserve, summed over sheets
    sheets: int
    encrypted: bool


def measure_xls(data: bytes) -> XlsMeasure:
    try:
        stream = _workbook_stream(data)
        return _measure_records(stream)
    except (struct.error, IndexError, ValueError, OverflowError) as e:
        raise BiffError("复合文档结构无法解析") from e


# --- the compound file -----------------------------------------------------------------------


def _workbook_stream(data: bytes) -> bytes:
    if len(data) < 512:
        raise BiffError("文件头不完整")
    (sector_shift, mini_shift) = struct.unpack_from("<HH", data, 0x1E)
    if sector_shift not in (9, 12) or mini_shift != 6:
        raise BiffError("复合文档的扇区大小无效")
    size = 1 << sector_shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    mini_cutoff, first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from(
        "<IIIII", data, 0x38
    )
    n_sectors = max(0, (len(data) - size) // size)

    def sector(i: int) -> bytes:
        if i >= n_sectors:
            raise BiffError("扇区编号超出文件范围（文件可能被截断）")
        off = (i + 1) * size
        return data[off : off + size]

    # The FAT's own sectors: 109 in the header, the rest in a chain of DIFAT sectors.
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < 0xFFFFFFFA]
    per = size // 4 - 1
    d, seen = first_difat, 0
    while d < 0xFFFFFFFA and seen < min(n_difat, n_sectors) and len(fat_sectors) < n_fat:
        entries = struct.unpack(f"<{per + 1}I", sector(d))
        fat_sectors += [s for s in entries[:per] if s < 0xFFFFFFFA]
        d, seen = entries[per], seen + 1
    if not fat_sectors or len(fat_sectors) > n_sectors:
        raise BiffError("复合文档的分配表无效")
    fat: list[int] = []
    for s in fat_sectors[: max(n_fat, 1)]:
        fat += struct.unpack(f"<{size // 4}I", sector(s))

    def chain(start: int, table: list[int], limit: int) -> list[int]:
        out: list[int] = []
        i = start
        while i != _END:
            if i >= len(table) or len(out) > limit:
                raise BiffError("复合文档的扇区链断开或循环")
            out.append(i)
            i = table[i]
        return out

    def read(start: int, length: int) -> bytes:
        blob = b"".join(sector(i) for i in chain(start, fat, n_sectors))
        return blob[:length]

    directory = b"".join(sector(i) for i in chain(first_dir, fat, n_sectors))
    entries = []
    for off in range(0, len(directory) - 127, 128):
        e = directory[off : off + 128]
        name_len = struct.unpack_from("<H", e, 64)[0]
        kind = e[66]
        if kind == 0 or not 2 <= name_len <= 64:
            continue
        name = e[: name_len - 2].decode("utf-16-le", "replace")
        start, length = struct.unpack_from("<II", e, 116)
        entries.append((name, kind, start, length))
    root = next((e for e in entries if e[1] == 5), None)
    wanted = next((e for e in entries if e[1] == 2 and e[0] in ("Workbook", "Book")), None)
    if root is None or wanted is None:
        raise BiffError("复合文档中没有工作簿数据")
    _name, _kind, start, length = wanted
    if length > len(data):
        raise BiffError("工作簿数据的长度超出文件")
    if length >= mini_cutoff:
        return read(start, length)
    # A small stream lives in the mini stream, which is itself a stream of the root entry.
    mini_stream = read(root[2], root[3])
    minifat: list[int] = []
    for s in chain(first_minifat, fat, n_sectors)[: max(n_minifat, 0) or None]:
        minifat += struct.unpack(f"<{size // 4}I", sector(s))
    out = []
    for i in chain(start, minifat, len(mini_stream) // 64 + 1):
        out.append(mini_stream[i * 64 : i * 64 + 64])
    return b"".join(out)[:length]


# --- the records -------------------------------------------------------------------------------


def _measure_records(s: bytes) -> XlsMeasure:
    pos, n = 0, len(s)
    total = sheets = 0
    depth = 0  # BOF … EOF nesting: 1 = a sheet or the globals, 2+ = an embedded chart
    max_row = max_col = -1
    reserve = 0
    encrypted = False
    while pos + 4 <= n:
        typ, length = struct.unpack_from("<HH", s, pos)
        body = pos + 4
        pos = body + length
        if pos > n:
            raise BiffError("最后一条记录不完整（文件可能被截断）")
        if typ == _BOF:
            depth += 1
            if depth == 1:
                max_row = max_col = -1
                reserve = 0
            continue
        if typ == _EOF:
            if depth == 1:
                area = (max_row + 1) * (max_col + 1) if max_row >= 0 else 0
                total += max(area, reserve)
                sheets += 1
            depth = max(0, depth - 1)
            continue
        if depth != 1:
            continue
        if typ == _FILEPASS:
            encrypted = True
        elif typ in _CELLS and length >= 4:
            row, col = struct.unpack_from("<HH", s, body)
            max_row, max_col = max(max_row, row), max(max_col, col)
        elif typ in _MULTI and length >= 6:
            row, first = struct.unpack_from("<HH", s, body)
            (last,) = struct.unpack_from("<H", s, pos - 2)
            max_row, max_col = max(max_row, row), max(max_col, first, last)
        elif typ == _DIMENSIONS:
            reserve = max(reserve, _dimension_cells(s[body:pos]))
    if depth and max_row >= 0:  # no EOF: count the last sheet all the same
        total += max((max_row + 1) * (max_col + 1), reserve)
    return XlsMeasure(total, sheets, encrypted)


def _dimension_cells(r: bytes) -> int:
    """The cells calamine reserves for a DIMENSIONS record (its arithmetic, u32 wrapping)."""
    if len(r) == 14:
        rf, rl = struct.unpack_from("<II", r, 0)
        cf, cl = struct.unpack_from("<HH", r, 8)
    elif len(r) == 10:
        rf, rl, cf, cl = struct.unpack_from("<HHHH", r, 0)
    else:
        return 0  # calamine refuses the record: an error, not an allocation
    if cf > 0xFF or cl < cf:
        cf = 0
    if rl >= 1 and cl >= 1:
        end_r, end_c = rl - 1, cl - 1
    else:
        end_r, end_c = rf, cf
    rows = (end_r - rf + 1) & _U32
    cols = (end_c - cf + 1) & _U32
    return rows * cols
