"""Taking an approved stop-payment request for sending, once.

The take before the bank's minute and the record after it are each a short transaction, so
nobody holds a lock (a source's, the database's) through the delivery, and still two senders
(two clicks, two workstations, two hub processes) never both send one request: the take is a
conditional UPDATE, which SQLite's write transaction and PostgreSQL's row lock both make atomic.
"""

from __future__ import annotations

import sqlite3
import uuid

from dissuade.domain import timeutil
from dissuade.domain.errors import Conflict
from dissuade.domain.models import Escalation, SendTicket
from dissuade.store import escalations
from dissuade.store.base import StoreBase
from dissuade.store.connection import write

# A take this old belongs to a sender that vanished (a crash, a killed process), and another may
# send: well above the bank gateway's 60 s timeout and the PDF's making, so a live sender is
# never overtaken, and short enough that a crash never strands a stop-payment for long.
SEND_STALE_SECONDS = 600.0

_CLEAR = "UPDATE escalations SET sending_by = NULL, sending_at = NULL, sending_token = NULL " \
         "WHERE id = ? AND sending_token = ?"


def begin(conn: sqlite3.Connection, escalation_id: int, *, user: str,
          now: float | None = None) -> SendTicket:
    """Take the approved card lock for sending by `user`; Conflict when it is not approved or
    another sender has it now (saying who, and since when)."""
    now = timeutil.now() if now is None else now
    token = uuid.uuid4().hex
    with write(conn):
        before = conn.execute("SELECT sending_by FROM escalations WHERE id = ?",
                              (escalation_id,)).fetchone()
        taken = conn.execute(
            "UPDATE escalations SET sending_by = ?, sending_at = ?, sending_token = ? "
            "WHERE id = ? AND kind = 'card_lock' AND status = 'approved' "
            "AND (sending_at IS NULL OR sending_at < ?) RETURNING id",
            (user, now, token, escalation_id, now - SEND_STALE_SECONDS)).fetchone()
        if taken is None:
            raise _refusal(conn, escalation_id, now)
        current = escalations.get(conn, escalation_id)
    return SendTicket(current, token, user, now, overtook=str(before[0] or ""))


def finish(conn: sqlite3.Connection, ticket: SendTicket, *, note: str,
           now: float | None = None) -> Escalation:
    """The delivery went through: record the step `sent` with `note` and end the take. A request
    marked sent (or further) by hand meanwhile keeps that record."""
    escalation_id = int(ticket.escalation.id)
    if ticket.overtook:
        note = (f"{note}（接替 {ticket.overtook} 未完成的发送，银行可能收到两次） / (took over "
                f"{ticket.overtook}'s unfinished send: the bank may have it twice)")
    with write(conn):
        conn.execute(_CLEAR, (escalation_id, ticket.token))
        if escalations.get(conn, escalation_id).status != "approved":
            return escalations.get(conn, escalation_id)
        return escalations.advance(conn, escalation_id, status="sent", note=note[:2000],
                                   user=ticket.user, now=now)


def abandon(conn: sqlite3.Connection, ticket: SendTicket) -> None:
    """The delivery failed: give the request back, still approved, for anyone to send."""
    with write(conn):
        conn.execute(_CLEAR, (int(ticket.escalation.id), ticket.token))


def _refusal(conn: sqlite3.Connection, escalation_id: int, now: float) -> Conflict:
    current = escalations.get(conn, escalation_id)  # NotFound for an unknown id
    if current.kind != "card_lock":
        return Conflict(f"升级 {escalation_id} 不是止付锁卡 / escalation {escalation_id} is not "
                        "a card lock")
    if current.status != "approved":
        return Conflict(f"止付申请须在批准后、发送前 / escalation {escalation_id} is "
                        f"{current.status}: only an approved request is sent")
    by, at = conn.execute("SELECT sending_by, sending_at FROM escalations WHERE id = ?",
                          (escalation_id,)).fetchone()
    ago = max(0, round(now - float(at)))
    return Conflict(f"止付申请正在由 {by} 发送（{ago} 秒前开始），不会重复发送 / escalation "
                    f"{escalation_id} is being sent by {by} (started {ago} s ago): a request is "
                    "never sent twice")


class SendingStore(StoreBase):
    """An approved card lock taken for sending, sent, or given back (see the module's text)."""

    def begin_send(self, escalation_id: int, *, user: str,
                   now: float | None = None) -> SendTicket:
        """Take an approved card lock for sending; Conflict when another has it."""
        return begin(self.conn, escalation_id, user=user, now=now)

    def finish_send(self, ticket: SendTicket, *, note: str,
                    now: float | None = None) -> Escalation:
        return finish(self.conn, ticket, note=note, now=now)

    def abandon_send(self, ticket: SendTicket) -> None:
        abandon(self.conn, ticket)
