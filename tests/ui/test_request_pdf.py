"""The bank's request PDF in the client: it shows the cards whole, so it asks why, is offered only
to a lead or the officer who proposed the card lock, and is audited as a reveal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton

from dissuade.store import Store
from tests.conftest import warning_data
from ui import MainWindow

CARD = "6222021234567890123"


@pytest.fixture
def centre(tmp_path: Path) -> Path:
    """A card lock proposed by officer-2 (a brainwashed outcome), waiting for the lead."""
    db = tmp_path / "centre.db"
    store = Store(db)
    store.add_user("lead-1", role="lead")
    store.add_user("officer-007", role="officer")
    store.add_user("officer-2", role="officer")
    wid = int(store.add_warning(warning_data(1, cards=[CARD], amount_at_risk=80000),
                                actor="feed")[0].id)
    store.claim(wid, user="officer-2")
    store.record_attempt(wid, user="officer-2", outcome="brainwashed", notes="仍在转账")
    store.close()
    return db


def _board(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    board = window.escalations
    board.open_files = False
    with qtbot.waitSignal(board.board_did_refresh, timeout=10_000):
        window.tabs.setCurrentWidget(board)
    with qtbot.waitSignal(board.detail_did_load, timeout=10_000):
        board.table.selectRow(0)


def reveals(db: Path) -> list[tuple[str, object]]:
    store = Store(db)
    try:
        return [(e.actor, e.detail) for e in store.audit_entries(action="warning.reveal")]
    finally:
        store.close()


def test_the_proposer_gives_a_reason_and_the_pdf_opens(
        qtbot, make_window: Callable[..., MainWindow], centre: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(centre, user="officer-2")
    window.show()
    _board(qtbot, window)
    board = window.escalations
    button = board.findChild(QPushButton, "previewRequestButton")
    assert button.isEnabled()

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.findChild(QLineEdit, "revealReason").setText("向银行核对卡号")
        dialog.accept()

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(board.request_did_preview, timeout=30_000) as shown:
        button.click()
    text = "\n".join(page.extract_text() for page in PdfReader(shown.args[0]).pages)
    assert CARD in text
    ((actor, detail),) = reveals(centre)
    assert actor == "officer-2" and detail["reason"] == "向银行核对卡号"  # type: ignore[index]
    assert detail["field"] == "cards" and detail["via"] == "request.pdf"  # type: ignore[index]


def test_a_cancelled_reason_makes_no_pdf(
        qtbot, make_window: Callable[..., MainWindow], centre: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(centre, user="lead-1")
    window.show()
    _board(qtbot, window)

    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, cancel)
            return
        dialog.reject()

    QTimer.singleShot(0, cancel)
    with qtbot.assertNotEmitted(window.escalations.request_did_preview, wait=300):
        window.escalations.findChild(QPushButton, "previewRequestButton").click()
    assert reveals(centre) == []


def test_another_officer_is_not_offered_the_pdf(
        qtbot, make_window: Callable[..., MainWindow], centre: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(centre, user="officer-007")
    window.show()
    _board(qtbot, window)
    assert not window.escalations.findChild(QPushButton, "previewRequestButton").isEnabled()
