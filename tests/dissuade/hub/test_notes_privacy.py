"""Card and ID numbers typed into notes, reasons and comments: masked wherever structured ones
are, through both sources, and revealable like cards (`reveal(field="notes")`, audited)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dissuade.domain.errors import Conflict, Forbidden
from dissuade.sources import Source
from tests.conftest import warning_data

Make = Callable[[str], Source]
CARD = "6222020202020202026"  # Luhn-valid
CARD2 = "4111111111111111"
ID = "11010519491231002X"
MASKED = "6222 **** **** 2026"
FRAUD = "对方收款卡 6217001234567890127"  # the fraudster's side: banks need it whole


def worked_warning(make: Make) -> tuple[int, int, int]:
    """A warning whose every free text holds a card or an ID number: (warning, attempt,
    escalation)."""
    feed = make("feed-1")
    wid = int(feed.add_warning(warning_data(1, notes=f"受害人卡号 {CARD}",
                                            fraud_contact=FRAUD)).id)
    officer = make("officer-a")
    officer.claim(wid)
    attempt = officer.record_attempt(wid, outcome="no_answer", notes=f"身份证{ID}，卡 {CARD2}")
    assert CARD2 not in attempt.notes and ID not in attempt.notes  # the echo is masked too
    officer.claim(wid)
    officer.record_message(wid, text=f"请勿向 {CARD} 以外转账", via="clipboard")
    escalation = officer.propose_escalation(wid, kind="card_lock", reason=f"仍在向 {CARD} 转账",
                                            cards=[CARD])  # a card lock needs a card
    lead = make("lead-1")
    lead.decide_escalation(escalation.id, decision="approve", note=f"核对身份证 {ID}")
    officer.advance_escalation(escalation.id, status="sent", note=f"已发银行 {CARD}")
    lead.review_attempt(int(attempt.id), verdict="fail", comment=f"念了卡号 {CARD2}")
    return wid, int(attempt.id), int(escalation.id)


def assert_masked(*texts: str | None) -> None:
    for text in texts:
        assert text is not None
        for secret in (CARD, CARD2, ID, ID[:17]):
            assert secret not in text, text


def test_numbers_in_free_text_leave_masked_through_both_sources(sources: Make) -> None:
    wid, attempt_id, eid = worked_warning(sources)
    officer, lead = sources("officer-a"), sources("lead-1")
    detail = officer.get(wid)
    assert detail.warning.notes == f"受害人卡号 {MASKED}"
    assert detail.warning.fraud_contact == FRAUD
    assert_masked(detail.warning.notes, *(a.notes for a in detail.attempts),
                  *(e.reason for e in detail.escalations),
                  *(e.decision_note for e in detail.escalations),
                  *(m.text for m in detail.messages))
    assert_masked(*(s.note for s in officer.escalation_detail(eid).steps))
    assert_masked(*(e.reason for e in officer.active_escalations()))
    history = lead.warning_history(wid)
    assert_masked(*(r.comment for r in history.reviews),
                  *(str(e.detail) for e in history.trail),
                  *(s.note for e in history.escalations for s in e.steps))
    assert_masked(*(str(e.detail) for e in lead.audit_entries()))
    _, found = lead.find_warnings({"q": str(wid)})
    assert_masked(*(f.warning.notes for f in found))
    assert attempt_id


def test_the_notes_are_revealed_whole_with_a_reason_and_audited(sources: Make) -> None:
    wid, attempt_id, eid = worked_warning(sources)
    officer = sources("officer-a")
    # An officer reveals only on a warning they hold, so after the card lock releases it.
    officer.advance_escalation(eid, status="locked")
    officer.advance_escalation(eid, status="explained", note="已向本人说明")
    officer.claim(wid)
    texts = officer.reveal(wid, field="notes", reason="核对卡号")
    # The warning's own notes first, then each text where it was written, in order.
    assert texts[0] == f"warning notes: 受害人卡号 {CARD}"
    assert f"attempt {attempt_id} notes: 身份证{ID}，卡 {CARD2}" in texts
    assert f"escalation {eid} reason: 仍在向 {CARD} 转账" in texts
    assert f"escalation {eid} decision note: 核对身份证 {ID}" in texts
    assert f"escalation {eid} step sent note: 已发银行 {CARD}" in texts
    assert any(t.startswith("sms ") and t.endswith(f"请勿向 {CARD} 以外转账") for t in texts)
    assert not any(t.startswith(("review ", "audit ")) for t in texts)  # a lead's to see
    assert len(texts) == len(set(texts))  # the proposal's reason is also its first step's note
    lead_texts = sources("lead-1").reveal(wid, field="notes", reason="复核")
    assert any(t.startswith("review ") and t.endswith(f"念了卡号 {CARD2}") for t in lead_texts)
    rows = sources("lead-1").audit_entries(action="warning.reveal")
    assert sorted((r.actor, r.detail["field"], r.detail["reason"]) for r in rows) == [
        ("lead-1", "notes", "复核"), ("officer-a", "notes", "核对卡号")]
    assert_masked(*(str(r.detail) for r in rows))


def test_the_notes_follow_the_reveal_rights(sources: Make) -> None:
    wid, _, _ = worked_warning(sources)
    with pytest.raises(Conflict):
        sources("officer-b").reveal(wid, field="notes", reason="好奇")  # not holding it
    for role_user in ("trainer-1", "admin-1", "feed-1"):
        with pytest.raises(Forbidden):
            sources(role_user).reveal(wid, field="notes", reason="核对")
