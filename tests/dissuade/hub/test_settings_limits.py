"""Every centre setting and per-level field, through both sources: any value inside its declared
limits is accepted and kept as checked, any value outside is refused naming the field (a 422
through the hub), and a refusal changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dissuade.domain import settings as spec
from dissuade.domain.errors import InvalidInput
from dissuade.sources import Source
from dissuade.store import Store
from tests.hubs import ThreadHub
from tests.settings_values import inside, kept, outside

Make = Callable[[str], Source]
EXAMPLES = settings(max_examples=6, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))
EDITABLE = [s for s in spec.SETTINGS if s.editable]


def _try_setting(lead: Source, stored: Store, setting: spec.Setting[Any]) -> None:
    @EXAMPLES
    @given(value=inside(setting.kind))
    def accepted(value: Any) -> None:
        before = getattr(lead.policy(), setting.name)
        policy = lead.update_settings({setting.name: value})
        assert getattr(policy, setting.name) == kept(setting, value, before), setting.name
        assert stored.policy() == lead.policy() == policy

    @EXAMPLES
    @given(value=outside(setting.kind))
    def refused(value: Any) -> None:
        before = stored.policy()
        with pytest.raises(InvalidInput) as err:
            lead.update_settings({setting.name: value})
        assert err.value.field == setting.name, (setting.name, value)
        assert stored.policy() == before

    accepted()
    refused()


def _try_level_field(lead: Source, stored: Store, field: spec.LevelField[Any]) -> None:
    @EXAMPLES
    @given(level=st.sampled_from(list(spec.LEVEL_DEFAULTS)), value=inside(field.kind))
    def accepted(level: str, value: Any) -> None:
        policy = lead.update_level_policy(level, {field.name: value})
        assert getattr(policy.level(level), field.name) == field.kind.check("", value)
        assert stored.policy() == policy

    # The hub's per-level route reads true and false as 1 and 0 before the core sees them.
    @EXAMPLES
    @given(level=st.sampled_from(list(spec.LEVEL_DEFAULTS)),
           value=outside(field.kind, booleans=False))
    def refused(level: str, value: Any) -> None:
        before = stored.policy()
        with pytest.raises(InvalidInput) as err:
            lead.update_level_policy(level, {field.name: value})
        assert err.value.field == field.name, (field.name, value)
        assert stored.policy() == before

    accepted()
    refused()


def test_every_setting_inside_its_limits_is_kept_and_outside_refused_naming_it(
        sources: Make, hub: ThreadHub) -> None:
    lead = sources("lead-1")
    stored = Store(hub.db)  # what the database holds, whichever source wrote it
    for setting in EDITABLE:
        _try_setting(lead, stored, setting)
    stored.close()


def test_every_level_field_inside_its_limits_is_kept_and_outside_refused_naming_it(
        sources: Make, hub: ThreadHub) -> None:
    lead = sources("lead-1")
    stored = Store(hub.db)
    for field in spec.LEVEL_FIELDS:
        _try_level_field(lead, stored, field)
    stored.close()


def test_a_change_of_several_settings_is_refused_whole_when_one_is_outside(
        sources: Make, hub: ThreadHub) -> None:
    lead = sources("lead-1")
    before = lead.policy()
    with pytest.raises(InvalidInput) as err:
        lead.update_settings({"robot_lines": 8, "robot_hours": ["21:00", "08:00"]})
    assert err.value.field == "robot_hours"
    stored = Store(hub.db)
    assert stored.policy() == before
    stored.close()
    assert lead.update_settings({"robot_lines": 8, "robot_hours": ["00:00", "24:00"]}
                                ).robot_hours == ("00:00", "24:00")
