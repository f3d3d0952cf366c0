"""The robot's first pass in the database: which warnings it takes at arrival, its calls due and
in progress, what each call's answer does, and why it hands a person to people
(docs/architecture.md, "The robot's first pass"; the rules are dissuade/domain/robot.py).

Everything lives in rows, so several hub processes share one robot: a hub's lines are rows
in `robot_lines`, seen every few seconds (the robot is on while one is); the robot holds a
person as an officer does, by a claim (`claimed_by` = robot) with a lease that runs out if every
robot hub stops; a call is a `robot_calls` row taken for a line by a conditional UPDATE, with a
lease of its own, and a person has at most one live row (a partial unique index), so nobody is
robot-called twice at once.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from dissuade.domain import robot as rules
from dissuade.domain.codes import RiskLevel, Status
from dissuade.domain.models import Warning
from dissuade.domain.policy import Policy
from dissuade.domain.robot import ROBOT, Answer
from dissuade.store import audit, rows, undo
from dissuade.store.base import StoreBase, now_or
from dissuade.store.connection import write

LINE_STALE_SECONDS = 30.0  # a line not seen for this long is off (hubs see theirs every few s)
GRACE_SECONDS = 30.0  # a call's lease: the dialer's timeout and this
WAIT_SECONDS = 300.0  # a person waiting for a line is held this long past now (renewed by ticks)
CALL_COLUMNS = ("id, warning_id, phone, number, due_at, state, line, taken_at, lease_until, "
                "hand_over, ended_at, answered, keys, seconds, result, handed, detail, settles")
_RANKS = {lv.value: lv.rank for lv in RiskLevel}
HELD = "phone = ? AND status = 'claimed' AND claimed_by = 'robot'"


@dataclass(frozen=True, slots=True)
class Job:
    """A robot call taken for a line: whom to call about which warnings."""

    call_id: int
    number: int  # 1 for the first call
    line: str
    phone: str
    warning: Warning  # the person's most urgent warning the robot holds (its type is played)
    settles: tuple[int, ...]
    lease_until: float


def _held(conn: sqlite3.Connection, phone: str) -> list[Warning]:
    """The person's warnings the robot holds (its lease live or not), most urgent first."""
    return [rows.warning(r) for r in conn.execute(
        f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE {HELD} "
        "ORDER BY level_rank, deadline, arrived_at, id", (phone,))]


def lines_live(conn: sqlite3.Connection, now: float) -> int:
    (n,) = conn.execute("SELECT count(*) FROM robot_lines WHERE seen_at > ?",
                        (now - LINE_STALE_SECONDS,)).fetchone()
    return int(n)


def is_on(conn: sqlite3.Connection, policy: Policy, now: float) -> bool:
    """The robot is on when it has levels to call and a hub runs a live robot line."""
    return bool(policy.robot_first_levels) and lines_live(conn, now) > 0


# -- arrival --------------------------------------------------------------------------------


def on_arrival(conn: sqlite3.Connection, warning_ids: Iterable[int], *, policy: Policy,
               now: float) -> list[int]:
    """Inside the arrival's write, after the new warnings joined any live claim: a new warning
    the robot's claim took at a level it does not call hands the person to people (after the
    call in progress, if one is); a new warning of a robot level whose person nobody holds,
    arriving while the robot is on and within its hours, is taken by the robot for a first
    call now. The robot's call rows made."""
    ids = list(warning_ids)
    if not ids:
        return []
    if not is_on(conn, policy, now) and conn.execute(
            "SELECT 1 FROM robot_calls WHERE state IN ('due', 'calling') LIMIT 1"
    ).fetchone() is None:
        return []  # no robot and nobody with it: an import pays two queries, not a row each
    by_phone: dict[str, list[Warning]] = {}
    for warning_id in ids:
        row = conn.execute(f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE id = ?",
                           (warning_id,)).fetchone()
        if row is not None:
            w = rows.warning(row)
            by_phone.setdefault(w.phone, []).append(w)
    if not by_phone:
        return []
    levels = set(policy.robot_first_levels)
    on: bool | None = None
    made: list[int] = []
    for phone, new in by_phone.items():
        if any(w.claimed_by == ROBOT for w in new):
            # Another level, or a synthetic warning (never robot-called) for the person: people.
            if any(w.risk_level not in levels or w.synthetic for w in new):
                _linked_other_level(conn, phone, now)
            continue
        if any(w.claimed_by is not None or w.synthetic for w in new) \
                or not all(w.risk_level in levels for w in new):
            continue
        if on is None:
            on = is_on(conn, policy, now) and rules.in_hours(policy.robot_hours, now,
                                                             policy.timezone)
        if not on:
            continue
        call_id = _start(conn, phone, policy=policy, levels=levels, now=now)
        if call_id is not None:
            made.append(call_id)
    return made


def _start(conn: sqlite3.Connection, phone: str, *, policy: Policy, levels: set[str],
           now: float) -> int | None:
    """Take the person for the robot when every open warning of theirs is of a robot level,
    none synthetic, none held, escalated or reserved, and a first call can still be made by
    the deadline minus one retry interval."""
    open_ = [rows.warning(r) for r in conn.execute(
        f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE phone = ? AND status != 'closed'",
        (phone,))]
    if not open_ or any(w.risk_level not in levels or w.synthetic or w.reserved_for
                        or w.status not in (Status.NEW, Status.RETRY) for w in open_):
        return None
    if now > rules.last_call_at(min(w.deadline for w in open_), policy.robot_retry_minutes):
        return None
    lease = now + WAIT_SECONDS
    row = conn.execute(
        "INSERT INTO robot_calls (warning_id, phone, number, due_at) VALUES (?, ?, 1, ?) "
        "ON CONFLICT DO NOTHING RETURNING id", (min(open_, key=_urgency).id, phone, now)
    ).fetchone()
    if row is None:
        return None
    conn.execute("UPDATE warnings SET status = 'claimed', claimed_by = 'robot', lease_until = ?, "
                 "available_at = ? WHERE phone = ? AND status IN ('new', 'retry')",
                 (lease, lease, phone))
    audit.append(conn, ROBOT, "robot.take", "warning", int(min(open_, key=_urgency).id),
                 {"call": int(row[0]), "warnings": sorted(int(w.id) for w in open_)}, now=now)
    return int(row[0])


def _urgency(w: Warning) -> tuple[int, float, float, int]:
    return (_RANKS.get(w.risk_level, 9), w.deadline, w.arrived_at, int(w.id))


def _linked_other_level(conn: sqlite3.Connection, phone: str, now: float) -> None:
    """A warning of another level joined the robot's claim: the person goes to people, after
    the call in progress if one is (its row is marked), else now."""
    live = conn.execute("SELECT id, state FROM robot_calls WHERE phone = ? "
                        "AND state IN ('due', 'calling') ORDER BY id", (phone,)).fetchone()
    if live is not None and live[1] == "calling":
        conn.execute("UPDATE robot_calls SET hand_over = ? WHERE id = ?",
                     (rules.LINKED_LEVEL, int(live[0])))
        return
    _to_people(conn, phone, None if live is None else int(live[0]), rules.LINKED_LEVEL,
               now=now)


# -- handing over ---------------------------------------------------------------------------


def _to_people(conn: sqlite3.Connection, phone: str, call_id: int | None, reason: str, *,
               now: float, policy: Policy | None = None) -> list[int]:
    """Inside a write: give the person's warnings the robot holds to the people's queue, due
    now; with `policy` (an answered call that confirmed nothing) one level higher, the
    deadline the hand-over time plus the new level's limit. The call row records why."""
    if call_id is not None:
        conn.execute("UPDATE robot_calls SET handed = ?, ended_at = coalesce(ended_at, ?), "
                     "state = CASE WHEN state = 'due' THEN 'cancelled' ELSE 'done' END "
                     "WHERE id = ?", (reason, now, call_id))
    moved = _held(conn, phone)
    for w in moved:
        level = w.risk_level
        deadline = w.deadline
        if policy is not None:
            level = rules.one_level_up(w.risk_level)
            deadline = now + policy.level(level).first_contact_minutes * 60.0
        conn.execute(
            "UPDATE warnings SET status = CASE WHEN first_attempt_at IS NULL AND "
            "failed_attempts = 0 AND last_outcome IS NULL THEN 'new' ELSE 'retry' END, "
            "claimed_by = NULL, lease_until = NULL, available_at = ?, risk_level = ?, "
            "level_rank = ?, deadline = ? WHERE id = ?",
            (now, level, _RANKS[level], deadline, w.id))
    if moved:
        audit.append(conn, ROBOT, "robot.hand_over", "warning", int(moved[0].id),
                     {"reason": reason, "warnings": [int(w.id) for w in moved],
                      "raised": policy is not None}, now=now)
    return [int(w.id) for w in moved]


# -- the lines' side ------------------------------------------------------------------------


def tick(conn: sqlite3.Connection, *, hub: str, lines: int, policy: Policy, now: float) -> None:
    """A hub's robot lines are alive (seen now; lines above `lines` removed); a call whose
    lease ran out is a failed call; a person waiting for a free line stays held while a line
    lives, unless no call can be made in time any more (then people take them)."""
    with write(conn):
        for line in range(1, lines + 1):
            conn.execute("INSERT INTO robot_lines (hub, line, seen_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (hub, line) DO UPDATE SET seen_at = excluded.seen_at",
                         (hub, line, now))
        conn.execute("DELETE FROM robot_lines WHERE hub = ? AND line > ?", (hub, lines))
        lost = conn.execute(f"SELECT {CALL_COLUMNS} FROM robot_calls WHERE state = 'calling' "
                            "AND lease_until < ? ORDER BY id", (now,)).fetchall()
        for row in lost:
            _record(conn, row, None, detail="外呼线路没有回音（超出租约） / the line never "
                    "reported back (its lease ran out)", voice="", voice_seconds=0.0,
                    policy=policy, now=now)
        for call_id, phone, deadline in conn.execute(
                "SELECT c.id, c.phone, w.deadline FROM robot_calls c JOIN warnings w "
                "ON w.id = c.warning_id WHERE c.state = 'due' ORDER BY c.id").fetchall():
            if now > rules.last_call_at(float(deadline), policy.robot_retry_minutes):
                _to_people(conn, str(phone), int(call_id), rules.TOO_LATE, now=now)
        wait = now + WAIT_SECONDS
        conn.execute(
            "UPDATE warnings SET lease_until = ?, available_at = ? WHERE status = 'claimed' "
            "AND claimed_by = 'robot' AND lease_until > ? AND lease_until < ? AND phone IN "
            "(SELECT phone FROM robot_calls WHERE state = 'due' AND due_at <= ?)",
            (wait, wait, now, wait, now))


def lines_off(conn: sqlite3.Connection, hub: str) -> None:
    """A hub's robot stops: its lines are no longer on."""
    with write(conn):
        conn.execute("DELETE FROM robot_lines WHERE hub = ?", (hub,))


def take(conn: sqlite3.Connection, *, line: str, hub: str, line_no: int, policy: Policy,
         now: float, timeout: float) -> Job | None:
    """Take the next robot call due for a line, or None (nothing due, or the policy's robot
    lines all busy). A call due for a person the robot no longer holds, outside the robot's
    hours or past the last moment for a call hands the person to people instead."""
    if conn.execute("SELECT 1 FROM robot_calls WHERE state = 'due' AND due_at <= ? LIMIT 1",
                    (now,)).fetchone() is None:
        return None  # an idle line looks without taking the write lock
    with write(conn):
        (busy,) = conn.execute("SELECT count(*) FROM robot_calls WHERE state = 'calling' "
                               "AND lease_until >= ?", (now,)).fetchone()
        if int(busy) >= policy.robot_lines:
            return None
        while True:
            row = conn.execute("SELECT id, phone, number FROM robot_calls WHERE state = 'due' "
                               "AND due_at <= ? ORDER BY due_at, id LIMIT 1", (now,)).fetchone()
            if row is None:
                return None
            call_id, phone, number = int(row[0]), str(row[1]), int(row[2])
            held = [w for w in _held(conn, phone) if (w.lease_until or 0) > now]
            if not held:
                _to_people(conn, phone, call_id, rules.TAKEN, now=now)
                continue
            if any(w.synthetic for w in held):  # never robot-called, whoever else is held
                _to_people(conn, phone, call_id, rules.LINKED_LEVEL, now=now)
                continue
            if any(w.risk_level not in policy.robot_first_levels for w in held):
                _to_people(conn, phone, call_id, rules.ROBOT_OFF, now=now)
                continue
            if not rules.in_hours(policy.robot_hours, now, policy.timezone):
                _to_people(conn, phone, call_id, rules.OUTSIDE_HOURS, now=now)
                continue
            if now > rules.last_call_at(min(w.deadline for w in held),
                                        policy.robot_retry_minutes):
                _to_people(conn, phone, call_id, rules.TOO_LATE, now=now)
                continue
            lease = now + timeout + GRACE_SECONDS
            settles = [int(w.id) for w in held]
            taken = conn.execute(
                "UPDATE robot_calls SET state = 'calling', line = ?, taken_at = ?, "
                "lease_until = ?, settles = ? WHERE id = ? AND state = 'due' RETURNING id",
                (line, now, lease, json.dumps(settles), call_id)).fetchone()
            if taken is None:
                continue
            conn.execute(f"UPDATE warnings SET lease_until = ?, available_at = ? WHERE {HELD}",
                         (lease, lease, phone))
            conn.execute("UPDATE robot_lines SET call_id = ? WHERE hub = ? AND line = ?",
                         (call_id, hub, line_no))
            audit.append(conn, ROBOT, "robot.dial", "warning", int(held[0].id),
                         {"call": call_id, "number": number, "line": line}, now=now)
            return Job(call_id, number, line, phone, held[0], tuple(settles), lease)


def finish(conn: sqlite3.Connection, job: Job, answer: Answer | None, *, detail: str,
           voice: str, voice_seconds: float, policy: Policy, hub: str, line_no: int,
           now: float) -> str:
    """Record what a call came to (None: the dialer failed, `detail` says how); the result
    (robot.RESULTS). A call whose row another process ended meanwhile (its lease ran out)
    changes nothing more."""
    with write(conn):
        conn.execute("UPDATE robot_lines SET call_id = NULL WHERE hub = ? AND line = ? "
                     "AND call_id = ?", (hub, line_no, job.call_id))
        row = conn.execute(f"SELECT {CALL_COLUMNS} FROM robot_calls WHERE id = ?",
                           (job.call_id,)).fetchone()
        if row is None or row[5] != "calling" or row[6] != job.line:
            return str(row[14]) if row is not None and row[14] else rules.FAILED
        return _record(conn, row, answer, detail=detail, voice=voice,
                       voice_seconds=voice_seconds, policy=policy, now=now)


def _notes(number: int, result: str, answer: Answer | None, voice: str, detail: str) -> str:
    said = f"机器人外呼（第{number}次）/ robot call #{number}: {rules.label(result)} / " \
           f"{rules.label(result, 'en')}"
    if answer is not None and answer.answered:
        said += f"；按键 / keys: {answer.keys or '-'}；通话 / seconds: {answer.seconds:g}"
    if detail:
        said += f"；{detail[:300]}"
    if voice:
        said += f"\n播放 / played: {voice}"
    return said


def _record(conn: sqlite3.Connection, row: Sequence[Any], answer: Answer | None, *,
            detail: str, voice: str, voice_seconds: float, policy: Policy, now: float) -> str:
    """Inside a write: the call's attempts, its row, and where the person goes."""
    call_id, anchor, phone, number = int(row[0]), int(row[1]), str(row[2]), int(row[3])
    taken_at, hand_over = row[7], row[9]
    result = rules.result_of(answer, voice_seconds=voice_seconds)
    answered = answer is not None and answer.answered
    levels = set(policy.robot_first_levels)
    held = _held(conn, phone)
    ours = sorted((w for w in held if w.risk_level in levels and not w.synthetic),
                  key=lambda w: (int(w.id) != anchor, _urgency(w)))
    outcome = {rules.CONFIRMED: "dissuaded", rules.NO_ANSWER: "no_answer",
               rules.FAILED: "no_answer"}.get(result, "callback")
    notes = _notes(number, result, answer, voice, detail)
    started = now - answer.seconds if answered and answer is not None else None
    primary: int | None = None
    for w in ours:
        (attempt_id,) = conn.execute(
            "INSERT INTO attempts (client_id, warning_id, officer, outcome, notes, started_at, "
            "ended_at, recorded_at, callback_at, callback_scope, linked_to, dialled_at, before) "
            "VALUES (?, ?, 'robot', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (f"robot:{call_id}:{w.id}:{uuid.uuid4().hex[:8]}", w.id, outcome, notes, started,
             now if answered else None, now, now if outcome == "callback" else None,
             "anyone" if outcome == "callback" else None, primary, taken_at,
             undo.snapshot(conn, int(w.id)))).fetchone()
        primary = int(attempt_id) if primary is None else primary
        if answered:  # first contact made: an answered call counts, an unanswered one never
            conn.execute("UPDATE warnings SET fresh = 0, first_attempt_at = "
                         "coalesce(first_attempt_at, ?), last_outcome = ?, last_outcome_at = ? "
                         "WHERE id = ?", (now, outcome, now, w.id))
    conn.execute(
        "UPDATE robot_calls SET state = 'done', ended_at = ?, answered = ?, keys = ?, "
        "seconds = ?, result = ?, detail = ?, attempt_id = ? WHERE id = ?",
        (now, int(answered), answer.keys if answer is not None else None,
         answer.seconds if answer is not None else None, result, detail[:500], primary,
         call_id))
    audit.append(conn, ROBOT, "robot.call", "warning", anchor,
                 {"call": call_id, "number": number, "result": result,
                  "warnings": [int(w.id) for w in ours]}, now=now)
    if result == rules.CONFIRMED:
        if rules.sampled(call_id, policy.robot_sample_rate):
            _to_people(conn, phone, call_id, rules.SAMPLED, now=now)
        else:
            for w in ours:
                conn.execute("UPDATE warnings SET status = 'closed', claimed_by = NULL, "
                             "lease_until = NULL, available_at = ?, closed_at = ?, "
                             "closed_by = 'robot' WHERE id = ?", (now, now, w.id))
            if _held(conn, phone):  # a linked warning of another level arrived meanwhile
                _to_people(conn, phone, call_id, hand_over or rules.LINKED_LEVEL, now=now)
    elif result in rules.RAISED:
        _to_people(conn, phone, call_id, result, now=now, policy=policy)
    else:
        retry_at = now + policy.robot_retry_minutes * 60.0
        last = rules.last_call_at(min((w.deadline for w in ours), default=now),
                                  policy.robot_retry_minutes)
        if hand_over or not ours or number > policy.robot_retries or retry_at > last \
                or not rules.in_hours(policy.robot_hours, retry_at, policy.timezone):
            _to_people(conn, phone, call_id, hand_over or result, now=now)
        else:
            conn.execute("INSERT INTO robot_calls (warning_id, phone, number, due_at) "
                         "VALUES (?, ?, ?, ?)", (ours[0].id, phone, number + 1, retry_at))
            lease = retry_at + WAIT_SECONDS
            conn.execute(f"UPDATE warnings SET lease_until = ?, available_at = ? WHERE {HELD}",
                         (lease, lease, phone))
    return result


# -- what the lead sees ---------------------------------------------------------------------


def figures(conn: sqlite3.Connection, *, start: float, end: float, now: float) -> dict[str, Any]:
    """The robot in a period: its lines now, its calls by result, the warnings it handed to
    people and why, what it confirmed, and its share of the period's calls and dissuasions."""
    lines = [{"hub": str(hub), "line": int(line), "busy": call is not None,
              "warning_id": None if wid is None else int(wid)}
             for hub, line, call, wid in conn.execute(
                 "SELECT l.hub, l.line, l.call_id, c.warning_id FROM robot_lines l "
                 "LEFT JOIN robot_calls c ON c.id = l.call_id AND c.state = 'calling' "
                 "WHERE l.seen_at > ? ORDER BY l.hub, l.line, l.id",
                 (now - LINE_STALE_SECONDS,))]
    by_result: Counter[str] = Counter()
    handed: Counter[str] = Counter()
    for result, why, n in conn.execute(
            "SELECT result, handed, count(*) FROM robot_calls WHERE ended_at >= ? "
            "AND ended_at < ? GROUP BY result, handed", (start, end)):
        if result is not None:
            by_result[str(result)] += int(n)
        if why is not None:
            handed[str(why)] += int(n)
    (handed_warnings,) = conn.execute(
        "SELECT count(*) FROM audit WHERE action = 'robot.hand_over' AND at >= ? AND at < ?",
        (start, end)).fetchone()
    (confirmed, closed) = conn.execute(
        "SELECT count(DISTINCT a.warning_id), count(DISTINCT CASE WHEN w.closed_by = 'robot' "
        "AND w.status = 'closed' THEN a.warning_id END) FROM attempts a JOIN warnings w "
        "ON w.id = a.warning_id WHERE a.officer = 'robot' AND a.outcome = 'dissuaded' "
        "AND a.voided_at IS NULL AND a.recorded_at >= ? AND a.recorded_at < ?",
        (start, end)).fetchone()
    (waiting, later) = conn.execute(
        "SELECT count(CASE WHEN due_at <= ? THEN 1 END), count(CASE WHEN due_at > ? THEN 1 END) "
        "FROM robot_calls WHERE state = 'due'", (now, now)).fetchone()
    return {
        "lines": lines, "lines_on": len(lines), "lines_busy": sum(1 for x in lines if x["busy"]),
        "waiting": int(waiting), "retries_later": int(later), "calls": sum(by_result.values()),
        "answered": sum(n for r, n in by_result.items() if r not in (rules.NO_ANSWER,
                                                                      rules.FAILED)),
        "by_result": dict(sorted(by_result.items())), "handed": dict(sorted(handed.items())),
        "handed_persons": sum(handed.values()), "hand_overs": int(handed_warnings or 0),
        "confirmed": int(confirmed or 0), "closed": int(closed or 0),
    }


def section(conn: sqlite3.Connection, shift: dict[str, Any], *, start: float, end: float,
            now: float) -> dict[str, Any]:
    """The handover report's and the dashboard's robot section: `figures` and the robot's share
    of the shift's calls and dissuasions (`shift` is the period's /stats figures)."""
    out = figures(conn, start=start, end=end, now=now)
    (robot_calls,) = conn.execute(
        "SELECT count(*) FROM attempts WHERE officer = 'robot' AND linked_to IS NULL "
        "AND voided_at IS NULL AND recorded_at >= ? AND recorded_at < ?", (start, end)
    ).fetchone()
    calls, dissuaded = int(shift.get("calls") or 0), int(shift.get("dissuaded") or 0)
    out["people_calls"] = calls - int(robot_calls)
    out["share_of_calls"] = round(int(robot_calls) / calls, 4) if calls else None
    out["share_of_dissuaded"] = round(out["closed"] / dissuaded, 4) if dissuaded else None
    return out


def confirmed(conn: sqlite3.Connection, *, start: float, end: float) -> int:
    """/stats' robot_confirmed: warnings the robot recorded dissuaded (key 1) in the period."""
    (n,) = conn.execute(
        "SELECT count(DISTINCT warning_id) FROM attempts WHERE officer = 'robot' "
        "AND outcome = 'dissuaded' AND voided_at IS NULL AND recorded_at >= ? "
        "AND recorded_at < ?", (start, end)).fetchone()
    return int(n)


def calls_of(conn: sqlite3.Connection, warning_id: int) -> list[dict[str, Any]]:
    """A warning's person's robot calls, oldest first (for tests and the history)."""
    phone = conn.execute("SELECT phone FROM warnings WHERE id = ?", (warning_id,)).fetchone()
    if phone is None:
        return []
    names = [c.strip() for c in CALL_COLUMNS.split(",")]
    return [dict(zip(names, r, strict=True)) for r in conn.execute(
        f"SELECT {CALL_COLUMNS} FROM robot_calls WHERE phone = ? ORDER BY id", (phone[0],))]


class RobotStore(StoreBase):
    """The robot's first pass (see the module's text)."""

    def robot_tick(self, *, hub: str, lines: int, now: float | None = None) -> None:
        tick(self.conn, hub=hub, lines=lines, policy=self.policy(), now=now_or(now))

    def robot_lines_off(self, hub: str) -> None:
        lines_off(self.conn, hub)

    def robot_take(self, *, hub: str, line_no: int, timeout: float,
                   now: float | None = None) -> Job | None:
        return take(self.conn, line=f"{hub}/{line_no}", hub=hub, line_no=line_no,
                    policy=self.policy(), now=now_or(now), timeout=timeout)

    def robot_finish(self, job: Job, answer: Answer | None, *, hub: str, line_no: int,
                     detail: str = "", voice: str = "", voice_seconds: float = 0.0,
                     now: float | None = None) -> str:
        return finish(self.conn, job, answer, detail=detail, voice=voice,
                      voice_seconds=voice_seconds, policy=self.policy(), hub=hub,
                      line_no=line_no, now=now_or(now))

    def robot_figures(self, *, start: float, end: float, now: float | None = None
                      ) -> dict[str, Any]:
        return figures(self.conn, start=start, end=end, now=now_or(now))

    def robot_calls(self, warning_id: int) -> list[dict[str, Any]]:
        return calls_of(self.conn, warning_id)
