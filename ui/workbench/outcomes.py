"""One button and one key per outcome code, with the call notes beside them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import codes
from dissuade.domain.codes import Outcome

# The key of each outcome: digits in the order officers use them most. Ctrl+digit works
# while typing notes too (a plain digit goes into the notes there).
OUTCOME_KEYS: dict[str, str] = {
    Outcome.DISSUADED: "1",
    Outcome.NO_ANSWER: "2",
    Outcome.BUSY: "3",
    Outcome.POWERED_OFF: "4",
    Outcome.CALLBACK: "5",
    Outcome.BRAINWASHED: "6",
    Outcome.ALREADY_LOST: "7",
    Outcome.NOT_FRAUD: "8",
    Outcome.WRONG_PERSON: "9",
    Outcome.INVALID_NUMBER: "0",
}


def tr(text: str) -> str:
    return QCoreApplication.translate("OutcomeBar", text)


class OutcomeBar(QWidget):
    outcome_chosen = Signal(str)

    def __init__(self, *, lang: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("outcomeBar")
        self.lang = lang
        self.notes_label = QLabel()
        self.notes = QPlainTextEdit(objectName="notesEdit")
        self.notes.setMaximumHeight(90)
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(4)
        for i, (code, key) in enumerate(OUTCOME_KEYS.items()):
            button = QPushButton(objectName=f"outcome_{code}")
            button.setMinimumHeight(34)
            button.clicked.connect(lambda _=False, c=code: self.outcome_chosen.emit(c))
            self.buttons[code] = button
            grid.addWidget(button, i // 5, i % 5)
            for seq in (key, f"Ctrl+{key}"):
                shortcut = QShortcut(QKeySequence(seq), self)
                shortcut.activated.connect(button.animateClick)
        self.buttons[Outcome.DISSUADED].setProperty("kind", "good")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.notes)
        layout.addLayout(grid)
        self.retranslate()
        self.set_enabled(False)

    def retranslate(self) -> None:
        self.notes_label.setText(tr("Call notes (saved with the outcome):"))
        self.notes.setPlaceholderText(tr("What the person said, where the money went..."))
        for code, button in self.buttons.items():
            key = OUTCOME_KEYS[code]
            button.setText(f"{key}  {codes.label(codes.OUTCOME_LABELS, code, self.lang)}")
            button.setToolTip(tr("Key %1 (Ctrl+%1 while typing notes)").replace("%1", key))

    def set_enabled(self, enabled: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(enabled)
        self.notes.setEnabled(enabled)
