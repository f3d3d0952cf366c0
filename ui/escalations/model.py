"""The escalations under way as a table: waiting for a decision first, then by age."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from dissuade.domain import codes, timeutil
from dissuade.domain.models import Escalation
from ui.common import style
from ui.common.table_model import RowsModel

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ["id", "warning", "kind", "status", "waiting", "amount", "cards", "proposed_by",
           "decided_by", "where"]
COL = {key: i for i, key in enumerate(COLUMNS)}
EscalationRole = Qt.ItemDataRole.UserRole + 1
HOLD_WARN_SECONDS = 6 * 3600  # a hold ending sooner than this is shown in red
WAITING = QColor("#fff3cd")

def tr(text: str) -> str:
    return QCoreApplication.translate("EscalationModel", text)


def state_label(status: str, lang: str) -> str:
    return codes.label(codes.ESCALATION_STATE_LABELS, status, lang)


class EscalationModel(RowsModel):
    """Rows are escalations that have not ended; proposals (a lead must decide) come first."""

    def __init__(self, *, tz: str, lang: str = "zh", parent: Any = None) -> None:
        super().__init__(COLUMNS, _headers, parent)
        self._rows: list[Escalation] = []
        self._tz = tz
        self.lang = lang

    def set_tz(self, tz: str) -> None:
        self._tz = tz
        self.relabel()

    def replace(self, rows: list[Escalation]) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda e: (e.status != "proposed", e.proposed_at, e.id))
        self.endResetModel()

    def escalation_at(self, row: int) -> Escalation | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, escalation_id: int) -> int | None:
        for row, e in enumerate(self._rows):
            if e.id == escalation_id:
                return row
        return None

    def remove(self, escalation_id: int) -> None:
        row = self.row_of(escalation_id)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def tick(self) -> None:
        if self._rows:
            col = COL["waiting"]
            self.dataChanged.emit(self.index(0, col), self.index(len(self._rows) - 1, col),
                                  [Qt.ItemDataRole.DisplayRole])

    @property
    def pending(self) -> int:
        return sum(e.status == "proposed" for e in self._rows)

    # -- Qt model ---------------------------------------------------------------------------

    def cell(self, e: Escalation, key: str, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(e, key)
        if role == Qt.ItemDataRole.BackgroundRole and e.status == "proposed":
            return WAITING
        if role == Qt.ItemDataRole.ForegroundRole and key == "waiting" \
                and e.hold_until is not None and e.hold_until - time.time() < HOLD_WARN_SECONDS:
            return style.OVERDUE
        if role == Qt.ItemDataRole.ToolTipRole and key in ("kind", "where"):
            auto = tr("Proposed automatically: ") if e.automatic else ""
            return (auto + e.reason) or None
        if role == EscalationRole:
            return e.id
        return None

    def _display(self, e: Escalation, key: str) -> str:
        lang = self.lang
        if key == "id":
            return str(e.id)
        if key == "warning":
            return str(e.warning_id)
        if key == "kind":
            return codes.label(codes.ESCALATION_LABELS, e.kind, lang)
        if key == "status":
            return state_label(e.status, lang)
        if key == "waiting":
            if e.hold_until is not None and e.status == "locked":
                left = e.hold_until - time.time()
                text = style.countdown(left, lang)
                return (tr("Hold %1 left") if left >= 0 else tr("Lapsed: hold ran out %1 ago")
                        ).replace("%1", text)
            since = e.decided_at if e.status != "proposed" and e.decided_at else e.proposed_at
            return tr("%1 ago").replace("%1", style.countdown(time.time() - since, lang))
        if key == "amount":
            return "" if e.amount is None else f"¥{e.amount:,.0f}"
        if key == "cards":
            return "  ".join(e.cards)
        if key == "proposed_by":
            return e.proposed_by
        if key == "decided_by":
            return e.decided_by or ""
        if key == "where":
            return e.station or e.reason
        return ""


def _headers() -> dict[str, str]:
    return {
        "id": tr("No."), "warning": tr("Warning"), "kind": tr("Kind"), "status": tr("State"),
        "waiting": tr("Waiting / hold"), "amount": tr("Amount"), "cards": tr("Bank cards"),
        "proposed_by": tr("Proposed by"), "decided_by": tr("Decided by"),
        "where": tr("Station / reason"),
    }


def step_text(status: str, actor: str, at: float, note: str, *, tz: str, lang: str) -> str:
    when = timeutil.local_text(at, tz, fmt="%m-%d %H:%M:%S")
    line = f"{when}  {state_label(status, lang)}  {actor}"
    return f"{line} — {note}" if note else line
