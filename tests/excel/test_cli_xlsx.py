"""`tianbao export | template | compile | import` on the command line."""

from __future__ import annotations

import openpyxl

from tests.support import xlsx as h
from tianbao.cli.main import main
from tianbao.excel.layout import NUMBER


def run(capsys, db, *args) -> tuple[int, str]:
    code = main(["--db", str(db.path or db.url), *map(str, args)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_export_template_compile(capsys, db, filled, tmp_path):
    code, out = run(capsys, db, "export", h.UNIT, h.PLAN_ID, h.YEAR, tmp_path / "r.xlsx")
    assert code == 0 and "已导出报表" in out and (tmp_path / "r.xlsx").is_file()
    code, out = run(capsys, db, "template", "T02", h.PLAN_ID, h.YEAR, tmp_path / "t.xlsx")
    assert code == 0 and "空白报表" in out
    code, out = run(capsys, db, "compile", h.COUNTY, h.PLAN_ID, h.YEAR, tmp_path / "c.xlsx")
    assert code == 0 and "综合汇总表" in out
    assert "排名" in openpyxl.load_workbook(tmp_path / "c.xlsx").sheetnames
    code, out = run(capsys, db, "template", "NOPE", h.PLAN_ID, h.YEAR, tmp_path / "x.xlsx")
    assert code == 2 and "NOPE" in out


def test_import_dry_run_then_yes_then_again(capsys, db, other_db, filled, tmp_path):
    run(capsys, db, "export", h.UNIT, h.PLAN_ID, h.YEAR, tmp_path / "r.xlsx")
    before = h.dump(other_db)
    code, out = run(capsys, other_db, "import", tmp_path / "r.xlsx", "--dry-run")
    # 167 cells: lishu-women's D02 has a 参照值 cell besides its total (issue 16)
    assert code == 0 and "新增 167" in out and "预览" in out and h.dump(other_db) == before
    code, out = run(capsys, other_db, "import", tmp_path / "r.xlsx")  # no terminal, no --yes
    assert code == 0 and "--yes" in out and h.dump(other_db) == before
    code, out = run(capsys, other_db, "import", tmp_path, "--yes")
    assert code == 0 and "已导入 r.xlsx" in out and "写入 163 个数值、4 条说明" in out
    code, out = run(capsys, other_db, "import", tmp_path / "r.xlsx", "--yes")
    assert code == 0 and "导入过" in out


def test_conflicts_are_skipped_unless_overwrite_or_keep_existing(
    capsys, db, filled, plan, tmp_path
):
    run(capsys, db, "export", h.UNIT, h.PLAN_ID, h.YEAR, tmp_path / "r.xlsx")
    count = [i for i in plan.indicators if i.kind == "count"]
    run(capsys, db, "enter", h.UNIT, h.PLAN_ID, h.YEAR, count[0].code, "5")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    for ws in wb.worksheets[:-4]:
        rows = h.rows_of(ws, plan)
        for ind, v in ((count[0], 6), (count[1], 7)):
            if (ind.code, "") in rows:
                ws.cell(row=rows[(ind.code, "")], column=NUMBER).value = v
    wb.save(tmp_path / "back.xlsx")
    code, out = run(capsys, db, "import", tmp_path / "back.xlsx", "--yes")
    assert code == 2 and "冲突 1" in out and "跳过" in out
    code, out = run(capsys, db, "import", tmp_path / "back.xlsx", "--yes", "--keep-existing")
    assert code == 0 and "写入 1 个数值" in out and "保留本库值 1 处" in out


def test_import_of_a_broken_file_exits_2_with_the_reason(capsys, db, tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"")
    code, out = run(capsys, db, "import", tmp_path / "x.xlsx", "--yes")
    assert code == 2 and "空文件" in out
