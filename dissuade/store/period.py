"""A period's counts, each read from one covering index (migration m006) and grouped by SQLite:
the warnings that arrived in it, the calls recorded in it, the warnings whose latest outcome
(dissuaded or already lost) was recorded in it. Every shift figure is summed from these few
groups, so a shift of 50,000 warnings costs a few index scans and no table row."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from typing import Any, NamedTuple

from dissuade.store import dialect

HOUR = 3600.0


class Arrivals(NamedTuple):
    """Warnings that arrived in one hour of the period, of one level and scam type."""

    hour: int
    risk_level: str
    scam_type: str
    n: int
    judged: int  # called, or never called and past the deadline
    in_time: int  # first called by the deadline
    amount_at_risk: float
    repeat_victims: int


class Calls(NamedTuple):
    """Calls one officer recorded in the period with one outcome."""

    officer: str
    outcome: str
    n: int
    timed: int  # calls with a start and an end
    seconds: float  # their total length


class Decided(NamedTuple):
    """Warnings whose latest outcome, recorded in one hour of the period, is this one."""

    hour: int
    outcome: str  # dissuaded | already_lost
    scam_type: str
    closed_by: str | None
    n: int
    amount_at_risk: float


@dataclass(frozen=True, slots=True)
class Period:
    start: float
    end: float
    now: float
    arrivals: list[Arrivals]
    calls: list[Calls]
    decided: list[Decided]
    handled: int  # warnings with a call in the period
    handled_by: dict[str, int]  # the same, by officer
    late_first_by: dict[str, int]  # first calls made after the limit, by who made them
    amount_lost: float  # by the latest already_lost call of each warning lost in the period
    linked: int = 0  # attempt rows a call settled for the person's other warnings (not calls)

    @property
    def hours(self) -> int:
        return max(1, int((self.end - self.start + HOUR - 1) // HOUR))


def load(conn: sqlite3.Connection, *, start: float, end: float, now: float,
         detail: bool = True) -> Period:
    """The period's groups; without `detail` only what /stats needs (no officers, no money)."""
    span = (start, end)
    if not detail:
        return _light(conn, start=start, end=end, now=now)
    # "Judged" counts a warning called, or never called and strictly past its deadline (a first
    # call at that very second is in time, so an untried warning is not late then either).
    arrivals = [Arrivals(*r) for r in conn.execute(
        f"SELECT {dialect.hours_since(conn, 'arrived_at')}, risk_level, scam_type, count(*), "
        "count(*) FILTER (WHERE first_attempt_at IS NOT NULL OR deadline < :now), "
        "count(*) FILTER (WHERE first_attempt_at IS NOT NULL AND first_attempt_at <= deadline), "
        "coalesce(sum(amount_at_risk), 0), sum(repeat_victim) FROM warnings "
        "WHERE arrived_at >= :start AND arrived_at < :end GROUP BY 1, 2, 3",
        {"start": start, "end": end, "now": now})]
    calls = [Calls(*r) for r in conn.execute(
        "SELECT officer, outcome, count(*), count(CASE WHEN ended_at >= started_at THEN 1 END), "
        "coalesce(sum(CASE WHEN ended_at >= started_at THEN ended_at - started_at END), 0) "
        "FROM attempts WHERE voided_at IS NULL AND recorded_at >= ? AND recorded_at < ? GROUP BY 1, 2", span)]
    handled_by = {str(o): int(n) for o, n in conn.execute(
        "SELECT officer, count(DISTINCT warning_id) FROM attempts WHERE voided_at IS NULL AND recorded_at >= ? "
        "AND recorded_at < ? GROUP BY 1", span)}
    (handled,) = conn.execute(
        "SELECT count(DISTINCT warning_id) FROM attempts WHERE voided_at IS NULL AND recorded_at >= ? "
        "AND recorded_at < ?", span).fetchone()
    decided = [Decided(*r) for r in conn.execute(
        f"SELECT {dialect.hours_since(conn, 'last_outcome_at')}, last_outcome, scam_type, "
        "closed_by, count(*), coalesce(sum(amount_at_risk), 0) FROM warnings "
        "WHERE last_outcome IN ('dissuaded', 'already_lost') AND last_outcome_at >= :start "
        "AND last_outcome_at < :end GROUP BY 1, 2, 3, 4", {"start": start, "end": end})]
    # A breach is counted against whoever made a first call after the time limit.
    late_first_by = {str(o): int(n) for o, n in conn.execute(
        "SELECT a.officer, count(*) FROM warnings w "
        "JOIN attempts a ON a.warning_id = w.id AND a.recorded_at = w.first_attempt_at AND a.voided_at IS NULL "
        "WHERE w.first_attempt_at >= ? AND w.first_attempt_at < ? "
        "AND w.first_attempt_at > w.deadline GROUP BY 1", span)}
    # A warning recorded lost twice counts once, with its latest figure.
    (lost,) = conn.execute(
        "SELECT coalesce(sum(a.amount_lost), 0) FROM warnings w "
        "JOIN attempts a ON a.warning_id = w.id AND a.recorded_at = w.last_outcome_at AND a.voided_at IS NULL "
        "WHERE w.last_outcome = 'already_lost' AND w.last_outcome_at >= ? "
        "AND w.last_outcome_at < ? AND a.outcome = 'already_lost'", span).fetchone()
    return Period(start, end, now, arrivals, calls, decided, int(handled), handled_by,
                  late_first_by, float(lost), _linked(conn, start, end))


def _light(conn: sqlite3.Connection, *, start: float, end: float, now: float) -> Period:
    """/stats alone: the same counts, grouped only as far as it reports them."""
    span = {"start": start, "end": end, "now": now}
    arrivals = [Arrivals(0, str(level), str(scam), int(n), int(judged), int(in_time), 0.0, 0)
                for level, scam, n, judged, in_time in conn.execute(
        "SELECT risk_level, scam_type, count(*), "
        "count(*) FILTER (WHERE first_attempt_at IS NOT NULL OR deadline < :now), "
        "count(*) FILTER (WHERE first_attempt_at IS NOT NULL AND first_attempt_at <= deadline) "
        "FROM warnings "
        "WHERE arrived_at >= :start AND arrived_at < :end GROUP BY 1, 2", span)]
    calls = [Calls("", str(o), int(n), 0, 0.0) for o, n in conn.execute(
        "SELECT outcome, count(*) FROM attempts WHERE voided_at IS NULL AND recorded_at >= :start "
        "AND recorded_at < :end GROUP BY 1", span)]
    (handled,) = conn.execute(
        "SELECT count(DISTINCT warning_id) FROM attempts WHERE voided_at IS NULL AND recorded_at >= :start "
        "AND recorded_at < :end", span).fetchone()
    decided = [Decided(0, str(o), "", None, int(n), 0.0) for o, n in conn.execute(
        "SELECT last_outcome, count(*) FROM warnings WHERE last_outcome IN ('dissuaded', "
        "'already_lost') AND last_outcome_at >= :start AND last_outcome_at < :end GROUP BY 1",
        span)]
    return Period(start, end, now, arrivals, calls, decided, int(handled), {}, {}, 0.0,
                  _linked(conn, start, end))


def _linked(conn: sqlite3.Connection, start: float, end: float) -> int:
    (n,) = conn.execute("SELECT count(*) FROM attempts WHERE voided_at IS NULL AND linked_to IS NOT NULL "
                        "AND recorded_at >= ? AND recorded_at < ?", (start, end)).fetchone()
    return int(n)


def figures(p: Period, *, pending: int) -> dict[str, Any]:
    """The /stats figures of the period (docs/architecture.md, "The shift figures"); `pending`
    proposals wait now, whatever the period."""
    by_level: Counter[str] = Counter()
    by_type: Counter[str] = Counter()
    for a in p.arrivals:
        by_level[a.risk_level] += a.n
        by_type[a.scam_type] += a.n
    by_outcome: Counter[str] = Counter()
    for c in p.calls:
        by_outcome[c.outcome] += c.n
    outcomes: Counter[str] = Counter()
    for d in p.decided:
        outcomes[d.outcome] += d.n
    dissuaded, lost = outcomes["dissuaded"], outcomes["already_lost"]
    judged = sum(a.judged for a in p.arrivals)
    in_time = sum(a.in_time for a in p.arrivals)
    return {
        "received": sum(by_level.values()),
        "by_level": dict(sorted(by_level.items())),
        "by_scam_type": dict(sorted(by_type.items())),
        "handled": p.handled,
        "by_outcome": dict(sorted(by_outcome.items())),
        # One call may settle a person's several warnings (one attempt row each): calls made.
        "calls": sum(by_outcome.values()) - p.linked,
        "dissuaded": dissuaded,
        "already_lost": lost,
        "dissuasion_rate": dissuaded / (dissuaded + lost) if dissuaded + lost else None,
        "within_time_limit_rate": in_time / judged if judged else None,
        "escalations_pending": pending,
    }


def pending(conn: sqlite3.Connection) -> int:
    (n,) = conn.execute("SELECT count(*) FROM escalations WHERE status = 'proposed'").fetchone()
    return int(n)
