"""The hub's FastAPI application over one database file: a route for every operation of the table
(routes.py) and the hand-written ones (docs/architecture.md, "What is written by hand")."""

# No `from __future__ import annotations` here: FastAPI reads the route signatures, and the
# role dependencies are local to create_app.


import asyncio
import contextlib
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse

from dissuade import __version__
from dissuade.domain import privacy, timeutil
from dissuade.domain.codes import Role
from dissuade.domain.errors import DissuadeError
from dissuade.domain.models import Warning
from dissuade.gateways.bank import BankGateway
from dissuade.gateways.dialer import Dialer
from dissuade.gateways.robot_dialer import RobotDialer
from dissuade.gateways.sms import Gateway as SmsGateway
from dissuade.hub import errors
from dissuade.hub.auth import Auth, Bearer
from dissuade.hub.guard import LastResort
from dissuade.hub.limits import BodyLimit
from dissuade.hub.metrics import CONTENT_TYPE as METRICS_TYPE
from dissuade.hub.metrics import HubMetrics
from dissuade.hub.routes import add_routes
from dissuade.hub.session import add_session_routes
from dissuade.hub.writer import GroupCommit
from dissuade.sources import codec
from dissuade.sources.ops import Caller, Env
from dissuade.sources.table import WORK
from dissuade.store import Store, dialect, upgrade
from dissuade.store.connection import BUSY_TIMEOUT_MS

WATCH_INTERVAL = 0.2  # seconds between looks at the database for news (one query for everyone)
LISTEN_FALLBACK = 0.5  # PostgreSQL: the longest wait for a NOTIFY before looking anyway
NEWS_TTL = 1.0  # seconds a long poll's news is shared by the clients asking the same
CHECKPOINT_EVERY = 10  # watch ticks between background WAL checkpoints (2 s)
SCRAPING = frozenset({Role.ADMIN.value, Role.METRICS.value})  # who reads /metrics
CHASE_EVERY = 15.0  # seconds between looks for chase calls that are due
log = logging.getLogger(__name__)


class Stores:
    """One connection per worker thread: SQLite serialises writers, WAL lets readers run."""

    def __init__(self, path: str, busy_timeout_ms: int) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.write_lock = threading.Lock()  # one writer at a time, in turn (see Connection)
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()
        self.pooled = dialect.is_url(path)
        if self.pooled:  # PostgreSQL: the threads' connections share a pool (pg.open_pool)
            from dissuade.store import pg

            pg.open_pool(path)
        store = Store(path)  # create and migrate before the first request
        try:
            dialect.refresh_statistics(store.conn)  # PostgreSQL: plans from fresh statistics
        finally:
            store.close()

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self.open()
            self._local.store = store
        return store

    def open(self) -> Store:
        """A connection of its own, closed with the others."""
        store = Store(self.path, create=False, busy_timeout_ms=self.busy_timeout_ms,
                      write_lock=self.write_lock)
        # No checkpoint inside a request's commit (a long stall for that caller); the
        # watcher checkpoints in the background instead.
        store.conn.execute("PRAGMA wal_autocheckpoint = 0")
        with self._lock:
            self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                with contextlib.suppress(Exception):
                    store.close()
            self._all.clear()
        if self.pooled:
            from dissuade.store import pg

            pg.close_pool(self.path)
            self.pooled = False


def _precise(epoch: float | None) -> str | None:
    """ISO 8601 to the millisecond: a client waking for a retry's moment wakes on it."""
    dt = timeutil.to_datetime(epoch)
    return None if dt is None else dt.isoformat(timespec="milliseconds")


class Watch:
    """Wakes long-polling clients when anything changes, from this hub or another process.

    Over SQLite it looks every WATCH_INTERVAL. Over PostgreSQL it waits for the commits' NOTIFY
    (pg.Listener), so news from any hub process arrives at once, and looks every
    LISTEN_FALLBACK seconds anyway (a notification lost with a broken connection)."""

    def __init__(self, stores: Stores) -> None:
        self.stores = stores
        self.seq = 0
        self.changed = asyncio.Event()
        self.stopping = False
        self.closing = False  # the server is stopping: long polls answer at once
        self.listener: Any = None
        if dialect.is_url(stores.path):
            from dissuade.store.pg import Listener

            self.listener = Listener(stores.path)

    def close(self) -> None:
        """The server was told to stop: answer every waiting long poll now (nothing changed),
        and let no new one wait, so that the stop need not outlast a poll's timeout."""
        self.closing = True
        self.changed.set()

    async def _pause(self) -> None:
        if self.listener is None:
            await asyncio.sleep(WATCH_INTERVAL)
        else:
            await run_in_threadpool(self.listener.wait, LISTEN_FALLBACK)

    async def run(self) -> None:
        """Until `stopping`: then it returns between looks, never while one runs on a worker
        thread (cancelled there, its query would go on over a connection being closed)."""
        ticks = 0
        while not self.stopping:
            ticks += 1
            try:
                seq = await run_in_threadpool(lambda: self.stores.get().change_seq())
                if ticks % CHECKPOINT_EVERY == 0:
                    await run_in_threadpool(lambda: self.stores.get().checkpoint())
            except DissuadeError:
                seq = self.seq
            if seq != self.seq:
                self.seq = seq
                self.changed.set()
                self.changed = asyncio.Event()
            await self._pause()
        if self.listener is not None:
            self.listener.close()


class NewsCache:
    """The news a long poll answers with, read once for everyone who asks the same after the
    same change: when a warning arrives, a thousand waiting clients wake together and would
    otherwise each read the same rows. An entry lives for the change it was read after, and
    for NEWS_TTL at most (`next_change` moves with the clock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seq = -1
        self._since = 0.0
        self._entries: dict[int, bytes] = {}
        self._reading: dict[int, threading.Lock] = {}

    def get(self, seq: int, after_warning: int, read: Callable[[], bytes]) -> bytes:
        with self._lock:
            if seq != self._seq or time.monotonic() - self._since > NEWS_TTL:
                self._seq, self._since = seq, time.monotonic()
                self._entries, self._reading = {}, {}
            entries = self._entries
            found = entries.get(after_warning)
            if found is not None:
                return found
            gate = self._reading.setdefault(after_warning, threading.Lock())
        with gate:  # the first reads; the others wait for its answer
            found = entries.get(after_warning)
            if found is None:
                found = read()
                entries[after_warning] = found
        return found


class Chaser:
    """Makes the chase calls as they fall due, on a thread of its own: a call rings for up to a
    minute and must never hold up a claim."""

    def __init__(self, stores: Stores, dialer: Dialer, every: float) -> None:
        self.stores, self.dialer, self.every = stores, dialer, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dissuade-chaser", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        from dissuade import paths
        from dissuade.gateways import escalation_ops

        folder = paths.data_dir() / "chase-voice"
        while not self._stop.is_set():
            try:
                escalation_ops.run_chase_calls(self.stores.get(), gateway=self.dialer,
                                               folder=folder, user="hub-dialer")
            except DissuadeError as exc:
                log.warning("chase calls: %s", exc)
            except Exception:  # noqa: BLE001 - the loop must outlive one bad call
                log.exception("chase calls failed")
            self._stop.wait(self.every)


def create_app(db_path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
               bank: BankGateway | None = None, dialer: Dialer | None = None,
               chase_every: float = CHASE_EVERY, sms: SmsGateway | None = None,
               robot: RobotDialer | None = None,
               robot_options: dict[str, Any] | None = None) -> FastAPI:
    """The hub over `db_path`; a write waiting longer than `busy_timeout_ms` answers 503.

    `bank` delivers approved stop-payment requests (default: PDF and JSON into the data
    folder's bank-outbox); with a `dialer`, the hub makes the chase calls as they fall due;
    with an `sms` gateway, it sends the SMS at arrival (dissuade/gateways/arrival_sms.py);
    with a `robot` dialer, the robot's first pass runs (hub/robot.py; `robot_options` go to its
    `Robot`: the look interval, a clock, a voice maker).
    """
    if str(db_path) != ":memory:" and not dialect.is_url(db_path):
        upgrade.backup_before_migrating(db_path)  # only when migrations are pending; logged
    stores = Stores(str(db_path), busy_timeout_ms)
    watch = Watch(stores)
    bank_gateway = bank or BankGateway()
    bank_gateway.check()
    if dialer is not None:
        dialer.check()
    env = Env(bank=bank_gateway, dialer=dialer)
    outreach = None
    if sms is not None:
        from dissuade.gateways.arrival_sms import ArrivalSender

        outreach = ArrivalSender(stores.open, sms)
        env.extras["outreach"] = outreach
    chaser = Chaser(stores, dialer, chase_every) if dialer is not None else None
    writer = GroupCommit(stores.open, lock_timeout=busy_timeout_ms / 1000)
    robot_lines = None
    if robot is not None:
        from dissuade import paths
        from dissuade.hub.robot import Robot

        robot.check()
        robot_lines = Robot(stores.get, robot, folder=paths.data_dir() / "robot-voice",
                            **(robot_options or {}))

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(watch.run())
        writer.start()
        if chaser is not None:
            chaser.start()
        if outreach is not None:
            outreach.start()
        if robot_lines is not None:
            await run_in_threadpool(robot_lines.start)
        yield
        if robot_lines is not None:
            await run_in_threadpool(robot_lines.stop)
        if outreach is not None:
            outreach.stop()
        if chaser is not None:
            chaser.stop()
        writer.stop()
        watch.stopping = True
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=10)
        except TimeoutError:
            task.cancel()
        auth.close()
        stores.close()

    # redirect_slashes=False: Starlette's trailing-slash redirect builds its Location from the
    # request's Host header, which anyone can set (Host: evil.example). The hub makes no
    # redirects at all: /api/v1/queue/ is a 404, as every other unknown path.
    app = FastAPI(title="dissuade hub", version=__version__, lifespan=lifespan,
                  redirect_slashes=False,
                  description="反诈劝阻中心服务器 / anti-fraud dissuasion hub, API v1")
    app.state.on_stop = watch.close  # called by server.HubServer when told to stop
    errors.install(app)
    app.add_middleware(BodyLimit)
    metrics = HubMetrics(stores.get)
    # Added last: the outermost, it sees every exception (and times every request for /metrics).
    news_cache = NewsCache()
    app.add_middleware(LastResort, observe=metrics.observe)
    auth = Auth(stores)

    def allow(roles: frozenset[str]) -> Callable[..., Any]:
        """The dependency of a route for `roles`: the caller, or 401 / 403."""
        return Bearer(auth, roles)

    Officer = Annotated[Caller, Depends(allow(WORK))]
    Anyone = Annotated[Caller, Depends(Bearer(auth))]

    @app.get("/api/v1/health")
    def health() -> dict[str, str]:
        """Anyone: the hub answers, its version and its clock (`dissuade doctor` compares it)."""
        return {"status": "ok", "version": __version__, "time": _precise(timeutil.now()) or ""}

    @app.get("/metrics", response_class=PlainTextResponse,
             summary="Prometheus text format: admin or metrics role")
    def prometheus(who: Annotated[Caller, Depends(allow(SCRAPING))]) -> Response:
        """The hub's figures for Prometheus (README, "Metrics (监控指标)"): admin and metrics tokens only."""
        return Response(metrics.exposition(), media_type=METRICS_TYPE)

    @app.get("/api/v1/me")
    def me(who: Anyone) -> dict[str, str]:
        return {"name": who.name, "role": who.role}

    add_routes(app, store=stores.get, env=env, allow=allow, writer=writer)
    add_session_routes(app, stores=stores, auth=auth)

    @app.get("/api/v1/events", response_class=Response, responses={200: {
        "description": "seq, last_warning_id, arrivals (warnings), policy_version, next_change",
        "content": {"application/json": {}}}})
    async def events(request: Request, who: Officer,
                     after: Annotated[int, Query(ge=0, le=2**62)] = 0,
                     after_warning: Annotated[int, Query(ge=0, le=2**62)] = 0,
                     timeout: Annotated[float, Query(ge=0, le=60)] = 25) -> Response:
        """Long poll: answers as soon as anything changed after `after` (or at `timeout`), with
        the warnings that arrived after `after_warning` and the policy's version (it grows with
        every policy change: a client seeing a new one fetches /policy)."""
        if watch.seq <= after and not watch.closing:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(watch.changed.wait(), timeout)

        seq = watch.seq

        def news() -> bytes:
            store = stores.get()
            arrivals = store.arrivals(after_id=after_warning)
            return json.dumps({
                "last_warning_id": store.last_warning_id(),
                "arrivals": codec.to_json(privacy.mask(arrivals), list[Warning]),
                "policy_version": store.policy_version(),
                "next_change": _precise(store.next_change())},
                ensure_ascii=False, separators=(",", ":")).encode()

        # A change wakes every long poll at once, and they ask the same: read and encode it
        # once; each answer only puts its own `seq` in front.
        found = await run_in_threadpool(news_cache.get, seq, after_warning, news)
        return Response(b'{"seq":%d,' % max(seq, after) + found[1:],
                        media_type="application/json")

    return app
