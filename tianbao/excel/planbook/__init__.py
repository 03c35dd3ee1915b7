"""Plan workbooks: a plan as an .xlsx that a county office edits in Excel or WPS and imports back.

County offices set their own targets.  They export a plan (built-in or their own) with
:func:`write_plan_workbook`, change it in Excel or WPS, and import it with
:func:`read_plan_workbook`, which returns a new :class:`~tianbao.domain.catalogue.Plan`; the caller
decides whether it is a new version of the plan named in the workbook or, with ``new_id``, a
new plan.

The workbook has five sheets: 说明 (instructions, never read back), 计划 (the header as
key/value rows), 领域, 指标 and 目标 (one row per domain, indicator and target).  Columns are
found by their header, so users may reorder columns and rows, add their own columns, type
numbers as text or in full-width digits, and write enumerations in Chinese.

Reading builds plain data in the catalogue format and validates it with
:func:`~tianbao.domain.catalogue.plan_from_dict`, so a workbook obeys exactly the rules of a built-in
TOML file.  Every problem is reported (not only the first) with the sheet, row and column it is
in; catalogue problems, which name only an indicator code, are traced back to the row of the
indicator or of the target that causes them.
"""

from tianbao.excel.planbook.layout import (
    REQUIRED_SHEETS,
    SHEET_DOMAINS,
    SHEET_INDICATORS,
    SHEET_PLAN,
    SHEET_README,
    SHEET_TARGETS,
    PlanbookError,
    PlanbookProblem,
)
from tianbao.excel.planbook.read import read_plan_workbook
from tianbao.excel.planbook.write import write_plan_workbook

__all__ = [
    "REQUIRED_SHEETS",
    "SHEET_DOMAINS",
    "SHEET_INDICATORS",
    "SHEET_PLAN",
    "SHEET_README",
    "SHEET_TARGETS",
    "PlanbookError",
    "PlanbookProblem",
    "read_plan_workbook",
    "write_plan_workbook",
]
