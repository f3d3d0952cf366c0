"""Upgrades without fear (README, "Upgrades (升级)"): which migrations a database file would get, read
without changing it, and a checked backup taken before they are applied.

Opening a database (`connection.connect`) applies every pending migration at once. This module
looks first: `schema` reads the migrations table through an SQLite connection that only reads (never
the file any other way: see connection.py), and `backup_before_migrating` copies the file through
SQLite's backup API, as `dissuade backup` does, but checks the copy without opening it as a
store (which would migrate the copy too): the backup keeps the schema the old version knows, so
that version can open it again if the upgrade has to be undone.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from dissuade.domain.errors import DatabaseUnusable
from dissuade.store import audit
from dissuade.store import backup as backups
from dissuade.store.connection import BUSY_TIMEOUT_MS, not_a_database, track
from dissuade.store.connection import Connection as _Connection
from dissuade.store.schema import migrations

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Migration:
    name: str
    summary: str  # the first line of the migration's docstring

    @property
    def short(self) -> str:
        """The migration's number (m012 of m012_passwords), for file names."""
        return self.name.split("_", 1)[0]


@dataclass(frozen=True, slots=True)
class Schema:
    """Where a database file stands against this version of dissuade."""

    path: Path
    exists: bool
    applied: tuple[str, ...]  # in the order they were applied
    pending: tuple[Migration, ...]  # what opening it would apply, in order
    newer: tuple[str, ...]  # applied ones this version does not know: it refuses the file

    @property
    def new(self) -> bool:
        """No schema yet: opening it makes a new database (nothing to back up)."""
        return not self.applied

    @property
    def current(self) -> str:
        return self.applied[-1] if self.applied else ""

    @property
    def latest(self) -> str:
        return known()[-1].name


def known() -> list[Migration]:
    """Every migration this version knows, in order."""
    return [Migration(m.name, _summary(m.fn.__doc__)) for m in migrations._migrations]


def _summary(doc: str | None) -> str:
    text = " ".join((doc or "").strip().split("\n\n")[0].split())
    return text


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that only reads. Not SQLite's read-only mode: a read-only connection cannot
    remove the WAL it needed when it closes, and would leave -wal and -shm files beside a file
    nobody else had open."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000,
                           check_same_thread=False, factory=_Connection)
    assert isinstance(conn, _Connection)
    track(conn, path)
    return conn


def schema(path: str | Path) -> Schema:
    """The file's applied, pending and unknown migrations, read without changing anything;
    DatabaseUnusable for a file that is not a dissuade database."""
    path = Path(path)
    if not path.exists():
        return Schema(path, False, (), tuple(known()), ())
    if not path.is_file():
        raise DatabaseUnusable(f"不是数据库文件 / not a database file: {path}")
    try:
        conn = _read_only(path)
    except sqlite3.Error as exc:
        raise DatabaseUnusable(f"无法打开数据库 / cannot open {path}: {exc}") from None
    try:
        db = Database(conn)
        tables = set(db.table_names())
        applied = [m.name for m in migrations.applied(db)]
    except sqlite3.DatabaseError as exc:
        if not_a_database(exc):
            raise DatabaseUnusable(f"不是 SQLite 数据库 / not an SQLite database: {path}") from None
        raise DatabaseUnusable(f"无法读取数据库 / cannot read {path}: {exc}") from None
    finally:
        conn.close()
    if tables and not applied and tables != {migrations.migrations_table}:
        raise DatabaseUnusable(f"不是 dissuade 数据库 / not a dissuade database: {path}")
    names = {m.name for m in known()}
    return Schema(path, True, tuple(applied), tuple(m for m in known() if m.name not in applied),
                  tuple(n for n in applied if n not in names))


def backup_name(found: Schema, at: float | None = None) -> Path:
    """Beside the database: centre.db -> centre.before-m015-to-m019.20261205-101500.db."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(time.time() if at is None else at))
    first = found.current.split("_", 1)[0] or "new"
    last = found.latest.split("_", 1)[0]
    return found.path.with_name(f"{found.path.stem}.before-{first}-to-{last}.{stamp}"
                                f"{found.path.suffix or '.db'}")


@dataclass(frozen=True, slots=True)
class Taken:
    path: Path
    schema: Schema
    size: int
    audit_rows: int
    seconds: float


def backup_before_migrating(path: str | Path) -> Taken | None:
    """A checked copy of the file beside it when opening it would migrate it (None when nothing
    is pending, the file is new, or it is from a newer version, which opening refuses anyway).
    The copy keeps the old schema: it is checked with SQLite's integrity check and the audit
    chain, never opened as a store."""
    found = schema(path)
    if not found.exists or found.new or not found.pending or found.newer:
        return None
    started = time.monotonic()
    out = backup_name(found)
    partial = out.with_name(f".{out.name}.part")
    try:
        src = backups._open_source(found.path, BUSY_TIMEOUT_MS)
        try:
            dst = sqlite3.connect(str(partial), isolation_level=None)
            try:
                src.execute("BEGIN")  # one snapshot from the first page to the last
                src.execute("SELECT count(*) FROM sqlite_master").fetchone()
                backups._copy(src, dst, pages=backups.PAGES_PER_STEP, pause=0)
                src.execute("COMMIT")
            finally:
                dst.close()
        finally:
            src.close()
        rows = _check_as_is(partial)
        os.replace(partial, out)
    except sqlite3.Error as exc:
        raise DatabaseUnusable(f"升级前备份失败，未升级 / the backup before upgrading failed, "
                               f"nothing was changed: {found.path}: {exc}") from None
    finally:
        backups._remove(partial)
    taken = Taken(out, found, out.stat().st_size, rows, time.monotonic() - started)
    log.warning("数据库升级前已备份 / database backed up before upgrading: %s -> %s "
                "(schema %s -> %s, %d migrations; %.1f MB, audit chain of %d rows intact)",
                found.path, out, found.current, found.latest, len(found.pending),
                taken.size / 1e6, rows)
    return taken


def _check_as_is(path: Path) -> int:
    """Integrity and the audit chain of a copy, without migrating it; the audit's row count."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        if problems != ["ok"]:
            raise DatabaseUnusable(f"备份已损坏 / the backup is damaged: {path}: "
                                   + "; ".join(problems))
        columns = {row[1] for row in conn.execute("PRAGMA table_info(audit)")}
        if "hash" not in columns:
            return 0  # from before the audit chain (m005): nothing to verify
        verdict = audit.verify(conn)
        if not verdict.ok:
            raise DatabaseUnusable(f"审计日志在第 {verdict.broken_at} 行断开 / the audit chain "
                                   f"breaks at row {verdict.broken_at}: {verdict.problem}")
        return verdict.rows
    finally:
        conn.close()


__all__ = ["Migration", "Schema", "Taken", "known", "schema", "backup_before_migrating",
           "backup_name"]
