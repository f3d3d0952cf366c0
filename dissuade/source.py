"""Sources: the one interface every screen, script and test uses, over a file or a hub."""

from __future__ import annotations

import getpass
import os
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from dissuade.codes import Role
from dissuade.errors import Forbidden, NotFound
from dissuade.models import Attempt, Escalation, EscalationDetail, Warning, WarningDetail
from dissuade.policy import Policy
from dissuade.store import IngestResult, Store
from dissuade.store.training import Message, RehearsalResult

LOCAL_POLL_SECONDS = 0.5


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
    def add_warnings(self, items: list[dict[str, object]]) -> list[IngestResult]: ...

    def record_attempt(
        self, warning_id: int, outcome: str, notes: str = "", *,
        client_id: str | None = None, started_at: float | None = None,
        ended_at: float | None = None, amount_lost: object = None,
        callback_at: float | None = None, callback_scope: str | None = None,
        escalation: dict[str, object] | None = None,
    ) -> Attempt: ...

    def propose_escalation(
        self, warning_id: int, *, kind: str, reason: str, cards: object = None,
        amount: object = None, client_id: str | None = None,
    ) -> Escalation: ...

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
                         timeout: float = 20.0) -> tuple[int, int, list[Warning]]: ...
    def outbox_status(self) -> tuple[int, list[Any]]: ...
    def replay_outbox(self) -> tuple[int, int]: ...
    def resolve_conflict(self, seq: int) -> None: ...
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

    def add_warnings(self, items: list[dict[str, object]]) -> list[IngestResult]:
        with self._lock:
            return self.store.add_warnings(items, actor=self.user)

    def record_attempt(
        self, warning_id: int, outcome: str, notes: str = "", *,
        client_id: str | None = None, started_at: float | None = None,
        ended_at: float | None = None, amount_lost: object = None,
        callback_at: float | None = None, callback_scope: str | None = None,
        escalation: dict[str, object] | None = None,
    ) -> Attempt:
        with self._lock:
            return self.store.record_attempt(
                warning_id, user=self.user, outcome=outcome, notes=notes, client_id=client_id,
                started_at=started_at, ended_at=ended_at, amount_lost=amount_lost,
                callback_at=callback_at, callback_scope=callback_scope, escalation=escalation,
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

    def retype_warning(self, warning_id: int, *, scam_type: str, reason: str = "") -> Warning:
        with self._lock:
            return self.store.retype_warning(warning_id, scam_type=scam_type, reason=reason,
                                             user=self.user)

    def record_message(self, warning_id: int, *, text: str, via: str, result: str = "",
                       client_id: str | None = None) -> Message:
        with self._lock:
            return self.store.record_message(warning_id, client_id=client_id or str(uuid.uuid4()),
                                             text=text, via=via, result=result, user=self.user)

    def save_rehearsal(self, *, scam_type: str, lang: str, points_made: int, points_total: int,
                       detail: list[dict[str, Any]]) -> RehearsalResult:
        with self._lock:
            return self.store.save_rehearsal(trainee=self.user, scam_type=scam_type, lang=lang,
                                             points_made=points_made, points_total=points_total,
                                             detail=detail)

    def rehearsals(self, *, trainee: str | None = None) -> list[RehearsalResult]:
        """Leads and trainers see everyone's results; others their own."""
        if self.role not in (Role.LEAD.value, Role.TRAINER.value, Role.ADMIN.value):
            trainee = self.user
        with self._lock:
            return self.store.rehearsals(trainee=trainee)

    def update_level_policy(self, level: str, changes: dict[str, Any]) -> Policy:
        self._need(Role.LEAD)
        with self._lock:
            return self.store.update_level_policy(level, changes, user=self.user)

    def raise_level(self, warning_id: int, *, level: str, reason: str) -> Warning:
        with self._lock:
            return self.store.raise_level(warning_id, level=level, reason=reason, user=self.user)

    def why(self, warning_id: int, *, lang: str = "zh") -> str:
        with self._lock:
            return self.store.why(warning_id, user=self.user, lang=lang)

    def extend_hold(self, escalation_id: int, *, note: str = "") -> Escalation:
        self._need(Role.LEAD)
        with self._lock:
            return self.store.extend_hold(escalation_id, user=self.user, note=note)

    def holds_running_out(self, *, within: float) -> list[Escalation]:
        with self._lock:
            return self.store.holds_running_out(within=within)

    def escalation_detail(self, escalation_id: int) -> EscalationDetail:
        with self._lock:
            return EscalationDetail(self.store.escalation(escalation_id),
                                    tuple(self.store.escalation_steps(escalation_id)),
                                    tuple(self.store.chase_calls(escalation_id)))

    def decide_escalation(self, escalation_id: int, *, decision: str, note: str = "") -> Escalation:
        self._need(Role.LEAD)
        with self._lock:
            return self.store.decide_escalation(escalation_id, decision=decision, note=note,
                                                user=self.user)

    def advance_escalation(self, escalation_id: int, *, status: str, note: str = "") -> Escalation:
        with self._lock:
            return self.store.advance_escalation(escalation_id, status=status, note=note,
                                                 user=self.user)

    def active_escalations(self) -> list[Escalation]:
        with self._lock:
            return self.store.active_escalations()

    def pending_escalations(self) -> list[Escalation]:
        with self._lock:
            return self.store.pending_escalations()

    def stats(self, *, start: float | None = None, end: float | None = None) -> dict[str, Any]:
        self._need(Role.LEAD)
        with self._lock:
            return self.store.stats(start=start, end=end)

    def wait_for_changes(self, *, after: int, after_warning: int,
                         timeout: float = 20.0) -> tuple[int, int, list[Warning]]:
        """Poll the file until something changes after `after` (or timeout); as the hub's."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                seq = self.store.change_seq()
                if seq > after or time.monotonic() >= deadline:
                    last = self.store.last_warning_id()
                    arrivals = self.store.arrivals(after_id=after_warning)
                    return seq, last, arrivals
            time.sleep(LOCAL_POLL_SECONDS)

    def outbox_status(self) -> tuple[int, list[Any]]:
        return 0, []  # a local file is never offline

    def replay_outbox(self) -> tuple[int, int]:
        return 0, 0

    def resolve_conflict(self, seq: int) -> None:
        raise NotFound(f"本地数据库没有离线冲突 / a local database has no offline conflict {seq}")

    def _need(self, role: Role) -> None:
        if self.role not in (role.value,):
            raise Forbidden(f"角色 {self.role} 无权执行此操作 / role {self.role} may not do this "
                            f"(needs {role.value})")

    def close(self) -> None:
        with self._lock:
            self.store.close()


def open_source(target: str | Path, *, user: str | None = None, token: str | None = None,
                create: bool = True) -> Source:
    """A source for a database path or a hub URL (``http://`` or ``https://``)."""
    text = str(target)
    if text.startswith(("http://", "https://")):
        from dissuade.http_source import HttpSource

        return HttpSource(text, token=token or os.environ.get("DISSUADE_TOKEN", ""))
    return LocalSource(target, user=user, create=create)
