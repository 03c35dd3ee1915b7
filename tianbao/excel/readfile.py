"""Reading one file someone sent us, before the database is consulted: checked, parsed and — for
our own workbooks — matched to its plan, all in a sandboxed reader process.

:func:`read_file` runs in the reader (``tianbao.excel.sandbox``) the checks and the parse of
``tianbao.excel.read``, reads the hidden sheet, and, when the caller gives the plans the file may
belong to (:class:`PlanSet`), finds the plan's rows, reads their values and the signature footer
there too (``tianbao.excel.match``, ``tianbao.excel.signoff``): the two reader processes share
that work instead of the one process that compares with the database, and only the file's
content comes back, not its sheets.  A file in a foreign layout, or of a plan version the caller
did not give, comes back as sheets and is matched by the caller as before — the same functions,
the same result.

The sheets a return carries only for people to read (``READ_ONLY_SHEETS``: 填报说明, 指标解释,
情况说明) are left closed when the file has the hidden sheet: unpacked, so a broken download is
still refused, but neither checked as XML nor parsed — close to half of a return's XML.  Nothing
is read from them (the values, explanations and footer are on the domain sheets; a test compares
both ways).  A file the reader does not match comes back with every sheet, read again whole.
"""

from __future__ import annotations

import pickle
import uuid
from dataclasses import dataclass
from pathlib import Path

from tianbao.domain.catalogue import Plan
from tianbao.domain.errors import KnownError
from tianbao.domain.values import SignOff
from tianbao.excel import sandbox
from tianbao.excel.layout import (
    META_SHEET,
    READ_ONLY_SHEETS,
    SIGNOFF_KEY,
    BookMeta,
    MetaError,
    parse_meta,
)
from tianbao.excel.match import Content
from tianbao.excel.read import Formats, Sheet, read_workbook
from tianbao.excel.readvalues import read_content
from tianbao.excel.safety import BookInfo, Closed
from tianbao.excel.signoff import read_signoff


@dataclass(frozen=True)
class ReadFile:
    """A workbook read from disk, before the database is consulted (or why it could not be).

    ``content`` is set when the reader matched the file to its plan (then ``sheets`` is empty)."""

    path: Path
    book: BookInfo | None = None
    sheets: tuple[Sheet, ...] = ()
    meta: BookMeta | None = None
    refused: str = ""
    content: Content | None = None


# In our own workbooks (the hidden sheet listed), the sheets only people read are left closed.
_CLOSED = Closed(META_SHEET, READ_ONLY_SHEETS)

# What the reader process runs on a file: check and parse (a test swaps in a reader that crashes).
READER = read_workbook


class PlanSet:
    """The plans a folder's files are matched to in the readers, sent once to each reader."""

    def __init__(self, plans: list[Plan]):
        self._plans: dict[tuple[str, int], Plan] = {}
        self._prefix = uuid.uuid4().hex
        self._blob: tuple[str, bytes] | None = None
        for p in plans:
            self.add(p)

    def add(self, plan: Plan) -> None:
        if self._plans.get((plan.id, plan.version)) is not plan:
            self._plans[(plan.id, plan.version)] = plan
            self._blob = None

    def __contains__(self, key: tuple[str, int]) -> bool:
        return key in self._plans

    @property
    def context(self) -> tuple[str, bytes]:
        if self._blob is None:
            key = f"{self._prefix}-{len(self._plans)}"
            self._blob = (key, pickle.dumps(self._plans, protocol=pickle.HIGHEST_PROTOCOL))
        return self._blob


def read_file(path: str | Path, plans: PlanSet | None = None) -> ReadFile:
    """Check, unzip and parse one file in the sandboxed reader process — and match it there if
    it is one of ours of a plan in ``plans``; no database access (can run on a worker thread).
    Any refusal is kept as its message."""
    path = Path(path)
    if plans is not None:
        ctx = plans.context
        try:
            return sandbox.run(_read_matched, path, ctx[0], READER, name=path.name, context=ctx)
        except KnownError as e:
            return ReadFile(path, refused=str(e))
    book = None
    try:
        book, sheets = sandbox.run(READER, path, name=path.name)
        meta = _meta(sheets)
    except MetaError as e:
        return ReadFile(path, book, refused=f"“{path.name}”：{e}未导入任何数据。")
    except KnownError as e:
        return ReadFile(path, book, refused=str(e))
    return ReadFile(path, book, tuple(sheets), meta)


def _meta(sheets: list[Sheet]) -> BookMeta | None:
    meta_sheet = next((s for s in sheets if s.name == META_SHEET), None)
    return parse_meta(meta_sheet.rows) if meta_sheet is not None else None


def _read_matched(path: Path, key: str, reader=read_workbook) -> ReadFile:
    """The reader's side of :func:`read_file` with plans (a refusal of the checks is raised,
    and comes back to the parent as the same error)."""
    book, sheets = reader(path, _CLOSED)
    try:
        meta = _meta(sheets)
    except MetaError as e:
        return ReadFile(path, book, refused=f"“{path.name}”：{e}未导入任何数据。")
    plans = sandbox.context(key) or {}
    plan = plans.get((meta.plan_id, meta.plan_version)) if meta is not None else None
    if plan is None:
        if book.deferred:  # matched by the caller, on every sheet
            book, sheets = reader(path)
        return ReadFile(path, book, tuple(sheets), meta)
    content = read_content(sheets, plan, meta.year, Formats(book), meta)
    read_footer(sheets, content, meta.signoff)
    return ReadFile(path, book, (), meta, content=content)


def read_footer(sheets: list[Sheet], content: Content, exported: SignOff | None) -> None:
    """The signature footer into ``content``; a row matched to an indicator is data, not the
    footer: not searched for its labels."""
    data: dict[str, set[int]] = {}
    for m in content.mapping:
        if m.indicator:
            data.setdefault(m.sheet, set()).add(m.row)
    content.signoff, where, issues = read_signoff(sheets, exported, skip=data)
    content.where.update({(SIGNOFF_KEY, key): w for key, w in where.items()})
    content.issues += issues
