"""The whole officer flow on a demo database: next warning, call, outcome, recorded for good."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QTableView, QWidget

from dissuade import open_source
from dissuade.domain import phones
from dissuade.domain.codes import OUTCOME_LABELS, Outcome
from tests.ui.conftest import queue_loaded
from ui import MainWindow

STABLE_NAMES = ["queueView", "nextWarningButton", "warningDetail", "scriptPanel", "notesEdit",
                "escalateButton", "connectionStatus",
                *[f"outcome_{code.value}" for code in Outcome]]


def test_every_stable_object_name_is_there(qtbot, make_window: Callable[..., MainWindow],  # type: ignore[no-untyped-def]
                                           demo_db: Path) -> None:
    window = make_window(demo_db)
    for name in STABLE_NAMES:
        assert window.findChild(QWidget, name) is not None, name
    queue_loaded(qtbot, window)
    assert window.findChild(QTableView, "queueView").model().rowCount() > 0


def test_next_warning_outcome_and_reopen(qtbot, make_window: Callable[..., MainWindow],  # type: ignore[no-untyped-def]
                                         demo_db: Path) -> None:
    window = make_window(demo_db)
    window.show()
    bench = window.workbench
    expected = open_source(demo_db, user="someone-else").queue(limit=1)[0]

    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000) as opened:
        qtbot.mouseClick(window.findChild(QPushButton, "nextWarningButton"),
                         Qt.MouseButton.LeftButton)
    assert opened.args == [expected.id]
    detail = window.findChild(QWidget, "warningDetail")
    assert detail.findChild(QLabel, "detailPhone").text() == phones.describe(expected.phone).national
    assert phones.describe(expected.phone).region in detail.findChild(QLabel, "detailRegion").text()
    script_text = window.findChild(QWidget, "scriptPanel").findChild(QWidget, "scriptText")
    assert len(script_text.toPlainText()) > 200

    notes = window.findChild(QPlainTextEdit, "notesEdit")
    notes.setFocus()
    notes.insertPlainText("已劝阻，称不再转账")  # typed through an input method; QTest sends ASCII only
    with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000) as recorded:
        qtbot.mouseClick(window.findChild(QPushButton, "outcome_dissuaded"),
                         Qt.MouseButton.LeftButton)
    assert recorded.args[0].outcome == "dissuaded"
    # The screen is ready for the next one: nothing open, the next button enabled.
    assert bench.detail_data is None
    assert window.findChild(QPushButton, "nextWarningButton").isEnabled()
    assert OUTCOME_LABELS["dissuaded"][0] in bench.message.text()
    window.close()

    reopened = open_source(demo_db, user="lead-1")
    detail_after = reopened.get(expected.id)
    assert detail_after.status == "closed"
    assert [(a.outcome, a.notes, a.officer) for a in detail_after.attempts][-1] == (
        "dissuaded", "已劝阻，称不再转账", "officer-007")
    reopened.close()


def test_keys_take_the_next_warning_and_record_outcomes(qtbot, make_window: Callable[..., MainWindow],  # type: ignore[no-untyped-def]
                                                        demo_db: Path) -> None:
    window = make_window(demo_db)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    bench = window.workbench
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_F2)
    first = bench.current_id
    with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000) as recorded:
        qtbot.keyClick(window, Qt.Key.Key_2)  # 2: no answer
    assert recorded.args[0].outcome == "no_answer"
    assert recorded.args[0].warning_id == first
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_F2)
    assert bench.current_id not in (None, first)


def test_put_back_returns_the_warning_and_closing_releases_it(
    qtbot, make_window: Callable[..., MainWindow], demo_db: Path  # type: ignore[no-untyped-def]
) -> None:
    window = make_window(demo_db)
    bench = window.workbench
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        bench.take_next()
    held = bench.current_id
    other = open_source(demo_db, user="officer-2")
    assert held not in [w.id for w in other.queue(limit=50)]
    window.close()  # closing the client gives the warning back at once
    assert held in [w.id for w in other.queue(limit=50)]
    other.close()


def test_escalation_is_recorded_in_the_store(qtbot, make_window: Callable[..., MainWindow],  # type: ignore[no-untyped-def]
                                             demo_db: Path) -> None:
    window = make_window(demo_db)
    bench = window.workbench
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        bench.take_next()
    held = bench.current_id
    with qtbot.waitSignal(bench.escalation_did_record, timeout=10_000) as done:
        bench.propose_escalation(kind="door_visit", reason="电话中仍在转账")
    assert done.args[0].kind == "door_visit"
    check = open_source(demo_db, user="lead-1")
    detail = check.get(held)  # type: ignore[arg-type]
    assert detail.status == "escalated"
    assert [(e.kind, e.reason) for e in detail.escalations][-1] == ("door_visit", "电话中仍在转账")
    check.close()


def test_english_is_selectable_and_remembered(qtbot, make_window: Callable[..., MainWindow],  # type: ignore[no-untyped-def]
                                              demo_db: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = make_window(demo_db, lang=None)
    button = window.findChild(QPushButton, "nextWarningButton")
    assert button.text() == "下一条预警 (F2)"
    assert window.findChild(QPushButton, "outcome_dissuaded").text().endswith("劝阻成功")
    window.set_lang("en")
    assert button.text() == "Next warning (F2)"
    assert window.findChild(QPushButton, "outcome_dissuaded").text().endswith("Dissuaded")
    window.close()
    again = make_window(demo_db, lang=None)
    assert again.findChild(QPushButton, "nextWarningButton").text() == "Next warning (F2)"
    again.set_lang("zh")


def test_the_window_layout_is_remembered(qtbot, make_window: Callable[..., MainWindow],  # type: ignore[no-untyped-def]
                                         demo_db: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = make_window(demo_db)
    window.show()
    window.resize(900, 560)
    window.close()
    assert settings.value("ui/geometry") is not None
    assert settings.value("ui/workbenchSplitter") is not None
    again = make_window(demo_db)
    assert again.workbench.layout_restored  # the panes come from the saved state, not defaults
    again.show()
    # The offscreen screen is 800 pixels wide, so Qt clamps a restored width to fit it; the
    # height comes back as it was left.
    assert again.height() == 560
