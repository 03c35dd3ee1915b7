"""The ``tianbao`` command.  Without a subcommand it starts the desktop program.

Known problems (bad input, a database newer than the program …) print a Chinese message and exit
with status 2, having changed nothing; bugs print a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from tianbao.domain.errors import KnownError

EXIT_INPUT = 2


def _fail(msg: str) -> int:
    print(f"错误：{msg}", file=sys.stderr)
    return EXIT_INPUT


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tianbao", description="Tianbao 填报：妇女儿童发展规划监测数据填报"
    )
    p.add_argument(
        "--db",
        help="数据库文件路径或 SQLAlchemy URL（默认：用户数据目录；也可用环境变量 TIANBAO_DB）",
    )
    p.add_argument("--user", default="", help="记入修改记录的操作人")
    p.add_argument("--lang", choices=("zh", "en"), help="界面语言")
    p.add_argument("--self-test", action="store_true", help="在临时数据库上自检（用于安装包）")
    sub = p.add_subparsers(dest="cmd")

    plans = sub.add_parser("plans", help="计划目录").add_subparsers(dest="action", required=True)
    plans.add_parser("list", help="列出计划")
    sh = plans.add_parser("show", help="显示一个计划")
    sh.add_argument("plan")
    sh.add_argument("--json", action="store_true")
    sh.add_argument("--version", type=int)
    ex = plans.add_parser("export", help="导出计划工作簿（xlsx）")
    ex.add_argument("plan")
    ex.add_argument("file", type=Path)
    fm = plans.add_parser(
        "marks", help="设置或查看报表表头标志（表号、制定机关、批准机关、批准文号、有效期至）"
    )
    fm.add_argument("plan")
    fm.add_argument("--table-no", help="表号")
    fm.add_argument("--made-by", help="制定机关")
    fm.add_argument("--approved-by", help="批准机关")
    fm.add_argument("--approval-no", help="批准文号或备案文号")
    fm.add_argument("--valid-until", help="有效期至")
    im = plans.add_parser("import", help="导入计划工作簿，作为新计划或已有计划的新版本")
    im.add_argument("file", type=Path)
    im.add_argument("--as-new", metavar="ID", help="作为新计划导入，使用此编号")
    from tianbao.cli import draft as plan_draft

    plan_draft.add_parser(plans)

    units = sub.add_parser("units", help="单位").add_subparsers(dest="action", required=True)
    units.add_parser("list", help="列出单位")
    ua = units.add_parser("add", help="添加单位")
    ua.add_argument("code")
    ua.add_argument("name")
    ua.add_argument("--level", required=True, help="city/county/township/village/department")
    ua.add_argument("--parent", help="上级单位代码")
    ui = units.add_parser(
        "import", help="从 xlsx 或 csv 导入单位名单（列：代码、名称、级别、上级代码）"
    )
    ui.add_argument("file", type=Path)

    bl = sub.add_parser("baseline", help="设置单位某指标的基期值（用于“较基期下降/增长”类目标）")
    bl.add_argument("unit")
    bl.add_argument("plan")
    bl.add_argument("indicator")
    bl.add_argument("year", type=int, help="基期年份，如 2020")
    bl.add_argument("value", help="基期值")

    def rkey(sp):
        sp.add_argument("unit", help="单位代码")
        sp.add_argument("plan", help="计划编号")
        sp.add_argument("year", type=int, help="年份")

    en = sub.add_parser("enter", help="填写一个指标值")
    rkey(en)
    en.add_argument("indicator", help="指标代码")
    en.add_argument("value", nargs="?", help="数值，或 是/部分/否；留空用 --num/--den")
    en.add_argument("--num", help="分子")
    en.add_argument("--den", help="分母")
    en.add_argument("--cell", default="", help="分组，如 sex=female")
    en.add_argument("--explain", help="同时填写情况说明")

    ck = sub.add_parser("check", help="审核报表")
    rkey(ck)
    ck.add_argument("--json", action="store_true")

    sb = sub.add_parser("submit", help="签署并报送报表")
    rkey(sb)
    sb.add_argument("--unit-head", required=True, help="单位负责人")
    sb.add_argument("--stats-head", required=True, help="统计负责人")
    sb.add_argument("--filled-by", required=True, help="填表人")
    sb.add_argument("--phone", required=True, help="联系电话")
    sb.add_argument("--date", default=None, help="报出日期 YYYY-MM-DD（默认今天）")

    ul = sub.add_parser("unlock", help="解锁已报送的报表")
    rkey(ul)
    ul.add_argument("--reason", required=True)

    ag = sub.add_parser("aggregate", help="由下级报表汇总上级报表")
    rkey(ag)

    wn = sub.add_parser("warnings", help="预警与达标率")
    rkey(wn)
    wn.add_argument("--json", action="store_true")

    rk = sub.add_parser("rank", help="下级单位排名")
    rkey(rk)
    rk.add_argument("indicator")

    bk = sub.add_parser("backup", help="备份数据库（服务器数据库：导出为程序可恢复的 .json.gz）")
    bk.add_argument("dest", nargs="?", type=Path)
    rs = sub.add_parser("restore", help="从备份恢复数据库")
    rs.add_argument("file", type=Path)
    mv = sub.add_parser(
        "move-to", help="把本机的 SQLite 数据库复制到服务器（PostgreSQL）的空数据库，并逐表、逐报表核对"
    )
    mv.add_argument("url", help="服务器数据库地址，如 postgresql+psycopg://用户@服务器/tianbao")

    pdf = sub.add_parser("pdf", help="打印报表为 PDF（含表头标志、签字栏、盖章处、页码和校验码）")
    rkey(pdf)
    pdf.add_argument("file", type=Path, help="输出的 PDF 文件")
    pdf.add_argument("--blank", action="store_true", help="打印空白表，供先在纸上填写的单位使用")

    rp = sub.add_parser("report", help="生成年度监测报告（PDF）")
    rkey(rp)
    rp.add_argument("file", type=Path, help="输出的 PDF 文件")

    ev = sub.add_parser("evaluate", help="生成中期或终期评估报告（PDF，另附数据附件 xlsx）")
    rkey(ev)
    ev.add_argument("file", type=Path, help="输出的 PDF 文件")
    ev.add_argument("--final", action="store_true", help="终期评估（按规划期末目标判断）")
    ev.add_argument("--annex", type=Path, help="数据附件 xlsx（默认与 PDF 同名加“_数据附件”）")
    dbk = sub.add_parser("databook", help="编制统计资料（各指标逐年数据、定义和来源；xlsx 或 PDF）")
    dbk.add_argument("unit", help="单位代码")
    dbk.add_argument("plan", help="计划编号")
    dbk.add_argument("file", type=Path, help="输出文件：.xlsx 或 .pdf")
    dbk.add_argument("--subunits", action="store_true", help="同时列出各下级单位")
    dbk.add_argument("--year", type=int, help="截至年份（默认：有数据的最后一年）")

    dm = sub.add_parser("demo", help="生成演示数据")
    dm.add_argument("--plan", default=None)

    xe = sub.add_parser("export", help="导出报表为 Excel（可直接报送统计部门，含隐藏识别表）")
    rkey(xe)
    xe.add_argument("file", type=Path, help="输出的 .xlsx 文件")
    xt = sub.add_parser("template", help="导出空白报表（Excel），发给没有本程序的同事填写")
    rkey(xt)
    xt.add_argument("file", type=Path, help="输出的 .xlsx 文件")
    xc = sub.add_parser(
        "compile", help="汇总下级单位并导出综合汇总表（Excel：汇总报表、下级数据、达标情况、排名）"
    )
    rkey(xc)
    xc.add_argument("file", type=Path, help="输出的 .xlsx 文件")
    xi = sub.add_parser("import", help="导入同事报送的 Excel 报表（文件或文件夹），先预览再导入")
    xi.add_argument("paths", nargs="+", type=Path, help=".xlsx/.xls/.ods 文件或文件夹")
    xi.add_argument("--dry-run", action="store_true", help="只预览将要发生的变化，不导入")
    xi.add_argument("--yes", action="store_true", help="不再询问，直接导入没有冲突的文件")
    xi.add_argument("--overwrite", action="store_true", help="有冲突时用文件中的值覆盖本库的值")
    xi.add_argument(
        "--keep-existing", action="store_true", help="有冲突时保留本库的值，导入其余数值"
    )
    xi.add_argument("--again", action="store_true", help="重新导入已导入过的文件")
    xi.add_argument("--unit", help="外来格式文件的填报单位代码")
    xi.add_argument("--plan", help="外来格式文件的计划编号")
    xi.add_argument("--year", type=int, help="外来格式文件的年份")
    from tianbao.cli import duties as duties_cli

    duties_cli.add_parsers(sub)  # duties, progress, templates (填报分工, 收报情况)
    return p


def main(argv: list[str] | None = None) -> int:
    """The command line alone (no GUI): ``desktop.launch.main`` is the program's entry point."""
    args = build_parser().parse_args(argv)
    if args.cmd is None or args.self_test:
        build_parser().print_help()
        return 0 if args.cmd is None and not args.self_test else 2
    return run(args)


def run(args: argparse.Namespace) -> int:
    """Run one parsed subcommand; known problems print a Chinese message and return 2."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stderr.reconfigure(encoding="utf-8")
    try:
        return _dispatch(args)
    except KnownError as e:
        return _fail(str(e))
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): not the user's file problem.
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
        return 0
    except OSError as e:
        where = f"“{e.filename}”" if e.filename else ""
        return _fail(
            f"无法读写文件{where}：{e.strerror or e}。请检查路径和权限，"
            "或关闭正在使用该文件的程序（如 Excel）后重试。"
        )
    except Exception as e:  # re-raised below unless it is a database failure
        # A database failure that escaped a unit of work (server gone, disk full …): a message.
        from db.failures import translate

        known = translate(e)
        if known is None:
            raise
        return _fail(str(known))


def _open(args):
    from db.engine import open_database

    db = open_database(args.db)
    if db.warning:
        print(f"注意：{db.warning}", file=sys.stderr)
    return db


def _dispatch(args) -> int:
    if args.cmd in ("backup", "restore"):
        return _backup_restore(args)
    if args.cmd == "move-to":
        return _move_to(args)
    if args.cmd == "plans" and args.action == "draft":  # no database needed
        from tianbao.cli import draft as plan_draft

        return plan_draft.run(args)
    db = _open(args)
    try:
        from tianbao.cli import duties as duties_cli

        if args.cmd in duties_cli.COMMANDS:
            return duties_cli.run(db, args)
        handler = {
            "plans": _plans,
            "units": _units,
            "enter": _enter,
            "check": _check,
            "submit": _submit,
            "unlock": _unlock,
            "aggregate": _aggregate,
            "warnings": _warnings,
            "rank": _rank,
            "demo": _demo,
            "baseline": _baseline,
            "pdf": _pdf,
            "report": _report,
            "evaluate": _evaluate,
            "databook": _databook,
            "export": _xlsx,
            "template": _xlsx,
            "compile": _xlsx,
            "import": _xlsx,
        }[args.cmd]
        return handler(db, args)
    finally:
        db.close()


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


# --- units ---------------------------------------------------------------------------------------


def _units(db, args) -> int:
    from db import repo
    from db.models import UNIT_LEVEL_LABELS

    with db.session() as s:
        if args.action == "list":
            units = repo.list_units(s)
            depth: dict[str, int] = {}
            for u in units:
                depth[u.code] = depth.get(u.parent_code, -1) + 1 if u.parent_code else 0
                print(f"{'  ' * depth[u.code]}{u.code}  {u.name}  [{UNIT_LEVEL_LABELS[u.level]}]")
            if not units:
                print("还没有单位。用 `tianbao units add` 添加，或 `tianbao demo` 生成演示数据。")
            return 0
        if args.action == "add":
            u = repo.add_unit(s, args.code, args.name, args.level, args.parent)
            print(f"已添加单位 {u.code} {u.name}")
            return 0
    from tianbao.services.units import import_units

    added = import_units(db, args.file)
    print(f"已导入 {added} 个单位")
    return 0


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
    print(f"已保存 {ind.code} {ind.name} = {_fmt(row.value)}{ind.unit}  [{row.status.detail}]")
    for cell, f in row.findings:
        print(
            f"  {'错误' if f.severity == 'error' else '提示'}{cell and '(' + cell + ')'}：{f.message}"
        )
    return 0


def _fmt(v) -> str:
    from tianbao.domain.status import fmt_number

    if v is None:
        return "—"
    return fmt_number(v) if isinstance(v, (int, float)) else str(v)


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
    from tianbao.services.monitoring import rank

    rows = rank(db, args.unit, args.plan, args.year, args.indicator)
    for pos, (name, value, status) in enumerate(rows, 1):
        print(f"{pos:>3}  {name:<12}{_fmt(value):>10}  {status}")
    return 0


def _pdf(db, args) -> int:
    from tianbao.pdf.returns import write_blank_form_pdf, write_return_pdf

    if args.blank:
        result = write_blank_form_pdf(db, args.unit, args.plan, args.year, args.file)
        print(f"已生成空白表：{args.file}（共 {result.pages} 页）")
        return 0
    try:
        return_id = _service(db, args).existing(args.unit, args.plan, args.year).id
    except KnownError as e:
        return _fail(f"{e} 要打印空白表，请加 --blank。")
    result = write_return_pdf(db, return_id, args.file)
    print(f"已生成报表：{args.file}（共 {result.pages} 页，校验码 {result.fingerprint}）")
    return 0


def _report(db, args) -> int:
    from tianbao.pdf.report import write_monitoring_report

    result = write_monitoring_report(db, args.unit, args.plan, args.year, args.file)
    print(f"已生成监测报告：{args.file}（共 {result.pages} 页，趋势图 {len(result.charts)} 幅）")
    return 0


def _evaluate(db, args) -> int:
    from tianbao.excel.annex import write_annex
    from tianbao.pdf.evaluation import write_evaluation_report

    result = write_evaluation_report(
        db, args.unit, args.plan, args.year, args.file, final=args.final
    )
    annex = args.annex or args.file.with_name(f"{args.file.stem}_数据附件.xlsx")
    annex = write_annex(result.evaluation, annex)
    c = result.evaluation.counts()
    print(
        f"已生成{result.evaluation.kind_name}报告：{args.file}（共 {result.pages} 页；已达到 {c['met']}、"
        f"按进度 {c['on_course']}、落后于进度 {c['behind']}、未达标 {c['not_met']}、"
        f"无法评估 {c['na']}）；数据附件：{annex}"
    )
    return 0


def _databook(db, args) -> int:
    from tianbao.services.databook import databook

    suffix = args.file.suffix.lower()
    if suffix not in (".xlsx", ".pdf"):
        return _fail(
            f"统计资料只能保存为 .xlsx 或 .pdf，而不是“{args.file.name}”。请改用其中一种扩展名。"
        )
    book = databook(db, args.unit, args.plan, subunits=args.subunits, up_to=args.year)
    if suffix == ".pdf":
        from tianbao.pdf.databook import write_databook_pdf

        pages = write_databook_pdf(book, args.file)
        print(f"已生成统计资料：{args.file}（共 {pages} 页，{book.years[0]}—{book.years[-1]}年）")
    else:
        from tianbao.excel.databook import write_databook_xlsx

        path = write_databook_xlsx(book, args.file)
        print(
            f"已生成统计资料：{path}（{book.years[0]}—{book.years[-1]}年，{len(book.units)} 个单位）"
        )
    return 0


def _xlsx(db, args) -> int:
    from tianbao.cli.excel import run

    return run(db, args)


def _demo(db, args) -> int:
    from tianbao.services.demo import make_demo

    summary = make_demo(db, plan_id=args.plan)
    print(summary)
    return 0


def _backup_restore(args) -> int:
    from db.engine import backup_file, resolve_url, restore_file, sqlite_path

    url = resolve_url(args.db)
    path = sqlite_path(url)
    if path is None:
        return _server_backup_restore(args, url)
    if args.cmd == "backup":
        if not path.exists():
            return _fail(f"数据库“{path}”不存在。")
        dest = backup_file(path, dest=args.dest)
        print(f"已备份到：{dest}")
        return 0
    if str(args.file).endswith(".json.gz"):
        from db.transfer import restore_dump

        if path.exists():
            backup_file(path, reason="pre-restore")
            path.unlink()
        restore_dump(url, args.file, backup_first=False)
        print(f"已从“{args.file}”恢复数据库“{path}”")
        return 0
    saved = restore_file(args.file, path)
    print(f"已从“{args.file}”恢复数据库；恢复前的数据已另存为：{saved}")
    return 0


def _server_backup_restore(args, url: str) -> int:
    """A server has no file to copy: a logical dump of every table that ``restore`` reads back."""
    from db.dump import dump_database, server_backup_path
    from db.engine import make_engine, public_url
    from db.transfer import restore_dump

    if args.cmd == "backup":
        dest = args.dest or server_backup_path(url, "manual")
        if not str(dest).endswith(".json.gz"):
            dest = Path(str(dest) + ".json.gz")
        engine = make_engine(url)
        try:
            dump_database(engine, dest)
        finally:
            engine.dispose()
        print(f"已备份服务器数据库 {public_url(url)} 到：{dest}")
        return 0
    saved = restore_dump(url, args.file)
    print(f"已从“{args.file}”恢复服务器数据库 {public_url(url)}")
    if saved is not None:
        print(f"恢复前的数据已另存为：{saved}")
    return 0


def _move_to(args) -> int:
    from db.engine import open_database, public_url, sqlite_path
    from db.transfer import move_to

    src = open_database(args.db)
    try:
        if sqlite_path(src.url) is None:
            return _fail("move-to 从本机的 SQLite 数据库复制；请用 --db 指定要复制的 .sqlite 文件。")
        result = move_to(src, args.url)
    finally:
        src.close()
    total = sum(result.counts.values())
    print(f"已复制到 {public_url(args.url)}：{len(result.counts)} 张表，共 {total} 行")
    for name, n in sorted(result.counts.items()):
        print(f"  {name}: {n}")
    print(f"核对：各表行数一致；{result.returns} 份报表的校验码全部一致。")
    print(f"以后请用：tianbao --db {public_url(args.url)} …（或在程序中“连接服务器…”）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
