"""Changing centre policy (per-level limits, retries, escalation, lease) and a warning's level."""

from __future__ import annotations

import sqlite3
from typing import Any

from dissuade.domain import rules, timeutil
from dissuade.domain.codes import EscalationKind, RiskLevel
from dissuade.domain.errors import Conflict, InvalidInput
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
            raise InvalidInput(f"未知策略字段 / unknown policy field: {str(key)[:64]}",
                               field=str(key)[:64])
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
                 "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")


def raise_level(conn: sqlite3.Connection, warning_id: int, *, level: str, reason: str,
                user: str, limit_minutes: float, now: float | None = None) -> None:
    """Make a warning more urgent (never less): its place in the queue and its deadline move."""
    try:
        new = RiskLevel(level)
    except ValueError:
        raise InvalidInput(f"未知预警等级 / unknown risk level: {level!r}", field="level") from None
    from dissuade.domain import limits

    reason = limits.check_text(reason, field="reason", required=True)
    with write(conn):
        row = conn.execute("SELECT risk_level FROM warnings WHERE id = ?", (warning_id,)).fetchone()
        old = RiskLevel(row[0])
        if new.rank >= old.rank:
            raise Conflict(f"只能提高等级 / the level can only be raised: it is {old.value}")
        conn.execute("UPDATE warnings SET risk_level = ?, level_rank = ?, deadline = "
                     f"min(deadline, {rules.DEADLINE_START_SQL} + ?) WHERE id = ?",
                     (new.value, new.rank, limit_minutes * 60.0, warning_id))
        audit.append(conn, user, "warning.raise_level", "warning", warning_id,
                     {"from": old.value, "to": new.value, "reason": reason.strip()},
                     now=timeutil.now() if now is None else now)


SETTING_LIMITS: dict[str, tuple[float, float]] = {
    "hold_hours": (1, 7 * 24),
    "chase_calls": (1, 20),
    "chase_interval_minutes": (1, 24 * 60),
    "callback_grace_minutes": (0, 24 * 60),
    "callback_horizon_days": (1, 90),
}
FLAGS = ("self_approval",)
SETTINGS = (*SETTING_LIMITS, *FLAGS, "stations", "shift_starts", "grading")


def _number(key: str, value: Any) -> float:
    low, high = SETTING_LIMITS[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise InvalidInput(f"{key} 应在 {low:g} 到 {high:g} 之间 / {key} must be between "
                           f"{low:g} and {high:g}: {value!r}", field=key)
    if key == "chase_calls" and int(value) != value:
        raise InvalidInput("追呼次数应为整数 / chase_calls must be whole", field=key)
    return float(value)


def _stations(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or len(value) > 500:
        raise InvalidInput("辖区派出所应为 {辖区: 派出所} / stations must map districts to "
                           "stations (at most 500)", field="stations")
    out = {}
    for district, station in value.items():
        if not isinstance(district, str) or not isinstance(station, str) \
                or not district.strip() or not station.strip() \
                or len(district) > 100 or len(station) > 200:
            raise InvalidInput(f"辖区或派出所无效 / invalid district or station: {district!r}",
                               field="stations")
        out[district.strip()] = station.strip()
    return out


def _shift_starts(value: Any) -> list[int]:
    if not isinstance(value, list) or not 1 <= len(value) <= 6 or not all(
            isinstance(h, int) and not isinstance(h, bool) and 0 <= h <= 23 for h in value):
        raise InvalidInput("交班时间应为 1 至 6 个 0-23 的整点 / shift_starts must be 1-6 whole "
                           "hours from 0 to 23", field="shift_starts")
    return sorted(set(value))


def _grading(value: Any) -> dict[str, str]:
    from dissuade.domain.codes import ScamType

    if not isinstance(value, dict):
        raise InvalidInput("分级表应为 {诈骗类型: 等级} / grading must map scam types to levels",
                           field="grading")
    out = {}
    for scam, level in value.items():
        try:
            out[ScamType(scam).value] = RiskLevel(level).value
        except ValueError:
            raise InvalidInput(f"分级表无效 / invalid grading entry: {scam!r} -> {level!r}",
                               field="grading") from None
    return out


def update_settings(conn: sqlite3.Connection, changes: dict[str, Any], *, user: str,
                    now: float | None = None) -> None:
    """Change centre-wide settings: the stop-payment hold, the chase-call plan, the stations
    door visits go to, the shift handover hours and the grading table. Checked and audited."""
    import json

    checked: dict[str, Any] = {}
    for key, value in changes.items():
        if key in SETTING_LIMITS:
            checked[key] = _number(key, value)
        elif key == "stations":
            checked[key] = _stations(value)
        elif key == "shift_starts":
            checked[key] = _shift_starts(value)
        elif key == "grading":
            checked[key] = _grading(value)
        elif key in FLAGS:
            if not isinstance(value, bool):
                raise InvalidInput(f"{key} 应为 true 或 false / {key} must be true or false",
                                   field=key)
            checked[key] = value
        else:
            raise InvalidInput(f"未知设置 / unknown setting: {str(key)[:64]}", field=str(key)[:64])
    if not checked:
        return
    with write(conn):
        stored = {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM settings")}
        chase = dict(stored.get("chase") or {"calls": 3, "interval_minutes": 10})
        rows: dict[str, Any] = {}
        for key, value in checked.items():
            if key == "chase_calls":
                chase["calls"] = int(value)
            elif key == "chase_interval_minutes":
                chase["interval_minutes"] = value
            elif key == "grading":
                rows["grading"] = {**stored.get("grading", {}), **value}
            else:
                rows[key] = value
        if "chase_calls" in checked or "chase_interval_minutes" in checked:
            rows["chase"] = chase
        conn.executemany("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                         [(k, json.dumps(v, ensure_ascii=False)) for k, v in rows.items()])
        bump_version(conn)
        audit.append(conn, user, "policy.settings", "policy", None,
                     {"from": {k: stored.get(k) for k in rows}, "to": rows}, now=now)
