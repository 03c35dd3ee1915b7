"""A return the preview did not find but that exists when the file is applied (opened meanwhile,
empty or typed into): the import finds it, and its fingerprint is that of what is stored."""

from __future__ import annotations

from db import repo
from tests.support import xlsx as h
from tianbao.domain.fingerprint import view_fingerprint
from tianbao.domain.values import Entry
from tianbao.excel.export import export_return
from tianbao.excel.imports import EXPLANATION, apply_import, preview_import
from tianbao.excel.layout import SIGNOFF_KEY
from tianbao.services.returns import ReturnService


def _created_meanwhile(db, version, values=()):
    with db.session() as s:
        ret = repo.get_or_create_return(s, repo.unit_by_code(s, h.UNIT), h.PLAN_ID, version, h.YEAR)
        if values:
            repo.set_entries(s, ret, list(values))
        return ret.id


def test_a_return_opened_empty_after_the_preview_receives_the_file(db, other_db, filled, tmp_path):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    (fp,) = preview_import(other_db, [out.path])
    assert fp.return_id is None
    rid = _created_meanwhile(other_db, fp.plan_version)
    result = apply_import(other_db, fp)
    assert result.return_id == rid and result.written > 0
    assert result.fingerprint == fp.fingerprint_after == out.fingerprint
    assert result.fingerprint == view_fingerprint(ReturnService(other_db).view(rid))


def test_a_return_typed_into_after_the_preview_gets_the_fingerprint_of_what_is_stored(
    db, other_db, filled, tmp_path
):
    out = export_return(db, filled, tmp_path / "r.xlsx")
    (fp,) = preview_import(other_db, [out.path])
    typed = next(c for c in fp.changes if c.cell != EXPLANATION and c.indicator != SIGNOFF_KEY)
    rid = _created_meanwhile(
        other_db, fp.plan_version, [(typed.indicator, typed.cell, Entry(number=7))]
    )
    result = apply_import(other_db, fp, {c.key for c in fp.changes} - {typed.key})
    assert result.return_id == rid and result.written > 0 and result.skipped == 1
    stored = view_fingerprint(ReturnService(other_db).view(rid))
    assert result.fingerprint == stored != fp.fingerprint_after  # 7 where the file has another
