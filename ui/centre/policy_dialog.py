"""The centre's policy, edited by a lead: time limits, retries, escalation, lease; holds, chase
calls, stations and shifts. Saved to the database, so every workstation follows it at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import codes
from dissuade.domain.codes import EscalationKind
from dissuade.domain.errors import DissuadeError
from dissuade.domain.policy import Policy
from dissuade.sources.local import Source
from ui.common.ops import Runner

# Per-level columns: (field, minimum, maximum, whole number).
LEVEL_FIELDS: list[tuple[str, float, float, bool]] = [
    ("first_contact_minutes", 1, 7 * 24 * 60, False),
    ("retry_no_answer_minutes", 0, 24 * 60, False),
    ("retry_busy_minutes", 0, 24 * 60, False),
    ("retry_powered_off_minutes", 0, 24 * 60, False),
    ("max_failed_attempts", 1, 50, True),
    ("after_max", 0, 0, False),
    ("lease_minutes", 1, 240, False),
]


def tr(text: str) -> str:
    return QCoreApplication.translate("PolicyDialog", text)


def _headers() -> list[str]:
    return [tr("First contact within (min)"), tr("Retry after no answer (min)"),
            tr("Retry after busy (min)"), tr("Retry after powered off (min)"),
            tr("Failed attempts before escalating"), tr("Then propose"),
            tr("Claim lease (min)")]


def _spin(low: float, high: float, whole: bool, value: float) -> QAbstractSpinBox:
    box: QSpinBox | QDoubleSpinBox
    if whole:
        box = QSpinBox()
        box.setRange(int(low), int(high))
        box.setValue(int(value))
    else:
        box = QDoubleSpinBox()
        box.setDecimals(1)
        box.setRange(low, high)
        box.setValue(float(value))
    box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
    return box


class PolicyDialog(QDialog):
    """One row per risk level, the centre-wide settings below; Save writes only what changed."""

    policy_did_save = Signal(object)  # the Policy now in force

    def __init__(self, source: Source, runner: Runner, *, policy: Policy, lang: str = "zh",
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("policyDialog")
        self.setWindowTitle(tr("Centre policy"))
        self.source, self.runner, self.lang = source, runner, lang
        self.policy = policy  # the window's snapshot: what the lead sees is what changes
        levels = list(self.policy.levels.values())
        self.table = QTableWidget(len(levels), len(LEVEL_FIELDS), objectName="policyTable")
        self.table.setHorizontalHeaderLabels(_headers())
        self.table.setVerticalHeaderLabels(
            [codes.label(codes.LEVEL_LABELS, lv.level, lang) for lv in levels])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setMinimumSectionSize(70)
        self.table.horizontalHeader().setDefaultAlignment(self.table.horizontalHeader()
                                                          .defaultAlignment())
        self.table.horizontalHeader().setFixedHeight(48)
        self.table.setWordWrap(True)
        self.cells: dict[tuple[str, str], QWidget] = {}
        for row, lv in enumerate(levels):
            values = lv.as_dict()
            for col, (name, low, high, whole) in enumerate(LEVEL_FIELDS):
                cell: QWidget
                if name == "after_max":
                    combo = QComboBox()
                    for kind in EscalationKind:
                        combo.addItem(codes.label(codes.ESCALATION_LABELS, kind, lang), kind.value)
                    combo.setCurrentIndex(combo.findData(values[name]))
                    cell = combo
                else:
                    cell = _spin(low, high, whole, float(values[name]))  # type: ignore[arg-type]
                cell.setObjectName(f"policy_{lv.level}_{name}")
                self.table.setCellWidget(row, col, cell)
                self.cells[(lv.level, name)] = cell
        self.table.resizeRowsToContents()
        self.table.setMinimumHeight(48 + 34 * len(levels))

        p = self.policy
        self.hold_hours = _spin(1, 168, False, p.hold_hours)
        self.hold_hours.setObjectName("policyHoldHours")
        self.chase_calls = _spin(1, 20, True, p.chase_calls)
        self.chase_calls.setObjectName("policyChaseCalls")
        self.chase_interval = _spin(1, 1440, False, p.chase_interval_minutes)
        self.chase_interval.setObjectName("policyChaseInterval")
        self.shifts = QLineEdit(", ".join(f"{h}:00" for h in p.shift_starts),
                                objectName="policyShiftStarts")
        self.stations = QTableWidget(0, 2, objectName="policyStations")
        self.stations.setHorizontalHeaderLabels([tr("District"), tr("Police station")])
        self.stations.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for district, station in sorted(p.stations.items()):
            self._add_station(district, station)
        add = QPushButton(tr("Add a district"), objectName="policyAddStation")
        add.clicked.connect(lambda: self._add_station("", ""))
        remove = QPushButton(tr("Remove selected"), objectName="policyRemoveStation")
        remove.clicked.connect(lambda: [self.stations.removeRow(r) for r in sorted(
            {i.row() for i in self.stations.selectedIndexes()}, reverse=True)])

        settings = QGroupBox(tr("Holds, chase calls and shifts"))
        form = QFormLayout(settings)
        form.addRow(tr("Stop-payment hold (hours, extendable once)"), self.hold_hours)
        form.addRow(tr("Chase calls per approval"), self.chase_calls)
        form.addRow(tr("Minutes between chase calls"), self.chase_interval)
        form.addRow(tr("Shift handovers (local time)"), self.shifts)
        stations = QGroupBox(tr("Door visits go to (district → station)"))
        sv = QVBoxLayout(stations)
        sv.addWidget(self.stations)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(add)
        row_buttons.addWidget(remove)
        row_buttons.addStretch(1)
        sv.addLayout(row_buttons)
        lower = QHBoxLayout()
        lower.addWidget(settings, 1)
        lower.addWidget(stations, 1)

        self.error = QLabel(objectName="policyError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("policySave")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        note = QLabel(tr("Changes apply at once on every workstation. A new first-contact limit "
                         "also moves the deadlines of that level's warnings not yet called. "
                         "Every change is recorded in the audit."))
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Per level")))
        layout.addWidget(self.table)
        layout.addLayout(lower)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(1040, 640)

    def _add_station(self, district: str, station: str) -> None:
        row = self.stations.rowCount()
        self.stations.insertRow(row)
        self.stations.setItem(row, 0, QTableWidgetItem(district))
        self.stations.setItem(row, 1, QTableWidgetItem(station))

    # -- what changed ---------------------------------------------------------------------

    def level_changes(self) -> dict[str, dict[str, object]]:
        changes: dict[str, dict[str, object]] = {}
        for (level, name), cell in self.cells.items():
            old = self.policy.level(level).as_dict()[name]
            new: object = cell.currentData() if isinstance(cell, QComboBox) \
                else cell.value()  # type: ignore[attr-defined]
            if new != old:
                changes.setdefault(level, {})[name] = new
        return changes

    def setting_changes(self) -> dict[str, object]:
        """The centre-wide settings that differ; InvalidInput-like text for a bad shift list."""
        p = self.policy
        out: dict[str, object] = {}
        for name, box, old in (("hold_hours", self.hold_hours, p.hold_hours),
                               ("chase_calls", self.chase_calls, p.chase_calls),
                               ("chase_interval_minutes", self.chase_interval,
                                p.chase_interval_minutes)):
            value = box.value()  # type: ignore[attr-defined]
            if value != old:
                out[name] = value
        hours = self._shift_hours()
        if hours != list(p.shift_starts):
            out["shift_starts"] = hours
        stations = {}
        for row in range(self.stations.rowCount()):
            cells = [self.stations.item(row, c) for c in (0, 1)]
            district, station = ((c.text().strip() if c else "") for c in cells)
            if district or station:
                stations[district] = station
        if stations != p.stations:
            out["stations"] = stations
        return out

    def _shift_hours(self) -> list[int]:
        hours: list[int] = []
        for part in self.shifts.text().replace("，", ",").split(","):
            text = part.strip().removesuffix(":00").removesuffix("点")
            if not text:
                continue
            if not text.isdigit() or not 0 <= int(text) <= 23:
                raise ValueError(part.strip())
            hours.append(int(text))
        return sorted(set(hours))

    # -- saving ---------------------------------------------------------------------------

    def save(self) -> None:
        try:
            settings = self.setting_changes()
        except ValueError as exc:
            self.error.setText(tr("Shift handovers must be whole hours such as 8:00, 20:00: "
                                  "%1").replace("%1", str(exc)))
            return
        levels = self.level_changes()
        if not levels and not settings:
            self.accept()
            return
        self.buttons.setEnabled(False)
        self.error.clear()
        source = self.source

        def write() -> Policy:
            policy = self.policy
            for level, changes in levels.items():
                policy = source.update_level_policy(level, changes)
            if settings:
                policy = source.update_settings(settings)
            return policy

        def done(policy: Policy) -> None:
            self.policy_did_save.emit(policy)
            self.accept()

        def failed(exc: Exception) -> None:
            self.buttons.setEnabled(True)
            field = getattr(exc, "field", None)
            where = f" ({field})" if field else ""
            self.error.setText(tr("Not saved: %1").replace("%1", str(exc)) + where
                               if isinstance(exc, DissuadeError) else str(exc))

        self.runner.run(write, done, failed)
