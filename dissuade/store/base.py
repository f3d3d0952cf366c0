"""What every part of the store stands on: the connection, the policy in force, the period a
figure covers. Each responsibility's methods live beside their SQL (dissuade/store/*.py, a
`...Store` class at the end of each) and `Store` (store.py) is all of them together."""

from __future__ import annotations

import threading
from pathlib import Path

from dissuade.domain import timeutil
from dissuade.domain.errors import InvalidInput
from dissuade.domain.policy import Policy
from dissuade.store import policy_rows
from dissuade.store.connection import BUSY_TIMEOUT_MS, connect


def now_or(now: float | None) -> float:
    """`now` when a caller gave one (tests, a batch's one moment), else the clock."""
    return timeutil.now() if now is None else now


class StoreBase:
    """One database file (or ``:memory:``). Methods that change data take keyword arguments."""

    def __init__(self, path: str | Path, *, create: bool = True,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                 write_lock: threading.Lock | None = None) -> None:
        self.path = str(path)
        self.conn = connect(path, create=create, busy_timeout_ms=busy_timeout_ms,
                            write_lock=write_lock)
        self._policy: Policy | None = None
        self._version = self._data_version = -1

    def close(self) -> None:
        self.conn.close()

    def checkpoint(self) -> None:
        """Copy the WAL into the database without blocking writers (the hub does this in the
        background so that no request pays for it)."""
        self.conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def policy_version(self) -> int:
        """Grows with every policy change (policy_edit.bump_version)."""
        row = self.conn.execute("SELECT value FROM settings WHERE key = 'policy_version'"
                                ).fetchone()
        return 0 if row is None else int(row[0])

    def policy(self) -> Policy:
        """The policy in force. Cached, but a change made on another connection (another hub
        thread, another process) is seen at the next call: SQLite's data_version says whether
        anyone committed since, and the settings' version row whether it was the policy."""
        (seen,) = self.conn.execute("PRAGMA data_version").fetchone()
        if self._policy is not None and seen != self._data_version:
            self._data_version = seen
            if self.policy_version() != self._version:
                self._policy = None
        if self._policy is None:
            self._version = self.policy_version()
            self._data_version = seen
            self._policy = policy_rows.load(self.conn)
        return self._policy

    def _forget_policy(self) -> Policy:
        """After this connection changed the policy: load it again now."""
        self._policy = None
        return self.policy()

    def _period(self, start: float | None, end: float | None, now: float) -> tuple[float, float]:
        """The period asked for; what is left out defaults to the current shift's edge."""
        if start is None or end is None:
            policy = self.policy()
            shift = timeutil.current_shift(now, tz=policy.timezone, starts=policy.shift_starts)
            start = shift[0] if start is None else start
            end = shift[1] if end is None else end
        if end <= start:
            raise InvalidInput("结束时间应晚于开始时间 / 'to' must be after 'from'", field="to")
        return start, end
