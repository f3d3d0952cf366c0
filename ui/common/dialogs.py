"""Dialog pieces every screen uses: the OK/Cancel button box and a form with it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QVBoxLayout


def ok_cancel(dialog: QDialog, *, accept: Callable[[], object] | None = None) -> QDialogButtonBox:
    """OK and Cancel for `dialog`; OK calls `accept` (checks first) or simply accepts."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(accept or dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def form_with_buttons(dialog: QDialog, form: QFormLayout) -> None:
    """The dialog's layout: the form, then OK and Cancel."""
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(ok_cancel(dialog))
