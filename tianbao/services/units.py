"""Import a unit list (代码, 名称, 级别, 上级代码) from .xlsx or .csv — all or nothing."""

from __future__ import annotations

import csv
from pathlib import Path

from db import repo
from db.engine import Database
from db.models import UNIT_LEVELS
from db.repo import ANY, InputError
from tianbao.domain import text
from tianbao.domain.errors import os_problem

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


MAX_CSV_BYTES = 10 * 1024 * 1024  # a unit list is a few kilobytes


def _rows(path: Path) -> list[list[str]]:
    """The rows of a unit list as cleaned text.  A workbook is read like a colleague's return:
    checked, then parsed in the sandboxed reader process (``tianbao.excel.read``)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            if path.stat().st_size > MAX_CSV_BYTES:
                raise InputError(
                    f"“{path.name}”超过 {MAX_CSV_BYTES // 1048576} MB，不像是单位名单。请确认文件是否选错。"
                )
            raw = path.read_bytes()
        except OSError as e:
            raise InputError(
                f"无法读取“{path.name}”：{os_problem(e)}。请检查文件后重试。"
            ) from None
        for enc in ("utf-8-sig", "gb18030"):
            try:
                decoded = raw.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InputError(f"“{path.name}”的编码无法识别，请另存为 UTF-8 编码的 CSV。")
        try:
            return [
                [_text(c) for c in r] for r in csv.reader(decoded.replace("\0", "").splitlines())
            ]
        except csv.Error:
            raise InputError(
                f"“{path.name}”不是有效的 CSV 文件（引号不配对或字段过长）。"
                "请用 Excel 或 WPS 打开后另存为 CSV 或 .xlsx 再导入。"
            ) from None
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        from tianbao.excel.read import read_book

        _book, sheets = read_book(path)  # a KnownError with a Chinese message if it cannot
        first = next((s for s in sheets if s.visible), sheets[0])
        return [[_text(c) for c in r] for r in first.rows]
    raise InputError(f"“{path.name}”不是 .xlsx、.xls、.ods 或 .csv 文件。")


def _text(c) -> str:
    if isinstance(c, float) and c.is_integer() and abs(c) < 1e15:
        return str(int(c))
    return text.one_line(c)


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


# --- the units editor's use cases (each one session; the desktop never opens one itself) -----


def list_units(db: Database) -> list[repo.UnitInfo]:
    """Every unit, parents before their children, in the order they were added."""
    with db.session() as s:
        return repo.list_units(s)


def add_unit(
    db: Database, code: str, name: str, level: str, parent_code: str | None = None
) -> repo.UnitInfo:
    code, name = text.unit_code(code), text.unit_name(name)
    # A write unit of work: it reads (is the code taken?) then inserts; on SQLite a deferred
    # transaction whose snapshot another PC's commit overtook fails at once ("database is
    # locked") instead of waiting its turn.
    with db.write() as s:
        return repo.add_unit(s, code, name, level, parent_code)


def rename_unit(db: Database, code: str, name: str, *, expected=ANY, user: str = "") -> None:
    """Rename a unit; ``expected`` is the name the user saw (a ConflictError if someone else
    renamed it meanwhile, nothing written)."""
    name = text.unit_name(name)
    with db.write() as s:
        repo.rename_unit(s, code, name, expected=expected, origin=repo.Origin(user=user))


def delete_unit(db: Database, code: str, user: str = "", *, expected=ANY) -> int:
    """Delete a unit without sub-units or returns.  The 填报分工 naming it (a member department's
    indicators) goes with it, each indicator in the duties history with ``user``; returns how many
    indicators changed reporter.  ``expected`` (the UnitInfo the user saw): a ConflictError if
    another user changed or deleted the unit meanwhile, nothing deleted."""
    from tianbao.services.division import delete_unit_and_duties

    with db.write() as s:
        repo.lock_unit_as_seen(s, code, expected, f"删除单位 {code}")
        return delete_unit_and_duties(s, code, repo.Origin(user=user))


def units_stamp(db: Database) -> int:
    """Changes whenever a unit is added, changed or deleted (the newest unit history row): what an
    open units editor polls, one cheap query."""
    from sqlalchemy import func, select

    from db.models import Audit

    with db.session() as s:
        actions = ("unit_add", "unit_rename", "unit_update", "unit_delete")
        q = select(func.max(Audit.id)).where(Audit.action.in_(actions))
        return s.scalar(q) or 0


def duties_reported_by(db: Database, code: str) -> int:
    """How many indicators the 填报分工 in force gives ``code`` to report (every plan, distinct):
    the stored duties naming it and the plans' defaults under its parent."""
    from tianbao.services.division import duties_of

    with db.session() as s:
        return len(duties_of(s, repo.unit_by_code(s, code)))


def has_children(db: Database, code: str) -> bool:
    with db.session() as s:
        return bool(repo.children(s, repo.unit_by_code(s, code).id))


def level_below(level: str | None) -> str:
    """The level a new unit under ``level`` most likely has (市 → 县（区） → 乡镇 → 村)."""
    order = ("province", "city", "county", "township", "village")
    if level in order[:-1]:
        return order[order.index(level) + 1]
    if level == "village":
        return "department"
    return "county" if level is None else "department"


def update_unit(
    db: Database,
    code: str,
    *,
    new_code: str,
    name: str,
    level: str,
    parent_code: str | None,
    expected=ANY,
    user: str = "",
) -> repo.UnitInfo:
    """Change a unit's code, name, level and parent at once, checked like a new unit; audited
    with ``user``.  ``expected`` (the UnitInfo the user saw): a ConflictError naming the other
    change, who and when, if another user changed or deleted the unit meanwhile; nothing written."""
    from sqlalchemy import select

    from db.models import Unit

    new_code, name = text.unit_code(new_code), text.unit_name(name)
    parent_code = (parent_code or "").strip() or None
    mine = repo.describe_unit(repo.UnitInfo(0, new_code, name, level, parent_code))
    with db.write() as s:
        u = repo.lock_unit_as_seen(s, code, expected, mine)
        if not new_code or not name:
            raise InputError("单位代码和名称都不能为空。")
        if level not in UNIT_LEVELS:
            raise InputError(f"单位级别“{level}”无效，可用：{'、'.join(UNIT_LEVELS)}。")
        if new_code != u.code and s.scalar(select(Unit).where(Unit.code == new_code)):
            raise InputError(f"单位代码“{new_code}”已存在，请换一个代码。")
        parent = repo.unit_by_code(s, parent_code) if parent_code else None
        p = parent
        while p is not None:
            if p.id == u.id:
                raise InputError(f"“{name}”不能挂在自己或自己的下级之下，请另选上级单位。")
            p = p.parent
        if parent is not None and parent.level == "department":
            raise InputError(f"成员单位“{parent.name}”不能有下级单位。")
        if (
            parent is not None
            and level != "department"
            and UNIT_LEVELS.index(parent.level) >= UNIT_LEVELS.index(level)
        ):
            raise InputError(f"“{name}”的级别不能高于或等于其上级“{parent.name}”。")
        for kid in repo.children(s, u.id):
            if UNIT_LEVELS.index(kid.level) <= UNIT_LEVELS.index(level) or level == "department":
                raise InputError(
                    f"“{name}”的下级“{kid.name}”的级别不低于新级别，请先调整下级单位。"
                )
        old = f"{u.code} {u.name} [{u.level}] ← {u.parent.code if u.parent else '-'}"
        new = f"{new_code} {name} [{level}] ← {parent_code or '-'}"
        if old != new:
            u.code, u.name, u.level, u.parent = new_code, name, level, parent
            repo.audit(s, None, "unit_update", repo.Origin(user=user), old=old, new=new)
        s.flush()
        return repo._unit_info(u)
