"""The UI thread only draws: a source that fails the test when the Qt UI thread calls it.

Every screen a UI test builds gets its source through `GuardedSource` (tests/ui/conftest.py
wraps the `source` argument of every class in `ui`). A `Source` method called on the Qt UI
thread raises `UIThreadCall` and is recorded, so the test fails even where the UI swallows the
exception; calls from the Runner's worker or the live watch's thread pass through, counted.
The test's own code keeps the source it opened (or `unguarded(window.source)`) to check the
store. Allowed on the UI thread: `close()` (at shutdown, once the workers have finished) and
plain attributes (`user`, `role`, `kind`, `location`, the local file's `bank` and `dialer`).
"""

from __future__ import annotations

import functools
import inspect
import threading
import traceback
from collections import Counter
from typing import Any

from PySide6.QtCore import QCoreApplication, QThread

ALLOWED = frozenset({"close"})


class UIThreadCall(AssertionError):
    """A source call on the Qt UI thread: the window would freeze for its whole round trip."""


def on_ui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


class Guard:
    """What the guarded sources of one test saw: calls counted by name, UI-thread calls kept."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.violations: list[str] = []
        self._lock = threading.Lock()

    def wrap(self, source: Any) -> Any:
        if isinstance(source, GuardedSource) or source is None:
            return source
        return GuardedSource(source, self)

    def count(self, name: str) -> int:
        with self._lock:
            return self.calls[name]

    def _called(self, name: str) -> None:
        with self._lock:
            self.calls[name] += 1
        if on_ui_thread():
            where = _ui_caller()
            text = f"source.{name}() on the UI thread, from {where}"
            self.violations.append(text)
            raise UIThreadCall(text)


class GuardedSource:
    """Passes attributes through; fails a method call made on the Qt UI thread."""

    def __init__(self, inner: Any, guard: Guard) -> None:
        object.__setattr__(self, "_inner", inner)
        object.__setattr__(self, "_guard", guard)

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._inner, name)
        if name in ALLOWED or name.startswith("_") or not callable(value) \
                or inspect.isclass(value):
            return value
        guard = self._guard

        @functools.wraps(value)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            guard._called(name)
            return value(*args, **kwargs)

        return guarded

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._inner, name, value)  # a test's stand-in method is guarded too

    def __delattr__(self, name: str) -> None:
        delattr(self._inner, name)


def unguarded(source: Any) -> Any:
    """The real source behind a guarded one, for a test's own checks."""
    return source._inner if isinstance(source, GuardedSource) else source


def _ui_caller() -> str:
    """The innermost frame in the `ui` package: file:function of the offending call."""
    for frame in reversed(traceback.extract_stack()[:-3]):
        path = frame.filename.replace("\\", "/")
        if "/ui/" in path and "/tests/" not in path:
            return f"{path[path.rindex('/ui/') + 1:]}:{frame.name}"
    return "a test"
