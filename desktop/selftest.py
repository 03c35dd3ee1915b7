"""``tianbao --self-test``: prove that an installed or freshly built program works, end to end.

Everything happens in a temporary folder, never in the user's data: a database is created and
migrated, the demonstration data written, one township's return exported to Excel and PDF, the
Excel file imported into a second, fresh database holding only that township and its district,
and the fingerprint of the imported return compared with the one printed on the PDF.  A second
database (rather than clearing the return in the first) is the honest check: the import starts
from nothing, so every value must come from the file.

Then Qt: an offscreen QApplication with the bundled CJK font and the English translation, the
main window with its overview chart (QtCharts), and the PDF opened and rendered with QtPdf.  A
Qt message handler counts warnings; any warning fails the test.

One line per step in Chinese and English; exit status 0 on success, 1 with the reason on failure.
Qt is imported only inside the Qt step, so the rest runs (and fails clearly) without a display.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

MIN_PDF_BYTES = 10 * 1024
IGNORED_QT_MESSAGES = ("propagateSizeHints",)  # harmless, printed by the xcb/offscreen plugins


class SelfTestFailed(Exception):
    """A check that did not hold; the message says which and why (Chinese / English)."""


def _out(text: str, *, err: bool = False) -> None:
    # The windowed Windows executable has no console: sys.stdout is None there.
    stream = sys.stderr if err else sys.stdout
    if stream is None:
        return
    print(text, file=stream, flush=True)


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise SelfTestFailed(message)


class _Context:
    """What the steps hand on to each other."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = None
        self.db2 = None
        self.return_id: int | None = None
        self.fingerprint = ""
        self.pdf: Path | None = None
        self.pdf_pages = 0
        self.xlsx: Path | None = None
        self.township = ""


# --- the steps --------------------------------------------------------------------------------


def _database(ctx: _Context) -> str:
    from db.engine import current_revision, head_revision, open_database

    ctx.db = open_database(ctx.folder / "selftest.sqlite")
    rev = current_revision(ctx.db.engine)
    _check(
        rev == head_revision(),
        f"数据库结构版本 {rev} 不是最新的 {head_revision()} / schema not at head",
    )
    return f"迁移到 / migrated to {rev}"


def _demo(ctx: _Context) -> str:
    from tianbao.domain.errors import KnownError
    from tianbao.services.demo import DEMO_PLAN, TOWNSHIPS, demo_years, make_demo
    from tianbao.services.plans import get_plan
    from tianbao.services.returns import ReturnService

    make_demo(ctx.db)
    code, name = TOWNSHIPS[0]
    year = demo_years(get_plan(ctx.db, DEMO_PLAN))[-1]
    try:
        ctx.return_id = ReturnService(ctx.db).existing(code, DEMO_PLAN, year).id
    except KnownError:
        _check(False, f"演示数据中没有{name} {year} 年的报表 / demo return missing")
    view = ReturnService(ctx.db).view(ctx.return_id)
    filled = sum(r.filled for r in view.rows)
    _check(filled > 0, "演示报表没有数值 / the demo return has no values")
    ctx.township = code
    return f"{name} {year}：{filled}/{len(view.rows)} 项已填 / indicators filled"


def _export_excel(ctx: _Context) -> str:
    from tianbao.domain.fingerprint import view_fingerprint
    from tianbao.excel.export import export_return
    from tianbao.services.returns import ReturnService

    ctx.fingerprint = view_fingerprint(ReturnService(ctx.db).view(ctx.return_id))
    exported = export_return(ctx.db, ctx.return_id, ctx.folder / "return.xlsx")
    ctx.xlsx = Path(exported.path)
    _check(
        ctx.xlsx.is_file() and ctx.xlsx.stat().st_size > 0, "Excel 文件没有写出 / no xlsx written"
    )
    _check(
        exported.fingerprint == ctx.fingerprint,
        f"Excel 中的校验码 {exported.fingerprint} ≠ 报表的 {ctx.fingerprint} / xlsx fingerprint differs",
    )
    return f"{ctx.xlsx.name}，{ctx.xlsx.stat().st_size // 1024} kB，{exported.inputs} 个输入格 / input cells"


def _export_pdf(ctx: _Context) -> str:
    from tianbao.pdf.returns import write_return_pdf

    result = write_return_pdf(ctx.db, ctx.return_id, ctx.folder / "return.pdf")
    ctx.pdf = Path(result.path)
    size = ctx.pdf.stat().st_size if ctx.pdf.is_file() else 0
    with open(ctx.pdf, "rb") as f:
        head = f.read(5)
    _check(head == b"%PDF-", "PDF 文件头不对 / the file does not start with %PDF")
    _check(
        size > MIN_PDF_BYTES,
        f"PDF 只有 {size} 字节，字体可能没有嵌入 / PDF too small, font not embedded?",
    )
    _check(
        result.fingerprint == ctx.fingerprint,
        f"PDF 上的校验码 {result.fingerprint} ≠ 报表的 {ctx.fingerprint} / PDF fingerprint differs",
    )
    ctx.pdf_pages = result.pages
    return f"{ctx.pdf.name}，{result.pages} 页 / pages，{size // 1024} kB，校验码 / fingerprint {result.fingerprint}"


def _import_excel(ctx: _Context) -> str:
    from db.engine import open_database
    from tianbao.domain.fingerprint import view_fingerprint
    from tianbao.excel.imports import apply_import, preview_import
    from tianbao.services.returns import ReturnService
    from tianbao.services.units import add_unit, list_units

    # A colleague's database: the same plan catalogue, only the township and its district.
    ctx.db2 = open_database(ctx.folder / "colleague.sqlite")
    units = {u.code: u for u in list_units(ctx.db)}
    township = units[ctx.township]
    district = units[township.parent_code]
    add_unit(ctx.db2, district.code, district.name, district.level, district.parent_code)
    add_unit(ctx.db2, township.code, township.name, township.level, township.parent_code)

    (plan,) = preview_import(ctx.db2, [ctx.xlsx])
    _check(not plan.refused, f"导入被拒绝 / import refused：{plan.refused}")
    blocking = "；".join(i.message for i in plan.blocking)
    _check(not blocking, f"导入被阻止 / import blocked：{blocking}")
    _check(
        plan.layout == "tianbao", f"未识别为 Tianbao 报表（{plan.layout}）/ not recognised as ours"
    )
    _check(
        plan.exported_fingerprint == ctx.fingerprint,
        f"文件记录的校验码 {plan.exported_fingerprint} ≠ {ctx.fingerprint} / stored fingerprint differs",
    )
    _check(
        plan.fingerprint == ctx.fingerprint,
        f"文件中数值的校验码 {plan.fingerprint} ≠ {ctx.fingerprint} / values read back differ",
    )
    _check(
        not plan.conflicts and not plan.changed,
        "空数据库中不应有冲突或修改 / a fresh database shows conflicts or changes",
    )
    result = apply_import(ctx.db2, plan)
    _check(
        result.return_id is not None and result.written > 0, "没有写入任何数值 / nothing written"
    )
    after = view_fingerprint(ReturnService(ctx.db2).view(result.return_id))
    _check(
        after == ctx.fingerprint and result.fingerprint == ctx.fingerprint,
        f"导入后的校验码 {after} ≠ PDF 上的 {ctx.fingerprint} / fingerprint after import differs",
    )
    return f"写入 {result.written} 个数值 / values written；校验码一致 / fingerprints match {after}"


def _qt(ctx: _Context) -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    problems: list[str] = []

    def handler(kind, _context, message: str) -> None:
        if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            return
        if any(ignored in message for ignored in IGNORED_QT_MESSAGES):
            return
        problems.append(message)
        _out(f"Qt warning: {message}", err=True)

    previous = qInstallMessageHandler(handler)
    try:
        return _qt_checks(ctx, problems)
    finally:
        qInstallMessageHandler(previous)


def _qt_checks(ctx: _Context, problems: list[str]) -> str:
    from PySide6.QtCore import QCoreApplication, QSettings, QSize
    from PySide6.QtGui import QFontDatabase
    from PySide6.QtPdf import QPdfDocument

    from desktop.app import install_language, make_app
    from desktop.main_window import MainWindow

    # Settings of this run (if anything writes them) go to the temporary folder, not the user's.
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(ctx.folder / "settings"))
    app = make_app([sys.argv[0] if sys.argv else "tianbao"])
    families = app.font().families()
    cjk = [
        f
        for f in families
        if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(f)
    ]
    _check(
        len(families) > 1 and families[-1] in cjk,
        f"内置中文字体没有注册 / bundled CJK font not registered ({families})",
    )
    install_language(app, "en")
    _check(
        QCoreApplication.translate("MainWindow", "概览") == "Overview",
        "英文翻译 tianbao_en.qm 没有加载 / English translation not loaded",
    )

    window = MainWindow(ctx.db, ctx.return_id, english=True)
    try:
        window.show()
        app.processEvents()
        _check(
            window.tabs.tabText(1) == "Overview",
            f"窗口未翻译 / window not translated: {window.tabs.tabText(1)}",
        )
        window.tabs.setCurrentWidget(window.overview)  # builds the QtCharts trend chart
        app.processEvents()
        _check(
            bool(window.overview.chart.series()),
            "概览趋势图没有数据线 / the overview chart has no series",
        )
        shot = window.grab()
        _check(not shot.isNull() and shot.width() > 0, "窗口无法绘制 / the window did not paint")

        doc = QPdfDocument()
        try:
            doc.load(str(ctx.pdf))
            _check(
                doc.status() == QPdfDocument.Status.Ready and doc.pageCount() == ctx.pdf_pages,
                f"QtPdf 无法打开 PDF（{doc.error()}）/ QtPdf cannot open the PDF",
            )
            page = doc.render(0, QSize(595, 842))
            _check(not page.isNull(), "QtPdf 无法渲染 / QtPdf cannot render")
        finally:
            doc.close()
    finally:
        window.close()
        window.deleteLater()
        app.processEvents()
        install_language(app, "zh")
    _check(not problems, f"Qt 警告 {len(problems)} 条 / Qt warnings: " + " | ".join(problems[:5]))
    return f"字体 / font {families[-1]}，English .qm，主窗口 / main window，QtCharts，QtPdf：无警告 / no warnings"


STEPS: list[tuple[str, Callable[[_Context], str]]] = [
    ("数据库 / database", _database),
    ("演示数据 / demo data", _demo),
    ("导出 Excel / export Excel", _export_excel),
    ("导出 PDF / export PDF", _export_pdf),
    ("导入 Excel / import Excel", _import_excel),
    ("界面 / Qt", _qt),
]


def run_self_test() -> int:
    if sys.stdout is not None and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    if sys.stderr is not None and hasattr(sys.stderr, "reconfigure"):
        sys.stderr.reconfigure(encoding="utf-8")
    from tianbao import __version__

    frozen = "安装包 / bundle" if getattr(sys, "frozen", False) else "源码 / source"
    _out(f"Tianbao {__version__} 自检 / self-test（{frozen}，Python {sys.version.split()[0]}）")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tianbao-selftest-") as tmp:
        ctx = _Context(Path(tmp))
        try:
            for n, (title, step) in enumerate(STEPS, 1):
                t0 = time.perf_counter()
                try:
                    detail = step(ctx)
                except SelfTestFailed as e:
                    _out(f"[{n}/{len(STEPS)}] {title}：失败 / FAILED — {e}")
                    _out(f"自检失败 / self-test FAILED: {title}", err=True)
                    return 1
                except Exception:  # noqa: BLE001 - a bug or a missing file in the bundle: show it all
                    _out(f"[{n}/{len(STEPS)}] {title}：出错 / ERROR", err=False)
                    _out(traceback.format_exc(), err=True)
                    _out(f"自检失败 / self-test FAILED: {title}", err=True)
                    return 1
                _out(
                    f"[{n}/{len(STEPS)}] {title}：通过 / OK（{time.perf_counter() - t0:.1f} s）{detail}"
                )
        finally:
            for db in (ctx.db, ctx.db2):
                if db is not None:
                    db.close()
    _out(f"自检通过 / self-test passed（{time.perf_counter() - start:.1f} s）")
    return 0
