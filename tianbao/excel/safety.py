"""Checking a workbook someone sent us before the spreadsheet parser sees it.

Reading is done by python-calamine (Rust; ~20× faster than openpyxl's read-only mode on our
returns, and it also reads .xls and .ods).  Calamine allocates a dense grid from the first to
the last used cell of a sheet, reserves memory for whatever count a file declares, and aborts
the whole process when an allocation fails.  All of this runs in a worker process with limits
on time, memory and output (``tianbao.excel.sandbox``), so no file can take the program down;
the checks here come first so that the common hostile shapes are refused early, cheaply and
with a message that says what is wrong:

- the file's real type is sniffed from its content (an .xlsx renamed .xls, a web page saved as
  .xls, a Word document, a password-protected workbook — which is an OLE compound file holding
  an ``EncryptedPackage`` stream — are named as such);
- zip containers are checked on their central directory (number of parts, uncompressed sizes,
  compression ratio) before anything is decompressed, then every part is decompressed with the
  declared size as a hard limit and re-packed, uncompressed, into a fresh archive — so calamine
  only ever reads bytes whose size we know, whatever the original headers claimed.  Damaged
  compressed data is a damaged file; ``__MACOSX/`` entries (a workbook re-zipped on a Mac) are
  left out;
- every XML part is read with a real XML parser (``tianbao.excel.xmlscan``) (expat, told that the bytes are UTF-8 — the one
  encoding calamine's XML reader honours).  A part that declares a DTD or entities is refused,
  in whatever encoding it is written; so is a part in, or declaring, any encoding but UTF-8
  (UTF-16 or UTF-32 with or without a byte-order mark, GBK …), which calamine would read as an
  empty sheet;
- while the sheets are parsed, the used range is computed the way calamine computes it (cell
  references of any spelling, cells without references, sheet parts anywhere in the archive)
  and refused beyond :data:`MAX_CELLS`; counts that calamine reserves memory for
  (``uniqueCount`` of the shared strings) are bounded too;
- in one of our own workbooks (the hidden sheet listed) the reader may leave the sheets only
  people read closed (``closed``): unpacked and checksummed like every part, but not parsed, and
  not in the archive calamine gets;
- .xls files are measured the same way (``tianbao.excel.biff``: the cell records and the
  DIMENSIONS record of every sheet), and .ods tables by their repeated rows and columns.

Every refusal is an :class:`ImportError_` (an ``InputError``, a ``KnownError``) whose message
says, in Chinese, what is wrong and what to do — never the parser's own text.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from pathlib import Path

from tianbao.domain.errors import os_problem
from tianbao.excel.untrusted import (  # noqa: F401 - the names callers import from here
    _AFTER,
    MAX_CELLS,
    MAX_FILE_BYTES,
    MAX_PARTS,
    MAX_RATIO,
    MAX_STRINGS,
    MAX_UNCOMPRESSED,
    MAX_XLS_BYTES,
    RATIO_FLOOR,
    BookInfo,
    Closed,
    DamagedWorkbook,
    EmptyFile,
    EncryptedWorkbook,
    ImportError_,
    NotAWorkbook,
    SafeBook,
    UnsafeWorkbook,
    WrongExtension,
    _damaged,
    _encrypted,
    _huge,
    _wrong_extension,
    pos_key,
    shown,
)
from tianbao.excel.xmlscan import (  # noqa: F401
    _local,
    check_ods,
    check_xlsx,
    parse_xml,
    sheet_targets,
)

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_SKIP_PARTS = (
    "xl/media/",
    "xl/embeddings/",
    "Pictures/",
    "Thumbnails/",
    "docProps/thumbnail",
    "xl/printerSettings/",
    "Configurations2/",
)


def open_safely(path: str | Path, closed: Closed | None = None) -> SafeBook:
    """Check ``path`` and return it ready for the parser, or raise an :class:`ImportError_`.

    ``closed``: sheets to leave closed in an .xlsx that has the program's hidden sheet (the
    sheets a return carries only for people to read): their parts are unpacked (a damaged
    one is a damaged file) but neither parsed nor given to the parser, and the book lists them
    in ``deferred``."""
    path = Path(path)
    name = path.name
    try:
        if not path.is_file():
            raise ImportError_(f"找不到文件“{path}”。请检查路径是否正确。")
        size = path.stat().st_size
        if size == 0:
            raise EmptyFile(
                f"“{name}”是空文件（0 字节），可能在复制或下载时中断。"
                f"请让报送单位重新发送。{_AFTER}"
            )
        if size > MAX_FILE_BYTES:
            raise UnsafeWorkbook(
                f"“{name}”有 {size / 1048576:.0f} MB，超过导入上限 "
                f"{MAX_FILE_BYTES // 1048576} MB，不像是一份报表。"
                f"请确认文件是否选错。{_AFTER}"
            )
        data = path.read_bytes()
    except PermissionError as e:
        raise ImportError_(
            f"无法读取“{name}”：没有权限，或文件正被其他程序独占打开。请关闭该文件后重试。"
        ) from e
    except OSError as e:
        raise ImportError_(
            f"无法读取“{name}”：{os_problem(e)}。请检查文件是否还在、磁盘是否可用，"
            "或把文件复制到本机后再导入。"
        ) from e
    if len(data) == 0:
        raise EmptyFile(f"“{name}”是空文件（0 字节）。请让报送单位重新发送。{_AFTER}")
    sha = hashlib.sha256(data).hexdigest()
    ext = path.suffix.lower()
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _zip_book(path, data, sha, ext, closed)
    if data[:8] == _OLE:
        return _ole_book(path, data, sha, ext)
    raise NotAWorkbook(_not_a_workbook(name, data))


# --- what the file really is -----------------------------------------------------------------


def _not_a_workbook(name: str, data: bytes) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n\x00").lower()
    head = head.replace(b"\x00", b"")
    if head.startswith((b"<html", b"<!doctype html", b"<table", b"<head", b"<meta")) or (
        b"<html" in head
    ):
        return (
            f"“{name}”实际上是网页（HTML）文件，只是扩展名像 Excel 文件（一些网上直报系统"
            f"导出的 .xls 就是这样）。请用 Excel 或 WPS 打开它，另存为“Excel 工作簿（.xlsx）”"
            f"后再导入。{_AFTER}"
        )
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return (
            f"“{name}”是 XML 文本文件，不是 Excel 工作簿。请用 Excel 或 WPS 打开后另存为 "
            f".xlsx 再导入。{_AFTER}"
        )
    if data.startswith(b"%PDF"):
        return f"“{name}”是 PDF 文件，不能导入数据。请向报送单位索取 Excel 文件。{_AFTER}"
    if b"\x00" not in data[:4096]:
        return (
            f"“{name}”是文本文件（可能是 CSV），不是 Excel 工作簿。请用 Excel 或 WPS 打开后"
            f"另存为 .xlsx 再导入。{_AFTER}"
        )
    return (
        f"“{name}”不是 Excel 工作簿（.xlsx/.xls）或 ODS 表格，无法识别其格式。"
        f"请确认选择的文件是否正确。{_AFTER}"
    )


# --- zip containers: .xlsx, .ods ------------------------------------------------------------


def _zip_book(
    path: Path, data: bytes, sha: str, ext: str, closed: Closed | None = None
) -> SafeBook:
    name = path.name
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in zf.infolist() if not _mac_junk(i.filename)]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as e:
        raise _damaged(name, "压缩包结构不完整") from e
    except (NotImplementedError, RuntimeError, UnicodeDecodeError) as e:
        raise _damaged(name, "压缩包目录无法识别") from e
    names = {i.filename for i in infos}
    if len(infos) > MAX_PARTS:
        raise UnsafeWorkbook(
            f"“{name}”内部有 {len(infos)} 个组成部分，远超正常报表，疑似恶意构造的"
            f"文件，已拒绝。{_AFTER}"
        )
    if any(i.flag_bits & 0x1 for i in infos):
        raise _encrypted(name)
    total = sum(i.file_size for i in infos)
    bomb = any(
        i.file_size > RATIO_FLOOR and i.file_size > MAX_RATIO * max(i.compress_size, 1)
        for i in infos
    )
    if total > MAX_UNCOMPRESSED:
        raise UnsafeWorkbook(
            f"“{name}”解压后将达到 {total / 1048576:.0f} MB，超过导入上限 "
            f"{MAX_UNCOMPRESSED // 1048576} MB。正常报表只有几十 KB 到几 MB；请确认文件来源。{_AFTER}"
        )
    if bomb:
        raise UnsafeWorkbook(
            f"“{name}”的压缩比异常（某个内部文件解压后超过压缩前的 {MAX_RATIO} 倍，疑似“压缩炸弹”），"
            f"已拒绝。正常报表不会这样；请确认文件来源，或让报送单位用 Excel/WPS 重新保存后发送。{_AFTER}"
        )
    fmt = _zip_kind(zf, names, name)
    if fmt == "xlsx" and ext not in (".xlsx", ".xlsm"):
        raise _wrong_extension(name, ext, "xlsx")
    if fmt == "ods" and ext != ".ods":
        raise _wrong_extension(name, ext, "ods")
    deferred, shut = _deferred(zf, names, name, closed) if fmt == "xlsx" and closed else ((), ())
    contents: dict[str, bytes] = {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as clean:
        for info in infos:
            if info.is_dir() or info.filename.startswith(_SKIP_PARTS):
                continue
            if info.filename in contents:
                raise _damaged(name, f"内部文件 {shown(info.filename)} 重复出现")
            content = _read_part(zf, info, name)
            if info.filename in shut:  # unpacked all the same: a broken download is refused
                contents[info.filename] = b""
                continue
            contents[info.filename] = content
            clean.writestr(info.filename, content)
    for part in shut:
        contents.pop(part, None)
    book = SafeBook(path, fmt, out.getvalue(), sha, len(data), deferred=deferred)
    try:
        if fmt == "xlsx":
            check_xlsx(book, contents)
        else:
            check_ods(book, contents)
    except ImportError_:
        if not deferred:
            raise
        return _zip_book(path, data, sha, ext)  # the whole file's own refusal, as without defer
    return book


def _deferred(
    zf: zipfile.ZipFile, names: set[str], name: str, closed: Closed
) -> tuple[tuple[str, ...], frozenset[str]]:
    """The sheets of ``closed`` left closed, and the parts only they use — in a workbook that
    lists its marker sheet; none otherwise.  A part another sheet also uses stays open.  The
    parser gets only the parts that were checked, so a mistake here can only make it miss a part
    (the caller then reads the whole file), never read one unchecked."""
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return (), frozenset()
    try:
        listed = sheet_targets(
            name,
            _read_part(zf, zf.getinfo("xl/workbook.xml"), name),
            _read_part(zf, zf.getinfo("xl/_rels/workbook.xml.rels"), name),
        )
    except ImportError_:
        return (), frozenset()  # the checks of every part report it
    if closed.marker not in {sheet for sheet, _ in listed}:
        return (), frozenset()
    used = {target.lower() for sheet, target in listed if sheet not in closed.sheets}
    shut = {target.lower() for sheet, target in listed if sheet in closed.sheets} - used
    parts = frozenset(n for n in names if n.lower() in shut)
    sheets = tuple(s for s, target in listed if s in closed.sheets and target.lower() in shut)
    return sheets, parts


def _mac_junk(filename: str) -> bool:
    """Resource forks and Finder files a Mac adds when it zips (re-zips) a workbook."""
    return filename.startswith("__MACOSX/") or filename.rsplit("/", 1)[-1] == ".DS_Store"


def _read_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    try:
        # zipfile stops at the declared size, which the checks above bounded, and checks the CRC.
        return zf.read(info)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as e:
        raise _damaged(name, f"内部文件 {shown(info.filename)} 的压缩数据已损坏，无法解压") from e
    except (NotImplementedError, RuntimeError) as e:
        raise _damaged(name, f"内部文件 {shown(info.filename)} 使用了不支持的压缩或加密方式") from e


def _zip_kind(zf: zipfile.ZipFile, names: set[str], name: str) -> str:
    if "mimetype" in names:
        mime = _read_part(zf, zf.getinfo("mimetype"), name)[:200].strip()
        if mime == _ODS_MIME:
            return "ods"
        if mime.startswith(b"application/vnd.oasis.opendocument.text"):
            raise NotAWorkbook(f"“{name}”是文字处理文档（.odt），不是表格。{_AFTER}")
        raise NotAWorkbook(
            f"“{name}”不是表格文件（其内部类型不是 OpenDocument 表格）。请确认选择的文件是否正确。"
            f"{_AFTER}"
        )
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise NotAWorkbook(
            f"“{name}”是 Excel 二进制工作簿（.xlsb），暂不支持。请用 Excel 打开后"
            f"另存为“Excel 工作簿（.xlsx）”再导入。{_AFTER}"
        )
    if "word/document.xml" in names:
        raise NotAWorkbook(
            f"“{name}”是 Word 文档，不是 Excel 工作簿。请选择 Excel 报表文件。{_AFTER}"
        )
    if "ppt/presentation.xml" in names:
        raise NotAWorkbook(f"“{name}”是 PowerPoint 演示文稿，不是 Excel 工作簿。{_AFTER}")
    if "[Content_Types].xml" in names:
        raise _damaged(name, "缺少工作簿主体 xl/workbook.xml")
    raise NotAWorkbook(
        f"“{name}”是一个压缩包（zip），不是 Excel 工作簿。如果报表在压缩包里，"
        f"请先解压再导入其中的 .xlsx 文件。{_AFTER}"
    )


# --- OLE compound files: .xls, encrypted workbooks ----------------------------------------------


def _ole_book(path: Path, data: bytes, sha: str, ext: str) -> SafeBook:
    from tianbao.excel.biff import BiffError, measure_xls

    name = path.name

    def has(stream: str) -> bool:
        return stream.encode("utf-16-le") in data

    if has("EncryptedPackage") or has("EncryptionInfo"):
        raise _encrypted(name)
    if has("WordDocument"):
        raise NotAWorkbook(f"“{name}”是 Word 97-2003 文档，不是 Excel 工作簿。{_AFTER}")
    if has("PowerPoint Document"):
        raise NotAWorkbook(f"“{name}”是 PowerPoint 演示文稿，不是 Excel 工作簿。{_AFTER}")
    if not (has("Workbook") or has("Book")):
        raise NotAWorkbook(f"“{name}”不是 Excel 工作簿（OLE 文件中没有工作簿数据）。{_AFTER}")
    if ext != ".xls":
        raise _wrong_extension(name, ext, "xls")
    if len(data) > MAX_XLS_BYTES:
        raise UnsafeWorkbook(
            f"“{name}”有 {len(data) / 1048576:.0f} MB，超过 .xls 导入上限 "
            f"{MAX_XLS_BYTES // 1048576} MB。请另存为 .xlsx 后再导入。{_AFTER}"
        )
    try:
        m = measure_xls(data)
    except BiffError as e:
        raise _damaged(name, str(e)) from None
    if m.encrypted:
        raise _encrypted(name)
    if m.cells > MAX_CELLS:
        raise _huge(name)
    return SafeBook(path, "xls", data, sha, len(data))
