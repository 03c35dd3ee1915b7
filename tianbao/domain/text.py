"""Text as it comes in — typed, pasted, or read from someone's workbook — made safe to keep.

Every output format is XML underneath (an .xlsx is zipped XML; reportlab's paragraphs are
XML-like markup), and XML 1.0 cannot hold most C0 control characters, U+FFFE or U+FFFF, nor
unpaired surrogates.  Such characters arrive from .xls files and from copy and paste; one of
them in a stored explanation or unit name would make every later export of that return
malformed.  So they are removed on the way in, in one place, together with the leading and
trailing spaces that make a re-imported sign-off differ from its own export; and lengths are
bounded, so every output (PDF cells, Excel cells) can hold the longest text allowed.
"""

from __future__ import annotations

import re

from tianbao.domain.errors import InputError

# Tab and newline stay; carriage returns become newlines.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")

# The database's own limits (db.repo.check_text) for names, codes and sign-off fields.
MAX_UNIT_NAME = 100
MAX_UNIT_CODE = 40
MAX_EXPLANATION = 2000
MAX_SIGNOFF_FIELD = 50
MAX_TEXT_VALUE = 2000  # the answer of a text indicator


class TextTooLong(InputError):
    """Text longer than its field allows; the message says how long it may be."""


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot hold (nothing else changed): for output."""
    return _ILLEGAL.sub("", text)


def clean(text: object) -> str:
    """``text`` without characters XML cannot hold (C0 controls except tab and newline, DEL,
    U+FFFE, U+FFFF, lone surrogates), with Windows line ends as newlines, stripped."""
    if text is None:
        return ""
    s = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL.sub("", s).strip()


def one_line(text: object) -> str:
    """Like :func:`clean`, and tabs and newlines become single spaces (names, codes, phones)."""
    return re.sub(r"[\t\n]+", " ", clean(text)).strip()


def limited(text: object, limit: int, what: str, *, single_line: bool = False) -> str:
    """Cleaned text, or :class:`TextTooLong` if it is longer than ``limit`` characters."""
    s = one_line(text) if single_line else clean(text)
    if len(s) > limit:
        raise TextTooLong(
            f"{what}太长（{len(s)} 个字），最多 {limit} 个字。请精简后重新填写。",
            f"{what} is too long ({len(s)} characters); at most {limit} are allowed.",
        )
    return s


def unit_name(text: object) -> str:
    return limited(text, MAX_UNIT_NAME, "单位名称", single_line=True)


def unit_code(text: object) -> str:
    return limited(text, MAX_UNIT_CODE, "单位代码", single_line=True)


def explanation(text: object) -> str:
    return limited(text, MAX_EXPLANATION, "情况说明")


def signoff_field(text: object, what: str = "签署栏") -> str:
    return limited(text, MAX_SIGNOFF_FIELD, what, single_line=True)


def text_value(text: object) -> str:
    return limited(text, MAX_TEXT_VALUE, "文字内容")
