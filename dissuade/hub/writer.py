"""Group commit: the hub's short writes from many requests committed together, one fsync for all.

Every claim, release and attempt is a committed, fsynced transaction before its answer leaves
(synchronous = FULL: nothing acknowledged is lost when the power goes). One commit per request
makes the disk's flush the hub's speed limit, and under load each writer also waits for the
interpreter between its statements and its commit, so the write lock is held longest exactly
when the room is busiest. Operations declared `grouped` in the table (short writes that reach
no gateway) are instead handed to one writer thread with a connection of its own. It takes every
request waiting, runs each inside a savepoint of one transaction (a request that fails is rolled
back alone and gets its own error), commits once, and only then lets their answers go: each
request still sees its own committed, durable write, in the order the requests arrived.

The writer takes the hub's write lock like every other connection of the hub, so a write on a
worker thread (an import, a delivery's bookkeeping) and a group never overlap; other processes
over the file wait on SQLite's own lock as before.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from dissuade.domain.errors import DatabaseBusy

log = logging.getLogger(__name__)

GROUP_MAX = 64  # requests in one transaction: a group's slowest answer waits for all of them


class GroupCommit:
    """One writer thread that runs jobs (`job(store)`) in groups, one commit per group."""

    def __init__(self, open_store: Callable[[], Any], *, lock_timeout: float) -> None:
        self._open_store = open_store
        self._lock_timeout = lock_timeout
        self._waiting: collections.deque[tuple[Callable[[Any], Any], Future[Any]]] = \
            collections.deque()
        self._ready = threading.Condition()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="dissuade-writer", daemon=True)
        self._started = False
        self.groups = 0  # how many commits; with `jobs`, how well the writes group
        self.jobs = 0

    def start(self) -> None:
        if self._started:
            return
        with self._ready:
            if not self._started:
                self._started = True
                self._thread.start()

    def stop(self) -> None:
        with self._ready:
            self._stopping = True
            self._ready.notify()
        if self._started:
            self._thread.join(timeout=30)

    async def run(self, job: Callable[[Any], Any]) -> Any:
        """`job(store)` inside a group's transaction; its result once the group has committed
        (or its exception, its own work rolled back)."""
        future: Future[Any] = Future()
        self.start()  # (an app whose lifespan never ran, as in a test client)
        with self._ready:
            if self._stopping:
                raise DatabaseBusy("服务器正在停止 / the hub is stopping")
            self._waiting.append((job, future))
            self._ready.notify()
        return await asyncio.wrap_future(future)

    def _take(self) -> list[tuple[Callable[[Any], Any], Future[Any]]] | None:
        with self._ready:
            while not self._waiting and not self._stopping:
                self._ready.wait()
            if not self._waiting:
                return None
            group: list[tuple[Callable[[Any], Any], Future[Any]]] = []
            while self._waiting and len(group) < GROUP_MAX:
                job, future = self._waiting.popleft()
                # A request whose client went away before its turn is dropped, undone as it
                # never ran; once taken it can no longer be cancelled, so its answer is always
                # set (and the others' answers never fail for it).
                if future.set_running_or_notify_cancel():
                    group.append((job, future))
            return group

    def _run(self) -> None:
        store = None
        while (group := self._take()) is not None:
            if not group:
                continue  # every request of it went away before its turn
            try:
                if store is None:
                    store = self._open_store()
                self._commit(store, group)
            except Exception as exc:  # noqa: BLE001 - the writer outlives any one group
                log.exception("the writer's group failed")
                for _job, future in group:
                    if not future.done():
                        future.set_exception(_busy(exc))
                if store is not None and store.conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        store.conn.execute("ROLLBACK")
        if store is not None:
            store.close()

    def _commit(self, store: Any, group: list[tuple[Callable[[Any], Any], Future[Any]]]) -> None:
        lock = getattr(store.conn, "write_lock", None)
        if lock is not None and not lock.acquire(timeout=self._lock_timeout):
            busy = DatabaseBusy("数据库忙，请稍后重试 / database is busy (writers queued too long)")
            for _job, future in group:
                future.set_exception(busy)
            return
        try:
            answers = self._transaction(store.conn, store, group)
        finally:
            if lock is not None:
                lock.release()
        self.groups += 1
        self.jobs += len(group)
        for future, ok, value in answers:
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

    def _transaction(self, conn: Any, store: Any, group: list[tuple[Callable[[Any], Any],
                                                                    Future[Any]]]
                     ) -> list[tuple[Future[Any], bool, Any]]:
        """Run the group in one transaction: (future, succeeded, result or exception) each.
        Nothing succeeds unless the commit does."""
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            return _all_fail(group, exc)
        answers: list[tuple[Future[Any], bool, Any]] = []
        for n, (job, future) in enumerate(group):
            conn.execute("SAVEPOINT request")
            try:
                result = job(store)
            except Exception as exc:  # noqa: BLE001 - one request's error is its own
                if not self._undo(conn):  # SQLite gave the whole transaction up
                    return [(future, False, exc), *_all_fail(
                        group[:n] + group[n + 1:], exc)]
                answers.append((future, False, exc))
            else:
                conn.execute("RELEASE request")
                answers.append((future, True, result))
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            log.warning("a group of %d writes was not committed: %s", len(group), exc)
            return [(f, False, value if not ok else _busy(exc)) for f, ok, value in answers]
        return answers

    @staticmethod
    def _undo(conn: Any) -> bool:
        """Roll one request's work back; False when the transaction itself is gone."""
        try:
            conn.execute("ROLLBACK TO request")
            conn.execute("RELEASE request")
        except sqlite3.Error:
            return False
        return bool(conn.in_transaction)


def _busy(exc: BaseException) -> DatabaseBusy:
    return DatabaseBusy(f"数据库忙，请稍后重试 / database is busy: {exc}")


def _all_fail(group: list[tuple[Callable[[Any], Any], Future[Any]]],
              exc: BaseException) -> list[tuple[Future[Any], bool, Any]]:
    return [(future, False, _busy(exc)) for _job, future in group]


__all__ = ["GROUP_MAX", "GroupCommit"]
