"""Sources: the one interface every screen, script and test uses, over a file or a hub."""

from __future__ import annotations

import getpass
import threading
from pathlib import Path
from typing import Protocol, runtime_checkable

from dissuade.codes import Role
from dissuade.models import Attempt, Escalation, Warning, WarningDetail
from dissuade.policy import Policy
from dissuade.store import Store


@runtime_checkable
class Source(Protocol):
    """What a client can do. LocalSource works on a file; the hub source (issue 3) over HTTP."""

    user: str
    role: str
    kind: str  # "local" or "hub"
    location: str  # the file or the hub's URL

    def describe(self) -> str: ...
    def policy(self) -> Policy: ...
    def queue_size(self) -> int: ...
    def queue(self, limit: int = 50, offset: int = 0) -> list[Warning]: ...
    def claim_next(self) -> Warning | None: ...
    def claim(self, warning_id: int) -> Warning: ...
    def release(self, warning_id: int) -> Warning: ...
    def get(self, warning_id: int) -> WarningDetail: ...
    def add_warning(self, data: dict[str, object]) -> tuple[Warning, bool]: ...

    def record_attempt(
        self, warning_id: int, outcome: str, notes: str = "", *,
        client_id: str | None = None, started_at: float | None = None,
        ended_at: float | None = None, amount_lost: object = None,
        callback_at: float | None = None, callback_scope: str | None = None,
    ) -> Attempt: ...

    def propose_escalation(
        self, warning_id: int, *, kind: str, reason: str, cards: object = None,
        amount: object = None, client_id: str | None = None,
    ) -> Escalation: ...

    def close(self) -> None: ...


class LocalSource:
    """A database file on this machine. Acts as `user` with the role the database gives them;
    a name it does not know acts as lead (whoever holds the file holds everything in it)."""

    def __init__(self, path: str | Path, *, user: str | None = None, create: bool = True):
        self.store = Store(path, create=create)
        # One connection shared by the UI thread and the client's worker: one call at a time.
        self._lock = threading.RLock()
        self.kind = "local"
        self.location = self.path = str(path)
        self.user = user or getpass.getuser()
        self.role = self.store.role_of(self.user) or Role.LEAD.value

    def describe(self) -> str:
        return f"本地数据库 / local database: {self.path}"

    def policy(self) -> Policy:
        with self._lock:
            return self.store.policy()

    def queue_size(self) -> int:
        with self._lock:
            return self.store.queue_size(user=self.user)

    def queue(self, limit: int = 50, offset: int = 0) -> list[Warning]:
        with self._lock:
            return self.store.queue(user=self.user, limit=limit, offset=offset)

    def claim_next(self) -> Warning | None:
        with self._lock:
            return self.store.claim_next(user=self.user)

    def claim(self, warning_id: int) -> Warning:
        with self._lock:
            return self.store.claim(warning_id, user=self.user)

    def release(self, warning_id: int) -> Warning:
        with self._lock:
            return self.store.release(warning_id, user=self.user)

    def get(self, warning_id: int) -> WarningDetail:
        with self._lock:
            return self.store.get(warning_id)

    def add_warning(self, data: dict[str, object]) -> tuple[Warning, bool]:
        with self._lock:
            return self.store.add_warning(data, actor=self.user)

    def record_attempt(
        self, warning_id: int, outcome: str, notes: str = "", *,
        client_id: str | None = None, started_at: float | None = None,
        ended_at: float | None = None, amount_lost: object = None,
        callback_at: float | None = None, callback_scope: str | None = None,
    ) -> Attempt:
        with self._lock:
            return self.store.record_attempt(
                warning_id, user=self.user, outcome=outcome, notes=notes, client_id=client_id,
                started_at=started_at, ended_at=ended_at, amount_lost=amount_lost,
                callback_at=callback_at, callback_scope=callback_scope,
            )

    def propose_escalation(
        self, warning_id: int, *, kind: str, reason: str, cards: object = None,
        amount: object = None, client_id: str | None = None,
    ) -> Escalation:
        with self._lock:
            return self.store.propose_escalation(
                warning_id, user=self.user, kind=kind, reason=reason, cards=cards, amount=amount,
                client_id=client_id,
            )

    def close(self) -> None:
        with self._lock:
            self.store.close()


def open_source(target: str | Path, *, user: str | None = None, token: str | None = None,
                create: bool = True) -> Source:
    """A source for a database path or a hub URL (``http://`` or ``https://``)."""
    text = str(target)
    if text.startswith(("http://", "https://")):
        raise NotImplementedError("连接中心服务器将在后续版本提供 / hub sources come with the hub")
    return LocalSource(target, user=user, create=create)
