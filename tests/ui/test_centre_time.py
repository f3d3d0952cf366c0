"""Every time an officer reads or types is the centre's (the policy's zone, Asia/Shanghai here),
whatever zone the workstation's clock is set to: the report dialog, the callback dialog and the
period pickers are run under TZ=UTC and TZ=America/New_York."""

from __future__ import annotations

import csv
import os
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
)

from dissuade.domain import timeutil
from dissuade.store import Store
from tests.conftest import warning_data
from ui import MainWindow
from ui.common.period import PeriodPicker

SHANGHAI = timeutil.zone("Asia/Shanghai")


@pytest.fixture(params=["UTC", "America/New_York"])
def machine_zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The workstation's own zone is not the centre's; restored after the test."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield str(request.param)
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def _centre(tmp_path: Path) -> Path:
    db = tmp_path / "centre.db"
    store = Store(db)
    assert store.policy().timezone == "Asia/Shanghai"
    store.add_user("lead-1", role="lead")
    store.add_user("officer-007", role="officer")
    store.close()
    return db


def _type(edit: QDateTimeEdit, text: str) -> None:
    """Type a date and time into an edit with real key events, from its first section."""
    edit.setFocus()
    edit.setCurrentSection(QDateTimeEdit.Section.YearSection)
    QTest.keyClicks(edit, text)


def _shanghai(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


def test_report_dialog_takes_the_centres_hours(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path,  # type: ignore[no-untyped-def]
        machine_zone: str) -> None:
    db = _centre(tmp_path)
    window = make_window(db, user="lead-1")
    dialog = window.centre.export_report()
    start, end = dialog.findChild(QDateTimeEdit, "reportFrom"), dialog.findChild(QDateTimeEdit,
                                                                                 "reportTo")
    # The default is this shift as the centre's clock reads it, not the machine's.
    shift = timeutil.current_shift(time.time(), tz="Asia/Shanghai", starts=(8, 20))
    shown = timeutil.local_text(shift[0], "Asia/Shanghai", fmt="%Y-%m-%d %H:%M")
    assert start.text() == shown, machine_zone
    assert start.text()[-5:] in ("08:00", "20:00")

    _type(start, "2026-01-15 08:00")
    _type(end, "2026-01-15 20:00")
    assert (start.text(), end.text()) == ("2026-01-15 08:00", "2026-01-15 20:00")
    out = tmp_path / "report.csv"
    dialog.findChild(QLineEdit, "reportPath").setText(str(out))
    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    out = Path(dialog.findChild(QLineEdit, "reportPath").text())
    with qtbot.waitSignal(window.centre.report_did_write, timeout=30_000):
        qtbot.mouseClick(dialog.findChild(QPushButton, "reportSave"), Qt.MouseButton.LeftButton)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    period = next(row[1] for row in rows if len(row) > 1 and "2026-01-15" in row[1])
    assert period == "2026-01-15 08:00 – 2026-01-15 20:00"


def test_callback_dialog_defaults_to_and_takes_the_centres_time(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path,  # type: ignore[no-untyped-def]
        machine_zone: str) -> None:
    db = _centre(tmp_path)
    store = Store(db)
    wid = int(store.add_warning(warning_data(1), actor="feed")[0].id)
    store.close()
    window = make_window(db, user="officer-007")
    window.show()
    bench = window.workbench
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        qtbot.mouseClick(window.findChild(QPushButton, "nextWarningButton"),
                         Qt.MouseButton.LeftButton)
    assert bench.current_id == wid
    seen: dict[str, str] = {}

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "callbackDialog"
        edit = dialog.findChild(QDateTimeEdit, "callbackAt")
        seen["default"] = edit.text()
        seen["zone"] = dialog.findChild(QLabel, "callbackZone").text()
        dialog.findChild(QRadioButton, "callbackMe").setChecked(True)
        _type(edit, f"{tomorrow} 09:30")
        seen["typed"] = edit.text()
        QTest.keyClick(edit, Qt.Key.Key_Return)

    now = time.time()
    tomorrow = timeutil.local_text(now + 86400, "Asia/Shanghai", fmt="%Y-%m-%d")
    QTimer.singleShot(200, fill)
    with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000) as recorded:
        qtbot.mouseClick(window.findChild(QPushButton, "outcome_callback"),
                         Qt.MouseButton.LeftButton)
    # Half an hour from now on the centre's clock (a minute either side: the test's own time).
    expected = [timeutil.local_text(now + 30 * 60 + d, "Asia/Shanghai") for d in (-60, 0, 60)]
    assert seen["default"] in expected, (machine_zone, seen)
    assert seen["typed"] == f"{tomorrow} 09:30"
    assert seen["zone"] == "中心时间（Asia/Shanghai）"
    # The callback is 09:30 in Shanghai (01:30 UTC), whatever this machine's zone.
    assert recorded.args[0].callback_at == _shanghai(f"{tomorrow}T09:30")


def test_period_picker_shows_and_reads_the_centres_time(qtbot, machine_zone: str) -> None:  # type: ignore[no-untyped-def]
    at = _shanghai("2026-01-15T10:00")  # 02:00 UTC, the evening before in New York
    picker = PeriodPicker("review", clock=lambda: at)
    qtbot.addWidget(picker)
    # This shift is 08:00-20:00 Shanghai, shown so and bounded so.
    assert picker.bounds() == (_shanghai("2026-01-15T08:00"), _shanghai("2026-01-15T20:00"))
    assert picker.span.text() == "01-15 08:00 – 20:00"
    picker.set_key("custom")
    assert picker.start_edit.text() == "2026-01-15 08:00"
    assert picker.end_edit.text() == "2026-01-15 20:00"
    _type(picker.start_edit, "2026-01-14 08:00")
    _type(picker.end_edit, "2026-01-14 20:00")
    assert picker.bounds() == (_shanghai("2026-01-14T08:00"), _shanghai("2026-01-14T20:00"))
    picker.set_custom(_shanghai("2026-03-08T02:30"), _shanghai("2026-03-08T03:30"))
    # 02:30 on the day New York's clocks skip an hour still shows and reads as it is.
    assert picker.start_edit.text() == "2026-03-08 02:30"
    assert picker.bounds() == (_shanghai("2026-03-08T02:30"), _shanghai("2026-03-08T03:30"))
