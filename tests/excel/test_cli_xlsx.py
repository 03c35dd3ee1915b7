"""`tianbao export | template | compile | import` on the command line."""

from __future__ import annotations

import openpyxl
from sqlalchemy import select

from db import repo
from db.models import Return, Unit
from tests.support import xlsx as h
from tianbao.cli.main import main
from tianbao.excel.layout import NUMBER


def _entries(db, unit: str) -> dict:
    with db.session() as s:
        ret = s.scalar(select(Return.id).join(Unit).where(Unit.code == unit, Return.year == h.YEAR))
        return {} if ret is None else repo.entries(s, ret)


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


def test_folder_import_with_a_broken_file_in_the_middle_imports_the_others(
    capsys, db, other_db, filled, plan, tmp_path
):
    h.fill_return(db, "T03", h.YEAR, h.sample_entries(plan, seed=3), {})
    folder = tmp_path / "in"
    folder.mkdir()
    run(capsys, db, "export", h.UNIT, h.PLAN_ID, h.YEAR, folder / "a.xlsx")
    (folder / "b.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    run(capsys, db, "export", "T03", h.PLAN_ID, h.YEAR, folder / "c.xlsx")
    code, out = run(capsys, other_db, "import", folder, "--yes")
    assert code == 2
    assert "已导入 a.xlsx" in out and "已导入 c.xlsx" in out and "b.xlsx" in out
    assert "已导入 b.xlsx" not in out
    for unit in (h.UNIT, "T03"):
        assert _entries(other_db, unit) == _entries(db, unit) != {}
    reason = out.split("✗ b.xlsx\n")[1].split("\n")[0]  # the refused file and why
    assert "b.xlsx" in reason and "损坏" in reason, reason


def test_a_file_changed_after_the_preview_is_refused_and_the_others_imported(
    capsys, db, other_db, filled, plan, tmp_path, monkeypatch
):
    h.fill_return(db, "T03", h.YEAR, h.sample_entries(plan, seed=3), {})
    folder = tmp_path / "in"
    folder.mkdir()
    for name, unit in (("a.xlsx", h.UNIT), ("b.xlsx", "T02"), ("c.xlsx", "T03")):
        run(capsys, db, "export", unit, h.PLAN_ID, h.YEAR, folder / name)
    wb = openpyxl.load_workbook(folder / "b.xlsx")  # T02 has nothing yet: give it a value
    ws = wb.worksheets[0]
    count = next(i for i in plan.indicators if i.kind == "count")
    rows = h.rows_of(ws, plan)
    assert (count.code, "") in rows
    ws.cell(row=rows[(count.code, "")], column=NUMBER).value = 9
    wb.save(folder / "b.xlsx")

    def answer(prompt):  # the user says yes — after a colleague saved b.xlsx again
        assert "导入以上 3 个文件" in prompt
        wb.save(folder / "b.xlsx")
        return "y"

    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", answer)
    code, out = run(capsys, other_db, "import", folder)
    assert code == 2
    assert "已导入 a.xlsx" in out and "已导入 c.xlsx" in out
    assert "未导入 b.xlsx" in out and "被修改过" in out
    assert out.index("已导入 a.xlsx") < out.index("未导入 b.xlsx") < out.index("已导入 c.xlsx")
    assert _entries(other_db, "T02") == {}  # all or nothing: b.xlsx wrote nothing
    for unit in (h.UNIT, "T03"):
        assert _entries(other_db, unit) == _entries(db, unit) != {}
    code, out = run(capsys, other_db, "import", folder / "a.xlsx", "--yes")
    assert code == 0 and "导入过" in out
