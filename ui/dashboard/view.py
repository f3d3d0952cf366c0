"""The shift lead's live dashboard: the shift's figures, charts, officers, escalations to decide."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import timeutil
from dissuade.domain.errors import Conflict, DissuadeError
from dissuade.domain.masking import mask_name
from dissuade.domain.models import Escalation
from dissuade.domain.policy import Policy
from dissuade.sources import Source
from ui.common.ops import Runner
from ui.common.policy import PolicySnapshot, own_snapshot
from ui.dashboard.charts import ArrivalsChart, DashboardChart, OutcomesChart, RatesChart, ScamTypesChart
from ui.dashboard.models import (
    DASH,
    CentreModel,
    IdRole,
    OfficerModel,
    PendingModel,
    PendingRow,
    RepeatVictimModel,
    SortRole,
    money,
)
from ui.dashboard.robot import RobotPanel

TICK_MS = 1_000  # the waiting times of pending escalations: drawing, not loading
EDGE_MARGIN = 1.0  # seconds past a shift's (or an hour's) end before the next period loads
MIN_INTERVAL = 3.0  # seconds between two loads, however often refresh() is called
# A slow load (a big centre, the last 24 hours) waits longer: the dashboard shares the runner
# and the source's lock with the workbench, so it may hold them a fifth of the time at most.
LOAD_SHARE = 5.0
MAX_LOOKUPS = 20  # pending escalations the report does not describe: warnings fetched per load
PERIODS = ("current", "previous", "last24")
MAX_COLUMN = 190  # pixels a fitted table column may take
TABLE_HEIGHT = 215  # each table's box: about six rows (and the decision controls)
EMPTY_HEIGHT = 70  # a box with nothing to list
HOUR = 3600.0

STYLESHEET = """
QFrame[tile="true"] { background: #ffffff; border: 1px solid #d3d9e0; border-radius: 4px; }
QFrame[tile="true"][alert="true"] { background: #fdecea; border: 1px solid #c00000; }
QLabel[role="tileValue"] { font-size: 17pt; font-weight: bold; color: #1d2733; }
QLabel[role="tileValue"][accent="good"] { color: #2e7d32; }
QLabel[role="tileValue"][accent="bad"] { color: #a31515; }
QFrame[alert="true"] QLabel[role="tileValue"] { color: #b00020; }
QLabel[role="tileCaption"] { color: #4f5a68; }
QLabel#dashboardTitle { font-size: 12pt; font-weight: bold; }
QLabel#dashboardUpdated, QLabel#dashboardPeriodText { color: #4f5a68; }
QGroupBox { font-weight: bold; }
QPushButton#dashboardApproveButton { color: #1b5e20; font-weight: bold; }
QPushButton#dashboardRejectButton { color: #a31515; font-weight: bold; }
"""

# The tiles across the top, dissuasion first.
TILES = ("dissuaded", "already_lost", "dissuasion_rate", "loss_avoided", "received", "handled",
         "within_time_limit_rate", "time_limit_breaches", "escalations_pending", "backlog")


def tr(text: str) -> str:
    return QCoreApplication.translate("Dashboard", text)


def tile_texts() -> dict[str, tuple[str, str]]:
    """Each tile's caption and what it counts (docs/architecture.md, "The shift figures")."""
    return {
        "dissuaded": (tr("Dissuaded"), tr("Warnings whose latest outcome, recorded in the "
                                          "period, is dissuaded")),
        "already_lost": (tr("Already lost"), tr("Warnings whose latest outcome, recorded in the "
                                                "period, is already lost")),
        "dissuasion_rate": (tr("Dissuasion rate"), tr("Dissuaded / (dissuaded + already lost)")),
        "loss_avoided": (tr("Loss avoided (¥)"), tr("Amount at risk of the warnings dissuaded "
                                                    "in the period, in yuan")),
        "received": (tr("Warnings received"), tr("Warnings that arrived in the period")),
        "handled": (tr("Handled"), tr("Warnings with at least one call in the period")),
        "within_time_limit_rate": (tr("Within time limit"), tr(
            "Of the warnings received whose time limit has passed or that were called, the "
            "share first called in time")),
        "time_limit_breaches": (tr("Late"), tr(
            "Warnings received in the period and first called after their time limit, or not "
            "called and overdue")),
        "escalations_pending": (tr("To approve"), tr(
            "Escalation proposals waiting for a lead's decision now, whenever proposed")),
        "backlog": (tr("Backlog / overdue"), tr(
            "Warnings open now / of them, never called and past their time limit")),
    }


def percent(rate: float | None) -> str:
    return DASH if rate is None else f"{100.0 * rate:.1f}%"


def period_bounds(key: str, *, now: float, policy: Policy) -> tuple[float | None, float | None]:
    """The period a selector entry stands for; (None, None) lets the source take the current
    shift. The last 24 hours are whole clock hours up to the end of the current one, so that
    the hourly charts line up with the clock."""
    if key == "current":
        return None, None
    if key == "previous":
        return timeutil.previous_shift(now, tz=policy.timezone, starts=policy.shift_starts)
    if key == "last24":
        local = datetime.fromtimestamp(now, timeutil.zone(policy.timezone))
        end = (local.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)).timestamp()
        return end - 24 * HOUR, end
    raise ValueError(f"unknown period {key!r}")


class Tile(QFrame):
    """One figure with its caption; red when it needs the lead's attention."""

    def __init__(self, key: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"tile_{key}")
        self.setProperty("tile", True)
        self.setProperty("alert", False)
        self.value = QLabel(DASH, objectName=f"tile_{key}_value")
        self.value.setProperty("role", "tileValue")
        self.caption = QLabel(objectName=f"tile_{key}_caption")
        self.caption.setProperty("role", "tileCaption")
        for label in (self.value, self.caption):
            label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 5)
        layout.setSpacing(0)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def show_value(self, text: str, *, alert: bool = False, accent: str = "") -> None:
        self.value.setText(text)
        if self.property("alert") != alert or self.value.property("accent") != accent:
            self.setProperty("alert", alert)
            self.value.setProperty("accent", accent)
            for widget in (self, self.value):
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    @property
    def alert(self) -> bool:
        return bool(self.property("alert"))

    def text(self) -> str:
        return self.value.text()


class TableBox(QGroupBox):
    """A titled table that says so, in words, when it has no rows."""

    def __init__(self, name: str, table: QTableView, model: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.model = model
        self.empty = QLabel(objectName=f"{name}Empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #6b7480; font-weight: normal;")
        self._extra = 0
        self.stack = QStackedWidget()
        self.stack.addWidget(table)
        self.stack.addWidget(self.empty)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(6, 4, 6, 6)
        self.column.addWidget(self.stack, 1)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._rows_changed)
        self._rows_changed()

    def _rows_changed(self, *_args: Any) -> None:
        rows = self.model.rowCount() > 0
        self.stack.setCurrentIndex(0 if rows else 1)
        # Nothing to list: the sentence needs a line, not a table's height.
        self.setMinimumHeight(TABLE_HEIGHT if rows else EMPTY_HEIGHT + self._extra)

    def set_extra_height(self, pixels: int) -> None:
        """Room the box keeps for controls below the table (the decision row)."""
        self._extra = pixels
        self._rows_changed()


def _table(name: str, model: Any, parent: QWidget) -> tuple[QTableView, QSortFilterProxyModel]:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SortRole)
    view = QTableView(objectName=name)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the model's own order until clicked
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(22)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setHighlightSections(False)
    return view, proxy


class DashboardView(QWidget):
    """Everything a shift lead watches: figures, charts, officers, escalations, repeat victims.

    Loads run through the runner (never on the UI thread), at most one at a time and one every
    `min_interval` seconds however often `refresh()` is called; `dashboard_did_refresh` fires
    with the report after each load shown. It loads when shown, when the window hears news
    (a change anywhere, or a limit passing), and once when the period itself moves on (the
    shift ends, the hour turns for the last 24 hours); it never polls. Decisions remove their
    row at once and put it back if the source refuses.
    """

    dashboard_did_refresh = Signal(dict)
    escalation_did_decide = Signal(object)  # Escalation
    message_did_change = Signal(str)

    def __init__(self, source: Source, runner: Runner, *, policy: PolicySnapshot | None = None,
                 lang: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardView")
        self.setStyleSheet(STYLESHEET)
        self.source = source
        self.runner = runner
        self.policy = policy if policy is not None else own_snapshot(source, runner, self)
        self.lang = lang
        self.tz = timeutil.DEFAULT_TZ
        self.report: dict[str, Any] | None = None
        self.min_interval = MIN_INTERVAL
        self._loading = False
        self._again = False
        self._last_load = -1e9  # time.monotonic() of the last load started
        self._last_duration = 0.0  # seconds the last load took
        self._deciding: set[int] = set()
        self._error_shown = False
        self._columns_fitted = False

        # -- header: period, when, refresh --------------------------------------------------
        self.title = QLabel(objectName="dashboardTitle")
        self.period_box = QComboBox(objectName="dashboardPeriod")
        for key in PERIODS:
            self.period_box.addItem("", key)
        self.period_box.currentIndexChanged.connect(self._period_changed)
        self.period_text = QLabel(objectName="dashboardPeriodText")
        self.updated = QLabel(objectName="dashboardUpdated")
        self.refresh_button = QPushButton(objectName="dashboardRefreshButton")
        self.refresh_button.clicked.connect(self.refresh)
        self.message = QLabel(objectName="dashboardMessage")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        header = QHBoxLayout()
        header.setContentsMargins(8, 6, 8, 0)
        header.addWidget(self.title)
        header.addSpacing(12)
        header.addWidget(self.period_box)
        header.addWidget(self.period_text)
        header.addStretch(1)
        header.addWidget(self.updated)
        header.addWidget(self.refresh_button)

        # -- tiles ----------------------------------------------------------------------------
        self.tiles = {key: Tile(key) for key in TILES}
        tiles = QGridLayout()
        tiles.setHorizontalSpacing(6)
        for position, tile in enumerate(self.tiles.values()):
            tiles.addWidget(tile, 0, position)
            tiles.setColumnStretch(position, 1)

        # -- charts ---------------------------------------------------------------------------
        self.arrivals_chart = ArrivalsChart()
        self.outcomes_chart = OutcomesChart()
        self.rates_chart = RatesChart()
        self.scam_chart = ScamTypesChart()
        self.charts: list[DashboardChart] = [self.arrivals_chart, self.rates_chart,
                                             self.outcomes_chart, self.scam_chart]
        charts = QHBoxLayout()
        charts.setSpacing(6)
        for chart, stretch in zip(self.charts, (5, 5, 4, 4), strict=True):
            charts.addWidget(chart, stretch)

        self.robot_box = RobotPanel(self)  # the robot's first pass, beside people's figures

        # -- pending escalations, with the decision controls ---------------------------------
        self.pending_model = PendingModel(lang=lang, parent=self)
        self.pending_table, self.pending_proxy = _table("dashboardPending", self.pending_model, self)
        self.pending_table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.note_edit = QLineEdit(objectName="dashboardDecisionNote")
        self.note_edit.setMaxLength(2000)
        self.approve_button = QPushButton(objectName="dashboardApproveButton")
        self.approve_button.clicked.connect(lambda: self.decide_selected("approve"))
        self.reject_button = QPushButton(objectName="dashboardRejectButton")
        self.reject_button.clicked.connect(lambda: self.decide_selected("reject"))
        decide = QHBoxLayout()
        decide.addWidget(self.note_edit, 1)
        decide.addWidget(self.approve_button)
        decide.addWidget(self.reject_button)
        self.pending_box = TableBox("dashboardPendingBox", self.pending_table, self.pending_model)
        self.pending_box.column.addLayout(decide)

        # -- officers and repeat victims -----------------------------------------------------
        self.officer_model = OfficerModel(lang=lang, parent=self)
        self.officer_table, self.officer_proxy = _table("dashboardOfficers", self.officer_model, self)
        self.officer_box = TableBox("dashboardOfficersBox", self.officer_table, self.officer_model)
        self.repeat_model = RepeatVictimModel(lang=lang, parent=self)
        self.repeat_table, self.repeat_proxy = _table("dashboardRepeatVictims", self.repeat_model, self)
        self.repeat_box = TableBox("dashboardRepeatBox", self.repeat_table, self.repeat_model)
        # A province hub's centres, shown only when the policy names some.
        self.centre_model = CentreModel(lang=lang, parent=self)
        self.centre_table, self.centre_proxy = _table("dashboardCentres", self.centre_model, self)
        self.centre_box = TableBox("dashboardCentresBox", self.centre_table, self.centre_model)
        self.centre_box.setVisible(False)

        # -- the page: figures and charts, what waits for the lead, then who did what ----------
        # Each table takes the whole width: at 1366 pixels, side by side they would be cut.
        page = QWidget(objectName="dashboardPage")
        column = QVBoxLayout(page)
        column.setContentsMargins(8, 6, 8, 8)
        column.setSpacing(8)
        column.addLayout(tiles)
        column.addLayout(charts)
        column.addWidget(self.robot_box)
        self.pending_box.set_extra_height(36)
        for box in (self.pending_box, self.centre_box, self.officer_box, self.repeat_box):
            column.addWidget(box, 1)
        self.page_scroll = QScrollArea(objectName="dashboardScroll")
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.page_scroll.setWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(header)
        message_row = QHBoxLayout()
        message_row.setContentsMargins(8, 0, 8, 0)
        message_row.addWidget(self.message)
        layout.addLayout(message_row)
        layout.addWidget(self.page_scroll, 1)

        self._tick_timer = QTimer(self, interval=TICK_MS, timeout=self.pending_model.tick)
        self._throttle = QTimer(self, singleShot=True, timeout=self.refresh)
        # The one timer for time alone: the period shown ends (news brings everything else).
        self._edge_timer = QTimer(self, singleShot=True, timeout=self.refresh)
        self.retranslate()
        self._update_buttons()

    # -- public: language, timers, refresh ------------------------------------------------

    @property
    def period(self) -> str:
        return str(self.period_box.currentData() or "current")

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        for model in (self.pending_model, self.officer_model, self.repeat_model,
                      self.centre_model):
            model.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Shift dashboard"))
        for i, text in enumerate((tr("This shift"), tr("Previous shift"), tr("Last 24 hours"))):
            self.period_box.setItemText(i, text)
        self.period_box.setToolTip(tr("Which period the figures, charts and tables count"))
        self.refresh_button.setText(tr("Refresh"))
        self.refresh_button.setToolTip(tr("Load the figures again now"))
        for key, (caption, tip) in tile_texts().items():
            self.tiles[key].caption.setText(caption)
            self.tiles[key].setToolTip(tip)
        self.note_edit.setPlaceholderText(tr("Decision note (required to reject)"))
        self.approve_button.setText(tr("Approve"))
        self.approve_button.setToolTip(tr("Approve the selected escalation"))
        self.reject_button.setText(tr("Reject"))
        self.reject_button.setToolTip(tr("Reject the selected escalation; say why in the note"))
        self.pending_box.empty.setText(tr("No escalation is waiting for a decision."))
        self.officer_box.empty.setText(tr("No calls recorded in this period yet."))
        self.repeat_box.empty.setText(tr("No repeat victims in this period."))
        self.centre_box.empty.setText(tr("No centre has warnings in this period."))
        for model in (self.pending_model, self.officer_model, self.repeat_model,
                      self.centre_model):
            model.retranslate()
        self.robot_box.retranslate(self.lang)
        for chart in self.charts:
            chart.lang = self.lang
            if self.report is None:
                chart.retranslate()
            else:  # the categories are labels in the language too
                chart.show_report(self.report, lang=self.lang, tz=self.tz)
        self._render()
        if self.report is not None:
            self._fit_columns()

    def start(self) -> None:
        """Load now (the window calls this when the tab is shown)."""
        self._tick_timer.start()
        self.refresh()

    def stop(self) -> None:
        for timer in (self._tick_timer, self._throttle, self._edge_timer):
            timer.stop()

    def refresh(self) -> None:
        """Reload off the UI thread. One load at a time, one every `min_interval` seconds (longer
        when loads are slow): a call while loading asks for one more after it, a call in the
        quiet time for one at its end."""
        if self._loading:
            self._again = True
            return
        interval = max(self.min_interval, LOAD_SHARE * self._last_duration)
        wait = interval - (time.monotonic() - self._last_load)
        if wait > 0:
            if not self._throttle.isActive():
                self._throttle.start(int(wait * 1000) + 1)
            return
        self._throttle.stop()
        self._load()

    # -- loading --------------------------------------------------------------------------

    def _period_changed(self, _index: int) -> None:
        if self._loading:
            self._again = True  # the load under way is for the old period: _loaded reloads
            return
        self._throttle.stop()
        self._load()  # the lead asked: no quiet time

    def _load(self) -> None:
        self._loading, self._again = True, False
        self._last_load = time.monotonic()
        self.refresh_button.setEnabled(False)
        key, source, policy = self.period, self.source, self.policy.policy

        def load() -> dict[str, Any]:
            start, end = period_bounds(key, now=time.time(), policy=policy)
            report = source.shift_report(start=start, end=end)
            pending = _pending_rows(source, source.pending_escalations(), report)
            return {"key": key, "report": report, "pending": pending,
                    "tz": report.get("timezone") or policy.timezone}

        self.runner.run(load, self._loaded, self._load_failed)

    def _loaded(self, result: dict[str, Any]) -> None:
        self._loading = False
        self._last_duration = time.monotonic() - self._last_load
        self.refresh_button.setEnabled(True)
        if result["key"] != self.period:  # the lead chose another period meanwhile
            self._throttle.stop()
            self._load()
            return
        self.tz = result["tz"]
        self.report = result["report"]
        for model in (self.pending_model, self.officer_model, self.repeat_model,
                      self.centre_model):
            model.tz = self.tz
        self._show_pending([r for r in result["pending"]
                            if int(r.escalation.id) not in self._deciding])
        self.officer_model.replace(self.report.get("officers", []))
        self.repeat_model.replace(self.report.get("repeat_victims", []))
        self.robot_box.show_section(self.report.get("robot") or {}, self.lang)
        self.centre_model.replace(self.report.get("by_centre", []))
        self.centre_box.setVisible(bool(self.report.get("by_centre")))
        for chart in self.charts:
            chart.show_report(self.report, lang=self.lang, tz=self.tz)
        self._render()
        if not self._columns_fitted:
            self._fit_columns()
        if self._error_shown:
            self._set_message("")
        self._arm_edge()
        self.dashboard_did_refresh.emit(self.report)
        if self._again:
            self.refresh()

    def next_edge(self, now: float) -> float:
        """When the period shown moves on by itself: the shift's end, or the next clock hour
        for the last 24 hours (whose window slides by the hour)."""
        policy = self.policy.policy
        if self.period == "last24":
            return period_bounds("last24", now=now, policy=policy)[1] or now + HOUR
        return timeutil.current_shift(now, tz=policy.timezone, starts=policy.shift_starts)[1]

    def _arm_edge(self) -> None:
        if not self.isVisible():
            return  # a hidden dashboard loads again when it is shown
        now = time.time()
        self._edge_timer.start(max(0, int((self.next_edge(now) - now + EDGE_MARGIN) * 1000)))

    def _load_failed(self, exc: Exception) -> None:
        self._loading = False
        self._last_duration = time.monotonic() - self._last_load
        self.refresh_button.setEnabled(True)
        self._show_error(tr("Could not load the dashboard: %1").replace("%1", str(exc)))
        if self._again:
            self.refresh()

    def _fit_columns(self) -> None:
        """Columns as wide as their contents, within reason (once, and after a language switch,
        so that a lead's own widths survive the refreshes)."""
        self._columns_fitted = True
        for table in (self.pending_table, self.officer_table, self.repeat_table):
            for column in range(table.model().columnCount() - 1):  # the last one stretches
                table.resizeColumnToContents(column)
                table.setColumnWidth(column, min(table.columnWidth(column), MAX_COLUMN))

    def _show_pending(self, rows: list[PendingRow]) -> None:
        """New rows, keeping the lead's selection when that escalation still waits."""
        chosen = self._selected()
        self.pending_model.replace(rows)
        if chosen is not None:
            self._select(int(chosen.escalation.id))
        self._update_buttons()

    # -- what the report shows ------------------------------------------------------------

    def _render(self) -> None:
        """Tiles, headings and the period from the last report (also after a language switch)."""
        report = self.report
        self.pending_box.setTitle(tr("Escalations waiting for a decision (%1)")
                                  .replace("%1", str(self.pending_model.rowCount())))
        self.officer_box.setTitle(tr("Officers (%1)")
                                  .replace("%1", str(self.officer_model.rowCount())))
        self.repeat_box.setTitle(tr("Repeat victims (%1)")
                                 .replace("%1", str(self.repeat_model.rowCount())))
        self.centre_box.setTitle(tr("Centres (%1)")
                                 .replace("%1", str(self.centre_model.rowCount())))
        if report is None:
            self.period_text.setText("")
            self.updated.setText(tr("Not loaded yet"))
            return
        start, end = timeutil.parse(report["from"]), timeutil.parse(report["to"])
        same_day = timeutil.local_text(start, self.tz, fmt="%Y%m%d") == \
            timeutil.local_text(end - 1, self.tz, fmt="%Y%m%d")
        self.period_text.setText(tr("%1 to %2").replace(
            "%1", timeutil.local_text(start, self.tz, fmt="%m-%d %H:%M")).replace(
            "%2", timeutil.local_text(end, self.tz, fmt="%H:%M" if same_day else "%m-%d %H:%M")))
        self.period_text.setToolTip(self.tz)
        generated = report.get("generated_at")
        self.updated.setText(tr("Updated %1").replace(
            "%1", timeutil.local_text(timeutil.parse(generated), self.tz, fmt="%H:%M:%S")
            if generated else DASH))
        self._show_tiles(report)

    def _show_tiles(self, report: dict[str, Any]) -> None:
        stats, summary = report.get("stats", {}), report.get("summary", {})
        t = self.tiles
        t["dissuaded"].show_value(f"{int(stats.get('dissuaded', 0)):,}", accent="good")
        lost = int(stats.get("already_lost", 0))
        t["already_lost"].show_value(f"{lost:,}", accent="bad" if lost else "")
        t["dissuasion_rate"].show_value(percent(stats.get("dissuasion_rate")))
        t["loss_avoided"].show_value(money(summary.get("loss_avoided", 0.0)), accent="good")
        t["received"].show_value(f"{int(stats.get('received', 0)):,}")
        t["handled"].show_value(f"{int(stats.get('handled', 0)):,}")
        t["within_time_limit_rate"].show_value(percent(stats.get("within_time_limit_rate")))
        breaches = int(summary.get("time_limit_breaches", 0))
        t["time_limit_breaches"].show_value(f"{breaches:,}", accent="bad" if breaches else "")
        self._show_pending_count()
        open_now, overdue = int(summary.get("open_now", 0)), int(summary.get("overdue_now", 0))
        t["backlog"].show_value(f"{open_now:,} / {overdue:,}", alert=overdue > 0)

    def _show_pending_count(self) -> None:
        # The rows shown, so that a decision counts at once (the report's figure is the same
        # set of proposals, read in the same load).
        n = self.pending_model.rowCount()
        self.tiles["escalations_pending"].show_value(f"{n:,}", alert=n > 0)
        self.pending_box.setTitle(tr("Escalations waiting for a decision (%1)")
                                  .replace("%1", str(n)))

    # -- deciding escalations -------------------------------------------------------------

    def _selected(self) -> PendingRow | None:
        rows = self.pending_table.selectionModel().selectedRows()
        if not rows:
            return None
        source_index = self.pending_proxy.mapToSource(rows[0])
        return self.pending_model.escalation_at(source_index.row())

    def _select(self, escalation_id: int) -> None:
        for row in range(self.pending_proxy.rowCount()):
            index = self.pending_proxy.index(row, 0)
            if index.data(IdRole) == escalation_id:
                self.pending_table.selectionModel().select(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows)
                return

    def select_escalation(self, escalation_id: int) -> bool:
        """Select the row of `escalation_id` (as a click would); False when it is not listed."""
        self._select(escalation_id)
        chosen = self._selected()
        return chosen is not None and int(chosen.escalation.id) == escalation_id

    def _selection_changed(self, *_args: Any) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self._selected() is not None
        self.approve_button.setEnabled(chosen)
        self.reject_button.setEnabled(chosen)

    def decide_selected(self, decision: str) -> None:
        """Approve or reject the selected escalation with the note typed; the row leaves the
        table at once and comes back with the error if the source refuses."""
        row = self._selected()
        if row is None:
            self._show_error(tr("Select an escalation first."))
            return
        note = self.note_edit.text().strip()
        if decision == "reject" and not note:
            self._show_error(tr("A rejection needs a note: say why."))
            self.note_edit.setFocus()
            return
        escalation_id = int(row.escalation.id)
        taken = self.pending_model.take(escalation_id)
        if taken is None:
            return
        position = taken[0]
        self._deciding.add(escalation_id)
        self.note_edit.clear()
        self.pending_table.clearSelection()
        self._update_buttons()
        self._show_pending_count()
        self._say((tr("Approving escalation %1...") if decision == "approve"
                   else tr("Rejecting escalation %1...")).replace("%1", str(escalation_id)))
        source = self.source

        def decide() -> Escalation:
            return source.decide_escalation(escalation_id, decision=decision, note=note)

        def done(escalation: Escalation) -> None:
            self._deciding.discard(escalation_id)
            self._say((tr("Escalation %1 approved.") if decision == "approve"
                       else tr("Escalation %1 rejected.")).replace("%1", str(escalation_id)))
            self.escalation_did_decide.emit(escalation)
            self.refresh()

        def failed(exc: Exception) -> None:
            self._deciding.discard(escalation_id)
            if isinstance(exc, Conflict):
                # Someone else decided it meanwhile: it no longer waits, so it stays gone.
                self._show_error(tr("Escalation %1 was already decided: %2")
                                 .replace("%1", str(escalation_id)).replace("%2", str(exc)))
                self.refresh()
                return
            self.pending_model.put_back(position, row)
            self._show_pending_count()
            self._select(escalation_id)
            if not self.note_edit.text():
                self.note_edit.setText(note)
            self._show_error(tr("Escalation %1 not decided: %2")
                             .replace("%1", str(escalation_id)).replace("%2", str(exc)))

        self.runner.run(decide, done, failed)

    # -- messages -------------------------------------------------------------------------

    def _set_message(self, text: str, *, error: bool = False) -> None:
        self._error_shown = error and bool(text)
        self.message.setStyleSheet("color: #b00020; font-weight: bold;" if error else "")
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message_did_change.emit(text)

    def _say(self, text: str) -> None:
        self._set_message(text)

    def _show_error(self, text: str) -> None:
        self._set_message(text, error=True)


def _pending_rows(source: Source, pending: list[Escalation],
                  report: dict[str, Any]) -> list[PendingRow]:
    """Each pending escalation with its warning's masked name and type: from the report when it
    lists it (it does for every escalation under way), else looked up, a few per load."""
    known = {int(e["id"]): e for e in report.get("escalations", [])}
    rows, lookups = [], 0
    for escalation in pending:
        info = known.get(int(escalation.id))
        if info is not None:
            rows.append(PendingRow(escalation, str(info.get("name") or ""), info.get("scam_type")))
            continue
        if lookups < MAX_LOOKUPS:
            lookups += 1
            try:
                warning = source.get(int(escalation.warning_id)).warning
            except DissuadeError:
                rows.append(PendingRow(escalation))
                continue
            rows.append(PendingRow(escalation, mask_name(warning.name), warning.scam_type))
            continue
        rows.append(PendingRow(escalation))
    return rows

