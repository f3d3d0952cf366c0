"""The workstation's lock: after the policy's `idle_lock_minutes` without keyboard or mouse
input, and when the hub no longer accepts the session, the window is covered by a dialog that
asks for the password again. Nothing is released meanwhile: the claim is renewed as before and
the notes typed stay in their box."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain.errors import HubUnreachable
from dissuade.domain.passwords import verify_password
from dissuade.sources import Source
from ui.common.ops import Runner
from ui.common.policy import PolicySnapshot

# What counts as someone at the workstation.
INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                   QEvent.Type.Wheel, QEvent.Type.TouchBegin})


def tr(text: str) -> str:
    return QCoreApplication.translate("LockDialog", text)


class LockDialog(QDialog):
    """Covers the window until the password is given again; Esc does not close it."""

    unlock_requested = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, *, user: str, expired: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockDialog")
        self.setModal(True)
        self.setMinimumWidth(420)
        self.user, self.expired = user, expired
        self.heading = QLabel(objectName="lockHeading")
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.message = QLabel(objectName="lockMessage")
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(400)  # wrapped text needs a width to take its height from
        self.password = QLineEdit(objectName="lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(objectName="lockError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.unlock_button = QPushButton(objectName="unlockButton")
        self.unlock_button.setDefault(True)
        self.sign_out_button = QPushButton(objectName="lockSignOut")
        self.sign_out_button.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.sign_out_button)
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        column = QVBoxLayout(self)
        for widget in (self.heading, self.message, self.password, self.error):
            column.addWidget(widget)
        column.addLayout(row)
        self.unlock_button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.sign_out_button.clicked.connect(self.sign_out_requested.emit)
        self.retranslate()

    def _submit(self) -> None:
        if not self.password.isEnabled():
            return
        self.password.setEnabled(False)
        self.unlock_button.setEnabled(False)
        self.unlock_requested.emit(self.password.text())

    def failed(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.adjustSize()
        self.password.setEnabled(True)
        self.unlock_button.setEnabled(True)
        self.password.clear()
        self.password.setFocus()

    def reject(self) -> None:
        """Esc does not unlock."""

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Locked") + " — dissuade")
        self.heading.setText(tr("Locked: %1").replace("%1", self.user))
        if self.expired:
            text = tr("Your sign-in has ended. Enter your password to go on: the warning you "
                      "hold, your notes and what waits to be sent are kept.")
        else:
            text = tr("Locked after a time without input. Enter your password to go on: the "
                      "warning you hold and your notes are kept.")
        self.message.setText(text)
        self.unlock_button.setText(tr("Unlock"))
        self.sign_out_button.setText(tr("Sign out"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class IdleLock(QObject):
    """Locks `window` after the policy's `idle_lock_minutes` (0: never) without keyboard or
    mouse input anywhere in the client (never while `busy()`: a call dialled from the screen
    is going on), and when the hub refuses the session (`lock(expired=
    True)`). Only for a user who signed in with a password: there is nothing to ask otherwise.

    Unlocking checks the password off the UI thread (`source.reauthenticate`: at a hub, a new
    session). When the hub cannot be reached, an idle lock is opened against `offline_check`,
    a salted hash of the password this workstation signed in with, kept in memory only."""

    did_lock = Signal()
    did_unlock = Signal()

    def __init__(self, source: Source, runner: Runner, *, policy: PolicySnapshot,
                 window: QWidget, offline_check: str | None = None,
                 sign_out: Callable[[], None] | None = None,
                 busy: Callable[[], bool] | None = None) -> None:
        super().__init__(window)
        self.source, self.runner, self.policy, self.window = source, runner, policy, window
        self.busy = busy  # a call dialled from the screen: never locked during it
        self.offline_check = offline_check
        self.sign_out = sign_out
        self.dialog: LockDialog | None = None
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self._idle)
        self.policy.policy_did_change.connect(lambda _p: self.arm())
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.arm()

    @property
    def locked(self) -> bool:
        return self.dialog is not None

    def minutes(self) -> float:
        return float(self.policy.policy.idle_lock_minutes)

    def arm(self) -> None:
        """(Re)start the countdown from now, as the policy says; stopped while locked."""
        if self.locked or self.minutes() <= 0:
            self.timer.stop()
            return
        self.timer.start(max(1, int(self.minutes() * 60_000)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT and not self.locked and self.timer.isActive():
            self.timer.start()  # from now again, same interval
        return False

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.dialog is not None:
            self._close_dialog()

    def _idle(self) -> None:
        """The idle time passed: lock, unless a dialled call is going on (then count again)."""
        if self.busy is not None and self.busy():
            self.arm()
            return
        self.lock()

    def lock(self, *, expired: bool = False) -> None:
        if self.locked:
            return
        self.timer.stop()
        dialog = LockDialog(user=self.source.user, expired=expired, parent=self.window)
        dialog.unlock_requested.connect(lambda password: self._check(password, expired))
        dialog.sign_out_requested.connect(self._sign_out)
        self.dialog = dialog
        dialog.open()
        dialog.password.setFocus()
        self.did_lock.emit()

    def _check(self, password: str, expired: bool) -> None:
        source, check = self.source, self.offline_check

        def job() -> None:  # on the worker: the network and scrypt never hold the UI thread
            try:
                source.reauthenticate(password)
            except HubUnreachable:
                # The hub is away: an idle lock opens against the password signed in with.
                if expired or not check or not verify_password(check, password):
                    raise

        self.runner.run(job, self._unlocked, self._failed)

    def _failed(self, exc: Exception) -> None:
        if self.dialog is not None:
            self.dialog.failed(str(exc))

    def _unlocked(self, _result: object) -> None:
        if self.dialog is None:
            return
        self._close_dialog()
        self.arm()
        self.did_unlock.emit()

    def _close_dialog(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.done(QDialog.DialogCode.Accepted)
            dialog.deleteLater()

    def _sign_out(self) -> None:
        self._close_dialog()
        if self.sign_out is not None:
            QTimer.singleShot(0, self.sign_out)


__all__ = ["IdleLock", "LockDialog"]
