"""The escalations board: proposals a lead decides, and each escalation's next step until it ends."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dissuade import paths
from dissuade.domain import codes, phones, timeutil
from dissuade.domain.codes import Role
from dissuade.domain.models import Escalation, EscalationDetail, WarningDetail
from dissuade.sources import Source
from ui.common import style
from ui.common.ops import Runner
from ui.common.policy import PolicySnapshot, own_snapshot
from ui.escalations.model import COL, EscalationModel, state_label, step_text
from ui.workbench.escalation_dialogs import RevealDialog

QUIET_MS = 1_500  # live changes come in bursts: one reload for a burst
TICK_MS = 1_000  # the ages and the holds' countdowns: drawing, not loading


def tr(text: str) -> str:
    return QCoreApplication.translate("Escalations", text)


def _next_actions() -> dict[tuple[str, str], tuple[str, str, bool]]:
    """(kind, state) -> (next state, button text, a note is required)."""
    return {
        ("card_lock", "approved"): ("sent", tr("Mark as sent to the bank"), False),
        ("card_lock", "sent"): ("locked", tr("Bank has locked the cards"), False),
        ("card_lock", "locked"): ("explained", tr("Explained to the person"), True),
        ("card_lock", "explained"): ("unlocked", tr("Cards unlocked"), False),
        ("door_visit", "approved"): ("dispatched", tr("Officers dispatched"), False),
        ("door_visit", "dispatched"): ("visited", tr("Visit done: record the result"), True),
        ("chase_call", "scheduled"): ("done", tr("End the chase calls"), False),
    }


class EscalationsView(QWidget):
    """Every escalation under way. Leads approve or reject proposals here; whoever follows one
    up records its steps (sent, locked, explained, unlocked; dispatched, visited; done).

    It loads when shown, after each action here, and when the window hears news while it is
    on screen (`changed_elsewhere`); it never polls."""

    escalation_did_change = Signal(object)  # Escalation
    board_did_refresh = Signal(int)  # rows
    detail_did_load = Signal(int)  # escalation id
    request_did_preview = Signal(str)  # the PDF's path
    message_did_change = Signal(str)

    def __init__(self, source: Source, runner: Runner, *, policy: PolicySnapshot | None = None,
                 lang: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("escalationsView")
        self.source, self.runner, self.lang = source, runner, lang
        self.policy = policy if policy is not None else own_snapshot(source, runner, self)
        self.is_lead = source.role == Role.LEAD.value
        self.open_files = True  # tests turn this off: no PDF viewer on a build machine
        self._loading = self._again = False
        self._selected: int | None = None
        self.detail: EscalationDetail | None = None
        self.warning: WarningDetail | None = None

        self.title = QLabel(objectName="escalationsTitle")
        self.title.setFont(style.app_font(11))
        self.refresh_button = QPushButton(objectName="escalationsRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.model = EscalationModel(tz=self.policy.timezone, lang=lang, parent=self)
        self.table = QTableView(objectName="escalationsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for key, width in (("id", 44), ("warning", 56), ("kind", 86), ("status", 96),
                           ("waiting", 128), ("amount", 78), ("cards", 150),
                           ("proposed_by", 118), ("decided_by", 104)):
            self.table.setColumnWidth(COL[key], width)
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._select(
            cur.row()))

        self.summary = QLabel(objectName="escalationSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.why = QLabel(objectName="escalationWhy")
        self.why.setWordWrap(True)
        self.steps_title = QLabel()
        self.steps = QListWidget(objectName="escalationSteps")
        self.note = QLineEdit(objectName="escalationNote")
        self.approve_button = QPushButton(objectName="approveEscalationButton")
        self.approve_button.setProperty("kind", "good")
        self.reject_button = QPushButton(objectName="rejectEscalationButton")
        self.advance_button = QPushButton(objectName="advanceEscalationButton")
        self.advance_button.setProperty("kind", "primary")
        self.send_button = QPushButton(objectName="sendBankRequestButton")
        self.preview_button = QPushButton(objectName="previewRequestButton")
        self.extend_button = QPushButton(objectName="extendHoldButton")
        self.approve_button.clicked.connect(lambda: self.decide("approve"))
        self.reject_button.clicked.connect(lambda: self.decide("reject"))
        self.advance_button.clicked.connect(self.advance)
        self.send_button.clicked.connect(self.send_request)
        self.preview_button.clicked.connect(lambda _checked=False: self.preview_request())
        self.extend_button.clicked.connect(self.extend_hold)
        for lead_only in (self.approve_button, self.reject_button, self.extend_button):
            lead_only.setVisible(self.is_lead)
        # The bank's buttons are hidden for other kinds but keep their room, and the message
        # has two lines of its own: no button moves from one escalation to the next.
        for bank_only in (self.send_button, self.preview_button):
            keep = bank_only.sizePolicy()
            keep.setRetainSizeWhenHidden(True)
            bank_only.setSizePolicy(keep)
        self.message = QLabel(objectName="escalationsMessage")
        self.message.setWordWrap(True)
        self.message.setFixedHeight(2 * self.message.fontMetrics().lineSpacing() + 6)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.refresh_button)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addLayout(top)
        lv.addWidget(self.table, 1)
        right = QWidget(objectName="escalationDetailPanel")
        rv = QVBoxLayout(right)
        rv.setContentsMargins(6, 0, 0, 0)
        rv.addWidget(self.summary)
        rv.addWidget(self.why)
        rv.addWidget(self.steps_title)
        rv.addWidget(self.steps, 1)
        rv.addWidget(self.note)
        decide = QHBoxLayout()
        decide.addWidget(self.approve_button)
        decide.addWidget(self.reject_button)
        rv.addLayout(decide)
        rv.addWidget(self.advance_button)
        bank = QHBoxLayout()
        bank.addWidget(self.send_button)
        bank.addWidget(self.preview_button)
        rv.addLayout(bank)
        rv.addWidget(self.extend_button)
        rv.addWidget(self.message)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, objectName="escalationsSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.splitter)

        self._tick = QTimer(self, interval=TICK_MS, timeout=self.model.tick)
        self._quiet = QTimer(self, singleShot=True, interval=QUIET_MS, timeout=self.refresh)
        self.policy.policy_did_change.connect(self._policy_changed)
        self.retranslate()
        self._show_detail()

    @property
    def _tz(self) -> str:
        return self.policy.timezone

    def _policy_changed(self, _policy: object) -> None:
        self.model.set_tz(self.policy.timezone)
        self._show_detail()

    # -- language and timers --------------------------------------------------------------

    def set_lang(self, lang: str) -> None:
        self.lang = self.model.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        self.refresh_button.setText(tr("Refresh"))
        self.steps_title.setText(tr("Steps (who and when)"))
        self.note.setPlaceholderText(tr("Note: the lead's decision, the bank's answer, the "
                                        "visit's result..."))
        self.approve_button.setText(tr("Approve"))
        self.reject_button.setText(tr("Reject (note required)"))
        self.send_button.setText(tr("Send the request to the bank"))
        self.send_button.setToolTip(tr("The PDF and its record go through the bank gateway; "
                                       "the step 'sent' is recorded with the gateway's answer"))
        self.preview_button.setText(tr("Request PDF"))
        self.preview_button.setToolTip(tr("Open the request as the bank gets it (cards in full: "
                                          "recorded in the audit)"))
        self.extend_button.setText(tr("Extend the hold once"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0,
                                          self.model.columnCount() - 1)
        self._show_title()
        self._show_detail()

    def start(self) -> None:
        """The tab is shown: load now, and tick the ages while it is."""
        self._tick.start()
        self.refresh()

    def stop(self) -> None:
        self._tick.stop()
        self._quiet.stop()

    def changed_elsewhere(self) -> None:
        """Something changed on the source: reload shortly, once for a burst (the first news
        sets the moment; news that keeps coming never puts it off)."""
        if self.isVisible() and not self._quiet.isActive():
            self._quiet.start()

    # -- loading --------------------------------------------------------------------------

    def refresh(self) -> None:
        if self._loading:
            self._again = True  # news during a load: load once more after it
            return
        self._loading, self._again = True, False
        source = self.source
        self.runner.run(source.active_escalations, self._loaded, self._load_failed)

    def _loaded(self, rows: list[Escalation]) -> None:
        self._loading = False
        keep = self._selected
        self.model.replace(rows)
        self._show_title()
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)  # reloads its detail
        elif keep is not None:
            self._selected, self.detail, self.warning = None, None, None
            self._show_detail()
        self.board_did_refresh.emit(self.model.rowCount())
        if self._again:
            self.refresh()

    def _load_failed(self, exc: Exception) -> None:
        self._loading = False
        if self._again:
            self.refresh()
        self._error(str(exc))

    def _show_title(self) -> None:
        rows = self.model.rowCount()
        self.title.setText(tr("Escalations under way: %1 (waiting for a lead: %2)")
                           .replace("%1", str(rows)).replace("%2", str(self.model.pending)))

    def _select(self, row: int) -> None:
        escalation = self.model.escalation_at(row)
        if escalation is None:
            return
        if escalation.id != self._selected:
            self.note.clear()
        self._selected = int(escalation.id)
        self._load_detail(int(escalation.id))

    def select_escalation(self, escalation_id: int) -> bool:
        row = self.model.row_of(escalation_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _load_detail(self, escalation_id: int) -> None:
        source, lang = self.source, self.lang

        def load() -> tuple[EscalationDetail, WarningDetail, str]:
            detail = source.escalation_detail(escalation_id)
            wid = int(detail.escalation.warning_id)
            return detail, source.get(wid), source.why(wid, lang=lang)

        def done(result: tuple[EscalationDetail, WarningDetail, str]) -> None:
            if self._selected != escalation_id:
                return
            self.detail, self.warning, why = result
            self.why.setText(why)
            self._show_detail()
            self.detail_did_load.emit(escalation_id)

        self.runner.run(load, done, self._error_exc)

    # -- the selected escalation ----------------------------------------------------------

    def _show_detail(self) -> None:
        detail, warning = self.detail, self.warning
        buttons = (self.approve_button, self.reject_button, self.advance_button, self.send_button,
                   self.preview_button, self.extend_button)
        if detail is None or warning is None:
            self.summary.setText(tr("Choose an escalation on the left."))
            self.why.clear()
            self.steps.clear()
            for button in buttons:
                button.setEnabled(False)
            self.advance_button.setText(tr("Next step"))
            return
        e, w, lang = detail.escalation, warning.warning, self.lang
        info = phones.describe(w.phone, lang)
        kind = codes.label(codes.ESCALATION_LABELS, e.kind, lang)
        level = codes.label(codes.LEVEL_LABELS, w.risk_level, lang)
        colour = style.LEVEL_FOREGROUND.get(w.risk_level)
        rows = [
            (tr("Escalation"), f"<b>{e.id} · {kind} · {state_label(e.status, lang)}</b>"),
            (tr("Warning"), f'{w.id} · <b style="color:{colour.name() if colour else "black"}">'
                            f'{level}</b> · {codes.label(codes.SCAM_LABELS, w.scam_type, lang)}'),
            (tr("Person"), f"{w.name or '—'} · {info.national} · {info.region}"),
            (tr("Reason"), e.reason or "—"),
            (tr("Amount"), "—" if e.amount is None else f"¥{e.amount:,.2f}"),
            (tr("Bank cards"), "<br>".join(e.cards) or "—"),
            (tr("Proposed"), f"{e.proposed_by} · "
                             f"{timeutil.local_text(e.proposed_at, self._tz, fmt='%m-%d %H:%M')}"),
        ]
        if e.decided_by:
            rows.append((tr("Decided"), f"{e.decided_by} · "
                         f"{timeutil.local_text(e.decided_at, self._tz, fmt='%m-%d %H:%M')}"
                         + (f" — {e.decision_note}" if e.decision_note else "")))
        if e.station:
            rows.append((tr("Station"), e.station))
        if e.hold_until is not None:
            left = e.hold_until - time.time()
            hold = timeutil.local_text(e.hold_until, self._tz, fmt="%m-%d %H:%M")
            text = f"{hold} ({style.countdown(left, lang)})" + (
                tr(", extended once") if e.hold_extended else "")
            warn = left < 6 * 3600
            rows.append((tr("Hold until"), f'<b style="color:#c00000">{text}</b>' if warn else text))
        if w.synthetic:
            demo = tr("Synthetic (demo) data: no bank, dialer or SMS will be contacted.")
            rows.append(("", f'<span style="color:#b00020">{demo}</span>'))
        self.summary.setText("<table>" + "".join(
            f"<tr><td style='color:#555;padding-right:8px'>{k}</td><td>{v}</td></tr>"
            for k, v in rows) + "</table>")
        self.steps.clear()
        for s in detail.steps:
            self.steps.addItem(step_text(s.status, s.actor, s.at, s.note, tz=self._tz, lang=lang))
        for c in detail.calls:
            when = timeutil.local_text(c.called_at or c.due_at, self._tz, fmt="%m-%d %H:%M")
            state = (tr("reached") if c.ok else tr("not reached")) if c.called_at else tr("due")
            self.steps.addItem(tr("Chase call %1 at %2: %3 %4").replace("%1", str(c.number))
                               .replace("%2", when).replace("%3", state).replace("%4", c.result))
        proposed = e.status == "proposed"
        self.approve_button.setEnabled(self.is_lead and proposed)
        self.reject_button.setEnabled(self.is_lead and proposed)
        step = _next_actions().get((e.kind, e.status))
        self.advance_button.setEnabled(step is not None)
        self.advance_button.setText(step[1] if step else tr("Next step"))
        card_lock = e.kind == "card_lock"
        self.send_button.setVisible(card_lock)
        self.preview_button.setVisible(card_lock)
        self.send_button.setEnabled(card_lock and e.status == "approved" and not w.synthetic)
        # The request carries the cards whole: a lead's, or the proposer's (as the hub rules).
        self.preview_button.setEnabled(card_lock and (self.is_lead
                                                      or e.proposed_by == self.source.user))
        self.extend_button.setEnabled(self.is_lead and e.status == "locked"
                                      and e.hold_until is not None and not e.hold_extended)

    # -- actions --------------------------------------------------------------------------

    def decide(self, decision: str) -> None:
        """A lead approves or rejects the selected proposal (a rejection needs a note)."""
        e = self.detail.escalation if self.detail else None
        if e is None or not self.is_lead:
            return
        note = self.note.text().strip()
        if decision == "reject" and not note:
            self._error(tr("Say why in the note before rejecting."))
            self.note.setFocus()
            return
        source = self.source
        self._act(lambda: source.decide_escalation(int(e.id), decision=decision, note=note),
                  tr("Approved escalation %1.") if decision == "approve"
                  else tr("Rejected escalation %1: the warning is back in the queue."), int(e.id))

    def advance(self) -> None:
        e = self.detail.escalation if self.detail else None
        step = _next_actions().get((e.kind, e.status)) if e else None
        if e is None or step is None:
            return
        status, _text, needs_note = step
        note = self.note.text().strip()
        if needs_note and not note:
            self._error(tr("Write in the note what happened before recording this step."))
            self.note.setFocus()
            return
        source = self.source
        self._act(lambda: source.advance_escalation(int(e.id), status=status, note=note),
                  tr("Escalation %1: %2 recorded.").replace("%2", state_label(status, self.lang)),
                  int(e.id))

    def send_request(self) -> None:
        e = self.detail.escalation if self.detail else None
        if e is None:
            return
        self.send_button.setEnabled(False)
        self._say(tr("Sending the stop-payment request..."))
        source = self.source
        self._act(lambda: source.send_bank_request(int(e.id)),
                  tr("Stop-payment request %1 sent to the bank."), int(e.id))

    def extend_hold(self) -> None:
        e = self.detail.escalation if self.detail else None
        if e is None:
            return
        note = self.note.text().strip()
        source = self.source
        self._act(lambda: source.extend_hold(int(e.id), note=note),
                  tr("The hold of escalation %1 is extended once."), int(e.id))

    def preview_request(self, reason: str | None = None) -> None:
        """The request PDF as the bank gets it, opened in the machine's PDF viewer. It shows the
        cards whole, so it asks why first (the reason goes into the audit, as a reveal's)."""
        e = self.detail.escalation if self.detail else None
        if e is None:
            return
        if reason is None:
            dialog = RevealDialog("cards", parent=self)
            if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.value():
                return
            reason = dialog.value()
        source = self.source
        escalation_id = int(e.id)
        why = reason

        def make() -> str:
            folder = paths.data_dir() / "previews"
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"card-lock-{escalation_id}.pdf"
            path.write_bytes(source.bank_request_pdf(escalation_id, reason=why))
            return str(path)

        def done(path: str) -> None:
            self._say(tr("Request PDF: %1").replace("%1", path))
            if self.open_files:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path))))
            self.request_did_preview.emit(path)

        self.runner.run(make, done, self._error_exc)

    def _act(self, call: Any, done_text: str, escalation_id: int) -> None:
        def done(escalation: Escalation) -> None:
            self.note.clear()
            self._say(done_text.replace("%1", str(escalation_id)))
            self.escalation_did_change.emit(escalation)
            self.refresh()

        def failed(exc: Exception) -> None:
            self._error(str(exc))
            self._show_detail()

        self.runner.run(call, done, failed)

    # -- messages -------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)
        self.message_did_change.emit(text)

    def _error(self, text: str) -> None:
        self.message.setStyleSheet("color: #b00020; font-weight: bold;")
        self.message.setText(text)
        self.message_did_change.emit(text)

    def _error_exc(self, exc: Exception) -> None:
        self._error(str(exc))
