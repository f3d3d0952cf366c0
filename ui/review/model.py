"""The lead's review list as a lean table model: found warnings a page at a time."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from dissuade.domain import codes, timeutil
from dissuade.domain.masking import mask_name, mask_phone
from dissuade.domain.models import Found
from dissuade.sources import Source
from ui.common import style
from ui.common.ops import Runner
from ui.common.table_model import PagedRowsModel

PAGE = 100
Index = QModelIndex | QPersistentModelIndex
COLUMNS = ["id", "arrived", "level", "scam_type", "phone", "name", "status", "outcome",
           "attempts", "officer", "review"]
COL = {key: i for i, key in enumerate(COLUMNS)}
WarningIdRole = Qt.ItemDataRole.UserRole + 1
PASS_COLOUR = QColor("#1b5e20")
FAIL_COLOUR = QColor("#b00020")
CENTRED = ("id", "level", "attempts", "review")


def tr(text: str) -> str:
    return QCoreApplication.translate("Review", text)


def review_text(verdict: str | None) -> str:
    if verdict == "pass":
        return tr("Pass")
    if verdict == "fail":
        return tr("Fail")
    return ""


class ReviewModel(PagedRowsModel):
    """Warnings matching the lead's filters, newest first. `total` is how many match; rows
    load 100 at a time through the runner (find_warnings offsets) as the view scrolls."""

    results_did_load = Signal(int)  # the total, when a new query's first page is in
    page_did_load = Signal(int)  # how many rows are loaded now

    def __init__(self, source: Source, runner: Runner, *, lang: str = "zh",
                 tz: str = timeutil.DEFAULT_TZ, parent: Any = None) -> None:
        super().__init__(source, runner, COLUMNS, _headers, parent)
        self._rows: list[Found] = []
        self._total = 0
        self.lang = lang
        self.tz = tz
        self._bold = QFont()
        self._bold.setBold(True)

    # -- loading ----------------------------------------------------------------------------

    def load(self, filters: dict[str, Any]) -> None:
        """Start a new query; answers to an earlier one still on their way are dropped."""
        source, query = self._source, self._new_query(filters)

        def done(result: tuple[int, list[Found]]) -> None:
            total, rows = result
            self._total = max(int(total), len(rows))
            self._replace_rows(rows)
            self.results_did_load.emit(self._total)
            self.page_did_load.emit(len(self._rows))

        self._fetch(lambda: source.find_warnings(query, limit=PAGE, offset=0), done)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._fetching or not self.canFetchMore(parent):
            return
        source, query, offset = self._source, dict(self._filters), len(self._rows)

        def done(result: tuple[int, list[Found]]) -> None:
            _total, more = result
            if not more:  # fewer than counted (closed and filtered away meanwhile)
                self._total = len(self._rows)
            self._append_rows(more)
            self.page_did_load.emit(len(self._rows))

        self._fetch(lambda: source.find_warnings(query, limit=PAGE, offset=offset), done)

    @property
    def total(self) -> int:
        return self._total

    @property
    def filters(self) -> dict[str, Any]:
        return dict(self._filters)

    def found_at(self, row: int) -> Found | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, warning_id: int) -> int | None:
        for row, found in enumerate(self._rows):
            if int(found.warning.id) == warning_id:
                return row
        return None

    def set_review(self, warning_id: int, verdict: str) -> None:
        """A call on the warning was just reviewed: show the new mark in place."""
        row = self.row_of(warning_id)
        if row is None:
            return
        self._rows[row] = replace(self._rows[row], review=verdict)
        cell = self.index(row, COL["review"])
        self.dataChanged.emit(cell, cell)

    def officers(self) -> list[str]:
        return sorted({f.last_officer for f in self._rows if f.last_officer})

    # -- Qt model ---------------------------------------------------------------------------

    def cell(self, found: Found, key: str, role: int) -> Any:
        w = found.warning
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(found, key)
        if role == Qt.ItemDataRole.BackgroundRole:
            return style.LEVEL_BACKGROUND.get(w.risk_level) if key == "level" else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "level":
                return style.LEVEL_FOREGROUND.get(w.risk_level)
            if key == "review":
                return {"pass": PASS_COLOUR, "fail": FAIL_COLOUR}.get(found.review or "")
            return None
        if role == Qt.ItemDataRole.FontRole and (key == "level" or (key == "review"
                                                                    and found.review)):
            return QFont(self._bold)
        if role == Qt.ItemDataRole.ToolTipRole:
            if key == "officer" and found.last_attempt_at is not None:
                return tr("Last call %1").replace(
                    "%1", timeutil.local_text(found.last_attempt_at, self.tz))
            if key == "id" and w.external_id:
                return f"{w.source} {w.external_id}"
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and key in CENTRED:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == WarningIdRole:
            return int(w.id)
        return None

    def _display(self, found: Found, key: str) -> str:
        w, lang = found.warning, self.lang
        if key == "id":
            return str(w.id)
        if key == "arrived":
            return timeutil.local_text(w.arrived_at, self.tz, fmt="%m-%d %H:%M")
        if key == "level":
            return codes.label(codes.LEVEL_LABELS, w.risk_level, lang)
        if key == "scam_type":
            return codes.label(codes.SCAM_LABELS, w.scam_type, lang)
        if key == "phone":
            return mask_phone(w.phone)
        if key == "name":
            return mask_name(w.name)
        if key == "status":
            return codes.label(codes.STATUS_LABELS, w.status, lang)
        if key == "outcome":
            return codes.label(codes.OUTCOME_LABELS, w.last_outcome, lang) if w.last_outcome \
                else ""
        if key == "attempts":
            return str(found.attempts)
        if key == "officer":
            return found.last_officer or ""
        if key == "review":
            return review_text(found.review)
        return ""


def _headers() -> dict[str, str]:
    return {
        "id": tr("No."), "arrived": tr("Arrived"), "level": tr("Level"),
        "scam_type": tr("Scam type"), "phone": tr("Phone"), "name": tr("Name"),
        "status": tr("Status"), "outcome": tr("Last outcome"), "attempts": tr("Calls"),
        "officer": tr("Last officer"), "review": tr("Review"),
    }
