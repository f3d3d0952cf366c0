"""The hub's robot with a real dialer command and webhook: a warning arriving at the hub is
called, its answer recorded for the lead; a dialer that hangs, crashes, answers garbage or
refuses is a failed call, retried within the policy; one slow call never holds the other lines."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import Warning
from dissuade.gateways.delivery import GatewayRefused
from dissuade.gateways.robot_dialer import RobotDialer, Voice, telephone_audio
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import ThreadHub, make_users
from tests.webhooks import Webhook, webhook

# The dialer: what it does for a phone is in a JSON file (confirm, key0, noanswer, garbage,
# crash, hang, slow); every call is logged with the WAV it was given.
DIALER = """\
import json, sys, time
modes, log, phone, wav = sys.argv[1:5]
mode = json.load(open(modes, encoding="utf-8")).get(phone, "confirm")
with open(log, "a", encoding="utf-8") as out:
    out.write(json.dumps({"phone": phone, "wav": wav, "mode": mode, "at": time.time()}) + "\\n")
if mode == "hang":
    time.sleep(120)
if mode == "slow":
    time.sleep(4)
if mode == "crash":
    print("Traceback: the dialer fell over", file=sys.stderr)
    sys.exit(3)
if mode == "garbage":
    print("call placed, thank you")
    sys.exit(0)
keys = {"confirm": "1", "slow": "1", "key0": "0"}.get(mode, "")
print("dialling...")
print(json.dumps({"answered": mode != "noanswer", "keys": keys, "seconds": 7}))
"""


class Clock:
    """The policy's clock for the hub's robot: the real one, moved on by the test."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


def _voice(folder: Path) -> Callable[[Warning], Voice]:
    """A short voice WAV per type (the real synthesis is tested with the SIP call)."""
    def make(warning: Warning) -> Voice:
        path = folder / f"{warning.scam_type}.wav"
        if not path.exists():
            import wave
            with wave.open(str(path), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(8000)
                w.writeframes(b"\0\0" * 8000)
        return Voice(path, f"voice warning for {warning.scam_type}", 1.0)
    return make


def _hub(tmp_path: Path, dialer: RobotDialer, clock: Clock, **settings: Any) -> tuple[ThreadHub, dict[str, str]]:
    db = tmp_path / "hub.db"
    tokens = make_users(db)
    store = Store(db)
    store.update_settings({"robot_hours": ["00:00", "24:00"], "robot_sample_rate": 0,
                           **settings}, user="lead-1")
    store.close()
    hub = ThreadHub(db, tokens, app_options={"robot": dialer, "robot_options": {
        "every": 0.05, "clock": clock, "voice": _voice(tmp_path)}}).start()
    return hub, tokens


def _command(tmp_path: Path, modes: dict[str, str]) -> tuple[RobotDialer, Path, Path]:
    script = tmp_path / "dialer.py"
    script.write_text(DIALER, encoding="utf-8")
    modes_file, log = tmp_path / "modes.json", tmp_path / "calls.log"
    modes_file.write_text(json.dumps(modes), encoding="utf-8")
    command = f"{sys.executable} {script} {modes_file} {log} {{phone}} {{wav}}"
    return RobotDialer("command", command=command), modes_file, log


def _post(hub: ThreadHub, tokens: dict[str, str], n: int, **more: object) -> int:
    data = warning_data(n, **{"synthetic": False, "risk_level": "medium", **more})
    answer = httpx.post(f"{hub.url}/api/v1/warnings", json=data, timeout=10,
                        headers={"Authorization": f"Bearer {tokens['feed-1']}"})
    assert answer.status_code == 201, answer.text
    return int(answer.json()["id"])


def _detail(hub: ThreadHub, tokens: dict[str, str], wid: int) -> dict[str, Any]:
    answer = httpx.get(f"{hub.url}/api/v1/warnings/{wid}", timeout=10,
                       headers={"Authorization": f"Bearer {tokens['lead-1']}"})
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _wait(what: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not what():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.05)


def _calls(db: Path, wid: int) -> list[dict[str, Any]]:
    store = Store(db, create=False)
    try:
        return store.robot_calls(wid)
    finally:
        store.close()


def test_a_warning_arriving_at_the_hub_is_called_by_the_robot_and_the_lead_hears_of_it(
        tmp_path: Path) -> None:
    dialer, _modes, log = _command(tmp_path, {"+8613900000002": "key0"})
    hub, tokens = _hub(tmp_path, dialer, Clock())
    try:
        confirmed = _post(hub, tokens, 1)
        handed = _post(hub, tokens, 2)
        emergency = _post(hub, tokens, 3, risk_level="emergency")
        _wait(lambda: _detail(hub, tokens, confirmed)["status"] == "closed"
              and _detail(hub, tokens, handed)["status"] == "retry")
        (attempt,) = _detail(hub, tokens, confirmed)["attempts"]
        assert (attempt["officer"], attempt["outcome"]) == ("robot", "dissuaded")
        assert "voice warning for fake_investment" in attempt["notes"]
        assert "keys: 1" in attempt["notes"] and "seconds: 7" in attempt["notes"]
        raised = _detail(hub, tokens, handed)
        assert raised["risk_level"] == "high" and raised["attempts"][0]["outcome"] == "callback"
        assert _detail(hub, tokens, emergency)["attempts"] == []
        called = [json.loads(line)["phone"] for line in log.read_text().splitlines()]
        assert sorted(called) == ["+8613900000001", "+8613900000002"]  # never the emergency
        stats = httpx.get(f"{hub.url}/api/v1/stats", timeout=10,
                          headers={"Authorization": f"Bearer {tokens['lead-1']}"}).json()
        assert stats["robot_confirmed"] == 1
        report = httpx.get(f"{hub.url}/api/v1/report", timeout=10,
                           headers={"Authorization": f"Bearer {tokens['lead-1']}"}).json()
        assert report["robot"]["lines_on"] == 4  # the policy's robot_lines
        assert report["robot"]["handed"] == {"key_0": 1}
    finally:
        hub.stop()


def test_bad_answers_are_failed_calls_retried_and_one_slow_call_holds_no_other_line(
        tmp_path: Path) -> None:
    modes = {"+8613900000001": "hang", "+8613900000002": "crash",
             "+8613900000003": "garbage", "+8613900000004": "slow"}
    dialer, modes_file, log = _command(tmp_path, modes)
    clock = Clock()
    hub, tokens = _hub(tmp_path, dialer, clock, dialer_timeout_seconds=10)
    try:
        started = time.monotonic()
        hang, crash, garbage, slow = (_post(hub, tokens, n) for n in (1, 2, 3, 4))
        # Crash and garbage are failed calls at once, while the hung call still rings.
        _wait(lambda: all(_calls(hub.db, w)[0]["result"] == "failed" for w in (crash, garbage)))
        assert _calls(hub.db, hang)[0]["state"] == "calling"
        _wait(lambda: _detail(hub, tokens, slow)["status"] == "closed")
        assert _calls(hub.db, hang)[0]["state"] == "calling"  # 4 s later: still its own line
        assert time.monotonic() - started < 9
        assert "exit" in _calls(hub.db, crash)[0]["detail"] or "(3)" in _calls(hub.db, crash)[0]["detail"]
        assert "call placed, thank you" in _calls(hub.db, garbage)[0]["detail"]
        # The hung call ends at the policy's dialer_timeout_seconds as a failed call.
        _wait(lambda: _calls(hub.db, hang)[0]["state"] == "done", seconds=25)
        assert 9.5 < time.monotonic() - started < 25
        assert "timed out" in _calls(hub.db, hang)[0]["detail"]
        for wid in (hang, crash, garbage):
            calls = _calls(hub.db, wid)
            assert [c["state"] for c in calls] == ["done", "due"]  # retried, not before its time
            assert calls[1]["due_at"] == pytest.approx(calls[0]["ended_at"] + 15 * 60)
            notes = _detail(hub, tokens, wid)["attempts"][0]["notes"]
            assert "外呼失败" in notes  # reported to the lead
        # Fifteen minutes on (the policy's clock), the dialer behaves: the retries get through.
        modes_file.write_text("{}", encoding="utf-8")
        clock.offset += 15 * 60 + 1
        _wait(lambda: all(_detail(hub, tokens, w)["status"] == "closed"
                          for w in (hang, crash, garbage)))
        assert len(log.read_text().splitlines()) == 7
    finally:
        hub.stop()


def test_a_webhook_dialer_posts_the_voice_and_its_refusal_is_a_failed_call(
        tmp_path: Path) -> None:
    with webhook(Webhook(status=503, body=b"lines down")) as hook:
        hub, tokens = _hub(tmp_path, RobotDialer("webhook", webhook=hook.url), Clock())
        try:
            wid = _post(hub, tokens, 1)
            _wait(lambda: bool(_calls(hub.db, wid)) and _calls(hub.db, wid)[0]["state"] == "done")
            assert "503" in _calls(hub.db, wid)[0]["detail"]
            path, kind, body = hook.received[0]
            assert b'"phone": "+8613900000001"' in body and b"RIFF" in body
        finally:
            hub.stop()


def test_the_dialer_itself_refuses_what_cannot_work(tmp_path: Path) -> None:
    voice = Voice(tmp_path / "v.wav", "x", 1.0)
    warning = Warning(id=1, status="claimed", source="bank", external_id=None,  # type: ignore[arg-type]
                      phone="+8613900000001", name="", scam_type="fake_loan", risk_level="low",
                      reported_at=None, arrived_at=0, deadline=0, synthetic=True)
    with pytest.raises(GatewayRefused, match="never called"):
        RobotDialer("command", command="true").call(1, warning, voice, timeout=1)
    real = replace(warning, synthetic=False)
    with pytest.raises(GatewayRefused, match="timed out"):
        RobotDialer("command", command="sleep 5").call(1, real, voice, timeout=0.5)
    with pytest.raises(GatewayRefused, match="could not run"):
        RobotDialer("command", command="no-such-dialer-xyz {phone}").call(1, real, voice,
                                                                          timeout=1)
    with pytest.raises(InvalidInput, match="HOST:PORT"):
        RobotDialer.from_sip("127.0.0.1:5000,nowhere").check()
    with pytest.raises(InvalidInput, match="its own"):
        RobotDialer.from_sip("127.0.0.1:5000,127.0.0.1:5000").check()


def test_telephone_audio_is_8khz_mono_with_the_silence_for_the_key(tmp_path: Path) -> None:
    import wave
    source = tmp_path / "in.wav"
    with wave.open(str(source), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\x10\x00\x20\x00" * 22050)  # one second
    out = telephone_audio(source, tmp_path / "out.wav", silence=2.0)
    with wave.open(str(out), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 8000)
        assert abs(w.getnframes() - 3 * 8000) <= 2

