"""README documents every command-line option and the centre policy as declared, and shows the
two commands CI relies on."""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
from pathlib import Path

import pytest

from dissuade.cli import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
CI = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")


def _options(parser: argparse.ArgumentParser) -> set[str]:
    found = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found |= _options(sub)
        for flag in action.option_strings:
            if flag.startswith("--") and flag not in ("--help", "--version"):
                found.add(flag)
    return found


def test_every_command_line_option_is_in_the_readme() -> None:
    missing = sorted(o for o in _options(build_parser()) if o not in README)
    assert missing == []


def test_readme_test_command_is_what_ci_runs() -> None:
    assert "bash scripts/setup.sh test" in README
    assert "bash scripts/setup.sh test" in CI


def _policy_table():  # type: ignore[no-untyped-def]
    path = Path(__file__).resolve().parents[1] / "scripts" / "policy_table.py"
    spec = importlib.util.spec_from_file_location("policy_table", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _readme_policy_block(script) -> str:  # type: ignore[no-untyped-def]
    start = README.index(script.START)
    return README[start:README.index(script.END, start) + len(script.END)]


def test_readme_policy_tables_are_the_settings_declarations() -> None:
    script = _policy_table()
    assert _readme_policy_block(script) == script.render(), (
        "README's policy tables differ from dissuade/domain/settings.py: run "
        "python scripts/policy_table.py and paste its output into README")


def test_the_policy_table_check_sees_a_changed_default_or_bound(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from dissuade.domain import settings

    script = _policy_table()
    before = _readme_policy_block(script)
    hold = dataclasses.replace(settings.HOLD_HOURS, default=72.0)
    monkeypatch.setattr(settings, "SETTINGS", tuple(
        hold if s is settings.HOLD_HOURS else s for s in settings.SETTINGS))
    assert script.render() != before
    monkeypatch.undo()
    field = settings.LEVEL_FIELDS[0]
    wider = dataclasses.replace(field, kind=dataclasses.replace(field.kind, high=20_000))
    monkeypatch.setattr(settings, "LEVEL_FIELDS", (wider, *settings.LEVEL_FIELDS[1:]))
    assert script.render() != before
