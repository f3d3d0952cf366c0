"""Offline said plainly and at once; the session refused said too; a new policy seen at once.

Real hubs (a `dissuade serve` process to kill, or uvicorn in a thread), real widgets; the tests
wait on the window's signals, never on sleeps.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel

from dissuade.sources.http import HttpSource
from dissuade.sources.outbox import Item
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import ProcessHub, ThreadHub, make_users
from ui import MainWindow, build_main_window

KEPT = "已暂存，网络恢复后自动发送"
RAW = ("Errno", "Connection refused", "ConnectError", "111")


def _window(qtbot, url: str, token: str, tmp_path: Path) -> tuple[MainWindow, HttpSource]:  # type: ignore[no-untyped-def]
    source = HttpSource(url, token=token, outbox_path=str(tmp_path / "outbox.db"))
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = build_main_window(source, settings=settings, lang="zh")
    qtbot.addWidget(window)
    window.live.poll_seconds = 2.0
    window.show()
    with qtbot.waitSignal(window.live.connection_did_change, timeout=10_000):
        pass  # the watch has looked once
    return window, source


def _officer_reads(window: MainWindow) -> str:
    status = window.findChild(QLabel, "connectionStatus")
    return " | ".join((window.workbench.message.text(), status.text(), status.toolTip(),
                       window.statusBar().currentMessage()))


def test_an_outcome_kept_offline_is_said_at_once_and_sent_when_the_hub_is_back(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ProcessHub(db).start()
    lead = HttpSource(hub.url, token=tokens["lead-1"], outbox_path=str(tmp_path / "l.db"))
    lead.add_warning(warning_data(1, risk_level="high"))
    window, source = _window(qtbot, hub.url, tokens["officer-a"], tmp_path)
    bench = window.workbench
    status = window.findChild(QLabel, "connectionStatus")
    try:
        with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
            bench.take_next()
        wid = bench.current_id
        assert wid is not None
        hub.kill()
        # At once: well inside the watch's own 3-second retry, the moment the call failed.
        # The status line follows link_did_change, relayed just after connection_did_change
        # with the same state: waiting on it, the line has been drawn when the wait ends.
        with qtbot.waitSignals(
                [bench.attempt_did_record, window.live.link_did_change],
                check_params_cbs=[None, lambda state: not state.online and state.waiting == 1],
                timeout=2_500):
            bench.record_outcome("dissuaded")
        assert KEPT in bench.message.text() and "已记录" not in bench.message.text()
        assert "劝阻成功" in bench.message.text()
        assert status.text().startswith("离线：1 条待发送")
        # Any other call now says so in plain words, not in the network's.
        with qtbot.waitSignal(bench.message_did_change, timeout=10_000,
                              check_params_cb=lambda text: "无法连接" in text):
            bench.take_next()
        assert "无法连接中心服务器" in bench.message.text()
        assert not any(raw in _officer_reads(window) for raw in RAW), _officer_reads(window)

        hub = ProcessHub(db, port=hub.port).start()
        # No other write: the watch's next look reaches the hub, and the outbox empties.
        with qtbot.waitSignal(window.live.link_did_change, timeout=15_000,
                              check_params_cb=lambda state: state.online and state.waiting == 0):
            pass
        assert status.text() == f"中心服务器：{hub.url}"
        assert lead.get(wid).status == "closed"
    finally:
        window.close()
        hub.kill()
        source.close()
        lead.close()


def test_a_proposal_kept_offline_is_said_so(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ProcessHub(db).start()
    lead = HttpSource(hub.url, token=tokens["lead-1"], outbox_path=str(tmp_path / "l.db"))
    lead.add_warning(warning_data(1, risk_level="high"))
    lead.close()
    window, source = _window(qtbot, hub.url, tokens["officer-a"], tmp_path)
    bench = window.workbench
    try:
        with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
            bench.take_next()
        hub.kill()
        with qtbot.waitSignal(bench.escalation_did_record, timeout=2_500) as done:
            bench.propose_escalation(kind="door_visit", reason="电话打不通")
        assert done.args[0].pending
        assert KEPT in bench.message.text() and "上门劝阻" in bench.message.text()
        assert not any(raw in _officer_reads(window) for raw in RAW)
    finally:
        window.close()
        hub.kill()
        source.close()


def test_a_refused_token_is_said_on_the_status_bar(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ThreadHub(db, tokens).start()
    window, source = _window(qtbot, hub.url, tokens["officer-a"], tmp_path)
    try:
        store = Store(db)
        store.revoke_user("officer-a", actor="admin-1")
        store.close()
        with qtbot.waitSignal(window.live.session_did_end, timeout=10_000):
            pass
        status = window.findChild(QLabel, "connectionStatus")
        assert status.text().startswith("登录已失效：中心服务器不再接受当前登录或令牌")
        assert "重新登录" in window.statusBar().currentMessage()
    finally:
        window.close()
        hub.stop()
        source.close()


def test_a_policy_change_by_another_lead_reaches_this_window_at_once(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    tokens = make_users(db, {"lead-1": "lead", "lead-2": "lead"})
    hub = ThreadHub(db, tokens).start()
    other = HttpSource(hub.url, token=tokens["lead-1"], outbox_path=str(tmp_path / "o.db"))
    window, source = _window(qtbot, hub.url, tokens["lead-2"], tmp_path)
    try:
        assert source.policy().shift_starts == (8, 20)
        qtbot.waitUntil(lambda: window.policy.loaded)
        # The window's snapshot follows: every screen reads the new shift hours from it.
        with qtbot.waitSignal(window.policy.policy_did_change, timeout=3_000) as changed:
            other.update_settings({"shift_starts": [7, 19]})
        assert changed.args[0].shift_starts == (7, 19)
        assert window.policy.policy.shift_starts == (7, 19)
        assert source.policy().shift_starts == (7, 19)
    finally:
        window.close()
        hub.stop()
        source.close()
        other.close()


def test_offline_conflicts_are_read_and_resolved_off_the_ui_thread(
        qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ThreadHub(db, tokens).start()
    window, source = _window(qtbot, hub.url, tokens["officer-a"], tmp_path)
    conflict = Item(seq=7, kind="attempt", warning_id=3, client_id="c-1",
                    payload={"outcome": "dissuaded", "notes": "已劝阻"}, state="conflict",
                    error="409: officer-b holds it", created_at=time.time())
    resolved: list[tuple[int, bool]] = []
    monkeypatch.setattr(source, "outbox_status", lambda: (0, [conflict]))
    monkeypatch.setattr(source, "resolve_conflict", lambda seq: resolved.append(
        (seq, threading.current_thread() is threading.main_thread())))
    try:
        assert window.conflicts_action is not None
        window.conflicts_action.trigger()
        qtbot.waitUntil(lambda: getattr(window, "conflicts_dialog", None) is not None
                        and window.conflicts_dialog.isVisible())
        dialog = window.conflicts_dialog
        assert dialog.table.item(0, 4).text() == "409: officer-b holds it"
        dialog.table.selectRow(0)
        dialog.resolve_button.click()
        qtbot.waitUntil(lambda: resolved == [(7, False)])  # on the runner's worker
        dialog.reject()
    finally:
        window.close()
        hub.stop()
        source.close()
