"""Trainers' rehearsal: a playbook's scripted victim, the trainee's answers, keyword scoring."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dissuade.domain.errors import InvalidInput
from dissuade.playbooks.playbook import LANGS, Playbook

_APOSTROPHES = "'\u2019\u2018\u02bc\u0060\u00b4"
_SPACES = re.compile(r"\s+")
# Contractions spelt out, word for word, in answers and keywords alike: don't == do not.
_CONTRACTIONS = {"dont": "do not", "doesnt": "does not", "didnt": "did not", "cant": "can not",
                 "cannot": "can not", "wont": "will not", "isnt": "is not", "arent": "are not",
                 "wasnt": "was not", "havent": "have not", "hasnt": "has not",
                 "shouldnt": "should not", "wouldnt": "would not", "couldnt": "could not"}


def normalise(text: str, lang: str) -> str:
    """Text as the scorer compares it: NFKC, case-folded, punctuation and spacing ignored.

    Chinese keeps only letters and digits (so 不 存在 and 不存在 match); English keeps words
    separated by single spaces, apostrophes dropped and contractions spelt out
    (don't == dont == don’t == do not).
    """
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    out: list[str] = []
    for ch in text:
        if ch.isalnum():
            out.append(ch)
        elif ch in _APOSTROPHES:
            continue
        elif lang != "zh":
            out.append(" ")
    joined = "".join(out)
    if lang == "zh":
        return joined
    return " ".join(_CONTRACTIONS.get(word, word) for word in _SPACES.split(joined) if word)


def _contains(haystack: str, needle: str, lang: str) -> bool:
    """Chinese: a plain substring. English: the keyword must begin a word (bank ≠ embankment)."""
    if not needle:
        return False
    if lang == "zh":
        return needle in haystack
    return f" {needle}" in f" {haystack}"


def keywords_of(point: dict[str, Any], lang: str) -> list[str]:
    return [str(k) for k in point.get(f"keywords_{lang}", []) if str(k).strip()]


def score_answer(text: str, points: Sequence[dict[str, Any]], lang: str) -> tuple[list[str], list[str]]:
    """(ids of the points made, ids missed): a point is made when the answer has any keyword."""
    _check_lang(lang)
    return _score(text, [(str(p["id"]), keywords_of(p, lang)) for p in points], lang)


def _score(text: str, points: Iterable[tuple[str, Sequence[str]]],
           lang: str) -> tuple[list[str], list[str]]:
    answer = normalise(text or "", lang)
    made: list[str] = []
    missed: list[str] = []
    for point_id, keywords in points:
        hit = any(_contains(answer, normalise(k, lang), lang) for k in keywords)
        (made if hit else missed).append(point_id)
    return made, missed


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise InvalidInput(f"不支持的语言 / unsupported language: {lang!r}", field="lang")


def _text(value: Any, lang: str) -> str:
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("zh") or "")
    return str(value or "")


@dataclass(frozen=True, slots=True)
class Point:
    id: str
    text: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Choice:
    text: str
    correct: bool


@dataclass(frozen=True, slots=True)
class Turn:
    index: int
    victim: str
    points: tuple[Point, ...]
    choices: tuple[Choice, ...]  # in the order shown: shuffled, never the playbook's order

    @property
    def model_answer(self) -> str:
        return next((c.text for c in self.choices if c.correct), "")


@dataclass(frozen=True, slots=True)
class TurnResult:
    turn: int  # 0-based
    victim: str
    answer: str
    choice: int | None  # the shown choice picked, None when typed
    correct: bool | None  # whether the picked choice was the right one; None when typed
    made: tuple[str, ...]
    missed: tuple[str, ...]
    missed_texts: tuple[str, ...]  # what the trainee should have said: the feedback
    made_texts: tuple[str, ...]
    model_answer: str

    def as_dict(self) -> dict[str, Any]:
        return {"turn": self.turn + 1, "victim": self.victim, "answer": self.answer,
                "choice": self.choice, "correct": self.correct, "made": list(self.made),
                "missed": list(self.missed)}


@dataclass
class Session:
    """One rehearsal of one playbook in one language; reads the playbook and nothing else.

    The persona is synthetic: no warning, phone number or person is ever looked up or made.
    """

    playbook: Playbook
    lang: str = "zh"
    seed: int | None = None
    persona: str = field(init=False, default="")
    turns: list[Turn] = field(init=False)
    results: list[TurnResult] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        _check_lang(self.lang)
        rng = random.Random(self.seed)
        rehearsal = self.playbook.data.get("rehearsal", {})
        self.persona = _text(rehearsal.get("persona"), self.lang)
        self.turns = [self._turn(i, t, rng) for i, t in enumerate(rehearsal.get("turns", []))]

    def _turn(self, index: int, data: dict[str, Any], rng: random.Random) -> Turn:
        points = tuple(Point(str(p["id"]), _text(p, self.lang), tuple(keywords_of(p, self.lang)))
                       for p in data.get("points", []))
        choices = [Choice(_text(c, self.lang), bool(c.get("correct"))) for c in data.get("choices", [])]
        rng.shuffle(choices)
        return Turn(index, _text(data.get("victim"), self.lang), points, tuple(choices))

    @property
    def scam_type(self) -> str:
        return self.playbook.code

    @property
    def current(self) -> Turn | None:
        return self.turns[len(self.results)] if not self.finished else None

    @property
    def finished(self) -> bool:
        return len(self.results) >= len(self.turns)

    @property
    def points_total(self) -> int:
        return sum(len(t.points) for t in self.turns)

    @property
    def points_made(self) -> int:
        return sum(len(r.made) for r in self.results)

    @property
    def score(self) -> float:
        return self.points_made / self.points_total if self.points_total else 0.0

    def answer(self, text: str | None = None, *, choice: int | None = None) -> TurnResult:
        """Score the current turn's answer: typed text, or the shown choice `choice`."""
        turn = self.current
        if turn is None:
            raise InvalidInput("演练已结束 / the rehearsal is over", field="answer")
        if (choice is None) == (text is None or not text.strip()):
            raise InvalidInput("请选择一个回答或输入回答（二选一）/ choose an answer or type one",
                               field="answer")
        picked: Choice | None = None
        if choice is not None:
            if not 0 <= choice < len(turn.choices):
                raise InvalidInput(f"没有第 {choice + 1} 个选项 / no choice {choice}", field="choice")
            picked = turn.choices[choice]
            text = picked.text
        answer = (text or "").strip()
        made, missed = _score(answer, [(p.id, p.keywords) for p in turn.points], self.lang)
        by_id = {p.id: p.text for p in turn.points}
        result = TurnResult(
            turn=turn.index, victim=turn.victim, answer=answer, choice=choice,
            correct=None if picked is None else picked.correct, made=tuple(made),
            missed=tuple(missed), missed_texts=tuple(by_id[i] for i in missed),
            made_texts=tuple(by_id[i] for i in made), model_answer=turn.model_answer)
        self.results.append(result)
        return result

    def missed_points(self) -> list[tuple[int, str]]:
        """(1-based turn, what should have been said) for every point missed so far."""
        return [(r.turn + 1, text) for r in self.results for text in r.missed_texts]

    def detail(self) -> list[dict[str, Any]]:
        """Per-turn records to save with the result (JSON-ready)."""
        return [r.as_dict() for r in self.results]


def choice_scores(playbook: Playbook, lang: str) -> Iterable[tuple[int, list[tuple[bool, int]]]]:
    """For content checks: per turn, (correct, points made) of every choice in playbook order."""
    for i, turn in enumerate(playbook.data.get("rehearsal", {}).get("turns", [])):
        points = turn.get("points", [])
        yield i, [(bool(c.get("correct")), len(score_answer(_text(c, lang), points, lang)[0]))
                  for c in turn.get("choices", [])]


def choice_lengths(playbook: Playbook, lang: str) -> Iterable[tuple[int, int, int]]:
    """For content checks: per turn, (turn index, how many wrong choices are shorter than the
    right one, how many are longer), lengths in characters as the trainee sees them. The right
    answer is the longest when none is longer, the shortest when none is shorter (a tie counts
    both ways, against the content)."""
    for i, turn in enumerate(playbook.data.get("rehearsal", {}).get("turns", [])):
        choices = turn.get("choices", [])
        right = [len(_text(c, lang)) for c in choices if c.get("correct")]
        wrong = [len(_text(c, lang)) for c in choices if not c.get("correct")]
        if len(right) != 1:
            continue
        yield i, sum(n < right[0] for n in wrong), sum(n > right[0] for n in wrong)
