"""Lean table models of the lead's dashboard: officers, pending escalations, repeat victims."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from dissuade.domain import codes, timeutil
from dissuade.domain.models import Escalation
from ui.common import style

Index = QModelIndex | QPersistentModelIndex
SortRole = Qt.ItemDataRole.UserRole + 1  # the raw value a column sorts on (numbers as numbers)
IdRole = Qt.ItemDataRole.UserRole + 2  # the row's record id (officer name, escalation id, ...)
LONG_WAIT_SECONDS = 10 * 60  # a proposal waiting longer than this is shown in red
DASH = "—"


def tr(text: str) -> str:
    return QCoreApplication.translate("Dashboard", text)


def money(value: float | None) -> str:
    """Yuan with thousands separators; cents only when there are any."""
    if value is None:
        return DASH
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def local_reason(reason: str, lang: str) -> str:
    """The core writes its own reasons as "中文 / English": show the interface's half."""
    if " / " not in reason:
        return reason
    zh, _, en = reason.partition(" / ")
    return en.strip() if lang.startswith("en") else zh.strip()


def outcome_summary(by_outcome: dict[str, int], lang: str) -> str:
    """Counts by outcome in the code table's order: 劝阻成功 2 · 已被骗 1."""
    order = list(codes.OUTCOME_LABELS)
    keys = sorted(by_outcome, key=lambda k: order.index(k) if k in order else len(order))
    return " · ".join(f"{codes.label(codes.OUTCOME_LABELS, k, lang)} {by_outcome[k]}"
                      for k in keys if by_outcome[k])


@dataclass(frozen=True, slots=True)
class PendingRow:
    """A proposal waiting for a decision, with what the lead needs to know of its warning."""

    escalation: Escalation
    name: str = ""  # masked
    scam_type: str | None = None


class _RowsModel(QAbstractTableModel):
    """Read-only rows replaced whole on each refresh; subclasses say how a cell reads."""

    COLUMNS: tuple[str, ...] = ()
    RIGHT: frozenset[str] = frozenset()  # right-aligned (numeric) columns

    def __init__(self, *, lang: str = "zh", tz: str = timeutil.DEFAULT_TZ,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.tz = tz
        self.rows: list[Any] = []

    def replace(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def retranslate(self) -> None:
        """The language changed: headers and cells read again."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.COLUMNS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rows) - 1, len(self.COLUMNS) - 1))

    def column(self, key: str) -> int:
        return self.COLUMNS.index(key)

    # -- Qt model ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.COLUMNS)):
            return self._headers()[self.COLUMNS[section]]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (not index.isValid() or not 0 <= index.row() < len(self.rows)
                or not 0 <= index.column() < len(self.COLUMNS)):
            return None
        row = self.rows[index.row()]
        key = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, key)
        if role == SortRole:
            return self._sort_key(row, key)
        if role == IdRole:
            return self._id(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, key)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, key)
        if role == Qt.ItemDataRole.TextAlignmentRole and key in self.RIGHT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- what subclasses say ----------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        raise NotImplementedError

    def _display(self, row: Any, key: str) -> str:
        raise NotImplementedError

    def _sort_key(self, row: Any, key: str) -> Any:
        return self._display(row, key)

    def _id(self, row: Any) -> Any:
        return None

    def _tooltip(self, row: Any, key: str) -> str | None:
        return None

    def _foreground(self, row: Any, key: str) -> QColor | None:
        return None


class OfficerModel(_RowsModel):
    """One row per officer who recorded a call in the period (the report's `officers`)."""

    COLUMNS = ("officer", "handled", "attempts", "mean", "dissuaded", "breaches", "reviews",
               "states", "outcomes")
    RIGHT = frozenset({"handled", "attempts", "mean", "dissuaded", "breaches", "reviews"})

    def _headers(self) -> dict[str, str]:
        return {"officer": tr("Officer"), "handled": tr("Warnings"), "attempts": tr("Calls"),
                "mean": tr("Mean call"), "dissuaded": tr("Dissuaded"),
                "breaches": tr("Late"), "outcomes": tr("Outcomes"),
                "reviews": tr("Reviews\npass/fail"), "states": tr("Ready / break / training")}

    def _display(self, row: dict[str, Any], key: str) -> str:
        if key == "officer":
            return str(row["officer"])
        if key == "mean":
            seconds = row.get("mean_handle_seconds")
            return DASH if seconds is None else style.countdown(float(seconds), self.lang)
        if key == "outcomes":
            return outcome_summary(row.get("by_outcome", {}), self.lang)
        if key == "reviews":
            return f"{row.get('reviews_pass', 0)} / {row.get('reviews_fail', 0)}"
        if key == "states":
            return state_times(row.get("state_seconds") or {}, self.lang)
        return str(int(row.get(key, 0)))

    def _sort_key(self, row: dict[str, Any], key: str) -> Any:
        if key == "mean":
            seconds = row.get("mean_handle_seconds")
            return -1.0 if seconds is None else float(seconds)
        if key == "reviews":
            return float(row.get("reviews_fail", 0) * 10_000 + row.get("reviews_pass", 0))
        if key in ("handled", "attempts", "dissuaded", "breaches"):
            return float(row.get(key, 0))
        return self._display(row, key)

    def _id(self, row: dict[str, Any]) -> str:
        return str(row["officer"])

    def _tooltip(self, row: dict[str, Any], key: str) -> str | None:
        if key == "outcomes":
            return outcome_summary(row.get("by_outcome", {}), self.lang) or None
        if key == "states":
            return tr("Time ready (calls included), on a break and in training this period")
        if key == "breaches":
            return tr("First calls made after the time limit")
        return None

    def _foreground(self, row: dict[str, Any], key: str) -> QColor | None:
        if key == "breaches" and row.get("breaches", 0):
            return style.OVERDUE
        if key == "reviews" and row.get("reviews_fail", 0):
            return style.OVERDUE
        return None


class PendingModel(_RowsModel):
    """Escalations waiting for a lead's decision, oldest first; rows leave at once when decided."""

    COLUMNS = ("id", "waiting", "warning", "kind", "amount", "cards", "proposed_by", "reason")
    RIGHT = frozenset({"id", "amount", "waiting"})

    def escalation_at(self, row: int) -> PendingRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def take(self, escalation_id: int) -> tuple[int, PendingRow] | None:
        """Remove the row of `escalation_id`; (where it was, the row), to put it back on failure."""
        for i, row in enumerate(self.rows):
            if int(row.escalation.id) == escalation_id:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self.rows[i]
                self.endRemoveRows()
                return i, row
        return None

    def put_back(self, position: int, row: PendingRow) -> None:
        position = max(0, min(position, len(self.rows)))
        self.beginInsertRows(QModelIndex(), position, position)
        self.rows.insert(position, row)
        self.endInsertRows()

    def tick(self) -> None:
        """Time moves on: repaint the waiting column."""
        if self.rows:
            col = self.column("waiting")
            self.dataChanged.emit(self.index(0, col), self.index(len(self.rows) - 1, col),
                                  [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ForegroundRole])

    def _headers(self) -> dict[str, str]:
        return {"id": tr("No."), "warning": tr("Warning"), "kind": tr("Action"),
                "reason": tr("Reason"), "amount": tr("Amount (yuan)"), "cards": tr("Bank cards"),
                "proposed_by": tr("Proposed by"), "waiting": tr("Waiting")}

    def _display(self, row: PendingRow, key: str) -> str:
        e = row.escalation
        if key == "id":
            return str(e.id)
        if key == "warning":
            parts = [f"#{e.warning_id}", row.name]
            if row.scam_type:
                parts.append(codes.label(codes.SCAM_LABELS, row.scam_type, self.lang))
            return " ".join(p for p in parts if p)
        if key == "kind":
            return codes.label(codes.ESCALATION_LABELS, e.kind, self.lang)
        if key == "reason":
            return local_reason(e.reason, self.lang) if e.automatic else e.reason
        if key == "amount":
            return money(e.amount)
        if key == "cards":
            if not e.cards:
                return DASH
            more = len(e.cards) - 1
            return tr("%1 and %2 more").replace("%1", e.cards[0]).replace("%2", str(more)) \
                if more else e.cards[0]
        if key == "proposed_by":
            return tr("%1 · automatic").replace("%1", e.proposed_by) if e.automatic \
                else e.proposed_by
        if key == "waiting":
            return style.countdown(max(0.0, time.time() - e.proposed_at), self.lang)
        return ""

    def _sort_key(self, row: PendingRow, key: str) -> Any:
        e = row.escalation
        if key == "id":
            return float(e.id)
        if key == "warning":
            return float(e.warning_id)
        if key == "amount":
            return -1.0 if e.amount is None else float(e.amount)
        if key == "waiting":
            return -float(e.proposed_at)  # longest wait sorts last, as the number grows
        return self._display(row, key)

    def _id(self, row: PendingRow) -> int:
        return int(row.escalation.id)

    def _tooltip(self, row: PendingRow, key: str) -> str | None:
        e = row.escalation
        if key == "cards" and e.cards:
            return "\n".join(e.cards)
        if key == "reason":
            return e.reason
        if key == "warning":
            return self._display(row, key)
        if key == "waiting":
            return tr("Proposed at %1").replace(
                "%1", timeutil.local_text(e.proposed_at, self.tz, fmt="%Y-%m-%d %H:%M:%S"))
        return None

    def _foreground(self, row: PendingRow, key: str) -> QColor | None:
        if key == "waiting" and time.time() - row.escalation.proposed_at > LONG_WAIT_SECONDS:
            return style.OVERDUE
        return None


class CentreModel(_RowsModel):
    """A province hub's centres in the period (the report's `by_centre`)."""

    COLUMNS = ("centre", "received", "open", "dissuaded")
    RIGHT = frozenset({"received", "open", "dissuaded"})

    def _headers(self) -> dict[str, str]:
        return {"centre": tr("Centre"), "received": tr("Received"), "open": tr("Open now"),
                "dissuaded": tr("Dissuaded")}

    def _display(self, row: dict[str, Any], key: str) -> str:
        if key == "centre":
            return str(row.get("centre") or tr("(none)"))
        return f"{int(row.get(key, 0)):,}"

    def _sort_key(self, row: dict[str, Any], key: str) -> Any:
        return str(row.get("centre", "")) if key == "centre" else float(row.get(key, 0))


class RepeatVictimModel(_RowsModel):
    """Warnings of the period on a phone seen before (the report's `repeat_victims`)."""

    COLUMNS = ("warning_id", "arrived", "phone", "name", "scam_type", "level", "earlier", "status")
    RIGHT = frozenset({"warning_id", "earlier"})

    def _headers(self) -> dict[str, str]:
        return {"warning_id": tr("Warning"), "arrived": tr("Arrived"), "phone": tr("Phone"),
                "name": tr("Name"), "scam_type": tr("Scam type"), "level": tr("Level"),
                "earlier": tr("Earlier warnings"), "status": tr("Status / outcome")}

    def _display(self, row: dict[str, Any], key: str) -> str:
        if key == "warning_id":
            return str(row["warning_id"])
        if key == "arrived":
            at = row.get("arrived_at")
            return timeutil.local_text(timeutil.parse(at), self.tz, fmt="%m-%d %H:%M") if at else ""
        if key == "phone":
            return str(row.get("phone", ""))
        if key == "name":
            return str(row.get("name", ""))
        if key == "scam_type":
            return codes.label(codes.SCAM_LABELS, str(row.get("scam_type", "")), self.lang)
        if key == "level":
            return codes.label(codes.LEVEL_LABELS, str(row.get("risk_level", "")), self.lang)
        if key == "earlier":
            return str(int(row.get("earlier_warnings", 0)))
        if key == "status":
            status = codes.label(codes.STATUS_LABELS, str(row.get("status", "")), self.lang)
            last = row.get("last_outcome")
            return f"{status} · {codes.label(codes.OUTCOME_LABELS, last, self.lang)}" if last \
                else status
        return ""

    def _sort_key(self, row: dict[str, Any], key: str) -> Any:
        if key == "warning_id":
            return float(row["warning_id"])
        if key == "earlier":
            return float(row.get("earlier_warnings", 0))
        if key == "arrived":
            return str(row.get("arrived_at") or "")
        if key == "level":
            order = list(codes.LEVEL_LABELS)
            level = str(row.get("risk_level", ""))
            return float(order.index(level)) if level in order else float(len(order))
        return self._display(row, key)

    def _id(self, row: dict[str, Any]) -> int:
        return int(row["warning_id"])

    def _foreground(self, row: dict[str, Any], key: str) -> QColor | None:
        if key == "level":
            return style.LEVEL_FOREGROUND.get(str(row.get("risk_level", "")))
        if key == "earlier" and int(row.get("earlier_warnings", 0)) >= 2:
            return style.OVERDUE
        return None


def state_times(seconds: dict[str, Any], lang: str) -> str:
    """Hours and minutes ready, on a break, in training: 3:20 / 0:15 / —."""
    def hm(value: Any) -> str:
        minutes = int(round(float(value or 0) / 60))
        return DASH if not minutes else f"{minutes // 60}:{minutes % 60:02d}"

    return " / ".join(hm(seconds.get(s)) for s in ("ready", "break", "training"))
