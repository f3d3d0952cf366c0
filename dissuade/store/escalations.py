"""Escalation decisions and the steps of each kind (DESIGN.md "Escalation states")."""

from __future__ import annotations

import sqlite3

from dissuade import timeutil
from dissuade.errors import Conflict, InvalidInput, NotFound
from dissuade.models import Escalation
from dissuade.store import audit, rows
from dissuade.store.connection import write

# After approval, each kind moves through these steps in order.
STEPS: dict[str, tuple[str, ...]] = {
    "card_lock": ("approved", "sent", "locked", "explained", "unlocked"),
    "door_visit": ("approved", "dispatched", "visited"),
    "chase_call": ("approved", "scheduled", "done"),
}
ENDED = {"rejected"} | {steps[-1] for steps in STEPS.values()}


def _get(conn: sqlite3.Connection, escalation_id: int) -> Escalation:
    row = conn.execute(f"SELECT {rows.ESCALATION_COLUMNS} FROM escalations WHERE id = ?",
                       (escalation_id,)).fetchone()
    if row is None:
        raise NotFound(f"升级申请不存在 / no escalation with id {escalation_id}")
    return rows.escalation(row)


def next_status(escalation: Escalation) -> str | None:
    steps = STEPS[escalation.kind]
    if escalation.status in steps[:-1]:
        return steps[steps.index(escalation.status) + 1]
    return None


def decide(conn: sqlite3.Connection, escalation_id: int, *, decision: str, note: str, lead: str,
           now: float | None = None) -> Escalation:
    """A lead approves or rejects a proposal; a rejection sends the warning back to the queue."""
    if decision not in ("approve", "reject"):
        raise InvalidInput(f"决定应为 approve 或 reject / decision must be approve or reject: "
                           f"{decision!r}", field="decision")
    if not isinstance(note, str) or len(note) > 2000:
        raise InvalidInput("备注过长 / note must be text under 2,000 characters", field="note")
    now = timeutil.now() if now is None else now
    with write(conn):
        current = _get(conn, escalation_id)
        if current.status != "proposed":
            raise Conflict(f"升级申请 {escalation_id} 已处理（{current.status}） / escalation "
                           f"{escalation_id} was already decided: {current.status}")
        status = "approved" if decision == "approve" else "rejected"
        conn.execute("UPDATE escalations SET status = ?, decided_by = ?, decided_at = ?, "
                     "decision_note = ? WHERE id = ?", (status, lead, now, note, escalation_id))
        audit.append(conn, lead, f"escalation.{decision}", "escalation", escalation_id,
                     {"warning_id": current.warning_id, "note": note}, now=now)
        if status in ENDED:
            _back_to_queue_if_done(conn, current.warning_id, now)
    return get(conn, escalation_id)


def advance(conn: sqlite3.Connection, escalation_id: int, *, status: str, note: str, user: str,
            now: float | None = None) -> Escalation:
    """Record the next step of an approved escalation (sent, locked, dispatched, ...)."""
    now = timeutil.now() if now is None else now
    if not isinstance(note, str) or len(note) > 2000:
        raise InvalidInput("备注过长 / note must be text under 2,000 characters", field="note")
    with write(conn):
        current = _get(conn, escalation_id)
        expected = next_status(current)
        if not isinstance(status, str) or status not in STEPS[current.kind]:
            raise InvalidInput(f"{current.kind} 没有状态 / has no status {status!r} "
                               f"(steps: {', '.join(STEPS[current.kind])})", field="status")
        if status != expected:
            raise Conflict(f"升级 {escalation_id} 当前为 {current.status}，下一步应为 {expected} / "
                           f"escalation {escalation_id} is {current.status}; next is {expected}")
        conn.execute("UPDATE escalations SET status = ? WHERE id = ?", (status, escalation_id))
        audit.append(conn, user, "escalation.status", "escalation", escalation_id,
                     {"warning_id": current.warning_id, "status": status, "note": note}, now=now)
        if status in ENDED:
            _back_to_queue_if_done(conn, current.warning_id, now)
    return get(conn, escalation_id)


def _back_to_queue_if_done(conn: sqlite3.Connection, warning_id: int, now: float) -> None:
    """When a warning's last open escalation ends, someone must follow it up: back in the queue."""
    placeholders = ", ".join("?" for _ in ENDED)
    (still_open,) = conn.execute(
        f"SELECT count(*) FROM escalations WHERE warning_id = ? AND status NOT IN ({placeholders})",
        (warning_id, *sorted(ENDED))).fetchone()
    if still_open == 0:
        conn.execute("UPDATE warnings SET status = 'retry', available_at = ?, claimed_by = NULL, "
                     "lease_until = NULL WHERE id = ? AND status = 'escalated'", (now, warning_id))


def get(conn: sqlite3.Connection, escalation_id: int) -> Escalation:
    return _get(conn, escalation_id)


def pending(conn: sqlite3.Connection) -> list[Escalation]:
    """Proposals waiting for a lead's decision, oldest first."""
    return [rows.escalation(r) for r in conn.execute(
        f"SELECT {rows.ESCALATION_COLUMNS} FROM escalations WHERE status = 'proposed' "
        "ORDER BY proposed_at, id")]
