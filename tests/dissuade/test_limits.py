"""The limits of what anyone may send, shared by the core and the hub (dissuade.domain.limits)."""

from __future__ import annotations

import json
import logging

import pytest

from dissuade.domain import limits
from dissuade.domain.errors import InvalidInput
from dissuade.store import Store


def nested(depth: int) -> dict[str, object]:
    node: dict[str, object] = {"answer": "好"}
    for _ in range(depth - 1):
        node = {"next": node}
    return node


def test_text_that_cannot_be_stored_is_refused_naming_the_field() -> None:
    assert limits.check_text("  好 ", field="notes") == "好"
    assert limits.check_text("\ud83d\ude00".encode("utf-16", "surrogatepass").decode("utf-16"),
                             field="notes") == "\U0001f600"  # a pair is one character
    for bad in ("\ud800", "卡\udfff号"):
        with pytest.raises(InvalidInput) as err:
            limits.check_text(bad, field="notes")
        assert err.value.field == "notes" and "surrogate" in err.value.message
    assert not limits.is_encodable("\ud800") and limits.is_encodable("\x00")


@pytest.mark.parametrize("detail", [
    [{"n": i} for i in range(limits.DETAIL_ITEMS_MAX + 1)],
    [{"made": list(range(limits.DETAIL_ITEMS_MAX + 1))}],
    [{"answer": "说" * (limits.NOTES_MAX + 1)}],
    [{"score": float("nan")}], [{"score": float("inf")}], [{"big": 10**30}],
    [{"k" * (limits.DETAIL_KEY_MAX + 1): 1}],
    [["not", "an", "object"]], [{"bytes": b"x"}], {"not": "a list"},
], ids=["turns", "items", "text", "nan", "inf", "huge", "key", "list turn", "bytes", "object"])
def test_a_detail_beyond_the_limits_is_refused(detail: object) -> None:
    with pytest.raises(InvalidInput) as err:
        limits.check_detail(detail)
    assert err.value.field == "detail"


def test_a_real_rehearsal_detail_is_within_the_limits() -> None:
    turn = {"turn": 0, "victim": "我是自愿的", "answer": "请立即停止转账", "choice": None,
            "correct": None, "made": ["p1"], "missed": ["p2"], "missed_texts": ["公检法不会"],
            "made_texts": ["停止转账"], "model_answer": "……"}
    assert limits.check_detail([turn] * 12) == [turn] * 12


def test_the_limit_of_nesting_is_exact() -> None:
    assert limits.check_detail([nested(limits.DETAIL_DEPTH_MAX)])
    with pytest.raises(InvalidInput):
        limits.check_detail([nested(limits.DETAIL_DEPTH_MAX + 1)])
    with pytest.raises(InvalidInput):
        limits.check_detail([nested(300)])  # refused at depth 5: no deep recursion


def test_the_core_stores_no_detail_it_could_not_hand_out_again() -> None:
    store = Store(":memory:")
    try:
        with pytest.raises(InvalidInput) as err:
            store.save_rehearsal(trainee="a", scam_type="fake_loan", lang="zh", points_made=1,
                                 points_total=2, detail=[nested(300)])
        assert err.value.field == "detail"
        with pytest.raises(InvalidInput) as err:
            store.save_rehearsal(trainee="a", scam_type="fake_loan", lang="xx", points_made=1,
                                 points_total=2, detail=[])
        assert err.value.field == "lang"
        assert store.rehearsals() == []
    finally:
        store.close()


def test_a_stored_detail_beyond_the_limits_reads_as_none(caplog: pytest.LogCaptureFixture) -> None:
    """Rows written before the limits, or by hand: listed without their detail, never failing
    the whole list (a warning is logged, no error)."""
    store = Store(":memory:")
    try:
        for detail in (json.dumps([nested(300)]), "not json", "[" * 5000 + "]" * 5000, "[1]",
                       json.dumps([{"ok": "好"}])):
            store.conn.execute(
                "INSERT INTO rehearsals (trainee, scam_type, lang, finished_at, score, "
                "points_made, points_total, detail) VALUES ('a', 'fake_loan', 'zh', 1.8e9, 0.5, "
                "1, 2, ?)", (detail,))
        with caplog.at_level(logging.WARNING):
            details = [r.detail for r in store.rehearsals()]
        assert sorted(map(str, details)) == sorted(["[]"] * 4 + ["[{'ok': '好'}]"])
        assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    finally:
        store.close()
