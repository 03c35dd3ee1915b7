"""The commands on returns: ``enter``, ``check``, ``submit``, ``unlock``, ``aggregate``, ``warnings``, ``rank``."""

from __future__ import annotations

import json
from datetime import date

# --- values and returns ----------------------------------------------------------------------


def _service(db, args):
    from tianbao.services.returns import ReturnService

    return ReturnService(db, user=args.user)


def _enter(db, args) -> int:
    from db.repo import InputError
    from tianbao.domain.checks import parse_number
    from tianbao.domain.editing import parse_choice
    from tianbao.domain.values import Entry

    svc = _service(db, args)
    info = svc.open(args.unit, args.plan, args.year)
    view = svc.view(info.id)
    ind = (
        view.row(args.indicator).indicator
        if args.indicator in {r.indicator.code for r in view.rows}
        else None
    )
    if ind is None:
        raise InputError(f"计划 {args.plan} 中没有指标 {args.indicator}。")
    if ind.kind == "yesno":
        entry = Entry(choice=parse_choice(args.value or ""))
    elif ind.kind == "text":
        entry = Entry(text=args.value)
    elif args.num is not None or args.den is not None:
        entry = Entry(
            number=parse_number(args.value) if args.value else None,
            numerator=parse_number(args.num) if args.num else None,
            denominator=parse_number(args.den) if args.den else None,
        )
    else:
        entry = Entry(number=parse_number(args.value or ""))
    # What this command read is what it expects to replace: a conflict if another user wrote since.
    seen = view.row(ind.code)
    svc.save_entry(info.id, ind.code, args.cell, entry, expected=seen.cells.get(args.cell))
    if args.explain is not None:
        svc.save_explanation(info.id, ind.code, args.explain, expected=seen.explanation)
    row = svc.view(info.id).row(ind.code)
    print(f"已保存 {ind.code} {ind.name} = {_fmt(row.value, ind)}{ind.unit}  [{row.status.detail}]")
    for cell, f in row.findings:
        print(
            f"  {'错误' if f.severity == 'error' else '提示'}{cell and '(' + cell + ')'}：{f.message}"
        )
    return 0


def _fmt(v, ind) -> str:
    """A value as the other views show it: the indicator's fixed decimals (94.00 beside 94.00%)."""
    from tianbao.domain.display import fmt_fixed

    if v is None:
        return "—"
    return fmt_fixed(float(v), ind) if isinstance(v, (int, float)) else str(v)


def _check(db, args) -> int:
    svc = _service(db, args)
    info = svc.open(args.unit, args.plan, args.year)
    view = svc.view(info.id)
    own = view.own_rows  # 填报分工: the indicators this unit reports
    errors = [(r, c, f) for r in own for c, f in r.errors]
    warnings = [(r, c, f) for r in own for c, f in r.warnings]
    if args.json:
        print(
            json.dumps(
                {
                    "unit": info.unit_code,
                    "plan": info.plan_id,
                    "year": info.year,
                    "status": info.status,
                    "filled": sum(r.filled for r in own),
                    "indicators": len(own),
                    "errors": [
                        {
                            "indicator": r.indicator.code,
                            "cell": c,
                            "code": f.code,
                            "message": f.message,
                        }
                        for r, c, f in errors
                    ],
                    "warnings": [
                        {
                            "indicator": r.indicator.code,
                            "cell": c,
                            "code": f.code,
                            "message": f.message,
                            "explained": bool(r.explanation),
                        }
                        for r, c, f in warnings
                    ],
                    "blockers": view.blockers(),
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return 0
    filled = sum(r.filled for r in view.rows)
    print(
        f"{info.unit_name} {info.year}年 {view.plan.title}：已填 {filled}/{len(view.rows)}，"
        f"错误 {len(errors)}，提示 {len(warnings)}"
    )
    if errors:
        print("\n必要性审核（必须改正）：")
        for r, c, f in errors:
            print(f"  {r.indicator.code} {r.indicator.name}{c and ' ' + c}：{f.message}")
    if warnings:
        print("\n核实性审核（需填写情况说明）：")
        for r, c, f in warnings:
            mark = "已说明" if r.explanation else "待说明"
            print(f"  [{mark}] {r.indicator.code} {r.indicator.name}{c and ' ' + c}：{f.message}")
    return 0


def _submit(db, args) -> int:
    from tianbao.services.returns import SignOff

    svc = _service(db, args)
    info = svc.open(args.unit, args.plan, args.year)
    signoff = SignOff(
        args.unit_head,
        args.stats_head,
        args.filled_by,
        args.phone,
        date.fromisoformat(args.date) if args.date else date.today(),
    )
    svc.submit(info.id, signoff)
    print(f"已报送：{info.unit_name} {info.year}年报表")
    return 0


def _unlock(db, args) -> int:
    svc = _service(db, args)
    info = svc.open(args.unit, args.plan, args.year)
    svc.unlock(info.id, args.reason)
    print(f"已解锁：{info.unit_name} {info.year}年报表")
    return 0


def _aggregate(db, args) -> int:
    from tianbao.services.aggregation import aggregate

    result = aggregate(db, args.unit, args.plan, args.year, user=args.user)
    print(
        f"已汇总 {result.unit_name} {args.year}年：下级单位 {result.reported}/{result.expected} 已填报，"
        f"{result.values_written} 个数值"
    )
    for line in result.notes:
        print(f"  {line}")
    return 0


def _warnings(db, args) -> int:
    from tianbao.services.monitoring import monitor

    rep = monitor(db, args.unit, args.plan, args.year)
    if args.json:
        print(json.dumps(rep.to_json(), ensure_ascii=False, indent=1))
        return 0
    print(f"{rep.unit_name} {args.year}年 {rep.plan_title}")
    print(
        f"\n达标率：{_pct(rep.overall.rate)}（达标 {rep.overall.met}/{rep.overall.assessed}，接近 {rep.overall.close}）"
    )
    for name, att in rep.domains:
        print(f"  {name}：{_pct(att.rate)}（{att.met}/{att.assessed}）")
    for title, items in (("预计达标困难", rep.projected), ("波动较大", rep.fluctuating)):
        print(f"\n{title}：{len(items)} 项")
        for w in items:
            print(f"  {w.indicator} {w.message}")
    return 0


def _pct(v) -> str:
    return "—" if v is None else f"{v:.1f}%"


def _rank(db, args) -> int:
    from db.plans import get_plan
    from tianbao.services.monitoring import rank

    rows = rank(db, args.unit, args.plan, args.year, args.indicator)
    with db.session() as s:
        ind = get_plan(s, args.plan).indicator(args.indicator)
    for pos, (name, value, status) in enumerate(rows, 1):
        print(f"{pos:>3}  {name:<12}{_fmt(value, ind):>10}  {status}")
    return 0
