"""Real hubs for tests: uvicorn on loopback in a thread, or `dissuade serve` in a process."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from uvicorn.lifespan.on import LifespanOn

from dissuade.hub import create_app, server
from dissuade.store import Store, dialect

USERS = {"officer-a": "officer", "officer-b": "officer", "lead-1": "lead", "feed-1": "feed",
         "trainer-1": "trainer", "admin-1": "admin"}


def _below_the_ephemeral_ports() -> range:
    """Ports the OS never hands out as a connection's source port (Linux: below
    ip_local_port_range; elsewhere below 32768, under the usual 49152)."""
    low = 32768
    with contextlib.suppress(OSError, ValueError, IndexError):
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    return range(max(1024, low - 12_000), low)


_PORTS = _below_the_ephemeral_ports()
_RANDOM = random.SystemRandom()  # never the seeded `random`: parallel runs pick apart


def free_port() -> int:
    """A loopback port nothing listens on, for a server to bind next. Not bind(0)'s: that
    comes from the range clients' source ports are taken from, so between this check and the
    server's bind any connection (of this run, a parallel worker or another program) could
    take it ('address already in use'). One from below that range is taken only by a server
    binding it on purpose."""
    for _ in range(200):
        port = _RANDOM.choice(_PORTS)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {_PORTS}")


_EMPTY_CENTRE: Path | None = None


def _new_centre(db: Path) -> None:
    """A new database file, as `Store(db)` makes it: a copy of one made so once per test run
    (creating and migrating a file costs more than the rest of a hub's start)."""
    global _EMPTY_CENTRE
    if _EMPTY_CENTRE is None:
        folder = tempfile.mkdtemp(prefix="dissuade-empty-centre-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        template = Path(folder) / "centre.db"
        Store(template).close()  # the last connection's close leaves no WAL beside it
        assert not Path(f"{template}-wal").exists()
        _EMPTY_CENTRE = template
    shutil.copyfile(_EMPTY_CENTRE, db)


def make_users(db: Path, users: dict[str, str] | None = None) -> dict[str, str]:
    """Users (name: role; USERS by default) and their tokens (on a new file if none is there)."""
    if not dialect.is_url(db) and not db.exists():
        _new_centre(db)
    store = Store(db)
    tokens = {name: store.add_user(name, role=role) for name, role in (users or USERS).items()}
    store.close()
    return tokens


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`dissuade ARGS` in a process of its own, as an operator runs it beside a hub."""
    return subprocess.run([sys.executable, "-m", "dissuade.cli", *args], capture_output=True,
                          text=True, timeout=timeout, env=dict(os.environ))


@dataclass(eq=False)
class ThreadHub:
    db: Path
    tokens: dict[str, str]
    port: int = field(default_factory=free_port)
    busy_timeout_ms: int = 5000
    app_options: dict[str, object] = field(default_factory=dict)  # bank, dialer, chase_every
    server_options: dict[str, object] = field(default_factory=dict)  # head_timeout, ...
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ThreadHub:
        app = create_app(self.db, busy_timeout_ms=self.busy_timeout_ms,
                         **self.app_options)  # type: ignore[arg-type]
        # As `dissuade serve` runs it (the request-head deadline included), unless a test
        # asks for other deadlines.
        config = server.config(app, host="127.0.0.1", port=self.port, log_level="warning",
                               lifespan="on", **self.server_options)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        _THREAD_HUBS.add(self)
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                self.stop()
                raise RuntimeError("the hub did not start")
            time.sleep(0.005)
        return self

    def stop(self) -> None:
        _THREAD_HUBS.discard(self)
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=20)


@dataclass
class HubServer:
    """One uvicorn server on loopback that serves one hub at a time: a module's tests share it,
    and each test mounts a hub of its own on it (`hub(db, tokens)`: create_app over the test's
    own database). Starting and stopping uvicorn costs about 0.2 s (its 0.1 s ticks); a hub's
    app costs a tenth of that, so a test keeps its own hub and database without paying for a
    server. The server is configured as `dissuade serve` configures it (server.config: the
    guarded protocol, its deadlines); a request reaches the mounted app unchanged, with the
    mounted app's lifespan state as uvicorn gives it; the app's lifespan (the watch, the chaser)
    is run by uvicorn's own lifespan runner, on the server's event loop."""

    port: int = field(default_factory=free_port)
    server_options: dict[str, object] = field(default_factory=dict)
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None
    loop: asyncio.AbstractEventLoop | None = None
    app: Any = None  # the mounted hub's app: None between tests
    lifespan: LifespanOn | None = None
    busy: int = 0  # requests in flight in the mounted app (counted on the server's loop)
    idle: asyncio.Event | None = None  # set while none is
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def running(self) -> bool:
        return (self.server is not None and self.thread is not None and self.thread.is_alive()
                and not self.server.should_exit)

    async def _serve(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":  # the server's own: it only tells us the loop
            self.loop = asyncio.get_running_loop()
            self.idle = asyncio.Event()
            self.idle.set()
            while (await receive())["type"] != "lifespan.shutdown":
                await send({"type": "lifespan.startup.complete"})
            await send({"type": "lifespan.shutdown.complete"})
            return
        app, lifespan = self.app, self.lifespan
        if app is None or lifespan is None:
            raise RuntimeError("no hub is mounted on this server")
        assert self.idle is not None
        self.busy += 1
        self.idle.clear()
        try:
            # As uvicorn gives a request its app's lifespan state (a shallow copy).
            await app({**scope, "state": lifespan.state.copy()}, receive, send)
        finally:
            self.busy -= 1
            if not self.busy:
                self.idle.set()

    def start(self) -> HubServer:
        with self.lock:
            if self.running:
                return self
            self.loop = None
            config = server.config(self._serve, host="127.0.0.1", port=self.port,
                                   log_level="warning", lifespan="on", interface="asgi3",
                                   **self.server_options)
            self.server = uvicorn.Server(config)
            self.thread = threading.Thread(target=self.server.run, daemon=True,
                                           name=f"hub-server-{self.port}")
            self.thread.start()
            deadline = time.monotonic() + 20
            while not self.server.started or self.loop is None:
                if time.monotonic() > deadline or not self.thread.is_alive():
                    raise RuntimeError("the hub's server did not start")
                time.sleep(0.005)
            return self

    def stop(self) -> None:
        with self.lock:
            try:
                self.unmount()
            finally:
                if self.server is not None and self.thread is not None:
                    self.server.should_exit = True
                    self.thread.join(timeout=20)
                    if self.thread.is_alive():
                        raise RuntimeError("the hub's server did not stop")
                self.server = self.thread = self.loop = None

    def _on_loop(self, coro: Any, timeout: float = 30) -> Any:
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def mount(self, app: Any) -> None:
        """Serve `app` from now on, once its lifespan has started (as uvicorn starts it)."""
        with self.lock:
            assert self.app is None, "a hub is mounted already"
            self.start()

            async def startup() -> LifespanOn:
                lifespan = LifespanOn(server.config(app, log_level="warning", lifespan="on"))
                await lifespan.startup()
                return lifespan

            lifespan = self._on_loop(startup())
            if lifespan.should_exit:
                raise RuntimeError("the hub did not start")
            self.lifespan, self.app = lifespan, app

    def unmount(self, timeout: float = 30) -> None:
        """As uvicorn stops: the requests in flight finish, then the app's lifespan ends.
        A request still running after `timeout` seconds is an error (uvicorn would wait)."""
        with self.lock:
            lifespan = self.lifespan
            if self.app is None or lifespan is None or not self.running:
                self.app = self.lifespan = None
                return

            async def shutdown() -> None:
                assert self.idle is not None
                deadline = asyncio.get_running_loop().time() + timeout
                try:
                    while self.busy:  # checked again on waking: one may have come meanwhile
                        remaining = deadline - asyncio.get_running_loop().time()
                        await asyncio.wait_for(self.idle.wait(), max(remaining, 0))
                finally:
                    self.app = None  # a request arriving now is refused
                await lifespan.shutdown()

            try:
                self._on_loop(shutdown(), timeout=timeout + 30)
            finally:
                self.app = self.lifespan = None

    def hub(self, db: Path, tokens: dict[str, str], *, busy_timeout_ms: int = 5000,
            **app_options: object) -> SharedHub:
        return SharedHub(db, tokens, self, busy_timeout_ms, app_options)


@dataclass
class SharedHub:
    """A test's own hub (create_app over its database) on the module's HubServer. It starts
    when first reached, through `url` or `port` (from any thread): a `[local]` variant, which
    uses only `db` and `tokens`, starts none. `stop()` stops it as ThreadHub.stop does, the
    server with it (the next test's hub starts another); `close()` at the test's end ends the
    hub and leaves the server for the next test."""

    db: Path
    tokens: dict[str, str]
    host: HubServer
    busy_timeout_ms: int = 5000
    app_options: dict[str, object] = field(default_factory=dict)
    started: bool = False
    app: Any = None
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def url(self) -> str:
        self.start()
        return self.host.url

    @property
    def port(self) -> int:
        self.start()
        return self.host.port

    def start(self) -> SharedHub:
        with self.lock:
            if not self.started:
                self.app = create_app(self.db, busy_timeout_ms=self.busy_timeout_ms,
                                      **self.app_options)  # type: ignore[arg-type]
                self.host.mount(self.app)
                self.started = True
        return self

    def stop(self) -> None:
        """As a hub goes down: its app ends and the server with it; `start()` brings up a new
        hub over the same file on the same port, as a restarted `dissuade serve` would."""
        with self.lock:
            if self.started and self.host.app is self.app:
                self.host.stop()
            self.started, self.app = False, None

    def close(self) -> None:
        """The test is over: its hub ends, the server stays for the next test's."""
        with self.lock:
            if self.started and self.host.app is self.app:
                self.host.unmount()


_THREAD_HUBS: set[ThreadHub] = set()  # started and not stopped
_PROCESSES: set[subprocess.Popen[bytes]] = set()  # every ProcessHub's process not yet killed


# Linux: a hub process gets SIGKILL when the thread that started it ends (the test run's main
# thread: a run killed at its timeout leaves no `dissuade serve` behind holding a port and a
# database). The function is found here, not in the child between fork and exec.
_PRCTL = None
if sys.platform == "linux":
    import ctypes

    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, before exec
    assert _PRCTL is not None
    _PRCTL(1, 9)  # PR_SET_PDEATHSIG, SIGKILL


def running() -> set[object]:
    """The ThreadHubs and ProcessHub processes started and not stopped or killed yet."""
    return {*_THREAD_HUBS, *_PROCESSES}


def end_hubs(spare: set[object] | frozenset[object] = frozenset()) -> int:
    """Stop every ThreadHub and kill every ProcessHub process still running but those in
    `spare` (a test that failed half-way leaves its hubs running); how many there were."""
    hubs = [hub for hub in _THREAD_HUBS if hub not in spare]
    procs = [proc for proc in _PROCESSES if proc not in spare]
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=20)
        _PROCESSES.discard(proc)
    for hub in hubs:
        hub.stop()
    return len(hubs) + len(procs)


atexit.register(end_hubs)


@dataclass
class ProcessHub:
    """`dissuade serve` as its own process, so that a test can kill it as a power cut would.
    A process a test leaves running is killed when the test ends (tests/conftest.py), and at
    the latest when the test run ends or dies."""

    db: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ProcessHub:
        env = dict(os.environ)
        with tempfile.TemporaryFile() as errors:  # what it said, should it not start
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "dissuade.cli", "serve", "--db", str(self.db),
                 "--port", str(self.port)], env=env,
                stdout=subprocess.DEVNULL, stderr=errors,
                preexec_fn=_die_with_parent if _PRCTL is not None else None)
            _PROCESSES.add(self.proc)
            deadline = time.monotonic() + 30
            with httpx.Client(timeout=1) as client:
                while time.monotonic() < deadline and self.proc.poll() is None:
                    try:
                        if client.get(f"{self.url}/api/v1/health").status_code == 200:
                            return self
                    except httpx.TransportError:
                        time.sleep(0.05)
            exit_code = self.proc.poll()
            self.kill()
            errors.seek(0)
            said = errors.read().decode(errors="replace")[-2000:]
        raise RuntimeError(f"dissuade serve did not start on port {self.port} "
                           f"(exit {exit_code}): {said}")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=20)
            _PROCESSES.discard(self.proc)
            self.proc = None


@dataclass
class FaultyProxy:
    """A real HTTP server in front of a hub that passes every request on, except that it
    answers the paths in `faults` itself (status and body), and counts what it saw: for the
    answers a healthy hub never gives (a 500, a page that is not JSON). `stop()` makes it
    unreachable; `start()` again on the same port brings it back."""

    target: str
    faults: dict[str, tuple[int, str]] = field(default_factory=dict)
    # Paths whose next N answers are lost: the hub does the work, the client hears nothing back
    # (held past the client's read timeout, as a dropped connection would).
    lose: dict[str, int] = field(default_factory=dict)
    lose_seconds: float = 3.0
    port: int = field(default_factory=free_port)
    seen: list[tuple[str, str]] = field(default_factory=list)
    answered: list[tuple[str, str, int]] = field(default_factory=list)  # with the status sent
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def count(self, method: str, path: str) -> int:
        return self.seen.count((method, path))

    def start(self) -> FaultyProxy:
        from starlette.applications import Starlette
        from starlette.requests import Request
        from starlette.responses import Response
        from starlette.routing import Route

        async def relay(request: Request) -> Response:
            path = request.url.path
            self.seen.append((request.method, path))
            if path in self.faults:
                status, body = self.faults[path]
                return Response(body, status_code=status, media_type="text/html")
            async with httpx.AsyncClient(base_url=self.target, timeout=30) as client:
                answer = await client.request(
                    request.method, path, params=request.query_params, content=await request.body(),
                    headers={k: v for k, v in request.headers.items() if k.lower() != "host"})
            if self.lose.get(path, 0) > 0:
                self.lose[path] -= 1
                await asyncio.sleep(self.lose_seconds)
            self.answered.append((request.method, path, answer.status_code))
            return Response(answer.content, status_code=answer.status_code,
                            media_type=answer.headers.get("content-type"))

        app = Starlette(routes=[Route("/{path:path}", relay,
                                      methods=["GET", "POST", "PUT", "DELETE"])])
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the proxy did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=20)
            self.server = self.thread = None
