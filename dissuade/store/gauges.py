"""What a metrics scrape reads from the database (README, "Metrics (监控指标)"): a few index reads, so that a
scrape every 15 seconds costs the hub nothing it would notice on a million warnings.

Every figure here comes from the database alone, so any hub process over it answers the same:

- the queue by level: its one definition (`queue.QUEUE_WHERE`) as an officer with no callback of
  their own sees it, counted from the queue's partial index (open warnings only);
- overdue warnings by level: the lead's breaches (`queue.OVERDUE`), from the same index;
- live claims: warnings held now, from `warnings_held` (claimed warnings only);
- the current shift's attempts by outcome (people's) and the robot's calls by result (attempts
  whose officer is `robot`), from the shift's covering index `attempts_counted`, a range on
  `recorded_at`;
- escalations under way by kind and state (ended ones are history, not a gauge), and the
  stop-payment holds: running, lapsed, and the seconds until the first running one ends.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from dissuade.domain.codes import LEVELS
from dissuade.store.queue import OVERDUE, QUEUE_WHERE

ROBOT = "robot"  # the officer name the robot's first pass records its calls under
# Escalation states after which nothing is awaited: counted nowhere as a gauge.
ENDED = ("rejected", "withdrawn", "unlocked", "visited", "done")
LIVE_STATES = ("proposed", "approved", "sent", "locked", "explained", "dispatched", "scheduled")


@dataclass(frozen=True, slots=True)
class Gauges:
    queue: dict[str, int]  # level -> warnings in the queue now
    overdue: dict[str, int]  # level -> open, never called, past the first-contact deadline
    claims: int  # warnings under a live claim now
    shift_start: float
    shift_end: float
    attempts: dict[str, int]  # outcome -> people's attempts recorded in the current shift
    robot_calls: dict[str, int]  # outcome -> the robot's calls recorded in the current shift
    escalations: dict[tuple[str, str], int]  # (kind, state) -> escalations in that live state
    holds_running: int = 0
    holds_lapsed: int = 0  # still `locked`, hold run out: the lead must act
    hold_next_end: float | None = None  # when the first running hold ends (epoch seconds)


def read(conn: sqlite3.Connection, *, now: float, shift: tuple[float, float]) -> Gauges:
    """Every database figure of a scrape, at `now`, for the shift (start, end)."""
    names = [level.value for level in LEVELS]
    # The queue's and the breaches' definitions are written once, in queue.py, with named
    # parameters; these two statements take them as they are.
    queue = dict.fromkeys(names, 0)
    for rank, n in conn.execute(
            f"SELECT level_rank, count(*) FROM warnings WHERE {QUEUE_WHERE} "
            "GROUP BY level_rank ORDER BY level_rank", {"now": now, "user": ""}):
        queue[names[int(rank)]] = int(n)
    overdue = dict.fromkeys(names, 0)
    for rank, n in conn.execute(
            f"SELECT level_rank, count(*) FROM warnings WHERE {OVERDUE} "
            "GROUP BY level_rank ORDER BY level_rank", {"now": now}):
        overdue[names[int(rank)]] = int(n)
    (claims,) = conn.execute(
        "SELECT count(*) FROM warnings WHERE status = 'claimed' AND available_at > ?",
        (now,)).fetchone()
    start, end = shift
    attempts: dict[str, int] = {}
    robot: dict[str, int] = {}
    for officer_is_robot, outcome, n in conn.execute(
            "SELECT CASE WHEN officer = ? THEN 1 ELSE 0 END, outcome, count(*) FROM attempts "
            "WHERE voided_at IS NULL AND recorded_at >= ? AND recorded_at < ? "
            "GROUP BY 1, 2 ORDER BY 1, 2", (ROBOT, start, end)):
        (robot if int(officer_is_robot) == 1 else attempts)[str(outcome)] = int(n)
    marks = ", ".join("?" for _ in LIVE_STATES)
    escalations = {(str(kind), str(state)): int(n) for kind, state, n in conn.execute(
        f"SELECT kind, status, count(*) FROM escalations WHERE status IN ({marks}) "
        "GROUP BY kind, status ORDER BY kind, status", LIVE_STATES)}
    running, lapsed, next_end = conn.execute(
        "SELECT count(*) FILTER (WHERE hold_until > ?), count(*) FILTER (WHERE hold_until <= ?), "
        "min(CASE WHEN hold_until > ? THEN hold_until END) FROM escalations "
        "WHERE status = 'locked' AND hold_until IS NOT NULL", (now, now, now)).fetchone()
    return Gauges(queue, overdue, int(claims), start, end, attempts, robot, escalations,
                  int(running or 0), int(lapsed or 0),
                  None if next_end is None else float(next_end))


__all__ = ["Gauges", "read", "ROBOT", "LIVE_STATES"]
