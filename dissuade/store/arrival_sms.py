"""The SMS at arrival, taken once per person per case before the gateway is called.

A hub sends the type's SMS to a warning that arrives by a feed's POST or batch (an import only
with `--outreach`) when its level is one of the policy's `sms_first_levels`, it is not synthetic
and still within its first-contact limit. The take and the record after the gateway's answer are
each a short transaction (no lock is held through the gateway), as for the bank's requests
(sending.py). A person gets one such SMS per case: the unbroken run of their open warnings,
named by the arrival of its first (`case_start`). The row `(phone, case_start)` is unique, so of
two hub processes taking the same case at once one inserts and the other finds it taken.
A failed delivery is recorded as a failed message and never retried.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from dissuade.domain.models import Warning
from dissuade.store import audit, rows
from dissuade.store.base import StoreBase, now_or
from dissuade.store.connection import write

SENDER = "sms@arrival"  # who the messages table says sent it (the officer sees it is automatic)
FAILED = "发送失败 / failed: "  # how a failed message's result begins


@dataclass(frozen=True, slots=True)
class ArrivalTicket:
    """A warning's SMS at arrival, taken for sending by `user` (row `id` of arrival_sms)."""

    id: int
    warning: Warning
    user: str
    taken_at: float


def case_start(conn: sqlite3.Connection, phone: str) -> float | None:
    """The arrival of the first warning of the person's case now (their open warnings and every
    warning whose life overlapped them without a gap), or None when nothing of theirs is open."""
    spans = conn.execute(
        "SELECT arrived_at, closed_at, status FROM warnings WHERE phone = ? "
        "ORDER BY arrived_at, id", (phone,)).fetchall()
    start: float | None = None
    reach = float("-inf")  # the run so far covers [start, reach)
    for arrived, closed, status in spans:
        end = float("inf") if status != "closed" or closed is None else float(closed)
        if start is None or float(arrived) > reach:
            start, reach = float(arrived), end  # a gap: a new case begins here
        else:
            reach = max(reach, end)
    return start if reach == float("inf") else None


def why_not(warning: Warning, levels: tuple[str, ...], now: float) -> str | None:
    """Why this warning gets no SMS at arrival (None: it may get one)."""
    if warning.synthetic:
        return "synthetic"
    if warning.status == "closed":
        return "closed"
    if warning.risk_level not in levels:
        return "level"
    if now > warning.deadline:
        return "past its limit"
    return None


def take(conn: sqlite3.Connection, warning_id: int, *, levels: tuple[str, ...], user: str,
         now: float) -> ArrivalTicket | str:
    """Take the warning's SMS at arrival for sending: a ticket, or why not (a short reason: the
    warning does not qualify, or its person's case had one already)."""
    with write(conn):
        row = conn.execute(f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE id = ?",
                           (warning_id,)).fetchone()
        if row is None:
            return "unknown"
        warning = rows.warning(row)
        reason = why_not(warning, levels, now)
        if reason is not None:
            return reason
        start = case_start(conn, warning.phone)
        if start is None:
            return "closed"
        taken = conn.execute(
            "INSERT INTO arrival_sms (phone, case_start, warning_id, state, taken_by, taken_at) "
            "VALUES (?, ?, ?, 'sending', ?, ?) ON CONFLICT (phone, case_start) DO NOTHING "
            "RETURNING id", (warning.phone, start, warning_id, user, now)).fetchone()
        if taken is None:
            return "sent in this case"
    return ArrivalTicket(int(taken[0]), warning, user, now)


def finish(conn: sqlite3.Connection, ticket: ArrivalTicket, *, text: str, via: str,
           result: str, failed: bool, now: float) -> int:
    """Record the gateway's answer: a message in the warning's history (a failed one says so in
    its result), the take marked sent or failed, an audit row. Returns the message's id."""
    result = (FAILED if failed else "") + result
    warning_id = int(ticket.warning.id)
    with write(conn):
        (message_id,) = conn.execute(
            "INSERT INTO messages (client_id, warning_id, channel, via, text, result, sent_by, "
            "sent_at) VALUES (?, ?, 'sms', ?, ?, ?, ?, ?) ON CONFLICT (client_id) DO NOTHING "
            "RETURNING id",
            (f"arrival-{ticket.id}", warning_id, via, text, result[:2000], SENDER,
             now)).fetchone() or (None,)
        if message_id is None:  # recorded already (cannot happen twice, but never fail)
            (message_id,) = conn.execute("SELECT id FROM messages WHERE client_id = ?",
                                         (f"arrival-{ticket.id}",)).fetchone()
        conn.execute("UPDATE arrival_sms SET state = ?, message_id = ? WHERE id = ?",
                     ("failed" if failed else "sent", message_id, ticket.id))
        audit.append(conn, ticket.user, "message.sms_at_arrival", "warning", warning_id,
                     {"via": via, "failed": failed, "result": result[:200]}, now=now)
    return int(message_id)


def state_of(conn: sqlite3.Connection, warning_id: int) -> str | None:
    """sending, sent or failed when the warning's SMS at arrival was taken; None otherwise."""
    row = conn.execute("SELECT state FROM arrival_sms WHERE warning_id = ? ORDER BY id DESC",
                       (warning_id,)).fetchone()
    return None if row is None else str(row[0])


class ArrivalSmsStore(StoreBase):
    """The SMS at arrival taken once per person per case, and recorded (see the module's text)."""

    def take_arrival_sms(self, warning_id: int, *, user: str = SENDER,
                         now: float | None = None) -> ArrivalTicket | str:
        return take(self.conn, warning_id, levels=tuple(self.policy().sms_first_levels),
                    user=user, now=now_or(now))

    def finish_arrival_sms(self, ticket: ArrivalTicket, *, text: str, via: str, result: str,
                           failed: bool = False, now: float | None = None) -> int:
        return finish(self.conn, ticket, text=text, via=via, result=result, failed=failed,
                      now=now_or(now))

    def arrival_sms_state(self, warning_id: int) -> str | None:
        return state_of(self.conn, warning_id)
