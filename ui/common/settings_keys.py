"""This workstation's own settings (QSettings), every key declared once with its type, default
and meaning; screens read and write them only through these. Centre policy is not here: it
lives in the database (dissuade.domain.settings)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings

from dissuade.gateways import sms
from dissuade.gateways.bank import BankGateway
from ui.common import i18n


@dataclass(frozen=True)
class Text:
    """A text setting; what is stored is read back as text, the default when absent."""

    name: str
    default: str
    about: str

    def read(self, settings: QSettings) -> str:
        value = settings.value(self.name, self.default)
        return self.default if value is None else str(value)

    def write(self, settings: QSettings, value: str) -> None:
        settings.setValue(self.name, value)


@dataclass(frozen=True)
class Layout:
    """Bytes Qt saves of a window's or a splitter's layout (saveState, saveGeometry); None
    until saved once. Never a pickled object."""

    name: str
    about: str
    default: None = None

    def read(self, settings: QSettings) -> QByteArray | None:
        value = settings.value(self.name)
        return value if isinstance(value, QByteArray) else None

    def write(self, settings: QSettings, value: QByteArray) -> None:
        settings.setValue(self.name, value)


LANG = Text("ui/lang", i18n.DEFAULT_LANG, "the interface's language: zh or en")
GEOMETRY = Layout("ui/geometry", "the main window's size and place")
STATE = Layout("ui/state", "the main window's bars and docks")
WORKBENCH_SPLITTER = Layout("ui/workbenchSplitter", "the workbench's split between queue and "
                                                    "warning")
SMS_KIND = Text("sms/kind", sms.Gateway().kind, "how an officer's SMS leaves: clipboard, "
                                                "command or webhook")
SMS_COMMAND = Text("sms/command", "", "the SMS command ({phone}, {text}, {warning_id})")
SMS_WEBHOOK = Text("sms/webhook", "", "the SMS webhook's URL")
BANK_KIND = Text("bank/kind", BankGateway().kind, "where stop-payment requests go on a local "
                                                  "database: outbox (a folder) or webhook")
BANK_FOLDER = Text("bank/folder", "", "the bank outbox folder (empty: the data folder's)")
BANK_WEBHOOK = Text("bank/webhook", "", "the bank's webhook URL")
DIALER_KIND = Text("dialer/kind", "none", "the chase-call dialer on a local database: none, "
                                          "command or webhook")
DIALER_COMMAND = Text("dialer/command", "", "the dialer command ({phone}, {wav}, {warning_id})")
DIALER_WEBHOOK = Text("dialer/webhook", "", "the dialer's webhook URL")
TELEPHONY_KIND = Text("telephony/kind", "none", "how F3 dials the open warning's person: none, "
                                                "command, uri or sip (DISSUADE_DIAL_* wins)")
TELEPHONY_COMMAND = Text("telephony/command", "", "the dial command ({phone}, {national}, "
                                                  "{warning_id})")
TELEPHONY_URI = Text("telephony/uri", "", "the URI the desktop opens, e.g. tel:{national}")
TELEPHONY_SIP = Text("telephony/sip", "", "the softphone's control port, HOST:PORT (baresip "
                                          "ctrl_tcp)")
SIGNIN_ADDRESS = Text("ui/signInAddress", "", "the hub's address (or database file) this "
                                             "workstation last signed in to")
SIGNIN_USER = Text("ui/signInUser", "", "the user name last signed in with (never a password)")

KEYS: tuple[Text | Layout, ...] = (
    LANG, GEOMETRY, STATE, WORKBENCH_SPLITTER, SMS_KIND, SMS_COMMAND, SMS_WEBHOOK, BANK_KIND,
    BANK_FOLDER, BANK_WEBHOOK, DIALER_KIND, DIALER_COMMAND, DIALER_WEBHOOK, TELEPHONY_KIND,
    TELEPHONY_COMMAND, TELEPHONY_URI, TELEPHONY_SIP, SIGNIN_ADDRESS, SIGNIN_USER,
)
