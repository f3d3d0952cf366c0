"""Changing centre policy (per-level limits, retries, escalation, lease) and a warning's level."""

from __future__ import annotations

import sqlite3
from typing import Any

from dissuade import timeutil
from dissuade.codes import EscalationKind, RiskLevel
from dissuade.errors import Conflict, InvalidInput
from dissuade.store import audit
from dissuade.store.connection import write

# field: (lowest, highest) in its unit; minutes unless it is a count.
LIMITS: dict[str, tuple[float, float]] = {
    "first_contact_minutes": (1, 7 * 24 * 60),
    "retry_no_answer_minutes": (0, 24 * 60),
    "retry_busy_minutes": (0, 24 * 60),
    "retry_powered_off_minutes": (0, 24 * 60),
    "max_failed_attempts": (1, 50),
    "lease_minutes": (1, 240),
}


def check_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The changes, checked: each field known and in its range; InvalidInput names the field."""
    checked: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "after_max":
            try:
                checked[key] = EscalationKind(value).value
            except ValueError:
                raise InvalidInput(f"未知升级方式 / unknown escalation kind: {value!r}",
                                   field=key) from None
            continue
        if key not in LIMITS:
            raise InvalidInput(f"未知策略字段 / unknown policy field: {key}", field=key)
        low, high = LIMITS[key]
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not low <= value <= high:
            raise InvalidInput(f"{key} 应在 {low:g} 到 {high:g} 之间 / {key} must be between "
                               f"{low:g} and {high:g}: {value!r}", field=key)
        if key == "max_failed_attempts" and int(value) != value:
            raise InvalidInput("失败次数应为整数 / max_failed_attempts must be whole", field=key)
        checked[key] = int(value) if key == "max_failed_attempts" else float(value)
    return checked


def update_level(conn: sqlite3.Connection, level: str, changes: dict[str, Any], *, user: str,
                 now: float | None = None) -> None:
    """Change one level's policy. A new first-contact limit moves the deadlines of that level's
    warnings still waiting for first contact (the limit is policy, not history)."""
    try:
        RiskLevel(level)
    except ValueError:
        raise InvalidInput(f"未知预警等级 / unknown risk level: {level!r}", field="level") from None
    checked = check_changes(changes)
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
            conn.execute("UPDATE warnings SET deadline = coalesce(reported_at, arrived_at) + ? "
                         "WHERE risk_level = ? AND first_attempt_at IS NULL "
                         "AND status IN ('new', 'claimed', 'retry')",
                         (checked["first_contact_minutes"] * 60.0, level))
        audit.append(conn, user, "policy.update", "policy", None,
                     {"level": level, "from": {k: before[k] for k in checked}, "to": checked},
                     now=now)


def raise_level(conn: sqlite3.Connection, warning_id: int, *, level: str, reason: str,
                user: str, limit_minutes: float, now: float | None = None) -> None:
    """Make a warning more urgent (never less): its place in the queue and its deadline move."""
    try:
        new = RiskLevel(level)
    except ValueError:
        raise InvalidInput(f"未知预警等级 / unknown risk level: {level!r}", field="level") from None
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 2000:
        raise InvalidInput("请填写提级原因 / a reason is required", field="reason")
    with write(conn):
        row = conn.execute("SELECT risk_level FROM warnings WHERE id = ?", (warning_id,)).fetchone()
        old = RiskLevel(row[0])
        if new.rank >= old.rank:
            raise Conflict(f"只能提高等级 / the level can only be raised: it is {old.value}")
        conn.execute("UPDATE warnings SET risk_level = ?, level_rank = ?, deadline = "
                     "min(deadline, coalesce(reported_at, arrived_at) + ?) WHERE id = ?",
                     (new.value, new.rank, limit_minutes * 60.0, warning_id))
        audit.append(conn, user, "warning.raise_level", "warning", warning_id,
                     {"from": old.value, "to": new.value, "reason": reason.strip()},
                     now=timeutil.now() if now is None else now)
