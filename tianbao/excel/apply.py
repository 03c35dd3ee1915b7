"""Applying an import's dry run (``tianbao.excel.imports``): one file in one transaction, or many
in one transaction with a savepoint per file — all or nothing per file either way, every value
audited with the user and the file it came from."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime

from db import repo
from db.engine import Database
from db.failures import DatabaseError
from db.plans import get_plan
from db.repo import Origin
from tianbao.domain.errors import KnownError, os_problem
from tianbao.domain.fingerprint import fingerprint
from tianbao.excel.layout import EXPLANATION, SIGNOFF_KEY, signoff_text, signoff_value
from tianbao.excel.preview import CONFLICT, CellChange, FilePreview, ImportResult, show
from tianbao.excel.safety import ImportError_


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
    sha = _applicable(file_plan, confirm_mapping)
    if isinstance(sha, ImportResult):
        return sha
    with db.session() as s:
        return _apply_in(s, file_plan, sha, accept, user, {})


def apply_imports(
    db: Database,
    todo: Iterable[tuple[FilePreview, set[tuple[str, str]] | None, bool]],
    *,
    user: str = "",
    commit_every: int = 50,
) -> Iterator[tuple[FilePreview, ImportResult | KnownError]]:
    """Apply many files' plans, (preview, accept, confirm_mapping) each as for
    :func:`apply_import`, and yield each with its result or the refusal.

    Still all or nothing per file: each file is applied under a savepoint, and a file refused
    half-way rolls back to it, the others are kept.  The files share a transaction, committed
    every ``commit_every`` files and at the end (a folder of returns is written in a fraction
    of the time of a transaction per file); a file's result is yielded once it is committed.
    ``todo`` is consumed as it goes: a preview the caller no longer holds is freed once
    applied."""
    user = user or repo.current_user()  # once per call, not per file (the same name)
    with frozen_heap():
        yield from _apply_all(db, iter(todo), user, commit_every)


def _apply_all(db: Database, queue, user: str, commit_every: int):
    plans: dict = {}
    more = True
    while more:
        more = False
        results: list[tuple[FilePreview, ImportResult | KnownError]] = []
        with db.session() as s:
            for fp, accept, confirm_mapping in queue:
                try:
                    sha = _applicable(fp, confirm_mapping)
                    if isinstance(sha, ImportResult):
                        results.append((fp, sha))
                        continue
                    with s.begin_nested():
                        results.append((fp, _apply_in(s, fp, sha, accept, user, plans)))
                except KnownError as e:  # refused (rolled back to its savepoint), not failed
                    if isinstance(e, DatabaseError):
                        raise
                    results.append((fp, e))
                if len(results) >= commit_every:
                    more = True
                    break
        yield from results  # committed: only then told


@contextmanager
def frozen_heap():
    """The objects that exist before a folder is read or applied (the program, its plans, the
    database layer) left out of the garbage collector's full passes meanwhile: those passes
    traversed all of them again and again, a sixth of the importing process's time per file
    (issue 19).  Unfrozen at the end (or when the caller stops), so nothing is kept that would
    have been collected."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _applicable(fp: FilePreview, confirm_mapping: bool) -> str | ImportResult:
    """The file's SHA-256 if its plan may be applied, the result if there is nothing to do;
    raises ImportError_ for a file that cannot be imported as planned."""
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
    return sha


def _apply_in(
    s, fp: FilePreview, sha: str, accept: set[tuple[str, str]] | None, user: str, plans: dict
) -> ImportResult:
    """The writes of one file's plan in session ``s`` (raises ImportError_ to undo them)."""
    chosen = [c for c in fp.changes if accept is None or c.key in accept]
    origin = Origin(source="imported", user=user, file=fp.name, sha256=fp.sha256)
    explained = 0
    done = repo.imported_file(s, sha)
    if done is not None and not fp.reimport:
        return ImportResult(fp.name, done.return_id, 0, 0, 0, "", nothing_to_do=True)
    unit = repo.unit_by_code(s, fp.unit_code)
    plan = plans.get((fp.plan_id, fp.plan_version))
    if plan is None:
        plan = plans[(fp.plan_id, fp.plan_version)] = get_plan(s, fp.plan_id, fp.plan_version)
    ret, created = repo.get_or_create_return_created(
        s, unit, plan.id, plan.version, fp.year, likely_new=fp.return_id is None
    )
    if chosen:
        # Lock the return before reading what the preview is compared with: a colleague's
        # save between this check and the write would otherwise be overwritten (issue 15).
        repo.lock_return(s, ret, draft_only=False)
    if ret.status != "draft" and chosen:
        raise ImportError_(f"{unit.name} {fp.year} 年的报表已报送（锁定），请先解锁后再导入。")
    # A return this transaction created holds nothing yet: nothing to read.
    current = {} if created else repo.entries(s, ret.id)
    expl = {} if created else repo.explanations(s, ret.id)
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
    # Locked above (chosen is not empty when values is): one lock, one bump of the counter.
    written = repo.set_entries(s, ret, values, origin, locked=bool(chosen))
    for c in chosen:
        if c.cell == EXPLANATION:
            explained += repo.set_explanation(s, ret, c.indicator, str(c.new), origin)
    signed = _set_signoff(s, ret, [c for c in chosen if c.indicator == SIGNOFF_KEY], origin)
    if done is None:
        repo.record_import(s, sha, fp.name, ret.id, written)
    else:
        done.imported_at, done.values_changed, done.return_id = datetime.now(), written, ret.id
    if fp.return_id is None and not current and len(chosen) == len(fp.changes):
        # No return at the preview and none of its values now, every change applied: the
        # return is exactly what the preview computed the fingerprint of.
        fpr = fp.fingerprint_after
    else:
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
