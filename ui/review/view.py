"""The shift lead's review: find warnings by shift, officer, outcome, type and level; open one."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeyEvent, QShowEvent
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

from dissuade.domain import codes
from dissuade.domain.codes import LEVELS, Outcome, ScamType, Status
from dissuade.domain.models import Review
from dissuade.sources import Source
from ui.common.ops import Runner
from ui.common.period import PeriodPicker
from ui.common.policy import PolicySnapshot, own_snapshot
from ui.review.history_dialog import HistoryDialog
from ui.review.model import COL, ReviewModel

ERROR_STYLE = "color: #b00020; font-weight: bold;"


def tr(text: str) -> str:
    return QCoreApplication.translate("Review", text)


def _choice_combo(name: str) -> QComboBox:
    combo = QComboBox(objectName=name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def _fill_codes(combo: QComboBox, items: list[tuple[str, str | None]]) -> None:
    """(label, code) items, keeping the chosen code across a relabel."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, code in items:
        combo.addItem(text, code)
    combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
    combo.blockSignals(False)


class ReviewView(QWidget):
    """A lead's list of warnings by period, officer, outcome, type, level and status; any
    warning's full history opens from it (double-click, Enter or the button)."""

    results_did_load = Signal(int)  # how many match
    review_did_record = Signal(object)  # Review
    history_did_open = Signal(int)  # the warning id

    def __init__(self, source: Source, runner: Runner, *, policy: PolicySnapshot | None = None,
                 lang: str = "zh", clock: Callable[[], float] = time.time,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewView")
        self.source = source
        self.runner = runner
        self.policy = policy if policy is not None else own_snapshot(source, runner, self)
        self._waiting_policy = False
        self.lang = lang
        self._clock = clock
        self.history_dialog: HistoryDialog | None = None

        self.period = PeriodPicker("review", clock=clock)
        self.officer = QComboBox(objectName="reviewOfficer")
        self.officer.setEditable(True)
        self.officer.addItem("")
        self.officer.setMinimumContentsLength(10)
        self.officer.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.officer.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.outcome = _choice_combo("reviewOutcome")
        self.scam_type = _choice_combo("reviewScamType")
        self.level = _choice_combo("reviewLevel")
        self.status = _choice_combo("reviewStatus")
        self.search = QLineEdit(objectName="reviewSearch")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.search_button = QPushButton(objectName="reviewSearchButton")
        self.search_button.setProperty("kind", "good")
        self.clear_button = QPushButton(objectName="reviewClearButton")
        self.open_button = QPushButton(objectName="openHistoryButton")
        self.open_button.setEnabled(False)
        self.count = QLabel(objectName="reviewCount")
        bold = self.count.font()
        bold.setBold(True)
        self.count.setFont(bold)
        self.message = QLabel(objectName="reviewMessage")
        self.message.setWordWrap(True)
        self._titles: dict[str, QLabel] = {key: QLabel() for key in (
            "period", "officer", "outcome", "scam_type", "level", "status", "search")}

        self.model = ReviewModel(source, runner, lang=lang, parent=self)
        self.table = QTableView(objectName="reviewTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        for key, width in (("id", 70), ("arrived", 96), ("level", 56), ("scam_type", 150),
                           ("phone", 124), ("name", 70), ("status", 78), ("outcome", 150),
                           ("attempts", 70), ("officer", 120), ("review", 80)):
            self.table.setColumnWidth(COL[key], width)
        for key in ("scam_type", "outcome"):
            header.setSectionResizeMode(COL[key], QHeaderView.ResizeMode.Stretch)

        self._layout()
        self._officers_known = False
        self._shown = False
        self._connect()
        self._apply_policy()
        self.policy.policy_did_change.connect(lambda _p: self._apply_policy())
        self.policy.did_load.connect(self._policy_loaded)
        self.retranslate()

    # -- building -------------------------------------------------------------------------

    def _layout(self) -> None:
        bar = QFrame(objectName="reviewFilters")
        bar.setFrameShape(QFrame.Shape.StyledPanel)
        rows = QVBoxLayout(bar)
        rows.setContentsMargins(8, 6, 8, 6)
        rows.setSpacing(6)
        first = QHBoxLayout()
        first.addWidget(self._titles["period"])
        first.addWidget(self.period)
        first.addSpacing(16)
        first.addWidget(self._titles["search"])
        first.addWidget(self.search, 1)
        first.addWidget(self.search_button)
        first.addWidget(self.clear_button)
        second = QHBoxLayout()
        for key, widget in (("officer", self.officer), ("outcome", self.outcome),
                            ("scam_type", self.scam_type), ("level", self.level),
                            ("status", self.status)):
            second.addWidget(self._titles[key])
            second.addWidget(widget)
            second.addSpacing(10)
        second.addStretch(1)
        rows.addLayout(first)
        rows.addLayout(second)

        results = QHBoxLayout()
        results.addWidget(self.count)
        results.addWidget(self.message, 1)
        results.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(bar)
        layout.addLayout(results)
        layout.addWidget(self.table, 1)

    def _connect(self) -> None:
        self.search_button.clicked.connect(self.refresh)
        self.clear_button.clicked.connect(self.clear_filters)
        self.search.returnPressed.connect(self.refresh)
        self.open_button.clicked.connect(self.open_selected)
        self.period.period_did_change.connect(self.refresh)
        for combo in (self.outcome, self.scam_type, self.level, self.status, self.officer):
            combo.activated.connect(lambda _i: self.refresh())
        line = self.officer.lineEdit()
        if line is not None:
            line.returnPressed.connect(self.refresh)
        self.table.doubleClicked.connect(self._open_index)
        self.table.installEventFilter(self)  # Enter on a row opens it
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.open_button.setEnabled(self._selected_id() is not None))
        self.model.results_did_load.connect(self._loaded)
        self.model.page_did_load.connect(lambda _n: self._add_officers())
        self.model.load_did_fail.connect(self._show_error)
        self.model.modelReset.connect(lambda: self.open_button.setEnabled(False))

    def showEvent(self, event: QShowEvent) -> None:
        """The first time the tab is shown, it loads (later, the lead searches)."""
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            self.open_selected()
            return True
        return super().eventFilter(watched, event)

    # -- language -------------------------------------------------------------------------

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.model.lang = lang
        if self.history_dialog is not None:
            self.history_dialog.set_lang(lang)
        self.retranslate()

    def retranslate(self) -> None:
        lang = self.lang
        colon = "：" if lang == "zh" else ":"
        for key, text in (("period", tr("Period")), ("officer", tr("Officer")),
                          ("outcome", tr("Last outcome")), ("scam_type", tr("Scam type")),
                          ("level", tr("Level")), ("status", tr("Status")),
                          ("search", tr("Find"))):
            self._titles[key].setText(text + colon)
        self.period.retranslate()
        line = self.officer.lineEdit()
        if line is not None:
            line.setPlaceholderText(tr("All officers"))
        everything = tr("All")
        _fill_codes(self.outcome, [(everything, None)] + [
            (codes.label(codes.OUTCOME_LABELS, o.value, lang), o.value) for o in Outcome])
        _fill_codes(self.scam_type, [(everything, None)] + [
            (codes.label(codes.SCAM_LABELS, s.value, lang), s.value) for s in ScamType])
        _fill_codes(self.level, [(everything, None)] + [
            (codes.label(codes.LEVEL_LABELS, lv.value, lang), lv.value) for lv in LEVELS])
        _fill_codes(self.status, [(everything, None)] + [
            (codes.label(codes.STATUS_LABELS, s.value, lang), s.value) for s in Status])
        self.search.setPlaceholderText(tr("Warning no., feed id or phone number (Enter)"))
        self.search.setToolTip(tr("Searching by number or phone looks at all time, "
                                  "whatever the period"))
        self.search_button.setText(tr("Search"))
        self.clear_button.setText(tr("Reset"))
        self.clear_button.setToolTip(tr("Back to this shift, every officer and outcome"))
        self.open_button.setText(tr("Open full history"))
        self.open_button.setToolTip(tr("Everything about the selected warning (Enter or "
                                       "double-click); opening it is recorded"))
        # "Emergency" needs more room than 紧急.
        self.table.setColumnWidth(COL["level"], 56 if lang == "zh" else 84)
        self.model.relabel()
        self._show_count()

    # -- querying -------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """What the bar asks for, as find_warnings takes it. A number or phone in the search
        box looks at all time: a lead who types one wants that warning, whatever the shift."""
        q = self.search.text().strip()
        officer = self.officer.currentText().strip()
        found: dict[str, Any] = {
            "officer": officer or None, "outcome": self.outcome.currentData(),
            "scam_type": self.scam_type.currentData(), "risk_level": self.level.currentData(),
            "status": self.status.currentData(), "q": q or None,
        }
        if not q:
            found["start"], found["end"] = self.period.bounds()
        return {k: v for k, v in found.items() if v is not None}

    def refresh(self) -> None:
        """Run the query off the UI thread (once the policy is in: the shift hours are in it)."""
        self._say(tr("Searching..."))
        self.count.setText("")
        if not self.policy.loaded:
            self._waiting_policy = True
            return
        if not self._officers_known:
            self._officers_known = True
            self.runner.run(self.source.officers, self._add_names, lambda _exc: None)
        self.model.load(self.filters())

    def _apply_policy(self) -> None:
        """The shift hours and the centre's zone, as the policy snapshot holds them."""
        policy = self.policy.policy
        self.period.set_policy(policy)
        self.model.tz = policy.timezone
        self.model.relabel()
        if self.history_dialog is not None:
            self.history_dialog.tz = policy.timezone

    def _policy_loaded(self) -> None:
        if self._waiting_policy:
            self._waiting_policy = False
            self.refresh()

    def clear_filters(self) -> None:
        self.search.clear()
        self.officer.setCurrentIndex(0)
        self.officer.setEditText("")
        for combo in (self.outcome, self.scam_type, self.level, self.status):
            combo.setCurrentIndex(0)
        self.period.blockSignals(True)
        self.period.set_key("shift")
        self.period.blockSignals(False)
        self.refresh()

    def _loaded(self, total: int) -> None:
        self._say("")
        self._show_count()
        if total == 0:
            self._say(tr("No warning matches. Try another period or fewer conditions."))
        self.results_did_load.emit(total)

    def _show_count(self) -> None:
        total = self.model.total
        text = tr("%1 found").replace("%1", f"{total:,}")
        if "q" in self.model.filters:
            text += " " + tr("(all time)")
        self.count.setText(text)

    def _add_officers(self) -> None:
        self._add_names(self.model.officers())

    def _add_names(self, names: list[str]) -> None:
        """Officers for the filter: the centre's users and whoever made calls lately, then
        any other name a result shows."""
        known = {self.officer.itemText(i) for i in range(self.officer.count())}
        for name in names:
            if name not in known:
                self.officer.addItem(name)
                known.add(name)

    # -- opening --------------------------------------------------------------------------

    def _selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        found = self.model.found_at(rows[0].row())
        return None if found is None else int(found.warning.id)

    def _open_index(self, index: QModelIndex) -> None:
        found = self.model.found_at(index.row())
        if found is not None:
            self.open_history(int(found.warning.id))

    def open_selected(self) -> None:
        warning_id = self._selected_id()
        if warning_id is not None:
            self.open_history(warning_id)

    def open_history(self, warning_id: int) -> HistoryDialog:
        """The warning's full history in a window beside the list (one window, reused)."""
        if self.history_dialog is None:
            self.history_dialog = HistoryDialog(self.source, self.runner, lang=self.lang,
                                                tz=self.model.tz, parent=self)
            self.history_dialog.review_did_record.connect(self._review_recorded)
        dialog = self.history_dialog
        dialog.load(warning_id)
        dialog.show()
        if QGuiApplication.platformName() != "offscreen":  # it has no stacking to change
            dialog.raise_()
        dialog.activateWindow()
        self.history_did_open.emit(warning_id)
        return dialog

    def _review_recorded(self, review: Review) -> None:
        self.model.set_review(int(review.warning_id), review.verdict)
        self.review_did_record.emit(review)

    # -- messages -------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)

    def _show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)
