"""Sources: the one interface every screen, script and test uses, over a file or a hub."""

from __future__ import annotations

import getpass
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from dissuade import paths
from dissuade.domain import privacy
from dissuade.domain.codes import Role
from dissuade.domain.errors import DissuadeError, Forbidden, NotFound
from dissuade.domain.models import (
    Attempt,
    Escalation,
    EscalationDetail,
    Found,
    IngestResult,
    Message,
    Receipt,
    RehearsalResult,
    Review,
    Verdict,
    Warning,
    WarningDetail,
    WarningHistory,
)
from dissuade.domain.models import Entry as AuditEntry
from dissuade.domain.policy import Policy
from dissuade.store import Store

if TYPE_CHECKING:  # the gateways pull in httpx and fpdf: only when a request is sent
    from dissuade.gateways.bank import BankGateway
    from dissuade.gateways.dialer import Dialer

LOCAL_POLL_SECONDS = 0.5
# Who works warnings: only they read them (trainers rehearse on synthetic scripts only).
WORKERS = (Role.OFFICER, Role.LEAD)
WORKER_ROLES = frozenset(r.value for r in WORKERS)


class Changes(tuple[int, int, list[Warning]]):
    """What `wait_for_changes` saw. Unpacks as before, `(seq, last warning id, arrivals)`, and
    also carries the centre policy's version: it grows with every policy change, so a client
    seeing a new one knows `policy()` has changed (the hub source has fetched it already).
    `next_change` is the next moment the queue or the breaches change by time alone (a retry
    coming due, a lease running out, a limit passing), None when nothing waits: a client waits
    until then instead of polling."""

    policy_version: int
    next_change: float | None

    def __new__(cls, seq: int, last_warning_id: int, arrivals: list[Warning], *,
                policy_version: int = 0, next_change: float | None = None) -> Changes:
        changes = super().__new__(cls, (seq, last_warning_id, arrivals))
        changes.policy_version = policy_version
        changes.next_change = next_change
        return changes

    @property
    def seq(self) -> int:
        return self[0]

    @property
    def last_warning_id(self) -> int:
        return self[1]

    @property
    def arrivals(self) -> list[Warning]:
        return self[2]


@dataclass(frozen=True, slots=True)
class LinkState:
    """How the source's link to its data stands, for the status bar.

    `online`: the last call reached the hub. `waiting` / `conflicts`: outbox items to send and
    items the hub refused. `signed_in` is False once the hub refused the session or token; the
    outbox keeps its items until the officer signs in again. `serial` grows with each state
    read, so that of two states told from two threads the older can be told apart."""

    online: bool = True
    waiting: int = 0
    conflicts: int = 0
    signed_in: bool = True
    serial: int = 0


LinkListener = Callable[[LinkState], None]


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
    def claim_next(self, *, client_id: str | None = None) -> Warning | None: ...
    def claim(self, warning_id: int) -> Warning: ...
    def release(self, warning_id: int) -> Warning: ...
    def get(self, warning_id: int) -> WarningDetail: ...
    def add_warning(self, data: dict[str, object]) -> Receipt: ...
    def add_warnings(self, items: list[dict[str, object]]) -> list[IngestResult]: ...

    def record_attempt(
        self, warning_id: int, outcome: str, notes: str = "", *,
        client_id: str | None = None, started_at: float | None = None,
        ended_at: float | None = None, amount_lost: object = None,
        callback_at: float | None = None, callback_scope: str | None = None,
        escalation: dict[str, object] | None = None, settles: list[int] | None = None,
    ) -> Attempt: ...

    def propose_escalation(
        self, warning_id: int, *, kind: str, reason: str, cards: object = None,
        amount: object = None, client_id: str | None = None,
    ) -> Escalation: ...

    def reassign(self, warning_id: int, *, to: str | None, reason: str) -> Warning: ...
    def retype_warning(self, warning_id: int, *, scam_type: str, reason: str = "") -> Warning: ...
    def record_message(self, warning_id: int, *, text: str, via: str, result: str = "",
                       client_id: str | None = None) -> Message: ...
    def save_rehearsal(self, *, scam_type: str, lang: str, points_made: int, points_total: int,
                       detail: list[dict[str, Any]]) -> RehearsalResult: ...
    def rehearsals(self, *, trainee: str | None = None) -> list[RehearsalResult]: ...
    def update_level_policy(self, level: str, changes: dict[str, Any]) -> Policy: ...
    def raise_level(self, warning_id: int, *, level: str, reason: str) -> Warning: ...
    def why(self, warning_id: int, *, lang: str = "zh") -> str: ...
    def extend_hold(self, escalation_id: int, *, note: str = "") -> Escalation: ...
    def holds_running_out(self, *, within: float) -> list[Escalation]: ...
    def escalation_detail(self, escalation_id: int) -> EscalationDetail: ...
    def decide_escalation(self, escalation_id: int, *, decision: str,
                          note: str = "") -> Escalation: ...
    def advance_escalation(self, escalation_id: int, *, status: str,
                           note: str = "") -> Escalation: ...
    def pending_escalations(self) -> list[Escalation]: ...
    def active_escalations(self) -> list[Escalation]: ...
    def stats(self, *, start: float | None = None, end: float | None = None) -> dict[str, Any]: ...
    def wait_for_changes(self, *, after: int, after_warning: int,
                         timeout: float = 20.0) -> Changes: ...
    def outbox_status(self) -> tuple[int, list[Any]]: ...
    def replay_outbox(self) -> tuple[int, int]: ...
    def link_state(self) -> LinkState: ...
    def watch_link(self, listener: LinkListener) -> Callable[[], None]: ...
    def gateways(self) -> dict[str, str | None]: ...
    def update_settings(self, changes: dict[str, Any]) -> Policy: ...
    def breaches(self, *, since: float) -> tuple[int, list[Warning]]: ...
    def bank_request_pdf(self, escalation_id: int, *, reason: str) -> bytes: ...
    def send_bank_request(self, escalation_id: int) -> Escalation: ...
    def run_chase_calls(self) -> int: ...
    def reveal(self, warning_id: int, *, field: str, reason: str) -> list[str]: ...
    def find_warnings(self, filters: dict[str, Any], *, limit: int = 100,
                      offset: int = 0) -> tuple[int, list[Found]]: ...
    def warning_history(self, warning_id: int) -> WarningHistory: ...
    def officers(self) -> list[str]: ...
    def review_attempt(self, attempt_id: int, *, verdict: str, comment: str = "") -> Review: ...
    def shift_report(self, *, start: float | None = None,
                     end: float | None = None) -> dict[str, Any]: ...
    def audit_entries(self, **filters: Any) -> list[AuditEntry]: ...
    def verify_audit(self) -> Verdict: ...
    def resolve_conflict(self, seq: int) -> None: ...
    def close(self) -> None: ...


class LocalSource:
    """A database file on this machine. Acts as `user` with the role the database gives them;
    a name it does not know acts as lead (whoever holds the file holds everything in it).

    Records come out with bank cards and ID numbers masked (dissuade.domain.privacy); `reveal` gives
    them whole and records who asked and why. `bank` and `dialer` are this workstation's
    gateways for stop-payment requests and chase calls (the client sets them from its settings).
    """

    def __init__(self, path: str | Path, *, user: str | None = None, create: bool = True,
                 bank: BankGateway | None = None, dialer: Dialer | None = None,
                 operator: bool = False) -> None:
        self.store = Store(path, create=create)
        # One connection shared by the UI thread and the client's worker: one call at a time.
        self._lock = threading.RLock()
        self.kind = "local"
        self.location = self.path = str(path)
        if operator:
            # Operator subcommands (import, report, ...) act as NAME@cli with a lead's rights:
            # whoever runs them holds the file.
            self.user = f"{user or getpass.getuser()}@cli"
            self.role = Role.LEAD.value
        else:
            self.user = user or getpass.getuser()
            try:
                self.role = self.store.local_role(self.user, path=self.path)
            except DissuadeError:
                self.store.close()
                raise
        self.bank = bank  # None: PDF and JSON into the data folder's bank-outbox
        self.dialer = dialer
        self._reader: Store | None = None  # a second connection for the lead's long reads
        self._read_lock = threading.Lock()

    def describe(self) -> str:
        return f"本地数据库 / local database: {self.path}"

    def policy(self) -> Policy:
        with self._lock:
            return self.store.policy()

    def gateways(self) -> dict[str, str | None]:
        return {"bank": self.bank.kind if self.bank else "outbox",
                "dialer": self.dialer.kind if self.dialer else None}

    # -- the queue ------------------------------------------------------------------------

    def queue_size(self) -> int:
        self._need(*WORKERS)
        with self._lock:
            return self.store.queue_size(user=self.user)

    def queue(self, limit: int = 50, offset: int = 0) -> list[Warning]:
        self._need(*WORKERS)
        with self._lock:
            return [privacy.warning(w) for w in
                    self.store.queue(user=self.user, limit=limit, offset=offset)]

    def claim_next(self, *, client_id: str | None = None) -> Warning | None:
        self._need(*WORKERS)
        with self._lock:
            warning = self.store.claim_next(user=self.user, client_id=client_id)
        return None if warning is None else privacy.warning(warning)

    def claim(self, warning_id: int) -> Warning:
        self._need(*WORKERS)
        with self._lock:
            return privacy.warning(self.store.claim(warning_id, user=self.user))

    def release(self, warning_id: int) -> Warning:
        self._need(*WORKERS)
        with self._lock:
            return privacy.warning(self.store.release(warning_id, user=self.user))

    def get(self, warning_id: int) -> WarningDetail:
        self._need(*WORKERS)
        with self._lock:
            return privacy.detail(self.store.get(warning_id))

    def add_warning(self, data: dict[str, object]) -> Receipt:
        """Ingest one warning: its id and status, and the problems noted on a new one."""
        self._need(Role.FEED, Role.LEAD, Role.ADMIN)
        with self._lock:
            warning, created = self.store.add_warning(data, actor=self.user)
        return Receipt(warning.id, warning.status, created, warning.problems if created else ())

    def add_warnings(self, items: list[dict[str, object]]) -> list[IngestResult]:
        self._need(Role.FEED, Role.LEAD, Role.ADMIN)
        with self._lock:
            return self.store.add_warnings(items, actor=self.user)

    def record_attempt(
        self, warning_id: int, outcome: str, notes: str = "", *,
        client_id: str | None = None, started_at: float | None = None,
        ended_at: float | None = None, amount_lost: object = None,
        callback_at: float | None = None, callback_scope: str | None = None,
        escalation: dict[str, object] | None = None, settles: list[int] | None = None,
    ) -> Attempt:
        self._need(*WORKERS)
        with self._lock:
            return privacy.attempt(self.store.record_attempt(
                warning_id, user=self.user, outcome=outcome, notes=notes, client_id=client_id,
                started_at=started_at, ended_at=ended_at, amount_lost=amount_lost,
                callback_at=callback_at, callback_scope=callback_scope, escalation=escalation,
                settles=settles,
            ))

    def propose_escalation(
        self, warning_id: int, *, kind: str, reason: str, cards: object = None,
        amount: object = None, client_id: str | None = None,
    ) -> Escalation:
        self._need(*WORKERS)
        with self._lock:
            return privacy.escalation(self.store.propose_escalation(
                warning_id, user=self.user, kind=kind, reason=reason, cards=cards, amount=amount,
                client_id=client_id,
            ))

    def reassign(self, warning_id: int, *, to: str | None, reason: str) -> Warning:
        """A lead gives a reserved warning (a callback, a follow-up) to another officer or to
        anyone (`to` None); audited."""
        self._need(Role.LEAD)
        with self._lock:
            return privacy.warning(self.store.reassign(warning_id, to=to, reason=reason,
                                                       user=self.user))

    def retype_warning(self, warning_id: int, *, scam_type: str, reason: str = "") -> Warning:
        self._need(*WORKERS)
        with self._lock:
            return privacy.warning(self.store.retype_warning(
                warning_id, scam_type=scam_type, reason=reason, user=self.user))

    def record_message(self, warning_id: int, *, text: str, via: str, result: str = "",
                       client_id: str | None = None) -> Message:
        self._need(*WORKERS)
        with self._lock:
            return privacy.message(self.store.record_message(
                warning_id, client_id=client_id or str(uuid.uuid4()), text=text, via=via,
                result=result, user=self.user))

    # -- rehearsal ------------------------------------------------------------------------

    def save_rehearsal(self, *, scam_type: str, lang: str, points_made: int, points_total: int,
                       detail: list[dict[str, Any]]) -> RehearsalResult:
        self._need(Role.OFFICER, Role.LEAD, Role.TRAINER)
        with self._lock:
            return self.store.save_rehearsal(trainee=self.user, scam_type=scam_type, lang=lang,
                                             points_made=points_made, points_total=points_total,
                                             detail=detail)

    def rehearsals(self, *, trainee: str | None = None) -> list[RehearsalResult]:
        """Leads and trainers see everyone's results, officers their own; admins and feeds do
        not rehearse (README: admins only users, tokens and the audit), as through the hub."""
        self._need(Role.OFFICER, Role.LEAD, Role.TRAINER)
        if self.role not in (Role.LEAD.value, Role.TRAINER.value):
            trainee = self.user
        with self._lock:
            return self.store.rehearsals(trainee=trainee)

    # -- time limits and escalation ---------------------------------------------------------

    def update_level_policy(self, level: str, changes: dict[str, Any]) -> Policy:
        self._need(Role.LEAD)
        with self._lock:
            return self.store.update_level_policy(level, changes, user=self.user)

    def update_settings(self, changes: dict[str, Any]) -> Policy:
        self._need(Role.LEAD)
        with self._lock:
            return self.store.update_settings(changes, user=self.user)

    def raise_level(self, warning_id: int, *, level: str, reason: str) -> Warning:
        self._need(*WORKERS)
        with self._lock:
            return privacy.warning(self.store.raise_level(warning_id, level=level, reason=reason,
                                                          user=self.user))

    def why(self, warning_id: int, *, lang: str = "zh") -> str:
        self._need(*WORKERS)
        with self._lock:
            return self.store.why(warning_id, user=self.user, lang=lang)

    def breaches(self, *, since: float) -> tuple[int, list[Warning]]:
        self._need(*WORKERS)
        with self._lock:
            count, found = self.store.breaches(since=since)
        return count, [privacy.warning(w) for w in found]

    def extend_hold(self, escalation_id: int, *, note: str = "") -> Escalation:
        self._need(Role.LEAD)
        with self._lock:
            return privacy.escalation(self.store.extend_hold(escalation_id, user=self.user,
                                                             note=note))

    def holds_running_out(self, *, within: float) -> list[Escalation]:
        self._need(*WORKERS)
        with self._lock:
            return [privacy.escalation(e) for e in self.store.holds_running_out(within=within)]

    def escalation_detail(self, escalation_id: int) -> EscalationDetail:
        self._need(*WORKERS)
        with self._lock:
            return privacy.escalation_detail(self.store.escalation_detail(escalation_id))

    def decide_escalation(self, escalation_id: int, *, decision: str, note: str = "") -> Escalation:
        self._need(Role.LEAD)
        with self._lock:
            return privacy.escalation(self.store.decide_escalation(
                escalation_id, decision=decision, note=note, user=self.user))

    def advance_escalation(self, escalation_id: int, *, status: str, note: str = "") -> Escalation:
        self._need(*WORKERS)
        with self._lock:
            return privacy.escalation(self.store.advance_escalation(
                escalation_id, status=status, note=note, user=self.user))

    def active_escalations(self) -> list[Escalation]:
        self._need(*WORKERS)
        with self._lock:
            return [privacy.escalation(e) for e in self.store.active_escalations()]

    def pending_escalations(self) -> list[Escalation]:
        self._need(*WORKERS)
        with self._lock:
            return [privacy.escalation(e) for e in self.store.pending_escalations()]

    def bank_request_pdf(self, escalation_id: int, *, reason: str) -> bytes:
        """The bank's request with the cards whole: a lead's or the proposer's, with a reason,
        audited as a reveal."""
        from dissuade.gateways import escalation_ops

        self._need(*WORKERS)
        with self._lock:
            return escalation_ops.request_pdf(self.store, escalation_id, user=self.user,
                                              role=self.role, reason=reason)

    def send_bank_request(self, escalation_id: int) -> Escalation:
        """Deliver the approved request through this workstation's bank gateway (the lock is
        held through the delivery so that two clicks cannot send it twice)."""
        from dissuade.gateways import bank, escalation_ops

        self._need(*WORKERS)
        with self._lock:
            return privacy.escalation(escalation_ops.send_bank_request(
                self.store, escalation_id, gateway=self.bank or bank.BankGateway(),
                user=self.user))

    def run_chase_calls(self) -> int:
        """Make the chase calls due now through this workstation's dialer; how many were made.
        Calls are claimed first, so several workstations never ring the same one."""
        from dissuade.gateways import escalation_ops

        if self.dialer is None or self.role not in WORKER_ROLES:
            return 0
        folder = paths.data_dir() / "chase-voice"
        return len(escalation_ops.run_chase_calls(_Locked(self.store, self._lock),  # type: ignore[arg-type]
                                                  gateway=self.dialer, folder=folder,
                                                  user=f"dialer@{self.user}"))

    # -- the lead's review, reports and the audit (issue 6) ----------------------------------

    def reveal(self, warning_id: int, *, field: str, reason: str) -> list[str]:
        """A masked field whole (cards, id_number, or notes: every free text about the warning,
        each as "<where>: <text>", see store.review.free_texts); audited. Leads may; officers
        only on the warning they hold."""
        self._need(*privacy.MAY_REVEAL)
        with self._lock:
            return self.store.reveal(warning_id, field=field, reason=reason, user=self.user,
                                     holder_only=self.role != Role.LEAD.value)

    def find_warnings(self, filters: dict[str, Any], *, limit: int = 100,
                      offset: int = 0) -> tuple[int, list[Found]]:
        self._need(Role.LEAD)
        with self._reading() as store:
            total, found = store.find_warnings(filters, limit=limit, offset=offset)
        return total, [replace(f, warning=privacy.warning(f.warning)) for f in found]

    def warning_history(self, warning_id: int) -> WarningHistory:
        """The warning with everything about it; opening it is recorded."""
        self._need(Role.LEAD)
        with self._lock:
            return privacy.history(self.store.warning_history(warning_id, user=self.user))

    def officers(self) -> list[str]:
        """Names for the review's officer filter: officers, leads, and whoever made calls."""
        self._need(Role.LEAD)
        with self._lock:
            return self.store.officers()

    def review_attempt(self, attempt_id: int, *, verdict: str, comment: str = "") -> Review:
        self._need(Role.LEAD)
        with self._lock:
            return privacy.review(self.store.review_attempt(attempt_id, verdict=verdict,
                                                            comment=comment, user=self.user))

    def stats(self, *, start: float | None = None, end: float | None = None) -> dict[str, Any]:
        self._need(Role.LEAD)
        with self._reading() as store:
            return store.stats(start=start, end=end)

    def shift_report(self, *, start: float | None = None,
                     end: float | None = None) -> dict[str, Any]:
        self._need(Role.LEAD)
        with self._reading() as store:
            return store.shift_report(start=start, end=end, user=self.user)

    def audit_entries(self, **filters: Any) -> list[AuditEntry]:
        self._need(Role.LEAD, Role.ADMIN)
        with self._reading() as store:
            return [privacy.audit_entry(e) for e in store.audit_entries(**filters)]

    def verify_audit(self) -> Verdict:
        self._need(Role.LEAD, Role.ADMIN)
        with self._reading() as store:
            return store.verify_audit()

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

    # -- live -----------------------------------------------------------------------------

    def wait_for_changes(self, *, after: int, after_warning: int,
                         timeout: float = 20.0) -> Changes:
        """Poll the file until something changes after `after` (or timeout); as the hub's: the
        live queue is for those who work warnings (officers and leads)."""
        self._need(*WORKERS)
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                seq = self.store.change_seq()
                if seq > after or time.monotonic() >= deadline:
                    last = self.store.last_warning_id()
                    arrivals = [privacy.warning(w) for w in
                                self.store.arrivals(after_id=after_warning)]
                    # The settings' version row (the store bumps it with every policy change).
                    version = self.store._policy_version()
                    return Changes(seq, last, arrivals, policy_version=version,
                                   next_change=self.store.next_change())
            # Never past the deadline: a caller waiting for a retry's moment wakes on it.
            time.sleep(max(0.0, min(LOCAL_POLL_SECONDS, deadline - time.monotonic())))

    def outbox_status(self) -> tuple[int, list[Any]]:
        return 0, []  # a local file is never offline

    def replay_outbox(self) -> tuple[int, int]:
        return 0, 0

    def link_state(self) -> LinkState:
        return LinkState()

    def watch_link(self, listener: LinkListener) -> Callable[[], None]:
        return lambda: None  # nothing to tell: a local file is always there

    def resolve_conflict(self, seq: int) -> None:
        raise NotFound(f"本地数据库没有离线冲突 / a local database has no offline conflict {seq}")

    def _need(self, *roles: Role | str) -> None:
        names = {str(getattr(r, "value", r)) for r in roles}
        if self.role not in names:
            raise Forbidden(f"角色 {self.role} 无权执行此操作 / role {self.role} may not do this "
                            f"(needs {' or '.join(sorted(names))})")

    def close(self) -> None:
        with self._lock:
            self.store.close()
        with self._read_lock:
            if self._reader is not None:
                self._reader.close()
                self._reader = None


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


def open_source(target: str | Path, *, user: str | None = None, token: str | None = None,
                create: bool = True) -> Source:
    """A source for a database path or a hub URL (``http://`` or ``https://``)."""
    text = str(target)
    if text.startswith(("http://", "https://")):
        from dissuade.sources.http import HttpSource

        return HttpSource(text, token=token or os.environ.get("DISSUADE_TOKEN", ""))
    return LocalSource(target, user=user, create=create)


def open_operator(target: str | Path, *, create: bool = False) -> LocalSource:
    """A local file for an operator subcommand (import, report, audit, ...): acts as NAME@cli
    with a lead's rights, whatever users the database has (settled decision)."""
    return LocalSource(target, create=create, operator=True)
