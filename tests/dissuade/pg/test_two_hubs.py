"""Several `dissuade serve` processes over one PostgreSQL database are one hub: claims atomic
across all of them, news reaching the long polls of every one within a second, and a workstation
that carries on with another process when its own is killed (SIGKILL) mid-shift, with every
acknowledged outcome recorded exactly once."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from dissuade.sources.http import HttpSource
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import ProcessHub

pytestmark = pytest.mark.slow

OFFICERS = [f"officer-{n}" for n in range(6)]


def _province(url: str, warnings: int) -> dict[str, str]:
    store = Store(url)
    tokens = {name: store.add_user(name, role="officer") for name in OFFICERS}
    tokens["feed-1"] = store.add_user("feed-1", role="feed")
    results = store.add_warnings([warning_data(n) for n in range(warnings)], actor="feed-1")
    assert all(r.created for r in results)
    store.close()
    return tokens


@pytest.fixture
def two_hubs(pg_url: str) -> Any:
    hubs = [ProcessHub(pg_url).start(), ProcessHub(pg_url).start()]  # type: ignore[arg-type]
    yield hubs
    for hub in hubs:
        hub.kill()


def test_claims_are_atomic_across_two_hub_processes(pg_url: str, two_hubs: list[ProcessHub]
                                                    ) -> None:
    tokens = _province(pg_url, 120)
    claimed: list[tuple[str, int]] = []
    lock = threading.Lock()

    def officer(name: str, hub: ProcessHub) -> None:
        with httpx.Client(base_url=hub.url, timeout=30,
                          headers={"Authorization": f"Bearer {tokens[name]}"}) as http:
            while True:
                r = http.post("/api/v1/queue/claim-next",
                              json={"client_id": str(uuid.uuid4())})
                if r.status_code == 204 or (r.status_code == 200 and not r.content):
                    return
                assert r.status_code == 200, r.text
                data = r.json()
                if data is None:
                    return
                with lock:
                    claimed.append((name, int(data["id"])))
                r = http.post(f"/api/v1/warnings/{data['id']}/attempts", json={
                    "client_id": str(uuid.uuid4()), "outcome": "dissuaded", "notes": "已劝阻"})
                assert r.status_code in (200, 201), r.text

    threads = [threading.Thread(target=officer, args=(name, two_hubs[n % 2]))
               for n, name in enumerate(OFFICERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    ids = Counter(wid for _name, wid in claimed)
    assert len(ids) == 120 and set(ids.values()) == {1}, "a warning was claimed twice"
    assert len({name for name, _ in claimed}) == len(OFFICERS)  # both hubs did the work
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT count(*) FROM warnings WHERE status = 'closed'"
                            ).fetchone() == (120,)
        assert conn.execute("SELECT count(*) FROM attempts").fetchone() == (120,)
    store = Store(pg_url)
    assert store.verify_audit().ok  # one chain, many writers
    store.close()


def test_news_reaches_long_polls_of_every_hub_within_a_second(
        pg_url: str, two_hubs: list[ProcessHub]) -> None:
    tokens = _province(pg_url, 1)
    a, b = two_hubs
    auth = {"Authorization": f"Bearer {tokens['officer-0']}"}
    with httpx.Client(timeout=30, headers=auth) as http:
        seq = http.get(f"{b.url}/api/v1/events", params={"timeout": 0}).json()["seq"]
        answered: dict[str, float] = {}

        def poll() -> None:
            r = http.get(f"{b.url}/api/v1/events", params={"after": seq, "timeout": 20})
            answered["at"] = time.monotonic()
            answered["arrivals"] = len(r.json()["arrivals"])

        waiter = threading.Thread(target=poll)
        waiter.start()
        time.sleep(1.0)  # the long poll is waiting at hub B
        posted = time.monotonic()
        r = httpx.post(f"{a.url}/api/v1/warnings", json=warning_data(500),
                       headers={"Authorization": f"Bearer {tokens['feed-1']}"})
        assert r.status_code == 201
        waiter.join(timeout=25)
    assert answered["at"] - posted < 1.0
    assert answered["arrivals"] >= 1


def test_a_workstation_carries_on_when_its_hub_process_is_killed(
        pg_url: str, two_hubs: list[ProcessHub], tmp_path: Path) -> None:
    tokens = _province(pg_url, 200)
    a, b = two_hubs
    acked: list[str] = []
    errors: list[str] = []
    stop = threading.Event()

    def officer(name: str) -> None:
        # The workstation knows both processes; it starts on A.
        source = HttpSource(f"{a.url},{b.url}", token=tokens[name],
                            outbox_path=str(tmp_path / f"outbox-{name}.db"))
        try:
            while not stop.is_set():
                try:
                    w = source.claim_next()
                    if w is None:
                        return
                    client_id = str(uuid.uuid4())
                    source.record_attempt(w.id, outcome="dissuaded", notes="已劝阻",
                                          client_id=client_id)
                    acked.append(client_id)
                except Exception as exc:  # noqa: BLE001 - counted, then the test fails
                    errors.append(f"{name}: {type(exc).__name__}: {exc}")
                    time.sleep(0.2)
        finally:
            source.close()

    threads = [threading.Thread(target=officer, args=(name,)) for name in OFFICERS[:4]]
    for t in threads:
        t.start()
    time.sleep(2.0)
    a.kill()  # SIGKILL mid-shift
    killed_at = len(acked)
    time.sleep(3.0)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert killed_at > 0 and len(acked) > killed_at  # work went on after the kill
    # What a workstation kept while its hub died is sent now (to the process still up).
    for name in OFFICERS[:4]:
        source = HttpSource(f"{a.url},{b.url}", token=tokens[name],
                            outbox_path=str(tmp_path / f"outbox-{name}.db"))
        source.replay_outbox()
        assert source.outbox_status() == (0, [])
        source.close()
    with psycopg.connect(pg_url) as conn:
        rows = Counter(r[0] for r in conn.execute("SELECT client_id FROM attempts"))
    # Each acknowledged (or kept, then sent) outcome exactly once, none twice.
    assert all(rows[c] == 1 for c in acked), "an acknowledged outcome is missing"
    assert set(rows.values()) == {1}
    assert not [e for e in errors if "HubUnreachable" not in e], errors
