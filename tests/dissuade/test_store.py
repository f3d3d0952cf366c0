"""The store: queue order, claims as leases, outcomes moving warnings on, ingest and audit."""

from __future__ import annotations

import re
import sqlite3

import pytest

from dissuade.domain.errors import Conflict, InvalidInput, NotFound
from dissuade.store import Store
from tests.conftest import warning_data

T0 = 1_800_000_000.0  # a fixed "now" so that time limits are exact


def add(store: Store, n: int, *, now: float = T0, **fields: object) -> int:
    warning, created = store.add_warning(warning_data(n, **fields), actor="feed", now=now)
    assert created
    return int(warning.id)


def ids(store: Store, *, user: str = "a", now: float = T0 + 1) -> list[int]:
    return [int(w.id) for w in store.queue(user=user, limit=100, now=now)]


def test_default_policy_has_the_documented_time_limits(store: Store) -> None:
    limits = {lv: p.first_contact_minutes for lv, p in store.policy().levels.items()}
    assert limits == {"emergency": 10, "high": 30, "medium": 120, "low": 1440}
    assert all(p.lease_minutes == 10 for p in store.policy().levels.values())


def test_queue_orders_by_level_then_deadline_then_arrival(store: Store) -> None:
    low = add(store, 1, risk_level="low")
    medium = add(store, 2, risk_level="medium")
    high_late = add(store, 3, risk_level="high", reported_at="2027-01-15 16:00:00")
    high_early = add(store, 4, risk_level="high", reported_at="2027-01-15 15:50:00")
    emergency = add(store, 5, risk_level="emergency", now=T0 + 0.5)
    assert ids(store) == [emergency, high_early, high_late, medium, low]
    assert store.queue_size(user="a", now=T0 + 1) == 5


def test_missing_level_is_graded_by_scam_type(store: Store) -> None:
    fast = store.add_warning(warning_data(1, risk_level=None, scam_type="fake_loan"),
                             actor="feed")[0]
    other = store.add_warning(warning_data(2, risk_level=None, scam_type="impersonating_boss"),
                              actor="feed")[0]
    unknown = store.add_warning(warning_data(3, risk_level=None, scam_type=None), actor="feed")[0]
    assert (fast.risk_level, other.risk_level, unknown.risk_level) == ("emergency", "high", "medium")
    assert unknown.scam_type == "unknown"


def test_deadline_is_report_time_plus_the_level_limit(store: Store) -> None:
    w, _ = store.add_warning(warning_data(1, risk_level="emergency",
                                          reported_at="2027-01-15T08:00:00+00:00"), actor="feed",
                             now=T0 + 60)  # arrived a minute after the feed made it
    assert w.reported_at == T0 and w.deadline - w.reported_at == 600
    arrived_only = store.add_warning(warning_data(2, risk_level="high"), actor="feed", now=T0)[0]
    assert arrived_only.deadline == T0 + 30 * 60


def test_claim_next_takes_the_most_urgent_and_no_one_else_gets_it(store: Store) -> None:
    add(store, 1, risk_level="low")
    urgent = add(store, 2, risk_level="emergency")
    first = store.claim_next(user="a", now=T0 + 1)
    assert first is not None and first.id == urgent and first.status == "claimed"
    second = store.claim_next(user="b", now=T0 + 2)
    assert second is not None and second.id != urgent
    assert store.claim_next(user="c", now=T0 + 3) is None
    with pytest.raises(Conflict) as err:
        store.claim(urgent, user="b", now=T0 + 4)
    assert err.value.holder == "a"


def test_an_expired_lease_returns_the_warning_to_the_queue(store: Store) -> None:
    wid = add(store, 1)
    store.claim_next(user="a", now=T0)
    assert ids(store, user="b", now=T0 + 599) == []
    assert ids(store, user="b", now=T0 + 601) == [wid]
    taken = store.claim_next(user="b", now=T0 + 601)
    assert taken is not None and taken.claimed_by == "b"
    with pytest.raises(Conflict):  # a's lease is gone: a may no longer record
        store.record_attempt(wid, user="a", outcome="dissuaded", now=T0 + 602)


def test_the_holder_renews_by_claiming_again(store: Store) -> None:
    wid = add(store, 1)
    store.claim_next(user="a", now=T0)
    renewed = store.claim(wid, user="a", now=T0 + 500)
    assert renewed.lease_until == T0 + 500 + 600
    assert ids(store, user="b", now=T0 + 700) == []


def test_only_the_holder_records_and_a_closing_outcome_closes(store: Store) -> None:
    wid = add(store, 1)
    with pytest.raises(Conflict, match="claim"):
        store.record_attempt(wid, user="a", outcome="dissuaded", now=T0)
    store.claim_next(user="a", now=T0)
    with pytest.raises(Conflict) as err:
        store.record_attempt(wid, user="b", outcome="dissuaded", now=T0 + 1)
    assert err.value.holder == "a"
    attempt = store.record_attempt(wid, user="a", outcome="dissuaded", notes="已劝阻",
                                   now=T0 + 2)
    detail = store.get(wid)
    assert detail.status == "closed" and detail.attempts == (attempt,)
    assert attempt.notes == "已劝阻" and attempt.officer == "a"
    assert ids(store, now=T0 + 3) == []


def test_unreachable_outcome_retries_after_the_policy_delay_ahead_of_fresh(store: Store) -> None:
    wid = add(store, 1, risk_level="high")
    store.claim_next(user="a", now=T0)
    store.record_attempt(wid, user="a", outcome="no_answer", now=T0 + 10)
    fresh = add(store, 2, risk_level="high", now=T0 + 20)
    assert store.get(wid).status == "retry"
    assert ids(store, now=T0 + 10 + 599) == [fresh]  # high: retry no_answer after 10 min
    assert ids(store, now=T0 + 10 + 600) == [wid, fresh]


def test_too_many_failed_attempts_escalate_as_the_policy_says(store: Store) -> None:
    with_cards = add(store, 1, risk_level="high", cards=["6222020202020202020"])
    without = add(store, 2, risk_level="medium")
    now = T0
    for wid, attempts in ((with_cards, 3), (without, 4)):
        for _ in range(attempts):
            now += 3600
            store.claim(wid, user="a", now=now)
            store.record_attempt(wid, user="a", outcome="busy", now=now)
    assert store.get(with_cards).status == "escalated"
    assert [e.kind for e in store.get(with_cards).escalations] == ["card_lock"]
    assert store.get(with_cards).escalations[0].cards == ("6222020202020202020",)
    assert [e.kind for e in store.get(without).escalations] == ["chase_call"]


def test_brainwashed_proposes_a_card_lock_at_once(store: Store) -> None:
    wid = add(store, 1, cards="6222020202020202020", amount_at_risk="5万")
    store.claim_next(user="a", now=T0)
    store.record_attempt(wid, user="a", outcome="brainwashed", now=T0 + 1)
    detail = store.get(wid)
    assert detail.status == "escalated"
    (proposal,) = detail.escalations
    assert (proposal.kind, proposal.status, proposal.amount) == ("card_lock", "proposed", 50000.0)
    assert ids(store, now=T0 + 2) == []


def test_callback_only_me_is_reserved_for_that_officer(store: Store) -> None:
    wid = add(store, 1)
    store.claim_next(user="a", now=T0)
    store.record_attempt(wid, user="a", outcome="callback", callback_at=T0 + 3600,
                         callback_scope="me", now=T0 + 1)
    assert ids(store, user="a", now=T0 + 3599) == []
    assert ids(store, user="a", now=T0 + 3600) == [wid]
    assert ids(store, user="b", now=T0 + 3600) == []
    with pytest.raises(InvalidInput, match="callback_at"):
        store.claim(wid, user="a", now=T0 + 3601)
        store.record_attempt(wid, user="a", outcome="callback", now=T0 + 3602)


def test_attempts_are_idempotent_on_client_id(store: Store) -> None:
    wid = add(store, 1)
    store.claim_next(user="a", now=T0)
    first = store.record_attempt(wid, user="a", outcome="no_answer", client_id="c-1", now=T0 + 1)
    again = store.record_attempt(wid, user="a", outcome="no_answer", client_id="c-1", now=T0 + 2)
    assert again == first
    assert len(store.get(wid).attempts) == 1


def test_unknown_outcome_is_refused_and_changes_nothing(store: Store) -> None:
    wid = add(store, 1)
    store.claim_next(user="a", now=T0)
    with pytest.raises(InvalidInput, match="unknown outcome: 'talked'") as err:
        store.record_attempt(wid, user="a", outcome="talked", now=T0 + 1)
    assert err.value.field == "outcome"
    detail = store.get(wid)
    assert detail.status == "claimed" and detail.attempts == ()


@pytest.mark.parametrize(("field", "value", "message"), [
    ("phone", "12345", "invalid phone number: *****"),
    ("phone", "138OO138OOO", "holds the letter O"),
    ("source", "x" * 201, "source is longer than 200"),
    ("source", 5, "source must be text"),
    ("name", {"first": "三"}, "name must be text or a number, not an object"),
    ("cards", [["6222020202020202020"]], "each item of cards"),
    ("synthetic", "yes", "synthetic must be a boolean"),
    ("lottery", "x", "unknown field: lottery"),
])
def test_bad_phones_sources_and_shapes_are_refused_naming_the_field(
    store: Store, field: str, value: object, message: str
) -> None:
    add(store, 1)
    with pytest.raises(InvalidInput, match=re.escape(message)) as err:
        store.add_warning(warning_data(2, **{field: value}), actor="feed")
    assert err.value.field == field
    assert store.queue_size(user="a", now=T0 + 10**6) == 1


@pytest.mark.parametrize(("field", "value", "stored", "message"), [
    ("scam_type", "lottery", "unknown", "unknown scam type"),
    ("risk_level", "P9", "high", "unknown risk level: graded high by its scam type"),
    ("cards", ["1234"], "[]", "12-19 digits"),
    ("reported_at", "yesterday", None, "not an ISO 8601 time"),
    ("amount_at_risk", "很多", None, "not an amount"),
    ("id_number", "110105194912310021", "", "check digit"),
])
def test_a_bad_secondary_field_costs_no_victim(
    store: Store, field: str, value: object, stored: object, message: str
) -> None:
    """Settled: the warning is taken with the field empty (or graded), the problem noted."""
    warning, created = store.add_warning(warning_data(2, **{field: value}), actor="feed", now=T0)
    assert created and store.queue_size(user="a", now=T0 + 1) == 1
    row = store.conn.execute(f"SELECT {field} FROM warnings WHERE id = ?", (warning.id,)).fetchone()
    assert row[0] == stored
    (found,) = warning.problems
    assert found["field"] == field and message in found["message"]


def test_changing_a_time_limit_never_postpones_a_deadline_past_arrival(store: Store) -> None:
    """A report time ahead of arrival (local time tagged Z) counts from arrival, also when a
    lead changes the level's limit afterwards."""
    ahead = store.add_warning(warning_data(1, reported_at="2027-01-15T16:00:00Z"), actor="feed",
                              now=T0)[0]  # 8 hours ahead: kept, noted
    assert ahead.reported_at == T0 + 8 * 3600 and ahead.deadline == T0 + 30 * 60
    assert [p["field"] for p in ahead.problems] == ["reported_at"]
    assert ahead.problems[0]["value"] == "2027-01-15T16:00:00Z"
    store.update_level_policy("high", {"first_contact_minutes": 20}, user="lead")
    assert store.warning(ahead.id).deadline == T0 + 20 * 60


def test_ingest_is_idempotent_on_source_and_external_id(store: Store) -> None:
    first, created = store.add_warning(warning_data(1, name="甲"), actor="feed")
    again, created_again = store.add_warning(warning_data(1, name="乙"), actor="feed")
    other_source, created_other = store.add_warning(warning_data(1, source="telecom"),
                                                    actor="feed")
    assert created and not created_again and created_other
    assert again.id == first.id and again.name == "甲"
    assert other_source.id != first.id


def test_repeat_victims_are_flagged_with_their_history(store: Store) -> None:
    first = add(store, 1, phone="139 0000 0001")
    store.claim(first, user="a", now=T0 + 1)
    store.record_attempt(first, user="a", outcome="dissuaded", now=T0 + 2)
    again = add(store, 2, phone="+86 13900000001", now=T0 + 3)
    other = add(store, 3, phone="13900000003", now=T0 + 4)
    detail = store.get(again)
    assert detail.warning.repeat_victim
    assert [(h.warning_id, h.last_outcome) for h in detail.history] == [(first, "dissuaded")]
    assert not store.get(other).warning.repeat_victim


def test_escalation_proposal_takes_the_warning_out_of_the_queue(store: Store) -> None:
    wid = add(store, 1, cards=["6222020202020202020"], amount_at_risk=8000)
    store.claim_next(user="a", now=T0)
    proposal = store.propose_escalation(wid, user="a", kind="door_visit", reason="一直在转账",
                                        client_id="e-1", now=T0 + 1)
    again = store.propose_escalation(wid, user="a", kind="door_visit", reason="一直在转账",
                                     client_id="e-1", now=T0 + 2)
    assert again == proposal and proposal.amount == 8000
    assert store.get(wid).status == "escalated"
    assert ids(store, now=T0 + 3) == []
    with pytest.raises(InvalidInput, match="kind"):
        store.propose_escalation(wid, user="a", kind="arrest", reason="x")


def test_every_change_is_audited_and_the_audit_is_append_only(store: Store) -> None:
    wid = add(store, 1)
    store.claim_next(user="a", now=T0)
    store.record_attempt(wid, user="a", outcome="dissuaded", now=T0 + 1)
    trail = store.audit_trail(entity="warning", entity_id=wid)
    assert [(e["actor"], e["action"]) for e in trail] == [
        ("feed", "warning.create"), ("a", "warning.claim"), ("a", "attempt.create")]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("DELETE FROM audit")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.conn.execute("UPDATE audit SET actor = 'x'")


def test_unknown_warning_is_not_found(store: Store) -> None:
    with pytest.raises(NotFound, match="42"):
        store.get(42)
    with pytest.raises(NotFound):
        store.claim(42, user="a")
