"""Appending to the audit table: who did what to which record, and when."""

from __future__ import annotations

import json
import sqlite3

from dissuade import timeutil


def append(conn: sqlite3.Connection, actor: str, action: str, entity: str, entity_id: int | None,
           detail: dict[str, object], *, now: float | None = None) -> None:
    """One audit row, inside the caller's transaction (so the change and its record go together)."""
    conn.execute(
        "INSERT INTO audit (at, actor, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)",
        (timeutil.now() if now is None else now, actor, action, entity, entity_id,
         json.dumps(detail, ensure_ascii=False)),
    )


def last_id(conn: sqlite3.Connection) -> int:
    """The newest audit row's id: it grows with every change, so clients watch it for news."""
    (n,) = conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()
    return int(n)
