"""Import a unit list (代码, 名称, 级别, 上级代码) from .xlsx or .csv — all or nothing."""

from __future__ import annotations

import csv
from pathlib import Path

from db import repo
from db.engine import Database
from db.models import UNIT_LEVELS
from db.repo import InputError

LEVEL_WORDS = {
    "省": "province",
    "市": "city",
    "地级市": "city",
    "县": "county",
    "区": "county",
    "县（区）": "county",
    "县(区)": "county",
    "县级": "county",
    "乡": "township",
    "镇": "township",
    "乡镇": "township",
    "街道": "township",
    "乡镇（街道）": "township",
    "乡镇(街道)": "township",
    "村": "village",
    "社区": "village",
    "村（社区）": "village",
    "村(社区)": "village",
    "成员单位": "department",
    "部门": "department",
}
HEADERS = {
    "代码": "code",
    "单位代码": "code",
    "code": "code",
    "名称": "name",
    "单位名称": "name",
    "name": "name",
    "级别": "level",
    "level": "level",
    "上级代码": "parent",
    "上级单位代码": "parent",
    "parent": "parent",
}


def _rows(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = path.read_bytes()
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(f"“{path.name}”的编码无法识别，请另存为 UTF-8 编码的 CSV。")
        return [[c.strip() for c in r] for r in csv.reader(text.splitlines())]
    if suffix in (".xlsx", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        try:
            wb = CalamineWorkbook.from_path(str(path))
            sheet = wb.get_sheet_by_index(0).to_python()
        except Exception as e:  # noqa: BLE001 - any reader failure means an unusable file
            raise InputError(f"无法读取“{path.name}”：文件不是有效的表格文件（{e}）。") from e
        return [[_text(c) for c in r] for r in sheet]
    raise InputError(f"“{path.name}”不是 xlsx 或 csv 文件。")


def _text(c) -> str:
    if isinstance(c, float) and c.is_integer():
        return str(int(c))
    return str(c).strip() if c is not None else ""


def import_units(db: Database, path: Path) -> int:
    if not path.exists():
        raise InputError(f"找不到文件“{path}”。")
    rows = [r for r in _rows(path) if any(r)]
    if not rows:
        raise InputError(f"“{path.name}”是空的。")
    cols = {HEADERS.get(h.strip()): i for i, h in enumerate(rows[0]) if HEADERS.get(h.strip())}
    missing = [
        label
        for key, label in (("code", "代码"), ("name", "名称"), ("level", "级别"))
        if key not in cols
    ]
    if missing:
        raise InputError(
            f"“{path.name}”第 1 行缺少列：{'、'.join(missing)}（需要 代码、名称、级别、上级代码）。"
        )
    problems = []
    count = 0
    with db.session() as s:
        for n, r in enumerate(rows[1:], start=2):

            def get(key, r=r):
                i = cols.get(key)
                return r[i].strip() if i is not None and i < len(r) else ""

            level = LEVEL_WORDS.get(get("level"), get("level"))
            if level not in UNIT_LEVELS:
                problems.append(f"第 {n} 行“级别”列：无法识别“{get('level')}”")
                continue
            try:
                repo.add_unit(s, get("code"), get("name"), level, get("parent") or None)
                count += 1
            except InputError as e:
                problems.append(f"第 {n} 行：{e}")
        if problems:
            raise InputError(
                f"“{path.name}”有 {len(problems)} 处错误，未导入任何单位：\n" + "\n".join(problems)
            )
    return count
