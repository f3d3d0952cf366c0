"""The client on a hub: live arrivals with an alert, and offline work shown and kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel

from dissuade.sources.http import HttpSource
from tests.conftest import warning_data
from tests.hubs import ProcessHub, ThreadHub, make_users
from ui import MainWindow, build_main_window


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[ThreadHub]:
    db = tmp_path / "centre.db"
    running = ThreadHub(db, make_users(db)).start()
    yield running
    running.stop()


def _window(qtbot, url: str, token: str, tmp_path: Path) -> tuple[MainWindow, HttpSource]:  # type: ignore[no-untyped-def]
    source = HttpSource(url, token=token, outbox_path=str(tmp_path / "outbox.db"))
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = build_main_window(source, settings=settings, lang="zh")
    qtbot.addWidget(window)
    window.live.poll_seconds = 2.0
    return window, source


def test_an_emergency_posted_to_the_hub_alerts_the_client_within_a_second(
    qtbot, hub: ThreadHub, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    window, source = _window(qtbot, hub.url, hub.tokens["officer-a"], tmp_path)
    status = window.findChild(QLabel, "connectionStatus")
    assert status.text() == f"中心服务器：{hub.url}"
    window.show()
    with qtbot.waitSignal(window.live.connection_did_change, timeout=10_000):
        pass  # the watch has looked once: it knows where the news starts
    feed = HttpSource(hub.url, token=hub.tokens["feed-1"], outbox_path=str(tmp_path / "f.db"))
    with qtbot.waitSignal(window.alert_banner.alert_did_sound, timeout=1_500) as sounded:
        feed.add_warning(warning_data(1, risk_level="emergency", scam_type="fake_loan"))
    assert sounded.args[0] in ("bell", "effect")
    assert window.alert_banner.isVisible()
    assert "虚假网络贷款" in window.alert_banner.text()
    qtbot.waitUntil(lambda: window.workbench.model.size == 1, timeout=5_000)
    window.close()
    source.close()
    feed.close()


def test_offline_outcomes_are_shown_waiting_and_sent_when_the_hub_returns(
    qtbot, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ProcessHub(db).start()
    lead = HttpSource(hub.url, token=tokens["lead-1"], outbox_path=str(tmp_path / "l.db"))
    lead.add_warning(warning_data(1, risk_level="high"))
    window, source = _window(qtbot, hub.url, tokens["officer-a"], tmp_path)
    window.show()
    bench = window.workbench
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        bench.take_next()
    wid = bench.current_id
    hub.kill()
    with qtbot.waitSignal(bench.attempt_did_record, timeout=15_000) as recorded:
        bench.record_outcome("dissuaded")
    assert recorded.args[0].pending
    status = window.findChild(QLabel, "connectionStatus")
    qtbot.waitUntil(lambda: status.text().startswith("离线：1 条待发送"), timeout=15_000)
    hub = ProcessHub(db, port=hub.port).start()
    qtbot.waitUntil(lambda: status.text() == f"中心服务器：{hub.url}", timeout=20_000)
    assert lead.get(wid).status == "closed"  # type: ignore[arg-type]
    window.close()
    hub.kill()
    source.close()
    lead.close()
