"""The real program as a process (offscreen): started, driven by its test script (real QActions
triggered, real buttons clicked), quit by the menu or by closing a window; exit status 0 and not
one Qt warning on stderr."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

# The program runs in its own process, on SQLite files in its data folder (tianbao.sqlite,
# tianbao-demo.sqlite, --db own.sqlite): the server run's mapping of files to server databases
# does not reach it, and the files themselves are asserted.
pytestmark = pytest.mark.sqlite_only

REPO = Path(__file__).resolve().parents[2]
# The offscreen platform's own notice, printed for every window shown; not a problem of ours.
ADD_UNIT = ["units", "add", "D1", "甲区", "--level", "county"]
HARMLESS = ("This plugin does not support propagateSizeHints()", "[testhook]")


def run_program(tmp_path: Path, script: str, *args: str, timeout: int = 120):
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        TIANBAO_TEST_SCRIPT=script,
        PYTHONPATH=str(REPO),
    )
    env.pop("TIANBAO_DB", None)
    p = subprocess.run(
        [sys.executable, "-m", "desktop.launch", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    problems = [
        line
        for line in p.stderr.splitlines()
        if line.strip() and not any(line.startswith(h) for h in HARMLESS)
    ]
    done = [line for line in p.stderr.splitlines() if line.startswith("[testhook]")]
    return p.returncode, problems, done


def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data" / "Tianbao"


def test_fresh_database_closing_the_start_dialog_exits_0(tmp_path):
    code, problems, done = run_program(tmp_path, "start:close")
    assert code == 0 and not problems, problems
    assert done == ["[testhook] start:close"]
    assert (data_dir(tmp_path) / "tianbao.sqlite").exists()


def test_fresh_database_cancel_on_the_start_dialog_exits_0(tmp_path):
    code, problems, done = run_program(tmp_path, "start:cancel")
    assert code == 0 and not problems, problems
    assert len(done) == 1


def test_demo_one_click_then_quit_by_the_menu_and_next_start_is_ones_own_data(tmp_path):
    code, problems, done = run_program(tmp_path, "start:demo,main:quit_action")
    assert code == 0 and not problems, problems
    assert done[-1].startswith("[testhook] main:quit_action 【演示数据】演示区")
    assert (data_dir(tmp_path) / "tianbao-demo.sqlite").exists()
    # The next start does not trap the user in the demonstration: it asks, on 我的数据.
    code, problems, done = run_program(tmp_path, "start:close")
    assert code == 0 and not problems, problems
    assert done == ["[testhook] start:close"]


def test_own_data_preview_switch_and_quit_then_close_the_window(tmp_path):
    db = tmp_path / "own.sqlite"
    subprocess.run(
        [sys.executable, "-m", "desktop.launch", "--db", str(db), *ADD_UNIT],
        cwd=REPO,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    script = (
        "start:ok,main:preview,close:QPrintPreviewDialog,main:switch_action,close:StartDialog,"
        "main:quit_action"
    )
    code, problems, done = run_program(tmp_path, script, "--db", str(db))
    assert code == 0 and not problems, problems
    assert [d.split()[1] for d in done] == script.split(",")
    # Started again on the remembered return: the preview left open and the window closed.
    code, problems, done = run_program(tmp_path, "main:preview,close:MainWindow", "--db", str(db))
    assert code == 0 and not problems, problems
    assert [d.split()[1] for d in done] == ["main:preview", "close:MainWindow"]


@pytest.mark.parametrize("lang", ["en"])
def test_english_start_dialog_closed(tmp_path, lang):
    code, problems, _done = run_program(tmp_path, "start:close", "--lang", lang)
    assert code == 0 and not problems, problems
