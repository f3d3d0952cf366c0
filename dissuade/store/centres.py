"""Centres: a province hub's warnings routed to centres by district, a person's case kept in one
centre, a lead handing a warning to another centre, and the re-routing a changed map makes.

With no `centres` in the policy everything is one centre ("" everywhere) and nothing here
changes anything. Who sees which centre is part of the queue's one definition
(`queue.IN_CENTRE`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence

from dissuade.domain import limits
from dissuade.domain.errors import Conflict, InvalidInput, NotFound
from dissuade.domain.models import Warning
from dissuade.domain.policy import Policy
from dissuade.store import audit, rows
from dissuade.store.base import StoreBase, now_or
from dissuade.store.connection import write
from dissuade.store.schema import OPEN


def codes(policy: Policy) -> set[str]:
    """The centre codes the policy names."""
    return set(policy.centres.values()) | ({policy.default_centre} - {""})


def route(policy: Policy, *, district: str, given: str = "") -> str:
    """The centre a new warning goes to: a valid `centre` from the feed beats the district; a
    district not mapped goes to the policy's `default_centre`; no centres, no centre."""
    if not policy.centres:
        return ""
    if given and given in codes(policy):
        return given
    return policy.centres.get(district, policy.default_centre)


def follow_person(conn: sqlite3.Connection, new_by_phone: Mapping[str, Sequence[int]], *,
                  policy: Policy, actor: str, now: float) -> None:
    """Inside a write: a person's case belongs to the centre of their first open warning, so a
    new warning of theirs routed elsewhere follows it (audited as an automatic transfer). A few
    queries for a whole batch; none with one centre."""
    if not policy.centres or not new_by_phone:
        return
    phones = sorted(new_by_phone)
    for start in range(0, len(phones), 800):
        chunk = phones[start:start + 800]
        marks = ", ".join("?" for _ in chunk)
        first: dict[str, str] = {}
        centre_of_id: dict[int, str] = {}
        for wid, phone, centre in conn.execute(
                f"SELECT id, phone, centre FROM warnings WHERE phone IN ({marks}) AND {OPEN} "
                "ORDER BY id", chunk):
            first.setdefault(str(phone), str(centre))
            centre_of_id[int(wid)] = str(centre)
        for phone in chunk:
            for warning_id in new_by_phone[phone]:
                was, wanted = centre_of_id.get(warning_id), first.get(phone)
                if was is None or wanted is None or was == wanted:
                    continue
                conn.execute("UPDATE warnings SET centre = ? WHERE id = ?", (wanted, warning_id))
                audit.append(conn, actor, "warning.transfer", "warning", warning_id,
                             {"from": was, "to": wanted, "automatic": True,
                              "reason": "同一人的案件归属首条预警的中心 / the person's case "
                                        "stays with their first warning's centre"}, now=now)


def transfer(conn: sqlite3.Connection, policy: Policy, warning_id: int, *, centre: str,
             reason: str, user: str, now: float) -> Warning:
    """Hand a warning (with the person's other open warnings: one case) to another centre. The
    claim ends (the other centre calls), `me` reservations lapse, escalations go along (they
    hang on the warnings)."""
    reason = limits.check_text(reason, field="reason", required=True).strip()
    if not policy.centres:
        raise Conflict("未设置多中心，无法转交 / this hub has one centre: nothing to transfer to")
    if centre not in codes(policy):
        known = ", ".join(sorted(codes(policy)))
        raise InvalidInput(f"未知中心代码 / unknown centre {centre!r} (one of {known})",
                           field="centre")
    with write(conn):
        row = conn.execute("SELECT phone, centre, status FROM warnings WHERE id = ?",
                           (warning_id,)).fetchone()
        if row is None:
            raise NotFound(f"没有该预警 / no warning {warning_id}")
        phone, was, status = row
        if status == "closed":
            raise Conflict("预警已结案 / the warning is closed")
        if was == centre:
            raise Conflict(f"预警已属于中心 {centre} / the warning is already centre {centre}'s")
        ids = [int(i) for (i,) in conn.execute(
            f"SELECT id FROM warnings WHERE phone = ? AND ({OPEN} OR status = 'escalated') "
            "ORDER BY id", (phone,))]
        marks = ", ".join("?" for _ in ids)
        conn.execute(
            f"UPDATE warnings SET centre = ?, claimed_by = NULL, lease_until = NULL, "
            f"reserved_for = NULL, reserved_until = NULL, reserve_sticky = 0, "
            f"status = CASE WHEN status = 'claimed' THEN "
            f"CASE WHEN fresh = 1 THEN 'new' ELSE 'retry' END ELSE status END, "
            f"available_at = CASE WHEN status = 'claimed' THEN ? ELSE available_at END "
            f"WHERE id IN ({marks})", (centre, now, *ids))
        for wid in ids:
            audit.append(conn, user, "warning.transfer", "warning", wid,
                         {"from": was, "to": centre, "reason": reason,
                          "with": warning_id if wid != warning_id else None}, now=now)
        out = conn.execute(f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE id = ?",
                           (warning_id,)).fetchone()
    return rows.warning(out)


def reroute(conn: sqlite3.Connection, policy: Policy, *, user: str, now: float) -> int:
    """Inside the write that changed `centres` or `default_centre`: open warnings go to the
    centre the new map gives their district, then each person's to their first open warning's
    centre. Claims are left alone (the officer on the call finishes it). The count moved."""
    moved = 0
    for warning_id, was, phone in conn.execute(
            f"SELECT id, centre, phone FROM warnings WHERE {OPEN} OR "
            "status = 'escalated' ORDER BY id").fetchall():
        first = conn.execute(
            f"SELECT id, district FROM warnings WHERE phone = ? AND ({OPEN} OR "
            "status = 'escalated') ORDER BY id LIMIT 1", (phone,)).fetchone()
        centre = route(policy, district=str(first[1]))
        if centre != was:
            conn.execute("UPDATE warnings SET centre = ? WHERE id = ?", (centre, warning_id))
            moved += 1
    if moved:
        audit.append(conn, user, "warning.reroute", "warning", None,
                     {"moved": moved, "centres": policy.centres,
                      "default_centre": policy.default_centre}, now=now)
    return moved


def centre_of(conn: sqlite3.Connection, user: str) -> str:
    row = conn.execute("SELECT centre FROM users WHERE name = ?", (user,)).fetchone()
    return "" if row is None else str(row[0])


class CentresStore(StoreBase):
    """A province hub's centres."""

    def transfer(self, warning_id: int, *, centre: str, reason: str, user: str,
                 now: float | None = None) -> Warning:
        """Hand a warning (and the person's other open warnings) to another centre."""
        return transfer(self.conn, self.policy(), warning_id, centre=centre, reason=reason,
                        user=user, now=now_or(now))

    def centre_figures(self, *, start: float, end: float) -> dict[str, dict[str, int]]:
        """Per centre: warnings received in the period, open now, dissuaded in the period."""
        out: dict[str, dict[str, int]] = {}
        for centre, received in self.conn.execute(
                "SELECT centre, count(*) FROM warnings WHERE arrived_at >= ? AND arrived_at < ? "
                "GROUP BY centre", (start, end)):
            out.setdefault(str(centre), {})["received"] = int(received)
        for centre, n in self.conn.execute(
                f"SELECT centre, count(*) FROM warnings WHERE {OPEN} GROUP BY centre"):
            out.setdefault(str(centre), {})["open"] = int(n)
        for centre, n in self.conn.execute(
                "SELECT centre, count(*) FROM warnings WHERE last_outcome = 'dissuaded' "
                "AND last_outcome_at >= ? AND last_outcome_at < ? GROUP BY centre", (start, end)):
            out.setdefault(str(centre), {})["dissuaded"] = int(n)
        return {c: {k: v.get(k, 0) for k in ("received", "open", "dissuaded")}
                for c, v in sorted(out.items())}


__all__ = ["CentresStore", "codes", "route", "follow_person", "transfer", "reroute",
           "centre_of"]
