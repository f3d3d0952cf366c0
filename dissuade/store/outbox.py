"""The offline outbox: attempts and proposals made while the hub was unreachable, in order."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dissuade import timeutil

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
    UNIQUE (hub, kind, client_id)
);
CREATE TABLE IF NOT EXISTS cache (hub TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                                  PRIMARY KEY (hub, key));
"""


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


class Outbox:
    """One SQLite file in the user's data folder; rows are keyed by hub so several can share it."""

    def __init__(self, path: str | Path, *, hub: str) -> None:
        self.hub = hub
        self._lock = threading.Lock()
        self.conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False,
                                    timeout=5)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")  # an outcome kept offline survives a crash
        self.conn.executescript(SCHEMA)

    def add(self, kind: str, warning_id: int, client_id: str, payload: dict[str, Any]) -> None:
        with self._lock:
            self.conn.execute(
                "INSERT OR IGNORE INTO outbox (hub, kind, warning_id, client_id, payload, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?)",
                (self.hub, kind, warning_id, client_id, json.dumps(payload, ensure_ascii=False),
                 timeutil.now()))

    def _items(self, state: str) -> list[Item]:
        with self._lock:
            cur = self.conn.execute(
                "SELECT seq, kind, warning_id, client_id, payload, state, error, created_at "
                "FROM outbox WHERE hub = ? AND state = ? ORDER BY seq", (self.hub, state))
            return [Item(s, k, w, c, json.loads(p), st, e, t) for s, k, w, c, p, st, e, t in cur]

    def waiting(self) -> list[Item]:
        return self._items("waiting")

    def conflicts(self) -> list[Item]:
        return self._items("conflict")

    def sent(self, seq: int) -> None:
        with self._lock:
            self.conn.execute("DELETE FROM outbox WHERE seq = ?", (seq,))

    def conflict(self, seq: int, error: str) -> None:
        """The hub refused it (someone else took the warning): kept for the officer to resolve."""
        with self._lock:
            self.conn.execute("UPDATE outbox SET state = 'conflict', error = ? WHERE seq = ?",
                              (error, seq))

    def discard(self, seq: int) -> None:
        """The officer resolved a conflict (re-entered it on the warning, or decided it is moot)."""
        with self._lock:
            self.conn.execute("DELETE FROM outbox WHERE seq = ? AND state = 'conflict'", (seq,))

    def count(self) -> int:
        with self._lock:
            (n,) = self.conn.execute("SELECT count(*) FROM outbox WHERE hub = ? AND "
                                     "state = 'waiting'", (self.hub,)).fetchone()
        return int(n)

    def remember(self, key: str, value: Any) -> None:
        with self._lock:
            self.conn.execute("INSERT OR REPLACE INTO cache (hub, key, value) VALUES (?, ?, ?)",
                              (self.hub, key, json.dumps(value, ensure_ascii=False)))

    def recall(self, key: str) -> Any:
        with self._lock:
            row = self.conn.execute("SELECT value FROM cache WHERE hub = ? AND key = ?",
                                    (self.hub, key)).fetchone()
        return None if row is None else json.loads(row[0])

    def close(self) -> None:
        with self._lock:
            self.conn.close()
