"""SMS sent to victims and rehearsal results: the playbook's records."""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any

from dissuade.domain import limits, timeutil
from dissuade.domain.codes import ScamType
from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import Message, RehearsalResult
from dissuade.store import audit, cases
from dissuade.store.base import StoreBase
from dissuade.store.connection import write

log = logging.getLogger(__name__)

VIAS = ("clipboard", "command", "webhook")


MESSAGE_COLUMNS = "id, warning_id, client_id, channel, via, text, result, sent_by, sent_at"
REHEARSAL_COLUMNS = ("id, trainee, scam_type, lang, finished_at, score, points_made, "
                     "points_total, detail")


def _rehearsal(row: tuple[Any, ...]) -> RehearsalResult:
    id_, trainee, scam_type, lang, finished_at, score, made, total, detail = row
    return RehearsalResult(id_, trainee, scam_type, lang, finished_at, score, made, total,
                           _stored_detail(id_, detail))


def _stored_detail(rehearsal_id: int, text: object) -> list[dict[str, Any]]:
    """A stored detail as it may be handed out: one that is not JSON, or that breaks today's
    limits (a row written before them, or by hand), reads as no detail rather than failing every
    list of results it is in."""
    try:
        return limits.check_detail(json.loads(str(text)) if text else [], field="detail")
    except (ValueError, RecursionError, InvalidInput) as exc:
        log.warning("rehearsal %s: stored detail left out (%s)", rehearsal_id,
                    type(exc).__name__)
        return []


def _message(row: tuple[Any, ...]) -> Message:
    return Message(*row)


def messages_of(conn: sqlite3.Connection, warning_id: int) -> tuple[Message, ...]:
    return tuple(_message(r) for r in conn.execute(
        f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE warning_id = ? ORDER BY sent_at, id",
        (warning_id,)))


def record_message(conn: sqlite3.Connection, warning_id: int, *, client_id: str, text: str,
                   via: str, result: str, user: str, now: float | None = None) -> Message:
    if via not in VIAS:
        raise InvalidInput(f"未知发送方式 / unknown way of sending: {via!r} "
                           f"(one of {', '.join(VIAS)})", field="via")
    if not isinstance(text, str) or not text.strip() or len(text) > 1000:
        raise InvalidInput("短信内容应为 1-1000 字 / the text must be 1-1000 characters",
                           field="text")
    limits.check_text(text, field="text", limit=1000)
    limits.check_text(client_id, field="client_id", limit=limits.ID_MAX, required=True)
    # The gateway's answer: kept as far as it fits, but never text the database cannot hold.
    result = limits.check_text(str(result or "")[:limits.TEXT_MAX], field="result",
                               limit=limits.TEXT_MAX)
    now = timeutil.now() if now is None else now
    with write(conn):
        row = conn.execute(f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE client_id = ?",
                           (client_id,)).fetchone()
        if row is not None:
            return _message(row)
        cur = conn.execute(
            "INSERT INTO messages (client_id, warning_id, channel, via, text, result, sent_by, "
            "sent_at) VALUES (?, ?, 'sms', ?, ?, ?, ?, ?) RETURNING id",
            (client_id, warning_id, via, text, result, user, now))
        (message_id,) = cur.fetchone()
        audit.append(conn, user, "message.sms", "warning", warning_id,
                     {"via": via, "result": result[:200]}, now=now)
    row = conn.execute(f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?",
                       (message_id,)).fetchone()
    return _message(row)


def save_rehearsal(conn: sqlite3.Connection, *, trainee: str, scam_type: str, lang: str,
                   points_made: int, points_total: int, detail: list[dict[str, Any]],
                   now: float | None = None) -> RehearsalResult:
    try:
        ScamType(scam_type)
    except ValueError:
        raise InvalidInput(f"未知诈骗类型 / unknown scam type: {scam_type!r}",
                           field="scam_type") from None
    if not (isinstance(points_total, int) and isinstance(points_made, int)
            and 0 <= points_made <= points_total and points_total > 0):
        raise InvalidInput("得分无效 / points_made must be between 0 and points_total (> 0)",
                           field="points_made")
    if points_total > 10_000:
        raise InvalidInput("得分无效 / points_total must be at most 10,000", field="points_total")
    if lang not in ("zh", "en"):
        raise InvalidInput("语言应为 zh 或 en / lang must be zh or en", field="lang")
    detail = limits.check_detail(detail, field="detail")
    now = timeutil.now() if now is None else now
    with write(conn):
        cur = conn.execute(
            "INSERT INTO rehearsals (trainee, scam_type, lang, finished_at, score, points_made, "
            "points_total, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (trainee, scam_type, lang, now, points_made / points_total, points_made,
             points_total, json.dumps(detail, ensure_ascii=False)))
        (rehearsal_id,) = cur.fetchone()
        audit.append(conn, trainee, "rehearsal.finish", "rehearsal", rehearsal_id,
                     {"scam_type": scam_type, "score": round(points_made / points_total, 3)},
                     now=now)
    return rehearsals(conn, rehearsal_id=int(rehearsal_id))[0]


def rehearsals(conn: sqlite3.Connection, *, trainee: str | None = None,
               rehearsal_id: int | None = None, limit: int = 500) -> list[RehearsalResult]:
    where: list[str] = []
    params: list[object] = []
    if trainee is not None:
        where.append("trainee = ?")
        params.append(trainee)
    if rehearsal_id is not None:
        where.append("id = ?")
        params.append(rehearsal_id)
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return [_rehearsal(r) for r in conn.execute(
        f"SELECT {REHEARSAL_COLUMNS} FROM rehearsals {clause} ORDER BY finished_at DESC, id DESC "
        "LIMIT ?", (*params, limit))]


class TrainingStore(StoreBase):
    """SMS warnings sent to victims, and rehearsal results."""

    def record_message(self, warning_id: int, *, client_id: str, text: str, via: str,
                       result: str = "", user: str, now: float | None = None) -> Message:
        """An SMS warning sent (or copied to send) to the victim, kept in the warning's
        history."""
        cases.get(self.conn, warning_id)
        return record_message(self.conn, warning_id, client_id=client_id, text=text, via=via,
                              result=result, user=user, now=now)

    def save_rehearsal(self, *, trainee: str, scam_type: str, lang: str, points_made: int,
                       points_total: int, detail: list[dict[str, Any]],
                       now: float | None = None) -> RehearsalResult:
        return save_rehearsal(self.conn, trainee=trainee, scam_type=scam_type, lang=lang,
                              points_made=points_made, points_total=points_total,
                              detail=detail, now=now)

    def rehearsals(self, *, trainee: str | None = None) -> list[RehearsalResult]:
        return rehearsals(self.conn, trainee=trainee)
