"""A warning changed by hand while it is worked: its scam type (the cues said it is another
scam) and its level (more urgent, never less). Audited, with the reason."""

from __future__ import annotations

import sqlite3

from dissuade.domain import limits, rules, timeutil
from dissuade.domain.codes import RiskLevel, ScamType
from dissuade.domain.errors import Conflict, InvalidInput
from dissuade.domain.models import Warning
from dissuade.store import audit, cases
from dissuade.store.connection import write


def retype(conn: sqlite3.Connection, warning_id: int, *, scam_type: str, reason: str,
           user: str, now: float | None = None) -> str:
    """Change a warning's scam type (the cues said it is another scam); returns the old type."""
    try:
        code = ScamType(scam_type).value
    except ValueError:
        raise InvalidInput(f"未知诈骗类型 / unknown scam type: {scam_type!r}",
                           field="scam_type") from None
    if not isinstance(reason, str) or len(reason) > 2000:
        raise InvalidInput("原因过长 / reason must be under 2,000 characters", field="reason")
    limits.check_text(reason, field="reason")
    with write(conn):
        (old,) = conn.execute("SELECT scam_type FROM warnings WHERE id = ?",
                              (warning_id,)).fetchone()
        conn.execute("UPDATE warnings SET scam_type = ? WHERE id = ?", (code, warning_id))
        audit.append(conn, user, "warning.retype", "warning", warning_id,
                     {"from": old, "to": code, "reason": reason}, now=now)
    return str(old)


def raise_level(conn: sqlite3.Connection, warning_id: int, *, level: str, reason: str,
                user: str, limit_minutes: float, now: float | None = None) -> None:
    """Make a warning more urgent (never less): its place in the queue and its deadline move."""
    try:
        new = RiskLevel(level)
    except ValueError:
        raise InvalidInput(f"未知预警等级 / unknown risk level: {level!r}", field="level") from None
    reason = limits.check_text(reason, field="reason", required=True)
    with write(conn):
        row = conn.execute("SELECT risk_level FROM warnings WHERE id = ?", (warning_id,)).fetchone()
        old = RiskLevel(row[0])
        if new.rank >= old.rank:
            raise Conflict(f"只能提高等级 / the level can only be raised: it is {old.value}")
        sooner = f"{rules.DEADLINE_START_SQL} + ?"
        conn.execute("UPDATE warnings SET risk_level = ?, level_rank = ?, deadline = "
                     f"CASE WHEN deadline < {sooner} THEN deadline ELSE {sooner} END "
                     "WHERE id = ?",
                     (new.value, new.rank, limit_minutes * 60.0, limit_minutes * 60.0,
                      warning_id))
        audit.append(conn, user, "warning.raise_level", "warning", warning_id,
                     {"from": old.value, "to": new.value, "reason": reason.strip()},
                     now=timeutil.now() if now is None else now)



class WarningEditsStore(cases.CasesStore):
    """The officer on the call (or a lead) corrects what the feed said."""

    def retype_warning(self, warning_id: int, *, scam_type: str, reason: str, user: str,
                       now: float | None = None) -> Warning:
        """The officer on the call found it is another scam: change the type (audited)."""
        now = timeutil.now() if now is None else now
        with write(self.conn):
            self._check_may_change(warning_id, user=user, now=now)
            retype(self.conn, warning_id, scam_type=scam_type, reason=reason, user=user,
                   now=now)
        return cases.get(self.conn, warning_id)

    def raise_level(self, warning_id: int, *, level: str, reason: str, user: str,
                    now: float | None = None) -> Warning:
        """Make a warning more urgent, with a reason, in one action."""
        now = timeutil.now() if now is None else now
        limit = self.policy().level(RiskLevel(level).value).first_contact_minutes \
            if level in {lv.value for lv in RiskLevel} else 0.0
        with write(self.conn):
            self._check_may_change(warning_id, user=user, now=now)
            raise_level(self.conn, warning_id, level=level, reason=reason, user=user,
                        limit_minutes=limit, now=now)
        return cases.get(self.conn, warning_id)
