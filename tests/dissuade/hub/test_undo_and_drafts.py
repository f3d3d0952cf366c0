"""Undo within seconds, a lead's reopening, and draft notes: each through both sources (a local
file and a real hub on loopback)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from dissuade import open_source
from dissuade.domain.errors import Conflict, Forbidden, InvalidInput
from dissuade.sources import Source
from dissuade.sources.http import HttpSource
from dissuade.store import undo
from tests.conftest import warning_data
from tests.dissuade.hub.test_contract import feed
from tests.hubs import ThreadHub

Make = Callable[[str], Source]
PHONE = "13912345678"


def test_undo_puts_the_warning_back_as_it_was(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1))
    officer = sources("officer-a")
    assert officer.claim_next().id == wid  # type: ignore[union-attr]
    before = officer.get(wid).warning
    attempt = officer.record_attempt(wid, "no_answer", "没接", client_id="undo-1")
    assert officer.get(wid).status == "retry"
    undone = officer.undo_attempt(int(attempt.id))
    assert undone.voided_at is not None
    after = officer.get(wid)
    assert after.status == "claimed" and after.warning.claimed_by == "officer-a"
    assert after.warning.failed_attempts == before.failed_attempts
    assert after.warning.last_outcome == before.last_outcome
    assert after.attempts == ()  # the voided call is not listed, and counts nowhere
    assert officer.draft(wid) == "没接"  # the notes come back with it
    # Idempotent: the same undo again answers the same, and changes nothing.
    assert officer.undo_attempt(int(attempt.id)).voided_at == undone.voided_at
    # The right outcome now, as if the mistake never happened.
    officer.record_attempt(wid, "dissuaded", "已劝阻", client_id="undo-2")
    lead = sources("lead-1")
    assert lead.get(wid).status == "closed"
    assert lead.stats()["by_outcome"] == {"dissuaded": 1}
    assert lead.draft(wid) == ""  # another's drafts are never seen
    actions = [e.action for e in lead.audit_entries(entity="warning", entity_id=wid)]
    assert "attempt.undo" in actions


def test_undo_restores_the_linked_warnings_the_call_settled(sources: Make) -> None:
    first, second = feed(sources, warning_data(1, phone=PHONE, source="bank"),
                         warning_data(2, phone=PHONE, source="telecom"))
    officer = sources("officer-a")
    officer.claim_next()
    attempt = officer.record_attempt(first, "dissuaded", "", client_id="undo-linked",
                                     settles=[first, second])
    assert {officer.get(w).status for w in (first, second)} == {"closed"}
    officer.undo_attempt(int(attempt.id))
    for w in (first, second):
        detail = officer.get(w)
        assert detail.status == "claimed" and detail.warning.claimed_by == "officer-a"
        assert detail.attempts == ()


def test_undo_withdraws_the_automatic_proposal(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1, cards=["6222020202020202020"]))
    officer = sources("officer-a")
    officer.claim_next()
    attempt = officer.record_attempt(wid, "brainwashed", "", client_id="undo-bw")
    assert officer.get(wid).status == "escalated"
    assert len(officer.pending_escalations()) == 1
    officer.undo_attempt(int(attempt.id))
    assert officer.get(wid).status == "claimed"
    assert officer.pending_escalations() == []
    assert [e.status for e in officer.get(wid).escalations] == ["withdrawn"]


def test_undo_is_the_officers_own_and_refused_once_someone_acted(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1, cards=["6222020202020202020"]))
    officer, other, lead = sources("officer-a"), sources("officer-b"), sources("lead-1")
    officer.claim_next()
    attempt = officer.record_attempt(wid, "brainwashed", "", client_id="undo-acted")
    # Someone else's outcome, as someone else's claim: 409, naming whose it is.
    with pytest.raises(Conflict, match="officer-a"):
        other.undo_attempt(int(attempt.id))
    with pytest.raises(Conflict, match="officer-a"):
        lead.undo_attempt(int(attempt.id))
    (proposal,) = lead.pending_escalations()
    lead.decide_escalation(int(proposal.id), decision="approve", note="")
    with pytest.raises(Conflict):  # a lead decided the proposal: the outcome stands
        officer.undo_attempt(int(attempt.id))
    assert officer.get(wid).status == "escalated"


def test_undo_only_within_the_window_by_the_stores_clock(sources: Make,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # The hub runs in this process (a thread), so both sources read the same window.
    monkeypatch.setattr(undo, "UNDO_SECONDS", 0.5)
    (wid,) = feed(sources, warning_data(1))
    officer = sources("officer-a")
    officer.claim_next()
    attempt = officer.record_attempt(wid, "dissuaded", "", client_id="undo-late")
    time.sleep(0.7)
    with pytest.raises(Conflict, match="reopen"):
        officer.undo_attempt(int(attempt.id))
    assert officer.get(wid).status == "closed"


def test_a_lead_reopens_a_closed_warning_with_a_reason(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1))
    officer, lead = sources("officer-a"), sources("lead-1")
    officer.claim_next()
    officer.record_attempt(wid, "not_fraud", "", client_id="reopen-1")
    with pytest.raises(Forbidden):
        officer.reopen_warning(wid, reason="再核实")
    with pytest.raises(InvalidInput):
        lead.reopen_warning(wid, reason="")
    reopened = lead.reopen_warning(wid, reason="家属来电称仍在转账")
    assert reopened.status == "retry"
    assert wid in [w.id for w in officer.queue(limit=10)]
    with pytest.raises(Conflict):  # open already
        lead.reopen_warning(wid, reason="again")
    entry = next(e for e in lead.audit_entries(entity="warning", entity_id=wid)
                 if e.action == "warning.reopen")
    assert entry.actor == "lead-1" and "家属来电称仍在转账" in str(entry.detail)


def test_draft_notes_are_kept_per_warning_and_author(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1))
    officer, other = sources("officer-a"), sources("officer-b")
    officer.claim_next()
    assert officer.draft(wid) == ""
    officer.save_draft(wid, notes="对方称是客服，卡号 6222 0202 0202 0202 020")
    # Kept whole for its author (not masked: it goes back into the notes box), nobody else's.
    assert officer.draft(wid) == "对方称是客服，卡号 6222 0202 0202 0202 020"
    assert other.draft(wid) == ""
    officer.save_draft(wid, notes="改过的笔记")
    assert officer.draft(wid) == "改过的笔记"
    officer.record_attempt(wid, "dissuaded", "改过的笔记", client_id="draft-1")
    assert officer.draft(wid) == ""  # recorded with the outcome: the draft is gone


def test_an_outcome_kept_offline_is_undone_in_the_outbox(hub: ThreadHub, tmp_path: Path) -> None:
    (wid,) = feed(lambda user: open_source(hub.db, user=user), warning_data(1))
    officer = HttpSource(hub.url, token=hub.tokens["officer-a"],
                         outbox_path=str(tmp_path / "outbox.db"))
    try:
        officer.claim_next()
        hub.stop()
        kept = officer.record_attempt(wid, "dissuaded", "", client_id="kept-1")
        assert kept.pending and officer.outbox.count() == 1
        assert officer.withdraw_kept("kept-1") == 0
        assert officer.outbox.count() == 0
        assert officer.withdraw_kept("kept-1") is None
    finally:
        officer.close()
    check = open_source(hub.db, user="lead-1")
    assert check.get(wid).attempts == ()
    check.close()


def test_a_phones_warnings_are_found_in_any_written_form(sources: Make) -> None:
    old, new = feed(sources, warning_data(1, phone="13800138000"),
                    warning_data(2, phone="+86 138 0013 8000", source="telecom"))
    officer = sources("officer-a")
    for written in ("138 0013 8000", "+86-138-0013-8000", "0086 13800138000", "13800138000"):
        assert officer.warnings_of_phone(written) == [new, old], written
    assert officer.warnings_of_phone("139 0000 0000") == []
    with pytest.raises(InvalidInput, match="电话号码"):
        officer.warnings_of_phone("12345678901234567890123")


def test_an_outcome_kept_offline_and_sent_meanwhile_is_undone_on_the_hub(
        hub: ThreadHub, tmp_path: Path) -> None:
    (wid,) = feed(lambda user: open_source(hub.db, user=user), warning_data(1))
    officer = HttpSource(hub.url, token=hub.tokens["officer-a"],
                         outbox_path=str(tmp_path / "outbox.db"))
    try:
        officer.claim_next()
        hub.stop()
        kept = officer.record_attempt(wid, "busy", "占线", client_id="kept-2")
        assert kept.pending
        hub.start()  # the hub is back and the replayer sends it before the officer undoes
        officer.replay_outbox()
        assert officer.outbox.count() == 0
        attempt_id = officer.withdraw_kept("kept-2")
        assert attempt_id  # not in the outbox any more: the id the hub gave it
        officer.undo_attempt(attempt_id)
        detail = officer.get(wid)
        assert detail.status == "claimed" and detail.attempts == ()
    finally:
        officer.close()
