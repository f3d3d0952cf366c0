"""The dashboard's four charts (QtCharts): built once, their data replaced on every refresh."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QResizeEvent
from PySide6.QtWidgets import QFrame

from dissuade.domain import codes, timeutil
from dissuade.domain.codes import LEVELS
from ui.common import style

TOP_SCAM_TYPES = 8
MOST_BARS = 12  # hourly bars at most, when the chart's width is not known yet
FEWEST_BARS = 6  # however narrow the chart, hours are joined into no fewer bars than this
AXIS_ROOM = 70  # pixels of a chart's width taken by the value axis and margins
UPRIGHT_ROOM = 38  # pixels an upright 08:00 needs under its bar
STANDING_ROOM = 24  # pixels a standing (rotated) 08:00 needs: the CJK font's height and padding
CHART_HEIGHT = 262  # room for nine labelled bars (the CJK font is tall)
GRID = QColor("#e3e6ea")
AXIS_TEXT = QColor("#444b55")
OUTCOME_COLOUR = QColor("#1f4e8c")
SCAM_COLOUR = QColor("#6a4c93")
DISSUADED_COLOUR = QColor("#2e7d32")
IN_TIME_COLOUR = QColor("#1565c0")


def tr(text: str) -> str:
    return QCoreApplication.translate("Dashboard", text)


def _font(size: int, *, bold: bool = False) -> QFont:
    font = style.app_font(size)
    font.setBold(bold)
    return font


def _unique(labels: list[str]) -> list[str]:
    """A category axis drops repeated names (a clock put back an hour): keep them apart."""
    seen: set[str] = set()
    out = []
    for label in labels:
        while label in seen:
            label += "\u200b"
        seen.add(label)
        out.append(label)
    return out


def count_axis(axis: QValueAxis, top: float, *, headroom: float = 1.0) -> None:
    """A 0-based axis of whole numbers with a round step and about five ticks."""
    top = max(1.0, top * headroom)
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setRange(0, math.ceil(top / step) * step)


def hour_labels(hourly: Sequence[dict[str, Any]], tz: str) -> list[str]:
    """Each hour's start in the centre's zone, as 08:00."""
    return _unique([timeutil.local_text(timeutil.parse(h["hour"]), tz, fmt="%H:%M")
                    for h in hourly])


def bucket_hours(hourly: Sequence[dict[str, Any]], *, most: int = MOST_BARS) -> list[dict[str, Any]]:
    """The report's hours joined into buckets of whole hours, at most `most` of them (a day's
    24 bars do not fit a dashboard chart): counts add up, the rates are counted again."""
    size = max(1, math.ceil(len(hourly) / most))
    if size == 1:
        return list(hourly)
    out = []
    for first in range(0, len(hourly), size):
        group = hourly[first:first + size]
        row: dict[str, Any] = {"hour": group[0]["hour"]}
        for key in (*(lv.value for lv in LEVELS), "dissuaded", "already_lost", "judged", "in_time"):
            row[key] = sum(int(h.get(key, 0)) for h in group)
        decided = row["dissuaded"] + row["already_lost"]
        row["dissuasion_rate"] = row["dissuaded"] / decided if decided else None
        row["within_time_limit_rate"] = row["in_time"] / row["judged"] if row["judged"] else None
        out.append(row)
    return out


def _set_values(bar_set: QBarSet, values: Sequence[float]) -> None:
    if bar_set.count():
        bar_set.remove(0, bar_set.count())
    if values:
        bar_set.append([float(v) for v in values])


class DashboardChart(QChartView):
    """A chart view whose QChart, series and axes live as long as the view; `show_report` only
    replaces their data, so refreshing every few seconds allocates nothing new."""

    def __init__(self, object_name: str, parent: Any = None) -> None:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(4, 2, 4, 2))
        chart.setTitleFont(_font(10, bold=True))
        chart.legend().setFont(_font(8))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.layout().setContentsMargins(0, 0, 0, 0)
        super().__init__(chart, parent)
        self.setObjectName(object_name)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(260, CHART_HEIGHT)
        self.lang = "zh"

    def _style_axis(self, axis: QBarCategoryAxis | QValueAxis) -> None:
        axis.setLabelsFont(_font(8))
        axis.setLabelsColor(AXIS_TEXT)
        axis.setGridLineColor(GRID)
        axis.setLinePen(QPen(GRID))
        if isinstance(axis, QBarCategoryAxis):
            axis.setGridLineVisible(False)

    def _attach(self, series: Any, *axes: tuple[Any, Qt.AlignmentFlag]) -> None:
        chart = self.chart()
        chart.addSeries(series)
        for axis, where in axes:
            if axis not in chart.axes():
                self._style_axis(axis)
                chart.addAxis(axis, where)
            series.attachAxis(axis)

    def show_report(self, report: dict[str, Any], *, lang: str, tz: str) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        raise NotImplementedError


class _HourlyChart(DashboardChart):
    """A chart over the hours of the period. Labels stand upright when they fit, else on end;
    when even standing labels would not fit (a day on a narrow chart), hours are joined into
    buckets of two or more, so that every bar keeps a readable label."""

    def __init__(self, object_name: str, parent: Any = None) -> None:
        super().__init__(object_name, parent)
        self.axis_x = QBarCategoryAxis()
        self._report: dict[str, Any] | None = None
        self._tz = timeutil.DEFAULT_TZ
        self._bucket = 1

    def _bucket_size(self, hours: int) -> int:
        most = int((self.width() - AXIS_ROOM) // STANDING_ROOM) if self.isVisible() else MOST_BARS
        return max(1, math.ceil(hours / max(FEWEST_BARS, most)))

    def _hours(self, report: dict[str, Any], tz: str) -> list[dict[str, Any]]:
        """The report's hours as the bars to draw (joined when they do not fit), remembered so
        that a resize can draw them again."""
        self._report, self._tz = report, tz
        hourly = report.get("hourly", [])
        self._bucket = self._bucket_size(len(hourly))
        joined = bucket_hours(hourly, most=math.ceil(len(hourly) / self._bucket) or 1)
        labels = hour_labels(joined, tz)
        self.axis_x.setLabelsAngle(self._angle(len(labels)))
        self.axis_x.setCategories(labels)
        return joined

    def _angle(self, bars: int) -> int:
        return 0 if (self.width() - AXIS_ROOM) / max(1, bars) >= UPRIGHT_ROOM else -90

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        report = self._report
        if report is None:
            return
        if self._bucket_size(len(report.get("hourly", []))) != self._bucket:
            self.show_report(report, lang=self.lang, tz=self._tz)
            return
        angle = self._angle(len(self.axis_x.categories()))
        if self.axis_x.labelsAngle() != angle:
            self.axis_x.setLabelsAngle(angle)
            self.chart().layout().invalidate()


class ArrivalsChart(_HourlyChart):
    """Warnings received per hour of the period, stacked by level in the level colours."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("dashboardArrivalsChart", parent)
        self.series = QStackedBarSeries()
        self.series.setBarWidth(0.7)
        self.sets: dict[str, QBarSet] = {}
        for level in LEVELS:
            bar_set = QBarSet(level.value)
            bar_set.setColor(style.LEVEL_FOREGROUND[level.value])
            bar_set.setBorderColor(style.LEVEL_FOREGROUND[level.value])
            self.series.append(bar_set)
            self.sets[level.value] = bar_set
        self.axis_y = QValueAxis()
        self.axis_y.setLabelFormat("%d")
        self.axis_y.setTickType(QValueAxis.TickType.TicksDynamic)
        self._attach(self.series, (self.axis_x, Qt.AlignmentFlag.AlignBottom),
                     (self.axis_y, Qt.AlignmentFlag.AlignLeft))
        count_axis(self.axis_y, 1)
        self.retranslate()

    def show_report(self, report: dict[str, Any], *, lang: str, tz: str) -> None:
        self.lang = lang
        hourly = self._hours(report, tz)
        for level, bar_set in self.sets.items():
            _set_values(bar_set, [h.get(level, 0) for h in hourly])
        peak = max((sum(h.get(lv.value, 0) for lv in LEVELS) for h in hourly), default=0)
        count_axis(self.axis_y, peak, headroom=1.1)
        self.retranslate()

    def totals(self) -> dict[str, float]:
        """Arrivals drawn per level, over the whole period (for tests and descriptions)."""
        return {level: sum(bar_set.at(i) for i in range(bar_set.count()))
                for level, bar_set in self.sets.items()}

    def retranslate(self) -> None:
        self.chart().setTitle(tr("Warnings received per hour, by level") if self._bucket == 1
                              else tr("Warnings received per %1 hours, by level")
                              .replace("%1", str(self._bucket)))
        for level, bar_set in self.sets.items():
            bar_set.setLabel(codes.label(codes.LEVEL_LABELS, level, self.lang))


class _HorizontalCounts(DashboardChart):
    """One horizontal bar per category with its count at the end (long Chinese labels fit)."""

    def __init__(self, object_name: str, colour: QColor, parent: Any = None) -> None:
        super().__init__(object_name, parent)
        self.series = QHorizontalBarSeries()
        self.series.setBarWidth(0.65)
        self.series.setLabelsVisible(True)
        self.series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.series.setLabelsFormat("@value")
        self.bars = QBarSet("")
        self.bars.setColor(colour)
        self.bars.setBorderColor(colour)
        self.bars.setLabelColor(AXIS_TEXT)
        self.bars.setLabelFont(_font(8))
        self.series.append(self.bars)
        self.axis_y = QBarCategoryAxis()
        self.axis_x = QValueAxis()
        self.axis_x.setLabelFormat("%d")
        self.axis_x.setTickType(QValueAxis.TickType.TicksDynamic)
        self._attach(self.series, (self.axis_y, Qt.AlignmentFlag.AlignLeft),
                     (self.axis_x, Qt.AlignmentFlag.AlignBottom))
        self.chart().legend().setVisible(False)
        count_axis(self.axis_x, 1)

    def show_counts(self, items: list[tuple[str, int]]) -> None:
        """`items` largest first; drawn top-down (a horizontal axis starts at the bottom)."""
        items = list(reversed(items))
        self.axis_y.setCategories(_unique([label for label, _ in items]))
        _set_values(self.bars, [n for _, n in items])
        # Room at the end of the longest bar for its number.
        count_axis(self.axis_x, max((n for _, n in items), default=0), headroom=1.2)

    def values(self) -> list[float]:
        """The counts drawn, top bar first (for tests and the accessible description)."""
        return [self.bars.at(i) for i in reversed(range(self.bars.count()))]

    def categories(self) -> list[str]:
        return list(reversed(self.axis_y.categories()))


class OutcomesChart(_HorizontalCounts):
    """Calls of the period by outcome, in the code table's order; outcomes never seen are left out."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("dashboardOutcomesChart", OUTCOME_COLOUR, parent)
        self.retranslate()

    def show_report(self, report: dict[str, Any], *, lang: str, tz: str) -> None:
        self.lang = lang
        by_outcome: dict[str, int] = report.get("stats", {}).get("by_outcome", {})
        known = [(codes.label(codes.OUTCOME_LABELS, code, lang), int(by_outcome[code]))
                 for code in codes.OUTCOME_LABELS if by_outcome.get(code)]
        other = [(code, int(n)) for code, n in by_outcome.items()
                 if code not in codes.OUTCOME_LABELS and n]
        self.show_counts(known + other)

    def retranslate(self) -> None:
        self.chart().setTitle(tr("Call outcomes"))


class ScamTypesChart(_HorizontalCounts):
    """Warnings received by scam type: the eight commonest, the rest together."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("dashboardScamChart", SCAM_COLOUR, parent)
        self.retranslate()

    def show_report(self, report: dict[str, Any], *, lang: str, tz: str) -> None:
        self.lang = lang
        types = sorted(report.get("scam_types", []),
                       key=lambda t: (-int(t.get("received", 0)), str(t.get("scam_type"))))
        types = [t for t in types if t.get("received")]
        items = [(codes.label(codes.SCAM_LABELS, t["scam_type"], lang), int(t["received"]))
                 for t in types[:TOP_SCAM_TYPES]]
        rest = types[TOP_SCAM_TYPES:]
        if rest:
            items.append((tr("Other (%1 types)").replace("%1", str(len(rest))),
                          sum(int(t["received"]) for t in rest)))
        self.show_counts(items)

    def retranslate(self) -> None:
        self.chart().setTitle(tr("Warnings by scam type"))


class RatesChart(_HourlyChart):
    """Dissuasion rate and within-time-limit rate per hour, 0-100 %; hours without any are
    skipped rather than drawn as zero."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__("dashboardRatesChart", parent)
        self.axis_y = QValueAxis()
        self.axis_y.setRange(0, 104)  # a point at 100 % is drawn whole
        self.axis_y.setTickType(QValueAxis.TickType.TicksDynamic)
        self.axis_y.setTickAnchor(0)
        self.axis_y.setTickInterval(25)
        self.axis_y.setLabelFormat("%d%%")
        self.lines: dict[str, QLineSeries] = {}
        for key, colour in (("dissuasion_rate", DISSUADED_COLOUR),
                            ("within_time_limit_rate", IN_TIME_COLOUR)):
            line = QLineSeries()
            pen = QPen(colour)
            pen.setWidthF(2.0)
            line.setPen(pen)
            line.setColor(colour)
            line.setPointsVisible(True)
            line.setMarkerSize(6.0)
            self._attach(line, (self.axis_x, Qt.AlignmentFlag.AlignBottom),
                         (self.axis_y, Qt.AlignmentFlag.AlignLeft))
            self.lines[key] = line
        self.retranslate()

    def show_report(self, report: dict[str, Any], *, lang: str, tz: str) -> None:
        self.lang = lang
        hourly = self._hours(report, tz)
        for key, line in self.lines.items():
            line.replace([QPointF(i, 100.0 * h[key]) for i, h in enumerate(hourly)
                          if h.get(key) is not None])
        self.retranslate()

    def points(self, key: str) -> list[tuple[float, float]]:
        return [(p.x(), p.y()) for p in self.lines[key].points()]

    def retranslate(self) -> None:
        self.chart().setTitle(tr("Dissuasion and within-time-limit rates per hour")
                              if self._bucket == 1 else
                              tr("Dissuasion and within-time-limit rates per %1 hours")
                              .replace("%1", str(self._bucket)))
        self.lines["dissuasion_rate"].setName(tr("Dissuasion rate"))
        self.lines["within_time_limit_rate"].setName(tr("Within time limit"))
