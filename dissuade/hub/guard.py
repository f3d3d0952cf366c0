"""The hub's last line: text no database can store is refused at the door, and a bug answers 503.

A lone UTF-16 surrogate (JSON's ``"\\ud800"``) is valid JSON but no UTF-8 text: it reached
SQLite or the JSON encoder and raised. `unstorable` finds one anywhere in a JSON body, so that the
hub answers 422 naming where it is before any route sees it (the core refuses such text too,
with InvalidInput: limits.check_text). It runs once the caller is known (a request without a
valid token is a 401 whatever its body).

`LastResort` is the outermost middleware. The contract says no request gets a 500: the only 5xx
is 503 with Retry-After. A request that hits a bug (an exception nothing else answered) is logged
with a request id and answered 503, with `Retry-After` and that id, and nothing of the exception:

- not 500: clients (and the outbox) read 5xx other than 503 as "the hub is broken", and the
  contract promises they never see one;
- not a 4xx: the request may be perfectly good. An officer's outcome refused with 4xx would be
  marked a conflict in the outbox; with 503 it waits and is sent again once the hub is fixed,
  so nothing the officer did is lost;
- 503 says what is true from the client's side: the hub cannot answer this now, try later. The
  request id in the body and the log lets an administrator find the traceback.

Starlette's own last handler answers 500 and re-raises, and uvicorn then drops the connection
(the client saw "connection reset"); this one answers and returns, so the connection stays up.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from fastapi.exceptions import RequestValidationError

from dissuade.hub import errors

log = logging.getLogger(__name__)
BUG_RETRY_AFTER = "30"  # a bug does not go away in two seconds; do not hammer the hub
# A JSON escape of a surrogate (\ud800-\udfff), or one encoded raw in the body's UTF-8 (which
# Python's json reads with "surrogatepass"). Pairs also match: the walk below lets them through.
_MAYBE_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F]|\xed[\xa0-\xbf]")


def _bad(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def unstorable(body: bytes) -> list[str | int] | None:
    """Where in a JSON body a text (a value or a key) holds a lone surrogate: the path from the
    top, e.g. ["notes"] or ["detail", 3, "answer"]; None when there is none (or the body is not
    JSON at all, which the route's own parsing answers)."""
    if not _MAYBE_SURROGATE.search(body):
        return None  # the common case: one regex over the bytes, no second parse
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, str):
            if _bad(node):
                return path
        elif isinstance(node, dict):
            for key, value in node.items():
                if _bad(key):
                    return [*path, key.encode("utf-8", "replace").decode("utf-8")]
                stack.append((value, [*path, key]))
        elif isinstance(node, list):
            stack.extend((value, [*path, i]) for i, value in enumerate(node))
    return None


def refuse_unstorable(body: bytes) -> None:
    """RequestValidationError (a 422 naming the place) when the body holds a lone surrogate."""
    where = unstorable(body)
    if where is None:
        return
    name = ".".join(str(p) for p in where) or "body"
    raise RequestValidationError([{
        "loc": ("body", *where), "type": "string_unicode",
        "msg": f"{name} 含无效字符 / {name} holds an invalid character (a lone surrogate)"}])


class LastResort:
    """Outermost ASGI middleware: any exception becomes a logged 503 with a request id. Every
    answer carries a `Server-Timing` header, how long the hub itself took, so that a client (or
    the benchmark) can tell the hub's time from the network's and its own (here rather than in
    a middleware of its own: each wrapper of `send` costs every request)."""

    def __init__(self, app: Any, observe: Callable[[dict[str, Any], int, float], None] | None = None
                 ) -> None:
        self.app = app
        self.observe = observe  # metrics: (scope, status, perf_counter at arrival), once answered

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        status = 503
        began = time.perf_counter()

        async def watched_send(message: dict[str, Any]) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started = True
                status = int(message.get("status", 0))
                took = (time.perf_counter() - began) * 1000
                message = {**message, "headers": [*message.get("headers", ()), (
                    b"server-timing", f"app;dur={took:.2f}".encode())]}
            await send(message)

        try:
            await self.app(scope, receive, watched_send)
            if self.observe is not None:
                self.observe(scope, status, began)
        except Exception as exc:  # noqa: BLE001 - the point of this class
            if self.observe is not None:
                self.observe(scope, 503, began)
            request_id = uuid.uuid4().hex[:12]
            # The path names ids only; the query string and the body (personal data) stay out.
            log.error("request %s: %s %s failed (answered 503): %s", request_id,
                      scope.get("method"), scope.get("path"), type(exc).__name__, exc_info=exc)
            if started:
                return  # half an answer is out: nothing sane to add; uvicorn closes the stream
            response = errors.unavailable_response(
                f"中心服务器暂时无法处理此请求（编号 {request_id}），请稍后重试 / the hub could not "
                f"answer this request (logged as {request_id}): try again later",
                request_id=request_id, retry_after=BUG_RETRY_AFTER)
            await response(scope, receive, send)
