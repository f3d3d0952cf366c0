"""Alerts a busy room notices: a red banner in the window and a sound (the system bell without
a sound device)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel

from dissuade.resources import resource_dir

SHOW_MS = 15_000


def tr(text: str) -> str:
    return QCoreApplication.translate("Alerts", text)


class AlertBanner(QLabel):
    """A banner across the window; a click or 15 seconds dismisses it."""

    alert_did_sound = Signal(str)  # "effect" or "bell"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet("QLabel#alertBanner { background: #c62828; color: white; "
                           "font-weight: bold; font-size: 13pt; padding: 6px; }")
        self.hide()
        self._timer = QTimer(self, singleShot=True, interval=SHOW_MS, timeout=self.hide)
        self._effect: Any = None

    def mousePressEvent(self, event: Any) -> None:
        self.hide()

    def alert(self, text: str, *, sound: bool = True) -> None:
        self.setText(text)
        self.show()
        self.raise_()
        self._timer.start()
        if sound:
            self.alert_did_sound.emit(self._play())

    def _play(self) -> str:
        # Qt Multimedia is loaded only when an alert sounds, and not at all where no one could
        # hear it (an offscreen render, CI); with no audio output the system bell rings instead.
        if QGuiApplication.platformName() in ("offscreen", "minimal"):
            QApplication.beep()
            return "bell"
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

        if QMediaDevices.defaultAudioOutput().isNull():
            QApplication.beep()
            return "bell"
        if self._effect is None:
            self._effect = QSoundEffect(self)
            self._effect.setSource(QUrl.fromLocalFile(str(resource_dir("sounds") / "emergency.wav")))
        self._effect.play()
        return "effect"
