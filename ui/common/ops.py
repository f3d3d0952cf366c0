"""The one way screens run source calls off the UI thread: a serial worker and a done signal."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from dissuade.domain.errors import DissuadeError

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries a result back to the UI thread (queued across threads by Qt)."""

    done = Signal(object, object)  # (callback, result)
    failed = Signal(object, object)  # (callback, exception)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay,
                 on_done: Callable[[Any], None] | None,
                 on_error: Callable[[Exception], None] | None) -> None:
        super().__init__()
        self.fn, self.relay, self.on_done, self.on_error = fn, relay, on_done, on_error

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # noqa: BLE001 - handed to the UI thread, never lost
            self.relay.failed.emit(self.on_error, exc)
        else:
            self.relay.done.emit(self.on_done, result)


class Runner(QObject):
    """Runs core calls one at a time, in order, on a worker thread.

    One worker keeps calls to a source in the order the officer made them (an outcome is
    recorded before the next claim). Callbacks run on the UI thread. `did_finish` fires after
    every job, so tests wait on it instead of sleeping.
    """

    did_finish = Signal()
    did_fail = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay()
        self._relay.done.connect(self._deliver)
        self._relay.failed.connect(self._fail)
        self.busy = 0
        self._closed = False

    def run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[Exception], None] | None = None) -> None:
        if self._closed:  # the window closed: a late timer or signal must not reach the source
            return
        self.busy += 1
        self._pool.start(_Job(fn, self._relay, on_done, on_error))

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until every job ran (for shutdown and scripts, never in a click handler)."""
        return self._pool.waitForDone(msecs)

    def close(self, msecs: int = 30_000) -> bool:
        """Finish what was asked, then take nothing more: the source is about to close."""
        done = self.wait(msecs)
        self._closed = True
        return done

    def _deliver(self, callback: Callable[[Any], None] | None, result: Any) -> None:
        self.busy -= 1
        try:
            if callback is not None:
                callback(result)
        finally:
            self.did_finish.emit()

    def _fail(self, callback: Callable[[Exception], None] | None, exc: Exception) -> None:
        self.busy -= 1
        if not isinstance(exc, DissuadeError):
            log.error("source call failed", exc_info=exc)
        try:
            if callback is not None:
                callback(exc)
            else:
                self.did_fail.emit(str(exc))
        finally:
            self.did_finish.emit()
