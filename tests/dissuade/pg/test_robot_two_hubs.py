"""Two hubs over one PostgreSQL database share one robot: every person is robot-called once, never
by both hubs at once, and the policy's robot lines cap the calls at once across both."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import httpx
import psycopg

from dissuade.domain.models import Warning
from dissuade.gateways.robot_dialer import RobotDialer, Voice
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import ThreadHub, make_users

PEOPLE = 24
# Each call is logged as it starts and ends, then answers key 1 after a moment on the line.
DIALER = """\
import json, sys, time
log, phone = sys.argv[1:3]
start = time.time()
time.sleep(0.3)
with open(log, "a", encoding="utf-8") as out:
    out.write(json.dumps({"phone": phone, "start": start, "end": time.time()}) + "\\n")
print(json.dumps({"answered": True, "keys": "1", "seconds": 0.3}))
"""


def _voice(folder: Path):  # type: ignore[no-untyped-def]
    def make(warning: Warning) -> Voice:
        path = folder / "v.wav"
        if not path.exists():
            import wave
            with wave.open(str(path), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(8000)
                w.writeframes(b"\0\0" * 800)
        return Voice(path, "voice", 0.1)
    return make


def test_two_hubs_share_one_robot_and_call_each_person_once(pg_url: str, tmp_path: Path) -> None:
    tokens = make_users(pg_url)  # type: ignore[arg-type]
    store = Store(pg_url)
    store.update_settings({"robot_hours": ["00:00", "24:00"], "robot_sample_rate": 0,
                           "robot_lines": 4}, user="lead-1")
    store.close()
    script, log = tmp_path / "dialer.py", tmp_path / "calls.log"
    script.write_text(DIALER, encoding="utf-8")
    dialer = RobotDialer("command", command=f"{sys.executable} {script} {log} {{phone}}")
    options = {"every": 0.05, "voice": _voice(tmp_path)}
    hubs = [ThreadHub(pg_url, tokens, app_options={  # type: ignore[arg-type]
        "robot": dialer, "robot_options": options}).start() for _ in range(2)]
    try:
        auth = {"Authorization": f"Bearer {tokens['feed-1']}"}
        for n in range(PEOPLE):  # half of the people reported twice, through either hub
            for hub in hubs[: 1 + n % 2]:
                data = warning_data(n, synthetic=False, risk_level="low",
                                    external_id=f"{hub.port}-{n}")
                r = httpx.post(f"{hub.url}/api/v1/warnings", json=data, headers=auth, timeout=10)
                assert r.status_code == 201, r.text
        deadline = time.monotonic() + 60
        with psycopg.connect(pg_url) as conn:
            while conn.execute("SELECT count(*) FROM warnings WHERE status != 'closed'"
                               ).fetchone() != (0,):
                assert time.monotonic() < deadline, "the robot did not call everyone"
                time.sleep(0.2)
            lines = {str(line).rsplit("/", 1)[0] for (line,) in conn.execute(
                "SELECT line FROM robot_calls")}
    finally:
        for hub in hubs:
            hub.stop()
    calls = [json.loads(line) for line in log.read_text().splitlines()]
    by_phone: dict[str, int] = {}
    for call in calls:
        by_phone[call["phone"]] = by_phone.get(call["phone"], 0) + 1
    assert len(by_phone) == PEOPLE and set(by_phone.values()) == {1}, "someone called twice"
    assert len(lines) == 2, "both hubs' lines made calls"
    moments = sorted([(c["start"], 1) for c in calls] + [(c["end"], -1) for c in calls])
    at_once = most = 0
    for _t, step in moments:
        at_once += step
        most = max(most, at_once)
    assert 1 < most <= 4  # lines in parallel, never more than the policy's robot_lines
