"""Finding an indicator in the main window: Ctrl+F, Enter and F3, and going to a cell.

A part of MainWindow split off by its section; see desktop.window_menus for how ``self.tr`` finds
its translations.
"""

from __future__ import annotations

from desktop.entry_model import COL_VALUE
from desktop.i18n import fill


class WindowFind:
    """Mixin of MainWindow: the find box, its matches and going to an indicator's cell."""

    def _focus_find(self) -> None:
        self.find_box.setFocus()
        self.find_box.selectAll()

    def matches(self, text: str) -> list[tuple[int, str]]:
        """(domain index, indicator code) of every indicator whose name or code contains ``text``."""
        text = text.strip().lower()
        if not text or self.view is None:
            return []
        return [
            (di, ind.code)
            for di, d in enumerate(self.view.plan.domains)
            for ind in d.indicators
            if text in ind.code.lower() or text in ind.name.lower() or text in ind.name_en.lower()
        ]

    def find(self, text: str) -> bool:
        """Go to the first indicator whose name or code contains ``text``, in any domain."""
        self._found = None
        return self._go_to_match(text, 0)

    def find_next(self) -> bool:
        """Enter in the find box or F3: the next match after the last one (wrapping round)."""
        text = self.find_box.text()
        last = getattr(self, "_found", None)
        found = self.matches(text)
        codes = [c for _d, c in found]
        start = 0
        if last is not None and last[0] == text.strip().lower() and last[1] in codes:
            start = (codes.index(last[1]) + 1) % len(codes)
        return self._go_to_match(text, start)

    def _go_to_match(self, text: str, start: int) -> bool:
        found = self.matches(text)
        if not found:
            self.statusBar().showMessage(fill(self.tr("没有找到“%1”"), text.strip()), 4000)
            return False
        di, code = found[start]
        self._found = (text.strip().lower(), code)
        self.go_to(code)
        self.statusBar().showMessage(
            fill(self.tr("第 %1/%2 个：%3（F3 查找下一个）"), start + 1, len(found), code), 4000
        )
        return True

    def go_to(self, code: str, cell: str = "", column: int = COL_VALUE) -> None:
        """Show an indicator's cell in the entry grid, in whatever domain it is."""
        if self.view is None:
            return
        self.tabs.setCurrentIndex(0)
        for di, d in enumerate(self.view.plan.domains):
            if any(i.code == code for i in d.indicators):
                self.filter_box.setCurrentIndex(0)
                self.nav.setCurrentRow(di)
                self.grid.select_cell(self.model.row_of(code, cell), column)
                self.grid.setFocus()
                return
