"""Turning what a user typed into one field of a cell into the cell's new content.

Text that is not a number typed as a value is kept (in ``Entry.text``) rather than thrown away,
so a typed value is never lost; the checks then show it as a 必要性审核 error until it is
corrected.  Typed into a rate's numerator or denominator it is refused (NumberError): the entry's
one text is the value's, and kept it would show in 本年值 rather than where it was typed.
"""

from __future__ import annotations

from dataclasses import replace

from tianbao.domain.catalogue import Indicator
from tianbao.domain.checks import NumberError, parse_number
from tianbao.domain.values import Entry
from tianbao.domain.vocab import CHOICE_WORDS

_PARTS = {"numerator": ("分子", "numerator"), "denominator": ("分母", "denominator")}


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
    except NumberError as e:
        if field in _PARTS:
            # An entry has one text, the value's: kept there it would show as 本年值, not in
            # the cell it was typed in.  A numerator or denominator takes a number or nothing.
            label, label_en = _PARTS[field]
            raise NumberError(
                f"{ind.name}的{label}（只能填写数字）：{e}",
                f"The {label_en} of {ind.name_en or ind.code} takes a number only: {e.message_en}",
            ) from None
        # Keep the typed text; other fields are left as they were.
        return replace(old, text=text.strip())
    if field == "numerator":
        return replace(old, numerator=number, text=None)
    if field == "denominator":
        return replace(old, denominator=number, text=None)
    return replace(old, number=number, text=None)
