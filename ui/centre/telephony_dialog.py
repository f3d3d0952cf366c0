"""文件 → 电话网关: how F3 dials the open warning's person from this workstation. An
administrator's DISSUADE_DIAL_COMMAND, DISSUADE_DIAL_URI or DISSUADE_DIAL_SIP wins over the
choice made here (so a whole room can be set at once); the dialog then says so."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from dissuade.domain.errors import DissuadeError
from dissuade.gateways import telephony
from dissuade.gateways.telephony import Telephony
from ui.common import settings_keys as keys
from ui.common.dialogs import ok_cancel


def tr(text: str) -> str:
    return QCoreApplication.translate("TelephonyDialog", text)


_TARGETS = {"command": keys.TELEPHONY_COMMAND, "uri": keys.TELEPHONY_URI,
            "sip": keys.TELEPHONY_SIP}


def saved_telephony(settings: QSettings) -> Telephony:
    """The workstation's own choice (none until one is made)."""
    kind = keys.TELEPHONY_KIND.read(settings)
    if kind not in _TARGETS:
        return Telephony()
    return Telephony(kind, _TARGETS[kind].read(settings))


def chosen_telephony(settings: QSettings,
                     environ: Mapping[str, str] | None = None) -> tuple[Telephony, str]:
    """The gateway F3 dials through (the environment's wins) and, when it cannot dial, why."""
    try:
        gateway = telephony.chosen(saved_telephony(settings), os.environ if environ is None
                                   else environ)
        gateway.check()
    except DissuadeError as exc:
        return Telephony(), str(exc)
    return gateway, ""


class TelephonyDialog(QDialog):
    """None, a command, a URI for the desktop's phone program, or a softphone's control port."""

    def __init__(self, settings: QSettings, *, environ: Mapping[str, str] | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("telephonyDialog")
        self.setWindowTitle(tr("Telephony gateway"))
        self.settings = settings
        saved = saved_telephony(settings)
        self.kind = QComboBox(objectName="telephonyKind")
        for text, kind in ((tr("None: dial on the desk phone"), "none"),
                           (tr("Run a command"), "command"),
                           (tr("Open a tel: or sip: link (the desktop's phone program)"), "uri"),
                           (tr("Drive a softphone's control port (baresip)"), "sip")):
            self.kind.addItem(text, kind)
        self.kind.setCurrentIndex(max(0, self.kind.findData(saved.kind)))
        self.command = QLineEdit(keys.TELEPHONY_COMMAND.read(settings), objectName="telephonyCommand")
        self.command.setPlaceholderText("pbx-dial --to {national} --ref {warning_id}")
        self.uri = QLineEdit(keys.TELEPHONY_URI.read(settings), objectName="telephonyUri")
        self.uri.setPlaceholderText("tel:{national}  ·  sip:{national}@pbx.example")
        self.sip = QLineEdit(keys.TELEPHONY_SIP.read(settings), objectName="telephonySip")
        self.sip.setPlaceholderText("127.0.0.1:4444")
        form = QFormLayout()
        form.addRow(tr("Gateway"), self.kind)
        form.addRow(tr("Command"), self.command)
        form.addRow(tr("URI"), self.uri)
        form.addRow(tr("Control port"), self.sip)
        note = QLabel(tr("{phone} (E.164), {national} (the digits dialled in China) and "
                         "{warning_id} are filled in; no shell runs the command. A softphone's "
                         "control port reports when the call is answered and hung up. Synthetic "
                         "(demo) warnings are never dialled."))
        note.setWordWrap(True)
        self.overridden = QLabel(objectName="telephonyOverridden")
        self.overridden.setWordWrap(True)
        self.overridden.setStyleSheet("color: #8a5a00;")
        try:
            env = telephony.from_environment(environ)
        except DissuadeError as exc:
            self.overridden.setText(str(exc))
        else:
            if env is not None:
                self.overridden.setText(tr("%1 is set on this computer (%2): it is used instead "
                                           "of the choice here.")
                                        .replace("%1", env.variable).replace("%2", env.target))
        self.overridden.setVisible(bool(self.overridden.text()))
        self.error = QLabel(objectName="telephonyError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.overridden)
        layout.addWidget(self.error)
        layout.addWidget(ok_cancel(self, accept=self._accept))
        self.resize(560, self.sizeHint().height())

    def value(self) -> Telephony:
        kind = str(self.kind.currentData())
        fields = {"command": self.command, "uri": self.uri, "sip": self.sip}
        return Telephony(kind, fields[kind].text().strip()) if kind in fields else Telephony()

    def _accept(self) -> None:
        chosen = self.value()
        try:
            chosen.check()
        except DissuadeError as exc:
            self.error.setText(str(exc))
            return
        s = self.settings
        keys.TELEPHONY_KIND.write(s, chosen.kind)
        keys.TELEPHONY_COMMAND.write(s, self.command.text().strip())
        keys.TELEPHONY_URI.write(s, self.uri.text().strip())
        keys.TELEPHONY_SIP.write(s, self.sip.text().strip())
        self.accept()
