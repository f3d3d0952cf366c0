"""Scam playbooks: one TOML file per scam code, in Chinese and English; loaded and checked."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dissuade import paths
from dissuade.domain.codes import ScamType
from dissuade.resources import resource_dir

LANGS = ("zh", "en")
STAGE_KEYS = ("contact", "trust", "hook", "payment", "repeat")


class PlaybookError(ValueError):
    """A playbook file that cannot be used, naming the file and the field."""

    def __init__(self, file: str, field: str, message: str) -> None:
        super().__init__(f"{file}: {field}: {message}")
        self.file = file
        self.field = field


@dataclass(frozen=True)
class Playbook:
    code: str
    data: dict[str, Any]
    path: Path

    def text(self, key: str, lang: str = "zh") -> str:
        value = self.data.get(key, {})
        return str(value.get(lang) or value.get("zh") or "") if isinstance(value, dict) else ""

    def items(self, key: str, lang: str = "zh") -> list[str]:
        value = self.data.get(key, {})
        return list(value.get(lang, [])) if isinstance(value, dict) else []

    @property
    def stages(self) -> list[dict[str, Any]]:
        return list(self.data.get("stages", []))

    @property
    def objections(self) -> list[dict[str, Any]]:
        return list(self.data.get("objections", []))


@dataclass
class Library:
    playbooks: dict[str, Playbook] = field(default_factory=dict)
    errors: list[PlaybookError] = field(default_factory=list)

    def get(self, code: str) -> Playbook | None:
        return self.playbooks.get(code) or self.playbooks.get(ScamType.UNKNOWN.value)


def _require_bilingual(file: str, data: dict[str, Any], key: str, *, kind: type) -> None:
    value = data.get(key)
    if not isinstance(value, dict):
        raise PlaybookError(file, key, "missing (需要 zh 与 en)")
    for lang in LANGS:
        item = value.get(lang)
        if not isinstance(item, kind) or not item:
            raise PlaybookError(file, f"{key}.{lang}", f"missing or not a {kind.__name__}")


def check(data: dict[str, Any], file: str) -> None:
    """Raise PlaybookError naming the first missing or malformed field."""
    code = data.get("code")
    if code != Path(file).stem:
        raise PlaybookError(file, "code", f"{code!r} does not match the file name")
    if code not in {c.value for c in ScamType}:
        raise PlaybookError(file, "code", f"{code!r} is not a scam-type code")
    for key in ("name", "summary", "sms", "voice"):
        _require_bilingual(file, data, key, kind=str)
    _require_bilingual(file, data, "channels", kind=list)
    stages = data.get("stages")
    if not isinstance(stages, list) or [s.get("key") for s in stages] != list(STAGE_KEYS):
        raise PlaybookError(file, "stages", f"need the five stages {', '.join(STAGE_KEYS)}")
    for i, stage in enumerate(stages):
        where = f"stages[{i}]"
        for key in ("name",):
            _require_bilingual(file, stage, key, kind=str)
        for key in ("red_flags", "questions", "say"):
            try:
                _require_bilingual(file, stage, key, kind=list)
            except PlaybookError as exc:
                raise PlaybookError(file, f"{where}.{exc.field}", "missing") from None
        cues = stage.get("cues")
        if not isinstance(cues, list) or not cues:
            raise PlaybookError(file, f"{where}.cues", "missing")
        for j, cue in enumerate(cues):
            for key in ("id", *LANGS):
                if not isinstance(cue.get(key), str) or not cue.get(key):
                    raise PlaybookError(file, f"{where}.cues[{j}].{key}", "missing")
    objections = data.get("objections")
    if not isinstance(objections, list) or not objections:
        raise PlaybookError(file, "objections", "missing")
    for i, obj in enumerate(objections):
        for key, kind in (("claim", str), ("rebuttals", list)):
            try:
                _require_bilingual(file, obj, key, kind=kind)
            except PlaybookError as exc:
                raise PlaybookError(file, f"objections[{i}].{exc.field}", "missing") from None
    if "{name}" not in data["sms"]["zh"] or "{name}" not in data["sms"]["en"]:
        raise PlaybookError(file, "sms", "must contain {name}")
    if not isinstance(data.get("rehearsal"), dict) or not data["rehearsal"].get("turns"):
        raise PlaybookError(file, "rehearsal.turns", "missing")


def load_file(path: Path) -> Playbook:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise PlaybookError(path.name, "(file)", f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise PlaybookError(path.name, "(file)", f"cannot read: {exc}") from None
    check(data, path.name)
    return Playbook(code=data["code"], data=data, path=path)


def local_folder() -> Path:
    """Where a centre's trainers keep their own playbook files (they override the shipped ones
    of the same code): `playbooks` in the data folder."""
    return paths.data_dir() / "playbooks"


def load_library(folder: Path | None = None, *, local: Path | None = None) -> Library:
    """Every playbook in `folder` (default: the shipped ones), then the trainers' files in
    `local` (default: local_folder()) over them. A broken file is reported with its name and
    field, and the others still load (a broken local file leaves the shipped one in use)."""
    library = Library()
    folders = [folder or resource_dir("playbooks")]
    if folder is None:
        folders.append(local or local_folder())
    elif local is not None:
        folders.append(local)
    for where in folders:
        if not where.is_dir():
            continue
        for path in sorted(where.glob("*.toml")):
            try:
                playbook = load_file(path)
            except PlaybookError as exc:
                library.errors.append(exc)
                continue
            library.playbooks[playbook.code] = playbook
    return library
