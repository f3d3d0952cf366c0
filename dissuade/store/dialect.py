"""The SQL that is not the same on SQLite and PostgreSQL, written once per dialect, here.

Everything else in the store is written once, in SQL both engines run alike: `?` placeholders
(the PostgreSQL connection turns them into psycopg's, `pg.translate`), `INSERT ... ON CONFLICT`,
`RETURNING id`, `count(*) FILTER (WHERE ...)`, no two-argument max/min, booleans as 0/1 integers
compared explicitly. A connection says which engine it is by its `dialect` attribute
(`SQLITE` on `connection.Connection`, `POSTGRES` on `pg.PgConnection`).
"""

from __future__ import annotations

from typing import Any

SQLITE = "sqlite"
POSTGRES = "postgresql"


def of(conn: Any) -> str:
    """The engine behind `conn`."""
    return str(getattr(conn, "dialect", SQLITE))


def is_url(target: object) -> bool:
    """Whether a `--db` value names a PostgreSQL database rather than a file."""
    text = str(target)
    return text.startswith(("postgresql://", "postgres://"))


def hours_since(conn: Any, column: str, start: str = ":start") -> str:
    """Whole hours from `start` to `column` (both epoch seconds, column >= start): SQLite's CAST
    truncates, PostgreSQL's rounds, so PostgreSQL floors first."""
    if of(conn) == POSTGRES:
        return f"CAST(FLOOR(({column} - {start}) / 3600) AS BIGINT)"
    return f"CAST(({column} - {start}) / 3600 AS INTEGER)"


def json_number(conn: Any, column: str, key: str) -> str:
    """A number stored under `key` of the JSON object in a TEXT `column`."""
    if of(conn) == POSTGRES:
        return f"CAST(({column}::json ->> '{key}') AS DOUBLE PRECISION)"
    return f"json_extract({column}, '$.{key}')"


def skip_locked(conn: Any) -> str:
    """What a claim's pick of the most urgent warning ends with: on PostgreSQL the row is
    locked for the claim and a row another transaction holds is passed over (as PostgreSQL
    work queues claim); SQLite has one writer and no row locks."""
    return " FOR UPDATE SKIP LOCKED" if of(conn) == POSTGRES else ""


def reserve_ids(conn: Any, table: str, count: int) -> int:
    """The first of `count` consecutive ids for rows about to be inserted into `table` with
    explicit ids, inside the caller's write transaction. SQLite gives max(id) + 1 (rowids);
    PostgreSQL moves the table's identity sequence past them (one writer at a time holds the
    write lock, so nobody else draws from it meanwhile)."""
    if of(conn) == POSTGRES:
        seq = f"pg_get_serial_sequence('{table}', 'id')"
        (top,) = conn.execute(
            f"SELECT GREATEST((SELECT coalesce(max(id), 0) FROM {table}), "
            f"coalesce(pg_sequence_last_value({seq}::regclass), 0))").fetchone()
        if count > 0:
            conn.execute(f"SELECT setval({seq}, ?)", (int(top) + int(count),))
        return int(top) + 1
    (first,) = conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}").fetchone()
    return int(first)


def index_definitions(conn: Any, tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the secondary indexes on `tables`, for a bulk load that drops
    them and builds them once at the end. None on PostgreSQL, whose loads keep them."""
    if of(conn) == POSTGRES:
        return []
    marks = ", ".join("?" for _ in tables)
    return [(str(n), str(s)) for n, s in conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
        f"tbl_name IN ({marks})", tables)]


__all__ = ["SQLITE", "POSTGRES", "of", "is_url", "hours_since", "json_number", "skip_locked",
           "reserve_ids",
           "index_definitions"]
