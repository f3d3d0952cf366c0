"""Where stop-payment requests and chase calls go from this workstation (on a local database);
on a hub, the hub's own gateways are shown (its operator sets them on `dissuade serve`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from dissuade import paths
from dissuade.domain.errors import DissuadeError
from dissuade.gateways.bank import BankGateway
from dissuade.gateways.dialer import Dialer
from ui.common import settings_keys as keys
from ui.common.dialogs import ok_cancel


def tr(text: str) -> str:
    return QCoreApplication.translate("GatewaysDialog", text)


def saved_bank(settings: QSettings) -> BankGateway:
    folder = keys.BANK_FOLDER.read(settings)
    return BankGateway(keys.BANK_KIND.read(settings), folder=Path(folder) if folder else None,
                       webhook=keys.BANK_WEBHOOK.read(settings))


def saved_dialer(settings: QSettings) -> Dialer | None:
    kind = keys.DIALER_KIND.read(settings)
    if kind not in ("command", "webhook"):
        return None
    return Dialer(kind, command=keys.DIALER_COMMAND.read(settings),
                  webhook=keys.DIALER_WEBHOOK.read(settings))


class GatewaysDialog(QDialog):
    """The bank gateway (an outbox folder or a webhook) and the chase-call dialer (none, a
    command or a webhook) of this workstation."""

    def __init__(self, settings: QSettings, *, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("gatewaysDialog")
        self.setWindowTitle(tr("Bank and dialer gateways"))
        self.settings = settings
        bank, dialer = saved_bank(settings), saved_dialer(settings)
        self.bank_kind = QComboBox(objectName="bankKind")
        self.bank_kind.addItem(tr("PDF and JSON into a folder the bank picks up"), "outbox")
        self.bank_kind.addItem(tr("Post to the bank's webhook"), "webhook")
        self.bank_kind.setCurrentIndex(max(0, self.bank_kind.findData(bank.kind)))
        self.bank_folder = QLineEdit(str(bank.folder or ""), objectName="bankFolder")
        self.bank_folder.setPlaceholderText(str(paths.data_dir() / "bank-outbox"))
        self.bank_webhook = QLineEdit(bank.webhook, objectName="bankWebhook")
        self.bank_webhook.setPlaceholderText("https://bank.example/api/stop-payment")
        self.dialer_kind = QComboBox(objectName="dialerKind")
        self.dialer_kind.addItem(tr("None: chase calls wait for a dialer"), "none")
        self.dialer_kind.addItem(tr("Run a command"), "command")
        self.dialer_kind.addItem(tr("Post to a webhook"), "webhook")
        self.dialer_kind.setCurrentIndex(max(0, self.dialer_kind.findData(
            dialer.kind if dialer else "none")))
        self.dialer_command = QLineEdit(dialer.command if dialer else "",
                                        objectName="dialerCommand")
        self.dialer_command.setPlaceholderText("e1-dial --to {phone} --play {wav}")
        self.dialer_webhook = QLineEdit(dialer.webhook if dialer else "",
                                        objectName="dialerWebhook")
        self.dialer_webhook.setPlaceholderText("https://dialer.example/api/call")

        bank_box = QGroupBox(tr("Stop-payment requests (card lock)"))
        bf = QFormLayout(bank_box)
        bf.addRow(tr("Gateway"), self.bank_kind)
        bf.addRow(tr("Folder"), self.bank_folder)
        bf.addRow(tr("Webhook URL"), self.bank_webhook)
        dial_box = QGroupBox(tr("Chase calls (automated reminder calls)"))
        df = QFormLayout(dial_box)
        df.addRow(tr("Dialer"), self.dialer_kind)
        df.addRow(tr("Command"), self.dialer_command)
        df.addRow(tr("Webhook URL"), self.dialer_webhook)
        note = QLabel(tr("{phone}, {wav} and {warning_id} in the command are filled in; no shell "
                         "runs it. Synthetic (demo) warnings are never sent or dialled."))
        note.setWordWrap(True)
        self.error = QLabel(objectName="gatewaysError")
        self.error.setStyleSheet("color: #b00020;")
        buttons = ok_cancel(self, accept=self._accept)
        layout = QVBoxLayout(self)
        layout.addWidget(bank_box)
        layout.addWidget(dial_box)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def bank(self) -> BankGateway:
        folder = self.bank_folder.text().strip()
        return BankGateway(str(self.bank_kind.currentData()),
                           folder=Path(folder) if folder else None,
                           webhook=self.bank_webhook.text().strip())

    def dialer(self) -> Dialer | None:
        kind = str(self.dialer_kind.currentData())
        if kind == "none":
            return None
        return Dialer(kind, command=self.dialer_command.text().strip(),
                      webhook=self.dialer_webhook.text().strip())

    def _accept(self) -> None:
        try:
            self.bank().check()
            dialer = self.dialer()
            if dialer is not None:
                dialer.check()
        except DissuadeError as exc:
            self.error.setText(str(exc))
            return
        s = self.settings
        bank = self.bank()
        keys.BANK_KIND.write(s, bank.kind)
        keys.BANK_FOLDER.write(s, str(bank.folder or ""))
        keys.BANK_WEBHOOK.write(s, bank.webhook)
        dialer = self.dialer()
        keys.DIALER_KIND.write(s, dialer.kind if dialer else keys.DIALER_KIND.default)
        keys.DIALER_COMMAND.write(s, self.dialer_command.text().strip())
        keys.DIALER_WEBHOOK.write(s, self.dialer_webhook.text().strip())
        self.accept()
