"""Escalation in the client: a lead approves a card lock and it reaches the bank; the steps
until the cards are unlocked; what a brainwashed outcome proposes; raising a level; asking why."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QPushButton

from dissuade.domain.errors import Forbidden
from dissuade.gateways.bank import BankGateway
from dissuade.store import Store
from tests.conftest import warning_data
from tests.ui.guard import unguarded
from ui import MainWindow
from ui.workbench.escalation_dialogs import BrainwashedDialog

CARD = "6222021234567890123"
MASKED = "6222 **** **** 0123"


@pytest.fixture
def centre(tmp_path: Path) -> Path:
    """A centre with one lead, one officer and a real (not synthetic) warning in a card lock."""
    db = tmp_path / "centre.db"
    store = Store(db)
    store.add_user("lead-1", role="lead")
    store.add_user("officer-007", role="officer")
    store.add_user("officer-2", role="officer")
    wid = int(store.add_warning(warning_data(
        1, synthetic=False, name="张三", cards=[CARD], amount_at_risk=80000,
        scam_type="impersonating_authority", risk_level="emergency"), actor="feed")[0].id)
    store.claim(wid, user="officer-2")
    store.record_attempt(wid, user="officer-2", outcome="brainwashed",
                         notes="坚称是“安全账户”，正在转账")
    store.close()
    return db


def _board(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    board = window.escalations
    with qtbot.waitSignal(board.board_did_refresh, timeout=10_000):
        window.tabs.setCurrentWidget(board)
    with qtbot.waitSignal(board.detail_did_load, timeout=10_000):
        board.table.selectRow(0)


def _click(qtbot, window: MainWindow, name: str) -> object:  # type: ignore[no-untyped-def]
    board = window.escalations
    with qtbot.waitSignal(board.escalation_did_change, timeout=30_000) as changed:
        qtbot.mouseClick(board.findChild(QPushButton, name), Qt.MouseButton.LeftButton)
    # The board reloads itself and the selected escalation's detail after every step.
    qtbot.waitUntil(lambda: window.runner.busy == 0, timeout=10_000)
    return changed.args[0]


def test_a_lead_approves_a_card_lock_and_the_request_reaches_the_bank(
        qtbot, make_window: Callable[..., MainWindow], centre: Path,  # type: ignore[no-untyped-def]
        tmp_path: Path) -> None:
    window = make_window(centre, user="lead-1")
    window.show()
    window.source.bank = BankGateway(folder=tmp_path / "bank")  # type: ignore[attr-defined]
    _board(qtbot, window)
    board = window.escalations
    assert board.model.pending == 1
    assert MASKED in board.summary.text() and CARD not in board.summary.text()
    board.findChild(QLineEdit, "escalationNote").setText("同意紧急止付")
    approved = _click(qtbot, window, "approveEscalationButton")
    assert approved.status == "approved" and approved.decided_by == "lead-1"  # type: ignore[attr-defined]

    sent = _click(qtbot, window, "sendBankRequestButton")
    assert sent.status == "sent"  # type: ignore[attr-defined]
    pdf = tmp_path / "bank" / f"card-lock-{sent.id}.pdf"  # type: ignore[attr-defined]
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    for field in (CARD, "张三", "80,000.00", "officer-2", "lead-1", "止付期限 48 小时"):
        assert field in text, field
    assert (tmp_path / "bank" / f"card-lock-{sent.id}.json").exists()  # type: ignore[attr-defined]

    locked = _click(qtbot, window, "advanceEscalationButton")
    assert locked.status == "locked" and locked.hold_until > time.time() + 47 * 3600  # type: ignore[attr-defined]
    assert "止付" in board.model.data(board.model.index(0, 4))  # the hold's countdown
    extended = _click(qtbot, window, "extendHoldButton")
    assert extended.hold_extended  # type: ignore[attr-defined]
    assert not board.findChild(QPushButton, "extendHoldButton").isEnabled()  # only once
    board.findChild(QLineEdit, "escalationNote").setText("已联系当事人，说明止付原因")
    assert _click(qtbot, window, "advanceEscalationButton").status == "explained"  # type: ignore[attr-defined]
    assert _click(qtbot, window, "advanceEscalationButton").status == "unlocked"  # type: ignore[attr-defined]

    store = Store(centre)
    wid = store.find_warnings({"q": "T-000001"})[1][0].warning.id
    steps = store.escalation_steps(sent.id)  # type: ignore[attr-defined]
    assert [(s.status, s.actor) for s in steps] == [
        ("proposed", "officer-2"), ("approved", "lead-1"), ("sent", "lead-1"),
        ("locked", "lead-1"), ("hold_extended", "lead-1"), ("explained", "lead-1"),
        ("unlocked", "lead-1")]
    assert "bank-outbox" in steps[2].note or "card-lock" in steps[2].note
    assert store.get(wid).status == "retry"  # back in the queue for the final outcome
    actions = [a for (a,) in store.conn.execute("SELECT action FROM audit ORDER BY id")]
    assert "escalation.approve" in actions and "escalation.extend_hold" in actions
    store.close()


def test_a_rejection_needs_a_note_and_sends_the_warning_back(
        qtbot, make_window: Callable[..., MainWindow], centre: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(centre, user="lead-1")
    window.show()
    _board(qtbot, window)
    board = window.escalations
    with qtbot.waitSignal(board.message_did_change, timeout=5_000) as said:
        qtbot.mouseClick(board.findChild(QPushButton, "rejectEscalationButton"),
                         Qt.MouseButton.LeftButton)
    assert "note" in said.args[0] or "备注" in said.args[0] or "原因" in said.args[0]
    board.findChild(QLineEdit, "escalationNote").setText("先继续电话劝阻")
    rejected = _click(qtbot, window, "rejectEscalationButton")
    assert rejected.status == "rejected" and rejected.decision_note == "先继续电话劝阻"  # type: ignore[attr-defined]
    # Back for its final outcome, reserved for a while for the officer who proposed it.
    source = unguarded(window.source)  # the test's own look, not the window's
    back = source.get(rejected.warning_id).warning  # type: ignore[attr-defined]
    assert (back.status, back.reserved_for) == ("retry", "officer-2")
    assert source.queue_size() == 0


def test_officers_follow_escalations_up_but_cannot_decide(
        qtbot, make_window: Callable[..., MainWindow], centre: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(centre, user="officer-007")
    window.show()
    _board(qtbot, window)
    board = window.escalations
    for name in ("approveEscalationButton", "rejectEscalationButton", "extendHoldButton"):
        assert not board.findChild(QPushButton, name).isVisible(), name
    with pytest.raises(Forbidden):
        unguarded(window.source).decide_escalation(int(board.detail.escalation.id),  # type: ignore[union-attr]
                                                   decision="approve")
    assert "等待值班长审批" in board.why.text()


def _answer_dialog(fill: Callable[[QDialog], None]) -> None:
    """Fill in and accept the next modal dialog once it is shown."""
    def later() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, later)
            return
        fill(dialog)
        dialog.accept()

    QTimer.singleShot(0, later)


def test_brainwashed_proposes_a_card_lock_prefilled_and_editable(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "c.db"
    store = Store(db)
    wid = int(store.add_warning(warning_data(3, cards=[CARD], amount_at_risk=50000),
                                actor="feed")[0].id)
    store.close()
    window = make_window(db)
    bench = window.workbench
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        bench.take_next()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, BrainwashedDialog)
        assert dialog.cards.item(0).text() == MASKED  # the officer never sees the whole number
        assert dialog.amount.text() == "50000.00"
        dialog.amount.setText("30000")
        dialog.extra.setText("6217001234567890")

    _answer_dialog(fill)
    with qtbot.waitSignal(bench.attempt_did_record, timeout=10_000) as recorded:
        bench.outcomes.buttons["brainwashed"].click()
    assert recorded.args[0].outcome == "brainwashed"
    check = Store(db)
    (proposal,) = check.get(wid).escalations
    assert (proposal.kind, proposal.status, proposal.amount) == ("card_lock", "proposed", 30000)
    assert proposal.cards == (CARD, "6217001234567890")  # the masked one resolved to the full card
    assert check.get(wid).status == "escalated"
    check.close()


def test_an_officer_raises_the_level_in_one_action(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "c.db"
    store = Store(db)
    low = int(store.add_warning(warning_data(4, risk_level="low"), actor="feed")[0].id)
    store.close()
    window = make_window(db)
    bench = window.workbench
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        bench.take_next()
    assert bench.raise_button.isEnabled()
    with qtbot.waitSignal(bench.level_did_raise, timeout=10_000) as raised:
        bench.raise_level("emergency", "已转出第一笔")
    assert raised.args[0].risk_level == "emergency"
    assert "紧急" in bench.detail_view.labels["level"].text()
    assert not bench.raise_button.isEnabled()  # nothing above emergency
    check = Store(db)
    assert check.get(low).warning.risk_level == "emergency"
    assert check.audit_trail(entity="warning", entity_id=low)[-1]["detail"]["reason"] == "已转出第一笔"
    check.close()


def test_the_client_says_why_a_warning_is_not_in_the_queue(
        qtbot, make_window: Callable[..., MainWindow], centre: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(centre, user="officer-007")
    bench = window.workbench
    lookup = bench.findChild(QLineEdit, "lookupEdit")
    lookup.setText("1")
    with qtbot.waitSignal(bench.why_did_answer, timeout=10_000) as answered:
        qtbot.keyClick(lookup, Qt.Key.Key_Return)
    assert "已升级" in answered.args[0] and "止付锁卡" in answered.args[0]
    assert "已升级" in bench.message.text()


def test_cards_and_id_are_masked_until_revealed_with_a_reason(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "c.db"
    store = Store(db)
    wid = int(store.add_warning(warning_data(5, cards=[CARD], id_number="11010519491231002X"),
                                actor="feed")[0].id)
    store.close()
    window = make_window(db)
    bench = window.workbench
    with qtbot.waitSignal(bench.warning_did_open, timeout=10_000):
        bench.take_next()
    labels = bench.detail_view.labels
    assert labels["cards"].text() == MASKED and labels["id_number"].text() == "1101**********002X"
    with qtbot.waitSignal(bench.field_did_reveal, timeout=10_000):
        bench.reveal("cards", "向银行核实卡号")
    assert labels["cards"].text() == CARD
    assert labels["id_number"].text() == "1101**********002X"  # only what was asked for
    check = Store(db)
    (row,) = [r for r in check.audit_trail(entity="warning", entity_id=wid)
              if r["action"] == "warning.reveal"]
    assert row["actor"] == "officer-007" and row["detail"] == {"field": "cards",
                                                               "reason": "向银行核实卡号"}
    assert CARD not in str(row)
    check.close()
