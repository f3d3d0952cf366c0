"""The officer's own state on the workbench: ready, on a break, in training or off duty (a break
or training asks for a reason), set through the source (audited) and shown to the lead's room.
Taking the next warning while away asks first to go back to ready."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QInputDialog, QMessageBox, QWidget

from dissuade.domain import codes, presence, timeutil
from dissuade.domain.presence import OfficerState
from dissuade.sources import Source
from ui.common.ops import Runner

AWAY = frozenset({presence.BREAK, presence.TRAINING, presence.OFF})


def tr(text: str) -> str:
    return QCoreApplication.translate("Presence", text)


def reasons(state: str) -> list[str]:
    """Reasons offered (the officer may type another)."""
    if state == presence.BREAK:
        return [tr("Meal"), tr("Rest"), tr("Personal")]
    return [tr("Script training"), tr("Rehearsal"), tr("Briefing")]


class StateSelector(QComboBox):
    """The officer's state, chosen here; `state_did_change` after the source kept it."""

    state_did_change = Signal(object)  # OfficerState
    did_fail = Signal(str)

    def __init__(self, source: Source, runner: Runner, *, lang: str = "zh",
                 tz: str = timeutil.DEFAULT_TZ, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stateSelector")
        self.source, self.runner, self.lang, self.tz = source, runner, lang, tz
        self.current = OfficerState("", presence.NOT_SET)
        for state in presence.STATES:
            self.addItem("", state)
        self.setCurrentIndex(-1)
        self.setMinimumContentsLength(6)
        self.activated.connect(self._chosen)
        self.retranslate()

    @property
    def state(self) -> str:
        return self.current.state

    def retranslate(self) -> None:
        for i in range(self.count()):
            self.setItemText(i, codes.label(presence.STATE_LABELS, str(self.itemData(i)),
                                            self.lang))
        self.setPlaceholderText(codes.label(presence.STATE_LABELS, presence.NOT_SET, self.lang))
        self._show()

    def load(self) -> None:
        """Read the state the source keeps (at start; another workstation may have set it)."""
        source = self.source
        self.runner.run(source.my_state, self._kept, self._failed)

    def set_state(self, state: str, reason: str = "") -> None:
        source = self.source
        self.runner.run(lambda: source.set_state(state, reason), self._kept, self._failed)

    def ready_for_next(self) -> bool:
        """Before taking the next warning: away, ask to go back to ready first (the answer No
        takes nothing); never set, become ready. True when the officer may take one."""
        if self.state in AWAY:
            label = codes.label(presence.STATE_LABELS, self.state, self.lang)
            ask = QMessageBox(QMessageBox.Icon.Question, tr("Back to ready?"),
                              tr("You are %1. Go back to ready and take the next warning?")
                              .replace("%1", label),
                              QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                              self)
            ask.setObjectName("backToReadyDialog")
            ask.setDefaultButton(QMessageBox.StandardButton.Yes)
            if ask.exec() != QMessageBox.StandardButton.Yes:
                return False
            self.set_state(presence.READY)  # the runner keeps order: ready before the claim
        elif self.state == presence.NOT_SET:
            self.set_state(presence.READY)
        return True

    # -- choosing --------------------------------------------------------------------------------

    def _chosen(self, index: int) -> None:
        state = str(self.itemData(index))
        reason = ""
        if state in presence.NEEDS_REASON:
            asked = QInputDialog(self)
            asked.setObjectName("stateReasonDialog")
            asked.setWindowTitle(codes.label(presence.STATE_LABELS, state, self.lang))
            asked.setLabelText(tr("Reason (the lead sees it):"))
            asked.setComboBoxItems(reasons(state))
            asked.setComboBoxEditable(True)
            if asked.exec() != QInputDialog.DialogCode.Accepted or \
                    not asked.textValue().strip():
                self._show()
                return
            reason = asked.textValue().strip()
        if state == self.state and reason == self.current.reason:
            return
        self.set_state(state, reason)

    def _kept(self, state: OfficerState) -> None:
        if not shiboken6.isValid(self):
            return
        self.current = state
        self._show()
        self.state_did_change.emit(state)

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._show()
        self.did_fail.emit(tr("Could not set the state: %1").replace("%1", str(exc)))

    def _show(self) -> None:
        """The combo shows the state kept (a choice not kept yet goes back)."""
        index = self.findData(self.current.state)
        self.blockSignals(True)
        self.setCurrentIndex(index)
        self.blockSignals(False)
        if self.current.since is None:
            self.setToolTip(tr("Your state: the lead's room shows it"))
            return
        since = timeutil.local_text(self.current.since, self.tz, fmt="%H:%M")
        reason = f" ({self.current.reason})" if self.current.reason else ""
        self.setToolTip(tr("Since %1%2; the lead's room shows it").replace("%1", since)
                        .replace("%2", reason))
