"""Taking an outcome back: the officer's undo within seconds, a lead's reopening of a closed
warning, and the officer's draft notes that survive a closed window.

Undo voids the call's attempt rows (kept, marked, counted nowhere; an audit row says who and
when), puts every warning the call settled back as it was just before (each row keeps that
state in `before`), claimed again by the officer, withdraws the automatic proposal the outcome
made while no lead has decided it, and gives the notes back as a draft. It is the officer's own,
for UNDO_SECONDS after the outcome by the store's clock, and refused once anyone has acted on a
settled warning since. After that a lead reopens a closed warning with a reason.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from dissuade.domain import limits, phones
from dissuade.domain.codes import Status
from dissuade.domain.errors import Conflict, InvalidInput, NotFound
from dissuade.domain.models import Attempt, Warning
from dissuade.domain.rules import ENDED
from dissuade.store import audit, cases, escalations, rows
from dissuade.store.base import StoreBase, now_or
from dissuade.store.connection import write
from dissuade.store.settled import with_settled

UNDO_SECONDS = 10.0
WITHDRAWN = "withdrawn"  # an automatic proposal its outcome's undo took back (ends it)
# What an attempt changes on its warning: kept before it, put back by an undo.
STATE = ("status", "available_at", "failed_attempts", "fresh", "last_outcome", "last_outcome_at",
         "first_attempt_at", "claimed_by", "lease_until", "reserved_for", "reserved_until",
         "reserve_sticky", "closed_at", "closed_by")


def snapshot(conn: sqlite3.Connection, warning_id: int) -> str:
    """The warning's state an attempt is about to change, as JSON (inside the attempt's write)."""
    row = conn.execute(f"SELECT {', '.join(STATE)} FROM warnings WHERE id = ?",
                       (warning_id,)).fetchone()
    return json.dumps(dict(zip(STATE, row, strict=True)) if row is not None else {})


def _row(conn: sqlite3.Connection, attempt_id: int) -> tuple[Attempt, dict[str, object]]:
    found = conn.execute(f"SELECT {rows.ATTEMPT_COLUMNS}, before FROM attempts WHERE id = ?",
                         (attempt_id,)).fetchone()
    if found is None:
        raise NotFound(f"没有处置记录 {attempt_id} / no attempt {attempt_id}")
    return rows.attempt(tuple(found)[:-1]), json.loads(found[-1] or "{}")


def undo_attempt(conn: sqlite3.Connection, attempt_id: int, *, user: str,
                 lease_minutes: dict[str, float], now: float) -> Attempt:
    """Void the call `attempt_id` belongs to and give its warnings back to `user` as they were.
    Idempotent: an attempt already undone answers as it is."""
    with write(conn):
        attempt, _ = _row(conn, attempt_id)
        if attempt.linked_to is not None:  # a row the call wrote for a linked warning
            attempt, _ = _row(conn, int(attempt.linked_to))
        if attempt.officer != user:
            raise Conflict(f"只有记录该结果的 {attempt.officer} 可以撤销 / only {attempt.officer}, "
                           "who recorded this outcome, may undo it", holder=attempt.officer)
        if attempt.voided_at is not None:
            return with_settled(conn, attempt)
        if now - attempt.recorded_at > UNDO_SECONDS:
            raise Conflict(f"结果已记录超过 {UNDO_SECONDS:.0f} 秒，不能撤销；可请值班长重新打开预警 / "
                           f"recorded more than {UNDO_SECONDS:.0f} seconds ago: it can no longer "
                           "be undone; a lead can reopen the warning")
        ids = [int(attempt.id)] + [int(i) for (i,) in conn.execute(
            "SELECT id FROM attempts WHERE linked_to = ? ORDER BY id", (int(attempt.id),))]
        plan: list[tuple[Attempt, dict[str, object], Warning]] = []
        withdraw: set[int] = set()
        for aid in ids:
            row, before = _row(conn, aid)
            w = cases.get(conn, int(row.warning_id))
            (last_at,) = conn.execute("SELECT last_outcome_at FROM warnings WHERE id = ?",
                                      (w.id,)).fetchone()
            acted = (last_at != row.recorded_at or w.last_outcome != row.outcome
                     or (w.claimed_by is not None and w.claimed_by != user)
                     or conn.execute("SELECT 1 FROM attempts WHERE warning_id = ? AND id > ? "
                                     "AND voided_at IS NULL", (w.id, aid)).fetchone())
            if w.status == Status.ESCALATED:
                for e in escalations.of_warning(conn, int(w.id)):
                    if e.status in ENDED:
                        continue
                    ours = (e.status == "proposed" and e.automatic and e.proposed_by == user
                            and e.proposed_at == row.recorded_at)
                    if not ours:
                        acted = True
                    else:
                        withdraw.add(int(e.id))
            if acted:
                raise Conflict(f"预警 {w.id} 在此结果之后已有人处理，不能撤销 / someone has acted on "
                               f"warning {w.id} since this outcome: it can no longer be undone",
                               holder=w.claimed_by)
            plan.append((row, before, w))
        for _, before, w in plan:
            lease = now + 60.0 * lease_minutes[w.risk_level]
            conn.execute(
                "UPDATE warnings SET status = 'claimed', claimed_by = ?, lease_until = ?, "
                "available_at = ?, failed_attempts = ?, fresh = ?, last_outcome = ?, "
                "last_outcome_at = ?, first_attempt_at = ?, reserved_for = ?, "
                "reserved_until = ?, reserve_sticky = ?, closed_at = NULL, closed_by = NULL "
                "WHERE id = ?",
                (user, lease, lease, before.get("failed_attempts", w.failed_attempts),
                 before.get("fresh", 0), before.get("last_outcome"),
                 before.get("last_outcome_at"), before.get("first_attempt_at"),
                 before.get("reserved_for"), before.get("reserved_until"),
                 before.get("reserve_sticky", 0), w.id))
        marks = ", ".join("?" for _ in ids)
        conn.execute(f"UPDATE attempts SET voided_at = ?, voided_by = ? WHERE id IN ({marks})",
                     (now, user, *ids))
        for eid in sorted(withdraw):
            conn.execute("UPDATE escalations SET status = ? WHERE id = ?", (WITHDRAWN, eid))
            escalations.step(conn, eid, WITHDRAWN, user, now, "撤销处置结果 / outcome undone")
        if attempt.notes:
            save(conn, int(attempt.warning_id), attempt.notes, user=user, now=now)
        audit.append(conn, user, "attempt.undo", "warning", int(attempt.warning_id),
                     {"attempt": int(attempt.id), "outcome": attempt.outcome, "voided": ids,
                      "restored": [int(w.id) for _, _, w in plan],
                      "withdrawn": sorted(withdraw)}, now=now)
        attempt, _ = _row(conn, int(attempt.id))
        return with_settled(conn, attempt)


def reopen(conn: sqlite3.Connection, warning_id: int, *, user: str, reason: str,
           now: float) -> Warning:
    """A lead reopens a closed warning: back in the queue at once, with the reason audited."""
    reason = limits.check_text(reason, field="reason", required=True)
    with write(conn):
        w = cases.get(conn, warning_id)
        if w.status != Status.CLOSED:
            raise Conflict(f"预警 {warning_id} 未办结，无需重新打开 / warning {warning_id} is not "
                           "closed: there is nothing to reopen")
        conn.execute("UPDATE warnings SET status = 'retry', available_at = ?, closed_at = NULL, "
                     "closed_by = NULL, claimed_by = NULL, lease_until = NULL, "
                     "reserved_for = NULL, reserved_until = NULL, reserve_sticky = 0 "
                     "WHERE id = ?", (now, warning_id))
        audit.append(conn, user, "warning.reopen", "warning", warning_id,
                     {"reason": reason, "was": w.last_outcome},
                     now=now)
        return cases.get(conn, warning_id)


# -- draft notes: the author's own, not audited, gone with the outcome --------------------------


def save(conn: sqlite3.Connection, warning_id: int, notes: str, *, user: str,
         now: float) -> None:
    """Keep (or, empty, drop) `user`'s draft notes on a warning (inside or outside a write)."""
    if notes.strip():
        conn.execute("INSERT INTO drafts (warning_id, author, notes, saved_at) "
                     "VALUES (?, ?, ?, ?) ON CONFLICT (warning_id, author) DO UPDATE SET "
                     "notes = excluded.notes, saved_at = excluded.saved_at",
                     (warning_id, user, notes, now))
    else:
        clear(conn, [warning_id], user=user)


def clear(conn: sqlite3.Connection, warning_ids: Sequence[int], *, user: str) -> None:
    marks = ", ".join("?" for _ in warning_ids)
    conn.execute(f"DELETE FROM drafts WHERE author = ? AND warning_id IN ({marks})",
                 (user, *warning_ids))


class UndoStore(StoreBase):
    """The officer's undo, a lead's reopening, and draft notes."""

    def undo_attempt(self, attempt_id: int, *, user: str, now: float | None = None) -> Attempt:
        """Void an outcome `user` recorded less than UNDO_SECONDS ago and give its warnings
        back to them as they were (idempotent)."""
        leases = {level: p.lease_minutes for level, p in self.policy().levels.items()}
        return undo_attempt(self.conn, attempt_id, user=user, lease_minutes=leases,
                            now=now_or(now))

    def reopen_warning(self, warning_id: int, *, user: str, reason: str,
                       now: float | None = None) -> Warning:
        return reopen(self.conn, warning_id, user=user, reason=reason, now=now_or(now))

    def save_draft(self, warning_id: int, *, user: str, notes: str,
                   now: float | None = None) -> str:
        """Keep the author's draft notes on a warning they can see (empty: drop it)."""
        notes = limits.check_text(notes, field="notes", limit=limits.NOTES_MAX)
        if not isinstance(warning_id, int):
            raise InvalidInput("预警编号应为整数 / warning_id must be an integer",
                               field="warning_id")
        with write(self.conn):
            cases.get(self.conn, warning_id)  # 404 for an unknown warning
            save(self.conn, warning_id, notes, user=user, now=now_or(now))
        return notes

    def warnings_of_phone(self, phone: str, *, limit: int = 5) -> list[int]:
        """The ids of a phone's warnings, newest first: the why box finds a warning by the
        number the person gave, in any written form (InvalidInput when it is not a phone)."""
        e164 = phones.normalise(phone)
        return [int(i) for (i,) in self.conn.execute(
            "SELECT id FROM warnings WHERE phone = ? ORDER BY arrived_at DESC, id DESC LIMIT ?",
            (e164, limit))]

    def draft(self, warning_id: int, *, user: str) -> str:
        """The author's draft notes on a warning ("" when none)."""
        row = self.conn.execute("SELECT notes FROM drafts WHERE warning_id = ? AND author = ?",
                                (warning_id, user)).fetchone()
        return "" if row is None else str(row[0])


__all__ = ["UNDO_SECONDS", "UndoStore", "WITHDRAWN", "clear", "reopen", "save", "snapshot",
           "undo_attempt"]
