"""Errors to HTTP answers: the user's mistakes are 4xx naming what is wrong; an outage is 503.

Error bodies never carry what was sent: FastAPI's default 422 echoes the offending `input` (a
card number, a megabyte of text) and its `ctx`; here a 422 keeps `loc`, `msg` and `type` only,
and every message an answer carries (FastAPI's or the core's) is cut to MESSAGE_MAX characters
with long numbers masked. Nothing but 503 (with Retry-After) is ever a 5xx: see guard.LastResort
for what answers a bug.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from dissuade.domain.errors import (
    Conflict,
    DatabaseBusy,
    DatabaseUnusable,
    DissuadeError,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)

RETRY_AFTER = "2"
QUERY_FIELDS = {"from", "to", "limit", "offset"}
MESSAGE_MAX = 300  # characters of a message in an error body
LOC_PART_MAX = 64  # characters of one part of a 422's `loc` (a key the client made up)
ERRORS_MAX = 20  # items of a 422's `detail`
# Eleven digits or more, in groups split by one space or hyphen: a phone, a card, an ID number
# (a date and time, 2026-12-05 10, is ten). In an error message every such number is masked,
# valid or not: a refused card number is still someone's card number, and no message needs one.
_LONG_NUMBER = re.compile(r"\d(?:[ \-]?\d){10,}(?:[ \-]?[Xx])?")
log = logging.getLogger(__name__)


def _mask_number(match: re.Match[str]) -> str:
    digits = [ch for ch in match.group(0) if ch.isdigit() or ch in "Xx"]
    return "*" * (len(digits) - 4) + "".join(digits[-4:])


def clean(text: object, limit: int = MESSAGE_MAX) -> str:
    """A message fit for an error body: storable text, long numbers masked, at most `limit`."""
    value = str(text)
    if len(value) > 4 * limit:
        value = value[:4 * limit]  # the masking below never needs more than this to look at
    value = value.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate becomes "?"
    value = _LONG_NUMBER.sub(_mask_number, value)
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _loc_part(part: object) -> str | int:
    if isinstance(part, int) and not isinstance(part, bool):
        return part
    return clean(part, LOC_PART_MAX)


def validation_detail(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """FastAPI's errors as a 422 names them, without `input`, `ctx` or `url`."""
    return [{"loc": [_loc_part(p) for p in e.get("loc", ())],
             "msg": clean(e.get("msg", "")),
             "type": clean(e.get("type", "value_error"), LOC_PART_MAX)}
            for e in errors[:ERRORS_MAX]]


def invalid(loc: list[str | int], message: str) -> JSONResponse:
    return JSONResponse(status_code=422, content={"detail": [
        {"loc": [_loc_part(p) for p in loc], "msg": clean(message), "type": "value_error"}]})


BUSY_SCOPE_KEY = "dissuade.database_busy"  # a request answered 503 for the database
BUSY = "数据库暂不可用，请稍后重试 / database busy or unavailable: try again shortly"


def unavailable_response(detail: str = BUSY, *, request_id: str | None = None,
                         retry_after: str = RETRY_AFTER) -> JSONResponse:
    content: dict[str, Any] = {"detail": detail}
    headers = {"Retry-After": retry_after}
    if request_id:
        content["request_id"] = headers["X-Request-Id"] = request_id
    return JSONResponse(status_code=503, headers=headers, content=content)


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def validation(_r: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": validation_detail(
            list(exc.errors()))})

    @app.exception_handler(HTTPException)
    async def http_error(_r: Request, exc: HTTPException) -> JSONResponse:
        # Starlette's own (404 for an unknown path, 405, 400 for a body it cannot parse).
        return JSONResponse(status_code=exc.status_code, headers=getattr(exc, "headers", None),
                            content={"detail": clean(exc.detail)})

    @app.exception_handler(InvalidInput)
    async def invalid_input(request: Request, exc: InvalidInput) -> JSONResponse:
        where = "query" if request.method == "GET" or exc.field in QUERY_FIELDS else "body"
        return invalid([where, exc.field or "body"], exc.message)

    @app.exception_handler(NotAuthenticated)
    async def unauthenticated(_r: Request, exc: NotAuthenticated) -> JSONResponse:
        return JSONResponse(status_code=401, content={"detail": clean(exc)},
                            headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(Forbidden)
    async def forbidden(_r: Request, exc: Forbidden) -> JSONResponse:
        return JSONResponse(status_code=403, content={"detail": clean(exc)})

    @app.exception_handler(NotFound)
    async def not_found(_r: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": clean(exc)})

    @app.exception_handler(Conflict)
    async def conflict(_r: Request, exc: Conflict) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": clean(exc),
                                                      "holder": exc.holder})

    @app.exception_handler(DissuadeError)
    async def cannot(_r: Request, exc: DissuadeError) -> JSONResponse:
        # A gateway that refused (synthetic data, a bank that is down), no CJK font for a PDF:
        # the request was fine, the thing cannot be done now. Not a 5xx: nothing is broken here.
        return JSONResponse(status_code=409, content={"detail": clean(exc), "holder": None})

    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        # SQLite's own words stay in the log: they name tables and files, not what to do.
        log.info("%s %s: database unavailable: %s", request.method, request.url.path,
                    clean(exc))
        request.scope[BUSY_SCOPE_KEY] = True  # counted by /metrics (hub/metrics.py)
        return unavailable_response()

    app.add_exception_handler(DatabaseBusy, unavailable)
    app.add_exception_handler(DatabaseUnusable, unavailable)
    app.add_exception_handler(sqlite3.OperationalError, unavailable)
