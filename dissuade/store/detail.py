"""A warning read whole: its calls, escalations, messages, the person's other warnings and
past ones, and why it is or is not in the queue; for a lead, its full history."""

from __future__ import annotations

import sqlite3

from dissuade.domain.models import EscalationDetail, WarningDetail, WarningHistory
from dissuade.store import (
    cases,
    chase,
    escalations,
    explain,
    queue,
    review,
    rows,
    settled,
    training,
)
from dissuade.store.base import StoreBase, now_or

HISTORY_LIMIT = 20  # the person's past warnings shown beside the one on screen


def detail(conn: sqlite3.Connection, warning_id: int) -> WarningDetail:
    warning = cases.get(conn, warning_id)
    found = settled.settling(conn, [
        rows.attempt(r) for r in conn.execute(
            f"SELECT {rows.ATTEMPT_COLUMNS} FROM attempts WHERE warning_id = ? "
            "AND voided_at IS NULL ORDER BY recorded_at, id", (warning_id,))])
    under = tuple(escalations.of_warning(conn, warning_id))
    history = tuple(
        rows.history(r) for r in conn.execute(
            "SELECT id, arrived_at, scam_type, risk_level, status, last_outcome "
            "FROM warnings WHERE phone = ? AND id != ? ORDER BY arrived_at DESC LIMIT ?",
            (warning.phone, warning_id, HISTORY_LIMIT)))
    return WarningDetail(warning, found, under, history,
                         training.messages_of(conn, warning_id), cases.linked(conn, warning))


def escalation_detail(conn: sqlite3.Connection, escalation_id: int) -> EscalationDetail:
    return EscalationDetail(escalations.get(conn, escalation_id),
                            tuple(escalations.steps(conn, escalation_id)),
                            tuple(chase.chase_calls(conn, escalation_id)))


class DetailStore(StoreBase):
    """Reading a warning or an escalation whole."""

    def get(self, warning_id: int) -> WarningDetail:
        return detail(self.conn, warning_id)

    def why(self, warning_id: int, *, user: str, lang: str = "zh",
            now: float | None = None) -> str:
        """Why the warning is or is not in `user`'s queue, in a sentence."""
        now = now_or(now)
        found = detail(self.conn, warning_id)
        return explain.why(found, queued=queue.queued(self.conn, warning_id, user=user, now=now),
                           user=user, lang=lang, tz=self.policy().timezone, now=now)

    def escalation_detail(self, escalation_id: int) -> EscalationDetail:
        """An escalation with its steps and chase calls, in full."""
        return escalation_detail(self.conn, escalation_id)

    def warning_history(self, warning_id: int, *, user: str) -> WarningHistory:
        """Everything about a warning for a lead's review, in full; opening it is recorded."""
        found = detail(self.conn, warning_id)
        review.record_view(self.conn, warning_id, user=user, purpose="history")
        return WarningHistory(found, tuple(escalation_detail(self.conn, e.id)
                                           for e in found.escalations),
                              tuple(review.reviews_of(self.conn, warning_id)),
                              tuple(review.history_trail(self.conn, warning_id)))
