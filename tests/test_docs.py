"""README documents every command-line option and the centre policy as declared, and shows the
two commands CI relies on. README and docs/architecture.md cite only the repository: nothing
under dissuade/, ui/, tests/, scripts/ or docs/ names a design document outside it, their links
and the paths they name exist, and every section the code cites is there."""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import re
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


# -- the repository cites only itself ------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = ROOT / "docs" / "architecture.md"
# Where code, docs and tests live; every text file under them is read.
CITING = ("dissuade", "ui", "tests", "scripts", "docs")
# A design document outside the repository, by name or by path.
OUTSIDE = re.compile(r"DESIGN\.md|\bDESIGN\b|\.\./shared")


def _text_files() -> list[Path]:
    found = [ROOT / "README.md"]
    for top in CITING:
        for path in sorted((ROOT / top).rglob("*")):
            if not path.is_file() or "__pycache__" in path.parts or path == Path(__file__):
                continue
            data = path.read_bytes()
            if b"\0" in data:  # a picture, a compiled catalogue
                continue
            found.append(path)
    return found


def test_nothing_cites_a_document_outside_the_repository() -> None:
    cited = []
    for path in _text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                cited.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert cited == [], "cite docs/architecture.md or README.md (a section) instead"


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _headings(path: Path) -> list[str]:
    return [line.lstrip("#").strip() for line in _prose(path.read_text(encoding="utf-8"))
            .splitlines() if re.match(r"#{1,6} ", line)]


def _prose(text: str) -> str:
    """Markdown without its fenced code blocks (whose brackets and # are not links or headings)."""
    return re.sub(r"^```.*?^```[^\n]*$", "", text, flags=re.M | re.S)


LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


@pytest.mark.parametrize("doc", ["README.md", "docs/architecture.md"])
def test_every_relative_link_points_to_something_that_exists(doc: str) -> None:
    source = ROOT / doc
    broken = []
    for target in LINK.findall(re.sub(r"`[^`\n]*`", "", _prose(source.read_text(encoding="utf-8")))):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:
            continue
        where, _, anchor = target.partition("#")
        path = (source.parent / where).resolve() if where else source
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in map(_anchor, _headings(path)):
            broken.append(f"{target}: no such heading in {path.relative_to(ROOT)}")
    assert broken == []


PATH = re.compile(r"`((?:dissuade|ui|tests|scripts|docs|resources|\.ci)/[\w./-]*)`")


@pytest.mark.parametrize("doc", ["README.md", "docs/architecture.md"])
def test_every_repository_path_named_exists(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    missing = sorted({p for p in PATH.findall(text) if not (ROOT / p.rstrip("/")).exists()})
    assert missing == []


# `docs/architecture.md, "The queue"`, `README, "Centre policy"`, `README ("Centre policy")`
CITATION = re.compile(r"(docs/architecture\.md|README(?:\.md)?)[,:]?\s*\(?\s*\"([^\"\n]+)\"")


def test_every_section_cited_from_the_code_exists() -> None:
    sections = {"docs/architecture.md": set(_headings(ARCHITECTURE)),
                "README": set(_headings(ROOT / "README.md"))}
    missing = []
    for path in _text_files():
        if path.suffix != ".py":
            continue
        for doc, section in CITATION.findall(path.read_text(encoding="utf-8")):
            key = "README" if doc.startswith("README") else doc
            if section not in sections[key]:
                missing.append(f"{path.relative_to(ROOT)}: {doc}, \"{section}\"")
    assert missing == []
