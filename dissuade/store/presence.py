"""Where everyone is: officers' states kept as spans (each change ends the last one, audited),
the lead's room (each officer's state and the warning they hold now), the time each officer
spent in each state over a period, an officer's agreed callbacks and own shift figures."""

from __future__ import annotations

import sqlite3
from typing import Any

from dissuade.domain import presence, timeutil
from dissuade.domain.masking import mask_free_text, mask_name, mask_phone
from dissuade.domain.presence import Callback, OfficerState, RoomEntry
from dissuade.store import audit
from dissuade.store.base import StoreBase, now_or
from dissuade.store.connection import snapshot, write


def current(conn: sqlite3.Connection, officer: str) -> OfficerState:
    row = conn.execute("SELECT state, reason, since FROM officer_states WHERE officer = ? "
                       "AND until IS NULL ORDER BY id DESC LIMIT 1", (officer,)).fetchone()
    if row is None:
        return OfficerState(officer, presence.NOT_SET)
    return OfficerState(officer, str(row[0]), mask_free_text(row[1]), float(row[2]))


def set_state(conn: sqlite3.Connection, officer: str, state: str, reason: str, *,
              now: float) -> OfficerState:
    """End the officer's open span and begin one in `state`; the same state and reason again
    changes nothing (a second click is not a new break)."""
    state, reason = presence.check(state, reason)
    with write(conn):
        before = current(conn, officer)
        if before.state == state and before.reason == mask_free_text(reason):
            return before
        conn.execute("UPDATE officer_states SET until = ? WHERE officer = ? AND until IS NULL",
                     (now, officer))
        conn.execute("INSERT INTO officer_states (officer, state, reason, since) "
                     "VALUES (?, ?, ?, ?)", (officer, state, reason, now))
        audit.append(conn, officer, "officer.state", "officer", None,
                     {"officer": officer, "state": state, "reason": reason,
                      "from": before.state}, now=now)
    return OfficerState(officer, state, mask_free_text(reason), now)


def room(conn: sqlite3.Connection, *, now: float) -> list[RoomEntry]:
    """Every officer (active officers, and anyone with a state or a claim now), their state and
    the warning they hold now, working officers first."""
    states = {str(o): (str(s), mask_free_text(r), float(t)) for o, s, r, t in conn.execute(
        "SELECT officer, state, reason, since FROM officer_states WHERE until IS NULL")}
    names = set(states)
    names.update(str(n) for (n,) in conn.execute(
        "SELECT name FROM users WHERE role = 'officer' AND revoked_at IS NULL"))
    held: dict[str, list[tuple[Any, ...]]] = {}
    # Live claims only (a lease run out is back in the queue), most urgent first.
    for row in conn.execute(
            "SELECT claimed_by, id, risk_level, scam_type, phone FROM warnings "
            "WHERE status = 'claimed' AND available_at > ? AND claimed_by IS NOT NULL "
            "ORDER BY level_rank, id", (now,)):
        held.setdefault(str(row[0]), []).append(row)
    names.update(held)
    entries = []
    for name in names:
        state, reason, since = states.get(name, (presence.NOT_SET, "", None))
        rows = held.get(name)
        if not rows:
            entries.append(RoomEntry(name, state, reason, since))
            continue
        _, wid, level, scam, phone = rows[0]
        ids = [int(r[1]) for r in rows]
        (holding,) = conn.execute(
            f"SELECT max(at) FROM audit WHERE entity = 'warning' AND entity_id IN "
            f"({', '.join('?' * len(ids))}) AND action = 'warning.claim' AND actor = ?",
            (*ids, name)).fetchone()
        entries.append(RoomEntry(name, state, reason, since, int(wid), str(level), str(scam),
                                 mask_phone(str(phone)), len(rows) - 1,
                                 None if holding is None else float(holding)))
    order = {s: i for i, s in enumerate(presence.ROOM_ORDER)}
    return sorted(entries, key=lambda e: (order.get(e.shown, len(order)), e.officer))


def state_seconds(conn: sqlite3.Connection, *, start: float, end: float,
                  now: float) -> dict[str, dict[str, float]]:
    """Seconds each officer spent in each state within [start, end) and before `now` (an open
    span counts up to now), split exactly at the period's edges."""
    out: dict[str, dict[str, float]] = {}
    for officer, state, since, until in conn.execute(
            "SELECT officer, state, since, until FROM officer_states "
            "WHERE since < :end AND (until > :start OR until IS NULL)",
            {"start": start, "end": end}):
        stop = min(end, now, now if until is None else float(until))
        seconds = stop - max(start, float(since))
        if seconds > 0:
            mine = out.setdefault(str(officer), {})
            mine[str(state)] = mine.get(str(state), 0.0) + seconds
    return out


def callbacks(conn: sqlite3.Connection, officer: str, *, now: float) -> list[Callback]:
    """The officer's agreed callbacks still open and not held by someone else now, a person
    once, the earliest due first."""
    found: dict[str, Callback] = {}
    for wid, phone, name, level, scam, status, until, at in conn.execute(
            "SELECT w.id, w.phone, w.name, w.risk_level, w.scam_type, w.status, "
            "w.reserved_until, (SELECT a.callback_at FROM attempts a WHERE a.warning_id = w.id "
            "ORDER BY a.recorded_at DESC, a.id DESC LIMIT 1) AS at FROM warnings w "
            "WHERE w.reserved_for = :me AND w.status != 'closed' AND w.last_outcome = 'callback' "
            "AND (w.status != 'claimed' OR w.claimed_by = :me OR w.lease_until <= :now) "
            "ORDER BY at, w.id", {"me": officer, "now": now}):
        if at is None or str(phone) in found:
            continue
        found[str(phone)] = Callback(int(wid), float(at), mask_phone(str(phone)),
                                     mask_name(str(name)), str(level), str(scam), str(status),
                                     None if until is None else float(until))
    return sorted(found.values(), key=lambda c: (c.callback_at, c.warning_id))


def own_figures(conn: sqlite3.Connection, officer: str, *, start: float,
                end: float) -> dict[str, Any]:
    """An officer's own calls in a period: how many, how many dissuaded, the mean call length
    (calls with both times); the rows a call settled for a person's other warnings are not
    calls."""
    calls, dissuaded, timed, seconds = conn.execute(
        "SELECT count(*), count(CASE WHEN outcome = 'dissuaded' THEN 1 END), "
        "count(CASE WHEN ended_at >= started_at THEN 1 END), "
        "coalesce(sum(CASE WHEN ended_at >= started_at THEN ended_at - started_at END), 0) "
        "FROM attempts WHERE officer = ? AND recorded_at >= ? AND recorded_at < ? "
        "AND linked_to IS NULL", (officer, start, end)).fetchone()
    return {"officer": officer, "from": timeutil.iso(start), "to": timeutil.iso(end),
            "calls": int(calls), "dissuaded": int(dissuaded),
            "mean_call_seconds": round(float(seconds) / timed, 1) if timed else None}


class PresenceStore(StoreBase):
    def set_state(self, state: str, reason: str = "", *, user: str,
                  now: float | None = None) -> OfficerState:
        """The caller's state from now (ready, break, training, off; a break or training
        needs a reason); audited."""
        return set_state(self.conn, user, state, reason, now=now_or(now))

    def my_state(self, *, user: str) -> OfficerState:
        return current(self.conn, user)

    def room(self, *, now: float | None = None) -> list[RoomEntry]:
        with snapshot(self.conn):
            return room(self.conn, now=now_or(now))

    def state_seconds(self, *, start: float, end: float,
                      now: float | None = None) -> dict[str, dict[str, float]]:
        return state_seconds(self.conn, start=start, end=end, now=now_or(now))

    def my_callbacks(self, *, user: str, now: float | None = None) -> list[Callback]:
        return callbacks(self.conn, user, now=now_or(now))

    def my_figures(self, *, user: str, now: float | None = None) -> dict[str, Any]:
        """The caller's own figures for the shift now."""
        policy = self.policy()
        start, end = timeutil.current_shift(now_or(now), tz=policy.timezone,
                                            starts=policy.shift_starts)
        return own_figures(self.conn, user, start=start, end=end)


def add_state_times(conn: sqlite3.Connection, people: dict[str, dict[str, Any]], *,
                    start: float, end: float, now: float) -> None:
    """The report's officers (by name) each given `state_seconds` (ready, break, training) in
    the period; an officer with time in a state but no call yet joins them with no calls."""
    for officer, seconds in state_seconds(conn, start=start, end=end, now=now).items():
        kept = {s: round(seconds.get(s, 0.0)) for s in (presence.READY, presence.BREAK,
                                                       presence.TRAINING)}
        if officer not in people and not any(kept.values()):
            continue
        me = people.setdefault(officer, {
            "officer": officer, "handled": 0, "attempts": 0, "mean_handle_seconds": None,
            "by_outcome": {}, "dissuaded": 0, "breaches": 0, "reviews_pass": 0,
            "reviews_fail": 0})
        me["state_seconds"] = kept
