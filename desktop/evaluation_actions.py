"""报表 → 中期评估报告… / 终期评估报告… / 统计资料… (issue 17).

Each asks where to save (the file name says unit, year and kind), writes the file through the
same code as ``tianbao evaluate`` / ``tianbao databook``, and says where it went; a known problem
(no return for the year, a year outside the plan) is a message that changes nothing.  The
evaluation writes its data annex (.xlsx) beside the PDF.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from desktop.file_actions import PDF_FILTER, XLSX_FILTER


class EvaluationActions(QObject):
    """The actions; a QObject so that ``self.tr`` uses the context lupdate files them under."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window

        def act(text, slot):
            a = QAction(text, window)
            a.triggered.connect(lambda _checked=False, slot=slot: slot())
            return a

        self.midterm = act(
            self.tr("中期评估报告（PDF）…"), lambda: self.save_evaluation(final=False)
        )
        self.final = act(self.tr("终期评估报告（PDF）…"), lambda: self.save_evaluation(final=True))
        self.databook_xlsx = act(self.tr("统计资料（Excel）…"), lambda: self.save_databook(".xlsx"))
        self.databook_pdf = act(self.tr("统计资料（PDF）…"), lambda: self.save_databook(".pdf"))
        self.actions = (self.midterm, self.final, self.databook_xlsx, self.databook_pdf)

    def install(self, menu) -> None:
        menu.addSeparator()
        for a in self.actions:
            menu.addAction(a)

    def save_evaluation(self, *, final: bool) -> bool:
        from tianbao.excel.annex import write_annex
        from tianbao.pdf.evaluation import write_evaluation_report

        kind = self.tr("终期评估报告") if final else self.tr("中期评估报告")

        def write(db, info, path: Path) -> None:
            result = write_evaluation_report(
                db, info.unit_code, info.plan_id, info.year, path, final=final
            )
            write_annex(result.evaluation, path.with_name(f"{path.stem}_数据附件.xlsx"))

        return self.w.files._save_as(kind, kind, PDF_FILTER, write)

    def save_databook(self, suffix: str) -> bool:
        from tianbao.services.databook import databook

        def write(db, info, path: Path) -> None:
            book = databook(db, info.unit_code, info.plan_id, subunits=True, up_to=info.year)
            if suffix == ".pdf":
                from tianbao.pdf.databook import write_databook_pdf

                write_databook_pdf(book, path)
            else:
                from tianbao.excel.databook import write_databook_xlsx

                write_databook_xlsx(book, path)

        filt = PDF_FILTER if suffix == ".pdf" else XLSX_FILTER
        return self.w.files._save_as(self.tr("统计资料"), "统计资料", filt, write)


def install_evaluation_actions(window, menu) -> EvaluationActions:
    window.evaluations = EvaluationActions(window)
    window.evaluations.install(menu)
    return window.evaluations
