"""``tianbao duties``, ``tianbao progress``, ``tianbao templates``: 填报分工 and 收报情况."""

from __future__ import annotations

import json
from pathlib import Path

COMMANDS = ("duties", "progress", "templates")


def add_parsers(sub) -> None:
    du = sub.add_parser(
        "duties",
        help="填报分工：列出或设置每个指标由谁填报（成员单位、下级单位或本级）",
        description="不带指标代码时列出分工；带指标代码和 --to 时设置。"
        "--to 可为成员单位代码、subunits（下级单位）或 self（本级）。",
    )
    du.add_argument("parent", help="本级单位代码（县区或市）")
    du.add_argument("plan", help="计划编号")
    du.add_argument("codes", nargs="*", help="要设置的指标代码")
    du.add_argument("--to", help="成员单位代码 | subunits | self")
    du.add_argument("--domain", help="设置整个领域（领域代码或名称），与 --to 一起使用")
    du.add_argument("--match", help="设置名称含此文字的所有指标，与 --to 一起使用")
    du.add_argument("--defaults", action="store_true", help="采用默认分工（按计划所列责任部门）")
    du.add_argument("--json", action="store_true")
    du.add_argument("--export", type=Path, metavar="FILE", help="导出分工表（xlsx）")
    du.add_argument("--import", dest="import_", type=Path, metavar="FILE", help="导入分工表")

    pg = sub.add_parser("progress", help="收报情况：各成员单位、下级单位的填报和报送情况")
    pg.add_argument("parent")
    pg.add_argument("plan")
    pg.add_argument("year", type=int)
    pg.add_argument("--json", action="store_true")
    pg.add_argument("--export", type=Path, metavar="FILE", help="导出收报情况表（xlsx），用于催报")

    tp = sub.add_parser(
        "templates", help="一次为每个成员单位和下级单位导出各自的空白模板到一个文件夹"
    )
    tp.add_argument("parent")
    tp.add_argument("plan")
    tp.add_argument("year", type=int)
    tp.add_argument("folder", type=Path)


def run(db, args) -> int:
    return {"duties": _duties, "progress": _progress, "templates": _templates}[args.cmd](db, args)


def _duties(db, args) -> int:
    from db.repo import InputError
    from tianbao.services.duties import Duties

    du = Duties(db, user=args.user)
    if args.import_:
        ch = du.import_xlsx(args.parent, args.plan, args.import_)
        print(f"已导入填报分工：{len(ch.indicators) if ch.changed else 0} 个指标有变化")
        return 0
    wants_set = args.codes or args.domain or args.match
    if wants_set and not args.to:
        raise InputError("设置填报分工需要 --to（成员单位代码、subunits 或 self）。")
    if args.to and not wants_set:
        raise InputError("请给出指标代码，或用 --domain / --match 选择指标。")
    # What this command read is what it expects to replace (as `tianbao set` does for values):
    # an indicator another user gave elsewhere meanwhile is a conflict, not overwritten.
    seen = {}
    if args.defaults or wants_set:
        seen = {r.code: r.source for r in du.table(args.parent, args.plan).rows}
    if args.defaults:
        ch = du.apply_defaults(args.parent, args.plan, expected=seen)
        print("已采用默认填报分工。" if ch.changed else "填报分工已是默认分工，未作更改。")
    if wants_set:
        to = du.parse_target(args.parent, args.to)
        if args.codes:
            ch = du.set(args.parent, args.plan, args.codes, to, expected=seen)
        elif args.domain:
            ch = du.set_domain(args.parent, args.plan, args.domain, to, expected=seen)
        else:
            ch = du.set_matching(args.parent, args.plan, args.match, to, expected=seen)
        t = du.table(args.parent, args.plan)
        if ch.changed:
            print(f"已将 {len(ch.indicators)} 个指标分给{t.label(to)}：{' '.join(ch.indicators)}")
        else:
            print(f"这些指标已由{t.label(to)}填报，未作更改。")
    if args.export:
        path = du.export_xlsx(args.parent, args.plan, args.export)
        print(f"已导出填报分工表：{path}")
    if wants_set or args.export or args.defaults:
        return 0
    t = du.table(args.parent, args.plan)
    if args.json:
        print(
            json.dumps(
                {
                    "parent": t.parent_code,
                    "plan": t.plan_id,
                    "plan_version": t.plan_version,
                    "set": t.explicit,
                    "indicators": [
                        {
                            "code": r.code,
                            "domain": r.domain,
                            "name": r.name,
                            "kind": r.source.kind,
                            "unit": r.source.unit_code,
                            "label": t.label(r.source),
                        }
                        for r in t.rows
                    ],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    state = "" if t.explicit else "（尚未确定，以下为默认分工）"
    print(f"{t.parent_name} {t.plan_title}（第 {t.plan_version} 版）填报分工{state}")
    domain = None
    for r in t.rows:
        if r.domain_name != domain:
            domain = r.domain_name
            print(f"\n{domain}")
        print(f"  {r.code:<7}{r.name[:30]:<32}{t.label(r.source)}")
    counts: dict[str, int] = {}
    for r in t.rows:
        counts[t.label(r.source)] = counts.get(t.label(r.source), 0) + 1
    print("\n" + "；".join(f"{k} {v} 项" for k, v in counts.items()))
    return 0


def _progress(db, args) -> int:
    from tianbao.services.progress import progress

    p = progress(db, args.parent, args.plan, args.year)
    if args.export:
        from tianbao.excel.progress import export_progress

        path = export_progress(db, args.parent, args.plan, args.year, args.export)
        print(f"已导出收报情况表：{path}")
        return 0
    if args.json:
        print(json.dumps(p.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(f"{p.parent_name} {p.year}年“{p.plan_title}”收报情况")
    if not p.explicit:
        print("（本级尚未确定填报分工，以下按默认分工列出）")
    print(f"{'单位':<16}{'应报':>5}{'已填':>5}{'错误':>5}{'待说明':>6}  状态    导入")
    for u in p.units:
        imp = f"{u.imported_at:%Y-%m-%d %H:%M} {u.imported_file}" if u.imported_at else ""
        print(
            f"{u.unit_name:<16}{len(u.assigned):>5}{u.filled:>6}{u.errors:>6}{u.unexplained:>7}"
            f"  {u.state_label:<6}  {imp}"
        )
    late = p.late
    print(
        f"\n应报 {len(p.units)} 个单位，已报送 {p.submitted} 个"
        + (f"；未报送：{'、'.join(u.unit_name for u in late)}" if late else "。")
    )
    for u in p.units:
        if u.missing:
            print(f"  {u.unit_name} 尚缺 {len(u.missing)} 项：{' '.join(u.missing[:20])}")
    return 0


def _templates(db, args) -> int:
    from tianbao.excel.templates import export_all_templates

    sent = export_all_templates(db, args.parent, args.plan, args.year, args.folder)
    for t in sent:
        print(f"  {t.path.name}（{t.unit_name}，{t.indicators} 个指标）")
    print(f"已为 {len(sent)} 个单位导出空白模板到 {args.folder}")
    return 0
