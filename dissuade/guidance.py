"""Guidance that follows the call: the stage the victim is at, the likely scam, objections found
by any part of a phrase. Pure functions over the playbooks; the script panel shows them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from dissuade.playbook import STAGE_KEYS, Library, Playbook

OWN_WEIGHT = 1.0  # a cue counts fully for its own playbook's type
ALSO_WEIGHT = 0.5  # and half for each type it is also typical of


@dataclass(frozen=True, slots=True)
class Cue:
    id: str
    stage: str
    zh: str
    en: str
    code: str  # the playbook it belongs to
    also: tuple[str, ...]

    def text(self, lang: str) -> str:
        return self.en if lang.startswith("en") else self.zh


def cues(playbook: Playbook) -> list[Cue]:
    """The playbook's cues in stage order."""
    return [Cue(str(c["id"]), str(stage["key"]), str(c["zh"]), str(c["en"]), playbook.code,
                tuple(c.get("also", ()))) for stage in playbook.stages for c in stage["cues"]]


def all_cues(library: Library) -> dict[str, Cue]:
    return {c.id: c for book in library.playbooks.values() for c in cues(book)}


def current_stage(playbook: Playbook, ticked: set[str]) -> str:
    """The furthest stage the victim has reported something from; `contact` when nothing yet."""
    reached = {c.stage for c in cues(playbook) if c.id in ticked}
    for key in reversed(STAGE_KEYS):
        if key in reached:
            return key
    return STAGE_KEYS[0]


def stage(playbook: Playbook, key: str) -> dict[str, Any]:
    return next(s for s in playbook.stages if s["key"] == key)


def rank_types(library: Library, ticked: set[str]) -> list[tuple[str, float]]:
    """Scam types the ticked cues point to, most likely first (`unknown` never ranks)."""
    known = all_cues(library)
    scores: dict[str, float] = {}
    for cue_id in ticked:
        cue = known.get(cue_id)
        if cue is None:
            continue
        if cue.code != "unknown":
            scores[cue.code] = scores.get(cue.code, 0.0) + OWN_WEIGHT
        for code in cue.also:
            if code != "unknown":
                scores[code] = scores.get(code, 0.0) + ALSO_WEIGHT
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def suggestion(library: Library, current: str, ticked: set[str]) -> str | None:
    """Another type the cues point to more than the warning's own, or None."""
    ranked = rank_types(library, ticked)
    if not ranked:
        return None
    best, score = ranked[0]
    own = dict(ranked).get(current, 0.0)
    return best if best != current and score > own else None


def _norm(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


@dataclass(frozen=True, slots=True)
class Found:
    code: str
    claim: str
    rebuttals: tuple[str, ...]


def search_objections(library: Library, query: str, lang: str, *,
                      first: str | None = None) -> list[Found]:
    """Objections whose claim or rebuttals contain `query` anywhere ("自愿" finds "我是自愿
    转账的"), in either language; those of the type `first` come first."""
    needle = _norm(query)
    if not needle:
        return []
    found: list[Found] = []
    order = sorted(library.playbooks, key=lambda code: (code != first, code))
    for code in order:
        for obj in library.playbooks[code].objections:
            texts = [obj["claim"].get("zh", ""), obj["claim"].get("en", ""),
                     *obj["rebuttals"].get("zh", []), *obj["rebuttals"].get("en", [])]
            if any(needle in _norm(t) for t in texts):
                found.append(Found(code, obj["claim"].get(lang) or obj["claim"]["zh"],
                                   tuple(obj["rebuttals"].get(lang) or obj["rebuttals"]["zh"])))
    return found


def sms_text(playbook: Playbook, *, name: str, lang: str) -> str:
    """The type's SMS warning with the victim's name (a polite form when it is unknown)."""
    fallback = "机主" if not lang.startswith("en") else "Sir or Madam"
    return playbook.text("sms", lang).replace("{name}", name.strip() or fallback)
