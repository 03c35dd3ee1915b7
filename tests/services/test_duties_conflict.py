"""Two offices, two database sessions on one file (or one PostgreSQL server in CI's second run):
a 填报分工 or unit write states what its caller read; another user's change in between is never
overwritten, and the refusal names the indicator (or unit), the other value, who and when."""

from __future__ import annotations

import threading

import openpyxl
import pytest

from db import repo
from db.engine import open_database
from tests.support import xlsx as h
from tianbao.services import units
from tianbao.services.duties import Duties, DutyConflict, Source

PLAN = "xinhua-children"
WJ, JY, GA = "XH-WJ", "XH-JY", "XH-GA"


@pytest.fixture
def two(tmp_path):
    """Two PCs on one database: two Database objects (two engines, two sessions) on one file."""
    path = tmp_path / "office.sqlite"
    a = open_database(path, backups=False)
    with a.session() as s:
        repo.add_unit(s, "XH", "新华区", "county")
        repo.add_unit(s, "T1", "西市场街道", "township", "XH")
        repo.add_unit(s, WJ, "区卫生健康局", "department", "XH")
        repo.add_unit(s, JY, "区教育局", "department", "XH")
        repo.add_unit(s, GA, "区公安分局", "department", "XH")
    b = open_database(path, backups=False)
    yield a, b
    a.close()
    b.close()


def seen(du: Duties) -> dict[str, Source]:
    """What a dialog shows (and remembers) when it opens."""
    return {r.code: r.source for r in du.table("XH", PLAN).rows}


def office_codes(du: Duties, n: int = 2) -> list[str]:
    """Indicators the office reports by default (so giving them to a department is a change)."""
    return [r.code for r in du.table("XH", PLAN).rows if r.source == Source("self")][:n]


def test_the_second_office_is_refused_with_the_other_reporter_who_and_when(two):
    db_a, db_b = two
    a, b = Duties(db_a, user="甲"), Duties(db_b, user="乙")
    x, y = office_codes(a)
    seen_a, seen_b = seen(a), seen(b)  # both dialogs open on the defaults
    a.set_many("XH", PLAN, {x: Source("department", WJ)}, force=True, expected=seen_a)
    before = h.dump(db_b)
    with pytest.raises(DutyConflict) as e:
        b.set_many(
            "XH",
            PLAN,
            {x: Source("department", JY), y: Source("department", GA)},
            force=True,
            expected=seen_b,
        )
    c = e.value
    assert [k.code for k in c.clashes] == [x]
    clash = c.clashes[0]
    assert (clash.expected, clash.theirs, clash.mine) == ("本级", "区卫生健康局", "区教育局")
    assert clash.user == "甲" and clash.at is not None and clash.at.tzinfo is not None
    text = str(c)
    assert f"指标 {x}" in text and "甲" in text and "区卫生健康局" in text
    assert "没有保存任何修改" in text and "重新载入" in text
    # Nothing of B's written, A's kept, and no history row for B.
    assert h.dump(db_b) == before
    assert b.source_of("XH", PLAN)[x] == Source("department", WJ)
    assert b.source_of("XH", PLAN)[y] == Source("self")
    assert "乙" not in {r.user for r in b.history("XH")}
    # B reloads (now seeing A's reporter) and saves its other change: A's stays.
    b.set_many("XH", PLAN, {y: Source("department", GA)}, force=True, expected=seen(b))
    src = a.source_of("XH", PLAN)
    assert src[x] == Source("department", WJ) and src[y] == Source("department", GA)
    assert [(r.user, r.indicator) for r in a.history("XH") if r.indicator in (x, y)] == [
        ("甲", x),
        ("乙", y),
    ]


def test_an_indicator_changed_by_another_and_not_here_keeps_their_reporter(two):
    db_a, db_b = two
    a, b = Duties(db_a, user="甲"), Duties(db_b, user="乙")
    x, y = office_codes(a)
    seen_b = seen(b)
    a.set("XH", PLAN, [x], WJ, expected=seen(a))
    # B never touched x: saving its own change to y does not put x back to what B saw.
    b.set_many("XH", PLAN, {y: Source("department", GA)}, force=True, expected=seen_b)
    src = b.source_of("XH", PLAN)
    assert src[x] == Source("department", WJ) and src[y] == Source("department", GA)


def test_both_giving_an_indicator_to_the_same_unit_is_no_conflict(two):
    db_a, db_b = two
    a, b = Duties(db_a, user="甲"), Duties(db_b, user="乙")
    (x,) = office_codes(a, 1)
    seen_b = seen(b)
    a.set("XH", PLAN, [x], WJ, expected=seen(a))
    ch = b.set("XH", PLAN, [x], WJ, expected=seen_b)
    assert not ch.changed and b.source_of("XH", PLAN)[x] == Source("department", WJ)


def test_a_sheet_exported_before_another_users_change(two, tmp_path):
    db_a, db_b = two
    a, b = Duties(db_a, user="甲"), Duties(db_b, user="乙")
    x, y = office_codes(a)
    path = b.export_xlsx("XH", PLAN, tmp_path / "分工.xlsx")  # B sends the sheet round
    a.set("XH", PLAN, [x], WJ, expected=seen(a))  # meanwhile A gives x to health
    wb = openpyxl.load_workbook(path)
    rows = {r[0].value: r for r in wb["填报分工"].iter_rows(min_row=4) if r[0].value}
    rows[y][4].value = GA  # only y edited in the sheet; x's row still says self
    wb.save(tmp_path / "y.xlsx")
    ch = b.import_xlsx("XH", PLAN, tmp_path / "y.xlsx")
    assert ch.indicators == (y,)
    src = b.source_of("XH", PLAN)
    assert src[x] == Source("department", WJ)  # A's change not reverted by an unchanged row
    assert src[y] == Source("department", GA)

    rows[x][4].value = JY  # now the sheet also changes x, which A changed after the export
    wb.save(tmp_path / "x.xlsx")
    before = h.dump(db_b)
    with pytest.raises(DutyConflict) as e:
        b.import_xlsx("XH", PLAN, tmp_path / "x.xlsx")
    assert [c.code for c in e.value.clashes] == [x] and e.value.clashes[0].user == "甲"
    assert h.dump(db_b) == before


def test_two_offices_saving_at_the_same_moment_one_wins_one_is_told(two):
    """Both read the same division, then save the same indicators at once (two threads, two
    engines): whatever the interleaving, exactly one save lands and the other is refused."""
    db_a, db_b = two
    a, b = Duties(db_a, user="甲"), Duties(db_b, user="乙")
    for code in office_codes(a, 4):
        seen_a, seen_b = seen(a), seen(b)
        barrier = threading.Barrier(2)
        outcome: dict[str, str] = {}

        def save(du, to, expected, name, code=code, barrier=barrier, outcome=outcome):
            barrier.wait()
            try:
                du.set_many("XH", PLAN, {code: Source("department", to)}, expected=expected)
                outcome[name] = "saved"
            except DutyConflict as e:
                outcome[name] = f"refused by {e.clashes[0].user}"

        threads = [
            threading.Thread(target=save, args=(a, WJ, seen_a, "甲")),
            threading.Thread(target=save, args=(b, JY, seen_b, "乙")),
        ]
        for th in threads:
            th.start()
        for th in threads:
            th.join(30)
        assert sorted(outcome.values()) in (
            ["refused by 乙", "saved"],
            ["refused by 甲", "saved"],
        ), outcome
        winner = next(n for n, v in outcome.items() if v == "saved")
        stored = a.source_of("XH", PLAN)[code]
        assert stored == Source("department", WJ if winner == "甲" else JY)


def test_the_cli_expects_what_it_read(two, tmp_path, capsys, monkeypatch):
    """`tianbao duties … --to`: another PC saves between the command's read and its write; the
    command is refused (exit 2) naming the indicator, the other reporter and who, nothing written."""
    from tianbao.cli.main import main

    db_a, db_b = two
    (x,) = office_codes(Duties(db_a), 1)
    other = Duties(db_a, user="甲")
    parse = Duties.parse_target

    def meanwhile(self, parent_code, to):  # runs after the command read the division
        other.set("XH", PLAN, [x], Source("department", WJ))
        return parse(self, parent_code, to)

    monkeypatch.setattr(Duties, "parse_target", meanwhile)
    url = str(tmp_path / "office.sqlite")  # the same file (or, on a server run, its database)
    code = main(["--db", url, "--user", "乙", "duties", "XH", PLAN, x, "--to", GA])
    err = capsys.readouterr().err
    assert code == 2, err
    assert f"指标 {x}" in err and "甲" in err and "区卫生健康局" in err and "没有保存" in err
    assert Duties(db_b).source_of("XH", PLAN)[x] == Source("department", WJ)


# --- units ------------------------------------------------------------------------------------


def _info(db, code):
    return next(u for u in units.list_units(db) if u.code == code)


def test_a_unit_changed_by_another_user_is_not_overwritten(two):
    db_a, db_b = two
    seen_a, seen_b = _info(db_a, "T1"), _info(db_b, "T1")
    units.update_unit(
        db_a, "T1", new_code="T1", name="西市场街道办", level="township", parent_code="XH",
        expected=seen_a, user="甲",
    )  # fmt: skip
    before = h.dump(db_b)
    with pytest.raises(repo.ConflictError) as e:
        units.update_unit(
            db_b, "T1", new_code="T1X", name="西市场", level="township", parent_code="XH",
            expected=seen_b, user="乙",
        )  # fmt: skip
    c = e.value
    assert c.user == "甲" and c.at is not None
    assert "西市场街道办" in str(c) and "甲" in str(c) and "没有保存" in str(c)
    assert h.dump(db_b) == before
    with pytest.raises(repo.ConflictError):
        units.rename_unit(db_b, "T1", "西市场", expected=seen_b.name, user="乙")
    with pytest.raises(repo.ConflictError):
        units.delete_unit(db_b, "T1", "乙", expected=seen_b)
    assert h.dump(db_b) == before
    # After reloading, B's change goes through, recorded as B's.
    units.update_unit(
        db_b, "T1", new_code="T1", name="西市场", level="township", parent_code="XH",
        expected=_info(db_b, "T1"), user="乙",
    )  # fmt: skip
    assert _info(db_a, "T1").name == "西市场"


def test_a_unit_deleted_by_another_user_is_a_conflict_not_a_crash(two):
    db_a, db_b = two
    seen_b = _info(db_b, GA)
    units.delete_unit(db_a, GA, "甲", expected=_info(db_a, GA))
    with pytest.raises(repo.ConflictError) as e:
        units.update_unit(
            db_b, GA, new_code=GA, name="区公安局", level="department", parent_code="XH",
            expected=seen_b, user="乙",
        )  # fmt: skip
    assert "已删除" in str(e.value) and e.value.user == "甲"
    assert GA not in {u.code for u in units.list_units(db_b)}
