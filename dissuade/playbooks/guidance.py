"""Guidance that follows the call: the stage the victim is at, the likely scam, objections found
by any part of a phrase. Pure functions over the playbooks; the script panel shows them."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from dissuade.domain.settings import SMS_SIGNATURE
from dissuade.playbooks.playbook import STAGE_KEYS, Library, Playbook

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
    """The type's SMS warning with the victim's name (a polite form when it is unknown), without
    the signature: `sms_segments` adds it and cuts the text into messages."""
    fallback = "机主" if not lang.startswith("en") else "Sir or Madam"
    return playbook.text("sms", lang).replace("{name}", name.strip() or fallback)


# -- SMS segments -----------------------------------------------------------------------------
#
# A Chinese SMS is sent in UCS-2: one message holds 70 characters (a message with even one
# Chinese character, the signature's included, is UCS-2 throughout). The carriers put the
# sender's signature (签名, the policy's `sms_signature`) at the start of every message, and it
# counts within the 70. Characters are counted as UTF-16 code units, as UCS-2 counts them: one for
# every Chinese character, letter, digit or punctuation mark, two for a character outside the
# Basic Multilingual Plane (an emoji). A text too long for one message is sent as several
# messages, each with its own signature and each ending at the end of a sentence, so that every
# message reads on its own whatever order it arrives in.

DEFAULT_SMS_SIGNATURE = SMS_SIGNATURE.default  # the policy's default (dissuade.domain.settings)
SMS_SEGMENT_LIMIT = 70
# A sentence ends at one of these; a full stop "." ends one too when spacing, a closing quote or
# the end of the text follows it (so "1.5" and "app.example" do not end sentences).
SENTENCE_ENDS = frozenset("。！？!?；;")
# What may follow a sentence's end mark and still belong to the sentence: closing quotes and
# brackets, then spacing (“……。” or "... now." followed by a space).
_CLOSERS = frozenset("”’\"'）)」』】》〉]")


def sms_length(text: str) -> int:
    """The length of `text` as an SMS counts it: UTF-16 code units (see above)."""
    return len(text.encode("utf-16-le")) // 2


def _ends_sentence(text: str, i: int) -> bool:
    if text[i] in SENTENCE_ENDS:
        return True
    after = text[i + 1:i + 2]
    return text[i] == "." and (not after or after.isspace() or after in _CLOSERS)


def sentences(text: str) -> list[str]:
    """`text` cut after each sentence end (。！？!?；; and a full stop before a space), each piece
    keeping the closing quotes and the spacing after its end mark; "".join(sentences(t)) == t."""
    out: list[str] = []
    start = i = 0
    while i < len(text):
        if not _ends_sentence(text, i):
            i += 1
            continue
        i += 1
        while i < len(text) and _ends_sentence(text, i):  # "？！" or "..." ends once
            i += 1
        while i < len(text) and text[i] in _CLOSERS:
            i += 1
        while i < len(text) and text[i].isspace():
            i += 1
        out.append(text[start:i])
        start = i
    if start < len(text):
        out.append(text[start:])
    return out


def _hard_split(sentence: str, room: int) -> list[str]:
    """A sentence longer than one message, cut into pieces of at most `room` code units (never
    inside a surrogate pair: a character is never split)."""
    pieces: list[str] = []
    current = ""
    for ch in sentence:
        if current and sms_length(current + ch) > room:
            pieces.append(current)
            current = ""
        current += ch
    if current:
        pieces.append(current)
    return pieces


def sms_segments(text: str, *, signature: str = DEFAULT_SMS_SIGNATURE,
                 limit: int = SMS_SEGMENT_LIMIT) -> list[str]:
    """`text` as the SMS messages to send, each `signature` + body and at most `limit` code units
    long, signature included (`sms_length`).

    One message when it fits. Otherwise the text is cut only at sentence ends (`sentences`), as
    many whole sentences in each message as fit; a single sentence that is itself longer than a
    message's room (limit minus the signature) is cut hard, at the last character that fits, and
    the rest continues in the next message. The bodies, joined, are `text` exactly. An empty text
    is no message. A signature that leaves no room for text is refused (ValueError).
    """
    if not text:
        return []
    room = limit - sms_length(signature)
    if room < 2:  # a character may take two code units
        raise ValueError(f"the signature {signature!r} leaves no room in a {limit}-character SMS")
    if sms_length(text) <= room:
        return [signature + text]
    bodies: list[str] = []
    current = ""
    for sentence in sentences(text):
        if sms_length(current + sentence) <= room:
            current += sentence
            continue
        if current:
            bodies.append(current)
            current = ""
        if sms_length(sentence) <= room:
            current = sentence
        else:
            *whole, current = _hard_split(sentence, room)
            bodies.extend(whole)
    if current:
        bodies.append(current)
    return [signature + body for body in bodies]
