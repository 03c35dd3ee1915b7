"""Plan versions in the database: built-in catalogues synced in, local plans imported."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.locks import key_of, lock
from db.models import PlanForm, PlanVersion
from db.repo import InputError
from tianbao.domain.catalogue import (
    FormMarks,
    Plan,
    builtin_plan_paths,
    load_builtin_plans,
    plan_from_dict,
)

_cache: dict[tuple[str, int, bool], Plan] = {}


class PlanNotFound(InputError, KeyError):
    """No such plan (or version); a KeyError too, for callers that look plans up like a mapping."""

    def __str__(self) -> str:
        return str(self.args[0])


def _plan_of(row: PlanVersion) -> Plan:
    # Keyed by version too: a version saved with unchanged content has the same fingerprint.
    key = (row.fingerprint, row.version, row.builtin)
    plan = _cache.get(key)
    if plan is None:
        plan = plan_from_dict(
            json.loads(row.catalogue_json), origin=f"{row.plan_id} v{row.version}"
        )
        plan = replace(plan, version=row.version, builtin=row.builtin)
        _cache[key] = plan
    return plan


def _builtin_origin(path) -> str:
    """Where a built-in version came from: the file and the SHA-256 of its bytes."""
    return f"内置 {path.name} sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}"


def builtin_plans_synced(s: Session) -> bool:
    """Whether every built-in catalogue file's bytes are those of a version already stored (the
    cheap check at every start; the sync itself runs under a lock only when this is false)."""
    known = set(s.scalars(select(PlanVersion.origin).where(PlanVersion.builtin.is_(True))))
    return all(_builtin_origin(p) in known for p in builtin_plan_paths())


def sync_builtin_plans(s: Session) -> list[Plan]:
    """Record each built-in catalogue whose content the database has not seen as a new version.

    Files whose bytes are those of a version already stored are not parsed at all, which keeps
    start-up fast; only a changed file is loaded, validated and compared by content.
    """
    if builtin_plans_synced(s):
        return []
    origins = {p: _builtin_origin(p) for p in builtin_plan_paths()}
    added = []
    by_file = {p.name: o for p, o in origins.items()}
    for plan in load_builtin_plans().values():
        latest = s.scalars(
            select(PlanVersion)
            .where(PlanVersion.plan_id == plan.id, PlanVersion.builtin.is_(True))
            .order_by(PlanVersion.version.desc())
        ).first()
        origin = by_file[f"{plan.id}.toml"]
        if latest is not None and latest.fingerprint == _content_fingerprint(plan):
            latest.origin = origin  # same content, file re-saved: remember its bytes
            continue
        added.append(save_plan_version(s, plan, builtin=True, origin=origin))
    return added


_fingerprints: dict[int, tuple[Plan, str]] = {}


def _content_fingerprint(plan: Plan) -> str:
    """The fingerprint of a plan's content, independent of the version number it is stored under."""
    hit = _fingerprints.get(id(plan))
    if hit is not None and hit[0] is plan:
        return hit[1]
    fp = replace(plan, version=1).fingerprint
    _fingerprints[id(plan)] = (plan, fp)
    return fp


def save_plan_version(s: Session, plan: Plan, *, builtin: bool = False, origin: str = "") -> Plan:
    """Store ``plan`` as the next version of its id (never overwriting an existing version).

    Under a per-plan lock on PostgreSQL, so two PCs saving a version at once get two numbers."""
    lock(s, key_of(f"plan:{plan.id}"))
    current = s.scalar(select(func.max(PlanVersion.version)).where(PlanVersion.plan_id == plan.id))
    version = (current or 0) + 1
    stored = replace(plan, version=version, builtin=builtin)
    s.add(
        PlanVersion(
            plan_id=plan.id,
            version=version,
            title=plan.title,
            builtin=builtin,
            catalogue_json=stored.to_json(),
            fingerprint=_content_fingerprint(plan),
            origin=origin,
            created_at=datetime.now(UTC),
        )
    )
    s.flush()
    return stored


def plan_ids(s: Session) -> list[str]:
    return list(s.scalars(select(PlanVersion.plan_id).distinct().order_by(PlanVersion.plan_id)))


def get_plan(s: Session, plan_id: str, version: int | None = None) -> Plan:
    """The plan at ``version`` (default: the latest).  Raises PlanNotFound with a Chinese message."""
    q = select(PlanVersion).where(PlanVersion.plan_id == plan_id)
    if version is not None:
        q = q.where(PlanVersion.version == version)
    row = s.scalars(q.order_by(PlanVersion.version.desc())).first()
    if row is None:
        what = f"{plan_id} 第 {version} 版" if version else plan_id
        raise PlanNotFound(f"没有计划“{what}”。用 `tianbao plans list` 查看可用的计划。")
    return _plan_of(row)


def latest_plans(s: Session) -> list[Plan]:
    return [get_plan(s, pid) for pid in plan_ids(s)]


def plan_versions(s: Session, plan_id: str) -> list[PlanVersion]:
    return list(
        s.scalars(
            select(PlanVersion).where(PlanVersion.plan_id == plan_id).order_by(PlanVersion.version)
        )
    )


def form_marks(s: Session, plan: Plan) -> FormMarks:
    """The form marks set for the plan in this office, else those in the catalogue."""
    row = s.get(PlanForm, plan.id)
    if row is None:
        return plan.form
    return FormMarks(
        table_no=row.table_no,
        made_by=row.made_by,
        approved_by=row.approved_by,
        approval_no=row.approval_no,
        valid_until=row.valid_until,
    )


def set_form_marks(s: Session, plan_id: str, marks: FormMarks) -> None:
    from db.repo import audit

    row = s.get(PlanForm, plan_id)
    old = (
        None
        if row is None
        else repr(FormMarks(**{k: getattr(row, k) for k in FormMarks.__dataclass_fields__}))
    )
    if old != repr(marks):
        audit(s, None, "form_marks", old=old, new=repr(marks), reason=plan_id)
    row = row or PlanForm(plan_id=plan_id)
    for key in FormMarks.__dataclass_fields__:
        setattr(row, key, getattr(marks, key))
    s.add(row)
