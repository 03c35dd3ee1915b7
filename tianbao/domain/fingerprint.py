"""The fingerprint of a return: a hash of its canonical values, printed on the PDF and stored in the
Excel file, so a signed paper copy can be matched to the file it came from."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping

from tianbao.domain.values import Entry


def _num(v: float | None) -> str | None:
    if v is None:
        return None
    return format(float(v), ".10g")


def canonical(
    plan_id: str,
    plan_version: int,
    unit_code: str,
    year: int,
    entries: Mapping[tuple[str, str], Entry],
) -> str:
    rows = []
    for (code, cell), e in sorted(entries.items()):
        if e.empty:
            continue
        row = [
            code,
            cell,
            _num(e.number),
            _num(e.numerator),
            _num(e.denominator),
            e.choice or None,
            (e.text or "").strip() or None,
        ]
        if e.tally is not None:  # a parent's tally; absent elsewhere, so older fingerprints hold
            row.append([int(n) for n in e.tally])
        rows.append(row)
    return json.dumps(
        [plan_id, plan_version, unit_code, year, rows], ensure_ascii=False, separators=(",", ":")
    )


def fingerprint(
    plan_id: str,
    plan_version: int,
    unit_code: str,
    year: int,
    entries: Mapping[tuple[str, str], Entry],
) -> str:
    """16 hex digits in four groups, e.g. ``3F2A-9C01-77B4-E0D2``."""
    digest = hashlib.sha256(
        canonical(plan_id, plan_version, unit_code, year, entries).encode()
    ).hexdigest()
    h = digest[:16].upper()
    return "-".join(h[i : i + 4] for i in range(0, 16, 4))


def view_fingerprint(view) -> str:
    """The fingerprint of a ReturnView (tianbao.services.returns)."""
    entries = {(r.indicator.code, cell): e for r in view.rows for cell, e in r.cells.items()}
    i = view.info
    return fingerprint(i.plan_id, i.plan_version, i.unit_code, i.year, entries)
