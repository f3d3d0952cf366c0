"""The window's centre-wide duties: policy, gateways, the handover report, the lead's alerts and
the chase calls a local workstation makes."""

from __future__ import annotations

from typing import Any, Protocol, cast

from PySide6.QtCore import QCoreApplication, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMessageBox, QStatusBar, QWidget

from dissuade.domain import codes, timeutil
from dissuade.domain.codes import Role
from dissuade.domain.models import Escalation, Warning
from dissuade.sources import Source
from ui.centre.alerts import AlertBanner, AlertWatch, Notifier
from ui.common.ops import Runner
from ui.common.policy import PolicySnapshot

CHASE_MS = 15_000  # a local workstation with a dialer makes the chase calls that fell due


class CentreWindow(Protocol):
    """What the centre's duties use of the main window (ui/main_window.py), which is their
    parent: its source, worker, snapshot of the policy, settings, language and banner."""

    source: Source
    runner: Runner
    policy: PolicySnapshot
    settings: QSettings
    lang: str
    alert_banner: AlertBanner

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 (Qt's name)
    def isVisible(self) -> bool: ...  # noqa: N802


def tr(text: str) -> str:
    return QCoreApplication.translate("CentreActions", text)


class CentreActions(QObject):
    """Menu actions and background duties that are about the centre, not one warning; each
    exists only for the roles that have it (None otherwise)."""

    chase_calls_did_run = Signal(int)
    telephony_did_change = Signal(object, str)  # Telephony, why it cannot dial ("" when it can)
    report_did_write = Signal(str)

    def __init__(self, window: CentreWindow) -> None:
        self.widget = cast(QWidget, window)  # the main window: the parent of what is made here
        super().__init__(self.widget)
        self.window = window
        source = window.source
        self.is_lead = source.role == Role.LEAD.value
        works = source.role in (Role.OFFICER.value, Role.LEAD.value)
        self.policy_action = self._action("policyAction", self.edit_policy) \
            if self.is_lead else None
        self.gateways_action = self._action("gatewaysAction", self.edit_gateways) \
            if works else None
        self.telephony_action = self._action("telephonyAction", self.edit_telephony) \
            if works else None
        self.report_action = self._action("reportAction", self.export_report) \
            if self.is_lead else None
        self.notifier = Notifier(window.alert_banner, self) if works else None
        # Looks and chase calls get workers of their own: a claim never queues behind them.
        self.watch_runner: Runner | None = None
        self.watch: AlertWatch | None = None
        if works:
            self.watch_runner = Runner(self)
            self.watch = AlertWatch(source, self.watch_runner, breaches=self.is_lead,
                                    holds=True, parent=self)
            self.watch.breaches_did_happen.connect(self._breaches)
            self.watch.holds_will_expire.connect(self._holds)
        self.chase_runner = Runner(self)
        self._chasing = False
        self._chase_timer = QTimer(self, interval=CHASE_MS, timeout=self.run_chase_calls)
        self._works = works
        self.apply_gateways()

    def _action(self, name: str, slot: Any) -> QAction:
        action = QAction(self.widget, objectName=name)
        action.triggered.connect(slot)
        return action

    def retranslate(self) -> None:
        for action, text in ((self.policy_action, tr("Centre policy...")),
                             (self.gateways_action, tr("Bank and dialer gateways...")),
                             (self.telephony_action, tr("Telephony gateway...")),
                             (self.report_action, tr("Shift handover report..."))):
            if action is not None:
                action.setText(text)

    def start(self) -> None:
        if self.watch is not None:
            self.watch.start()
        self._chase_when_dialer()

    def stop(self) -> None:
        if self.watch is not None:
            self.watch.stop()
        self._chase_timer.stop()
        if self.watch_runner is not None:
            self.watch_runner.close(5_000)
        self.chase_runner.close(65_000)

    def _chase_when_dialer(self) -> None:
        """Only a local workstation with a dialer makes chase calls (a hub makes its own)."""
        source = self.window.source
        if self._works and source.kind == "local" and getattr(source, "dialer", None) is not None:
            if not self._chase_timer.isActive():
                self._chase_timer.start()
        else:
            self._chase_timer.stop()

    # -- policy and gateways --------------------------------------------------------------

    def edit_policy(self) -> QDialog:
        from ui.centre.policy_dialog import PolicyDialog

        dialog = PolicyDialog(self.window.source, self.window.runner,
                              policy=self.window.policy.policy, lang=self.window.lang,
                              parent=self.widget)
        dialog.policy_did_save.connect(self.window.policy.set)  # this window's own edit
        dialog.policy_did_save.connect(lambda _p: self.window.statusBar().showMessage(
            tr("Centre policy saved."), 8_000))
        dialog.open()
        return dialog

    def apply_gateways(self) -> None:
        """A local database's requests and calls go through this workstation's gateways."""
        source = self.window.source
        if source.kind != "local":
            return
        from ui.centre.gateways_dialog import saved_bank, saved_dialer

        source.bank = saved_bank(self.window.settings)  # type: ignore[attr-defined]
        source.dialer = saved_dialer(self.window.settings)  # type: ignore[attr-defined]

    def edit_gateways(self) -> None:
        source = self.window.source
        if source.kind != "local":
            def show(found: dict[str, str | None]) -> None:
                QMessageBox.information(self.widget, tr("Bank and dialer gateways"), tr(
                    "The hub sends stop-payment requests and makes chase calls itself.\n"
                    "Bank gateway: %1\nDialer: %2\nIts operator sets them on `dissuade serve`.")
                    .replace("%1", str(found.get("bank"))).replace(
                        "%2", found.get("dialer") or tr("none")))

            self.window.runner.run(source.gateways, show)
            return
        from ui.centre.gateways_dialog import GatewaysDialog

        dialog = GatewaysDialog(self.window.settings, parent=self.widget)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_gateways()
            if self.window.isVisible():
                self._chase_when_dialer()

    def edit_telephony(self) -> QDialog:
        """文件 → 电话网关: how F3 dials from this workstation (the environment's wins)."""
        from ui.centre.telephony_dialog import TelephonyDialog, chosen_telephony

        dialog = TelephonyDialog(self.window.settings, parent=self.widget)
        dialog.accepted.connect(lambda: self.telephony_did_change.emit(
            *chosen_telephony(self.window.settings)))
        dialog.open()
        return dialog

    def run_chase_calls(self) -> None:
        source = self.window.source
        if self._chasing or getattr(source, "dialer", None) is None:
            return
        self._chasing = True

        def done(made: int) -> None:
            self._chasing = False
            if made:
                self.window.statusBar().showMessage(
                    tr("Chase calls made: %1").replace("%1", str(made)), 8_000)
            self.chase_calls_did_run.emit(made)

        def failed(exc: Exception) -> None:
            self._chasing = False
            self.window.statusBar().showMessage(
                tr("Chase calls: %1").replace("%1", str(exc)), 15_000)

        self.chase_runner.run(source.run_chase_calls, done, failed)

    # -- the handover report ----------------------------------------------------------------

    def export_report(self) -> QDialog:
        from ui.centre.report_dialog import ReportDialog

        dialog = ReportDialog(self.window.source, self.window.runner,
                              policy=self.window.policy.policy, lang=self.window.lang,
                              parent=self.widget)
        dialog.report_did_write.connect(self.report_did_write)
        dialog.open()
        return dialog

    # -- alerts ---------------------------------------------------------------------------

    def arrivals(self, arrivals: list[Warning]) -> None:
        urgent = [w for w in arrivals if w.risk_level == "emergency"]
        if not urgent or self.notifier is None:
            return
        lang = self.window.lang
        scam = codes.label(codes.SCAM_LABELS, urgent[0].scam_type, lang)
        text = (tr("Emergency warning: %1 (%2 new). Press F2 to take it.")
                .replace("%1", scam).replace("%2", str(len(urgent))))
        self.notifier.notify("emergency", tr("Emergency warning"), text)

    def _breaches(self, count: int, fresh: list[Warning]) -> None:
        if self.notifier is None:
            return
        lang = self.window.lang
        if fresh:
            first = fresh[0]
            text = tr("Time limit passed with no call: warning %1 (%2, %3). %4 overdue now.") \
                .replace("%1", str(first.id)) \
                .replace("%2", codes.label(codes.LEVEL_LABELS, first.risk_level, lang)) \
                .replace("%3", codes.label(codes.SCAM_LABELS, first.scam_type, lang)) \
                .replace("%4", str(count))
        else:
            text = tr("%1 warnings are past their time limit with no call.").replace(
                "%1", str(count))
        self.notifier.notify("breach", tr("Time limit breached"), text)

    def _holds(self, escalations: list[Escalation]) -> None:
        if self.notifier is None:
            return
        tz = self.window.policy.timezone
        lapsed = [e for e in escalations if e.lapsed]
        e = (lapsed or escalations)[0]
        ends = timeutil.local_text(e.hold_until, tz, fmt="%m-%d %H:%M")
        if e.lapsed:
            text = tr("Stop-payment hold of escalation %1 (warning %2) ran out at %3 with nobody "
                      "acting (lapsed): the cards may be free again. Propose a new card lock or "
                      "record the explanation.")
        else:
            text = tr("Stop-payment hold of escalation %1 (warning %2) runs out at %3: extend it "
                      "once or record the explanation.")
        text = text.replace("%1", str(e.id)).replace("%2", str(e.warning_id)).replace("%3", ends)
        if len(escalations) > 1:
            text += " " + tr("(%1 holds in all)").replace("%1", str(len(escalations)))
        self.notifier.notify("hold", tr("Stop-payment hold running out"), text)
