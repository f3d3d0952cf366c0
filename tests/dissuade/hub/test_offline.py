"""Nothing lost offline: the hub is killed, outcomes are kept, and each lands exactly once."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from dissuade.sources.http import HttpSource
from tests.conftest import warning_data
from tests.hubs import ProcessHub, make_users


def test_outcomes_recorded_while_the_hub_is_down_arrive_exactly_once(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ProcessHub(db).start()
    feed = HttpSource(hub.url, token=tokens["feed-1"], outbox_path=str(tmp_path / "f.db"))
    ids = [int(feed.add_warning(warning_data(n)).id) for n in range(4)]
    officer = HttpSource(hub.url, token=tokens["officer-a"], outbox_path=str(tmp_path / "o.db"))
    for wid in ids:
        officer.claim(wid)

    hub.kill()  # as a power cut would: no goodbye
    kept = [officer.record_attempt(wid, outcome=outcome, notes=f"离线记录 {wid}")
            for wid, outcome in zip(ids[:3], ["dissuaded", "no_answer", "already_lost"],
                                    strict=True)]
    proposal = officer.propose_escalation(ids[3], kind="door_visit", reason="电话打不通")
    assert all(a.pending for a in kept) and proposal.pending
    assert officer.outbox_status() == (4, [])
    assert officer.replay_outbox() == (0, 4)  # still down: everything stays, in order

    hub = ProcessHub(db, port=hub.port).start()
    assert officer.replay_outbox() == (4, 0)
    assert officer.replay_outbox() == (0, 0)
    hub.kill()

    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT warning_id, outcome, notes, officer, client_id FROM attempts "
                        "ORDER BY warning_id").fetchall()
    assert [(w, o, n, who) for w, o, n, who, _ in rows] == [
        (ids[0], "dissuaded", f"离线记录 {ids[0]}", "officer-a"),
        (ids[1], "no_answer", f"离线记录 {ids[1]}", "officer-a"),
        (ids[2], "already_lost", f"离线记录 {ids[2]}", "officer-a"),
    ]
    assert [r[4] for r in rows] == [a.client_id for a in kept]
    statuses = dict(conn.execute("SELECT id, status FROM warnings").fetchall())
    assert [statuses[w] for w in ids] == ["closed", "retry", "closed", "escalated"]
    (escalations,) = conn.execute("SELECT count(*) FROM escalations WHERE kind = 'door_visit'"
                                  ).fetchone()
    assert escalations == 1
    conn.close()
    officer.close()
    feed.close()


def test_a_replay_the_hub_refuses_stays_as_a_conflict(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE policy_levels SET lease_minutes = 0.02")  # a lease of 1.2 seconds
    conn.commit()
    conn.close()
    hub = ProcessHub(db).start()
    a = HttpSource(hub.url, token=tokens["officer-a"], outbox_path=str(tmp_path / "a.db"))
    b = HttpSource(hub.url, token=tokens["officer-b"], outbox_path=str(tmp_path / "b.db"))
    lead = HttpSource(hub.url, token=tokens["lead-1"], outbox_path=str(tmp_path / "l.db"))
    (wid,) = [int(lead.add_warning(warning_data(1)).id)]
    a.claim(wid)
    hub.kill()
    kept = a.record_attempt(wid, outcome="dissuaded", notes="对方已同意不再转账")
    assert kept.pending
    hub = ProcessHub(db, port=hub.port).start()
    time.sleep(1.5)  # a's lease runs out while a is offline
    taken = b.claim(wid)
    assert taken.claimed_by == "officer-b"
    assert a.replay_outbox() == (1, 0)
    waiting, conflicts = a.outbox_status()
    assert waiting == 0 and len(conflicts) == 1
    (conflict,) = conflicts
    assert conflict.warning_id == wid and conflict.payload["notes"] == "对方已同意不再转账"
    assert "officer-b" in (conflict.error or "")
    a.resolve_conflict(conflict.seq)
    assert a.outbox_status() == (0, [])
    hub.kill()
    for s in (a, b, lead):
        s.close()
