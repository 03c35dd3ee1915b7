"""The command line, run in-process on real files."""

import json
import re
import sqlite3

import openpyxl
import pytest

from tianbao.cli.main import main


@pytest.fixture
def dbpath(tmp_path):
    return str(tmp_path / "cli.sqlite")


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_plans_list_shows_six_plans_with_counts(capsys, dbpath):
    code, out, _ = run(capsys, "--db", dbpath, "plans", "list")
    assert code == 0
    lines = [line for line in out.splitlines()[1:] if line.strip()]
    assert len(lines) == 6
    row = next(line for line in lines if line.startswith("qingyuan-children"))
    assert "2021-2030" in row and "清远市儿童发展规划" in row
    # domains, indicators, quantified targets (issue 16: V19, E18, E19, F10 added; V10 has one target)
    assert row.split()[3:6] == ["7", "128", "53"]


def test_plans_show_json(capsys, dbpath):
    code, out, _ = run(capsys, "--db", dbpath, "plans", "show", "xinhua-children", "--json")
    assert code == 0
    plan = json.loads(out)
    assert plan["title"].startswith("平顶山市新华区儿童发展规划") and plan["period"] == [2021, 2030]
    ind = next(i for d in plan["domains"] for i in d["indicators"] if i["name"] == "婴儿死亡率")
    assert ind["unit"] == "‰" and ind["kind"] == "rate"
    assert [(t["year"], t["op"], t["value"]) for t in ind["targets"]] == [
        (2025, "<=", 4.0),
        (2030, "<=", 5.0),
    ]
    ops = {t["op"] for d in plan["domains"] for i in d["indicators"] for t in i["targets"]}
    assert ops <= {
        "<=",
        "<",
        ">=",
        ">",
        "approx",
        "range",
        "change",
        "growth",
        "direction",
        "qualitative",
    }


def test_plan_workbook_round_trip_on_the_command_line(capsys, dbpath, tmp_path):
    book = tmp_path / "plan.xlsx"
    assert run(capsys, "--db", dbpath, "plans", "export", "qingyuan-children", str(book))[0] == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["目标"]
    header = [c.value for c in ws[1]]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, header.index("指标代码") + 1).value == "H04":
            ws.cell(r, header.index("目标值") + 1).value = 2.8
    wb.save(book)
    code, out, _ = run(capsys, "--db", dbpath, "plans", "import", str(book))
    assert code == 0 and "第 2 版" in out
    code, out, _ = run(capsys, "--db", dbpath, "plans", "show", "qingyuan-children", "--json")
    h04 = next(i for d in json.loads(out)["domains"] for i in d["indicators"] if i["code"] == "H04")
    assert h04["targets"][0]["value"] == 2.8
    # As a new plan under another id.
    code, out, _ = run(
        capsys, "--db", dbpath, "plans", "import", str(book), "--as-new", "qingcheng-children"
    )
    assert code == 0 and "新计划" in out
    # A broken workbook: refused with sheet, row and column, nothing imported.
    ws.cell(3, header.index("比较方式") + 1).value = "大概"
    wb.save(book)
    code, _, err = run(capsys, "--db", dbpath, "plans", "import", str(book))
    assert code == 2 and "“目标”表第 3 行“比较方式”列" in err
    _, out, _ = run(capsys, "--db", dbpath, "plans", "list")
    assert "qingcheng-children" in out and out.count("qingyuan-children") == 1
    assert (
        next(line for line in out.splitlines() if line.startswith("qingyuan-children")).split()[1]
        == "2"
    )


def test_units_import_is_all_or_nothing(capsys, dbpath, tmp_path):
    good = tmp_path / "units.csv"
    good.write_text(
        "代码,名称,级别,上级代码\nQ,清远市,市,\nQC,清城区,区,Q\nQC1,东城街道,街道,QC\n",
        encoding="utf-8",
    )
    assert run(capsys, "--db", dbpath, "units", "import", str(good))[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "代码,名称,级别,上级代码\nQX,新区,区,Q\nQC1,重复,街道,QC\nQY,某地,星球,Q\n", encoding="gbk"
    )
    code, _, err = run(capsys, "--db", dbpath, "units", "import", str(bad))
    assert code == 2 and "第 3 行" in err and "第 4 行" in err and "未导入" in err
    _, out, _ = run(capsys, "--db", dbpath, "units", "list")
    assert "新区" not in out and "  东城街道" in out.replace("    ", "  ")


def test_enter_check_and_bad_values(capsys, dbpath):
    run(capsys, "--db", dbpath, "units", "add", "T", "一街道", "--level", "township")
    code, out, _ = run(
        capsys,
        "--db",
        dbpath,
        "enter",
        "T",
        "qingyuan-children",
        "2024",
        "H04",
        "--num",
        "3",
        "--den",
        "1500",
    )
    # The value as every other view shows it: the indicator's fixed decimals (2.00‰, not 2‰).
    assert code == 0 and "H04" in out and "= 2.00‰" in out
    code, out, _ = run(
        capsys,
        "--db",
        dbpath,
        "enter",
        "T",
        "qingyuan-children",
        "2024",
        "H07",
        "--num",
        "120",
        "--den",
        "100",
    )
    assert code == 0 and "错误" in out
    code, out, _ = run(capsys, "--db", dbpath, "check", "T", "qingyuan-children", "2024", "--json")
    report = json.loads(out)
    assert [e["indicator"] for e in report["errors"]] == ["H07"]
    assert report["filled"] == 2
    code, _, err = run(
        capsys, "--db", dbpath, "enter", "T", "qingyuan-children", "2024", "H99", "1"
    )
    assert code == 2 and "H99" in err


@pytest.mark.sqlite_only
def test_database_newer_than_program_is_refused(capsys, dbpath):
    run(capsys, "--db", dbpath, "plans", "list")
    con = sqlite3.connect(dbpath)
    con.execute("UPDATE alembic_version SET version_num='abcdef'")
    con.commit()
    con.close()
    code, _, err = run(capsys, "--db", dbpath, "plans", "list")
    assert code == 2 and "更新版本" in err


def test_demo_then_checks_and_warnings_give_a_sensible_picture(capsys, dbpath):
    code, out, _ = run(capsys, "--db", dbpath, "demo")
    assert code == 0 and "演示区" in out
    _, out, _ = run(capsys, "--db", dbpath, "units", "list")
    assert out.count("[乡镇（街道）]") == 11 and out.count("[成员单位]") == 6
    _, out, _ = run(capsys, "--db", dbpath, "warnings", "DEMO", "xinhua-children", "2025", "--json")
    rep = json.loads(out)
    att = rep["attainment"]
    assert (
        att["assessed"] > 20 and 0 < att["met"] < att["assessed"]
    )  # some targets missed, most met
    assert rep["projected_miss"] or rep["large_change"]
    statuses = []
    for unit in ("DEMO01", "DEMO05", "DEMO09"):
        _, out, _ = run(capsys, "--db", dbpath, "check", unit, "xinhua-children", "2025", "--json")
        statuses.append(json.loads(out))
    assert all(s["filled"] == s["indicators"] for s in statuses)
    assert any(s["warnings"] for s in statuses)
    assert {s["status"] for s in statuses} <= {"draft", "submitted"}
    assert all(s["indicators"] == 2 for s in statuses)  # 填报分工: H09 and V08 only
    # H09 is reported by the townships (以乡镇（街道）为单位 ≥90%): ranked across the eleven.
    code, out, _ = run(capsys, "--db", dbpath, "rank", "DEMO", "xinhua-children", "2025", "H09")
    assert code == 0 and len(out.splitlines()) == 11
    # Ranked values with the indicator's fixed decimals, as the overview shows them (97.40, not 97.4).
    assert all(re.search(r"\d+\.\d\d\s", line) for line in out.splitlines())
    _, out, _ = run(capsys, "--db", dbpath, "progress", "DEMO", "xinhua-children", "2025", "--json")
    units = {u["code"]: u for u in json.loads(out)["units"]}
    assert len(units) == 17 and units["DEMO-FY"]["state"] == "none"
    assert units["DEMO-WJ"]["state"] == "submitted" and units["DEMO-GA"]["state"] == "draft"


@pytest.mark.sqlite_only
def test_backup_and_restore_commands(capsys, dbpath, tmp_path):
    run(capsys, "--db", dbpath, "units", "add", "A", "甲区", "--level", "county")
    copy = tmp_path / "copy.sqlite"
    assert run(capsys, "--db", dbpath, "backup", str(copy))[0] == 0
    run(capsys, "--db", dbpath, "units", "add", "B", "乙区", "--level", "county")
    assert run(capsys, "--db", dbpath, "restore", str(copy))[0] == 0
    _, out, _ = run(capsys, "--db", dbpath, "units", "list")
    assert "甲区" in out and "乙区" not in out
    code, _, err = run(capsys, "--db", dbpath, "restore", str(tmp_path / "missing.sqlite"))
    assert code == 2
