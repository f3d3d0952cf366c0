"""The Source interface: every operation of the table, and what each kind of source adds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dissuade.domain.models import Warning
from dissuade.sources.table import Operations


class Changes(tuple[int, int, list[Warning]]):
    """What `wait_for_changes` saw. Unpacks as `(seq, last warning id, arrivals)`, and also
    carries the centre policy's version: it grows with every policy change, so a client seeing a
    new one knows `policy()` has changed (the hub source has fetched it already).
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


class Source(Operations):
    """What a client can do: the table's operations (dissuade/sources/table.py), the same over a
    local file (LocalSource) and a hub (HttpSource), plus what is not an operation: the live
    wait, the offline outbox, the link's state, describing and closing."""

    user: str
    role: str
    kind: str  # "local" or "hub"
    location: str  # the file or the hub's URL

    def describe(self) -> str:
        raise NotImplementedError

    def wait_for_changes(self, *, after: int, after_warning: int,
                         timeout: float = 20.0) -> Changes:
        """Block until something changes after `after` (or `timeout`): the change sequence,
        the last warning id, the warnings that arrived after `after_warning`."""
        raise NotImplementedError

    def outbox_status(self) -> tuple[int, list[Any]]:
        """(items waiting to be sent, items the hub refused and the officer must resolve)."""
        return 0, []

    def replay_outbox(self) -> tuple[int, int]:
        return 0, 0

    def resolve_conflict(self, seq: int) -> None:
        raise NotImplementedError

    def withdraw_kept(self, client_id: str) -> int | None:
        """Undo an outcome the officer saw as kept offline: 0 when it was taken out of the
        outbox before being sent; the attempt's id when it was sent meanwhile (undo that one
        with `undo_attempt`); None when this source kept nothing under `client_id`."""
        return None

    def link_state(self) -> LinkState:
        return LinkState()

    def watch_link(self, listener: LinkListener) -> Callable[[], None]:
        return lambda: None  # nothing to tell: a local file is always there

    def reauthenticate(self, password: str) -> None:
        """Check this user's password again (the idle lock, a session that ran out): raises
        NotAuthenticated (or SlowDown) when it is wrong; through a hub, a new session."""
        raise NotImplementedError

    def end_session(self) -> None:
        """Sign out: a session opened with a password stops working at once (nothing to do
        for a long-lived token or a local file)."""

    def close(self) -> None:
        raise NotImplementedError


__all__ = ["Changes", "LinkListener", "LinkState", "Source"]
