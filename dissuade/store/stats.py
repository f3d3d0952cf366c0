"""The shift figures of /stats over a half-open period (start <= t < end), as
docs/architecture.md, "The shift figures" defines them."""

from __future__ import annotations

import sqlite3
from typing import Any

from dissuade.store import period, robot


def shift_figures(conn: sqlite3.Connection, *, start: float, end: float, now: float) -> dict[str, Any]:
    """received, by_level, by_scam_type (arrivals in the period); handled, by_outcome (calls in
    it); dissuaded, already_lost and the dissuasion rate (latest outcomes recorded in it); the
    within-time-limit rate (of its arrivals called or overdue, those first called in time); and
    escalations_pending now."""
    rows = period.load(conn, start=start, end=end, now=now, detail=False)
    return {**period.figures(rows, pending=period.pending(conn)),
            "robot_confirmed": robot.confirmed(conn, start=start, end=end)}
