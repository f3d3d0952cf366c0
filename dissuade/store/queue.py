"""The queue: which open warnings an officer may take now, in what order, and when that next
changes by time alone.

The queue has one definition, `QUEUE_WHERE`: open (new, retry or claimed), due now (a retry
whose time came, a claim whose lease ran out), not reserved for someone else. The listing, the
count, `claim_next` (cases.py), the breaches a lead is alerted to and `why()` (explain.py) all
read it from here; a property test (tests/dissuade/test_queue_why.py) holds `why()` to it. The
queue counts warnings and lists a person once (their most urgent warning).
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Generator, Sequence
from dataclasses import replace

from dissuade.domain.models import Warning
from dissuade.store import audit, dialect, rows
from dissuade.store.base import StoreBase, now_or
from dissuade.store.schema import OPEN

# A reservation (an agreed "only me" callback, a follow-up after an escalation) binds until
# `reserved_until`; a sticky one (a callback) binds after that while its officer has a live
# session. Revoking the officer ends it at once (users.revoke).
LIVE_SESSION = ("SELECT 1 FROM sessions s WHERE s.username = warnings.reserved_for "
                "AND s.expires_at > :now AND s.ended_at IS NULL")
RESERVATION_BINDS = (f"(reserved_until IS NULL OR reserved_until > :now "
                     f"OR (reserve_sticky = 1 AND EXISTS ({LIVE_SESSION})))")
FREE_FOR_USER = f"(reserved_for IS NULL OR reserved_for = :user OR NOT {RESERVATION_BINDS})"

# A province hub's centres (store/centres.py): once the policy maps districts to centres, a user
# with a centre sees that centre's warnings, a lead (or anyone not an officer) with none sees
# every centre, an officer with none sees nothing until given one. Without centres, everyone
# sees everything, as in a single centre. (Uncorrelated: each engine reads them once.)
_CENTRES_ON = "EXISTS (SELECT 1 FROM settings WHERE key = 'centres' AND value NOT IN ('{}', ''))"
_MY_CENTRE = "coalesce((SELECT u.centre FROM users u WHERE u.name = :user), '')"
_MY_ROLE = "coalesce((SELECT u.role FROM users u WHERE u.name = :user), 'lead')"
IN_CENTRE = (f"(NOT {_CENTRES_ON} OR ({_MY_CENTRE} != '' AND centre = {_MY_CENTRE}) "
             f"OR ({_MY_CENTRE} = '' AND {_MY_ROLE} != 'officer'))")

# The queue's one definition, and its order (the warnings_queue index's columns).
QUEUE_WHERE = f"{OPEN} AND available_at <= :now AND {FREE_FOR_USER} AND {IN_CENTRE}"
QUEUE_ORDER = "level_rank, fresh, deadline, arrived_at, id"

# The queue is read in order in two parts whose union is QUEUE_WHERE (OPEN is exactly WAITING
# or HELD): the warnings waiting for a call, in order from their own index (warnings_waiting),
# and the held ones whose lease ran out, few, found by their time (warnings_held) and sorted.
# A live claim keeps its place in the order, so read in one part a claim and the next would
# step over every warning held now: thousands in a busy room, on every claim.
WAITING = "status IN ('new', 'retry')"
ORDER_WIDTH = len(QUEUE_ORDER.split(","))
HELD = "status = 'claimed'"

# Never called yet, open, at a level with a first-contact limit: what can breach that limit.
UNCALLED = f"{OPEN} AND fresh = 1 AND level_rank IN (0, 1, 2, 3)"
# Overdue is past the deadline: a first call at that very second is still in time.
OVERDUE = f"{UNCALLED} AND deadline < :now"


def queued(conn: sqlite3.Connection, warning_id: int, *, user: str, now: float) -> bool:
    """Whether the warning is in `user`'s queue now, by the queue's one definition."""
    row = conn.execute(f"SELECT {QUEUE_WHERE} FROM warnings WHERE id = :id",
                       {"id": warning_id, "now": now, "user": user}).fetchone()
    return bool(row and row[0])


def reservation_binds(conn: sqlite3.Connection, warning: Warning, *, user: str,
                      now: float) -> bool:
    """Whether `warning` is reserved for someone other than `user` right now."""
    if warning.reserved_for in (None, user):
        return False
    row = conn.execute(f"SELECT {RESERVATION_BINDS} FROM warnings WHERE id = :id",
                       {"id": warning.id, "now": now}).fetchone()
    return bool(row and row[0])


def size(conn: sqlite3.Connection, *, user: str, now: float) -> int:
    (n,) = conn.execute(f"SELECT count(*) FROM warnings WHERE {QUEUE_WHERE}",
                        {"now": now, "user": user}).fetchone()
    return int(n)


ALL = 2**62  # "no limit" in both engines' LIMIT (SQLite's -1 is an error on PostgreSQL)


def _parts(conn: sqlite3.Connection, *, user: str, now: float, limit: int,
           claiming: bool = False) -> tuple[sqlite3.Cursor, list[tuple[object, ...]]]:
    """The queue's two parts: the waiting warnings in order (a cursor read as wanted) and the
    held ones whose lease ran out, sorted here (asked for in order, the planner would walk the
    order's index through every open warning instead). Rows start with the order's columns."""
    binds = {"now": now, "user": user, "n": limit}
    waiting = conn.execute(
        f"SELECT {QUEUE_ORDER}, {rows.WARNING_COLUMNS} FROM warnings WHERE {WAITING} "
        f"AND {QUEUE_WHERE} ORDER BY {QUEUE_ORDER} LIMIT :n"
        f"{dialect.skip_locked(conn) if claiming else ''}", binds)
    lapsed = sorted(conn.execute(
        f"SELECT {QUEUE_ORDER}, {rows.WARNING_COLUMNS} FROM warnings WHERE {HELD} "
        f"AND {QUEUE_WHERE}", binds), key=lambda r: r[:ORDER_WIDTH])
    return waiting, lapsed


def in_order(conn: sqlite3.Connection, *, user: str, now: float) -> Generator[Warning, None, None]:
    """The queue's warnings in queue order, read as they are wanted (the two parts merged)."""
    waiting, lapsed = _parts(conn, user=user, now=now, limit=ALL)
    try:
        for row in heapq.merge(waiting, lapsed, key=lambda r: r[:ORDER_WIDTH]):
            yield rows.warning(row[ORDER_WIDTH:])
    finally:
        waiting.close()


def top(conn: sqlite3.Connection, *, user: str, now: float) -> Warning | None:
    """The most urgent warning of the queue (inside the claim's write): the first of either
    part, whichever comes first in the order."""
    waiting, lapsed = _parts(conn, user=user, now=now, limit=1, claiming=True)
    heads = [row for row in (waiting.fetchone(), lapsed[0] if lapsed else None) if row]
    if not heads:
        return None
    return rows.warning(min(heads, key=lambda r: r[:ORDER_WIDTH])[ORDER_WIDTH:])


def page(conn: sqlite3.Connection, *, user: str, now: float, limit: int,
         offset: int) -> list[Warning]:
    """One page of the queue in queue order, a person once (their most urgent warning), each
    with the number of their other open warnings in `linked`."""
    seen: set[str] = set()
    found: list[Warning] = []
    skip = max(0, offset)
    ordered = in_order(conn, user=user, now=now)
    for warning in ordered:
        if warning.phone in seen:
            continue
        seen.add(warning.phone)
        if skip:
            skip -= 1
            continue
        found.append(warning)
        if len(found) >= limit:
            break
    ordered.close()
    counts = open_counts(conn, [w.phone for w in found])
    return [w if counts.get(w.phone, 1) <= 1 else replace(w, linked=counts[w.phone] - 1)
            for w in found]


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


def breaches(conn: sqlite3.Connection, *, since: float, now: float,
             limit: int) -> tuple[int, list[Warning]]:
    """(how many are overdue, those that became overdue after `since`, most recent first)."""
    (count,) = conn.execute(f"SELECT count(*) FROM warnings WHERE {OVERDUE}",
                            {"now": now}).fetchone()
    cur = conn.execute(
        f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE {OVERDUE} "
        "AND (deadline > :since OR arrived_at > :since) ORDER BY deadline DESC LIMIT :n",
        {"now": now, "since": since, "n": limit})
    return int(count), [rows.warning(r) for r in cur]


def next_change(conn: sqlite3.Connection, *, now: float) -> float | None:
    """The next moment the queue or the breaches change by time alone, None when nothing
    waits. Index seeks only."""
    # Only retries and claims wait for a time; a new warning is due from its arrival.
    (due,) = conn.execute(
        "SELECT min(available_at) FROM warnings WHERE status IN ('retry', 'claimed') "
        "AND available_at > ?", (now,)).fetchone()
    found = [] if due is None else [float(due)]
    for rank in range(4):  # one seek per level: the queue index starts with the level
        (deadline,) = conn.execute(
            f"SELECT min(deadline) FROM warnings WHERE {UNCALLED} AND level_rank = :rank "
            "AND deadline > :now", {"rank": rank, "now": now}).fetchone()
        if deadline is not None:
            found.append(float(deadline))
    return min(found) if found else None


class QueueStore(StoreBase):
    """The queue and what watches it: its pages and count, breaches, the next time-based change,
    and arrivals for the live alert."""

    def queue_size(self, *, user: str, now: float | None = None) -> int:
        return size(self.conn, user=user, now=now_or(now))

    def queue(self, *, user: str, limit: int = 50, offset: int = 0,
              now: float | None = None) -> list[Warning]:
        """One page of the queue, a person once."""
        return page(self.conn, user=user, now=now_or(now), limit=max(0, limit),
                    offset=max(0, offset))

    def breaches(self, *, since: float, now: float | None = None,
                 limit: int = 50) -> tuple[int, list[Warning]]:
        """(warnings past their first-contact limit and never called, the ones that became
        overdue after `since` (their limit passed, or they arrived already late), most recent
        first): what the lead is alerted to."""
        return breaches(self.conn, since=since, now=now_or(now), limit=limit)

    def next_change(self, *, now: float | None = None) -> float | None:
        """The next moment the queue or the breaches change by time alone (a retry or callback
        coming due, a lease running out, an uncalled warning passing its limit), None when
        nothing waits: clients wake then instead of polling."""
        return next_change(self.conn, now=now_or(now))

    def change_seq(self) -> int:
        """Grows with every change anyone makes; watchers compare it to see news."""
        return audit.last_id(self.conn)

    def arrivals(self, *, after_id: int, limit: int = 200) -> list[Warning]:
        """Warnings that arrived after `after_id`, oldest first (for the live-queue alert)."""
        cur = self.conn.execute(
            f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE id > ? ORDER BY id LIMIT ?",
            (after_id, limit))
        return [rows.warning(r) for r in cur]

    def last_warning_id(self) -> int:
        (n,) = self.conn.execute("SELECT coalesce(max(id), 0) FROM warnings").fetchone()
        return int(n)
