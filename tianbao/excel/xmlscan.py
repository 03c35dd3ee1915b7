"""Reading the XML parts of a workbook someone sent us as calamine would, with a real XML parser.

Every XML part is parsed with expat, told that the bytes are UTF-8 (the one encoding calamine's
XML reader honours, whatever a declaration says).  A part that declares a DTD or entities is
refused in whatever encoding it is written; so is a part in, or declaring, any other encoding
(UTF-16 or UTF-32 with or without a byte-order mark, GBK …), which calamine would read as an
empty sheet.  While the sheets are parsed, their used range is computed the way calamine computes
it — cell references of any spelling, cells without references, sheet parts anywhere in the
archive — and the percent-formatted and formula cells are noted for the reader.
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass
from xml.parsers import expat

from tianbao.excel.untrusted import (
    _AFTER,
    MAX_CELLS,
    MAX_COL,
    MAX_ROW,
    MAX_STRINGS,
    ImportError_,
    SafeBook,
    UnsafeWorkbook,
    _bad_encoding,
    _damaged,
    _huge,
    _unsafe_dtd,
    pos_key,
    shown,
)

# --- XML: one real parser, one encoding --------------------------------------------------------


class _Refuse(Exception):
    """Raised from inside expat's callbacks; carries the refusal out of the parser."""

    def __init__(self, error: ImportError_):
        super().__init__()
        self.error = error


_UTF8 = ("utf-8", "utf8")


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
    text = content.replace(b"\x00", b"") if b"\x00" in content else content
    if b"<!" not in text:  # most parts: no copy in upper case
        return False
    text = text.upper()
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
    local = _LOCALS.get(tag)
    if local is None:
        local = tag.rpartition(":")[2].rpartition("}")[2]
        if len(_LOCALS) < 4096:  # a sheet has a few distinct tags; a hostile one cannot grow this
            _LOCALS[tag] = local
    return local


_LOCALS: dict[str, str] = {}


# --- .xlsx: which part holds which sheet ---------------------------------------------------------


def sheet_targets(name: str, workbook: bytes, rels: bytes) -> list[tuple[str, str]]:
    """(sheet name, part path) of every sheet xl/workbook.xml lists, its relationship's target
    resolved against xl/ (an archive may spell the path in another case)."""
    targets: dict[str, str] = {}
    sheets: list[tuple[str, str]] = []

    def rel(tag, attrs):
        if _local(tag) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    def sheet(tag, attrs):
        if _local(tag) == "sheet":
            rid = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            sheets.append((attrs.get("name", ""), rid))

    parse_xml(name, "xl/_rels/workbook.xml.rels", rels, rel)
    parse_xml(name, "xl/workbook.xml", workbook, sheet)
    out = []
    for sheet_name, rid in sheets:
        target = targets.get(rid, "")
        if target.startswith("/"):
            target = target.lstrip("/")
        else:
            target = posixpath.normpath(posixpath.join("xl", target))
        out.append((sheet_name, target))
    return out


# --- .xlsx: the sheets' used range, formats and formulas ------------------------------------------


def cell_ref(ref: str) -> tuple[int, int | None]:
    """(row, col) 0-based of a reference, read the way calamine reads it (letters of either case
    then digits, in u32 arithmetic); col None for a row number alone.  ValueError if calamine
    would refuse it too."""
    # A folder's returns repeat the same references (issue 19): short ones are cached, so a
    # hostile file's long ones cannot fill the worker's memory.
    return _cell_ref(ref) if len(ref) <= 16 else _cell_ref.__wrapped__(ref)


@functools.lru_cache(maxsize=65536)
def _cell_ref(ref: str) -> tuple[int, int | None]:
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


# --- the same measure at C speed, for sheets spelled the usual way -------------------------------
#
# Excel, WPS, LibreOffice and openpyxl write every cell as <c r="B7" s="3" t="n"> (the reference
# first, upper case, then at most a style and a type).  When every element named c (with any
# prefix) of a sheet is spelled that way, the used range, the percent-formatted cells and the
# formula cells follow from a few regular-expression searches, without a Python call per element;
# the part is still parsed by expat (well-formed, UTF-8, no DTD or entities).  Anything else —
# another spelling, a comment, a CDATA section, a processing instruction, a range beyond the
# limits, malformed XML — goes through the element-by-element scan above, which gives the same
# answer for the usual spelling and the exact refusal for the rest.

# What the scan needs of the tag names, without listing every one of them (issue 19): any
# comment, CDATA section, DTD or processing instruction ("<!", "<?"), the elements named c, row
# or f, and any of those with a prefix.  In well-formed XML every "<" outside comments, CDATA
# and processing instructions begins a tag, so these searches tell what a list of the names
# would; a file where they would not is malformed, and expat refuses it either way.
_MEASURED_TAG = re.compile(rb"<(c|row|f)(?=[\s/>]|\Z)")
_PREFIXED_MEASURED = re.compile(rb"<[^\s/>]*:(?:c|row|f)(?:[\s/>]|\Z)")
_LOCAL_MEASURED = re.compile(rb":(?:c|row|f)(?:[\s/>]|\Z)")  # the same end, anywhere: quick


def _other_pi(content: bytes) -> bool:
    """Whether a "<?" begins anything but the XML declaration at the very start."""
    declared = content.startswith(b"<?xml ")
    at = content.find(b"?")
    for _ in range(64):
        if at < 0:
            return False
        if at and content[at - 1] == 0x3C and not (at == 1 and declared):  # "<?"
            return True
        at = content.find(b"?", at + 1)
    pis = content.count(b"<?")  # many question marks: count the openings instead
    return bool(pis) and not (pis == 1 and declared)


def _unusual(content: bytes) -> bool:
    """A comment, CDATA section, DTD or processing instruction (but the XML declaration at the
    start), or a prefixed c, row or f element: the element-by-element scan decides."""
    # "!" and "?" are rare in a sheet: one-byte searches (memchr) first, the two-byte ones after.
    if b"!" in content and b"<!" in content:
        return True
    if _other_pi(content):
        return True
    return (
        _LOCAL_MEASURED.search(content) is not None
        and _PREFIXED_MEASURED.search(content) is not None
    )


_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="(0|[1-9][0-9]{0,8})")?'
    rb'(?: t="[a-zA-Z]{1,12}")?\s?/?>'
)
_ROW = re.compile(rb'<row r="[1-9][0-9]{0,6}"[\s/>]')
_ANY_SST = re.compile(rb"<(?:[^\s<>/!?]*:)?sst[\s/>]")
_CELL_END = re.compile(rb"</c\s*>")


@functools.lru_cache(maxsize=4096)
def _column(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col - 1


@dataclass
class _FastScan:
    area: int
    percent: set[int]
    formulas: set[int]


def _fast_scan(
    name: str, part: str, content: bytes, percent_styles: set[int], before: int
) -> _FastScan | None:
    """The used range, percent and formula cells of a usually spelled sheet; None otherwise."""
    if _unusual(content):
        return None
    measured = _MEASURED_TAG.findall(content)
    cells = _CELL.findall(content)
    if len(cells) != measured.count(b"c") or len(_ROW.findall(content)) != measured.count(b"row"):
        return None
    try:
        parse_xml(name, part, content)
    except ImportError_:
        return None  # the element-by-element scan refuses it, at the first fault in the part
    if not cells:
        return _FastScan(0, set(), set())
    letters, numbers, styles = zip(*cells, strict=True)
    max_col = max(_column(c) for c in set(letters))
    max_row = max(int(r) for r in set(numbers)) - 1
    area = (max_row + 1) * (max_col + 1)
    if max_row >= MAX_ROW or max_col >= MAX_COL or area + before > MAX_CELLS:
        return None
    percent: set[int] = set()
    if percent_styles:
        wanted = {str(i).encode() for i in percent_styles}
        percent = {pos_key(int(r) - 1, _column(c)) for c, r, st in cells if st and st in wanted}
    formulas: set[int] = set()
    if b"f" in measured:
        for f in re.finditer(rb"<f[\s/>]", content):
            start = content.rfind(b"<c ", 0, f.start())
            cell = _CELL.match(content, start) if start >= 0 else None
            if cell is None:
                return None
            if cell.group(0).endswith(b"/>") or _CELL_END.search(content, cell.end(), f.start()):
                continue  # a formula element outside any cell: not one for the reader
            formulas.add(pos_key(int(cell.group(2)) - 1, _column(cell.group(1))))
    return _FastScan(area, percent, formulas)


def _root(name: str, part: str, content: bytes) -> tuple[str, dict[str, str]]:
    """The local name and attributes of a part's root element ('' if it has none we can see
    cheaply)."""
    found: list[tuple[str, dict[str, str]]] = []

    def start(tag, attrs):
        found.append((_local(tag), attrs))
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
    return found[0] if found else ("", {})


class _Stop(Exception):
    pass


def check_xlsx(book: SafeBook, contents: dict[str, bytes]) -> None:
    name = book.name
    xml = {p: c for p, c in contents.items() if p.lower().endswith((".xml", ".rels"))}
    percent_styles = percent_styles_of(name, xml.get("xl/styles.xml", b""))
    total = 0
    for part, content in xml.items():
        root, attrs = _root(name, part, content) if b"\x00" not in content[:64] else ("", {})
        if root in ("worksheet", "dialogsheet", "macrosheet"):
            scan = _fast_scan(name, part, content, percent_styles, total)
            if scan is None:  # an unusual spelling somewhere: every element through expat
                scan = _SheetScan(name, part, percent_styles, total)
                parse_xml(name, part, content, scan.start, scan.end)
            total += scan.area
            if total > MAX_CELLS:
                raise _huge(name)
            if scan.percent:
                book.percent[part] = scan.percent
            if scan.formulas:
                book.formulas[part] = scan.formulas
        elif root == "sst" and len(_ANY_SST.findall(content)) == 1:
            try:
                _sst_counts(name)("sst", attrs)  # the one sst element is the root
            except _Refuse as r:
                raise r.error from None
            parse_xml(name, part, content)
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


def check_ods(book: SafeBook, contents: dict[str, bytes]) -> None:
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
