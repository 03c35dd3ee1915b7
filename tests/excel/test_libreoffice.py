"""Workbooks re-saved by LibreOffice (.xlsx, .ods, .xls), committed under fixtures/, import with
the values the colleague meant and the same fingerprint."""

from __future__ import annotations

import json
import shutil

import pytest

from db import repo
from tests.support import xlsx as h
from tianbao.domain.fingerprint import view_fingerprint
from tianbao.excel.imports import EncryptedWorkbook, ImportError_, apply_import, preview_import
from tianbao.excel.layout import entry_from_json
from tianbao.excel.safety import open_safely
from tianbao.services.returns import ReturnService

EXPECTED = json.loads((h.FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["libreoffice.xlsx", "libreoffice.ods", "libreoffice.xls"])
def test_a_file_resaved_by_libreoffice_imports_with_the_same_values(db, tmp_path, name):
    path = tmp_path / name
    shutil.copyfile(h.FIXTURES / name, path)
    (fp,) = preview_import(db, [path])
    assert not fp.refused and not fp.blocking and fp.layout == "tianbao", fp.refused
    assert fp.format == name.rsplit(".", 1)[1]
    assert (fp.plan_id, fp.unit_code, fp.year) == (
        EXPECTED["plan"],
        EXPECTED["unit"],
        EXPECTED["year"],
    )
    assert not [i.message for i in fp.issues if i.severity in ("error", "warn")]
    assert fp.fingerprint == EXPECTED["fingerprint"]
    result = apply_import(db, fp)
    expected = {(c, cell): entry_from_json(e) for c, cell, e in EXPECTED["entries"]}
    with db.session() as s:
        got = {k: e for k, e in repo.entries(s, result.return_id).items() if not e.empty}
        expl = repo.explanations(s, result.return_id)
    assert got == expected
    assert expl == EXPECTED["explanations"]
    assert view_fingerprint(ReturnService(db).view(result.return_id)) == EXPECTED["fingerprint"]


@pytest.mark.parametrize("name", ["encrypted.xlsx", "encrypted.xls"])
def test_a_password_protected_workbook_is_refused_with_what_to_do(db, tmp_path, name):
    path = tmp_path / name
    shutil.copyfile(h.FIXTURES / name, path)
    before = h.dump(db)
    if name.endswith(".xlsx"):
        with pytest.raises(EncryptedWorkbook):
            open_safely(path)
    (fp,) = preview_import(db, [path])
    assert "密码" in fp.refused and "取消密码" in fp.refused
    with pytest.raises(ImportError_):
        apply_import(db, fp)
    assert h.dump(db) == before
