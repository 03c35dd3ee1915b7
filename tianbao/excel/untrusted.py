"""Limits, refusals and records of a workbook someone sent us: what the checks
(``tianbao.excel.safety``, ``tianbao.excel.xmlscan``, ``tianbao.excel.biff``) and the reader
(``tianbao.excel.read``) share.

Every refusal is an :class:`ImportError_` (an ``InputError``, a ``KnownError``) whose message says,
in Chinese, what is wrong and what to do, never the parser's own text; names taken from the file
appear only through :func:`shown`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from tianbao.domain.errors import InputError

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


class Closed(NamedTuple):
    """Sheets to leave closed in an .xlsx that lists a sheet named ``marker`` (the program's
    hidden sheet): see ``safety.open_safely``."""

    marker: str
    sheets: frozenset[str]


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
    deferred: tuple[str, ...] = ()  # sheets left closed (``open_safely``'s ``closed``)

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
    deferred: tuple[str, ...] = ()  # sheets left closed: not read, not in the sheets

    @property
    def name(self) -> str:
        return self.path.name


# --- messages --------------------------------------------------------------------------------


def shown(text: str, limit: int = 60) -> str:
    """A name taken from the file (a part's path, a declared encoding) as it may appear in a
    message: printable, and not too long."""
    t = "".join(ch if ch.isprintable() else "?" for ch in text)
    return t if len(t) <= limit else t[:limit] + "…"


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
