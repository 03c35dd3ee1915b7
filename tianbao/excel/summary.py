"""The dry run of an import as text: what the command line prints and the import dialog shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tianbao.excel.layout import SIGNOFF, signoff_text
from tianbao.excel.preview import FilePreview

if TYPE_CHECKING:
    from tianbao.services.returns import SignOff


def footer_text(signoff: SignOff) -> str:
    """The footer found in a file: 单位负责人 张三，填表人 王五，报出日期 2025-01-15."""
    filled = [f"{label} {text}" for key, label in SIGNOFF if (text := signoff_text(signoff, key))]
    return "，".join(filled) or "（未填写）"


def summary_lines(fp: FilePreview, *, detail: int = 20) -> list[str]:
    """The dry run of one file as text (the command line prints it)."""
    if fp.refused:
        return [f"✗ {fp.name}", f"  {fp.refused}"]
    lines = [f"● {fp.name}"]
    if fp.already_imported is not None and not fp.reimport:
        return lines + [f"  {i.message}" for i in fp.issues]
    who = f"{fp.unit_code} {fp.unit_name}".strip()
    layout = "Tianbao 报表" if fp.layout == "tianbao" else "外来格式（需确认对应关系）"
    lines.append(
        f"  {layout}：{who or '单位未知'}，{fp.year or '年份未知'}年，计划 {fp.plan_id} 第 "
        f"{fp.plan_version} 版；文件指纹 {fp.fingerprint}"
    )
    lines.append(
        f"  新增 {len(fp.new)}，修改 {len(fp.changed)}，冲突 {len(fp.conflicts)}，"
        f"相同或未填 {fp.unchanged}"
    )
    if fp.signoff is not None:
        lines.append(f"  签署栏：{footer_text(fp.signoff)}")
    for group, title in (
        (fp.conflicts, "冲突（本库已有不同的值）"),
        (fp.changed, "修改"),
        (fp.new, "新增"),
    ):
        if not group:
            continue
        lines.append(f"  {title}：")
        for c in group[:detail]:
            note = "（文件未改动此值，本库在导出后改过）" if c.untouched else ""
            lines.append(
                f"    {c.label}：{c.describe(fp.indicator(c.indicator))}{note}  [{c.where}]"
            )
        if len(group) > detail:
            lines.append(f"    …… 另有 {len(group) - detail} 项")
    marks = {"block": "不能导入", "error": "未读取", "warn": "注意", "info": "说明"}
    for i in fp.issues:
        lines.append(f"  [{marks[i.severity]}] {i.message}")
    errors = [(c, cell, f) for c, cell, f in fp.findings if f.severity == "error"]
    warns = [(c, cell, f) for c, cell, f in fp.findings if f.severity == "warning"]
    if errors or warns:
        lines.append(f"  导入后审核：必要性审核错误 {len(errors)}，核实性审核提示 {len(warns)}")
        for _c, _cell, f in (errors + warns)[:detail]:
            lines.append(f"    {'错误' if f.severity == 'error' else '提示'}：{f.message}")
    return lines


def previews_total(plans: Sequence[FilePreview]) -> str:
    ok = sum(1 for p in plans if p.can_apply)
    refused = sum(1 for p in plans if p.refused)
    done = sum(1 for p in plans if p.already_imported is not None and not p.reimport)
    return f"共 {len(plans)} 个文件：可导入 {ok}，无法读取 {refused}，已导入过 {done}。"
