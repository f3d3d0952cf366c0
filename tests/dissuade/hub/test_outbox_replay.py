"""The outbox: whose items are whose, when they are sent, and what becomes of a refused one.

Kept by hub and user (a rotated token still finds its items; items an earlier version kept under
the token's hash are adopted); replayed on a thread of its own as soon as any call reaches the
hub; three unexpected answers make an item a conflict while other warnings' items go on and its
own warning's wait behind it; a refused token keeps everything and says so; one replayer at a
time, even with two sources over one outbox file.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

from dissuade.sources import LinkState
from dissuade.sources.http import HttpSource
from dissuade.sources.outbox import UNPROVEN
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import FaultyProxy, ProcessHub, ThreadHub, make_users


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("not within the time")
        time.sleep(0.02)


def post_warnings(hub_url: str, token: str, tmp_path: Path, *numbers: int) -> list[int]:
    feed = HttpSource(hub_url, token=token, outbox_path=str(tmp_path / "feed-outbox.db"))
    try:
        return [int(feed.add_warning(warning_data(n)).id) for n in numbers]
    finally:
        feed.close()


def status_of(db: Path, warning_id: int) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("SELECT status FROM warnings WHERE id = ?",
                                (warning_id,)).fetchone()[0])
    finally:
        conn.close()


def test_a_rotated_token_still_finds_its_users_items_and_no_one_else_sees_them(
        tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ProcessHub(db).start()
    (wid,) = post_warnings(hub.url, tokens["feed-1"], tmp_path, 1)
    outbox = str(tmp_path / "outbox.db")
    officer = HttpSource(hub.url, token=tokens["officer-a"], outbox_path=outbox)
    officer.claim(wid)
    hub.kill()
    kept = officer.record_attempt(wid, outcome="dissuaded", notes="离线时劝阻成功")
    assert kept.pending and officer.outbox_status()[0] == 1
    officer.close()
    store = Store(db)  # the admin rotates the token while the hub is down
    rotated = store.add_user("officer-a", role="officer", rotate=True)
    store.close()
    hub = ProcessHub(db, port=hub.port).start()
    try:
        other = HttpSource(hub.url, token=tokens["officer-b"], outbox_path=outbox)
        assert other.outbox_status() == (0, [])  # officer-b's items, not officer-a's
        other.close()
        again = HttpSource(hub.url, token=rotated, outbox_path=outbox)
        # Signing in reached the hub: what waited is sent without another write.
        wait_until(lambda: again.outbox_status() == (0, []))
        assert status_of(db, wid) == "closed"
        again.close()
    finally:
        hub.kill()


def _old_outbox(path: Path, rows: list[tuple[str, int, str]], me: dict[str, str]) -> None:
    """An outbox file as the previous version wrote it: rows keyed by a hash of hub and token."""
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, hub TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('attempt', 'escalation')),
            warning_id INTEGER NOT NULL, client_id TEXT NOT NULL, payload TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'conflict')),
            error TEXT, created_at REAL NOT NULL, UNIQUE (hub, kind, client_id));
        CREATE TABLE cache (hub TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                            PRIMARY KEY (hub, key));
    """)
    for n, (key, wid, notes) in enumerate(rows):
        payload = {"client_id": f"00000000-0000-4000-8000-{n:012d}", "outcome": "dissuaded",
                   "notes": notes}
        conn.execute("INSERT INTO outbox (hub, kind, warning_id, client_id, payload, created_at) "
                     "VALUES (?, 'attempt', ?, ?, ?, 0)",
                     (key, wid, payload["client_id"], json.dumps(payload, ensure_ascii=False)))
    for key, name in me.items():
        conn.execute("INSERT INTO cache VALUES (?, 'me', ?)",
                     (key, json.dumps({"name": name, "role": "officer"})))
    conn.commit()
    conn.close()


def test_items_an_earlier_version_kept_under_the_token_are_adopted(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ThreadHub(db, tokens).start()
    try:
        wid, elsewhere = post_warnings(hub.url, tokens["feed-1"], tmp_path, 1, 2)
        first = HttpSource(hub.url, token=tokens["officer-a"],
                           outbox_path=str(tmp_path / "claims.db"))
        first.claim(wid)
        first.close()
        this_token = hashlib.sha256(f"{hub.url}|{tokens['officer-a']}".encode()).hexdigest()[:16]
        path = tmp_path / "outbox.db"
        _old_outbox(path, [(this_token, wid, "本令牌暂存"),
                           ("0123456789abcdef", elsewhere, "旧令牌暂存"),
                           ("fedcba9876543210", wid, "别人的")],
                    me={"0123456789abcdef": "officer-a", "fedcba9876543210": "officer-b"})
        officer = HttpSource(hub.url, token=tokens["officer-a"], outbox_path=str(path))
        # This token's item is this user's on this hub for certain: it is sent.
        wait_until(lambda: officer.outbox_status()[0] == 0)
        assert status_of(db, wid) == "closed"
        # Kept under another of officer-a's tokens: shown to check, never sent to a hub it may
        # not belong to; officer-b's item is not officer-a's to see.
        waiting, conflicts = officer.outbox_status()
        assert [(c.warning_id, c.payload["notes"]) for c in conflicts] == [(elsewhere, "旧令牌暂存")]
        assert (conflicts[0].error or "").startswith(UNPROVEN)
        assert status_of(db, elsewhere) == "new"
        officer.resolve_conflict(conflicts[0].seq)
        assert officer.outbox_status() == (0, [])
        officer.close()
    finally:
        hub.stop()


def test_any_call_that_reaches_the_hub_sends_what_waits_without_waiting_for_it(
        tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ProcessHub(db).start()
    ids = post_warnings(hub.url, tokens["feed-1"], tmp_path, 1, 2)
    officer = HttpSource(hub.url, token=tokens["officer-a"],
                         outbox_path=str(tmp_path / "outbox.db"))
    states: list[LinkState] = []
    officer.watch_link(states.append)
    for wid in ids:
        officer.claim(wid)
    hub.kill()
    officer.record_attempt(ids[0], outcome="dissuaded")
    assert states and not states[-1].online and states[-1].waiting == 1  # said at once
    officer.record_attempt(ids[1], outcome="not_fraud")
    assert officer.outbox_status()[0] == 2
    hub = ProcessHub(db, port=hub.port).start()
    try:
        started = time.monotonic()
        officer.wait_for_changes(after=0, after_warning=0, timeout=0)  # the live look, a read
        assert time.monotonic() - started < 1.0
        # The replayer tells the listeners after the outbox empties (from its own thread).
        wait_until(lambda: officer.outbox_status() == (0, []) and states[-1].waiting == 0)
        assert [status_of(db, w) for w in ids] == ["closed", "closed"]
        assert states[-1] == LinkState(online=True, waiting=0, conflicts=0, signed_in=True,
                                       serial=states[-1].serial)
    finally:
        officer.close()
        hub.kill()


def test_three_unexpected_answers_make_a_conflict_and_hold_only_that_warning(
        tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ThreadHub(db, tokens).start()
    proxy = FaultyProxy(hub.url).start()
    try:
        w1, w2 = post_warnings(hub.url, tokens["feed-1"], tmp_path, 1, 2)
        officer = HttpSource(proxy.url, token=tokens["officer-a"],
                             outbox_path=str(tmp_path / "outbox.db"))
        officer.claim(w1)
        officer.claim(w2)
        proxy.stop()
        officer.propose_escalation(w1, kind="door_visit", reason="电话一直占线")
        officer.record_attempt(w1, outcome="busy")
        officer.record_attempt(w2, outcome="dissuaded")
        assert officer.outbox_status()[0] == 3
        proposal = f"/api/v1/warnings/{w1}/escalations"
        attempts_w1, attempts_w2 = (f"/api/v1/warnings/{w}/attempts" for w in (w1, w2))
        proxy.faults[proposal] = (500, "<html>Internal Server Error</html>")
        proxy.start()
        for _ in range(5):
            officer.replay_outbox()
            if officer.outbox_status()[1]:
                break
        waiting, conflicts = officer.outbox_status()
        assert proxy.count("POST", proposal) == 3  # a conflict after exactly three
        assert [c.warning_id for c in conflicts] == [w1] and "3" in (conflicts[0].error or "")
        assert proxy.count("POST", attempts_w2) == 1 and status_of(db, w2) == "closed"
        # w1's outcome never overtakes w1's proposal: it waits behind the conflict.
        assert waiting == 1 and proxy.count("POST", attempts_w1) == 0
        del proxy.faults[proposal]
        assert officer.replay_outbox() == (0, 1)
        assert proxy.count("POST", attempts_w1) == 0
        officer.resolve_conflict(conflicts[0].seq)  # the officer re-enters it, or drops it
        wait_until(lambda: officer.outbox_status() == (0, []))
        assert proxy.count("POST", attempts_w1) == 1 and status_of(db, w1) == "retry"
        officer.close()
    finally:
        proxy.stop()
        hub.stop()


def test_a_page_that_is_not_json_counts_as_unexpected(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ThreadHub(db, tokens).start()
    proxy = FaultyProxy(hub.url).start()
    try:
        (wid,) = post_warnings(hub.url, tokens["feed-1"], tmp_path, 1)
        officer = HttpSource(proxy.url, token=tokens["officer-a"],
                             outbox_path=str(tmp_path / "outbox.db"))
        officer.claim(wid)
        proxy.stop()
        officer.record_attempt(wid, outcome="dissuaded")
        path = f"/api/v1/warnings/{wid}/attempts"
        proxy.faults[path] = (200, "<html>captive portal: please log in</html>")
        proxy.start()
        assert officer.replay_outbox() == (0, 1)
        assert officer.outbox_status()[0] == 1 and status_of(db, wid) == "claimed"
        del proxy.faults[path]
        # Sent once the page is right: by this call, or by the replayer that any call reaching
        # the hub wakes (then this one finds the item taken and sends nothing).
        assert officer.replay_outbox() in ((1, 0), (0, 0))
        wait_until(lambda: officer.outbox_status()[0] == 0 and status_of(db, wid) == "closed")
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT count(*) FROM attempts WHERE warning_id = ?",
                            (wid,)).fetchone() == (1,)  # once, whoever sent it
        conn.close()
        officer.close()
    finally:
        proxy.stop()
        hub.stop()


def test_a_refused_token_keeps_the_items_and_says_sign_in_again(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ProcessHub(db).start()
    (wid,) = post_warnings(hub.url, tokens["feed-1"], tmp_path, 1)
    officer = HttpSource(hub.url, token=tokens["officer-a"],
                         outbox_path=str(tmp_path / "outbox.db"))
    states: list[LinkState] = []
    officer.watch_link(states.append)
    officer.claim(wid)
    hub.kill()
    assert officer.record_attempt(wid, outcome="dissuaded").pending
    store = Store(db)
    store.revoke_user("officer-a")
    store.close()
    hub = ProcessHub(db, port=hub.port).start()
    try:
        assert officer.replay_outbox() == (0, 1)
        assert not officer.link_state().signed_in and states[-1].signed_in is False
        assert officer.outbox_status() == (1, [])  # kept, not a conflict
        # Later outcomes are kept too, and said to be, rather than refused.
        assert officer.record_attempt(wid, outcome="busy").pending
        assert officer.outbox_status() == (2, [])
    finally:
        officer.close()
        hub.kill()


def test_two_sources_over_one_outbox_send_each_item_once(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ThreadHub(db, tokens).start()
    proxy = FaultyProxy(hub.url).start()
    try:
        ids = post_warnings(hub.url, tokens["feed-1"], tmp_path, *range(1, 9))
        outbox = str(tmp_path / "outbox.db")
        one = HttpSource(proxy.url, token=tokens["officer-a"], outbox_path=outbox)
        two = HttpSource(proxy.url, token=tokens["officer-a"], outbox_path=outbox)
        for wid in ids:
            one.claim(wid)
        proxy.stop()
        for wid in ids:
            one.record_attempt(wid, outcome="dissuaded")
        assert two.outbox_status()[0] == len(ids)  # the same user's outbox
        proxy.start()
        go = threading.Barrier(2)

        def replay(source: HttpSource) -> None:
            go.wait()
            source.replay_outbox()

        threads = [threading.Thread(target=replay, args=(s,)) for s in (one, two)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        wait_until(lambda: one.outbox_status()[0] == 0 and two.outbox_status()[0] == 0)
        assert [proxy.count("POST", f"/api/v1/warnings/{w}/attempts") for w in ids] == [1] * 8
        one.close()
        two.close()
    finally:
        proxy.stop()
        hub.stop()
