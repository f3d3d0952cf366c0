"""Who is calling the hub: a bearer token's holder, and what a wrong token costs its sender."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import sqlite3
import typing
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from dissuade.domain.errors import DissuadeError, Forbidden, NotAuthenticated
from dissuade.hub import guard
from dissuade.sources.ops import Caller
from dissuade.store import throttle

log = logging.getLogger(__name__)


def client_key(request: Request) -> str:
    """Whom wrong tokens are counted against: the client's address (an IPv6 client by its /64,
    which one machine usually holds whole). Forwarded-for headers are not believed."""
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"token:{host[:100]}"
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:10.0.0.7 is 10.0.0.7
    if address.version == 6 and mapped is None:
        return f"token:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"token:{mapped or address}"


def bearer_token(credentials: HTTPAuthorizationCredentials | None) -> str:
    """The request's bearer token; 401 when there is none."""
    token = credentials.credentials.strip() if credentials is not None else ""
    if not token:
        raise NotAuthenticated("需要令牌 / a bearer token is required")
    return token


LOOKUP_TIMEOUT_MS = 200  # the token's read on the event loop never waits longer than this


class Auth:
    """Who a token belongs to, and what a wrong one costs its sender.

    The token is looked up on the event loop, on a connection of its own: one indexed read
    (tens of microseconds; WAL readers never wait for writers) instead of a hop to a worker
    thread and back for every request. So a request's caller and role are known before its
    body is checked (401, then 403, then 422), and the request costs one thread hop, for the
    operation itself."""

    def __init__(self, stores: Any) -> None:
        self.stores = stores
        self._store: Any = None

    def lookup(self, token: str) -> Caller | None:
        """The token's holder, now (on the event loop)."""
        if self._store is None:
            from dissuade.store import Store

            self._store = Store(self.stores.path, create=False,
                                busy_timeout_ms=LOOKUP_TIMEOUT_MS)
        found = self._store.user_for_token(token)
        return None if found is None else Caller(*found)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def failed(self, request: Request) -> float:
        """Count a wrong token against the client's address; the seconds it must wait."""
        try:
            return throttle.failed(self.stores.get().conn, client_key(request))
        except (DissuadeError, sqlite3.Error) as exc:
            log.info("wrong-token counter not written: %s", type(exc).__name__)
            return throttle.FIRST_DELAY  # never cheaper than counted: a busy database is no gap

    async def refuse(self, request: Request) -> typing.NoReturn:
        """401 for a wrong token. Guessing tokens slows down: each wrong one from an address
        within the window waits longer before its 401 (capped, never a lock-out; counted in the
        database, so every hub process over it counts the same). An asyncio sleep holds no
        thread; a right token is never slowed."""
        wait = await run_in_threadpool(self.failed, request)
        if wait > 0:
            await asyncio.sleep(wait)
        raise NotAuthenticated("令牌无效或已停用 / unknown or revoked token")


class Bearer(HTTPBearer):
    """A route's caller, as one dependency: the bearer token (documented as the API's security
    scheme), its holder (401), their role (403: `roles`, None for any role) and text in the body
    that cannot be stored (422). One dependency rather than a chain of three: FastAPI's cost
    per request grows with each."""

    def __init__(self, auth: Auth, roles: frozenset[str] | None = None) -> None:
        super().__init__(auto_error=False, scheme_name="HTTPBearer",
                         description="a token from `dissuade user add`")
        self.auth = auth
        self.roles = roles
        self.needs = " or ".join(sorted(roles or ()))

    async def __call__(self, request: Request) -> Caller:  # type: ignore[override]
        found = self.auth.lookup(bearer_token(await super().__call__(request)))
        if found is None:
            await self.auth.refuse(request)
        if self.roles is not None and found.role not in self.roles:
            raise Forbidden(f"角色 {found.role} 无权执行此操作 / role {found.role} may not do this "
                            f"(needs {self.needs})")
        guard.refuse_unstorable(await request.body())
        return found


__all__ = ["Auth", "Bearer", "bearer_token", "client_key"]
