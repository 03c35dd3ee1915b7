"""The Excel subcommands of ``tianbao``: export, template, compile, import.

``import`` always previews first (the dry run of every file), then — with ``--yes``, or after a
"y" at the prompt — applies every file that can be applied, in one transaction with a savepoint
per file (each file all or nothing; a file refused on the way is reported and the others go on).  A file with
conflicting cells is skipped unless ``--overwrite`` (take the file's values) or
``--keep-existing`` (keep this database's values, import the rest) says what to do with them.
"""

from __future__ import annotations

import sys

from db.engine import Database
from tianbao.domain.errors import KnownError
from tianbao.excel.imports import (
    FilePreview,
    ImportResult,
    accept_all_but_conflicts,
    apply_imports,
    preview_import,
    previews_total,
    summary_lines,
)

EXIT_INPUT = 2


def run(db: Database, args) -> int:
    if args.cmd == "import":
        return _import(db, args)
    from tianbao.excel.compiled import export_compiled
    from tianbao.excel.export import export_return, export_template

    if args.cmd == "export":
        from tianbao.services.returns import ReturnService

        info = ReturnService(db).open(args.unit, args.plan, args.year)
        result = export_return(db, info.id, args.file)
        what = "报表"
    elif args.cmd == "template":
        result = export_template(db, args.unit, args.plan, args.year, args.file)
        what = "空白报表"
    else:
        result = export_compiled(db, args.unit, args.plan, args.year, args.file)
        what = "综合汇总表"
    print(
        f"已导出{what}：{result.path}（{len(result.sheets) - 1} 张工作表，{result.inputs} 个填报格，"
        f"校验码 {result.fingerprint}）"
    )
    return 0


def _import(db: Database, args) -> int:
    plans = preview_import(
        db, args.paths, unit=args.unit, plan=args.plan, year=args.year, reimport=args.again
    )
    for p in plans:
        print("\n".join(summary_lines(p)))
        if p.needs_confirmation and not p.refused:
            print("\n".join(_mapping_lines(p)))
        print()
    print(previews_total(plans))
    todo = [p for p in plans if p.can_apply]
    refused = sum(1 for p in plans if p.refused or (p.blocking and not p.nothing_to_do))
    if args.dry_run:
        print("（预览，未导入任何数据。去掉 --dry-run 执行导入。）")
        return EXIT_INPUT if refused else 0  # a refused file is a known problem, as on import
    if not todo:
        return 0 if all(p.nothing_to_do for p in plans) else EXIT_INPUT
    if not args.yes:
        if not sys.stdin.isatty():
            print("（预览，未导入任何数据。确认无误后加 --yes 执行导入。）")
            return 0
        answer = input(f"导入以上 {len(todo)} 个文件？[y/N] ").strip().lower()
        if answer not in ("y", "yes", "是"):
            print("已取消，未导入任何数据。")
            return 0
    failed = 0
    for p, r in _apply_all(db, todo, args):
        failed += not _report(p, r)
    return EXIT_INPUT if failed or refused else 0


def _apply_all(db: Database, todo: list[FilePreview], args):
    """Each file of ``todo`` in order with its result: None for a file skipped for its
    conflicts, else what apply_imports gave (one transaction, a savepoint per file)."""

    def skipped(p: FilePreview) -> bool:
        return bool(p.conflicts) and not (args.overwrite or args.keep_existing)

    keep = args.keep_existing and not args.overwrite
    applied = apply_imports(
        db,
        ((p, accept_all_but_conflicts(p) if keep else None, True) for p in todo if not skipped(p)),
        user=args.user,
    )
    for p in todo:
        if skipped(p):
            yield p, None
            continue
        done, r = next(applied)
        assert done is p
        yield p, r


def _report(p: FilePreview, r: ImportResult | KnownError | None) -> bool:
    if r is None:
        print(
            f"跳过 {p.name}：有 {len(p.conflicts)} 处冲突。加 --overwrite 用文件中的值覆盖，"
            "或 --keep-existing 保留本库的值、导入其余数值。"
        )
        return False
    if isinstance(r, KnownError):
        print(f"未导入 {p.name}：{r}")
        return False
    kept = f"，保留本库值 {r.skipped} 处" if r.skipped else ""
    print(
        f"已导入 {p.name}：{p.unit_code} {p.unit_name} {p.year}年，写入 {r.written} 个数值"
        f"{f'、{r.explanations} 条说明' if r.explanations else ''}"
        f"{f'、签署栏 {r.signed} 项' if r.signed else ''}{kept}；校验码 {r.fingerprint}"
    )
    return True


def _mapping_lines(p: FilePreview, limit: int = 200) -> list[str]:
    lines = ["  对应关系（文件中的行 → 指标）："]
    how = {"code": "按代码", "name": "按名称", "similar": "名称相近", "group": "分组行", "": ""}
    for m in p.mapping[:limit]:
        target = (
            f"{m.indicator}{'（' + m.cell + '）' if m.cell else ''}"
            if m.indicator
            else "（未对应）"
        )
        lines.append(f"    {m.where} “{m.label}” → {target} {how.get(m.how, m.how)}")
    if len(p.mapping) > limit:
        lines.append(f"    …… 另有 {len(p.mapping) - limit} 行")
    return lines
