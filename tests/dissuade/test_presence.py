"""Officers' states in the store: spans that each change ends, audited, and the time in each state
over a shift, split exactly at the handover."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

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


def test_the_room_and_the_callbacks_read_their_indexes(tmp_path: Path) -> None:
    """A centre's warnings by the hundred thousand: the room reads the held warnings by their
    lease and the callbacks an officer's reserved ones, never every warning."""
    store = Store(tmp_path / "plans.db")
    store.add_warnings([warning_data(i) for i in range(50)], actor="feed")
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    store.room()
    store.my_callbacks(user="officer-a")
    store.conn.set_trace_callback(None)
    plans = {}
    for sql in seen:
        if "FROM warnings" in sql and sql.lstrip().upper().startswith("SELECT"):
            plan = " / ".join(r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            plans["room" if "claimed_by, id" in sql else "callbacks"] = plan
    assert "warnings_held" in plans["room"], plans
    assert "warnings_reserved" in plans["callbacks"], plans
    store.close()


def test_a_lapsed_callback_someone_else_holds_leaves_the_list(store: Store) -> None:
    t = at("2026-01-15T09:00")
    wid = int(store.add_warning(warning_data(1), actor="feed", now=t)[0].id)
    store.claim(wid, user="officer-a", now=t)
    store.record_attempt(wid, user="officer-a", outcome="callback", callback_at=t + 3600,
                         callback_scope="me", now=t + 60)
    assert [c.warning_id for c in store.my_callbacks(user="officer-a", now=t + 120)] == [wid]
    assert store.my_callbacks(user="officer-b", now=t + 120) == []
    # Past its time and the grace, with no session, it lapsed to anyone: officer-b takes it.
    later = t + 3600 + 31 * 60
    store.claim(wid, user="officer-b", now=later)
    assert store.my_callbacks(user="officer-a", now=later + 1) == []
