"""The centre's history as the staffing forecast reads it (dissuade/forecast/staffing.py), and
the forecast of a shift. The arithmetic is there; here only the reads."""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any

from dissuade.domain.errors import InvalidInput
from dissuade.forecast import staffing
from dissuade.forecast.staffing import History
from dissuade.store.base import StoreBase, now_or
from dissuade.store.connection import snapshot

ROBOT = "robot"  # the robot's attempts carry this officer name (settled)
WEEK = 7 * 86400.0
EARLIEST, LATEST = 946_684_800.0, 4_102_444_800.0  # 2000-01-01 and 2100-01-01, UTC


def history(conn: sqlite3.Connection, *, start: float, end: float) -> History:
    """What happened start <= t < end, cut to the first warning the database holds (a new
    centre's history is as long as it is, and the forecast says so)."""
    (first,) = conn.execute("SELECT MIN(arrived_at) FROM warnings").fetchone()
    if first is not None:
        start = max(start, float(first))
    start = min(start, end)
    arrivals = tuple((float(at), str(level)) for at, level in conn.execute(
        "SELECT arrived_at, risk_level FROM warnings WHERE arrived_at >= ? AND arrived_at < ? "
        "ORDER BY arrived_at, id", (start, end)))
    timed: list[float] = []
    people_calls = robot_calls = 0
    people_warnings: set[int] = set()
    robot_warnings: set[int] = set()
    confirmed: set[int] = set()
    for warning_id, officer, outcome, started, ended, linked in conn.execute(
            "SELECT warning_id, officer, outcome, started_at, ended_at, linked_to FROM attempts "
            "WHERE recorded_at >= ? AND recorded_at < ? AND voided_at IS NULL "
            "ORDER BY recorded_at, id", (start, end)):
        if officer == ROBOT:
            robot_calls += 1
            robot_warnings.add(int(warning_id))
            if outcome == "dissuaded":
                confirmed.add(int(warning_id))
            continue
        people_warnings.add(int(warning_id))
        if linked is not None:  # the same call's row for the person's other warning
            continue
        people_calls += 1
        if started is not None and ended is not None and float(ended) > float(started):
            timed.append(float(ended) - float(started))
    return History(start=start, end=end, arrivals=arrivals, handle_seconds=tuple(timed),
                   people_calls=people_calls, people_warnings=len(people_warnings),
                   robot_calls=robot_calls, robot_warnings=len(robot_warnings),
                   robot_confirmed=len(confirmed))


def level_mix(h: History) -> dict[str, int]:
    return dict(Counter(level for _, level in h.arrivals))


class ForecastStore(StoreBase):
    """The staffing forecast of a shift from the centre's history."""

    def staffing_forecast(self, *, start: float | None = None, weeks: int = 4,
                          now: float | None = None) -> dict[str, Any]:
        """Officers needed each hour of a shift (the next one, or the one starting at `start`),
        with and without the robot's first pass, from up to `weeks` weeks of history before the
        shift (never after `now`)."""
        if not 1 <= int(weeks) <= 26:
            raise InvalidInput("历史周数应为 1-26 / weeks must be 1-26", field="weeks")
        if start is not None and not EARLIEST <= start < LATEST:
            raise InvalidInput("预测的班次应在 2000 年至 2100 年之间 / the shift to forecast must "
                               "start between 2000 and 2100", field="from")
        now = now_or(now)
        policy = self.policy()
        if start is None:
            begin, end = staffing.next_shift(now, policy)
        else:
            from dissuade.domain import timeutil

            begin, end = timeutil.current_shift(start, tz=policy.timezone,
                                                starts=policy.shift_starts)
        until = min(now, begin)
        with snapshot(self.conn):
            h = history(self.conn, start=until - int(weeks) * WEEK, end=until)
        return staffing.forecast(h, policy, start=begin, end=end)
