"""Turning what a user typed into one field of a cell into the cell's new content.

Text that is not a number is kept (in ``Entry.text``) rather than thrown away, so a typed value
is never lost; the checks then show it as a 必要性审核 error until it is corrected.
"""

from __future__ import annotations

from dataclasses import replace

from tianbao.domain.catalogue import Indicator
from tianbao.domain.checks import NumberError, parse_number
from tianbao.domain.values import Entry
from tianbao.domain.vocab import CHOICE_WORDS


def parse_choice(text: str) -> str | None:
    key = text.strip().lower()
    if key not in CHOICE_WORDS:
        raise NumberError(
            f"“{text.strip()}”不是有效选项，请填写 是 / 部分 / 否。",
            f"{text.strip()!r} is not a valid choice; use yes / partly / no.",
        )
    return CHOICE_WORDS[key]


def edited(ind: Indicator, old: Entry, field: str, text: str) -> Entry:
    """The entry after typing ``text`` into ``field`` (number, numerator, denominator, value)."""
    if ind.kind == "yesno":
        return replace(old, choice=parse_choice(text))
    if ind.kind == "text":
        return replace(old, text=text.strip() or None)
    try:
        number = parse_number(text)
    except NumberError:
        # Keep the typed text; other fields are left as they were.
        return replace(old, text=text.strip())
    if field == "numerator":
        return replace(old, numerator=number, text=None)
    if field == "denominator":
        return replace(old, denominator=number, text=None)
    return replace(old, number=number, text=None)
