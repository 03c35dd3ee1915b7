"""The division of duties (填报分工) as data, and the queries other services make inside their sessions.

Sources, reporters, the duty table and what a change did; the matching of a catalogue's
department names to the member departments that exist; which indicators a unit reports
(:func:`reported_codes`), the default and the effective division.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from db import repo
from db.models import Audit, Duty, Unit
from db.repo.concurrency import ConflictError, local_time
from tianbao.domain.catalogue import Indicator, Plan

KINDS = ("department", "subunits", "self")
SUBUNITS = "subunits"
SELF = "self"


@dataclass(frozen=True)
class Source:
    kind: str  # "department" | "subunits" | "self"
    unit_code: str | None = None


@dataclass(frozen=True)
class DutyChange:
    """What a change of the division changed (shaped like ReturnService's Change for the hub)."""

    parent_code: str
    plan_id: str
    indicators: tuple[str, ...] = ()
    changed: bool = True
    return_id: int | None = None
    status: bool = False
    units: bool = False
    duties: bool = True


@dataclass(frozen=True)
class Reporter:
    """A unit that can be given indicators: a member department or the sub-units as a group."""

    code: str  # unit code, or "subunits" / "self"
    name: str
    kind: str


@dataclass(frozen=True)
class DutyRow:
    code: str
    domain: str
    domain_name: str
    name: str
    kind: str  # indicator kind (rate, count, yesno …)
    source: Source
    default: Source
    departments: tuple[str, ...]  # as the catalogue names them


@dataclass(frozen=True)
class DutyTable:
    """Everything the 填报分工 dialog and ``tianbao duties`` show."""

    parent_code: str
    parent_name: str
    parent_level: str
    plan_id: str
    plan_version: int
    plan_title: str
    explicit: bool  # the office has set the division (else: the defaults, not yet in force)
    rows: tuple[DutyRow, ...]
    departments: tuple[Reporter, ...]
    subunits: tuple[Reporter, ...]

    def label(self, source: Source) -> str:
        return source_label(source, self.departments, self.subunit_word)

    @property
    def subunit_word(self) -> str:
        return "下级县（区）" if self.parent_level in ("city", "province") else "下级乡镇（街道）"

    def choices(self) -> list[tuple[Source, str]]:
        out = [(Source(SELF), f"本级（{self.parent_name}）")]
        if self.subunits:
            out.append((Source(SUBUNITS), self.subunit_word))
        out += [(Source("department", d.code), d.name) for d in self.departments]
        return out


def source_label(source: Source, departments: Iterable[Reporter], subunit_word: str) -> str:
    if source.kind == "department":
        names = {d.code: d.name for d in departments}
        return names.get(source.unit_code or "", source.unit_code or "?")
    if source.kind == SUBUNITS:
        return subunit_word
    return "本级"


# --- matching the catalogue's department names to the units that exist --------------------

# Canonical short names of member departments and the ways they are written.  The first alias
# found in a name decides; longer aliases come first so that 人民检察院 is not read as 人民.
_ALIASES: dict[str, tuple[str, ...]] = {
    "卫健": ("卫生健康", "卫健", "卫生和计划生育", "卫计", "卫生"),
    "教育": ("教育体育", "教体", "教育"),
    "民政": ("民政",),
    "公安": ("公安",),
    "法院": ("法院",),
    "检察院": ("检察",),
    "司法": ("司法",),
    "妇联": ("妇女联合会", "妇联"),
    "团委": ("共青团", "团委", "团区委", "团县委", "团市委"),
    "残联": ("残疾人联合会", "残联"),
    "医保": ("医疗保障", "医保"),
    "人社": ("人力资源和社会保障", "人力资源社会保障", "人社"),
    "统计": ("统计",),
    "住建": ("住房和城乡建设", "住建"),
    "文旅": ("文化广电旅游", "文化和旅游", "文广旅", "文旅"),
    "体育": ("体育",),
    "农业农村": ("农业农村", "农业"),
    "市场监管": ("市场监督管理", "市场监管"),
    "生态环境": ("生态环境", "环保"),
    "应急": ("应急",),
    "财政": ("财政",),
    "发改": ("发展和改革", "发展改革", "发改"),
    "工会": ("总工会", "工会"),
    "科协": ("科学技术协会", "科协"),
    "乡村振兴": ("乡村振兴",),
    "水利": ("水利", "水务"),
    "交通": ("交通",),
    "网信": ("网信",),
    "宣传": ("宣传",),
    "组织": ("组织部",),
    "关工委": ("关工委", "关心下一代"),
}
_PREFIX = re.compile(r"^(中共)?[^局委院会部办]{0,6}?(省|市|区|县|旗|师)")
_SUFFIX = re.compile(r"(委员会|分局|局|委|办公室|办|中心)$")


def department_key(name: str) -> str:
    """A short, comparable name of a department: 区卫生健康委员会 → 卫健, 区公安分局 → 公安."""
    name = re.sub(r"\s+", "", name or "")
    # 教育体育 must win over 体育: try the longest aliases first.
    best: tuple[int, str] | None = None
    for key, aliases in _ALIASES.items():
        for a in aliases:
            if a in name and (best is None or len(a) > best[0]):
                best = (len(a), key)
    if best is not None:
        return best[1]
    core = _SUFFIX.sub("", _PREFIX.sub("", name))
    return core or name


def match_department(names: Iterable[str], departments: Iterable[Reporter]) -> Reporter | None:
    """The first of the catalogue's named departments that exists among the parent's members."""
    depts = list(departments)
    for n in names:
        key = department_key(n)
        for d in depts:
            if department_key(d.name) == key:
                return d
    return None


# Per-sub-unit targets (以乡镇（街道）为单位…) name the level in ``each``; other ``each`` values
# are facilities (每所幼儿园 …), reported by whoever reports the indicator.
_TOWN_CHARS = set("乡镇街道团场（）()、")
_COUNTY_CHARS = set("县市区旗级（）()、")


def per_subunit(ind: Indicator, parent_level: str) -> bool:
    for t in ind.targets:
        if not t.each:
            continue
        chars = set(t.each)
        if chars <= _TOWN_CHARS:
            return True
        if parent_level in ("city", "province") and chars <= _TOWN_CHARS | _COUNTY_CHARS:
            return True
    return False


# --- session-level functions (used by other services inside their own sessions) -----------


def _departments(s: Session, parent: Unit) -> list[Reporter]:
    rows = s.execute(
        select(Unit.code, Unit.name)
        .where(Unit.parent_id == parent.id, Unit.level == "department")
        .order_by(Unit.sort, Unit.id)
    )
    return [Reporter(code, name, "department") for code, name in rows]


def _has_subunits(s: Session, parent: Unit) -> bool:
    q = select(Unit.id).where(Unit.parent_id == parent.id, Unit.level != "department").limit(1)
    return s.scalar(q) is not None


def _subunits(s: Session, parent: Unit) -> list[Reporter]:
    return [Reporter(u.code, u.name, "subunit") for u in repo.children(s, parent.id)]


def _stored_version(s: Session, parent_id: int, plan_id: str, version: int) -> int | None:
    """The plan version whose division is in force for ``version``: the latest one ≤ it."""
    return s.scalar(
        select(func.max(Duty.plan_version)).where(
            Duty.parent_id == parent_id, Duty.plan_id == plan_id, Duty.plan_version <= version
        )
    )


def has_duties(s: Session, parent: Unit, plan_id: str) -> bool:
    return (
        s.scalar(
            select(func.count())
            .select_from(Duty)
            .where(Duty.parent_id == parent.id, Duty.plan_id == plan_id)
        )
        > 0
    )


def defaults(s: Session, parent: Unit, plan: Plan) -> dict[str, Source]:
    depts = _departments(s, parent)
    has_subunits = _has_subunits(s, parent)
    out: dict[str, Source] = {}
    for ind in plan.indicators:
        d = match_department(ind.departments, depts) if ind.departments else None
        if d is not None:
            out[ind.code] = Source("department", d.code)
        elif has_subunits and per_subunit(ind, parent.level):
            out[ind.code] = Source(SUBUNITS)
        else:
            out[ind.code] = Source(SELF)
    return out


def effective(s: Session, parent: Unit, plan: Plan) -> tuple[dict[str, Source], bool]:
    """The division in force for ``plan`` (its version) and whether the office has set it."""
    out = defaults(s, parent, plan)
    v = _stored_version(s, parent.id, plan.id, plan.version)
    if v is None:
        return out, False
    # Indicators of the plan version in force not yet stored (a newer plan version added them)
    # keep their defaults; earlier versions' rows fill in what this version has not stored.
    rows = s.execute(
        select(Duty.indicator, Duty.kind, Unit.code, Duty.plan_version)
        .outerjoin(Unit, Unit.id == Duty.unit_id)
        .where(
            Duty.parent_id == parent.id, Duty.plan_id == plan.id, Duty.plan_version <= plan.version
        )
        .order_by(Duty.plan_version)
    )
    for code, kind, unit_code, _v in rows:
        if code in out:
            out[code] = Source(kind, unit_code if kind == "department" else None)
    return out, True


def reported_codes(s: Session, unit: Unit, plan: Plan) -> frozenset[str] | None:
    """The indicators ``unit`` reports under ``plan`` (its version); None = all of them."""
    if has_duties(s, unit, plan.id):
        return None  # a parent with its own division: its return is assembled, all indicators
    parent = unit.parent
    if parent is None or not has_duties(s, parent, plan.id):
        return None
    m, _ = effective(s, parent, plan)
    if unit.level == "department":
        return frozenset(c for c, src in m.items() if src == Source("department", unit.code))
    return frozenset(c for c, src in m.items() if src.kind == SUBUNITS)


class ReportedCodes:
    """:func:`reported_codes` for many files of one import call (issue 19): which units have a
    division of their own is read once per plan, and each (parent unit, plan version)'s
    division once, then reused across the files.  Scoped to that one call — made afresh for
    the next one, so no duty change outlives it."""

    def __init__(self) -> None:
        self._with_duties: dict[str, frozenset[int]] = {}
        self._divisions: dict[tuple[int, str, int], dict[str, Source]] = {}

    def __call__(self, s: Session, unit: Unit, plan: Plan) -> frozenset[str] | None:
        owners = self._with_duties.get(plan.id)
        if owners is None:
            owners = self._with_duties[plan.id] = frozenset(
                s.scalars(select(Duty.parent_id).where(Duty.plan_id == plan.id).distinct())
            )
        if unit.id in owners or unit.parent_id is None or unit.parent_id not in owners:
            return None
        key = (unit.parent_id, plan.id, plan.version)
        m = self._divisions.get(key)
        if m is None:
            m = self._divisions[key] = effective(s, unit.parent, plan)[0]
        if unit.level == "department":
            return frozenset(c for c, src in m.items() if src == Source("department", unit.code))
        return frozenset(c for c, src in m.items() if src.kind == SUBUNITS)


# --- every write states what it expects (issue 15) -----------------------------------------


@dataclass(frozen=True)
class DutyClash:
    """One indicator whose reporter another user changed after the caller read it."""

    code: str
    name: str
    expected: str  # labels, as the user reads them
    mine: str
    theirs: str
    theirs_source: Source
    user: str
    at: datetime | None


class DutyConflict(ConflictError):
    """Other users changed the reporter of some indicators since the caller read the division;
    nothing was saved.  ``clashes`` says for each indicator what was seen, what the other user
    stored, who and when."""

    def __init__(self, parent_name: str, clashes: list[DutyClash]):
        first = clashes[0]
        super().__init__(
            f"指标 {first.code}（{first.name}）的填报单位",
            first.expected,
            first.mine,
            first.theirs,
            first.user,
            first.at,
            shown=str,
        )
        self.clashes = clashes
        lines = []
        for c in clashes[:20]:
            when = f"于 {local_time(c.at):%Y-%m-%d %H:%M:%S} " if c.at else ""
            lines.append(
                f"指标 {c.code}（{c.name}）：您看到的是“{c.expected}”，"
                f"{c.user or '另一位用户'}{when}已改为“{c.theirs}”，您选择的是“{c.mine}”。"
            )
        more = f"\n……另有 {len(clashes) - 20} 项" if len(clashes) > 20 else ""
        zh = (
            f"{parent_name}的填报分工未保存：在您看到之后，另一位用户修改了 {len(clashes)} 个指标"
            "的填报单位。为避免覆盖，本次没有保存任何修改。\n"
            + "\n".join(lines)
            + more
            + "\n请重新载入，看到对方的分工后再决定。"
        )
        self.message_en = (
            f"The division of {parent_name} was not saved: another user changed the reporter of "
            f"{len(clashes)} indicator(s) since you opened it ({', '.join(c.code for c in clashes)}). "
            "Nothing was overwritten. Reload to see their division, then decide."
        )
        self.args = (zh,)


def lock_division(s: Session, parent: Unit) -> None:
    """Take the parent unit's row lock before reading the division a write depends on: two
    offices saving one division queue here (PostgreSQL row lock; on SQLite the write session
    already holds the write lock)."""
    s.execute(select(Unit.id).where(Unit.id == parent.id).with_for_update())


def division_stamp(s: Session, parent_code: str) -> int:
    """A number that changes whenever the division of ``parent_code`` changes (its newest history
    row): what an open 填报分工 dialog polls, one cheap query."""
    return (
        s.scalar(
            select(func.max(Audit.id)).where(Audit.action == "duty", Audit.cell == parent_code)
        )
        or 0
    )


def last_duty_change(s: Session, parent_code: str, code: str) -> tuple[str, datetime | None]:
    """Who last changed indicator ``code``'s reporter under ``parent_code`` and when (audit rows:
    the indicator's own, or a clearing of the whole division)."""
    a = s.scalars(
        select(Audit)
        .where(
            Audit.action == "duty",
            Audit.cell == parent_code,
            (Audit.indicator == code)
            | ((Audit.indicator == "") & (Audit.new != "采用默认填报分工")),
        )
        .order_by(Audit.id.desc())
        .limit(1)
    ).first()
    return (a.user, a.at) if a is not None else ("", None)


def check_expected(
    s: Session,
    parent: Unit,
    plan: Plan,
    current: Mapping[str, Source],
    sources: Mapping[str, Source],
    expected: Mapping[str, Source],
    *,
    mine_word: str | None = None,
) -> None:
    """Refuse (DutyConflict, nothing written) when an indicator the caller sets is no longer what
    it read: another user changed its reporter meanwhile.  An indicator the other user gave to
    the same reporter is no conflict (nothing of theirs would be lost).  ``mine_word`` names
    what the caller does instead of a reporter of its own (e.g. clearing the division)."""
    labels, word = _departments(s, parent), _subunit_word(parent)
    names = {i.code: i.name for i in plan.indicators}
    clashes = []
    for code, mine in sources.items():
        if code not in expected or code not in current:
            continue
        seen, theirs = expected[code], current[code]
        if seen == theirs or (mine_word is None and mine == theirs):
            continue
        user, at = last_duty_change(s, parent.code, code)
        clashes.append(
            DutyClash(
                code,
                names.get(code, code),
                source_label(seen, labels, word),
                mine_word or source_label(mine, labels, word),
                source_label(theirs, labels, word),
                theirs,
                user,
                at,
            )
        )
    if clashes:
        raise DutyConflict(parent.name, clashes)


def _subunit_word(parent: Unit) -> str:
    return "下级县（区）" if parent.level in ("city", "province") else "下级乡镇（街道）"


# --- a member department deleted -------------------------------------------------------------


def stored_duties_of(s: Session, unit: Unit) -> list[tuple[str, str]]:
    """(plan id, indicator) of every stored duty that names ``unit`` as the one who reports it."""
    rows = s.execute(select(Duty.plan_id, Duty.indicator).where(Duty.unit_id == unit.id).distinct())
    return sorted((p, c) for p, c in rows)


def _default_groups(s: Session, unit: Unit) -> list[tuple[int, str]]:
    """(parent id, plan id) of every plan whose division in force under ``unit``'s parent gives
    it indicators by default (the plan lists it as the responsible department) — no stored row
    names it there, but deleting it changes who reports them all the same."""
    from db.plans import latest_plans

    if unit.level != "department" or unit.parent is None:
        return []
    mine = Source("department", unit.code)
    return [
        (unit.parent.id, plan.id)
        for plan in latest_plans(s)
        if mine in effective(s, unit.parent, plan)[0].values()
    ]


def duties_of(s: Session, unit: Unit) -> list[tuple[str, str]]:
    """(plan id, indicator) of every indicator ``unit`` reports: the stored duties naming it, and
    the plans' defaults in force under its parent."""
    from db.plans import get_plan

    out = set(stored_duties_of(s, unit))
    mine = Source("department", unit.code)
    for parent_id, plan_id in _default_groups(s, unit):
        division = effective(s, s.get(Unit, parent_id), get_plan(s, plan_id))[0]
        out.update((plan_id, c) for c, src in division.items() if src == mine)
    return sorted(out)


def delete_unit_and_duties(s: Session, code: str, origin: repo.Origin) -> int:
    """Delete a unit (no sub-units, no returns) with the stored duties that name it or that it holds
    as a parent, each change in the duties history with ``origin``'s user: what the indicator was,
    what it falls back to without the unit — also where it reported only by the plan's default
    (no stored row).  Returns the number of indicators whose reporter changed."""
    from db.plans import get_plan

    unit = repo.unit_by_code(s, code)
    name, reason = unit.name, f"删除单位“{unit.name}”（{unit.code}）"
    stored = s.execute(
        select(Duty.parent_id, Duty.plan_id).where(Duty.unit_id == unit.id).distinct()
    ).all()
    groups = sorted({*((p, plan) for p, plan in stored), *_default_groups(s, unit)})
    before = {}
    for parent_id, plan_id in groups:
        parent = s.get(Unit, parent_id)
        plan = get_plan(s, plan_id)
        current = effective(s, parent, plan)[0]
        before[(parent_id, plan_id)] = (parent, plan, current, _departments(s, parent))
    dropped = {
        key: s.execute(
            delete(Duty).where(
                Duty.parent_id == key[0], Duty.plan_id == key[1], Duty.unit_id == unit.id
            )
        ).rowcount
        for key in before
    }
    own = s.execute(delete(Duty).where(Duty.parent_id == unit.id)).rowcount
    repo.delete_unit(s, code, origin)  # refuses a unit with sub-units or returns: all rolled back
    s.flush()
    changed = 0
    for key, (parent, plan, old, labels) in sorted(before.items(), key=lambda kv: kv[0]):
        word = "下级县（区）" if parent.level in ("city", "province") else "下级乡镇（街道）"
        new, _ = effective(s, parent, plan)
        moved = [c for c in old if old[c] != new.get(c, old[c])]
        for c in moved:
            repo.audit(
                s,
                None,
                "duty",
                origin,
                indicator=c,
                cell=parent.code,
                old=source_label(old[c], labels, word),
                new=source_label(new[c], _departments(s, parent), word),
                reason=f"{reason}；{plan.id} v{plan.version}",
            )
        if dropped[key] and not moved:  # rows of earlier plan versions only: one line says so
            repo.audit(
                s,
                None,
                "duty",
                origin,
                cell=parent.code,
                old=f"{dropped[key]} 项填报分工（{name}）",
                new="随单位删除",
                reason=f"{reason}；{plan.id}",
            )
        changed += len(moved)
    if own:
        repo.audit(
            s,
            None,
            "duty",
            origin,
            cell=code,
            old=f"{own} 项填报分工",
            new="随单位删除",
            reason=reason,
        )
    return changed
