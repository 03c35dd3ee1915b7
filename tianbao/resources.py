"""Find bundled resources (plans, fonts, translations) in a checkout, a wheel or a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_root() -> Path:
    """The ``resources`` folder: inside a PyInstaller bundle, or beside the packages."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    import resources  # the top-level data package shipped with the distribution

    return Path(resources.__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)
