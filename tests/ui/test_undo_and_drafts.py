"""A mistaken outcome is taken back with Ctrl+Z or undoButton, and notes are never lost: kept as a
draft while typed, back when the warning is opened again, asked about before the window closes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from dissuade import open_source
from tests.ui.test_keys import busy_db, press, shown  # noqa: F401 - the fixture
from tests.ui.test_review import (  # noqa: F401 - the fixtures
    audit_rows,
    centre,
    lead,
    loaded_view,
    open_history,
    runner,
    view,
)

__all__ = ["busy_db", "centre", "lead", "runner", "view"]


def test_ctrl_z_puts_the_warning_back_with_its_notes(qtbot, make_window, busy_db: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    window = shown(qtbot, make_window, busy_db)
    bench = window.workbench
    undo = window.findChild(QPushButton, "undoButton")
    notes = window.findChild(QPlainTextEdit, "notesEdit")
    assert not undo.isEnabled()
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        press(Qt.Key.Key_F2)
    held = bench.current_id
    notes.setFocus()
    qtbot.keyClicks(notes, "no answer twice")
    press(Qt.Key.Key_Escape)  # out of the notes: digits are outcomes again
    with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000):
        press(Qt.Key.Key_7)  # 7 already lost: the wrong key
    assert undo.isEnabled() and "10" in undo.text() or "9" in undo.text()
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000) as back:
        press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert back.args == [held]
    assert notes.toPlainText() == "no answer twice"
    assert not undo.isEnabled()
    check = open_source(busy_db, user="lead-1")
    detail = check.get(held)  # type: ignore[arg-type]
    assert detail.status == "claimed" and detail.warning.claimed_by == "officer-007"
    assert detail.attempts == ()
    # The right key now: recorded, and that one counts.
    with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000) as done:
        press(Qt.Key.Key_2)
    assert done.args[0].outcome == "no_answer" and done.args[0].notes == "no answer twice"
    assert [a.outcome for a in check.get(held).attempts] == ["no_answer"]  # type: ignore[arg-type]
    check.close()


def test_the_undo_button_does_it_too_and_the_next_warning_ends_the_offer(
        qtbot, make_window, busy_db: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    window = shown(qtbot, make_window, busy_db)
    bench = window.workbench
    undo = window.findChild(QPushButton, "undoButton")
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        press(Qt.Key.Key_F2)
    first = bench.current_id
    with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000):
        press(Qt.Key.Key_1)
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert bench.current_id == first
    with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000):
        press(Qt.Key.Key_1)
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        press(Qt.Key.Key_F2)
    assert not undo.isEnabled()  # holding the next one: a lead reopens the last one now
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert bench.current_id != first


def test_notes_survive_closing_the_window(qtbot, make_window, busy_db: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    window = shown(qtbot, make_window, busy_db)
    bench = window.workbench
    notes = window.findChild(QPlainTextEdit, "notesEdit")
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        press(Qt.Key.Key_F2)
    held = bench.current_id
    notes.setFocus()
    qtbot.keyClicks(notes, "called from a bank app")
    check = open_source(busy_db, user="officer-007")
    # Saved as typed (a second after the last key), without closing anything.
    qtbot.waitUntil(lambda: check.draft(held) == "called from a bank app", timeout=5_000)  # type: ignore[arg-type]
    qtbot.keyClicks(notes, ", 5000 yuan")
    window.close()  # the last words too: saved before the warning goes back
    assert check.draft(held) == "called from a bank app, 5000 yuan"  # type: ignore[arg-type]
    assert open_source(busy_db, user="lead-1").draft(held) == ""  # type: ignore[arg-type]

    again = shown(qtbot, make_window, busy_db)
    bench = again.workbench
    with qtbot.waitSignal(bench.drafts.did_restore, timeout=10_000):
        bench.open_warning(held)  # type: ignore[arg-type]
    assert again.findChild(QPlainTextEdit, "notesEdit").toPlainText() == \
        "called from a bank app, 5000 yuan"
    with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000):
        press(Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert check.draft(held) == ""  # type: ignore[arg-type]
    check.close()


def test_quitting_while_holding_a_warning_asks_first(qtbot, make_window, busy_db: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    window = shown(qtbot, make_window, busy_db)
    bench = window.workbench
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        press(Qt.Key.Key_F2)
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(button).click()

    QTimer.singleShot(100, lambda: answer(QMessageBox.StandardButton.No))
    press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert asked and str(bench.current_id) in asked[0]
    assert window.isVisible() and bench.current_id is not None
    window.activateWindow()  # the message box gone, as a desktop gives the focus back
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=2_000)
    QTimer.singleShot(100, lambda: answer(QMessageBox.StandardButton.Yes))
    press(Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_a_lead_reopens_a_closed_warning_from_its_history(qtbot, view, centre) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    path, ids = centre
    loaded_view(qtbot, view)
    dialog = open_history(qtbot, view, ids["w1"])  # closed: dissuaded
    box = dialog.findChild(QWidget, "reopenBox")
    button = dialog.findChild(QPushButton, "reopenButton")
    reason = dialog.findChild(QLineEdit, "reopenReason")
    assert box.isVisible() and not button.isEnabled()  # a reason first
    qtbot.keyClicks(reason, "family says transfers go on")
    assert button.isEnabled()
    with qtbot.waitSignal(dialog.reopen_box.did_reopen, timeout=10_000) as done:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert done.args[0].status == "retry"
    check = open_source(path, user="officer-9")
    assert ids["w1"] in [w.id for w in check.queue(limit=50)]
    check.close()
    assert [d for _a, d in audit_rows(path, "warning.reopen")][0]["reason"] == \
        "family says transfers go on"
