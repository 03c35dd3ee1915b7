"""Saving a reviewed plan draft: as a new plan in the database, or as a plan workbook.

The saving section of :class:`desktop.plan_draft_dialog.PlanDraftDialog`, as a mixin: the plan
must have no 待核 left and a valid, unused 编号; it passes the same catalogue checks as a built-in
plan (``plan_from_dict``).  Its strings are in the ``PlanDraftSaving`` translation context.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.i18n import fill
from desktop.plan_draft_model import XLSX_FILTER
from tianbao.domain.catalogue import PLAN_ID_RE, plan_from_dict
from tianbao.domain.errors import KnownError


class PlanDraftSaving:
    """Mixin of PlanDraftDialog: 保存为新计划 and 导出计划工作簿…"""

    # --- saving --------------------------------------------------------------------------------

    def _final_plan(self) -> dict[str, Any]:
        plan = copy.deepcopy(self.plan)
        plan["id"] = self.id_edit.text().strip()
        plan["title"] = self.title_edit.text().strip() or plan["title"]
        return plan

    def _check(self) -> dict[str, Any] | None:
        plan = self._final_plan()
        if not PLAN_ID_RE.match(plan["id"]):
            QMessageBox.warning(
                self,
                self.tr("未保存"),
                self.tr(
                    "计划编号只能用小写字母、数字和连字符，以字母开头（如 xx-county-children）。请修改后再保存。"
                ),
            )
            return None
        return plan

    def save_as_plan(self) -> bool:
        from db.plans import plan_ids, save_plan_version

        if self.plan is None:
            return False
        if self.unresolved():
            QMessageBox.warning(
                self,
                self.tr("未保存"),
                fill(
                    self.tr(
                        "还有 %1 处待核。请逐项“接受”、在表格中更正或“删除”后再保存；"
                        "也可以“导出计划工作簿”在 Excel 中继续完成。"
                    ),
                    self.unresolved(),
                ),
            )
            self.next_flag()
            return False
        data = self._check()
        if data is None:
            return False
        try:
            plan = plan_from_dict(data, origin=self.source)
            with self.db.session() as s:
                if plan.id in plan_ids(s):
                    QMessageBox.warning(
                        self,
                        self.tr("未保存"),
                        fill(
                            self.tr(
                                "已有编号为 %1 的计划。新计划请换一个编号；修改已有计划请用“导入计划工作簿”。"
                            ),
                            plan.id,
                        ),
                    )
                    return False
                stored = save_plan_version(s, plan, origin=self.source)
        except KnownError as e:
            QMessageBox.warning(self, self.tr("未保存"), str(e))
            return False
        self.saved_plan = stored
        QMessageBox.information(
            self,
            self.tr("从规划文本新建计划"),
            fill(
                self.tr("已保存新计划：%1（%2，%3 个指标）。可在“切换报表”中选用。"),
                stored.title,
                stored.id,
                len(stored.indicators),
            ),
        )
        self.accept()
        return True

    def export_workbook(self) -> bool:
        from tianbao.excel.planbook import write_plan_workbook

        if self.plan is None:
            return False
        data = self._check()
        if data is None:
            return False
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("导出计划工作簿"), f"{data['title']}_计划工作簿.xlsx", XLSX_FILTER
        )
        if not name:
            return False
        try:
            write_plan_workbook(plan_from_dict(data, origin=self.source), Path(name))
        except (KnownError, OSError) as e:
            QMessageBox.warning(self, self.tr("未完成"), str(e))
            return False
        self.status.setText(fill(self.tr("已导出：%1（“待核”写在说明中）"), name))
        return True
