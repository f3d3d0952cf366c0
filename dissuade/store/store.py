"""The SQLite store: every SQL statement about warnings, claims, attempts and escalations."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from dissuade.domain import timeutil
from dissuade.domain.codes import RiskLevel, Status
from dissuade.domain.errors import Conflict, InvalidInput
from dissuade.domain.models import (
    Attempt,
    Escalation,
    EscalationDetail,
    IngestResult,
    SendTicket,
    Warning,
    WarningDetail,
    WarningHistory,
    WarningId,
)
from dissuade.domain.policy import Policy
from dissuade.store import (
    attempts,
    audit,
    cases,
    escalations,
    explain,
    ingest,
    policy_edit,
    policy_rows,
    report,
    review,
    rows,
    sending,
    stats,
    training,
    users,
)
from dissuade.store.connection import BUSY_TIMEOUT_MS, connect, snapshot, write
from dissuade.store.ingest import DemoBatch
from dissuade.store.schema import OPEN

# The queue's one definition (DESIGN.md): open, due now, not reserved for someone else.
HISTORY_LIMIT = 20


class Store:
    """One database file (or ``:memory:``). Methods that change data take keyword arguments."""

    def __init__(self, path: str | Path, *, create: bool = True,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                 write_lock: threading.Lock | None = None) -> None:
        self.path = str(path)
        self.conn = connect(path, create=create, busy_timeout_ms=busy_timeout_ms,
                            write_lock=write_lock)
        self._policy: Policy | None = None
        self._version = self._data_version = -1

    def policy_version(self) -> int:
        row = self.conn.execute("SELECT value FROM settings WHERE key = 'policy_version'"
                                ).fetchone()
        return 0 if row is None else int(row[0])

    def close(self) -> None:
        self.conn.close()

    # -- policy and users -------------------------------------------------------------------

    def policy(self) -> Policy:
        """The policy in force. Cached, but a change made on another connection (another hub
        thread, another process) is seen at the next call: SQLite's data_version says whether
        anyone committed since, and the settings' version row whether it was the policy."""
        (seen,) = self.conn.execute("PRAGMA data_version").fetchone()
        if self._policy is not None and seen != self._data_version:
            self._data_version = seen
            if self.policy_version() != self._version:
                self._policy = None
        if self._policy is None:
            self._version = self.policy_version()
            self._data_version = seen
            self._policy = policy_rows.load(self.conn)
        return self._policy

    def local_role(self, user: str, *, path: str) -> str:
        """The role `user` has on this file opened locally. A database with no users (the demo,
        a trainer's laptop) makes any name a lead: whoever holds the file holds everything in
        it. Once it has users (an active officer, lead or admin), an unknown or revoked name is
        refused, saying how to add one."""
        return users.local_role(self.conn, user, path=path)

    def role_of(self, user: str) -> str | None:
        row = self.conn.execute(
            "SELECT role FROM users WHERE name = ? AND revoked_at IS NULL", (user,)
        ).fetchone()
        return row[0] if row else None

    def add_user(self, name: str, *, role: str, rotate: bool = False, actor: str = "admin") -> str:
        """Create a user (or rotate their token); returns the new token, shown only once."""
        return users.add(self.conn, name, role=role, rotate=rotate, actor=actor)

    def revoke_user(self, name: str, *, actor: str = "admin") -> None:
        users.revoke(self.conn, name, actor=actor)

    def list_users(self) -> list[users.User]:
        return users.all_users(self.conn)

    def user_for_token(self, token: str) -> tuple[str, str] | None:
        return users.by_token(self.conn, token)

    def checkpoint(self) -> None:
        """Copy the WAL into the database without blocking writers (the hub does this in the
        background so that no request pays for it)."""
        self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def change_seq(self) -> int:
        """Grows with every change anyone makes; watchers compare it to see news."""
        return audit.last_id(self.conn)

    def arrivals(self, *, after_id: int, limit: int = 200) -> list[Warning]:
        """Warnings that arrived after `after_id`, oldest first (for the live-queue alert)."""
        cur = self.conn.execute(
            f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE id > ? ORDER BY id LIMIT ?",
            (after_id, limit))
        return [rows.warning(r) for r in cur]

    def last_warning_id(self) -> int:
        (n,) = self.conn.execute("SELECT coalesce(max(id), 0) FROM warnings").fetchone()
        return int(n)

    # -- ingest (dissuade/store/ingest.py) ------------------------------------------------

    def add_warning(
        self, data: Mapping[str, object], *, actor: str, now: float | None = None
    ) -> tuple[Warning, bool]:
        """Ingest one warning: (warning, True) when new, (the first version, False) when the
        same (source, external_id) was seen before."""
        return ingest.add_warning(self.conn, data, policy=self.policy(), actor=actor,
                                  now=timeutil.now() if now is None else now)

    def add_warnings(
        self, items: Sequence[Mapping[str, object]], *, actor: str, now: float | None = None
    ) -> list[IngestResult]:
        """Ingest many warnings in one transaction (an import, a batch from a feed); each is
        checked on its own and the good ones around a bad one are stored."""
        return ingest.add_warnings(self.conn, items, policy=self.policy(), actor=actor,
                                   now=timeutil.now() if now is None else now)

    def insert_demo(self, batches: Iterable[DemoBatch], *, note: dict[str, object],
                    now: float) -> None:
        """Write synthetic warnings in one transaction: all of them, or none if anything fails."""
        ingest.insert_demo(self.conn, batches, note=note, now=now,
                           in_memory=self.path == ":memory:")

    # -- the queue --------------------------------------------------------------------------

    def queue_size(self, *, user: str, now: float | None = None) -> int:
        return cases.queue_size(self.conn, user=user, now=timeutil.now() if now is None else now)

    def queue(
        self, *, user: str, limit: int = 50, offset: int = 0, now: float | None = None
    ) -> list[Warning]:
        """One page of the queue, a person once (see cases.queue)."""
        return cases.queue(self.conn, user=user, now=timeutil.now() if now is None else now,
                           limit=max(0, limit), offset=max(0, offset))

    def _leases(self) -> dict[str, float]:
        return {level: p.lease_minutes for level, p in self.policy().levels.items()}

    def claim_next(self, *, user: str, now: float | None = None,
                   client_id: str | None = None) -> Warning | None:
        """Atomically claim the most urgent warning of the queue (and its person's other open
        warnings) for `user`; idempotent on `client_id` while the lease lives."""
        return cases.claim_next(self.conn, user=user, now=timeutil.now() if now is None else now,
                                lease_minutes=self._leases(), client_id=client_id)

    def claim(self, warning_id: int, *, user: str, now: float | None = None) -> Warning:
        """Claim one warning (and its person's other open ones), or renew the lease when `user`
        already holds it."""
        return cases.claim(self.conn, warning_id, user=user,
                           now=timeutil.now() if now is None else now,
                           lease_minutes=self._leases(), tz=self.policy().timezone).warning

    def release(self, warning_id: int, *, user: str, now: float | None = None) -> Warning:
        """Give a claimed warning (and its person's others held with it) back to the queue,
        where it keeps its place."""
        return cases.release(self.conn, warning_id, user=user,
                             now=timeutil.now() if now is None else now,
                             tz=self.policy().timezone)

    # -- attempts and escalations (attempts.py, escalations.py) -------------------------------

    def record_attempt(self, warning_id: int, *, user: str, outcome: str, notes: str = "",
                       client_id: str | None = None, started_at: float | None = None,
                       ended_at: float | None = None, amount_lost: object = None,
                       callback_at: float | None = None, callback_scope: str | None = None,
                       escalation: Mapping[str, object] | None = None,
                       settles: Sequence[int] | None = None,
                       now: float | None = None) -> Attempt:
        """Record a call by the claim's holder; its outcome settles the warnings on screen
        (`settles`; all the holder has of the person when None). Idempotent on `client_id`.
        `escalation` corrects the proposal an outcome makes (cards, amount, reason)."""
        call = attempts.Call(outcome=outcome, notes=notes, client_id=client_id,
                             started_at=started_at, ended_at=ended_at, amount_lost=amount_lost,
                             callback_at=callback_at, callback_scope=callback_scope,
                             escalation=escalation, settles=settles)
        return attempts.record(self.conn, warning_id, call, user=user, policy=self.policy(),
                               now=timeutil.now() if now is None else now)

    def propose_escalation(self, warning_id: int, *, user: str, kind: str, reason: str,
                           cards: object = None, amount: object = None,
                           client_id: str | None = None, now: float | None = None) -> Escalation:
        """The holder proposes an escalation for the person; their warnings leave the queue
        until it ends (or join the person's live escalation of that kind)."""
        return attempts.propose(self.conn, warning_id, user=user, kind=kind, reason=reason,
                                cards=cards, amount=amount, client_id=client_id,
                                policy=self.policy(), now=timeutil.now() if now is None else now)

    def reassign(self, warning_id: int, *, to: str | None, reason: str, user: str,
                 now: float | None = None) -> Warning:
        """A lead gives a reserved warning (an agreed callback, a follow-up) to another officer,
        or to anyone (`to` None); audited."""
        return cases.reassign(self.conn, warning_id, to=to, reason=reason, user=user,
                              now=timeutil.now() if now is None else now,
                              grace=self.policy().callback_grace_minutes)

    def retype_warning(self, warning_id: int, *, scam_type: str, reason: str, user: str,
                       now: float | None = None) -> Warning:
        """The officer on the call found it is another scam: change the type (audited)."""
        now = timeutil.now() if now is None else now
        with write(self.conn):
            self._check_may_change(warning_id, user=user, now=now)
            training.retype(self.conn, warning_id, scam_type=scam_type, reason=reason, user=user,
                            now=now)
        return self._warning(warning_id)

    def record_message(self, warning_id: int, *, client_id: str, text: str, via: str,
                       result: str = "", user: str, now: float | None = None) -> training.Message:
        """An SMS warning sent (or copied to send) to the victim, kept in the warning's history."""
        self._warning(warning_id)
        return training.record_message(self.conn, warning_id, client_id=client_id, text=text,
                                       via=via, result=result, user=user, now=now)

    def save_rehearsal(self, *, trainee: str, scam_type: str, lang: str, points_made: int,
                       points_total: int, detail: list[dict[str, Any]],
                       now: float | None = None) -> training.RehearsalResult:
        return training.save_rehearsal(self.conn, trainee=trainee, scam_type=scam_type,
                                       lang=lang, points_made=points_made,
                                       points_total=points_total, detail=detail, now=now)

    def rehearsals(self, *, trainee: str | None = None) -> list[training.RehearsalResult]:
        return training.rehearsals(self.conn, trainee=trainee)

    def update_level_policy(self, level: str, changes: dict[str, Any], *, user: str) -> Policy:
        """A lead changes one level's policy; returns the policy now in force."""
        policy_edit.update_level(self.conn, level, changes, user=user)
        self._policy = None
        return self.policy()

    def raise_level(self, warning_id: int, *, level: str, reason: str, user: str,
                    now: float | None = None) -> Warning:
        """Make a warning more urgent, with a reason, in one action."""
        now = timeutil.now() if now is None else now
        limit = self.policy().level(RiskLevel(level).value).first_contact_minutes \
            if level in {lv.value for lv in RiskLevel} else 0.0
        with write(self.conn):
            self._check_may_change(warning_id, user=user, now=now)
            policy_edit.raise_level(self.conn, warning_id, level=level, reason=reason, user=user,
                                    limit_minutes=limit, now=now)
        return self._warning(warning_id)

    def _check_may_change(self, warning_id: int, *, user: str, now: float) -> None:
        """Inside the write that changes it: the warning is open and nobody else holds it."""
        current = self._warning(warning_id)
        if current.status == Status.CLOSED:
            raise Conflict(f"预警 {warning_id} 已办结，不能更改 / warning {warning_id} is closed")
        cases.check_not_held_by_other(self.conn, current, user=user, now=now,
                                      tz=self.policy().timezone)

    def why(self, warning_id: int, *, user: str, lang: str = "zh",
            now: float | None = None) -> str:
        """Why the warning is or is not in the queue, in a sentence."""
        return explain.why(self.get(warning_id), user=user, lang=lang, tz=self.policy().timezone,
                           now=timeutil.now() if now is None else now)

    def extend_hold(self, escalation_id: int, *, user: str, note: str = "",
                    now: float | None = None) -> Escalation:
        return escalations.extend_hold(self.conn, escalation_id, user=user, note=note, now=now)

    def holds_running_out(self, *, within: float, now: float | None = None) -> list[Escalation]:
        return escalations.holds_running_out(
            self.conn, now=timeutil.now() if now is None else now, within=within)

    def escalation_steps(self, escalation_id: int) -> list[escalations.Step]:
        return escalations.steps(self.conn, escalation_id)

    def chase_calls(self, escalation_id: int) -> list[escalations.ChaseCall]:
        return escalations.chase_calls(self.conn, escalation_id)

    def due_chase_calls(self, *, now: float | None = None) -> list[escalations.ChaseCall]:
        return escalations.due_chase_calls(self.conn, now=timeutil.now() if now is None else now)

    def record_chase_call(self, call_id: int, *, ok: bool, result: str) -> escalations.ChaseCall:
        return escalations.record_chase_call(self.conn, call_id, ok=ok, result=result)

    def decide_escalation(self, escalation_id: int, *, decision: str, note: str = "", user: str,
                          now: float | None = None) -> Escalation:
        return escalations.decide(self.conn, escalation_id, decision=decision, note=note,
                                  lead=user, now=now, self_approval=self.policy().self_approval)

    def advance_escalation(self, escalation_id: int, *, status: str, note: str = "", user: str,
                           now: float | None = None) -> Escalation:
        return escalations.advance(self.conn, escalation_id, status=status, note=note, user=user,
                                   now=now)

    def escalation(self, escalation_id: int) -> Escalation:
        return escalations.get(self.conn, escalation_id)

    def begin_send(self, escalation_id: int, *, user: str, now: float | None = None) -> SendTicket:
        """Take an approved card lock for sending (store/sending.py); Conflict when another has it."""
        return sending.begin(self.conn, escalation_id, user=user, now=now)

    def finish_send(self, ticket: SendTicket, *, note: str, now: float | None = None) -> Escalation:
        return sending.finish(self.conn, ticket, note=note, now=now)

    def abandon_send(self, ticket: SendTicket) -> None:
        sending.abandon(self.conn, ticket)

    def active_escalations(self) -> list[Escalation]:
        return escalations.active(self.conn)

    def pending_escalations(self) -> list[Escalation]:
        return escalations.pending(self.conn)

    def stats(self, *, start: float | None = None, end: float | None = None,
              now: float | None = None) -> dict[str, object]:
        """The shift figures for start <= t < end (default: the current shift)."""
        now = timeutil.now() if now is None else now
        start, end = self._period(start, end, now)
        with snapshot(self.conn):
            figures = stats.shift_figures(self.conn, start=start, end=end, now=now)
        return {"from": timeutil.iso(start), "to": timeutil.iso(end), **figures}

    # -- reading ----------------------------------------------------------------------------

    def get(self, warning_id: int) -> WarningDetail:
        warning = self._warning(warning_id)
        found = attempts.settling(self.conn, [
            rows.attempt(r) for r in self.conn.execute(
                f"SELECT {rows.ATTEMPT_COLUMNS} FROM attempts WHERE warning_id = ? "
                "ORDER BY recorded_at, id", (warning_id,))])
        under = tuple(escalations.of_warning(self.conn, warning_id))
        history = tuple(
            rows.history(r) for r in self.conn.execute(
                "SELECT id, arrived_at, scam_type, risk_level, status, last_outcome "
                "FROM warnings WHERE phone = ? AND id != ? ORDER BY arrived_at DESC LIMIT ?",
                (warning.phone, warning_id, HISTORY_LIMIT))
        )
        return WarningDetail(warning, found, under, history,
                             training.messages_of(self.conn, warning_id),
                             cases.linked(self.conn, warning))

    # -- review, privacy, reports and the audit (issue 6) ------------------------------------

    def warning(self, warning_id: int) -> Warning:
        """The warning in full (cards and ID number too): for the core's own use, never a screen."""
        return self._warning(warning_id)

    def find_warnings(self, filters: Mapping[str, Any], *, limit: int = 100,
                      offset: int = 0) -> tuple[int, list[review.Found]]:
        return review.find(self.conn, filters, limit=limit, offset=offset)

    def review_attempt(self, attempt_id: int, *, verdict: str, comment: str = "", user: str,
                       now: float | None = None) -> review.Review:
        return review.review_attempt(self.conn, attempt_id, verdict=verdict, comment=comment,
                                     user=user, now=now)

    def reviews(self, warning_id: int) -> list[review.Review]:
        return review.reviews_of(self.conn, warning_id)

    def reveal(self, warning_id: int, *, field: str, reason: str, user: str,
               holder_only: bool, now: float | None = None) -> list[str]:
        return review.reveal(self.conn, warning_id, field=field, reason=reason, user=user,
                             holder_only=holder_only, now=now)

    def record_view(self, warning_id: int, *, user: str, purpose: str = "history",
                    now: float | None = None) -> None:
        self._warning(warning_id)
        review.record_view(self.conn, warning_id, user=user, purpose=purpose, now=now)

    def history_trail(self, warning_id: int) -> list[audit.Entry]:
        return review.history_trail(self.conn, warning_id)

    def escalation_detail(self, escalation_id: int) -> EscalationDetail:
        """An escalation with its steps and chase calls, in full."""
        return EscalationDetail(escalations.get(self.conn, escalation_id),
                                tuple(escalations.steps(self.conn, escalation_id)),
                                tuple(escalations.chase_calls(self.conn, escalation_id)))

    def warning_history(self, warning_id: int, *, user: str) -> WarningHistory:
        """Everything about a warning for a lead's review, in full; opening it is recorded."""
        detail = self.get(warning_id)
        self.record_view(warning_id, user=user)
        return WarningHistory(detail, tuple(self.escalation_detail(e.id)
                                            for e in detail.escalations),
                              tuple(self.reviews(warning_id)), tuple(self.history_trail(warning_id)))

    def shift_report(self, *, start: float | None = None, end: float | None = None,
                     user: str, now: float | None = None) -> dict[str, Any]:
        now = timeutil.now() if now is None else now
        start, end = self._period(start, end, now)
        tz = self.policy().timezone
        with snapshot(self.conn):
            return report.shift_report(self.conn, start=start, end=end, now=now, tz=tz,
                                       generated_by=user)

    def record_event(self, actor: str, action: str, entity: str, entity_id: int | None,
                     detail: dict[str, object], *, now: float | None = None) -> None:
        """An audit row for something seen or sent outside the tables (a PDF made, say)."""
        with write(self.conn):
            self._audit(actor, action, entity, entity_id, detail, now=now)

    def officers(self, *, since: float | None = None) -> list[str]:
        """Who works warnings: officers and leads of the users table, and anyone who recorded a
        call since `since` (default: the last 30 days), for the review's officer filter."""
        since = timeutil.now() - 30 * 86400 if since is None else since
        names = {n for (n,) in self.conn.execute(
            "SELECT name FROM users WHERE role IN ('officer', 'lead') AND revoked_at IS NULL")}
        names |= {n for (n,) in self.conn.execute(
            "SELECT DISTINCT officer FROM attempts WHERE recorded_at >= ?", (since,))}
        return sorted(names)

    def audit_entries(self, **filters: Any) -> list[audit.Entry]:
        return audit.browse(self.conn, **filters)

    def verify_audit(self, *, expect_head: tuple[int, str] | None = None) -> audit.Verdict:
        return audit.verify(self.conn, expect_head=expect_head)

    def update_settings(self, changes: dict[str, Any], *, user: str) -> Policy:
        policy_edit.update_settings(self.conn, changes, user=user)
        self._policy = None
        return self.policy()

    def breaches(self, *, since: float, now: float | None = None,
                 limit: int = 50) -> tuple[int, list[Warning]]:
        """(warnings past their first-contact limit and never called, the ones that became
        overdue after `since` (their limit passed, or they arrived already late), most recent
        first): what the lead is alerted to."""
        now = timeutil.now() if now is None else now
        # Overdue is past the deadline: a first call at that very second is still in time.
        overdue = "level_rank IN (0, 1, 2, 3) AND fresh = 1 AND deadline < :now"
        (count,) = self.conn.execute(
            f"SELECT count(*) FROM warnings INDEXED BY warnings_queue WHERE {OPEN} AND {overdue}",
            {"now": now}).fetchone()
        cur = self.conn.execute(
            f"SELECT {rows.WARNING_COLUMNS} FROM warnings INDEXED BY warnings_queue "
            f"WHERE {OPEN} AND {overdue} AND (deadline > :since OR arrived_at > :since) "
            "ORDER BY deadline DESC LIMIT :n",
            {"now": now, "since": since, "n": limit})
        return int(count), [rows.warning(r) for r in cur]

    def next_change(self, *, now: float | None = None) -> float | None:
        """The next moment the queue or the breaches change by time alone (a retry or callback
        coming due, a lease running out, an uncalled warning passing its limit), None when
        nothing waits: clients wake then instead of polling. Index seeks only."""
        now = timeutil.now() if now is None else now
        # Only retries and claims wait for a time; a new warning is due from its arrival.
        (due,) = self.conn.execute(
            "SELECT min(available_at) FROM warnings INDEXED BY warnings_due "
            "WHERE status IN ('retry', 'claimed') AND available_at > ?", (now,)).fetchone()
        found = [] if due is None else [float(due)]
        for rank in range(4):  # one seek per level: the queue index starts with the level
            (deadline,) = self.conn.execute(
                f"SELECT min(deadline) FROM warnings INDEXED BY warnings_queue WHERE {OPEN} "
                "AND level_rank = ? AND fresh = 1 AND deadline > ?", (rank, now)).fetchone()
            if deadline is not None:
                found.append(float(deadline))
        return min(found) if found else None

    def claim_due_chase_calls(self, *, user: str, now: float | None = None,
                              limit: int = 10) -> list[escalations.ChaseCall]:
        return escalations.claim_due_chase_calls(
            self.conn, user=user, now=timeutil.now() if now is None else now, limit=limit)

    def _period(self, start: float | None, end: float | None, now: float) -> tuple[float, float]:
        """The period asked for; what is left out defaults to the current shift's edge."""
        if start is None or end is None:
            policy = self.policy()
            shift = timeutil.current_shift(now, tz=policy.timezone, starts=policy.shift_starts)
            start = shift[0] if start is None else start
            end = shift[1] if end is None else end
        if end <= start:
            raise InvalidInput("结束时间应晚于开始时间 / 'to' must be after 'from'", field="to")
        return start, end

    def audit_trail(self, *, entity: str, entity_id: int) -> list[dict[str, object]]:
        cur = self.conn.execute(
            "SELECT at, actor, action, detail FROM audit WHERE entity = ? AND entity_id = ? "
            "ORDER BY id", (entity, entity_id))
        return [{"at": at, "actor": actor, "action": action, "detail": json.loads(detail)}
                for at, actor, action, detail in cur]

    def _warning(self, warning_id: int) -> Warning:
        return cases.get(self.conn, warning_id)

    def attempt_by_client_id(self, client_id: str) -> Attempt | None:
        return attempts.by_client_id(self.conn, client_id)

    def escalation_by_client_id(self, client_id: str) -> Escalation | None:
        return escalations.by_client_id(self.conn, client_id)

    def _audit(
        self, actor: str, action: str, entity: str, entity_id: int | None,
        detail: dict[str, object], *, now: float | None = None,
    ) -> None:
        audit.append(self.conn, actor, action, entity, entity_id, detail, now=now)


__all__ = ["Store", "WarningId", "sqlite3"]
