"""One victim, one case, and nothing recorded in the wrong state: each rule through both sources
(a local file and a real hub on loopback)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from dissuade import open_source
from dissuade.domain.errors import Conflict, Forbidden, InvalidInput
from dissuade.sources import Source
from dissuade.sources.http import HttpSource
from tests.conftest import warning_data
from tests.dissuade.hub.test_contract import feed
from tests.hubs import FaultyProxy, ThreadHub

Make = Callable[[str], Source]
CARD = "6222020202020202020"
PHONE = "13912345678"


def same_person(make: Make, *sources_: str) -> list[int]:
    """Warnings about one person from several feeds, each with facts of its own."""
    items = [warning_data(n, phone=PHONE, source=src, fraud_contact=f"QQ {n}0000",
                          amount_at_risk=1000 * n, cards=[CARD] if n == 1 else None,
                          notes=f"{src} 的预警")
             for n, src in enumerate(sources_, start=1)]
    for item in items:
        if item["cards"] is None:
            del item["cards"]
    return feed(make, *items)


# -- one victim, one case ------------------------------------------------------------------------


def test_two_feeds_on_one_person_are_one_case_held_by_one_officer(sources: Make) -> None:
    w1, w2 = same_person(sources, "bank", "telecom")
    (other,) = feed(sources, warning_data(9, risk_level="low"))
    a, b = sources("officer-a"), sources("officer-b")
    # The queue counts warnings but lists the person once, with their linked warning.
    assert a.queue_size() == 3
    rows = a.queue(limit=10)
    assert [w.id for w in rows] == [w1, other] and rows[0].linked == 1
    taken = a.claim_next()
    assert taken is not None and taken.id == w1
    # The second feed's warning came with it: nobody else can call the person meanwhile.
    assert a.get(w2).warning.claimed_by == "officer-a"
    with pytest.raises(Conflict) as err:
        b.claim(w2)
    assert err.value.holder == "officer-a"
    nxt = b.claim_next()
    assert nxt is not None and nxt.id == other
    # Every feed's facts on one screen.
    detail = a.get(w1)
    assert [w.id for w in detail.linked] == [w2]
    assert {detail.warning.fraud_contact, detail.linked[0].fraud_contact} == {"QQ 10000",
                                                                               "QQ 20000"}
    assert detail.warning.cards == ("6222 **** **** 2020",)


def test_one_outcome_settles_every_warning_on_screen_each_with_its_own_attempt(
        sources: Make) -> None:
    w1, w2 = same_person(sources, "bank", "telecom")
    a, b = sources("officer-a"), sources("officer-b")
    a.claim(w1)
    attempt = a.record_attempt(w1, outcome="dissuaded", notes="已劝阻", settles=[w1, w2])
    assert attempt.settled == (w1, w2)
    for wid in (w1, w2):
        detail = b.get(wid)
        assert detail.status == "closed"
        assert [(x.outcome, x.officer) for x in detail.attempts] == [("dissuaded", "officer-a")]
    # Nobody is sent to call the dissuaded person again.
    assert b.claim_next() is None


def test_a_warning_left_out_goes_back_to_the_queue(sources: Make) -> None:
    w1, w2 = same_person(sources, "bank", "telecom")
    a, b = sources("officer-a"), sources("officer-b")
    a.claim(w1)
    attempt = a.record_attempt(w1, outcome="not_fraud", settles=[w1])
    assert attempt.settled == (w1,)
    assert b.get(w1).status == "closed"
    back = b.get(w2).warning
    assert back.status == "new" and back.claimed_by is None
    again = b.claim_next()
    assert again is not None and again.id == w2


def test_a_warning_arriving_while_the_person_is_held_is_not_called_twice(sources: Make) -> None:
    (w1,) = same_person(sources, "bank")
    a, b = sources("officer-a"), sources("officer-b")
    a.claim(w1)
    (w2,) = feed(sources, warning_data(2, phone=PHONE, source="telecom"))
    # It joins A's claim at once: officer B is never given the person A is talking to.
    assert b.get(w2).warning.claimed_by == "officer-a"
    assert b.claim_next() is None
    with pytest.raises(Conflict):
        b.claim(w2)
    # A's outcome lists what A had on screen: the later warning is not settled by it.
    a.record_attempt(w1, outcome="dissuaded", settles=[w1])
    assert a.get(w2).status in ("new", "retry")
    nxt = b.claim_next()
    assert nxt is not None and nxt.id == w2


def test_a_repeat_victim_had_a_case_closed_as_a_victim(sources: Make) -> None:
    (first,) = feed(sources, warning_data(1, phone="13900000001"))
    (wrong,) = feed(sources, warning_data(2, phone="13900000002"))
    a = sources("officer-a")
    for wid, outcome in ((first, "dissuaded"), (wrong, "wrong_person")):
        a.claim(wid)
        a.record_attempt(wid, outcome=outcome)
    again, other = feed(sources, warning_data(3, phone="13900000001"),
                        warning_data(4, phone="13900000002"))
    assert a.get(again).warning.repeat_victim
    # A wrong person says nothing about whoever holds the number now.
    assert not a.get(other).warning.repeat_victim


def test_claim_next_is_idempotent_on_its_client_id(sources: Make) -> None:
    first, second = feed(sources, warning_data(1), warning_data(2))
    a, b = sources("officer-a"), sources("officer-b")
    cid = str(uuid.uuid4())
    taken = a.claim_next(client_id=cid)
    assert taken is not None and taken.id == first
    # The answer was lost: asking again with the same id gives the same warning.
    again = a.claim_next(client_id=cid)
    assert again is not None and again.id == first
    # Never a second warning on it: another user, or after the claim ended.
    with pytest.raises(Conflict):
        b.claim_next(client_id=cid)
    a.record_attempt(first, outcome="dissuaded")
    with pytest.raises(Conflict):
        a.claim_next(client_id=cid)
    fresh = a.claim_next(client_id=str(uuid.uuid4()))
    assert fresh is not None and fresh.id == second


# -- nothing recorded in the wrong state ----------------------------------------------------------


def test_a_warning_under_escalation_takes_no_outcome_until_released(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1, cards=[CARD], amount_at_risk=50000))
    a, b, lead = sources("officer-a"), sources("officer-b"), sources("lead-1")
    a.claim(wid)
    a.record_attempt(wid, outcome="brainwashed")
    (lock,) = a.get(wid).escalations
    assert lock.kind == "card_lock" and lock.status == "proposed"
    # The reported defect: a second officer claimed it by id and closed it while the card lock
    # waited, and the lead then sent a stop-payment for a person already dissuaded.
    with pytest.raises(Conflict):
        b.claim(wid)
    with pytest.raises(Conflict):
        b.record_attempt(wid, outcome="dissuaded")
    with pytest.raises(Conflict):
        a.record_attempt(wid, outcome="dissuaded")
    assert "升级" in b.why(wid)
    lead.decide_escalation(lock.id, decision="approve", note="同意止付")
    a.advance_escalation(lock.id, status="sent")
    a.advance_escalation(lock.id, status="locked")
    assert a.get(wid).status == "escalated"
    with pytest.raises(InvalidInput) as err:
        a.advance_escalation(lock.id, status="explained")  # a note says what was explained
    assert err.value.field == "note"
    a.advance_escalation(lock.id, status="explained", note="已向本人说明，卡已冻结")
    # Released: back for its final outcome, first for the officer who explained it.
    back = b.get(wid).warning
    assert (back.status, back.reserved_for) == ("retry", "officer-a")
    with pytest.raises(Conflict):
        b.claim(wid)
    a.claim(wid)
    a.record_attempt(wid, outcome="dissuaded", notes="说明后不再转账")
    assert a.get(wid).status == "closed"
    # The card lock goes on to the unlock.
    assert a.advance_escalation(lock.id, status="unlocked").status == "unlocked"


def test_only_the_holder_proposes_and_a_card_lock_needs_a_card(sources: Make) -> None:
    with_card, without = feed(sources, warning_data(1, cards=[CARD]), warning_data(2))
    a, b = sources("officer-a"), sources("officer-b")
    with pytest.raises(Conflict):
        a.propose_escalation(with_card, kind="door_visit", reason="联系不上")
    a.claim(with_card)
    with pytest.raises(Conflict):
        b.propose_escalation(with_card, kind="door_visit", reason="联系不上")
    b.claim(without)
    with pytest.raises(InvalidInput) as err:
        b.propose_escalation(without, kind="card_lock", reason="仍在转账")
    assert err.value.field == "cards"
    # Brainwashed with no card known proposes officers at the door instead.
    b.record_attempt(without, outcome="brainwashed")
    (visit,) = b.get(without).escalations
    assert visit.kind == "door_visit"


def test_one_live_escalation_of_a_kind_per_person(sources: Make) -> None:
    (w1,) = feed(sources, warning_data(1, phone=PHONE, cards=[CARD]))
    a = sources("officer-a")
    a.claim(w1)
    a.record_attempt(w1, outcome="brainwashed")
    (lock,) = a.get(w1).escalations
    # New money may be moving: a later warning of the person enters the queue normally ...
    (w2,) = feed(sources, warning_data(2, phone=PHONE, source="telecom"))
    assert a.get(w2).warning.status == "new"
    nxt = a.claim_next()
    assert nxt is not None and nxt.id == w2
    # ... and joins the person's card lock instead of opening a second one.
    a.record_attempt(w2, outcome="brainwashed")
    (joined,) = a.get(w2).escalations
    assert joined.id == lock.id and set(joined.warning_ids) == {w1, w2}
    assert [e.id for e in a.pending_escalations()] == [lock.id]


def test_a_lead_does_not_approve_their_own_proposal_unless_the_policy_allows(
        sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1))
    lead = sources("lead-1")
    lead.claim(wid)
    proposal = lead.propose_escalation(wid, kind="door_visit", reason="联系不上")
    with pytest.raises(Conflict):
        lead.decide_escalation(proposal.id, decision="approve", note="我批准")
    lead.update_settings({"self_approval": True})
    try:
        with pytest.raises(InvalidInput) as err:
            lead.decide_escalation(proposal.id, decision="approve")
        assert err.value.field == "note"
        approved = lead.decide_escalation(proposal.id, decision="approve", note="夜班仅一人值守")
        assert approved.status == "approved"
    finally:
        lead.update_settings({"self_approval": False})


def test_notes_steps_and_double_clicks(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1, district="思明区"))
    a, lead = sources("officer-a"), sources("lead-1")
    a.claim(wid)
    visit = a.propose_escalation(wid, kind="door_visit", reason="联系不上",
                                 client_id="visit-1")
    with pytest.raises(InvalidInput) as err:
        lead.decide_escalation(visit.id, decision="reject")
    assert err.value.field == "note"
    lead.decide_escalation(visit.id, decision="approve", note="同意")
    # The same decision and the same step twice (a double click) are recorded once.
    lead.decide_escalation(visit.id, decision="approve", note="同意")
    a.advance_escalation(visit.id, status="dispatched")
    a.advance_escalation(visit.id, status="dispatched")
    with pytest.raises(InvalidInput):
        a.advance_escalation(visit.id, status="visited")
    a.advance_escalation(visit.id, status="visited", note="已上门，本人已停止转账")
    steps = [s.status for s in a.escalation_detail(visit.id).steps]
    assert steps == ["proposed", "approved", "dispatched", "visited"]
    # An escalation client_id reused on another warning is a conflict, as for attempts.
    (other,) = feed(sources, warning_data(2))
    a.claim(other)
    with pytest.raises(Conflict):
        a.propose_escalation(other, kind="door_visit", reason="x", client_id="visit-1")


def test_closed_warnings_keep_their_level_and_type(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1, risk_level="low"))
    a, b = sources("officer-a"), sources("officer-b")
    a.claim(wid)
    with pytest.raises(Conflict):
        b.raise_level(wid, level="high", reason="正在转账")
    with pytest.raises(Conflict):
        b.retype_warning(wid, scam_type="fake_loan")
    a.record_attempt(wid, outcome="not_fraud")
    with pytest.raises(Conflict):
        a.raise_level(wid, level="high", reason="正在转账")
    with pytest.raises(Conflict):
        a.retype_warning(wid, scam_type="fake_loan")


# -- callbacks -------------------------------------------------------------------------------


def test_an_only_me_callback_is_not_taken_by_another_officer_even_by_id(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1))
    a, b, lead = sources("officer-a"), sources("officer-b"), sources("lead-1")
    a.claim(wid)
    a.record_attempt(wid, outcome="callback", callback_at=time.time() - 1, callback_scope="me")
    assert [w.id for w in a.queue()] == [wid]
    assert b.queue() == [] and b.claim_next() is None
    with pytest.raises(Conflict) as err:
        b.claim(wid)
    assert err.value.holder == "officer-a"
    with pytest.raises(Forbidden):
        b.reassign(wid, to="officer-b", reason="我来")
    moved = lead.reassign(wid, to="officer-b", reason="officer-a 下班")
    assert moved.reserved_for == "officer-b"
    assert b.claim(wid).claimed_by == "officer-b"


def test_a_callback_beyond_the_horizon_is_refused(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1))
    a = sources("officer-a")
    a.claim(wid)
    with pytest.raises(InvalidInput) as err:
        a.record_attempt(wid, outcome="callback", callback_at=time.time() + 8 * 86400,
                         callback_scope="me")
    assert err.value.field == "callback_at"
    assert a.get(wid).attempts == ()


def test_a_callback_lapses_to_anyone_after_its_grace(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1))
    a, b, lead = sources("officer-a"), sources("officer-b"), sources("lead-1")
    lead.update_settings({"callback_grace_minutes": 0})
    try:
        a.claim(wid)
        a.record_attempt(wid, outcome="callback", callback_at=time.time() + 1,
                         callback_scope="me")
        assert b.claim_next() is None
        time.sleep(1.2)
        # Its time plus the grace passed and officer-a has no live session: anyone's now.
        taken = b.claim_next()
        assert taken is not None and taken.id == wid
    finally:
        lead.update_settings({"callback_grace_minutes": 30})


def test_a_claim_whose_answer_was_lost_is_the_same_claim_when_asked_again(
        hub: ThreadHub, tmp_path: Path) -> None:
    """The hub claimed a warning but its answer never reached the workstation: the source asks
    again with the same client_id and gets that warning, never a second one."""
    feeder = open_source(hub.db, user="feed-1")
    try:
        first, second = feed(lambda _user: feeder, warning_data(1), warning_data(2))
    finally:
        feeder.close()
    proxy = FaultyProxy(hub.url, lose={"/api/v1/queue/claim-next": 1},
                        lose_seconds=2.5).start()
    source = HttpSource(proxy.url, token=hub.tokens["officer-a"],
                        outbox_path=str(tmp_path / "outbox.db"),
                        timeout=httpx.Timeout(1.0, connect=1.0))
    try:
        taken = source.claim_next()
        assert taken is not None and taken.id == first
        assert proxy.count("POST", "/api/v1/queue/claim-next") == 2
        check = open_source(hub.db, user="lead-1")
        try:
            assert check.get(first).warning.claimed_by == "officer-a"
            assert check.get(second).warning.status == "new"  # never a second claim
        finally:
            check.close()
    finally:
        source.close()
        proxy.stop()


SURROGATE = "仍在转账\ud800"


@pytest.mark.parametrize("call", [
    lambda a, lead, w, e: a.record_attempt(w, outcome="no_answer", notes=SURROGATE),
    lambda a, lead, w, e: a.propose_escalation(w, kind="door_visit", reason=SURROGATE),
    lambda a, lead, w, e: lead.decide_escalation(e, decision="reject", note=SURROGATE),
    lambda a, lead, w, e: a.advance_escalation(e, status="dispatched", note=SURROGATE),
    lambda a, lead, w, e: a.raise_level(w, level="emergency", reason=SURROGATE),
    lambda a, lead, w, e: lead.reassign(w, to=None, reason=SURROGATE),
], ids=["attempt notes", "proposal reason", "decision note", "step note", "raise reason",
        "reassign reason"])
def test_the_core_refuses_text_it_cannot_store_on_the_warning_paths(
        tmp_path: Path, call: Callable[..., object]) -> None:
    """A lone surrogate reaches the core through a local source too: InvalidInput naming the
    field, nothing stored, never a crash from SQLite."""
    from tests.hubs import make_users

    db = tmp_path / "centre.db"
    make_users(db)
    a, lead = open_source(db, user="officer-a"), open_source(db, user="lead-1")
    try:
        w, other = feed(lambda _u: lead, warning_data(1, risk_level="low"), warning_data(2))
        a.claim(other)
        e = int(a.propose_escalation(other, kind="door_visit", reason="联系不上").id)
        a.claim(w)
        with pytest.raises(InvalidInput) as err:
            call(a, lead, w, e)
        assert err.value.field in ("notes", "reason", "note")
        assert a.get(w).attempts == ()
    finally:
        a.close()
        lead.close()
