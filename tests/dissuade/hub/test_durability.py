"""Nothing the hub acknowledged is lost while other programs open its database file.

A real `dissuade serve` takes warnings from a feed and outcomes from officers on several threads;
meanwhile the sqlite3 shell, a plain Python reader, `dissuade user add`, `dissuade audit verify`
and `dissuade backup` open the same file from processes of their own. Then the hub is killed as
a power cut would kill it, and every warning and outcome it answered 201/200 must be in the file,
which must pass `integrity_check` and whose audit chain must verify.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest

from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import ProcessHub, make_users, run_cli

pytestmark = pytest.mark.slow

LOAD_SECONDS = 8.0  # at least this long, and at least one round of every other program
OFFICERS = ("officer-a", "officer-b")


class Acknowledged:
    """What the hub answered 201/200 to, written down by the threads that asked."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.warnings: dict[str, int] = {}  # external_id -> id
        self.attempts: dict[str, int] = {}  # client_id -> warning id
        self.users: list[str] = []
        self.backups: list[Path] = []
        self.problems: list[str] = []

    def add(self, table: dict[str, int], key: str, value: int) -> None:
        with self.lock:
            table[key] = value


def _feed(url: str, token: str, acked: Acknowledged, stop: threading.Event, first: int) -> None:
    with httpx.Client(base_url=url, timeout=10,
                      headers={"Authorization": f"Bearer {token}"}) as http:
        n = first
        while not stop.is_set():
            n += 1
            external = f"D-{n:06d}"
            try:
                r = http.post("/api/v1/warnings", json=warning_data(
                    n, external_id=external, risk_level="high", notes="耐久性测试"))
            except httpx.TransportError:
                continue
            if r.status_code in (200, 201):
                acked.add(acked.warnings, external, int(r.json()["id"]))


def _officer(url: str, token: str, acked: Acknowledged, stop: threading.Event) -> None:
    with httpx.Client(base_url=url, timeout=10,
                      headers={"Authorization": f"Bearer {token}"}) as http:
        while not stop.is_set():
            try:
                r = http.post("/api/v1/queue/claim-next")
                if r.status_code != 200:
                    time.sleep(0.05)
                    continue
                wid = int(r.json()["id"])
                client_id = str(uuid.uuid4())
                r = http.post(f"/api/v1/warnings/{wid}/attempts", json={
                    "client_id": client_id, "outcome": "dissuaded", "notes": "已劝阻"})
            except httpx.TransportError:
                continue
            if r.status_code in (200, 201):
                acked.add(acked.attempts, client_id, wid)


def _other_programs(db: Path, folder: Path, acked: Acknowledged,
                    stop: threading.Event) -> None:
    """Every kind of program an operator might point at the file, in turn, until told to stop
    (and at least once each)."""
    reader = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
              "print(c.execute('SELECT count(*) FROM attempts').fetchone()[0]); c.close()")
    round_ = 0
    while True:
        round_ += 1
        name = f"extra-{round_}"
        backup = folder / f"backup-{round_}.db"
        runs: list[tuple[str, list[str]]] = [
            ("python reader", [sys.executable, "-c", reader, str(db)]),
            ("user add", ["user", "add", name, "--role", "officer", "--db", str(db)]),
            ("audit verify", ["audit", "verify", "--db", str(db)]),
            ("backup", ["backup", "--db", str(db), "-o", str(backup)]),
        ]
        if shutil.which("sqlite3"):
            runs.insert(0, ("sqlite3 shell", ["sqlite3", str(db),
                                              "SELECT count(*) FROM warnings"]))
        for what, args in runs:
            if args[0] in ("sqlite3", sys.executable):
                done = subprocess.run(args, capture_output=True, text=True, timeout=60)
            else:
                done = run_cli(*args)
            if done.returncode != 0:
                acked.problems.append(f"{what}: exit {done.returncode}: {done.stderr.strip()}")
            elif what == "user add":
                acked.users.append(name)
            elif what == "backup":
                acked.backups.append(backup)
        if stop.is_set():
            return


def test_a_killed_hub_keeps_everything_it_acknowledged_while_others_open_its_file(
        tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ProcessHub(db).start()
    acked = Acknowledged()
    stop, enough = threading.Event(), threading.Event()
    workers = [threading.Thread(target=_feed, args=(hub.url, tokens["feed-1"], acked, stop, k))
               for k in (0, 500_000)]
    workers += [threading.Thread(target=_officer, args=(hub.url, tokens[name], acked, stop))
                for name in OFFICERS]
    others = threading.Thread(target=_other_programs, args=(db, tmp_path, acked, enough))
    started = time.monotonic()
    try:
        for thread in [*workers, others]:
            thread.start()
        time.sleep(LOAD_SECONDS)
        enough.set()  # finish the round of other programs under way, then stop
        others.join(timeout=120)
        assert not others.is_alive()
        hub.kill()  # SIGKILL while the writers are still writing: a power cut
    finally:
        stop.set()
        enough.set()
        hub.kill()
        for thread in workers:
            thread.join(timeout=30)
    assert time.monotonic() - started < 60
    assert acked.users and acked.backups
    assert len(acked.warnings) > 20 and len(acked.attempts) > 5  # the load was real
    findings = [*acked.problems, *_check(db, acked)]
    assert not findings, "\n".join(findings)


def _check(db: Path, acked: Acknowledged) -> list[str]:
    """Everything wrong with the file after the kill (all of it, to see the whole damage)."""
    found: list[str] = []
    conn = sqlite3.connect(db)
    try:
        integrity = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
        if integrity != ["ok"]:
            found.append(f"integrity_check: {integrity}")
        stored = dict(conn.execute("SELECT external_id, id FROM warnings "
                                   "WHERE external_id LIKE 'D-%'").fetchall())
        missing = [e for e, i in acked.warnings.items() if stored.get(e) != i]
        if missing:
            found.append(f"{len(missing)} of {len(acked.warnings)} acknowledged warnings lost, "
                         f"e.g. {missing[:3]}")
        attempts = dict(conn.execute("SELECT client_id, warning_id FROM attempts").fetchall())
        lost = [c for c, w in acked.attempts.items() if attempts.get(c) != w]
        if lost:
            found.append(f"{len(lost)} of {len(acked.attempts)} acknowledged outcomes lost")
        names = {n for (n,) in conn.execute("SELECT name FROM users")}
        if not set(acked.users) <= names:
            found.append(f"users added and lost: {sorted(set(acked.users) - names)}")
    except sqlite3.DatabaseError as exc:
        found.append(f"reading the file: {exc}")
    finally:
        conn.close()
    try:
        store = Store(db, create=False)
        try:
            verdict = store.verify_audit()
        finally:
            store.close()
        if not verdict.ok:
            found.append(f"audit chain: {verdict.problem}")
    except Exception as exc:  # noqa: BLE001 - a damaged file is a finding, not a crash
        found.append(f"audit chain: {exc}")
    verify = run_cli("audit", "verify", "--db", str(db))
    if verify.returncode != 0:
        found.append(f"dissuade audit verify: exit {verify.returncode}")
    return found
