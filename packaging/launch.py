"""Entry script of the PyInstaller build: both executables (Tianbao, tianbao-cli) start here."""

import sys

from desktop.launch import main

if __name__ == "__main__":
    sys.exit(main())
