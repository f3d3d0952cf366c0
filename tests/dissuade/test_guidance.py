"""Guidance rules: stage from ticked cues, likely types, objection search by any part."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dissuade.playbooks import guidance
from dissuade.playbooks.playbook import STAGE_KEYS, load_library

LIBRARY = load_library()


def test_the_stage_is_the_furthest_one_with_a_ticked_cue() -> None:
    book = LIBRARY.playbooks["fake_loan"]
    cues = guidance.cues(book)
    by_stage = {c.stage: c.id for c in cues}
    assert guidance.current_stage(book, set()) == "contact"
    assert guidance.current_stage(book, {by_stage["trust"]}) == "trust"
    assert guidance.current_stage(book, {by_stage["contact"], by_stage["payment"]}) == "payment"


@given(st.sets(st.sampled_from(sorted(guidance.all_cues(LIBRARY)))))
def test_ranking_is_ordered_and_never_offers_unknown(ticked: set[str]) -> None:
    ranked = guidance.rank_types(LIBRARY, ticked)
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(code != "unknown" for code, _ in ranked)
    assert bool(ranked) == any(
        c.code != "unknown" or any(a != "unknown" for a in c.also)
        for cid, c in guidance.all_cues(LIBRARY).items() if cid in ticked)


def test_cues_of_one_type_rank_that_type_first() -> None:
    for code, book in LIBRARY.playbooks.items():
        if code == "unknown":
            continue
        ticked = {c.id for c in guidance.cues(book)}
        assert guidance.rank_types(LIBRARY, ticked)[0][0] == code
        assert guidance.suggestion(LIBRARY, code, ticked) is None
        assert guidance.suggestion(LIBRARY, "unknown", ticked) == code


def test_unknown_cues_point_to_specific_types() -> None:
    unknown = guidance.cues(LIBRARY.playbooks["unknown"])
    screen = [c for c in unknown if "屏幕" in c.zh or "共享" in c.zh]
    assert screen, "the unknown playbook asks about screen sharing"
    ranked = guidance.rank_types(LIBRARY, {screen[0].id})
    assert ranked and ranked[0][0] != "unknown"


def test_objections_are_found_by_any_part_of_a_chinese_phrase() -> None:
    found = guidance.search_objections(LIBRARY, "自愿", "zh")
    assert found and all(
        "自愿" in f.claim or any("自愿" in r for r in f.rebuttals)
        or "voluntar" in f.claim.lower() for f in found)
    assert guidance.search_objections(LIBRARY, "户4", "zh") == []
    partial = guidance.search_objections(LIBRARY, "解冻", "zh", first="fake_loan")
    assert partial[0].code == "fake_loan"
    english = guidance.search_objections(LIBRARY, "VOLUNTARILY", "en")
    assert english and all(f.claim.isascii() or f.claim for f in english)
    assert guidance.search_objections(LIBRARY, "  ", "zh") == []


def test_sms_text_names_the_person_or_greets_politely() -> None:
    book = LIBRARY.playbooks["fake_loan"]
    assert guidance.sms_text(book, name="王五", lang="zh").startswith("王五")
    assert "{name}" not in guidance.sms_text(book, name="", lang="zh")
    assert STAGE_KEYS[0] == "contact"


# -- SMS segments -------------------------------------------------------------------------------

# The longest name an automatic SMS is planned for: a four-character name (a two-character
# surname and a two-character given name). Synthetic, as every name in the tests.
LONG_NAME = "欧阳晓明"
# A sentence ends at one of these, then closing quotes and brackets, then spacing (checked here
# independently of guidance.sentences).
_CLOSE = "”’\"'）)」』】》〉\\]"
_END = rf"(?:[。！？!?；;]|\.(?=[\s{_CLOSE}]|$))"
_SENTENCE = re.compile(rf"(?:(?!{_END}).)*(?:{_END}+[{_CLOSE}]*\s*|$)", re.S)


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.end() > m.start()]


@pytest.mark.parametrize("code", sorted(LIBRARY.playbooks))
def test_every_chinese_sms_fits_one_message_with_a_long_name_and_the_signature(code: str) -> None:
    """What the hub sends by itself at arrival: one message, signature included."""
    text = guidance.sms_text(LIBRARY.playbooks[code], name=LONG_NAME, lang="zh")
    segments = guidance.sms_segments(text)
    assert len(segments) == 1, (code, guidance.sms_length(guidance.DEFAULT_SMS_SIGNATURE + text))
    assert segments[0] == guidance.DEFAULT_SMS_SIGNATURE + text
    assert guidance.sms_length(segments[0]) <= 70


@pytest.mark.parametrize("code", sorted(LIBRARY.playbooks))
def test_every_english_sms_splits_only_at_sentence_ends(code: str) -> None:
    """An officer's SMS may take several messages: each of them ends a sentence."""
    text = guidance.sms_text(LIBRARY.playbooks[code], name="Sir or Madam", lang="en")
    segments = guidance.sms_segments(text)
    assert "".join(s.removeprefix(guidance.DEFAULT_SMS_SIGNATURE) for s in segments) == text
    for segment in segments:
        assert guidance.sms_length(segment) <= 70
        assert segment.rstrip().rstrip("\"'”’)").endswith((".", "!", "?", ";")), (code, segment)


def test_a_short_text_is_one_message_with_the_signature_first() -> None:
    assert guidance.sms_segments("您好。") == ["【反诈中心】您好。"]
    assert guidance.sms_segments("您好。", signature="【某市反诈】") == ["【某市反诈】您好。"]
    assert guidance.sms_segments("") == []
    exactly = "好" * 64
    assert guidance.sms_segments(exactly) == ["【反诈中心】" + exactly]
    assert len(guidance.sms_segments(exactly + "。")) == 2


def test_a_long_text_splits_after_whole_sentences() -> None:
    first, second = "请立即停止转账。" * 7, "咨询请拨打96110或110。"  # 56 + 16 > 64
    segments = guidance.sms_segments(first + second)
    assert segments == ["【反诈中心】" + first, "【反诈中心】" + second]


def test_a_sentence_longer_than_a_message_is_cut_hard() -> None:
    """64 characters of room after the 6-character signature: 150 characters with no sentence
    end go out as 64 + 64 + 22, the sentence after them joining the last piece."""
    long_sentence = "我" * 150
    segments = guidance.sms_segments(long_sentence + "。请停止转账。")
    bodies = [s.removeprefix("【反诈中心】") for s in segments]
    assert [len(b) for b in bodies] == [64, 64, 29]
    assert bodies[2] == "我" * 22 + "。请停止转账。"
    # A character outside the BMP takes two units and is never cut in half.
    emoji = guidance.sms_segments("😀" * 40, signature="", limit=9)
    assert all(guidance.sms_length(s) <= 9 for s in emoji) and "".join(emoji) == "😀" * 40
    with pytest.raises(ValueError):
        guidance.sms_segments("x", signature="【" + "长" * 69 + "】")


_SMS_ALPHABET = st.sampled_from(list("请停止转账您好民警反诈中心ab xyz0123456789，、“”。！？!?；;.'\"😀 \n"))


@given(text=st.text(_SMS_ALPHABET, max_size=400),
       signature=st.sampled_from(["【反诈中心】", "", "【某某市公安局反诈中心】", "[ACF]"]),
       limit=st.integers(min_value=16, max_value=160))
def test_sms_segments_fit_keep_the_text_and_end_at_sentence_ends(text: str, signature: str,
                                                                 limit: int) -> None:
    segments = guidance.sms_segments(text, signature=signature, limit=limit)
    room = limit - guidance.sms_length(signature)
    assert all(s.startswith(signature) for s in segments)
    bodies = [s[len(signature):] for s in segments]
    # Every message fits, signature included, and holds some text.
    assert all(guidance.sms_length(s) <= limit and body for s, body in zip(segments, bodies,
                                                                         strict=True))
    # Nothing lost, nothing added, nothing reordered.
    assert "".join(bodies) == text
    # One message whenever the whole fits.
    if text and guidance.sms_length(signature + text) <= limit:
        assert len(segments) == 1
    # Every cut between two messages is at a sentence end, unless it falls inside a sentence that
    # is itself longer than a message's room (then that sentence was cut hard).
    spans = _sentence_spans(text)
    ends = {end for _start, end in spans}
    cut = 0
    for body in bodies[:-1]:
        cut += len(body)
        if cut not in ends:
            start, end = next((s, e) for s, e in spans if s < cut < e)
            assert guidance.sms_length(text[start:end]) > room, (text, cut)
