"""Returns: find, list per unit, get or create."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import (
    Return,
    Unit,
)
from db.repo.concurrency import now_utc
from db.repo.values import _chunks

# --- returns -------------------------------------------------------------------------------


def find_return(s: Session, unit_id: int, plan_id: str, year: int) -> Return | None:
    return s.scalar(
        select(Return).where(
            Return.unit_id == unit_id, Return.plan_id == plan_id, Return.year == year
        )
    )


def returns_of_years(
    s: Session, unit_id: int, plan_id: str, years: Iterable[int]
) -> dict[int, Return]:
    """Year → the unit's return of the plan that year, for the years that have one: one query
    (an import compares with the year and checks against the year before)."""
    years = list(years)
    return {
        r.year: r
        for r in s.scalars(
            select(Return).where(
                Return.unit_id == unit_id, Return.plan_id == plan_id, Return.year.in_(years)
            )
        )
    }


def returns_of_units(
    s: Session, unit_ids: Iterable[int], plan_id: str, year: int
) -> dict[int, int]:
    """Unit id → the id of its return (plan, year), for the units that have one: one query."""
    out: dict[int, int] = {}
    for chunk in _chunks(list(unit_ids)):
        rows = s.execute(
            select(Return.unit_id, Return.id).where(
                Return.unit_id.in_(chunk), Return.plan_id == plan_id, Return.year == year
            )
        )
        out.update({u: r for u, r in rows})
    return out


def get_or_create_return(
    s: Session, unit: Unit, plan_id: str, plan_version: int, year: int, *, likely_new: bool = False
) -> Return:
    """The return, created if new.  Two PCs opening the same new return at once both get the one
    row: the second insert waits for the first and, refused by the unique key, reads it instead.
    ``likely_new`` (an import whose preview found no return): insert first, without looking —
    the same refusal then finds the return that exists after all."""
    return get_or_create_return_created(
        s, unit, plan_id, plan_version, year, likely_new=likely_new
    )[0]


def get_or_create_return_created(
    s: Session, unit: Unit, plan_id: str, plan_version: int, year: int, *, likely_new: bool = False
) -> tuple[Return, bool]:
    """:func:`get_or_create_return`, and whether this call created it (then it holds nothing
    yet: its values and explanations go with it, ``ondelete=CASCADE``, so none are left)."""
    r = None if likely_new else find_return(s, unit.id, plan_id, year)
    created = False
    if r is None:
        r = Return(
            unit_id=unit.id,
            plan_id=plan_id,
            plan_version=plan_version,
            year=year,
            status="draft",
            aggregated=False,
            updated_at=now_utc(),
            changes=0,
        )
        try:
            with s.begin_nested():
                s.add(r)
                s.flush()
            created = True
        except IntegrityError:
            r = find_return(s, unit.id, plan_id, year)
            if r is None:
                raise
    return r, created
