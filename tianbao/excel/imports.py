"""Importing colleagues' Excel returns: a dry run per file, then one transaction per file.

:func:`preview_import` reads each file (one, several, or every .xlsx/.xls/.ods of a folder) and
says what importing it would do — new values, changed values (old → new), conflicts, the check
results of the return as it would be, an unknown unit, a wrong plan, year or plan version, a
file already imported — without changing anything.  :func:`apply_import` then applies one
file's plan, for all cells or only the accepted ones, in a single transaction: all or nothing.

Our own workbooks are recognised by their hidden sheet (``tianbao.excel.layout``), which also
holds every input as exported.  That makes the comparison three-way: a value the colleague
changed, where this database still holds the exported value, is a *change*; a cell that differs
here from both the file and the export is a *conflict* that needs a decision.  A workbook
without the hidden sheet (a colleague's own layout) is matched by its indicator code or name
column; the result is a proposed mapping that must be confirmed before it is applied.

The signature footer (单位负责人 … 报出日期, ``tianbao.excel.signoff``) is compared the same way,
field by field against the return's sign-off and the footer as exported; each differing field is
a change keyed (SIGNOFF_KEY, field) beside the cells.  It is not part of the fingerprint.

Files are checked (``tianbao.excel.safety``) and parsed in a sandboxed worker process with limits
(``tianbao.excel.read``, ``tianbao.excel.sandbox``): a hostile or broken file is a refused preview
with a Chinese message, and the next file of a folder goes on.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing, nullcontext
from pathlib import Path

from sqlalchemy import or_, select

from db import repo
from db.engine import Database
from db.models import PlanVersion, Unit
from db.plans import get_plan, latest_plans
from db.repo import InputError
from tianbao.domain.catalogue import Plan
from tianbao.domain.errors import KnownError
from tianbao.excel import sandbox
from tianbao.excel.apply import (
    accept_all_but_conflicts,
    apply_import,
    apply_imports,
    frozen_heap,
)
from tianbao.excel.compare import compare, unit_query
from tianbao.excel.layout import EXPLANATION, SIGNOFF_KEY
from tianbao.excel.match import Issue, MappedRow, hints, match_rows
from tianbao.excel.preview import (
    CONFLICT,
    CellChange,
    FilePreview,
    ImportResult,
    show,
)
from tianbao.excel.read import Formats, Sheet
from tianbao.excel.readfile import PlanSet, ReadFile, read_file, read_footer
from tianbao.excel.readvalues import read_content
from tianbao.excel.safety import (
    BookInfo,
    DamagedWorkbook,
    EmptyFile,
    EncryptedWorkbook,
    ImportError_,
    NotAWorkbook,
    UnsafeWorkbook,
    WrongExtension,
)
from tianbao.excel.summary import previews_total, summary_lines
from tianbao.services.duties import ReportedCodes

__all__ = [
    "CONFLICT",
    "EXPLANATION",
    "SIGNOFF_KEY",
    "SUFFIXES",
    "CellChange",
    "DamagedWorkbook",
    "EmptyFile",
    "EncryptedWorkbook",
    "FilePreview",
    "ImportError_",
    "ImportResult",
    "Issue",
    "MappedRow",
    "NotAWorkbook",
    "UnsafeWorkbook",
    "WrongExtension",
    "accept_all_but_conflicts",
    "apply_import",
    "apply_imports",
    "expand_paths",
    "preview_file",
    "import_files",
    "iter_previews",
    "preview_import",
    "previews_total",
    "read_file",
    "show",
    "summary_lines",
]

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


# --- the dry run ----------------------------------------------------------------------------


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and every workbook directly inside a folder (not Excel's ~$ lock files)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(
                f
                for f in p.iterdir()
                if f.is_file()
                and f.suffix.lower() in SUFFIXES
                and not f.name.startswith(("~$", "."))
            )
            if not found:
                raise InputError(f"文件夹“{p}”中没有 Excel 文件（.xlsx、.xls、.ods）。")
            out += found
        else:
            out.append(p)
    return out


def preview_import(
    db: Database,
    paths: Iterable[str | Path],
    *,
    unit: str | None = None,
    plan: str | None = None,
    year: int | None = None,
    reimport: bool = False,
    progress: Callable[[int, int, FilePreview], bool | None] | None = None,
) -> list[FilePreview]:
    """The dry run.  ``unit``/``plan``/``year`` identify files in a foreign layout (and must match
    a Tianbao workbook's own when given); ``reimport`` plans a file imported before as if new.

    ``progress(done, total, file_plan)`` is called after each file; returning False stops (the
    plans so far are returned) — a folder import's progress bar and its cancel button.

    Files are read ahead (checked and parsed in the sandbox's worker processes, see
    :data:`READ_AHEAD`) while this thread compares the files before them with the database;
    the previews come back in the order of the files.  :func:`iter_previews` gives them one
    by one (a folder applied as it is read keeps only the files in flight in memory)."""
    files = expand_paths(paths)
    out: list[FilePreview] = []
    previews = iter_previews(db, files, unit=unit, plan=plan, year=year, reimport=reimport)
    with closing(previews):  # stopped: the reads ahead are cancelled at once
        for fp in previews:
            out.append(fp)
            if progress is not None and progress(len(out), len(files), fp) is False:
                break
    return out


def iter_previews(
    db: Database,
    paths: Iterable[str | Path],
    *,
    unit: str | None = None,
    plan: str | None = None,
    year: int | None = None,
    reimport: bool = False,
    per_file: bool = False,
) -> Iterator[FilePreview]:
    """The dry run of :func:`preview_import`, one file at a time, in the order of the files.

    ``per_file``: each file is compared in a read transaction of its own, ended before it is
    yielded — for a caller that applies each file as it comes (:func:`import_files`), so that
    no read transaction stays open across the writes."""
    files = expand_paths(paths)
    if not files:
        return
    kw = dict(unit=unit, plan=plan, year=year, reimport=reimport)
    # One read transaction for the whole folder (not one per file), so the previews also
    # agree with each other; apply_import compares each preview's old values again.
    if per_file:
        with db.session() as s:
            known = latest_plans(s)
    folder = nullcontext(None) if per_file else db.session()
    with (
        frozen_heap(),
        folder as s,
        ThreadPoolExecutor(max_workers=sandbox.shared().size) as pool,
    ):
        # Our own workbooks are matched to their plan in the readers (tianbao.excel.readfile).
        plans = PlanSet(known if s is None else latest_plans(s))
        memo: dict = {}  # plan versions (immutable once stored) and their fingerprints
        ahead: deque = deque()
        queued = iter(files)
        try:
            for p in queued:
                ahead.append(pool.submit(read_file, p, plans))
                if len(ahead) >= READ_AHEAD:
                    break
            while ahead:
                read = ahead.popleft().result()
                nxt = next(queued, None)
                if nxt is not None:
                    ahead.append(pool.submit(read_file, nxt, plans))
                fp = preview_read(db, read, session=s, memo=memo, **kw)
                if read.meta is not None and read.content is None and fp.plan is not None:
                    plans.add(fp.plan)  # an older version: matched here, then there
                del read
                yield fp
                del fp
        finally:
            for f in ahead:
                f.cancel()


# Files read ahead of the one being compared: enough to keep every worker of the sandbox busy,
# few enough that memory does not grow with the folder.
READ_AHEAD = 4


def preview_file(
    db: Database,
    path: Path,
    *,
    unit: str | None = None,
    plan: str | None = None,
    year: int | None = None,
    reimport: bool = False,
    override: Mapping[tuple[str, int], str] | None = None,
) -> FilePreview:
    """The dry run of one file.  ``override``: the user's mapping of rows of a foreign sheet,
    (sheet, 0-based row) → indicator code ("" to leave the row out)."""
    return preview_read(
        db, read_file(path), unit=unit, plan=plan, year=year, reimport=reimport, override=override
    )


def preview_read(
    db: Database,
    read: ReadFile,
    *,
    unit: str | None = None,
    plan: str | None = None,
    year: int | None = None,
    reimport: bool = False,
    override: Mapping[tuple[str, int], str] | None = None,
    session=None,
    memo: dict | None = None,
) -> FilePreview:
    book = read.book
    if read.refused or book is None:
        return FilePreview(read.path, sha256=book.sha256 if book else "", refused=read.refused)
    if session is not None:
        return _preview_in(session, read, unit, plan, year, reimport, override, memo)
    with db.session() as s:
        return _preview_in(s, read, unit, plan, year, reimport, override, memo)


def _preview_in(s, read: ReadFile, unit, plan, year, reimport, override, memo=None) -> FilePreview:
    book, sheets, meta = read.book, list(read.sheets), read.meta
    done = repo.imported_file(s, book.sha256)
    if done is not None and not reimport:
        return FilePreview(
            book.path,
            book.sha256,
            format=book.format,
            already_imported=done.imported_at,
            issues=(
                Issue(
                    "info",
                    f"该文件已于 {done.imported_at:%Y-%m-%d %H:%M} 导入过"
                    f"（写入 {done.values_changed} 个数值），无需再次导入。",
                ),
            ),
        )
    if meta is not None:
        return _preview_ours(s, read, unit, plan, year, reimport, {} if memo is None else memo)
    return _preview_foreign(s, book, sheets, unit, plan, year, reimport, override)


def _preview_ours(
    s,
    read: ReadFile,
    unit: str | None,
    plan_id: str | None,
    year: int | None,
    reimport: bool,
    memo: dict,
) -> FilePreview:
    book, sheets, meta = read.book, list(read.sheets), read.meta
    issues: list[Issue] = []
    for given, actual, what in (
        (unit, meta.unit_code, "单位"),
        (plan_id, meta.plan_id, "计划"),
        (year, meta.year, "年份"),
    ):
        if given is not None and str(given) != str(actual):
            issues.append(Issue("block", f"文件是{what}“{actual}”的报表，不是所指定的“{given}”。"))
    try:
        key = (meta.plan_id, meta.plan_version)
        plan = memo.get(key) or memo.setdefault(key, get_plan(s, *key))
    except KeyError:
        try:
            latest = get_plan(s, meta.plan_id)
        except KeyError:
            return FilePreview(
                book.path,
                book.sha256,
                format=book.format,
                layout="tianbao",
                refused=f"“{book.name}”属于计划“{meta.plan_id}”，本程序中没有这个计划。"
                "请先导入该计划的计划工作簿（tianbao plans import），再导入本文件。",
            )
        return FilePreview(
            book.path,
            book.sha256,
            format=book.format,
            layout="tianbao",
            refused=f"“{book.name}”按计划“{latest.title}”第 {meta.plan_version} 版填报，"
            f"本数据库只有到第 {latest.version} 版。请先导入该版本的计划工作簿，"
            "或请对方用新版空白表重新填写。",
        )
    if meta.plan_fingerprint and meta.plan_fingerprint != (
        memo.get(("content", *key)) or memo.setdefault(("content", *key), _plan_content(s, plan))
    ):
        issues.append(
            Issue(
                "warn",
                f"文件中的计划“{plan.title}”第 {plan.version} 版与本数据库的同版本内容"
                "不一致（两边的计划目录被分别修改过）。请核对指标和目标。",
            )
        )
    content = read.content
    if content is None:  # not matched in the reader (a plan version it was not given)
        content = read_content(sheets, plan, meta.year, Formats(book), meta)
        read_footer(sheets, content, meta.signoff)
    if meta.unit_name:
        u = s.scalar(unit_query(meta.unit_code))
        if u is not None and u.name != meta.unit_name:
            issues.append(
                Issue(
                    "info",
                    f"文件中的单位名称“{meta.unit_name}”与本数据库中代码 "
                    f"{meta.unit_code} 的单位“{u.name}”不同，按单位代码导入。",
                )
            )
    return compare(
        s,
        book,
        plan,
        meta.unit_code,
        meta.unit_name,
        meta.year,
        content,
        meta,
        issues,
        reimport,
        layout="tianbao",
        reported=memo.get("reported") or memo.setdefault("reported", ReportedCodes()),
    )


def _preview_foreign(
    s,
    book: BookInfo,
    sheets: list[Sheet],
    unit: str | None,
    plan_id: str | None,
    year: int | None,
    reimport: bool,
    override: Mapping[tuple[str, int], str] | None = None,
) -> FilePreview:
    issues: list[Issue] = []
    unit_hint, year_hint = hints(sheets)
    if plan_id is not None:
        try:
            candidates = [get_plan(s, plan_id)]
        except KeyError as e:
            return FilePreview(
                book.path, book.sha256, format=book.format, layout="foreign", refused=e.args[0]
            )
    else:
        candidates = latest_plans(s)
    best, best_rows, best_n, ties = None, [], 0, []
    for p in candidates:
        rows, _headers = match_rows(sheets, p, year or year_hint)
        n = sum(1 for r in rows if r.indicator)
        if n > best_n:
            best, best_rows, best_n, ties = p, rows, n, [p]
        elif n == best_n and n:
            ties.append(p)
    if len(ties) > 1:
        issues.append(
            Issue(
                "block",
                f"文件中的指标与多个计划都能对应（{'、'.join(p.id for p in ties)}），"
                "请指定计划（命令行 --plan 计划编号）。",
            )
        )
    if best is None:
        return FilePreview(
            book.path,
            book.sha256,
            format=book.format,
            layout="foreign",
            refused=(
                f"“{book.name}”不是 Tianbao 导出的报表，也没有找到可以对应的指标：需要一行表头含“指标代码”或"
                "“指标名称”列和“本年值”（或“数值”、“2025年”等）列，且指标名称与某个计划一致。"
                "请改用程序导出的空白表填写，或调整表头后再导入。"
            ),
        )
    plan = best
    header_years = {
        h.year for h in match_rows(sheets, plan, year or year_hint)[1].values() if h.year
    }
    year = year or year_hint or (max(header_years) if len(header_years) == 1 else None)
    unit_code, unit_name = "", unit_hint or ""
    if unit is not None:
        u = s.scalar(unit_query(unit))
        unit_code, unit_name = (u.code, u.name) if u is not None else (unit, "")
    elif unit_hint:
        found = list(
            s.scalars(select(Unit).where(or_(Unit.name == unit_hint, Unit.code == unit_hint)))
        )
        if len(found) == 1:
            unit_code, unit_name = found[0].code, found[0].name
            issues.append(
                Issue(
                    "info", f"按表中“{unit_hint}”确定填报单位为 {unit_code} {unit_name}，请确认。"
                )
            )
    if not unit_code:
        issues.append(
            Issue(
                "block",
                f"无法确定填报单位{('（表中写的是“' + unit_hint + '”）') if unit_hint else ''}"
                "，请指定单位（命令行 --unit 单位代码）。",
            )
        )
    if year is None:
        issues.append(Issue("block", "无法确定报表年份，请指定年份（命令行 --year）。"))
    if override:
        best_rows = match_rows(sheets, plan, year, override)[0]
    matched = [r for r in best_rows if r.indicator]
    unmatched = [r for r in best_rows if not r.indicator]
    issues.append(
        Issue(
            "info",
            f"文件没有 Tianbao 识别表，按{'指标代码' if any(r.how == 'code' for r in matched) else '指标名称'}"
            f"对应到计划“{plan.title}”：{len(matched)} 行已对应，{len(unmatched)} 行未对应。"
            "请确认对应关系后再导入。",
        )
    )
    similar = [r for r in matched if r.how == "similar"]
    for r in similar:
        ind = plan.indicator(r.indicator)
        issues.append(
            Issue(
                "warn",
                f"{r.where}“{r.label}”按名称相近对应到 {ind.code} {ind.name}，请确认。",
                ind.code,
                r.cell,
                r.where,
            )
        )
    content = read_content(sheets, plan, year, Formats(book), None, override)
    read_footer(sheets, content, None)
    fp = compare(
        s,
        book,
        plan,
        unit_code,
        unit_name,
        year or 0,
        content,
        None,
        issues,
        reimport,
        layout="foreign",
    )
    return fp


def _plan_content(s, plan: Plan) -> str:
    """The content fingerprint of a stored plan version (kept in plan_version, not recomputed)."""
    return (
        s.scalar(
            select(PlanVersion.fingerprint).where(
                PlanVersion.plan_id == plan.id, PlanVersion.version == plan.version
            )
        )
        or ""
    )


def import_files(
    db: Database,
    paths: Iterable[str | Path],
    *,
    user: str = "",
    keep_existing: bool = False,
) -> Iterator[tuple[FilePreview, ImportResult | KnownError]]:
    """Preview and apply files one by one, as a folder is read: every change of each file
    that can be applied (conflicts too, or not with ``keep_existing``), each file all or
    nothing; a file that cannot be applied comes back with its refusal, and the files after
    it go on.  Only the files in flight are held, whatever the size of the folder."""

    def todo():
        for fp in iter_previews(db, paths, per_file=True):
            yield fp, accept_all_but_conflicts(fp) if keep_existing else None, False

    return apply_imports(db, todo(), user=user)
