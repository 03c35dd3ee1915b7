"""Opening a workbook someone sent us, safely, before any spreadsheet parser sees it.

Reading is done by python-calamine (Rust; ~20× faster than openpyxl's read-only mode on our
returns, and it also reads .xls and .ods).  Calamine allocates a dense grid from the first to
the last used cell of a sheet and aborts the whole process when that fails, so a 10 KB file
with a value in A1 and one in XFD1048576 would take the program down.  Everything that could
do that is checked here first, on bytes we control:

- the file's real type is sniffed from its content (an .xlsx renamed .xls, a web page saved as
  .xls, a Word document, a password-protected workbook — which is an OLE compound file holding
  an ``EncryptedPackage`` stream — are named as such);
- zip containers are checked on their central directory (number of parts, uncompressed sizes,
  compression ratio) before anything is decompressed, then every part is decompressed with the
  declared size as a hard limit and re-packed, uncompressed, into a fresh archive — so calamine
  only ever reads bytes whose size we know, whatever the original headers claimed;
- XML parts are refused if they declare a DTD or entities (``<!DOCTYPE``, ``<!ENTITY``), the
  way to billion-laughs and external-entity attacks; our own XML reading uses defusedxml;
- the used range of every sheet is measured (cell references of .xlsx sheets, repeated rows and
  columns of .ods tables) and refused beyond :data:`MAX_CELLS`.

Every refusal is an :class:`ImportError_` (a ``db.repo.InputError``) whose message says, in
Chinese, what is wrong and what to do.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from db.repo import InputError

MAX_FILE_BYTES = 50 * 1024 * 1024  # the file as sent
MAX_UNCOMPRESSED = 50 * 1024 * 1024  # all parts of a zip container together
MAX_RATIO = 100  # uncompressed ÷ compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_PARTS = 2000
MAX_CELLS = 1_000_000  # used range (rows × columns) of all sheets together
MAX_XLS_BYTES = 20 * 1024 * 1024  # an .xls is at most 65536 × 256 cells, but keep it modest

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# In a worksheet only <c> has an r="A1"-style attribute (<row r="1"> has digits only).
_REF_ROW = re.compile(rb' r="[A-Z]{1,3}([0-9]{1,7})"')
_REF_COL = re.compile(rb' r="([A-Z]{1,3})[0-9]')
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


@dataclass
class SafeBook:
    """A workbook that passed the checks: its real format and the bytes to give the parser."""

    path: Path
    format: str  # xlsx | xls | ods
    data: bytes  # for xlsx/ods a re-packed, uncompressed archive of the verified parts
    sha256: str
    size: int
    parts: dict[str, bytes] = field(default_factory=dict)  # verified XML parts (xlsx/ods)
    ods_percent: dict[str, set[tuple[int, int]]] = field(default_factory=dict)

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
        if isinstance(e, ImportError_):
            raise
        raise ImportError_(f"无法读取“{name}”：{e.strerror or e}。") from e
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


# --- zip containers: .xlsx, .ods ------------------------------------------------------------


def _zip_book(path: Path, data: bytes, sha: str, ext: str) -> SafeBook:
    name = path.name
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as e:
        raise _damaged(name, "压缩包结构不完整") from e
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
    if total > MAX_UNCOMPRESSED or bomb:
        raise UnsafeWorkbook(
            f"“{name}”解压后将达到 {total / 1048576:.0f} MB"
            f"{'，压缩比异常（疑似“压缩炸弹”）' if bomb else ''}，超过导入上限 "
            f"{MAX_UNCOMPRESSED // 1048576} MB。正常报表只有几十 KB 到几 MB；请确认文件来源。{_AFTER}"
        )
    fmt = _zip_kind(zf, names, name)
    if fmt == "xlsx" and ext not in (".xlsx", ".xlsm"):
        raise _wrong_extension(name, ext, "xlsx")
    if fmt == "ods" and ext != ".ods":
        raise _wrong_extension(name, ext, "ods")
    parts: dict[str, bytes] = {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as clean:
        for info in infos:
            if info.is_dir() or info.filename.startswith(_SKIP_PARTS):
                continue
            try:
                # zipfile stops at the declared size, which the checks above bounded.
                content = zf.read(info)
            except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
                raise _damaged(name, f"内部文件 {info.filename} 无法解压") from e
            except (NotImplementedError, RuntimeError) as e:
                raise _damaged(
                    name, f"内部文件 {info.filename} 使用了不支持的压缩或加密方式"
                ) from e
            if info.filename.endswith((".xml", ".rels")) or info.filename == "mimetype":
                _refuse_dtd(name, info.filename, content)
                parts[info.filename] = content
            clean.writestr(info.filename, content)
    book = SafeBook(path, fmt, out.getvalue(), sha, len(data), parts)
    if fmt == "xlsx":
        _check_xlsx_cells(book)
    else:
        book.ods_percent = _scan_ods(book)
    return book


def _zip_kind(zf: zipfile.ZipFile, names: set[str], name: str) -> str:
    if "mimetype" in names:
        try:
            mime = zf.read("mimetype")[:200].strip()
        except Exception as e:  # noqa: BLE001 - any failure here is a damaged file
            raise _damaged(name) from e
        if mime == _ODS_MIME:
            return "ods"
        if mime.startswith(b"application/vnd.oasis.opendocument.text"):
            raise NotAWorkbook(f"“{name}”是文字处理文档（.odt），不是表格。{_AFTER}")
        raise NotAWorkbook(
            f"“{name}”不是表格文件（类型 {mime.decode('ascii', 'replace')}）。{_AFTER}"
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


def _refuse_dtd(name: str, part: str, content: bytes) -> None:
    text = content
    if content[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in content[:4]:
        try:
            text = content.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as e:
            raise _damaged(name, f"内部文件 {part} 编码错误") from e
    if _DTD.search(text):
        raise UnsafeWorkbook(
            f"“{name}”的内部文件 {part} 含有文档类型定义（DOCTYPE/ENTITY）。正常的 Excel、WPS "
            f"文件不会有这种内容，它可被用来耗尽内存或读取本机文件，疑似恶意构造，已拒绝。"
            f"请让报送单位用 Excel 或 WPS 重新保存后发送。{_AFTER}"
        )


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _check_xlsx_cells(book: SafeBook) -> None:
    """Refuse sheets whose used range (what calamine would allocate) exceeds MAX_CELLS."""
    total = 0
    for part, xml in book.parts.items():
        if not part.startswith("xl/worksheets/") or not part.endswith(".xml"):
            continue
        rows = _REF_ROW.findall(xml)
        n_tags = xml.count(b"<c ") + xml.count(b"<c>")
        if not n_tags:  # a sheet written with a namespace prefix (<x:c r="A1">)
            n_tags = xml.count(b":c ") + xml.count(b":c>")
        if rows:
            row_numbers = list(map(int, rows))
            col_numbers = [_col_number(c) for c in set(_REF_COL.findall(xml))]
            area = (max(row_numbers) - min(row_numbers) + 1) * (
                max(col_numbers) - min(col_numbers) + 1
            )
        else:
            area = 0
        if n_tags > len(rows):  # cells without a reference: bound by rows × cells
            n_rows = xml.count(b"<row") + xml.count(b":row")
            area = max(area, n_rows * n_tags)
        total += area
        if total > MAX_CELLS:
            raise _huge(book.name)


def _huge(name: str) -> UnsafeWorkbook:
    return UnsafeWorkbook(
        f"“{name}”的工作表范围过大（超过 {MAX_CELLS:,} 个单元格），远超一份报表，读取会耗尽内存，"
        f"已拒绝。如确需导入，请删除多余的行列（或只复制报表区域到新工作簿）后另存再导入。{_AFTER}"
    )


_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"


def _scan_ods(book: SafeBook) -> dict[str, set[tuple[int, int]]]:
    """Measure every table of an .ods (repeated rows and columns expanded, but only where they
    hold values — trailing empty repeats are how LibreOffice pads a sheet) and note the
    positions of percentage-typed cells, which calamine returns as fractions."""
    from defusedxml.ElementTree import iterparse

    content = book.parts.get("content.xml")
    if content is None:
        raise _damaged(book.name, "缺少 content.xml")
    percent: dict[str, set[tuple[int, int]]] = {}
    total = 0
    table, row_i, col_i, row_rep = "", 0, 0, 1
    max_row = max_col = -1
    try:
        for event, el in iterparse(io.BytesIO(content), events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == f"{_T}table":
                    table, row_i, max_row, max_col = el.get(f"{_T}name", ""), 0, -1, -1
                elif tag == f"{_T}table-row":
                    col_i = 0
                    row_rep = int(el.get(f"{_T}number-rows-repeated", "1"))
                continue
            if tag in (f"{_T}table-cell", f"{_T}covered-table-cell"):
                rep = int(el.get(f"{_T}number-columns-repeated", "1"))
                vtype = el.get(f"{_O}value-type")
                if vtype is not None or len(el):
                    max_row = max(max_row, row_i + row_rep - 1)
                    max_col = max(max_col, col_i + rep - 1)
                    if vtype == "percentage" and rep * row_rep <= 1000:
                        cells = percent.setdefault(table, set())
                        cells.update(
                            (row_i + dr, col_i + dc) for dr in range(row_rep) for dc in range(rep)
                        )
                col_i += rep
                el.clear()
            elif tag == f"{_T}table-row":
                row_i += row_rep
                el.clear()
            elif tag == f"{_T}table":
                total += (max_row + 1) * (max_col + 1)
                if total > MAX_CELLS:
                    raise _huge(book.name)
                el.clear()
    except ImportError_:
        raise
    except Exception as e:  # noqa: BLE001 - defusedxml refusals and syntax errors alike
        if type(e).__module__.startswith("defusedxml"):
            raise UnsafeWorkbook(f"“{book.name}”含有不安全的 XML 内容，已拒绝。{_AFTER}") from e
        raise _damaged(book.name, "content.xml 无法解析") from e
    return percent


# --- OLE compound files: .xls, encrypted workbooks ----------------------------------------------


def _ole_book(path: Path, data: bytes, sha: str, ext: str) -> SafeBook:
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
    return SafeBook(path, "xls", data, sha, len(data))
