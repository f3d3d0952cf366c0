"""Upgrades without fear: `dissuade migrate --check` lists what a database would get without
changing it; the hub backs a database up before migrating it at start-up; a database of the
previous release (tests/data/release-1.db, made by tests/data/make_release_1.py with that
release's code) opens with every row kept, its audit chain intact and its users' tokens working;
a database from a newer version is refused."""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sqlite3
from pathlib import Path

import httpx
import pytest

from dissuade.cli.main import main
from dissuade.domain.errors import DatabaseUnusable
from dissuade.store import Store, audit, upgrade
from tests.hubs import ThreadHub

DATA = Path(__file__).resolve().parent.parent / "data"
RELEASE_1 = DATA / "release-1.db"
TOKENS = json.loads((DATA / "release-1.tokens.json").read_text(encoding="utf-8"))
TABLES = ("warnings", "attempts", "escalations", "escalation_steps", "users", "audit",
          "policy_levels", "settings")
RELEASE_1_SCHEMA = [m.name for m in upgrade.known()][:11]  # up to m011_waiting_and_held
KEYS = {"users": "name", "policy_levels": "level", "settings": "key"}


def rows_of(db: Path) -> dict[str, list[dict[str, object]]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return {table: [dict(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]
                for table in TABLES}
    finally:
        conn.close()


def applied(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [n for (n,) in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    finally:
        conn.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def centre(tmp_path: Path) -> Path:
    db = tmp_path / "centre.db"
    shutil.copyfile(RELEASE_1, db)
    return db


def test_migrate_check_lists_what_would_be_applied_and_changes_nothing(
        centre: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = digest(centre)
    assert main(["migrate", "--check", "--db", str(centre)]) == 1
    out = capsys.readouterr().out
    assert "m011_waiting_and_held" in out  # where it stands
    pending = [m.name for m in upgrade.known()][11:]
    assert pending and all(name in out for name in pending)
    assert "m012_passwords" in out and "m019_metrics_role" in out
    assert digest(centre) == before
    assert not list(centre.parent.glob("centre.before-*"))

    Store(centre).close()  # opened by this version: up to date
    assert main(["migrate", "--check", "--db", str(centre)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_the_previous_release_is_backed_up_then_upgraded_keeping_every_row(
        centre: Path, caplog: pytest.LogCaptureFixture) -> None:
    old = rows_of(centre)
    assert len(old["warnings"]) == 12 and len(old["audit"]) > 30
    caplog.set_level(logging.WARNING, logger="dissuade.store.upgrade")
    hub = ThreadHub(centre, {}).start()
    try:
        (backup,) = centre.parent.glob("centre.before-m011-to-*.db")
        # Said in the log, with the file's name.
        assert any(str(backup) in r.getMessage() for r in caplog.records)
        # The backup keeps the old schema (the old version can open it) and every row.
        assert applied(backup) == RELEASE_1_SCHEMA
        assert rows_of(backup) == old
        # The upgraded file: every old row, every old column's value, and the audit chain.
        new = rows_of(centre)
        for table, rows in old.items():
            key = KEYS.get(table, "id")
            kept = {row[key]: row for row in new[table]}
            for before in rows:
                after = kept[before[key]]
                if table == "settings":
                    continue  # a later migration may set a new default; the row is there
                assert {k: after[k] for k in before} == before, table
        assert applied(centre)[-1] == upgrade.known()[-1].name
        # The users, their roles and tokens came through the users table's rebuild (m019).
        for name, token in TOKENS.items():
            me = httpx.get(f"{hub.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"},
                           timeout=10)
            assert me.status_code == 200 and me.json()["name"] == name
        claimed = httpx.post(f"{hub.url}/api/v1/queue/claim-next", timeout=10,
                             headers={"Authorization": f"Bearer {TOKENS['li-na']}"})
        assert claimed.status_code == 200
    finally:
        hub.stop()
    store = Store(centre)
    try:
        verdict = store.verify_audit()
        assert verdict.ok and verdict.rows > len(old["audit"])  # the claim was audited on top
        assert store.local_role("zhao-lead", path=str(centre)) == "lead"
    finally:
        store.close()
    conn = sqlite3.connect(backup)
    try:
        assert audit.verify(conn).ok
    finally:
        conn.close()
    # Started again: nothing pending, no second backup.
    ThreadHub(centre, {}).start().stop()
    assert len(list(centre.parent.glob("centre.before-*"))) == 1


def test_a_database_from_a_newer_version_is_refused_and_not_backed_up(
        centre: Path, capsys: pytest.CaptureFixture[str]) -> None:
    Store(centre).close()
    conn = sqlite3.connect(centre)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('dissuade', 'm999_from_the_future', '2027-01-01')")
    conn.commit()
    conn.close()
    assert main(["migrate", "--check", "--db", str(centre)]) == 2
    assert "newer version" in capsys.readouterr().out
    with pytest.raises(DatabaseUnusable, match="newer version"):
        ThreadHub(centre, {}).start()
    assert not list(centre.parent.glob("centre.before-*"))


def test_migrate_check_refuses_what_is_not_a_dissuade_database(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    assert main(["migrate", "--check", "--db", str(other)]) == 2
    assert "not a dissuade database" in capsys.readouterr().err
    assert main(["migrate", "--check", "--db", str(tmp_path / "missing.db")]) == 2


def test_migrate_check_on_postgresql(pg_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    import psycopg

    assert main(["migrate", "--check", "--db", pg_url]) == 0
    assert "up to date" in capsys.readouterr().out
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("DELETE FROM dissuade_migrations WHERE name = 'm019_metrics_role'")
    assert main(["migrate", "--check", "--db", pg_url]) == 1
    out = capsys.readouterr().out
    assert "m019_metrics_role" in out and "pg_dump" in out
