"""The centre's clock on screen: every time an officer reads or types is the centre's.

A `QDateTime` in the machine's local zone would show and read the workstation's hours (a
laptop left on UTC turned 08:00 Shanghai into 16:00). The edits here hold the centre's
wall-clock time as a UTC-spec `QDateTime`, which Qt never shifts for a zone or a daylight-saving
change, and the conversion to epoch seconds happens in Python with the centre's zone
(`dissuade.domain.timeutil`), the same rules the store and the reports use.
"""

from __future__ import annotations

import time
from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import QDateTimeEdit

from dissuade.domain import timeutil

FLOATING = QTimeZone(QTimeZone.Initialization.UTC)  # wall-clock fields, shown as they are


def wall_time(epoch: float, tz: str) -> QDateTime:
    """The centre's wall-clock minute at `epoch` as a QDateTime whose fields are that time
    (no seconds: an edit shows minutes, and what it shows is what it gives back)."""
    local = datetime.fromtimestamp(epoch, timeutil.zone(tz))
    return QDateTime(QDate(local.year, local.month, local.day),
                     QTime(local.hour, local.minute), FLOATING)


def epoch_of(value: QDateTime | QDateTimeEdit, tz: str) -> float:
    """The fields of a QDateTime (or what an edit shows) read as the centre's wall clock."""
    qdt = value.dateTime() if isinstance(value, QDateTimeEdit) else value
    d, t = qdt.date(), qdt.time()
    local = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second(),
                     tzinfo=timeutil.zone(tz))
    return local.timestamp()


def centre_edit(name: str, *, epoch: float | None = None, tz: str = timeutil.DEFAULT_TZ,
                fmt: str = "yyyy-MM-dd HH:mm") -> QDateTimeEdit:
    """A date-time edit that shows and takes the centre's time, set to `epoch` (or now)."""
    edit = QDateTimeEdit(objectName=name)
    edit.setTimeZone(FLOATING)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(fmt)
    edit.setDateTime(wall_time(time.time() if epoch is None else epoch, tz))
    return edit


def set_edit(edit: QDateTimeEdit, epoch: float, tz: str) -> None:
    """Show `epoch` in an edit made by `centre_edit`, in the centre's zone `tz`."""
    edit.setDateTime(wall_time(epoch, tz))
