"""Help → About: the client's version, so a support call starts from the right one."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

import dissuade


def tr(text: str) -> str:
    return QCoreApplication.translate("About", text)


def about_text() -> str:
    return (tr("dissuade · anti-fraud dissuasion workbench") + "\n"
            + tr("Version %1").replace("%1", dissuade.__version__))


def about_box(parent: QWidget) -> QMessageBox:
    """The About box (not yet shown): version, and what it is."""
    box = QMessageBox(QMessageBox.Icon.Information, tr("About dissuade"), about_text(),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("aboutBox")
    return box
