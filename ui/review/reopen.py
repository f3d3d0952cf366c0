"""A lead reopens a closed warning from its history, with a reason (audited): it goes back to
the queue at once. The officer's own undo is over after 10 seconds; this is what comes after."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from dissuade.domain.models import Warning
from dissuade.sources import Source
from ui.common.ops import Runner


def tr(text: str) -> str:
    return QCoreApplication.translate("Reopen", text)


class ReopenBox(QWidget):
    """The reason and the button; enabled for a lead on a closed warning only."""

    did_reopen = Signal(object)  # Warning
    did_fail = Signal(str)

    def __init__(self, source: Source, runner: Runner, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("reopenBox")
        self.source, self.runner = source, runner
        self.warning_id: int | None = None
        self.reason = QLineEdit(objectName="reopenReason")
        self.reason.setMaxLength(2000)
        self.button = QPushButton(objectName="reopenButton")
        self.button.setAutoDefault(False)
        self.button.clicked.connect(self.reopen)
        self.reason.textChanged.connect(lambda _t: self._enable())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.reason, 1)
        row.addWidget(self.button)
        self.retranslate()
        self.show_for(None)

    def retranslate(self) -> None:
        self.reason.setPlaceholderText(tr("Why reopen: a wrong outcome, the family called..."))
        self.button.setText(tr("Reopen (back to the queue)"))
        self.button.setToolTip(tr("A closed warning goes back to the queue at once; your name "
                                  "and the reason go into the audit"))

    def show_for(self, warning: Warning | None) -> None:
        closed = warning is not None and warning.status == "closed"
        self.warning_id = int(warning.id) if warning is not None and closed else None
        self.setVisible(closed and self.source.role == "lead")
        self.reason.clear()
        self._enable()

    def _enable(self) -> None:
        self.button.setEnabled(self.warning_id is not None and bool(self.reason.text().strip()))

    def reopen(self) -> None:
        warning_id, reason = self.warning_id, self.reason.text().strip()
        if warning_id is None or not reason:
            return
        self.button.setEnabled(False)
        source = self.source
        self.runner.run(lambda: source.reopen_warning(warning_id, reason=reason),
                        self._done, lambda exc: self.did_fail.emit(str(exc)))

    def _done(self, warning: Warning) -> None:
        self.show_for(warning)
        self.did_reopen.emit(warning)
