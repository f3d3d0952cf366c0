"""The queue has one definition, and `why()` never contradicts it.

A state machine drives a real store as officers and a lead would (warnings arrive for a few
people, officers claim, call, release, agree callbacks, propose and end escalations, sign in
and out, time passes) and after every step checks, for every warning and both officers, that:

- the queue (its pages and its count) holds exactly what its one definition says
  (docs/architecture.md, "The queue"): open (new, retry or claimed), due now (a retry whose
  time came, a claim whose lease ran out), and not reserved for someone else (a reservation
  binds until its time, and a callback's after that while its officer is signed in), a person
  listed once;
- `why()` says "in the queue" for exactly those, and for every other warning gives a reason
  (never the catch-all).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from dissuade.domain.errors import DissuadeError
from dissuade.domain.models import Warning
from dissuade.store import Store, explain
from tests.conftest import warning_data

T0 = 1_790_000_000.0
PHONES = ("13900000001", "13900000002", "13900000003")
OFFICERS = ("a", "b")
LEVELS = ("critical", "high", "medium", "low")
OUTCOMES = ("callback", "no_answer", "callback", "busy", "dissuaded", "brainwashed",
            "already_lost")


def oracle(w: Warning, sticky: bool, user: str, now: float, signed_in: set[str]) -> bool:
    """The definition's words, written again here on purpose: the store's SQL must agree."""
    if w.status not in ("new", "retry", "claimed") or w.available_at > now:
        return False
    if w.reserved_for in (None, user):
        return True
    binds = w.reserved_until is None or w.reserved_until > now or (
        sticky and w.reserved_for in signed_in)
    return not binds


class QueueAndWhy(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = Store(":memory:")
        self.now = T0
        self.n = 0
        self.signed_in: set[str] = set()
        self.sessions = 0

    def teardown(self) -> None:
        self.store.close()

    def _ids(self) -> list[int]:
        return [int(i) for (i,) in self.store.conn.execute("SELECT id FROM warnings ORDER BY id")]

    def _held(self, user: str) -> list[int]:
        return [int(i) for (i,) in self.store.conn.execute(
            "SELECT id FROM warnings WHERE status = 'claimed' AND claimed_by = ? "
            "AND lease_until > ? ORDER BY id", (user, self.now))]

    def _try(self, call: Callable[[], object]) -> None:
        # Refused (held, closed, reserved...): refusals are other tests' subject.
        with contextlib.suppress(DissuadeError):
            call()

    @rule(phone=st.sampled_from(PHONES), level=st.sampled_from(LEVELS))
    def arrives(self, phone: str, level: str) -> None:
        self.n += 1
        self.store.add_warning(warning_data(self.n, phone=phone, risk_level=level),
                               actor="feed", now=self.now)

    @rule(user=st.sampled_from(OFFICERS))
    def claims_next(self, user: str) -> None:
        listed = self.store.queue(user=user, limit=1, now=self.now)
        claimed = self.store.claim_next(user=user, now=self.now)
        # The queue's head is what a claim takes (a person someone else holds aside).
        assert (claimed is None) == (not listed), (listed, claimed)
        if claimed is not None and listed[0].claimed_by in (None, user):
            assert claimed.id == listed[0].id, (listed, claimed)

    @precondition(lambda self: self.n > 0)
    @rule(user=st.sampled_from(OFFICERS), pick=st.integers(0, 50))
    def claims_one(self, user: str, pick: int) -> None:
        ids = self._ids()
        self._try(lambda: self.store.claim(ids[pick % len(ids)], user=user, now=self.now))

    @precondition(lambda self: self.n > 0)
    @rule(user=st.sampled_from(OFFICERS), pick=st.integers(0, 50))
    def releases(self, user: str, pick: int) -> None:
        ids = self._held(user) or self._ids()
        self._try(lambda: self.store.release(ids[pick % len(ids)], user=user, now=self.now))

    @precondition(lambda self: self.n > 0)
    @rule(user=st.sampled_from(OFFICERS), pick=st.integers(0, 50),
          outcome=st.sampled_from(OUTCOMES), me=st.booleans(),
          later=st.sampled_from((5.0, 60.0, 600.0)))
    def records(self, user: str, pick: int, outcome: str, me: bool, later: float) -> None:
        ids = self._held(user) or self._ids()  # mostly a call on a warning the officer holds
        callback = outcome == "callback"
        self._try(lambda: self.store.record_attempt(
            ids[pick % len(ids)], user=user, outcome=outcome, notes="合成",
            callback_at=self.now + later * 60 if callback else None,
            callback_scope=("me" if me else "anyone") if callback else None,
            amount_lost=1000 if outcome == "already_lost" else None, now=self.now))

    @precondition(lambda self: self.n > 0)
    @rule(user=st.sampled_from(OFFICERS), pick=st.integers(0, 50))
    def proposes_a_visit(self, user: str, pick: int) -> None:
        ids = self._held(user) or self._ids()
        self._try(lambda: self.store.propose_escalation(
            ids[pick % len(ids)], user=user, kind="door_visit", reason="劝阻无效", now=self.now))

    @rule(approve=st.booleans())
    def lead_decides(self, approve: bool) -> None:
        for e in self.store.pending_escalations()[:1]:
            self._try(lambda e=e: self.store.decide_escalation(
                e.id, decision="approve" if approve else "reject", note="值班长意见",
                user="lead", now=self.now))

    @rule()
    def visit_ends(self) -> None:
        for e in self.store.active_escalations():
            if e.status == "approved":
                self._try(lambda e=e: self.store.advance_escalation(
                    e.id, status="dispatched", user="lead", now=self.now))
            elif e.status == "dispatched":
                self._try(lambda e=e: self.store.advance_escalation(
                    e.id, status="visited", note="已上门", user="lead", now=self.now))

    @precondition(lambda self: self.n > 0)
    @rule(pick=st.integers(0, 50), to=st.sampled_from((*OFFICERS, None)))
    def lead_reassigns(self, pick: int, to: str | None) -> None:
        ids = self._ids()
        self._try(lambda: self.store.reassign(ids[pick % len(ids)], to=to, reason="换人回访",
                                              user="lead", now=self.now))

    @rule(user=st.sampled_from(OFFICERS), on=st.booleans())
    def signs_in_or_out(self, user: str, on: bool) -> None:
        # Sign-in comes with issue 12's sessions; its row is what the queue reads.
        conn = self.store.conn
        self.sessions += 1
        if on:
            conn.execute("INSERT INTO sessions (token_hash, username, created_at, expires_at) "
                         "VALUES (?, ?, ?, ?)", (f"token-{self.sessions}", user, self.now,
                                                  self.now + 12 * 3600))
            self.signed_in.add(user)
        else:
            conn.execute("UPDATE sessions SET ended_at = ? WHERE username = ?", (self.now, user))
            self.signed_in.discard(user)

    @rule(minutes=st.sampled_from((1.0, 5.0, 31.0, 121.0, 1500.0)))
    def time_passes(self, minutes: float) -> None:
        self.now += minutes * 60
        # A session runs out on its own after its hours.
        self.signed_in = {u for (u,) in self.store.conn.execute(
            "SELECT DISTINCT username FROM sessions WHERE ended_at IS NULL AND expires_at > ?",
            (self.now,))}

    @invariant()
    def queue_and_why_agree(self) -> None:
        warnings = [self.store.warning(i) for i in self._ids()]
        sticky = {int(i): bool(s) for i, s in self.store.conn.execute(
            "SELECT id, reserve_sticky FROM warnings")}
        self._order = {int(r[0]): tuple(r[1:]) for r in self.store.conn.execute(
            "SELECT id, level_rank, fresh, deadline, arrived_at, id FROM warnings")}
        for user in OFFICERS:
            expected = [w for w in warnings
                        if oracle(w, sticky[w.id], user, self.now, self.signed_in)]
            listed = self.store.queue(user=user, limit=1000, now=self.now)
            assert {w.phone for w in listed} == {w.phone for w in expected}, (user, listed)
            assert len(listed) == len({w.phone for w in listed})  # a person once
            # In queue order, each person by their most urgent warning.
            keys = [self._order[w.id] for w in listed]
            assert keys == sorted(keys), (user, listed)
            for w in listed:
                assert self._order[w.id] == min(self._order[e.id] for e in expected
                                                if e.phone == w.phone), (user, w)
            assert self.store.queue_size(user=user, now=self.now) == len(expected)
            for w in warnings:
                words = self.store.why(w.id, user=user, now=self.now)
                in_queue = words == explain.IN_QUEUE[0]
                assert in_queue == (w in expected), (user, w, words)
                assert words != explain.NOT_IN_QUEUE[0], (user, w)


TestQueueAndWhy = QueueAndWhy.TestCase
TestQueueAndWhy.settings = settings(max_examples=100, stateful_step_count=40, deadline=None,
                                    suppress_health_check=[HealthCheck.too_slow])
