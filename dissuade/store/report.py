"""The shift's figures beyond /stats: by hour, by officer, by scam type, escalations and repeat
victims. One dict of plain data, JSON-ready, for the dashboard, the hub and the report files.

Personal data leaves here masked: phones as 139 **** 5678, names as 王**, cards as 6222 **** 1234.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from dissuade.domain import timeutil
from dissuade.domain.codes import LEVELS
from dissuade.domain.errors import InvalidInput
from dissuade.domain.masking import mask_card, mask_name, mask_numbers, mask_phone
from dissuade.domain.rules import ENDED
from dissuade.store import period, presence, robot, stats
from dissuade.store.base import StoreBase, now_or
from dissuade.store.connection import snapshot

HOUR = period.HOUR
REPEAT_LIMIT = 200
ESCALATION_LIMIT = 1000
# The hourly table has a row per hour of the period: a year is 8,784 rows at most. Without a
# bound, "from=1970&to=2100" built a million rows (17 s and 200 MB of JSON on the hub).
MAX_PERIOD_DAYS = 366
# The states that end an escalation (rules.ENDED, as SQL); any other is under way.
ENDED_STATES = ", ".join(f"'{state}'" for state in sorted(ENDED))


def shift_report(conn: sqlite3.Connection, *, start: float, end: float, now: float, tz: str,
                 generated_by: str) -> dict[str, Any]:
    """Everything a lead hands over for start <= t < end (times as ISO 8601, UTC). Call it in
    one read transaction (Store.shift_report does) so that every part is of the same moment."""
    if end - start > MAX_PERIOD_DAYS * 86400:
        raise InvalidInput(f"报表期间最长 {MAX_PERIOD_DAYS} 天 / a report covers at most "
                           f"{MAX_PERIOD_DAYS} days: choose a later 'from' or an earlier 'to'",
                           field="to")
    rows = period.load(conn, start=start, end=end, now=now)
    figures = {**period.figures(rows, pending=period.pending(conn)),
               "robot_confirmed": robot.confirmed(conn, start=start, end=end)}
    head = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return {
        "from": timeutil.iso(start), "to": timeutil.iso(end), "timezone": tz,
        "generated_at": timeutil.iso(now), "generated_by": generated_by,
        "stats": {"from": timeutil.iso(start), "to": timeutil.iso(end), **figures},
        "summary": _summary(conn, rows, figures),
        "hourly": _hourly(rows),
        "officers": _officers(conn, rows),
        "scam_types": _scam_types(rows),
        "escalations": _escalations(conn, start, end),
        "repeat_victims": _repeat_victims(conn, start, end),
        "robot": robot.section(conn, figures, start=start, end=end, now=now),
        "audit_head": {"id": int(head[0]), "hash": head[1]} if head else None,
    }


def _summary(conn: sqlite3.Connection, p: period.Period, figures: dict[str, Any]) -> dict[str, Any]:
    avoided = sum(d.amount_at_risk for d in p.decided if d.outcome == "dissuaded")
    (open_now,) = conn.execute(
        "SELECT count(*) FROM warnings WHERE status IN ('new', 'retry', 'claimed')").fetchone()
    # Overdue now: never called and strictly past the deadline (as the queue's red mark).
    (overdue,) = conn.execute(
        "SELECT count(*) FROM warnings WHERE status IN ('new', 'retry', 'claimed') "
        "AND first_attempt_at IS NULL AND deadline < ?", (p.now,)).fetchone()
    (escalated,) = conn.execute(
        "SELECT count(*) FROM escalations WHERE proposed_at >= ? AND proposed_at < ?",
        (p.start, p.end)).fetchone()
    return {
        "loss_avoided": round(avoided, 2), "amount_lost": round(p.amount_lost, 2),
        # Late: called after the limit, or never called and past it.
        "time_limit_breaches": sum(a.judged - a.in_time for a in p.arrivals),
        "escalations_proposed": int(escalated),
        "officers_on_duty": len({c.officer for c in p.calls if c.officer != "robot"}),
        "repeat_victims": sum(a.repeat_victims for a in p.arrivals),
        "open_now": int(open_now), "overdue_now": int(overdue),
        "attempts": sum(figures["by_outcome"].values()),
        "calls": figures["calls"],
        "self_approved": _self_approved(conn, p.start, p.end),
    }


def _self_approved(conn: sqlite3.Connection, start: float, end: float) -> int:
    """Escalations approved in the period by the lead who proposed them (policy self_approval)."""
    (n,) = conn.execute("SELECT count(*) FROM escalations WHERE decided_by = proposed_by "
                        "AND decided_at >= ? AND decided_at < ? AND status != 'rejected'",
                        (start, end)).fetchone()
    return int(n)


def _hourly(p: period.Period) -> list[dict[str, Any]]:
    """Per hour of the period: arrivals by level and how many of them were called in time (by
    the hour they arrived), and the dissuaded and lost (by the hour that was recorded)."""
    hours = p.hours
    table: list[dict[str, Any]] = [
        {"hour": timeutil.iso(p.start + i * HOUR), **{lv.value: 0 for lv in LEVELS},
         "dissuaded": 0, "already_lost": 0, "judged": 0, "in_time": 0}
        for i in range(hours)]
    for a in p.arrivals:
        row = table[min(a.hour, hours - 1)]
        row[a.risk_level] += a.n
        row["judged"] += a.judged
        row["in_time"] += a.in_time
    for d in p.decided:
        table[min(d.hour, hours - 1)][d.outcome] += d.n
    for row in table:
        decided = row["dissuaded"] + row["already_lost"]
        row["dissuasion_rate"] = row["dissuaded"] / decided if decided else None
        row["within_time_limit_rate"] = row["in_time"] / row["judged"] if row["judged"] else None
    return table


def _officers(conn: sqlite3.Connection, p: period.Period) -> list[dict[str, Any]]:
    people: dict[str, dict[str, Any]] = {}
    timed: dict[str, list[float]] = {}
    for c in p.calls:
        if c.officer == "robot":  # the robot's figures are its own section (robot.section)
            continue
        me = people.setdefault(c.officer, {
            "officer": c.officer, "handled": p.handled_by.get(c.officer, 0), "attempts": 0,
            "mean_handle_seconds": None, "by_outcome": {}, "dissuaded": 0,
            "breaches": p.late_first_by.get(c.officer, 0), "reviews_pass": 0,
            "reviews_fail": 0})
        me["attempts"] += c.n
        me["by_outcome"][c.outcome] = c.n
        total = timed.setdefault(c.officer, [0.0, 0.0])
        total[0] += c.timed
        total[1] += c.seconds
    for officer, me in people.items():
        count, seconds = timed[officer]
        me["mean_handle_seconds"] = round(seconds / count, 1) if count else None
        me["by_outcome"] = dict(sorted(me["by_outcome"].items()))
    # Dissuaded: the warnings this officer closed as dissuaded in the period.
    for d in p.decided:
        if d.outcome == "dissuaded" and d.closed_by in people:
            people[d.closed_by]["dissuaded"] += d.n
    for officer, verdict, n in conn.execute(
            "SELECT a.officer, r.verdict, count(*) FROM reviews r JOIN attempts a "
            "ON a.id = r.attempt_id WHERE a.recorded_at >= ? AND a.recorded_at < ? "
            "AND r.id IN (SELECT max(id) FROM reviews GROUP BY attempt_id) GROUP BY 1, 2",
            (p.start, p.end)):
        if officer in people:
            people[officer][f"reviews_{verdict}"] = int(n)
    presence.add_state_times(conn, people, start=p.start, end=p.end, now=p.now)
    return sorted(people.values(), key=lambda x: (-x["handled"], x["officer"]))


def _scam_types(p: period.Period) -> list[dict[str, Any]]:
    types: dict[str, dict[str, Any]] = {}

    def of(scam: str) -> dict[str, Any]:
        return types.setdefault(scam, {"scam_type": scam, "received": 0, "amount_at_risk": 0.0,
                                       "dissuaded": 0, "already_lost": 0})

    for a in p.arrivals:
        row = of(a.scam_type)
        row["received"] += a.n
        row["amount_at_risk"] += a.amount_at_risk
    for d in p.decided:
        of(d.scam_type)[d.outcome] += d.n
    for row in types.values():
        decided = row["dissuaded"] + row["already_lost"]
        row["dissuasion_rate"] = row["dissuaded"] / decided if decided else None
    return sorted(types.values(), key=lambda t: (-t["received"], t["scam_type"]))


def _escalations(conn: sqlite3.Connection, start: float, end: float) -> list[dict[str, Any]]:
    """Every escalation still under way (whenever proposed), then those of the period, newest
    first; at most ESCALATION_LIMIT, so what a lead must act on is never the part left out.
    Reasons and notes are typed by officers: numbers pasted into them are masked too."""
    out = []
    for (id_, warning_id, kind, status, reason, cards, amount, proposed_by, proposed_at,
         automatic, decided_by, decided_at, note, hold_until, station, scam, level, name
         ) in conn.execute(
            "SELECT e.id, e.warning_id, e.kind, e.status, e.reason, e.cards, e.amount, "
            "e.proposed_by, e.proposed_at, e.automatic, e.decided_by, e.decided_at, "
            "e.decision_note, e.hold_until, e.station, w.scam_type, w.risk_level, w.name "
            "FROM escalations e JOIN warnings w ON w.id = e.warning_id "
            f"WHERE (e.proposed_at >= ? AND e.proposed_at < ?) OR e.status NOT IN ({ENDED_STATES}) "
            f"ORDER BY e.status IN ({ENDED_STATES}), e.proposed_at DESC, e.id DESC LIMIT ?",
            (start, end, ESCALATION_LIMIT)):
        out.append({
            "id": id_, "warning_id": warning_id, "kind": kind, "status": status,
            "reason": mask_numbers(reason), "cards": [mask_card(c) for c in json.loads(cards or "[]")],
            "amount": amount, "proposed_by": proposed_by,
            "proposed_at": timeutil.iso(proposed_at), "automatic": bool(automatic),
            "decided_by": decided_by, "decided_at": timeutil.iso(decided_at),
            "decision_note": mask_numbers(note) if note else note,
            "hold_until": timeutil.iso(hold_until), "station": station,
            "scam_type": scam, "risk_level": level, "name": mask_name(name),
            "self_approved": decided_by is not None and decided_by == proposed_by
            and status != "rejected",
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


class ReportStore(StoreBase):
    """The shift's figures (/stats) and the full shift report, over one consistent read."""

    def stats(self, *, start: float | None = None, end: float | None = None,
              now: float | None = None) -> dict[str, object]:
        """The shift figures for start <= t < end (default: the current shift)."""
        now = now_or(now)
        start, end = self._period(start, end, now)
        with snapshot(self.conn):
            figures = stats.shift_figures(self.conn, start=start, end=end, now=now)
            if self.policy().centres:  # a province hub: the same period by centre
                from dissuade.store import centres

                figures["by_centre"] = centres.CentresStore.centre_figures(
                    self, start=start, end=end)  # type: ignore[arg-type]
        return {"from": timeutil.iso(start), "to": timeutil.iso(end), **figures}

    def shift_report(self, *, start: float | None = None, end: float | None = None,
                     user: str, now: float | None = None) -> dict[str, Any]:
        now = now_or(now)
        start, end = self._period(start, end, now)
        tz = self.policy().timezone
        with snapshot(self.conn):
            report = shift_report(self.conn, start=start, end=end, now=now, tz=tz,
                                  generated_by=user)
            if self.policy().centres:  # a province hub: the period by centre
                from dissuade.store import centres

                figures = centres.CentresStore.centre_figures(
                    self, start=start, end=end)  # type: ignore[arg-type]
                report["by_centre"] = [{"centre": c, **f} for c, f in figures.items()]
            return report
