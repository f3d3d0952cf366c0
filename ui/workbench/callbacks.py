"""The officer's agreed callbacks (reserved for them, the earliest due first) and their own
figures for the shift, in a small panel under the queue. A double-click claims the callback."""

from __future__ import annotations

import time
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from dissuade.domain import codes, timeutil
from dissuade.domain.presence import Callback
from dissuade.sources import Source
from ui.common import style
from ui.common.ops import Runner
from ui.common.table_model import RowsModel

COLUMNS = ("due", "warning", "phone", "name", "scam_type")
SOON_SECONDS = 10 * 60  # due this soon: bold
TICK_MS = 30_000  # repaint what is due; no source call
SPACING_S = 3.0  # news comes with every claim in the room: reload at most this often


def tr(text: str) -> str:
    return QCoreApplication.translate("Callbacks", text)


class CallbacksModel(RowsModel):
    def __init__(self, *, lang: str = "zh", parent: Any = None) -> None:
        super().__init__(COLUMNS, self._titles, parent)
        self.lang = lang
        self.tz = timeutil.DEFAULT_TZ
        self.now = time.time()

    @staticmethod
    def _titles() -> dict[str, str]:
        return {"due": tr("Call back at"), "warning": tr("Warning"), "phone": tr("Phone"),
                "name": tr("Name"), "scam_type": tr("Scam type")}

    @property
    def rows(self) -> list[Callback]:
        return list(self._rows)

    def replace(self, rows: list[Callback]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def tick(self, now: float) -> None:
        self.now = now
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def cell(self, c: Callback, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "due":
                same_day = timeutil.local_text(c.callback_at, self.tz, fmt="%Y%m%d") == \
                    timeutil.local_text(self.now, self.tz, fmt="%Y%m%d")
                return timeutil.local_text(c.callback_at, self.tz,
                                           fmt="%H:%M" if same_day else "%m-%d %H:%M")
            if key == "warning":
                return f"#{c.warning_id}"
            if key == "phone":
                return c.phone
            if key == "name":
                return c.name
            if key == "scam_type":
                return codes.label(codes.SCAM_LABELS, c.scam_type, self.lang)
        if role == Qt.ItemDataRole.ForegroundRole and key == "due" and c.callback_at <= self.now:
            return style.OVERDUE
        if role == Qt.ItemDataRole.FontRole and key == "due" \
                and c.callback_at - self.now <= SOON_SECONDS:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and key == "due":
            when = timeutil.local_text(c.callback_at, self.tz)
            if c.callback_at <= self.now:
                return tr("Due since %1: call now").replace("%1", when)
            return tr("Agreed for %1").replace("%1", when)
        return None


class CallbacksPanel(QWidget):
    """`callbacksView`: my callbacks, due first, and my calls, dissuaded and mean call length
    this shift. Reloaded with the queue (news or my own outcome), never on a fixed beat."""

    callbacks_did_load = Signal()
    open_requested = Signal(int)  # a warning id to claim

    def __init__(self, source: Source, runner: Runner, *, lang: str = "zh",
                 tz: str = timeutil.DEFAULT_TZ, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("callbacksView")
        self.source, self.runner, self.lang = source, runner, lang
        self.title = QLabel(objectName="callbacksTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.figures = QLabel(objectName="myFigures")
        self.figures.setStyleSheet("color: #444;")
        self.model = CallbacksModel(lang=lang, parent=self)
        self.model.tz = tz
        self.table = QTableView(objectName="callbacksTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.horizontalHeader().setStretchLastSection(True)
        for key, width in (("due", 86), ("warning", 60), ("phone", 110), ("name", 56)):
            self.table.setColumnWidth(COLUMNS.index(key), width)
        self.table.doubleClicked.connect(self._open)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.figures)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._figures: dict[str, Any] = {}
        self._tick = QTimer(self, interval=TICK_MS, timeout=lambda: self.model.tick(time.time()))
        self._tick.start()
        self._loading = self._again = False
        self._last_load = -SPACING_S
        self._later = QTimer(self, singleShot=True, timeout=self.refresh)
        self.retranslate()

    def set_lang(self, lang: str) -> None:
        self.lang = self.model.lang = lang
        self.retranslate()

    def set_tz(self, tz: str) -> None:
        self.model.tz = tz
        self.model.relabel()

    def retranslate(self) -> None:
        self.title.setText(tr("My callbacks (%1)").replace("%1", str(self.model.rowCount())))
        self.table.setToolTip(tr("Callbacks agreed for you, the earliest due first; "
                                 "double-click to take one"))
        self.model.relabel()
        self._show_figures()

    def refresh(self) -> None:
        """Reload now, or (loaded a moment ago) once when the spacing allows; one at a time."""
        if self._loading:
            self._again = True
            return
        wait = self._last_load + SPACING_S - time.monotonic()
        if wait > 0:
            if not self._later.isActive():
                self._later.start(int(wait * 1000) + 1)
            return
        self._later.stop()
        self._last_load = time.monotonic()
        self._loading = True
        source = self.source

        def load() -> tuple[list[Callback], dict[str, Any]]:
            return source.my_callbacks(), source.my_figures()

        self.runner.run(load, self._loaded, self._failed)

    def _loaded(self, answer: tuple[list[Callback], dict[str, Any]]) -> None:
        if not shiboken6.isValid(self):
            return
        self._done()
        rows, self._figures = answer
        self.model.now = time.time()
        self.model.replace(rows)
        self.retranslate()
        self.callbacks_did_load.emit()

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._done()
        self.figures.setText(tr("Not loaded: %1").replace("%1", str(exc)))

    def _done(self) -> None:
        self._loading = False
        if self._again:
            self._again = False
            QTimer.singleShot(0, self.refresh)

    def _show_figures(self) -> None:
        f = self._figures
        if not f:
            self.figures.setText("")
            return
        mean = f.get("mean_call_seconds")
        self.figures.setText(
            tr("This shift: %1 calls · %2 dissuaded · mean %3")
            .replace("%1", str(f.get("calls", 0))).replace("%2", str(f.get("dissuaded", 0)))
            .replace("%3", "—" if mean is None else style.countdown(float(mean), self.lang)))

    def _open(self, index: QModelIndex) -> None:
        rows = self.model.rows
        if 0 <= index.row() < len(rows):
            self.open_requested.emit(rows[index.row()].warning_id)
