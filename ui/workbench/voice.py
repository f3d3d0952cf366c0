"""Voice warnings aloud: synthesise a WAV off the UI thread, then play it where there is sound."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QUrl, Signal
from PySide6.QtGui import QGuiApplication

from dissuade.domain.errors import DissuadeError
from dissuade.playbooks import speech
from ui.common.ops import Runner


def tr(text: str) -> str:
    return QCoreApplication.translate("Voice", text)


class VoicePlayer(QObject):
    """`speak(text, lang)` makes a WAV and plays it; `did_speak(path)` once the file is made and
    playing (or made only, with no sound device), `did_fail(message)` when it cannot be made.

    Synthesis takes a fraction of a second to a few seconds: give the player its own Runner
    (the default) rather than the one that carries source calls, so claims never wait behind it.
    """

    did_speak = Signal(str)
    did_fail = Signal(str)

    def __init__(self, runner: Runner | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner if runner is not None else Runner(self)
        self._folder = tempfile.TemporaryDirectory(prefix="dissuade-voice-", ignore_cleanup_errors=True)
        self._effect: Any = None
        self._last: Path | None = None
        self._ticket = 0  # a newer speak() or a stop() makes an earlier synthesis stale

    def speak(self, text: str, lang: str = "zh") -> None:
        self.stop()
        ticket = self._ticket
        path = Path(self._folder.name) / f"voice-{ticket}.wav"
        self.runner.run(lambda: speech.synthesize(text, lang, path),
                        lambda made: self._made(ticket, made), lambda exc: self._failed(ticket, exc))

    def stop(self) -> None:
        self._ticket += 1
        if self._effect is not None:
            self._effect.stop()

    def is_playing(self) -> bool:
        return self._effect is not None and bool(self._effect.isPlaying())

    def _made(self, ticket: int, path: Path) -> None:
        if ticket != self._ticket:
            return
        self._play(path)
        if self._last is not None and self._last != path:
            with contextlib.suppress(OSError):  # still open by the sound effect on Windows: kept
                self._last.unlink(missing_ok=True)
        self._last = path
        self.did_speak.emit(str(path))

    def _failed(self, ticket: int, exc: Exception) -> None:
        if ticket != self._ticket:
            return
        if isinstance(exc, DissuadeError):  # SpeechUnavailable says, in both languages, how to fix it
            self.did_fail.emit(str(exc))
        else:
            detail = f"{type(exc).__name__}: {exc}"
            self.did_fail.emit(tr("Could not make the voice warning: %1").replace("%1", detail))

    def _play(self, path: Path) -> None:
        # Qt Multimedia is loaded only when someone could hear it: importing it where there is no
        # sound device prints warnings, and an offscreen render or CI has no one listening.
        if QGuiApplication.platformName() in ("offscreen", "minimal"):
            return
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

        if QMediaDevices.defaultAudioOutput().isNull():
            return
        if self._effect is None:
            self._effect = QSoundEffect(self)
        self._effect.setSource(QUrl.fromLocalFile(str(path)))
        self._effect.play()
