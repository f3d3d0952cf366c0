"""Opening a database file safely: refuse foreign or newer files, migrate ours, set WAL.

Never open a database file (or its -wal, -shm or -journal) with anything but SQLite in a process
that may hold connections to it: on POSIX, closing *any* descriptor of a file drops every lock
the process holds on it, SQLite's included. Another process then believes it is alone, deletes
the WAL in use, and commits answered as done vanish at the next crash (SQLite's "How To Corrupt
An SQLite Database File", section 2.2). So a foreign file is told from SQLite's own answer, and
`refuse_database_file` keeps user-chosen paths (an import's input, a report's output) off the
databases this process has open.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from dissuade.domain.errors import DatabaseBusy, DatabaseUnusable, InvalidInput
from dissuade.store import dialect
from dissuade.store.schema import MIGRATION_SET, NEW_DATABASE, migrations

BUSY_TIMEOUT_MS = 5000
MIN_PAGE_SIZE = 512  # a database file is empty or at least one page long
SIDECARS = ("-wal", "-shm", "-journal")


def _check_file(path: Path) -> None:
    """What can be said from the file's metadata alone (stat, never open: see the module's
    docstring); whether its content is a database is SQLite's to say."""
    if path.exists():
        if not path.is_file():
            raise DatabaseUnusable(f"不是数据库文件 / not a database file: {path}")
        if 0 < path.stat().st_size < MIN_PAGE_SIZE:
            # SQLite would take a one-byte file for an empty database and write over it.
            raise DatabaseUnusable(f"不是 SQLite 数据库 / not an SQLite database: {path}")
    elif not path.parent.exists():
        raise DatabaseUnusable(f"目录不存在 / folder does not exist: {path.parent}")


def not_a_database(exc: sqlite3.DatabaseError) -> bool:
    """SQLite's own answer that a file holds something else (SQLITE_NOTADB)."""
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_NOTADB \
        or "file is not a database" in str(exc)


class Connection(sqlite3.Connection):
    """A connection that may share a lock with its siblings in one process (the hub's threads):
    writers then queue on the lock in turn instead of in SQLite's sleeping busy handler, whose
    back-off gives some writers long waits under load."""

    dialect = "sqlite"  # see dialect.py

    write_lock: threading.Lock | None = None
    db_path: str | None = None  # the file, while open (see refuse_database_file)

    def close(self) -> None:
        self.db_path = None
        super().close()


_OPEN: weakref.WeakSet[Connection] = weakref.WeakSet()


def track(conn: Connection, path: str | Path) -> None:
    """Remember that this process holds `conn` on the file at `path`."""
    if str(path) != ":memory:":
        conn.db_path = os.path.abspath(path)
        _OPEN.add(conn)


def open_databases() -> list[str]:
    """The database files this process holds connections to now."""
    return sorted({c.db_path for c in list(_OPEN) if c.db_path is not None})


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)  # stat only
    except OSError:
        return False
    return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def database_files(path: str | Path) -> list[Path]:
    """A database file and the files SQLite keeps beside it."""
    return [Path(f"{path}{suffix}") for suffix in ("", *SIDECARS)]


_WHAT = {"input": "输入文件", "output": "输出文件", "file": "文件"}


def refuse_database_file(path: str | Path, *, what: str = "file") -> None:
    """Refuse to read or write `path` outside SQLite when it is a database this process has
    open, a database with a log beside it (a hub or a client has it open in WAL mode), or one
    of those -wal/-shm/-journal files: closing our own descriptor of it would drop this
    process's SQLite locks, and writing or replacing it would destroy the database."""
    target = Path(path)
    for db in open_databases():
        for candidate in database_files(db):
            if _same_file(target, candidate):
                raise _in_use(target, what, db)
    if any(Path(f"{target}{suffix}").exists() for suffix in SIDECARS):
        raise _in_use(target, what, str(target))
    for suffix in SIDECARS:
        base = str(target)[:-len(suffix)]
        if str(target).endswith(suffix) and Path(base).is_file():
            raise _in_use(target, what, base)


def _in_use(target: Path, what: str, db: str) -> InvalidInput:
    return InvalidInput(f"{target} 是数据库的文件（{db}），不能作为{_WHAT.get(what, '文件')} / "
                        f"{target} is a database's file ({db}): it cannot be the {what}",
                        field=what)


def connect(path: str | Path, *, create: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
            write_lock: threading.Lock | None = None) -> sqlite3.Connection:
    """A migrated connection to a dissuade database; DatabaseUnusable says why not. A
    `postgresql://` URL opens the database there (`pg.connect`)."""
    if dialect.is_url(path):
        from dissuade.store import pg

        return pg.connect(str(path), create=create, busy_timeout_ms=busy_timeout_ms,
                          write_lock=write_lock)  # type: ignore[return-value]
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
    track(conn, path)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a recorded outcome survives a power cut, not just a crash.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        _migrate(conn, str(path))
    except sqlite3.DatabaseError as exc:
        conn.close()
        if not_a_database(exc):
            raise DatabaseUnusable(f"不是 SQLite 数据库 / not an SQLite database: {path}") from None
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
        # A migration that treats a new database unlike an upgraded one reads this (m008).
        setattr(db, NEW_DATABASE, not applied)
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


__all__ = ["connect", "write", "snapshot", "refuse_database_file", "open_databases", "track",
           "database_files", "not_a_database", "MIGRATION_SET", "BUSY_TIMEOUT_MS"]
