"""Group commit (dissuade/hub/writer.py): many requests' writes in one transaction, each request
answered only once the group is committed, a failing request rolled back alone."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from dissuade.domain.errors import Conflict, DatabaseBusy
from dissuade.hub.writer import GroupCommit
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import ThreadHub, make_users

ROOM = {f"officer-{n:02d}": "officer" for n in range(30)}


def test_a_burst_of_claims_gives_each_officer_a_person_of_their_own(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db, ROOM)
    store = Store(db)
    store.add_warnings([warning_data(i, phone=f"1390000{i:04d}") for i in range(40)],
                       actor="feed")
    closed = store.add_warning(warning_data(99, phone="13800009999"), actor="feed")[0].id
    store.claim(closed, user="officer-00")
    store.record_attempt(closed, outcome="dissuaded", user="officer-00", client_id="done-1")
    store.close()
    hub = ThreadHub(db, tokens).start()
    try:
        async def burst() -> list[httpx.Response]:
            async with httpx.AsyncClient(base_url=hub.url, timeout=30) as http:
                claims = [http.post("/api/v1/queue/claim-next", json={"client_id": f"c-{name}"},
                                    headers={"Authorization": f"Bearer {token}"})
                          for name, token in tokens.items()]
                # A request that fails inside the same burst: only its own work is undone.
                refused = http.post(f"/api/v1/warnings/{closed}/claim",
                                    headers={"Authorization": f"Bearer {tokens['officer-01']}"})
                return list(await asyncio.gather(*claims, refused))

        *answers, refused = asyncio.run(burst())
    finally:
        hub.stop()
    assert refused.status_code == 409, refused.text
    assert all(r.status_code == 200 for r in answers), [r.text for r in answers]
    got = {name: r.json()["id"] for name, r in zip(tokens, answers, strict=True)}
    assert len(set(got.values())) == len(got)  # nobody shares a person
    conn = sqlite3.connect(db)
    held = dict(conn.execute("SELECT id, claimed_by FROM warnings WHERE status = 'claimed'"))
    audited = conn.execute("SELECT count(*) FROM audit WHERE action = 'warning.claim'").fetchone()
    conn.close()
    assert {wid: held.get(wid) for wid in got.values()} == {w: n for n, w in got.items()}
    assert audited[0] == len(got) + 1  # each claim audited once, the refused one not at all


def _writer(db: Path) -> GroupCommit:
    lock = threading.Lock()
    return GroupCommit(lambda: Store(db, create=False, write_lock=lock), lock_timeout=5)


def test_a_group_commits_once_and_a_failed_request_is_undone_alone(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    Store(db).close()
    writer = _writer(db)
    gate = threading.Event()

    def hold(store: Any) -> str:  # the first group waits, so the rest queue up behind it
        gate.wait(10)
        return "first"

    def note(n: int) -> Any:
        def job(store: Any) -> int:
            store.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)",
                               (f"test-{n}", str(n)))
            if n == 3:
                raise Conflict("refused")
            return n
        return job

    async def run() -> list[Any]:
        first = asyncio.ensure_future(writer.run(hold))
        await asyncio.sleep(0.2)
        rest = [asyncio.ensure_future(writer.run(note(n))) for n in range(6)]
        await asyncio.sleep(0.2)
        gate.set()
        return await asyncio.gather(first, *rest, return_exceptions=True)

    try:
        results = asyncio.run(run())
    finally:
        writer.stop()
    assert results[0] == "first"
    assert [r if not isinstance(r, Exception) else type(r).__name__ for r in results[1:]] == \
        [0, 1, 2, "Conflict", 4, 5]
    assert (writer.groups, writer.jobs) == (2, 7)  # six requests, one commit
    conn = sqlite3.connect(db)
    kept = sorted(k for (k,) in conn.execute("SELECT key FROM settings WHERE key LIKE 'test-%'"))
    conn.close()
    assert kept == ["test-0", "test-1", "test-2", "test-4", "test-5"]


def test_nothing_is_answered_as_done_unless_its_group_commits(tmp_path: Path) -> None:
    """One request leaves the transaction unable to commit (a reference checked at the commit):
    every request of the group hears an error, though each one's own work went through, and
    none of it is kept."""
    db = tmp_path / "centre.db"
    Store(db).close()
    writer = _writer(db)
    gate = threading.Event()

    def hold(store: Any) -> str:
        gate.wait(10)
        return "first"

    def fine(store: Any) -> str:
        store.conn.execute("INSERT INTO settings (key, value) VALUES ('test-fine', '1')")
        return "fine"

    def dangling(store: Any) -> str:
        store.conn.execute("PRAGMA defer_foreign_keys = ON")
        store.conn.execute("INSERT INTO claim_requests (client_id, username, warning_id, at) "
                           "VALUES ('x', 'officer-a', 424242, 0)")
        return "dangling"

    async def run() -> list[Any]:
        first = asyncio.ensure_future(writer.run(hold))
        await asyncio.sleep(0.2)
        rest = [asyncio.ensure_future(writer.run(job)) for job in (fine, dangling)]
        await asyncio.sleep(0.2)
        gate.set()
        return await asyncio.gather(first, *rest, return_exceptions=True)

    try:
        first, *rest = asyncio.run(run())
        after = asyncio.run(writer.run(lambda store: "the writer goes on"))
    finally:
        writer.stop()
    assert first == "first"
    assert all(isinstance(r, DatabaseBusy) for r in rest), rest
    assert after == "the writer goes on"
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM settings WHERE key = 'test-fine'").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM claim_requests").fetchone() == (0,)
    conn.close()
    with pytest.raises(DatabaseBusy):  # stopped: nothing more is taken
        asyncio.run(writer.run(fine))


def test_a_request_whose_client_went_away_is_dropped_and_the_others_answered(
        tmp_path: Path) -> None:
    """A client that disconnects while its request waits for the writer: its work is never
    done, and the requests around it get their own answers (not an error for its sake)."""
    db = tmp_path / "centre.db"
    Store(db).close()
    writer = _writer(db)
    gate = threading.Event()

    def hold(store: Any) -> str:
        gate.wait(10)
        return "first"

    def note(n: int) -> Any:
        def job(store: Any) -> int:
            store.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)",
                               (f"test-{n}", str(n)))
            return n
        return job

    async def run() -> list[Any]:
        first = asyncio.ensure_future(writer.run(hold))
        await asyncio.sleep(0.2)
        rest = [asyncio.ensure_future(writer.run(note(n))) for n in range(3)]
        await asyncio.sleep(0.1)
        rest[1].cancel()  # its client went away
        await asyncio.sleep(0.1)
        gate.set()
        return await asyncio.gather(first, *rest, return_exceptions=True)

    try:
        results = asyncio.run(run())
    finally:
        writer.stop()
    assert results[0] == "first" and results[1] == 0 and results[3] == 2
    assert isinstance(results[2], asyncio.CancelledError)
    conn = sqlite3.connect(db)
    kept = sorted(k for (k,) in conn.execute("SELECT key FROM settings WHERE key LIKE 'test-%'"))
    conn.close()
    assert kept == ["test-0", "test-2"]
