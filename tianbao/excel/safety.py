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
- every XML part is read with a real XML parser (expat, told that the bytes are UTF-8 — the one
  encoding calamine's XML reader honours).  A part that declares a DTD or entities is refused,
  in whatever encoding it is written; so is a part in, or declaring, any encoding but UTF-8
  (UTF-16 or UTF-32 with or without a byte-order mark, GBK …), which calamine would read as an
  empty sheet;
- while the sheets are parsed, the used range is computed the way calamine computes it (cell
  references of any spelling, cells without references, sheet parts anywhere in the archive)
  and refused beyond :data:`MAX_CELLS`; counts that calamine reserves memory for
  (``uniqueCount`` of the shared strings) are bounded too;
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
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from tianbao.domain.errors import InputError, os_problem

MAX_FILE_BYTES = 50 * 1024 * 1024  # the file as sent
MAX_UNCOMPRESSED = 50 * 1024 * 1024  # all parts of a zip container together
MAX_RATIO = 100  # uncompressed ÷ compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_PARTS = 2000
# Used range (rows × columns) of all sheets together.  A return is a few thousand cells, a
# colleague's own sheet rarely more than tens of thousands; at this limit the largest accepted
# file costs about half a second and 70 MB in the reader (tests/benchmarks/bench_hostile.py).
MAX_CELLS = 250_000
MAX_STRINGS = 1_000_000  # shared strings a workbook may declare
MAX_XLS_BYTES = 20 * 1024 * 1024  # an .xls is at most 65536 × 256 cells, but keep it modest
MAX_ROW, MAX_COL = 1_048_576, 16_384  # Excel's own limits (1-based)

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
_AFTER = "未导入任何数据。"


class ImportError_(InputError):
    """A file that cannot be imported; the message says what is wrong and what to do."""


class EmptyFile(ImportError_):
    pass


class NotAWorkbook(ImportError_):
    pass


class WrongExtension(ImportError_):
    pass


class EncryptedWorkbook(ImportError_):
    pass


class DamagedWorkbook(ImportError_):
    pass


class UnsafeWorkbook(ImportError_):
    """Built to harm a reader: a zip bomb, a huge sheet, XML entities."""


def pos_key(row: int, col: int) -> int:
    """A cell position (0-based) as one int: sets of them are a third the size of tuples."""
    return (row << 20) | col


@dataclass
class SafeBook:
    """A workbook that passed the checks: its real format and the bytes to give the parser.

    Lives in the worker process; the parent gets :class:`BookInfo`."""

    path: Path
    format: str  # xlsx | xls | ods
    data: bytes  # for xlsx/ods a re-packed, uncompressed archive of the verified parts
    sha256: str
    size: int
    parts: dict[str, bytes] = field(default_factory=dict)  # verified XML parts (xlsx/ods)
    # by sheet part (xlsx) or table name (ods): positions (pos_key) of percent-formatted cells
    percent: dict[str, set[int]] = field(default_factory=dict)
    formulas: dict[str, set[int]] = field(default_factory=dict)  # xlsx: cells with a formula

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class BookInfo:
    """What the parent process learns about a checked workbook besides its cells."""

    path: Path
    format: str
    sha256: str
    size: int
    percent: dict[str, frozenset[int]] = field(default_factory=dict)  # by sheet name
    formulas: dict[str, frozenset[int]] = field(default_factory=dict)  # by sheet name

    @property
    def name(self) -> str:
        return self.path.name


def open_safely(path: str | Path) -> SafeBook:
    """Check ``path`` and return it ready for the parser, or raise an :class:`ImportError_`."""
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
        return _zip_book(path, data, sha, ext)
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


def _wrong_extension(name: str, ext: str, real: str) -> WrongExtension:
    what = {
        "xlsx": ".xlsx（Excel 工作簿）",
        "xls": ".xls（Excel 97-2003 工作簿）",
        "ods": ".ods（OpenDocument 表格）",
    }[real]
    return WrongExtension(
        f"“{name}”的扩展名是“{ext or '无'}”，但内容实际是 {what} 格式——文件可能被改过扩展名。"
        f"请把扩展名改为 .{real}（或用 Excel/WPS 打开后另存为 .xlsx）后再导入。{_AFTER}"
    )


def _encrypted(name: str) -> EncryptedWorkbook:
    return EncryptedWorkbook(
        f"“{name}”设置了打开密码（已加密），程序无法读取。请让报送单位取消密码后重新发送："
        f"在 Excel 中“文件 → 信息 → 保护工作簿 → 用密码进行加密”清空密码；WPS 中“文件 → "
        f"文档加密 → 密码加密”。{_AFTER}"
    )


def _damaged(name: str, detail: str = "") -> DamagedWorkbook:
    more = f"（{detail}）" if detail else ""
    return DamagedWorkbook(
        f"“{name}”已损坏或不完整{more}，可能在下载、复制或发送时中断。请让报送单位重新发送，"
        f"或先用 Excel/WPS 打开看能否修复并另存。{_AFTER}"
    )


def _huge(name: str) -> UnsafeWorkbook:
    return UnsafeWorkbook(
        f"“{name}”的工作表范围过大（超过 {MAX_CELLS:,} 个单元格），远超一份报表，读取会耗尽内存，"
        f"已拒绝。如确需导入，请删除多余的行列（或只复制报表区域到新工作簿）后另存再导入。{_AFTER}"
    )


# --- zip containers: .xlsx, .ods ------------------------------------------------------------


def _zip_book(path: Path, data: bytes, sha: str, ext: str) -> SafeBook:
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
    contents: dict[str, bytes] = {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as clean:
        for info in infos:
            if info.is_dir() or info.filename.startswith(_SKIP_PARTS):
                continue
            if info.filename in contents:
                raise _damaged(name, f"内部文件 {shown(info.filename)} 重复出现")
            content = _read_part(zf, info, name)
            contents[info.filename] = content
            clean.writestr(info.filename, content)
    book = SafeBook(path, fmt, out.getvalue(), sha, len(data))
    if fmt == "xlsx":
        _check_xlsx(book, contents)
    else:
        _check_ods(book, contents)
    return book


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


# --- XML: one real parser, one encoding --------------------------------------------------------


class _Refuse(Exception):
    """Raised from inside expat's callbacks; carries the refusal out of the parser."""

    def __init__(self, error: ImportError_):
        super().__init__()
        self.error = error


_UTF8 = ("utf-8", "utf8")


def shown(text: str, limit: int = 60) -> str:
    """A name taken from the file (a part's path, a declared encoding) as it may appear in a
    message: printable, and not too long."""
    t = "".join(ch if ch.isprintable() else "?" for ch in text)
    return t if len(t) <= limit else t[:limit] + "…"


def _unsafe_dtd(name: str, part: str) -> UnsafeWorkbook:
    return UnsafeWorkbook(
        f"“{name}”的内部文件 {shown(part)} 含有文档类型定义（DOCTYPE/ENTITY）。正常的 Excel、WPS "
        f"文件不会有这种内容，它可被用来耗尽内存或读取本机文件，疑似恶意构造，已拒绝。"
        f"请让报送单位用 Excel 或 WPS 重新保存后发送。{_AFTER}"
    )


def _bad_encoding(name: str, part: str, encoding: str) -> UnsafeWorkbook:
    return UnsafeWorkbook(
        f"“{name}”的内部文件 {shown(part)} 使用 {shown(encoding, 20)} 编码。Excel、WPS 和 LibreOffice 保存的文件"
        f"都是 UTF-8 编码；这种文件的内容无法可靠读取（可能整张表被读成空白），已拒绝。"
        f"请让报送单位用 Excel 或 WPS 打开后另存为 .xlsx 再发送。{_AFTER}"
    )


def _sniff_encoding(content: bytes) -> str | None:
    """A non-UTF-8 encoding told by the first bytes (byte-order mark or the pattern of '<?'),
    as XML 1.0 appendix F describes; None for UTF-8 and other ASCII-compatible bytes."""
    head = content[:4]
    if head in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\x00<", b"<\x00\x00\x00"):
        return "UTF-32"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head in (b"\x00<\x00?", b"<\x00?\x00"):
        return "UTF-16"
    if head == b"\x4c\x6f\xa7\x94":
        return "EBCDIC"
    if b"\x00" in content[:64]:
        return "UTF-16/UTF-32"
    return None


def _mentions_dtd(content: bytes) -> bool:
    """Whether the bytes hold '<!DOCTYPE' or '<!ENTITY' in any encoding of ASCII (zero bytes of
    UTF-16/32 removed).  Only used to choose the message: such a part is refused anyway."""
    text = content.replace(b"\x00", b"").upper()
    return b"<!DOCTYPE" in text or b"<!ENTITY" in text


def parse_xml(name: str, part: str, content: bytes, start=None, end=None) -> None:
    """Parse one XML part as calamine would read it, calling ``start(tag, attrs)`` and
    ``end(tag)`` (tags with their prefix, e.g. 'x:c'); refuse DTDs, entities, other encodings and
    malformed XML.  The callbacks may raise :class:`_Refuse`."""
    sniffed = _sniff_encoding(content)
    if sniffed is not None or _mentions_dtd(content):
        if _mentions_dtd(content):
            raise _unsafe_dtd(name, part)
        raise _bad_encoding(name, part, sniffed)
    parser = expat.ParserCreate(encoding="UTF-8")  # whatever the declaration says

    def decl(_version, encoding, _standalone):
        if encoding is not None and encoding.strip().lower() not in _UTF8:
            raise _Refuse(_bad_encoding(name, part, encoding))

    def dtd(*_a):
        raise _Refuse(_unsafe_dtd(name, part))

    parser.XmlDeclHandler = decl
    parser.StartDoctypeDeclHandler = dtd
    parser.EntityDeclHandler = dtd
    parser.UnparsedEntityDeclHandler = dtd
    parser.ExternalEntityRefHandler = dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    parser.buffer_text = True
    try:
        parser.Parse(content, True)
    except _Refuse as r:
        raise r.error from None
    except expat.ExpatError as e:
        raise _damaged(name, f"内部文件 {shown(part)} 的 XML 格式错误，第 {e.lineno} 行") from None
    except RecursionError:
        raise _damaged(name, f"内部文件 {shown(part)} 的 XML 嵌套过深") from None


def _local(tag: str) -> str:
    return tag.rpartition(":")[2].rpartition("}")[2]


# --- .xlsx: the sheets' used range, formats and formulas ------------------------------------------


def cell_ref(ref: str) -> tuple[int, int | None]:
    """(row, col) 0-based of a reference, read the way calamine reads it (letters of either case
    then digits, in u32 arithmetic); col None for a row number alone.  ValueError if calamine
    would refuse it too."""
    col = row = 0
    i, n = 0, len(ref)
    while i < n:
        ch = ref[i]
        if "A" <= ch <= "Z":
            col = (col * 26 + ord(ch) - 64) & 0xFFFFFFFF
        elif "a" <= ch <= "z":
            col = (col * 26 + ord(ch) - 96) & 0xFFFFFFFF
        elif "0" <= ch <= "9":
            break
        else:
            raise ValueError(ref)
        i += 1
    if i == n:
        raise ValueError(ref)
    while i < n:
        ch = ref[i]
        if not "0" <= ch <= "9":
            raise ValueError(ref)
        row = (row * 10 + ord(ch) - 48) & 0xFFFFFFFF
        i += 1
    if row == 0:
        raise ValueError(ref)
    return row - 1, (col - 1 if col else None)


class _SheetScan:
    """One pass over a worksheet's XML: the used range as calamine computes it (a cell without a
    reference is the one after the previous cell; a row without one the one after the previous
    row), the percent-formatted cells and the cells holding a formula."""

    def __init__(self, name: str, part: str, percent_styles: set[int], before: int = 0):
        self.name, self.part, self.percent_styles = name, part, percent_styles
        self.before = before  # cells of the sheets measured before this one
        self.row = self.col = 0
        self.max_row = self.max_col = -1
        self.cells = 0
        self.in_cell: int | None = None
        self.percent: set[int] = set()
        self.formulas: set[int] = set()

    def _bad(self, what: str) -> _Refuse:
        return _Refuse(_damaged(self.name, f"工作表 {shown(self.part)} 中{what}"))

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = _local(tag)
        if local == "c":
            ref = attrs.get("r")
            if ref is not None:
                try:
                    row, col = cell_ref(ref)
                except ValueError:
                    raise self._bad(f"单元格位置“{shown(ref, 20)}”无法识别") from None
                if col is None:
                    raise self._bad(f"单元格位置“{shown(ref, 20)}”缺少列号")
            else:
                row, col = self.row, self.col
            if row >= MAX_ROW or col >= MAX_COL:
                raise self._bad("有单元格超出 Excel 的最大行列范围")
            self.col = col + 1
            self.max_row = max(self.max_row, row)
            self.max_col = max(self.max_col, col)
            self.cells += 1
            key = pos_key(row, col)
            self.in_cell = key
            style = attrs.get("s")
            if style is not None and self.percent_styles:
                try:
                    if int(style) in self.percent_styles:
                        self.percent.add(key)
                except ValueError:
                    raise self._bad(f"单元格格式编号“{shown(style, 20)}”不是数字") from None
        elif local == "row":
            ref = attrs.get("r")
            if ref is not None:
                try:
                    self.row = cell_ref(ref)[0]
                except ValueError:
                    raise self._bad(f"行号“{shown(ref, 20)}”无法识别") from None
        elif local == "f" and self.in_cell is not None:
            self.formulas.add(self.in_cell)

    def end(self, tag: str) -> None:
        local = _local(tag)
        if local == "row":
            self.row += 1
            self.col = 0
            if self.area + self.before > MAX_CELLS:  # stop at once, not at the end of the sheet
                raise _Refuse(_huge(self.name))
        elif local == "c":
            self.in_cell = None

    @property
    def area(self) -> int:
        return (self.max_row + 1) * (self.max_col + 1)


def _root(name: str, part: str, content: bytes) -> str:
    """The local name of a part's root element ('' if it has none we can see cheaply)."""
    found: list[str] = []

    def start(tag, _attrs):
        found.append(_local(tag))
        raise _Stop

    def stop(*_a):
        raise _Stop

    parser = expat.ParserCreate(encoding="UTF-8")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = stop
    try:
        parser.Parse(content[:65536], False)
    except _Stop:
        pass
    except expat.ExpatError:
        pass  # the full parse reports it
    return found[0] if found else ""


class _Stop(Exception):
    pass


def _check_xlsx(book: SafeBook, contents: dict[str, bytes]) -> None:
    name = book.name
    xml = {p: c for p, c in contents.items() if p.lower().endswith((".xml", ".rels"))}
    percent_styles = percent_styles_of(name, xml.get("xl/styles.xml", b""))
    total = 0
    for part, content in xml.items():
        root = _root(name, part, content) if b"\x00" not in content[:64] else ""
        if root in ("worksheet", "dialogsheet", "macrosheet"):
            scan = _SheetScan(name, part, percent_styles, total)
            parse_xml(name, part, content, scan.start, scan.end)
            total += scan.area
            if total > MAX_CELLS:
                raise _huge(name)
            if scan.percent:
                book.percent[part] = scan.percent
            if scan.formulas:
                book.formulas[part] = scan.formulas
        elif root == "sst":
            parse_xml(name, part, content, _sst_counts(name))
        else:
            parse_xml(name, part, content)
        book.parts[part] = content if part in _KEPT_PARTS else b""
    book.parts = {p: c for p, c in book.parts.items() if c}


_KEPT_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def _sst_counts(name: str):
    def start(tag, attrs):
        if _local(tag) == "sst":
            for key in ("uniqueCount", "count"):
                v = attrs.get(key, "")
                if v.isdigit() and int(v) > MAX_STRINGS:
                    raise _Refuse(
                        UnsafeWorkbook(
                            f"“{name}”声明有 {int(v):,} 个文本单元格，远超一份报表（上限 "
                            f"{MAX_STRINGS:,}），读取会耗尽内存，已拒绝。请只复制报表区域到新工作簿"
                            f"后另存再导入。{_AFTER}"
                        )
                    )

    return start


_BUILTIN_PERCENT = {9, 10}


def percent_styles_of(name: str, styles: bytes) -> set[int]:
    """Indexes of cell formats (cellXfs) whose number format shows a percentage."""
    if not styles:
        return set()
    fmts = set(_BUILTIN_PERCENT)
    xfs: list[int] = []
    stack: list[str] = []

    def number(v: str, what: str) -> int:
        try:
            return int(v)
        except ValueError:
            raise _Refuse(
                _damaged(name, f"样式文件 styles.xml 中的{what}“{shown(v, 20)}”不是数字")
            ) from None

    def start(tag, attrs):
        local = _local(tag)
        parent = stack[-1] if stack else ""
        stack.append(local)
        if local == "numFmt" and parent == "numFmts":
            if "%" in _strip_literals(attrs.get("formatCode", "")):
                fmts.add(number(attrs.get("numFmtId", "-1"), "数字格式编号 numFmtId"))
        elif local == "xf" and parent == "cellXfs":
            xfs.append(number(attrs.get("numFmtId", "0"), "数字格式编号 numFmtId"))

    def end(_tag):
        stack.pop()

    parse_xml(name, "xl/styles.xml", styles, start, end)
    return {i for i, f in enumerate(xfs) if f in fmts}


def _strip_literals(code: str) -> str:
    """A number format without its quoted text and escaped characters ("%" in "0.0\\%" is text)."""
    out, i, n = [], 0, len(code)
    while i < n:
        ch = code[i]
        if ch == '"':
            j = code.find('"', i + 1)
            i = n if j < 0 else j + 1
            continue
        if ch == "\\":
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


# --- .ods ----------------------------------------------------------------------------------------

_T = "table:"
_O = "office:"


def _check_ods(book: SafeBook, contents: dict[str, bytes]) -> None:
    """Parse every XML part; measure every table of content.xml (repeated rows and columns
    expanded, but only where they hold values — trailing empty repeats are how LibreOffice pads a
    sheet) and note the percentage-typed cells, which calamine returns as fractions."""
    name = book.name
    content = contents.get("content.xml")
    if content is None:
        raise _damaged(name, "缺少 content.xml")
    for part, data in contents.items():
        if part.lower().endswith((".xml", ".rdf")) and part != "content.xml":
            parse_xml(name, part, data)
    state = {"table": "", "row": 0, "col": 0, "rep": 1, "max_row": -1, "max_col": -1, "total": 0}
    depth: list[str] = []

    def count(v: str | None, what: str) -> int:
        if v is None:
            return 1
        try:
            n = int(v)
        except ValueError:
            raise _Refuse(
                _damaged(name, f"content.xml 中的{what}“{shown(v, 20)}”不是数字")
            ) from None
        if n < 1:
            raise _Refuse(_damaged(name, f"content.xml 中的{what}“{shown(v, 20)}”无效"))
        return n

    def start(tag, attrs):
        depth.append(tag)
        if tag == f"{_T}table":
            state.update(table=attrs.get(f"{_T}name", ""), row=0, max_row=-1, max_col=-1)
        elif tag == f"{_T}table-row":
            state["col"] = 0
            state["rep"] = count(attrs.get(f"{_T}number-rows-repeated"), "重复行数")
        elif tag in (f"{_T}table-cell", f"{_T}covered-table-cell"):
            rep = count(attrs.get(f"{_T}number-columns-repeated"), "重复列数")
            state["cell_rep"] = rep
            state["cell_type"] = attrs.get(f"{_O}value-type")
            state["cell_children"] = False
        elif len(depth) >= 2 and depth[-2] in (f"{_T}table-cell", f"{_T}covered-table-cell"):
            state["cell_children"] = True

    def end(tag):
        depth.pop()
        if tag in (f"{_T}table-cell", f"{_T}covered-table-cell"):
            rep, row_rep = state["cell_rep"], state["rep"]
            row_i, col_i = state["row"], state["col"]
            vtype = state["cell_type"]
            if vtype is not None or state["cell_children"]:
                state["max_row"] = max(state["max_row"], row_i + row_rep - 1)
                state["max_col"] = max(state["max_col"], col_i + rep - 1)
                if (state["max_row"] + 1) * (state["max_col"] + 1) + state["total"] > MAX_CELLS:
                    raise _Refuse(_huge(name))
                if vtype == "percentage" and rep * row_rep <= 1000:
                    cells = book.percent.setdefault(state["table"], set())
                    cells.update(
                        pos_key(row_i + dr, col_i + dc)
                        for dr in range(row_rep)
                        for dc in range(rep)
                    )
            state["col"] = col_i + rep
        elif tag == f"{_T}table-row":
            state["row"] += state["rep"]
        elif tag == f"{_T}table":
            state["total"] += (state["max_row"] + 1) * (state["max_col"] + 1)
            if state["total"] > MAX_CELLS:
                raise _Refuse(_huge(name))

    parse_xml(name, "content.xml", content, start, end)


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
