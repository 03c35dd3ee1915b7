"""How a command reports a known problem: a Chinese message on stderr and exit status 2."""

from __future__ import annotations

import sys

EXIT_INPUT = 2


def _fail(msg: str) -> int:
    print(f"错误：{msg}", file=sys.stderr)
    return EXIT_INPUT
