"""The shift figures (/stats; docs/architecture.md, "The shift figures") and the shift report,
against hand-counted shifts.

Every time is fixed: the period is T0 <= t < T1 (an eight-hour shift) and `now` is given, so a
time limit, a period edge and "overdue" are exact to the second.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import Attempt
from dissuade.domain.policy import default_policy
from dissuade.store import Store
from tests.conftest import warning_data

T0 = 1_800_000_000.0  # the shift starts (2027-01-15 08:00 UTC)
HOUR = 3600.0
T1 = T0 + 8 * HOUR  # the shift ends: a warning arriving now belongs to the next one
NOW = T1 + 600  # the lead looks at the figures ten minutes after handover
LIMIT = {"emergency": 600.0, "high": 1800.0, "medium": 7200.0, "low": 86400.0}  # defaults
CARD = "6222020202020202020"


def arrive(store: Store, n: int, at: float, **fields: object) -> int:
    warning, created = store.add_warning(warning_data(n, **fields), actor="feed", now=at)
    assert created
    return int(warning.id)


def call(store: Store, wid: int, outcome: str, at: float, *, user: str = "a",
         seconds: float | None = None, **extra: object) -> Attempt:
    """`user` claims the warning and records the outcome at `at` (a call of `seconds`)."""
    store.claim(wid, user=user, now=at)
    return store.record_attempt(
        wid, user=user, outcome=outcome, now=at,
        started_at=None if seconds is None else at - seconds,
        ended_at=None if seconds is None else at, **extra)  # type: ignore[arg-type]


def figures(store: Store, *, start: float = T0, end: float = T1,
            now: float = NOW) -> dict[str, Any]:
    return store.stats(start=start, end=end, now=now)


# -- /stats ----------------------------------------------------------------------------------


def test_received_counts_arrivals_in_the_half_open_period(store: Store) -> None:
    arrive(store, 1, T0 - 1, risk_level="low")
    at_from = arrive(store, 2, T0, risk_level="emergency", scam_type="fake_loan")
    last = arrive(store, 3, T1 - 1, risk_level="high", scam_type="fake_loan")
    arrive(store, 4, T1, risk_level="medium")  # at exactly `to`: the next shift's
    f = figures(store)
    assert f["received"] == 2
    assert f["by_level"] == {"emergency": 1, "high": 1}
    assert f["by_scam_type"] == {"fake_loan": 2}
    assert (f["from"], f["to"]) == ("2027-01-15T08:00:00+00:00", "2027-01-15T16:00:00+00:00")
    assert at_from < last


def test_a_hand_counted_shift(store: Store) -> None:
    # Arrived before the shift, dissuaded in it: not received, but handled and dissuaded.
    before = arrive(store, 1, T0 - 1, risk_level="high", scam_type="fake_loan")
    call(store, before, "dissuaded", T0 + 60)
    # Arrives exactly at `from`; first call exactly at its deadline (within), no answer, then
    # dissuaded: one warning dissuaded, two attempts.
    at_from = arrive(store, 2, T0, risk_level="emergency", scam_type="fake_customer_service")
    call(store, at_from, "no_answer", T0 + LIMIT["emergency"])
    call(store, at_from, "dissuaded", T0 + 1200)
    # First call one second after its deadline: a breach, and the money was already gone.
    late = arrive(store, 3, T0 + 1000, risk_level="emergency", scam_type="order_brushing")
    call(store, late, "already_lost", T0 + 1000 + LIMIT["emergency"] + 1, amount_lost=5000)
    # Never called and overdue now: a breach.
    arrive(store, 4, T0 + HOUR, risk_level="high", scam_type="fake_investment")
    # Never called and not yet due: left out of the rate.
    arrive(store, 5, T1 - 1, risk_level="low", scam_type="unknown")
    # Arrives exactly at `to`: the next shift's.
    arrive(store, 6, T1, risk_level="emergency")
    # Called only after the shift (and after its deadline): received here, handled in the next,
    # and a breach of this shift's time limits.
    after = arrive(store, 7, T0 + 2 * HOUR, risk_level="medium", scam_type="fake_investment")
    call(store, after, "no_answer", T1 + 60)
    # Busy in the shift (within its limit), dissuaded at exactly `to`: handled, not dissuaded.
    edge = arrive(store, 8, T0 + 100, risk_level="high", scam_type="impersonating_authority")
    call(store, edge, "busy", T0 + 200)
    call(store, edge, "dissuaded", T1)
    # Proposals from before the shift: one waits for a decision, one was approved.
    waiting = arrive(store, 9, T0 - 2 * HOUR)
    store.claim(waiting, user="b", now=T0 - HOUR)
    store.propose_escalation(waiting, user="b", kind="door_visit", reason="无人接听",
                             now=T0 - HOUR)
    decided = arrive(store, 10, T0 - 2 * HOUR)
    store.claim(decided, user="b", now=T0 - 3000)
    approved = store.propose_escalation(decided, user="b", kind="door_visit", reason="关机",
                                        now=T0 - 3000)
    store.decide_escalation(approved.id, decision="approve", user="lead", now=T0 - 2000)

    f = figures(store)
    assert f["received"] == 6
    assert f["by_level"] == {"emergency": 2, "high": 2, "medium": 1, "low": 1}
    assert f["by_scam_type"] == {"fake_customer_service": 1, "order_brushing": 1,
                                 "fake_investment": 2, "unknown": 1,
                                 "impersonating_authority": 1}
    assert f["handled"] == 4  # before, at_from, late, edge
    assert f["by_outcome"] == {"dissuaded": 2, "no_answer": 1, "already_lost": 1, "busy": 1}
    assert (f["dissuaded"], f["already_lost"]) == (2, 1)
    assert f["dissuasion_rate"] == pytest.approx(2 / 3)
    # judged: at_from (in time), late, overdue, after (breaches), edge (in time); not_due out.
    assert f["within_time_limit_rate"] == pytest.approx(2 / 5)
    assert f["escalations_pending"] == 1

    # The next shift sees what belongs to it.
    nxt = figures(store, start=T1, end=T1 + 8 * HOUR, now=T1 + 8 * HOUR)
    assert (nxt["received"], nxt["handled"], nxt["dissuaded"]) == (1, 2, 1)
    assert nxt["by_outcome"] == {"no_answer": 1, "dissuaded": 1}


def test_a_warning_tried_then_dissuaded_counts_once(store: Store) -> None:
    # Medium: three failed calls stay under its maximum of four (a high one would escalate, and
    # an escalated warning takes no outcome until the escalation ends).
    wid = arrive(store, 1, T0, risk_level="medium")
    for at in (T0 + 60, T0 + 700, T0 + 1400):
        call(store, wid, "no_answer", at)
    call(store, wid, "dissuaded", T0 + 2000)
    f = figures(store)
    assert f["handled"] == 1
    assert f["by_outcome"] == {"no_answer": 3, "dissuaded": 1}
    assert (f["dissuaded"], f["already_lost"], f["dissuasion_rate"]) == (1, 0, 1.0)


def test_rates_are_null_when_nothing_counts(store: Store) -> None:
    wid = arrive(store, 1, T0, risk_level="low")  # due tomorrow
    call(store, wid, "no_answer", T0 + 60)
    f = figures(store)
    assert (f["dissuaded"], f["already_lost"], f["dissuasion_rate"]) == (0, 0, None)
    assert f["within_time_limit_rate"] == 1.0
    empty = figures(store, start=T0 - 10 * 86400, end=T0 - 9 * 86400)
    assert empty["received"] == empty["handled"] == 0
    assert empty["by_level"] == empty["by_outcome"] == {}
    assert empty["dissuasion_rate"] is None and empty["within_time_limit_rate"] is None


def test_the_time_limit_edge_is_exact_to_the_second(store: Store) -> None:
    untried = arrive(store, 1, T0, risk_level="emergency")
    deadline = T0 + LIMIT["emergency"]
    # Untried: not yet due up to the deadline itself (a call now would still be in time) ...
    assert figures(store, now=deadline - 1)["within_time_limit_rate"] is None
    assert figures(store, now=deadline)["within_time_limit_rate"] is None
    # ... and a breach one second later.
    assert figures(store, now=deadline + 1)["within_time_limit_rate"] == 0.0
    # A first call exactly at the deadline is within it, one second later is not.
    call(store, untried, "busy", deadline)
    late = arrive(store, 2, T0, risk_level="emergency")
    call(store, late, "busy", deadline + 1)
    assert figures(store)["within_time_limit_rate"] == 0.5


def test_the_limit_counts_from_the_feeds_report_time(store: Store) -> None:
    # Reported 40 minutes before it reached the centre: a high warning arrives already overdue.
    wid = arrive(store, 1, T0 + HOUR, risk_level="high",
                 reported_at="2027-01-15T08:20:00+00:00")
    assert figures(store, now=T0 + HOUR + 1)["within_time_limit_rate"] == 0.0
    call(store, wid, "dissuaded", T0 + HOUR + 5)
    assert figures(store)["within_time_limit_rate"] == 0.0


def test_a_breach_alert_starts_after_the_deadline(store: Store) -> None:
    arrive(store, 1, T0, risk_level="emergency")
    deadline = T0 + LIMIT["emergency"]
    assert store.breaches(since=0, now=deadline + 1)[0] == 1
    assert store.breaches(since=0, now=deadline) == (0, [])


def test_escalations_pending_counts_proposals_now_whatever_the_period(store: Store) -> None:
    ids = [arrive(store, n, T0 - 30 * 86400) for n in range(1, 4)]
    for wid in ids:
        store.claim(wid, user="a", now=T0 - 30 * 86400 + 60)
    proposals = [store.propose_escalation(wid, user="a", kind="door_visit", reason="关机",
                                          now=T0 - 30 * 86400 + 60) for wid in ids]
    store.decide_escalation(proposals[0].id, decision="reject", note="继续电话劝阻",
                            user="lead", now=T0 - 86400)
    for start in (T0 - 40 * 86400, T0, T0 + 400 * 86400):
        assert figures(store, start=start, end=start + HOUR)["escalations_pending"] == 2


def test_stats_default_to_the_current_shift(store: Store) -> None:
    # Shifts hand over at 08:00 and 20:00 in Asia/Shanghai (00:00 and 12:00 UTC).
    arrive(store, 1, T0)  # 16:00 in Shanghai: the day shift
    f = store.stats(now=T0 + 60)
    assert (f["from"], f["to"]) == ("2027-01-15T00:00:00+00:00", "2027-01-15T12:00:00+00:00")
    assert f["received"] == 1
    with pytest.raises(InvalidInput) as err:
        store.stats(start=T1, end=T0, now=NOW)
    assert err.value.field == "to"


# -- the shift report ------------------------------------------------------------------------


@dataclass
class Shift:
    """The hand-counted shift of the report tests (see `shift`)."""

    ids: dict[str, int]
    attempts: dict[str, Attempt]
    escalations: dict[str, int]


@pytest.fixture
def shift(store: Store) -> Shift:
    ids: dict[str, int] = {}
    att: dict[str, Attempt] = {}
    # Dissuaded before the shift: none of its money counts as avoided in this one.
    ids["r0"] = arrive(store, 10, T0 - 3000, risk_level="high", amount_at_risk=99999,
                       scam_type="romance_investment")
    att["r0"] = call(store, ids["r0"], "dissuaded", T0 - 100, user="a", seconds=600)
    # b calls first, after the limit (b's breach); a dissuades it later.
    ids["r1"] = arrive(store, 1, T0, risk_level="emergency", amount_at_risk=10000,
                       scam_type="fake_customer_service")
    att["r1b"] = call(store, ids["r1"], "no_answer", T0 + 900, user="b", seconds=60)
    att["r1a"] = call(store, ids["r1"], "dissuaded", T0 + 1500, user="a", seconds=120)
    ids["r2"] = arrive(store, 2, T0 + 60, risk_level="high", amount_at_risk=3000,
                       scam_type="fake_investment")
    att["r2"] = call(store, ids["r2"], "already_lost", T0 + 300, user="a", seconds=60,
                     amount_lost=2500)
    ids["r3"] = arrive(store, 3, T0 + 120, risk_level="high", scam_type="fake_investment")
    att["r3"] = call(store, ids["r3"], "dissuaded", T0 + 400, user="b")  # no call times
    ids["r4"] = arrive(store, 4, T0 + 2 * HOUR, risk_level="medium", amount_at_risk=500,
                       scam_type="fake_loan")  # never called: overdue at T0 + 4 h
    ids["r5"] = arrive(store, 5, T0 + 3 * HOUR, risk_level="low", name="王小明",
                       phone="+86 139-0000-0002", scam_type="impersonating_boss")  # r2's phone
    ids["r6"] = arrive(store, 6, T0 + 100, risk_level="high", amount_at_risk=8000,
                       scam_type="fake_investment", cards=[CARD])
    att["r6"] = call(store, ids["r6"], "brainwashed", T0 + 200, user="a", seconds=30)
    # Escalations proposed before the shift: one still under way, one ended.
    ids["r7"] = arrive(store, 7, T0 - 2 * HOUR)
    store.claim(ids["r7"], user="b", now=T0 - 7000)
    active = store.propose_escalation(ids["r7"], user="b", kind="door_visit", reason="关机",
                                      now=T0 - 7000)
    store.decide_escalation(active.id, decision="approve", user="lead", now=T0 - 6900)
    ids["r8"] = arrive(store, 8, T0 - 2 * HOUR)
    store.claim(ids["r8"], user="b", now=T0 - 7000)
    ended = store.propose_escalation(ids["r8"], user="b", kind="door_visit", reason="关机",
                                     now=T0 - 7000)
    store.decide_escalation(ended.id, decision="reject", note="电话已劝阻", user="lead",
                            now=T0 - 6900)
    (automatic,) = store.get(ids["r6"]).escalations
    # Quality marks: the latest mark of a call counts; calls from before the shift do not.
    store.review_attempt(att["r2"].id, verdict="pass", user="lead", now=T0 + HOUR)
    store.review_attempt(att["r6"].id, verdict="fail", comment="未核实银行卡", user="lead",
                         now=T0 + HOUR)
    store.review_attempt(att["r1b"].id, verdict="fail", comment="太晚", user="lead",
                         now=T0 + HOUR)
    store.review_attempt(att["r1b"].id, verdict="pass", comment="复核后改判", user="lead",
                         now=T0 + 2 * HOUR)
    store.review_attempt(att["r0"].id, verdict="fail", comment="上一班", user="lead",
                         now=T0 + HOUR)
    return Shift(ids, att, {"active": active.id, "ended": ended.id,
                            "automatic": automatic.id})


def report(store: Store, **kw: float) -> dict[str, Any]:
    return store.shift_report(start=kw.get("start", T0), end=kw.get("end", T1), user="lead",
                              now=kw.get("now", NOW))


def test_report_summary(store: Store, shift: Shift) -> None:
    summary = report(store)["summary"]
    assert summary == {
        "loss_avoided": 10000.0,  # r1 (r3 had no amount; r0 was dissuaded last shift)
        "amount_lost": 2500.0,
        "time_limit_breaches": 2,  # r1 (first call late), r4 (never called, overdue)
        "escalations_proposed": 1,  # r6's automatic card lock
        "officers_on_duty": 2,
        "repeat_victims": 1,  # r5
        "open_now": 3,  # r4, r5, r8 (back in the queue after the rejection)
        "overdue_now": 2,  # r4 and r8, whatever their arrival
        "attempts": 5, "calls": 5, "self_approved": 0,
    }


def test_report_officers(store: Store, shift: Shift) -> None:
    by_name = {o["officer"]: o for o in report(store)["officers"]}
    assert list(by_name) == ["a", "b"]  # most handled first
    a, b = by_name["a"], by_name["b"]
    assert (a["handled"], a["attempts"], a["dissuaded"]) == (3, 3, 1)
    assert a["mean_handle_seconds"] == 70.0  # (120 + 60 + 30) / 3
    assert a["by_outcome"] == {"dissuaded": 1, "already_lost": 1, "brainwashed": 1}
    assert (b["handled"], b["attempts"], b["dissuaded"]) == (2, 2, 1)
    assert b["mean_handle_seconds"] == 60.0  # r3's call has no times: left out
    # r1's limit passed before b's first call: b's breach, not a's (who called after b).
    assert (a["breaches"], b["breaches"]) == (0, 1)
    assert (a["reviews_pass"], a["reviews_fail"]) == (1, 1)
    assert (b["reviews_pass"], b["reviews_fail"]) == (1, 0)  # fail, then pass on review


def test_report_scam_types(store: Store, shift: Shift) -> None:
    types = report(store)["scam_types"]
    assert [t["scam_type"] for t in types] == [
        "fake_investment", "fake_customer_service", "fake_loan", "impersonating_boss"]
    fi, fcs, fl, boss = types
    assert (fi["received"], fi["amount_at_risk"], fi["dissuaded"], fi["already_lost"],
            fi["dissuasion_rate"]) == (3, 11000.0, 1, 1, 0.5)
    assert (fcs["received"], fcs["dissuaded"], fcs["dissuasion_rate"]) == (1, 1, 1.0)
    assert (fl["received"], fl["amount_at_risk"], fl["dissuasion_rate"]) == (1, 500.0, None)
    assert boss["amount_at_risk"] == 0.0


def test_report_hourly_buckets_add_up_to_received(store: Store, shift: Shift) -> None:
    data = report(store)
    hourly = data["hourly"]
    assert [h["hour"] for h in hourly] == [
        f"2027-01-15T{8 + i:02d}:00:00+00:00" for i in range(8)]
    levels = ("emergency", "high", "medium", "low")
    assert [tuple(h[lv] for lv in levels) for h in hourly] == [
        (1, 3, 0, 0), (0, 0, 0, 0), (0, 0, 1, 0), (0, 0, 0, 1), *[(0, 0, 0, 0)] * 4]
    assert sum(h[lv] for h in hourly for lv in levels) == data["stats"]["received"] == 6
    first = hourly[0]
    assert (first["dissuaded"], first["already_lost"], first["dissuasion_rate"]) == (2, 1, 2 / 3)
    assert (first["judged"], first["in_time"]) == (4, 3)  # r1 was late
    assert hourly[2]["within_time_limit_rate"] == 0.0  # r4, overdue
    assert hourly[3]["within_time_limit_rate"] is None  # r5, not due


def test_report_hour_edges(store: Store) -> None:
    arrive(store, 1, T0 + HOUR - 1, risk_level="low")
    arrive(store, 2, T0 + HOUR, risk_level="low")
    arrive(store, 3, T1 - 1, risk_level="emergency")
    hourly = report(store)["hourly"]
    assert [h["low"] for h in hourly][:2] == [1, 1]
    assert hourly[-1]["emergency"] == 1
    odd = report(store, end=T0 + 90 * 60)["hourly"]  # a period of 1.5 h has two buckets
    assert len(odd) == 2 and odd[1]["low"] == 1


def test_report_escalations_proposed_or_still_under_way_with_cards_masked(
        store: Store, shift: Shift) -> None:
    rows = report(store)["escalations"]
    # Under way first (here both are), newest first: what the lead must act on never falls off.
    assert [e["id"] for e in rows] == [shift.escalations["automatic"],
                                      shift.escalations["active"]]
    automatic, active = rows
    assert automatic["risk_level"] == "high"
    assert (active["status"], active["kind"], active["decided_by"]) == (
        "approved", "door_visit", "lead")
    assert active["proposed_at"] == "2027-01-15T06:03:20+00:00"
    assert (automatic["kind"], automatic["status"], automatic["automatic"]) == (
        "card_lock", "proposed", True)
    assert automatic["cards"] == ["6222 **** **** 2020"]
    assert automatic["name"] == "测**" and automatic["amount"] == 8000
    assert CARD not in json.dumps(report(store), ensure_ascii=False)


def test_report_repeat_victims_are_masked(store: Store, shift: Shift) -> None:
    (victim,) = report(store)["repeat_victims"]
    assert victim["warning_id"] == shift.ids["r5"]
    assert victim["phone"] == "139 **** 0002"
    assert victim["name"] == "王**"
    assert victim["earlier_warnings"] == 1
    text = json.dumps(report(store), ensure_ascii=False)
    assert "王小明" not in text and "13900000002" not in text


def test_report_names_the_audit_head_and_its_own_stats(store: Store, shift: Shift) -> None:
    data = report(store)
    verdict = store.verify_audit()
    assert data["audit_head"] == {"id": verdict.head_id, "hash": verdict.head_hash}
    stats_now = figures(store)
    assert data["stats"] == stats_now
    assert (data["from"], data["to"], data["generated_by"]) == (
        stats_now["from"], stats_now["to"], "lead")


def test_report_counts_a_breach_from_the_second_after_the_deadline(store: Store) -> None:
    arrive(store, 1, T0, risk_level="emergency")
    deadline = T0 + LIMIT["emergency"]
    for now, late in ((deadline, 0), (deadline + 1, 1)):
        data = report(store, now=now)
        assert (data["summary"]["time_limit_breaches"], data["summary"]["overdue_now"]) == (
            late, late)
        assert data["hourly"][0]["judged"] == late


def test_report_refuses_a_period_longer_than_a_year(store: Store) -> None:
    assert len(report(store, start=T0, end=T0 + 366 * 86400)["hourly"]) == 366 * 24
    with pytest.raises(InvalidInput) as err:
        report(store, start=T0 - 130 * 365 * 86400, end=T0)
    assert err.value.field == "to"


# -- properties ------------------------------------------------------------------------------

OUTCOMES = ("dissuaded", "already_lost", "no_answer", "busy", "powered_off", "not_fraud",
            "brainwashed")
CLOSING = {"dissuaded", "already_lost", "not_fraud"}
MAX_FAILED = {p.level: p.max_failed_attempts for p in default_policy().levels.values()}
MINUTE = 60.0

# Times on a minute grid, so that an attempt at exactly a deadline, a warning at exactly a
# period edge and a deadline at exactly `now` all come up.
minutes = st.integers(min_value=-180, max_value=8 * 60 + 180)
a_warning = st.tuples(
    minutes,  # arrival, minutes after T0
    st.sampled_from(sorted(LIMIT)),
    st.sampled_from(["fake_loan", "fake_investment", "unknown"]),
    # attempts: minutes after the previous one (or arrival; often a time limit's length, so
    # that a first call lands exactly on its deadline), and the outcome
    st.lists(st.tuples(st.one_of(st.sampled_from([0, 9, 10, 11, 29, 30, 31, 119, 120, 121]),
                                 st.integers(min_value=0, max_value=180)),
                       st.sampled_from(OUTCOMES)), max_size=4),
)
# `now`: minutes after the end of the period, or exactly one warning's deadline (when that is
# after the period), so that "untried and due this very second" comes up.
a_now = st.one_of(st.tuples(st.just("free"), st.integers(min_value=0, max_value=600)),
                  st.tuples(st.just("deadline"), st.integers(min_value=0, max_value=11)))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(warnings=st.lists(a_warning, max_size=12), when=a_now)
# Untried, and its deadline is this very second (rare at random): not yet a breach.
@example(warnings=[(60, "low", "unknown", []), (0, "emergency", "fake_loan", [(10, "busy")])],
         when=("deadline", 0))
def test_figures_agree_with_a_brute_force_count(
        warnings: list[tuple[int, str, str, list[tuple[int, str]]]],
        when: tuple[str, int]) -> None:
    kind, value = when
    if kind == "deadline" and warnings:
        arrival_min, level, _, _ = warnings[value % len(warnings)]
        now = max(T1, T0 + arrival_min * MINUTE + LIMIT[level])
    else:
        now = T1 + value * MINUTE
    store = Store(":memory:")
    try:
        # What the brute force knows: arrival, deadline, level, type, attempts (time, outcome).
        truth: list[tuple[float, float, str, str, list[tuple[float, str]]]] = []
        for n, (arrival_min, level, scam, steps) in enumerate(warnings, start=1):
            arrival = T0 + arrival_min * MINUTE
            if arrival > now:
                continue
            wid = arrive(store, n, arrival, risk_level=level, scam_type=scam)
            made: list[tuple[float, str]] = []
            at = arrival
            failed = 0
            for gap, outcome in steps:
                at += gap * MINUTE
                if at > now:
                    break
                call(store, wid, outcome, at, user=f"officer-{n % 3}")
                made.append((at, outcome))
                failed += outcome in ("no_answer", "busy", "powered_off")
                # Closed, or escalated (brainwashed, or the level's maximum of failed calls):
                # no more outcomes until the escalation ends.
                if outcome in CLOSING or outcome == "brainwashed" \
                        or failed >= MAX_FAILED[level]:
                    break
            truth.append((arrival, arrival + LIMIT[level], level, scam, made))
        f: dict[str, Any] = store.stats(start=T0, end=T1, now=now)
    finally:
        store.close()

    def inside(t: float) -> bool:
        return T0 <= t < T1

    received = [w for w in truth if inside(w[0])]
    latest = [w[4][-1] for w in truth if w[4]]
    judged = [w for w in received if w[4] or w[1] < now]
    in_time = [w for w in judged if w[4] and w[4][0][0] <= w[1]]
    assert f["received"] == len(received)
    assert f["by_level"] == dict(Counter(w[2] for w in received))
    assert f["by_scam_type"] == dict(Counter(w[3] for w in received))
    assert f["handled"] == sum(any(inside(t) for t, _ in w[4]) for w in truth)
    assert f["by_outcome"] == dict(Counter(o for w in truth for t, o in w[4] if inside(t)))
    assert f["dissuaded"] == sum(o == "dissuaded" and inside(t) for t, o in latest)
    assert f["already_lost"] == sum(o == "already_lost" and inside(t) for t, o in latest)
    assert f["within_time_limit_rate"] == (len(in_time) / len(judged) if judged else None)
    # The invariants a lead relies on when reading the dashboard.
    assert f["dissuaded"] + f["already_lost"] <= f["handled"]
    assert sum(f["by_level"].values()) == f["received"]
    assert sum(f["by_scam_type"].values()) == f["received"]
    for rate in (f["dissuasion_rate"], f["within_time_limit_rate"]):
        assert rate is None or 0.0 <= rate <= 1.0
