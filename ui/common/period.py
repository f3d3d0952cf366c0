"""Choosing a period in the centre's time: this shift, the previous one, today, a week, all,
or a custom span (the review and the audit screens share it)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QHBoxLayout, QLabel, QWidget

from dissuade.domain import settings, timeutil
from dissuade.domain.policy import Policy
from ui.common.clock import centre_edit, epoch_of, set_edit


def tr(text: str) -> str:
    return QCoreApplication.translate("Review", text)


PERIOD_KEYS = ("shift", "previous_shift", "today", "week", "all", "custom")


Bounds = tuple[float | None, float | None]


def period_labels() -> dict[str, str]:
    return {"shift": tr("This shift"), "previous_shift": tr("Previous shift"),
            "today": tr("Today"), "week": tr("Last 7 days"), "all": tr("All time"),
            "custom": tr("Custom")}


def period_bounds(key: str, *, now: float, tz: str, starts: tuple[int, ...],
                  custom: Bounds = (None, None)) -> Bounds:
    """(start, end) epoch seconds of a named period in the centre's zone; None is open."""
    if key == "shift":
        return timeutil.current_shift(now, tz=tz, starts=starts)
    if key == "previous_shift":
        return timeutil.previous_shift(now, tz=tz, starts=starts)
    if key == "today":
        local = datetime.fromtimestamp(now, timeutil.zone(tz))
        day = local.replace(hour=0, minute=0, second=0, microsecond=0)
        # Aware arithmetic is on the wall clock: the next midnight even across a DST change.
        return day.timestamp(), (day + timedelta(days=1)).timestamp()
    if key == "week":
        return now - 7 * 86400, None
    if key == "custom":
        return custom
    return None, None


class PeriodPicker(QWidget):
    """A period combo (this shift by default) with two time edits for a custom period, and
    the resolved span shown beside it so the lead sees exactly what "this shift" means."""

    period_did_change = Signal()

    def __init__(self, prefix: str, *, clock: Callable[[], float] = time.time,
                 default: str = "shift", parent: Any = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self.tz = timeutil.DEFAULT_TZ
        self.starts: tuple[int, ...] = settings.SHIFT_STARTS.default
        self.combo = QComboBox(objectName=f"{prefix}Period")
        for key in PERIOD_KEYS:
            self.combo.addItem("", key)
        self.combo.setCurrentIndex(PERIOD_KEYS.index(default))
        self.start_edit = _time_edit(f"{prefix}From")
        self.end_edit = _time_edit(f"{prefix}To")
        self.dash = QLabel("–")
        self.span = QLabel(objectName=f"{prefix}PeriodSpan")
        self.span.setStyleSheet("color: #555;")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for widget in (self.combo, self.start_edit, self.dash, self.end_edit, self.span):
            layout.addWidget(widget)
        self.combo.currentIndexChanged.connect(self._changed)
        self.start_edit.dateTimeChanged.connect(lambda _v: self._show_span())
        self.end_edit.dateTimeChanged.connect(lambda _v: self._show_span())
        self._custom_filled = False
        self.retranslate()
        self._changed()

    @property
    def key(self) -> str:
        return str(self.combo.currentData())

    def set_key(self, key: str) -> None:
        self.combo.setCurrentIndex(PERIOD_KEYS.index(key))

    def set_policy(self, policy: Policy) -> None:
        self.tz, self.starts = policy.timezone, tuple(policy.shift_starts)
        self._show_span()

    def set_custom(self, start: float, end: float) -> None:
        """Show a custom period (epoch seconds) in the centre's zone."""
        self._custom_filled = True
        set_edit(self.start_edit, start, self.tz)
        set_edit(self.end_edit, end, self.tz)
        self.set_key("custom")

    def bounds(self) -> Bounds:
        custom = (epoch_of(self.start_edit, self.tz), epoch_of(self.end_edit, self.tz))
        return period_bounds(self.key, now=self._clock(), tz=self.tz, starts=self.starts,
                             custom=custom)

    def retranslate(self) -> None:
        for i, key in enumerate(PERIOD_KEYS):
            self.combo.setItemText(i, period_labels()[key])
        self.combo.setToolTip(tr("Warnings that arrived in the period or had a call in it"))
        self._show_span()

    def _changed(self) -> None:
        custom = self.key == "custom"
        if custom and not self._custom_filled:
            begin, end = timeutil.current_shift(self._clock(), tz=self.tz, starts=self.starts)
            self._custom_filled = True
            set_edit(self.start_edit, begin, self.tz)
            set_edit(self.end_edit, end, self.tz)
        for widget in (self.start_edit, self.dash, self.end_edit):
            widget.setVisible(custom)
        self.span.setVisible(not custom)
        self._show_span()
        self.period_did_change.emit()

    def _show_span(self) -> None:
        if self.key == "custom":
            return
        start, end = self.bounds()
        if start is None and end is None:
            self.span.setText("")
            return
        fmt = "%m-%d %H:%M"
        first = timeutil.local_text(start, self.tz, fmt=fmt) if start is not None else ""
        last = timeutil.local_text(end, self.tz, fmt=fmt) if end is not None else tr("now")
        if start is not None and end is not None and first[:5] == last[:5]:
            last = last[6:]  # the same day: 01-15 08:00 – 20:00
        self.span.setText(f"{first} – {last}")


def _time_edit(name: str) -> QDateTimeEdit:
    """An edit of the centre's wall-clock time (never this machine's zone)."""
    return centre_edit(name)
