"""The centre policy as screens read it: the last one the source gave, refreshed by events."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from dissuade.domain.policy import Policy, default_policy
from dissuade.sources import Source
from ui.common.ops import Runner


class PolicySnapshot(QObject):
    """The last `Policy` loaded, read on the UI thread instead of `source.policy()`.

    `load()` reads it off the UI thread: the window does at start, when the live watch says
    the policy changed, and `set()` takes the one this window's own edit saved. Until the
    first load answers the defaults stand in. `policy_did_change` fires with the new policy
    whenever it differs; screens that keep a time zone, shift hours or an interval follow it.
    """

    policy_did_change = Signal(object)  # Policy
    did_load = Signal()  # after every load, changed or not

    def __init__(self, source: Source, runner: Runner, parent: Any = None) -> None:
        super().__init__(parent)
        self._source, self._runner = source, runner
        self.policy: Policy = default_policy()
        self.loaded = False

    @property
    def timezone(self) -> str:
        return self.policy.timezone

    def lease_minutes(self) -> float:
        """The shortest claim lease of any level (a claim is renewed well within it)."""
        return min(p.lease_minutes for p in self.policy.levels.values())

    def load(self) -> None:
        source = self._source
        self._runner.run(source.policy, self.set, self._failed)

    def _failed(self, _exc: Exception) -> None:
        """Unreadable now (the hub away): the last one (or the defaults) stands."""
        if not shiboken6.isValid(self):
            return
        self.loaded = True
        self.did_load.emit()

    def set(self, policy: Policy) -> None:
        if not shiboken6.isValid(self):
            return  # the screen that held it closed before the answer came
        self.loaded = True
        if policy != self.policy:
            self.policy = policy
            self.policy_did_change.emit(policy)
        self.did_load.emit()


def own_snapshot(source: Source, runner: Runner, parent: QObject) -> PolicySnapshot:
    """A screen built on its own (not in the window) loads a snapshot of its own."""
    snapshot = PolicySnapshot(source, runner, parent)
    snapshot.load()
    return snapshot
