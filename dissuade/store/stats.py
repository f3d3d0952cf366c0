"""The shift figures of DESIGN.md's /stats, counted in SQL over a half-open period."""

from __future__ import annotations

import sqlite3
from typing import Any


def _counts(conn: sqlite3.Connection, sql: str, params: tuple[object, ...]) -> dict[str, int]:
    return {key: int(n) for key, n in conn.execute(sql, params)}


def shift_figures(conn: sqlite3.Connection, *, start: float, end: float, now: float) -> dict[str, Any]:
    """Figures for warnings and attempts with start <= t < end (definitions in DESIGN.md)."""
    period = (start, end)
    received_where = "arrived_at >= ? AND arrived_at < ?"
    (received,) = conn.execute(f"SELECT count(*) FROM warnings WHERE {received_where}",
                               period).fetchone()
    by_level = _counts(conn, f"SELECT risk_level, count(*) FROM warnings WHERE {received_where} "
                             "GROUP BY risk_level", period)
    by_type = _counts(conn, f"SELECT scam_type, count(*) FROM warnings WHERE {received_where} "
                            "GROUP BY scam_type", period)
    (handled,) = conn.execute("SELECT count(DISTINCT warning_id) FROM attempts "
                              "WHERE recorded_at >= ? AND recorded_at < ?", period).fetchone()
    by_outcome = _counts(conn, "SELECT outcome, count(*) FROM attempts WHERE recorded_at >= ? "
                               "AND recorded_at < ? GROUP BY outcome", period)
    latest = _counts(conn, "SELECT last_outcome, count(*) FROM warnings WHERE last_outcome IN "
                           "('dissuaded', 'already_lost') AND last_outcome_at >= ? "
                           "AND last_outcome_at < ? GROUP BY last_outcome", period)
    dissuaded, lost = latest.get("dissuaded", 0), latest.get("already_lost", 0)
    # Counted: attempted, or untried and past the deadline (a breach); untried and not yet due
    # is left out. "Past" is strictly after: a first call exactly at the deadline is within the
    # limit, so an untried warning whose deadline is this very moment is not yet a breach (the
    # queue's red "overdue" mark uses the same strict test).
    (judged, in_time) = conn.execute(
        f"SELECT count(*), coalesce(sum(first_attempt_at IS NOT NULL AND first_attempt_at <= "
        f"deadline), 0) FROM warnings WHERE {received_where} "
        "AND (first_attempt_at IS NOT NULL OR deadline < ?)", (*period, now)).fetchone()
    (pending,) = conn.execute(
        "SELECT count(*) FROM escalations WHERE status = 'proposed'").fetchone()
    return {
        "received": int(received),
        "by_level": by_level,
        "by_scam_type": by_type,
        "handled": int(handled),
        "by_outcome": by_outcome,
        "dissuaded": dissuaded,
        "already_lost": lost,
        "dissuasion_rate": dissuaded / (dissuaded + lost) if dissuaded + lost else None,
        "within_time_limit_rate": int(in_time) / int(judged) if judged else None,
        "escalations_pending": int(pending),
    }
