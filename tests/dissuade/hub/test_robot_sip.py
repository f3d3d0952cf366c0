"""The robot over a real SIP call: the hub started with a baresip control port (`--dialer-sip`)
calls the person, plays the type's spoken voice warning into the call (aufile), and the person,
a second baresip on loopback that answers by itself, presses 1 (RFC 4733 DTMF, sent with
baresip's /sndcode): the robot records the warning dissuaded, or with 0 hands it to people."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from dissuade.gateways import baresip
from dissuade.gateways.robot_dialer import RobotDialer
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import ThreadHub, make_users
from tests.softphones import free_pair, softphone, wait_port

NATIONAL = "13900000001"  # the made-up person of warning_data(1), dialled on loopback only


def _silence(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\0\0" * int(8000 * seconds))
    return path


@pytest.fixture
def phones(tmp_path: Path) -> Iterator[tuple[int, int, Path]]:
    """The robot's baresip (its one line) and the person's, answering by itself: their control
    ports and the robot's log."""
    if shutil.which("baresip") is None or not os.path.exists("/usr/lib/baresip/modules/ctrl_tcp.so"):
        pytest.fail("baresip is not installed: `bash scripts/setup.sh test` installs it "
                    "(Debian package baresip-core)")
    robot_sip, person_sip = free_pair(), free_pair()
    while abs(robot_sip - person_sip) < 2:
        person_sip = free_pair()
    robot_ctl, person_ctl = free_pair(), free_pair()
    quiet = _silence(tmp_path / "silence.wav", 30)
    procs = [
        softphone(tmp_path / "person", sip=person_sip, control=person_ctl, audio=quiet,
                   account=f"<sip:{NATIONAL}@127.0.0.1:{person_sip}>;regint=0;answermode=auto"),
        softphone(tmp_path / "robot", sip=robot_sip, control=robot_ctl, audio=quiet,
                   account=f"<sip:robot@127.0.0.1:{person_sip}>;regint=0"),
    ]
    try:
        wait_port(robot_ctl)
        wait_port(person_ctl)
        yield robot_ctl, person_ctl, tmp_path / "robot" / "baresip.log"
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _press_when_answered(person_ctl: int, key: str, heard: dict[str, float]) -> threading.Thread:
    """The person: once the call is up, listens a second, then presses `key`."""
    def run() -> None:
        with baresip.Control(f"127.0.0.1:{person_ctl}") as person:
            for message in person.messages(time.monotonic() + 60):
                if message and message.get("type") == "CALL_ESTABLISHED":
                    heard["answered"] = time.time()
                    time.sleep(1.0)
                    person.send("sndcode", key)
                    heard["pressed"] = time.time()
                if message and message.get("type") == "CALL_CLOSED":
                    heard["closed"] = time.time()
                    return
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize(("key", "result"), [("1", "confirmed"), ("0", "key_0")])
def test_the_robot_calls_over_sip_plays_the_voice_warning_and_hears_the_key(
        tmp_path: Path, phones: tuple[int, int, Path], key: str, result: str) -> None:
    robot_ctl, person_ctl, robot_log = phones
    db = tmp_path / "hub.db"
    tokens = make_users(db)
    store = Store(db)
    store.update_settings({"robot_hours": ["00:00", "24:00"], "robot_sample_rate": 0,
                           "dialer_timeout_seconds": 60}, user="lead-1")
    store.close()
    heard: dict[str, float] = {}
    person = _press_when_answered(person_ctl, key, heard)
    # The real voice: the playbook's warning and the key prompt, spoken, as telephone audio.
    hub = ThreadHub(db, tokens, app_options={
        "robot": RobotDialer.from_sip(f"127.0.0.1:{robot_ctl}"),
        "robot_options": {"every": 0.05}}).start()
    try:
        answer = httpx.post(f"{hub.url}/api/v1/warnings", timeout=10,
                            json=warning_data(1, synthetic=False, risk_level="low",
                                              scam_type="fake_customer_service"),
                            headers={"Authorization": f"Bearer {tokens['feed-1']}"})
        assert answer.status_code == 201, answer.text
        wid = int(answer.json()["id"])
        person.join(timeout=60)
        assert "pressed" in heard and "closed" in heard, heard
        deadline = time.monotonic() + 20
        while True:
            store = Store(db, create=False)
            try:
                calls, warning = store.robot_calls(wid), store.warning(wid)
                attempts = store.get(wid).attempts
            finally:
                store.close()
            if calls and calls[0]["state"] == "done":
                break
            assert time.monotonic() < deadline, calls
            time.sleep(0.1)
    finally:
        hub.stop()
    (call,) = calls
    assert (call["answered"], call["keys"], call["result"]) == (1, key, result)
    # The robot hung up at the key: the call lasted from the answer to the key press.
    assert 0.8 < call["seconds"] < 5
    if key == "1":
        assert (warning.status, warning.last_outcome) == ("closed", "dissuaded")
    else:  # wants an officer: the people's queue at once, one level higher
        assert (warning.status, warning.risk_level, warning.claimed_by) == ("retry", "medium", None)
        assert call["handed"] == "key_0"
    (attempt,) = attempts
    assert attempt.officer == "robot" and "请按1" in attempt.notes  # the prompt, for the lead
    # The call's audio was the robot's voice file for the type.
    played = robot_log.read_text(encoding="utf-8", errors="replace")
    assert "robot-fake_customer_service-zh.wav" in played
