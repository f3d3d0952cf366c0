"""The lifecycle's rules, the same on both sources: retries, callbacks, escalation after the
maximum of failures, a brainwashed card lock, a door visit's station, a chase call's schedule,
the policy a lead changes, and why a warning is where it is."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from dissuade.domain.errors import Conflict, Forbidden, InvalidInput
from dissuade.sources import Source
from tests.conftest import warning_data

Make = Callable[[str], Source]
CARD = "6222020202020202020"


def feed(make: Make, *items: dict[str, object]) -> list[int]:
    source = make("feed-1")
    return [int(source.add_warning(item).id) for item in items]


def test_unreachable_outcomes_come_back_after_their_delay_and_reach_the_maximum(
        sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1, risk_level="emergency"))
    a, b = sources("officer-a"), sources("officer-b")
    delays = {"no_answer": 5, "busy": 3, "powered_off": 10}  # emergency defaults, minutes
    for n, outcome in enumerate(("no_answer", "busy"), start=1):
        a.claim(wid)
        before = time.time()
        a.record_attempt(wid, outcome=outcome)
        w = b.get(wid).warning
        assert (w.status, w.failed_attempts, w.last_outcome) == ("retry", n, outcome)
        assert before + delays[outcome] * 60 - 1 <= w.available_at <= time.time() + \
            delays[outcome] * 60 + 1
        assert wid not in [x.id for x in b.queue(limit=10)]  # not due yet
        assert "等待重拨" in b.why(wid)
    a.claim(wid)  # a due-or-not retry can still be claimed on purpose
    a.record_attempt(wid, outcome="powered_off")
    detail = b.get(wid)
    assert detail.status == "escalated"  # three failures: the emergency maximum
    (proposal,) = detail.escalations
    assert (proposal.kind, proposal.automatic) == ("door_visit", True)  # no cards: door visit


def test_a_callback_is_kept_for_its_time_and_only_me_means_me(sources: Make) -> None:
    first, second = feed(sources, warning_data(1), warning_data(2))
    a, b = sources("officer-a"), sources("officer-b")
    soon = time.time() + 3600
    a.claim(first)
    a.record_attempt(first, outcome="callback", callback_at=soon, callback_scope="me")
    a.claim(second)
    a.record_attempt(second, outcome="callback", callback_at=time.time() - 1,
                     callback_scope="anyone")
    assert b.get(first).warning.reserved_for == "officer-a"
    assert [w.id for w in b.queue(limit=10)] == [second]  # the due one, for anyone
    assert "officer-a" in b.why(first)
    with pytest.raises(InvalidInput) as err:
        a.claim(second)
        a.record_attempt(second, outcome="callback")
    assert err.value.field == "callback_at"


def test_brainwashed_proposes_a_card_lock_with_the_officers_corrections(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1, cards=[CARD], amount_at_risk=40000))
    a, lead = sources("officer-a"), sources("lead-1")
    a.claim(wid)
    a.record_attempt(wid, outcome="brainwashed",
                     escalation={"cards": ["6222 **** **** 2020", "6217001234567890"],
                                 "amount": "3万", "reason": "仍在向“安全账户”转账"})
    (proposal,) = lead.pending_escalations()
    assert (proposal.kind, proposal.amount, proposal.reason) == ("card_lock", 30000,
                                                                 "仍在向“安全账户”转账")
    assert proposal.cards == ("6222 **** **** 2020", "6217 **** **** 7890")  # masked out
    assert lead.get(wid).status == "escalated" and a.queue_size() == 0


def test_a_door_visit_goes_to_the_districts_station_and_records_the_visit(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1, district="思明区"))
    a, lead = sources("officer-a"), sources("lead-1")
    lead.update_settings({"stations": {"思明区": "思明分局中华派出所"}})
    a.claim(wid)
    visit = a.propose_escalation(wid, kind="door_visit", reason="电话打不通，仍在转账")
    assert visit.station == "思明分局中华派出所"
    lead.decide_escalation(visit.id, decision="approve")
    a.advance_escalation(visit.id, status="dispatched")
    done = a.advance_escalation(visit.id, status="visited", note="已上门，当事人已停止转账")
    assert done.status == "visited"
    steps = a.escalation_detail(visit.id).steps
    assert [(s.status, s.note) for s in steps][-1] == ("visited", "已上门，当事人已停止转账")
    assert a.get(wid).status == "retry"  # back for the final outcome
    a.claim(wid)
    a.record_attempt(wid, outcome="dissuaded", notes="上门后劝阻成功")
    assert a.get(wid).status == "closed"


def test_an_approved_chase_call_is_scheduled_as_the_policy_says(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1, risk_level="medium"))
    a, lead = sources("officer-a"), sources("lead-1")
    lead.update_settings({"chase_calls": 4, "chase_interval_minutes": 15})
    a.claim(wid)
    chase = a.propose_escalation(wid, kind="chase_call", reason="四次未接通")
    assert lead.decide_escalation(chase.id, decision="approve").status == "scheduled"
    calls = a.escalation_detail(chase.id).calls
    assert [c.number for c in calls] == [1, 2, 3, 4]
    assert [round(c.due_at - calls[0].due_at) for c in calls] == [0, 900, 1800, 2700]
    ended = a.advance_escalation(chase.id, status="done", note="当事人已回电")
    assert ended.status == "done"
    assert all(c.called_at is not None for c in a.escalation_detail(chase.id).calls)


def test_a_policy_change_applies_at_once_on_every_source(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1, risk_level="low"))
    a, lead = sources("officer-a"), sources("lead-1")
    lead.update_level_policy("low", {"max_failed_attempts": 1, "after_max": "door_visit",
                                     "first_contact_minutes": 60})
    w = a.get(wid).warning
    assert w.deadline == pytest.approx(w.arrived_at + 3600)
    a.claim(wid)
    a.record_attempt(wid, outcome="no_answer")
    assert [e.kind for e in a.get(wid).escalations] == ["door_visit"]
    with pytest.raises(Forbidden):
        a.update_settings({"hold_hours": 24})
    with pytest.raises(InvalidInput) as err:
        lead.update_settings({"shift_starts": [8, 24]})
    assert err.value.field == "shift_starts"


def test_only_the_holder_moves_a_warning_and_levels_only_go_up(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1, risk_level="medium"))
    a, b = sources("officer-a"), sources("officer-b")
    a.claim(wid)
    with pytest.raises(Conflict) as err:
        b.raise_level(wid, level="emergency", reason="已转账")
    assert err.value.holder == "officer-a"
    assert a.raise_level(wid, level="high", reason="已下载会议软件").risk_level == "high"
    with pytest.raises(Conflict):
        a.raise_level(wid, level="low", reason="误报")
    assert "正由您处置" in a.why(wid) and "officer-a" in b.why(wid)
