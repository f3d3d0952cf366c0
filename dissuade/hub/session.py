"""Signing in and out at the hub: `POST /api/v1/session` and `DELETE /api/v1/session`.

Written by hand, not from the operation table: signing in carries no bearer token (it is how
one is got), and signing out acts on the token itself rather than on data
(docs/architecture.md, "What is written by hand"). The password is checked on a worker thread
(scrypt takes about 0.1 s and must never hold the event loop).
"""

# No `from __future__ import annotations`: FastAPI reads the route signatures.

import math
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from dissuade.domain import timeutil
from dissuade.domain.errors import SlowDown
from dissuade.hub import guard
from dissuade.hub.auth import Auth, Bearer, bearer_token, client_key
from dissuade.hub.errors import clean
from dissuade.sources.ops import Caller
from dissuade.store.sessions import PASSWORD_MAX
from dissuade.store.users import NAME_MAX


class SignIn(BaseModel):
    """A name and its password."""

    model_config = ConfigDict(extra="forbid")
    user: str = Field(min_length=1, max_length=NAME_MAX)
    password: str = Field(min_length=1, max_length=PASSWORD_MAX)


class SessionOut(BaseModel):
    token: str
    expires_at: str
    user: str
    role: str


def add_session_routes(app: FastAPI, *, stores: Any, auth: Auth) -> None:
    """The sign-in and sign-out routes over the hub's connections."""
    raw_bearer = HTTPBearer(auto_error=False)
    Anyone = Annotated[Caller, Depends(Bearer(auth))]

    @app.post("/api/v1/session", response_model=SessionOut,
              responses={401: {"description": "wrong user name or password"},
                         429: {"description": "too many failed sign-ins: see Retry-After"}})
    async def sign_in(request: Request, body: SignIn) -> Any:
        """Sign in with a name and password: a session token lasting the policy's
        `session_hours`. Failures slow down by name and address (429 with Retry-After)."""
        guard.refuse_unstorable(await request.body())
        address = client_key(request).removeprefix("token:")
        try:
            token, expires, role = await run_in_threadpool(
                lambda: stores.get().sign_in(body.user, body.password, address=address))
        except SlowDown as exc:
            return JSONResponse(status_code=429, content={"detail": clean(exc)},
                                headers={"Retry-After": str(max(1, math.ceil(exc.retry_after)))})
        return {"token": token, "expires_at": timeutil.iso(expires), "user": body.user,
                "role": role}

    @app.delete("/api/v1/session", status_code=204,
                responses={409: {"description": "a long-lived token is not a session"}})
    async def sign_out(request: Request, _who: Anyone) -> Response:
        """End this session: its token stops working at once (409 for a long-lived token from
        `dissuade user add`, which `dissuade user revoke` stops)."""
        token = bearer_token(await raw_bearer(request))
        await run_in_threadpool(lambda: stores.get().end_session(token))
        return Response(status_code=204)


__all__ = ["add_session_routes"]
