"""The window holds still and the small things officers hit: the lead's banner moves nothing,
the escalation board's buttons keep their places, disabled buttons look disabled, the first start
fits the screen, the time-left column reads one way, the why box takes a phone in any form, the
F8 dialog checks itself, and Help → About shows the version."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

import dissuade
from dissuade import open_source
from tests.conftest import warning_data
from tests.ui.conftest import queue_loaded
from tests.ui.test_keys import busy_db, press, shown  # noqa: F401 - the fixture
from ui import MainWindow
from ui.workbench.queue_model import COL

__all__ = ["busy_db"]


def first_row_at(window: MainWindow) -> QPoint:
    view = window.workbench.queue_view
    rect = view.visualRect(view.model().index(0, 0))
    return view.viewport().mapTo(window, rect.topLeft())


def test_the_leads_banner_moves_nothing(qtbot, make_window, busy_db: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    window = make_window(busy_db, user="lead-1")
    window.resize(1366, 768)
    window.show()
    queue_loaded(qtbot, window)
    qtbot.wait(50)
    before, tabs_before = first_row_at(window), window.tabs.geometry()
    window.alert_banner.alert("3 条预警已超时未拨打 / 3 warnings passed their limit uncalled",
                              sound=False)
    qtbot.wait(50)
    assert window.alert_banner.isVisible()
    assert first_row_at(window) == before and window.tabs.geometry() == tabs_before
    # It sits in the tab bar's row, right of the tabs, over none of them.
    banner = window.alert_banner.mapTo(window, QPoint(0, 0))
    bar = window.tabs.tabBar()
    assert banner.x() >= bar.mapTo(window, QPoint(bar.width(), 0)).x()
    qtbot.mouseClick(window.alert_banner, Qt.MouseButton.LeftButton)  # dismissed
    qtbot.wait(50)
    assert not window.alert_banner.isVisible() and first_row_at(window) == before


def test_escalation_buttons_keep_their_places(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "e.db"
    lead = open_source(db, user="lead-1")
    card = int(lead.add_warning(warning_data(1, cards=["6222020202020202020"])).id)
    door = int(lead.add_warning(warning_data(2)).id)
    for wid, kind in ((card, "card_lock"), (door, "door_visit")):
        lead.claim(wid)
        lead.propose_escalation(wid, kind=kind, reason="仍在转账")
    lead.close()
    window = make_window(db, user="lead-1")
    window.resize(1366, 768)
    window.show()
    board = window.escalations
    window.tabs.setCurrentWidget(board)
    qtbot.waitUntil(lambda: board.model.rowCount() == 2, timeout=10_000)
    places = []
    for row in range(2):
        with qtbot.waitSignal(board.detail_did_load, timeout=10_000):
            board.table.selectRow(row)
        qtbot.wait(30)
        places.append({b.objectName(): b.mapTo(window, QPoint(0, 0))
                       for b in (board.approve_button, board.reject_button,
                                 board.advance_button, board.extend_button)})
    assert places[0] == places[1]


def darkest(widget: QWidget) -> int:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    inner = [image.pixelColor(x, y).lightness() for x in range(6, image.width() - 6)
             for y in range(6, image.height() - 6)]
    return min(inner)


def test_disabled_buttons_look_disabled(qtbot, make_window, busy_db: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    window = shown(qtbot, make_window, busy_db)
    bench = window.workbench
    dissuaded = window.findChild(QPushButton, "outcome_dissuaded")
    assert not dissuaded.isEnabled()  # nothing open
    off = darkest(dissuaded)
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        press(Qt.Key.Key_F2)
    on = darkest(dissuaded)
    assert off - on > 60, (off, on)  # the enabled label is clearly darker


def test_the_first_start_fits_the_screens_available_area(qtbot, make_window, busy_db: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    window = make_window(busy_db)
    window.show()
    qtbot.wait(50)  # the first show's fit, once the frame is known
    area = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    frame = window.frameGeometry()
    # Offscreen the screen is narrower than the workbench's least width, so only the height
    # and the left edge can be asked of it here; on 1366x768 the whole window fits.
    assert area.top() <= frame.top() and frame.bottom() <= area.bottom(), (area, frame)
    assert frame.left() >= area.left()
    status = window.statusBar()
    bottom = status.mapToGlobal(QPoint(0, status.height() - 1))
    assert area.top() <= bottom.y() <= area.bottom()


def test_time_left_reads_one_way_and_is_not_clipped_in_english(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    feed = open_source(db, user="feed")
    for n, level in enumerate(("emergency", "high", "medium", "low"), start=1):
        feed.add_warning(warning_data(n, risk_level=level))
    feed.add_warning(warning_data(9, risk_level="low", reported_at="2020-01-01T08:00:00"))
    feed.close()
    window = make_window(db, lang="en")
    window.show()
    queue_loaded(qtbot, window)
    view, model = window.workbench.queue_view, window.workbench.model
    texts = [model.index(r, COL["time_left"]).data() for r in range(model.rowCount())]
    form = re.compile(r"^(\d+d|\d+d \d\dh|\d+h \d\dm|\d+m \d\ds) (left|late)$"
                      r"|^retry at \d\d:\d\d$")
    assert texts and all(form.match(t) for t in texts), texts
    width = view.columnWidth(COL["time_left"])
    metrics = view.fontMetrics()
    assert all(metrics.horizontalAdvance(t) + 8 <= width for t in texts), (texts, width)


def test_the_why_box_finds_a_phone_in_any_form(qtbot, make_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "w.db"
    feed = open_source(db, user="feed")
    wid = int(feed.add_warning(warning_data(1, phone="13800138000")).id)
    feed.close()
    window = shown(qtbot, make_window, db)
    bench = window.workbench
    lookup = window.findChild(QLineEdit, "lookupEdit")
    for written in ("138 0013 8000", "+86-138-0013-8000", "0086 138 0013 8000", str(wid)):
        press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert QApplication.focusWidget() is lookup
        qtbot.keyClicks(lookup, written)
        with qtbot.waitSignal(bench.why_did_answer, timeout=10_000) as answered:
            press(Qt.Key.Key_Return)
        assert answered.args[0].startswith(f"预警 {wid}"), (written, answered.args[0])
    press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(lookup, "12345678901234567890123")
    with qtbot.waitSignal(bench.message_did_change, timeout=10_000) as said:
        press(Qt.Key.Key_Return)
    qtbot.wait(200)
    assert "not a phone number" in bench.message.text() and "电话号码" in bench.message.text()
    assert "Error" not in bench.message.text() and "int" not in said.args[0]
    press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(lookup, "999999")
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "999999" in bench.message.text(), timeout=10_000)


def test_the_escalation_dialog_checks_its_fields_before_closing(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                                busy_db: Path) -> None:  # noqa: F811
    window = shown(qtbot, make_window, busy_db)
    bench = window.workbench
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        press(Qt.Key.Key_F2)
    seen: dict[str, object] = {}

    def work_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog) and dialog.objectName() == "escalationDialog"
        reason = dialog.findChild(QLineEdit, "escalationReason")
        amount = dialog.findChild(QLineEdit, "escalationAmount")
        amount.setText("五千")
        reason.setFocus()
        QApplication.processEvents()
        press(Qt.Key.Key_Return)  # nothing typed: it stays open and says why
        QApplication.processEvents()
        seen["open"] = dialog.isVisible()
        problem = dialog.findChild(QLabel, "escalationProblem")
        seen["problem"] = problem.text()
        seen["fits"] = all(w.width() >= w.sizeHint().width() - 2
                           for w in dialog.findChildren(QLineEdit)) \
            and dialog.width() >= dialog.fontMetrics().horizontalAdvance(
                reason.placeholderText())
        amount.setText("5000")
        reason.setFocus()
        qtbot.keyClicks(reason, "still transferring")
        press(Qt.Key.Key_Return)

    QTimer.singleShot(200, work_the_dialog)
    with qtbot.waitSignal(bench.escalation_did_record, timeout=10_000) as done:
        press(Qt.Key.Key_F8)
    assert seen["open"] is True and seen["fits"] is True
    assert "说明" in str(seen["problem"]) or "why" in str(seen["problem"]).lower()
    assert done.args[0].reason == "still transferring"


def test_help_about_shows_the_version(qtbot, make_window: Callable[..., MainWindow],  # type: ignore[no-untyped-def]
                                      busy_db: Path) -> None:  # noqa: F811
    window = make_window(busy_db)
    window.about_action.trigger()
    box = window.about_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert dissuade.__version__ in box.text()
    box.accept()
