"""Several users on one database, on SQLite files and (TIANBAO_TEST_DB_URL) a PostgreSQL server:
no write overwrites what it did not see, submit is atomic, start-up is safe, failures are messages."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from datetime import UTC, date

import pytest
from sqlalchemy import func, select, text

from db import repo
from db.engine import open_database, resolve_url
from db.failures import DatabaseError
from db.models import Audit, PlanVersion, Unit
from db.netshare import linux_network_mount, windows_network_path
from tests.support import server
from tianbao.cli.main import main as cli
from tianbao.domain.values import Entry, SignOff
from tianbao.services.returns import ReturnService, SubmitBlocked

PLAN = "qingyuan-children"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def db(tmp_path):
    d = open_database(tmp_path / "shared.sqlite", backups=False)
    with d.session() as s:
        repo.add_unit(s, "T1", "一街道", "township")
    yield d
    d.close()


@pytest.fixture
def rid(db):
    return ReturnService(db).open("T1", PLAN, 2024).id


def stored(db, rid, code):
    with db.session() as s:
        return repo.entries(s, rid).get((code, ""), Entry())


# --- two writers on one cell ------------------------------------------------------------------


def test_two_writers_on_one_cell_the_second_is_shown_the_first(db, rid):
    a, b = ReturnService(db, user="甲"), ReturnService(db, user="乙")
    a.save_entry(rid, "H03", "", Entry(numerator=3.0, denominator=1500.0), expected=Entry())
    with pytest.raises(repo.ConflictError) as e:
        b.save_entry(rid, "H03", "", Entry(numerator=4.0, denominator=1500.0), expected=Entry())
    c = e.value
    assert c.theirs == Entry(numerator=3.0, denominator=1500.0) and c.user == "甲"
    assert c.at is not None and c.at.tzinfo is not None
    assert "甲" in str(c) and "分子 3 / 分母 1500" in str(c) and "没有保存" in str(c)
    assert stored(db, rid, "H03") == Entry(numerator=3.0, denominator=1500.0)  # not overwritten
    # 保留我的值: saved again, now knowingly replacing the other value.
    b.save_entry(rid, "H03", "", c.mine, expected=c.theirs)
    assert stored(db, rid, "H03") == Entry(numerator=4.0, denominator=1500.0)
    users = [h.user for h in a.history(rid, "H03")]
    assert users == ["甲", "乙"]


def test_a_numerator_edit_never_reverts_another_users_denominator(db, rid):
    """The issue's case: A saw 3/1500 and types numerator 4; B had changed the denominator to 2000."""
    a, b = ReturnService(db, user="甲"), ReturnService(db, user="乙")
    a.save_entry(rid, "H03", "", Entry(numerator=3.0, denominator=1500.0), expected=Entry())
    seen_by_a = stored(db, rid, "H03")
    b.save_entry(rid, "H03", "", Entry(numerator=3.0, denominator=2000.0), expected=seen_by_a)
    with pytest.raises(repo.ConflictError) as e:
        a.save_entry(rid, "H03", "", Entry(numerator=4.0, denominator=1500.0), expected=seen_by_a)
    assert e.value.theirs.denominator == 2000.0
    assert stored(db, rid, "H03") == Entry(numerator=3.0, denominator=2000.0)


def test_undo_does_not_empty_a_value_another_user_typed_later(db, rid):
    a, b = ReturnService(db, user="甲"), ReturnService(db, user="乙")
    a.save_entry(rid, "H04", "", Entry(number=96.0), expected=Entry())
    b.save_entry(rid, "H04", "", Entry(number=91.0), expected=Entry(number=96.0))
    with pytest.raises(repo.ConflictError):  # A's Ctrl+Z: back to empty, expecting its 96
        a.save_entry(rid, "H04", "", Entry(), expected=Entry(number=96.0))
    assert stored(db, rid, "H04") == Entry(number=91.0)


def test_explanation_baseline_signoff_and_unit_name_conflicts(db, rid):
    a, b = ReturnService(db, user="甲"), ReturnService(db, user="乙")
    a.save_explanation(rid, "H04", "数据来自卫健局", expected="")
    with pytest.raises(repo.ConflictError):
        b.save_explanation(rid, "H04", "另一个说明", expected="")
    assert a.view(rid).row("H04").explanation == "数据来自卫健局"
    a.save_baseline(rid, "H04", 2020, 90.0, expected=None)
    with pytest.raises(repo.ConflictError):
        b.save_baseline(rid, "H04", 2020, 80.0, expected=None)
    assert a.view(rid).row("H04").baseline == (2020, 90.0)
    so = SignOff("王", "李", "张", "0375-1", None)
    a.save_signoff(rid, so, expected=SignOff("", "", "", "", None))
    with pytest.raises(repo.ConflictError):
        b.save_signoff(
            rid, SignOff("赵", "李", "张", "0375-1", None), expected=SignOff("", "", "", "", None)
        )
    assert a.info(rid).signoff == so
    with db.session() as s:
        repo.rename_unit(s, "T1", "一街道办", expected="一街道")
    with pytest.raises(repo.ConflictError), db.session() as s:
        repo.rename_unit(s, "T1", "第一街道", expected="一街道")
    with db.session() as s:
        assert repo.unit_by_code(s, "T1").name == "一街道办"


def test_an_import_whose_cells_changed_since_the_preview_writes_nothing(db, rid):
    ReturnService(db, user="甲").save_entry(rid, "H04", "", Entry(number=96.0))
    with pytest.raises(repo.ConflictError), db.session() as s:
        ret = s.get(repo.Return, rid)
        repo.set_entries(
            s,
            ret,
            [("H05", "", Entry(number=50.0)), ("H04", "", Entry(number=80.0))],
            expected={("H05", ""): None, ("H04", ""): None},
        )
    assert stored(db, rid, "H05").empty and stored(db, rid, "H04") == Entry(number=96.0)


# --- submit against a concurrent writer ----------------------------------------------------------


def test_submit_racing_a_write_checks_the_value_written_meanwhile(db, rid):
    """A value with 分子>分母 written while submit runs is either checked by it or refused."""
    svc = ReturnService(db, user="甲")
    written = threading.Event()
    failures = []

    def writer():
        try:
            with db.write() as s:
                repo.set_entry(
                    s, s.get(repo.Return, rid), "H03", "", Entry(numerator=9.0, denominator=3.0)
                )
                written.set()
                time.sleep(0.6)  # submit starts now and must wait for this transaction
        except Exception as e:  # noqa: BLE001
            failures.append(e)
            written.set()

    t = threading.Thread(target=writer)
    t.start()
    written.wait(5)
    started = time.monotonic()
    with pytest.raises(SubmitBlocked) as e:
        svc.submit(rid, SignOff("王", "李", "张", "0375-1", None))
    waited = time.monotonic() - started
    t.join()
    assert not failures
    assert waited >= 0.3, "submit did not wait for the writer's transaction"
    assert any(r.startswith("H03") and "分子" in r for r in e.value.reasons)
    assert svc.info(rid).status == "draft"


def test_a_write_after_submit_is_refused_even_from_an_old_view(db, rid, monkeypatch):
    svc = ReturnService(db, user="甲")
    from tianbao.services import returns

    monkeypatch.setattr(returns.ReturnView, "blockers", lambda self: [])
    seen = svc.view(rid)  # a window read the return while it was a draft
    svc.submit(rid, SignOff("王", "李", "张", "0375-1", date(2025, 1, 10)))
    with pytest.raises(repo.InputError) as e:
        with db.write() as s:
            repo.set_entry(s, s.get(repo.Return, rid), "H04", "", Entry(number=1.0))
    assert "锁定" in str(e.value) and seen.info.status == "draft"
    assert stored(db, rid, "H04").empty


# --- several PCs at once --------------------------------------------------------------------------

_STARTER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {repo!r})
    from db.engine import open_database
    from tianbao.services.returns import ReturnService
    from db import repo
    db = open_database({url!r}, backups=False)
    try:
        with db.write() as s:  # as the program adds a unit (services.units.add_unit)
            repo.add_unit(s, "T1", "一街道", "township")
    except repo.InputError:
        pass  # another PC added it first
    rid = ReturnService(db).open("T1", {plan!r}, 2024).id
    print(rid)
    """
)


def _new_url(tmp_path) -> str:
    if server.SERVER_URL:
        return server.url_for(server.create_empty_database())
    return f"sqlite:///{tmp_path / 'new.sqlite'}"


def test_three_processes_starting_at_once_on_a_new_database(tmp_path):
    url = _new_url(tmp_path)
    code = _STARTER.format(repo=REPO, url=url, plan=PLAN)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err.decode()
    assert len({out.strip() for out, _ in outs}) == 1  # one return, the same for all three
    db = open_database(url, backups=False)
    try:
        with db.session() as s:
            n = s.scalar(select(func.count()).select_from(PlanVersion))
            versions = s.execute(
                select(PlanVersion.plan_id, func.count()).group_by(PlanVersion.plan_id)
            ).all()
            assert all(c == 1 for _p, c in versions) and n == len(versions)
            assert s.scalar(select(func.count()).select_from(Unit)) == 1
    finally:
        db.close()


_STRESS = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {repo!r})
    from db.engine import open_database
    from db.repo import ConflictError
    from tianbao.services.returns import ReturnService
    db = open_database({url!r}, backups=False)
    svc = ReturnService(db, user="p%d" % {n})
    conflicts = 0
    for _ in range({loops}):
        while True:
            row = svc.view({rid}).row("H04")  # read as the grid does
            old = row.cells.get("", None)
            value = (old.number if old is not None and old.number is not None else 0) + 1
            try:
                svc.save_entry({rid}, "H04", "", type(old or row.entry)(number=value), expected=old)
                break
            except ConflictError:
                conflicts += 1  # another process saved first: read again, as the user would
    print(conflicts)
    """
)


@pytest.mark.slow
def test_stress_three_processes_read_add_one_save_lose_nothing(db, rid):
    loops = 30
    url = db.url
    db.close()
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _STRESS.format(repo=REPO, url=url, rid=rid, n=n, loops=loops)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for n in range(3)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    elapsed = time.monotonic() - started
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err.decode()
    conflicts = sum(int(out) for out, _ in outs)
    again = open_database(url, backups=False)
    try:
        assert stored(again, rid, "H04") == Entry(number=float(3 * loops))  # no update lost
        with again.session() as s:
            saves = s.scalar(
                select(func.count()).select_from(Audit).where(Audit.indicator == "H04")
            )
        assert saves == 3 * loops
    finally:
        again.close()
    print(
        f"\nstress: {3 * loops} saves by 3 processes in {elapsed:.1f}s, {conflicts} conflicts shown"
    )


# --- failures become messages ---------------------------------------------------------------------


def test_long_strings_and_nul_are_refused_before_writing_with_a_message(db, rid, capsys):
    svc = ReturnService(db, user="甲")
    with pytest.raises(repo.InputError) as e, db.session() as s:
        repo.add_unit(s, "X1", "名" * 101, "township")
    assert "最多 100 个字符" in str(e.value)
    with pytest.raises(repo.InputError) as e, db.write() as s:
        repo.set_explanation(s, s.get(repo.Return, rid), "H04", "原因\x00说明")
    assert "NUL" in str(e.value)
    try:  # the service may clean control characters out first; it never stores a NUL
        svc.save_explanation(rid, "H05", "原因\x00说明")
    except repo.InputError:
        pass
    assert "\x00" not in svc.view(rid).row("H05").explanation
    with pytest.raises(repo.InputError):
        svc.save_signoff(rid, SignOff("王" * 51, "李", "张", "1", None))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Unit).where(Unit.code == "X1")) == 0
    assert svc.view(rid).row("H04").explanation == ""
    url = db.path or db.url
    assert cli(["--db", str(url), "units", "add", "X2", "名" * 101, "--level", "township"]) == 2
    assert "最多 100 个字符" in capsys.readouterr().err


def test_an_unreachable_server_is_a_message_and_exit_status_2(capsys):
    assert cli(["--db", "postgresql+psycopg://nobody@127.0.0.1:1/tianbao", "units", "list"]) == 2
    err = capsys.readouterr().err
    assert "无法连接数据库服务器" in err and "Traceback" not in err


@pytest.mark.server_only
def test_server_stopped_mid_save_is_a_message_and_the_save_works_after(db, rid):
    svc = ReturnService(db, user="甲")
    svc.save_entry(rid, "H04", "", Entry(number=1.0))
    name = db.engine.url.database
    stopping = server.can_stop_server()
    try:
        with pytest.raises(DatabaseError) as e:
            with db.write() as s:
                repo.set_entry(s, s.get(repo.Return, rid), "H04", "", Entry(number=2.0))
                if stopping:
                    server.stop_server()
                else:
                    server.stop_server_connections(name)
        assert e.value.kind == "unreachable" and e.value.retry, str(e.value)
        assert "无法连接数据库服务器" in str(e.value)
        if stopping:
            with pytest.raises(DatabaseError) as e2:
                svc.save_entry(rid, "H04", "", Entry(number=2.0))
            assert e2.value.kind == "unreachable", str(e2.value)
    finally:
        if stopping:
            server.start_server()
    assert stored(db, rid, "H04") == Entry(number=1.0)  # the cut-off save changed nothing
    svc.save_entry(rid, "H04", "", Entry(number=2.0), expected=Entry(number=1.0))
    assert stored(db, rid, "H04") == Entry(number=2.0)


def test_times_are_utc_with_their_zone_and_changes_name_a_real_user(db, rid, monkeypatch):
    monkeypatch.setenv("TIANBAO_USER", "")
    ReturnService(db).save_entry(rid, "H04", "", Entry(number=5.0))
    h = ReturnService(db).history(rid, "H04")[-1]
    assert h.user and h.user == repo.current_user()
    assert h.at.tzinfo is not None and h.at.utcoffset() == h.at.astimezone().utcoffset()
    with db.session() as s:
        at = s.scalar(select(Audit.at).order_by(Audit.id.desc()))
        assert at.tzinfo is not None and at.utcoffset().total_seconds() == 0
        raw = s.execute(text("SELECT at FROM audit ORDER BY id DESC")).scalar()
    if db.path is not None:
        assert str(raw).endswith("+00:00")
    else:
        assert raw.astimezone(UTC) == at


def test_the_change_counter_moves_with_every_write(db, rid):
    svc = ReturnService(db, user="甲")
    before = svc.changes(rid)
    svc.save_entry(rid, "H04", "", Entry(number=5.0))
    svc.save_explanation(rid, "H04", "说明")
    assert svc.changes(rid) == before + 2 == svc.view(rid).info.changes


# --- backups of a server, and moving a file onto one -----------------------------------------------


def test_logical_dump_restores_into_an_empty_database(db, rid, tmp_path):
    from db.dump import dump_database
    from db.transfer import restore_dump

    svc = ReturnService(db, user="甲")
    svc.save_entry(rid, "H03", "", Entry(numerator=3.0, denominator=1500.0))
    svc.save_explanation(rid, "H03", "说明")
    dest = dump_database(db.engine, tmp_path / "b.json.gz")
    url = _new_url(tmp_path)
    restore_dump(url, dest)
    back = open_database(url, backups=False)
    try:
        assert stored(back, rid, "H03") == Entry(numerator=3.0, denominator=1500.0)
        b = ReturnService(back).history(rid, "H03")
        assert [x.user for x in b] == ["甲", "甲"] and b[0].at.tzinfo is not None
        ReturnService(back).save_entry(rid, "H04", "", Entry(number=1.0))  # ids go on
    finally:
        back.close()


@pytest.mark.server_only
def test_move_to_copies_a_sqlite_file_onto_a_server_verified(tmp_path, capsys, monkeypatch):
    import db.engine as engine

    monkeypatch.setattr(
        engine,
        "resolve_url",
        resolve_url.__wrapped__ if hasattr(resolve_url, "__wrapped__") else _plain_resolve,
    )
    path = tmp_path / "office.sqlite"
    src = open_database(path, backups=False)
    with src.session() as s:
        repo.add_unit(s, "T1", "一街道", "township")
    svc = ReturnService(src, user="甲")
    rid = svc.open("T1", PLAN, 2024).id
    svc.save_entry(rid, "H04", "", Entry(number=96.0))
    src.close()
    url = server.url_for(server.create_empty_database())
    assert cli(["--db", str(path), "move-to", url]) == 0
    out = capsys.readouterr().out
    assert "校验码全部一致" in out
    dst = open_database(url, backups=False)
    try:
        assert stored(dst, rid, "H04") == Entry(number=96.0)
    finally:
        dst.close()
    assert cli(["--db", str(path), "move-to", url]) == 2  # never onto a database with data
    assert "已有数据" in capsys.readouterr().err


def _plain_resolve(db=None):
    text_ = str(db)
    if "://" in text_:
        return text_
    from pathlib import Path

    return f"sqlite:///{Path(text_).expanduser().resolve()}"


# --- a SQLite file on a network share --------------------------------------------------------------

MOUNTS = """\
/dev/sda1 / ext4 rw 0 0
//fileserver/统计 /mnt/share cifs rw,vers=3.0 0 0
nas:/export /srv/nfs nfs4 rw 0 0
/dev/sdb1 /mnt/share/local ext4 rw 0 0
"""


def test_network_shares_are_recognised():
    from pathlib import Path

    assert "cifs" in linux_network_mount(Path("/mnt/share/a/t.sqlite"), MOUNTS)
    assert "nfs4" in linux_network_mount(Path("/srv/nfs/t.sqlite"), MOUNTS)
    assert linux_network_mount(Path("/mnt/share/local/t.sqlite"), MOUNTS) is None
    assert linux_network_mount(Path("/home/u/t.sqlite"), MOUNTS) is None
    assert windows_network_path(r"\\server\share\t.sqlite", lambda r: 3).startswith("UNC")
    assert "Z:" in windows_network_path(r"Z:\tianbao\t.sqlite", lambda r: 4)
    assert windows_network_path(r"C:\tianbao\t.sqlite", lambda r: 3) is None


@pytest.mark.sqlite_only
def test_a_file_on_a_share_opens_in_delete_mode_with_the_risk_stated(tmp_path, monkeypatch, capsys):
    import db.engine as engine

    monkeypatch.setattr(engine, "network_share", lambda p: "cifs //fileserver/统计 → /mnt/share")
    db = open_database(tmp_path / "s.sqlite", backups=False)
    try:
        with db.engine.connect() as c:
            assert c.execute(text("PRAGMA journal_mode")).scalar() == "delete"
        assert "网络共享" in db.warning and "服务器模式" in db.warning
    finally:
        db.close()
    assert cli(["--db", str(tmp_path / "s.sqlite"), "units", "list"]) == 0
    assert "网络共享" in capsys.readouterr().err
    (tmp_path / "s.sqlite-wal").write_bytes(b"x" * 100)  # another PC has it open in WAL mode
    with pytest.raises(DatabaseError) as e:
        open_database(tmp_path / "s.sqlite", backups=False)
    assert "服务器模式" in str(e.value)
