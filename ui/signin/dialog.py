"""The sign-in window: where to work (a hub's address or a database file), who, the password,
and what went wrong last time, with a way to try again."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)


def tr(text: str) -> str:
    return QCoreApplication.translate("SignInDialog", text)


class SignInDialog(QDialog):
    """Asks for the hub's address (or a database file), the user name and the password.

    It runs nothing itself: `submitted(address, user, password)` says the officer pressed
    Enter or 登录; whoever opens the source answers with `failed(text)` (the error shown here,
    everything left editable, the button saying 重试) or closes the dialog. Never reads a
    terminal. Quitting (Esc, 退出) emits `quit_requested`."""

    submitted = Signal(str, str, str)
    quit_requested = Signal()

    def __init__(self, *, address: str = "", user: str = "", message: str = "",
                 error: str = "", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setModal(True)
        self.setMinimumWidth(460)
        self.heading = QLabel(objectName="signInHeading")
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.address = QLineEdit(address, objectName="signInAddress")
        self.address.setPlaceholderText("http://hub:8470")
        self.user = QLineEdit(user, objectName="signInUser")
        self.password = QLineEdit(objectName="signInPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(message, objectName="signInMessage")
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(420)  # wrapped text needs a width to take its height from
        self.error = QLabel(objectName="signInError")
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("color: #b00020;")
        self.sign_in_button = QPushButton(objectName="signInButton")
        self.sign_in_button.setDefault(True)
        self.sign_in_button.setAutoDefault(True)
        self.quit_button = QPushButton(objectName="signInQuit")
        self.quit_button.setAutoDefault(False)
        self.form = QFormLayout()
        self.address_label, self.user_label, self.password_label = QLabel(), QLabel(), QLabel()
        self.form.addRow(self.address_label, self.address)
        self.form.addRow(self.user_label, self.user)
        self.form.addRow(self.password_label, self.password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.quit_button)
        buttons.addWidget(self.sign_in_button)
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.message)
        column.addLayout(self.form)
        column.addWidget(self.error)
        column.addLayout(buttons)
        self.sign_in_button.clicked.connect(self._submit)
        self.quit_button.clicked.connect(self.reject)
        for field in (self.address, self.user, self.password):
            field.returnPressed.connect(self._submit)
        self._busy = False
        self.retranslate()
        self.show_error(error)
        self._focus_first_empty()

    # -- what the officer does ----------------------------------------------------------------

    def _submit(self) -> None:
        if self._busy:
            return
        self.set_busy(True)
        self.error.setText("")
        self.error.hide()
        self.submitted.emit(self.address.text().strip(), self.user.text().strip(),
                            self.password.text())

    def reject(self) -> None:
        """Esc or 退出: the client quits (there is nothing behind this window)."""
        self.quit_requested.emit()
        super().reject()

    # -- what the one who opens the source says -----------------------------------------------

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.address, self.user, self.password, self.sign_in_button):
            widget.setEnabled(not busy)
        self.retranslate()

    def failed(self, text: str, *, field: str | None = None) -> None:
        """The attempt failed: say why, keep everything editable, offer to try again. A wrong
        password is cleared and focused; an address or name problem focuses that field."""
        self.set_busy(False)
        self.show_error(text)
        if field == "address":
            self.address.setFocus()
            self.address.selectAll()
        elif field == "user" or not self.user.text().strip():
            self.user.setFocus()
            self.user.selectAll()
        else:
            self.password.clear()
            self.password.setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.retranslate()
        self.adjustSize()

    def _focus_first_empty(self) -> None:
        for field in (self.address, self.user, self.password):
            if not field.text():
                field.setFocus()
                return
        self.password.setFocus()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self.error.text():
            self._focus_first_empty()

    # -- language -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Sign in") + " — dissuade")
        self.heading.setText(tr("Anti-fraud dissuasion workbench: sign in"))
        self.address_label.setText(tr("Hub address or database file"))
        self.user_label.setText(tr("User name"))
        self.password_label.setText(tr("Password"))
        self.quit_button.setText(tr("Quit"))
        if self._busy:
            self.sign_in_button.setText(tr("Signing in..."))
        elif self.error.text():
            self.sign_in_button.setText(tr("Retry"))
        else:
            self.sign_in_button.setText(tr("Sign in"))
        self.message.setVisible(bool(self.message.text()))


__all__ = ["SignInDialog"]
