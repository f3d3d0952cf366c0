"""Watching the source for news on a background thread: arrivals, outages, the outbox."""

from __future__ import annotations

import logging
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal

from dissuade.errors import DissuadeError, HubUnreachable
from dissuade.source import Source

log = logging.getLogger(__name__)
POLL_SECONDS = 20.0  # a long poll: the hub answers at once when something changes
RETRY_SECONDS = 3.0  # while offline, how often to look for the hub again


class LiveWatch(QObject):
    """Long-polls `source.wait_for_changes`; signals arrive on the UI thread.

    `queue_did_change` when anything changed; `warnings_did_arrive` with the new warnings;
    `connection_did_change(online, waiting, conflicts)` after every look, so the status bar
    always shows whether the hub answers and how much waits in the outbox.
    """

    queue_did_change = Signal()
    warnings_did_arrive = Signal(list)
    connection_did_change = Signal(bool, int, int)

    def __init__(self, source: Source, *, poll_seconds: float = POLL_SECONDS,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.source = source
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="dissuade-live", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        seq = last = -1
        while not self._stop.is_set():
            try:
                self.source.replay_outbox()
                if seq < 0:
                    seq, last, _ = self.source.wait_for_changes(after=0, after_warning=0,
                                                                timeout=0)
                    self._status(True)
                    continue
                new_seq, new_last, arrivals = self.source.wait_for_changes(
                    after=seq, after_warning=last, timeout=self.poll_seconds)
                if self._stop.is_set():
                    return
                self._status(True)
                if new_seq != seq:
                    seq, last = new_seq, max(last, new_last)
                    if arrivals:
                        self.warnings_did_arrive.emit(arrivals)
                    self.queue_did_change.emit()
            except HubUnreachable:
                self._status(False)
                self._stop.wait(RETRY_SECONDS)
            except DissuadeError as exc:
                log.warning("live queue: %s", exc)
                self._stop.wait(RETRY_SECONDS)
            except Exception:  # noqa: BLE001 - the source was closed under us when quitting
                if self._stop.is_set():
                    return
                log.exception("live queue stopped")
                return

    def _status(self, online: bool) -> None:
        try:
            waiting, conflicts = self.source.outbox_status()
        except Exception:  # noqa: BLE001 - the outbox file closing as the window quits
            return
        if not self._stop.is_set():
            self.connection_did_change.emit(online, waiting, len(conflicts))
