"""The plan draft's review table as data: columns, comparator words, value text, rows, quotes.

Used by :mod:`desktop.plan_draft_dialog` (文件 → 从规划文本新建计划…).  Column headings are
translated in the dialog's context (``PlanDraftDialog``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor

TEXT_FILTER = "规划正文 (*.docx *.pdf *.txt *.html *.htm)"
XLSX_FILTER = "Excel (*.xlsx)"

OP_LABEL = {
    "<=": "≤",
    "<": "<",
    ">=": "≥",
    ">": ">",
    "approx": "≈",
    "range": "区间",
    "change": "变化",
    "growth": "年均增长",
    "direction": "趋势",
    "qualitative": "定性",
}
OP_OF_LABEL = {
    **{v: k for k, v in OP_LABEL.items()},
    **{k: k for k in OP_LABEL},
    "≤": "<=",
    "≥": ">=",
    "以下": "<=",
    "以上": ">=",
    "左右": "approx",
}
COLUMNS = [
    QT_TRANSLATE_NOOP("PlanDraftDialog", "待核"),
    QT_TRANSLATE_NOOP("PlanDraftDialog", "代码"),
    QT_TRANSLATE_NOOP("PlanDraftDialog", "指标"),
    QT_TRANSLATE_NOOP("PlanDraftDialog", "单位"),
    QT_TRANSLATE_NOOP("PlanDraftDialog", "比较"),
    QT_TRANSLATE_NOOP("PlanDraftDialog", "目标值"),
    QT_TRANSLATE_NOOP("PlanDraftDialog", "年份"),
    QT_TRANSLATE_NOOP("PlanDraftDialog", "每个下级单位"),
    QT_TRANSLATE_NOOP("PlanDraftDialog", "行"),
    QT_TRANSLATE_NOOP("PlanDraftDialog", "原文"),
]
C_FLAG, C_CODE, C_NAME, C_UNIT, C_OP, C_VALUE, C_YEAR, C_EACH, C_LINE, C_QUOTE = range(10)
EDITABLE = {C_NAME, C_OP, C_VALUE, C_YEAR, C_EACH}
FLAG_BG = QColor("#ffe0b3")
TARGET_BG = QColor("#fff7c2")
CURRENT_BG = QColor("#b9dcff")


def num(v: float) -> int | float:
    return int(v) if float(v).is_integer() else v


def value_text(t: dict[str, Any]) -> str:
    if t.get("reached_in"):
        return f"{t['reached_in']}年实际值"
    if t.get("reference"):
        return str(t["reference"])
    v = t.get("value")
    if isinstance(v, list):
        return f"{num(v[0])}—{num(v[1])}"
    if v is None:
        return t.get("direction", "") if t.get("op") == "direction" else ""
    return str(num(v))


def rows_of(plan: dict[str, Any], flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The review table's rows: one per drafted target with its 待核 messages, then one per
    number in the text that no target took (no indicator)."""
    by_target: dict[tuple[str, int | None], list[str]] = {}
    for f in flags:
        by_target.setdefault((f["code"], f.get("target")), []).append(f["message"])
    rows = []
    for ind in plan["indicators"]:
        for k, t in enumerate(ind["targets"]):
            msgs = by_target.get((ind["code"], k), []) + (
                by_target.get((ind["code"], None), []) if k == 0 else []
            )
            rows.append(
                {
                    "kind": "target",
                    "ind": ind,
                    "target": t,
                    "flags": list(dict.fromkeys(msgs)),
                    "resolved": not msgs,
                }
            )
    for f in flags:
        if not f["code"]:
            rows.append(
                {
                    "kind": "text",
                    "ind": None,
                    "target": {"line": f.get("line"), "quote": f.get("quote", "")},
                    "flags": [f["message"]],
                    "resolved": False,
                }
            )
    return rows


def find_quote(text: str, quote: str) -> tuple[int, int]:
    """Where ``quote`` (whitespace removed) stands in ``text``: (start, length); the line if not found."""
    if not quote:
        return 0, len(text)
    compact, pos = [], []
    for i, ch in enumerate(text):
        if not ch.isspace():
            compact.append(ch)
            pos.append(i)
    k = "".join(compact).find("".join(quote.split()))
    if k < 0:
        return 0, len(text)
    end = k + len("".join(quote.split())) - 1
    return pos[k], pos[end] - pos[k] + 1
