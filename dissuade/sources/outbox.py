"""The offline outbox: attempts and proposals made while the hub was unreachable, in order.

Items belong to a hub and a user, not to a token: a rotated token or a new session must still
find what waits. An outbox file written before this rule kept items under a hash of the hub and
the token; `bind` adopts them once the hub (or the cached `/me`) says whose they are.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dissuade.domain import timeutil
from dissuade.store.connection import Connection, track

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    hub TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('attempt', 'escalation')),
    warning_id INTEGER NOT NULL,
    client_id TEXT NOT NULL,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'conflict')),
    error TEXT,
    created_at REAL NOT NULL,
    user TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    UNIQUE (hub, kind, client_id)
);
CREATE TABLE IF NOT EXISTS cache (hub TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                                  PRIMARY KEY (hub, key));
CREATE TABLE IF NOT EXISTS replayer (hub TEXT NOT NULL, user TEXT NOT NULL, owner TEXT NOT NULL,
                                     until REAL NOT NULL, PRIMARY KEY (hub, user));
"""
# Columns added since the first outbox files (user IS NULL marks a row keyed the old way).
ADDED = {"user": "ALTER TABLE outbox ADD COLUMN user TEXT",
         "failures": "ALTER TABLE outbox ADD COLUMN failures INTEGER NOT NULL DEFAULT 0"}
LEASE_SECONDS = 60.0
UNPROVEN = ("旧版本在另一令牌下暂存，无法确认属于本中心服务器：请核对后重新录入或放弃 / kept by an "
            "earlier version under another token, so not sure to belong to this hub: check it, "
            "then re-enter it on the warning or discard it")


@dataclass(frozen=True, slots=True)
class Item:
    seq: int
    kind: str
    warning_id: int
    client_id: str
    payload: dict[str, Any]
    state: str
    error: str | None
    created_at: float
    failures: int = 0


class Outbox:
    """One SQLite file in the user's data folder, shared by every hub and user of the machine.

    `hub` is the hub's URL; `bind(user, legacy=...)` names whose items this is (until then it
    sees none). Only one replayer at a time sends a hub and user's items: `lease` says who.
    """

    def __init__(self, path: str | Path, *, hub: str) -> None:
        self.hub = hub
        self.user: str | None = None
        self.owner = uuid.uuid4().hex
        self._lock = threading.Lock()
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                               timeout=5, factory=Connection)
        assert isinstance(conn, Connection)
        track(conn, path)
        self.conn: sqlite3.Connection = conn
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")  # an outcome kept offline survives a crash
        self.conn.executescript(SCHEMA)
        have = {row[1] for row in self.conn.execute("PRAGMA table_info(outbox)")}
        for column, statement in ADDED.items():
            if column not in have:
                self.conn.execute(statement)
        self.conn.execute("CREATE INDEX IF NOT EXISTS outbox_owner ON outbox (hub, user, state)")

    # -- whose -----------------------------------------------------------------------------

    def bind(self, user: str, *, legacy: str | None = None) -> None:
        """The items are `user`'s on this hub. Rows an earlier version kept under `legacy` (its
        key: a hash of this hub and this token) are theirs for certain: they take this hub and
        user and wait as before. Rows it kept under another token of the same user name cannot
        be tied to a hub; they keep their old key, are never sent, and are shown among the
        conflicts (`conflicts`) for the officer to check, re-enter or discard."""
        with self._lock:
            self.user = user
            if legacy is not None:
                self.conn.execute("UPDATE OR IGNORE outbox SET hub = ?, user = ? "
                                  "WHERE user IS NULL AND hub = ?", (self.hub, user, legacy))

    # Rows keyed the old way whose token the cache says was this user's (on some hub).
    _LEGACY = ("user IS NULL AND hub IN (SELECT hub FROM cache WHERE key = 'me' "
               "AND json_extract(value, '$.name') = ?)")

    def _owner(self) -> tuple[str, str]:  # the key of this hub and user's rows
        return self.hub, self.user or ""

    # -- items -----------------------------------------------------------------------------

    def add(self, kind: str, warning_id: int, client_id: str, payload: dict[str, Any]) -> None:
        with self._lock:
            self.conn.execute(
                "INSERT OR IGNORE INTO outbox (hub, user, kind, warning_id, client_id, payload, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (*self._owner(), kind, warning_id, client_id,
                 json.dumps(payload, ensure_ascii=False), timeutil.now()))

    def _items(self, state: str) -> list[Item]:
        with self._lock:
            cur = self.conn.execute(
                "SELECT seq, kind, warning_id, client_id, payload, state, error, created_at, "
                "failures FROM outbox WHERE hub = ? AND user = ? AND state = ? ORDER BY seq",
                (*self._owner(), state))
            return [Item(s, k, w, c, json.loads(p), st, e, t, f)
                    for s, k, w, c, p, st, e, t, f in cur]

    def waiting(self) -> list[Item]:
        return self._items("waiting")

    def conflicts(self) -> list[Item]:
        """What the hub refused, then what an earlier version kept that may not be this hub's."""
        with self._lock:
            cur = self.conn.execute(
                "SELECT seq, kind, warning_id, client_id, payload, 'conflict', "
                "CASE WHEN user IS NULL THEN ? || coalesce(' (' || error || ')', '') "
                "ELSE error END, created_at, failures FROM outbox "
                f"WHERE (hub = ? AND user = ? AND state = 'conflict') OR ({self._LEGACY}) "
                "ORDER BY user IS NULL, seq", (UNPROVEN, *self._owner(), self.user or ""))
            return [Item(s, k, w, c, json.loads(p), st, e, t, f)
                    for s, k, w, c, p, st, e, t, f in cur]

    def held(self) -> set[int]:
        """Warnings with a refused item of this hub and user: their later items wait behind it
        until the officer resolves it (never sent out of order for one warning)."""
        with self._lock:
            return {int(w) for (w,) in self.conn.execute(
                "SELECT DISTINCT warning_id FROM outbox WHERE hub = ? AND user = ? "
                "AND state = 'conflict'", self._owner())}

    def has_waiting(self, warning_id: int | None = None) -> bool:
        """Whether anything waits (for this warning, when one is named)."""
        sql = "SELECT 1 FROM outbox WHERE hub = ? AND user = ? AND state = 'waiting'"
        args: tuple[Any, ...] = self._owner()
        if warning_id is not None:
            sql += " AND warning_id = ?"
            args += (warning_id,)
        with self._lock:
            return self.conn.execute(sql + " LIMIT 1", args).fetchone() is not None

    def sent(self, seq: int) -> None:
        with self._lock:
            self.conn.execute("DELETE FROM outbox WHERE seq = ?", (seq,))

    def withdraw(self, client_id: str) -> bool:
        """An outcome undone before it was sent: taken out of the outbox (True), or not there."""
        with self._lock:
            cur = self.conn.execute(
                "DELETE FROM outbox WHERE hub = ? AND user = ? AND kind = 'attempt' "
                "AND client_id = ? AND state = 'waiting'", (*self._owner(), client_id))
            return cur.rowcount > 0

    def conflict(self, seq: int, error: str) -> None:
        """The hub refused it (someone else took the warning): kept for the officer to resolve."""
        with self._lock:
            self.conn.execute("UPDATE outbox SET state = 'conflict', error = ? WHERE seq = ?",
                              (error, seq))

    def failed(self, seq: int, error: str) -> int:
        """An unexpected answer for this item: how many it has had now."""
        with self._lock:
            row = self.conn.execute(
                "UPDATE outbox SET failures = failures + 1, error = ? WHERE seq = ? "
                "RETURNING failures", (error, seq)).fetchone()
        return 0 if row is None else int(row[0])

    def discard(self, seq: int) -> None:
        """The officer resolved a conflict (re-entered it on the warning, or decided it is moot)."""
        with self._lock:
            self.conn.execute(
                "DELETE FROM outbox WHERE seq = ? AND ((hub = ? AND user = ? AND "
                f"state = 'conflict') OR ({self._LEGACY}))",
                (seq, *self._owner(), self.user or ""))

    def count(self) -> int:
        with self._lock:
            (n,) = self.conn.execute("SELECT count(*) FROM outbox WHERE hub = ? AND user = ? "
                                     "AND state = 'waiting'", self._owner()).fetchone()
        return int(n)

    def counts(self) -> tuple[int, int]:
        """(waiting, conflicts) in one look."""
        with self._lock:
            row = self.conn.execute(
                "SELECT count(*) FILTER (WHERE user IS NOT NULL AND state = 'waiting'), "
                "count(*) FILTER (WHERE user IS NULL OR state = 'conflict') FROM outbox "
                f"WHERE (hub = ? AND user = ?) OR ({self._LEGACY})",
                (*self._owner(), self.user or "")).fetchone()
        return int(row[0]), int(row[1])

    # -- one replayer at a time, across processes --------------------------------------------

    def lease(self) -> bool:
        """Take (or renew) the right to send this hub and user's items for LEASE_SECONDS; False
        while another replayer, in this process or another, holds it."""
        now = time.time()
        with self._lock:
            row = self.conn.execute(
                "INSERT INTO replayer (hub, user, owner, until) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (hub, user) DO UPDATE SET owner = excluded.owner, "
                "until = excluded.until WHERE replayer.owner = excluded.owner "
                "OR replayer.until < ? RETURNING owner",
                (*self._owner(), self.owner, now + LEASE_SECONDS, now)).fetchone()
        return row is not None

    def release(self) -> None:
        with self._lock:
            self.conn.execute("DELETE FROM replayer WHERE hub = ? AND user = ? AND owner = ?",
                              (*self._owner(), self.owner))

    # -- what the client needs to start offline ----------------------------------------------

    def remember(self, key: str, value: Any, *, scope: str | None = None) -> None:
        with self._lock:
            self.conn.execute("INSERT OR REPLACE INTO cache (hub, key, value) VALUES (?, ?, ?)",
                              (scope or self.hub, key, json.dumps(value, ensure_ascii=False)))

    def recall(self, key: str, *, scope: str | None = None) -> Any:
        with self._lock:
            row = self.conn.execute("SELECT value FROM cache WHERE hub = ? AND key = ?",
                                    (scope or self.hub, key)).fetchone()
        return None if row is None else json.loads(row[0])

    def close(self) -> None:
        with self._lock:
            self.conn.close()
