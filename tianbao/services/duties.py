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
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select

from db import repo
from db.engine import Database
from db.models import Duty
from db.plans import get_plan
from db.repo import ANY, InputError, Origin
from db.repo.concurrency import _Any
from tianbao.services.division import (
    KINDS,
    SELF,
    SUBUNITS,
    DutyChange,
    DutyClash,
    DutyConflict,
    DutyRow,
    DutyTable,
    ReportedCodes,
    Reporter,
    Source,
    _departments,
    _subunits,
    check_expected,
    defaults,
    department_key,
    division_stamp,
    effective,
    has_duties,
    lock_division,
    match_department,
    per_subunit,
    reported_codes,
    source_label,
)
from tianbao.services.duty_sheet import HEADERS, SHEET

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
        self,
        parent_code: str,
        plan_id: str,
        codes: Iterable[str],
        to: Source | str,
        *,
        expected: Mapping[str, Source] | _Any = ANY,
    ) -> DutyChange:
        """Give the indicators ``codes`` to ``to`` (a Source, or what :meth:`parse_target` reads);
        ``expected``: what the caller read (see :meth:`set_many`)."""
        src = to if isinstance(to, Source) else self.parse_target(parent_code, to)
        codes = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
        if not codes:
            raise InputError("请指定要分配的指标代码。")
        return self.set_many(parent_code, plan_id, {c: src for c in codes}, expected=expected)

    def set_domain(
        self,
        parent_code: str,
        plan_id: str,
        domain: str,
        to: Source | str,
        *,
        expected: Mapping[str, Source] | _Any = ANY,
    ) -> DutyChange:
        """Every indicator of one domain (by its code or name)."""
        with self.db.session() as s:
            plan = get_plan(s, plan_id)
        dom = next((d for d in plan.domains if domain in (d.code, d.name)), None)
        if dom is None:
            names = "、".join(d.name for d in plan.domains)
            raise InputError(f"计划“{plan.title}”中没有领域“{domain}”。可用：{names}。")
        codes = [i.code for i in dom.indicators]
        return self.set(parent_code, plan_id, codes, to, expected=expected)

    def set_matching(
        self,
        parent_code: str,
        plan_id: str,
        text: str,
        to: Source | str,
        *,
        expected: Mapping[str, Source] | _Any = ANY,
    ) -> DutyChange:
        """Every indicator whose code or name contains ``text``."""
        text = (text or "").strip()
        with self.db.session() as s:
            plan = get_plan(s, plan_id)
        codes = [i.code for i in plan.indicators if text and (text in i.name or text == i.code)]
        if not codes:
            raise InputError(f"没有名称含“{text}”的指标。")
        return self.set(parent_code, plan_id, codes, to, expected=expected)

    def apply_defaults(
        self,
        parent_code: str,
        plan_id: str,
        *,
        expected: Mapping[str, Source] | _Any = ANY,
    ) -> DutyChange:
        """Put the default division in force (as it is shown before the office sets anything)."""
        with self.db.session() as s:
            parent = repo.unit_by_code(s, parent_code)
            plan = get_plan(s, plan_id)
            m = defaults(s, parent, plan)
        return self.set_many(parent_code, plan_id, m, force=True, expected=expected)

    def set_many(
        self,
        parent_code: str,
        plan_id: str,
        sources: Mapping[str, Source],
        *,
        origin: Origin | None = None,
        force: bool = False,
        expected: Mapping[str, Source] | _Any = ANY,
    ) -> DutyChange:
        """Store a division for the plan's latest version, all or nothing, every change audited.
        ``force`` stores it even when nothing differs from what is shown (making it explicit).

        ``expected`` (indicator → the reporter the caller read, e.g. what a dialog showed) is
        compared in this same locked transaction with what is stored: if another user changed
        the reporter of an indicator in ``sources`` meanwhile, :class:`DutyConflict` names it,
        the other reporter, who and when, and nothing is written.  Indicators not in ``sources``
        keep what is stored now (another user's changes to them are never reverted)."""
        origin = origin or Origin(user=self.user)
        with self.db.write() as s:
            parent = repo.unit_by_code(s, parent_code)
            if parent.level == "department":
                raise InputError(f"“{parent.name}”是成员单位，不能设置填报分工。")
            lock_division(s, parent)
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
            if expected is not ANY:
                check_expected(s, parent, plan, current, sources, expected)
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

    def clear(
        self,
        parent_code: str,
        plan_id: str,
        *,
        expected: Mapping[str, Source] | _Any = ANY,
    ) -> DutyChange:
        """Drop the division of the plan's latest version (the defaults or an earlier version's
        division are shown again; units report all indicators if no version has one).
        ``expected``: the division the caller read; a conflict if another user changed it."""
        with self.db.write() as s:
            parent = repo.unit_by_code(s, parent_code)
            plan = get_plan(s, plan_id)
            lock_division(s, parent)
            if expected is not ANY:
                current = effective(s, parent, plan)[0]
                check_expected(s, parent, plan, current, current, expected, mine_word="清除分工")
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

    def stamp(self, parent_code: str) -> int:
        """Changes whenever the division of ``parent_code`` changes (polled by open dialogs)."""
        with self.db.session() as s:
            return division_stamp(s, parent_code)

    def history(self, parent_code: str) -> list[repo.AuditRow]:
        with self.db.session() as s:
            return repo.duty_history(s, parent_code)

    # the sheet (tianbao.services.duty_sheet)

    def export_xlsx(self, parent_code: str, plan_id: str, path: str | os.PathLike) -> Path:
        """The division as a sheet: 指标代码, 领域, 指标名称, 填报单位, 单位代码 (editable)."""
        from tianbao.services.duty_sheet import export_sheet

        return export_sheet(self, parent_code, plan_id, path)

    def import_xlsx(self, parent_code: str, plan_id: str, path: str | os.PathLike) -> DutyChange:
        """Read a division sheet back; any problem → a Chinese message and nothing changed.
        Only the rows changed in the sheet are written, each expecting what was exported."""
        from tianbao.services.duty_sheet import import_sheet

        return import_sheet(self, parent_code, plan_id, path)


__all__ = [
    "Duties",
    "DutyChange",
    "DutyClash",
    "DutyConflict",
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
    "ReportedCodes",
    "reported_codes",
    "source_label",
]
