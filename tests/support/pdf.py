"""Constants and readers shared by the PDF tests (imported by name: the tests are not a package)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from tianbao.domain.catalogue import FormMarks
from tianbao.services.returns import SignOff

YEAR = 2024
MARKS = FormMarks(
    table_no="妇儿统1表",
    made_by="新华区统计局",
    approved_by="平顶山市统计局",
    approval_no="平统字〔2024〕12号",
    valid_until="2026年12月",
)
SIGNOFF = SignOff("张卫国", "李统计", "王填表", "0375-1234567", date(2025, 1, 20))
EXPLANATION = "经核实，本年新生儿死亡个案均已逐例核对，数据无误。"


def page_texts(path: Path) -> list[str]:
    """The text of each page with all whitespace removed (lines wrap inside table cells)."""
    return [re.sub(r"\s+", "", p.extract_text() or "") for p in PdfReader(path).pages]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
