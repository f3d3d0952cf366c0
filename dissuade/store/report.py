"""The shift's figures beyond /stats: by hour, by officer, by scam type, escalations and repeat
victims. One dict of plain data, JSON-ready, for the dashboard, the hub and the report files.

Personal data leaves here masked: phones as 139 **** 5678, names as 王**, cards as 6222 **** 1234.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from dissuade import timeutil
from dissuade.codes import LEVELS
from dissuade.errors import InvalidInput
from dissuade.masking import mask_card, mask_name, mask_phone
from dissuade.store import stats

HOUR = 3600.0
REPEAT_LIMIT = 200
ESCALATION_LIMIT = 1000
# The hourly table has a row per hour of the period: a year is 8,784 rows at most. Without a
# bound, "from=1970&to=2100" built a million rows (17 s and 200 MB of JSON on the hub).
MAX_PERIOD_DAYS = 366


def shift_report(conn: sqlite3.Connection, *, start: float, end: float, now: float, tz: str,
                 generated_by: str) -> dict[str, Any]:
    """Everything a lead hands over for start <= t < end (times as ISO 8601, UTC)."""
    if end - start > MAX_PERIOD_DAYS * 86400:
        raise InvalidInput(f"报表期间最长 {MAX_PERIOD_DAYS} 天 / a report covers at most "
                           f"{MAX_PERIOD_DAYS} days: choose a later 'from' or an earlier 'to'",
                           field="to")
    figures = stats.shift_figures(conn, start=start, end=end, now=now)
    head = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return {
        "from": timeutil.iso(start), "to": timeutil.iso(end), "timezone": tz,
        "generated_at": timeutil.iso(now), "generated_by": generated_by,
        "stats": {"from": timeutil.iso(start), "to": timeutil.iso(end), **figures},
        "summary": _summary(conn, start, end, now, figures),
        "hourly": _hourly(conn, start, end, now),
        "officers": _officers(conn, start, end),
        "scam_types": _scam_types(conn, start, end),
        "escalations": _escalations(conn, start, end),
        "repeat_victims": _repeat_victims(conn, start, end),
        "audit_head": {"id": int(head[0]), "hash": head[1]} if head else None,
    }


def _summary(conn: sqlite3.Connection, start: float, end: float, now: float,
             figures: dict[str, Any]) -> dict[str, Any]:
    (avoided,) = conn.execute(
        "SELECT coalesce(sum(amount_at_risk), 0) FROM warnings WHERE last_outcome = 'dissuaded' "
        "AND last_outcome_at >= ? AND last_outcome_at < ?", (start, end)).fetchone()
    (lost,) = conn.execute(
        "SELECT coalesce(sum(amount_lost), 0) FROM attempts WHERE outcome = 'already_lost' "
        "AND recorded_at >= ? AND recorded_at < ?", (start, end)).fetchone()
    # Overdue is strictly past the deadline, as in stats.shift_figures (a first call exactly at
    # the deadline is in time, so an untried warning is not late at that second either).
    (breaches,) = conn.execute(
        "SELECT count(*) FROM warnings WHERE arrived_at >= ? AND arrived_at < ? AND "
        "((first_attempt_at IS NULL AND deadline < ?) OR first_attempt_at > deadline)",
        (start, end, now)).fetchone()
    (waiting,) = conn.execute(
        "SELECT count(*) FROM warnings WHERE status IN ('new', 'retry', 'claimed')").fetchone()
    (overdue,) = conn.execute(
        "SELECT count(*) FROM warnings WHERE status IN ('new', 'retry', 'claimed') "
        "AND first_attempt_at IS NULL AND deadline < ?", (now,)).fetchone()
    (escalated,) = conn.execute(
        "SELECT count(*) FROM escalations WHERE proposed_at >= ? AND proposed_at < ?",
        (start, end)).fetchone()
    (officers,) = conn.execute(
        "SELECT count(DISTINCT officer) FROM attempts WHERE recorded_at >= ? AND recorded_at < ?",
        (start, end)).fetchone()
    (repeat,) = conn.execute(
        "SELECT count(*) FROM warnings WHERE arrived_at >= ? AND arrived_at < ? "
        "AND repeat_victim = 1", (start, end)).fetchone()
    return {
        "loss_avoided": round(float(avoided), 2), "amount_lost": round(float(lost), 2),
        "time_limit_breaches": int(breaches), "escalations_proposed": int(escalated),
        "officers_on_duty": int(officers), "repeat_victims": int(repeat),
        "open_now": int(waiting), "overdue_now": int(overdue),
        "attempts": sum(figures["by_outcome"].values()),
    }


def _hourly(conn: sqlite3.Connection, start: float, end: float, now: float) -> list[dict[str, Any]]:
    """Per hour of the period: arrivals by level, then the rates of that hour's warnings."""
    hours = max(1, int((end - start + HOUR - 1) // HOUR))
    table: list[dict[str, Any]] = [
        {"hour": timeutil.iso(start + i * HOUR), **{lv.value: 0 for lv in LEVELS},
         "dissuaded": 0, "already_lost": 0, "judged": 0, "in_time": 0}
        for i in range(hours)]
    for bucket, level, n in conn.execute(
            "SELECT CAST((arrived_at - ?) / 3600 AS INTEGER), risk_level, count(*) FROM warnings "
            "WHERE arrived_at >= ? AND arrived_at < ? GROUP BY 1, 2", (start, start, end)):
        table[min(int(bucket), hours - 1)][level] = int(n)
    for bucket, judged, in_time in conn.execute(
            "SELECT CAST((arrived_at - ?) / 3600 AS INTEGER), count(*), "
            "coalesce(sum(first_attempt_at IS NOT NULL AND first_attempt_at <= deadline), 0) "
            "FROM warnings WHERE arrived_at >= ? AND arrived_at < ? "
            "AND (first_attempt_at IS NOT NULL OR deadline < ?) GROUP BY 1",
            (start, start, end, now)):
        row = table[min(int(bucket), hours - 1)]
        row["judged"], row["in_time"] = int(judged), int(in_time)
    for bucket, outcome, n in conn.execute(
            "SELECT CAST((last_outcome_at - ?) / 3600 AS INTEGER), last_outcome, count(*) "
            "FROM warnings WHERE last_outcome IN ('dissuaded', 'already_lost') "
            "AND last_outcome_at >= ? AND last_outcome_at < ? GROUP BY 1, 2", (start, start, end)):
        table[min(int(bucket), hours - 1)][outcome] = int(n)
    for row in table:
        decided = row["dissuaded"] + row["already_lost"]
        row["dissuasion_rate"] = row["dissuaded"] / decided if decided else None
        row["within_time_limit_rate"] = row["in_time"] / row["judged"] if row["judged"] else None
    return table


def _officers(conn: sqlite3.Connection, start: float, end: float) -> list[dict[str, Any]]:
    period = (start, end)
    people: dict[str, dict[str, Any]] = {}
    for officer, handled, attempts, mean in conn.execute(
            "SELECT officer, count(DISTINCT warning_id), count(*), "
            "avg(CASE WHEN ended_at >= started_at THEN ended_at - started_at END) "
            "FROM attempts WHERE recorded_at >= ? AND recorded_at < ? GROUP BY officer", period):
        people[officer] = {"officer": officer, "handled": int(handled), "attempts": int(attempts),
                           "mean_handle_seconds": None if mean is None else round(float(mean), 1),
                           "by_outcome": {}, "dissuaded": 0, "breaches": 0,
                           "reviews_pass": 0, "reviews_fail": 0}
    for officer, outcome, n in conn.execute(
            "SELECT officer, outcome, count(*) FROM attempts WHERE recorded_at >= ? "
            "AND recorded_at < ? GROUP BY 1, 2", period):
        people[officer]["by_outcome"][outcome] = int(n)
    # Dissuaded: the warnings this officer closed as dissuaded in the period.
    for officer, n in conn.execute(
            "SELECT closed_by, count(*) FROM warnings WHERE last_outcome = 'dissuaded' "
            "AND last_outcome_at >= ? AND last_outcome_at < ? AND closed_by IS NOT NULL "
            "GROUP BY 1", period):
        if officer in people:
            people[officer]["dissuaded"] = int(n)
    # A breach is counted against whoever made a first call after the time limit.
    for officer, n in conn.execute(
            "SELECT a.officer, count(*) FROM warnings w JOIN attempts a ON a.warning_id = w.id "
            "AND a.recorded_at = w.first_attempt_at WHERE w.first_attempt_at >= ? "
            "AND w.first_attempt_at < ? AND w.first_attempt_at > w.deadline GROUP BY 1", period):
        if officer in people:
            people[officer]["breaches"] = int(n)
    for officer, verdict, n in conn.execute(
            "SELECT a.officer, r.verdict, count(*) FROM reviews r JOIN attempts a "
            "ON a.id = r.attempt_id WHERE a.recorded_at >= ? AND a.recorded_at < ? "
            "AND r.id IN (SELECT max(id) FROM reviews GROUP BY attempt_id) GROUP BY 1, 2", period):
        if officer in people:
            people[officer][f"reviews_{verdict}"] = int(n)
    return sorted(people.values(), key=lambda p: (-p["handled"], p["officer"]))


def _scam_types(conn: sqlite3.Connection, start: float, end: float) -> list[dict[str, Any]]:
    types: dict[str, dict[str, Any]] = {}
    for scam, n, amount in conn.execute(
            "SELECT scam_type, count(*), coalesce(sum(amount_at_risk), 0) FROM warnings "
            "WHERE arrived_at >= ? AND arrived_at < ? GROUP BY 1", (start, end)):
        types[scam] = {"scam_type": scam, "received": int(n), "amount_at_risk": float(amount),
                       "dissuaded": 0, "already_lost": 0}
    for scam, outcome, n in conn.execute(
            "SELECT scam_type, last_outcome, count(*) FROM warnings WHERE last_outcome IN "
            "('dissuaded', 'already_lost') AND last_outcome_at >= ? AND last_outcome_at < ? "
            "GROUP BY 1, 2", (start, end)):
        row = types.setdefault(scam, {"scam_type": scam, "received": 0, "amount_at_risk": 0.0,
                                      "dissuaded": 0, "already_lost": 0})
        row[outcome] = int(n)
    for row in types.values():
        decided = row["dissuaded"] + row["already_lost"]
        row["dissuasion_rate"] = row["dissuaded"] / decided if decided else None
    return sorted(types.values(), key=lambda t: (-t["received"], t["scam_type"]))


def _escalations(conn: sqlite3.Connection, start: float, end: float) -> list[dict[str, Any]]:
    """Escalations proposed in the period, and any still under way whenever proposed."""
    out = []
    for (id_, warning_id, kind, status, reason, cards, amount, proposed_by, proposed_at,
         automatic, decided_by, decided_at, note, hold_until, station, scam, name) in conn.execute(
            "SELECT e.id, e.warning_id, e.kind, e.status, e.reason, e.cards, e.amount, "
            "e.proposed_by, e.proposed_at, e.automatic, e.decided_by, e.decided_at, "
            "e.decision_note, e.hold_until, e.station, w.scam_type, w.name FROM escalations e "
            "JOIN warnings w ON w.id = e.warning_id WHERE (e.proposed_at >= ? AND e.proposed_at < ?) "
            "OR e.status NOT IN ('rejected', 'unlocked', 'visited', 'done') "
            "ORDER BY e.proposed_at, e.id LIMIT ?", (start, end, ESCALATION_LIMIT)):
        out.append({
            "id": id_, "warning_id": warning_id, "kind": kind, "status": status,
            "reason": reason, "cards": [mask_card(c) for c in json.loads(cards or "[]")],
            "amount": amount, "proposed_by": proposed_by,
            "proposed_at": timeutil.iso(proposed_at), "automatic": bool(automatic),
            "decided_by": decided_by, "decided_at": timeutil.iso(decided_at),
            "decision_note": note, "hold_until": timeutil.iso(hold_until), "station": station,
            "scam_type": scam, "name": mask_name(name),
        })
    return out


def _repeat_victims(conn: sqlite3.Connection, start: float, end: float) -> list[dict[str, Any]]:
    out = []
    for wid, phone, name, scam, level, status, last, arrived, earlier in conn.execute(
            "SELECT w.id, w.phone, w.name, w.scam_type, w.risk_level, w.status, w.last_outcome, "
            "w.arrived_at, (SELECT count(*) FROM warnings o WHERE o.phone = w.phone "
            "AND o.arrived_at < w.arrived_at) FROM warnings w WHERE w.arrived_at >= ? "
            "AND w.arrived_at < ? AND w.repeat_victim = 1 ORDER BY w.arrived_at DESC LIMIT ?",
            (start, end, REPEAT_LIMIT)):
        out.append({"warning_id": wid, "phone": mask_phone(phone), "name": mask_name(name),
                    "scam_type": scam, "risk_level": level, "status": status,
                    "last_outcome": last, "arrived_at": timeutil.iso(arrived),
                    "earlier_warnings": int(earlier)})
    return out


