"""The centre settings' declarations: Policy and the per-level table follow them, every default
is inside its own limits, the one checker accepts what is inside and refuses what is outside
naming the setting, and the settings table is read as it was written, old forms included."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from dissuade.domain import settings as spec
from dissuade.domain.errors import InvalidInput
from dissuade.domain.policy import DEFAULT_LEVELS, LevelPolicy, Policy, default_policy
from dissuade.store import Store
from dissuade.store.schema import migrations
from tests.settings_values import inside, outside

EDITABLE = [s for s in spec.SETTINGS if s.editable]
QUICK = settings(max_examples=60, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


# -- the declarations and what follows them ---------------------------------------------------


def test_policy_has_one_attribute_for_each_setting_with_its_declared_default() -> None:
    fields = [f for f in dataclasses.fields(Policy) if f.name != "levels"]
    assert [f.name for f in fields] == [s.name for s in spec.SETTINGS]
    bare = Policy(levels={})
    for s in spec.SETTINGS:
        assert getattr(bare, s.name) == s.default, s.name
    assert len(spec.BY_NAME) == len(spec.SETTINGS)


def test_the_level_table_follows_its_declarations() -> None:
    assert [f.name for f in dataclasses.fields(LevelPolicy)][1:] == \
        [f.name for f in spec.LEVEL_FIELDS]
    assert [lv.level for lv in DEFAULT_LEVELS] == list(spec.LEVEL_DEFAULTS)
    for lv in DEFAULT_LEVELS:
        assert lv.as_dict() == {"level": lv.level, **spec.level_defaults(lv.level)}
    store = Store(":memory:")
    columns = [r[1] for r in store.conn.execute("PRAGMA table_info(policy_levels)")]
    assert set(columns) == {"level", "rank", *(f.name for f in spec.LEVEL_FIELDS)}
    assert store.policy().levels == default_policy().levels
    store.close()


@pytest.mark.parametrize("setting", spec.SETTINGS, ids=lambda s: s.name)
def test_every_default_is_inside_its_own_limits(setting: spec.Setting[Any]) -> None:
    sent = json.loads(json.dumps(setting.kind.dump(setting.default)))
    assert setting.kind.check(setting.name, sent) == setting.default
    assert setting.kind.load(sent) == setting.default
    assert setting.zh and setting.en and setting.kind.expected("zh") and \
        setting.kind.expected("en")


@pytest.mark.parametrize("field", spec.LEVEL_FIELDS, ids=lambda f: f.name)
def test_every_level_default_is_inside_its_limits(field: spec.LevelField[Any]) -> None:
    for level in spec.LEVEL_DEFAULTS:
        value = spec.level_defaults(level)[field.name]
        assert field.kind.check(field.name, value) == value


def test_the_sms_signature_and_robot_defaults_are_designs() -> None:
    from dissuade.playbooks import guidance

    assert guidance.DEFAULT_SMS_SIGNATURE == spec.SMS_SIGNATURE.default == "【反诈中心】"
    assert spec.SMS_FIRST_LEVELS.default == spec.ROBOT_FIRST_LEVELS.default == ("medium", "low")
    assert "emergency" not in spec.ROBOT_FIRST_LEVELS.kind.options  # never waits for a robot
    assert spec.ROBOT_HOURS.kind.check("robot_hours", ["00:00", "24:00"]) == ("00:00", "24:00")


# -- the one checker --------------------------------------------------------------------------


@pytest.mark.parametrize("setting", EDITABLE, ids=lambda s: s.name)
def test_a_value_inside_the_limits_is_accepted(setting: spec.Setting[Any]) -> None:
    @QUICK
    @given(value=inside(setting.kind))
    def run(value: Any) -> None:
        checked = spec.check({setting.name: value})
        assert list(checked) == [setting.name]
        again = json.loads(json.dumps(setting.kind.dump(checked[setting.name])))
        assert setting.kind.check(setting.name, again) == checked[setting.name]

    run()


@pytest.mark.parametrize("setting", EDITABLE, ids=lambda s: s.name)
def test_a_value_outside_the_limits_is_refused_naming_the_setting(
        setting: spec.Setting[Any]) -> None:
    @QUICK
    @given(value=outside(setting.kind))
    def run(value: Any) -> None:
        with pytest.raises(InvalidInput) as err:
            spec.check({setting.name: value})
        assert err.value.field == setting.name
        assert setting.name in err.value.message
        assert setting.kind.expected("en") in err.value.message  # the limits, said

    run()


@pytest.mark.parametrize("field", spec.LEVEL_FIELDS, ids=lambda f: f.name)
def test_a_level_value_is_checked_by_its_declaration(field: spec.LevelField[Any]) -> None:
    @QUICK
    @given(good=inside(field.kind), bad=outside(field.kind))
    def run(good: Any, bad: Any) -> None:
        assert spec.check_level({field.name: good}) == {field.name: field.kind.check("", good)}
        with pytest.raises(InvalidInput) as err:
            spec.check_level({field.name: bad})
        assert err.value.field == field.name and field.kind.expected("en") in err.value.message

    run()


@pytest.mark.parametrize(("changes", "field"), [
    ({"colour": "red"}, "colour"), ({"timezone": "Asia/Tokyo"}, "timezone"),
    ({"levels": []}, "levels"), ({"chase": {"calls": 3}}, "chase")])
def test_an_unknown_or_read_only_setting_is_refused(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        spec.check(changes)
    assert err.value.field == field


def test_numbers_say_their_bounds_and_unit() -> None:
    with pytest.raises(InvalidInput) as err:
        spec.check({"hold_hours": 0})
    assert "1 h to 168 h" in err.value.message and "1小时到168小时" in err.value.message
    with pytest.raises(InvalidInput, match="whole number from 1 calls to 20 calls"):
        spec.check({"chase_calls": 2.5})
    for huge in (10**5000, float("nan"), float("inf")):  # refused, and the message stays short
        with pytest.raises(InvalidInput) as err:
            spec.check({"robot_lines": huge})
        assert len(err.value.message) < 300


# -- the settings table -----------------------------------------------------------------------


def test_the_chase_plan_is_read_and_written_in_its_stored_form(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    store.conn.execute("UPDATE settings SET value = ? WHERE key = 'chase'",
                       (json.dumps({"calls": 5, "interval_minutes": 15}),))
    store.conn.execute("DELETE FROM settings WHERE key = 'hold_hours'")  # a very old file
    store = Store(tmp_path / "c.db")  # a fresh cache
    policy = store.policy()
    assert (policy.chase_calls, policy.chase_interval_minutes) == (5, 15.0)
    assert policy.hold_hours == spec.HOLD_HOURS.default
    store.update_settings({"chase_interval_minutes": 20}, user="lead")
    (row,) = store.conn.execute("SELECT value FROM settings WHERE key = 'chase'").fetchone()
    assert json.loads(row) == {"calls": 5, "interval_minutes": 20.0}
    store.conn.execute("DELETE FROM settings WHERE key = 'chase'")
    store.update_settings({"chase_calls": 4}, user="lead")  # the other part takes its default
    (row,) = store.conn.execute("SELECT value FROM settings WHERE key = 'chase'").fetchone()
    assert json.loads(row) == {"calls": 4, "interval_minutes": spec.CHASE_INTERVAL_MINUTES.default}
    store.close()


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_what_is_stored_is_read_back_as_it_was_checked(data: st.DataObject) -> None:
    setting = data.draw(st.sampled_from(EDITABLE))
    value = data.draw(inside(setting.kind))
    checked = spec.check({setting.name: value})
    stored = {k: json.loads(json.dumps(v)) for k, v in spec.rows_for(checked, {}).items()}
    read = Policy.from_values({}, spec.stored_values(stored))
    expected = checked[setting.name]
    assert getattr(read, setting.name) == expected


def test_a_policy_reads_back_from_its_json_and_from_an_older_hubs() -> None:
    store = Store(":memory:")
    store.update_settings({"robot_lines": 8, "robot_hours": ["7:30", "22:00"],
                           "centres": {"思明区": "xm-siming"}, "sms_signature": " 【思明】 "},
                          user="lead")
    policy = store.policy()
    data = json.loads(json.dumps({**policy.settings_dict(),
                                  "levels": [lv.as_dict() for lv in policy.levels.values()]}))
    assert Policy.from_json(data) == policy
    assert (policy.robot_hours, policy.sms_signature) == (("07:30", "22:00"), "【思明】")
    older = {k: v for k, v in data.items() if k not in ("robot_lines", "centres", "forecast_target")}
    older["levels"] = [{k: v for k, v in lv.items() if k != "lease_minutes"} for lv in data["levels"]]
    read = Policy.from_json({**older, "something_newer": 1})
    assert read.robot_lines == spec.ROBOT_LINES.default and read.centres == {}
    assert read.level("low").lease_minutes == spec.level_defaults("low")["lease_minutes"]
    assert read.robot_hours == ("07:30", "22:00")
    store.close()


# -- the robot's and SMS's levels: new databases on, upgraded ones off (settled) ---------------


def test_a_new_database_starts_with_the_robot_and_sms_levels_on(tmp_path: Path) -> None:
    store = Store(tmp_path / "new.db")
    policy = store.policy()
    assert policy.robot_first_levels == spec.ROBOT_FIRST_LEVELS.default
    assert policy.sms_first_levels == spec.SMS_FIRST_LEVELS.default
    store.close()


def test_a_database_upgraded_from_before_starts_with_them_off(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m009_robot_and_sms_first_off_when_upgraded")
    db.close()
    store = Store(path)  # migrates
    policy = store.policy()
    assert policy.robot_first_levels == () and policy.sms_first_levels == ()
    assert policy.robot_lines == spec.ROBOT_LINES.default  # the others take their defaults
    store.update_settings({"robot_first_levels": ["low", "medium"]}, user="lead-1")
    assert store.policy().robot_first_levels == ("medium", "low")
    store.close()
    assert Store(path).policy().robot_first_levels == ("medium", "low")  # migrated once only
