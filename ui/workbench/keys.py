"""Where the workbench's keys go: README's "Working the queue", kept whatever has the focus.

While a warning is open and the officer is not typing in the notes, a digit records its
outcome. So the focus never drifts into a text box by itself: the two search boxes (the why box
and the script's objection search) take it only when clicked or by their own keys (Ctrl+F,
Ctrl+K), and F2, Esc, a tab switch back to the workbench and every opened or closed warning bring
it home to the workbench, where a digit reaches the outcome keys.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

FIND_OBJECTION_KEY = "Ctrl+K"  # the script panel's search box (README, F1)
WHY_KEY = "Ctrl+F"  # the "where is warning N" box


class KeyFocus(QObject):
    """Keeps the keyboard where README says. `home()` gives the focus back to the workbench
    (which holds it without showing a cursor); the search boxes are click-or-key only."""

    def __init__(self, bench: QWidget, *, boxes: dict[str, QLineEdit], notes: QWidget) -> None:
        super().__init__(bench)
        self.bench = bench
        self.notes = notes
        # The workbench itself can hold the focus: a click on empty space brings it home too.
        bench.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        for key, box in boxes.items():
            # Never reached by Tab or by Qt moving the focus on when a button is disabled.
            box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            QShortcut(QKeySequence(key), bench, activated=lambda b=box: self._into(b))
        self.boxes = list(boxes.values())
        # Esc anywhere in the workbench (not in a dialog: a dialog is a window of its own).
        QShortcut(QKeySequence(Qt.Key.Key_Escape), bench, activated=self.home,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        bench.installEventFilter(self)

    def _into(self, box: QLineEdit) -> None:
        box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        box.selectAll()

    def home(self) -> None:
        """The focus back on the workbench, where a digit records an outcome."""
        if self.bench.isVisible():
            self.bench.setFocus(Qt.FocusReason.OtherFocusReason)

    def settle(self) -> None:
        """A warning opened or closed: the focus comes home unless the officer is typing notes
        (a closed warning's notes box is disabled, so then it always does)."""
        focus = QApplication.focusWidget()
        if focus is self.notes and self.notes.isEnabled():
            return
        if focus is None or focus is self.bench or self.bench.isAncestorOf(focus) \
                or not self.bench.window().isActiveWindow():
            self.home()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.bench and event.type() == QEvent.Type.Show:
            # Back on the workbench tab: the keys are the workbench's again (after the tab
            # widget has moved the focus where it wanted).
            QTimer.singleShot(0, self.home)
        return False

