"""One victim, one case: claims over a person's open warnings.

Open warnings (not closed) with the same E.164 phone are one case, whichever feeds sent them.
Two officers never hold the same person at once: a claim takes every open, unclaimed warning of
the person that is not under escalation, under one lease; a warning that arrives for a person
someone holds joins that claim. An attempt settles the warnings the officer had on screen (each
gets its own attempt row, attempts.py) and ends the claim: the others go back to the queue
(queue.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dissuade.domain import timeutil
from dissuade.domain.codes import Status
from dissuade.domain.errors import Conflict, InvalidInput, NotFound
from dissuade.domain.models import Warning
from dissuade.store import audit, queue, rows
from dissuade.store.base import StoreBase, now_or
from dissuade.store.connection import write
from dissuade.store.schema import OPEN

# Warnings a claim may take for its holder: open and not held by anyone else now. Escalated
# warnings are not open (their outcome comes after the escalation ends).
CLAIMABLE = (f"{OPEN} AND (status != 'claimed' OR lease_until <= :now OR claimed_by = :user)")

FOLLOW_UP_MINUTES = 30.0  # a warning back from an escalation waits this long for its officer


@dataclass(frozen=True, slots=True)
class Claimed:
    """What a claim took: the warning asked for (or the most urgent) and its linked ones."""

    warning: Warning
    linked: tuple[int, ...]


def linked(conn: sqlite3.Connection, warning: Warning) -> tuple[Warning, ...]:
    """The person's other open warnings, oldest first: every feed's facts on one screen."""
    return tuple(rows.warning(r) for r in conn.execute(
        f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE phone = ? AND id != ? "
        "AND status != 'closed' ORDER BY arrived_at, id", (warning.phone, warning.id)))


def holder_of_person(conn: sqlite3.Connection, phone: str, *, now: float) -> tuple[str, float] | None:
    """(who, until when) holds a live claim on any warning of the person, if anyone does."""
    row = conn.execute(
        "SELECT claimed_by, lease_until FROM warnings WHERE phone = ? AND status = 'claimed' "
        "AND claimed_by IS NOT NULL AND lease_until > ? ORDER BY lease_until DESC LIMIT 1",
        (phone, now)).fetchone()
    return None if row is None else (str(row[0]), float(row[1]))


def held(conn: sqlite3.Connection, phone: str, *, user: str, now: float) -> list[Warning]:
    """The person's warnings `user` holds under a live claim."""
    return [rows.warning(r) for r in conn.execute(
        f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE phone = ? AND status = 'claimed' "
        "AND claimed_by = ? AND lease_until > ? ORDER BY level_rank, deadline, arrived_at, id",
        (phone, user, now))]


def claim_group(conn: sqlite3.Connection, anchor: Warning, *, user: str, now: float,
                lease: float) -> list[int]:
    """Inside a write: take every claimable warning of the anchor's person for `user` until
    `lease`; the ids taken, the anchor first. A warning the lease covers keeps its place in the
    queue: `available_at` is the lease's end, as for any claim."""
    taken = [int(r[0]) for r in conn.execute(
        f"UPDATE warnings SET status = 'claimed', claimed_by = :user, lease_until = :lease, "
        f"available_at = :lease WHERE phone = :phone AND {CLAIMABLE} RETURNING id",
        {"user": user, "lease": lease, "phone": anchor.phone, "now": now})]
    return sorted(taken, key=lambda i: (i != anchor.id, i))


def check_not_held_by_other(conn: sqlite3.Connection, warning: Warning, *, user: str,
                            now: float, tz: str) -> None:
    """Conflict naming the holder when someone else holds the warning's person now."""
    holder = holder_of_person(conn, warning.phone, now=now)
    if holder is not None and holder[0] != user:
        who, until = holder
        text = timeutil.local_text(until, tz)
        mine = warning.claimed_by == who
        raise Conflict(
            f"预警 {warning.id}{'' if mine else '的当事人'}正由 {who} 处置（至 {text}） / "
            f"warning {warning.id}{'' if mine else chr(39) + 's person'} is held by {who} "
            f"until {text}", holder=who)


def claim(conn: sqlite3.Connection, warning_id: int, *, user: str, now: float,
          lease_minutes: dict[str, float], tz: str) -> Claimed:
    """Claim (or renew) a warning and the rest of its person's claimable warnings."""
    with write(conn):
        warning = get(conn, warning_id)
        lease = now + 60.0 * lease_minutes[warning.risk_level]
        if warning.status == Status.CLOSED:
            raise Conflict(f"预警 {warning.id} 已办结 / warning {warning.id} is closed")
        if warning.status == Status.ESCALATED:
            raise Conflict(
                f"预警 {warning.id} 正在升级处置，升级结束后才能记录结果 / warning {warning.id} "
                "is under escalation: its outcome is recorded after the escalation ends")
        check_not_held_by_other(conn, warning, user=user, now=now, tz=tz)
        if queue.reservation_binds(conn, warning, user=user, now=now):
            raise Conflict(
                f"预警 {warning.id} 约定由 {warning.reserved_for} 回访，值班长可改派 / warning "
                f"{warning.id} is reserved for {warning.reserved_for}; a lead can reassign it",
                holder=warning.reserved_for)
        renewal = warning.claimed_by == user and (warning.lease_until or 0) > now
        taken = claim_group(conn, warning, user=user, now=now, lease=lease)
        audit.append(conn, user, "warning.renew" if renewal else "warning.claim", "warning",
                     warning.id, {"lease_until": lease, "linked": taken[1:]}, now=now)
    return Claimed(get(conn, warning.id), tuple(taken[1:]))


def claim_next(conn: sqlite3.Connection, *, user: str, now: float, lease_minutes: dict[str, float],
               client_id: str | None) -> Warning | None:
    """Atomically claim the most urgent warning of the queue (and its person's other open
    warnings) for `user`. With `client_id`, a repeat of the same request while the lease lives
    answers the same warning; after the lease, an outcome, or from another user: Conflict."""
    with write(conn):
        if client_id:
            seen = conn.execute("SELECT username, warning_id FROM claim_requests WHERE client_id = ?",
                                (client_id,)).fetchone()
            if seen is not None:
                return _repeated_claim(conn, client_id, seen, user=user, now=now)
        while True:
            top = queue.top(conn, user=user, now=now)
            if top is None:
                return None
            holder = holder_of_person(conn, top.phone, now=now)
            if holder is None or holder[0] == user:
                break
            # Someone is on the phone with this person: the warning joins their claim (it
            # arrived just now) and the next one is taken instead.
            join_live_claim(conn, top.id, top.phone, now=now)
        lease = now + 60.0 * lease_minutes[top.risk_level]
        taken = claim_group(conn, top, user=user, now=now, lease=lease)
        audit.append(conn, user, "warning.claim", "warning", top.id,
                     {"lease_until": lease, "linked": taken[1:]}, now=now)
        if client_id:
            if top.id % 100 == 0:  # now and then, the requests a day old go
                conn.execute("DELETE FROM claim_requests WHERE at < ?", (now - 86400.0,))
            conn.execute("INSERT INTO claim_requests (client_id, username, warning_id, at) "
                         "VALUES (?, ?, ?, ?)", (client_id, user, top.id, now))
    return get(conn, top.id)


def _repeated_claim(conn: sqlite3.Connection, client_id: str, seen: tuple[str, int], *,
                    user: str, now: float) -> Warning:
    who, warning_id = seen
    if who != user:
        raise Conflict(f"client_id {client_id} 属于其他用户 / client_id {client_id} belongs to "
                       "another user's claim")
    warning = get(conn, int(warning_id))
    if warning.status != Status.CLAIMED or warning.claimed_by != user \
            or (warning.lease_until or 0) <= now:
        raise Conflict(f"该领取已结束（预警 {warning_id}） / the claim made with client_id "
                       f"{client_id} has ended (warning {warning_id})", holder=warning.claimed_by)
    return warning


def release_person(conn: sqlite3.Connection, phone: str, *, user: str, now: float,
                   keep: Iterable[int] = ()) -> list[int]:
    """Inside a write: give back the person's warnings `user` holds (but `keep`) to the queue,
    where they keep their place; the ids given back."""
    kept = set(keep)
    back = [w for w in held(conn, phone, user=user, now=now) if w.id not in kept]
    for w in back:
        fresh = w.failed_attempts == 0 and w.last_outcome is None
        conn.execute("UPDATE warnings SET status = ?, claimed_by = NULL, lease_until = NULL, "
                     "available_at = ? WHERE id = ?",
                     (Status.NEW if fresh else Status.RETRY, now, w.id))
    return [int(w.id) for w in back]


def release(conn: sqlite3.Connection, warning_id: int, *, user: str, now: float,
            tz: str) -> Warning:
    """Give a claimed warning (and its person's others held with it) back to the queue."""
    with write(conn):
        warning = get(conn, warning_id)
        check_not_held_by_other(conn, warning, user=user, now=now, tz=tz)
        if warning.claimed_by != user:
            raise Conflict(f"预警 {warning.id} 未被您领取 / you do not hold warning {warning.id}")
        back = release_person(conn, warning.phone, user=user, now=now)
        if warning.id not in back:  # the lease had run out: give it back all the same
            conn.execute("UPDATE warnings SET claimed_by = NULL, lease_until = NULL, "
                         "available_at = ?, status = CASE status WHEN 'claimed' THEN "
                         "CASE WHEN failed_attempts = 0 AND last_outcome IS NULL THEN 'new' "
                         "ELSE 'retry' END ELSE status END WHERE id = ?", (now, warning.id))
        audit.append(conn, user, "warning.release", "warning", warning.id,
                     {"linked": [i for i in back if i != warning.id]}, now=now)
    return get(conn, warning.id)


def get(conn: sqlite3.Connection, warning_id: int) -> Warning:
    row = conn.execute(f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE id = ?",
                       (warning_id,)).fetchone()
    if row is None:
        raise NotFound(f"预警不存在 / no warning with id {warning_id}")
    return rows.warning(row)


def join_live_claim(conn: sqlite3.Connection, warning_id: int, phone: str, *,
                    now: float) -> None:
    """Inside a write: a warning that arrives (or comes back from an escalation) for a person
    someone holds now joins that claim, so that nobody else can call the person meanwhile."""
    holder = holder_of_person(conn, phone, now=now)
    if holder is None:
        return
    who, until = holder
    conn.execute("UPDATE warnings SET status = 'claimed', claimed_by = ?, lease_until = ?, "
                 "available_at = ? WHERE id = ? AND status IN ('new', 'retry')",
                 (who, until, until, warning_id))


def join_live_claims(conn: sqlite3.Connection, new_by_phone: dict[str, list[int]], *,
                     now: float) -> None:
    """Inside a write: new warnings whose person someone holds now join that claim (one query
    for a whole batch: most people are held by nobody)."""
    phones = sorted(new_by_phone)
    for start in range(0, len(phones), 800):
        chunk = phones[start:start + 800]
        marks = ", ".join("?" for _ in chunk)
        held_now = conn.execute(
            f"SELECT phone, claimed_by, max(lease_until) FROM warnings WHERE phone IN ({marks}) "
            "AND status = 'claimed' AND claimed_by IS NOT NULL AND lease_until > ? "
            "GROUP BY phone, claimed_by", (*chunk, now)).fetchall()
        for phone, who, until in held_now:
            for warning_id in new_by_phone[phone]:
                conn.execute("UPDATE warnings SET status = 'claimed', claimed_by = ?, "
                             "lease_until = ?, available_at = ? WHERE id = ? "
                             "AND status IN ('new', 'retry')", (who, until, until, warning_id))


def reserve_for_follow_up(conn: sqlite3.Connection, warning_ids: Sequence[int], *, officer: str,
                          now: float) -> None:
    """Inside a write: warnings whose escalation ended come back to the queue reserved for the
    officer following the case up, for FOLLOW_UP_MINUTES; then anyone may take them."""
    for warning_id in warning_ids:
        conn.execute(
            "UPDATE warnings SET status = 'retry', available_at = ?, claimed_by = NULL, "
            "lease_until = NULL, reserved_for = ?, reserved_until = ?, reserve_sticky = 0 "
            "WHERE id = ? AND status = 'escalated'",
            (now, officer, now + FOLLOW_UP_MINUTES * 60.0, warning_id))
        phone = conn.execute("SELECT phone FROM warnings WHERE id = ?",
                             (warning_id,)).fetchone()
        if phone is not None:
            join_live_claim(conn, warning_id, phone[0], now=now)


def reassign(conn: sqlite3.Connection, warning_id: int, *, to: str | None, reason: str,
             user: str, now: float, grace: float) -> Warning:
    """A lead gives a reserved warning to another officer (`to`), or to anyone (None): the
    reservation keeps its time; audited with the reason."""
    from dissuade.domain import limits

    reason = limits.check_text(reason, field="reason", required=True)
    if to is not None:
        to = limits.check_text(to, field="to", limit=64, required=True)
    with write(conn):
        warning = get(conn, warning_id)
        if warning.status in (Status.CLOSED, Status.ESCALATED):
            raise Conflict(f"预警 {warning_id} 不在待回访状态（{warning.status}） / warning "
                           f"{warning_id} is {warning.status}: nothing to reassign")
        if to is not None:
            row = conn.execute("SELECT role FROM users WHERE name = ? AND revoked_at IS NULL",
                               (to,)).fetchone()
            has_users = conn.execute("SELECT 1 FROM users WHERE revoked_at IS NULL AND role IN "
                                     "('officer', 'lead', 'admin') LIMIT 1").fetchone()
            if has_users and (row is None or row[0] not in ("officer", "lead")):
                raise InvalidInput(f"没有名为 {to} 的在岗民警 / no active officer named {to}",
                                   field="to")
            until = max(now, warning.available_at) + grace * 60.0
            conn.execute("UPDATE warnings SET reserved_for = ?, reserved_until = ?, "
                         "reserve_sticky = 1 WHERE id = ?", (to, until, warning_id))
        else:
            conn.execute("UPDATE warnings SET reserved_for = NULL, reserved_until = NULL, "
                         "reserve_sticky = 0 WHERE id = ?", (warning_id,))
        audit.append(conn, user, "warning.reassign", "warning", warning_id,
                     {"from": warning.reserved_for, "to": to, "reason": reason}, now=now)
    return get(conn, warning_id)


def lapse_reservations_of(conn: sqlite3.Connection, user: str, *, now: float) -> int:
    """Inside a write: `user` can no longer call anyone back (revoked): their reservations end
    now and the warnings are anyone's."""
    cur = conn.execute("UPDATE warnings SET reserved_until = ?, reserve_sticky = 0 "
                       "WHERE reserved_for = ? AND status != 'closed'", (now, user))
    return int(cur.rowcount or 0)


class CasesStore(StoreBase):
    """Who holds a person now: claims, releases, and a lead's reassignment of a reservation."""

    def _leases(self) -> dict[str, float]:
        return {level: p.lease_minutes for level, p in self.policy().levels.items()}

    def claim_next(self, *, user: str, now: float | None = None,
                   client_id: str | None = None) -> Warning | None:
        """Atomically claim the most urgent warning of the queue (and its person's other open
        warnings) for `user`; idempotent on `client_id` while the lease lives."""
        return claim_next(self.conn, user=user, now=now_or(now), lease_minutes=self._leases(),
                          client_id=client_id)

    def claim(self, warning_id: int, *, user: str, now: float | None = None) -> Warning:
        """Claim one warning (and its person's other open ones), or renew the lease when `user`
        already holds it."""
        return claim(self.conn, warning_id, user=user, now=now_or(now),
                     lease_minutes=self._leases(), tz=self.policy().timezone).warning

    def release(self, warning_id: int, *, user: str, now: float | None = None) -> Warning:
        """Give a claimed warning (and its person's others held with it) back to the queue,
        where it keeps its place."""
        return release(self.conn, warning_id, user=user, now=now_or(now),
                       tz=self.policy().timezone)

    def reassign(self, warning_id: int, *, to: str | None, reason: str, user: str,
                 now: float | None = None) -> Warning:
        """A lead gives a reserved warning (an agreed callback, a follow-up) to another officer,
        or to anyone (`to` None); audited."""
        return reassign(self.conn, warning_id, to=to, reason=reason, user=user,
                        now=now_or(now), grace=self.policy().callback_grace_minutes)

    def warning(self, warning_id: int) -> Warning:
        """The warning in full (cards and ID number too): for the core's own use, never a
        screen."""
        return get(self.conn, warning_id)

    def _check_may_change(self, warning_id: int, *, user: str, now: float) -> None:
        """Inside the write that changes it: the warning is open and nobody else holds it."""
        current = get(self.conn, warning_id)
        if current.status == Status.CLOSED:
            raise Conflict(f"预警 {warning_id} 已办结，不能更改 / warning {warning_id} is closed")
        check_not_held_by_other(self.conn, current, user=user, now=now,
                                tz=self.policy().timezone)
