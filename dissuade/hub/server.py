"""Serving the hub with uvicorn, with a deadline for each request to arrive (slowloris).

uvicorn's h11 protocol has a keep-alive timeout for idle connections between requests, and
nothing else: the keep-alive timer is cancelled by the first byte that arrives, so a client that
sends a request head one byte every few seconds holds a connection (and its memory) for ever,
and a few hundred such clients hold every file descriptor the hub has. ASGI middleware cannot
help: the app is called only once the head is complete. `GuardedH11Protocol` adds the deadline
where the bytes arrive: a connection must deliver a complete request head within HEAD_TIMEOUT
seconds of opening or of its first byte (after a keep-alive pause), and the request's body within
BODY_TIMEOUT seconds after its head; otherwise it is answered 408 and closed. Idle keep-alive
connections between requests are uvicorn's business, as before (workstations sit idle through
long calls).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT = 15.0  # seconds for a complete request line and headers
BODY_TIMEOUT = 60.0  # seconds for the body once the head is in (a feed's batch of 5,000)
KEEP_ALIVE_SECONDS = 300
# Told to stop, requests still running get this long before they are cancelled (long polls are
# answered at once: see HubServer); the lifespan's shutdown follows. systemd waits 10 s.
STOP_GRACE_SECONDS = 5.0
_TIMED_OUT = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
              b"content-length: 16\r\nconnection: close\r\n\r\nrequest too slow")
log = logging.getLogger(__name__)


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with deadlines for a request's head and body to arrive."""

    head_timeout = HEAD_TIMEOUT
    body_timeout = BODY_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._deadline: asyncio.TimerHandle | None = None
        self._waiting_for: str | None = None  # "head" or "body": what the deadline is for
        super().connection_made(transport)
        self._arm("head")  # a connection that never sends a byte is a slowloris too

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._follow()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._follow()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _follow(self) -> None:
        """Set the deadline to what the connection is waiting for from the client now."""
        if self.transport.is_closing():
            self._disarm()
            return
        state = self.conn.their_state
        if state is h11.IDLE:
            if self.conn.trailing_data[0]:
                self._arm("head")  # part of a head is in: the rest must follow in time
            elif self._waiting_for == "body" or self.cycle is not None:
                self._disarm()  # between requests: uvicorn's keep-alive timeout applies
        elif state is h11.SEND_BODY:
            self._arm("body")
        else:
            self._disarm()  # the request is all in (DONE), or the connection is ending

    def _arm(self, what: str) -> None:
        if self._waiting_for == what and self._deadline is not None:
            return  # keep the deadline already running: more bytes do not buy more time
        self._disarm()
        delay = self.head_timeout if what == "head" else self.body_timeout
        self._waiting_for = what
        self._deadline = self.loop.call_later(delay, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline, self._waiting_for = None, None

    def _too_slow(self) -> None:
        what = self._waiting_for
        self._deadline, self._waiting_for = None, None
        if self.transport.is_closing():
            return
        log.info("%s: closing a connection whose request %s did not arrive in time",
                 self.client[0] if self.client else "?", what)
        if what == "head":
            if self.conn.trailing_data[0]:
                self.transport.write(_TIMED_OUT)  # part of a head came: say why
            # Not a byte came: nothing was asked, so nothing is answered.
        elif self.cycle is not None and not self.cycle.response_started:
            self.cycle.disconnected = True  # the app, waiting for the body, sees a disconnect
            self.cycle.message_event.set()
            self.transport.write(_TIMED_OUT)
        self.transport.close()


def guarded(*, head_timeout: float = HEAD_TIMEOUT,
            body_timeout: float = BODY_TIMEOUT) -> type[GuardedH11Protocol]:
    """The protocol class with other deadlines (tests use a second or two)."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,),
                {"head_timeout": head_timeout, "body_timeout": body_timeout})


def options(*, head_timeout: float = HEAD_TIMEOUT, body_timeout: float = BODY_TIMEOUT,
            **more: Any) -> dict[str, Any]:
    """uvicorn's settings for the hub (for uvicorn.run or uvicorn.Config): the guarded protocol,
    long keep-alive, no access log. Host headers are never reflected: the app makes no
    redirects (see create_app)."""
    return {"http": guarded(head_timeout=head_timeout, body_timeout=body_timeout),
            "access_log": False,
            # Workstations sit idle through long calls: keep their connections open rather than
            # closing them after uvicorn's default 5 s and racing the client's next request.
            "timeout_keep_alive": KEEP_ALIVE_SECONDS,
            "timeout_graceful_shutdown": STOP_GRACE_SECONDS, **more}


def config(app: Any, **settings: Any) -> uvicorn.Config:
    """A uvicorn.Config serving `app` as `dissuade serve` does (tests run hubs with it)."""
    return uvicorn.Config(app, **options(**settings))


class HubServer(uvicorn.Server):
    """uvicorn's server for `dissuade serve`, made to stop as a service should.

    Told to stop (SIGTERM from systemd or a service manager, Ctrl+C), it calls the app's
    `state.on_stop` on the event loop, which answers every waiting long poll (GET /events
    would otherwise hold the stop for up to its 25 s timeout); other requests get
    STOP_GRACE_SECONDS. A stop that was asked for ends with exit status 0: uvicorn would
    raise the signal again once shut down, and the process would die of it (status 143).
    """

    _loop: asyncio.AbstractEventLoop | None = None

    async def startup(self, sockets: Any = None) -> None:
        self._loop = asyncio.get_running_loop()
        await super().startup(sockets=sockets)

    def handle_exit(self, sig: int, frame: Any) -> None:
        super().handle_exit(sig, frame)
        on_stop = getattr(getattr(self.config.app, "state", None), "on_stop", None)
        if on_stop is not None and self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(on_stop)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        with super().capture_signals():
            yield
            self._captured_signals.clear()  # a stop asked for is not a death by signal


def serve(app: Any, **settings: Any) -> None:
    """Run `app` as `dissuade serve` does until told to stop (see HubServer), its log redacted
    (dissuade/hub/logs.py)."""
    from dissuade.hub import logs

    settings.setdefault("use_colors", False)  # a journal or a file, not a terminal's colours
    hub_config = config(app, **settings)  # uvicorn sets up its loggers here
    logs.install()
    HubServer(hub_config).run()
