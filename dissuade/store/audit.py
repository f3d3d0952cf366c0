"""The audit table: who did or saw what, and when; append-only and chained by hashes."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from dissuade.domain import timeutil
from dissuade.domain.codes import AUDIT_PROBLEMS
from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import Entry, Verdict
from dissuade.store.base import StoreBase
from dissuade.store.connection import write
from dissuade.store.schema import AUDIT_GENESIS, audit_hash

COLUMNS = "id, at, actor, action, entity, entity_id, detail"
BROWSE_MAX = 1000


def append(conn: sqlite3.Connection, actor: str, action: str, entity: str, entity_id: int | None,
           detail: dict[str, object], *, now: float | None = None) -> None:
    """One audit row, inside the caller's write transaction (so the change and its record go
    together, and no other writer can slip a row in between this one and its predecessor)."""
    last = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    new_id = 1 if last is None else int(last[0]) + 1
    prev = AUDIT_GENESIS if last is None or last[1] is None else str(last[1])
    # Hash the values as SQLite gives them back to `verify`, not as the caller passed them: the
    # columns' affinities turn an int time into a REAL (1800000000 -> 1800000000.0) and a bool
    # entity id into an INTEGER, and an honest row hashed in the caller's types would then read
    # as tampered.
    row = (new_id, float(timeutil.now() if now is None else now), str(actor), str(action),
           str(entity), None if entity_id is None else int(entity_id),
           json.dumps(detail, ensure_ascii=False))
    conn.execute("INSERT INTO audit (id, at, actor, action, entity, entity_id, detail, hash) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (*row, audit_hash(prev, row)))


def last_id(conn: sqlite3.Connection) -> int:
    """The newest audit row's id: it grows with every change, so clients watch it for news."""
    (n,) = conn.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()
    return int(n)




def verify(conn: sqlite3.Connection, *, expect_head: tuple[int, str] | None = None) -> Verdict:
    """Walk the chain from the first row: every hash must follow from the row and the one before.

    An edited row, a removed or inserted one breaks the chain there. Rows cut off the end leave
    a shorter, valid chain: `expect_head` (an id and hash printed earlier, in a handover report
    for instance) catches that.
    """
    # The chain starts at row 1: without that, removing the oldest rows was reported as a change
    # to the first row left instead of naming the rows that are gone.
    prev, count, expected_id, head_id = AUDIT_GENESIS, 0, 1, 0
    for row in conn.execute(f"SELECT {COLUMNS}, hash FROM audit ORDER BY id"):
        body, stored = tuple(row[:7]), row[7]
        row_id = int(body[0])
        if row_id < expected_id:  # only the first row can be: renumbered below 1
            return Verdict(False, count, head_id, prev, row_id,
                           f"audit row {row_id} is out of sequence (rows start at 1)",
                           "out_of_sequence")
        if row_id != expected_id:
            return Verdict(False, count, head_id, prev, expected_id,
                           f"audit rows {expected_id}..{row_id - 1} are missing", "missing")
        want = audit_hash(prev, body)
        if stored != want:
            code = "changed" if stored else "no_hash"
            return Verdict(False, count, head_id, prev, row_id, AUDIT_PROBLEMS[code][1], code)
        prev, count, expected_id, head_id = want, count + 1, row_id + 1, row_id
    if expect_head is not None:
        want_id, want_hash = expect_head
        if head_id < want_id:
            return Verdict(False, count, head_id, prev, head_id + 1,
                           f"rows after {head_id} are missing (the head was {want_id})", "cut")
        (at_head,) = conn.execute("SELECT hash FROM audit WHERE id = ?", (want_id,)).fetchone() \
            or (None,)
        if at_head is None or not str(at_head).startswith(want_hash.lower()):
            return Verdict(False, count, head_id, prev, want_id,
                           f"row {want_id} is not the one the head named", "head_mismatch")
    return Verdict(True, count, head_id, prev)


def _entry(row: tuple[Any, ...]) -> Entry:
    id_, at, actor, action, entity, entity_id, detail, hash_ = row
    return Entry(int(id_), at, actor, action, entity, entity_id, json.loads(detail), hash_ or "")


def browse(conn: sqlite3.Connection, *, start: float | None = None, end: float | None = None,
           actor: str | None = None, action: str | None = None, entity: str | None = None,
           entity_id: int | None = None, before_id: int | None = None,
           limit: int = 200) -> list[Entry]:
    """Audit rows newest first, filtered; `before_id` pages back through older rows."""
    if not 1 <= limit <= BROWSE_MAX:
        raise InvalidInput(f"limit 应在 1 到 {BROWSE_MAX} 之间 / limit must be 1-{BROWSE_MAX}",
                           field="limit")
    where: list[str] = []
    params: list[object] = []
    for clause, value in (("at >= ?", start), ("at < ?", end), ("actor = ?", actor),
                          ("entity = ?", entity), ("entity_id = ?", entity_id),
                          ("id < ?", before_id)):
        if value not in (None, ""):
            where.append(clause)
            params.append(value)
    if action:
        # "escalation" finds escalation.create, escalation.approve, ...
        where.append("(action = ? OR action LIKE ? ESCAPE '\\')")
        params += [action, action.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                   + ".%"]
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return [_entry(r) for r in conn.execute(
        f"SELECT {COLUMNS}, hash FROM audit {clause} ORDER BY id DESC LIMIT ?", (*params, limit))]


def trail(conn: sqlite3.Connection, *, entity: str, entity_id: int) -> list[Entry]:
    """Every row about one record, oldest first."""
    return [_entry(r) for r in conn.execute(
        f"SELECT {COLUMNS}, hash FROM audit WHERE entity = ? AND entity_id = ? ORDER BY id",
        (entity, entity_id))]


class AuditStore(StoreBase):
    """Reading the audit trail, checking its chain, and recording what happened outside the
    tables."""

    def audit_entries(self, **filters: Any) -> list[Entry]:
        return browse(self.conn, **filters)

    def verify_audit(self, *, expect_head: tuple[int, str] | None = None) -> Verdict:
        return verify(self.conn, expect_head=expect_head)

    def audit_trail(self, *, entity: str, entity_id: int) -> list[dict[str, object]]:
        """One entity's rows, oldest first, as plain dicts."""
        cur = self.conn.execute(
            "SELECT at, actor, action, detail FROM audit WHERE entity = ? AND entity_id = ? "
            "ORDER BY id", (entity, entity_id))
        return [{"at": at, "actor": actor, "action": action, "detail": json.loads(detail)}
                for at, actor, action, detail in cur]

    def record_event(self, actor: str, action: str, entity: str, entity_id: int | None,
                     detail: dict[str, object], *, now: float | None = None) -> None:
        """An audit row for something seen or sent outside the tables (a PDF made, say)."""
        with write(self.conn):
            append(self.conn, actor, action, entity, entity_id, detail, now=now)
