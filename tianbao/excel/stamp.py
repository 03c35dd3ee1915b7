"""Marking a finished workbook as the demonstration's: 【演示数据】 in every sheet's printed header
and in the workbook's title, so a printout or a forwarded file cannot pass for a real return.

Only the header/footer and the document properties change; cells, validation, protection and the
hidden sheet (with the 校验码) are left as the writer made them.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

DEMO_MARK = "【演示数据】仅供试用，不是正式报表"


def stamp_workbook(path: str | Path, text: str = DEMO_MARK) -> int:
    """Put ``text`` in the printed header of every sheet of ``path`` (in place); returns sheets."""
    path = Path(path)
    wb = openpyxl.load_workbook(path)  # a file this program has just written, not a stranger's
    for ws in wb.worksheets:
        ws.oddHeader.left.text = text
        ws.evenHeader.left.text = text
        ws.firstHeader.left.text = text
    wb.properties.title = f"{text} {wb.properties.title or ''}".strip()
    wb.save(path)
    return len(wb.worksheets)
