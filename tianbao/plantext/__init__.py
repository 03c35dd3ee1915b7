"""Drafting a plan catalogue from a plan's published text (规划文本 → 计划目录草稿).

Layers: :mod:`.reader` turns a .txt/.docx/.pdf/.html file or pasted text into numbered lines;
:mod:`.structure` finds the title, period, domains and sections; :mod:`.phrases` reads the
targets out of one goal sentence; :mod:`.dictionary` holds the standard indicator definitions
(built from the shipped catalogues); :mod:`.draft` assembles a catalogue dictionary with flags.
Only the domain layer and the standard library / document readers are imported here.
"""

from tianbao.plantext.draft import Draft, DraftError, draft_plans, draft_text
from tianbao.plantext.reader import PlanTextError, read_plan_file, read_plan_text

__all__ = [
    "Draft",
    "DraftError",
    "PlanTextError",
    "draft_plans",
    "draft_text",
    "read_plan_file",
    "read_plan_text",
]
