"""Guidance rules: stage from ticked cues, likely types, objection search by any part."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dissuade import guidance
from dissuade.playbook import STAGE_KEYS, load_library

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
