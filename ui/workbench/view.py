"""The officer's workbench: queue, the open warning, its script, outcomes and escalation."""

from __future__ import annotations

import time
import uuid
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import codes
from dissuade.domain.codes import Outcome
from dissuade.domain.errors import Conflict, NotFound
from dissuade.domain.models import Attempt, Escalation, WarningDetail
from dissuade.gateways import sms
from dissuade.playbooks import guidance
from dissuade.playbooks.playbook import Library
from dissuade.sources import Source
from ui.common.ops import Runner
from ui.common.policy import PolicySnapshot, own_snapshot
from ui.workbench.callbacks import CallbacksPanel
from ui.workbench.detail import WarningDetailView
from ui.workbench.dial import Dialler
from ui.workbench.dialogs import CallbackDialog, EscalationDialog
from ui.workbench.escalation_dialogs import BrainwashedDialog, RaiseLevelDialog, RevealDialog
from ui.workbench.keys import FIND_OBJECTION_KEY, WHY_KEY, KeyFocus
from ui.workbench.outcomes import OutcomeBar
from ui.workbench.presence import StateSelector
from ui.workbench.queue_model import COL, QueueModel, time_left_width
from ui.workbench.script_panel import ScriptPanel
from ui.workbench.undo import DraftKeeper, UndoOffer
from ui.workbench.voice import VoicePlayer

TICK_MS = 1_000  # the countdowns: drawing, not loading
WARNING_ID_DIGITS = 9  # longer runs of digits are phone numbers in the why box
MIN_RENEW_MS = 15_000


def tr(text: str) -> str:
    return QCoreApplication.translate("Workbench", text)


class Workbench(QWidget):
    """Claim the most urgent warning, call, record the outcome; everything an officer does.

    Source calls run on the runner's worker; the screen changes at once when a button is
    pressed and settles when the call returns. The queue reloads when the window hears news
    (`refresh_queue`, connected to the live watch) and after this officer's own actions; it
    never polls. The policy is read from the window's snapshot.
    """

    warning_did_open = Signal(int)
    attempt_did_record = Signal(object)  # Attempt
    escalation_did_record = Signal(object)  # Escalation
    message_did_change = Signal(str)
    queue_did_refresh = Signal(int)
    warning_did_retype = Signal(str)
    sms_did_record = Signal(object)
    level_did_raise = Signal(object)  # Warning
    field_did_reveal = Signal(str)
    why_did_answer = Signal(str)

    def __init__(self, source: Source, library: Library, runner: Runner, *,
                 policy: PolicySnapshot | None = None, voice: VoicePlayer | None = None,
                 lang: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("workbench")
        self.source = source
        self.runner = runner
        self.lang = lang
        self.policy = policy if policy is not None else own_snapshot(source, runner, self)
        self.detail_data: WarningDetail | None = None
        self._opened_at: float | None = None
        self._scroll = 0

        self.model = QueueModel(source, runner, policy=self.policy, lang=lang, parent=self)
        self.queue_view = QTableView(objectName="queueView")
        self.queue_view.setModel(self.model)
        self.queue_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue_view.verticalHeader().setVisible(False)
        self.queue_view.verticalHeader().setDefaultSectionSize(24)
        self.queue_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.queue_view.horizontalHeader().setStretchLastSection(True)
        for key, width in (("level", 52), ("mark", 56), ("time_left", 92), ("scam_type", 112),
                           ("phone", 98), ("name", 50)):
            self.queue_view.setColumnWidth(COL[key], width)
        self.queue_view.doubleClicked.connect(self._open_row)
        self.queue_title = QLabel(objectName="queueTitle")

        self.next_button = QPushButton(objectName="nextWarningButton")
        self.next_button.setProperty("kind", "primary")
        self.next_button.setMinimumHeight(40)
        self.next_button.clicked.connect(self.take_next)
        self.escalate_button = QPushButton(objectName="escalateButton")
        self.escalate_button.clicked.connect(self._ask_escalation)
        self.release_button = QPushButton(objectName="releaseButton")
        self.release_button.clicked.connect(self.release_current)
        self.raise_button = QPushButton(objectName="raiseLevelButton")
        self.raise_button.clicked.connect(self._ask_raise_level)
        # "Why is it not in the queue?": a warning's number, Enter, and the answer.
        self.lookup = QLineEdit(objectName="lookupEdit")
        self.lookup.setClearButtonEnabled(True)
        self.lookup.setMinimumWidth(190)
        self.lookup.returnPressed.connect(lambda: self.explain(self.lookup.text()))
        self.message = QLabel(objectName="workbenchMessage")
        self.message.setWordWrap(True)
        # The officer's state (the lead's room shows it) and agreed callbacks, under the queue.
        self.presence = StateSelector(source, runner, lang=lang, tz=self.policy.timezone)
        self.presence.did_fail.connect(self._show_error)
        self.callbacks = CallbacksPanel(source, runner, lang=lang, tz=self.policy.timezone)
        self.callbacks.open_requested.connect(self.open_warning)

        self.detail_view = WarningDetailView(tz=self.policy.timezone, lang=lang)
        self.detail_view.reveal_requested.connect(self._ask_reveal)
        self.dial = Dialler(parent=self)  # F3: the window sets its telephony gateway
        self.dial.timezone = lambda: self.policy.timezone
        self.detail_view.phone_row.insertWidget(2, self.dial.button)
        self.detail_view.phone_row.insertWidget(3, self.dial.status)
        self.dial.dial_did_fail.connect(self._show_error)
        self.dial.message_did_change.connect(self._say)
        self.outcomes = OutcomeBar(lang=lang)
        self.outcomes.outcome_chosen.connect(self._outcome_chosen)
        self.script = ScriptPanel(library, lang=lang)
        self.script.retype_requested.connect(self.retype_current)
        self.script.sms_requested.connect(self.send_sms)
        self.script.voice_requested.connect(self.play_voice)
        # Synthesis has its own worker: a claim must never wait behind a voice warning.
        self.voice = voice if voice is not None else VoicePlayer(parent=self)
        self.voice.did_speak.connect(lambda _path: self._say(tr("Playing the voice warning.")))
        self.voice.did_fail.connect(self._show_error)
        self.gateway = sms.Gateway()  # the window sets the machine's configured gateway

        actions = QHBoxLayout()
        actions.addWidget(self.next_button, 2)
        actions.addWidget(self.escalate_button, 1)
        actions.addWidget(self.raise_button, 1)
        actions.addWidget(self.release_button, 1)
        # Undo the last outcome (Ctrl+Z); the notes typed are kept as a draft in the store.
        self.undo = UndoOffer(self, source, runner, holding=lambda: self.detail_data is not None)
        self.undo.did_undo.connect(self._undone)
        self.undo.did_fail.connect(self._show_error)
        actions.addWidget(self.undo.button, 1)
        self.drafts = DraftKeeper(self.outcomes.notes, source, runner, lambda: self.current_id,
                                  self)
        middle = QWidget()
        mid = QVBoxLayout(middle)
        mid.setContentsMargins(0, 0, 0, 0)
        mid.addLayout(actions)
        mid.addWidget(self.message)
        mid.addWidget(self.detail_view, 1)
        mid.addWidget(self.outcomes)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(self.presence)
        header.addWidget(self.queue_title, 1)
        header.addWidget(self.lookup)
        lv.addLayout(header)
        self.left_splitter = QSplitter(Qt.Orientation.Vertical, objectName="queueSplitter")
        self.left_splitter.addWidget(self.queue_view)
        self.left_splitter.addWidget(self.callbacks)
        self.left_splitter.setStretchFactor(0, 3)
        self.left_splitter.setStretchFactor(1, 1)
        self.left_splitter.setChildrenCollapsible(False)
        lv.addWidget(self.left_splitter)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="workbenchSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.script)
        self.layout_restored = False  # the window sets this when it restored a saved layout
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

        for seq, slot in (("F2", self.take_next), ("F3", self.dial.dial),
                          ("F8", self._ask_escalation),
                          ("F9", self._ask_raise_level), ("Ctrl+Return", self.take_next)):
            QShortcut(QKeySequence(seq), self, activated=slot)
        self.keys = KeyFocus(self, boxes={WHY_KEY: self.lookup,
                                          FIND_OBJECTION_KEY: self.script.search},
                             notes=self.outcomes.notes)

        self.model.queue_size_did_change.connect(self._show_queue_size)
        self.model.load_did_fail.connect(self._show_error)
        self.model.modelAboutToBeReset.connect(
            lambda: setattr(self, "_scroll", self.queue_view.verticalScrollBar().value()))
        self.model.queue_did_load.connect(self._queue_loaded)
        self.model.queue_did_load.connect(lambda _n: self.callbacks.refresh())
        self._tick_timer = QTimer(self, interval=TICK_MS, timeout=self._tick)
        self._renew_timer = QTimer(self, interval=self._renew_ms(), timeout=self._renew)
        self._locked_lease = QTimer(self, singleShot=True, timeout=self._lapse_while_locked)
        self.policy.policy_did_change.connect(self._policy_changed)
        self.retranslate()
        self._set_open(None)
        self.refresh_queue()

    # -- language -------------------------------------------------------------------------

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        for part in (self.model, self.detail_view, self.outcomes, self.script, self.presence):
            part.lang = lang
        self.presence.retranslate()
        self.callbacks.set_lang(lang)
        self.retranslate()

    def retranslate(self) -> None:
        self.next_button.setText(tr("Next warning (F2)"))
        self.next_button.setToolTip(tr("Claim the most urgent warning in the queue"))
        self.escalate_button.setText(tr("Escalate (F8)"))
        self.escalate_button.setToolTip(
            tr("Propose a card lock, door visit or chase call for this warning"))
        self.release_button.setText(tr("Put back"))
        self.raise_button.setText(tr("Raise level (F9)"))
        self.raise_button.setToolTip(tr("Make this warning more urgent, with a reason"))
        self.lookup.setPlaceholderText(tr("Warning no. or phone: where is it? (Ctrl+F)"))
        self.lookup.setMinimumWidth(max(190, self.lookup.fontMetrics().horizontalAdvance(
            self.lookup.placeholderText()) + 40))  # the hint whole, in either language
        self.lookup.setToolTip(tr("Type a warning's number, or the person's phone number in any "
                                  "form, and press Enter to see why it is or is not in the queue"))
        self.release_button.setToolTip(tr("Return the warning to the queue without an outcome"))
        self._show_queue_size(self.model.size)
        self.detail_view.retranslate()
        self.dial.retranslate()
        self.outcomes.retranslate()
        self.script.retranslate()
        self.undo.retranslate()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.model.columnCount() - 1)
        self.queue_view.setColumnWidth(COL["time_left"], time_left_width(
            self.queue_view.fontMetrics(), self.lang))  # one form, never clipped
        self.model.tick()

    # -- timers ---------------------------------------------------------------------------

    def start(self) -> None:
        """Begin the countdowns (the window calls this when shown)."""
        if not self.layout_restored:
            # Queue widest, then the call, then the script: fits 1366 pixels without clipping.
            width = self.splitter.width()
            self.splitter.setSizes([int(width * 0.42), int(width * 0.33), int(width * 0.25)])
            self.layout_restored = True
        self._tick_timer.start()
        self.presence.load()

    def stop(self) -> None:
        for timer in (self._tick_timer, self._renew_timer):
            timer.stop()

    def _renew_ms(self) -> int:
        """Renew a claim at half the shortest lease (never more often than every 15 s)."""
        return max(MIN_RENEW_MS, int(self.policy.lease_minutes() * 30_000))

    def _policy_changed(self, _policy: object) -> None:
        """A lead changed the policy: times in the centre's zone and the renewal follow."""
        self._renew_timer.setInterval(self._renew_ms())
        self.detail_view.set_tz(self.policy.timezone)
        self.presence.tz = self.policy.timezone
        self.callbacks.set_tz(self.policy.timezone)

    def _tick(self) -> None:
        self.model.tick()
        self.detail_view.tick()

    def refresh_queue(self) -> None:
        """Reload the queue's first pages off the UI thread (news came, an action of this
        officer's changed it, or F5)."""
        self.model.reload()

    def _queue_loaded(self, _size: int) -> None:
        self.queue_view.verticalScrollBar().setValue(self._scroll)
        if self.current_id is not None:
            self._select_in_queue(self.current_id)

    def _show_queue_size(self, size: int) -> None:
        self.queue_title.setText(tr("Queue: %1 waiting").replace("%1", f"{size:,}"))
        self.queue_did_refresh.emit(size)

    # -- claiming -------------------------------------------------------------------------

    @property
    def current_id(self) -> int | None:
        return None if self.detail_data is None else int(self.detail_data.warning.id)

    def take_next(self) -> None:
        """Claim the most urgent warning (F2). Holding one already, the key brings the focus
        back to the workbench (where a digit records the outcome) and does nothing else."""
        if self.detail_data is not None or not self.next_button.isEnabled():
            self.keys.home()
            return
        if not self.presence.ready_for_next():  # on a break: asks to go back to ready first
            return
        self.next_button.setEnabled(False)
        self._say(tr("Claiming the most urgent warning..."))
        source = self.source

        def claim() -> WarningDetail | None:
            warning = source.claim_next()
            return None if warning is None else source.get(warning.id)

        self.runner.run(claim, self._claimed, self._claim_failed)

    def open_warning(self, warning_id: int) -> None:
        """Claim one chosen warning (double-click in the queue)."""
        if self.detail_data is not None:
            self._say(tr("Record an outcome or put the open warning back first."))
            return
        self.next_button.setEnabled(False)
        source = self.source

        def claim() -> WarningDetail:
            source.claim(warning_id)
            return source.get(warning_id)

        self.runner.run(claim, self._claimed, self._claim_failed)

    def _open_row(self, index: QModelIndex) -> None:
        warning = self.model.warning_at(index.row())
        if warning is not None:
            self.open_warning(int(warning.id))

    def _claimed(self, detail: WarningDetail | None) -> None:
        if detail is None:
            self._set_open(None)
            self._say(tr("The queue is empty. New warnings appear here as they arrive."))
            return
        self._set_open(detail)
        level = codes.label(codes.LEVEL_LABELS, detail.warning.risk_level, self.lang)
        self._say(tr("Warning %1 (%2) is yours. Call now; the outcome keys are 1 to 0.")
                  .replace("%1", str(detail.warning.id)).replace("%2", level))
        self.refresh_queue()
        self.drafts.restore(int(detail.warning.id))
        self.warning_did_open.emit(int(detail.warning.id))

    def _claim_failed(self, exc: Exception) -> None:
        self._set_open(None)
        self._show_error(str(exc))

    def _set_open(self, detail: WarningDetail | None) -> None:
        self.detail_data = detail
        self._opened_at = time.time() if detail is not None else None
        self.detail_view.show_detail(detail)
        self.dial.show_warning(detail.warning if detail else None)
        self.script.show_type(detail.warning.scam_type if detail else None)
        self.outcomes.set_enabled(detail is not None)
        self.escalate_button.setEnabled(detail is not None)
        self.raise_button.setEnabled(detail is not None
                                     and detail.warning.risk_level != codes.RiskLevel.EMERGENCY)
        self.release_button.setEnabled(detail is not None)
        self.next_button.setEnabled(detail is None)
        if detail is None:
            self._renew_timer.stop()
            self.outcomes.notes.clear()
            self.next_button.setFocus()
            self.queue_view.selectionModel().clearSelection()
        else:
            self._renew_timer.start()
            self._select_in_queue(int(detail.warning.id))
            self.undo.end()  # the next warning is open: a lead reopens the last one now
            self.keys.settle()

    def _select_in_queue(self, warning_id: int) -> None:
        for row in range(self.model.rowCount()):
            w = self.model.warning_at(row)
            if w is not None and w.id == warning_id:
                self.queue_view.selectionModel().select(
                    self.model.index(row, 0),
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                return

    def _renew(self) -> None:
        warning_id = self.current_id
        if warning_id is None:
            return
        source = self.source
        self.runner.run(lambda: source.claim(warning_id), None, self._renew_failed)

    def hold_while_locked(self) -> None:
        """The workstation locked (idle): the claim is renewed once more, then no longer; if
        the lock outlasts that lease, the warning goes back to the queue with its notes kept
        as the officer's draft (`_lapse_while_locked`)."""
        if self.current_id is None:
            return
        self._renew_timer.stop()
        self._renew()
        minutes = self.policy.policy.levels[self.detail_data.warning.risk_level].lease_minutes \
            if self.detail_data is not None else self.policy.lease_minutes()
        self._locked_lease.start(max(1000, int(minutes * 60_000)))

    def resume_after_lock(self) -> None:
        """Unlocked in time: the claim is renewed as usual again."""
        self._locked_lease.stop()
        if self.current_id is not None:
            self._renew()
            self._renew_timer.start()

    def _lapse_while_locked(self) -> None:
        if self.current_id is not None:
            self.release_current()

    def _renew_failed(self, exc: Exception) -> None:
        self._show_error(tr("Could not renew the claim: %1").replace("%1", str(exc)))

    def release_current(self) -> None:
        warning_id = self.current_id
        if warning_id is None:
            return
        self.drafts.save()  # the notes stay as a draft for whoever reopens it (its author)
        self._set_open(None)
        self._say(tr("Warning %1 is back in the queue.").replace("%1", str(warning_id)))
        source = self.source
        self.runner.run(lambda: source.release(warning_id), lambda _: self.refresh_queue(),
                        self._show_exc)

    # -- outcomes -------------------------------------------------------------------------

    def _outcome_chosen(self, outcome: str) -> None:
        if self.detail_data is None:
            return
        if outcome == Outcome.CALLBACK:
            dialog = CallbackDialog(tz=self.policy.timezone, parent=self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            at, scope = dialog.values()
            self.record_outcome(outcome, callback_at=float(at), callback_scope=scope)
            return
        if outcome == Outcome.BRAINWASHED:
            brainwashed = BrainwashedDialog(self.detail_data.warning,
                                            cards=self.detail_view.person_cards(), parent=self)
            if brainwashed.exec() != QDialog.DialogCode.Accepted:
                return
            self.record_outcome(outcome, escalation=brainwashed.values())
            return
        self.record_outcome(outcome)

    def record_outcome(self, outcome: str, *, callback_at: float | None = None,
                       callback_scope: str | None = None,
                       escalation: dict[str, object] | None = None) -> None:
        """Record the open warning's outcome; the screen clears at once for the next one."""
        detail = self.detail_data
        if detail is None:
            return
        warning_id = int(detail.warning.id)
        notes = self.outcomes.notes.toPlainText().strip()
        settles = self.detail_view.settles()  # what is on screen, never what arrives later
        times = self.dial.attempt_times(warning_id, self._opened_at)  # dialled, answered, hung up
        client_id = str(uuid.uuid4())
        label = codes.label(codes.OUTCOME_LABELS, outcome, self.lang)
        self.drafts.stop()  # the notes go with the outcome; the store drops the draft
        self._set_open(None)
        # Not "recorded" yet: the hub may be away, and then the officer must hear that instead.
        self._say(tr("Recording %1 for warning %2...")
                  .replace("%1", label).replace("%2", str(warning_id)))
        source = self.source

        def record() -> tuple[Attempt, bool]:
            attempt = source.record_attempt(
                warning_id, outcome, notes, client_id=client_id, started_at=times["started_at"],
                ended_at=times["ended_at"], dialled_at=times["dialled_at"],
                callback_at=callback_at, callback_scope=callback_scope,
                escalation=escalation, settles=settles)
            return attempt, attempt.pending and not source.link_state().signed_in

        def done(result: tuple[Attempt, bool]) -> None:
            attempt, signed_out = result
            if signed_out:
                self._show_error(tr("Kept: the hub no longer accepts this session or token. "
                                    "Sign in again; warning %1's outcome (%2) is sent then.")
                                 .replace("%1", str(warning_id)).replace("%2", label))
            elif attempt.pending:
                self._show_error(tr("Kept; it is sent automatically when the network is back. "
                                    "Warning %1: %2.")
                                 .replace("%1", str(warning_id)).replace("%2", label))
            else:
                self._say(tr("Recorded %1 for warning %2. F2 takes the next one.")
                          .replace("%1", label).replace("%2", str(warning_id)))
            self.refresh_queue()
            if self.detail_data is None:
                self.undo.offer(attempt, detail)
            self.attempt_did_record.emit(attempt)

        def failed(exc: Exception) -> None:
            self._show_error(tr("Not recorded: %1").replace("%1", str(exc)))
            # Nothing lost: unless someone else has taken the warning over, the officer gets
            # it back with the notes to try again.
            if self.detail_data is None and not isinstance(exc, Conflict):
                self._set_open(detail)
                self.outcomes.notes.setPlainText(notes)

        self.runner.run(record, done, failed)

    def _undone(self, detail: WarningDetail, notes: str) -> None:
        """The outcome was taken back: the warning is the officer's again, notes and all."""
        if self.detail_data is not None:
            return
        self._set_open(detail)
        self.drafts.restore(int(detail.warning.id), notes)
        self._say(tr("Undone: warning %1 is yours again, as it was.")
                  .replace("%1", str(detail.warning.id)))
        self.refresh_queue()
        self.warning_did_open.emit(int(detail.warning.id))

    # -- the playbook's actions -----------------------------------------------------------

    def retype_current(self, scam_type: str) -> None:
        """The cues say it is another scam: re-type the open warning (audited)."""
        detail = self.detail_data
        if detail is None:
            return
        warning_id = int(detail.warning.id)
        ticked = ", ".join(sorted(self.script.ticked))
        source = self.source

        def retype() -> WarningDetail:
            source.retype_warning(warning_id, scam_type=scam_type,
                                  reason=f"cues: {ticked}" if ticked else "")
            return source.get(warning_id)

        def done(fresh: WarningDetail) -> None:
            if self.current_id != warning_id:
                return
            self.detail_data = fresh
            self.detail_view.show_detail(fresh)
            self.script.show_type(fresh.warning.scam_type, keep_ticks=True)
            self._say(tr("Warning %1 is now %2.").replace("%1", str(warning_id)).replace(
                "%2", codes.label(codes.SCAM_LABELS, scam_type, self.lang)))
            self.warning_did_retype.emit(scam_type)

        self.runner.run(retype, done, self._show_exc)

    def sms_text(self) -> str:
        """The open warning's SMS warning, in Chinese for a Chinese number."""
        detail = self.detail_data
        book = self.script.playbook
        if detail is None or book is None:
            return ""
        lang = "zh" if detail.warning.phone.startswith("+86") else "en"
        return guidance.sms_text(book, name=detail.warning.name, lang=lang)

    def play_voice(self) -> None:
        """The type's voice warning, as a chase call would play it (Chinese for a Chinese
        number). With no speech engine the officer is told so and nothing else changes."""
        detail = self.detail_data
        book = self.script.playbook
        if detail is None or book is None:
            return
        lang = "zh" if detail.warning.phone.startswith("+86") else "en"
        self._say(tr("Making the voice warning..."))
        self.voice.speak(book.text("voice", lang), lang)

    def send_sms(self) -> None:
        """Copy the SMS warning (default) or send it through the configured gateway; either
        way the sending goes into the warning's history."""
        detail = self.detail_data
        text = self.sms_text()
        if detail is None or not text:
            return
        warning = detail.warning
        gateway, source = self.gateway, self.source
        if gateway.kind == "clipboard":
            QGuiApplication.clipboard().setText(text)
            self._say(tr("SMS text copied: paste it into the SMS system."))

        def send() -> object:
            result = "copied" if gateway.kind == "clipboard" else sms.send(gateway, warning, text)
            return source.record_message(int(warning.id), text=text, via=gateway.kind,
                                         result=result)

        def done(message: object) -> None:
            if gateway.kind != "clipboard":
                self._say(tr("SMS sent through the gateway."))
            self.sms_did_record.emit(message)

        self.runner.run(send, done, lambda exc: self._show_error(
            tr("SMS not sent: %1").replace("%1", str(exc))))

    # -- escalation -----------------------------------------------------------------------

    def _ask_escalation(self) -> None:
        if self.detail_data is None:
            return
        dialog = EscalationDialog(self.detail_data.warning, lang=self.lang, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.propose_escalation(**dialog.values())  # type: ignore[arg-type]

    def propose_escalation(self, *, kind: str, reason: str, cards: object = None,
                           amount: object = None) -> None:
        detail = self.detail_data
        if detail is None:
            return
        warning_id = int(detail.warning.id)
        client_id = str(uuid.uuid4())
        self._set_open(None)
        kind_label = codes.label(codes.ESCALATION_LABELS, kind, self.lang)
        self._say(tr("Proposing %1 for warning %2...")
                  .replace("%1", kind_label).replace("%2", str(warning_id)))
        source = self.source

        def propose() -> tuple[Escalation, bool]:
            escalation = source.propose_escalation(warning_id, kind=kind, reason=reason,
                                                   cards=cards, amount=amount,
                                                   client_id=client_id)
            return escalation, escalation.pending and not source.link_state().signed_in

        def done(result: tuple[Escalation, bool]) -> None:
            escalation, signed_out = result
            if signed_out:
                self._show_error(tr("Kept: the hub no longer accepts this session or token. "
                                    "Sign in again; the proposal for warning %1 (%2) is sent "
                                    "then.").replace("%1", str(warning_id))
                                 .replace("%2", kind_label))
            elif escalation.pending:
                self._show_error(tr("Kept; it is sent automatically when the network is back. "
                                    "Warning %1: %2 proposed.")
                                 .replace("%1", str(warning_id)).replace("%2", kind_label))
            else:
                self._say(tr("Proposed %1 for warning %2; a lead decides.")
                          .replace("%1", kind_label).replace("%2", str(warning_id)))
            self.refresh_queue()
            self.escalation_did_record.emit(escalation)

        def failed(exc: Exception) -> None:
            self._show_error(tr("Escalation not recorded: %1").replace("%1", str(exc)))
            if self.detail_data is None:
                self._set_open(detail)

        self.runner.run(propose, done, failed)

    # -- raising the level, revealing, asking why ---------------------------------------------

    def _ask_raise_level(self) -> None:
        detail = self.detail_data
        if detail is None or not self.raise_button.isEnabled():
            return
        dialog = RaiseLevelDialog(detail.warning, lang=self.lang, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.raise_level(*dialog.values())

    def raise_level(self, level: str, reason: str) -> None:
        """Make the open warning more urgent (one action: level and reason, audited)."""
        detail = self.detail_data
        if detail is None:
            return
        warning_id = int(detail.warning.id)
        source = self.source

        def raise_it() -> WarningDetail:
            source.raise_level(warning_id, level=level, reason=reason)
            return source.get(warning_id)

        def done(fresh: WarningDetail) -> None:
            if self.current_id == warning_id:
                self.detail_data = fresh
                self.detail_view.show_detail(fresh)
                self.raise_button.setEnabled(fresh.warning.risk_level != "emergency")
            self._say(tr("Warning %1 is now %2.").replace("%1", str(warning_id)).replace(
                "%2", codes.label(codes.LEVEL_LABELS, level, self.lang)))
            self.refresh_queue()
            self.level_did_raise.emit(fresh.warning)

        self.runner.run(raise_it, done, self._show_exc)

    def _ask_reveal(self, field: str) -> None:
        if self.detail_data is None:
            return
        dialog = RevealDialog(field, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.value():
            self.reveal(field, dialog.value())

    def reveal(self, field: str, reason: str) -> None:
        """Show a masked field of the open warning whole; the source records who, why, when."""
        detail = self.detail_data
        if detail is None:
            return
        warning_id = int(detail.warning.id)
        source = self.source

        def done(values: list[str]) -> None:
            if self.current_id == warning_id:
                self.detail_view.show_revealed(field, values)
            self.field_did_reveal.emit(field)

        self.runner.run(lambda: source.reveal(warning_id, field=field, reason=reason), done,
                        self._show_exc)

    def explain(self, text: str) -> None:
        """Why warning `text` is or is not in the queue, in the message line. `text` is a
        warning's number, or a phone number in any written form (138 0013 8000, +86-138...,
        0086...): then the phone's latest warnings are answered for."""
        asked = text.strip().lstrip("#").strip()
        digits = "".join(ch for ch in asked if ch.isdigit())
        source, lang = self.source, self.lang
        if asked.isdigit() and len(asked) <= WARNING_ID_DIGITS:
            number = int(asked)

            def one() -> list[tuple[int, str]]:
                return [(number, source.why(number, lang=lang))]

            lookup = one
        elif len(digits) >= 5 and set(asked) <= set("0123456789 +-()（）"):
            def by_phone() -> list[tuple[int, str]]:
                return [(w, source.why(w, lang=lang)) for w in source.warnings_of_phone(asked)]

            lookup = by_phone
        else:
            self._show_error(tr("Type a warning's number, or the person's phone number, to see "
                                "where it is."))
            return

        def done(answers: list[tuple[int, str]]) -> None:
            if not answers:
                self._show_error(tr("No warning has the phone number %1.").replace("%1", asked))
                return
            text = "\n".join(tr("Warning %1: %2").replace("%1", str(w)).replace("%2", answer)
                             for w, answer in answers)
            self._say(text)
            self.why_did_answer.emit(text)

        def failed(exc: Exception) -> None:
            if isinstance(exc, NotFound):
                self._show_error(tr("There is no warning %1.").replace("%1", asked))
            else:
                self._show_error(str(exc))

        self.runner.run(lookup, done, failed)

    # -- messages -------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.setProperty("kind", "info")
        self.message.setStyleSheet("")
        self.message.setText(text)
        self.message_did_change.emit(text)

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet("color: #b00020; font-weight: bold;")
        self.message.setText(text)
        self.message_did_change.emit(text)

    def _show_exc(self, exc: Exception) -> None:
        self._show_error(str(exc))

    def confirm_close(self) -> bool:
        """Closing the window while holding a warning asks first (the warning goes back to the
        queue; the notes stay as the officer's draft)."""
        if self.current_id is None:
            return True
        answer = QMessageBox.question(
            self, tr("Close while holding a warning?"),
            tr("You hold warning %1. Closing puts it back in the queue; your notes are kept as "
               "a draft and come back when you open it again. Close now?")
            .replace("%1", str(self.current_id)))
        return answer == QMessageBox.StandardButton.Yes

    def shutdown(self) -> None:
        """Closing with a warning open puts it back at once instead of after the lease (the
        window then closes the runner, which finishes the release)."""
        self.stop()
        self.dial.shutdown()
        warning_id = self.current_id
        if warning_id is not None:
            self.drafts.save()  # the notes survive the window: a draft in the store
            self.detail_data = None
            source = self.source
            self.runner.run(lambda: source.release(warning_id), None, lambda _exc: None)
