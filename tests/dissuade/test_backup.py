"""`dissuade backup` and `restore`: online copies of a served database, and a careful way back.

Also the rule under them: nothing opens a database file outside SQLite in a process that may
hold connections to it (a foreign file is told from SQLite's own answer, not from its header).
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from dissuade import cli, open_source
from dissuade.domain.errors import InvalidInput
from dissuade.store import Store
from dissuade.store.backup import check, in_use
from dissuade.store.connection import refuse_database_file
from tests.conftest import warning_data
from tests.hubs import ProcessHub, make_users, run_cli

HEAD = re.compile(r"head (\d+:[0-9a-f]{64})")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def centre(path: Path, warnings: int = 3) -> Path:
    store = Store(path)
    for n in range(warnings):
        store.add_warning(warning_data(n), actor="feed")
    store.close()
    return path


def count(db: Path, table: str = "warnings") -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def idle_holder() -> Iterator[Callable[[Path], subprocess.Popen[str]]]:
    """`hold(db)`: another process with a connection that has read the file and sits idle,
    the case SQLite's `BEGIN EXCLUSIVE` alone does not see in WAL mode."""
    procs: list[subprocess.Popen[str]] = []

    def hold(db: Path) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-c", "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1]); "
             "c.execute('SELECT count(*) FROM warnings').fetchone(); print('ready', flush=True); "
             "time.sleep(120)", str(db)], stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        procs.append(proc)
        return proc

    yield hold
    for proc in procs:
        proc.kill()
        proc.wait(timeout=10)


# -- a foreign file is SQLite's to name -------------------------------------------------------

def test_a_one_byte_file_is_refused_not_taken_for_an_empty_database(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    note = tmp_path / "note.db"
    note.write_bytes(b"\n")  # SQLite itself would take this for an empty database and write it
    code, _, err = run(capsys, "demo", "--db", str(note), "--warnings", "1")
    assert code == 2 and "not an SQLite database" in err
    assert note.read_bytes() == b"\n"


def test_nothing_reads_or_replaces_an_open_database_as_an_ordinary_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = centre(tmp_path / "centre.db")
    source = open_source(db, user="lead")
    try:
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            with pytest.raises(InvalidInput, match="database"):
                refuse_database_file(path, what="input")
        refuse_database_file(tmp_path / "feed.csv", what="input")  # anything else is fine
        # A report over the file a hub (here: this process) has open is refused, not written.
        code, _, err = run(capsys, "report", "--db", str(db), "-o", str(db), "--format", "csv")
        assert code == 2 and "database" in err
        code, _, err = run(capsys, "import", str(db), "--db", str(db))
        assert code == 2 and "database" in err
        code, _, err = run(capsys, "speak", "--text", "请勿转账", "-o", str(db))
        assert code == 2 and "database" in err
        assert source.queue_size() == 3
    finally:
        source.close()
    assert check(db).warnings == 3


# -- backup ---------------------------------------------------------------------------------

def test_a_backup_taken_while_the_hub_serves_is_consistent_and_checked(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ProcessHub(db).start()
    try:
        with httpx.Client(base_url=hub.url, timeout=10,
                          headers={"Authorization": f"Bearer {tokens['feed-1']}"}) as http:
            for n in range(20):
                assert http.post("/api/v1/warnings", json=warning_data(n)).status_code == 201
            out = tmp_path / "nightly" / "centre-2026-12-05.db"
            out.parent.mkdir()
            done = run_cli("backup", "--db", str(db), "-o", str(out))
            assert done.returncode == 0, done.stderr
            # The hub keeps working, and kept working while it was copied.
            assert http.post("/api/v1/warnings", json=warning_data(99)).status_code == 201
    finally:
        hub.kill()
    assert "integrity check: ok" in done.stdout and "warnings: 20" in done.stdout
    head = HEAD.search(done.stdout)
    assert head is not None
    assert count(out) == 20 and count(db) == 21
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]  # nothing left beside it
    verify = run_cli("audit", "verify", "--db", str(out), "--expect-head", head.group(1))
    assert verify.returncode == 0, verify.stdout
    # ...and the live file's chain still holds the backup's head: nothing was cut since.
    assert run_cli("audit", "verify", "--db", str(db), "--expect-head",
                   head.group(1)).returncode == 0


def test_backup_refuses_to_write_over_files_it_should_not(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        idle_holder: Callable[[Path], subprocess.Popen[str]]) -> None:
    db = centre(tmp_path / "centre.db")
    out = tmp_path / "b.db"
    assert run(capsys, "backup", "--db", str(db), "-o", str(out))[0] == 0
    code, _, err = run(capsys, "backup", "--db", str(db), "-o", str(out))
    assert code == 2 and "--force" in err
    assert run(capsys, "backup", "--db", str(db), "-o", str(out), "--force")[0] == 0
    for own in (db, Path(f"{db}-wal")):
        code, _, err = run(capsys, "backup", "--db", str(db), "-o", str(own), "--force")
        assert code == 2 and "database" in err
    other = centre(tmp_path / "other.db", warnings=1)
    idle_holder(other)  # another centre, open somewhere: --force must not replace it
    code, _, err = run(capsys, "backup", "--db", str(db), "-o", str(other), "--force")
    assert code == 2 and ("in use" in err or "database's file" in err)
    assert count(other) == 1
    code, _, err = run(capsys, "backup", "--db", str(tmp_path / "missing.db"), "-o",
                       str(tmp_path / "x.db"))
    assert code == 2 and "no such file" in err and not (tmp_path / "x.db").exists()


def test_postgresql_is_backed_up_and_restored_with_its_own_tools(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = "postgresql://dissuade:s3cret@db.example:5432/centre"
    code, out, err = run(capsys, "backup", "--db", url, "-o", str(tmp_path / "centre.dump"))
    assert code == 2 and "pg_dump" in err
    assert out.strip() == (f"pg_dump --format=custom --file={tmp_path / 'centre.dump'} "
                           "postgresql://dissuade@db.example:5432/centre")
    code, out, err = run(capsys, "restore", str(tmp_path / "centre.dump"), "--db", url)
    assert code == 2 and "pg_restore" in err and "s3cret" not in out + err
    assert out.strip().startswith("pg_restore --clean --if-exists --no-owner "
                                  "--dbname=postgresql://dissuade@db.example:5432/centre")


# -- restore --------------------------------------------------------------------------------

def test_restore_refuses_while_another_process_has_the_database_open(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        idle_holder: Callable[[Path], subprocess.Popen[str]]) -> None:
    db = centre(tmp_path / "centre.db", warnings=5)
    backup = tmp_path / "b.db"
    assert run(capsys, "backup", "--db", str(centre(tmp_path / "old.db", 2)), "-o",
               str(backup))[0] == 0
    holder = idle_holder(db)
    assert in_use(db)
    code, _, err = run(capsys, "restore", str(backup), "--db", str(db), "--force")
    assert code == 2 and "in use" in err
    assert count(db) == 5
    holder.kill()
    holder.wait(timeout=10)
    assert not in_use(db)
    code, out, _ = run(capsys, "restore", str(backup), "--db", str(db), "--force")
    assert code == 0 and "warnings: 2" in out
    assert count(db) == 2 and check(db).warnings == 2


def test_restore_refuses_while_a_hub_serves_the_file(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    make_users(db)
    backup = tmp_path / "b.db"
    assert run_cli("backup", "--db", str(db), "-o", str(backup)).returncode == 0
    hub = ProcessHub(db).start()
    try:
        httpx.get(f"{hub.url}/api/v1/health", timeout=5)
        done = run_cli("restore", str(backup), "--db", str(db), "--force")
        assert done.returncode == 2 and "in use" in done.stderr
    finally:
        hub.kill()


def test_restore_checks_the_backup_before_replacing_anything(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = centre(tmp_path / "centre.db", warnings=4)
    code, _, err = run(capsys, "restore", str(db), "--db", str(db), "--force")
    assert code == 2 and "database" in err
    backup = tmp_path / "b.db"
    assert run(capsys, "backup", "--db", str(centre(tmp_path / "old.db", 1)), "-o",
               str(backup))[0] == 0
    code, _, err = run(capsys, "restore", str(backup), "--db", str(db))
    assert code == 2 and "--force" in err  # an existing target needs --force
    conn = sqlite3.connect(backup)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET actor = 'someone-else' WHERE id = 1")
    conn.commit()
    conn.close()
    code, _, err = run(capsys, "restore", str(backup), "--db", str(db), "--force")
    assert code == 2 and "audit chain" in err
    notes = tmp_path / "notes.txt"
    notes.write_text("值班记录\n" * 100, encoding="utf-8")
    code, _, err = run(capsys, "restore", str(notes), "--db", str(db), "--force")
    assert code == 2 and "not an SQLite database" in err
    assert count(db) == 4 and check(db).warnings == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.db", "centre.db", "notes.txt",
                                                          "old.db"]


def test_restore_into_a_new_file_and_across_page_sizes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    backup = tmp_path / "b.db"
    assert run(capsys, "backup", "--db", str(centre(tmp_path / "old.db", 3)), "-o",
               str(backup))[0] == 0
    fresh = tmp_path / "restored" / "centre.db"
    fresh.parent.mkdir()
    Path(f"{fresh}-wal").write_bytes(b"a log left by some other database")
    code, _, err = run(capsys, "restore", str(backup), "--db", str(fresh))
    assert code == 2 and "-wal" in err and not fresh.exists()
    Path(f"{fresh}-wal").unlink()
    assert run(capsys, "restore", str(backup), "--db", str(fresh))[0] == 0
    assert count(fresh) == 3
    assert sorted(p.name for p in fresh.parent.iterdir()) == ["centre.db"]
    # A centre whose file has other pages than the backup's (WAL takes only its own size).
    big = tmp_path / "big.db"
    conn = sqlite3.connect(big)
    conn.execute("PRAGMA page_size = 8192")
    conn.execute("VACUUM")
    conn.close()
    centre(big, 7)
    assert run(capsys, "restore", str(backup), "--db", str(big), "--force")[0] == 0
    assert count(big) == 3 and check(big).page_size == 8192
    source = open_source(big, user="lead")  # and it works as a centre again
    assert source.queue_size() == 3
    source.close()
