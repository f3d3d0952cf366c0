"""The policy dialog is made from the settings' declarations: a field for every setting, with the
declared bounds, unit and description; what a lead changes there is what the store keeps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
)

from dissuade.domain import settings as spec
from dissuade.store import Store
from ui import MainWindow
from ui.centre.policy_fields import object_name


def _centre(tmp_path: Path) -> Path:
    db = tmp_path / "centre.db"
    store = Store(db)
    store.add_user("lead-1", role="lead")
    store.close()
    return db


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_setting_has_a_field_made_from_its_declaration(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path, lang: str) -> None:  # type: ignore[no-untyped-def]
    dialog = make_window(_centre(tmp_path), user="lead-1", lang=lang).centre.edit_policy()
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    for setting in spec.SETTINGS:
        assert setting.label(lang) in labels, setting.name
        widget = dialog.editor(setting.name).widget
        assert widget.objectName() == object_name(setting)
        assert dialog.findChild(type(widget), object_name(setting)) is widget
        assert setting.kind.expected(lang) in widget.toolTip()
        kind = setting.kind
        if isinstance(kind, spec.Number | spec.Whole):
            assert isinstance(widget, QSpinBox | QDoubleSpinBox)
            assert (widget.minimum(), widget.maximum()) == (kind.low, kind.high), setting.name
            assert widget.value() == pytest.approx(setting.default), setting.name
            assert kind.unit.text(lang) in widget.suffix()
        elif isinstance(kind, spec.Flag):
            assert isinstance(widget, QCheckBox) and widget.isChecked() is setting.default
        elif isinstance(kind, spec.Text):
            assert isinstance(widget, QLineEdit) and widget.maxLength() == kind.high
    assert not dialog.editor("timezone").widget.isEnabled()  # shown, set when the file is made
    for level, values in spec.LEVEL_DEFAULTS.items():
        for field, default in zip(spec.LEVEL_FIELDS, values, strict=True):
            cell = dialog.findChild(QAbstractSpinBox if not isinstance(field.kind, spec.Choice)
                                    else QComboBox, f"policy_{level}_{field.name}")
            assert cell is not None, (level, field.name)
            if isinstance(field.kind, spec.Choice):
                assert cell.currentData() == default  # type: ignore[attr-defined]
            else:
                assert (cell.minimum(), cell.maximum(), cell.value()) == (  # type: ignore[attr-defined]
                    field.kind.low, field.kind.high, default)
    assert dialog.setting_changes() == {} and dialog.level_changes() == {}


def test_the_new_settings_are_changed_in_the_dialog_and_kept(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _centre(tmp_path)
    dialog = make_window(db, user="lead-1").centre.edit_policy()
    dialog.findChild(QSpinBox, "policyRobotLines").setValue(8)  # type: ignore[union-attr]
    dialog.findChild(QDoubleSpinBox, "policyRobotSampleRate").setValue(0.25)  # type: ignore[union-attr]
    dialog.findChild(QCheckBox, "policyRobotFirstLevels_medium").setChecked(False)  # type: ignore[union-attr]
    dialog.findChild(QCheckBox, "policySmsFirstLevels_emergency").setChecked(True)  # type: ignore[union-attr]
    dialog.findChild(QLineEdit, "policyRobotHoursTo").setText("24:00")  # type: ignore[union-attr]
    dialog.findChild(QLineEdit, "policySmsSignature").setText("【思明反诈】")  # type: ignore[union-attr]
    dialog.findChild(QCheckBox, "policySelfApproval").setChecked(True)  # type: ignore[union-attr]
    dialog.findChild(QComboBox, "policyGrading_fake_investment").setCurrentIndex(0)  # type: ignore[union-attr]
    centres = dialog.editor("centres")
    centres.add("思明区", "xm-siming")  # type: ignore[attr-defined]
    assert isinstance(centres.widget.findChild(QTableWidget, "policyCentres"), QTableWidget)
    with qtbot.waitSignal(dialog.policy_did_save, timeout=10_000) as saved:
        dialog.save()
    policy = saved.args[0]
    assert (policy.robot_lines, policy.robot_sample_rate) == (8, 0.25)
    assert policy.robot_first_levels == ("low",)
    assert policy.sms_first_levels == ("emergency", "medium", "low")
    assert policy.robot_hours == ("08:00", "24:00")
    assert policy.sms_signature == "【思明反诈】" and policy.self_approval is True
    assert policy.grading["fake_investment"] == "emergency"
    assert policy.grading["fake_loan"] == "emergency"  # the types not changed are kept
    assert policy.centres == {"思明区": "xm-siming"}
    store = Store(db)
    assert store.policy() == policy
    store.close()


def test_a_value_the_declaration_refuses_is_named_and_nothing_is_saved(
        qtbot, make_window: Callable[..., MainWindow], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _centre(tmp_path)
    dialog = make_window(db, user="lead-1", lang="en").centre.edit_policy()
    dialog.findChild(QLineEdit, "policyRobotHoursFrom").setText("22:00")  # type: ignore[union-attr]
    dialog.findChild(QLineEdit, "policyDefaultCentre").setText("not a code!")  # type: ignore[union-attr]
    dialog.save()
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=10_000)
    assert spec.ROBOT_HOURS.label("en") in dialog.error.text()
    assert "00:00 to 24:00" in dialog.error.text()
    assert dialog.isVisible()
    store = Store(db)
    assert store.policy().robot_hours == spec.ROBOT_HOURS.default
    assert store.policy().default_centre == ""
    store.close()
