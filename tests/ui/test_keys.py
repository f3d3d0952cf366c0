"""The keys do what README's "Working the queue" says, whichever widget has the focus: every key
here is sent to QApplication.focusWidget(), as a keyboard would, never to a chosen widget."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from dissuade import cli, open_source
from tests.conftest import warning_data
from ui import MainWindow

# Digits whose outcome needs no dialog: each records at once.
PLAIN = [("1", "dissuaded"), ("2", "no_answer"), ("3", "busy"), ("4", "powered_off"),
         ("7", "already_lost"), ("8", "not_fraud"), ("9", "wrong_person"),
         ("0", "invalid_number")]
KEYS = {"1": Qt.Key.Key_1, "2": Qt.Key.Key_2, "3": Qt.Key.Key_3, "4": Qt.Key.Key_4,
        "7": Qt.Key.Key_7, "8": Qt.Key.Key_8, "9": Qt.Key.Key_9, "0": Qt.Key.Key_0}


@pytest.fixture
def busy_db(tmp_path: Path) -> Path:
    """A demo centre with 30 more fresh warnings: enough for twenty in a row."""
    path = tmp_path / "busy.db"
    assert cli.main(["demo", "--db", str(path), "--warnings", "100", "--seed", "7"]) == 0
    feed = open_source(path, user="feeder")
    for n in range(30):
        feed.add_warning(warning_data(n + 1, scam_type="fake_customer_service"))
    feed.close()
    return path


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> str:
    """One key press to whichever widget has the focus; its objectName."""
    target = QApplication.focusWidget()
    assert target is not None, "no widget has the focus: the keyboard would do nothing"
    QTest.keyClick(target, key, modifier)
    return target.objectName()


def shown(qtbot, make_window: Callable[..., MainWindow], db: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    window = make_window(db)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def test_twenty_warnings_in_a_row_with_f2_and_one_digit(qtbot, make_window, busy_db: Path) -> None:  # type: ignore[no-untyped-def]
    """F2, then a digit: twenty times. After the second warning, after Ctrl+F and Esc, after a
    tab switch and back, the digit still records the outcome (it never lands in a search box)."""
    window = shown(qtbot, make_window, busy_db)
    bench = window.workbench
    search = window.findChild(QLineEdit, "scriptSearch")
    lookup = window.findChild(QLineEdit, "lookupEdit")
    presses = []
    recorded = []
    took = []
    for n in range(20):
        count = 0
        started = time.perf_counter()
        with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
            press(Qt.Key.Key_F2)
            count += 1
        if n == 3:  # Ctrl+F goes to the why box; Esc comes back to the workbench
            press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
            assert QApplication.focusWidget() is lookup
            press(Qt.Key.Key_Escape)
            count += 2
        if n == 5:  # another tab and back, by keys
            press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
            press(Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
            count += 2
        if n == 7:  # the search box by its own key, then Esc
            press(Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
            assert QApplication.focusWidget() is search
            press(Qt.Key.Key_Escape)
            count += 2
        digit, outcome = PLAIN[n % len(PLAIN)]
        held = bench.current_id
        with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000) as done:
            where = press(KEYS[digit])
            count += 1
        assert done.args[0].outcome == outcome, where
        assert done.args[0].warning_id == held
        assert search.text() == "" and lookup.text() == "", "a digit went into a search box"
        presses.append(count)
        recorded.append(held)
        took.append(time.perf_counter() - started)
    assert len(set(recorded)) == 20
    plain = [c for i, c in enumerate(presses) if i not in (3, 5, 7)]
    assert set(plain) == {2}  # F2 and one digit, nothing else
    print(f"key presses per warning: {presses}; F2 to recorded, median "
          f"{sorted(took)[10] * 1000:.0f} ms, slowest {max(took) * 1000:.0f} ms")
    check = open_source(busy_db, user="lead-1")
    assert all(check.get(w).attempts for w in recorded)
    check.close()


def test_the_search_box_takes_the_focus_only_when_asked(qtbot, make_window, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    window = shown(qtbot, make_window, demo_db)
    bench = window.workbench
    search = window.findChild(QLineEdit, "scriptSearch")
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        press(Qt.Key.Key_F2)
    assert QApplication.focusWidget() is not search
    # Clicked, it takes digits (a phrase may hold a number); Esc brings the keys back.
    qtbot.mouseClick(search, Qt.MouseButton.LeftButton)
    search.setFocus()  # offscreen, a click does not always move the focus
    press(Qt.Key.Key_5)
    assert search.text() == "5"
    assert bench.current_id is not None  # 5 typed, not a callback asked for
    press(Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is not search
    with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000) as done:
        press(Qt.Key.Key_3)
    assert done.args[0].outcome == "busy"


def test_digits_type_into_the_notes_and_ctrl_digit_records(qtbot, make_window, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    window = shown(qtbot, make_window, demo_db)
    bench = window.workbench
    notes = window.findChild(QPlainTextEdit, "notesEdit")
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        press(Qt.Key.Key_F2)
    notes.setFocus()
    for key in (Qt.Key.Key_2, Qt.Key.Key_0, Qt.Key.Key_0):
        assert press(key) == "notesEdit"
    assert notes.toPlainText() == "200"
    with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000) as done:
        press(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert done.args[0].outcome == "dissuaded" and done.args[0].notes == "200"
    # After the outcome the keys are the workbench's again: F2 then a digit.
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        press(Qt.Key.Key_F2)
    with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000):
        press(Qt.Key.Key_2)


def test_a_focused_widget_is_always_there(qtbot, make_window, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    """Between warnings, and with one open, some widget of the window holds the focus."""
    window = shown(qtbot, make_window, demo_db)
    bench = window.workbench
    assert isinstance(QApplication.focusWidget(), QWidget)
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        press(Qt.Key.Key_F2)
    assert window.isAncestorOf(QApplication.focusWidget())


def test_each_warning_opens_at_the_top(qtbot, make_window, busy_db: Path) -> None:  # type: ignore[no-untyped-def]
    """After the detail pane was scrolled once, the next warnings still open with the number and
    name in sight."""
    window = shown(qtbot, make_window, busy_db)
    window.resize(900, 520)
    bench = window.workbench
    area = bench.detail_view.scroll_area
    bar = area.verticalScrollBar()
    phone = bench.detail_view.phone
    for n in range(3):
        with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
            press(Qt.Key.Key_F2)
        qtbot.wait(50)  # the new rows laid out
        assert bar.value() == 0, n
        top = phone.mapTo(area.viewport(), phone.rect().topLeft()).y()
        assert 0 <= top < area.viewport().height(), "the number is out of sight"
        assert bar.maximum() > 0, "the pane must be able to scroll for this test to mean much"
        bar.setValue(bar.maximum())  # the officer reads the history at the bottom
        with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000):
            press(Qt.Key.Key_2)
