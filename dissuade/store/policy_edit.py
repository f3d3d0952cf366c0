"""Changing centre policy: per-level limits, retries, escalation, lease, and the centre-wide
settings (dissuade.domain.settings)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from dissuade.domain import rules, timeutil
from dissuade.domain import settings as spec
from dissuade.domain.codes import RiskLevel
from dissuade.domain.errors import InvalidInput
from dissuade.domain.policy import Policy
from dissuade.store import audit, policy_rows
from dissuade.store.base import StoreBase
from dissuade.store.connection import write


def update_level(conn: sqlite3.Connection, level: str, changes: dict[str, Any], *, user: str,
                 now: float | None = None) -> None:
    """Change one level's policy. A new first-contact limit moves the deadlines of that level's
    warnings still waiting for first contact (the limit is policy, not history)."""
    try:
        RiskLevel(level)
    except ValueError:
        raise InvalidInput(f"未知预警等级 / unknown risk level: {level!r}", field="level") from None
    checked = spec.check_level(changes)
    if not checked:
        return
    with write(conn):
        before = dict(zip([d[0] for d in conn.execute("SELECT * FROM policy_levels").description],
                          conn.execute("SELECT * FROM policy_levels WHERE level = ?",
                                       (level,)).fetchone(), strict=True))
        assignments = ", ".join(f"{key} = ?" for key in checked)
        conn.execute(f"UPDATE policy_levels SET {assignments} WHERE level = ?",
                     (*checked.values(), level))
        if "first_contact_minutes" in checked:
            conn.execute(f"UPDATE warnings SET deadline = {rules.DEADLINE_START_SQL} + ? "
                         "WHERE risk_level = ? AND first_attempt_at IS NULL "
                         "AND status IN ('new', 'claimed', 'retry')",
                         (checked["first_contact_minutes"] * 60.0, level))
        bump_version(conn)
        audit.append(conn, user, "policy.update", "policy", None,
                     {"level": level, "from": {k: before[k] for k in checked}, "to": checked},
                     now=now)


def bump_version(conn: sqlite3.Connection) -> None:
    """Every policy change counts up a version, so that other connections' caches reload."""
    conn.execute("INSERT INTO settings (key, value) VALUES ('policy_version', '1') "
                 "ON CONFLICT (key) DO UPDATE SET "
                 "value = CAST(CAST(settings.value AS INTEGER) + 1 AS TEXT)")


def update_settings(conn: sqlite3.Connection, changes: dict[str, Any], *, user: str,
                    now: float | None = None) -> None:
    """Change centre-wide settings (dissuade.domain.settings): each checked by its declaration
    (InvalidInput names the first refused), stored as the declaration says, and audited."""
    checked = spec.check(changes)
    if not checked:
        return
    with write(conn):
        stored = policy_rows.rows(conn)
        rows = spec.rows_for(checked, stored)
        conn.executemany("INSERT INTO settings (key, value) VALUES (?, ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                         [(k, json.dumps(v, ensure_ascii=False)) for k, v in rows.items()])
        bump_version(conn)
        audit.append(conn, user, "policy.settings", "policy", None,
                     {"from": {k: stored.get(k) for k in rows}, "to": rows}, now=now)
        if {"centres", "default_centre"} & set(checked):
            from dissuade.store import centres

            centres.reroute(conn, policy_rows.load(conn), user=user,
                            now=timeutil.now() if now is None else now)


class PolicyStore(StoreBase):
    """A lead changes the policy; every connection sees the change at its next read."""

    def update_level_policy(self, level: str, changes: dict[str, Any], *, user: str) -> Policy:
        """A lead changes one level's policy; returns the policy now in force."""
        update_level(self.conn, level, changes, user=user)
        return self._forget_policy()

    def update_settings(self, changes: dict[str, Any], *, user: str) -> Policy:
        """A lead changes centre-wide settings; returns the policy now in force."""
        update_settings(self.conn, changes, user=user)
        return self._forget_policy()
