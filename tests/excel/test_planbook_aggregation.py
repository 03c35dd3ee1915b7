"""The 汇总方式 column of the plan workbook: written, read back, edited, refused when unknown."""

from __future__ import annotations

import openpyxl
import pytest

from tianbao.domain.catalogue import load_builtin_plans
from tianbao.excel.planbook import PlanbookError, read_plan_workbook, write_plan_workbook


def _set(path, code, value):
    wb = openpyxl.load_workbook(path)
    ws = next(ws for ws in wb.worksheets if any(c.value == "汇总方式" for c in ws[1]))
    col = next(c.column for c in ws[1] if c.value == "汇总方式")
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code)
    assert ws.cell(row, col).value in (None, "", "最小")
    ws.cell(row, col).value = value
    wb.save(path)


def test_rule_round_trips_and_can_be_set_in_the_workbook(tmp_path):
    plan = load_builtin_plans()["xinhua-children"]
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(plan, path)
    back = read_plan_workbook(path)
    assert back.indicator("H36").aggregate == "min" and back.indicator("H36").aggregation == "min"
    assert back.indicator("H33").aggregate == "" and back.indicator("H33").aggregation == "mean"
    assert back.to_dict() == plan.to_dict()
    _set(path, "H33", "加权平均：H34")
    edited = read_plan_workbook(path)
    assert (edited.indicator("H33").aggregate, edited.indicator("H33").weight) == (
        "weighted_mean",
        "H34",
    )


def test_unknown_rule_is_refused_with_the_column(tmp_path):
    plan = load_builtin_plans()["xinhua-children"]
    path = tmp_path / "plan.xlsx"
    write_plan_workbook(plan, path)
    _set(path, "H36", "乱填")
    with pytest.raises(PlanbookError, match="汇总方式"):
        read_plan_workbook(path)
