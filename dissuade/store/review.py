"""The lead's review: finding warnings by shift, officer, outcome, type and level; quality marks
on handled calls; revealing a masked field; a warning's full history."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from dissuade.domain import limits, phones, privacy, timeutil
from dissuade.domain.codes import LEVELS, Outcome, ScamType, Status
from dissuade.domain.errors import Conflict, InvalidInput, NotFound
from dissuade.domain.models import Found, Review
from dissuade.store import audit, cases, dialect, rows
from dissuade.store.base import StoreBase
from dissuade.store.connection import write

FIND_MAX = 500
FILTERS = ("start", "end", "officer", "outcome", "scam_type", "risk_level", "status", "q")


REVIEW_COLUMNS = "id, attempt_id, warning_id, reviewer, verdict, comment, reviewed_at"


def _check_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise InvalidInput(f"未知筛选条件 / unknown filter: {unknown[0]}", field=unknown[0])
    f = {k: v for k, v in filters.items() if v not in (None, "")}
    for key, allowed in (("outcome", {o.value for o in Outcome}),
                         ("scam_type", {s.value for s in ScamType}),
                         ("risk_level", {lv.value for lv in LEVELS}),
                         ("status", {s.value for s in Status})):
        if key in f and f[key] not in allowed:
            raise InvalidInput(f"筛选值无效 / unknown {key}: {f[key]!r}", field=key)
    if "start" in f and "end" in f and f["end"] <= f["start"]:
        raise InvalidInput("结束时间应晚于开始时间 / 'to' must be after 'from'", field="to")
    return f


def find(conn: sqlite3.Connection, filters: Mapping[str, Any], *, limit: int = 100,
         offset: int = 0) -> tuple[int, list[Found]]:
    """(how many match, one page of them newest first).

    A period matches warnings that arrived in it or had a call recorded in it; `officer` those
    that officer called (in the period, if one is given); `outcome` the latest outcome; `q` a
    warning id, a feed's id or a phone number in any written form.
    """
    if not 1 <= limit <= FIND_MAX:
        raise InvalidInput(f"limit 应在 1 到 {FIND_MAX} 之间 / limit must be 1-{FIND_MAX}",
                           field="limit")
    f = _check_filters(filters)
    where: list[str] = []
    params: list[object] = []
    start, end = f.get("start"), f.get("end")
    span = ["recorded_at >= ?" if start is not None else "", "recorded_at < ?" if end is not None
            else ""]
    span_sql = " AND ".join(s for s in span if s)
    span_params = [v for v in (start, end) if v is not None]
    if "officer" in f:
        where.append("id IN (SELECT warning_id FROM attempts WHERE officer = ?"
                     + (f" AND {span_sql}" if span_sql else "") + ")")
        params += [f["officer"], *span_params]
    elif span_sql:
        # A UNION of two covering-index scans: an OR of the two would read table rows for both.
        arrived = span_sql.replace("recorded_at", "arrived_at")
        where.append(f"id IN (SELECT id FROM warnings WHERE {arrived} UNION "
                     f"SELECT warning_id FROM attempts WHERE {span_sql})")
        params += [*span_params, *span_params]
    for key, column in (("outcome", "last_outcome"), ("scam_type", "scam_type"),
                        ("risk_level", "risk_level"), ("status", "status")):
        if key in f:
            where.append(f"{column} = ?")
            params.append(f[key])
    if "q" in f:
        where.append(_query_clause(str(f["q"]).strip(), params))
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    if span_sql or "q" in f:
        # A bounded set (a period, a number): find every match once, count it, read one page.
        ids = [int(i) for (i,) in conn.execute(
            f"SELECT id FROM warnings {clause} ORDER BY arrived_at DESC, id DESC", params)]
        total, page = len(ids), ids[max(0, offset):max(0, offset) + limit]
        marks = ", ".join("?" for _ in page)
        by_id = {int(r[0]): rows.warning(r) for r in conn.execute(
            f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE id IN ({marks})", page)} \
            if page else {}
        warnings = [by_id[i] for i in page if i in by_id]
    else:
        (total,) = conn.execute(f"SELECT count(*) FROM warnings {clause}", params).fetchone()
        found = conn.execute(
            f"SELECT {rows.WARNING_COLUMNS} FROM warnings {clause} ORDER BY arrived_at DESC, "
            "id DESC LIMIT ? OFFSET ?", (*params, limit, max(0, offset))).fetchall()
        warnings = [rows.warning(r) for r in found]
    summary = _summaries(conn, [int(w.id) for w in warnings])
    return int(total), [Found(w, *summary.get(int(w.id), (0, None, None, None)))
                        for w in warnings]


def _query_clause(text: str, params: list[object]) -> str:
    """One box for whatever the lead has to hand: an id, the feed's id, or a phone."""
    options = ["external_id = ?"]
    params.append(text)
    if text.isdigit() and len(text) <= 12:
        options.append("id = ?")
        params.append(int(text))
    try:
        phone = phones.normalise(text)
    except InvalidInput:
        pass
    else:
        options.append("phone = ?")
        params.append(phone)
    return "(" + " OR ".join(options) + ")"


def _summaries(conn: sqlite3.Connection,
               ids: list[int]) -> dict[int, tuple[int, str | None, float | None, str | None]]:
    if not ids:
        return {}
    marks = ", ".join("?" for _ in ids)
    out: dict[int, tuple[int, str | None, float | None, str | None]] = {}
    for wid, n, officer, at in conn.execute(
            "SELECT a.warning_id, c.n, a.officer, a.recorded_at FROM attempts a JOIN "
            "(SELECT warning_id, count(*) AS n, max(id) AS latest FROM attempts "
            f"WHERE warning_id IN ({marks}) GROUP BY warning_id) c ON a.id = c.latest", ids):
        out[int(wid)] = (int(n), officer, at, None)
    for wid, verdict in conn.execute(
            f"SELECT warning_id, verdict FROM reviews WHERE id IN (SELECT max(id) FROM reviews "
            f"WHERE warning_id IN ({marks}) GROUP BY warning_id)", ids):
        n, officer, at, _ = out.get(int(wid), (0, None, None, None))
        out[int(wid)] = (n, officer, at, verdict)
    return out


def review_attempt(conn: sqlite3.Connection, attempt_id: int, *, verdict: str, comment: str,
                   user: str, now: float | None = None) -> Review:
    """A lead's quality mark on a handled call: pass or fail with a comment (audited)."""
    if verdict not in ("pass", "fail"):
        raise InvalidInput(f"复核结论应为 pass 或 fail / verdict must be pass or fail: "
                           f"{verdict!r}", field="verdict")
    if not isinstance(comment, str) or len(comment) > 2000:
        raise InvalidInput("意见过长 / comment must be text under 2,000 characters",
                           field="comment")
    limits.check_text(comment, field="comment")
    if verdict == "fail" and not comment.strip():
        raise InvalidInput("不合格须写明原因 / a fail needs a comment saying why",
                           field="comment")
    now = timeutil.now() if now is None else now
    with write(conn):
        row = conn.execute("SELECT warning_id, officer FROM attempts WHERE id = ?",
                           (attempt_id,)).fetchone()
        if row is None:
            raise NotFound(f"没有该处置记录 / no attempt with id {attempt_id}")
        warning_id, officer = row
        if officer == user:
            raise Conflict("不能复核自己的通话 / you cannot review your own call")
        cur = conn.execute(
            "INSERT INTO reviews (attempt_id, warning_id, reviewer, verdict, comment, "
            "reviewed_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (attempt_id, warning_id, user, verdict, comment.strip(), now))
        (review_id,) = cur.fetchone()
        audit.append(conn, user, f"review.{verdict}", "warning", warning_id,
                     {"attempt_id": attempt_id, "officer": officer, "comment": comment.strip()},
                     now=now)
    return reviews_of(conn, int(warning_id), review_id=int(review_id))[0]


def reviews_of(conn: sqlite3.Connection, warning_id: int, *,
               review_id: int | None = None) -> list[Review]:
    extra, params = ("AND id = ?", (warning_id, review_id)) if review_id else ("", (warning_id,))
    return [Review(*r) for r in conn.execute(
        f"SELECT {REVIEW_COLUMNS} FROM reviews WHERE warning_id = ? {extra} "
        "ORDER BY reviewed_at, id", params)]


REVEALABLE = privacy.REVEALABLE
REASON_MAX = 500
# Audit details holding text someone typed (masked on the way out like notes).
AUDIT_TEXT_KEYS = tuple(sorted(privacy.AUDIT_TEXT_KEYS))


def reveal(conn: sqlite3.Connection, warning_id: int, *, field: str, reason: str, user: str,
           holder_only: bool, now: float | None = None) -> list[str]:
    """The whole value of a masked field, recorded in the audit with who, why and when (the
    value itself is never written there). `holder_only`: only while the user holds the claim.

    `cards`: the warning's card numbers; `id_number`: its ID number (one item, or none);
    `notes`: every free text about the warning, whole (see `free_texts`).
    """
    if field not in REVEALABLE:
        raise InvalidInput(f"只能查看银行卡号、身份证号或备注 / only cards, id_number or notes can "
                           f"be revealed, not {str(field)[:40]!r}", field="field")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > REASON_MAX:
        raise InvalidInput("请填写查看原因 / give a reason for revealing it", field="reason")
    reason = limits.check_text(reason, field="reason", limit=REASON_MAX, required=True)
    now = timeutil.now() if now is None else now
    with write(conn):
        row = conn.execute("SELECT cards, id_number, claimed_by, lease_until FROM warnings "
                           "WHERE id = ?", (warning_id,)).fetchone()
        if row is None:
            raise NotFound(f"预警不存在 / no warning with id {warning_id}")
        cards, id_number, holder, lease = row
        if holder_only and not (holder == user and (lease or 0) > now):
            raise Conflict(f"只有正在处置预警 {warning_id} 的民警可以查看 / only the officer "
                           f"holding warning {warning_id} may reveal it", holder=holder)
        audit.append(conn, user, "warning.reveal", "warning", warning_id,
                     {"field": field, "reason": reason}, now=now)
        if field == "notes":
            return free_texts(conn, warning_id, lead=not holder_only)
    if field == "cards":
        return list(json.loads(cards or "[]"))
    return [id_number] if id_number else []


def free_texts(conn: sqlite3.Connection, warning_id: int, *, lead: bool) -> list[str]:
    """Every text typed about the warning, whole, each as "<where>: <text>".

    The warning's own `notes` first ("warning notes: ..."), then in the order they were written:
    "attempt <id> notes", "escalation <id> reason", "escalation <id> decision note",
    "escalation <id> step <status> note", "sms <id> text", and for a lead (who may read them
    masked anyway) "review <id> comment" and "audit <id> <key>" (a reason, note or comment in an
    audit row about the warning or its escalations). Empty texts and repeats of a text already
    listed (a proposal's reason is also its first step's note) are left out.
    """
    found: list[tuple[float, int, str, str]] = []  # (when, order, where, text)
    (notes,) = conn.execute("SELECT notes FROM warnings WHERE id = ?", (warning_id,)).fetchone()
    found.append((float("-inf"), 0, "warning notes", notes or ""))
    for id_, text, at in conn.execute(
            "SELECT id, notes, recorded_at FROM attempts WHERE warning_id = ?", (warning_id,)):
        found.append((at, 1, f"attempt {id_} notes", text))
    escalation_ids = []
    for id_, text, at, note, decided_at in conn.execute(
            "SELECT id, reason, proposed_at, decision_note, decided_at FROM escalations "
            "WHERE warning_id = ?", (warning_id,)):
        escalation_ids.append(int(id_))
        found.append((at, 2, f"escalation {id_} reason", text))
        found.append((decided_at or at, 3, f"escalation {id_} decision note", note or ""))
    if escalation_ids:
        marks = ", ".join("?" for _ in escalation_ids)
        for id_, status, text, at in conn.execute(
                f"SELECT escalation_id, status, note, at FROM escalation_steps "
                f"WHERE escalation_id IN ({marks})", escalation_ids):
            found.append((at, 4, f"escalation {id_} step {status} note", text))
    for id_, text, at in conn.execute(
            "SELECT id, text, sent_at FROM messages WHERE warning_id = ?", (warning_id,)):
        found.append((at, 5, f"sms {id_} text", text))
    if lead:
        for id_, text, at in conn.execute(
                "SELECT id, comment, reviewed_at FROM reviews WHERE warning_id = ?",
                (warning_id,)):
            found.append((at, 6, f"review {id_} comment", text))
        for entry in history_trail(conn, warning_id):
            for key in AUDIT_TEXT_KEYS:
                value = entry.detail.get(key) if isinstance(entry.detail, dict) else None
                if isinstance(value, str):
                    found.append((entry.at, 7, f"audit {entry.id} {key}", value))
    out: list[str] = []
    seen: set[str] = set()
    for _at, _order, where, text in sorted(found, key=lambda f: (f[0], f[1])):
        text = (text or "").strip()
        if text and text not in seen:
            seen.add(text)
            out.append(f"{where}: {text}")
    return out


def record_view(conn: sqlite3.Connection, warning_id: int, *, user: str, purpose: str,
                now: float | None = None) -> None:
    """Opening a warning's full history is itself recorded (who saw what)."""
    with write(conn):
        audit.append(conn, user, "warning.view", "warning", warning_id, {"purpose": purpose},
                     now=now)


def history_trail(conn: sqlite3.Connection, warning_id: int) -> list[audit.Entry]:
    """Every audit row about the warning and its escalations, oldest first."""
    escalation_ids = [int(i) for (i,) in conn.execute(
        "SELECT id FROM escalations WHERE warning_id = ?", (warning_id,))]
    entries = audit.trail(conn, entity="warning", entity_id=warning_id)
    first = dialect.json_number(conn, "detail", "first_id")
    # A warning that came in with a batch (a feed's batch, an import) has no row of its own: the
    # batch's one row names the ids it created (first_id, created; they are consecutive). Without
    # it the history of most warnings would not say who brought them in, or when.
    entries += [audit._entry(r) for r in conn.execute(
        f"SELECT {audit.COLUMNS}, hash FROM audit WHERE entity = 'warning' "
        "AND entity_id IS NULL AND action = 'warning.import' "
        f"AND {first} <= ? AND {first} + {dialect.json_number(conn, 'detail', 'created')} > ?",
        (warning_id, warning_id))]
    for eid in escalation_ids:
        entries += audit.trail(conn, entity="escalation", entity_id=eid)
    return sorted(entries, key=lambda e: e.id)


class ReviewStore(StoreBase):
    """A lead's review of handled calls, and revealing what is masked (recorded)."""

    def find_warnings(self, filters: Mapping[str, Any], *, limit: int = 100,
                      offset: int = 0) -> tuple[int, list[Found]]:
        return find(self.conn, filters, limit=limit, offset=offset)

    def review_attempt(self, attempt_id: int, *, verdict: str, comment: str = "", user: str,
                       now: float | None = None) -> Review:
        return review_attempt(self.conn, attempt_id, verdict=verdict, comment=comment,
                              user=user, now=now)

    def reviews(self, warning_id: int) -> list[Review]:
        return reviews_of(self.conn, warning_id)

    def reveal(self, warning_id: int, *, field: str, reason: str, user: str,
               holder_only: bool, now: float | None = None) -> list[str]:
        return reveal(self.conn, warning_id, field=field, reason=reason, user=user,
                      holder_only=holder_only, now=now)

    def record_view(self, warning_id: int, *, user: str, purpose: str = "history",
                    now: float | None = None) -> None:
        cases.get(self.conn, warning_id)
        record_view(self.conn, warning_id, user=user, purpose=purpose, now=now)

    def history_trail(self, warning_id: int) -> list[audit.Entry]:
        return history_trail(self.conn, warning_id)
