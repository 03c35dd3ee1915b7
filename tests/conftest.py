import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Remembered choices (QSettings) and default data folders go to a scratch place, never the
# developer's own settings or database.
_scratch = tempfile.mkdtemp(prefix="tianbao-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_scratch, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_scratch, "data")
os.environ.pop("TIANBAO_DB", None)

REPO = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("TIANBAO_SEEDS", REPO.parent / "shared" / "seeds"))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    assert SEEDS.is_dir(), f"seed documents not found at {SEEDS} (set TIANBAO_SEEDS)"
    return SEEDS
