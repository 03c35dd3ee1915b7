"""``tianbao plans draft``: exit 0 with a loadable draft, exit 2 with a Chinese message."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.plantext import PLAN_LINES, PLAN_TEXT, write_docx
from tianbao.cli.main import main
from tianbao.domain.catalogue import load_plan_file
from tianbao.excel.planbook import read_plan_workbook

REPO = Path(__file__).resolve().parents[2]


def test_draft_docx_to_toml(tmp_path, capsys):
    src = write_docx(tmp_path / "示范县儿童规划.docx", PLAN_LINES)
    out = tmp_path / "plan.toml"
    assert main(["plans", "draft", str(src), "--id", "shifan-children", "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "9 个指标" in text and "已写出草稿" in text
    plan = load_plan_file(out)
    assert plan.id == "shifan-children" and plan.quantified_target_count == 8


def test_draft_to_plan_workbook(tmp_path, capsys):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN_TEXT, encoding="gb18030")
    out = tmp_path / "plan.xlsx"
    assert main(["plans", "draft", str(src), "-o", str(out)]) == 0
    plan = read_plan_workbook(out)
    assert plan.title == "示范县儿童发展规划（2021—2030年）"
    assert plan.quantified_target_count == 8
    assert (
        plan.indicator(next(i.code for i in plan.indicators if i.name == "婴儿死亡率"))
        .targets[0]
        .value
        == 3.5
    )


def test_json_output(tmp_path, capsys):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN_TEXT, encoding="utf-8")
    assert main(["plans", "draft", str(src), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["quantified"] == 8
    assert {"plan", "flags", "left_out"} <= set(data)


def test_two_plans_in_one_file(tmp_path, capsys):
    women = PLAN_TEXT.replace("儿童发展规划", "妇女发展规划").replace("儿童与", "妇女与")
    src = tmp_path / "both.txt"
    src.write_text(women + PLAN_TEXT, encoding="utf-8")
    out = tmp_path / "w.toml"
    assert main(["plans", "draft", str(src), "--kind", "women", "-o", str(out)]) == 0
    assert load_plan_file(out).kind == "women"
    capsys.readouterr()
    assert main(["plans", "draft", str(src), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["plan"]["kind"] for d in data] == ["women", "children"]
    assert [d["plan"]["period"] for d in data] == [[2021, 2030], [2021, 2030]]


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (b"", "empty.txt", "空的"),
        ("关于召开会议的通知\n请准时参加。\n".encode(), "notice.txt", "没有找到任何量化目标"),
        (b"%PDF-1.4 broken", "broken.pdf", "PDF"),
    ],
)
def test_known_problems_exit_2(tmp_path, capsys, content, name, words):
    src = tmp_path / name
    src.write_bytes(content)
    out = tmp_path / "never.toml"
    assert main(["plans", "draft", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and words in err
    assert not out.exists()


def test_bad_output_type_exit_2(tmp_path, capsys):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN_TEXT, encoding="utf-8")
    assert main(["plans", "draft", str(src), "-o", str(tmp_path / "plan.csv")]) == 2
    assert ".toml" in capsys.readouterr().err
    assert not (tmp_path / "plan.csv").exists()


def test_command_line_process(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN_TEXT, encoding="utf-8")
    ok = subprocess.run(
        [sys.executable, "-m", "tianbao.cli.main", "plans", "draft", str(src)],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert "示范县儿童发展规划" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "tianbao.cli.main", "plans", "draft", str(tmp_path / "无.docx")],
        cwd=REPO,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert bad.returncode == 2 and "找不到文件" in bad.stderr
