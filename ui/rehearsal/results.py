"""Rehearsal results: everyone's for leads and trainers, an officer's own for an officer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import codes, timeutil
from dissuade.domain.codes import Role
from dissuade.domain.models import RehearsalResult
from dissuade.sources import Source
from ui.common.ops import Runner
from ui.common.policy import PolicySnapshot, own_snapshot

COLUMNS = ("trainee", "scam_type", "score", "finished")
SEES_EVERYONE = (Role.LEAD.value, Role.TRAINER.value, Role.ADMIN.value)
Index = QModelIndex | QPersistentModelIndex


def tr(text: str) -> str:
    return QCoreApplication.translate("Rehearsal", text)


def score_text(made: int, total: int) -> str:
    return f"{made}/{total} · {round(100 * made / total) if total else 0}%"


class ResultsModel(QAbstractTableModel):
    """Read-only rows of RehearsalResult, newest first (as the source gives them)."""

    def __init__(self, *, lang: str = "zh", tz: str = timeutil.DEFAULT_TZ,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.tz = tz
        self.rows: list[RehearsalResult] = []

    def replace(self, rows: list[RehearsalResult]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not 0 <= section < len(COLUMNS):
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        return {"trainee": tr("Trainee"), "scam_type": tr("Scam type"), "score": tr("Score"),
                "finished": tr("Finished")}[COLUMNS[section]]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r = self.rows[index.row()]
        key = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "trainee":
                return r.trainee
            if key == "scam_type":
                return codes.label(codes.SCAM_LABELS, r.scam_type, self.lang)
            if key == "score":
                return score_text(r.points_made, r.points_total)
            return timeutil.local_text(r.finished_at, self.tz)
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "score":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class ResultsPanel(QWidget):
    """The results table with its title and a refresh button; loads off the UI thread."""

    did_refresh = Signal(int)  # rows loaded

    def __init__(self, source: Source, runner: Runner, *, policy: PolicySnapshot | None = None,
                 lang: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("rehearsalResultsPanel")
        self.source = source
        self.runner = runner
        self.policy = policy if policy is not None else own_snapshot(source, runner, self)
        self.model = ResultsModel(lang=lang, parent=self)
        self.model.tz = self.policy.timezone
        self.policy.policy_did_change.connect(self._policy_changed)
        self.title = QLabel(objectName="rehearsalResultsTitle")
        self.table = QTableView(objectName="rehearsalResults")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.refresh_button = QPushButton(objectName="rehearsalRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.message = QLabel(objectName="rehearsalResultsMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        self._loading = self._again = False
        self.retranslate()

    def retranslate(self) -> None:
        everyone = self.source.role in SEES_EVERYONE
        self.title.setText("<b>" + (tr("Everyone's results") if everyone else tr("My results"))
                           + "</b>")
        self.refresh_button.setText(tr("Refresh"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    def set_lang(self, lang: str) -> None:
        self.model.lang = lang
        self.retranslate()
        if self.model.rows:
            self.model.dataChanged.emit(self.model.index(0, 0),
                                        self.model.index(len(self.model.rows) - 1, len(COLUMNS) - 1))

    def refresh(self) -> None:
        """Reload the results off the UI thread; `did_refresh` fires when they are shown."""
        if self._loading:
            self._again = True  # a result saved meanwhile: load once more when this one ends
            return
        self._loading, self._again = True, False
        source = self.source

        def done(rows: list[RehearsalResult]) -> None:
            self._loading = False
            self.message.clear()
            self.model.replace(rows)
            self.table.resizeColumnsToContents()
            self.did_refresh.emit(len(rows))
            if self._again:
                self.refresh()

        def failed(exc: Exception) -> None:
            self._loading = self._again = False
            self.message.setText(tr("Could not load results: %1").replace("%1", str(exc)))

        self.runner.run(source.rehearsals, done, failed)

    def _policy_changed(self, _policy: object) -> None:
        self.model.tz = self.policy.timezone
        if self.model.rows:
            self.model.dataChanged.emit(self.model.index(0, 0),
                                        self.model.index(len(self.model.rows) - 1, len(COLUMNS) - 1))
