"""A database file on this machine as a source: the table's operations run in the core, here."""

from __future__ import annotations

import getpass
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dissuade.domain import privacy
from dissuade.domain.codes import Role
from dissuade.domain.errors import DissuadeError, NotFound
from dissuade.sources.base import Changes, Source
from dissuade.sources.ops import Caller, Env, Op, check_role, execute
from dissuade.sources.table import WORK
from dissuade.store import Store

if TYPE_CHECKING:  # the gateways pull in httpx and fpdf: only when a request is sent
    from dissuade.gateways.bank import BankGateway
    from dissuade.gateways.dialer import Dialer

LOCAL_POLL_SECONDS = 0.5


class LocalSource(Source):
    """A database file on this machine. Acts as `user` with the role the database gives them; in a
    database with no users any name acts as lead (whoever holds the file holds everything in it);
    once it has users, an unknown or revoked name is refused.

    Records come out masked (dissuade.domain.privacy); `reveal` gives a field whole and records
    who asked and why. `bank` and `dialer` are this workstation's gateways for stop-payment
    requests and chase calls (the client sets them from its settings).
    """

    def __init__(self, path: str | Path, *, user: str | None = None, create: bool = True,
                 bank: BankGateway | None = None, dialer: Dialer | None = None,
                 operator: bool = False, password: str | None = None) -> None:
        self.store = Store(path, create=create)
        self.has_users = self.has_password = False
        # One connection shared by the UI thread and the client's worker: one call at a time.
        self._lock = threading.RLock()
        self.kind = "local"
        self.path = str(path)
        # What the status bar and messages show: a PostgreSQL URL without its password.
        from dissuade.store.pg import redact

        self.location = redact(self.path)
        if operator:
            # Operator subcommands (import, report, ...) act as NAME@cli with a lead's rights:
            # whoever runs them holds the file.
            self.user = f"{user or getpass.getuser()}@cli"
            self.role = Role.LEAD.value
        else:
            self.user = user or getpass.getuser()
            try:
                self.role = self.store.local_role(self.user, path=self.location)
                # Whether names are checked here, and whether this one has a password: the
                # client asks for one only then (README, "Signing in (登录)").
                self.has_users = self.store.has_users()
                self.has_password = self.store.has_password(self.user)
                if password is not None and self.has_users:
                    # At a shared workstation the audit needs real identities: the
                    # password is checked when one is given.
                    self.store.check_password(self.user, password)
            except DissuadeError:
                self.store.close()
                raise
        # None: the bank's PDF and JSON go into the data folder's bank-outbox.
        self.env = Env(bank=bank, dialer=dialer)
        self._reader: Store | None = None  # a second connection for the lead's long reads
        self._read_lock = threading.Lock()

    @property
    def bank(self) -> BankGateway | None:
        return self.env.bank

    @bank.setter
    def bank(self, gateway: BankGateway | None) -> None:
        self.env.bank = gateway

    @property
    def dialer(self) -> Dialer | None:
        return self.env.dialer

    @dialer.setter
    def dialer(self, dialer: Dialer | None) -> None:
        self.env.dialer = dialer

    def _invoke(self, operation: Op, args: dict[str, Any]) -> Any:
        caller = Caller(self.user, self.role)
        if operation.io:
            # A delivery to a gateway takes seconds to a minute: the lock is taken for each
            # store call, never across the delivery (the UI thread's calls must not wait).
            return execute(operation, _Locked(self.store, self._lock), caller, self.env, args)
        if operation.reader:
            with self._reading() as store:
                return execute(operation, store, caller, self.env, args)
        with self._lock:
            return execute(operation, self.store, caller, self.env, args)

    def describe(self) -> str:
        return f"本地数据库 / local database: {self.location}"

    @contextmanager
    def _reading(self) -> Iterator[Store]:
        """The lead's long reads (a report, a search, the whole audit chain) on a connection of
        their own: WAL lets it read while the workstation's claims and outcomes go on."""
        if self.path == ":memory:":
            with self._lock:
                yield self.store
            return
        with self._read_lock:
            if self._reader is None:
                self._reader = Store(self.path, create=False)
            yield self._reader

    def wait_for_changes(self, *, after: int, after_warning: int,
                         timeout: float = 20.0) -> Changes:
        """Poll the file until something changes after `after` (or timeout); as the hub's: the
        live queue is for those who work warnings (officers and leads)."""
        check_role(_LIVE, Caller(self.user, self.role))
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                seq = self.store.change_seq()
                if seq > after or time.monotonic() >= deadline:
                    last = self.store.last_warning_id()
                    arrivals = [privacy.warning(w) for w in
                                self.store.arrivals(after_id=after_warning)]
                    return Changes(seq, last, arrivals,
                                   policy_version=self.store.policy_version(),
                                   next_change=self.store.next_change())
            # Never past the deadline: a caller waiting for a retry's moment wakes on it.
            time.sleep(max(0.0, min(LOCAL_POLL_SECONDS, deadline - time.monotonic())))

    def reauthenticate(self, password: str) -> None:
        """The idle lock: this user's password again (counted and slowed as a sign-in)."""
        with self._lock:
            self.store.check_password(self.user, password)

    def resolve_conflict(self, seq: int) -> None:
        raise NotFound(f"本地数据库没有离线冲突 / a local database has no offline conflict {seq}")

    def close(self) -> None:
        with self._lock:
            self.store.close()
        with self._read_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None


# The live wait's rights, as the hub's /events: those who work warnings.
_LIVE = Op("wait_for_changes", "GET", "/api/v1/events", WORK, (), None)


class _Locked:
    """A store whose every call takes the source's lock, for work that must not hold the lock
    between calls (a chase call rings for a minute; claims must not wait behind it)."""

    def __init__(self, store: Store, lock: threading.RLock) -> None:
        self._store, self._lock = store, lock

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)
        if not callable(attr):
            return attr

        def locked(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return attr(*args, **kwargs)

        return locked


__all__ = ["LOCAL_POLL_SECONDS", "LocalSource"]
