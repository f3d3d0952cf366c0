"""The lead's room: every officer's state, the warning each is on (number, level, type, the
phone masked) and for how long. Reloaded when the live watch sees news (a claim, an outcome, a
state set anywhere), never on a fixed beat; the durations tick on screen without asking."""

from __future__ import annotations

import time
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from dissuade.domain import codes, presence, timeutil
from dissuade.domain.presence import RoomEntry
from dissuade.sources import Source
from ui.common import style
from ui.common.ops import Runner
from ui.common.policy import PolicySnapshot, own_snapshot
from ui.common.table_model import RowsModel

TICK_MS = 1000  # the durations on screen; no source call
COLUMNS = ("officer", "state", "for", "warning", "level", "scam_type", "phone", "holding",
           "reason")
STATE_COLOURS = {presence.ON_CALL: QColor("#1b5e20"), presence.READY: QColor("#1f4e8c"),
                 presence.BREAK: QColor("#a34f00"), presence.TRAINING: QColor("#6a1b9a"),
                 presence.OFF: QColor("#777777"), presence.NOT_SET: QColor("#777777")}
LONG_BREAK_SECONDS = 30 * 60  # a break this long shows in red


def tr(text: str) -> str:
    return QCoreApplication.translate("Room", text)


def state_label(state: str, lang: str) -> str:
    return codes.label(presence.STATE_LABELS, state, lang)


class RoomModel(RowsModel):
    """One row per officer, working officers first (the store's order)."""

    def __init__(self, *, lang: str = "zh", parent: Any = None) -> None:
        super().__init__(COLUMNS, self._titles, parent)
        self.lang = lang
        self.tz = timeutil.DEFAULT_TZ  # the centre's, for the times in tooltips
        self.now = time.time()

    @staticmethod
    def _titles() -> dict[str, str]:
        return {"officer": tr("Officer"), "state": tr("State"), "for": tr("For"),
                "warning": tr("Warning"), "level": tr("Level"), "scam_type": tr("Scam type"),
                "phone": tr("Phone"), "holding": tr("On it for"), "reason": tr("Reason")}

    @property
    def rows(self) -> list[RoomEntry]:
        return list(self._rows)

    def replace(self, rows: list[RoomEntry]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def tick(self, now: float) -> None:
        self.now = now
        if self._rows:
            for key in ("for", "holding"):
                col = self.columns.index(key)
                self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col))

    def _span(self, since: float | None) -> str:
        return "—" if since is None else style.countdown(max(0.0, self.now - since), self.lang)

    def cell(self, e: RoomEntry, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "officer":
                return e.officer
            if key == "state":
                return state_label(e.shown, self.lang)
            if key == "for":
                return self._span(e.since)
            if key == "reason":
                return e.reason
            if e.warning_id is None:
                return ""
            if key == "warning":
                more = f" +{e.linked}" if e.linked else ""
                return f"#{e.warning_id}{more}"
            if key == "level":
                return codes.label(codes.LEVEL_LABELS, e.risk_level, self.lang)
            if key == "scam_type":
                return codes.label(codes.SCAM_LABELS, e.scam_type, self.lang)
            if key == "phone":
                return e.phone
            if key == "holding":
                return self._span(e.holding_since)
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "state":
                return STATE_COLOURS.get(e.shown)
            if key == "level" and e.warning_id is not None:
                return style.LEVEL_FOREGROUND.get(e.risk_level)
            if key == "for" and e.state == presence.BREAK and e.since is not None \
                    and self.now - e.since > LONG_BREAK_SECONDS and e.warning_id is None:
                return style.OVERDUE
        if role == Qt.ItemDataRole.BackgroundRole and key == "level" and e.warning_id is not None:
            return style.LEVEL_BACKGROUND.get(e.risk_level)
        if role == Qt.ItemDataRole.FontRole and key == "state":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("for", "holding", "warning"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and key == "for" and e.since is not None:
            return tr("In this state since %1").replace(
                "%1", timeutil.local_text(e.since, self.tz, fmt="%m-%d %H:%M"))
        if role == Qt.ItemDataRole.ToolTipRole and key == "holding" \
                and e.holding_since is not None:
            return tr("Holding it since %1").replace(
                "%1", timeutil.local_text(e.holding_since, self.tz, fmt="%H:%M:%S"))
        return None


class RoomView(QWidget):
    """Who is where, for a lead: a count of each state and a row per officer."""

    room_did_load = Signal()

    def __init__(self, source: Source, runner: Runner, *, policy: PolicySnapshot | None = None,
                 lang: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("roomView")
        self.source, self.runner, self.lang = source, runner, lang
        self.policy = policy if policy is not None else own_snapshot(source, runner, self)
        self.title = QLabel(objectName="roomTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSize(font.pointSize() + 2)
        self.title.setFont(font)
        self.counts = QLabel(objectName="roomCounts")
        self.message = QLabel(objectName="roomMessage")
        self.model = RoomModel(lang=lang, parent=self)
        self.model.tz = self.policy.timezone
        self.policy.policy_did_change.connect(lambda p: setattr(self.model, "tz", p.timezone))
        self.table = QTableView(objectName="roomTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for key, width in (("officer", 150), ("state", 90), ("for", 90), ("warning", 90),
                           ("level", 60), ("scam_type", 170), ("phone", 130), ("holding", 90)):
            self.table.setColumnWidth(COLUMNS.index(key), width)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addSpacing(16)
        top.addWidget(self.counts, 1)
        top.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._tick = QTimer(self, interval=TICK_MS, timeout=lambda: self.model.tick(time.time()))
        self._loading = self._again = False
        self.retranslate()

    # -- the window's calls -------------------------------------------------------------------

    def set_lang(self, lang: str) -> None:
        self.lang = self.model.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(tr("Where everyone is"))
        self.model.relabel()
        self._show_counts()

    def start(self) -> None:
        """On screen: load now and let the durations tick."""
        self.refresh()
        self._tick.start()

    def stop(self) -> None:
        self._tick.stop()

    def changed_elsewhere(self) -> None:
        """The live watch saw news: reload while on screen (the next start() reloads anyway)."""
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self._loading:  # one load at a time; news meanwhile loads once more after it
            self._again = True
            return
        self._loading = True
        source = self.source
        self.runner.run(source.room, self._loaded, self._failed)

    # -- answers ----------------------------------------------------------------------------------

    def _loaded(self, rows: list[RoomEntry]) -> None:
        if not shiboken6.isValid(self):
            return
        self._done()
        self.model.now = time.time()
        self.model.replace(rows)
        self.message.setText("")
        self._show_counts()
        self.room_did_load.emit()

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._done()
        self.message.setText(tr("Could not load the room: %1").replace("%1", str(exc)))

    def _done(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            QTimer.singleShot(0, self.refresh)

    def _show_counts(self) -> None:
        shown = [e.shown for e in self.model.rows]
        parts = [f"{state_label(s, self.lang)} {shown.count(s)}"
                 for s in (presence.ON_CALL, presence.READY, presence.BREAK, presence.TRAINING)]
        self.counts.setText(" · ".join(parts))
