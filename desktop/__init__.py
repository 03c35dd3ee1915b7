"""The PySide6 desktop program: everything that imports Qt lives here."""
