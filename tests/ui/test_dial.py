"""Dialling from the screen (F3, dialButton): a real dial command, a real URL handler and a real
softphone (baresip driven over its control port, calling a second baresip that answers by
itself); the attempt records when the call was dialled, answered and hung up."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QPushButton

from dissuade import open_source
from dissuade.domain import timeutil
from dissuade.gateways import baresip
from dissuade.store import Store
from tests.conftest import warning_data
from tests.softphones import free_pair, softphone, wait_port
from ui import MainWindow
from ui.review.history_dialog import _duration
from ui.workbench.dial import clock

PHONE = "+8613800138000"  # the person of the test centre: made up, dialled on loopback only
NATIONAL = "13800138000"

# The dial command's stand-in: writes the arguments it got, answers like the robot's dialer.
ARGV_SCRIPT = """\
import json, sys
out = sys.argv[1]
json.dump(sys.argv[2:], open(out, "w", encoding="utf-8"))
print("ringing")
print(json.dumps({"answered": True, "keys": "", "seconds": 3}))
"""


@pytest.fixture
def centre(tmp_path: Path) -> tuple[Path, int, int]:
    """One real (not synthetic) warning and one synthetic one; the officer holds neither."""
    db = tmp_path / "centre.db"
    store = Store(db)
    store.add_user("lead-1", role="lead")
    store.add_user("officer-007", role="officer")
    real = int(store.add_warning(warning_data(1, synthetic=False, phone=PHONE, name="张三"),
                                 actor="feed")[0].id)
    demo = int(store.add_warning(warning_data(2, synthetic=True), actor="feed")[0].id)
    store.close()
    return db, real, demo


@pytest.fixture(autouse=True)
def no_room_gateway(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISSUADE_DIAL_COMMAND", "DISSUADE_DIAL_URI", "DISSUADE_DIAL_SIP"):
        monkeypatch.delenv(name, raising=False)


def _open(qtbot, make_window: Callable[..., MainWindow], db: Path, warning_id: int) -> MainWindow:  # type: ignore[no-untyped-def]
    window = make_window(db)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    bench = window.workbench
    assert bench is not None
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        bench.open_warning(warning_id)
    # The officer is typing notes: F3 goes to whichever widget has the focus.
    notes = window.findChild(QPlainTextEdit, "notesEdit")
    notes.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is notes, timeout=5_000)
    return window


def _press_f3() -> float:
    pressed = time.time()
    from pytestqt.qtbot import QtBot

    QtBot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F3)
    return pressed


def _record(qtbot, window: MainWindow, key: Qt.Key = Qt.Key.Key_1):  # type: ignore[no-untyped-def]
    bench = window.workbench
    assert bench is not None
    bench.next_button.setFocus()  # outcome keys are plain digits outside the notes
    with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000) as recorded:
        qtbot.keyClick(window, key)
    return recorded.args[0]


def test_f3_runs_the_dial_command_without_a_shell(qtbot, make_window, centre, tmp_path,  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    db, real, _demo = centre
    script = tmp_path / "dial.py"
    script.write_text(ARGV_SCRIPT, encoding="utf-8")
    out = tmp_path / "argv.json"
    trap = tmp_path / "shell-ran"
    # A shell would run `touch` here; no shell means the word stays one argument, byte for byte.
    monkeypatch.setenv("DISSUADE_DIAL_COMMAND",
                       f'"{sys.executable}" "{script}" "{out}" {{phone}} {{national}} '
                       f'"x;touch {trap};$(touch {trap}){{national}}" ref-{{warning_id}}')
    window = _open(qtbot, make_window, db, real)
    dial = window.workbench.dial
    button = window.findChild(QPushButton, "dialButton")
    assert button.isEnabled() and "F3" in button.text() and "拨号" in button.text()
    with qtbot.waitSignal(dial.dial_did_finish, timeout=15_000):
        pressed = _press_f3()
    assert json.loads(out.read_text(encoding="utf-8")) == [
        PHONE, NATIONAL, f"x;touch {trap};$(touch {trap}){NATIONAL}", f"ref-{real}"]
    assert not trap.exists()
    call = dial.last_call()
    assert call is not None and pressed <= call.dialled_at <= call.hung_up_at
    # The command printed the robot's answer: answered, 3 seconds (it ran for less, so less).
    assert call.seconds is not None and call.seconds <= 3
    assert "通话结束" in window.findChild(QLabel, "dialStatus").text()

    attempt = _record(qtbot, window)
    stored = open_source(db, user="lead-1").get(real).attempts[-1]
    assert stored.id == attempt.id
    assert stored.dialled_at == pytest.approx(call.dialled_at)
    assert stored.started_at == pytest.approx(call.answered_at)
    assert stored.ended_at == pytest.approx(call.hung_up_at)


def test_a_synthetic_warning_is_never_dialled(qtbot, make_window, centre, tmp_path,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    db, _real, demo = centre
    out = tmp_path / "argv.json"
    script = tmp_path / "dial.py"
    script.write_text(ARGV_SCRIPT, encoding="utf-8")
    monkeypatch.setenv("DISSUADE_DIAL_COMMAND", f'"{sys.executable}" "{script}" "{out}" {{phone}}')
    window = _open(qtbot, make_window, db, demo)
    button = window.findChild(QPushButton, "dialButton")
    assert not button.isEnabled()
    assert "演示" in button.toolTip()  # the disabled button says why
    _press_f3()
    assert "演示" in window.workbench.message.text() and "未拨号" in window.workbench.message.text()
    qtbot.wait(300)
    assert not out.exists() and not window.workbench.dial.in_call
    attempt = _record(qtbot, window)
    assert attempt.dialled_at is None


def test_without_a_gateway_the_button_says_where_to_choose_one(qtbot, make_window, centre) -> None:  # type: ignore[no-untyped-def]
    db, real, _demo = centre
    window = _open(qtbot, make_window, db, real)
    button = window.findChild(QPushButton, "dialButton")
    assert not button.isEnabled()
    assert "电话网关" in button.toolTip() and "DISSUADE_DIAL_URI" in button.toolTip()


class _Handler(QObject):
    """The desktop's handler for tel: links, as a phone program registers it."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def dial(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_f3_opens_the_uri_with_the_desktops_handler(qtbot, make_window, centre,  # type: ignore[no-untyped-def]
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db, real, _demo = centre
    handler = _Handler()
    QDesktopServices.setUrlHandler("tel", handler, "dial")
    try:
        monkeypatch.setenv("DISSUADE_DIAL_URI", "tel:{national}")
        window = _open(qtbot, make_window, db, real)
        before = time.time()
        _press_f3()
        assert handler.urls == [f"tel:{NATIONAL}"]
        # The time shown is the centre's (Shanghai), whatever the workstation's zone is.
        shown = {timeutil.local_text(t, "Asia/Shanghai", fmt="%H:%M") for t in (before, time.time())}
        qtbot.waitUntil(lambda: any(hm in window.workbench.dial.status.text() for hm in shown),
                        timeout=5_000)
        attempt = _record(qtbot, window)
    finally:
        QDesktopServices.unsetUrlHandler("tel")
    # The desktop says nothing of the answer: the call is counted from dialling to the outcome.
    assert attempt.dialled_at is not None and before <= attempt.dialled_at <= attempt.recorded_at
    stored = open_source(db, user="lead-1").get(real).attempts[-1]
    assert stored.dialled_at == pytest.approx(attempt.dialled_at)
    assert stored.started_at == pytest.approx(attempt.dialled_at)


def test_the_environment_wins_over_the_workstations_choice(qtbot, settings,  # type: ignore[no-untyped-def]
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.centre.telephony_dialog import TelephonyDialog, chosen_telephony

    dialog = TelephonyDialog(settings)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("uri"))
    dialog.uri.setText("tel:{nationl}")
    dialog._accept()
    assert "未知占位符" in dialog.error.text() and "{nationl}" in dialog.error.text()
    dialog.uri.setText("sip:{national}@pbx.example")
    dialog._accept()
    assert chosen_telephony(settings, {})[0].target == "sip:{national}@pbx.example"
    room = {"DISSUADE_DIAL_SIP": "127.0.0.1:4444"}
    gateway, error = chosen_telephony(settings, room)
    assert (gateway.kind, gateway.target, error) == ("sip", "127.0.0.1:4444", "")
    both = {**room, "DISSUADE_DIAL_URI": "tel:{national}"}
    assert "只能保留一个" in chosen_telephony(settings, both)[1]


# -- a real softphone -------------------------------------------------------------------------

@pytest.fixture
def softphones(tmp_path: Path) -> Iterator[tuple[int, int]]:
    """The officer's baresip (its PBX is the person's phone) and the person's, answering by
    itself; their control ports."""
    if shutil.which("baresip") is None or not os.path.exists("/usr/lib/baresip/modules/ctrl_tcp.so"):
        pytest.fail("baresip is not installed: `bash scripts/setup.sh test` installs it "
                    "(Debian package baresip-core)")
    officer_sip, person_sip = free_pair(), free_pair()
    while abs(officer_sip - person_sip) < 2:
        person_sip = free_pair()
    officer_ctl, person_ctl = free_pair(), free_pair()
    procs = [
        softphone(tmp_path / "person", sip=person_sip, control=person_ctl,
                   account=f"<sip:{NATIONAL}@127.0.0.1:{person_sip}>;regint=0;answermode=auto"),
        softphone(tmp_path / "officer", sip=officer_sip, control=officer_ctl,
                   account=f"<sip:officer@127.0.0.1:{person_sip}>;regint=0"),
    ]
    try:
        wait_port(officer_ctl)
        wait_port(person_ctl)
        yield officer_ctl, person_ctl
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


TALK_SECONDS = 2.0


def test_a_real_softphone_dials_and_the_attempt_records_the_calls_moments(  # type: ignore[no-untyped-def]
        qtbot, make_window, centre, softphones, monkeypatch: pytest.MonkeyPatch) -> None:
    db, real, _demo = centre
    officer_ctl, person_ctl = softphones
    monkeypatch.setenv("DISSUADE_DIAL_SIP", f"127.0.0.1:{officer_ctl}")
    window = _open(qtbot, make_window, db, real)
    dial = window.workbench.dial
    pressed = _press_f3()
    qtbot.waitUntil(lambda: (c := dial.last_call()) is not None and c.ringing_at is not None,
                    timeout=10_000)
    call = dial.last_call()
    assert call is not None and call.ringing_at is not None
    ringing = call.ringing_at - pressed
    print(f"\nF3 to CALL_RINGING: {ringing * 1000:.1f} ms")
    (Path(os.environ.get("DISSUADE_DIAL_FIGURES", str(db.parent))) / "f3-to-ringing.txt") \
        .write_text(f"{ringing * 1000:.1f}\n", encoding="utf-8")
    qtbot.waitUntil(lambda: call.answered_at is not None, timeout=10_000)
    assert pressed <= call.dialled_at <= call.ringing_at <= call.answered_at
    qtbot.waitUntil(lambda: "通话中" in window.findChild(QLabel, "dialStatus").text(),
                    timeout=5_000)
    assert window.findChild(QPushButton, "dialButton").isEnabled() is False  # one call at a time

    qtbot.wait(int(TALK_SECONDS * 1000))
    with baresip.Control(f"127.0.0.1:{person_ctl}") as person:  # the person hangs up
        person.send("hangup")
        hung_up = time.time()
    qtbot.waitUntil(lambda: call.hung_up_at is not None, timeout=10_000)
    assert call.hung_up_at is not None and abs(call.hung_up_at - hung_up) < 1.0
    talked = call.hung_up_at - call.answered_at
    # As long as the test let it last, by its own clock, within the event's way back.
    assert abs(talked - (hung_up - call.answered_at)) < 0.5
    assert TALK_SECONDS - 0.1 <= talked < TALK_SECONDS + 1.5
    shown = window.findChild(QLabel, "dialStatus").text()
    assert clock(talked) in shown and "通话结束" in shown
    qtbot.waitUntil(lambda: not dial.in_call, timeout=5_000)

    _record(qtbot, window)
    stored = open_source(db, user="lead-1").get(real).attempts[-1]
    assert stored.dialled_at == pytest.approx(call.dialled_at)
    assert stored.started_at == pytest.approx(call.answered_at)  # answered
    assert stored.ended_at == pytest.approx(call.hung_up_at)  # hung up
    assert _duration(stored) == clock(talked)  # the call length the review screen shows


def test_a_softphone_that_is_not_running_is_named_and_nothing_is_recorded_as_dialled(  # type: ignore[no-untyped-def]
        qtbot, make_window, centre, monkeypatch: pytest.MonkeyPatch) -> None:
    db, real, _demo = centre
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("DISSUADE_DIAL_SIP", f"127.0.0.1:{port}")
    window = _open(qtbot, make_window, db, real)
    dial = window.workbench.dial
    with qtbot.waitSignal(dial.dial_did_finish, timeout=10_000):
        _press_f3()
    said = window.workbench.message.text()
    assert "未拨号" in said and "无法连接软电话控制端口" in said and "cannot reach" in said
    assert dial.last_call() is None and window.findChild(QPushButton, "dialButton").isEnabled()
    assert _record(qtbot, window, Qt.Key.Key_2).dialled_at is None
