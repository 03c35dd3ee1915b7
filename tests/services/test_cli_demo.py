"""`tianbao demo` keeps the demonstration data apart from the user's own, as the desktop does."""

import pytest

from db.engine import default_db_path, demo_db_path
from tianbao.cli.main import main


@pytest.mark.sqlite_only
def test_demo_without_db_goes_to_the_demo_file_not_the_users_own(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("TIANBAO_DB", raising=False)
    assert main(["demo"]) == 0
    assert demo_db_path().is_file()
    assert not default_db_path().exists()
    assert main(["--db", str(demo_db_path()), "units", "list"]) == 0
    assert "演示" in capsys.readouterr().out


def _stamped_xlsx(path) -> bool:
    import openpyxl

    from tianbao.excel.stamp import DEMO_MARK

    wb = openpyxl.load_workbook(path)
    heads = [ws.oddHeader.left.text or "" for ws in wb.worksheets]
    return all(DEMO_MARK in h for h in heads) and DEMO_MARK in (wb.properties.title or "")


def _stamped_pdf(path) -> bool:
    from pypdf import PdfReader

    pages = PdfReader(str(path)).pages
    return bool(pages) and all("演示数据" in (p.extract_text() or "") for p in pages)


@pytest.mark.sqlite_only
def test_documents_written_from_the_demo_on_the_command_line_are_stamped(
    tmp_path, monkeypatch, capsys
):
    """As in the desktop: an export, a compiled workbook and a PDF of the demonstration data say
    演示数据 on every sheet or page; the same export from one's own database does not."""
    from db.engine import open_database
    from db.plans import get_plan
    from tianbao.services.demo import DEMO_PLAN, DISTRICT, TOWNSHIPS, demo_years

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("TIANBAO_DB", raising=False)
    assert main(["demo"]) == 0
    demo = str(demo_db_path())
    db = open_database(demo, backups=False)
    try:
        with db.session() as s:
            year = max(demo_years(get_plan(s, DEMO_PLAN)))
    finally:
        db.close()
    town = TOWNSHIPS[0][0]
    out = tmp_path / "out"
    out.mkdir()
    key = [DEMO_PLAN, str(year)]
    assert main(["--db", demo, "export", town, *key, str(out / "r.xlsx")]) == 0
    assert main(["--db", demo, "compile", DISTRICT[0], *key, str(out / "c.xlsx")]) == 0
    assert main(["--db", demo, "pdf", town, *key, str(out / "r.pdf")]) == 0
    assert "标注“演示数据”" in capsys.readouterr().out
    assert _stamped_xlsx(out / "r.xlsx") and _stamped_xlsx(out / "c.xlsx")
    assert _stamped_pdf(out / "r.pdf")
    # the stamped export still imports (the hidden sheet and its 校验码 are untouched)
    assert main(["--db", demo, "import", "--dry-run", str(out / "r.xlsx")]) == 0

    own = tmp_path / "own.sqlite"
    from shutil import copyfile

    copyfile(demo_db_path(), own)
    assert main(["--db", str(own), "export", town, *key, str(out / "own.xlsx")]) == 0
    assert not _stamped_xlsx(out / "own.xlsx")
    assert "演示数据" not in capsys.readouterr().out
