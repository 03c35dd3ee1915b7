"""Build the one-folder program and smoke-test it: ``python packaging/build.py``.

1. checks that PyInstaller is installed (``pip install -e ".[build]"``; this script installs nothing);
2. compiles the translations (resources/i18n/*.ts → .qm) with pyside6-lrelease, if it is there;
3. runs PyInstaller on packaging/tianbao.spec into dist/tianbao/ (work files in build/pyinstaller/);
4. checks the bundle holds its data files, then runs ``dist/tianbao/tianbao-cli --self-test``
   headless (QT_QPA_PLATFORM=offscreen) with a temporary HOME/APPDATA, so nothing touches the
   user's data, and fails on a non-zero exit, on Qt warnings in its output, or if the test left
   a database in the temporary home;
5. prints the size of the folder and the time each part took.

Exit status 0 when the build and the smoke test pass, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "tianbao.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE = DIST / "tianbao"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
SMOKE_TIMEOUT = 900  # seconds; the self-test takes well under a minute on an office PC

# What a Qt warning looks like on stderr: our self-test's handler prints "Qt warning: …"; Qt's
# default handler prints category lines (qt.qpa.fonts: …) and class-prefixed ones (QFont::…).
QT_WARNING = re.compile(r"^(Qt (warning|critical|fatal)|qt\.[\w.]+:|Q[A-Z]\w*(::|:\s))")
IGNORED = ("propagateSizeHints",)

# Files the program reads at run time, relative to the bundle's _internal folder.
REQUIRED = (
    "resources/fonts/DroidSansFallbackFull.ttf",
    "resources/fonts/LICENSE-DroidSansFallback.txt",
    "resources/fonts/Vera.ttf",
    "resources/i18n/tianbao_en.qm",
    "db/migrations/env.py",
    "db/migrations/script.py.mako",
)


class BuildFailed(Exception):
    pass


def step(text: str) -> None:
    print(f"\n== {text}", flush=True)


def check_pyinstaller() -> str:
    try:
        import PyInstaller
    except ImportError:
        raise BuildFailed(
            'PyInstaller is not installed. Install the build extra first:  pip install -e ".[build]"'
        ) from None
    return PyInstaller.__version__


def compile_translations() -> None:
    lrelease = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    ts_files = sorted((ROOT / "resources" / "i18n").glob("*.ts"))
    if lrelease is None:
        stale = [
            ts.name
            for ts in ts_files
            if not ts.with_suffix(".qm").exists()
            or ts.with_suffix(".qm").stat().st_mtime < ts.stat().st_mtime
        ]
        print(
            "pyside6-lrelease not found: using the .qm files as they are"
            + (f" (older than their .ts: {', '.join(stale)})" if stale else "")
        )
        return
    for ts in ts_files:
        run([lrelease, "-silent", str(ts), "-qm", str(ts.with_suffix(".qm"))])
        print(f"{ts.name} → {ts.with_suffix('.qm').name}")


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=ROOT, **kw)
    if result.returncode != 0:
        raise BuildFailed(f"command failed ({result.returncode}): {' '.join(map(str, cmd))}")
    return result


def pyinstaller(clean: bool) -> None:
    cmd = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(DIST),
        "--workpath",
        str(WORK),
        str(SPEC),
    ]
    if clean:
        cmd.insert(3, "--clean")
    run(cmd)


def check_bundle() -> Path:
    exe = BUNDLE / f"tianbao-cli{EXE_SUFFIX}"
    gui = BUNDLE / f"Tianbao{EXE_SUFFIX}"
    internal = BUNDLE / "_internal"
    missing = [str(p.relative_to(BUNDLE)) for p in (exe, gui) if not p.is_file()]
    missing += [f"_internal/{rel}" for rel in REQUIRED if not (internal / rel).is_file()]
    plans = {p.name for p in (ROOT / "resources" / "plans").glob("*.toml")}
    bundled = {p.name for p in (internal / "resources" / "plans").glob("*.toml")}
    missing += [f"_internal/resources/plans/{name}" for name in sorted(plans - bundled)]
    versions = {p.name for p in (ROOT / "db" / "migrations" / "versions").glob("*.py")}
    bundled = {p.name for p in (internal / "db" / "migrations" / "versions").glob("*.py")}
    missing += [f"_internal/db/migrations/versions/{name}" for name in sorted(versions - bundled)]
    if missing:
        raise BuildFailed("the bundle lacks: " + ", ".join(missing))
    print(
        f"{gui.name}, {exe.name}; {len(plans)} plans, {len(versions)} migrations, font, translations"
    )
    return exe


def smoke_test(exe: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="tianbao-smoke-home-") as home:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TIANBAO_", "XDG_", "QT_"))}
        env.update(
            QT_QPA_PLATFORM="offscreen",
            HOME=home,
            USERPROFILE=home,
            APPDATA=str(Path(home, "AppData", "Roaming")),
            LOCALAPPDATA=str(Path(home, "AppData", "Local")),
            PYTHONIOENCODING="utf-8",
        )
        try:
            result = subprocess.run(
                [str(exe), "--self-test"],
                cwd=home,
                env=env,
                capture_output=True,
                timeout=SMOKE_TIMEOUT,
            )
        except subprocess.TimeoutExpired as e:
            raise BuildFailed(f"the self-test did not finish within {SMOKE_TIMEOUT} s") from e
        out = result.stdout.decode("utf-8", "replace")
        err = result.stderr.decode("utf-8", "replace")
        print(out, end="" if out.endswith("\n") else "\n")
        if err.strip():
            print("--- stderr ---\n" + err.rstrip())
        left = [str(p.relative_to(home)) for p in Path(home).rglob("*.sqlite*")]
    qt_warnings = [
        line
        for line in err.splitlines()
        if QT_WARNING.match(line.strip()) and not any(i in line for i in IGNORED)
    ]
    if result.returncode != 0:
        raise BuildFailed(f"the self-test failed (exit status {result.returncode})")
    if qt_warnings:
        raise BuildFailed(f"{len(qt_warnings)} Qt warning(s) on stderr, first: {qt_warnings[0]}")
    if left:
        raise BuildFailed(f"the self-test wrote a database into the home folder: {', '.join(left)}")


def folder_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clean", action="store_true", help="clear PyInstaller's cache first")
    parser.add_argument("--no-build", action="store_true", help="only smoke-test dist/tianbao")
    args = parser.parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    times: dict[str, float] = {}
    try:
        if not args.no_build:
            step("PyInstaller")
            print(
                f"PyInstaller {check_pyinstaller()}, Python {sys.version.split()[0]}, {sys.platform}"
            )
            step("translations")
            compile_translations()
            step(f"build → {BUNDLE.relative_to(ROOT)}")
            t0 = time.perf_counter()
            pyinstaller(args.clean)
            times["build"] = time.perf_counter() - t0
        step("bundle contents")
        exe = check_bundle()
        step(f"smoke test: {exe.relative_to(ROOT)} --self-test")
        t0 = time.perf_counter()
        smoke_test(exe)
        times["smoke test"] = time.perf_counter() - t0
    except BuildFailed as e:
        print(f"\nFAILED: {e}", file=sys.stderr)
        return 1
    size, count = folder_size(BUNDLE)
    step("done")
    print(f"{BUNDLE.relative_to(ROOT)}: {size / 2**20:.0f} MB in {count} files")
    print("; ".join(f"{name} {seconds:.0f} s" for name, seconds in times.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
