"""The PyInstaller spec, the installer script and the self-test the build runs.

Fast by default: the spec is compiled and run with stand-ins for PyInstaller's classes (no
PyInstaller needed), and ``tianbao --self-test`` runs from source.  The real build takes about a
minute and ~250 MB of disk; it runs in CI (CI=true, as .ci/run is run) or with TIANBAO_BUILD=1.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "packaging" / "tianbao.spec"
ISS = REPO / "packaging" / "windows" / "tianbao.iss"


class _Recorder:
    """Stands in for one of PyInstaller's spec classes, remembering how it was called."""

    calls: list[_Recorder]

    def __init__(self, *args, **kwargs) -> None:
        self.args, self.kwargs = args, kwargs
        self.datas: list = []
        self.binaries: list = []
        self.pure: list = []
        self.scripts: list = []
        self.calls.append(self)


def _run_spec() -> dict:
    made: dict[str, list[_Recorder]] = {}

    def recorder(name: str) -> type:
        made[name] = []
        return type(name, (_Recorder,), {"calls": made[name]})

    namespace = {"SPECPATH": str(SPEC.parent), "__file__": str(SPEC)}
    for name in ("Analysis", "PYZ", "EXE", "COLLECT"):
        namespace[name] = recorder(name)
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    namespace["made"] = made
    return namespace


def test_spec_compiles():
    compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")


def test_every_data_source_exists_and_covers_the_runtime_files():
    spec = _run_spec()
    matched: set[Path] = set()
    for source, dest in spec["DATAS"]:
        found = glob.glob(source)
        assert found, f"data source {source} (→ {dest}) matches nothing"
        matched |= {Path(f).resolve() for f in found}
    needed = [
        *(REPO / "resources" / "plans").glob("*.toml"),
        *(REPO / "resources" / "fonts").glob("*.ttf"),
        *(REPO / "resources" / "fonts").glob("LICENSE*"),
        *(REPO / "resources" / "i18n").glob("*.qm"),
        REPO / "db" / "migrations" / "env.py",
        *(REPO / "db" / "migrations" / "versions").glob("*.py"),
    ]
    missing = [str(p.relative_to(REPO)) for p in needed if p.resolve() not in matched]
    assert not missing, f"not bundled: {missing}"


def test_spec_builds_a_windowed_and_a_console_program_in_one_folder():
    made = _run_spec()["made"]
    (analysis,) = made["Analysis"]
    script = Path(analysis.args[0][0])
    assert script.is_file() and script.name == "launch.py"
    assert "db.models" in analysis.kwargs["hiddenimports"]  # imported only by alembic's env.py
    assert "PySide6.QtWebEngineCore" in analysis.kwargs["excludes"]
    exes = {e.kwargs["name"]: e.kwargs for e in made["EXE"]}
    assert exes["Tianbao"]["console"] is False
    assert exes["tianbao-cli"]["console"] is True
    assert all(e["exclude_binaries"] for e in exes.values())
    (collect,) = made["COLLECT"]
    assert collect.kwargs["name"] == "tianbao"
    assert all(any(exe is arg for arg in collect.args) for exe in made["EXE"])


def test_installer_script_matches_the_build():
    text = ISS.read_text(encoding="utf-8-sig")
    assert "dist\\tianbao" in text and "Tianbao.exe" in text and "tianbao-cli.exe" in text
    assert 'MessagesFile: "compiler:Default.isl"' in text and "ChineseSimplified.isl" in text
    assert "{autopf}\\Tianbao" in text
    assert "[UninstallDelete]" not in text.split("; No [UninstallDelete]")[0]  # user data stays


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TIANBAO_", "XDG_"))}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HOME=str(home),
        USERPROFILE=str(home),
        APPDATA=str(home / "AppData" / "Roaming"),
        LOCALAPPDATA=str(home / "AppData" / "Local"),
        PYTHONIOENCODING="utf-8",
    )
    return env


@pytest.mark.slow
@pytest.mark.sqlite_only  # the program as a process, on its own SQLite files
def test_self_test_from_source(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "desktop.launch", "--self-test"],
        cwd=REPO,
        env=_clean_env(tmp_path),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "自检通过 / self-test passed" in result.stdout
    assert "Qt warning" not in result.stderr, result.stderr
    assert not list(tmp_path.rglob("*.sqlite")), "the self-test wrote into the home folder"


@pytest.mark.slow
@pytest.mark.sqlite_only  # the built program's self-test, on its own SQLite files; built once
@pytest.mark.skipif(
    os.environ.get("TIANBAO_BUILD") != "1" and os.environ.get("CI") != "true",
    reason="the PyInstaller build takes about a minute and ~250 MB; CI runs it, "
    "or set TIANBAO_BUILD=1",
)
def test_build_and_smoke_test():
    result = subprocess.run(
        [sys.executable, str(REPO / "packaging" / "build.py")],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=3600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "自检通过 / self-test passed" in result.stdout
