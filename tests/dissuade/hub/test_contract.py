"""One contract, two sources: every case runs against the local file and against the hub."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import pytest

from dissuade.domain.errors import Conflict, Forbidden, InvalidInput
from dissuade.sources import Source
from tests.conftest import warning_data

Make = Callable[[str], Source]


def feed(make: Make, *items: dict[str, object]) -> list[int]:
    source = make("feed-1")
    return [int(source.add_warning(item).id) for item in items]


def test_queue_is_in_order_and_sized(sources: Make) -> None:
    low, emergency, high = feed(sources, warning_data(1, risk_level="low"),
                                warning_data(2, risk_level="emergency"),
                                warning_data(3, risk_level="high"))
    officer = sources("officer-a")
    assert [w.id for w in officer.queue(limit=10)] == [emergency, high, low]
    assert officer.queue_size() == 3
    assert [w.id for w in officer.queue(limit=1, offset=1)] == [high]
    first = officer.queue(limit=1)[0]
    assert first.phone == "+8613900000002" and first.risk_level == "emergency"


def test_ingest_is_idempotent_and_bad_input_names_the_field(sources: Make) -> None:
    f = sources("feed-1")
    first = f.add_warning(warning_data(1, name="甲"))
    again = f.add_warning(warning_data(1, name="乙"))
    assert first.created and not again.created and again.id == first.id
    assert sources("lead-1").get(first.id).warning.name == "甲"  # the first version is kept
    with pytest.raises(InvalidInput) as err:
        f.add_warning(warning_data(2, phone="12345"))
    assert err.value.field == "phone"
    # A bad secondary field names itself in the problems and costs no victim (settled).
    lottery = f.add_warning(warning_data(3, scam_type="lottery"))
    assert lottery.created and [p["field"] for p in lottery.problems] == ["scam_type"]


def test_claims_are_exclusive_and_only_the_holder_records(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1))
    a, b = sources("officer-a"), sources("officer-b")
    claimed = a.claim_next()
    assert claimed is not None and claimed.id == wid and claimed.claimed_by == "officer-a"
    assert b.claim_next() is None
    with pytest.raises(Conflict) as err:
        b.claim(wid)
    assert err.value.holder == "officer-a"
    with pytest.raises(Conflict):
        b.record_attempt(wid, outcome="dissuaded")
    attempt = a.record_attempt(wid, outcome="dissuaded", notes="已劝阻")
    assert (attempt.outcome, attempt.notes, attempt.officer, attempt.pending) == (
        "dissuaded", "已劝阻", "officer-a", False)
    detail = b.get(wid)
    assert detail.status == "closed"
    assert [(x.outcome, x.officer) for x in detail.attempts] == [("dissuaded", "officer-a")]


def test_attempts_are_idempotent_on_client_id(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1))
    a = sources("officer-a")
    a.claim(wid)
    cid = str(uuid.uuid4())
    first = a.record_attempt(wid, outcome="no_answer", client_id=cid)
    again = a.record_attempt(wid, outcome="no_answer", client_id=cid)
    assert again.id == first.id
    assert len(a.get(wid).attempts) == 1
    assert a.get(wid).status == "retry"


def test_a_dialled_call_keeps_when_it_was_dialled_answered_and_hung_up(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1))
    a = sources("officer-a")
    a.claim(wid)
    dialled = round(time.time() - 40, 3)
    a.record_attempt(wid, outcome="dissuaded", dialled_at=dialled, started_at=dialled + 6,
                     ended_at=dialled + 36.5)
    (kept,) = sources("lead-1").get(wid).attempts
    assert (kept.dialled_at, kept.started_at, kept.ended_at) == pytest.approx(
        (dialled, dialled + 6, dialled + 36.5), abs=1)  # the wire's times are whole seconds


def test_unknown_outcome_is_refused_naming_the_field(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1))
    a = sources("officer-a")
    a.claim(wid)
    with pytest.raises(InvalidInput) as err:
        a.record_attempt(wid, outcome="talked")
    assert err.value.field == "outcome"
    assert a.get(wid).attempts == ()


def test_release_puts_it_back_and_renewal_keeps_it(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1))
    a, b = sources("officer-a"), sources("officer-b")
    held = a.claim(wid)
    renewed = a.claim(wid)
    assert renewed.lease_until is not None and held.lease_until is not None
    assert renewed.lease_until >= held.lease_until
    a.release(wid)
    again = b.claim_next()
    assert again is not None and again.id == wid


def test_escalation_is_proposed_by_officers_and_decided_by_leads(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1, cards=["6222020202020202020"], amount_at_risk=9000))
    a, lead = sources("officer-a"), sources("lead-1")
    a.claim(wid)
    proposal = a.propose_escalation(wid, kind="card_lock", reason="仍在转账",
                                    client_id="esc-1")
    assert proposal.kind == "card_lock" and proposal.status == "proposed"
    assert proposal.cards == ("6222 **** **** 2020",) and proposal.amount == 9000
    assert a.propose_escalation(wid, kind="card_lock", reason="仍在转账",
                                client_id="esc-1").id == proposal.id
    assert [e.id for e in lead.pending_escalations()] == [proposal.id]
    with pytest.raises(Forbidden):
        a.decide_escalation(proposal.id, decision="approve")
    approved = lead.decide_escalation(proposal.id, decision="approve", note="同意止付")
    assert (approved.status, approved.decided_by) == ("approved", "lead-1")
    sent = a.advance_escalation(proposal.id, status="sent")
    assert sent.status == "sent"
    with pytest.raises(Conflict):
        a.advance_escalation(proposal.id, status="unlocked")
    with pytest.raises(InvalidInput):
        a.advance_escalation(proposal.id, status="visited")
    assert a.get(wid).status == "escalated"


def test_detail_shows_history_of_the_same_phone(sources: Make) -> None:
    (first,) = feed(sources, warning_data(1, phone="13900000001"))
    a = sources("officer-a")
    a.claim(first)
    a.record_attempt(first, outcome="already_lost", amount_lost=3000)
    # Victimised again after the first case closed: a repeat victim, not a linked warning.
    (second,) = feed(sources, warning_data(2, phone="139 0000 0001", source="telecom"))
    detail = a.get(second)
    assert detail.warning.repeat_victim
    assert [(h.warning_id, h.last_outcome) for h in detail.history] == [(first, "already_lost")]


def test_stats_count_the_shift(sources: Make) -> None:
    ids = feed(sources, warning_data(1, risk_level="emergency", scam_type="fake_loan"),
               warning_data(2, risk_level="high"), warning_data(3, risk_level="high"))
    a, lead = sources("officer-a"), sources("lead-1")
    for wid, outcome in zip(ids, ["dissuaded", "already_lost", "no_answer"], strict=True):
        a.claim(wid)
        a.record_attempt(wid, outcome=outcome)
    now = time.time()
    figures = lead.stats(start=now - 3600, end=now + 3600)
    assert figures["received"] == 3
    assert figures["by_level"] == {"emergency": 1, "high": 2}
    assert figures["handled"] == 3
    assert figures["by_outcome"] == {"dissuaded": 1, "already_lost": 1, "no_answer": 1}
    assert figures["dissuaded"] == 1 and figures["already_lost"] == 1
    assert figures["dissuasion_rate"] == 0.5
    assert figures["within_time_limit_rate"] == 1.0
    assert figures["escalations_pending"] == 0
    with pytest.raises(Forbidden):
        a.stats()


def test_changes_are_seen_by_a_waiting_client(sources: Make) -> None:
    officer = sources("officer-a")
    seq, last, _ = officer.wait_for_changes(after=0, after_warning=0, timeout=0)
    (wid,) = feed(sources, warning_data(1, risk_level="emergency"))
    started = time.monotonic()
    new_seq, new_last, arrivals = officer.wait_for_changes(after=seq, after_warning=last,
                                                           timeout=5)
    assert time.monotonic() - started < 1.0  # a posted warning reaches clients within a second
    assert new_seq > seq and new_last == wid
    assert [(w.id, w.risk_level) for w in arrivals] == [(wid, "emergency")]


def test_the_live_answer_says_when_the_queue_next_changes_by_time(sources: Make) -> None:
    """`next_change`: the earliest of a retry coming due, a lease running out and an uncalled
    warning passing its limit; a client sleeps until then instead of polling."""
    (called, fresh) = feed(sources, warning_data(1), warning_data(2, risk_level="low"))
    officer = sources("officer-a")
    low_deadline = officer.get(fresh).warning.deadline
    officer.claim(called)
    lease = officer.get(called).warning.lease_until
    changes = officer.wait_for_changes(after=0, after_warning=0, timeout=0)
    assert changes.next_change is not None  # type: ignore[attr-defined]
    assert abs(changes.next_change - min(lease, low_deadline)) < 1.0  # type: ignore[attr-defined]
    officer.record_attempt(called, outcome="no_answer")
    due = officer.get(called).warning.available_at
    assert due > time.time()
    changes = officer.wait_for_changes(after=0, after_warning=0, timeout=0)
    assert abs(changes.next_change - min(due, low_deadline)) < 1.0  # type: ignore[attr-defined]


def test_time_limits_and_escalation_over_both_sources(sources: Make) -> None:
    (wid, low) = feed(sources, warning_data(1, cards=["6222020202020202020"], district="思明区"),
                      warning_data(2, risk_level="low"))
    a, lead = sources("officer-a"), sources("lead-1")
    raised = a.raise_level(low, level="emergency", reason="已开始转账")
    assert raised.risk_level == "emergency"
    assert a.queue(limit=1)[0].id == low
    a.claim(wid)
    a.record_attempt(wid, outcome="brainwashed", escalation={"amount": 12000})
    (proposal,) = a.get(wid).escalations
    assert proposal.amount == 12000 and proposal.kind == "card_lock"
    assert "等待值班长审批" in a.why(wid)
    assert "lead" in a.why(wid, lang="en")
    lead.decide_escalation(proposal.id, decision="approve", note="同意")
    a.advance_escalation(proposal.id, status="sent")
    locked = a.advance_escalation(proposal.id, status="locked")
    assert locked.hold_until is not None
    assert [e.id for e in a.holds_running_out(within=49 * 3600)] == [proposal.id]
    with pytest.raises(Forbidden):
        a.extend_hold(proposal.id)
    assert lead.extend_hold(proposal.id, note="延长").hold_extended
    detail = a.escalation_detail(proposal.id)
    assert [s.status for s in detail.steps] == ["proposed", "approved", "sent", "locked",
                                                 "hold_extended"]
    assert [s.actor for s in detail.steps][1] == "lead-1"
    assert [e.id for e in a.pending_escalations()] == []
    assert [e.id for e in a.active_escalations()] == [proposal.id]
    changed = lead.update_level_policy("low", {"max_failed_attempts": 2})
    assert changed.level("low").max_failed_attempts == 2
    with pytest.raises(InvalidInput) as err:
        lead.update_level_policy("low", {"lease_minutes": 0})
    assert err.value.field == "lease_minutes"
    with pytest.raises(Forbidden):
        a.update_level_policy("low", {"max_failed_attempts": 3})
