"""Clients that send too slowly, or lie in their Host header, over real sockets to a real hub."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from dissuade import cli
from dissuade.hub import server
from tests.hubs import HubServer, SharedHub, make_users

HEAD, BODY = 1.0, 2.0  # the hub's deadlines in these tests (15 s and 60 s when served)


@pytest.fixture(scope="module")
def quick_server() -> Iterator[HubServer]:
    """One server with these deadlines for the module; each test's hub is its own."""
    host = HubServer(server_options={"head_timeout": HEAD, "body_timeout": BODY})
    yield host
    host.stop()


@pytest.fixture
def quick_hub(quick_server: HubServer, tmp_path: Path) -> Iterator[SharedHub]:
    db = tmp_path / "centre.db"
    hub = quick_server.hub(db, make_users(db)).start()
    yield hub
    hub.close()


def connect(hub: SharedHub) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", hub.port), timeout=10)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the hub sends until it closes the connection (or 10 s pass)."""
    out = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, TimeoutError):
            return out
        if not chunk:
            return out
        out += chunk


def read_response(sock: socket.socket) -> bytes:
    """One whole response (head and a content-length body) on a kept-alive connection."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def test_a_request_head_dribbled_a_byte_at_a_time_is_cut_off(quick_hub: SharedHub) -> None:
    """Slowloris: a byte every 0.3 s never completes the head; the hub closes within its
    deadline instead of holding the connection for ever."""
    sock = connect(quick_hub)
    request = (b"GET /api/v1/health HTTP/1.1\r\nHost: hub\r\nX-Padding: "
               + b"a" * 200 + b"\r\n\r\n")
    started = time.monotonic()
    answer = None
    sock.settimeout(0.3)  # between two bytes, look whether the hub has answered or closed
    for byte in request:
        try:
            sock.sendall(bytes([byte]))
            answer = sock.recv(65536)
        except TimeoutError:
            continue  # still open, still waiting for the rest of the head
        except (BrokenPipeError, ConnectionResetError):
            answer = b""
        break
    closed_after = time.monotonic() - started
    sock.close()
    assert answer is not None, "the whole head went out a byte at a time: never cut off"
    assert closed_after < HEAD + 1.5, closed_after
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer[:100]


def test_a_connection_that_never_sends_a_byte_is_closed(quick_hub: SharedHub) -> None:
    sock = connect(quick_hub)
    started = time.monotonic()
    assert read_all(sock) == b""
    assert time.monotonic() - started < HEAD + 2
    sock.close()


def test_a_slow_but_timely_head_is_answered(quick_hub: SharedHub) -> None:
    sock = connect(quick_hub)
    request = b"GET /api/v1/health HTTP/1.1\r\nHost: hub\r\n\r\n"
    for part in (request[:10], request[10:25], request[25:]):
        sock.sendall(part)
        time.sleep(HEAD / 4)
    assert read_response(sock).startswith(b"HTTP/1.1 200")
    sock.close()


def test_an_idle_kept_alive_connection_is_not_cut_by_the_head_deadline(
        quick_hub: SharedHub) -> None:
    """Workstations sit idle between requests through long calls: the deadline is for a head
    that has begun, not for the pause before it."""
    sock = connect(quick_hub)
    request = b"GET /api/v1/health HTTP/1.1\r\nHost: hub\r\n\r\n"
    sock.sendall(request)
    assert read_response(sock).startswith(b"HTTP/1.1 200")
    time.sleep(HEAD * 2.5)
    sock.sendall(request)
    assert read_response(sock).startswith(b"HTTP/1.1 200")
    # ... but a head begun after the pause must still arrive in time.
    sock.sendall(request[:5])
    started = time.monotonic()
    assert read_all(sock).startswith(b"HTTP/1.1 408")
    assert time.monotonic() - started < HEAD + 2
    sock.close()


def test_a_body_that_never_finishes_is_cut_off(quick_hub: SharedHub) -> None:
    sock = connect(quick_hub)
    token = quick_hub.tokens["officer-a"]
    sock.sendall(b"POST /api/v1/warnings/1/attempts HTTP/1.1\r\nHost: hub\r\n"
                 b"Authorization: Bearer " + token.encode() + b"\r\n"
                 b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"client_id\":")
    started = time.monotonic()
    answer = read_all(sock)
    assert time.monotonic() - started < BODY + 2
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer[:100]
    sock.close()


@pytest.mark.parametrize("path", ["/api/v1/health/", "/api/v1/queue/", "/docs/",
                                  "//evil.example/api/v1/health", "/api/v1/./health"])
def test_no_answer_reflects_the_host_header(quick_hub: SharedHub, path: str) -> None:
    """Starlette's trailing-slash redirect built its Location from the Host header: a link to
    the hub could send a workstation to evil.example. The hub makes no redirects."""
    sock = connect(quick_hub)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: evil.example\r\n"
                 "Connection: close\r\n\r\n".encode())
    answer = read_all(sock)
    sock.close()
    status = int(answer.split(b" ", 2)[1])
    assert not 300 <= status < 400, answer[:300]
    assert b"evil.example" not in answer and b"location:" not in answer.lower()


def test_dissuade_serve_runs_the_guarded_protocol(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}
    monkeypatch.setattr(server, "serve", lambda app, **settings: seen.update(server.options(**settings)))
    assert cli.main(["serve", "--db", str(tmp_path / "centre.db"), "--port", "8999"]) == 0
    protocol = seen["http"]
    assert isinstance(protocol, type) and issubclass(protocol, server.GuardedH11Protocol)
    assert (protocol.head_timeout, server.HEAD_TIMEOUT) == (15.0, 15.0)
    assert seen["timeout_keep_alive"] == server.KEEP_ALIVE_SECONDS
    assert seen["timeout_graceful_shutdown"] == server.STOP_GRACE_SECONDS
