"""The centre's policy, edited by a lead: the per-level limits, retries, escalation and lease, and
every centre-wide setting, each field made from its declaration (dissuade.domain.settings:
label, bounds, unit, limits in the tooltip). Saved to the database, so every workstation follows
it at once."""

from __future__ import annotations

import textwrap
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import codes
from dissuade.domain import settings as spec
from dissuade.domain.errors import DissuadeError
from dissuade.domain.policy import Policy
from dissuade.sources import Source
from ui.centre import policy_fields
from ui.centre.policy_fields import Editor, combo, spin
from ui.common.ops import Runner


def tr(text: str) -> str:
    return QCoreApplication.translate("PolicyDialog", text)


def _header(field: spec.LevelField[Any], lang: str) -> str:
    """A per-level column's heading: what it is, and its unit, on lines short enough for the
    column (a header view does not wrap its text)."""
    label = field.label(lang) if lang == "zh" else textwrap.fill(field.label(lang), 16)
    unit = getattr(field.kind, "unit", None)
    text = unit.text(lang) if unit is not None else ""
    if not text or unit is spec.ATTEMPTS:
        return label
    return f"{label}\n（{text}）" if lang == "zh" else f"{label}\n({text})"


class PolicyDialog(QDialog):
    """The per-level table and the centre-wide settings, a tab for each group of settings, all
    made from the settings' declarations; Save writes only what changed."""

    policy_did_save = Signal(object)  # the Policy now in force

    def __init__(self, source: Source, runner: Runner, *, policy: Policy, lang: str = "zh",
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("policyDialog")
        self.setWindowTitle(tr("Centre policy"))
        self.source, self.runner, self.lang = source, runner, lang
        self.policy = policy  # the window's snapshot: what the lead sees is what changes
        self.tabs = QTabWidget(objectName="policyTabs")
        self.tabs.addTab(self._levels_page(), tr("Per level"))
        self.editors: dict[str, Editor] = {}
        for group in spec.GROUPS:
            self.tabs.addTab(self._group_page(group), group.text(lang))

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
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(1040, 640)

    def _levels_page(self) -> QWidget:
        levels = list(self.policy.levels.values())
        fields = spec.LEVEL_FIELDS
        self.table = QTableWidget(len(levels), len(fields), objectName="policyTable")
        self.table.setHorizontalHeaderLabels([_header(f, self.lang) for f in fields])
        for col, f in enumerate(fields):
            item = self.table.horizontalHeaderItem(col)
            if item is not None:
                item.setToolTip((f.note(self.lang) + "\n" if f.note(self.lang) else "")
                                + f.kind.expected(self.lang))
        self.table.setVerticalHeaderLabels(
            [codes.label(codes.LEVEL_LABELS, lv.level, self.lang) for lv in levels])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(70)
        lines = max(_header(f, self.lang).count("\n") + 1 for f in fields)
        header.setFixedHeight(lines * header.fontMetrics().lineSpacing() + 12)
        self.cells: dict[tuple[str, str], QWidget] = {}
        for row, lv in enumerate(levels):
            values = lv.as_dict()
            for col, f in enumerate(fields):
                cell: QWidget
                if isinstance(f.kind, spec.Choice):
                    cell = combo(f.kind.options, str(values[f.name]), lang=self.lang)
                else:
                    cell = spin(f.kind, values[f.name], lang=self.lang, suffix=False)
                cell.setObjectName(f"policy_{lv.level}_{f.name}")
                self.table.setCellWidget(row, col, cell)
                self.cells[(lv.level, f.name)] = cell
        for col, f in enumerate(fields):
            if isinstance(f.kind, spec.Choice):  # the kinds' names are the longest cells
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.resizeRowsToContents()
        rows = sum(self.table.rowHeight(r) for r in range(len(levels)))
        self.table.setFixedHeight(header.height() + rows + 2 * self.table.frameWidth())
        colon = "：" if self.lang == "zh" else ": "
        allowed = QLabel("\n".join(f"{f.label(self.lang)}{colon}{f.kind.expected(self.lang)}"
                                   for f in fields if not isinstance(f.kind, spec.Choice)),
                         objectName="policyLevelLimits")
        allowed.setStyleSheet("color: #555;")
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(self.table)
        column.addWidget(QLabel(tr("Allowed values")))
        column.addWidget(allowed)
        column.addStretch(1)
        return page

    def _group_page(self, group: spec.Group) -> QWidget:
        page = QWidget(objectName=f"policyPage_{group.code}")
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for setting in spec.SETTINGS:
            if setting.group is not group:
                continue
            made = policy_fields.editor(setting, getattr(self.policy, setting.name),
                                        lang=self.lang)
            self.editors[setting.name] = made
            label = QLabel(setting.label(self.lang))
            label.setToolTip(made.widget.toolTip())
            form.addRow(label, made.widget)
        return page

    def editor(self, name: str) -> Editor:
        return self.editors[name]

    # Kept for the tests and scripts that fill the stations table.
    def _add_station(self, district: str, station: str) -> None:
        stations = self.editors["stations"]
        assert isinstance(stations, policy_fields.TableEditor)
        stations.add(district, station)

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
        """The centre-wide settings that differ from the policy; ValueError for a shift hour
        that is not one."""
        out: dict[str, object] = {}
        for name, made in self.editors.items():
            if made.setting.editable and made.differs(getattr(self.policy, name)):
                out[name] = made.value()
        return out

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
            known = spec.BY_NAME.get(field) or spec.LEVEL_BY_NAME.get(field) if field else None
            where = f" ({known.label(self.lang) if known else field})" if field else ""
            self.error.setText(tr("Not saved: %1").replace("%1", str(exc)) + where
                               if isinstance(exc, DissuadeError) else str(exc))

        self.runner.run(write, done, failed)
