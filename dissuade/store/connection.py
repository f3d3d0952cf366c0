"""Opening a database file safely: refuse foreign or newer files, migrate ours, set WAL."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from dissuade.errors import DatabaseBusy, DatabaseUnusable
from dissuade.store.schema import MIGRATION_SET, migrations

_SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def _check_file(path: Path) -> None:
    if path.exists():
        if not path.is_file():
            raise DatabaseUnusable(f"不是数据库文件 / not a database file: {path}")
        with path.open("rb") as fh:
            head = fh.read(16)
        if head and head != _SQLITE_MAGIC:
            raise DatabaseUnusable(f"不是 SQLite 数据库 / not an SQLite database: {path}")
    elif not path.parent.exists():
        raise DatabaseUnusable(f"目录不存在 / folder does not exist: {path.parent}")


class Connection(sqlite3.Connection):
    """A connection that may share a lock with its siblings in one process (the hub's threads):
    writers then queue on the lock in turn instead of in SQLite's sleeping busy handler, whose
    back-off gives some writers long waits under load."""

    write_lock: threading.Lock | None = None


def connect(path: str | Path, *, create: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
            write_lock: threading.Lock | None = None) -> sqlite3.Connection:
    """A migrated connection to a dissuade database; DatabaseUnusable says why not."""
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False,
                               factory=Connection)
    else:
        path = Path(path)
        _check_file(path)
        if not path.exists() and not create:
            raise DatabaseUnusable(f"数据库不存在 / database does not exist: {path}")
        try:
            conn = sqlite3.connect(
                str(path), isolation_level=None, check_same_thread=False,
                timeout=busy_timeout_ms / 1000, factory=Connection,
            )
        except sqlite3.Error as exc:
            raise DatabaseUnusable(f"无法打开数据库 / cannot open {path}: {exc}") from None
    assert isinstance(conn, Connection)
    conn.write_lock = write_lock
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a recorded outcome survives a power cut, not just a crash.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn, str(path))
    except sqlite3.DatabaseError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseBusy(f"数据库忙 / database is busy: {path}") from None
        raise DatabaseUnusable(f"无法使用数据库 / unusable database {path}: {exc}") from None
    except DatabaseUnusable:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection, where: str) -> None:
    db = Database(conn)
    known = [m.name for m in migrations._migrations]
    # One opener at a time decides and applies, so two first openers cannot race.
    conn.execute("BEGIN IMMEDIATE")
    try:
        tables = set(db.table_names())
        applied = [m.name for m in migrations.applied(db)]
        if tables and not applied and tables != {migrations.migrations_table}:
            raise DatabaseUnusable(f"不是 dissuade 数据库 / not a dissuade database: {where}")
        newer = [name for name in applied if name not in known]
        if newer:
            raise DatabaseUnusable(
                f"数据库来自更新版本的 dissuade，请升级程序 / database {where} is from a newer "
                f"version of dissuade (schema {newer[-1]}; this version knows up to {known[-1]})"
            )
        migrations.apply(db)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken at once so that concurrent writers queue instead of failing.
    Inside a write already, it joins it: a check and the change it guards commit together."""
    if conn.in_transaction:
        yield conn
        return
    lock = getattr(conn, "write_lock", None)
    if lock is None:
        with _transaction(conn):
            yield conn
        return
    if not lock.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
        raise DatabaseBusy("数据库忙，请稍后重试 / database is busy (writers queued too long)")
    try:
        with _transaction(conn):
            yield conn
    finally:
        lock.release()


@contextmanager
def snapshot(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Several reads that must agree with each other (a report's sections and its audit head):
    one read transaction, so WAL shows them all the same moment whatever commits meanwhile."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        raise DatabaseBusy(f"数据库忙，请稍后重试 / database is busy: {exc}") from None
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            conn.execute("ROLLBACK")
            raise DatabaseBusy(f"数据库忙，请稍后重试 / database is busy: {exc}") from None


__all__ = ["connect", "write", "snapshot", "MIGRATION_SET", "BUSY_TIMEOUT_MS"]
