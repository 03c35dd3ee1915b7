"""Blank templates for all at once: each member department's and each sub-unit's, into one folder,
named so that staff can tell them apart (2025_区教育局_xinhua-children_空白表.xlsx)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from db.engine import Database
from db.repo import InputError
from tianbao.excel.export import export_template
from tianbao.services.duties import Duties

_BAD = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass(frozen=True)
class SentTemplate:
    unit_code: str
    unit_name: str
    path: Path
    indicators: int


def template_name(year: int, unit_name: str, plan_id: str) -> str:
    return f"{year}_{_BAD.sub('_', unit_name).strip('_')}_{plan_id}_空白表.xlsx"


def export_all_templates(
    db: Database, parent_code: str, plan_id: str, year: int, folder: str | os.PathLike
) -> list[SentTemplate]:
    """One blank template per unit that reports something under the division (the defaults while
    the office has not set it: then each unit's template holds every indicator)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"“{folder}”不是文件夹，请另选一个文件夹。")
    duties = Duties(db)
    assignments = duties.assignments(parent_code, plan_id)
    if not assignments:
        raise InputError(
            "没有需要发送模板的单位：请先在“单位管理”中添加成员单位或下级单位，"
            "并在“填报分工”中分配指标。"
        )
    names = [r.name for r, _ in assignments]
    out: list[SentTemplate] = []
    for reporter, codes in assignments:
        label = (
            reporter.name if names.count(reporter.name) == 1 else f"{reporter.name}_{reporter.code}"
        )
        path = folder / template_name(year, label, plan_id)
        written = export_template(db, reporter.code, plan_id, year, path)
        n = len(codes) if duties.indicators_for(reporter.code, plan_id) is not None else 0
        out.append(SentTemplate(reporter.code, reporter.name, written.path, n or written.inputs))
    return out
