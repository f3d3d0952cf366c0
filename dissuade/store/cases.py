"""One victim, one case: the queue, claims and outcomes over a person's open warnings.

Open warnings (not closed) with the same E.164 phone are one case, whichever feeds sent them
(DESIGN.md "Additions"). Two officers never hold the same person at once: a claim takes every
open, unclaimed warning of the person that is not under escalation, under one lease; a warning
that arrives for a person someone holds joins that claim. An attempt settles the warnings the
officer had on screen (each gets its own attempt row) and ends the claim: the others go back to
the queue. The queue still counts warnings; it lists a person once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dissuade.domain import timeutil
from dissuade.domain.codes import Status
from dissuade.domain.errors import Conflict, InvalidInput, NotFound
from dissuade.domain.models import Warning
from dissuade.store import audit, rows
from dissuade.store.connection import write
from dissuade.store.schema import OPEN

# A reservation (an agreed "only me" callback, a follow-up after an escalation) binds until
# `reserved_until`; a sticky one (a callback) binds after that while its officer has a live
# session. Revoking the officer ends it at once (users.revoke).
LIVE_SESSION = ("SELECT 1 FROM sessions s WHERE s.user = warnings.reserved_for "
                "AND s.expires_at > :now AND s.ended_at IS NULL")
RESERVATION_BINDS = (f"(reserved_until IS NULL OR reserved_until > :now "
                     f"OR (reserve_sticky = 1 AND EXISTS ({LIVE_SESSION})))")
FREE_FOR_USER = f"(reserved_for IS NULL OR reserved_for = :user OR NOT {RESERVATION_BINDS})"

# The queue's one definition (DESIGN.md "The queue"): open, due now (a retry whose time came, a
# claim whose lease ran out), not reserved for someone else.
QUEUE_WHERE = f"{OPEN} AND available_at <= :now AND {FREE_FOR_USER}"
QUEUE_ORDER = "level_rank, fresh, deadline, arrived_at, id"

# Warnings a claim may take for its holder: open and not held by anyone else now. Escalated
# warnings are not open (their outcome comes after the escalation ends).
CLAIMABLE = (f"{OPEN} AND (status != 'claimed' OR lease_until <= :now OR claimed_by = :user)")

FOLLOW_UP_MINUTES = 30.0  # a warning back from an escalation waits this long for its officer


@dataclass(frozen=True, slots=True)
class Claimed:
    """What a claim took: the warning asked for (or the most urgent) and its linked ones."""

    warning: Warning
    linked: tuple[int, ...]


def reservation_binds(conn: sqlite3.Connection, warning: Warning, *, user: str,
                      now: float) -> bool:
    """Whether `warning` is reserved for someone other than `user` right now."""
    if warning.reserved_for in (None, user):
        return False
    row = conn.execute(
        f"SELECT {RESERVATION_BINDS} FROM warnings WHERE id = :id",
        {"id": warning.id, "now": now}).fetchone()
    return bool(row and row[0])


def queue_size(conn: sqlite3.Connection, *, user: str, now: float) -> int:
    (n,) = conn.execute(
        # The covering queue index answers this alone; the planner would rather take another
        # index and read every row (ten times slower).
        f"SELECT count(*) FROM warnings INDEXED BY warnings_queue WHERE {QUEUE_WHERE}",
        {"now": now, "user": user}).fetchone()
    return int(n)


def queue(conn: sqlite3.Connection, *, user: str, now: float, limit: int,
          offset: int) -> list[Warning]:
    """One page of the queue in queue order, a person once (their most urgent warning), each
    with the number of their other open warnings in `linked`."""
    cur = conn.execute(
        f"SELECT {rows.WARNING_COLUMNS} FROM warnings INDEXED BY warnings_queue "
        f"WHERE {QUEUE_WHERE} ORDER BY {QUEUE_ORDER}", {"now": now, "user": user})
    seen: set[str] = set()
    page: list[Warning] = []
    skip = max(0, offset)
    for row in cur:
        warning = rows.warning(row)
        if warning.phone in seen:
            continue
        seen.add(warning.phone)
        if skip:
            skip -= 1
            continue
        page.append(warning)
        if len(page) >= limit:
            break
    cur.close()
    counts = open_counts(conn, [w.phone for w in page])
    return [w if counts.get(w.phone, 1) <= 1 else _with_linked(w, counts[w.phone] - 1)
            for w in page]


def _with_linked(warning: Warning, linked: int) -> Warning:
    from dataclasses import replace

    return replace(warning, linked=linked)


def open_counts(conn: sqlite3.Connection, phones: Sequence[str]) -> dict[str, int]:
    """How many open warnings (not closed) each phone has."""
    found: dict[str, int] = {}
    unique = sorted(set(phones))
    for start in range(0, len(unique), 800):
        chunk = unique[start:start + 800]
        marks = ", ".join("?" for _ in chunk)
        found.update((p, int(n)) for p, n in conn.execute(
            f"SELECT phone, count(*) FROM warnings WHERE phone IN ({marks}) "
            "AND status != 'closed' GROUP BY phone", chunk))
    return found


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
        if reservation_binds(conn, warning, user=user, now=now):
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
            seen = conn.execute("SELECT user, warning_id FROM claim_requests WHERE client_id = ?",
                                (client_id,)).fetchone()
            if seen is not None:
                return _repeated_claim(conn, client_id, seen, user=user, now=now)
        while True:
            row = conn.execute(
                f"SELECT {rows.WARNING_COLUMNS} FROM warnings INDEXED BY warnings_queue "
                f"WHERE {QUEUE_WHERE} ORDER BY {QUEUE_ORDER} LIMIT 1",
                {"now": now, "user": user}).fetchone()
            if row is None:
                return None
            top = rows.warning(row)
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
            conn.execute("DELETE FROM claim_requests WHERE at < ?", (now - 86400.0,))
            conn.execute("INSERT INTO claim_requests (client_id, user, warning_id, at) "
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
            "GROUP BY phone", (*chunk, now)).fetchall()
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


__all__ = ["QUEUE_WHERE", "QUEUE_ORDER", "Claimed", "claim", "claim_next", "queue",
           "queue_size", "release", "linked", "held", "timeutil"]
