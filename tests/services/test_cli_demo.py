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
