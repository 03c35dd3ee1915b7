"""The File menu: Excel and PDF returns, templates, reports, printing, plan workbooks.

Every action asks for a path with QFileDialog (tests patch it at the class), calls the Qt-free
core, and reports known problems in plain Chinese without changing anything.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QPointF, QRectF, QSize
from PySide6.QtGui import QAction, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.errors import known_message
from desktop.i18n import fill
from tianbao.domain.errors import KnownError

XLSX_FILTER = "Excel (*.xlsx)"
PDF_FILTER = "PDF (*.pdf)"


def render_pdf(pdf_path: Path, printer: QPrinter) -> int:
    """Paint every page of a PDF onto a printer (or a preview); returns the number of pages."""
    doc = QPdfDocument()
    doc.load(str(pdf_path))
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        dpi = min(printer.resolution(), 300)  # enough for print; 1200 dpi images are slow and huge
        for i in range(doc.pageCount()):
            if i:
                printer.newPage()
            size_pt = doc.pagePointSize(i)
            target = QSize(int(size_pt.width() / 72 * dpi), int(size_pt.height() / 72 * dpi))
            image = doc.render(i, target)
            page = printer.pageRect(QPrinter.Unit.DevicePixel)
            scale = min(page.width() / image.width(), page.height() / image.height())
            w, h = image.width() * scale, image.height() * scale
            painter.drawImage(QRectF(QPointF(0, 0), QRectF(0, 0, w, h).size()), image)
        return doc.pageCount()
    finally:
        painter.end()
        doc.close()


def shows_demo(widget) -> bool:
    """Whether ``widget`` (a main window, or a dialog opened from one) shows the demonstration data."""
    while widget is not None:
        demo = getattr(widget, "demo", None)
        if demo is not None:
            return bool(demo)
        widget = widget.parent()
    return False


def mark_demo_file(widget, path: str | Path) -> bool:
    """Stamp 【演示数据】 on every page or sheet of a file written from ``widget``'s demonstration data
    (tianbao.pdf.stamp / tianbao.excel.stamp); nothing for a user's own data.  True if stamped."""
    path = Path(path)
    if not shows_demo(widget) or not path.exists():
        return False
    if path.suffix.lower() == ".pdf":
        from tianbao.pdf.stamp import stamp_pdf

        stamp_pdf(path)
        return True
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from tianbao.excel.stamp import stamp_workbook

        stamp_workbook(path)
        return True
    return False


class FileActions(QObject):
    """Builds the File menu's actions for a main window and runs them.

    A QObject of its own so that ``self.tr`` translates in the FileActions context, where
    pyside6-lupdate files these strings (``self.w.tr`` put them under a context named "self.w").
    """

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.last_path: Path | None = None

        def act(text, slot):
            a = QAction(text, window)
            # triggered(bool) passes `checked`; the slots take no argument from it.
            a.triggered.connect(lambda _checked=False, slot=slot: slot())
            return a

        self.export_xlsx = act(self.tr("导出报表（Excel）…"), self.export_return_xlsx)
        self.export_template = act(self.tr("导出空白模板（Excel）…"), self.export_blank_template)
        self.export_compiled = act(self.tr("导出汇总报表（Excel）…"), self.export_compiled_xlsx)
        self.save_pdf = act(self.tr("另存为 PDF…"), self.save_return_pdf)
        self.blank_pdf = act(self.tr("导出空白纸质表（PDF）…"), self.save_blank_pdf)
        self.report_pdf = act(self.tr("年度监测报告（PDF）…"), self.save_report_pdf)
        self.preview = act(self.tr("打印预览…"), self.print_preview)
        self.print_ = act(self.tr("打印…"), self.print_return)
        self.import_files = act(self.tr("导入报表（文件）…"), self.import_returns)
        self.import_folder = act(self.tr("导入报表（文件夹）…"), self.import_return_folder)
        self.plan_export = act(self.tr("导出计划工作簿…"), self.export_plan_workbook)
        self.plan_import = act(self.tr("导入计划工作簿…"), self.import_plan_workbook)

    def install(self, menu, before) -> None:
        for group in (
            (self.import_files, self.import_folder),
            (self.export_xlsx, self.export_template, self.export_compiled),
            (self.save_pdf, self.blank_pdf, self.report_pdf, self.preview, self.print_),
            (self.plan_export, self.plan_import),
        ):
            for a in group:
                menu.insertAction(before, a)
            menu.insertSeparator(before)

    # --- helpers -------------------------------------------------------------------------------

    def _info(self):
        return self.w.svc.info(self.w.return_id)

    def _ask_save(self, title: str, name: str, filt: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self.w, title, name, filt)
        return Path(path) if path else None

    def _run(self, fn, done: str) -> bool:
        self.w.grid.delegate.commit_open_editor()
        try:
            fn()
        except (KnownError, OSError) as e:  # an OSError here: disk full, file open in Excel…
            QMessageBox.warning(self.w, self.tr("未完成"), known_message(e))
            return False
        self.w.statusBar().showMessage(done, 6000)
        return True

    def _stem(self, kind: str) -> str:
        i = self._info()
        return f"{i.unit_name}_{i.year}年_{kind}"

    def _save_as(self, title: str, kind: str, filt: str, write) -> bool:
        """Ask where to save, then ``write(db, info, path)``; the file name says unit, year and kind."""
        suffix = ".pdf" if filt == PDF_FILTER else ".xlsx"
        path = self._ask_save(title, self._stem(kind) + suffix, filt)
        if path is None:
            return False
        self.last_path = path
        info = self._info()

        def run():
            write(self.w.db, info, path)
            self.mark_demo(path)

        return self._run(run, fill(self.tr("已导出：%1"), path))

    def mark_demo(self, path: Path) -> None:
        """A printout or file made from the demonstration data says so on every page and sheet."""
        mark_demo_file(self.w, path)

    # --- Excel ---------------------------------------------------------------------------------

    def export_return_xlsx(self) -> bool:
        from tianbao.excel.export import export_return

        return self._save_as(
            self.tr("导出报表"),
            "报表",
            XLSX_FILTER,
            lambda db, i, path: export_return(db, i.id, path),
        )

    def export_blank_template(self) -> bool:
        from tianbao.excel.export import export_template

        return self._save_as(
            self.tr("导出空白模板"),
            "空白模板",
            XLSX_FILTER,
            lambda db, i, path: export_template(db, i.unit_code, i.plan_id, i.year, path),
        )

    def export_compiled_xlsx(self) -> bool:
        from tianbao.excel.compiled import export_compiled

        return self._save_as(
            self.tr("导出汇总报表"),
            "汇总报表",
            XLSX_FILTER,
            lambda db, i, path: export_compiled(db, i.unit_code, i.plan_id, i.year, path),
        )

    def import_returns(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self.w, self.tr("导入报表"), "", "Excel (*.xlsx *.xlsm *.xls *.ods)"
        )
        if names:
            self.run_import([Path(n) for n in names])

    def import_return_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.w, self.tr("导入文件夹中的全部报表"))
        if folder:
            self.run_import([Path(folder)])

    def preview_import(self, paths: list[Path]):
        """The dry run of the files (a folder means every workbook in it) and the preview dialog."""
        from desktop.import_dialog import ImportDialog, plan_files
        from tianbao.excel.imports import expand_paths

        self.w.grid.delegate.commit_open_editor()
        try:
            files = expand_paths(paths)
        except KnownError as e:
            QMessageBox.warning(self.w, self.tr("导入报表"), str(e))
            return None
        plans = plan_files(self.w.db, files, self.w)
        if plans is None:
            return None
        return ImportDialog(self.w.db, plans, user=self.w.svc.user, parent=self.w)

    def finish_import(self, dialog) -> None:
        from desktop.dialogs import ResultDialog
        from tianbao.services.returns import Change

        lines = dialog.report().splitlines()
        self.result_dialog = ResultDialog(
            self.tr("导入报表"),
            fill(self.tr("导入结果（%1 个文件）："), len(dialog.results)),
            lines,
            self.w,
        )
        self.result_dialog.open()
        self.w.hub.changed.emit(Change(return_id=None))

    def run_import(self, paths: list[Path]) -> None:
        dialog = self.preview_import(paths)
        if dialog is not None and dialog.exec() == dialog.DialogCode.Accepted:
            self.finish_import(dialog)

    # --- PDF and printing ----------------------------------------------------------------------

    def save_return_pdf(self) -> bool:
        from tianbao.pdf.returns import write_return_pdf

        return self._save_as(
            self.tr("另存为 PDF"),
            "报表",
            PDF_FILTER,
            lambda db, i, path: write_return_pdf(db, i.id, path),
        )

    def save_blank_pdf(self) -> bool:
        from tianbao.pdf.returns import write_blank_form_pdf

        return self._save_as(
            self.tr("导出空白纸质表"),
            "空白纸质表",
            PDF_FILTER,
            lambda db, i, path: write_blank_form_pdf(db, i.unit_code, i.plan_id, i.year, path),
        )

    def save_report_pdf(self) -> bool:
        from tianbao.pdf.report import write_monitoring_report

        return self._save_as(
            self.tr("年度监测报告"),
            "监测报告",
            PDF_FILTER,
            lambda db, i, path: write_monitoring_report(db, i.unit_code, i.plan_id, i.year, path),
        )

    def _temp_pdf(self) -> Path:
        from tianbao.pdf.returns import write_return_pdf

        self.w.grid.delegate.commit_open_editor()
        folder = Path(tempfile.mkdtemp(prefix="tianbao-print-"))
        path = folder / "return.pdf"
        write_return_pdf(self.w.db, self.w.return_id, path)
        self.mark_demo(path)
        return path

    def make_preview(self) -> QPrintPreviewDialog:
        """The print preview of the return as it will print (the same PDF as 另存为 PDF).

        The dialog does not own its QPrinter: the printer is kept here (and on the dialog) for as
        long as the preview lives, else QtPrintSupport paints on a freed printer and crashes.
        """
        pdf = self._temp_pdf()
        self.preview_printer = printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintPreviewDialog(printer, self.w)
        dlg.printer_ref = printer
        dlg.setWindowTitle(self.tr("打印预览"))
        dlg.resize(1000, 760)
        dlg.paintRequested.connect(lambda p, pdf=pdf: render_pdf(pdf, p))
        return dlg

    def print_preview(self) -> None:
        old = getattr(self, "preview_dialog", None)
        if old is not None:
            old.close()
        try:
            self.preview_dialog = self.make_preview()
        except (KnownError, OSError) as e:
            QMessageBox.warning(self.w, self.tr("未完成"), known_message(e))
            return
        self.preview_dialog.open()

    def print_return(self) -> None:
        try:
            pdf = self._temp_pdf()
        except (KnownError, OSError) as e:
            QMessageBox.warning(self.w, self.tr("未完成"), known_message(e))
            return
        self.printer = printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(printer, self.w)
        self.print_dialog = dlg
        if dlg.exec() == QPrintDialog.DialogCode.Accepted:
            pages = render_pdf(pdf, printer)
            if not pages:
                QMessageBox.warning(
                    self.w,
                    self.tr("未能打印"),
                    self.tr(
                        "无法在所选打印机上打印。请检查打印机是否已连接并开机，或先“另存为 PDF”再打印。"
                    ),
                )
                return
            self.w.statusBar().showMessage(fill(self.tr("已发送打印：%1 页"), pages), 6000)

    # --- plan workbooks ------------------------------------------------------------------------

    def export_plan_workbook(self) -> bool:
        from tianbao.excel.planbook import write_plan_workbook
        from tianbao.services.plans import get_plan

        plan = get_plan(self.w.db, self._info().plan_id)
        path = self._ask_save(
            self.tr("导出计划工作簿"), f"{plan.title}_计划工作簿.xlsx", XLSX_FILTER
        )
        if path is None:
            return False
        self.last_path = path
        return self._run(lambda: write_plan_workbook(plan, path), fill(self.tr("已导出：%1"), path))

    def import_plan_workbook(self, path: Path | None = None) -> bool:
        """Import an edited plan workbook as a new version (same id) or a new plan (new id)."""
        from tianbao.excel.planbook import read_plan_workbook

        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self.w, self.tr("导入计划工作簿"), "", XLSX_FILTER
            )
            if not name:
                return False
            path = Path(name)
        result: list[str] = []

        def run():
            from tianbao.services.plans import store_plan

            stored = store_plan(self.w.db, read_plan_workbook(path), origin=path.name)
            what = self.tr("新计划") if stored.new_plan else self.tr("新版本")
            result.append(
                fill(
                    self.tr("已导入%1：%2 第 %3 版（%4 个指标）"),
                    what,
                    stored.plan.title,
                    stored.plan.version,
                    len(stored.plan.indicators),
                )
            )

        ok = self._run(run, "")
        if ok:
            QMessageBox.information(self.w, self.tr("导入计划工作簿"), result[0])
        return ok
