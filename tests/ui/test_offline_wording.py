"""The status bar says offline the moment a call fails (not at the live watch's next look), in a
plain sentence, and clears when the hub answers again. A real hub on loopback, stopped and
started again on the same port; real widgets."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QLabel

from dissuade.sources.http import HttpSource
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import ThreadHub, make_users
from ui import build_main_window

RAW = ("Errno", "Connection refused", "ConnectError", "111", "httpx")


def test_offline_is_shown_at_once_in_plain_words_and_cleared_when_the_hub_is_back(
        qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    store = Store(db)
    for n in range(1, 3):
        store.add_warning(warning_data(n, risk_level="high"), actor="feed-1")
    store.close()
    hub = ThreadHub(db, tokens).start()
    source = HttpSource(hub.url, token=tokens["officer-a"], outbox_path=str(tmp_path / "o.db"))
    window = build_main_window(source, settings=QSettings(str(tmp_path / "s.ini"),
                                                          QSettings.Format.IniFormat), lang="zh")
    qtbot.addWidget(window)
    window.live.poll_seconds = 1.0
    window.show()
    status = window.findChild(QLabel, "connectionStatus")
    bench = window.workbench
    try:
        with qtbot.waitSignal(window.live.connection_did_change, timeout=10_000):
            pass
        assert status.text() == f"中心服务器：{hub.url}"
        hub.stop()
        asked = time.monotonic()
        bench.take_next()  # a claim that cannot reach the hub: nothing is kept, yet offline
        qtbot.waitUntil(lambda: status.text().startswith("离线"), timeout=5_000)
        took = time.monotonic() - asked
        assert took < 2.0, f"offline shown after {took:.1f} s"  # the watch looks every 3 s
        assert status.text() == f"离线：无法连接中心服务器 {hub.url}。处置结果会暂存，网络恢复后自动发送"
        qtbot.waitUntil(lambda: "无法连接中心服务器" in bench.message.text(), timeout=10_000)
        seen = " | ".join((status.text(), status.toolTip(), bench.message.text(),
                           window.statusBar().currentMessage()))
        assert not any(raw in seen for raw in RAW), seen
        assert "color: #b00020" in status.styleSheet()
        hub = ThreadHub(db, tokens, port=hub.port).start()
        # No click needed: the watch's next look reaches the hub and the bar clears.
        qtbot.waitUntil(lambda: status.text() == f"中心服务器：{hub.url}", timeout=15_000)
        assert status.styleSheet() == ""
    finally:
        window.close()
        source.close()
        hub.stop()
