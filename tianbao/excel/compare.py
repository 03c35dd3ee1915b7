"""Comparing what a file holds with what the database holds: for each cell new, changed or in
conflict (changed on both sides since the export), the sign-off fields, the checks the return would
get, and the part of a whole template the unit reports (填报分工).  Used by the import preview."""

from __future__ import annotations

from sqlalchemy import select

from db import repo
from db.models import Unit
from db.plans import get_plan
from tianbao.domain.catalogue import Indicator, Plan
from tianbao.domain.checks import Finding
from tianbao.domain.fingerprint import fingerprint
from tianbao.domain.values import TOTAL, Entry, cell_suffix
from tianbao.excel.layout import (
    EXPLANATION,
    SIGNOFF,
    SIGNOFF_KEY,
    BookMeta,
    signoff_text,
)
from tianbao.excel.match import Content, Issue
from tianbao.excel.preview import (
    CHANGED,
    CONFLICT,
    NEW,
    CellChange,
    FilePreview,
    Findings,
)
from tianbao.excel.safety import (
    BookInfo,
)
from tianbao.services.duties import reported_codes
from tianbao.services.returns import SignOff, build_row

_EMPTY = Entry()  # frozen: one for every cell the database or the export does not have


def unit_query(code: str):
    return select(Unit).where(Unit.code == code)


def compare(
    s,
    book: BookInfo,
    plan: Plan,
    unit_code: str,
    unit_name: str,
    year: int,
    content: Content,
    meta: BookMeta | None,
    issues: list[Issue],
    reimport: bool,
    layout: str,
    reported=reported_codes,
) -> FilePreview:
    """Classify every value of the file against the database and check the return as it would be.

    ``reported``: :func:`reported_codes`, or a :class:`ReportedCodes` shared by the files of one
    import call."""
    issues = issues + content.issues
    unit = s.scalar(unit_query(unit_code)) if unit_code else None
    if unit_code and unit is None:
        issues.append(
            Issue(
                "block",
                f"本数据库中没有代码为“{unit_code}”的单位"
                f"{'（' + unit_name + '）' if unit_name else ''}。请先添加该单位"
                "（单位管理，或 tianbao units add），再导入本文件。",
            )
        )
    if year and not plan.period[0] - 1 <= year <= plan.period[1] + 5:
        issues.append(
            Issue(
                "block",
                f"{year} 年不在计划“{plan.title}”的规划期"
                f"（{plan.period[0]}–{plan.period[1]}年）内。",
            )
        )
    # This year's return and the year before's (for the checks): one query.
    rets = (
        repo.returns_of_years(s, unit.id, plan.id, (year, year - 1))
        if unit is not None and year
        else {}
    )
    ret = rets.get(year)
    current = repo.entries(s, ret.id) if ret else {}
    expl_now = repo.explanations(s, ret.id) if ret else {}
    if ret is not None and ret.plan_version != plan.version:
        issues.append(_version_issue(s, plan, ret.plan_version, content))
    base = {(r.indicator, r.cell): r.exported for r in meta.inputs} if meta else None
    base_expl = (
        {r.indicator: r.exported_explanation for r in meta.inputs if not r.cell} if meta else None
    )

    inds = {i.code: i for i in plan.indicators}
    values, explanations = _own_part(s, unit, plan, content, issues, reported)
    changes: list[CellChange] = []
    unchanged = 0
    where = content.where
    for key, new in values.items():
        old = current.get(key, _EMPTY)
        was = None if base is None else base.get(key, _EMPTY)
        kind = _classify(old, new, was, _EMPTY)
        if kind == "same":
            unchanged += 1
            continue
        changes.append(
            CellChange(
                key[0],
                key[1],
                kind,
                None if old.empty else old,
                new,
                _label(inds[key[0]], key[1]),
                where.get(key, ""),
                untouched=kind == CONFLICT and new == was,
            )
        )
    for code, text in explanations.items():
        old_text = expl_now.get(code, "")
        was_text = None if base_expl is None else base_expl.get(code, "")
        kind = _classify(old_text, text, was_text, "")
        if kind == "same":
            continue
        ind = inds[code]
        changes.append(
            CellChange(
                code,
                EXPLANATION,
                kind,
                old_text or None,
                text,
                f"{ind.code} {ind.name}（说明）",
                content.where.get((code, TOTAL), ""),
                untouched=kind == CONFLICT and text == was_text,
            )
        )
    # The footer first: a few rows, easily lost at the end of a long list.
    changes[:0] = _signoff_changes(
        content, repo.signoff_of(ret) if ret else SignOff(), meta.signoff if meta else None
    )
    if ret is not None and ret.status != "draft" and changes:
        issues.append(
            Issue(
                "block",
                f"{unit_name or unit_code} {year} 年的报表已报送（锁定），"
                f"文件中有 {len(changes)} 处与之不同。如需导入，请先解锁该报表（需填写原因）。",
            )
        )
    merged = dict(current)
    merged_expl = dict(expl_now)
    for c in changes:
        if c.indicator == SIGNOFF_KEY:
            continue
        if c.cell == EXPLANATION:
            merged_expl[c.indicator] = c.new
        else:
            merged[c.key] = c.new
    findings = _findings(
        s,
        plan,
        unit,
        year,
        merged,
        merged_expl,
        {c.indicator for c in changes} - {SIGNOFF_KEY},
        rets.get(year - 1),
    )
    after = {k: e for k, e in merged.items() if not e.empty}
    in_file = {k: e for k, e in content.values.items() if not e.empty}
    fpr_file = fingerprint(plan.id, plan.version, unit_code, year, in_file)
    # The same entries (often: a new return imported whole) have the same fingerprint, computed once.
    same = len(after) == len(in_file) and all(in_file.get(k) is e for k, e in after.items())
    return FilePreview(
        path=book.path,
        sha256=book.sha256,
        format=book.format,
        layout=layout,
        kind=meta.kind if meta else "",
        unit_code=unit_code,
        unit_name=unit.name if unit is not None else unit_name,
        plan_id=plan.id,
        plan_version=plan.version,
        year=year,
        return_id=ret.id if ret else None,
        return_status=ret.status if ret else "",
        changes=tuple(changes),
        unchanged=unchanged,
        issues=tuple(issues),
        findings=findings,
        mapping=tuple(content.mapping),
        fingerprint=fpr_file,
        exported_fingerprint=meta.fingerprint if meta else "",
        fingerprint_after=fpr_file
        if same
        else fingerprint(plan.id, plan.version, unit_code, year, after),
        reimport=reimport,
        signoff=content.signoff,
        values=dict(content.values),
        plan=plan,
        file_status=meta.status if meta else "",
    )


def _own_part(s, unit, plan: Plan, content: Content, issues: list[Issue], reported_of):
    """填报分工: a unit's file brings only the indicators it reports; figures of the others (a
    colleague who filled an old, whole template) are left out and said so."""
    reported = reported_of(s, unit, plan) if unit is not None else None
    if reported is None:
        return content.values, content.explanations
    values = {k: e for k, e in content.values.items() if k[0] in reported}
    explanations = {c: t for c, t in content.explanations.items() if c in reported}
    foreign = sorted(
        {k[0] for k, e in content.values.items() if k[0] not in reported and not e.empty}
        | {c for c, t in content.explanations.items() if c not in reported and t}
    )
    if foreign:
        shown = "、".join(foreign[:15]) + ("……" if len(foreign) > 15 else "")
        issues.append(
            Issue(
                "warn",
                f"文件中有 {len(foreign)} 个指标不由{unit.name}填报（见上级的“填报分工”），"
                f"不导入：{shown}。",
            )
        )
    return values, explanations


def _signoff_changes(content: Content, now: SignOff, exported: SignOff | None) -> list[CellChange]:
    """The footer's fields that differ from the return's sign-off, classified like the cells
    (as exported: the hidden sheet's footer; None for a foreign file or one written before)."""
    if content.signoff is None:
        return []
    out = []
    for key, label in SIGNOFF:
        new, old = signoff_text(content.signoff, key), signoff_text(now, key)
        was = None if exported is None else signoff_text(exported, key)
        kind = _classify(old, new, was, "")
        if kind != "same":
            out.append(
                CellChange(
                    SIGNOFF_KEY,
                    key,
                    kind,
                    old or None,
                    new,
                    f"签署栏 {label}",
                    content.where.get((SIGNOFF_KEY, key), ""),
                    untouched=kind == CONFLICT and new == was,
                )
            )
    return out


def _classify(old, new, base, empty) -> str:
    """same | new | changed | conflict, from the database's value, the file's, and the file's
    value as exported (``base``; None for a foreign file, empty for a blank template).

    A value the database still holds as exported is safely replaced (changed).  When the file
    still holds the exported value but the database does not, it is a conflict, not an automatic
    "keep": the file may come from another database (the colleague's own program), whose export
    says nothing about this one.  An empty cell the file was sent with says nothing either.
    """
    if new == old:
        return "same"
    if new == empty and (base is None or base == empty):
        return "same"
    if old == empty:
        return NEW
    if base is not None and old == base:
        return CHANGED
    return CONFLICT


def _version_issue(s, plan: Plan, ret_version: int, content: Content) -> Issue:
    ret_plan = get_plan(s, plan.id, ret_version)
    codes = {code for code, _ in content.values}
    same = all(
        code in {i.code for i in ret_plan.indicators}
        and ret_plan.indicator(code).kind == plan.indicator(code).kind
        for code in codes
    )
    text = f"文件按计划第 {plan.version} 版填报，本单位该年报表按第 {ret_version} 版建立。"
    if same:
        return Issue("warn", text + "两版的相关指标一致，可以导入；请核对目标值。")
    return Issue(
        "block", text + "两版指标不一致，不能直接导入。请导出该报表对应版本的空白表让对方重新填写。"
    )


def _findings(
    s, plan: Plan, unit, year: int, merged: dict, merged_expl: dict, touched: set[str], prev
) -> Findings | tuple:
    """The checks of the touched indicators as they would be: what they need is read from the
    database now, the checks themselves run when the preview's findings are first read."""
    if unit is None or not year or not touched:
        return ()
    previous = repo.entries(s, prev.id) if prev else {}
    previous = {code: e for (code, c), e in previous.items() if c == TOTAL and code in touched}
    base = repo.baselines(s, unit.id, plan.id)
    by_indicator: dict[str, dict[str, Entry]] = {}
    for (code, c), e in merged.items():
        if code in touched:
            by_indicator.setdefault(code, {})[c] = e
    explanations = {code: t for code, t in merged_expl.items() if code in touched}

    def compute() -> list[tuple[str, str, Finding]]:
        out = []
        for ind in plan.indicators:
            if ind.code not in touched:
                continue
            row = build_row(
                ind,
                year,
                by_indicator.get(ind.code, {}),
                previous.get(ind.code),
                base.get(ind.code),
                explanations.get(ind.code, ""),
            )
            out += [(ind.code, cell, f) for cell, f in row.findings]
        return out

    return Findings(compute)


def _label(ind: Indicator, cell: str) -> str:
    return f"{ind.code} {ind.name}{cell_suffix(cell)}"
