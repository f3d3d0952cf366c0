"""README documents every command-line option, and shows the two commands CI relies on."""

from __future__ import annotations

import argparse
from pathlib import Path

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
