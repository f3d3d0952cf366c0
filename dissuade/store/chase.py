"""Chase calls: the automated calls an approved chase escalation makes, on a schedule, until
one gets through or the last is made (then its warnings come back for a follow-up)."""

from __future__ import annotations

import sqlite3
from typing import Any

from dissuade.domain import settings as spec
from dissuade.domain import timeutil
from dissuade.domain.errors import NotFound
from dissuade.domain.models import ChaseCall
from dissuade.store import audit, escalations, policy_rows
from dissuade.store.base import StoreBase, now_or
from dissuade.store.connection import write

CHASE_COLUMNS = "id, escalation_id, warning_id, number, due_at, called_at, ok, result"


def _chase(row: tuple[Any, ...]) -> ChaseCall:
    id_, esc, warning, number, due, called, ok, result = row
    return ChaseCall(id_, esc, warning, number, due, called, None if ok is None else bool(ok),
                     result)


def chase_calls(conn: sqlite3.Connection, escalation_id: int) -> list[ChaseCall]:
    return [_chase(r) for r in conn.execute(
        f"SELECT {CHASE_COLUMNS} FROM chase_calls WHERE escalation_id = ? ORDER BY number",
        (escalation_id,))]


def due_chase_calls(conn: sqlite3.Connection, *, now: float) -> list[ChaseCall]:
    return [_chase(r) for r in conn.execute(
        f"SELECT {CHASE_COLUMNS} FROM chase_calls WHERE called_at IS NULL AND due_at <= ? "
        "ORDER BY due_at, id", (now,))]


def record_chase_call(conn: sqlite3.Connection, call_id: int, *, ok: bool, result: str,
                      now: float | None = None) -> ChaseCall:
    """The dialer's answer for one call; the schedule is done when a call got through or the
    last call was made (the warning then goes back to the queue for a follow-up)."""
    now = timeutil.now() if now is None else now
    with write(conn):
        row = conn.execute(f"SELECT {CHASE_COLUMNS} FROM chase_calls WHERE id = ?",
                           (call_id,)).fetchone()
        if row is None:
            raise NotFound(f"没有该追呼记录 / no chase call {call_id}")
        call = _chase(row)
        if call.called_at is not None:
            return call
        conn.execute("UPDATE chase_calls SET called_at = ?, ok = ?, result = ? WHERE id = ?",
                     (now, int(ok), result[:500], call_id))
        audit.append(conn, "dialer", "chase.call", "escalation", call.escalation_id,
                     {"warning_id": call.warning_id, "number": call.number, "ok": ok,
                      "result": result[:200]}, now=now)
        (left,) = conn.execute("SELECT count(*) FROM chase_calls WHERE escalation_id = ? "
                               "AND called_at IS NULL", (call.escalation_id,)).fetchone()
        if not ok and left:
            # The next call keeps its distance from this one, however late this one was made.
            interval = policy_rows.value(conn, spec.CHASE_INTERVAL_MINUTES) * 60.0
            conn.execute("UPDATE chase_calls SET due_at = CASE WHEN due_at > ? THEN due_at ELSE ? END "
                         "WHERE id = (SELECT "
                         "min(id) FROM chase_calls WHERE escalation_id = ? AND called_at IS NULL)",
                         (now + interval, now + interval, call.escalation_id))
        if ok or left == 0:
            conn.execute("UPDATE chase_calls SET called_at = ?, result = 'cancelled: done' "
                         "WHERE escalation_id = ? AND called_at IS NULL",
                         (now, call.escalation_id))
            conn.execute("UPDATE escalations SET status = 'done' WHERE id = ? "
                         "AND status = 'scheduled'", (call.escalation_id,))
            escalations.step(conn, call.escalation_id, "done", "dialer", now,
                 "reached" if ok else f"{call.number} calls, not reached")
            done = escalations.get(conn, call.escalation_id)
            escalations.release(conn, done, done.proposed_by, now)
    row = conn.execute(f"SELECT {CHASE_COLUMNS} FROM chase_calls WHERE id = ?",
                       (call_id,)).fetchone()
    return _chase(row)


CLAIM_STALE_SECONDS = 600.0  # a dialer that claimed a call and vanished: others may take it


def claim_due_chase_calls(conn: sqlite3.Connection, *, user: str, now: float,
                          limit: int = 10) -> list[ChaseCall]:
    """Atomically take the chase calls due now for one dialer: at most one call per escalation
    (the next of its schedule), never one another dialer is making."""
    with write(conn):
        found = conn.execute(
            f"UPDATE chase_calls SET claimed_by = ?, claimed_at = ? WHERE id IN ("
            "  SELECT c.id FROM chase_calls c JOIN escalations e ON e.id = c.escalation_id"
            "  WHERE c.called_at IS NULL AND c.due_at <= ? AND e.status = 'scheduled'"
            "  AND (c.claimed_at IS NULL OR c.claimed_at < ?)"
            "  AND c.id IN (SELECT min(id) FROM chase_calls WHERE called_at IS NULL"
            "               GROUP BY escalation_id)"
            "  ORDER BY c.due_at, c.id LIMIT ?) "
            f"RETURNING {CHASE_COLUMNS}",
            (user, now, now, now - CLAIM_STALE_SECONDS, limit)).fetchall()
        for row in found:
            audit.append(conn, user, "chase.claim", "escalation", int(row[1]),
                         {"warning_id": int(row[2]), "number": int(row[3])}, now=now)
    return sorted((_chase(r) for r in found), key=lambda c: (c.due_at, c.id))


class ChaseStore(StoreBase):
    """The dialer's side of chase escalations."""

    def chase_calls(self, escalation_id: int) -> list[ChaseCall]:
        return chase_calls(self.conn, escalation_id)

    def due_chase_calls(self, *, now: float | None = None) -> list[ChaseCall]:
        return due_chase_calls(self.conn, now=now_or(now))

    def claim_due_chase_calls(self, *, user: str, now: float | None = None,
                              limit: int = 10) -> list[ChaseCall]:
        return claim_due_chase_calls(self.conn, user=user, now=now_or(now), limit=limit)

    def record_chase_call(self, call_id: int, *, ok: bool, result: str) -> ChaseCall:
        return record_chase_call(self.conn, call_id, ok=ok, result=result)
