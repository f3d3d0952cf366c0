"""Backups and restores of a live database through SQLite's backup API, never a file copy.

A backup reads one snapshot of the database (a read transaction held from the first page to the
last: in WAL mode it never blocks the hub's writers, and without it every commit elsewhere would
restart the copy) in steps of a few hundred pages with a short pause between them, into a
temporary file beside the output; the copy is checked (`integrity_check` and the audit chain)
before it takes the output's name. A restore refuses a target that any connection uses (SQLite's
own exclusive lock says so; the file is never opened otherwise), checks the backup before
anything is replaced, and writes it into the target through the backup API under that lock.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dissuade.domain.errors import DatabaseBusy, DatabaseUnusable, DissuadeError, InvalidInput
from dissuade.store.connection import BUSY_TIMEOUT_MS, database_files, not_a_database, refuse_database_file, track
from dissuade.store.connection import Connection as _Connection
from dissuade.store.pg import redact

PAGES_PER_STEP = 256  # 1 MB of 4 KB pages
STEP_PAUSE = 0.002  # seconds between steps: the disk and the CPU go to the hub in between


@dataclass(frozen=True, slots=True)
class Checked:
    """A database file that passed the checks: its size, contents and audit chain's head."""

    path: Path
    pages: int
    page_size: int
    warnings: int
    audit_rows: int
    head_id: int
    head_hash: str
    seconds: float

    @property
    def size(self) -> int:
        return self.pages * self.page_size

    @property
    def head(self) -> str:
        return f"{self.head_id}:{self.head_hash}"


def pg_dump_command(url: str, output: str | Path) -> str:
    return shlex.join(["pg_dump", "--format=custom", f"--file={output}", redact(url)])


def pg_restore_command(url: str, backup_file: str | Path) -> str:
    return shlex.join(["pg_restore", "--clean", "--if-exists", "--no-owner",
                       f"--dbname={redact(url)}", str(backup_file)])


# -- checking -------------------------------------------------------------------------------

def check(path: str | Path) -> Checked:
    """`integrity_check` and the audit chain of a dissuade database nobody else uses (a backup,
    a copy about to be restored); DatabaseUnusable names the first problem."""
    from dissuade.store.store import Store

    started = time.monotonic()
    path = Path(path)
    store = Store(path, create=False)
    try:
        conn = store.conn
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        if problems != ["ok"]:
            raise DatabaseUnusable(f"数据库文件已损坏 / the database file is damaged: {path}: "
                                   + "; ".join(problems))
        verdict = store.verify_audit()
        if not verdict.ok:
            raise DatabaseUnusable(f"审计日志在第 {verdict.broken_at} 行断开 / the audit chain "
                                   f"breaks at row {verdict.broken_at} in {path}: {verdict.problem}")
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
        (warnings,) = conn.execute("SELECT count(*) FROM warnings").fetchone()
    finally:
        store.close()
    return Checked(path, int(pages), int(page_size), int(warnings), verdict.rows,
                   int(verdict.head_id or 0), str(verdict.head_hash or ""),
                   time.monotonic() - started)


# -- locking --------------------------------------------------------------------------------

@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection holding SQLite's exclusive lock on `path` until the block ends.

    In WAL mode `BEGIN EXCLUSIVE` alone does not see other connections (readers never block
    it); with `locking_mode = EXCLUSIVE` the connection must take the file's exclusive lock
    itself, which fails at once while any other connection that has read the file is open, in
    this process or another. The file is never opened any other way."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=0,
                           check_same_thread=False, factory=_Connection)
    assert isinstance(conn, _Connection)
    track(conn, path)
    try:
        try:
            conn.execute("PRAGMA busy_timeout = 0")
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")  # the lock stays: exclusive locking mode keeps it
        except sqlite3.DatabaseError as exc:
            if not_a_database(exc):
                raise DatabaseUnusable(f"不是 SQLite 数据库 / not an SQLite database: {path}") \
                    from None
            if "locked" in str(exc) or "busy" in str(exc):
                raise DatabaseBusy(
                    f"数据库正在使用（中心服务器或客户端打开着它），请先停止它们 / the database "
                    f"{path} is in use (a hub or a client has it open): stop them first") from None
            raise DatabaseUnusable(f"无法使用数据库 / unusable database {path}: {exc}") from None
        yield conn
    finally:
        conn.close()


def in_use(path: str | Path) -> bool:
    """Whether another connection holds `path` open (asked of SQLite's locks)."""
    try:
        with exclusive(Path(path)):
            return False
    except DatabaseBusy:
        return True


# -- copying --------------------------------------------------------------------------------

def _copy(source: sqlite3.Connection, target: sqlite3.Connection, *, pages: int,
          pause: float) -> None:
    def step(_status: int, remaining: int, _total: int) -> None:
        if remaining and pause:
            time.sleep(pause)

    source.backup(target, pages=pages, progress=step)


def _open_source(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=busy_timeout_ms / 1000,
                           check_same_thread=False, factory=_Connection)
    assert isinstance(conn, _Connection)
    track(conn, path)
    return conn


def _partial(next_to: Path, tag: str) -> Path:
    return next_to.with_name(f".{next_to.name}.{tag}-{uuid.uuid4().hex[:8]}.part")


def _remove(path: Path) -> None:
    """Remove a temporary database of ours and its companions (no connection is open on it)."""
    for file in database_files(path):
        file.unlink(missing_ok=True)


def _must_be_a_file(path: Path, what: str) -> None:
    if not path.exists():
        raise InvalidInput(f"文件不存在 / no such file: {path}", field=what)
    if not path.is_file():
        raise InvalidInput(f"不是文件 / not a file: {path}", field=what)


def _refuse_same(a: Path, b: Path, what: str) -> None:
    for file in database_files(a):
        same = os.path.samefile(file, b) if file.exists() and b.exists() else \
            os.path.abspath(file) == os.path.abspath(b)
        if same:
            raise InvalidInput(f"{b} 是数据库 {a} 本身的文件 / {b} is one of the database's own "
                               f"files ({a})", field=what)


def _refuse_orphan_logs(path: Path) -> None:
    """A -wal or -journal beside a file that is about to take that name would be read as its
    log: a crash's leftover from another database, replayed into this one."""
    for file in database_files(path)[1:]:
        if file.name.endswith("-shm"):
            continue
        if file.exists():
            raise DissuadeError(f"{file} 是另一个数据库遗留的日志文件，请先移走 / {file} is a log "
                                f"left by another database: move it away first")


def backup(db: str | Path, output: str | Path, *, force: bool = False,
           pages: int = PAGES_PER_STEP, pause: float = STEP_PAUSE,
           busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Checked:
    """Copy `db` (which a hub may be serving) to `output` as one consistent snapshot, check
    the copy, and only then give it the output's name."""
    source, out = Path(db), Path(output)
    _must_be_a_file(source, "db")
    _refuse_same(source, out, "output")
    refuse_database_file(out, what="output")
    if out.exists():
        if not force:
            raise DissuadeError(f"{out} 已存在；加 --force 覆盖 / {out} exists: add --force to "
                                f"replace it")
        if out.is_dir():
            raise InvalidInput(f"{out} 是文件夹 / {out} is a folder", field="output")
        with contextlib.suppress(DatabaseUnusable):  # not a database: --force replaces it
            if in_use(out):
                raise DatabaseBusy(f"{out} 是正在使用的数据库，不能覆盖 / {out} is a database in "
                                   f"use: it cannot be replaced")
    if not out.parent.is_dir():
        raise InvalidInput(f"输出目录不存在 / no such folder: {out.parent}", field="output")
    _refuse_orphan_logs(out)
    partial = _partial(out, "backup")
    started = time.monotonic()
    try:
        src = _open_source(source, busy_timeout_ms)
        try:
            dst = sqlite3.connect(str(partial), isolation_level=None)
            try:
                # One snapshot from the first page to the last (see the module's docstring).
                src.execute("BEGIN")
                src.execute("SELECT count(*) FROM sqlite_master").fetchone()
                _copy(src, dst, pages=pages, pause=pause)
                src.execute("COMMIT")
            finally:
                dst.close()
        except sqlite3.DatabaseError as exc:
            if not_a_database(exc):
                raise DatabaseUnusable(f"不是 SQLite 数据库 / not an SQLite database: {source}") \
                    from None
            raise DatabaseUnusable(f"无法备份 / cannot back up {source}: {exc}") from None
        finally:
            src.close()
        checked = check(partial)
        os.replace(partial, out)
    finally:
        _remove(partial)
    return Checked(out, checked.pages, checked.page_size, checked.warnings, checked.audit_rows,
                   checked.head_id, checked.head_hash, time.monotonic() - started)


def restore(backup_file: str | Path, db: str | Path, *, force: bool = False,
            pages: int = PAGES_PER_STEP, progress: Callable[[str], None] | None = None) -> Checked:
    """Put a checked backup in place of `db`, which nothing may have open meanwhile."""
    say = progress or (lambda _text: None)
    source, target = Path(backup_file), Path(db)
    _must_be_a_file(source, "backup")
    _refuse_same(target, source, "backup")
    if target.exists():
        if not force:
            raise DissuadeError(f"{target} 已存在；确认要用备份替换它请加 --force / {target} "
                                f"exists: add --force to replace it with the backup")
        if not target.is_file():
            raise InvalidInput(f"不是文件 / not a file: {target}", field="db")
        if in_use(target):
            raise DatabaseBusy(f"数据库正在使用（中心服务器或客户端打开着它），请先停止它们 / the "
                               f"database {target} is in use (a hub or a client has it open): "
                               f"stop them first")
    else:
        if not target.parent.is_dir():
            raise InvalidInput(f"目录不存在 / no such folder: {target.parent}", field="db")
        _refuse_orphan_logs(target)
    started = time.monotonic()
    partial = _partial(target, "restore")
    created = not target.exists()
    made = done = False  # made: we created the target and held it alone
    try:
        # The backup is copied before it is checked: checking opens it as a database, which
        # would bring an older backup's schema up to date in the operator's own file.
        say(f"检查备份 / checking the backup {source}")
        src = _open_source(source, BUSY_TIMEOUT_MS)
        try:
            dst = sqlite3.connect(str(partial), isolation_level=None)
            try:
                _copy(src, dst, pages=-1, pause=0)
            finally:
                dst.close()
        except sqlite3.DatabaseError as exc:
            if not_a_database(exc):
                raise DatabaseUnusable(f"不是 SQLite 数据库 / not an SQLite database: {source}") \
                    from None
            raise DatabaseUnusable(f"无法读取备份 / cannot read the backup {source}: {exc}") \
                from None
        finally:
            src.close()
        checked = check(partial)
        say(f"写入 / writing {target}")
        with exclusive(target) as dst:
            if created:
                made = True
                dst.execute("PRAGMA journal_mode = WAL")
            _match_page_size(partial, dst)
            src = _open_source(partial, BUSY_TIMEOUT_MS)
            try:
                _copy(src, dst, pages=pages, pause=0)
            finally:
                src.close()
            (result,) = dst.execute("PRAGMA quick_check").fetchone()
            if result != "ok":
                raise DatabaseUnusable(f"恢复后检查失败 / the restored database fails its check: "
                                       f"{result}")
        done = True
    finally:
        _remove(partial)
        if made and not done:
            _remove(target)  # ours, made empty a moment ago: nothing else has it open
    return Checked(target, checked.pages, checked.page_size, checked.warnings,
                   checked.audit_rows, checked.head_id, checked.head_hash,
                   time.monotonic() - started)


def _match_page_size(copy: Path, target: sqlite3.Connection) -> None:
    """A WAL database takes a backup only of its own page size: rebuild our copy to fit."""
    (wanted,) = target.execute("PRAGMA page_size").fetchone()
    conn = sqlite3.connect(str(copy), isolation_level=None)
    try:
        (have,) = conn.execute("PRAGMA page_size").fetchone()
        if have != wanted and target.execute("PRAGMA page_count").fetchone()[0]:
            conn.execute("PRAGMA journal_mode = DELETE")
            conn.execute(f"PRAGMA page_size = {int(wanted)}")
            conn.execute("VACUUM")
            conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
