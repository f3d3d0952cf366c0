"""Counting failed sign-ins and wrong tokens, so that guessing slows down and never locks out.

The counters live in the database (table `throttle`), not in a process: every hub process over
the same file counts the same failures, and a restart does not wipe the slate. A key names what
is counted, e.g. ``token:<address>`` for wrong bearer tokens from one client address.
"""

from __future__ import annotations

import sqlite3

from dissuade.domain import timeutil
from dissuade.store.connection import write

WINDOW_SECONDS = 15 * 60  # failures further apart than this start counting again from one
FREE_FAILURES = 3  # a typo or a rotated token in a workstation's settings costs nothing
FIRST_DELAY = 1.0  # seconds, doubling with every further failure ...
DELAY_MAX = 60.0  # ... up to this: slow enough to make guessing hopeless, never a lock-out
KEYS_MAX = 100_000  # rows kept; past it, the stalest go (an attacker rotating addresses)


def delay_for(failures: int) -> float:
    """Seconds to wait before answering the `failures`-th failure in a row."""
    extra = failures - FREE_FAILURES
    if extra <= 0:
        return 0.0
    return min(DELAY_MAX, FIRST_DELAY * 2.0 ** min(extra - 1, 16))


def failed(conn: sqlite3.Connection, key: str, *, now: float | None = None,
           window: float = WINDOW_SECONDS) -> float:
    """Count one failure for `key`; the delay it earns (seconds, 0 for the first few)."""
    now = timeutil.now() if now is None else now
    with write(conn):
        row = conn.execute("SELECT failures, last_at FROM throttle WHERE key = ?",
                           (key,)).fetchone()
        failures = 1 if row is None or now - float(row[1]) > window else int(row[0]) + 1
        conn.execute("INSERT INTO throttle (key, failures, last_at) VALUES (?, ?, ?) "
                     "ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, "
                     "last_at = excluded.last_at", (key, failures, now))
        if row is None:
            _prune(conn, now=now, window=window)
    return delay_for(failures)


def failures(conn: sqlite3.Connection, key: str, *, now: float | None = None,
             window: float = WINDOW_SECONDS) -> int:
    """Failures counted for `key` within the window (0 once it has passed)."""
    now = timeutil.now() if now is None else now
    row = conn.execute("SELECT failures, last_at FROM throttle WHERE key = ?", (key,)).fetchone()
    if row is None or now - float(row[1]) > window:
        return 0
    return int(row[0])


def wait_left(conn: sqlite3.Connection, key: str, *, now: float | None = None,
              window: float = WINDOW_SECONDS) -> float:
    """Seconds `key` must still wait before it may try again (0: it may try now). A sign-in
    asked within the wait is answered 429 without its password being tried."""
    now = timeutil.now() if now is None else now
    row = conn.execute("SELECT failures, last_at FROM throttle WHERE key = ?", (key,)).fetchone()
    if row is None or now - float(row[1]) > window:
        return 0.0
    return max(0.0, float(row[1]) + delay_for(int(row[0])) - now)


def clear(conn: sqlite3.Connection, key: str) -> None:
    """Forget `key`'s failures (a password sign-in that succeeded, say)."""
    with write(conn):
        conn.execute("DELETE FROM throttle WHERE key = ?", (key,))


def _prune(conn: sqlite3.Connection, *, now: float, window: float) -> None:
    """Drop counters whose window has passed, and the stalest beyond KEYS_MAX (inside the
    caller's transaction): the table stays small however many addresses knock."""
    conn.execute("DELETE FROM throttle WHERE last_at < ?", (now - window,))
    (count,) = conn.execute("SELECT count(*) FROM throttle").fetchone()
    if count > KEYS_MAX:
        conn.execute("DELETE FROM throttle WHERE key IN (SELECT key FROM throttle "
                     "ORDER BY last_at LIMIT ?)", (count - KEYS_MAX,))
