"""帮助 → 诊断 (Help → Diagnostics): `dissuade doctor`'s checks for this workstation, shown in a
dialog. The checks run on a runner of the dialog's own (the speech engine and the hub may take
seconds), never on the UI thread and never behind the window's source calls."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dissuade.doctor import Finding, Setup, run
from dissuade.gateways import sms
from ui.centre.gateways_dialog import saved_bank, saved_dialer
from ui.centre.telephony_dialog import saved_telephony
from ui.common import settings_keys as keys
from ui.common.ops import Runner

PROBLEM_COLOUR = QColor("#b00020")
OK_COLOUR = QColor("#1b5e20")


def tr(text: str) -> str:
    return QCoreApplication.translate("DoctorDialog", text)


def workstation_setup(kind: str, location: str, settings: QSettings) -> Setup:
    """What this workstation's client uses: its database file or its hub, its dial gateway and
    SMS gateway; on a local file also its bank gateway and chase-call dialer (through a hub,
    the hub's are used)."""
    setup = Setup(db=location if kind == "local" and location != ":memory:" else None,
                  server=location if kind == "hub" else None,
                  telephony=saved_telephony(settings),
                  sms=sms.Gateway(keys.SMS_KIND.read(settings), keys.SMS_COMMAND.read(settings),
                                  keys.SMS_WEBHOOK.read(settings)))
    if kind == "local":
        setup.bank = saved_bank(settings)
        setup.dialer = saved_dialer(settings)
    return setup


class DoctorDialog(QDialog):
    """The findings in a table, problems first in red with their fix; 重新检查 runs them again."""

    did_check = Signal(list)  # the findings, once shown

    def __init__(self, setup: Setup, *, lang: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="doctorDialog")
        self.setup = setup
        self.lang = lang
        self.findings: list[Finding] = []
        self.runner = Runner(self)
        self.setWindowTitle(tr("Diagnostics"))
        self.resize(980, 420)
        layout = QVBoxLayout(self)
        self.summary = QLabel(objectName="doctorSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 4, objectName="doctorTable")
        self.table.setHorizontalHeaderLabels([tr("Status"), tr("Checked"), tr("Found"), tr("Fix")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.again = QPushButton(tr("Check again"), objectName="doctorAgain")
        buttons.addButton(self.again, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.again.clicked.connect(self.check)
        layout.addWidget(buttons)

    def check(self) -> None:
        """Run every check off the UI thread; the table fills when they are done."""
        self.again.setEnabled(False)
        self.summary.setText(tr("Checking the font, the speech engine, the database or hub and "
                                "the gateways..."))
        setup = self.setup
        self.runner.run(lambda: run(setup), self._show, self._failed)

    def _show(self, findings: list[Finding]) -> None:
        self.findings = list(findings)
        ordered = sorted(self.findings, key=lambda f: f.ok)  # problems first, in their order
        self.table.setRowCount(len(ordered))
        for row, finding in enumerate(ordered):
            status = QTableWidgetItem(tr("OK") if finding.ok else tr("Problem"))
            status.setForeground(OK_COLOUR if finding.ok else PROBLEM_COLOUR)
            cells = [status, QTableWidgetItem(finding.title(self.lang)),
                     QTableWidgetItem(finding.detail), QTableWidgetItem(finding.fix)]
            for column, item in enumerate(cells):
                item.setToolTip(item.text())
                item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.table.setItem(row, column, item)
        self.table.resizeRowsToContents()
        problems = sum(not f.ok for f in self.findings)
        self.summary.setText(tr("All well.") if not problems else
                             tr("%1 problem(s) found: each with its fix below.").replace(
                                 "%1", str(problems)))
        self.again.setEnabled(True)
        self.did_check.emit(self.findings)

    def _failed(self, exc: Exception) -> None:
        self.summary.setText(tr("The checks could not run: %1").replace("%1", str(exc)))
        self.again.setEnabled(True)
        self.did_check.emit([])


def open_doctor(kind: str, location: str, settings: QSettings, *, lang: str,
                parent: QWidget) -> DoctorDialog:
    """The dialog, shown, its checks started."""
    dialog = DoctorDialog(workstation_setup(kind, location, settings), lang=lang, parent=parent)
    dialog.open()
    dialog.check()
    return dialog


__all__ = ["DoctorDialog", "open_doctor", "workstation_setup"]
