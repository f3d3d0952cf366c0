"""A warning's full history for the shift lead: calls and their review, escalations, SMS, audit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import codes, phones, timeutil
from dissuade.domain.models import Attempt, Entry, Review, WarningHistory
from dissuade.sources import Source
from ui.audit.model import action_text, detail_text, state_text
from ui.common import style
from ui.common.ops import Runner
from ui.review.model import FAIL_COLOUR, PASS_COLOUR
from ui.review.reopen import ReopenBox

DEFAULT_SIZE = (1200, 700)
ERROR_STYLE = "color: #b00020; font-weight: bold;"
REVEALED_STYLE = "color: #8a1c1c; font-weight: bold;"
HEADER_KEYS = ["phone", "name", "source", "reported", "arrived", "deadline", "district",
               "fraud_contact", "amount", "cards", "id_number", "feed_notes"]
TRAIL_MAX = 200


def tr(text: str) -> str:
    return QCoreApplication.translate("History", text)


def _duration(a: Attempt) -> str:
    if a.started_at is None or a.ended_at is None or a.ended_at < a.started_at:
        return ""
    seconds = int(a.ended_at - a.started_at)
    return f"{seconds // 60}:{seconds % 60:02d}"


class HistoryDialog(QDialog):
    """Everything about one warning. Loading it is audited (the core records the view); cards
    and ID numbers stay masked until the lead reveals them with a reason (audited too). A call
    is marked pass or fail here; a fail needs a comment."""

    history_did_load = Signal(object)  # WarningHistory
    review_did_record = Signal(object)  # Review
    reveal_did_show = Signal(str, list)  # field, the whole values
    message_did_change = Signal(str)

    def __init__(self, source: Source, runner: Runner, *, lang: str = "zh",
                 tz: str = timeutil.DEFAULT_TZ, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyDialog")
        self.source = source
        self.runner = runner
        self.lang = lang
        self.tz = tz
        self.history: WarningHistory | None = None
        self.warning_id: int | None = None
        self._generation = 0
        self._reviews: dict[int, list[Review]] = {}
        self._trail: list[Entry] = []
        self._revealed: dict[str, list[str]] = {}

        self.title = QLabel(objectName="historyTitle")
        big = style.app_font(15)
        big.setBold(True)
        self.title.setFont(big)
        self.badges = QLabel(objectName="historyBadges")
        self.badges.setTextFormat(Qt.TextFormat.RichText)
        self.values: dict[str, QLabel] = {}
        self._titles: dict[str, QLabel] = {}
        for key in HEADER_KEYS:
            value = QLabel(objectName=f"history_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            self._titles[key] = QLabel(
                alignment=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.values["feed_notes"].setMaximumHeight(60)
        for key in ("cards", "id_number"):  # a card number must never break over lines
            self.values[key].setWordWrap(False)
        self.reveal_cards = _button("revealCardsButton")
        self.reveal_id = _button("revealIdButton")
        self.reveal_reason = QLineEdit(objectName="revealReason")
        self.reveal_reason.setMaxLength(500)
        self._titles["reveal_reason"] = QLabel(alignment=Qt.AlignmentFlag.AlignRight
                                               | Qt.AlignmentFlag.AlignVCenter)

        self.calls = _table("callsTable", 6)
        self.calls.horizontalHeader().setStretchLastSection(False)
        self.calls.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.calls.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.review_target = QLabel(objectName="reviewTarget")
        self.review_comment = QLineEdit(objectName="reviewComment")
        self.review_comment.setMaxLength(2000)
        self.pass_button = _button("reviewPassButton")
        self.pass_button.setStyleSheet("color: #1b5e20; font-weight: bold;")
        self.fail_button = _button("reviewFailButton")
        self.fail_button.setStyleSheet("color: #b00020; font-weight: bold;")
        self.escalations = QTreeWidget(objectName="escalationTree")
        self.escalations.setColumnCount(4)
        self.escalations.setAlternatingRowColors(True)
        self.escalations.header().setStretchLastSection(True)
        self.messages = _table("messagesTable", 5)
        self.earlier = _table("earlierTable", 6)
        self.trail = _table("trailTable", 4)
        self.tabs = QTabWidget(objectName="historyTabs")
        self.message = QLabel(objectName="historyMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.close)
        for button in self.buttons.buttons():
            if isinstance(button, QPushButton):  # Enter in a comment box must not close it
                button.setAutoDefault(False)

        self.reopen_box = ReopenBox(source, runner, self)  # a lead, on a closed warning
        self.reopen_box.did_reopen.connect(self._reopened)
        self.reopen_box.did_fail.connect(self._show_error)
        self._layout()
        self.calls.itemSelectionChanged.connect(self._show_review_target)
        self.pass_button.clicked.connect(lambda: self.review_selected("pass"))
        self.fail_button.clicked.connect(lambda: self.review_selected("fail"))
        self.reveal_cards.clicked.connect(lambda: self.reveal("cards"))
        self.reveal_id.clicked.connect(lambda: self.reveal("id_number"))
        self.earlier.itemDoubleClicked.connect(self._open_earlier)
        self.resize(*self._fitting_size())
        self.retranslate()
        self._clear()

    # -- building -------------------------------------------------------------------------

    def _layout(self) -> None:
        head = QFrame(objectName="historyHeader")
        head.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(head)
        grid.setContentsMargins(10, 8, 10, 8)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(5)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(12)
        top.addWidget(self.badges)
        top.addStretch(1)
        grid.addLayout(top, 0, 0, 1, 6)
        places = [("phone", 1, 0), ("name", 1, 2), ("source", 1, 4),
                  ("reported", 2, 0), ("arrived", 2, 2), ("deadline", 2, 4),
                  ("district", 3, 0), ("fraud_contact", 3, 2), ("amount", 3, 4)]
        for key, row, col in places:
            grid.addWidget(self._titles[key], row, col)
            grid.addWidget(self.values[key], row, col + 1)
        cards = QHBoxLayout()
        cards.setSpacing(10)
        cards.addWidget(self.values["cards"])
        cards.addWidget(self.reveal_cards)
        cards.addStretch(1)
        ident = QHBoxLayout()
        ident.setSpacing(10)
        ident.addWidget(self.values["id_number"])
        ident.addWidget(self.reveal_id)
        ident.addStretch(1)
        grid.addWidget(self._titles["cards"], 4, 0)
        grid.addLayout(cards, 4, 1)
        grid.addWidget(self._titles["id_number"], 4, 2)
        grid.addLayout(ident, 4, 3)
        grid.addWidget(self._titles["reveal_reason"], 4, 4)
        grid.addWidget(self.reveal_reason, 4, 5)
        grid.addWidget(self._titles["feed_notes"], 5, 0)
        grid.addWidget(self.values["feed_notes"], 5, 1, 1, 5)
        for col in (1, 3, 5):
            grid.setColumnStretch(col, 1)

        calls_page = QWidget()
        calls = QVBoxLayout(calls_page)
        calls.setContentsMargins(4, 4, 4, 4)
        calls.addWidget(self.calls, 1)
        review = QFrame(objectName="reviewBox")
        review.setFrameShape(QFrame.Shape.StyledPanel)
        box = QHBoxLayout(review)
        box.setContentsMargins(8, 4, 8, 4)
        box.addWidget(self.review_target)
        box.addWidget(self.review_comment, 1)
        box.addWidget(self.pass_button)
        box.addWidget(self.fail_button)
        calls.addWidget(review)
        self.calls_page = calls_page
        for page in (calls_page, self.escalations, self.messages, self.earlier, self.trail):
            self.tabs.addTab(page, "")

        bottom = QHBoxLayout()
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.reopen_box, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 8)
        layout.addWidget(head)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

    def _fitting_size(self) -> tuple[int, int]:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return DEFAULT_SIZE
        room = screen.availableGeometry()
        return min(DEFAULT_SIZE[0], room.width() - 40), min(DEFAULT_SIZE[1], room.height() - 60)

    # -- language -------------------------------------------------------------------------

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        self.reopen_box.retranslate()
        colon = "：" if self.lang == "zh" else ":"
        titles = {
            "phone": tr("Phone"), "name": tr("Name"), "source": tr("Source"),
            "reported": tr("Reported"), "arrived": tr("Arrived"), "deadline": tr("Time limit"),
            "district": tr("District"), "fraud_contact": tr("Fraud contact"),
            "amount": tr("Amount at risk"), "cards": tr("Bank cards"),
            "id_number": tr("ID number"), "feed_notes": tr("Feed notes"),
            "reveal_reason": tr("Reason to reveal"),
        }
        for key, text in titles.items():
            self._titles[key].setText(text + colon)
        self.reveal_cards.setText(tr("Reveal"))
        self.reveal_cards.setToolTip(tr("Show the whole card numbers (recorded with your reason)"))
        self.reveal_id.setText(tr("Reveal"))
        self.reveal_id.setToolTip(tr("Show the whole ID number (recorded with your reason)"))
        self.reveal_reason.setPlaceholderText(tr("Required, e.g. stop-payment request"))
        self.review_comment.setPlaceholderText(tr("Review comment (required for a fail)"))
        self.pass_button.setText(tr("Pass"))
        self.pass_button.setToolTip(tr("Mark the selected call as handled well"))
        self.fail_button.setText(tr("Fail"))
        self.fail_button.setToolTip(tr("Mark the selected call as not up to standard; say why"))
        self.calls.setHorizontalHeaderLabels([tr("Time"), tr("Officer"), tr("Outcome"),
                                              tr("Duration"), tr("Notes"), tr("Review")])
        self.escalations.setHeaderLabels([tr("Time"), tr("What"), tr("By"), tr("Note")])
        self.messages.setHorizontalHeaderLabels([tr("Sent"), tr("By"), tr("Via"), tr("Result"),
                                                 tr("Text")])
        self.earlier.setHorizontalHeaderLabels([tr("No."), tr("Arrived"), tr("Scam type"),
                                                tr("Level"), tr("Status"), tr("Last outcome")])
        self.trail.setHorizontalHeaderLabels([tr("Time"), tr("Actor"), tr("Action"),
                                              tr("Detail")])
        if self.history is not None:
            self._show(self.history, fresh=False)
        else:
            self._tab_titles()

    def _tab_titles(self) -> None:
        h = self.history
        counts = (0, 0, 0, 0, 0) if h is None else (
            len(h.detail.attempts), len(h.escalations), len(h.detail.messages),
            len(h.detail.history), len(self._trail))
        names = (tr("Calls"), tr("Escalations"), tr("SMS"), tr("Same number"), tr("Audit trail"))
        for i, (name, n) in enumerate(zip(names, counts, strict=True)):
            self.tabs.setTabText(i, f"{name} ({n})")

    # -- loading --------------------------------------------------------------------------

    def load(self, warning_id: int) -> None:
        """Fetch everything about the warning off the UI thread (the core records the view)."""
        self._generation += 1
        generation = self._generation
        self.warning_id = warning_id
        self._clear()
        self.setWindowTitle(tr("Warning %1: full history").replace("%1", str(warning_id)))
        self._say(tr("Loading warning %1...").replace("%1", str(warning_id)))
        source = self.source

        def done(history: WarningHistory) -> None:
            if generation == self._generation:
                self._say("")
                self._show(history)
                self.calls.setFocus()
                self.history_did_load.emit(history)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self._show_error(str(exc))

        self.runner.run(lambda: source.warning_history(warning_id), done, failed)

    def _clear(self) -> None:
        self.history = None
        self._reviews, self._trail, self._revealed = {}, [], {}
        self.title.setText("")
        self.badges.setText("")
        for value in self.values.values():
            value.setText("")
        for table in (self.calls, self.messages, self.earlier, self.trail):
            table.setRowCount(0)
        self.escalations.clear()
        self.review_comment.clear()
        self.reveal_reason.clear()
        for button in (self.reveal_cards, self.reveal_id, self.pass_button, self.fail_button):
            button.setEnabled(False)
        self.review_target.setText("")
        self._tab_titles()

    def _show(self, history: WarningHistory, *, fresh: bool = True) -> None:
        """Fill every part; `fresh` is a newly loaded history (else the language changed, and
        the reviews and audit rows added since loading are kept)."""
        keep_row = -1 if fresh else self.calls.currentRow()
        self.history = history
        if fresh:
            self._reviews = {}
            for r in history.reviews:
                self._reviews.setdefault(int(r.attempt_id), []).append(r)
            self._trail = sorted(history.trail, key=lambda e: e.id)
        self._show_header()
        self._show_calls()
        if fresh:
            self.reopen_box.show_for(history.detail.warning)
        if keep_row >= 0:
            self.calls.selectRow(keep_row)
        self._show_escalations()
        self._show_messages()
        self._show_earlier()
        self._show_trail()
        self._tab_titles()

    def _show_header(self) -> None:
        assert self.history is not None
        w = self.history.detail.warning
        lang, tz = self.lang, self.tz
        self.title.setText(tr("Warning %1").replace("%1", str(w.id)))
        level = codes.label(codes.LEVEL_LABELS, w.risk_level, lang)
        fg = style.LEVEL_FOREGROUND.get(w.risk_level)
        bg = style.LEVEL_BACKGROUND.get(w.risk_level)
        badges = [f'<span style="background:{bg.name() if bg else "#eee"};'
                  f'color:{fg.name() if fg else "#000"};font-weight:bold">&nbsp;{level}&nbsp;</span>',
                  f"<b>{codes.label(codes.SCAM_LABELS, w.scam_type, lang)}</b>",
                  codes.label(codes.STATUS_LABELS, w.status, lang)]
        if w.last_outcome:
            badges.append(codes.label(codes.OUTCOME_LABELS, w.last_outcome, lang))
        if w.repeat_victim:
            badges.append(f'<span style="color:#a34f00"><b>{tr("Repeat victim")}</b></span>')
        if w.claimed_by:
            badges.append(tr("held by %1").replace("%1", w.claimed_by))
        if w.synthetic:
            badges.append(f'<span style="color:#777">{tr("synthetic (demo)")}</span>')
        self.badges.setText(" &nbsp;·&nbsp; ".join(badges))
        # The lead opened the full history on purpose (and it is audited): phone and name whole.
        info = phones.describe(w.phone, lang)
        where = " ".join(x for x in (info.region, info.carrier) if x)
        self.values["phone"].setText(info.national + (f"  ({where})" if where else ""))
        self.values["name"].setText(w.name or "—")
        self.values["source"].setText(f"{w.source}  {w.external_id or ''}".strip())
        self.values["reported"].setText(
            timeutil.local_text(w.reported_at, tz, fmt="%Y-%m-%d %H:%M:%S") or "—")
        self.values["arrived"].setText(
            timeutil.local_text(w.arrived_at, tz, fmt="%Y-%m-%d %H:%M:%S"))
        self.values["deadline"].setText(self._deadline_text())
        self.values["district"].setText(w.district or "—")
        self.values["fraud_contact"].setText(w.fraud_contact or "—")
        self.values["amount"].setText(
            "—" if w.amount_at_risk is None else f"¥{w.amount_at_risk:,.2f}")
        self.values["feed_notes"].setText(w.notes or "—")
        self._show_sensitive("cards", list(w.cards), self.reveal_cards)
        self._show_sensitive("id_number", [w.id_number] if w.id_number else [], self.reveal_id)

    def _deadline_text(self) -> str:
        assert self.history is not None
        w, attempts = self.history.detail.warning, self.history.detail.attempts
        limit = timeutil.local_text(w.deadline, self.tz, fmt="%m-%d %H:%M")
        if attempts:
            first = attempts[0].recorded_at
            at = timeutil.local_text(first, self.tz, fmt="%H:%M")
            if first <= w.deadline:
                return tr("%1; first call %2, in time").replace("%1", limit).replace("%2", at)
            late = style.countdown(first - w.deadline, self.lang)
            return tr("%1; first call %2, %3 late").replace("%1", limit).replace(
                "%2", at).replace("%3", late)
        return limit

    def _show_sensitive(self, field: str, masked: list[str], button: QPushButton) -> None:
        label = self.values[field]
        whole = self._revealed.get(field)
        if whole is not None:
            shown = [_grouped(v) for v in whole] if field == "cards" else whole
            label.setText("、".join(shown) if self.lang == "zh" else ", ".join(shown))
            label.setStyleSheet(REVEALED_STYLE)
            label.setToolTip(tr("Revealed; the reveal is in the audit trail"))
            button.setEnabled(False)
            return
        label.setStyleSheet("")
        label.setToolTip("")
        label.setText(("、" if self.lang == "zh" else ", ").join(masked) if masked else "—")
        button.setEnabled(bool(masked))
        button.setVisible(bool(masked))

    def _show_calls(self) -> None:
        assert self.history is not None
        lang, tz = self.lang, self.tz
        attempts = self.history.detail.attempts
        self.calls.setRowCount(len(attempts))
        for row, a in enumerate(attempts):
            outcome = codes.label(codes.OUTCOME_LABELS, a.outcome, lang)
            if a.amount_lost:
                outcome += f"  ¥{a.amount_lost:,.0f}"
            if a.callback_at:
                outcome += "  " + tr("call back %1").replace(
                    "%1", timeutil.local_text(a.callback_at, tz, fmt="%m-%d %H:%M"))
            cells = [timeutil.local_text(a.recorded_at, tz, fmt="%m-%d %H:%M:%S"), a.officer,
                     outcome, _duration(a), a.notes]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 4 and text:
                    item.setToolTip(text)
                self.calls.setItem(row, col, item)
            self._show_mark(row, a)
        self.calls.resizeColumnsToContents()
        self.calls.setColumnWidth(2, min(220, self.calls.columnWidth(2)))
        self.calls.setColumnWidth(5, min(320, max(220, self.calls.columnWidth(5))))
        if attempts and self.calls.currentRow() < 0:
            self.calls.selectRow(len(attempts) - 1)  # the latest call: the one to review
        self._show_review_target()

    def _show_mark(self, row: int, a: Attempt) -> None:
        marks = self._reviews.get(int(a.id), [])
        item = QTableWidgetItem()
        if marks:
            last = marks[-1]
            verdict = tr("Pass") if last.verdict == "pass" else tr("Fail")
            text = f"{verdict} · {last.reviewer}"
            if last.comment:
                text += f"：{last.comment}" if self.lang == "zh" else f": {last.comment}"
            item.setText(text)
            item.setForeground(PASS_COLOUR if last.verdict == "pass" else FAIL_COLOUR)
            item.setToolTip("\n".join(
                f"{timeutil.local_text(r.reviewed_at, self.tz)} {r.reviewer} "
                f"{tr('Pass') if r.verdict == 'pass' else tr('Fail')} {r.comment}".strip()
                for r in marks))
        self.calls.setItem(row, 5, item)

    def _show_escalations(self) -> None:
        assert self.history is not None
        lang, tz = self.lang, self.tz
        self.escalations.clear()
        for ed in self.history.escalations:
            e = ed.escalation
            kind = codes.label(codes.ESCALATION_LABELS, e.kind, lang)
            what = f"#{e.id} {kind} · {state_text(e.status)}"
            note = e.reason
            extras = []
            if e.cards:
                extras.append("、".join(e.cards))
            if e.amount is not None:
                extras.append(f"¥{e.amount:,.2f}")
            if e.station:
                extras.append(e.station)
            if e.hold_until:
                extras.append(tr("hold until %1").replace(
                    "%1", timeutil.local_text(e.hold_until, tz, fmt="%m-%d %H:%M")))
            if extras:
                note = f"{note}  ({'; '.join(extras)})"
            top = QTreeWidgetItem([timeutil.local_text(e.proposed_at, tz, fmt="%m-%d %H:%M:%S"),
                                   what, e.proposed_by, note])
            font = top.font(1)
            font.setBold(True)
            top.setFont(1, font)
            for step in ed.steps:
                QTreeWidgetItem(top, [timeutil.local_text(step.at, tz, fmt="%m-%d %H:%M:%S"),
                                      state_text(step.status), step.actor, step.note or ""])
            for call in ed.calls:
                when = call.called_at if call.called_at is not None else call.due_at
                result = (tr("answered") if call.ok else tr("not answered")) \
                    if call.ok is not None else tr("due")
                QTreeWidgetItem(top, [timeutil.local_text(when, tz, fmt="%m-%d %H:%M:%S"),
                                      tr("Chase call %1").replace("%1", str(call.number)),
                                      "", f"{result} {call.result}".strip()])
            self.escalations.addTopLevelItem(top)
        self.escalations.expandAll()
        for col in range(3):
            self.escalations.resizeColumnToContents(col)

    def _show_messages(self) -> None:
        assert self.history is not None
        msgs = self.history.detail.messages
        self.messages.setRowCount(len(msgs))
        for row, m in enumerate(msgs):
            cells = [timeutil.local_text(m.sent_at, self.tz, fmt="%m-%d %H:%M:%S"), m.sent_by,
                     m.via, m.result, m.text]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(str(text))
                if col == 4:
                    item.setToolTip(str(text))
                self.messages.setItem(row, col, item)
        self.messages.resizeColumnsToContents()
        self.messages.setColumnWidth(4, min(520, self.messages.columnWidth(4)))

    def _show_earlier(self) -> None:
        assert self.history is not None
        lang = self.lang
        rows = self.history.detail.history
        self.earlier.setRowCount(len(rows))
        for row, h in enumerate(rows):
            cells = [str(h.warning_id), timeutil.local_text(h.arrived_at, self.tz),
                     codes.label(codes.SCAM_LABELS, h.scam_type, lang),
                     codes.label(codes.LEVEL_LABELS, h.risk_level, lang),
                     codes.label(codes.STATUS_LABELS, h.status, lang),
                     codes.label(codes.OUTCOME_LABELS, h.last_outcome, lang)
                     if h.last_outcome else ""]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, int(h.warning_id))
                self.earlier.setItem(row, col, item)
        self.earlier.resizeColumnsToContents()
        self.earlier.setToolTip(tr("Double-click to open that warning") if rows else "")

    def _show_trail(self) -> None:
        entries = self._trail[-TRAIL_MAX:]
        self.trail.setRowCount(len(entries))
        for row, e in enumerate(entries):
            cells = [timeutil.local_text(e.at, self.tz, fmt="%m-%d %H:%M:%S"), e.actor,
                     action_text(e.action), detail_text(e.action, e.detail, lang=self.lang,
                                                        tz=self.tz)]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 2:
                    item.setToolTip(e.action)
                self.trail.setItem(row, col, item)
        self.trail.resizeColumnsToContents()
        self.trail.setColumnWidth(3, min(600, self.trail.columnWidth(3)))
        if entries:
            self.trail.scrollToBottom()

    def _refresh_trail(self) -> None:
        """After a review or a reveal, fetch the new audit rows (not the history again: that
        would record another view)."""
        warning_id, generation, source = self.warning_id, self._generation, self.source
        if warning_id is None:
            return

        def done(entries: list[Entry]) -> None:
            if generation != self._generation:
                return
            known = {e.id for e in self._trail}
            self._trail += sorted((e for e in entries if e.id not in known), key=lambda e: e.id)
            self._show_trail()
            self._tab_titles()

        self.runner.run(lambda: source.audit_entries(entity="warning", entity_id=warning_id,
                                                     limit=50), done, lambda _exc: None)

    # -- reviewing a call -----------------------------------------------------------------

    def selected_attempt(self) -> Attempt | None:
        if self.history is None:
            return None
        row = self.calls.currentRow()
        attempts = self.history.detail.attempts
        return attempts[row] if 0 <= row < len(attempts) else None

    def _show_review_target(self) -> None:
        a = self.selected_attempt()
        own = a is not None and a.officer == self.source.user
        for button in (self.pass_button, self.fail_button):
            button.setEnabled(a is not None and not own)
        self.review_comment.setEnabled(a is not None and not own)
        if a is None:
            self.review_target.setText(tr("Select a call to review it."))
            return
        n = list(self.history.detail.attempts).index(a) + 1 if self.history else 0
        text = tr("Review call %1 (%2, %3):").replace("%1", str(n)).replace(
            "%2", a.officer).replace("%3", codes.label(codes.OUTCOME_LABELS, a.outcome, self.lang))
        if own:
            text = tr("Call %1 is your own: another lead reviews it.").replace("%1", str(n))
        self.review_target.setText(text)

    def review_selected(self, verdict: str) -> None:
        """Mark the selected call pass or fail (a fail needs a comment); audited by the core."""
        a = self.selected_attempt()
        if a is None:
            self._show_error(tr("Select a call to review it."))
            return
        comment = self.review_comment.text().strip()
        if verdict == "fail" and not comment:
            self._show_error(tr("A fail needs a comment saying what was wrong."))
            self.review_comment.setFocus()
            return
        attempt_id, generation, source = int(a.id), self._generation, self.source
        for button in (self.pass_button, self.fail_button):
            button.setEnabled(False)
        self._say(tr("Recording the review..."))

        def done(review: Review) -> None:
            if generation == self._generation:
                self._reviews.setdefault(attempt_id, []).append(review)
                if self.history is not None:
                    row = [int(x.id) for x in self.history.detail.attempts].index(attempt_id)
                    self._show_mark(row, a)
                self.review_comment.clear()
                verdict_text = tr("Pass") if review.verdict == "pass" else tr("Fail")
                self._say(tr("Review recorded: %1.").replace("%1", verdict_text))
                self._show_review_target()
                self._refresh_trail()
            self.review_did_record.emit(review)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self._show_error(tr("Review not recorded: %1").replace("%1", str(exc)))
                self._show_review_target()

        self.runner.run(lambda: source.review_attempt(attempt_id, verdict=verdict,
                                                      comment=comment), done, failed)

    # -- revealing a masked field ---------------------------------------------------------

    def reveal(self, field: str) -> None:
        """Show the whole cards or ID number once the lead gives a reason (audited)."""
        if self.warning_id is None or self.history is None:
            return
        reason = self.reveal_reason.text().strip()
        if not reason:
            self._show_error(tr("Give a reason to reveal it: the reason is recorded."))
            self.reveal_reason.setFocus()
            return
        warning_id, generation, source = self.warning_id, self._generation, self.source
        button = self.reveal_cards if field == "cards" else self.reveal_id
        button.setEnabled(False)

        def done(values: list[str]) -> None:
            if generation != self._generation:
                return
            self._revealed[field] = list(values)
            self._show_header()
            self._say(tr("Revealed; your reason is in the audit trail."))
            self._refresh_trail()
            self.reveal_did_show.emit(field, list(values))

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                button.setEnabled(True)
                self._show_error(tr("Not revealed: %1").replace("%1", str(exc)))

        self.runner.run(lambda: source.reveal(warning_id, field=field, reason=reason), done,
                        failed)

    def _open_earlier(self, item: QTableWidgetItem) -> None:
        warning_id = item.data(Qt.ItemDataRole.UserRole)
        if warning_id is not None:
            self.load(int(warning_id))

    # -- messages -------------------------------------------------------------------------

    def _reopened(self, warning: Any) -> None:
        self._say(tr("Warning %1 is open again and back in the queue.")
                  .replace("%1", str(warning.id)))
        if self.warning_id is not None:
            self.load(self.warning_id)

    def _say(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)
        self.message_did_change.emit(text)

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
        self.message_did_change.emit(text)


def _grouped(card: str) -> str:
    """A whole card number in fours, as it is read out to a bank."""
    digits = "".join(ch for ch in card if ch.isdigit())
    return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4)) or card


def _button(name: str) -> QPushButton:
    button = QPushButton(objectName=name)
    button.setAutoDefault(False)
    return button


def _table(name: str, columns: int) -> QTableWidget:
    table = QTableWidget(0, columns, objectName=name)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    return table
