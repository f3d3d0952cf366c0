"""An editor for each kind of centre setting (dissuade.domain.settings): a spin box with the
setting's bounds and unit, a check box, a line of text, level boxes, a time range, a table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
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
from dissuade.domain import settings as spec


def tr(text: str) -> str:
    return QCoreApplication.translate("PolicyDialog", text)


def spin(kind: spec.Kind[Any], value: Any, *, lang: str, suffix: bool = True) -> QAbstractSpinBox:
    """A spin box holding `value` within the kind's bounds, its unit after the number."""
    box: QSpinBox | QDoubleSpinBox
    if isinstance(kind, spec.Whole):
        box = QSpinBox()
        box.setRange(kind.low, kind.high)
        box.setValue(int(value))
    else:
        assert isinstance(kind, spec.Number), kind
        box = QDoubleSpinBox()
        box.setDecimals(kind.decimals)
        box.setRange(kind.low, kind.high)
        box.setValue(float(value))
    unit = kind.unit.text(lang)
    if suffix and unit:
        box.setSuffix(f" {unit}")
    box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
    return box


def choice_label(options: tuple[str, ...], code: str, lang: str) -> str:
    """A code as the interface names it (a level, an escalation kind, a scam type)."""
    for table in (codes.LEVEL_LABELS, codes.ESCALATION_LABELS, codes.SCAM_LABELS):
        if code in table:
            return codes.label(table, code, lang)
    return code


def combo(options: tuple[str, ...], value: str, *, lang: str) -> QComboBox:
    box = QComboBox()
    for code in options:
        box.addItem(choice_label(options, code, lang), code)
    box.setCurrentIndex(max(0, box.findData(value)))
    return box


class Editor:
    """One setting's widget: what it holds now, and whether that differs from the policy."""

    def __init__(self, setting: spec.Setting[Any], widget: QWidget) -> None:
        self.setting, self.widget = setting, widget

    def value(self) -> Any:
        """The value to send (the core checks it)."""
        raise NotImplementedError

    def differs(self, old: Any) -> bool:
        return bool(self.value() != self.setting.kind.dump(old))


class SpinEditor(Editor):
    def value(self) -> Any:
        return self.widget.value()  # type: ignore[attr-defined]

    def differs(self, old: Any) -> bool:
        kind = self.setting.kind
        shown = round(float(old), kind.decimals) if isinstance(kind, spec.Number) else old
        return bool(self.value() != shown)


class FlagEditor(Editor):
    def value(self) -> Any:
        assert isinstance(self.widget, QCheckBox)
        return self.widget.isChecked()


class TextEditor(Editor):
    def value(self) -> Any:
        assert isinstance(self.widget, QLineEdit)
        return self.widget.text().strip()


class LevelsEditor(Editor):
    """A check box for each level the setting may hold."""

    def __init__(self, setting: spec.Setting[Any], value: tuple[str, ...], *, lang: str) -> None:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        assert isinstance(setting.kind, spec.Levels)
        self.boxes: dict[str, QCheckBox] = {}
        for code in setting.kind.options:
            check = QCheckBox(codes.label(codes.LEVEL_LABELS, code, lang),
                              objectName=f"{object_name(setting)}_{code}")
            check.setChecked(code in value)
            row.addWidget(check)
            self.boxes[code] = check
        row.addStretch(1)
        super().__init__(setting, box)

    def value(self) -> Any:
        return [code for code, check in self.boxes.items() if check.isChecked()]


class RangeEditor(Editor):
    """From and to, as HH:MM ("24:00" ends at midnight)."""

    def __init__(self, setting: spec.Setting[Any], value: tuple[str, str]) -> None:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.start = QLineEdit(value[0], objectName=f"{object_name(setting)}From")
        self.end = QLineEdit(value[1], objectName=f"{object_name(setting)}To")
        for edit in (self.start, self.end):
            edit.setMaxLength(5)
            edit.setPlaceholderText("HH:MM")
            edit.setMaximumWidth(80)
        row.addWidget(self.start)
        row.addWidget(QLabel("–"))
        row.addWidget(self.end)
        row.addStretch(1)
        super().__init__(setting, box)

    def value(self) -> Any:
        return [self.start.text().strip(), self.end.text().strip()]


class HoursEditor(TextEditor):
    """Whole hours typed as "8:00, 20:00" (or 8点); ValueError names a part that is not one."""

    def value(self) -> Any:
        hours: list[int] = []
        for part in super().value().replace("，", ",").replace("、", ",").split(","):
            text = part.strip().removesuffix(":00").removesuffix("点")
            if not text:
                continue
            if not text.isdigit() or not 0 <= int(text) <= 23:
                raise ValueError(part.strip())
            hours.append(int(text))
        return sorted(set(hours))


class TableEditor(Editor):
    """A two-column table (district → station, district → centre) with Add and Remove."""

    def __init__(self, setting: spec.Setting[Any], value: dict[str, str], *, lang: str) -> None:
        kind = setting.kind
        assert isinstance(kind, spec.Table)
        name = object_name(setting)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, 2, objectName=name)
        self.table.setHorizontalHeaderLabels(
            [kind.key_zh, kind.value_zh] if lang == "zh" else
            [kind.key_en.capitalize(), kind.value_en.capitalize()])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for key, item in sorted(value.items()):
            self.add(key, item)
        singular = name.removesuffix("s").removeprefix("policy")
        add = QPushButton(tr("Add a district"), objectName=f"policyAdd{singular}")
        add.clicked.connect(lambda: self.add("", ""))
        remove = QPushButton(tr("Remove selected"), objectName=f"policyRemove{singular}")
        remove.clicked.connect(self.remove_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        column.addWidget(self.table)
        column.addLayout(buttons)
        super().__init__(setting, box)

    def add(self, key: str, value: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(key))
        self.table.setItem(row, 1, QTableWidgetItem(value))

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def value(self) -> Any:
        out = {}
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, c) for c in (0, 1)]
            key, item = ((c.text().strip() if c else "") for c in cells)
            if key or item:
                out[key] = item
        return out


class GradingEditor(Editor):
    """A level for each scam type; sends only the types changed (the table merges)."""

    def __init__(self, setting: spec.Setting[Any], value: dict[str, str], *, lang: str) -> None:
        kind = setting.kind
        assert isinstance(kind, spec.Table) and isinstance(kind.key, spec.Choice) \
            and isinstance(kind.value, spec.Choice)
        self.before = dict(value)
        types = kind.key.options
        self.table = QTableWidget(len(types), 1, objectName=object_name(setting))
        self.table.setHorizontalHeaderLabels([kind.value_zh if lang == "zh" else
                                              kind.value_en.capitalize()])
        self.table.setVerticalHeaderLabels([choice_label(types, t, lang) for t in types])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMaximumWidth(560)
        self.combos: dict[str, QComboBox] = {}
        for row, scam in enumerate(types):
            box = combo(kind.value.options, value.get(scam, ""), lang=lang)
            box.setObjectName(f"policyGrading_{scam}")
            if scam not in value:
                box.setCurrentIndex(-1)  # not in the stored table: graded medium, shown empty
            self.table.setCellWidget(row, 0, box)
            self.combos[scam] = box
        super().__init__(setting, self.table)

    def value(self) -> Any:
        return {scam: box.currentData() for scam, box in self.combos.items()
                if box.currentIndex() >= 0 and box.currentData() != self.before.get(scam)}

    def differs(self, old: Any) -> bool:
        return bool(self.value())


SHORT_WIDTH = 160  # pixels of a number's box: a form's field need not run the dialog's width

# Object names tests and scripts already use; every other setting is policy<CamelName>.
LEGACY_NAMES = {"chase_interval_minutes": "policyChaseInterval"}


def object_name(setting: spec.Setting[Any]) -> str:
    return LEGACY_NAMES.get(setting.name) or "policy" + "".join(
        part.capitalize() for part in setting.name.split("_"))


def editor(setting: spec.Setting[Any], value: Any, *, lang: str) -> Editor:
    """The editor of `setting` holding `value`, its widget named and its tooltip its limits."""
    kind = setting.kind
    made: Editor
    if isinstance(kind, spec.Number | spec.Whole):
        made = SpinEditor(setting, spin(kind, value, lang=lang))
        made.widget.setMaximumWidth(SHORT_WIDTH)
    elif isinstance(kind, spec.Flag):
        check = QCheckBox()
        check.setChecked(bool(value))
        made = FlagEditor(setting, check)
    elif isinstance(kind, spec.Hours):
        made = HoursEditor(setting, QLineEdit(", ".join(f"{h}:00" for h in value)))
        made.widget.setMaximumWidth(2 * SHORT_WIDTH)
    elif isinstance(kind, spec.Levels):
        made = LevelsEditor(setting, value, lang=lang)
    elif isinstance(kind, spec.TimeRange):
        made = RangeEditor(setting, value)
    elif isinstance(kind, spec.Table) and isinstance(kind.key, spec.Choice):
        made = GradingEditor(setting, value, lang=lang)
    elif isinstance(kind, spec.Table):
        made = TableEditor(setting, value, lang=lang)
    else:
        line = QLineEdit(str(value))
        line.setMaximumWidth(2 * SHORT_WIDTH)
        if isinstance(kind, spec.Text):
            line.setMaxLength(kind.high)
        line.setEnabled(setting.editable)  # shown, not changed here (the time zone)
        made = TextEditor(setting, line)
    if not made.widget.objectName():
        made.widget.setObjectName(object_name(setting))
    note = setting.note(lang)
    made.widget.setToolTip((note + "\n" if note else "") + kind.expected(lang))
    return made
