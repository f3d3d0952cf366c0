"""The store on PostgreSQL: a connection that speaks to the store as SQLite's does.

The store's SQL is written once, in the part of SQL both engines share (`dialect.py` holds the
few fragments that differ). This module is the rest of the difference, in one place:

- placeholders: `?` and `:name` become psycopg's `%s` and `%(name)s` (`translate`);
- transactions: SQLite's verbs keep their meaning. `BEGIN IMMEDIATE` (a write) takes the
  database's writer lock, a transaction-scoped advisory lock: one writer at a time across every
  hub process, as SQLite has one writer per file, because every change appends to the one audit
  hash chain and so must know its head. Plain `BEGIN` (`connection.snapshot`) is a REPEATABLE
  READ transaction, the same moment for every read in it, as a read transaction in WAL mode is;
- the few PRAGMAs the store asks (`data_version`, `integrity_check`, checkpoints) are answered
  here;
- errors come back as the DB-API classes the store and the hub already handle (sqlite3's): a
  lost connection, a lock or statement timeout, a deadlock or a serialisation failure is
  "database is locked" (busy: the hub answers 503 and the client tries again), a constraint is
  an IntegrityError;
- schema: PostgreSQL's first migration is the schema at `pg_schema.BASELINE_UPTO` in its own
  DDL; later ones are written for both engines in `schema.py` (`POSTGRES`). Applied names are
  recorded in `dissuade_migrations` as sqlite-utils records SQLite's.

A password in the URL is accepted, never printed (`redact`), and warned about once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import errors as pgerrors
from psycopg.adapt import Dumper, Loader
from psycopg.pq import TransactionStatus
from psycopg_pool import ConnectionPool, PoolTimeout

from dissuade.domain.errors import DatabaseBusy, DatabaseUnusable
from dissuade.store import dialect

log = logging.getLogger(__name__)

WRITER_LOCK = 0x64697373  # the advisory lock every write transaction holds ("diss")
CHANNEL = "dissuade_changes"  # NOTIFY'd by every write's commit (PgConnection, Listener)
MIGRATIONS_TABLE = "dissuade_migrations"
CONNECT_TIMEOUT = 5  # seconds to reach the server


def redact(url: str) -> str:
    """The URL without its password, for logs, messages and the commands printed for an
    operator (still a valid URL: libpq then reads the password from PGPASSWORD or ~/.pgpass)."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.hostname or ""
        netloc = f"{parts.username}@{host}" if parts.username else host
        if parts.port:
            netloc += f":{parts.port}"
    except ValueError:
        return "postgresql://…"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


_warned: set[str] = set()


def _warn_password(url: str) -> None:
    if urlsplit(url).password is not None and url not in _warned:
        _warned.add(url)
        log.warning("数据库地址里含有密码，请改用 PGPASSWORD 或 ~/.pgpass / the database URL "
                    "carries a password: use PGPASSWORD or ~/.pgpass instead (%s)", redact(url))


_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|::|\?|:[A-Za-z_]\w*|%",
                    re.S)


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """SQLite's placeholders as psycopg's: `?` -> `%s`, `:name` -> `%(name)s`, and a literal `%`
    doubled (outside and inside string literals: psycopg reads the whole text)."""

    def one(m: re.Match[str]) -> str:
        text = m.group(0)
        if text == "?":
            return "%s"
        if text == "%":
            return "%%"
        if text.startswith("'") or text.startswith('"'):
            return text.replace("%", "%%")
        if text.startswith(":") and text != "::":
            return f"%({text[1:]})s"
        return text

    return _TOKEN.sub(one, sql)


class _Numeric(Loader):
    """numeric (sums of integers) as int when whole, float otherwise, never Decimal: the store
    does arithmetic with floats and the codec writes JSON."""

    def load(self, data: Any) -> Any:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


class _BoolAsInt(Dumper):
    """Python booleans into the integer 0/1 columns both engines use."""

    oid = psycopg.adapters.types["int8"].oid

    def dump(self, obj: Any) -> bytes:
        return b"1" if obj else b"0"


class _Rows:
    """A finished statement's rows (what the store reads from sqlite3's cursor)."""

    def __init__(self, rows: list[tuple[Any, ...]] | None, rowcount: int = -1,
                 description: Any = None) -> None:
        self._rows = rows or []
        self._description = description
        self._at = 0
        self.rowcount = rowcount

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self) -> list[tuple[Any, ...]]:
        rest, self._at = self._rows[self._at:], len(self._rows)
        return rest

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        while (row := self.fetchone()) is not None:
            yield row

    @property
    def description(self) -> Any:
        return self._description

    def close(self) -> None:
        self._rows, self._at = [], 0


class PgConnection:
    """One PostgreSQL connection with the surface of the sqlite3 connection the store uses
    (`execute`, `executemany`, `in_transaction`, `close`). Autocommit: transactions are the
    store's own BEGIN/COMMIT, as with SQLite's `isolation_level=None`."""

    dialect = dialect.POSTGRES
    write_lock: threading.Lock | None = None
    db_path: str | None = None

    def __init__(self, url: str, *, busy_timeout_ms: int = 5000,
                 pool: ConnectionPool | None = None) -> None:
        self.url = url
        self.busy_timeout_ms = busy_timeout_ms
        self._writing = False
        # Each write tells the hubs' listeners (Listener) at its commit: news reaches the
        # long-polling clients of every hub process at once instead of at their next look.
        self.notify = os.environ.get("DISSUADE_PG_NOTIFY", "1") != "0"
        self._conn: psycopg.Connection[Any] | None = None
        # With a pool (a hub process: open_pool), a connection is held only for a statement
        # or a transaction, so a hub's forty request threads share a few; without one (a
        # workstation, a command) the connection is this object's own.
        self._pool = pool
        if pool is None:
            self._open()

    def _open(self) -> None:
        try:
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                                   application_name="dissuade")
        except psycopg.Error as exc:
            raise DatabaseUnusable(f"无法连接数据库 / cannot reach the database "
                                   f"{redact(self.url)}: {_first_line(exc)}") from None
        _configure(conn)
        self._conn = conn

    @property
    def raw(self) -> psycopg.Connection[Any]:
        """The psycopg connection for the next statement: the one in use, a pool's, or this
        object's own reopened when the last one broke."""
        if self._conn is not None and not self._conn.closed and not self._conn.broken:
            return self._conn
        if self._pool is None:
            self._open()
        else:
            self._conn = None
            try:
                self._conn = self._pool.getconn(timeout=self.busy_timeout_ms / 1000)
            except PoolTimeout:
                raise sqlite3.OperationalError("database is locked (busy): every connection "
                                               "of the pool is in use") from None
        assert self._conn is not None
        return self._conn

    def _release(self) -> None:
        """Between transactions a pooled connection goes back to the pool."""
        if self._pool is not None and self._conn is not None and not self.in_transaction:
            conn, self._conn = self._conn, None
            self._pool.putconn(conn)

    @property
    def in_transaction(self) -> bool:
        conn = self._conn
        return conn is not None and not conn.closed and \
            conn.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        if self._conn is not None:
            if self._pool is not None:
                conn, self._conn = self._conn, None
                if not conn.closed and conn.info.transaction_status != TransactionStatus.IDLE:
                    with contextlib.suppress(psycopg.Error):
                        conn.rollback()
                self._pool.putconn(conn)  # a broken one the pool replaces
            else:
                self._conn.close()

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        # Only a short statement can be one of the verbs read here (PRAGMA, BEGIN, COMMIT, ...):
        # a query is not upper-cased whole on every call.
        text = sql.strip()
        verb = text.upper() if len(text) <= 48 else ""
        if verb.startswith("PRAGMA"):
            return self._pragma(verb)
        if verb == "BEGIN IMMEDIATE":
            return self._begin_write()
        if verb == "COMMIT" and self._writing:
            self._writing = False
            if self.notify:  # queued with the commit (one round trip): listeners hear of it
                sql = f"NOTIFY {CHANNEL}; COMMIT"  # once it is done
        elif verb == "ROLLBACK":
            self._writing = False
        if verb in ("BEGIN", "BEGIN DEFERRED"):
            sql = "BEGIN ISOLATION LEVEL REPEATABLE READ"
        return self._run(sql, params)

    def executemany(self, sql: str, seq: Iterable[Sequence[Any] | dict[str, Any]]) -> Any:
        rows = list(seq)
        if not rows:
            return _Rows(None, 0)
        try:
            with self._errors(sql):
                cur = self.raw.cursor()
                cur.executemany(translate(sql), rows)
                return _Rows(None, cur.rowcount)
        finally:
            self._release()

    def _run(self, sql: str, params: Sequence[Any] | dict[str, Any]) -> Any:
        try:
            with self._errors(sql):
                cur = self.raw.cursor()
                # Without parameters psycopg reads the text as it is (no % to double).
                cur.execute(translate(sql) if params else sql, params or None)
                rows = cur.fetchall() if cur.description is not None else None
                return _Rows(rows, cur.rowcount, cur.description)
        finally:
            self._release()

    def _begin_write(self) -> Any:
        """A write transaction holding the writer lock, waited for at most the busy timeout."""
        self._writing = True
        try:  # one round trip: the writer lock is what every write waits for
            self._run(f"BEGIN; SET LOCAL lock_timeout = {int(self.busy_timeout_ms)}; "
                      f"SELECT pg_advisory_xact_lock({WRITER_LOCK})", ())
        except BaseException:
            if self.in_transaction:
                self._run("ROLLBACK", ())
            raise
        return _Rows(None)

    def _pragma(self, verb: str) -> Any:
        name = verb[len("PRAGMA"):].strip().split("(")[0].split("=")[0].strip().lower()
        if name == "data_version":
            # What the store's one cache (the policy, base.StoreBase.policy) depends on: the
            # policy's version stands in for SQLite's commit counter, one round trip a look.
            return self._run("SELECT coalesce((SELECT CAST(value AS BIGINT) FROM settings "
                             "WHERE key = 'policy_version'), 0)", ())
        if name in ("integrity_check", "quick_check"):
            return _Rows([("ok",)])
        return _Rows([])  # WAL, checkpoints, busy timeout: SQLite's own business

    def _errors(self, sql: str) -> Any:
        return _ErrorMap(self, sql)


class _ErrorMap:
    """psycopg's errors as the sqlite3 classes the store and the hub handle."""

    def __init__(self, conn: PgConnection, sql: str) -> None:
        self.conn, self.sql = conn, sql

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 _tb: Any) -> None:
        if exc is None or not isinstance(exc, psycopg.Error):
            return
        text = _first_line(exc)
        if isinstance(exc, (pgerrors.LockNotAvailable, pgerrors.QueryCanceled,
                            pgerrors.DeadlockDetected, pgerrors.SerializationFailure,
                            pgerrors.AdminShutdown, pgerrors.CannotConnectNow,
                            psycopg.OperationalError)):
            raise sqlite3.OperationalError(f"database is locked (busy): {text}") from None
        if isinstance(exc, psycopg.IntegrityError):
            raise sqlite3.IntegrityError(text) from None
        if isinstance(exc, psycopg.errors.RaiseException):
            raise sqlite3.IntegrityError(text) from None  # the audit's append-only trigger
        raise sqlite3.DatabaseError(f"{text} [{self.sql[:200]}]") from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _configure(conn: psycopg.Connection[Any]) -> None:
    conn.adapters.register_loader("numeric", _Numeric)
    conn.adapters.register_dumper(bool, _BoolAsInt)
    conn.execute("SET TIME ZONE 'UTC'")


POOL_SIZE = int(os.environ.get("DISSUADE_PG_POOL", "10"))  # connections per hub process
_POOLS: dict[str, tuple[ConnectionPool, int]] = {}
_POOLS_LOCK = threading.Lock()


def open_pool(url: str, *, size: int = POOL_SIZE) -> None:
    """From now on this process's connections to `url` share a pool of `size` (a hub
    process; each open_pool is matched by a close_pool)."""
    with _POOLS_LOCK:
        pool, users = _POOLS.get(url, (None, 0))
        if pool is None:
            pool = ConnectionPool(
                url, min_size=1, max_size=size, open=False, configure=_configure,
                check=ConnectionPool.check_connection, name="dissuade",
                kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT,
                        "application_name": "dissuade-hub"})
            try:
                pool.open(wait=True, timeout=CONNECT_TIMEOUT + 5)
            except PoolTimeout:
                pool.close()
                raise DatabaseUnusable(f"无法连接数据库 / cannot reach the database "
                                       f"{redact(url)}") from None
        _POOLS[url] = (pool, users + 1)


def close_pool(url: str) -> None:
    with _POOLS_LOCK:
        pool, users = _POOLS.get(url, (None, 0))
        if pool is None:
            return
        if users > 1:
            _POOLS[url] = (pool, users - 1)
            return
        del _POOLS[url]
    pool.close()


def connect(url: str, *, create: bool = True, busy_timeout_ms: int = 5000,
            write_lock: threading.Lock | None = None) -> PgConnection:
    """A migrated connection to a dissuade database on PostgreSQL (pooled in a process that
    opened a pool for it)."""
    _warn_password(url)
    with _POOLS_LOCK:
        pool = _POOLS.get(url, (None, 0))[0]
    conn = PgConnection(url, busy_timeout_ms=busy_timeout_ms, pool=pool)
    conn.write_lock = write_lock
    try:
        _migrate(conn, url, create=create)
    except sqlite3.OperationalError:
        conn.close()
        raise DatabaseBusy(f"数据库忙 / database is busy: {redact(url)}") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: PgConnection, url: str, *, create: bool) -> None:
    from dissuade.store import pg_schema

    names = pg_schema.names()
    conn.execute("BEGIN IMMEDIATE")  # one opener at a time decides and applies
    try:
        tables = {r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        applied: list[str] = []
        if MIGRATIONS_TABLE in tables:
            applied = [r[0] for r in conn.execute(
                f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY id")]
        elif tables:
            raise DatabaseUnusable(f"不是 dissuade 数据库 / not a dissuade database: "
                                   f"{redact(url)}")
        elif not create:
            raise DatabaseUnusable(f"数据库是空的 / the database holds no dissuade centre: "
                                   f"{redact(url)}")
        newer = [n for n in applied if n not in names]
        if newer:
            raise DatabaseUnusable(
                f"数据库来自更新版本的 dissuade，请升级程序 / database {redact(url)} is from a "
                f"newer version of dissuade (schema {newer[-1]}; this version knows up to "
                f"{names[-1]})")
        for name, statements in pg_schema.pending(applied):
            for statement in statements:
                conn.execute(statement)
            for recorded in pg_schema.recorded_by(name, applied):
                conn.execute(f"INSERT INTO {MIGRATIONS_TABLE} (migration_set, name, applied_at) "
                             "VALUES ('dissuade', ?, ?)", (recorded, time.time()))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


class Listener:
    """A connection that LISTENs for the commits of every hub process over the database.
    `wait(timeout)` returns True on news, False after `timeout` with none (the caller looks at
    the database then anyway: polling is the fallback when a notification is lost, and after
    the connection breaks, until it is back)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._conn: psycopg.Connection[Any] | None = None

    def _connect(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = psycopg.connect(self.url, autocommit=True,
                                         connect_timeout=CONNECT_TIMEOUT)
            self._conn.execute(f"LISTEN {CHANNEL}")
        return self._conn

    def wait(self, timeout: float) -> bool:
        try:
            conn = self._connect()
            return any(True for _ in conn.notifies(timeout=timeout, stop_after=1))
        except psycopg.Error as exc:
            log.warning("数据库通知中断，改为轮询 / database notifications lost, polling: %s",
                        _first_line(exc))
            if self._conn is not None:
                self._conn.close()
            time.sleep(min(timeout, 1.0))
            return False

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


def pending_migrations(url: str) -> list[str]:
    """The migrations opening `url` would apply (none applied here)."""
    from dissuade.store import pg_schema

    conn = PgConnection(url)
    try:
        tables = {r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        applied = [] if MIGRATIONS_TABLE not in tables else [
            r[0] for r in conn.execute(f"SELECT name FROM {MIGRATIONS_TABLE} ORDER BY id")]
    finally:
        conn.close()
    return [n for n in pg_schema.names() if n not in applied]


__all__ = ["PgConnection", "Listener", "connect", "translate", "redact", "pending_migrations",
           "WRITER_LOCK"]
