"""The policy as the database keeps it: the `policy_levels` table and the `settings` rows, read
through the settings' declarations (dissuade.domain.settings)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, TypeVar

from dissuade.domain import settings as spec
from dissuade.domain.policy import LevelPolicy, Policy

T = TypeVar("T")
LEVEL_COLUMNS = ", ".join(f.name for f in spec.LEVEL_FIELDS)


def rows(conn: sqlite3.Connection) -> dict[str, Any]:
    """Every row of the settings table, its JSON value decoded."""
    return {key: json.loads(value) for key, value in conn.execute("SELECT key, value FROM settings")}


def load(conn: sqlite3.Connection) -> Policy:
    """The policy stored now; a setting without a row (a database from before it) has its
    default."""
    levels = {}
    for row in conn.execute(f"SELECT level, {LEVEL_COLUMNS} FROM policy_levels ORDER BY rank"):
        values = dict(zip((f.name for f in spec.LEVEL_FIELDS), row[1:], strict=True))
        levels[row[0]] = LevelPolicy.from_values(row[0], values)
    return Policy.from_values(levels, spec.stored_values(rows(conn)))


def value(conn: sqlite3.Connection, setting: spec.Setting[T]) -> T:
    """One setting as stored now (inside the caller's transaction), else its default."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (setting.key,)).fetchone()
    found = spec.stored_values({setting.key: json.loads(row[0])}) if row is not None else {}
    return setting.kind.load(found[setting.name]) if setting.name in found else setting.fresh()
