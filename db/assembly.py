"""Where each value of an assembled return came from (table ``value_source``, migration 0005).

Written by the aggregation service in the same transaction as the values it assembled; read by
the return view so that the grid, the Excel return and the PDF say, per indicator, "区卫健委填报",
"11个下级单位中11个汇总（比率重算）", "本级填报" or "数据不全：…".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from db.models import Return, ValueSource
from db.repo import entry_from_json, entry_json
from tianbao.domain.assembly import SourceInfo
from tianbao.domain.values import TOTAL, Entry


def sources(s: Session, return_id: int) -> dict[str, SourceInfo]:
    """Indicator code → its source, for an assembled return ({} for any other)."""
    return {
        v.indicator: _info(v)
        for v in s.scalars(select(ValueSource).where(ValueSource.return_id == return_id))
    }


def sources_of_returns(s: Session, return_ids: list[int]) -> dict[int, dict[str, SourceInfo]]:
    """:func:`sources` of many returns in a few queries: return id → indicator → source."""
    out: dict[int, dict[str, SourceInfo]] = {}
    for at in range(0, len(return_ids), 500):
        chunk = return_ids[at : at + 500]
        for v in s.scalars(select(ValueSource).where(ValueSource.return_id.in_(chunk))):
            out.setdefault(v.return_id, {})[v.indicator] = _info(v)
    return out


def _info(v: ValueSource) -> SourceInfo:
    computed = computed_cells(v.computed)
    return SourceInfo(
        kind=v.kind,
        unit_code=v.unit_code or "",
        unit_name=v.unit_name or "",
        rule=v.rule or "",
        reported=v.reported or 0,
        expected=v.expected or 0,
        complete=bool(v.complete),
        reason=v.reason or "",
        units=tuple(u for u in (v.units or "").split("、") if u),
        computed=computed.get(TOTAL),
    )


def computed_cells(text: str | None) -> dict[str, Entry]:
    """The cells as assembled, from the ``computed`` column (cell → entry)."""
    if not text:
        return {}
    return {cell: entry_from_json(e) for cell, e in json.loads(text).items()}


def previous_computed(s: Session, return_id: int) -> dict[str, dict[str, Entry]]:
    """Indicator → the cells the last assembly made (to tell its values from the office's)."""
    rows = s.execute(
        select(ValueSource.indicator, ValueSource.computed).where(
            ValueSource.return_id == return_id
        )
    )
    return {code: computed_cells(text) for code, text in rows}


def set_sources(
    s: Session,
    ret: Return,
    infos: Mapping[str, SourceInfo],
    made: Mapping[str, Mapping[str, Entry]],
) -> None:
    """Replace the return's sources with ``infos`` (and the cells made, per indicator)."""
    s.execute(delete(ValueSource).where(ValueSource.return_id == ret.id))
    now = datetime.now()
    rows = [
        {
            "return_id": ret.id,
            "indicator": code,
            "kind": info.kind,
            "unit_code": info.unit_code,
            "unit_name": info.unit_name,
            "rule": info.rule,
            "reported": info.reported,
            "expected": info.expected,
            "complete": info.complete,
            "reason": info.reason,
            "units": "、".join(info.units),
            "computed": json.dumps(
                {cell: entry_json(e) for cell, e in made.get(code, {}).items() if not e.empty},
                ensure_ascii=False,
            ),
            "at": now,
        }
        for code, info in infos.items()
    ]
    if rows:
        s.execute(insert(ValueSource.__table__), rows)
