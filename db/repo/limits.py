"""What a database server refuses (text lengths, required fields), checked before writing."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import String, event
from sqlalchemy.orm import Session

from tianbao.domain.errors import InputError

# --- what a database server refuses, checked before writing -----------------------------------

FIELD_LABELS = {
    ("unit", "code"): "单位代码",
    ("unit", "name"): "单位名称",
    ("return", "unit_head"): "单位负责人",
    ("return", "stats_head"): "统计负责人",
    ("return", "filled_by"): "填表人",
    ("return", "phone"): "联系电话",
    ("value", "text"): "填写的内容",
    ("value", "indicator"): "指标代码",
    ("value", "cell"): "分组",
    ("explanation", "text"): "情况说明",
    ("audit", "reason"): "原因",
    ("plan_form", "table_no"): "表号",
    ("plan_form", "made_by"): "制定机关",
    ("plan_form", "approved_by"): "批准机关",
    ("plan_form", "approval_no"): "批准文号",
    ("plan_form", "valid_until"): "有效期至",
    ("plan_version", "title"): "计划名称",
    ("imported_file", "name"): "文件名",
}


def check_text(label: str, text: str | None, limit: int | None = None) -> None:
    """Refuse text a database would refuse or cut: NUL characters (PostgreSQL refuses them) and more
    characters than the column holds (PostgreSQL refuses; SQLite would keep them silently)."""
    if text is None:
        return
    if "\x00" in text:
        raise InputError(
            f"“{label}”中含有不可见的控制字符（NUL），数据库不能保存。"
            "这常见于从其他程序复制的文字；请删除该字符（或重新输入）后再保存。",
            f"{label} contains an invisible NUL character that the database cannot store; remove it.",
        )
    if limit is not None and len(text) > limit:
        raise InputError(
            f"“{label}”最多 {limit} 个字符，现在有 {len(text)} 个。请缩短后再保存。",
            f"{label} takes at most {limit} characters ({len(text)} given); shorten it.",
        )


def check_row(table, values: Mapping[str, object]) -> None:
    """:func:`check_text` for every text column of one row of ``table`` about to be written."""
    for name, v in values.items():
        if not isinstance(v, str) or name not in table.c:
            continue
        col = table.c[name]
        limit = col.type.length if isinstance(col.type, String) else None
        check_text(FIELD_LABELS.get((table.name, name), name), v, limit)


@event.listens_for(Session, "before_flush")
def _check_before_flush(session: Session, _ctx, _instances) -> None:
    # The net under every ORM write, whoever wrote the code: nothing a server refuses reaches it.
    for obj in list(session.new) + list(session.dirty):
        table = getattr(obj, "__table__", None)
        if table is None:
            continue
        state = obj.__dict__
        check_row(table, {c.key: state.get(c.key) for c in table.columns})
