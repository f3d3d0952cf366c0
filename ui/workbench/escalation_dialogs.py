"""Dialogs of a failing call: the card lock a brainwashed outcome proposes, raising the level,
and the reason for revealing a masked field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import codes
from dissuade.domain.codes import LEVELS, RiskLevel
from dissuade.domain.models import Warning
from ui.common.dialogs import ok_cancel


def tr(text: str) -> str:
    return QCoreApplication.translate("EscalationDialogs", text)


def _buttons(dialog: QDialog, layout: QVBoxLayout) -> QDialogButtonBox:
    buttons = ok_cancel(dialog)
    layout.addWidget(buttons)
    return buttons


class BrainwashedDialog(QDialog):
    """The person will not listen: the card lock proposed at once, prefilled with the warning's
    cards (masked; the core matches them to the full numbers) and amount, all editable."""

    def __init__(self, warning: Warning, *, cards: tuple[str, ...] | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("brainwashedDialog")
        self.setWindowTitle(tr("Refuses to listen: propose a card lock"))
        intro = QLabel(tr("Recording “refuses / brainwashed” proposes an emergency stop-payment "
                          "and card lock on these cards at once; a lead decides. Untick a card "
                          "that is not the person's, add any the person named."))
        intro.setWordWrap(True)
        known = tuple(warning.masked_cards if cards is None else cards)
        self.cards = QListWidget(objectName="brainwashedCards")
        for card in known:
            item = QListWidgetItem(card)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.cards.addItem(item)
        self.cards.setVisible(bool(known))
        self.cards.setMaximumHeight(90)
        self.extra = QLineEdit(objectName="brainwashedExtraCards")
        self.extra.setPlaceholderText(tr("More card numbers, separated by commas"))
        self.amount = QLineEdit(
            "" if warning.amount_at_risk is None else f"{warning.amount_at_risk:.2f}",
            objectName="brainwashedAmount")
        self.reason = QLineEdit(tr("Refuses to listen, still transferring"),
                                objectName="brainwashedReason")
        form = QFormLayout()
        if not known:
            none = QLabel(tr("No bank card is known for this person: add the cards they use, "
                             "or officers are sent to the door instead."))
            none.setStyleSheet("color: #a34f00;")
            none.setWordWrap(True)
            form.addRow(none)
        form.addRow(tr("Cards"), self.cards)
        form.addRow(tr("Add cards"), self.extra)
        form.addRow(tr("Amount (yuan)"), self.amount)
        form.addRow(tr("Reason"), self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        _buttons(self, layout)
        self.resize(460, self.sizeHint().height())

    def values(self) -> dict[str, object]:
        """The corrections for the proposal, as record_attempt(escalation=...) takes them."""
        chosen = [self.cards.item(i).text() for i in range(self.cards.count())
                  if self.cards.item(i).checkState() == Qt.CheckState.Checked]
        extra = [p.strip() for p in self.extra.text().replace("，", ",").split(",") if p.strip()]
        out: dict[str, object] = {"cards": chosen + extra}
        if self.amount.text().strip():
            out["amount"] = self.amount.text().strip()
        if self.reason.text().strip():
            out["reason"] = self.reason.text().strip()
        return out


class RaiseLevelDialog(QDialog):
    """Make the open warning more urgent, with a reason: one action, audited."""

    def __init__(self, warning: Warning, *, lang: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("raiseLevelDialog")
        self.setWindowTitle(tr("Raise the level"))
        current = RiskLevel(warning.risk_level)
        self.group = QButtonGroup(self)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.choices: dict[str, QRadioButton] = {}
        for level in LEVELS:
            if level.rank >= current.rank:
                continue
            button = QRadioButton(codes.label(codes.LEVEL_LABELS, level.value, lang),
                                  objectName=f"raiseTo_{level.value}")
            self.group.addButton(button)
            self.choices[level.value] = button
            column.addWidget(button)
        if self.choices:
            self.choices[LEVELS[0].value].setChecked(True)
        self.reason = QLineEdit(objectName="raiseLevelReason")
        self.reason.setPlaceholderText(tr("Why: the first transfer has gone out, a screen-sharing "
                                          "app is open..."))
        form = QFormLayout()
        form.addRow(tr("Now"), QLabel(codes.label(codes.LEVEL_LABELS, current.value, lang)))
        form.addRow(tr("Raise to"), box)
        form.addRow(tr("Reason"), self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.buttons = _buttons(self, layout)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.reason.textChanged.connect(lambda text: self.buttons.button(
            QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()) and bool(self.choices)))

    def values(self) -> tuple[str, str]:
        level = next((code for code, button in self.choices.items() if button.isChecked()), "")
        return level, self.reason.text().strip()


class RevealDialog(QDialog):
    """Why the officer must see the whole card or ID number: the reason goes into the audit."""

    def __init__(self, field: str, *, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("revealDialog")
        what = tr("bank card numbers") if field == "cards" else tr("ID number")
        self.setWindowTitle(tr("Show the %1 in full").replace("%1", what))
        note = QLabel(tr("Showing the %1 in full is recorded with your name, the time and the "
                         "reason.").replace("%1", what))
        note.setWordWrap(True)
        self.reason = QLineEdit(objectName="revealReason")
        self.reason.setText(tr("Confirm with the bank for a stop-payment") if field == "cards"
                            else tr("Confirm the person's identity"))
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        form = QFormLayout()
        form.addRow(tr("Reason"), self.reason)
        layout.addLayout(form)
        _buttons(self, layout)

    def value(self) -> str:
        return self.reason.text().strip()
