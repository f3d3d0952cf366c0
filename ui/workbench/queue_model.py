"""The queue as a lean table model: pages fetched on demand, never the whole table."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from dissuade.domain import codes, timeutil
from dissuade.domain.masking import mask_name, mask_phone
from dissuade.domain.models import Warning
from dissuade.sources import Source
from ui.common import style
from ui.common.ops import Runner
from ui.common.policy import PolicySnapshot, own_snapshot
from ui.common.table_model import PagedRowsModel

PAGE = 200
MAX_RELOAD = 2000
Index = QModelIndex | QPersistentModelIndex

COLUMNS = ["level", "mark", "time_left", "scam_type", "phone", "name", "arrived"]
COL = {key: i for i, key in enumerate(COLUMNS)}
WarningRole = Qt.ItemDataRole.UserRole + 1


def tr(text: str) -> str:
    return QCoreApplication.translate("QueueModel", text)


class QueueModel(PagedRowsModel):
    """Rows are warnings in queue order. `size` is the whole queue; rows load a page at a time.

    Every load runs through the runner: `reload()` fetches the first pages again (as many as
    the view has scrolled through) and `queue_did_load` fires when they are shown; scrolling to
    the end asks Qt's `fetchMore`, which starts the next page's load and returns at once, and
    `page_did_load` fires when its rows are in. The UI thread never waits for the source.
    """

    queue_size_did_change = Signal(int)
    queue_did_load = Signal(int)  # the queue's size, once the reloaded rows are shown
    page_did_load = Signal(int)  # rows added by a page

    def __init__(self, source: Source, runner: Runner, *, policy: PolicySnapshot | None = None,
                 lang: str = "zh", parent: Any = None) -> None:
        super().__init__(source, runner, COLUMNS, _headers, parent)
        self._rows: list[Warning] = []
        self._size = 0
        self._offset = 0  # the queue position the next page starts at
        self._reloading = False
        self._again = False
        self.lang = lang
        self.policy = policy if policy is not None else own_snapshot(source, runner, self)
        # The arrival and retry times are in the centre's zone: shown again when it changes.
        self.policy.policy_did_change.connect(lambda _p: self.relabel())

    # -- loading ----------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the first pages again off the UI thread; one asked for while another runs
        runs once more after it (a burst of news costs two loads, not one each)."""
        if self._reloading:
            self._again = True
            return
        self._reloading, self._again = True, False
        self._new_query({})  # a page still on its way belongs to the old rows: dropped
        self._fetching = False
        limit = self.page_size()
        source = self._source

        def load() -> tuple[int, list[Warning]]:
            return source.queue_size(), source.queue(limit=limit)

        def done(result: tuple[int, list[Warning]]) -> None:
            self._reloading = False
            self.replace(*result)
            self.queue_did_load.emit(self._size)
            if self._again:
                self.reload()

        def failed(exc: Exception) -> None:
            self._reloading = False
            self.load_did_fail.emit(str(exc))
            if self._again:
                self.reload()

        self._runner.run(load, done, failed)

    @property
    def loading(self) -> bool:
        return self._reloading or self._fetching

    def page_size(self) -> int:
        """How many rows a reload loads: what the view has scrolled through, at least a page."""
        return min(MAX_RELOAD, max(PAGE, len(self._rows)))

    def replace(self, size: int, rows: list[Warning]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._offset = len(self._rows)
        self._size = max(size, len(self._rows))
        self.endResetModel()
        self.queue_size_did_change.emit(size)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self.loading and len(self._rows) < self._size

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        """Start loading the next page; its rows are inserted when they arrive."""
        if parent.isValid() or not self.canFetchMore(parent):
            return
        source, offset = self._source, self._offset
        self._fetch(lambda: source.queue(limit=PAGE, offset=offset), self._add_page)

    def _add_page(self, more: list[Warning]) -> None:
        if not more:  # the queue shrank meanwhile: this is its end
            self._size = len(self._rows)
            self.page_did_load.emit(0)
            return
        self._offset += len(more)
        # The queue moves between pages: a person already shown is not shown twice.
        shown = {w.phone for w in self._rows}
        fresh = [w for w in more if w.phone not in shown]
        self._append_rows(fresh)
        self._size = max(self._size, len(self._rows))
        self.page_did_load.emit(len(fresh))

    def warning_at(self, row: int) -> Warning | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def size(self) -> int:
        return self._size

    def tick(self) -> None:
        """Time moves on: repaint the countdown column."""
        if self._rows:
            col = COL["time_left"]
            self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col),
                                  [Qt.ItemDataRole.DisplayRole])

    # -- Qt model ---------------------------------------------------------------------------

    def cell(self, w: Warning, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(w, key)
        if role == Qt.ItemDataRole.BackgroundRole:
            return style.LEVEL_BACKGROUND.get(w.risk_level)
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "time_left" and w.last_outcome is None and w.deadline < time.time():
                return style.OVERDUE
            if key == "level":
                return style.LEVEL_FOREGROUND.get(w.risk_level)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and key == "mark":
            return self._mark_tip(w)
        if role == WarningRole:
            return w.id
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("time_left", "level", "mark"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, w: Warning, key: str) -> str:
        lang = self.lang
        if key == "level":
            return codes.label(codes.LEVEL_LABELS, w.risk_level, lang)
        if key == "time_left":
            return time_left_text(w, lang, self.policy.timezone)
        if key == "scam_type":
            return codes.label(codes.SCAM_LABELS, w.scam_type, lang)
        if key == "phone":
            return mask_phone(w.phone)
        if key == "name":
            return mask_name(w.name)
        if key == "arrived":
            return timeutil.local_text(w.arrived_at, self.policy.timezone, fmt="%m-%d %H:%M")
        if key == "mark":
            marks = [tr("+%1").replace("%1", str(w.linked)) if w.linked else "",
                     tr("Mine") if w.reserved_for and w.reserved_for == self._source.user
                     else "",
                     tr("Repeat") if w.repeat_victim else "",
                     tr("Retry") if w.status == "retry" else "",
                     tr("Lease ran out") if w.status == "claimed" else ""]
            return " ".join(m for m in marks if m)
        return ""

    def _mark_tip(self, w: Warning) -> str | None:
        tips = []
        if w.linked:
            tips.append(tr("The same person has %1 more open warning(s); they are handled "
                           "together").replace("%1", str(w.linked)))
        if w.reserved_for and w.reserved_for == self._source.user:
            until = timeutil.local_text(w.reserved_until, self.policy.timezone, fmt="%H:%M")
            tips.append(tr("Reserved for you (an agreed callback or a follow-up after an "
                           "escalation) until %1").replace("%1", until))
        if w.repeat_victim:
            tips.append(tr("This phone has had warnings before"))
        if w.status == "retry":
            tips.append(tr("Due for another call (%1 failed so far)")
                        .replace("%1", str(w.failed_attempts)))
        if w.status == "claimed":
            tips.append(tr("%1 claimed it and the lease ran out").replace("%1", w.claimed_by or ""))
        return "\n".join(tips) or None


def span(seconds: float, lang: str) -> str:
    """A duration with its units, never a clock-like 9:05: 9分05秒 / 9m 05s, 1时02分 / 1h 02m,
    2天03时 / 2d 03h, and past ten days the days alone."""
    s = int(abs(seconds))
    days, rest = divmod(s, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    zh = lang == "zh"
    if days >= 10:  # hours no longer matter (a warning from an old import)
        return f"{days}天" if zh else f"{days}d"
    if days:
        return f"{days}天{hours:02d}时" if zh else f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}时{minutes:02d}分" if zh else f"{hours}h {minutes:02d}m"
    return f"{minutes}分{secs:02d}秒" if zh else f"{minutes}m {secs:02d}s"


def time_left_text(w: Warning, lang: str, tz: str, now: float | None = None) -> str:
    """The time-left column in one form: a duration left or late before the first call, a clock
    time for a retry (said as such), so a span and a time of day never look alike."""
    if w.last_outcome is not None:  # first contact made: what counts now is the retry
        due = timeutil.local_text(w.available_at, tz, fmt="%H:%M")
        return tr("retry at %1").replace("%1", due)
    left = w.deadline - (time.time() if now is None else now)
    return (tr("%1 left") if left >= 0 else tr("%1 late")).replace("%1", span(left, lang))


def time_left_width(metrics: Any, lang: str) -> int:
    """Pixels the time-left column needs for its widest text in `lang` (nothing clipped)."""
    texts = [tr(t).replace("%1", span(v, lang)) for t in ("%1 left", "%1 late")
             for v in (59 * 60 + 59, 23 * 3600 + 59 * 60, 9 * 86400 + 23 * 3600, 99999 * 86400)]
    texts.append(tr("retry at %1").replace("%1", "23:59"))
    return max(metrics.horizontalAdvance(t) for t in texts) + 14  # the cell's margins


def _headers() -> dict[str, str]:
    return {
        "level": tr("Level"), "mark": tr("Mark"), "time_left": tr("Time left"),
        "scam_type": tr("Scam type"), "phone": tr("Phone"), "name": tr("Name"),
        "arrived": tr("Arrived"),
    }
