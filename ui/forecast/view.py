"""How many officers tonight? The lead's staffing forecast for the next shift: officers needed
each hour with people only and with the robot's first pass (a bar chart), the hour by hour
figures, and how much history it rests on and what it assumed. The arithmetic is the core's
(dissuade/forecast/); this screen asks the source for it off the UI thread."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import QCoreApplication, QMargins, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import codes, timeutil
from dissuade.sources import Source
from ui.common import style
from ui.common.ops import Runner
from ui.common.policy import PolicySnapshot, own_snapshot

PEOPLE_COLOUR = QColor("#1f4e8c")
ROBOT_COLOUR = QColor("#2e7d32")
ROWS = ("warnings", "people_calls", "officers", "people_calls_with_robot", "officers_with_robot",
        "robot_calls")


def tr(text: str) -> str:
    return QCoreApplication.translate("Forecast", text)


def _count_axis(axis: QValueAxis, top: float) -> None:
    top = max(1, int(top) + 1)
    axis.setRange(0, top)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(max(1, (top + 4) // 5))
    axis.setLabelFormat("%d")


class ForecastView(QWidget):
    """The lead's staffing forecast (objectName forecastView)."""

    forecast_did_load = Signal()

    def __init__(self, source: Source, runner: Runner, *, policy: PolicySnapshot | None = None,
                 lang: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("forecastView")
        self.source, self.runner, self.lang = source, runner, lang
        self.policy = policy if policy is not None else own_snapshot(source, runner, self)
        self.data: dict[str, Any] | None = None
        self._loading = False
        self.title = QLabel(objectName="forecastTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.title.setFont(font)
        self.shift = QLabel(objectName="forecastShift")
        self.refresh_button = QPushButton(objectName="forecastRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.summary = QLabel(objectName="forecastSummary")
        self.summary.setWordWrap(True)
        self.basis = QLabel(objectName="forecastBasis")
        self.basis.setWordWrap(True)
        self.basis.setStyleSheet("color: #444b55;")

        self.people = QBarSet("")
        self.people.setColor(PEOPLE_COLOUR)
        self.robot = QBarSet("")
        self.robot.setColor(ROBOT_COLOUR)
        self.series = QBarSeries()
        self.series.append(self.people)
        self.series.append(self.robot)
        self.series.setLabelsVisible(True)
        self.series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(4, 2, 4, 2))
        chart.addSeries(self.series)
        self.hours_axis = QBarCategoryAxis()
        self.count_axis = QValueAxis()
        for axis in (self.hours_axis, self.count_axis):
            axis.setLabelsFont(style.app_font(8))
        chart.addAxis(self.hours_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.count_axis, Qt.AlignmentFlag.AlignLeft)
        self.series.attachAxis(self.hours_axis)
        self.series.attachAxis(self.count_axis)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.legend().setFont(style.app_font(9))
        chart.setTitleFont(style.app_font(10))
        self.chart = QChartView(chart, objectName="forecastChart")
        self.chart.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart.setFrameShape(QFrame.Shape.NoFrame)
        self.chart.setMinimumHeight(120)  # the window may be small: the chart gives way first

        self.table = QTableWidget(len(ROWS), 0, objectName="forecastTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setFixedHeight(22 * len(ROWS) + 28)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(16)
        top.addWidget(self.shift, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.table)
        layout.addWidget(self.basis)
        self.retranslate()

    # -- the window's calls --------------------------------------------------------------------

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("How many officers next shift?"))
        self.refresh_button.setText(tr("Forecast again"))
        self.people.setLabel(tr("Officers, people only"))
        self.robot.setLabel(tr("Officers, with the robot's first pass"))
        self.chart.chart().setTitle(tr("Officers needed each hour"))
        self.table.setVerticalHeaderLabels([
            tr("Warnings"), tr("People's calls"), tr("Officers"),
            tr("People's calls, with robot"), tr("Officers, with robot"), tr("Robot calls")])
        self._show()

    def start(self) -> None:
        """On screen: forecast once (it changes with the history, not by the second)."""
        if self.data is None:
            self.refresh()

    def stop(self) -> None:
        pass

    def refresh(self) -> None:
        if self._loading:
            return
        self._loading = True
        self.summary.setText(tr("Forecasting..."))
        source = self.source
        self.runner.run(source.staffing_forecast, self._loaded, self._failed)

    # -- answers ---------------------------------------------------------------------------------

    def _loaded(self, data: dict[str, Any]) -> None:
        if not shiboken6.isValid(self):
            return
        self._loading = False
        self.data = data
        self._show()
        self.forecast_did_load.emit()

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._loading = False
        self.summary.setText(tr("Could not forecast: %1").replace("%1", str(exc)))

    def _show(self) -> None:
        data = self.data
        if data is None:
            return
        tz = data.get("timezone") or self.policy.timezone
        hours: list[dict[str, Any]] = data["hours"]
        start = timeutil.parse(data["from"])
        end = timeutil.parse(data["to"])
        self.shift.setText(tr("Shift %1 – %2").replace(
            "%1", timeutil.local_text(start, tz, fmt="%m-%d %H:%M")).replace(
            "%2", timeutil.local_text(end, tz, fmt="%H:%M")))
        labels = [h["hour"] for h in hours]
        for bar_set, key in ((self.people, "officers"), (self.robot, "officers_with_robot")):
            if bar_set.count():
                bar_set.remove(0, bar_set.count())
            bar_set.append([float(h[key]) for h in hours])
        self.hours_axis.clear()
        self.hours_axis.append(labels)
        _count_axis(self.count_axis, max([h["officers"] for h in hours] or [0]) * 1.15)
        self.table.setColumnCount(len(hours))
        self.table.setHorizontalHeaderLabels(labels)
        for col, h in enumerate(hours):
            values = [sum(h["arrivals"].values()), h["people_calls"], h["officers"],
                      h["people_calls_with_robot"], h["officers_with_robot"], h["robot_calls"]]
            for row, value in enumerate(values):
                item = QTableWidgetItem(f"{value:d}" if row in (2, 4) else f"{value:.1f}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if row in (2, 4):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if row == 4 and h["officers_with_robot"] < h["officers"]:
                    item.setForeground(ROBOT_COLOUR)
                self.table.setItem(row, col, item)
        self.summary.setText(self._summary(data))
        self.basis.setText(self._basis(data))
        self.basis.setToolTip("\n".join(data.get("assumptions", [])))

    def _summary(self, data: dict[str, Any]) -> str:
        target = f"{data['target']:.0%}"
        text = tr("At most %1 officers at once (%2 officer-hours) with people only; %3 (%4 "
                  "officer-hours) with the robot's first pass. Target: %5 of each level first "
                  "contacted within its limit.")
        for key, value in (("%1", data["peak"]), ("%2", data["officer_hours"]),
                           ("%3", data["peak_with_robot"]),
                           ("%4", data["officer_hours_with_robot"]), ("%5", target)):
            text = text.replace(key, str(value))
        if not data.get("robot_on"):
            text += " " + tr("The robot is off: its figures show what turning it on for %1 "
                             "would do.").replace("%1", "、".join(
                                 codes.label(codes.LEVEL_LABELS, lv, self.lang)
                                 for lv in data["robot_levels"]))
        return text

    def _basis(self, data: dict[str, Any]) -> str:
        h, r = data["history"], data["rates"]
        measured = r["measured"]
        text = tr("Based on %1 days of history (%2 warnings, %3 calls by people, %4 robot "
                  "calls). Call handle time %5 s (%6), %7 calls a warning (%8), robot confirm "
                  "rate %9 (%10).")
        said = {True: tr("measured"), False: tr("assumed")}
        for key, value in (("%10", said[measured["robot_confirm"]]),
                           ("%1", f"{h['days']:.1f}"), ("%2", f"{h['warnings']:,}"),
                           ("%3", f"{h['people_calls']:,}"), ("%4", f"{h['robot_calls']:,}"),
                           ("%5", f"{r['handle_seconds']:.0f}"),
                           ("%6", said[measured["handle_seconds"]]),
                           ("%7", f"{r['calls_per_warning']:.2f}"),
                           ("%8", said[measured["calls_per_warning"]]),
                           ("%9", f"{r['robot_confirm']:.0%}")):
            text = text.replace(key, value)
        return text
