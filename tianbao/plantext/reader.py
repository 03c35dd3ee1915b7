"""Read a plan's text from a file or pasted text into numbered lines.

Supported: .txt (UTF-8, UTF-8 with BOM, GB18030), .docx (the document XML read with defusedxml),
.pdf (the text layer, via pypdf), a saved web page (.html/.htm, standard html.parser), or text
pasted by the user.  The result is a list of lines; line numbers are 1-based positions in it, so
for a .txt file they are the file's own line numbers.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from tianbao.domain.errors import KnownError

MAX_BYTES = 50 * 1024 * 1024  # no plan's text is anywhere near this


class PlanTextError(KnownError):
    """The plan's text could not be read (a user-fixable problem, Chinese and English message)."""


@dataclass(frozen=True)
class PlanText:
    lines: tuple[str, ...]
    source: str  # file name (or "粘贴的文本")
    fmt: str  # txt | docx | pdf | html | pasted

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _err(zh: str, en: str) -> PlanTextError:
    return PlanTextError(zh, en)


def read_plan_text(text: str, source: str = "粘贴的文本") -> PlanText:
    """Pasted text (or text already read)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return PlanText(tuple(text.split("\n")), source, "pasted")


def read_plan_file(path: str | Path) -> PlanText:
    path = Path(path)
    if not path.is_file():
        raise _err(f"找不到文件 {path}。请检查路径后重试。", f"File not found: {path}.")
    size = path.stat().st_size
    if size == 0:
        raise _err(f"文件 {path.name} 是空的。请选择规划正文文件。", f"{path.name} is empty.")
    if size > MAX_BYTES:
        raise _err(
            f"文件 {path.name} 太大（超过 50 MB），不像规划正文。", f"{path.name} is too large."
        )
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".docx" or (suffix not in (".txt", ".pdf", ".html", ".htm") and data[:2] == b"PK"):
        lines = _docx_lines(data, path.name)
        fmt = "docx"
    elif suffix == ".pdf" or data[:5] == b"%PDF-":
        lines = _pdf_lines(data, path.name)
        fmt = "pdf"
    elif suffix in (".html", ".htm", ".mhtml"):
        lines = _html_lines(_decode(data, path.name, html=True))
        fmt = "html"
    elif suffix == ".doc" or data[:8] == bytes.fromhex("d0cf11e0a1b11ae1"):
        raise _err(
            f"{path.name} 是旧版 Word（.doc）文件，本程序读不了。请在 Word 或 WPS 中另存为 .docx 或 .txt 后再试。",
            f"{path.name} is an old Word .doc file; save it as .docx or .txt first.",
        )
    else:
        text = _decode(data, path.name)
        if re.search(r"<(html|body|p|div)\b", text[:4000], re.I):
            lines = _html_lines(text)
            fmt = "html"
        else:
            lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").split("\n")
            fmt = "txt"
    if not any(re.search(r"[\u4e00-\u9fff]", ln) for ln in lines):
        raise _err(
            f"在 {path.name} 中没有读到中文文字。若是扫描件 PDF（只有图片），请先用 WPS/Word 做文字识别或复制正文后粘贴。",
            f"No Chinese text found in {path.name} (a scanned PDF has no text layer).",
        )
    return PlanText(tuple(lines), path.name, fmt)


def _decode(data: bytes, name: str, html: bool = False) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    if html:
        m = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", data[:4000])
        if m:
            enc = m.group(1).decode("ascii").lower()
            if enc in ("gb2312", "gbk"):
                enc = "gb18030"
            try:
                return data.decode(enc)
            except (LookupError, UnicodeDecodeError):
                pass
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise _err(
        f"{name} 的文字编码无法识别（既不是 UTF-8 也不是 GB18030）。请用记事本另存为 UTF-8 后再试。",
        f"Cannot decode {name} (neither UTF-8 nor GB18030).",
    )


# ---- .docx ------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_lines(data: bytes, name: str) -> list[str]:
    import io

    from defusedxml.ElementTree import fromstring

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            info = z.getinfo("word/document.xml")
            if info.file_size > 200 * 1024 * 1024:
                raise _err(f"{name} 的正文过大，无法读取。", f"{name}: document too large.")
            xml = z.read(info)
    except (zipfile.BadZipFile, KeyError, OSError) as e:
        raise _err(
            f"{name} 不是有效的 .docx 文件（{type(e).__name__}）。请在 Word 或 WPS 中重新另存为 .docx。",
            f"{name} is not a valid .docx file.",
        ) from e
    try:
        root = fromstring(xml)
    except Exception as e:
        raise _err(
            f"{name} 的正文 XML 无法读取：{e}", f"{name}: unreadable document XML: {e}"
        ) from e
    lines: list[str] = []

    def paragraph(p) -> None:
        parts: list[str] = []
        nested: list = []

        def walk(el) -> None:
            for child in el:
                if child.tag == f"{_W}p":
                    nested.append(child)  # a paragraph in a text box: a line of its own
                    continue
                if child.tag == f"{_W}t" and child.text:
                    parts.append(child.text)
                elif child.tag == f"{_W}tab":
                    parts.append("\t")
                elif child.tag in (f"{_W}br", f"{_W}cr"):
                    parts.append("\n")
                walk(child)

        walk(p)
        lines.extend("".join(parts).split("\n"))
        for q in nested:
            paragraph(q)

    def blocks(el) -> None:
        for child in el:
            if child.tag == f"{_W}p":
                paragraph(child)
            else:
                blocks(child)  # tables, cells, sections

    blocks(root)
    return lines


# ---- .pdf -------------------------------------------------------------------------------------


def _pdf_lines(data: bytes, name: str) -> list[str]:
    import io
    import logging

    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as e:  # pragma: no cover - pypdf is a runtime dependency
        raise _err("读取 PDF 需要 pypdf 组件，但未安装。", "pypdf is not installed.") from e
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                reader.decrypt("")
            except Exception as e:
                raise _err(f"{name} 已加密，无法读取文字。", f"{name} is encrypted.") from e
        lines: list[str] = []
        for page in reader.pages:
            text = page.extract_text() or ""
            lines.extend(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    except PlanTextError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise _err(
            f"{name} 不是可读的 PDF 文件（{type(e).__name__}）。请重新下载或另存为 .docx / .txt。",
            f"{name} is not a readable PDF.",
        ) from e
    return lines


# ---- .html ------------------------------------------------------------------------------------

_BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "table",
    "ul",
    "ol",
    "title",
    "td",
    "blockquote",
    "header",
    "footer",
}
_SKIP = {"script", "style", "noscript", "head"}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.title: list[str] = []
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
        if tag == "title":
            self.in_title = True
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIP and self.skip:
            self.skip -= 1
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        if not self.skip:
            self.parts.append(data.replace("\n", " ").replace("\xa0", " "))


def _html_lines(text: str) -> list[str]:
    p = _TextParser()
    p.feed(text)
    p.close()
    body = "".join(p.parts)
    lines = [ln.strip() for ln in body.split("\n")]
    out: list[str] = []
    for ln in lines:  # collapse runs of blank lines left by nested blocks
        if ln or (out and out[-1]):
            out.append(ln)
    return out
