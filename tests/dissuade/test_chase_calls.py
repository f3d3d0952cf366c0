"""Chase calls made for real: a dialer command gets the phone and a spoken WAV, each call's result
is recorded, two dialers never ring the same call, and the hub makes them on its own."""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

import httpx

from dissuade import open_source
from dissuade.gateways import escalation_ops
from dissuade.gateways.dialer import Dialer
from dissuade.sources import LocalSource
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import ThreadHub, make_users

DIALER = """\
import json, sys, wave
phone, wav, warning_id, log, answer = sys.argv[1:]
with wave.open(wav, "rb") as w:
    seconds = w.getnframes() / w.getframerate()
with open(log, "a", encoding="utf-8") as fh:
    fh.write(json.dumps({"phone": phone, "warning_id": warning_id, "seconds": seconds}) + "\\n")
if answer == "busy":
    sys.stderr.write("no answer after 40 s")
    sys.exit(3)
print("played to the end")
"""


def _dialer(tmp_path: Path, answer: str) -> tuple[Dialer, Path]:
    script, log = tmp_path / "dial.py", tmp_path / "calls.jsonl"
    script.write_text(DIALER, encoding="utf-8")
    command = f'"{sys.executable}" "{script}" {{phone}} {{wav}} {{warning_id}} "{log}" {answer}'
    return Dialer("command", command=command), log


def _scheduled(store: Store, n: int = 1, *, synthetic: bool = False) -> tuple[int, int]:
    wid = int(store.add_warning(warning_data(n, synthetic=synthetic, risk_level="medium",
                                             scam_type="fake_loan"), actor="feed")[0].id)
    store.claim(wid, user="officer-a")
    e = store.propose_escalation(wid, user="officer-a", kind="chase_call", reason="连续四次未接通")
    store.decide_escalation(e.id, decision="approve", user="lead-1")
    return wid, int(e.id)


def test_a_call_that_gets_through_ends_the_schedule(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    wid, eid = _scheduled(store)
    gateway, log = _dialer(tmp_path, "answer")
    (call,) = escalation_ops.run_chase_calls(store, gateway=gateway, folder=tmp_path / "voice")
    assert call.ok and call.result == "played to the end"
    (dialled,) = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert dialled["phone"] == "+8613900000001" and dialled["warning_id"] == str(wid)
    assert 5 < dialled["seconds"] <= 40  # the type's voice warning, spoken for real
    assert store.escalation(eid).status == "done"
    assert store.get(wid).status == "retry"  # an officer follows it up
    assert escalation_ops.run_chase_calls(store, gateway=gateway, folder=tmp_path) == []
    store.close()


def test_unanswered_calls_are_each_recorded_and_spaced(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    _wid, eid = _scheduled(store)
    gateway, log = _dialer(tmp_path, "busy")
    (first,) = escalation_ops.run_chase_calls(store, gateway=gateway, folder=tmp_path)
    assert first.ok is False and "no answer after 40 s" in first.result
    # The next call waits its interval (10 minutes by default), however late this one was.
    assert escalation_ops.run_chase_calls(store, gateway=gateway, folder=tmp_path) == []
    calls = store.chase_calls(eid)
    assert calls[1].due_at >= (first.called_at or 0) + 600
    assert store.escalation(eid).status == "scheduled"
    steps = [s.status for s in store.escalation_steps(eid)]
    assert steps == ["proposed", "approved", "scheduled"]
    actions = [a for (a,) in store.conn.execute(
        "SELECT action FROM audit WHERE entity = 'escalation' AND entity_id = ?", (eid,))]
    assert actions.count("chase.call") == 1 and actions.count("chase.claim") == 1
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1
    store.close()


def test_synthetic_warnings_are_never_dialled(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    _wid, eid = _scheduled(store, synthetic=True)
    gateway, log = _dialer(tmp_path, "answer")
    (call,) = escalation_ops.run_chase_calls(store, gateway=gateway, folder=tmp_path)
    assert call.ok is False and "synthetic" in call.result
    assert not log.exists()
    store.close()


def test_two_dialers_never_take_the_same_call(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    store = Store(path)
    for n in range(1, 21):
        _scheduled(store, n)
    store.close()
    taken: list[list[int]] = []
    start = threading.Barrier(4)

    def take(name: str) -> None:
        mine = Store(path)
        start.wait()
        got = []
        while calls := mine.claim_due_chase_calls(user=name, limit=2):
            got += [c.id for c in calls]
        taken.append(got)
        mine.close()

    threads = [threading.Thread(target=take, args=(f"dialer-{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    every = [c for got in taken for c in got]
    assert len(every) == len(set(every)) == 20  # the first call of each of the 20 schedules


def test_a_local_workstation_with_a_dialer_makes_the_calls(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    _wid, eid = _scheduled(store)
    store.close()
    gateway, log = _dialer(tmp_path, "answer")
    source = open_source(tmp_path / "c.db", user="officer-a")
    assert isinstance(source, LocalSource)
    assert source.run_chase_calls() == 0  # no dialer set on this workstation: calls wait
    source.dialer = gateway
    assert source.run_chase_calls() == 1
    assert source.escalation_detail(eid).escalation.status == "done"
    assert source.gateways() == {"bank": "outbox", "dialer": "command"}
    source.close()


def test_the_hub_makes_due_chase_calls_with_its_own_dialer(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    store = Store(db)
    _wid, eid = _scheduled(store)
    store.close()
    gateway, log = _dialer(tmp_path, "answer")
    hub = ThreadHub(db, tokens, app_options={"dialer": gateway, "chase_every": 0.2}).start()
    try:
        deadline = time.monotonic() + 60
        while not log.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        answer = httpx.get(f"{hub.url}/api/v1/escalations/{eid}",
                           headers={"Authorization": f"Bearer {tokens['lead-1']}"}, timeout=10)
        for _ in range(100):
            if answer.json()["status"] == "done":
                break
            time.sleep(0.1)
            answer = httpx.get(f"{hub.url}/api/v1/escalations/{eid}", timeout=10,
                               headers={"Authorization": f"Bearer {tokens['lead-1']}"})
        assert answer.json()["status"] == "done"
        assert [c["ok"] for c in answer.json()["calls"]][0] is True
        gateways = httpx.get(f"{hub.url}/api/v1/gateways", timeout=10,
                             headers={"Authorization": f"Bearer {tokens['officer-a']}"}).json()
        assert gateways == {"bank": "outbox", "dialer": "command"}
    finally:
        hub.stop()
