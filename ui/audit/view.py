"""The audit browser for leads and admins: who did or saw what, when; and the chain's check."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QGuiApplication, QIntValidator, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain.codes import AUDIT_PROBLEMS
from dissuade.domain.models import Verdict
from dissuade.sources import Source
from ui.audit.model import COL, AuditModel, action_filters, entity_labels
from ui.common.ops import Runner
from ui.common.period import PeriodPicker
from ui.common.policy import PolicySnapshot, own_snapshot

ENTITIES = ("warning", "escalation", "user", "policy", "rehearsal")
HEAD_CHARS = 16  # as `dissuade audit verify` prints the head
OK_STYLE = "color: #1b5e20; font-weight: bold;"
ERROR_STYLE = "color: #b00020; font-weight: bold;"


def tr(text: str) -> str:
    return QCoreApplication.translate("Audit", text)


class AuditView(QWidget):
    """Audit rows newest first, filtered by period, actor, action, record; 200 more load when
    the list is scrolled to its end. 校验审计链 walks the whole hash chain."""

    entries_did_load = Signal(int)  # how many rows are loaded now
    verify_did_finish = Signal(object)  # Verdict

    def __init__(self, source: Source, runner: Runner, *, policy: PolicySnapshot | None = None,
                 lang: str = "zh", clock: Callable[[], float] = time.time,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditView")
        self.source = source
        self.runner = runner
        self.policy = policy if policy is not None else own_snapshot(source, runner, self)
        self._waiting_policy = False
        self.lang = lang
        self.verdict: Verdict | None = None

        self.period = PeriodPicker("audit", clock=clock, default="all")
        self.actor = QComboBox(objectName="auditActor")
        self.actor.setEditable(True)
        self.actor.addItem("")
        self.actor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.actor.setMinimumContentsLength(10)
        self.actor.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.action = QComboBox(objectName="auditAction")
        self.action.setEditable(True)
        self.action.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.action.setMinimumContentsLength(12)
        self.action.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.entity = QComboBox(objectName="auditEntity")
        self.entity_id = QLineEdit(objectName="auditEntityId")
        self.entity_id.setValidator(QIntValidator(1, 2_000_000_000, self))
        self.entity_id.setMaximumWidth(110)
        self.entity_id.setClearButtonEnabled(True)
        self.search_button = QPushButton(objectName="auditSearchButton")
        self.search_button.setProperty("kind", "good")
        self.verify_button = QPushButton(objectName="verifyAuditButton")
        self.verdict_label = QLabel(objectName="auditVerdict")
        self.verdict_label.setWordWrap(True)
        self.verdict_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_head = QPushButton(objectName="copyHeadButton")
        self.copy_head.setVisible(False)
        self.count = QLabel(objectName="auditCount")
        bold = self.count.font()
        bold.setBold(True)
        self.count.setFont(bold)
        self.message = QLabel(objectName="auditMessage")
        self.message.setWordWrap(True)
        self._titles = {key: QLabel() for key in ("period", "actor", "action", "entity")}

        self.model = AuditModel(source, runner, lang=lang, parent=self)
        self.table = QTableView(objectName="auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        for key, width in (("id", 64), ("at", 150), ("actor", 110), ("action", 150),
                           ("entity", 100), ("detail", 420), ("hash", 120)):
            self.table.setColumnWidth(COL[key], width)
        header.setSectionResizeMode(COL["detail"], QHeaderView.ResizeMode.Stretch)

        self._layout()
        self._shown = False
        self._connect()
        self._apply_policy()
        self.policy.policy_did_change.connect(lambda _p: self._apply_policy())
        self.policy.did_load.connect(self._policy_loaded)
        self.retranslate()

    def _layout(self) -> None:
        bar = QFrame(objectName="auditFilters")
        bar.setFrameShape(QFrame.Shape.StyledPanel)
        rows = QVBoxLayout(bar)
        rows.setContentsMargins(8, 6, 8, 6)
        rows.setSpacing(6)
        first = QHBoxLayout()
        first.addWidget(self._titles["period"])
        first.addWidget(self.period)
        first.addSpacing(12)
        first.addWidget(self._titles["actor"])
        first.addWidget(self.actor)
        first.addSpacing(8)
        first.addWidget(self._titles["action"])
        first.addWidget(self.action)
        first.addSpacing(8)
        first.addWidget(self._titles["entity"])
        first.addWidget(self.entity)
        first.addWidget(self.entity_id)
        first.addStretch(1)
        first.addWidget(self.search_button)
        second = QHBoxLayout()
        second.addWidget(self.verify_button)
        second.addWidget(self.verdict_label, 1)
        second.addWidget(self.copy_head)
        rows.addLayout(first)
        rows.addLayout(second)
        results = QHBoxLayout()
        results.addWidget(self.count)
        results.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(bar)
        layout.addLayout(results)
        layout.addWidget(self.table, 1)

    def _connect(self) -> None:
        self.search_button.clicked.connect(self.refresh)
        self.verify_button.clicked.connect(self.verify)
        self.copy_head.clicked.connect(self._copy_head)
        self.period.period_did_change.connect(self.refresh)
        for combo in (self.actor, self.action, self.entity):
            combo.activated.connect(lambda _i: self.refresh())
        for combo in (self.actor, self.action):
            line = combo.lineEdit()
            if line is not None:
                line.returnPressed.connect(self.refresh)
        self.entity_id.returnPressed.connect(self.refresh)
        self.model.entries_did_load.connect(self._loaded)
        self.model.load_did_fail.connect(self._show_error)

    def showEvent(self, event: QShowEvent) -> None:
        """The first time the tab is shown, it loads (later, the lead searches)."""
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            self.refresh()

    # -- language -------------------------------------------------------------------------

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.model.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        colon = "：" if self.lang == "zh" else ":"
        for key, text in (("period", tr("Period")), ("actor", tr("Actor")),
                          ("action", tr("Action")), ("entity", tr("Record"))):
            self._titles[key].setText(text + colon)
        self.period.retranslate()
        line = self.actor.lineEdit()
        if line is not None:
            line.setPlaceholderText(tr("Anyone"))
        chosen = self.action_filter()
        self.action.blockSignals(True)
        self.action.clear()
        for text, prefix in action_filters():
            self.action.addItem(text, prefix)
            self.action.setItemData(self.action.count() - 1, prefix or tr("every action"),
                                    Qt.ItemDataRole.ToolTipRole)
        found = self.action.findData(chosen or "")
        if found >= 0:
            self.action.setCurrentIndex(found)
        else:
            self.action.setEditText(chosen or "")
        self.action.blockSignals(False)
        self.action.setToolTip(tr("Pick one, or type an action code such as warning.reveal; "
                                  "\"escalation\" finds every escalation step"))
        entity = self.entity.currentData()
        self.entity.blockSignals(True)
        self.entity.clear()
        self.entity.addItem(tr("Any record"), None)
        for key in ENTITIES:
            self.entity.addItem(entity_labels()[key], key)
        self.entity.setCurrentIndex(max(0, self.entity.findData(entity)) if entity else 0)
        self.entity.blockSignals(False)
        self.entity_id.setPlaceholderText(tr("No."))
        self.search_button.setText(tr("Search"))
        self.verify_button.setText(tr("Verify audit chain"))
        self.verify_button.setToolTip(tr("Walk every audit row: an edited, removed or inserted "
                                         "row is named"))
        self.copy_head.setText(tr("Copy head"))
        self.copy_head.setToolTip(tr("Copy the chain's head (id:hash) for the shift handover"))
        self.model.relabel()
        self._show_count()
        if self.verdict is not None:
            self._show_verdict(self.verdict)

    # -- querying -------------------------------------------------------------------------

    def action_filter(self) -> str | None:
        """The chosen action prefix, or what the lead typed (an action code)."""
        text = self.action.currentText().strip()
        index = self.action.findText(text)
        if index >= 0:
            return str(self.action.itemData(index) or "") or None
        return text or None

    def filters(self) -> dict[str, Any]:
        start, end = self.period.bounds()
        entity_id = self.entity_id.text().strip()
        found = {"start": start, "end": end, "actor": self.actor.currentText().strip() or None,
                 "action": self.action_filter(), "entity": self.entity.currentData(),
                 "entity_id": int(entity_id) if entity_id.isdigit() else None}
        return {k: v for k, v in found.items() if v is not None}

    def refresh(self) -> None:
        """Load the newest page for the filters, off the UI thread (once the policy is in)."""
        self._say(tr("Loading..."))
        if not self.policy.loaded:
            self._waiting_policy = True
            return
        self.model.load(self.filters())

    def _apply_policy(self) -> None:
        """The shift hours and the centre's zone, as the policy snapshot holds them."""
        policy = self.policy.policy
        self.period.set_policy(policy)
        self.model.tz = policy.timezone
        self.model.relabel()

    def _policy_loaded(self) -> None:
        if self._waiting_policy:
            self._waiting_policy = False
            self.refresh()

    def _loaded(self, count: int) -> None:
        self._say("" if count else tr("No audit row matches."))
        self._show_count()
        known = {self.actor.itemText(i) for i in range(self.actor.count())}
        for actor in self.model.actors():
            if actor not in known:
                self.actor.addItem(actor)
        self.entries_did_load.emit(count)

    def _show_count(self) -> None:
        n = self.model.rowCount()
        text = tr("%1 rows shown").replace("%1", f"{n:,}")
        if not self.model.exhausted:
            text += " " + tr("(scroll down for older rows)")
        self.count.setText(text)

    # -- the chain ------------------------------------------------------------------------

    def verify(self) -> None:
        """Walk the whole chain off the UI thread and say whether it is intact."""
        self.verify_button.setEnabled(False)
        self.copy_head.setVisible(False)
        self.verdict_label.setStyleSheet("")
        self.verdict_label.setText(tr("Verifying the audit chain..."))
        source = self.source

        def done(verdict: Verdict) -> None:
            self.verify_button.setEnabled(True)
            self.verdict = verdict
            self._show_verdict(verdict)
            self.verify_did_finish.emit(verdict)

        def failed(exc: Exception) -> None:
            self.verify_button.setEnabled(True)
            self.verdict_label.setStyleSheet(ERROR_STYLE)
            self.verdict_label.setText(tr("Could not verify: %1").replace("%1", str(exc)))

        self.runner.run(source.verify_audit, done, failed)

    def head_text(self) -> str:
        v = self.verdict
        return "" if v is None else f"{v.head_id}:{v.head_hash[:HEAD_CHARS]}"

    def _show_verdict(self, v: Verdict) -> None:
        if v.ok:
            self.verdict_label.setStyleSheet(OK_STYLE)
            self.verdict_label.setText(
                tr("Intact: %1 rows checked; head %2").replace("%1", f"{v.rows:,}")
                .replace("%2", self.head_text()))
            self.copy_head.setVisible(True)
            return
        known = AUDIT_PROBLEMS.get(v.code)
        problem = (known[0] if self.lang == "zh" else known[1]) if known else v.problem
        self.verdict_label.setStyleSheet(ERROR_STYLE)
        self.verdict_label.setText(
            tr("TAMPERED at row %1: %2 (%3 rows before it are intact)")
            .replace("%1", str(v.broken_at)).replace("%2", problem)
            .replace("%3", f"{v.rows:,}"))
        self.copy_head.setVisible(False)

    def _copy_head(self) -> None:
        QGuiApplication.clipboard().setText(self.head_text())
        self._say(tr("Head %1 copied.").replace("%1", self.head_text()))

    # -- messages -------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
