"""Validating a read plan by the catalogue's rules, and putting each problem back on its row and column."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from tianbao.domain.catalogue import (
    CatalogueError,
    Plan,
    plan_from_dict,
)
from tianbao.excel.planbook.cells import (
    _Problems,
    _Where,
)
from tianbao.excel.planbook.layout import (
    _PLAN_LABEL,
    SHEET_DOMAINS,
    SHEET_INDICATORS,
    SHEET_PLAN,
    SHEET_TARGETS,
)

# ---------------------------------------------------------------------------------------
# Validation by the catalogue, and putting its problems back on rows and columns

# (words in a catalogue message, column).  First match wins.
_INDICATOR_COLUMN_HINTS = (
    ("指标代码", "指标代码"),
    ("缺少字段 domain", "领域代码"),
    ("领域", "领域代码"),
    ("缺少字段 name", "指标名称"),
    ("缺少字段 unit", "计量单位"),
    ("缺少字段 kind", "值类型"),
    ("值类型", "值类型"),
    ("scale", "倍数"),
    ("numerator", "分子"),
    ("denominator", "分母"),
    ("计量单位", "计量单位"),
    ("better", "优劣方向"),
    ("bounds", "下限"),
    ("plausible", "合理下限"),
    ("change_threshold", "变动阈值"),
    ("disaggregation", "分组"),
    ("aggregate", "汇总方式"),
    ("汇总方式", "汇总方式"),
    ("weight", "汇总方式"),
    ("departments", "责任部门"),
    ("sources", "原文出处"),
)
_TARGET_COLUMN_HINTS = (
    ("tolerance_stated", "容差出自原文"),
    ("from_year", "起始年份"),
    ("reached_in", "实际值年份"),
    ("reference", "参照值名称"),
    ("未知的比较方式", "比较方式"),
    ("目标年份", "年份"),
    ("change_unit", "变动单位"),
    ("basis", "基数"),
    ("基期年份", "基期年"),
    ("baseline", "基期值"),
    ("tolerance", "容差"),
    ("direction 目标", "趋势方向"),
    ("value", "目标值"),
    ("区间两端", "目标值"),
    ("值类型", "比较方式"),
    ("是/否类指标", "比较方式"),
    ("line", "原文行号"),
)
_PLAN_HINTS = (
    ("计划编号", "id"),
    ("缺少字段 id", "id"),
    ("规划期", "period_start"),
    ("缺少字段 period", "period_start"),
    ("base_year", "base_year"),
    ("kind", "kind"),
    ("version", "version"),
    ("缺少字段 title", "title"),
)


def _column(message: str, hints: Iterable[tuple[str, str]]) -> str | None:
    return next((col for words, col in hints if words in message), None)


def _polish(message: str) -> str:
    m = re.fullmatch(r"(领域)?缺少字段 (\w+)", message)
    return "必须填写" if m else message


def _validate(data: dict[str, Any], where: _Where, P: _Problems, origin: str) -> Plan | None:
    try:
        plan = plan_from_dict(data, origin=origin)
    except CatalogueError as e:
        found = e.problems
    else:
        return plan
    by_code: dict[str, list[str]] = {}
    for code, message in found:
        by_code.setdefault(code, []).append(message)

    def add(sheet: str | None, row: int | None, column: str | None, message: str) -> None:
        if (sheet, row, column) in P.cells and sheet is not None:
            return  # already reported in the reader's own words
        if (sheet in where.broken and row is None) or (
            SHEET_DOMAINS in where.broken and column == "领域代码"
        ):
            return  # follows from a sheet that could not be read, reported already
        P.add(sheet, row, column, message)

    for code, messages in by_code.items():
        if code in where.indicator_rows:
            _place_indicator_problems(data, code, messages, where, add)
            continue
        for message in messages:
            if code and code in where.domain_rows and message.startswith("领域"):
                add(
                    SHEET_DOMAINS,
                    where.domain_rows[code],
                    "名称" if "name" in message else "代码",
                    _polish(message),
                )
            elif code == "" and ("没有任何领域" in message or message.startswith("领域")):
                add(SHEET_DOMAINS, None, None, message)
            elif code == "" and "没有任何指标" in message:
                add(SHEET_INDICATORS, None, None, message)
            elif code == "":
                key = _column(message, _PLAN_HINTS)
                row = where.plan_rows.get(key) if key else None
                if row is not None:
                    add(SHEET_PLAN, row, "内容", f"“{_PLAN_LABEL[key]}”{_polish(message)}")
                else:
                    add(SHEET_PLAN, None, None, message)
            else:
                add(None, None, None, f"[{code}] {message}")
    return None


def _place_indicator_problems(
    data: dict[str, Any], code: str, messages: list[str], where: _Where, add: Any
) -> None:
    """Tell which catalogue problems of an indicator come from which of its target rows.

    The catalogue names only the indicator; validating the indicator alone and then with each
    target in turn shows which target row each problem belongs to.
    """
    ind = next(i for i in data["indicators"] if i["code"] == code)
    targets = where.target_rows.get(code, [])

    def problems_with(tgts: list[dict[str, Any]]) -> Counter[str]:
        trial = dict(data, indicators=[dict(ind, targets=tgts)])
        try:
            plan_from_dict(trial, origin="")
        except CatalogueError as e:
            return Counter(m for c, m in e.problems if c == code)
        return Counter()

    own = problems_with([])
    per_target = [problems_with([t]) - own for _, t in targets]
    ind_row = where.indicator_rows[code]
    for message in messages:
        if own[message] > 0:
            own[message] -= 1
            add(
                SHEET_INDICATORS,
                ind_row,
                _column(message, _INDICATOR_COLUMN_HINTS),
                _polish(message),
            )
            continue
        for (row, _), found in zip(targets, per_target, strict=True):
            if found[message] > 0:
                found[message] -= 1
                add(SHEET_TARGETS, row, _column(message, _TARGET_COLUMN_HINTS), message)
                break
        else:
            add(SHEET_INDICATORS, ind_row, None, message)
