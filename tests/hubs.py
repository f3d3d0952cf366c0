"""Real hubs for tests: uvicorn on loopback in a thread, or `dissuade serve` in a process."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import uvicorn

from dissuade.hub import create_app, server
from dissuade.store import Store

USERS = {"officer-a": "officer", "officer-b": "officer", "lead-1": "lead", "feed-1": "feed",
         "trainer-1": "trainer", "admin-1": "admin"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_users(db: Path, users: dict[str, str] | None = None) -> dict[str, str]:
    """Users (name: role; USERS by default) and their tokens."""
    store = Store(db)
    tokens = {name: store.add_user(name, role=role) for name, role in (users or USERS).items()}
    store.close()
    return tokens


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`dissuade ARGS` in a process of its own, as an operator runs it beside a hub."""
    return subprocess.run([sys.executable, "-m", "dissuade.cli", *args], capture_output=True,
                          text=True, timeout=timeout, env=dict(os.environ))


@dataclass
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
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the hub did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self.server is not None and self.thread is not None:
            self.server.should_exit = True
            self.thread.join(timeout=20)


@dataclass
class ProcessHub:
    """`dissuade serve` as its own process, so that a test can kill it as a power cut would."""

    db: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ProcessHub:
        env = dict(os.environ)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "dissuade.cli", "serve", "--db", str(self.db),
             "--port", str(self.port)], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("dissuade serve did not start")

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=20)
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
