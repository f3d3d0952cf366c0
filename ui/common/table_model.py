"""What every list screen's Qt model shares: rows of records under named columns, and for
the long lists, loading them page by page off the UI thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

if TYPE_CHECKING:
    from dissuade.sources import Source
    from ui.common.ops import Runner

Index = QModelIndex | QPersistentModelIndex


class RowsModel(QAbstractTableModel):
    """A flat table: `self._rows` holds the records, `columns` names the columns and `headers`
    gives their titles in the current language; a subclass says what a cell shows in `cell`.
    Anything it does not handle is None, as Qt expects of an unset role."""

    def __init__(self, columns: Sequence[str], headers: Callable[[], dict[str, str]],
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self._headers = headers
        self._rows: list[Any] = []

    def cell(self, record: Any, key: str, role: int) -> Any:  # noqa: ARG002 - for subclasses
        return None

    def relabel(self) -> None:
        """The language changed: every heading and cell says it again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._rows) - 1, len(self.columns) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.columns)):
            return self._headers()[self.columns[section]]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)) \
                or not (0 <= index.column() < len(self.columns)):
            return None
        return self.cell(self._rows[index.row()], self.columns[index.column()], role)


class PagedRowsModel(RowsModel):
    """Rows a source hands out page by page, loaded through the runner so the UI thread never
    waits; a new query drops whatever an earlier one still has on its way."""

    load_did_fail = Signal(str)

    def __init__(self, source: Source, runner: Runner, columns: Sequence[str],
                 headers: Callable[[], dict[str, str]], parent: Any = None) -> None:
        super().__init__(columns, headers, parent)
        self._source = source
        self._runner = runner
        self._filters: dict[str, Any] = {}
        self._generation = 0
        self._fetching = False

    @property
    def loading(self) -> bool:
        return self._fetching

    def _new_query(self, filters: dict[str, Any]) -> dict[str, Any]:
        """Start a query: answers to earlier ones are dropped from now on; its filters, set."""
        self._generation += 1
        self._filters = {k: v for k, v in filters.items() if v not in (None, "")}
        return dict(self._filters)

    def _fetch(self, call: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """Run `call` off the UI thread; `done` gets its answer unless a newer query began."""
        generation = self._generation
        self._fetching = True

        def deliver(result: Any) -> None:
            if generation == self._generation:
                self._fetching = False
                done(result)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self._fetching = False
                self.load_did_fail.emit(str(exc))

        self._runner.run(call, deliver, failed)

    def _replace_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def _append_rows(self, more: Sequence[Any]) -> None:
        if more:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()
