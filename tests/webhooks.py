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
    served: Webhook = hook or Webhook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server protocol
            data = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with served.lock:
                served.received.append((self.path, self.headers.get("Content-Type", ""), data))
            served.arrived.set()
            time.sleep(served.delay)
            self.send_response(served.status)
            self.send_header("Content-Type", served.content_type)
            self.send_header("Content-Length", str(len(served.body)))
            self.end_headers()
            self.wfile.write(served.body)

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that gave up (a timeout under test) before the answer: expected

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    served.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
