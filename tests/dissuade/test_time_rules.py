"""The arithmetic on times, for any policy a lead may set: deadlines, retries, callbacks,
escalation after the maximum of failures, stop-payment holds and chase-call spacing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dissuade.domain import rules
from dissuade.domain.codes import FAILED_OUTCOMES, LEVELS, Status
from dissuade.domain.errors import InvalidInput
from dissuade.domain.policy import LevelPolicy, Policy, default_policy
from dissuade.store import Store
from tests.conftest import warning_data

T0 = 1_800_000_000.0
minutes = st.floats(min_value=0, max_value=24 * 60, allow_nan=False)
levels = st.sampled_from([lv.value for lv in LEVELS])
failed = st.sampled_from(sorted(FAILED_OUTCOMES))


@st.composite
def policies(draw: st.DrawFn) -> Policy:
    table = {}
    for level in LEVELS:
        table[level.value] = LevelPolicy(
            level.value, draw(st.floats(1, 7 * 24 * 60)), draw(minutes), draw(minutes),
            draw(minutes), draw(st.integers(1, 8)),
            draw(st.sampled_from(["card_lock", "door_visit", "chase_call"])),
            draw(st.floats(1, 240)))
    return Policy(levels=table)


@given(policy=policies(), level=levels, reported=st.none() | st.floats(0, 2e9),
       arrived=st.floats(0, 2e9))
def test_the_deadline_counts_from_the_report_or_else_the_arrival(
        policy: Policy, level: str, reported: float | None, arrived: float) -> None:
    believed = reported is not None and rules.REPORT_EARLIEST <= reported <= arrived
    start = reported if believed else arrived
    got = rules.deadline(reported_at=reported, arrived_at=arrived, level=level, policy=policy)
    assert got == start + policy.level(level).first_contact_minutes * 60


@given(policy=policies(), level=levels,
       reported=st.none() | st.floats(-1e10, 1e11, allow_nan=False),
       arrived=st.floats(rules.REPORT_EARLIEST, 5e9))
def test_a_report_time_never_postpones_the_deadline(
        policy: Policy, level: str, reported: float | None, arrived: float) -> None:
    """A feed's clock or time-zone mistake (local time tagged Z) never buys a victim time."""
    limit = policy.level(level).first_contact_minutes * 60
    kept, why = rules.report_time(reported, arrived)
    got = rules.deadline(reported_at=kept, arrived_at=arrived, level=level, policy=policy)
    assert got <= arrived + limit
    assert got == rules.deadline(reported_at=reported, arrived_at=arrived, level=level,
                                 policy=policy)  # what is kept changes nothing
    if reported is None or rules.REPORT_EARLIEST <= reported <= arrived + rules.REPORT_AHEAD_NOTED:
        assert (kept, why) == (reported, None)
    elif reported < rules.REPORT_EARLIEST or reported > arrived + rules.REPORT_AHEAD_ABSENT:
        assert kept is None and why is not None and "counted as absent" in why
    else:
        assert kept == reported and why is not None and "counts from arrival" in why


def test_report_time_notes_say_how_far_ahead() -> None:
    assert rules.report_time(T0 + 3 * 3600, T0)[1] == (
        "报告时间晚于接收时间 3 小时，时限从接收时起算 / reported 3 h in the future: the time limit "
        "counts from arrival")
    assert "12 min" in (rules.report_time(T0 + 12 * 60, T0)[1] or "")
    assert rules.report_time(T0 + 4 * 60, T0) == (T0 + 4 * 60, None)  # a clock's drift
    assert rules.report_time(T0 + 3 * 86400, T0) == (None, (
        "报告时间晚于接收时间 3 天，视为无报告时间，时限从接收时起算 / reported 3 days in the future: "
        "counted as absent; the time limit counts from arrival"))
    assert rules.report_time(rules.REPORT_EARLIEST - 1, T0)[0] is None


@given(policy=policies(), level=levels, outcomes=st.lists(failed, min_size=1, max_size=10),
       has_cards=st.booleans(), now=st.floats(0, 2e9))
def test_failures_retry_after_their_delay_until_the_maximum_escalates(
        policy: Policy, level: str, outcomes: list[str], has_cards: bool, now: float) -> None:
    lp = policy.level(level)
    for before, outcome in enumerate(outcomes):
        move = rules.after_outcome(outcome, level=level, failed_attempts=before,
                                   has_cards=has_cards, policy=policy, now=now, officer="a")
        count = before + 1
        assert move.failed_attempts == count
        if count >= lp.max_failed_attempts:
            assert move.status == Status.ESCALATED
            expected = lp.after_max if lp.after_max != "card_lock" or has_cards else "door_visit"
            assert move.escalate == expected
            return
        assert move.status == Status.RETRY and move.escalate is None
        assert move.available_at == now + lp.retry_minutes(outcome) * 60


@given(at=st.floats(0, 2e9), now=st.floats(0, 2e9), scope=st.sampled_from(["me", "anyone"]))
def test_a_callback_comes_back_at_its_time_never_in_the_past(at: float, now: float,
                                                             scope: str) -> None:
    policy = default_policy()
    horizon = now + policy.callback_horizon_days * 86400
    if at > horizon:  # beyond the policy's horizon: refused, naming the field
        with pytest.raises(InvalidInput) as err:
            rules.after_outcome("callback", level="high", failed_attempts=2, has_cards=False,
                                policy=policy, now=now, officer="a", callback_at=at,
                                callback_scope=scope)
        assert err.value.field == "callback_at"
        return
    move = rules.after_outcome("callback", level="high", failed_attempts=2, has_cards=False,
                               policy=policy, now=now, officer="a", callback_at=at,
                               callback_scope=scope)
    assert move.status == Status.RETRY and move.available_at == max(at, now)
    assert move.failed_attempts == 2  # an agreed callback is not a failure
    assert move.reserved_for == ("a" if scope == "me" else None)


@given(days=st.floats(1, 90), beyond=st.floats(1, 10**6))
def test_a_callback_beyond_the_policys_horizon_is_refused(days: float, beyond: float) -> None:
    from dataclasses import replace

    policy = replace(default_policy(), callback_horizon_days=days)
    limit = T0 + days * 86400
    ok = rules.after_outcome("callback", level="low", failed_attempts=0, has_cards=False,
                             policy=policy, now=T0, officer="a", callback_at=limit)
    assert ok.available_at == limit
    with pytest.raises(InvalidInput) as err:
        rules.after_outcome("callback", level="low", failed_attempts=0, has_cards=False,
                            policy=policy, now=T0, officer="a", callback_at=limit + beyond)
    assert err.value.field == "callback_at"


def test_a_callback_without_a_time_or_with_a_bad_scope_is_refused() -> None:
    for extra, field in (({}, "callback_at"), ({"callback_at": T0, "callback_scope": "all"},
                                               "callback_scope")):
        with pytest.raises(InvalidInput) as err:
            rules.after_outcome("callback", level="high", failed_attempts=0, has_cards=False,
                                policy=default_policy(), now=T0, officer="a", **extra)
        assert err.value.field == field


@settings(max_examples=25, deadline=None)
@given(gaps=st.lists(st.integers(0, 4 * 3600), min_size=1, max_size=6), level=levels,
       outcome=failed)
def test_in_the_store_a_retry_is_out_of_the_queue_until_due_then_first_of_its_level(
        gaps: list[int], level: str, outcome: str) -> None:
    store = Store(":memory:")
    wid = int(store.add_warning(warning_data(1, risk_level=level), actor="f", now=T0)[0].id)
    lp = store.policy().level(level)
    now = T0
    for n, gap in enumerate(gaps, start=1):
        now += gap
        store.claim(wid, user="a", now=now)
        store.record_attempt(wid, user="a", outcome=outcome, now=now)
        warning = store.get(wid).warning
        if n >= lp.max_failed_attempts:
            assert warning.status == "escalated"
            assert store.queue(user="b", now=now + 10**7) == []
            break
        due = now + lp.retry_minutes(outcome) * 60
        assert warning.available_at == due
        # A fresh warning of the same level arrives meanwhile: the due retry still goes first.
        fresh = int(store.add_warning(warning_data(100 + n, risk_level=level), actor="f",
                                      now=now)[0].id)
        if due > now:
            assert wid not in [w.id for w in store.queue(user="b", now=due - 0.5)]
        assert [w.id for w in store.queue(user="b", now=due)][:2] == [wid, fresh]
        store.claim(fresh, user="c", now=due)
        store.record_attempt(fresh, user="c", outcome="dissuaded", now=due)
        now = max(now, due)
    store.close()


@settings(max_examples=20, deadline=None)
@given(hours=st.floats(1, 7 * 24), locked_after=st.integers(0, 10**6))
def test_a_hold_lasts_the_policy_hours_and_extends_once_by_as_many(hours: float,
                                                                   locked_after: int) -> None:
    store = Store(":memory:")
    store.update_settings({"hold_hours": hours}, user="lead")
    wid = int(store.add_warning(warning_data(1, cards=["6222020202020202020"]), actor="f",
                                now=T0)[0].id)
    store.claim(wid, user="a", now=T0)
    store.record_attempt(wid, user="a", outcome="brainwashed", now=T0 + 1)
    (e,) = store.get(wid).escalations
    store.decide_escalation(e.id, decision="approve", user="lead", now=T0 + 2)
    store.advance_escalation(e.id, status="sent", user="a", now=T0 + 3)
    at = T0 + 3 + locked_after
    locked = store.advance_escalation(e.id, status="locked", user="a", now=at)
    assert locked.hold_until == pytest.approx(at + hours * 3600)
    assert store.holds_running_out(within=0, now=at + hours * 3600 - 1) == []
    assert [x.id for x in store.holds_running_out(within=0, now=at + hours * 3600)] == [e.id]
    extended = store.extend_hold(e.id, user="lead")
    assert extended.hold_until == pytest.approx(at + 2 * hours * 3600)
    store.close()


@settings(max_examples=20, deadline=None)
@given(calls=st.integers(2, 6), interval=st.integers(1, 120),
       delays=st.lists(st.integers(0, 5 * 3600), min_size=1, max_size=5))
def test_chase_calls_keep_their_interval_after_a_late_failed_call(
        calls: int, interval: int, delays: list[int]) -> None:
    store = Store(":memory:")
    store.update_settings({"chase_calls": calls, "chase_interval_minutes": interval},
                          user="lead")
    wid = int(store.add_warning(warning_data(1, risk_level="low"), actor="f", now=T0)[0].id)
    store.claim(wid, user="a", now=T0)
    e = store.propose_escalation(wid, user="a", kind="chase_call", reason="连续未接", now=T0)
    store.decide_escalation(e.id, decision="approve", user="lead", now=T0)
    now = T0
    made = 0
    for delay in delays:
        due = store.claim_due_chase_calls(user="dialer", now=now + delay + 10**7)
        if not due:
            break
        (call,) = due  # one call of a schedule at a time, never two
        now = max(now + delay, call.due_at)
        store.conn.execute("UPDATE chase_calls SET claimed_at = NULL")
        import dissuade.store.chase as esc

        esc.record_chase_call(store.conn, call.id, ok=False, result="无人接听", now=now)
        made += 1
        following = [c for c in store.chase_calls(e.id) if c.called_at is None]
        if following:
            assert following[0].due_at >= now + interval * 60
    assert made == min(len(delays), calls)
    if made == calls:
        assert store.escalation(e.id).status == "done"
        assert store.get(wid).status == "retry"  # back for a follow-up
    store.close()
