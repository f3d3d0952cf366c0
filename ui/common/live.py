"""Watching the source for news on a background thread: arrivals, outages, the outbox, policy."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from dissuade.domain.errors import DissuadeError, HubUnreachable
from dissuade.sources import LinkState, Source

log = logging.getLogger(__name__)
POLL_SECONDS = 20.0  # a long poll: the hub answers at once when something changes
RETRY_SECONDS = 3.0  # while offline, how often to look for the hub again
WAKE_AFTER = 0.05  # seconds after a time-based change: the answer then counts it
SHORTEST_WAIT = 0.1  # a clock a little ahead of the hub's waits, never spins


class LiveWatch(QObject):
    """Long-polls `source.wait_for_changes`; signals arrive on the UI thread.

    `queue_did_change` when anything changed, and when the queue changed by time alone: each
    answer says when that happens next (a retry coming due, a lease running out, a limit
    passing) and the long poll ends then, so nobody polls on a fixed beat;
    `warnings_did_arrive` with the new warnings;
    `policy_did_change` when the centre policy changed (`source.policy()` is the new one by
    then); `connection_did_change(online, waiting, conflicts)` (and `link_did_change` with the
    whole LinkState) the moment a call of any screen fails to reach the hub or gets through
    again, when the outbox changes, and after every look;
    `session_did_end(waiting)` when the hub no longer accepts the session or token (the outbox
    keeps its items until the officer signs in again).
    """

    queue_did_change = Signal()
    warnings_did_arrive = Signal(list)
    connection_did_change = Signal(bool, int, int)
    link_did_change = Signal(object)  # LinkState: the same news, whole
    session_did_end = Signal(int)
    policy_did_change = Signal()
    # The watch's thread (and the source's callers) hand news to the UI thread through this one
    # queued signal; the public signals above are emitted there. A listener is never called from
    # another thread, nor after the window has let it go.
    _relay = Signal(str, tuple)

    def __init__(self, source: Source, *, poll_seconds: float = POLL_SECONDS,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.source = source
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._signed_in = True
        self._told = threading.Lock()
        self._serial = -1
        self._relay.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._unwatch: Callable[[], None] | None = None
        self.next_change: float | None = None  # as the last answer said

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="dissuade-live", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        unwatch = self._unwatch
        if unwatch is not None:
            unwatch()

    def _run(self) -> None:
        # Told by the source itself, from whichever thread made the call (Qt queues the
        # signals to the UI thread); asked for here, off the UI thread.
        try:
            unwatch = self.source.watch_link(self._link_changed)
        except Exception:  # noqa: BLE001 - the source was closed before the watch began
            return
        self._unwatch = unwatch
        try:
            self._watch()
        finally:
            unwatch()

    def _wait(self, due: float | None) -> float:
        """How long the next long poll may wait: until the next time-based change at most."""
        if due is None:
            return self.poll_seconds
        return min(self.poll_seconds, max(SHORTEST_WAIT, due - time.time() + WAKE_AFTER))

    def _watch(self) -> None:
        seq = last = -1
        policy: int | None = None
        due: float | None = None
        probe = True  # look without waiting: at the start, and after an outage
        while not self._stop.is_set():
            try:
                if seq < 0:
                    changes = self.source.wait_for_changes(after=0, after_warning=0, timeout=0)
                    seq, last, policy = changes[0], changes[1], changes.policy_version
                    due = self.next_change = getattr(changes, "next_change", None)
                    probe = False
                    self._status()
                    # What changed between the screens' first loads and this first look is
                    # news too: nothing is missed for want of a timer.
                    self._relay.emit("policy_did_change", ())
                    self._relay.emit("queue_did_change", ())
                    continue
                changes = self.source.wait_for_changes(
                    after=seq, after_warning=last, timeout=0 if probe else self._wait(due))
                probe = False
                if self._stop.is_set():
                    return
                self._status()
                if changes.policy_version != policy:
                    policy = changes.policy_version
                    self._relay.emit("policy_did_change", ())
                new_seq, new_last, arrivals = changes
                # Nothing written, yet the next time-based change moved: its moment came.
                new_due = getattr(changes, "next_change", None)
                timed, due = new_due != due, new_due
                self.next_change = due
                if new_seq != seq:
                    seq, last = new_seq, max(last, new_last)
                    if arrivals:
                        self._relay.emit("warnings_did_arrive", (arrivals,))
                    self._relay.emit("queue_did_change", ())
                elif timed:
                    self._relay.emit("queue_did_change", ())
            except HubUnreachable:
                probe = True
                self._status()
                self._stop.wait(RETRY_SECONDS)
            except DissuadeError as exc:
                log.warning("live queue: %s", exc)
                self._status()
                self._stop.wait(RETRY_SECONDS)
            except Exception:  # noqa: BLE001 - the source was closed under us when quitting
                if self._stop.is_set():
                    return
                log.exception("live queue stopped")
                return

    def _status(self) -> None:
        try:
            state = self.source.link_state()
        except Exception:  # noqa: BLE001 - the outbox file closing as the window quits
            return
        self._link_changed(state)

    def _link_changed(self, state: LinkState) -> None:
        if self._stop.is_set():
            return
        with self._told:  # in the order the source read them: an older state never wins
            if state.serial and state.serial < self._serial:
                return
            self._serial = state.serial
            try:
                self._relay.emit("_link", (state,))
                if state.signed_in != self._signed_in:
                    self._signed_in = state.signed_in
                    if not state.signed_in:
                        self._relay.emit("session_did_end", (state.waiting,))
            except RuntimeError:  # the window, and this object with it, is gone
                self._stop.set()

    def _deliver(self, name: str, args: tuple[Any, ...]) -> None:
        """On the UI thread: emit the news the watch's thread relayed."""
        if self._stop.is_set():
            return
        if name == "_link":
            # Whole first (the status bar reads it), then the short form: whoever hears
            # connection_did_change finds the window already showing that state.
            state = args[0]
            self.link_did_change.emit(state)
            self.connection_did_change.emit(state.online, state.waiting, state.conflicts)
            return
        getattr(self, name).emit(*args)
