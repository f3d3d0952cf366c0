"""Alerts a busy room notices: a red banner in the window and a sound (the system bell without
a sound device), a tray notice for the lead, and the watch for breaches and running-out holds."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSystemTrayIcon,
    QTabWidget,
    QWidget,
)

from dissuade.resources import resource_dir
from dissuade.sources import Source
from ui.common.ops import Runner

SHOW_MS = 15_000
HOLD_REMIND_SECONDS = 2 * 3600  # first reminder before a stop-payment hold runs out
HOLD_LAST_CALL_SECONDS = 30 * 60  # and a last one
HOLD_HORIZON_SECONDS = 30 * 86400  # every hold under way (the hub's longest look ahead)
MAX_TIMER_SECONDS = 86400.0  # a timer longer than a day is armed again after it


def tr(text: str) -> str:
    return QCoreApplication.translate("Alerts", text)


class AlertBanner(QLabel):
    """A red banner beside the tabs, in the tab bar's row (`install`): its space is always
    there, so nothing in the window moves when it shows or goes. A click or 15 seconds
    dismisses it; the whole text is in its tooltip when the row is too short for it."""

    alert_did_sound = Signal(str)  # "effect" or "bell"

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertBanner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(False)
        self.setStyleSheet("QLabel#alertBanner { background: #c62828; color: white; "
                           "font-weight: bold; font-size: 11pt; padding: 0px 10px; "
                           "border-radius: 3px; }")
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.slot: QWidget | None = None
        self._full = ""
        self.hide()

    def install(self, tabs: QTabWidget) -> None:
        """Put the banner in the tab bar's empty right-hand part, in a slot that is always
        there and never taller than the tab bar (so showing it relayouts nothing)."""
        slot = _Slot(tabs)
        row = QHBoxLayout(slot)
        row.setContentsMargins(8, 2, 4, 2)
        row.addWidget(self)
        height = tabs.tabBar().sizeHint().height()
        slot.setFixedHeight(height)
        self.setFixedHeight(max(10, height - 4))
        tabs.setCornerWidget(slot, Qt.Corner.TopRightCorner)
        self.slot = slot

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        width = max(10, self.width() - 20)
        super().setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight,
                                                      width))
        self._timer = QTimer(self, singleShot=True, interval=SHOW_MS, timeout=self.hide)
        self._effect: Any = None

    def mousePressEvent(self, event: Any) -> None:
        self.hide()

    def text(self) -> str:  # the whole alert, however much of it the row shows
        return self._full

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._fit()

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


class _Slot(QWidget):
    """The banner's room: the tab bar's row right of the tabs, whatever the window's width
    (the tab widget sizes its corner by this hint each time it lays itself out)."""

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(objectName="alertSlot")
        self.tabs = tabs

    def sizeHint(self) -> QSize:
        free = self.tabs.width() - self.tabs.tabBar().sizeHint().width() - 8
        return QSize(max(120, free), self.tabs.tabBar().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # never what makes the window wider
        return QSize(0, self.tabs.tabBar().sizeHint().height())


def _tray_icon() -> QIcon:
    """A red disc with a white bar: drawn, so no image file has to ship."""
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#c62828"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(4, 4, 56, 56)
    painter.setBrush(QColor("white"))
    painter.drawRoundedRect(28, 14, 8, 24, 3, 3)
    painter.drawEllipse(28, 42, 8, 8)
    painter.end()
    return QIcon(pixmap)


class Notifier(QObject):
    """What a lead must not miss: the banner with its sound, and the desktop's tray notice
    (seen even when the window is behind another), where the desktop has a tray."""

    did_notify = Signal(str, str)  # kind, text

    def __init__(self, banner: AlertBanner, parent: Any = None) -> None:
        super().__init__(parent)
        self.banner = banner
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(_tray_icon(), self)
            self.tray.setToolTip("dissuade")
            self.tray.show()

    def notify(self, kind: str, title: str, text: str, *, sound: bool = True) -> None:
        self.banner.alert(text, sound=sound)
        if self.tray is not None:
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Warning, SHOW_MS)
        self.did_notify.emit(kind, text)


class AlertWatch(QObject):
    """Looks for what a lead is alerted to: warnings that just passed their time limit uncalled,
    and stop-payment holds about to run out. It looks when there is news (`check()`, which the
    window connects to the live watch: a change anywhere, or a limit passing) and once at each
    moment a hold reaches a reminder (two hours and half an hour before it ends, and its end):
    one timer for the next of those, never a fixed beat. Source calls run on the given runner
    (its own worker, so a claim never waits behind a look)."""

    breaches_did_happen = Signal(int, list)  # how many are overdue now, the newly overdue
    holds_will_expire = Signal(list)  # escalations whose hold ends soon (each told once a stage)

    def __init__(self, source: Source, runner: Runner, *, breaches: bool, holds: bool,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.source, self.runner = source, runner
        self.watch_breaches, self.watch_holds = breaches, holds
        self._since: float | None = None
        self._told: set[tuple[int, int]] = set()  # (escalation, stage) already told
        self._busy = self._again = False
        self._hold_timer = QTimer(self, singleShot=True, timeout=self.check)
        self._stopped = True

    def start(self) -> None:
        self._stopped = False
        self.check()

    def stop(self) -> None:
        self._stopped = True
        self._hold_timer.stop()

    @property
    def next_reminder(self) -> float | None:
        """When the hold timer looks again (epoch seconds), None when no hold waits."""
        if not self._hold_timer.isActive():
            return None
        return time.time() + self._hold_timer.remainingTime() / 1000

    def check(self) -> None:
        if not (self.watch_breaches or self.watch_holds):
            return
        if self._busy:
            self._again = True  # news during a look: look once more after it
            return
        self._busy, self._again = True, False
        source, since = self.source, self._since
        now = time.time()

        def look() -> tuple[tuple[int, list[Any]] | None, list[Any]]:
            breaches = source.breaches(since=now if since is None else since) \
                if self.watch_breaches else None
            # Every hold under way (no policy keeps one a month): the next reminder's moment
            # is known, and the timer waits for it.
            holds = source.holds_running_out(within=HOLD_HORIZON_SECONDS) \
                if self.watch_holds else []
            return breaches, holds

        def done(result: tuple[tuple[int, list[Any]] | None, list[Any]]) -> None:
            self._busy = False
            first = self._since is None
            self._since = now
            breaches, holds = result
            if breaches is not None:
                count, fresh = breaches
                if fresh or (first and count):
                    self.breaches_did_happen.emit(count, fresh)
            due = []
            for e in holds:
                left = (e.hold_until or 0) - now
                if left > HOLD_REMIND_SECONDS:
                    continue
                # 0: two hours left; 1: the last half hour; 2: lapsed (ran out, nobody acted).
                stage = 2 if left <= 0 else 1 if left <= HOLD_LAST_CALL_SECONDS else 0
                if (int(e.id), stage) not in self._told:
                    self._told.add((int(e.id), stage))
                    due.append(e)
            if due:
                self.holds_will_expire.emit(due)
            self._arm(holds, now)
            if self._again:
                self.check()

        def failed(_exc: Exception) -> None:
            self._busy = False  # offline or busy: the next news looks again
            if self._again:
                self.check()

        self.runner.run(look, done, failed)

    def _arm(self, holds: list[Any], now: float) -> None:
        """One timer, for the next moment a hold reaches a reminder."""
        moments = [e.hold_until - before for e in holds if e.hold_until is not None
                   for before in (HOLD_REMIND_SECONDS, HOLD_LAST_CALL_SECONDS, 0.0)
                   if e.hold_until - before > now]
        if self._stopped or not moments:
            self._hold_timer.stop()
            return
        wait = min(moments) - now + 1.0  # a second past it: the look then counts it
        self._hold_timer.start(int(min(wait, MAX_TIMER_SECONDS) * 1000))
