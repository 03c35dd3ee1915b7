"""The commands that write documents: ``pdf``, ``report``, ``evaluate``, ``databook`` and the Excel commands (``export``, ``template``, ``compile``, ``import``)."""

from __future__ import annotations

from tianbao.cli.messages import _fail
from tianbao.cli.returns import _service
from tianbao.domain.errors import KnownError


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
