"""Text with a line for every character (Span), and the normalising of full-width characters."""

from __future__ import annotations

import re
from dataclasses import dataclass

# ---- text with a line for every character -------------------------------------------------------


@dataclass
class Span:
    text: str
    lines: list[int]

    @classmethod
    def of(cls, parts: list[tuple[int, str]]) -> Span:
        """Join (line number, text) pieces, dropping whitespace and normalising width."""
        chars: list[str] = []
        lines: list[int] = []
        for ln, txt in parts:
            for ch in normalise(txt):
                if ch.isspace():
                    continue
                chars.append(ch)
                lines.append(ln)
        return cls("".join(chars), lines)

    def sub(self, a: int, b: int) -> Span:
        return Span(self.text[a:b], self.lines[a:b])

    def line_at(self, i: int) -> int:
        if not self.lines:
            return 0
        return self.lines[min(max(i, 0), len(self.lines) - 1)]

    def drop(self, ranges: list[tuple[int, int]]) -> Span:
        keep = [True] * len(self.text)
        for a, b in ranges:
            for i in range(a, b):
                keep[i] = False
        return Span(
            "".join(c for c, k in zip(self.text, keep, strict=True) if k),
            [ln for ln, k in zip(self.lines, keep, strict=True) if k],
        )

    def quote(self, a: int, b: int, at: int) -> tuple[int, str]:
        """The text a..b restricted to the line of character ``at``: (line, quote)."""
        line = self.line_at(at)
        a = max(a, 0)
        b = min(b, len(self.text))
        while a < b and self.lines[a] != line:
            a += 1
        while b > a and self.lines[b - 1] != line:
            b -= 1
        q = re.sub(
            r"^(?:\d+[.．、](?!\d)|——|[（(][一二三四五六七八九十\d]+[）)])", "", self.text[a:b]
        )
        return line, q.strip("，,、；;。 ")


_FULLWIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９％．／～"}
_FULLWIDTH[ord("\u3000")] = ord(" ")


def normalise(s: str) -> str:
    return s.translate(_FULLWIDTH).replace("\u00a0", " ")
