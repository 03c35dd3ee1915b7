"""Importing colleagues' workbooks through the preview dialog."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from db import repo
from tests.support.desktop import PLAN, stored
from tianbao.domain.values import Entry
from tianbao.excel.export import export_return
from tianbao.services.returns import ReturnService


def _exported_from_t2(db, tmp_path):
    """T2's return with three values, exported as a colleague would send it."""
    svc = ReturnService(db)
    rid = svc.open("T2", PLAN, 2024).id
    svc.save_entry(rid, "H04", "", Entry(numerator=3, denominator=1500))
    svc.save_entry(rid, "H08", "", Entry(number=96.5))
    svc.save_entry(rid, "H01", "", Entry(choice="yes"))
    path = tmp_path / "t2.xlsx"
    export_return(db, rid, path)
    return rid, path


def test_folder_import_with_a_conflict_decided_per_cell(qtbot, window, db, tmp_path, messages):
    rid, path = _exported_from_t2(db, tmp_path)
    svc = ReturnService(db)
    # Meanwhile the upper level typed other values into T2's return.
    with db.session() as s:
        repo.set_entries(
            s,
            s.get(repo.Return, rid),
            [("H08", "", Entry(number=90.0)), ("H04", "", Entry()), ("H01", "", Entry())],
        )
    folder = tmp_path / "in"
    folder.mkdir()
    path.rename(folder / path.name)
    (folder / "notes.txt").write_text("not a workbook", encoding="utf-8")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 truncated")
    dlg = window.files.preview_import([folder])
    qtbot.addWidget(dlg)
    names = [p.name for p in dlg.plans]
    assert names == ["broken.xlsx", "t2.xlsx"]  # only workbooks are taken from a folder
    broken, good = dlg.plans
    assert broken.refused and not dlg.chosen[0]
    assert dlg.chosen[1]
    kinds = {c.indicator: c.kind for c in good.changes}
    assert kinds["H08"] == "conflict" and kinds["H04"] == "new"
    assert ("H08", "") not in dlg.accepted[1]  # conflicts are not taken unless chosen
    dlg.show_file(1)
    assert dlg.cells.rowCount() == len(good.changes)
    dlg.set_cell(1, ("H08", ""), True)  # take the colleague's value for this one cell
    dlg.apply()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert stored(db, rid, "H08").number == 96.5
    assert stored(db, rid, "H04") == Entry(numerator=3, denominator=1500)
    hist = svc.history(rid, "H08")
    assert (
        hist[-1].source == "imported"
        and hist[-1].source_file == "t2.xlsx"
        and len(hist[-1].source_hash) == 64
    )
    window.files.finish_import(dlg)
    assert any("✓ t2.xlsx" in line for line in window.files.result_dialog.lines())


def test_importing_the_same_file_again_changes_nothing(qtbot, window, db, tmp_path, messages):
    rid, path = _exported_from_t2(db, tmp_path)
    with db.session() as s:
        repo.set_entries(s, s.get(repo.Return, rid), [("H08", "", Entry())])
    dlg = window.files.preview_import([path])
    qtbot.addWidget(dlg)
    dlg.apply()
    n = len(ReturnService(db).history(rid))
    again = window.files.preview_import([path])
    qtbot.addWidget(again)
    assert again.plans[0].nothing_to_do and not again.chosen[0]
    assert len(ReturnService(db).history(rid)) == n


def test_a_colleagues_own_sheet_is_identified_in_the_dialog(qtbot, window, db, tmp_path, messages):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指标代码", "名称", "本期值"])
    ws.append(["H08", "新生儿听力筛查", "97.5%"])
    wb.save(tmp_path / "own.xlsx")
    dlg = window.files.preview_import([tmp_path / "own.xlsx"])
    qtbot.addWidget(dlg)
    dlg.show_file(0)
    (p,) = dlg.plans
    assert p.layout == "foreign" and p.blocking and not dlg.chosen[0]
    assert dlg.identify_row.isVisibleTo(dlg)
    dlg.plan_box.setCurrentIndex(dlg.plan_box.findData(PLAN))
    dlg.unit_box.setCurrentIndex(dlg.unit_box.findData("T2"))
    dlg.year_box.setValue(2024)
    dlg.reidentify_button.click()
    p = dlg.plans[0]
    assert not p.blocking and p.can_apply and dlg.chosen[0]
    assert p.needs_confirmation and dlg.confirm_box.isVisibleTo(dlg)
    dlg.confirm_box.setChecked(True)
    dlg.apply()
    rid = ReturnService(db).open("T2", PLAN, 2024).id
    assert stored(db, rid, "H08").number == 97.5


def test_the_row_mapping_of_a_foreign_sheet_can_be_corrected(qtbot, window, db, tmp_path, messages):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["指标名称", "本年值"])
    ws.append(["新生儿听力筛查率", 96])  # matched by name to H08
    ws.append(["听力初筛（自定义叫法）", 95])  # not matched: the user says it is H07
    wb.save(tmp_path / "own.xlsx")
    dlg = window.files.preview_import([tmp_path / "own.xlsx"])
    qtbot.addWidget(dlg)
    dlg.plan_box.setCurrentIndex(dlg.plan_box.findData(PLAN))
    dlg.unit_box.setCurrentIndex(dlg.unit_box.findData("T2"))
    dlg.year_box.setValue(2024)
    dlg.reidentify_button.click()
    p = dlg.plans[0]
    assert [m.indicator for m in p.mapping] == ["H08", None]
    combo = dlg.mapping.cellWidget(1, 2)
    combo.setCurrentIndex(combo.findData("H07"))
    assert dlg.mapping_override() == {(p.mapping[1].sheet, p.mapping[1].row): "H07"}
    dlg.reidentify_button.click()
    p = dlg.plans[0]
    assert [(m.indicator, m.how) for m in p.mapping] == [("H08", "name"), ("H07", "user")]
    dlg.confirm_box.setChecked(True)
    dlg.apply()
    rid = ReturnService(db).open("T2", PLAN, 2024).id
    assert stored(db, rid, "H07").number == 95 and stored(db, rid, "H08").number == 96


def test_a_file_for_a_unit_not_here_says_so_first_and_the_unit_is_added_in_the_dialog(
    qtbot, window, db, tmp_path, messages
):
    from db.engine import open_database

    other = open_database(tmp_path / "other.sqlite", backups=False)
    with other.session() as s:
        repo.add_unit(s, "D", "甲区", "county")
        repo.add_unit(s, "D09", "九街道", "township", "D")
    svc = ReturnService(other)
    rid = svc.open("D09", PLAN, 2024).id
    svc.save_entry(rid, "H08", "", Entry(number=95.0))
    path = tmp_path / "d09.xlsx"
    export_return(other, rid, path)
    other.close()
    dlg = window.files.preview_import([path])
    qtbot.addWidget(dlg)
    item = dlg.files.item(0)
    assert item.text().startswith("d09.xlsx\n✗ ") and "D09" in item.text()
    assert not dlg.chosen[0]
    dlg.show()
    dlg.files.setCurrentRow(0)
    assert dlg.fix_row.isVisible() and dlg.new_unit_name.text() == "九街道"
    assert dlg.new_unit_parent.currentData() == "D"  # D09 starts with D
    qtbot.mouseClick(dlg.add_unit_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert repo.unit_by_code(s, "D09").parent.code == "D"
    assert dlg.chosen[0] and "✗" not in dlg.files.item(0).text()
    dlg.apply()
    new = ReturnService(db).open("D09", PLAN, 2024).id
    assert stored(db, new, "H08").number == 95.0
