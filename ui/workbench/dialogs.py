"""Dialogs of the officer's call: the escalation an officer proposes (F8) and an agreed callback."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
)

from dissuade.domain import codes, timeutil
from dissuade.domain.codes import EscalationKind
from dissuade.domain.models import Warning
from ui.common.clock import centre_edit, epoch_of
from ui.common.dialogs import form_with_buttons, ok_cancel


def tr(text: str) -> str:
    return QCoreApplication.translate("Dialogs", text)


class EscalationDialog(QDialog):
    """Kind, reason, cards and amount of a proposal; prefilled from the warning. OK checks the
    fields first and says what is missing beside them; the dialog closes only when they hold."""

    def __init__(self, warning: Warning, *, lang: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("escalationDialog")
        self.setWindowTitle(tr("Propose escalation"))
        self.kind = QComboBox(objectName="escalationKind")
        for kind in EscalationKind:
            self.kind.addItem(codes.label(codes.ESCALATION_LABELS, kind, lang), kind.value)
        if not warning.cards:
            self.kind.setCurrentIndex(self.kind.findData(EscalationKind.DOOR_VISIT.value))
        self.reason = QLineEdit(objectName="escalationReason")
        self.reason.setPlaceholderText(tr("Why: still transferring, unreachable..."))
        self.cards = QLineEdit(", ".join(warning.cards), objectName="escalationCards")
        self.cards.setPlaceholderText(tr("Card numbers, separated by commas"))
        self.amount = QLineEdit(
            "" if warning.amount_at_risk is None else f"{warning.amount_at_risk:.2f}",
            objectName="escalationAmount")
        self.problem = QLabel(objectName="escalationProblem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020; font-weight: bold;")
        self.problem.hide()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(tr("Kind"), self.kind)
        form.addRow(tr("Reason"), self.reason)
        form.addRow(tr("Bank cards"), self.cards)
        form.addRow(tr("Amount (yuan)"), self.amount)
        form.addRow(self.problem)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(ok_cancel(self, accept=self._check))
        # Wide enough for the longest placeholder and a masked card list, whatever the language.
        metrics = self.fontMetrics()
        wanted = max(metrics.horizontalAdvance(t) for t in (
            self.reason.placeholderText(), self.cards.placeholderText(),
            "6222 **** **** 0202, 6222 **** **** 0303")) + 160
        self.setMinimumWidth(min(max(460, wanted), 900))

    def problems(self) -> list[tuple[QLineEdit, str]]:
        """What must change before the proposal can go (the field and what to say)."""
        found: list[tuple[QLineEdit, str]] = []
        if not self.reason.text().strip():
            found.append((self.reason, tr("Say why the escalation is needed.")))
        amount = self.amount.text().strip().replace(",", "").replace("，", "").lstrip("¥￥")
        if amount:
            try:
                ok = float(amount) >= 0
            except ValueError:
                ok = False
            if not ok:
                found.append((self.amount, tr("The amount must be a number of yuan, "
                                              "for example 5000 or 5000.50.")))
        if self.kind.currentData() == EscalationKind.CARD_LOCK.value \
                and not self.cards.text().strip():
            found.append((self.cards, tr("A card lock needs at least one card number; without "
                                         "one, choose a door visit.")))
        return found

    def _check(self) -> None:
        found = self.problems()
        if not found:
            self.accept()
            return
        self.problem.setText("\n".join(text for _field, text in found))
        self.problem.show()
        found[0][0].setFocus()
        self.adjustSize()

    def values(self) -> dict[str, object]:
        return {
            "kind": self.kind.currentData(),
            "reason": self.reason.text().strip(),
            "cards": self.cards.text().strip() or None,
            "amount": self.amount.text().strip() or None,
        }


class CallbackDialog(QDialog):
    """When to call back (the centre's time, in zone `tz`), and whether only this officer or
    anyone may."""

    def __init__(self, *, tz: str = timeutil.DEFAULT_TZ, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("callbackDialog")
        self.setWindowTitle(tr("Agreed callback"))
        self.tz = tz
        self.when = centre_edit("callbackAt", epoch=timeutil.now() + 30 * 60, tz=tz)
        self.only_me = QRadioButton(tr("Only me"), objectName="callbackMe")
        self.anyone = QRadioButton(tr("Anyone"), objectName="callbackAnyone")
        self.anyone.setChecked(True)
        form = QFormLayout()
        form.addRow(tr("Call back at"), self.when)
        zone = QLabel(tr("The centre's time (%1)").replace("%1", tz), objectName="callbackZone")
        zone.setStyleSheet("color: #555;")
        form.addRow("", zone)
        form.addRow(tr("Who"), self.only_me)
        form.addRow("", self.anyone)
        form_with_buttons(self, form)

    def values(self) -> tuple[float, str]:
        return epoch_of(self.when, self.tz), "me" if self.only_me.isChecked() else "anyone"
