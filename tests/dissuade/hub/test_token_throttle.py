"""Wrong tokens slow down, by client address, counted in the database; a right one never does."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dissuade.store import Store, throttle
from tests.hubs import ThreadHub, make_users


def test_the_delay_grows_with_each_failure_and_is_capped() -> None:
    delays = [throttle.delay_for(n) for n in range(1, 12)]
    assert delays[:throttle.FREE_FAILURES] == [0.0] * throttle.FREE_FAILURES
    assert delays[throttle.FREE_FAILURES:throttle.FREE_FAILURES + 4] == [1.0, 2.0, 4.0, 8.0]
    assert max(delays) == throttle.DELAY_MAX == 60.0
    assert throttle.delay_for(10**9) == 60.0  # never a lock-out: a wait, however many


def test_failures_count_within_the_window_per_key() -> None:
    store = Store(":memory:")
    try:
        t0 = 1_800_000_000.0
        for n in range(1, 6):
            throttle.failed(store.conn, "token:10.0.0.7", now=t0 + n)
        assert throttle.failures(store.conn, "token:10.0.0.7", now=t0 + 6) == 5
        assert throttle.failures(store.conn, "token:10.0.0.8", now=t0 + 6) == 0
        later = t0 + 5 + throttle.WINDOW_SECONDS + 1  # the window passed: counting starts again
        assert throttle.failures(store.conn, "token:10.0.0.7", now=later) == 0
        assert throttle.failed(store.conn, "token:10.0.0.7", now=later) == 0.0
        assert throttle.failures(store.conn, "token:10.0.0.7", now=later) == 1
        throttle.clear(store.conn, "token:10.0.0.7")
        assert throttle.failures(store.conn, "token:10.0.0.7", now=later) == 0
    finally:
        store.close()


def test_stale_counters_are_pruned() -> None:
    store = Store(":memory:")
    try:
        t0 = 1_800_000_000.0
        for n in range(50):
            throttle.failed(store.conn, f"token:10.0.0.{n}", now=t0)
        throttle.failed(store.conn, "token:10.0.1.1", now=t0 + throttle.WINDOW_SECONDS + 1)
        (left,) = store.conn.execute("SELECT count(*) FROM throttle").fetchone()
        assert left == 1
    finally:
        store.close()


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    """Delays under two seconds: one free failure, then 0.4, 0.8, 1.6, capped at 1.6."""
    monkeypatch.setattr(throttle, "FREE_FAILURES", 1)
    monkeypatch.setattr(throttle, "FIRST_DELAY", 0.4)
    monkeypatch.setattr(throttle, "DELAY_MAX", 1.6)


def timed_get(url: str, token: str) -> tuple[int, float]:
    started = time.monotonic()
    response = httpx.get(f"{url}/api/v1/queue/size", timeout=30,
                         headers={"Authorization": f"Bearer {token}"})
    return response.status_code, time.monotonic() - started


@pytest.fixture
def two_hubs(tmp_path: Path) -> Iterator[tuple[ThreadHub, ThreadHub]]:
    """Two hub processes' worth of hubs over one database file."""
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    first, second = ThreadHub(db, tokens).start(), ThreadHub(db, tokens).start()
    yield first, second
    first.stop()
    second.stop()


def test_wrong_tokens_wait_longer_each_time_and_a_right_one_never_waits(
        quick: None, hub: ThreadHub) -> None:
    waits = []
    for _ in range(5):
        status, took = timed_get(hub.url, "dsd_guess")
        assert status == 401
        waits.append(took)
    assert waits[0] < 0.35
    assert 0.4 <= waits[1] < 0.75 and 0.8 <= waits[2] < 1.4 and 1.6 <= waits[3] < 2.4
    assert 1.6 <= waits[4] < 2.4  # capped: still a 401, never a lock-out
    # While a guess waits out its delay, the same address's right token is answered at once:
    # the wait is an asyncio sleep, holding no thread and no lock.
    guess = threading.Thread(target=timed_get, args=(hub.url, "dsd_guess"))
    guess.start()
    time.sleep(0.2)
    status, took = timed_get(hub.url, hub.tokens["officer-a"])
    guess.join()
    assert status == 200 and took < 0.8
    store = Store(hub.db)
    try:
        assert throttle.failures(store.conn, "token:127.0.0.1") == 6
    finally:
        store.close()


def test_a_missing_token_is_not_counted(quick: None, hub: ThreadHub) -> None:
    for _ in range(4):
        started = time.monotonic()
        assert httpx.get(f"{hub.url}/api/v1/queue/size", timeout=30).status_code == 401
        assert time.monotonic() - started < 0.35
    conn = sqlite3.connect(hub.db)
    assert conn.execute("SELECT count(*) FROM throttle").fetchone() == (0,)
    conn.close()


def test_every_hub_over_the_database_counts_the_same_failures(
        quick: None, two_hubs: tuple[ThreadHub, ThreadHub]) -> None:
    first, second = two_hubs
    for _ in range(3):
        assert timed_get(first.url, "dsd_guess")[0] == 401
    status, took = timed_get(second.url, "dsd_guess")  # the fourth failure, on the other hub
    assert status == 401 and took >= 1.6
