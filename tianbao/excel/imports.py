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

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import or_, select

from db import repo
from db.engine import Database
from db.models import PlanVersion, Unit
from db.plans import get_plan, latest_plans
from db.repo import InputError, Origin
from tianbao.domain.catalogue import Plan
from tianbao.domain.errors import KnownError, os_problem
from tianbao.domain.fingerprint import fingerprint
from tianbao.excel import sandbox
from tianbao.excel.compare import compare, unit_query
from tianbao.excel.layout import (
    EXPLANATION,
    META_SHEET,
    SIGNOFF_KEY,
    BookMeta,
    MetaError,
    parse_meta,
    signoff_text,
    signoff_value,
)
from tianbao.excel.match import Content, Issue, MappedRow, hints, match_rows, read_content
from tianbao.excel.preview import (
    CONFLICT,
    CellChange,
    FilePreview,
    ImportResult,
    show,
)
from tianbao.excel.read import Formats, Sheet, read_book
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
from tianbao.excel.signoff import read_signoff
from tianbao.excel.summary import previews_total, summary_lines
from tianbao.services.returns import SignOff

__all__ = [
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
    "apply_import",
    "expand_paths",
    "preview_file",
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
    the previews come back in the order of the files."""
    files = expand_paths(paths)
    out: list[FilePreview] = []
    if not files:
        return out
    kw = dict(unit=unit, plan=plan, year=year, reimport=reimport)
    # One read transaction for the whole folder (not one per file), so the previews also
    # agree with each other; apply_import compares each preview's old values again.
    with db.session() as s, ThreadPoolExecutor(max_workers=sandbox.shared().size) as pool:
        ahead: deque = deque()
        queued = iter(files)
        try:
            for p in queued:
                ahead.append(pool.submit(read_file, p))
                if len(ahead) >= READ_AHEAD:
                    break
            while ahead:
                read = ahead.popleft().result()
                nxt = next(queued, None)
                if nxt is not None:
                    ahead.append(pool.submit(read_file, nxt))
                out.append(preview_read(db, read, session=s, **kw))
                del read
                if progress is not None and progress(len(out), len(files), out[-1]) is False:
                    break
        finally:
            for f in ahead:
                f.cancel()
    return out


# Files read ahead of the one being compared: enough to keep every worker of the sandbox busy,
# few enough that memory does not grow with the folder.
READ_AHEAD = 4


@dataclass(frozen=True)
class ReadFile:
    """A workbook read from disk, before the database is consulted (or why it could not be)."""

    path: Path
    book: BookInfo | None = None
    sheets: tuple[Sheet, ...] = ()
    meta: BookMeta | None = None
    refused: str = ""


def read_file(path: str | Path) -> ReadFile:
    """Check, unzip and parse one file in the sandboxed reader process (``tianbao.excel.read``);
    no database access (can run on a worker thread).  Any refusal is kept as its message."""
    path = Path(path)
    book = None
    try:
        book, sheets = read_book(path)
        meta_sheet = next((s for s in sheets if s.name == META_SHEET), None)
        meta = parse_meta(meta_sheet.rows) if meta_sheet is not None else None
    except MetaError as e:
        return ReadFile(path, book, refused=f"“{path.name}”：{e}未导入任何数据。")
    except KnownError as e:
        return ReadFile(path, book, refused=str(e))
    return ReadFile(path, book, tuple(sheets), meta)


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
) -> FilePreview:
    book = read.book
    if read.refused or book is None:
        return FilePreview(read.path, sha256=book.sha256 if book else "", refused=read.refused)
    if session is not None:
        return _preview_in(session, read, unit, plan, year, reimport, override)
    with db.session() as s:
        return _preview_in(s, read, unit, plan, year, reimport, override)


def _preview_in(s, read: ReadFile, unit, plan, year, reimport, override) -> FilePreview:
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
        return _preview_ours(s, book, sheets, meta, unit, plan, year, reimport)
    return _preview_foreign(s, book, sheets, unit, plan, year, reimport, override)


def _preview_ours(
    s,
    book: BookInfo,
    sheets: list[Sheet],
    meta: BookMeta,
    unit: str | None,
    plan_id: str | None,
    year: int | None,
    reimport: bool,
) -> FilePreview:
    issues: list[Issue] = []
    for given, actual, what in (
        (unit, meta.unit_code, "单位"),
        (plan_id, meta.plan_id, "计划"),
        (year, meta.year, "年份"),
    ):
        if given is not None and str(given) != str(actual):
            issues.append(Issue("block", f"文件是{what}“{actual}”的报表，不是所指定的“{given}”。"))
    try:
        plan = get_plan(s, meta.plan_id, meta.plan_version)
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
    if meta.plan_fingerprint and meta.plan_fingerprint != _plan_content(s, plan):
        issues.append(
            Issue(
                "warn",
                f"文件中的计划“{plan.title}”第 {plan.version} 版与本数据库的同版本内容"
                "不一致（两边的计划目录被分别修改过）。请核对指标和目标。",
            )
        )
    content = read_content(sheets, plan, meta.year, Formats(book), meta)
    _read_footer(sheets, content, meta.signoff)
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
    _read_footer(sheets, content, None)
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


def _read_footer(sheets: list[Sheet], content: Content, exported: SignOff | None) -> None:
    # A row matched to an indicator is data, not the footer: not searched for its labels.
    data: dict[str, set[int]] = {}
    for m in content.mapping:
        if m.indicator:
            data.setdefault(m.sheet, set()).add(m.row)
    content.signoff, where, issues = read_signoff(sheets, exported, skip=data)
    content.where.update({(SIGNOFF_KEY, key): w for key, w in where.items()})
    content.issues += issues


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


# --- applying -------------------------------------------------------------------------------


def apply_import(
    db: Database,
    file_plan: FilePreview,
    accept: set[tuple[str, str]] | None = None,
    *,
    confirm_mapping: bool = False,
    user: str = "",
) -> ImportResult:
    """Apply one file's plan in one transaction: every change (``accept=None``) or those whose
    (indicator, cell) key is in ``accept`` (an explanation's key is (indicator, EXPLANATION)).

    Refused, and nothing changed, if the file cannot be imported, has changed since the dry run,
    or the database has changed under the plan (then plan again)."""
    fp = file_plan
    if fp.refused:
        raise ImportError_(fp.refused)
    if fp.already_imported is not None and not fp.reimport:
        return ImportResult(fp.name, fp.return_id, 0, 0, 0, "", nothing_to_do=True)
    if fp.blocking:
        raise ImportError_(
            f"“{fp.name}”不能导入：\n" + "\n".join(f"· {i.message}" for i in fp.blocking)
        )
    if fp.needs_confirmation and not confirm_mapping:
        raise ImportError_(
            f"“{fp.name}”不是 Tianbao 导出的报表，指标是按表头和名称对应的。"
            "请先核对对应关系并确认，再导入。"
        )
    try:
        sha = hashlib.sha256(fp.path.read_bytes()).hexdigest()
    except OSError as e:
        raise ImportError_(
            f"无法再次读取“{fp.name}”：{os_problem(e)}。请确认文件还在原处后重新预览。"
        ) from e
    if sha != fp.sha256:
        raise ImportError_(f"“{fp.name}”在预览之后被修改过。请重新预览后再导入。")
    chosen = [c for c in fp.changes if accept is None or c.key in accept]
    origin = Origin(source="imported", user=user, file=fp.name, sha256=fp.sha256)
    explained = 0
    with db.session() as s:
        done = repo.imported_file(s, sha)
        if done is not None and not fp.reimport:
            return ImportResult(fp.name, done.return_id, 0, 0, 0, "", nothing_to_do=True)
        unit = repo.unit_by_code(s, fp.unit_code)
        plan = get_plan(s, fp.plan_id, fp.plan_version)
        ret = repo.get_or_create_return(s, unit, plan.id, plan.version, fp.year)
        if chosen:
            # Lock the return before reading what the preview is compared with: a colleague's
            # save between this check and the write would otherwise be overwritten (issue 15).
            repo.lock_return(s, ret, draft_only=False)
        if ret.status != "draft" and chosen:
            raise ImportError_(f"{unit.name} {fp.year} 年的报表已报送（锁定），请先解锁后再导入。")
        current = repo.entries(s, ret.id)
        expl = repo.explanations(s, ret.id)
        signoff = repo.signoff_of(ret)
        for c in chosen:
            if c.indicator == SIGNOFF_KEY:
                now = signoff_text(signoff, c.cell)
            else:
                now = expl.get(c.indicator) if c.cell == EXPLANATION else current.get(c.key)
            if (now or None) != (c.old or None):
                raise ImportError_(
                    f"预览之后，{c.label}已被修改（现在是 {show(now)}）。"
                    f"为避免覆盖，未导入“{fp.name}”的任何数据；请重新预览。"
                )
        values = [
            (c.indicator, c.cell, c.new)
            for c in chosen
            if c.cell != EXPLANATION and c.indicator != SIGNOFF_KEY
        ]
        written = repo.set_entries(s, ret, values, origin)
        for c in chosen:
            if c.cell == EXPLANATION:
                explained += repo.set_explanation(s, ret, c.indicator, str(c.new), origin)
        signed = _set_signoff(s, ret, [c for c in chosen if c.indicator == SIGNOFF_KEY], origin)
        if done is None:
            repo.record_import(s, sha, fp.name, ret.id, written)
        else:
            done.imported_at, done.values_changed, done.return_id = datetime.now(), written, ret.id
        after = dict(current)
        after.update({(i, c): e for i, c, e in values})
        after = {k: e for k, e in after.items() if not e.empty}
        fpr = fingerprint(plan.id, plan.version, unit.code, fp.year, after)
        submitted = _keep_submitted(s, ret, fp, fpr, origin)
        return ImportResult(
            fp.name,
            ret.id,
            written,
            explained,
            len(fp.changes) - len(chosen),
            fpr,
            signed=signed,
            submitted=submitted,
        )


def _keep_submitted(s, ret, fp: FilePreview, after: str, origin: Origin) -> bool:
    """A return submitted by its unit and imported whole — the values here are exactly the
    file's — is submitted here too (已报送, with the file's 报出日期), not a draft."""
    if fp.file_status != "submitted" or ret.status != "draft" or after != fp.fingerprint:
        return False
    ret.status, ret.submitted_at = "submitted", datetime.now()
    repo.audit(s, ret.id, "submit", origin, old="draft", new="submitted", reason="导入已报送的报表")
    return True


def _set_signoff(s, ret, chosen: list[CellChange], origin: Origin) -> int:
    """Write the accepted footer fields to the return, audited as the sign-off dialog is."""
    if not chosen:
        return 0
    old = repo.signoff_of(ret)
    repo.set_signoff(
        s, ret, replace(old, **{c.cell: signoff_value(c.cell, str(c.new)) for c in chosen}), origin
    )
    return len(chosen)


def accept_all_but_conflicts(fp: FilePreview) -> set[tuple[str, str]]:
    return {c.key for c in fp.changes if c.kind != CONFLICT}
