"""Signing in through the window: typed with real key events, errors shown with a way to try
again, the hub's address remembered, signing out and switching user without a restart, the
idle lock keeping the claim and the notes. Real hubs on loopback, real files, real widgets."""

from __future__ import annotations

import sqlite3
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QWidget

from dissuade.store import Store, throttle
from tests.conftest import warning_data
from tests.hubs import ThreadHub, free_port, make_users
from ui import MainWindow
from ui.common import settings_keys as keys
from ui.signin.dialog import SignInDialog
from ui.signin.flow import SignInFlow, Start

PASSWORD = "hongqiao-0921"
LEAD_PASSWORD = "lead-pass-77"
RAW = ("Errno", "Connection refused", "ConnectError")


@pytest.fixture
def org() -> Iterator[str]:
    """A QSettings organisation of this test's own (XDG_CONFIG_HOME is the test's, too)."""
    name = f"dissuade-test-{uuid.uuid4().hex[:8]}"
    yield name
    QSettings(name, "dissuade").clear()


def centre(db: Path) -> dict[str, str]:
    tokens = make_users(db)
    store = Store(db)
    store.set_password("officer-a", PASSWORD, actor="test")
    store.set_password("lead-1", LEAD_PASSWORD, actor="test")
    for n in range(1, 4):
        store.add_warning(warning_data(n, risk_level="high"), actor="feed-1")
    store.close()
    return tokens


def flow_for(qtbot, start: Start, org: str) -> SignInFlow:  # type: ignore[no-untyped-def]
    flow = SignInFlow(start, settings=QSettings(org, "dissuade"), lang="zh")
    # A hub stopping waits for the long poll's end: short ones, as the other hub tests use.
    flow.window_did_build.connect(lambda w: setattr(w.live, "poll_seconds", 1.0)
                                  if w.live is not None else None)
    return flow


def dialog_of(qtbot, flow: SignInFlow) -> SignInDialog:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: flow.dialog is not None and flow.dialog.isVisible(), timeout=15_000)
    dialog = flow.dialog
    assert dialog is not None and dialog.objectName() == "signInDialog"
    dialog.activateWindow()
    return dialog


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_into_focus(qtbot, text: str, *, enter: bool = False) -> None:  # type: ignore[no-untyped-def]
    QTest.keyClicks(focused(), text)
    if enter:
        QTest.keyClick(focused(), Qt.Key.Key_Return)


def wait_focus(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=5_000)


def opened(qtbot, flow: SignInFlow) -> MainWindow:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: flow.window is not None and flow.window.isVisible(), timeout=20_000)
    assert flow.window is not None
    return flow.window


def test_signing_in_at_a_hub_by_keyboard_shows_a_wrong_password_and_remembers_the_address(
        qtbot, tmp_path: Path, org: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    hub = ThreadHub(db, centre(db)).start()
    flow = flow_for(qtbot, Start(hub.url), org)
    try:
        flow.start()
        dialog = dialog_of(qtbot, flow)
        assert dialog.findChild(QLineEdit, "signInUser") is dialog.user
        assert dialog.findChild(QLineEdit, "signInPassword").echoMode() == QLineEdit.EchoMode.Password
        assert dialog.address.text() == hub.url
        wait_focus(qtbot, dialog.user)  # the address is known: the name comes first
        type_into_focus(qtbot, "officer-a")
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        wait_focus(qtbot, dialog.password)
        type_into_focus(qtbot, "not-the-password", enter=True)
        qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=15_000)
        assert "用户名或密码错误" in dialog.error.text()
        assert dialog.sign_in_button.text() == "重试"
        assert dialog.password.text() == "" and dialog.user.text() == "officer-a"
        wait_focus(qtbot, dialog.password)  # try again at once
        type_into_focus(qtbot, PASSWORD, enter=True)
        window = opened(qtbot, flow)
        assert (window.source.user, window.source.role) == ("officer-a", "officer")
        assert window.workbench is not None and window.dashboard is None
        assert flow.dialog is None  # closed (and let go)
        identity = window.findChild(QLabel, "identityStatus")
        assert "officer-a" in identity.text()
    finally:
        flow.shutdown()
    # The next start finds the hub's address (and the name) filled in.
    settings = QSettings(org, "dissuade")
    assert keys.SIGNIN_ADDRESS.read(settings) == hub.url
    again = flow_for(qtbot, Start(), org)
    try:
        again.start()
        dialog = dialog_of(qtbot, again)
        assert dialog.address.text() == hub.url and dialog.user.text() == "officer-a"
        wait_focus(qtbot, dialog.password)
        type_into_focus(qtbot, PASSWORD, enter=True)
        assert opened(qtbot, again).source.user == "officer-a"
    finally:
        again.shutdown()
        hub.stop()
    # Signing out ended that session: its token works no more.
    conn = sqlite3.connect(db)
    ended = conn.execute("SELECT count(*) FROM sessions WHERE ended_at IS NOT NULL").fetchone()[0]
    conn.close()
    assert ended == 2


def test_an_unreachable_hub_at_start_is_shown_with_retry(
        qtbot, tmp_path: Path, org: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    tokens = centre(db)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    flow = flow_for(qtbot, Start(url, token=tokens["officer-a"]), org)
    hub = None
    try:
        flow.start()
        dialog = dialog_of(qtbot, flow)
        assert "无法连接中心服务器" in dialog.error.text()
        assert not any(raw in dialog.error.text() for raw in RAW)
        assert dialog.sign_in_button.text() == "重试"
        hub = ThreadHub(db, tokens, port=port).start()
        QTest.keyClick(focused(), Qt.Key.Key_Return)  # Retry, with the same token
        window = opened(qtbot, flow)
        assert window.source.user == "officer-a"
    finally:
        flow.shutdown()
        if hub is not None:
            hub.stop()


def test_a_bad_database_path_is_shown_and_corrected_in_the_window(
        qtbot, tmp_path: Path, org: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "trainer.db"
    Store(db).close()  # no users: any name is a lead, no password asked
    missing = tmp_path / "nowhere.db"
    flow = flow_for(qtbot, Start(str(missing), user="trainer-zhou"), org)
    try:
        flow.start()
        dialog = dialog_of(qtbot, flow)
        assert "does not exist" in dialog.error.text()
        assert not missing.exists()
        wait_focus(qtbot, dialog.address)
        assert dialog.address.selectedText() == str(missing)
        type_into_focus(qtbot, str(db), enter=True)  # typed over the selected path
        window = opened(qtbot, flow)
        assert (window.source.user, window.source.role) == ("trainer-zhou", "lead")
        assert flow.lock is None  # no passwords here: no idle lock
    finally:
        flow.shutdown()


def test_a_local_file_with_users_asks_for_the_password_and_tells_one_without_what_to_ask(
        qtbot, tmp_path: Path, org: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    centre(db)
    asked = flow_for(qtbot, Start(str(db), user="officer-a"), org)
    try:
        asked.start()
        dialog = dialog_of(qtbot, asked)
        assert dialog.error.text() == "" and not dialog.error.isVisible()  # asked, not failed
        assert dialog.user.text() == "officer-a"
    finally:
        asked.shutdown()
    flow = flow_for(qtbot, Start(str(db), user="officer-b"), org)
    try:
        flow.start()
        dialog = dialog_of(qtbot, flow)
        # Told at once, before typing anything: no password is set for this name.
        assert "dissuade user passwd officer-b" in dialog.error.text()
        dialog.user.setFocus()
        dialog.user.selectAll()
        wait_focus(qtbot, dialog.user)
        type_into_focus(qtbot, "officer-a")
        dialog.password.setFocus()
        wait_focus(qtbot, dialog.password)
        type_into_focus(qtbot, PASSWORD, enter=True)
        window = opened(qtbot, flow)
        assert (window.source.user, window.source.role) == ("officer-a", "officer")
    finally:
        flow.shutdown()


def test_switch_user_and_sign_out_work_without_a_restart(
        qtbot, tmp_path: Path, org: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    hub = ThreadHub(db, centre(db)).start()
    flow = flow_for(qtbot, Start(hub.url, user="officer-a"), org)
    try:
        flow.start()
        dialog = dialog_of(qtbot, flow)
        wait_focus(qtbot, dialog.password)
        type_into_focus(qtbot, PASSWORD, enter=True)
        window = opened(qtbot, flow)
        bench = window.workbench
        assert bench is not None
        with qtbot.waitSignal(bench.warning_did_open, timeout=15_000):
            bench.take_next()
        held = bench.current_id
        names = [a.objectName() for a in window.file_menu.actions()]
        assert "switchUserAction" in names and "signOutAction" in names
        assert names.index("signOutAction") < names.index("quitAction")
        flow.switch_action.trigger()
        dialog = dialog_of(qtbot, flow)
        assert dialog.user.text() == "" and "officer-a" in dialog.message.text()
        assert not shiboken6.isValid(window) or not window.isVisible()  # closed, let go
        # The claim went back before the window closed; the officer's session ends with it.
        store = Store(db)
        assert store.get(held).warning.status == "new"
        store.close()

        def live_sessions() -> int:
            conn = sqlite3.connect(db)
            (n,) = conn.execute("SELECT count(*) FROM sessions WHERE username = 'officer-a' "
                                "AND ended_at IS NULL").fetchone()
            conn.close()
            return int(n)

        qtbot.waitUntil(lambda: live_sessions() == 0, timeout=5_000)
        wait_focus(qtbot, dialog.user)
        type_into_focus(qtbot, "lead-1")
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        type_into_focus(qtbot, LEAD_PASSWORD, enter=True)
        qtbot.waitUntil(lambda: flow.window is not None and flow.window is not window,
                        timeout=20_000)
        lead_window = opened(qtbot, flow)
        assert (lead_window.source.user, lead_window.source.role) == ("lead-1", "lead")
        assert lead_window.dashboard is not None  # rebuilt for the lead's role
        flow.sign_out_action.trigger()
        dialog = dialog_of(qtbot, flow)
        assert dialog.user.text() == "lead-1" and dialog.address.text() == hub.url
    finally:
        flow.shutdown()
        hub.stop()


def test_signing_out_with_outcomes_waiting_asks_first(
        qtbot, tmp_path: Path, org: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    tokens = centre(db)
    hub = ThreadHub(db, tokens).start()
    flow = flow_for(qtbot, Start(hub.url, user="officer-a"), org)
    try:
        flow.start()
        dialog = dialog_of(qtbot, flow)
        wait_focus(qtbot, dialog.password)
        type_into_focus(qtbot, PASSWORD, enter=True)
        window = opened(qtbot, flow)
        bench = window.workbench
        with qtbot.waitSignal(bench.warning_did_open, timeout=15_000):
            bench.take_next()
        held = bench.current_id
        hub.stop()
        with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000) as kept:
            bench.record_outcome("dissuaded")
        assert kept.args[0].pending
        flow.sign_out_action.trigger()
        qtbot.waitUntil(lambda: flow.question is not None and flow.question.isVisible(),
                        timeout=10_000)
        question = flow.question
        assert question.objectName() == "signOutQuestion"
        assert "1" in question.text() and "officer-a" in question.text()
        QTest.keyClick(question, Qt.Key.Key_Escape)  # stay signed in
        qtbot.waitUntil(lambda: not question.isVisible())
        assert flow.window is window and window.isVisible()
        flow.sign_out_action.trigger()
        qtbot.waitUntil(lambda: flow.question is not question and flow.question is not None
                        and flow.question.isVisible(), timeout=10_000)
        leave = next(b for b in flow.question.buttons() if b.text() == "签退")
        leave.click()
        dialog = dialog_of(qtbot, flow)
        assert not shiboken6.isValid(window) or not window.isVisible()
        # The same officer signs in again once the hub is back: what waited is sent.
        hub = ThreadHub(db, tokens, port=hub.port).start()
        wait_focus(qtbot, dialog.password)
        type_into_focus(qtbot, PASSWORD, enter=True)
        opened(qtbot, flow)

        def settled() -> bool:
            store = Store(db)
            try:
                return store.get(held).warning.status == "closed"
            finally:
                store.close()

        qtbot.waitUntil(settled, timeout=15_000)
    finally:
        flow.shutdown()
        hub.stop()


def test_the_idle_lock_keeps_the_claim_and_the_notes(
        qtbot, tmp_path: Path, org: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    centre(db)
    store = Store(db)
    store.update_settings({"idle_lock_minutes": 0.02}, user="lead-1")  # 1.2 s
    store.close()
    flow = flow_for(qtbot, Start(str(db), user="officer-a"), org)
    try:
        flow.start()
        dialog = dialog_of(qtbot, flow)
        wait_focus(qtbot, dialog.password)
        type_into_focus(qtbot, PASSWORD, enter=True)
        window = opened(qtbot, flow)
        bench = window.workbench
        lock = flow.lock
        assert lock is not None
        qtbot.waitUntil(lambda: window.policy.policy.idle_lock_minutes == 0.02, timeout=10_000)
        with qtbot.waitSignal(bench.warning_did_open, timeout=15_000):
            bench.take_next()
        held = bench.current_id
        notes = window.findChild(QWidget, "notesEdit")
        notes.setFocus()
        wait_focus(qtbot, notes)
        with qtbot.waitSignal(lock.did_lock, timeout=10_000):
            type_into_focus(qtbot, "says police called, 5000 sent")
        locked = window.findChild(QDialog, "lockDialog")
        assert locked is not None and locked.isVisible()
        QTest.keyClick(locked, Qt.Key.Key_Escape)  # Esc does not unlock
        assert locked.isVisible()
        wait_focus(qtbot, locked.password)
        type_into_focus(qtbot, "wrong-password", enter=True)
        qtbot.waitUntil(lambda: locked.error.isVisible(), timeout=10_000)
        assert "用户名或密码错误" in locked.error.text()
        with qtbot.waitSignal(lock.did_unlock, timeout=10_000):
            type_into_focus(qtbot, PASSWORD, enter=True)
        assert notes.toPlainText() == "says police called, 5000 sent"
        assert bench.current_id == held
        store = Store(db)
        warning = store.get(held).warning
        store.close()
        assert warning.status == "claimed" and warning.claimed_by == "officer-a"
        assert lock.timer.isActive()  # counting again
    finally:
        flow.shutdown()


def test_a_lock_that_outlasts_one_more_lease_gives_the_warning_back_with_a_draft(
        qtbot, tmp_path: Path, org: str) -> None:  # type: ignore[no-untyped-def]
    """Locked, the claim is renewed once more and no longer: when the lock outlasts that lease
    the warning goes back to the queue, the typed notes kept as the officer's draft."""
    db = tmp_path / "centre.db"
    centre(db)
    store = Store(db)
    store.update_settings({"idle_lock_minutes": 0.02}, user="lead-1")  # 1.2 s
    store.close()
    flow = flow_for(qtbot, Start(str(db), user="officer-a"), org)
    try:
        flow.start()
        dialog = dialog_of(qtbot, flow)
        wait_focus(qtbot, dialog.password)
        type_into_focus(qtbot, PASSWORD, enter=True)
        window = opened(qtbot, flow)
        bench = window.workbench
        lock = flow.lock
        assert lock is not None
        qtbot.waitUntil(lambda: window.policy.policy.idle_lock_minutes == 0.02, timeout=10_000)
        with qtbot.waitSignal(bench.warning_did_open, timeout=15_000):
            bench.take_next()
        held = bench.current_id
        level = bench.detail_data.warning.risk_level
        notes = window.findChild(QWidget, "notesEdit")
        notes.setFocus()
        wait_focus(qtbot, notes)
        with qtbot.waitSignal(lock.did_lock, timeout=10_000):
            type_into_focus(qtbot, "victim asked to call back after 3pm")
        # One more lease of the warning's level (at least a minute by the policy's bounds) ...
        lease = window.policy.policy.levels[level].lease_minutes
        assert bench._locked_lease.isActive()
        assert bench._locked_lease.interval() == int(lease * 60_000)
        bench._locked_lease.start(200)  # ... which this test does not wait out
        qtbot.waitUntil(lambda: bench.current_id is None, timeout=10_000)

        def given_back() -> bool:
            s = Store(db)
            try:
                return s.get(held).warning.status != "claimed"
            finally:
                s.close()

        qtbot.waitUntil(given_back, timeout=10_000)
        store = Store(db)
        draft = store.draft(held, user="officer-a")
        store.close()
        assert "victim asked to call back after 3pm" in str(draft)
    finally:
        flow.shutdown()


def test_a_session_that_ends_mid_shift_asks_again_over_the_workbench(
        qtbot, tmp_path: Path, org: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    hub = ThreadHub(db, centre(db)).start()
    flow = flow_for(qtbot, Start(hub.url, user="officer-a"), org)
    try:
        flow.start()
        dialog = dialog_of(qtbot, flow)
        wait_focus(qtbot, dialog.password)
        type_into_focus(qtbot, PASSWORD, enter=True)
        window = opened(qtbot, flow)
        window.live.poll_seconds = 1.0
        bench = window.workbench
        with qtbot.waitSignal(bench.warning_did_open, timeout=15_000):
            bench.take_next()
        held = bench.current_id
        conn = sqlite3.connect(db)
        conn.execute("UPDATE sessions SET expires_at = 0")
        conn.commit()
        conn.close()
        with qtbot.waitSignal(flow.lock.did_lock, timeout=15_000):
            pass
        locked = window.findChild(QDialog, "lockDialog")
        assert "登录已过期" in locked.message.text() or "登录已结束" in locked.message.text()
        wait_focus(qtbot, locked.password)
        with qtbot.waitSignal(flow.lock.did_unlock, timeout=15_000):
            type_into_focus(qtbot, PASSWORD, enter=True)
        assert bench.current_id == held
        status = window.findChild(QLabel, "connectionStatus")
        qtbot.waitUntil(lambda: status.text() == f"中心服务器：{hub.url}", timeout=10_000)
    finally:
        flow.shutdown()
        hub.stop()


def test_the_idle_lock_never_comes_during_a_dialled_call(
        qtbot, tmp_path: Path, org: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    centre(db)
    store = Store(db)
    store.update_settings({"idle_lock_minutes": 0.01}, user="lead-1")  # 0.6 s
    real = int(store.add_warning(warning_data(9, synthetic=False, risk_level="emergency"),
                                 actor="feed-1")[0].id)
    store.close()
    # A call that lasts 2.5 s (a real process, as a softphone's dial command would run).
    script = tmp_path / "call.py"
    script.write_text("import time\ntime.sleep(2.5)\n", encoding="utf-8")
    monkeypatch.setenv("DISSUADE_DIAL_COMMAND", f'"{sys.executable}" "{script}" {{phone}}')
    flow = flow_for(qtbot, Start(str(db), user="officer-a"), org)
    try:
        flow.start()
        dialog = dialog_of(qtbot, flow)
        wait_focus(qtbot, dialog.password)
        type_into_focus(qtbot, PASSWORD, enter=True)
        window = opened(qtbot, flow)
        bench = window.workbench
        lock = flow.lock
        qtbot.waitUntil(lambda: window.policy.policy.idle_lock_minutes == 0.01, timeout=10_000)
        with qtbot.waitSignal(bench.warning_did_open, timeout=15_000):
            bench.take_next()
        assert bench.current_id == real  # the emergency, not synthetic: it may be dialled
        notes = window.findChild(QWidget, "notesEdit")
        notes.setFocus()
        wait_focus(qtbot, notes)
        QTest.keyClick(focused(), Qt.Key.Key_F3)
        qtbot.waitUntil(lambda: bench.dial.in_call, timeout=5_000)
        with qtbot.assertNotEmitted(lock.did_lock, wait=1_500):  # idle 2.5 times over
            pass
        assert bench.dial.in_call and not lock.locked
        with qtbot.waitSignal(lock.did_lock, timeout=10_000):  # the call ended: then it locks
            pass
        assert not bench.dial.in_call
    finally:
        flow.shutdown()


def test_repeated_wrong_passwords_are_slowed_and_said_so_in_the_window(
        qtbot, tmp_path: Path, org: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    centre(db)
    flow = flow_for(qtbot, Start(str(db), user="officer-a"), org)
    try:
        flow.start()
        dialog = dialog_of(qtbot, flow)
        for n in range(throttle.FREE_FAILURES + 1):
            wait_focus(qtbot, dialog.password)
            with qtbot.waitSignal(dialog.submitted, timeout=5_000):
                type_into_focus(qtbot, f"wrong-{n}-password", enter=True)
            qtbot.waitUntil(lambda: dialog.error.isVisible() and dialog.password.isEnabled(),
                            timeout=10_000)
            assert "用户名或密码错误" in dialog.error.text()
        wait_focus(qtbot, dialog.password)
        type_into_focus(qtbot, PASSWORD, enter=True)  # even the right one waits its turn
        qtbot.waitUntil(lambda: "秒后再试" in dialog.error.text(), timeout=10_000)
        assert "try again in" in dialog.error.text() and flow.window is None
        qtbot.wait(int(throttle.FIRST_DELAY * 1000) + 200)  # never a lock-out: after the wait it opens
        wait_focus(qtbot, dialog.password)
        type_into_focus(qtbot, PASSWORD, enter=True)
        assert opened(qtbot, flow).source.user == "officer-a"
    finally:
        flow.shutdown()
