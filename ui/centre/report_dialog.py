"""Exporting the shift handover report from the client: the period, the format, the file."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import timeutil
from dissuade.domain.policy import Policy
from dissuade.sources import Source
from ui.common.clock import centre_edit, epoch_of
from ui.common.ops import Runner

FORMATS = (("xlsx", "Excel (.xlsx)"), ("pdf", "PDF (.pdf)"), ("csv", "CSV (.csv)"))


def tr(text: str) -> str:
    return QCoreApplication.translate("ReportDialog", text)


class ReportDialog(QDialog):
    """The current shift by default; the same report `dissuade report` writes."""

    report_did_write = Signal(str)

    def __init__(self, source: Source, runner: Runner, *, policy: Policy, lang: str = "zh",
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setWindowTitle(tr("Shift handover report"))
        self.source, self.runner = source, runner
        start, end = timeutil.current_shift(time.time(), tz=policy.timezone,
                                            starts=policy.shift_starts)
        self.tz = policy.timezone  # the edits show and take the centre's time, not the machine's
        self.start = centre_edit("reportFrom", epoch=start, tz=self.tz)
        self.end = centre_edit("reportTo", epoch=end, tz=self.tz)
        self.format = QComboBox(objectName="reportFormat")
        for code, text in FORMATS:
            self.format.addItem(text, code)
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        stamp = timeutil.local_text(start, policy.timezone, fmt="%Y%m%d-%H%M")
        self.path = QLineEdit(str(Path(folder or ".") / f"交班报告-{stamp}.xlsx"),
                              objectName="reportPath")
        self.format.currentIndexChanged.connect(self._suffix)
        browse = QPushButton(tr("Choose..."), objectName="reportBrowse")
        browse.clicked.connect(self._browse)
        where = QWidget()
        row = QHBoxLayout(where)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.message = QLabel(objectName="reportMessage")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("From"), self.start)
        form.addRow(tr("To"), self.end)
        form.addRow(tr("Format"), self.format)
        form.addRow(tr("File"), where)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("reportSave")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Times are the centre's (%1). Cards, ID numbers, phones and "
                                   "names are masked in the report.").replace(
                                       "%1", policy.timezone)))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())

    def _suffix(self) -> None:
        path = Path(self.path.text())
        self.path.setText(str(path.with_suffix("." + str(self.format.currentData()))))

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, tr("Save the report as"), self.path.text())
        if chosen:
            self.path.setText(chosen)

    def save(self) -> None:
        start, end = epoch_of(self.start, self.tz), epoch_of(self.end, self.tz)
        if end <= start:
            self.message.setText(tr("The end must be after the start."))
            return
        path, fmt = Path(self.path.text().strip()), str(self.format.currentData())
        self.buttons.setEnabled(False)
        self.message.setText(tr("Writing the report..."))
        source = self.source

        def write() -> str:
            from dissuade.reports import write_report
            from dissuade.reports.forecast_section import with_forecast

            data = with_forecast(source, source.shift_report(start=start, end=end))
            return str(write_report(data, path, fmt))

        def done(written: str) -> None:
            self.buttons.setEnabled(True)
            self.message.setText(tr("Saved: %1").replace("%1", written))
            self.report_did_write.emit(written)

        def failed(exc: Exception) -> None:
            self.buttons.setEnabled(True)
            self.message.setText(tr("Not saved: %1").replace("%1", str(exc)))

        self.runner.run(write, done, failed)
