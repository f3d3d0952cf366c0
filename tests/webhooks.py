"""A real gateway webhook for tests: http.server on loopback in a thread, recording each POST."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Webhook:
    """What the webhook answers (after `delay` seconds) and what it was sent."""

    status: int = 200
    body: bytes = b"ok"
    content_type: str = "text/plain; charset=utf-8"
    delay: float = 0.0
    url: str = ""
    received: list[tuple[str, str, bytes]] = field(default_factory=list)  # (path, type, body)
    arrived: threading.Event = field(default_factory=threading.Event)  # a POST came in
    lock: threading.Lock = field(default_factory=threading.Lock)


@contextmanager
def webhook(hook: Webhook | None = None) -> Iterator[Webhook]:
    """Serve `hook` on a free loopback port for the block's duration."""
    hook = hook or Webhook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server protocol
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with hook.lock:
                hook.received.append((self.path, self.headers.get("Content-Type", ""), data))
            hook.arrived.set()
            time.sleep(hook.delay)
            self.send_response(hook.status)
            self.send_header("Content-Type", hook.content_type)
            self.send_header("Content-Length", str(len(hook.body)))
            self.end_headers()
            self.wfile.write(hook.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    hook.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
