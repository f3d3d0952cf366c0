"""Escalation rules in the store: steps with who and when, holds, stations, chase calls, policy,
raising a level and the answer to "why is it not in the queue?"."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dissuade.domain.errors import Conflict, InvalidInput
from dissuade.store import Store
from tests.conftest import warning_data

T0 = 1_800_000_000.0
CARD = "6222020202020202020"


def claimed(store: Store, n: int = 1, **fields: object) -> int:
    wid = int(store.add_warning(warning_data(n, **fields), actor="feed", now=T0)[0].id)
    store.claim(wid, user="a", now=T0 + 1)
    return wid


def test_a_card_lock_walks_its_steps_with_who_and_when_and_a_48_hour_hold(store: Store) -> None:
    wid = claimed(store, cards=[CARD], amount_at_risk=30000)
    store.record_attempt(wid, user="a", outcome="brainwashed", now=T0 + 60,
                         escalation={"cards": [CARD, "6217000000000000001"], "amount": "2万"})
    (proposal,) = store.get(wid).escalations
    assert proposal.cards == (CARD, "6217000000000000001") and proposal.amount == 20000
    e = proposal.id
    store.decide_escalation(e, decision="approve", note="同意", user="lead", now=T0 + 120)
    for status, when in (("sent", 180), ("locked", 240)):
        store.advance_escalation(e, status=status, user="a", now=T0 + when)
    locked = store.escalation(e)
    assert locked.hold_until == T0 + 240 + 48 * 3600
    assert [(s.status, s.actor, s.at) for s in store.escalation_steps(e)] == [
        ("proposed", "a", T0 + 60), ("approved", "lead", T0 + 120), ("sent", "a", T0 + 180),
        ("locked", "a", T0 + 240)]
    assert [x.id for x in store.holds_running_out(within=3600, now=T0 + 47 * 3600 + 300)] == [e]
    assert store.holds_running_out(within=3600, now=T0 + 40 * 3600) == []
    extended = store.extend_hold(e, user="lead", note="资金仍在风险中")
    assert extended.hold_until == locked.hold_until + 48 * 3600 and extended.hold_extended  # type: ignore[operator]
    with pytest.raises(Conflict, match="once"):
        store.extend_hold(e, user="lead")
    store.advance_escalation(e, status="explained", user="a", note="已向当事人解释", now=T0 + 300)
    store.advance_escalation(e, status="unlocked", user="a", now=T0 + 360)
    assert store.get(wid).status == "retry"  # back for the final outcome
    store.claim(wid, user="a", now=T0 + 400)
    store.record_attempt(wid, user="a", outcome="dissuaded", now=T0 + 420)
    assert store.get(wid).status == "closed"


def test_a_door_visit_goes_to_the_districts_station(store: Store) -> None:
    store.conn.execute("UPDATE settings SET value = ? WHERE key = 'stations'",
                       ('{"思明区": "思明分局中华派出所"}',))
    wid = claimed(store, district="思明区")
    visit = store.propose_escalation(wid, user="a", kind="door_visit", reason="联系不上")
    assert visit.station == "思明分局中华派出所"
    other = claimed(store, 2, district="湖里区")
    assert store.propose_escalation(other, user="a", kind="door_visit",
                                    reason="x").station == "湖里区辖区派出所"


def test_an_approved_chase_call_is_scheduled_and_ends_when_a_call_gets_through(
    store: Store,
) -> None:
    wid = claimed(store, risk_level="medium")
    chase = store.propose_escalation(wid, user="a", kind="chase_call", reason="连续未接",
                                     now=T0 + 10)
    scheduled = store.decide_escalation(chase.id, decision="approve", user="lead", now=T0 + 20)
    assert scheduled.status == "scheduled"
    calls = store.chase_calls(chase.id)
    assert [(c.number, c.due_at) for c in calls] == [(1, T0 + 20), (2, T0 + 620), (3, T0 + 1220)]
    assert [c.number for c in store.due_chase_calls(now=T0 + 700)] == [1, 2]
    store.record_chase_call(calls[0].id, ok=False, result="无人接听")
    assert store.escalation(chase.id).status == "scheduled"
    store.record_chase_call(calls[1].id, ok=True, result="已接通，播放完毕")
    assert store.escalation(chase.id).status == "done"
    assert store.due_chase_calls(now=T0 + 10**6) == []
    assert store.get(wid).status == "retry"


def test_a_rejected_proposal_sends_the_warning_back_to_the_queue(store: Store) -> None:
    wid = claimed(store)
    e = store.propose_escalation(wid, user="a", kind="door_visit", reason="x", now=T0 + 5)
    assert store.queue_size(user="b", now=T0 + 10) == 0
    store.decide_escalation(e.id, decision="reject", note="先继续电话劝阻", user="lead", now=T0 + 9)
    # Back for its final outcome, first for the officer who proposed it, then for anyone.
    assert store.queue_size(user="a", now=T0 + 10) == 1
    assert store.queue_size(user="b", now=T0 + 10) == 0
    assert store.queue_size(user="b", now=T0 + 9 + 30 * 60) == 1
    with pytest.raises(Conflict):
        store.decide_escalation(e.id, decision="approve", user="lead")


@settings(max_examples=40)
@given(limit=st.integers(1, 7 * 24 * 60), reported_ago=st.integers(0, 10**6))
def test_a_new_time_limit_moves_waiting_deadlines(limit: int, reported_ago: int) -> None:
    store = Store(":memory:")
    reported = T0 - reported_ago
    # No report time from the feed: the limit counts from arrival.
    wid = int(store.add_warning(warning_data(1, risk_level="high"), actor="feed",
                                now=reported)[0].id)
    store.update_level_policy("high", {"first_contact_minutes": limit}, user="lead")
    assert store.get(wid).warning.deadline == reported + limit * 60
    assert store.policy().level("high").first_contact_minutes == limit
    store.close()


def test_policy_changes_are_checked_and_audited(store: Store) -> None:
    store.update_level_policy("low", {"max_failed_attempts": 2, "after_max": "door_visit",
                                      "retry_busy_minutes": 7.5}, user="lead")
    low = store.policy().level("low")
    assert (low.max_failed_attempts, low.after_max, low.retry_busy_minutes) == (2, "door_visit",
                                                                                  7.5)
    for bad, field in (({"first_contact_minutes": 0}, "first_contact_minutes"),
                       ({"after_max": "arrest"}, "after_max"), ({"colour": 1}, "colour"),
                       ({"max_failed_attempts": 2.5}, "max_failed_attempts")):
        with pytest.raises(InvalidInput) as err:
            store.update_level_policy("low", bad, user="lead")
        assert err.value.field == field
    (row,) = store.conn.execute("SELECT actor, detail FROM audit WHERE action = 'policy.update'")
    assert row[0] == "lead" and '"max_failed_attempts": 2' in row[1]


def test_raising_a_level_moves_the_warning_up_and_never_down(store: Store) -> None:
    low = int(store.add_warning(warning_data(1, risk_level="low"), actor="f", now=T0)[0].id)
    high = int(store.add_warning(warning_data(2, risk_level="high"), actor="f", now=T0)[0].id)
    raised = store.raise_level(low, level="emergency", reason="已转出第一笔", user="a", now=T0 + 5)
    assert raised.risk_level == "emergency" and raised.deadline == T0 + 600
    assert [w.id for w in store.queue(user="a", now=T0 + 6)] == [low, high]
    with pytest.raises(Conflict, match="raised"):
        store.raise_level(high, level="low", reason="x", user="a")
    with pytest.raises(InvalidInput):
        store.raise_level(high, level="emergency", reason=" ", user="a")


def test_why_says_where_the_warning_is(store: Store) -> None:
    wid = int(store.add_warning(warning_data(1), actor="f", now=T0)[0].id)
    assert store.why(wid, user="a", now=T0 + 1) == "在队列中，可立即领取。"
    store.claim(wid, user="b", now=T0 + 1)
    assert store.why(wid, user="a", now=T0 + 2).startswith("正由b处置")
    store.record_attempt(wid, user="b", outcome="no_answer", now=T0 + 3)
    assert "等待重拨" in store.why(wid, user="a", now=T0 + 4)
    assert "Waiting to retry" in store.why(wid, user="a", lang="en", now=T0 + 4)
    store.claim(wid, user="b", now=T0 + 1000)
    store.propose_escalation(wid, user="b", kind="door_visit", reason="x", now=T0 + 1001)
    assert "等待值班长审批" in store.why(wid, user="a", now=T0 + 1002)
    other = int(store.add_warning(warning_data(2), actor="f", now=T0)[0].id)
    store.claim(other, user="b", now=T0 + 1)
    store.record_attempt(other, user="b", outcome="dissuaded", now=T0 + 5)
    assert store.why(other, user="a", now=T0 + 6).startswith("已办结：b")


def test_a_hold_that_ran_out_is_lapsed_and_cannot_be_extended(store: Store) -> None:
    wid = claimed(store, cards=[CARD])
    store.record_attempt(wid, user="a", outcome="brainwashed", now=T0 + 60)
    (lock,) = store.get(wid).escalations
    store.decide_escalation(lock.id, decision="approve", note="同意", user="lead", now=T0 + 70)
    store.advance_escalation(lock.id, status="sent", user="a", now=T0 + 80)
    locked = store.advance_escalation(lock.id, status="locked", user="a", now=T0 + 90)
    assert locked.hold_until is not None
    after = locked.hold_until + 60
    # Still listed to the lead once it ran out: lapsed is a flag, not a state.
    assert [e.id for e in store.holds_running_out(within=0, now=after)] == [lock.id]
    with pytest.raises(Conflict, match="run out"):
        store.extend_hold(lock.id, user="lead", note="晚了", now=after)
    # Before it ran out, and only while locked, it extends (once).
    assert store.extend_hold(lock.id, user="lead", now=after - 3600).hold_extended


def test_a_follow_up_is_reserved_for_half_an_hour_then_anyones(store: Store) -> None:
    wid = claimed(store)
    visit = store.propose_escalation(wid, user="a", kind="door_visit", reason="联系不上",
                                     now=T0 + 10)
    store.decide_escalation(visit.id, decision="approve", note="同意", user="lead", now=T0 + 20)
    store.advance_escalation(visit.id, status="dispatched", user="lead", now=T0 + 30)
    store.advance_escalation(visit.id, status="visited", note="已上门", user="c", now=T0 + 40)
    back = store.get(wid).warning
    assert (back.status, back.reserved_for) == ("retry", "c")
    assert store.queue_size(user="c", now=T0 + 41) == 1
    assert store.queue_size(user="b", now=T0 + 41) == 0
    with pytest.raises(Conflict):
        store.claim(wid, user="b", now=T0 + 41)
    assert store.queue_size(user="b", now=T0 + 40 + 30 * 60) == 1
    assert store.claim(wid, user="b", now=T0 + 40 + 30 * 60).claimed_by == "b"


def test_revoking_an_officer_lapses_their_callbacks_at_once(store: Store) -> None:
    store.add_user("a", role="officer")
    store.add_user("b", role="officer")
    wid = claimed(store)
    store.record_attempt(wid, user="a", outcome="callback", callback_at=T0 + 3600,
                         callback_scope="me", now=T0 + 5)
    assert store.queue_size(user="b", now=T0 + 3601) == 0
    store.revoke_user("a", actor="admin")
    assert store.queue_size(user="b", now=T0 + 3601) == 1
    assert "reserved_for" not in store.why(wid, user="b", now=T0 + 3601)


def test_a_lead_reassigns_a_callback_with_a_reason_recorded(store: Store) -> None:
    store.add_user("a", role="officer")
    store.add_user("b", role="officer")
    wid = claimed(store)
    store.record_attempt(wid, user="a", outcome="callback", callback_at=T0 + 3600,
                         callback_scope="me", now=T0 + 5)
    with pytest.raises(InvalidInput) as err:
        store.reassign(wid, to="nobody", reason="换人", user="lead", now=T0 + 10)
    assert err.value.field == "to"
    moved = store.reassign(wid, to="b", reason="a 下班", user="lead", now=T0 + 10)
    assert moved.reserved_for == "b"
    trail = store.audit_trail(entity="warning", entity_id=wid)
    assert trail[-1]["action"] == "warning.reassign"
    assert trail[-1]["detail"] == {"from": "a", "to": "b", "reason": "a 下班"}
    assert store.queue_size(user="b", now=T0 + 3601) == 1
    assert store.queue_size(user="a", now=T0 + 3601) == 0
