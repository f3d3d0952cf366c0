"""Moving a centre's SQLite file into PostgreSQL (`dissuade migrate --from FILE --to URL`).

Into an empty database every row is copied with its id, the audit chain included, and then
checked: the same count in every table, the chain verifying with the same head. Into a database
that already holds centres, only with `centre` given: rows are renumbered after the ones there
(every reference with them), warnings and users are tagged with the centre, the target's policy
stays (one policy for the province), and one audit row records the old file's chain head and
row count; the old file, left untouched, still verifies its own `--expect-head` values.

The file is held with SQLite's exclusive lock while it is read, so a hub serving it is refused
(and cannot start meanwhile).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dissuade.domain import timeutil
from dissuade.domain.errors import Conflict, DissuadeError
from dissuade.store import audit, dialect
from dissuade.store.backup import exclusive
from dissuade.store.connection import connect, write

BATCH = 5000
# Tables in an order that lets each row's references exist before it, with the id-carrying
# columns each reference: (column, table it points into). "id" is the table's own.
TABLES: dict[str, dict[str, str]] = {
    "warnings": {"id": "warnings"},
    "attempts": {"id": "attempts", "warning_id": "warnings", "linked_to": "attempts"},
    "escalations": {"id": "escalations", "warning_id": "warnings"},
    "escalation_steps": {"id": "escalation_steps", "escalation_id": "escalations"},
    "escalation_warnings": {"escalation_id": "escalations", "warning_id": "warnings"},
    "escalation_joins": {"escalation_id": "escalations", "warning_id": "warnings"},
    "chase_calls": {"id": "chase_calls", "escalation_id": "escalations",
                    "warning_id": "warnings"},
    "reviews": {"id": "reviews", "attempt_id": "attempts", "warning_id": "warnings"},
    "messages": {"id": "messages", "warning_id": "warnings"},
    "arrival_sms": {"id": "arrival_sms", "warning_id": "warnings", "message_id": "messages"},
    # The robot's calls (its `settles` keeps the ids it had on the line, as history); its lines
    # are the serving hubs' and come along only as rows already stale.
    "robot_calls": {"id": "robot_calls", "warning_id": "warnings", "attempt_id": "attempts"},
    "robot_lines": {"id": "robot_lines", "call_id": "robot_calls"},
    "claim_requests": {"warning_id": "warnings"},
    "drafts": {"warning_id": "warnings"},
    "rehearsals": {"id": "rehearsals"},
    "officer_states": {"id": "officer_states"},
    "users": {},
    "sessions": {},
    "throttle": {},
    "policy_levels": {},
    "settings": {},
    "audit": {"id": "audit"},
}
# Not carried into a province that already runs: its own policy, sessions, sign-in counters
# and audit chain stay; the old chain is summed up in one row.
NOT_MERGED = ("policy_levels", "settings", "sessions", "throttle", "audit")


@dataclass
class Moved:
    """What was copied, and the checks that passed."""

    counts: dict[str, int] = field(default_factory=dict)
    renumbered: bool = False
    source_head: tuple[int, str] | None = None
    target_head: tuple[int, str] | None = None


def _head(conn: Any) -> tuple[int, str] | None:
    row = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else (int(row[0]), str(row[1]))


def _tables(conn: sqlite3.Connection) -> list[str]:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    unknown = sorted(n for n in names - set(TABLES)
                     if not n.startswith(("_sqlite", "sqlite_")))
    return [t for t in TABLES if t in names] + unknown


def _holds_data(target: Any) -> bool:
    for table in ("warnings", "users", "audit"):
        if target.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is not None:
            return True
    return False


def move(source_path: str | Path, target_url: str, *, centre: str | None = None,
         progress: Callable[[str], None] = lambda _m: None) -> Moved:
    """Copy the centre in `source_path` into `target_url` and check it (see the module)."""
    if not dialect.is_url(target_url):
        raise DissuadeError("--to 应为 postgresql:// 地址 / --to must be a postgresql:// URL")
    path = Path(source_path)
    if not path.is_file():
        raise DissuadeError(f"文件不存在 / no such file: {path}")
    connect(path, create=False).close()  # bring an older file up to this version's schema
    target = connect(target_url)
    try:
        with exclusive(path) as source:
            full = not _holds_data(target)
            if not full and centre is None:
                raise Conflict(
                    "目标数据库已有中心的数据；合并请用 --centre 代码 / the target database "
                    "already holds a centre's data: give --centre CODE to add this one to it")
            result = Moved(renumbered=not full, source_head=_head(source))
            tables = _tables(source)
            with write(target):  # all of it, or none
                offsets = {} if full else _offsets(target, tables)
                for table in tables:
                    if not full and table in NOT_MERGED:
                        continue
                    if table not in TABLES and not full:
                        raise DissuadeError(f"不知道如何重新编号表 {table} / cannot renumber "
                                            f"table {table}")
                    if full and table in ("policy_levels", "settings"):
                        target.execute(f"DELETE FROM {table}")  # the file's policy, not defaults
                    result.counts[table] = _copy(source, target, table, offsets, centre)
                    progress(f"{table}: {result.counts[table]}")
                if full:
                    _reset_sequences(target, tables)
                else:
                    audit.append(target, "migrate", "centre.merge", "centre", None,
                                 {"centre": centre, "file": path.name,
                                  "audit_head": list(result.source_head or ()),
                                  "audit_rows": int(source.execute(
                                      "SELECT count(*) FROM audit").fetchone()[0]),
                                  "counts": result.counts}, now=timeutil.now())
            _verify(source, target, result, full=full)
        dialect.refresh_statistics(target)  # the planner's statistics for the rows just copied
    finally:
        target.close()
    return result


def _offsets(target: Any, tables: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for table in tables:
        if "id" in TABLES.get(table, {}):
            out[table] = dialect.reserve_ids(target, table, 0) - 1
    return out


def _copy(source: sqlite3.Connection, target: Any, table: str, offsets: dict[str, int],
          centre: str | None) -> int:
    cur = source.execute(f"SELECT * FROM {table}")
    columns = [d[0] for d in cur.description]
    refs = TABLES.get(table, {})
    shift = [(i, offsets.get(refs[c], 0)) for i, c in enumerate(columns) if c in refs]
    tag = columns.index("centre") if centre is not None and "centre" in columns else None
    sql = (f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
           f"({', '.join('?' for _ in columns)})")
    if table == "users" and centre is not None:
        sql += " ON CONFLICT (name) DO NOTHING"  # a name the province has keeps its row
    count = 0
    while rows := cur.fetchmany(BATCH):
        out = []
        for row in rows:
            values = list(row)
            for i, offset in shift:
                if values[i] is not None and offset:
                    values[i] = int(values[i]) + offset
            if tag is not None:
                values[tag] = centre
            out.append(values)
        target.executemany(sql, out)
        count += len(out)
    return count


def _reset_sequences(target: Any, tables: list[str]) -> None:
    """After rows with their own ids, each identity sequence starts past them."""
    for table in tables:
        if "id" in TABLES.get(table, {}):
            target.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT coalesce(max(id), 0) + 1 FROM {table}), false)")


def _verify(source: sqlite3.Connection, target: Any, result: Moved, *, full: bool) -> None:
    """Counts, and the chain: the same rows and the same head after a full copy; after a merge
    the province's chain still verifies, its last row the one that records this file."""
    if full:
        for table, n in result.counts.items():
            (have,) = target.execute(f"SELECT count(*) FROM {table}").fetchone()
            if int(have) != n:
                raise DissuadeError(f"复制后行数不符 / {table}: copied {n}, found {have}")
    verdict = audit.verify(target)
    if not verdict.ok:
        raise DissuadeError(f"审计链校验失败 / the audit chain does not verify: {verdict}")
    result.target_head = _head(target)
    if full and result.target_head != result.source_head:
        raise DissuadeError("审计链末尾不一致 / the audit chain's head differs after the copy")


__all__ = ["Moved", "move", "TABLES"]
