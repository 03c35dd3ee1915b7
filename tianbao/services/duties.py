"""填报分工: who reports each indicator of a plan for a parent unit.

For a parent unit (a district, or a city) and a plan, every indicator is reported by one of
- a member department of the parent (``Source("department", unit_code)``),
- the geographic sub-units — townships, or counties for a city (``Source("subunits", None)``),
- the office itself (``Source("self", None)``).

The division is stored per plan version (a new version of the plan starts from the division of the
latest earlier version that has one, indicator by indicator) and every change is in the audit
trail.  Until the office sets it, :meth:`Duties.source_of` gives the defaults — the catalogue's
``departments`` matched by name to the parent's member departments, per-sub-unit targets to the
sub-units, the rest to the office — and :meth:`Duties.indicators_for` says "all" (None), so a
unit's return is what it was before the division existed.

PUBLIC API (other services build on it):
    Duties(db).source_of(parent_code, plan_id) -> dict[str, Source]
    Duties(db).indicators_for(unit_code, plan_id) -> list[str] | None   (None = all indicators)

The division as data (sources, reporters, the table), the matching of department names and the
session-level queries other services use live in :mod:`tianbao.services.division`; this module
holds the :class:`Duties` service with its workbook export and import, and hands those names on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select

from db import repo
from db.engine import Database
from db.models import Duty
from db.plans import get_plan
from db.repo import InputError, Origin
from tianbao.domain.errors import KnownError
from tianbao.services.division import (
    KINDS,
    SELF,
    SUBUNITS,
    DutyChange,
    DutyRow,
    DutyTable,
    Reporter,
    Source,
    _departments,
    _subunits,
    defaults,
    department_key,
    effective,
    has_duties,
    match_department,
    per_subunit,
    reported_codes,
    source_label,
)

# --- the service ---------------------------------------------------------------------------


class Duties:
    def __init__(self, db: Database, user: str = "") -> None:
        self.db = db
        self.user = user

    # reading

    def source_of(
        self, parent_code: str, plan_id: str, version: int | None = None
    ) -> dict[str, Source]:
        """Indicator code → who reports it (the plan's latest version unless ``version``)."""
        with self.db.session() as s:
            parent = repo.unit_by_code(s, parent_code)
            plan = get_plan(s, plan_id, version)
            return effective(s, parent, plan)[0]

    def indicators_for(
        self, unit_code: str, plan_id: str, version: int | None = None
    ) -> list[str] | None:
        """The indicator codes a unit reports, in plan order; None = all (no duties set by its
        parent, e.g. a standalone township return; or the parent itself, whose return is whole)."""
        with self.db.session() as s:
            unit = repo.unit_by_code(s, unit_code)
            plan = get_plan(s, plan_id, version)
            codes = reported_codes(s, unit, plan)
            if codes is None:
                return None
            return [i.code for i in plan.indicators if i.code in codes]

    def office_of(self, unit_code: str) -> str | None:
        """The unit whose division concerns ``unit_code``'s user: the unit itself if it has
        sub-units or member departments, else its parent (None for a unit standing alone)."""
        with self.db.session() as s:
            unit = repo.unit_by_code(s, unit_code)
            if unit.level != "department" and repo.children(s, unit.id, include_departments=True):
                return unit.code
            return unit.parent.code if unit.parent is not None else None

    def is_set(self, parent_code: str, plan_id: str) -> bool:
        with self.db.session() as s:
            return has_duties(s, repo.unit_by_code(s, parent_code), plan_id)

    def table(self, parent_code: str, plan_id: str) -> DutyTable:
        with self.db.session() as s:
            parent = repo.unit_by_code(s, parent_code)
            if parent.level == "department":
                raise InputError(f"“{parent.name}”是成员单位，没有下级，不能设置填报分工。")
            plan = get_plan(s, plan_id)
            current, explicit = effective(s, parent, plan)
            default = defaults(s, parent, plan)
            names = {d.code: d.name for d in plan.domains}
            rows = tuple(
                DutyRow(
                    i.code,
                    i.domain,
                    names.get(i.domain, i.domain),
                    i.name,
                    i.kind,
                    current[i.code],
                    default[i.code],
                    i.departments,
                )
                for i in plan.indicators
            )
            return DutyTable(
                parent.code,
                parent.name,
                parent.level,
                plan.id,
                plan.version,
                plan.title,
                explicit,
                rows,
                tuple(_departments(s, parent)),
                tuple(_subunits(s, parent)),
            )

    def assignments(self, parent_code: str, plan_id: str) -> list[tuple[Reporter, list[str]]]:
        """Each member department and sub-unit with the indicator codes it reports (plan order);
        departments with none are left out.  Uses the defaults while the division is not set."""
        t = self.table(parent_code, plan_id)
        out: list[tuple[Reporter, list[str]]] = []
        for d in t.departments:
            codes = [r.code for r in t.rows if r.source == Source("department", d.code)]
            if codes:
                out.append((d, codes))
        sub_codes = [r.code for r in t.rows if r.source.kind == SUBUNITS]
        if sub_codes:
            out += [(u, sub_codes) for u in t.subunits]
        return out

    # writing

    def parse_target(self, parent_code: str, to: str) -> Source:
        """``--to`` as typed: a department's code or name, 'subunits'/下级, 'self'/本级."""
        word = (to or "").strip()
        if word.lower() in ("self", "本级", "office"):
            return Source(SELF)
        if word.lower() in ("subunits", "下级", "乡镇", "乡镇（街道）", "下级单位"):
            return Source(SUBUNITS)
        with self.db.session() as s:
            parent = repo.unit_by_code(s, parent_code)
            depts = _departments(s, parent)
            for d in depts:
                if word in (d.code, d.name):
                    return Source("department", d.code)
            listed = "、".join(f"{d.code} {d.name}" for d in depts) or "（尚无成员单位）"
            raise InputError(
                f"“{word}”不是{parent.name}的成员单位。可分给：self（本级）、subunits（下级单位）"
                f"或成员单位代码：{listed}。"
            )

    def set(
        self, parent_code: str, plan_id: str, codes: Iterable[str], to: Source | str
    ) -> DutyChange:
        """Give the indicators ``codes`` to ``to`` (a Source, or what :meth:`parse_target` reads)."""
        src = to if isinstance(to, Source) else self.parse_target(parent_code, to)
        codes = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
        if not codes:
            raise InputError("请指定要分配的指标代码。")
        return self.set_many(parent_code, plan_id, {c: src for c in codes})

    def set_domain(
        self, parent_code: str, plan_id: str, domain: str, to: Source | str
    ) -> DutyChange:
        """Every indicator of one domain (by its code or name)."""
        with self.db.session() as s:
            plan = get_plan(s, plan_id)
        dom = next((d for d in plan.domains if domain in (d.code, d.name)), None)
        if dom is None:
            names = "、".join(d.name for d in plan.domains)
            raise InputError(f"计划“{plan.title}”中没有领域“{domain}”。可用：{names}。")
        return self.set(parent_code, plan_id, [i.code for i in dom.indicators], to)

    def set_matching(
        self, parent_code: str, plan_id: str, text: str, to: Source | str
    ) -> DutyChange:
        """Every indicator whose code or name contains ``text``."""
        text = (text or "").strip()
        with self.db.session() as s:
            plan = get_plan(s, plan_id)
        codes = [i.code for i in plan.indicators if text and (text in i.name or text == i.code)]
        if not codes:
            raise InputError(f"没有名称含“{text}”的指标。")
        return self.set(parent_code, plan_id, codes, to)

    def apply_defaults(self, parent_code: str, plan_id: str) -> DutyChange:
        """Put the default division in force (as it is shown before the office sets anything)."""
        with self.db.session() as s:
            parent = repo.unit_by_code(s, parent_code)
            plan = get_plan(s, plan_id)
            m = defaults(s, parent, plan)
        return self.set_many(parent_code, plan_id, m, force=True)

    def set_many(
        self,
        parent_code: str,
        plan_id: str,
        sources: Mapping[str, Source],
        *,
        origin: Origin | None = None,
        force: bool = False,
    ) -> DutyChange:
        """Store a division for the plan's latest version, all or nothing, every change audited.
        ``force`` stores it even when nothing differs from what is shown (making it explicit)."""
        origin = origin or Origin(user=self.user)
        with self.db.session() as s:
            parent = repo.unit_by_code(s, parent_code)
            if parent.level == "department":
                raise InputError(f"“{parent.name}”是成员单位，不能设置填报分工。")
            plan = get_plan(s, plan_id)
            known = {i.code for i in plan.indicators}
            unknown = [c for c in sources if c not in known]
            if unknown:
                raise InputError(
                    f"计划“{plan.title}”中没有指标：{'、'.join(unknown)}。"
                    f"用 `tianbao duties {parent.code} {plan.id}` 查看指标代码。"
                )
            depts = {d.code: d for d in _departments(s, parent)}
            has_sub = bool(_subunits(s, parent))
            for code, src in sources.items():
                if src.kind not in KINDS:
                    raise InputError(f"指标 {code}：填报方式“{src.kind}”无效。")
                if src.kind == "department" and src.unit_code not in depts:
                    raise InputError(
                        f"指标 {code}：“{src.unit_code}”不是{parent.name}的成员单位。"
                        "请先在“单位管理”中把它加为本级的成员单位。"
                    )
                if src.kind == SUBUNITS and not has_sub:
                    raise InputError(
                        f"{parent.name}还没有下级单位，不能把指标 {code} 分给下级填报。"
                        "请先在“单位管理”中添加乡镇（街道）或县（区）。"
                    )
            current, explicit = effective(s, parent, plan)
            changes = {
                c: src for c, src in sources.items() if current[c] != src and src is not None
            }
            if not changes and (explicit or not force):
                return DutyChange(parent.code, plan.id, (), changed=False)
            stored = {
                d.indicator: d
                for d in s.scalars(
                    select(Duty).where(
                        Duty.parent_id == parent.id,
                        Duty.plan_id == plan.id,
                        Duty.plan_version == plan.version,
                    )
                )
            }
            unit_ids = {
                u.code: u.id
                for u in repo.children(s, parent.id, include_departments=True)
                if u.level == "department"
            }
            now = datetime.now()
            labels = [*depts.values()]
            word = "下级县（区）" if parent.level in ("city", "province") else "下级乡镇（街道）"
            for ind in plan.indicators:
                src = changes.get(ind.code, current[ind.code])
                row = stored.get(ind.code)
                if row is None:
                    row = Duty(
                        parent_id=parent.id,
                        plan_id=plan.id,
                        plan_version=plan.version,
                        indicator=ind.code,
                    )
                    s.add(row)
                elif row.kind == src.kind and row.unit_id == (
                    unit_ids.get(src.unit_code) if src.unit_code else None
                ):
                    continue
                row.kind = src.kind
                row.unit_id = unit_ids[src.unit_code] if src.kind == "department" else None
                row.updated_at = now
            for code, src in changes.items():
                repo.audit(
                    s,
                    None,
                    "duty",
                    origin,
                    indicator=code,
                    cell=parent.code,
                    old=source_label(current[code], labels, word),
                    new=source_label(src, labels, word),
                    reason=origin.reason or f"{plan.id} v{plan.version}",
                )
            if not explicit and not changes:
                repo.audit(
                    s,
                    None,
                    "duty",
                    origin,
                    cell=parent.code,
                    new="采用默认填报分工",
                    reason=f"{plan.id} v{plan.version}",
                )
            return DutyChange(parent.code, plan.id, tuple(changes) or tuple(sorted(known)))

    def clear(self, parent_code: str, plan_id: str) -> DutyChange:
        """Drop the division of the plan's latest version (the defaults or an earlier version's
        division are shown again; units report all indicators if no version has one)."""
        with self.db.session() as s:
            parent = repo.unit_by_code(s, parent_code)
            plan = get_plan(s, plan_id)
            n = s.execute(
                delete(Duty).where(
                    Duty.parent_id == parent.id,
                    Duty.plan_id == plan.id,
                    Duty.plan_version == plan.version,
                )
            ).rowcount
            if not n:
                return DutyChange(parent.code, plan.id, changed=False)
            repo.audit(
                s,
                None,
                "duty",
                Origin(user=self.user),
                cell=parent.code,
                old=f"{n} 项填报分工",
                new="清除",
                reason=f"{plan.id} v{plan.version}",
            )
            return DutyChange(parent.code, plan.id)

    def history(self, parent_code: str) -> list[repo.AuditRow]:
        with self.db.session() as s:
            return repo.duty_history(s, parent_code)

    # the sheet

    def export_xlsx(self, parent_code: str, plan_id: str, path: str | os.PathLike) -> Path:
        """The division as a sheet: 指标代码, 领域, 指标名称, 填报单位, 单位代码 (editable)."""
        from openpyxl import Workbook
        from openpyxl.styles import Font, PatternFill, Protection
        from openpyxl.worksheet.datavalidation import DataValidation

        t = self.table(parent_code, plan_id)
        wb = Workbook()
        ws = wb.active
        ws.title = SHEET
        ws.append([f"{t.parent_name} {t.plan_title}（第 {t.plan_version} 版）填报分工"])
        ws.append([f"单位代码：{t.parent_code}", f"计划：{t.plan_id}"])
        ws.append(list(HEADERS))
        for c in ws[3]:
            c.font = Font(bold=True)
            c.fill = PatternFill("solid", fgColor="DDEBF7")
        for r in t.rows:
            ws.append(
                [
                    r.code,
                    r.domain_name,
                    r.name,
                    t.label(r.source),
                    _target_code(r.source),
                    "、".join(r.departments),
                ]
            )
        choices = [_target_code(src) for src, _ in t.choices()]
        ws.append([])
        ws.append(["“填报单位代码”可填：self（本级）、subunits（下级单位）或成员单位代码："])
        for src, label in t.choices():
            ws.append(["", "", "", label, _target_code(src)])
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(choices) + '"',
            allow_blank=False,
            showErrorMessage=True,
            error="请从列表中选择 self、subunits 或成员单位代码。",
        )
        dv.add(f"E4:E{3 + len(t.rows)}")
        ws.add_data_validation(dv)
        for col, width in zip("ABCDEF", (10, 14, 48, 22, 16, 24), strict=True):
            ws.column_dimensions[col].width = width
        for row in ws.iter_rows(min_row=4, max_row=3 + len(t.rows), min_col=5, max_col=5):
            for c in row:
                c.protection = Protection(locked=False)
        ws.freeze_panes = "A4"
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            wb.save(path)
        except OSError as e:
            raise InputError(
                f"无法写入“{path}”：{e.strerror or e}。文件可能正被 Excel 或 WPS 打开，请关闭后重试。"
            ) from e
        return path

    def import_xlsx(self, parent_code: str, plan_id: str, path: str | os.PathLike) -> DutyChange:
        """Read a division sheet back; any problem → a Chinese message and nothing changed."""
        path = Path(path)
        if not path.exists():
            raise InputError(f"找不到文件“{path}”。")
        from tianbao.excel.read import read_book

        # Checked and parsed in the sandboxed reader process, like every file someone sent:
        # a damaged or hostile file is a KnownError with a Chinese message, never a crash.
        try:
            _book, sheets = read_book(path)
        except KnownError as e:
            raise InputError(
                f"无法读取“{path.name}”：不是有效的 xlsx 文件。请用导出的填报分工表填写后再导入。"
                f"（{e}）"
            ) from None
        sheet = next((sh for sh in sheets if sh.name == SHEET), sheets[0])
        rows = [[None if c == "" else c for c in r] for r in sheet.rows]
        header = next(
            (
                n
                for n, r in enumerate(rows)
                if r and _text(r[0]) == HEADERS[0] and HEADERS[4] in [_text(c) for c in r]
            ),
            None,
        )
        if header is None:
            raise InputError(
                f"“{path.name}”不是填报分工表：找不到“{HEADERS[0]}”和“{HEADERS[4]}”两列。"
                "请先导出填报分工表，在其中修改后再导入。"
            )
        cols = [_text(c) for c in rows[header]]
        c_code, c_to = cols.index(HEADERS[0]), cols.index(HEADERS[4])
        meta = " ".join(_text(c) for r in rows[:header] for c in r if c is not None)
        m = re.search(r"单位代码：(\S+)", meta)
        if m and m.group(1) != parent_code:
            raise InputError(
                f"“{path.name}”是单位 {m.group(1)} 的填报分工表，不是 {parent_code} 的，未导入。"
            )
        m = re.search(r"计划：(\S+)", meta)
        if m and m.group(1) != plan_id:
            raise InputError(
                f"“{path.name}”是计划 {m.group(1)} 的填报分工表，不是 {plan_id} 的，未导入。"
            )
        t = self.table(parent_code, plan_id)
        known = {r.code for r in t.rows}
        targets = {_target_code(src): src for src, _ in t.choices()}
        for d in t.departments:
            targets[d.name] = Source("department", d.code)
        targets.update({"本级": Source(SELF), "下级": Source(SUBUNITS)})
        problems: list[str] = []
        sources: dict[str, Source] = {}
        for n, r in enumerate(rows[header + 1 :], start=header + 2):
            code = _text(r[c_code]) if c_code < len(r) else ""
            to = _text(r[c_to]) if c_to < len(r) else ""
            if not code:
                continue
            if code not in known:
                if to:
                    problems.append(f"第 {n} 行：计划中没有指标“{code}”")
                continue
            if not to:
                problems.append(f"第 {n} 行（{code}）：“{HEADERS[4]}”为空")
            elif to not in targets:
                problems.append(
                    f"第 {n} 行（{code}）：“{to}”不是 self、subunits 或{t.parent_name}的成员单位代码"
                )
            elif code in sources and sources[code] != targets[to]:
                problems.append(f"第 {n} 行：指标 {code} 重复，且分给了不同单位")
            else:
                sources[code] = targets[to]
        if problems:
            raise InputError(
                f"“{path.name}”有 {len(problems)} 处错误，未导入：\n"
                + "\n".join(problems[:30])
                + ("\n……" if len(problems) > 30 else "")
            )
        if not sources:
            raise InputError(f"“{path.name}”中没有任何指标的填报单位，未导入。")
        import hashlib

        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        origin = Origin(source="imported", user=self.user, file=path.name, sha256=digest)
        return self.set_many(parent_code, plan_id, sources, origin=origin, force=True)


SHEET = "填报分工"
HEADERS = ("指标代码", "领域", "指标名称", "填报单位", "填报单位代码", "计划所列责任部门")


def _target_code(src: Source) -> str:
    return src.unit_code if src.kind == "department" else src.kind


def _text(c: object) -> str:
    if c is None:
        return ""
    if isinstance(c, float) and c.is_integer():
        return str(int(c))
    return str(c).strip()


__all__ = [
    "Duties",
    "DutyChange",
    "DutyRow",
    "DutyTable",
    "HEADERS",
    "KINDS",
    "Reporter",
    "SELF",
    "SHEET",
    "SUBUNITS",
    "Source",
    "defaults",
    "department_key",
    "effective",
    "has_duties",
    "match_department",
    "per_subunit",
    "reported_codes",
    "source_label",
]
