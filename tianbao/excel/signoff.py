"""The signature footer of a workbook (单位负责人, 统计负责人, 填表人, 联系电话, 报出日期), read back.

The export writes each label with "：" and its value a column or two to the right, on every
domain sheet (``xlsx_export.write_footer``).  Like the data rows, the footer is found by what it
says, never by where it is: a label anywhere in any sheet (re-sorted rows, renamed sheets, a
colleague's own layout), with or without its colon, and the value is the first non-empty cell
to the right on the same row, within a few columns and before the next label — or the rest of
the label's own cell ("填表人：王五").  报出日期 is read as people type dates.  A workbook with
none of the labels has no footer (None).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Collection, Mapping

from tianbao.domain import text as textrules
from tianbao.domain.values import SignOff
from tianbao.excel.layout import META_SHEET, SIGNOFF, signoff_text
from tianbao.excel.match import Issue, _text, norm_name
from tianbao.excel.read import Sheet
from tianbao.excel.readvalues import _ref, parse_or_none

LABELS = {norm_name(label): key for key, label in SIGNOFF} | {
    "填报人": "filled_by",
    "填报日期": "report_date",
}
LABEL_OF = dict(SIGNOFF)
_HINT = set("负填电日")  # every label has one of these: most cells are passed over at once
WITHIN = 3  # columns right of a label where its value may be
_INLINE = re.compile(r"\s*([^:：]{2,12}?)\s*[:：]\s*(.*?)\s*", re.DOTALL)
_NOTE = re.compile(r"\s*[（(][^）)]*[)）]\s*")  # "（单位公章）" beside 报出日期 is not a value
_DATE = re.compile(r"(\d{4})[年./-](\d{1,2})[月./-](\d{1,2})日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def read_signoff(
    sheets: list[Sheet],
    exported: SignOff | None = None,
    skip: Mapping[str, Collection[int]] | None = None,
) -> tuple[SignOff | None, dict[str, str], list[Issue]]:
    """The footer found in ``sheets`` (None if no label is there), where each value was read,
    and what could not be read.  The footer is on every sheet: an empty copy says nothing, and
    where copies differ the one changed since the export (``exported``) is taken.  ``skip``:
    sheet name → 0-based rows not searched (the data rows matched to indicators)."""
    seen: set[str] = set()
    found: dict[str, list[tuple[str, str]]] = {}
    issues: list[Issue] = []
    for sheet in sheets:
        if sheet.name == META_SHEET:
            continue
        passed = skip.get(sheet.name, ()) if skip else ()
        for r, row in enumerate(sheet.rows):
            if r in passed:
                continue
            for c, v in enumerate(row):
                if not v or v.__class__ is not str or len(v) > _LONGEST:
                    continue  # numbers and long text: the same answer as _label, without the call
                key, inline = _short_label(v)
                if key is None:
                    continue
                seen.add(key)
                raw, col = (inline, c) if inline else _right_of(sheet, r, c)
                where = f"{sheet.name}!{_ref(r, col)}"
                try:
                    text = _field(key, raw)
                except ValueError:
                    shown = textrules.one_line(_text(raw))
                    problem = (
                        "无法识别为日期（请填写如 2025年1月15日）"
                        if key == "report_date"
                        else f"超过 {textrules.MAX_SIGNOFF_FIELD} 个字"
                    )
                    issues.append(
                        Issue(
                            "warn",
                            f"{where}的{LABEL_OF[key]}“{shown[:40]}”{problem}，未读取。",
                            where=where,
                        )
                    )
                    continue
                if text and (text, where) not in found.get(key, []):
                    found.setdefault(key, []).append((text, where))
    if not seen:
        return None, {}, issues
    values: dict[str, str] = {}
    wheres: dict[str, str] = {}
    for key, label in SIGNOFF:
        texts = list(dict.fromkeys(t for t, _ in found.get(key, [])))
        if not texts:
            values[key] = ""
            continue
        edited = [t for t in texts if exported is None or t != signoff_text(exported, key)]
        values[key] = (edited or texts)[0]
        wheres[key] = next(w for t, w in found[key] if t == values[key])
        if len(edited) > 1:
            issues.append(
                Issue(
                    "warn",
                    f"签署栏的{label}在各工作表中填写不一致（{'、'.join(edited)}），"
                    f"采用{wheres[key]}的“{values[key]}”，请核对。",
                    where=wheres[key],
                )
            )
    date = values.pop("report_date")
    signoff = SignOff(**values, report_date=dt.date.fromisoformat(date) if date else None)
    return signoff, wheres, issues


_LONGEST = 60  # a label cell with its value ("填表人：王五") is never longer


def _label(v: object) -> tuple[str | None, str]:
    """The field a cell labels, and the value written in the same cell after the colon."""
    if not isinstance(v, str) or len(v) > _LONGEST or _HINT.isdisjoint(v):
        return None, ""
    key = LABELS.get(norm_name(v))
    if key is not None:
        return key, ""
    m = _INLINE.fullmatch(v)
    if m is not None and (key := LABELS.get(norm_name(m.group(1)))) is not None:
        return key, m.group(2)
    return None, ""


# The same texts come back in every file of a folder (the sheets' titles, notes, the indicator
# explanations): their answer is kept (issue 19).  Short texts only, a bounded number of them.
_short_label = functools.lru_cache(maxsize=4096)(_label)


def _right_of(sheet: Sheet, r: int, c: int) -> tuple[object, int]:
    """The first non-empty cell right of a label, unless the next label or a note comes first."""
    for col in range(c + 1, c + 1 + WITHIN):
        v = sheet.value(r, col)
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if _label(v)[0] is not None or (isinstance(v, str) and _NOTE.fullmatch(v)):
            break
        return v, col
    return "", c + 1


def _field(key: str, raw: object) -> str:
    """A field's value as :func:`signoff_text` writes it; raises ValueError for an unreadable date."""
    if key == "report_date":
        d = parse_date(raw)
        return d.isoformat() if d else ""
    text = textrules.one_line(_text(raw))
    if len(text) > textrules.MAX_SIGNOFF_FIELD:
        raise ValueError(text)
    return text if parse_or_none(text) else ""


def parse_date(v: object) -> dt.date | None:
    """A date as people type it: a date cell, an Excel serial number, 2025年1月15日, 2025-01-15,
    2025/1/15, 2025.1.15, 20250115, full-width digits.  None for an empty cell, a no-data mark or
    the template's "　　年　　月　　日"; ValueError for anything else."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, bool):
        raise ValueError(v)
    if isinstance(v, (int, float)):
        if not -1e9 < v < 1e9:  # also NaN
            raise ValueError(v)
        n = int(v)
        if 20000 <= n <= 80000:  # an Excel serial number (1954–2119)
            return _EXCEL_EPOCH + dt.timedelta(days=n)
        m = _COMPACT.fullmatch(str(n))
        if m is None:
            raise ValueError(v)
        return dt.date(*map(int, m.groups()))
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(v or "")))
    if not text or text == "年月日" or not parse_or_none(text):
        return None
    m = _DATE.fullmatch(text) or _COMPACT.fullmatch(text)
    if m is not None:
        return dt.date(*map(int, m.groups()))
    if text.isdigit():
        return parse_date(int(text))
    raise ValueError(v)
