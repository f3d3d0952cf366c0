"""The window's first size: the default, shrunk to the screen's available area (what the task
bar and panels leave), so the status bar is never off-screen on a 1366x768 laptop."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

KEEP_AS_SIZED = "keepAsSized"  # a window property: its size was chosen, leave it


def first_geometry(window: QWidget, default: tuple[int, int]) -> QRect:
    """Where a window with no saved geometry goes: the default size, no larger than the
    available area less the window frame, centred in it."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return QRect(0, 0, *default)
    area = screen.availableGeometry()
    frame = window.frameGeometry().size() - window.geometry().size()
    # Before the window is shown the frame is not known: leave room for a usual title bar.
    frame_w = frame.width() if frame.width() > 0 else 2
    frame_h = frame.height() if frame.height() > 0 else 32
    size = QSize(min(default[0], area.width() - frame_w), min(default[1], area.height() - frame_h))
    rect = QRect(0, 0, size.width(), size.height())
    rect.moveCenter(area.center())
    if size.height() >= area.height() - frame_h:  # full height: the title bar at the top
        rect.moveTop(area.top() + max(0, frame_h - frame_w // 2))
    return rect


def fit_first_start(window: QWidget, default: tuple[int, int]) -> None:
    """The first size now (the frame guessed), and once shown, with the frame the window
    manager really drew, moved and shrunk until the whole frame is inside the available area."""
    window.setGeometry(first_geometry(window, default))
    window.installEventFilter(_OnFirstShow(window))


def keep_inside(window: QWidget) -> None:
    """Move (and if need be shrink) a shown window so its frame is in the available area."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None or window.isMaximized() or window.isFullScreen():
        return
    area = screen.availableGeometry()
    frame, inner = window.frameGeometry(), window.geometry()
    extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
    width = max(window.minimumWidth(), min(inner.width(), area.width() - extra_w))
    height = max(window.minimumHeight(), min(inner.height(), area.height() - extra_h))
    if (width, height) != (inner.width(), inner.height()):
        window.resize(width, height)
        frame = window.frameGeometry()
    x = min(max(frame.left(), area.left()), max(area.left(), area.right() + 1 - frame.width()))
    y = min(max(frame.top(), area.top()), max(area.top(), area.bottom() + 1 - frame.height()))
    if (x, y) != (frame.left(), frame.top()):
        window.move(x, y)


class _OnFirstShow(QObject):
    """At the first show, fits the window, unless it was given a size on purpose since (a saved
    layout restored, a screenshot's fixed size: `KEEP_AS_SIZED` set on it)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            watched.removeEventFilter(self)
            if not watched.property(KEEP_AS_SIZED):
                QTimer.singleShot(0, watched, lambda: keep_inside(watched))
        return False
