"""The claimed warning in full: number, region, scam, deadline, cards (masked), history."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import codes, phones, timeutil
from dissuade.domain.models import WarningDetail
from ui.common import style


def tr(text: str) -> str:
    return QCoreApplication.translate("WarningDetail", text)


class WarningDetailView(QFrame):
    """Shows one warning; empty when the officer holds none. Cards and the ID number are masked
    until the officer asks to see them whole (`reveal_requested`), which is audited."""

    reveal_requested = Signal(str)  # "cards" or "id_number"

    def __init__(self, *, tz: str, lang: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("warningDetail")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._tz = tz
        self.lang = lang
        self.detail: WarningDetail | None = None

        self.phone = QLabel(objectName="detailPhone")
        self.phone.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = style.app_font(18)
        big.setBold(True)
        self.phone.setFont(big)
        self.copy_button = QPushButton(objectName="copyPhoneButton")
        self.copy_button.clicked.connect(self._copy_phone)
        self.region = QLabel(objectName="detailRegion")
        self.empty = QLabel(objectName="detailEmpty", alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        self.labels: dict[str, QLabel] = {}
        # A grid, not a QFormLayout: long values (feed notes) must wrap onto more lines.
        self.form = QGridLayout()
        self.form.setColumnStretch(1, 1)
        self.form.setHorizontalSpacing(8)
        self._form_keys = ["name", "scam_type", "level", "deadline", "source", "reported",
                           "district", "fraud_contact", "amount", "cards", "id_number",
                           "feed_notes", "problems"]
        self._form_titles: dict[str, QLabel] = {}
        for row, key in enumerate(self._form_keys):
            value = QLabel(objectName=f"detail_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            title = QLabel(alignment=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.labels[key] = value
            self._form_titles[key] = title
            self.form.addWidget(title, row, 0)
            self.form.addWidget(value, row, 1)
        self.reveal_buttons: dict[str, QPushButton] = {}
        self.revealed: dict[str, list[str]] = {}
        for field, name in (("cards", "revealCardsButton"), ("id_number", "revealIdButton")):
            button = QPushButton(objectName=name)
            button.setFlat(True)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _=False, f=field: self.reveal_requested.emit(f))
            self.reveal_buttons[field] = button
            self.form.addWidget(button, self._form_keys.index(field), 2,
                                Qt.AlignmentFlag.AlignTop)

        self.attempts_title = QLabel(objectName="attemptsTitle")
        self.attempts = _small_table("attemptsTable", 4)
        self.history_title = QLabel(objectName="historyTitle")
        self.history = _small_table("historyTable", 4)
        # SMS warnings sent to the person: an officer's, and the hub's SMS at arrival.
        self.messages_title = QLabel(objectName="messagesTitle")
        self.messages = _small_table("messagesTable", 3)
        # One victim, one case: the person's other open warnings, every feed's facts; a tick
        # settles one with the outcome (each gets its own record), no tick gives it back.
        self.linked_title = QLabel(objectName="linkedTitle")
        self.linked_title.setWordWrap(True)
        self.linked = _small_table("linkedTable", 6)

        top = QHBoxLayout()
        top.addWidget(self.phone)
        top.addWidget(self.copy_button)
        top.addStretch(1)
        self.phone_row = top  # the workbench puts its dial button here
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(top)
        body.addWidget(self.region)
        body.addLayout(self.form)
        body.addWidget(self.linked_title)
        body.addWidget(self.linked)
        body.addWidget(self.attempts_title)
        body.addWidget(self.attempts)
        body.addWidget(self.messages_title)
        body.addWidget(self.messages)
        body.addWidget(self.history_title)
        body.addWidget(self.history)
        body.addStretch(1)
        scroll = QScrollArea(objectName="detailScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        self.scroll_area = scroll
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(scroll)
        self.retranslate()
        self.show_detail(None)

    def set_tz(self, tz: str) -> None:
        """The centre's zone changed: the open warning's times are shown in the new one."""
        self._tz = tz
        if self.detail is not None:
            self.show_detail(self.detail)

    def retranslate(self) -> None:
        titles = {
            "name": tr("Name"), "scam_type": tr("Scam type"), "level": tr("Level"),
            "deadline": tr("Time limit"), "source": tr("Source"), "reported": tr("Reported"),
            "district": tr("District"), "fraud_contact": tr("Fraud contact"),
            "amount": tr("Amount at risk"), "cards": tr("Bank cards"),
            "id_number": tr("ID number"), "feed_notes": tr("Feed notes"),
            "problems": tr("Feed problems"),
        }
        for key, title in titles.items():
            self._form_titles[key].setText(title + "：" if self.lang == "zh" else title + ":")
        self.copy_button.setText(tr("Copy number"))
        for button in self.reveal_buttons.values():
            button.setText(tr("Show in full"))
            button.setToolTip(tr("Shows the whole number; recorded in the audit with your reason"))
        self.empty.setText(tr("No warning open. Press F2 for the next most urgent warning."))
        self.attempts_title.setText(tr("Calls on this warning"))
        self.attempts.setHorizontalHeaderLabels(
            [tr("Time"), tr("Officer"), tr("Outcome"), tr("Notes")])
        self.messages_title.setText(tr("SMS sent"))
        self.messages.setHorizontalHeaderLabels([tr("Time"), tr("Sent by"), tr("Result")])
        self.history_title.setText(tr("Earlier warnings on this number"))
        self.history.setHorizontalHeaderLabels(
            [tr("Arrived"), tr("Scam type"), tr("Status"), tr("Outcome")])
        self.linked.setHorizontalHeaderLabels(
            [tr("Settle"), tr("No."), tr("Source"), tr("Scam type"), tr("Fraud contact"),
             tr("Feed notes")])
        if self.detail is not None:
            self.show_detail(self.detail)

    def show_detail(self, detail: WarningDetail | None) -> None:
        another = detail is None or self.detail is None or detail.warning.id != self.detail.warning.id
        if another:
            self.revealed = {}
        self.detail = detail
        self.empty.setVisible(detail is None)
        self.scroll_area.setVisible(detail is not None)
        if detail is None:
            return
        w = detail.warning
        lang = self.lang
        info = phones.describe(w.phone, lang)
        self.phone.setText(info.national)
        extension = tr("ext. %1").replace("%1", w.phone_extension) if w.phone_extension else ""
        self.region.setText("  ".join(x for x in (extension, info.region, info.carrier) if x))
        level = codes.label(codes.LEVEL_LABELS, w.risk_level, lang)
        colour = style.LEVEL_FOREGROUND.get(w.risk_level)
        self.labels["level"].setText(
            f'<b style="color:{colour.name() if colour else "black"}">{level}</b>')
        self.labels["name"].setText(w.name or "—")
        self.labels["scam_type"].setText(codes.label(codes.SCAM_LABELS, w.scam_type, lang))
        self.labels["source"].setText(f"{w.source}  {w.external_id or ''}")
        reported = timeutil.local_text(w.reported_at, self._tz, fmt="%Y-%m-%d %H:%M:%S")
        arrived = timeutil.local_text(w.arrived_at, self._tz, fmt="%Y-%m-%d %H:%M:%S")
        self.labels["reported"].setText(
            f"{reported or arrived}" + (f"  ({tr('arrived')} {arrived})" if reported else ""))
        self.labels["district"].setText(w.district or "—")
        self.labels["fraud_contact"].setText(w.fraud_contact or "—")
        self.labels["amount"].setText(
            "—" if w.amount_at_risk is None else f"¥{w.amount_at_risk:,.2f}")
        self.labels["cards"].setText("\n".join(self.revealed.get("cards") or w.masked_cards)
                                     or "—")
        self.labels["id_number"].setText(
            (self.revealed.get("id_number") or [w.id_number])[0] or "—")
        for field, button in self.reveal_buttons.items():
            has = bool(w.cards) if field == "cards" else bool(w.id_number)
            button.setVisible(has and field not in self.revealed)
        self.labels["feed_notes"].setText(w.notes or "—")
        problems = "\n".join(f"{p.get('field', '')}: {p.get('message', '')}" for p in w.problems)
        self.labels["problems"].setText(problems)
        self.labels["problems"].setVisible(bool(problems))
        self._form_titles["problems"].setVisible(bool(problems))
        self._show_linked(detail)
        self.tick()
        _fill(self.attempts, [
            [timeutil.local_text(a.recorded_at, self._tz, fmt="%m-%d %H:%M"), a.officer,
             codes.label(codes.OUTCOME_LABELS, a.outcome, lang), a.notes]
            for a in detail.attempts])
        self.attempts_title.setVisible(bool(detail.attempts))
        _fill(self.messages, [
            [timeutil.local_text(m.sent_at, self._tz, fmt="%m-%d %H:%M"),
             tr("on arrival (automatic)") if m.sent_by == ARRIVAL_SENDER else m.sent_by,
             m.result] for m in detail.messages])
        self.messages_title.setVisible(bool(detail.messages))
        _fill(self.history, [
            [timeutil.local_text(h.arrived_at, self._tz),
             codes.label(codes.SCAM_LABELS, h.scam_type, lang),
             codes.label(codes.STATUS_LABELS, h.status, lang),
             codes.label(codes.OUTCOME_LABELS, h.last_outcome, lang) if h.last_outcome else ""]
            for h in detail.history])
        self.history_title.setVisible(bool(detail.history))
        if another:
            self.to_top()

    def to_top(self) -> None:
        """Each warning opens at the top, its number and name in sight, however far the last
        one was scrolled (now, and again once the new rows have been laid out)."""
        bar = self.scroll_area.verticalScrollBar()
        bar.setValue(0)
        QTimer.singleShot(0, bar, lambda: bar.setValue(0))

    def _show_linked(self, detail: WarningDetail) -> None:
        lang, me = self.lang, detail.warning.claimed_by
        self.linked.setRowCount(len(detail.linked))
        for row, w in enumerate(detail.linked):
            settle = QTableWidgetItem()
            if w.status == "claimed" and w.claimed_by == me:
                settle.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                settle.setCheckState(Qt.CheckState.Checked)
            else:  # under escalation, or not held with this claim: shown, not settled here
                settle.setFlags(Qt.ItemFlag.ItemIsEnabled)
                settle.setText(codes.label(codes.STATUS_LABELS, w.status, lang))
            settle.setData(Qt.ItemDataRole.UserRole, int(w.id))
            self.linked.setItem(row, 0, settle)
            cards = "  ".join(w.masked_cards)
            amount = "" if w.amount_at_risk is None else f"¥{w.amount_at_risk:,.0f}"
            for col, text in enumerate((str(w.id), f"{w.source} {w.external_id or ''}",
                                        codes.label(codes.SCAM_LABELS, w.scam_type, lang),
                                        "  ".join(x for x in (w.fraud_contact, amount, cards) if x),
                                        w.notes), start=1):
                self.linked.setItem(row, col, QTableWidgetItem(text))
        self.linked.setVisible(bool(detail.linked))
        header = self.linked.horizontalHeader().height()
        rows = sum(self.linked.rowHeight(r) for r in range(self.linked.rowCount()))
        scrollbar = self.linked.horizontalScrollBar().sizeHint().height()
        self.linked.setFixedHeight(min(150, header + rows + scrollbar + 4))
        self.linked_title.setVisible(bool(detail.linked))
        self.linked_title.setText(tr("Same person: %1 more open warning(s). Ticked ones are "
                                     "settled with this outcome.").replace(
                                         "%1", str(len(detail.linked))))
        self.linked.resizeColumnsToContents()

    def settles(self) -> list[int]:
        """The open warning and the linked ones ticked: what an outcome now settles."""
        if self.detail is None:
            return []
        ids = [int(self.detail.warning.id)]
        for row in range(self.linked.rowCount()):
            item = self.linked.item(row, 0)
            if item is not None and item.flags() & Qt.ItemFlag.ItemIsUserCheckable \
                    and item.checkState() == Qt.CheckState.Checked:
                ids.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return ids

    def person_cards(self) -> tuple[str, ...]:
        """Every card (masked) of the person's open warnings, once each."""
        if self.detail is None:
            return ()
        return tuple(dict.fromkeys(c for w in (self.detail.warning, *self.detail.linked)
                                   for c in w.masked_cards))

    def show_revealed(self, field: str, values: list[str]) -> None:
        """The whole values of a masked field, shown until another warning is opened."""
        self.revealed[field] = list(values)
        if self.detail is not None:
            self.show_detail(self.detail)

    def tick(self) -> None:
        if self.detail is None:
            return
        w = self.detail.warning
        limit = timeutil.local_text(w.deadline, self._tz, fmt="%H:%M:%S")
        if self.detail.attempts:
            first = self.detail.attempts[0].recorded_at
            text = (tr("First call %1, within the limit %2") if first <= w.deadline
                    else tr("First call %1, after the limit %2"))
            self.labels["deadline"].setText(text.replace(
                "%1", timeutil.local_text(first, self._tz, fmt="%H:%M:%S")).replace("%2", limit))
            return
        left = w.deadline - time.time()
        if left >= 0:
            text = tr("%1 left (by %2)").replace("%1", style.countdown(left, self.lang)).replace("%2", limit)
            self.labels["deadline"].setText(text)
        else:
            text = tr("Overdue by %1 (limit %2)").replace(
                "%1", style.countdown(left, self.lang)).replace("%2", limit)
            self.labels["deadline"].setText(f'<b style="color:{style.OVERDUE.name()}">{text}</b>')

    def _copy_phone(self) -> None:
        if self.detail is not None:
            national = phones.describe(self.detail.warning.phone).national
            QGuiApplication.clipboard().setText(national.replace(" ", ""))


ARRIVAL_SENDER = "sms@arrival"  # who the hub's SMS at arrival is sent by (dissuade/store/arrival_sms.py)


def _small_table(name: str, columns: int) -> QTableWidget:
    table = QTableWidget(0, columns, objectName=name)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setMaximumHeight(120)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setVisible(bool(rows))
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for col, text in enumerate(cells):
            table.setItem(row, col, QTableWidgetItem(text))
    table.resizeColumnsToContents()
