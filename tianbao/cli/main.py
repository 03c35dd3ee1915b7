"""The ``tianbao`` command.  Without a subcommand it starts the desktop program.

Known problems (bad input, a database newer than the program …) print a Chinese message and exit
with status 2, having changed nothing; bugs print a traceback.

This module holds the parser and the dispatch; the commands live in tianbao/cli/<group>.py: plans,
units, returns, documents, database (and duties, excel, draft).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from tianbao.cli.database import _backup_restore, _demo, _move_to
from tianbao.cli.documents import _databook, _evaluate, _pdf, _report, _xlsx
from tianbao.cli.messages import _fail
from tianbao.cli.plans import _baseline, _plans
from tianbao.cli.returns import _aggregate, _check, _enter, _rank, _submit, _unlock, _warnings
from tianbao.cli.units import _units
from tianbao.domain.errors import KnownError


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
        "move-to",
        help="把本机的 SQLite 数据库复制到服务器（PostgreSQL）的空数据库，并逐表、逐报表核对",
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
    from db.engine import demo_db_path, open_database

    # The demonstration data never goes into the user's own database unless asked to (--db).
    chosen = args.db or os.environ.get("TIANBAO_DB")
    db = open_database(chosen or (demo_db_path() if args.cmd == "demo" else None))
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
        started = time.time_ns()
        code = handler(db, args)
        if code == 0 and _is_demo(db):
            _mark_demo(_outputs(args), started)
        return code
    finally:
        db.close()


def _is_demo(db) -> bool:
    """Whether ``db`` is the demonstration database (the file ``tianbao demo`` fills)."""
    from db.engine import demo_db_path

    if db.path is None:
        return False
    try:
        return Path(db.path).resolve() == demo_db_path().resolve()
    except OSError:
        return False


# The commands that write the demonstration data into a document, and where.
_DOCUMENTS = ("pdf", "report", "evaluate", "databook", "export", "template", "compile")


def _outputs(args) -> list[Path]:
    if args.cmd in _DOCUMENTS:
        return [args.file]
    if args.cmd in ("duties", "progress") and getattr(args, "export", None):
        return [args.export]
    if args.cmd == "templates":
        return sorted(args.folder.glob("*.xlsx"))
    return []


def _mark_demo(paths: list[Path], since: int) -> None:
    """Stamp 【演示数据】 on the files this command wrote from the demonstration data, as the
    desktop does (``tianbao.excel.stamp``, ``tianbao.pdf.stamp``): a printout or a forwarded
    file cannot pass for a real return.  Files older than the command are not touched."""
    from tianbao.excel.stamp import stamp_workbook
    from tianbao.pdf.stamp import stamp_pdf

    marked = 0
    for path in paths:
        try:
            if not path.is_file() or path.stat().st_mtime_ns < since:
                continue
        except OSError:
            continue
        suffix = path.suffix.lower()
        if suffix == ".pdf":
            stamp_pdf(path)
        elif suffix in (".xlsx", ".xlsm"):
            stamp_workbook(path)
        else:
            continue
        marked += 1
    if marked:
        print(f"（演示数据：已在 {marked} 个文件的每页或每张工作表上标注“演示数据”。）")


if __name__ == "__main__":
    raise SystemExit(main())
