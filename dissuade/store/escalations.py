"""Escalations: a lead's decision and the steps of each kind (docs/architecture.md, "Escalations";
the steps themselves are rules, dissuade.domain.rules). Chase calls are chase.py's."""

from __future__ import annotations

import json
import sqlite3

from dissuade.domain import limits, timeutil
from dissuade.domain import settings as spec
from dissuade.domain.errors import Conflict, InvalidInput, NotFound
from dissuade.domain.models import Escalation, Step, Warning
from dissuade.domain.rules import ENDED, LIVE, NOTE_REQUIRED, RELEASES, STEPS
from dissuade.store import audit, cases, policy_rows, rows
from dissuade.store.base import StoreBase, now_or
from dissuade.store.connection import write


def _with_warnings(conn: sqlite3.Connection, found: list[Escalation]) -> list[Escalation]:
    """The escalations with the ids of every warning under them (one victim, one case)."""
    if not found:
        return found
    ids = [int(e.id) for e in found]
    under: dict[int, list[int]] = {}
    for start in range(0, len(ids), 800):
        chunk = ids[start:start + 800]
        marks = ", ".join("?" for _ in chunk)
        for eid, wid in conn.execute(
                f"SELECT escalation_id, warning_id FROM escalation_warnings "
                f"WHERE escalation_id IN ({marks}) ORDER BY warning_id", chunk):
            under.setdefault(int(eid), []).append(int(wid))
    from dataclasses import replace

    from dissuade.domain.models import WarningId

    return [replace(e, warning_ids=tuple(WarningId(i) for i in under.get(int(e.id), [e.warning_id])))
            for e in found]


def _get(conn: sqlite3.Connection, escalation_id: int) -> Escalation:
    row = conn.execute(f"SELECT {rows.ESCALATION_COLUMNS} FROM escalations WHERE id = ?",
                       (escalation_id,)).fetchone()
    if row is None:
        raise NotFound(f"升级申请不存在 / no escalation with id {escalation_id}")
    return _with_warnings(conn, [rows.escalation(row)])[0]


def by_client_id(conn: sqlite3.Connection, client_id: str) -> Escalation | None:
    """The escalation a proposal with this client_id made, or joined."""
    row = conn.execute(
        f"SELECT {rows.ESCALATION_COLUMNS} FROM escalations WHERE client_id = ? OR id = "
        "(SELECT escalation_id FROM escalation_joins WHERE client_id = ?)",
        (client_id, client_id)).fetchone()
    return None if row is None else _with_warnings(conn, [rows.escalation(row)])[0]


def live_for_person(conn: sqlite3.Connection, phone: str, kind: str) -> Escalation | None:
    """The person's escalation of `kind` that has not yet released its warnings, if any."""
    live = LIVE[kind]
    marks = ", ".join("?" for _ in live)
    row = conn.execute(
        f"SELECT {rows.ESCALATION_COLUMNS} FROM escalations WHERE phone = ? AND kind = ? "
        f"AND status IN ({marks}) ORDER BY id LIMIT 1", (phone, kind, *live)).fetchone()
    return None if row is None else _with_warnings(conn, [rows.escalation(row)])[0]


def propose(conn: sqlite3.Connection, warnings: list[Warning], *, kind: str, reason: str,
            cards: tuple[str, ...], amount: float | None, user: str, client_id: str, now: float,
            automatic: bool) -> Escalation:
    """Inside a write: put `warnings` (one person's, the first the one it is proposed for) under
    an escalation of `kind`: the person's live one of that kind if there is one (they join it),
    else a new proposal. The warnings leave the queue until it releases them."""
    first = warnings[0]
    joined = live_for_person(conn, first.phone, kind)
    if joined is None:
        station = station_for(conn, first.district) if kind == "door_visit" else ""
        cur = conn.execute(
            "INSERT INTO escalations (client_id, warning_id, kind, reason, cards, amount, "
            "proposed_by, proposed_at, automatic, station, phone) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (client_id, first.id, kind, reason, json.dumps(list(cards)), amount, user, now,
             int(automatic), station, first.phone))
        escalation_id = int(cur.fetchone()[0])
        audit.append(conn, user, "escalation.create", "escalation", escalation_id,
                     {"warning_id": int(first.id), "kind": kind, "automatic": automatic,
                      "warnings": [int(w.id) for w in warnings]}, now=now)
        step(conn, escalation_id, "proposed", user, now, reason)
    else:
        escalation_id = int(joined.id)
        conn.execute("INSERT INTO escalation_joins (client_id, escalation_id, "
                     "warning_id, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", (client_id, escalation_id, first.id,
                                                            now))
        audit.append(conn, user, "escalation.join", "escalation", escalation_id,
                     {"warnings": [int(w.id) for w in warnings], "reason": reason}, now=now)
    for w in warnings:
        conn.execute("INSERT INTO escalation_warnings (escalation_id, warning_id) "
                     "VALUES (?, ?) ON CONFLICT DO NOTHING", (escalation_id, w.id))
        conn.execute("UPDATE warnings SET status = 'escalated', claimed_by = NULL, "
                     "lease_until = NULL, reserved_for = NULL, reserved_until = NULL, "
                     "reserve_sticky = 0 WHERE id = ?", (w.id,))
    return _get(conn, escalation_id)


def next_status(escalation: Escalation) -> str | None:
    steps = STEPS[escalation.kind]
    if escalation.status in steps[:-1]:
        return steps[steps.index(escalation.status) + 1]
    return None


def decide(conn: sqlite3.Connection, escalation_id: int, *, decision: str, note: str, lead: str,
           self_approval: bool, now: float | None = None) -> Escalation:
    """A lead approves or rejects a proposal; a rejection sends the warning back to the queue.
    `self_approval` is the policy's (whether a lead may approve their own proposal)."""
    if decision not in ("approve", "reject"):
        raise InvalidInput(f"决定应为 approve 或 reject / decision must be approve or reject: "
                           f"{decision!r}", field="decision")
    note = limits.check_text(note, field="note")
    now = timeutil.now() if now is None else now
    if decision == "reject" and not note:
        raise InvalidInput("驳回须写明原因 / a rejection needs a note saying why", field="note")
    with write(conn):
        current = _get(conn, escalation_id)
        status = "approved" if decision == "approve" else "rejected"
        if current.status == status and current.decided_by == lead:
            return current  # the same decision twice (a double click): recorded once
        if current.status != "proposed":
            raise Conflict(f"升级申请 {escalation_id} 已处理（{current.status}） / escalation "
                           f"{escalation_id} was already decided: {current.status}")
        if decision == "approve":
            if current.proposed_by == lead:
                if not self_approval:
                    raise Conflict("不能批准自己提出的升级申请，请另一位值班长审批 / you cannot "
                                   "approve your own proposal: another lead decides")
                if not note:
                    raise InvalidInput("批准自己提出的申请须写明原因 / approving your own "
                                       "proposal needs a note", field="note")
            if current.kind == "card_lock" and not current.cards:
                raise Conflict("止付申请没有银行卡号，无法批准 / a card lock without any card "
                               "cannot be approved: reject it and propose a door visit")
        conn.execute("UPDATE escalations SET status = ?, decided_by = ?, decided_at = ?, "
                     "decision_note = ? WHERE id = ?", (status, lead, now, note, escalation_id))
        audit.append(conn, lead, f"escalation.{decision}", "escalation", escalation_id,
                     {"warning_id": current.warning_id, "note": note,
                      "self_approved": current.proposed_by == lead}, now=now)
        step(conn, escalation_id, status, lead, now, note)
        if status in RELEASES:
            release(conn, current, current.proposed_by, now)
        elif current.kind == "chase_call":
            _schedule_chase(conn, current, now)
    return get(conn, escalation_id)


def advance(conn: sqlite3.Connection, escalation_id: int, *, status: str, note: str, user: str,
            now: float | None = None) -> Escalation:
    """Record the next step of an approved escalation (sent, locked, dispatched, ...)."""
    now = timeutil.now() if now is None else now
    note = limits.check_text(note, field="note")
    if status in NOTE_REQUIRED and not note:
        raise InvalidInput(f"记录“{status}”须写明经过 / the step {status} needs a note saying "
                           "what happened", field="note")
    with write(conn):
        current = _get(conn, escalation_id)
        expected = next_status(current)
        if not isinstance(status, str) or status not in STEPS[current.kind]:
            raise InvalidInput(f"{current.kind} 没有状态 / has no status {status!r} "
                               f"(steps: {', '.join(STEPS[current.kind])})", field="status")
        if status == current.status:
            return current  # the same step twice (a double click): recorded once
        if current.kind == "card_lock" and status in ("sent", "locked") and not current.cards:
            raise Conflict("止付申请没有银行卡号 / a card lock without any card cannot be "
                           f"{status}")
        if status != expected:
            raise Conflict(f"升级 {escalation_id} 当前为 {current.status}，下一步应为 {expected} / "
                           f"escalation {escalation_id} is {current.status}; next is {expected}")
        conn.execute("UPDATE escalations SET status = ? WHERE id = ?", (status, escalation_id))
        if status == "locked":  # the bank's stop-payment hold starts now
            conn.execute("UPDATE escalations SET hold_until = ? WHERE id = ?",
                         (now + policy_rows.value(conn, spec.HOLD_HOURS) * 3600.0, escalation_id))
        audit.append(conn, user, "escalation.status", "escalation", escalation_id,
                     {"warning_id": current.warning_id, "status": status, "note": note}, now=now)
        step(conn, escalation_id, status, user, now, note)
        if current.kind == "chase_call" and status == "done":  # ended by hand: no more calls
            conn.execute("UPDATE chase_calls SET called_at = ?, result = 'cancelled: done by "
                         "hand' WHERE escalation_id = ? AND called_at IS NULL",
                         (now, escalation_id))
        if status in RELEASES:
            release(conn, current, user, now)
    return get(conn, escalation_id)


def release(conn: sqlite3.Connection, escalation: Escalation, officer: str, now: float) -> None:
    """The escalation reached the step after which its warnings take their final outcome: each
    that no other live escalation holds comes back, reserved for `officer` (who follows it up)
    for a while (cases.FOLLOW_UP_MINUTES), then anyone's."""

    live = sorted({status for statuses in LIVE.values() for status in statuses})
    marks = ", ".join("?" for _ in live)
    free = [int(wid) for (wid,) in conn.execute(
        f"SELECT ew.warning_id FROM escalation_warnings ew WHERE ew.escalation_id = ? "
        f"AND NOT EXISTS (SELECT 1 FROM escalation_warnings o JOIN escalations e "
        f"ON e.id = o.escalation_id WHERE o.warning_id = ew.warning_id AND e.id != ? "
        f"AND e.status IN ({marks}))", (escalation.id, escalation.id, *live))]
    cases.reserve_for_follow_up(conn, free, officer=officer, now=now)


def get(conn: sqlite3.Connection, escalation_id: int) -> Escalation:
    return _get(conn, escalation_id)


def pending(conn: sqlite3.Connection) -> list[Escalation]:
    """Proposals waiting for a lead's decision, oldest first."""
    return _with_warnings(conn, [rows.escalation(r) for r in conn.execute(
        f"SELECT {rows.ESCALATION_COLUMNS} FROM escalations WHERE status = 'proposed' "
        "ORDER BY proposed_at, id")])


def of_warning(conn: sqlite3.Connection, warning_id: int) -> list[Escalation]:
    """Every escalation the warning is or was under, oldest first."""
    return _with_warnings(conn, [rows.escalation(r) for r in conn.execute(
        f"SELECT {rows.ESCALATION_COLUMNS} FROM escalations WHERE id IN (SELECT escalation_id "
        "FROM escalation_warnings WHERE warning_id = ?) ORDER BY proposed_at, id",
        (warning_id,))])


def step(conn: sqlite3.Connection, escalation_id: int, status: str, actor: str, now: float,
         note: str = "") -> None:
    """One step of an escalation with who and when (inside the caller's transaction)."""
    conn.execute("INSERT INTO escalation_steps (escalation_id, status, actor, at, note) "
                 "VALUES (?, ?, ?, ?, ?)", (escalation_id, status, actor, now, note))


def steps(conn: sqlite3.Connection, escalation_id: int) -> list[Step]:
    return [Step(*r) for r in conn.execute(
        "SELECT status, actor, at, note FROM escalation_steps WHERE escalation_id = ? "
        "ORDER BY at, id", (escalation_id,))]


def station_for(conn: sqlite3.Connection, district: str) -> str:
    """The station a door visit in `district` goes to (policy `stations`), else the district's."""
    stations = policy_rows.value(conn, spec.STATIONS)
    if district in stations:
        return stations[district]
    return f"{district}辖区派出所" if district else "辖区派出所"


def extend_hold(conn: sqlite3.Connection, escalation_id: int, *, user: str, note: str,
                now: float | None = None) -> Escalation:
    """Extend a card lock's stop-payment hold once, by another hold period."""
    now = timeutil.now() if now is None else now
    note = limits.check_text(note, field="note")
    with write(conn):
        current = _get(conn, escalation_id)
        if current.kind != "card_lock" or current.hold_until is None \
                or current.status != "locked":
            raise Conflict(f"升级 {escalation_id} 没有正在生效的止付 / escalation {escalation_id} "
                           "has no stop-payment hold in force to extend")
        if current.hold_until <= now:
            raise Conflict(f"止付期限已过，不能延长，请重新申请 / the hold of escalation "
                           f"{escalation_id} has run out: it cannot be extended, propose a new "
                           "card lock")
        if current.hold_extended:
            raise Conflict(f"止付期限只能延长一次 / the hold of escalation {escalation_id} was "
                           "already extended once")
        hours = policy_rows.value(conn, spec.HOLD_HOURS)
        conn.execute("UPDATE escalations SET hold_until = hold_until + ?, hold_extended = 1 "
                     "WHERE id = ?", (hours * 3600.0, escalation_id))
        audit.append(conn, user, "escalation.extend_hold", "escalation", escalation_id,
                     {"warning_id": current.warning_id, "note": note}, now=now)
        step(conn, escalation_id, "hold_extended", user, now, note)
    return get(conn, escalation_id)


def holds_running_out(conn: sqlite3.Connection, *, now: float, within: float) -> list[Escalation]:
    """Card locks still held whose hold ends within `within` seconds, and those whose hold ran
    out with nobody acting (lapsed: shown and alerted, not a state of their own)."""
    return _with_warnings(conn, [rows.escalation(r) for r in conn.execute(
        f"SELECT {rows.ESCALATION_COLUMNS} FROM escalations WHERE kind = 'card_lock' "
        "AND status = 'locked' AND hold_until IS NOT NULL AND hold_until <= ? "
        "ORDER BY hold_until", (now + within,))])


def _schedule_chase(conn: sqlite3.Connection, escalation: Escalation, now: float) -> None:
    calls = policy_rows.value(conn, spec.CHASE_CALLS)
    interval = policy_rows.value(conn, spec.CHASE_INTERVAL_MINUTES)
    for number in range(1, calls + 1):
        conn.execute("INSERT INTO chase_calls (escalation_id, warning_id, number, due_at) "
                     "VALUES (?, ?, ?, ?)", (escalation.id, escalation.warning_id, number,
                                             now + (number - 1) * interval * 60))
    conn.execute("UPDATE escalations SET status = 'scheduled' WHERE id = ?", (escalation.id,))
    step(conn, escalation.id, "scheduled", "system", now, f"{calls} calls, every {interval:g} min")


def active(conn: sqlite3.Connection) -> list[Escalation]:
    """Every escalation that has not ended (waiting for a decision or under way), oldest first."""
    placeholders = ", ".join("?" for _ in ENDED)
    return _with_warnings(conn, [rows.escalation(r) for r in conn.execute(
        f"SELECT {rows.ESCALATION_COLUMNS} FROM escalations WHERE status NOT IN ({placeholders}) "
        "ORDER BY proposed_at, id", sorted(ENDED))])


class EscalationsStore(StoreBase):
    """What a lead decides and what happens after: decisions, steps, holds."""

    def escalation(self, escalation_id: int) -> Escalation:
        return get(self.conn, escalation_id)

    def escalation_by_client_id(self, client_id: str) -> Escalation | None:
        return by_client_id(self.conn, client_id)

    def escalation_steps(self, escalation_id: int) -> list[Step]:
        return steps(self.conn, escalation_id)

    def decide_escalation(self, escalation_id: int, *, decision: str, note: str = "", user: str,
                          now: float | None = None) -> Escalation:
        return decide(self.conn, escalation_id, decision=decision, note=note, lead=user, now=now,
                      self_approval=self.policy().self_approval)

    def advance_escalation(self, escalation_id: int, *, status: str, note: str = "", user: str,
                           now: float | None = None) -> Escalation:
        return advance(self.conn, escalation_id, status=status, note=note, user=user, now=now)

    def extend_hold(self, escalation_id: int, *, user: str, note: str = "",
                    now: float | None = None) -> Escalation:
        return extend_hold(self.conn, escalation_id, user=user, note=note, now=now)

    def holds_running_out(self, *, within: float, now: float | None = None) -> list[Escalation]:
        return holds_running_out(self.conn, now=now_or(now), within=within)

    def active_escalations(self) -> list[Escalation]:
        return active(self.conn)

    def pending_escalations(self) -> list[Escalation]:
        return pending(self.conn)
