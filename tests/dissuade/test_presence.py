"""Officers' states in the store: spans that each change ends, audited, and the time in each state
over a shift, split exactly at the handover."""

from __future__ import annotations

from datetime import datetime

import pytest

from dissuade.domain import timeutil
from dissuade.domain.errors import InvalidInput
from dissuade.store import Store
from tests.conftest import warning_data

SHANGHAI = timeutil.zone("Asia/Shanghai")


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).timestamp()


def test_each_change_ends_the_last_state_and_is_audited(store: Store) -> None:
    assert store.my_state(user="officer-a").state == "not_set"
    store.set_state("ready", user="officer-a", now=at("2026-01-15T08:00"))
    store.set_state("break", "午饭", user="officer-a", now=at("2026-01-15T12:00"))
    # Pressing the same again is not a new break.
    store.set_state("break", "午饭", user="officer-a", now=at("2026-01-15T12:10"))
    now = store.my_state(user="officer-a")
    assert (now.state, now.reason, now.since) == ("break", "午饭", at("2026-01-15T12:00"))
    rows = store.conn.execute("SELECT state, since, until FROM officer_states "
                              "WHERE officer = 'officer-a' ORDER BY id").fetchall()
    assert rows == [("ready", at("2026-01-15T08:00"), at("2026-01-15T12:00")),
                    ("break", at("2026-01-15T12:00"), None)]
    trail = [e for e in store.audit_entries(action="officer.state")]
    assert [(e.actor, e.detail["state"], e.detail["from"]) for e in reversed(trail)] == [
        ("officer-a", "ready", "not_set"), ("officer-a", "break", "ready")]
    assert store.verify_audit().ok


def test_a_break_needs_a_reason_in_both_languages(store: Store) -> None:
    with pytest.raises(InvalidInput) as refused:
        store.set_state("break", "", user="officer-a")
    assert "原因" in str(refused.value) and "reason" in str(refused.value)
    with pytest.raises(InvalidInput, match="unknown state"):
        store.set_state("lunch", "x", user="officer-a")
    with pytest.raises(InvalidInput, match="at most"):
        store.set_state("training", "长" * 201, user="officer-a")


def test_time_per_state_is_split_at_the_handover(store: Store) -> None:
    """Day shift 08:00-20:00, night 20:00-08:00 (Shanghai, the defaults)."""
    store.set_state("ready", user="officer-a", now=at("2026-01-15T19:00"))
    store.set_state("break", "晚饭", user="officer-a", now=at("2026-01-15T19:30"))
    store.set_state("ready", user="officer-a", now=at("2026-01-15T19:45"))
    store.set_state("training", "新话术", user="officer-a", now=at("2026-01-15T20:30"))
    store.set_state("off", user="officer-a", now=at("2026-01-15T21:00"))
    store.set_state("training", "新话术", user="officer-b", now=at("2026-01-15T20:15"))
    day = timeutil.current_shift(at("2026-01-15T12:00"), tz="Asia/Shanghai", starts=(8, 20))
    night = timeutil.current_shift(at("2026-01-15T22:00"), tz="Asia/Shanghai", starts=(8, 20))
    assert day[1] == night[0] == at("2026-01-15T20:00")
    later = at("2026-01-16T09:00")
    assert store.state_seconds(start=day[0], end=day[1], now=later) == {
        "officer-a": {"ready": 45 * 60.0, "break": 15 * 60.0}}
    assert store.state_seconds(start=night[0], end=night[1], now=later) == {
        "officer-a": {"ready": 30 * 60.0, "training": 30 * 60.0, "off": 11 * 3600.0},
        # Still in training: counted up to the shift's end, not beyond.
        "officer-b": {"training": 11 * 3600 + 45 * 60.0}}
    # While the night goes on, an open state counts up to now.
    assert store.state_seconds(start=night[0], end=night[1], now=at("2026-01-15T20:45")) == {
        "officer-a": {"ready": 30 * 60.0, "training": 15 * 60.0},
        "officer-b": {"training": 30 * 60.0}}


def test_the_shift_report_gives_each_officer_their_time_per_state(store: Store) -> None:
    wid = int(store.add_warning(warning_data(1), actor="feed", now=at("2026-01-15T09:00"))[0].id)
    store.set_state("ready", user="officer-a", now=at("2026-01-15T08:00"))
    store.claim(wid, user="officer-a", now=at("2026-01-15T09:01"))
    store.record_attempt(wid, user="officer-a", outcome="dissuaded", now=at("2026-01-15T09:05"))
    store.set_state("training", "演练", user="officer-b", now=at("2026-01-15T10:00"))
    store.set_state("off", user="officer-b", now=at("2026-01-15T11:00"))
    report = store.shift_report(start=at("2026-01-15T08:00"), end=at("2026-01-15T20:00"),
                                user="lead-1", now=at("2026-01-15T20:30"))
    people = {p["officer"]: p for p in report["officers"]}
    assert people["officer-a"]["state_seconds"] == {"ready": 12 * 3600, "break": 0,
                                                   "training": 0}
    assert people["officer-a"]["attempts"] == 1
    # An officer in training all the time is in the table too, with no calls.
    assert people["officer-b"]["state_seconds"]["training"] == 3600
    assert people["officer-b"]["attempts"] == 0
    from dissuade.reports import model

    table = model.build(report).officers
    headings = [h[0] for h in table.headings]
    row = dict(zip(headings, next(r for r in table.rows if r[0] == "officer-b"), strict=True))
    assert row["培训（分钟）"] == 60 and row["就绪（分钟）"] == 0
