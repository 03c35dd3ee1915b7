"""A dictionary of standard indicators: name → unit, kind, scale, numerator, denominator, direction.

Built from the catalogues the program ships (resources/plans/*.toml) and extendable with more
catalogue files (a county's own reviewed plan, say).  ``exclude`` leaves chosen plans out — the
benchmark drafts each seed with a dictionary that does not contain that seed's own catalogue.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tianbao.resources import resource_path

_KEEP = (
    "unit",
    "kind",
    "scale",
    "numerator",
    "denominator",
    "gross",
    "better",
    "name_en",
    "bounds",
    "plausible",
    "change_threshold",
)


def norm_name(name: str) -> str:
    """Spelling-insensitive key: no spaces, brackets, quotes or dashes; 0-6 = 0—6 = 0至6."""
    s = re.sub(r"\s+", "", name)
    s = s.translate(
        str.maketrans(
            {
                "(": "（",
                ")": "）",
                "－": "—",
                "-": "—",
                "–": "—",
                "~": "—",
                "～": "—",
                "學": "学",
                "師": "师",
                "醫": "医",
            }
        )
    )
    s = re.sub(r"(\d)至(\d)", r"\1—\2", s)
    s = re.sub(r"[《》“”\"'「」]", "", s)
    s = s.replace("执业（助理）医师", "执业（助理）医生")
    return s


def bigrams(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams of the normalised names (0..1)."""
    a, b = norm_name(a), norm_name(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


@dataclass(frozen=True)
class Entry:
    name: str
    domain: str
    info: dict
    plan: str  # the plan id it came from


class Dictionary:
    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}

    def __len__(self) -> int:
        return len(self.entries)

    @classmethod
    def builtin(cls, exclude: Iterable[str] = ()) -> Dictionary:
        d = cls()
        excluded = set(exclude)
        for path in sorted(resource_path("plans").glob("*.toml")):
            d.add_file(path, exclude=excluded)
        return d

    def add_file(self, path: str | Path, exclude: set[str] | None = None) -> int:
        """Add every numeric indicator of a catalogue file; returns how many were added."""
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        if exclude and data.get("id") in exclude:
            return 0
        return self.add_plan(data)

    def add_plan(self, data: dict) -> int:
        n = 0
        for ind in data.get("indicators", []):
            if ind.get("kind") in ("yesno", "text") or not ind.get("name"):
                continue
            key = norm_name(ind["name"])
            if key in self.entries:
                continue
            info = {k: ind[k] for k in _KEEP if k in ind}
            self.entries[key] = Entry(
                ind["name"], ind.get("domain", ""), info, str(data.get("id", ""))
            )
            n += 1
        return n

    def lookup(self, name: str, unit: str = "") -> Entry | None:
        """The entry for ``name``: exact (spelling-insensitive), else the most similar of the same
        unit family when it is close enough (similarity ≥ 0.8)."""
        key = norm_name(name)
        if not key:
            return None
        e = self.entries.get(key)
        if e is not None:
            return e
        best, score = None, 0.0
        for k, cand in self.entries.items():
            if unit and cand.info.get("unit") and not _compatible(unit, cand.info["unit"]):
                continue
            s = similarity(key, k)
            if s > score:
                best, score = cand, s
        if best is not None and score >= 0.8:
            return best
        return None

    def complete(self, name: str) -> str | None:
        """A dictionary name that ends with ``name`` and is the only one doing so
        (生长迟缓率 → 5岁以下儿童生长迟缓率)."""
        key = norm_name(name)
        if len(key) < 3:
            return None
        hits = {e.name for k, e in self.entries.items() if k.endswith(key) and k != key}
        return hits.pop() if len(hits) == 1 else None


def _compatible(a: str, b: str) -> bool:
    fam = {"%": "p", "‰": "p", "1/10万": "p", "1/万": "p", "个百分点": "p"}
    return fam.get(a, a) == fam.get(b, b) or a == "" or b == ""
