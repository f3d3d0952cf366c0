"""Taking back an outcome (undoButton, Ctrl+Z) and keeping the notes as a draft.

For UNDO_SECONDS after an outcome the undo button counts down; it or Ctrl+Z (outside the notes
box, where Ctrl+Z undoes text) gives the warning back to the officer as it was, notes and all.
The store decides whether it is still in time (its clock, not this machine's). An outcome kept
offline is simply taken out of the outbox if it has not been sent yet. Taking the next warning
ends the offer: after that a lead reopens a closed warning (README, "Working the queue").

Notes are saved as a draft in the store while the officer types (a second after the last key,
on the window's worker, so in order with the outcome that later clears them), restored when the
officer opens the warning again, and deleted by the store when the outcome is recorded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QWidget

from dissuade.domain.errors import HubUnreachable
from dissuade.domain.models import Attempt, WarningDetail
from dissuade.sources import Source
from ui.common.ops import Runner

UNDO_SECONDS = 10  # as the store's window (dissuade/store/undo.py); the store decides
DRAFT_DELAY_MS = 1_000


def tr(text: str) -> str:
    return QCoreApplication.translate("Undo", text)


class UndoOffer(QObject):
    """The undo button and Ctrl+Z for the last outcome, while it can be undone."""

    did_undo = Signal(object, str)  # WarningDetail back in the officer's hands, its notes
    did_fail = Signal(str)

    def __init__(self, bench: QWidget, source: Source, runner: Runner, *,
                 holding: Callable[[], bool]) -> None:
        super().__init__(bench)
        self.source, self.runner, self.holding = source, runner, holding
        self.button = QPushButton(objectName="undoButton")
        self.button.clicked.connect(self.undo)
        self.button.setEnabled(False)
        self._attempt: Attempt | None = None
        self._detail: WarningDetail | None = None
        self._until = 0.0
        self._timer = QTimer(self, interval=250, timeout=self._tick)
        # Outside the notes box (a text box takes Ctrl+Z for its own undo first).
        QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), bench, activated=self.undo,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.retranslate()

    def retranslate(self) -> None:
        left = max(0, int(self._until - time.monotonic() + 0.999)) if self._attempt else 0
        self.button.setText(tr("Undo (Ctrl+Z) %1 s").replace("%1", str(left)) if left
                            else tr("Undo (Ctrl+Z)"))
        # As wide as its widest text: the countdown never moves the buttons beside it.
        widest = tr("Undo (Ctrl+Z) %1 s").replace("%1", str(UNDO_SECONDS))
        self.button.setFixedWidth(self.button.fontMetrics().horizontalAdvance(widest) + 24)
        self.button.setToolTip(tr("Take back the outcome just recorded, within %1 seconds: "
                                  "the warning comes back with its notes")
                               .replace("%1", str(UNDO_SECONDS)))

    def offer(self, attempt: Attempt, detail: WarningDetail) -> None:
        """An outcome was recorded (or kept offline) for the warning shown as `detail`: it can
        be undone for a few seconds."""
        self._attempt, self._detail = attempt, detail
        self._until = time.monotonic() + UNDO_SECONDS
        self.button.setEnabled(True)
        self._timer.start()
        self.retranslate()

    def end(self) -> None:
        self._attempt = None
        self._timer.stop()
        self.button.setEnabled(False)
        self.retranslate()

    @property
    def offered(self) -> Attempt | None:
        return self._attempt

    def _tick(self) -> None:
        if time.monotonic() >= self._until:
            self.end()
        else:
            self.retranslate()

    def undo(self) -> None:
        attempt, shown = self._attempt, self._detail
        if attempt is None or shown is None or self.holding():
            return
        self.end()
        source = self.source

        def take_back() -> WarningDetail:
            attempt_id: int | None = int(attempt.id)
            if attempt.pending:  # kept offline: out of the outbox, or undone where it went
                attempt_id = source.withdraw_kept(attempt.client_id)
                if attempt_id is None:
                    raise LookupError(tr("The outcome is no longer waiting to be sent."))
            if attempt_id:
                source.undo_attempt(attempt_id)
            warning_id = int(attempt.warning_id)
            try:
                if attempt_id == 0:  # it never reached the hub: renew the claim still ours
                    source.claim(warning_id)
                return source.get(warning_id)
            except HubUnreachable:
                return shown  # offline: the warning as it was on screen, claim kept meanwhile

        self.runner.run(take_back, lambda detail: self.did_undo.emit(detail, attempt.notes),
                        lambda exc: self.did_fail.emit(str(exc)))


class DraftKeeper(QObject):
    """Saves the notes as a draft while the officer types; restores them on reopening."""

    did_restore = Signal(int)  # warning id

    def __init__(self, notes: QPlainTextEdit, source: Source, runner: Runner,
                 current: Callable[[], int | None], parent: Any = None) -> None:
        super().__init__(parent)
        self.notes, self.source, self.runner, self.current = notes, source, runner, current
        self._timer = QTimer(self, singleShot=True, interval=DRAFT_DELAY_MS, timeout=self.save)
        self._quiet = False
        notes.textChanged.connect(self._typed)

    def _typed(self) -> None:
        if not self._quiet and self.current() is not None:
            self._timer.start()

    def save(self) -> None:
        """Now (the timer, or before the warning is given back)."""
        self._timer.stop()
        warning_id = self.current()
        if warning_id is None:
            return
        text, source = self.notes.toPlainText(), self.source
        self.runner.run(lambda: source.save_draft(warning_id, notes=text), None,
                        lambda _exc: None)  # offline: the next keystroke tries again

    def pending(self) -> bool:
        return self._timer.isActive()

    def stop(self) -> None:
        """The outcome was recorded (the store drops the draft with it): nothing more to save."""
        self._timer.stop()

    def restore(self, warning_id: int, text: str | None = None) -> None:
        """The officer opened `warning_id`: their draft back in the notes box (`text` when
        known already, else read off the UI thread)."""
        if text is not None:
            self._show(warning_id, text)
            return
        source = self.source
        self.runner.run(lambda: source.draft(warning_id),
                        lambda found: self._show(warning_id, found), lambda _exc: None)

    def _show(self, warning_id: int, text: str) -> None:
        if self.current() != warning_id or not text or self.notes.toPlainText().strip():
            return
        self._quiet = True
        self.notes.setPlainText(text)
        self._quiet = False
        self.did_restore.emit(warning_id)
