"""Rehearsal: keyword scoring, every playbook's scripted turns, and a session from start to end."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dissuade.domain.errors import InvalidInput
from dissuade.playbooks.playbook import LANGS, Playbook, load_library
from dissuade.playbooks.rehearsal import Session, choice_lengths, choice_scores, normalise, score_answer

LIBRARY = load_library()
PLAYBOOKS = sorted(LIBRARY.playbooks.values(), key=lambda p: p.code)
# Every (playbook, language, turn index, turn) there is.
TURNS = [(book, lang, i, turn) for book in PLAYBOOKS for lang in LANGS
         for i, turn in enumerate(book.data["rehearsal"]["turns"])]
KEYWORDS = [(lang, point, kw) for _book, lang, _i, turn in TURNS for point in turn["points"]
            for kw in point[f"keywords_{lang}"]]
LOAN_POINTS = LIBRARY.playbooks["fake_loan"].data["rehearsal"]["turns"][0]["points"]


def _made(text: str, points: list[dict[str, Any]], lang: str) -> set[str]:
    return set(score_answer(text, points, lang)[0])


def test_there_are_thirteen_playbooks_with_turns() -> None:
    assert len(PLAYBOOKS) == 13
    assert all(book.data["rehearsal"]["turns"] for book in PLAYBOOKS)


# -- scoring ------------------------------------------------------------------------------

def test_a_keyword_makes_its_point_and_nothing_else_does() -> None:
    made, missed = score_answer("卡号错了钱只会原路退回。", LOAN_POINTS, "zh")
    assert made == ["fl_r1_p1"] and missed == ["fl_r1_p2"]
    assert score_answer("", LOAN_POINTS, "zh") == ([], ["fl_r1_p1", "fl_r1_p2"])


@pytest.mark.parametrize(("text", "lang"), [
    ("不 存 在", "zh"),               # spaces between characters
    ("不存在！", "zh"),                # full-width punctuation
    ("放款前，不收", "zh"),
    ("There is NO SUCH fee", "en"),   # case
    ("no\u3000such fee", "en"),       # an ideographic space
    ("ｎｏ ｓｕｃｈ fee", "en"),        # full-width letters (NFKC)
    ("no-such fee", "en"),            # punctuation between words
    ("It BOUNCES back", "en"),        # a word the keyword begins
])
def test_matching_ignores_case_width_spacing_and_punctuation(text: str, lang: str) -> None:
    assert score_answer(text, LOAN_POINTS, lang)[0]


def test_english_contractions_and_apostrophes_are_one_word() -> None:
    points = [{"id": "p", "keywords_en": ["don't delete"]}]
    for text in ("Don't delete it", "don’t delete", "dont delete", "Do not delete the app"):
        assert _made(text, points, "en") == {"p"}, text
    assert normalise("Can’t, WON'T", "en") == "can not will not"


def test_english_keywords_start_at_a_word() -> None:
    points = [{"id": "p", "keywords_en": ["bank"]}]
    assert _made("go to your bank branch", points, "en") == {"p"}
    assert _made("banks are safe", points, "en") == {"p"}
    assert _made("the river embankment", points, "en") == set()


def test_a_language_scores_with_its_own_keywords_only() -> None:
    assert score_answer("no such fee", LOAN_POINTS, "zh")[0] == []
    with pytest.raises(InvalidInput):
        score_answer("x", LOAN_POINTS, "fr")


separators = st.sampled_from([" ", "，", "。", "\n", "! ", "、"])


@given(st.sampled_from(KEYWORDS), st.text(max_size=40), st.text(max_size=40), separators,
       separators)
def test_an_answer_containing_a_keyword_always_makes_its_point(
        case: tuple[str, dict[str, Any], str], before: str, after: str, sep1: str,
        sep2: str) -> None:
    lang, point, keyword = case
    assert point["id"] in _made(before + sep1 + keyword + sep2 + after, [point], lang)


@given(st.sampled_from(TURNS), st.text(max_size=120), st.text(max_size=60), st.booleans())
def test_adding_unrelated_text_never_loses_a_point(
        case: tuple[Playbook, str, int, dict[str, Any]], answer: str, extra: str,
        before: bool) -> None:
    _book, lang, _i, turn = case
    points = turn["points"]
    # A real answer of the turn, or random text: either way nothing it made may be lost.
    base = answer or turn["choices"][0][lang]
    longer = f"{extra} {base}" if before else f"{base} {extra}"
    assert _made(base, points, lang) <= _made(longer, points, lang)


# -- content: every playbook's turns ------------------------------------------------------

def _content_problems() -> tuple[list[str], list[str], int]:
    """(turns whose correct choice makes no point or a wrong one scores as well; turns whose
    correct choice misses a point; number of turns checked)."""
    bad: list[str] = []
    partial: list[str] = []
    checked = 0
    for book in PLAYBOOKS:
        for lang in LANGS:
            turns = book.data["rehearsal"]["turns"]
            for i, scores in choice_scores(book, lang):
                checked += 1
                right = [n for correct, n in scores if correct]
                wrong = [n for correct, n in scores if not correct]
                where = f"{book.code}.toml turn {i + 1} ({lang})"
                if len(right) != 1 or right[0] == 0:
                    bad.append(f"{where}: the correct choice makes no point")
                elif any(n >= right[0] for n in wrong):
                    bad.append(f"{where}: a wrong choice scores {max(wrong)}, "
                               f"the right one {right[0]}")
                if right and right[0] < len(turns[i]["points"]):
                    partial.append(f"{where}: the correct choice makes {right[0]} of "
                                   f"{len(turns[i]['points'])} points")
    return bad, partial, checked


def test_correct_choices_make_points_and_wrong_ones_fewer() -> None:
    bad, partial, checked = _content_problems()
    assert checked >= 12 * 2 * 4
    assert bad == [], "\n".join(bad)
    # The model answer makes every point: a miss here is a keyword gap in the playbook.
    assert partial == [], "\n".join(partial)


# A trainee who always picks the longest answer (or the shortest, or the middle one) must not do
# much better than chance (one in three): each rule finds the right answer in at most 40% of the
# turns, over all playbooks in each language, and in at most 40% (rounded up) of any one
# playbook's turns, since a trainee rehearses one playbook at a time. Lengths are in characters,
# as shown; a tie counts against the content (a right answer as long as the longest wrong one is
# "the longest").
LENGTH_RULE_MAX_SHARE = 0.4


def _length_rules(book: Playbook, lang: str) -> dict[str, int]:
    found = {"longest": 0, "shortest": 0, "middle": 0}
    for _i, shorter, longer in choice_lengths(book, lang):
        found["longest"] += longer == 0
        found["shortest"] += shorter == 0
        found["middle"] += shorter > 0 and longer > 0
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_the_right_answer_is_not_given_away_by_its_length(lang: str) -> None:
    totals = {"longest": 0, "shortest": 0, "middle": 0}
    turns = 0
    too_often: list[str] = []
    for book in PLAYBOOKS:
        n = len(book.data["rehearsal"]["turns"])
        turns += n
        allowed = math.ceil(LENGTH_RULE_MAX_SHARE * n)
        for rule, count in _length_rules(book, lang).items():
            totals[rule] += count
            if count > allowed:
                too_often.append(f"{book.code} ({lang}): the right answer is the {rule} one in "
                                 f"{count} of {n} turns")
    assert too_often == [], "\n".join(too_often)
    for rule, count in totals.items():
        assert count <= LENGTH_RULE_MAX_SHARE * turns, (lang, rule, count, turns)


def test_the_length_check_sees_a_give_away() -> None:
    """The check itself: turns whose right answer is always the longest (as in every shipped
    playbook before the distractors were rewritten) are caught."""
    book = LIBRARY.playbooks["fake_loan"]
    data = {**book.data, "rehearsal": {"turns": [
        {"points": [], "choices": [{"zh": "长长长长长长", "correct": True}, {"zh": "短"},
                                   {"zh": "短短"}]}] * 5}}
    rules = _length_rules(Playbook(book.code, data, book.path), "zh")
    assert rules == {"longest": 5, "shortest": 0, "middle": 0}


@pytest.mark.parametrize("book", PLAYBOOKS, ids=lambda b: b.code)
def test_every_turn_has_three_choices_and_keywords_in_both_languages(book: Playbook) -> None:
    for turn in book.data["rehearsal"]["turns"]:
        assert len(turn["choices"]) == 3
        assert sum(bool(c.get("correct")) for c in turn["choices"]) == 1
        for lang in LANGS:
            assert turn["victim"][lang]
            for point in turn["points"]:
                assert point[lang] and point[f"keywords_{lang}"], point["id"]


# -- sessions -----------------------------------------------------------------------------

def test_a_session_runs_turn_by_turn_to_the_end() -> None:
    book = LIBRARY.playbooks["fake_loan"]
    session = Session(book, "zh", seed=1)
    assert "外卖骑手" in session.persona
    assert session.points_total == sum(len(t["points"]) for t in book.data["rehearsal"]["turns"])
    first = session.current
    assert first is not None and first.index == 0 and "解冻金" in first.victim
    right = next(i for i, c in enumerate(first.choices) if c.correct)
    result = session.answer(choice=right)
    assert result.correct is True and result.missed == () and len(result.made) == 2
    assert result.model_answer == first.choices[right].text

    second = session.current
    assert second is not None and second.index == 1
    wrong = next(i for i, c in enumerate(second.choices) if not c.correct)
    result = session.answer(choice=wrong)
    assert result.correct is False and result.missed
    assert result.missed_texts and all(isinstance(t, str) and t for t in result.missed_texts)
    assert result.model_answer == second.model_answer != second.choices[wrong].text

    result = session.answer("我理解您着急，建议去银行办理")
    assert result.correct is None and set(result.made) == {"fl_r3_p1", "fl_r3_p2"}
    while not session.finished:
        session.answer("嗯")
    assert session.current is None
    assert 0 < session.points_made < session.points_total
    assert session.score == session.points_made / session.points_total
    detail = session.detail()
    assert [d["turn"] for d in detail] == list(range(1, len(session.turns) + 1))
    assert detail[0]["victim"] == first.victim and detail[2]["answer"].startswith("我理解")
    assert {"made", "missed"} <= set(detail[1])
    assert session.missed_points()[0][0] == 2
    with pytest.raises(InvalidInput):
        session.answer("more")


def test_an_answer_needs_exactly_one_of_text_and_choice() -> None:
    session = Session(LIBRARY.playbooks["fake_loan"], "en", seed=0)
    for kwargs in ({}, {"text": "  "}):
        with pytest.raises(InvalidInput):
            session.answer(**kwargs)
    with pytest.raises(InvalidInput):
        session.answer("text", choice=0)
    with pytest.raises(InvalidInput):
        session.answer(choice=3)
    assert session.answer(choice=0).turn == 0


def test_english_sessions_read_english_text() -> None:
    session = Session(LIBRARY.playbooks["fake_loan"], "en", seed=0)
    assert "food-delivery" in session.persona
    turn = session.current
    assert turn is not None and "unfreezing" in turn.victim
    assert all(p.text.isascii() for p in turn.points)


def test_choices_are_shuffled_reproducibly() -> None:
    book = LIBRARY.playbooks["fake_loan"]

    def order(seed: int) -> list[list[str]]:
        return [[c.text for c in t.choices] for t in Session(book, "zh", seed=seed).turns]

    assert order(3) == order(3)
    playbook_order = [[c["zh"] for c in t["choices"]] for t in book.data["rehearsal"]["turns"]]
    for seed in range(5):
        shuffled = order(seed)
        assert [sorted(t) for t in shuffled] == [sorted(t) for t in playbook_order]
    # The right answer is not always shown first (in the playbook it always is).
    firsts = {next(i for i, c in enumerate(t.choices) if c.correct)
              for seed in range(20) for t in Session(book, "zh", seed=seed).turns}
    assert firsts == {0, 1, 2}


def test_a_session_reads_only_the_playbook(monkeypatch: pytest.MonkeyPatch) -> None:
    """Synthetic people only: a session never opens a source or a database."""
    import dissuade.sources
    import dissuade.store

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a rehearsal must not open a source or a database")

    monkeypatch.setattr(dissuade.sources, "open_source", refuse)
    monkeypatch.setattr(dissuade.store, "Store", refuse)
    for book in PLAYBOOKS:
        session = Session(book, "zh", seed=0)
        while not session.finished:
            session.answer(choice=0)
        assert session.points_total > 0
