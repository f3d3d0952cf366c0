"""The officer sees the SMS sent at arrival on the warning's screen, as automatic."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableWidget, QWidget

from dissuade.store import Store
from tests.conftest import warning_data
from tests.ui.conftest import queue_loaded
from ui import MainWindow


def test_the_officer_sees_the_sms_at_arrival(qtbot, make_window: Callable[..., MainWindow],  # type: ignore[no-untyped-def]
                                             tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    store = Store(db)
    warning, _ = store.add_warning(warning_data(1, synthetic=False, risk_level="medium"),
                                   actor="feed")
    ticket = store.take_arrival_sms(int(warning.id))
    assert not isinstance(ticket, str)
    store.finish_arrival_sms(ticket, text="机主您好……", via="webhook", result="queued 42")
    store.close()
    window = make_window(db)
    window.show()
    queue_loaded(qtbot, window)
    with qtbot.waitSignal(window.workbench.warning_did_open, timeout=10_000):
        qtbot.keyClick(window.workbench, Qt.Key.Key_F2)
    detail = window.findChild(QWidget, "warningDetail")
    table = detail.findChild(QTableWidget, "messagesTable")
    assert detail.findChild(QLabel, "messagesTitle").text() == "已发短信"
    assert table.rowCount() == 1
    assert table.item(0, 1).text() == "到达即发（自动）" and table.item(0, 2).text() == "queued 42"
