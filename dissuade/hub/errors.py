"""Errors to HTTP answers: the user's mistakes are 4xx naming what is wrong; an outage is 503."""

from __future__ import annotations

import sqlite3

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from dissuade.errors import (
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


def install(app: FastAPI) -> None:
    @app.exception_handler(InvalidInput)
    async def invalid(request: Request, exc: InvalidInput) -> JSONResponse:
        where = "query" if request.method == "GET" or exc.field in QUERY_FIELDS else "body"
        return JSONResponse(status_code=422, content={"detail": [
            {"loc": [where, exc.field or "body"], "msg": exc.message, "type": "value_error"}]})

    @app.exception_handler(NotAuthenticated)
    async def unauthenticated(_r: Request, exc: NotAuthenticated) -> JSONResponse:
        return JSONResponse(status_code=401, content={"detail": str(exc)},
                            headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(Forbidden)
    async def forbidden(_r: Request, exc: Forbidden) -> JSONResponse:
        return JSONResponse(status_code=403, content={"detail": str(exc)})

    @app.exception_handler(NotFound)
    async def not_found(_r: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(exc)})

    @app.exception_handler(Conflict)
    async def conflict(_r: Request, exc: Conflict) -> JSONResponse:
        return JSONResponse(status_code=409, content={"detail": str(exc), "holder": exc.holder})

    @app.exception_handler(DissuadeError)
    async def cannot(_r: Request, exc: DissuadeError) -> JSONResponse:
        # A gateway that refused (synthetic data, a bank that is down), no CJK font for a PDF:
        # the request was fine, the thing cannot be done now. Not a 5xx: nothing is broken here.
        return JSONResponse(status_code=409, content={"detail": str(exc), "holder": None})

    async def unavailable(_r: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(status_code=503, headers={"Retry-After": RETRY_AFTER},
                            content={"detail": f"数据库暂不可用，请稍后重试 / database busy or "
                                               f"unavailable: {exc}"})

    app.add_exception_handler(DatabaseBusy, unavailable)
    app.add_exception_handler(DatabaseUnusable, unavailable)
    app.add_exception_handler(sqlite3.OperationalError, unavailable)
