"""The program's entry point: the desktop program without a subcommand, the command line with one.

It lives in ``desktop`` so that the command line (``tianbao.cli``) never imports Qt or the GUI.
"""

from __future__ import annotations

import multiprocessing
import sys

from tianbao.cli.main import build_parser
from tianbao.cli.main import run as run_command


def main(argv: list[str] | None = None) -> int:
    # In a PyInstaller bundle the file-reader processes (tianbao.excel.sandbox, spawn) start this
    # executable again; freeze_support() turns such a start into the worker and never returns.
    multiprocessing.freeze_support()
    args = build_parser().parse_args(argv)
    if args.self_test:
        from desktop.selftest import run_self_test

        return run_self_test()
    if args.cmd is None:
        from desktop.app import run

        return run(db=args.db, lang=args.lang)
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
