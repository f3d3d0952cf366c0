"""A policy change reaches every connected client at once, through the live long poll."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from dissuade import open_source
from dissuade.sources.http import HttpSource
from tests.hubs import ThreadHub, make_users


@pytest.mark.parametrize("kind", ["hub", "local"])
def test_a_policy_change_reaches_the_other_lead_within_one_long_poll(
        kind: str, tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db, {"lead-1": "lead", "lead-2": "lead"})
    hub = ThreadHub(db, tokens).start()
    try:
        a = HttpSource(hub.url, token=tokens["lead-1"], outbox_path=str(tmp_path / "a.db"))
        b = HttpSource(hub.url, token=tokens["lead-2"], outbox_path=str(tmp_path / "b.db")) \
            if kind == "hub" else open_source(db, user="lead-2")
        assert b.policy().shift_starts == (8, 20)
        first = b.wait_for_changes(after=0, after_warning=0, timeout=0)
        seen: list[object] = []
        poll = threading.Thread(target=lambda: seen.append(b.wait_for_changes(
            after=first.seq, after_warning=first.last_warning_id, timeout=10)))
        poll.start()
        time.sleep(0.3)  # b is waiting in its long poll
        started = time.monotonic()
        a.update_settings({"shift_starts": [7, 19]})
        poll.join(timeout=10)
        assert time.monotonic() - started <= 2.0
        (changes,) = seen
        assert changes.policy_version > first.policy_version  # type: ignore[attr-defined]
        assert b.policy().shift_starts == (7, 19)  # b wrote nothing
        a.close()
        b.close()
    finally:
        hub.stop()
