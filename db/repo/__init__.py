"""Repository functions.  Each takes a Session and never commits; the caller owns the unit of work.

This package only hands on the names of its parts, so ``from db import repo; repo.x`` works as before:
concurrency (expected old values, locks, who and when), limits (what a server refuses, checked before
a flush), units, returns, values (entries read and written), audit (origins and the trail), signoff,
explanations (and baselines), imported (files already applied).
"""

from db.models import Return
from db.repo.audit import TYPED, AuditRow, Origin, audit, duty_history, history
from db.repo.concurrency import (
    ANY,
    CHOICE_WORDS,
    ConflictError,
    changes_of,
    current_user,
    local_time,
    lock_return,
    now_utc,
    show_value,
    touch_unit_returns,
)
from db.repo.explanations import baselines, explanations, set_baseline, set_explanation
from db.repo.imported import imported_file, record_import
from db.repo.limits import FIELD_LABELS, check_row, check_text
from db.repo.returns import (
    find_return,
    get_or_create_return,
    get_or_create_return_created,
    returns_of_units,
    returns_of_years,
)
from db.repo.signoff import set_signoff, signoff_of
from db.repo.units import (
    UnitInfo,
    _unit_info,
    add_unit,
    children,
    delete_unit,
    describe_unit,
    list_units,
    lock_unit_as_seen,
    rename_unit,
    unit_by_code,
)
from db.repo.values import (
    baselines_of_units,
    entries,
    entries_of_returns,
    entry_from_json,
    entry_json,
    explanations_of_returns,
    set_entries,
    set_entry,
    totals_of_units,
    units_with_children,
)
from tianbao.domain.errors import InputError

__all__ = [
    "ANY",
    "AuditRow",
    "CHOICE_WORDS",
    "ConflictError",
    "FIELD_LABELS",
    "InputError",
    "Origin",
    "Return",
    "TYPED",
    "UnitInfo",
    "_unit_info",
    "add_unit",
    "audit",
    "baselines",
    "baselines_of_units",
    "changes_of",
    "check_row",
    "check_text",
    "children",
    "current_user",
    "delete_unit",
    "describe_unit",
    "entries",
    "entries_of_returns",
    "entry_from_json",
    "entry_json",
    "explanations",
    "explanations_of_returns",
    "find_return",
    "returns_of_years",
    "get_or_create_return_created",
    "get_or_create_return",
    "duty_history",
    "history",
    "imported_file",
    "list_units",
    "local_time",
    "lock_return",
    "lock_unit_as_seen",
    "now_utc",
    "record_import",
    "rename_unit",
    "returns_of_units",
    "set_baseline",
    "set_entries",
    "set_entry",
    "set_explanation",
    "set_signoff",
    "show_value",
    "signoff_of",
    "totals_of_units",
    "touch_unit_returns",
    "unit_by_code",
    "units_with_children",
]
