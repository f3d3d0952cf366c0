"""Dialogs of the workstation: the offline outbox's conflicts and the SMS gateway."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from dissuade.domain import codes, timeutil
from dissuade.domain.errors import DissuadeError
from dissuade.gateways import sms
from ui.common.dialogs import ok_cancel


def tr(text: str) -> str:
    return QCoreApplication.translate("Dialogs", text)


class ConflictsDialog(QDialog):
    """Outcomes the hub refused on replay (someone else took the warning over): never dropped
    silently. The officer re-enters what matters on the warning, then marks each resolved."""

    resolved = Signal(int)  # the outbox item's seq

    def __init__(self, items: list[Any], *, tz: str, lang: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self.setWindowTitle(tr("Offline conflicts"))
        self.resize(760, 360)
        self.items = list(items)
        self.table = QTableWidget(len(self.items), 5, objectName="conflictsTable")
        self.table.setHorizontalHeaderLabels(
            [tr("Warning"), tr("Recorded"), tr("What"), tr("Notes"), tr("Why refused")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, item in enumerate(self.items):
            what = item.payload.get("outcome") or item.payload.get("kind") or ""
            label = codes.label(codes.OUTCOME_LABELS, what, lang) if item.kind == "attempt" \
                else codes.label(codes.ESCALATION_LABELS, what, lang)
            cells = [str(item.warning_id), timeutil.local_text(item.created_at, tz), label,
                     str(item.payload.get("notes") or item.payload.get("reason") or ""),
                     item.error or ""]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.resolve_button = QPushButton(tr("Mark selected as resolved"),
                                          objectName="resolveConflictButton")
        self.resolve_button.clicked.connect(self._resolve_selected)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("The hub refused these when they were sent after an outage. "
                                   "Copy what matters onto the warning, then mark them resolved.")))
        layout.addWidget(self.table)
        layout.addWidget(self.resolve_button)
        layout.addWidget(buttons)

    def _resolve_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.resolved.emit(self.items[row].seq)
            self.table.removeRow(row)
            del self.items[row]


class GatewayDialog(QDialog):
    """This workstation's SMS gateway: copy to the clipboard (default), a command, a webhook."""

    def __init__(self, gateway: sms.Gateway, *, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("gatewayDialog")
        self.setWindowTitle(tr("SMS gateway"))
        self.kind = QComboBox(objectName="gatewayKind")
        for kind, text in (("clipboard", tr("Copy to the clipboard (send by hand)")),
                           ("command", tr("Run a command")), ("webhook", tr("Post to a webhook"))):
            self.kind.addItem(text, kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(gateway.kind)))
        self.command = QLineEdit(gateway.command, objectName="gatewayCommand")
        self.command.setPlaceholderText('sms-send --to {phone} --text "{text}"')
        self.webhook = QLineEdit(gateway.webhook, objectName="gatewayWebhook")
        self.webhook.setPlaceholderText("https://sms.example/api/send")
        form = QFormLayout()
        form.addRow(tr("Gateway"), self.kind)
        form.addRow(tr("Command"), self.command)
        form.addRow(tr("Webhook URL"), self.webhook)
        note = QLabel(tr("{phone}, {text} and {warning_id} in the command are filled in. "
                         "Synthetic (demo) warnings are never sent."))
        note.setWordWrap(True)
        buttons = ok_cancel(self, accept=self._accept)
        self.error = QLabel(objectName="gatewayError")
        self.error.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def gateway(self) -> sms.Gateway:
        return sms.Gateway(str(self.kind.currentData()), command=self.command.text().strip(),
                           webhook=self.webhook.text().strip())

    def _accept(self) -> None:
        try:
            self.gateway().check()
        except DissuadeError as exc:
            self.error.setText(str(exc))
            return
        self.accept()
