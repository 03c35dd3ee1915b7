"""What importing a file would do — the preview of the dry run — and what an import did.

Kept apart from the import itself so that the summaries (``tianbao.excel.summary``) and the dialogs can
read a preview without importing the importer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tianbao.domain.catalogue import Indicator, Plan
from tianbao.domain.checks import Finding
from tianbao.domain.status import fmt_number
from tianbao.domain.values import CHOICE_LABELS, Entry
from tianbao.excel.layout import SIGNOFF_KEY
from tianbao.excel.match import Issue, MappedRow
from tianbao.services.returns import SignOff

NEW, CHANGED, CONFLICT = "new", "changed", "conflict"


class Findings(Sequence):
    """The checks of the return as it would be after an import, (indicator, cell, finding):
    computed when first read — a folder's previews are not all looked at — from what the dry
    run read from the database then; afterwards a tuple."""

    __slots__ = ("_compute", "_items")

    def __init__(self, compute: Callable[[], Iterable[tuple[str, str, Finding]]]):
        self._compute: Callable[[], Iterable[tuple[str, str, Finding]]] | None = compute
        self._items: tuple[tuple[str, str, Finding], ...] | None = None

    def _all(self) -> tuple[tuple[str, str, Finding], ...]:
        if self._items is None:
            self._items = tuple(self._compute())
            self._compute = None
        return self._items

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, i):
        return self._all()[i]

    def __iter__(self):
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Findings | tuple | list):
            return self._all() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return f"Findings({self._all()!r})"


@dataclass(frozen=True)
class CellChange:
    """One cell the import would write, or an indicator's explanation (``cell == EXPLANATION``),
    or a field of the signature footer (``indicator == SIGNOFF_KEY``, ``cell`` the field)."""

    indicator: str
    cell: str
    kind: str  # new | changed | conflict
    old: Entry | str | None  # what the database holds now (compared again when applying)
    new: Entry | str  # a sign-off field as text (报出日期 as 2025-01-15)
    label: str  # indicator name and cell, for people
    where: str  # sheet!cell in the file
    untouched: bool = False  # the file holds the value as exported: changed here since then

    @property
    def key(self) -> tuple[str, str]:
        return (self.indicator, self.cell)

    def describe(self, ind: Indicator | None = None) -> str:
        return f"{show(self.old, ind)} → {show(self.new, ind)}"


@dataclass(frozen=True)
class FilePreview:
    """What importing one file would do.  ``refused`` is set when the file cannot be read."""

    path: Path
    sha256: str = ""
    refused: str = ""
    format: str = ""  # xlsx | xls | ods
    layout: str = ""  # tianbao | foreign
    kind: str = ""  # return | template | compiled (tianbao layout)
    unit_code: str = ""
    unit_name: str = ""
    plan_id: str = ""
    plan_version: int = 0
    year: int = 0
    return_id: int | None = None
    return_status: str = ""
    changes: tuple[CellChange, ...] = ()
    unchanged: int = 0  # cells equal in file and database, or empty in the file
    issues: tuple[Issue, ...] = ()
    # (indicator, cell, finding) afterwards: a tuple or Findings, computed when first read
    findings: Sequence[tuple[str, str, Finding]] = ()
    mapping: tuple[MappedRow, ...] = ()  # foreign layout: the proposal to confirm
    fingerprint: str = ""  # of the values in the file
    exported_fingerprint: str = ""  # as written in the hidden sheet at export
    fingerprint_after: str = ""  # of the return once every change is applied
    already_imported: datetime | None = None
    reimport: bool = False
    signoff: SignOff | None = None  # the signature footer found in the file
    file_status: str = ""  # the return's status in the file (submitted: stays submitted)
    values: dict[tuple[str, str], Entry] = field(default_factory=dict, repr=False, compare=False)
    plan: Plan | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def new(self) -> list[CellChange]:
        return [c for c in self.changes if c.kind == NEW]

    @property
    def changed(self) -> list[CellChange]:
        return [c for c in self.changes if c.kind == CHANGED]

    @property
    def conflicts(self) -> list[CellChange]:
        return [c for c in self.changes if c.kind == CONFLICT]

    @property
    def signoff_changes(self) -> list[CellChange]:
        return [c for c in self.changes if c.indicator == SIGNOFF_KEY]

    @property
    def blocking(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "block"]

    @property
    def needs_confirmation(self) -> bool:
        return self.layout == "foreign"

    @property
    def nothing_to_do(self) -> bool:
        return (self.already_imported is not None and not self.reimport) or (
            not self.refused and not self.changes
        )

    @property
    def can_apply(self) -> bool:
        return not self.refused and not self.blocking and not self.nothing_to_do

    def indicator(self, code: str) -> Indicator | None:
        try:
            return self.plan.indicator(code) if self.plan else None
        except KeyError:
            return None


@dataclass(frozen=True)
class ImportResult:
    name: str
    return_id: int | None
    written: int  # values written
    explanations: int  # explanations written
    skipped: int  # changes not accepted
    fingerprint: str  # of the return after the import
    nothing_to_do: bool = False
    signed: int = 0  # sign-off fields written
    submitted: bool = False  # a submitted return imported whole stays submitted here


def show(v: Entry | str | None, ind: Indicator | None = None) -> str:
    """An entry or explanation as people read it: 98.5, 926/1037, 是, 空."""
    if v is None or v == "" or (isinstance(v, Entry) and v.empty):
        return "（空）"
    if isinstance(v, str):
        return f"“{v[:40]}{'…' if len(v) > 40 else ''}”"
    if v.choice:
        return CHOICE_LABELS.get(v.choice, v.choice)
    if v.text:
        return f"“{v.text[:40]}”"
    parts = []
    if v.number is not None:
        parts.append(fmt_number(v.number))
    if v.numerator is not None or v.denominator is not None:
        parts.append(
            f"{fmt_number(v.numerator) if v.numerator is not None else '?'}/"
            f"{fmt_number(v.denominator) if v.denominator is not None else '?'}"
        )
    unit = f" {ind.unit}" if ind is not None and ind.unit and v.number is not None else ""
    return "，".join(parts) + unit
