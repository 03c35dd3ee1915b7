"""The ``plans`` command (list, show, form marks, export, import …) and ``baseline`` (a unit's baselines)."""

from __future__ import annotations

import json

from tianbao.cli.returns import _service

# --- plans ---------------------------------------------------------------------------------------


def _plans(db, args) -> int:
    from db.plans import get_plan, latest_plans, save_plan_version

    if args.action == "list":
        with db.session() as s:
            plans = latest_plans(s)
        print(f"{'编号':<20}{'版本':>4}  {'规划期':<10}{'领域':>4}{'指标':>5}{'量化目标':>8}  标题")
        for p in plans:
            print(
                f"{p.id:<22}{p.version:>4}  {p.period[0]}-{p.period[1]} {len(p.domains):>4}"
                f"{len(p.indicators):>6}{p.quantified_target_count:>10}  {p.title}"
            )
        return 0
    if args.action == "show":
        with db.session() as s:
            plan = get_plan(s, args.plan, args.version)
        if args.json:
            print(json.dumps(plan.summary_json(), ensure_ascii=False, indent=1))
        else:
            print(
                f"{plan.title}（{plan.id} 第 {plan.version} 版，{plan.period[0]}–{plan.period[1]}年）"
            )
            for d in plan.domains:
                print(f"\n{d.name}")
                for i in d.indicators:
                    tg = "；".join(t.describe(i.unit) for t in i.targets)
                    print(f"  {i.code:<6}{i.name}（{i.unit or '-'}）  {tg}")
        return 0
    if args.action == "marks":
        return _marks(db, args)
    from tianbao.excel.planbook import read_plan_workbook, write_plan_workbook

    if args.action == "export":
        with db.session() as s:
            plan = get_plan(s, args.plan)
        write_plan_workbook(plan, args.file)
        print(f"已导出计划工作簿：{args.file}")
        return 0
    # import
    plan = read_plan_workbook(args.file, new_id=args.as_new)
    with db.session() as s:
        from db.plans import plan_ids

        exists = plan.id in plan_ids(s)
        stored = save_plan_version(s, plan, origin=str(args.file.name))
    what = "新版本" if exists else "新计划"
    print(f"已导入{what}：{stored.id} 第 {stored.version} 版（{len(stored.indicators)} 个指标）")
    return 0


def _marks(db, args) -> int:
    from dataclasses import replace

    from db.plans import form_marks, get_plan, set_form_marks

    labels = {
        "table_no": "表号",
        "made_by": "制定机关",
        "approved_by": "批准机关",
        "approval_no": "批准文号",
        "valid_until": "有效期至",
    }
    with db.session() as s:
        plan = get_plan(s, args.plan)
        marks = form_marks(s, plan)
        changes = {k: getattr(args, k) for k in labels if getattr(args, k) is not None}
        if changes:
            marks = replace(marks, **{k: v.strip() for k, v in changes.items()})
            set_form_marks(s, plan.id, marks)
    for key, label in labels.items():
        print(f"{label}：{getattr(marks, key) or '（未设置）'}")
    return 0


def _baseline(db, args) -> int:
    from tianbao.domain.checks import parse_number
    from tianbao.domain.status import fmt_value

    unit_name, ind = _service(db, args).set_baseline(
        args.unit, args.plan, args.indicator, args.year, parse_number(args.value)
    )
    print(
        f"已设置 {args.unit} {ind.name} {args.year} 年基期值 {fmt_value(parse_number(args.value), ind.unit)}"
    )
    return 0
