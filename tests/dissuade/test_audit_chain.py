"""The audit log as an auditor checks it: every change leaves a row chained to the one before by
SHA-256, and an edited, removed, inserted or cut-off row is found, at the row where it happened.

The tampering here is done as an attacker with the file would: a raw sqlite3 connection that
first drops the append-only triggers.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database

from dissuade import cli, demo
from dissuade.store import Store
from dissuade.store.audit import verify
from dissuade.store.schema import AUDIT_GENESIS, audit_hash, migrations
from tests.conftest import warning_data

T0 = 1_800_000_000.0
COLUMNS = "id, at, actor, action, entity, entity_id, detail"
M005 = "m005_privacy_audit_chain_reviews"


def rows(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return conn.execute(f"SELECT {COLUMNS}, hash FROM audit ORDER BY id").fetchall()


def assert_chained(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """Each row's hash follows from its own fields and the previous row's hash; ids run 1..N."""
    prev = AUDIT_GENESIS
    found = rows(conn)
    for expected_id, row in enumerate(found, start=1):
        assert row[0] == expected_id
        assert row[7] == audit_hash(prev, tuple(row[:7])), row
        prev = row[7]
    return found


def attacker(path: Path) -> sqlite3.Connection:
    """The file opened around dissuade, the append-only triggers gone."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER IF EXISTS audit_no_update")
    conn.execute("DROP TRIGGER IF EXISTS audit_no_delete")
    return conn


def busy_day(store: Store, *, now: float = T0) -> dict[str, int]:
    """A little of everything, at fixed times: 20-odd audit rows."""
    w1, _ = store.add_warning(warning_data(1, cards=["6222020202020202020"]), actor="feed",
                              now=now)
    results = store.add_warnings([warning_data(n) for n in (2, 3, 4)], actor="feed", now=now)
    w2 = int(results[0].warning_id or 0)
    store.claim(w1.id, user="a", now=now + 10)
    store.claim(w1.id, user="a", now=now + 20)  # a renewal
    store.record_attempt(w1.id, user="a", outcome="brainwashed", now=now + 30)
    (auto,) = store.get(w1.id).escalations
    store.decide_escalation(auto.id, decision="approve", user="lead", now=now + 40)
    store.advance_escalation(auto.id, status="sent", user="a", now=now + 50)
    store.claim(w2, user="b", now=now + 60)
    store.release(w2, user="b", now=now + 70)
    store.claim(w2, user="b", now=now + 80)
    attempt = store.record_attempt(w2, user="b", outcome="dissuaded", now=now + 90)
    store.review_attempt(attempt.id, verdict="pass", user="lead", now=now + 100)
    store.reveal(w1.id, field="cards", reason="银行核对", user="lead", holder_only=False,
                 now=now + 110)
    store.update_settings({"hold_hours": 72}, user="lead")
    return {"w1": int(w1.id), "w2": w2, "escalation": int(auto.id)}


@pytest.fixture
def day_db(tmp_path: Path) -> Path:
    path = tmp_path / "day.db"
    store = Store(path)
    busy_day(store)
    store.close()
    return path


def verdict_of(path: Path, **kw: Any) -> Any:
    store = Store(path, create=False)
    try:
        return store.verify_audit(**kw)
    finally:
        store.close()


# -- writing ---------------------------------------------------------------------------------


def test_every_change_writes_one_chained_row(store: Store) -> None:
    wid = int(store.add_warning(warning_data(1, cards=["6222020202020202020"]), actor="feed",
                                now=T0)[0].id)
    door = int(store.add_warning(warning_data(2), actor="feed", now=T0)[0].id)
    low = int(store.add_warning(warning_data(3, risk_level="low"), actor="feed", now=T0)[0].id)
    state: dict[str, int] = {}

    def chase() -> None:
        store.claim(low, user="a", now=T0 + 6)
        state["chase"] = int(store.propose_escalation(low, user="a", kind="chase_call",
                                                      reason="关机", now=T0 + 6).id)

    def proposal() -> None:
        store.claim(door, user="a", now=T0 + 6)
        store.propose_escalation(door, user="a", kind="door_visit", reason="关机", now=T0 + 6)

    steps: list[tuple[str, Callable[[], object], list[str]]] = [
        ("ingest", lambda: store.add_warning(warning_data(9), actor="feed", now=T0),
         ["warning.create"]),
        ("import", lambda: store.add_warnings([warning_data(10), warning_data(11, phone="1")],
                                              actor="feed", now=T0), ["warning.import"]),
        ("claim", lambda: store.claim(wid, user="a", now=T0 + 1), ["warning.claim"]),
        ("renew", lambda: store.claim(wid, user="a", now=T0 + 2), ["warning.renew"]),
        ("release", lambda: store.release(wid, user="a", now=T0 + 3), ["warning.release"]),
        ("claim next", lambda: store.claim_next(user="a", now=T0 + 4), ["warning.claim"]),
        ("attempt", lambda: store.record_attempt(wid, user="a", outcome="no_answer",
                                                 now=T0 + 5), ["attempt.create"]),
        ("proposal", proposal, ["warning.claim", "escalation.create"]),
        ("chase call", chase, ["warning.claim", "escalation.create"]),
        ("decision", lambda: store.decide_escalation(state["chase"], decision="approve",
                                                     user="lead", now=T0 + 7),
         ["escalation.approve"]),
        ("dialer claims", lambda: store.claim_due_chase_calls(user="dialer", now=T0 + 8),
         ["chase.claim"]),
        ("dialer result", lambda: store.record_chase_call(
            store.chase_calls(state["chase"])[0].id, ok=False, result="无人接听"),
         ["chase.call"]),
        ("level", lambda: store.raise_level(door, level="emergency", reason="转账中",
                                            user="lead", now=T0 + 9), ["warning.raise_level"]),
        ("retype", lambda: store.retype_warning(wid, scam_type="fake_loan", reason="贷款",
                                                user="lead", now=T0 + 10), ["warning.retype"]),
        ("sms", lambda: store.record_message(wid, client_id="m1", text="请勿转账",
                                             via="clipboard", user="lead", now=T0 + 11),
         ["message.sms"]),
        ("review", lambda: store.review_attempt(store.get(wid).attempts[0].id, verdict="fail",
                                                comment="太短", user="lead", now=T0 + 12),
         ["review.fail"]),
        ("reveal", lambda: store.reveal(wid, field="cards", reason="止付", user="lead",
                                        holder_only=False, now=T0 + 13), ["warning.reveal"]),
        ("view", lambda: store.record_view(wid, user="lead"), ["warning.view"]),
        ("pdf", lambda: store.record_event("a", "escalation.request_pdf", "escalation", 1,
                                           {"reveals": "cards"}), ["escalation.request_pdf"]),
        ("settings", lambda: store.update_settings({"chase_calls": 4}, user="lead"),
         ["policy.settings"]),
        ("level policy", lambda: store.update_level_policy("low", {"lease_minutes": 5},
                                                           user="lead"), ["policy.update"]),
        ("rehearsal", lambda: store.save_rehearsal(trainee="t", scam_type="fake_loan",
                                                   lang="zh", points_made=1, points_total=2,
                                                   detail=[], now=T0 + 14),
         ["rehearsal.finish"]),
        ("user", lambda: store.add_user("wang", role="officer"), ["user.create"]),
        ("rotate", lambda: store.add_user("wang", role="officer", rotate=True),
         ["user.rotate"]),
        ("revoke", lambda: store.revoke_user("wang"), ["user.revoke"]),
    ]
    for label, step, actions in steps:
        before = len(rows(store.conn))
        step()
        after = assert_chained(store.conn)
        assert [r[3] for r in after[before:]] == actions, label
    assert store.verify_audit().ok
    # A batch's one row names the ids it made, so each of them has its arrival in its trail.
    (batch,) = store.audit_entries(action="warning.import")
    assert batch.detail == {"created": 1, "first_id": 5, "rejected": 1}
    assert store.history_trail(5)[0].action == "warning.import"


def test_reading_writes_no_row(store: Store) -> None:
    busy_day(store)
    before = len(rows(store.conn))
    store.queue(user="a", limit=10, now=T0)
    store.get(1)
    store.stats(start=T0, end=T0 + 3600, now=T0 + 3600)
    store.shift_report(start=T0, end=T0 + 3600, user="lead", now=T0 + 3600)
    store.find_warnings({})
    store.audit_entries()
    store.verify_audit()
    assert len(rows(store.conn)) == before


def test_the_audit_table_refuses_changes(store: Store) -> None:
    busy_day(store)
    for sql in ("UPDATE audit SET actor = 'x' WHERE id = 1", "DELETE FROM audit WHERE id = 1"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            store.conn.execute(sql)
    assert store.verify_audit().ok


def test_an_integer_time_still_makes_an_intact_chain(store: Store) -> None:
    # A script may pass whole seconds: SQLite gives the REAL column back as a float, and the
    # hash must be of what is read back.
    wid = int(store.add_warning(warning_data(1), actor="feed")[0].id)
    store.claim(wid, user="a", now=1_800_000_000)
    store.record_attempt(wid, user="a", outcome="dissuaded", now=1_800_000_060)
    store.record_event("a", "escalation.request_pdf", "escalation", True, {})  # a bool id, too
    verdict = store.verify_audit()
    assert verdict.ok and verdict.rows == 4


def test_concurrent_writers_keep_one_chain(tmp_path: Path) -> None:
    path = tmp_path / "centre.db"
    Store(path).close()
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        store = Store(path)
        try:
            for i in range(20):
                store.add_warning(warning_data(n * 100 + i), actor=f"feed-{n}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    verdict = verdict_of(path)
    assert verdict.ok and verdict.rows == 80


# -- verifying -------------------------------------------------------------------------------


def test_a_fresh_database_verifies(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    Store(path).close()
    verdict = verdict_of(path)
    assert (verdict.ok, verdict.rows, verdict.head_id, verdict.head_hash) == (
        True, 0, 0, AUDIT_GENESIS)


def test_a_busy_database_verifies(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    store = Store(path)
    demo.generate(store, warnings=500, seed=1, now=T0)
    store.add_warnings([warning_data(n) for n in range(60)], actor="feed", now=T0)
    for n in range(60):
        warning = store.claim_next(user=f"officer-{n % 5}", now=T0 + n)
        assert warning is not None
        outcome = ("dissuaded", "no_answer", "brainwashed", "already_lost")[n % 4]
        store.record_attempt(warning.id, user=f"officer-{n % 5}", outcome=outcome,
                             now=T0 + n + 0.5)
    for escalation in store.pending_escalations()[:10]:
        store.decide_escalation(escalation.id, decision="approve", user="lead", now=T0 + 100)
    (count, last) = store.conn.execute("SELECT count(*), max(id) FROM audit").fetchone()
    store.close()
    verdict = verdict_of(path)
    assert verdict.ok and (verdict.rows, verdict.head_id) == (count, last)
    assert count > 120
    with sqlite3.connect(path) as conn:
        assert verdict.head_hash == conn.execute(
            "SELECT hash FROM audit WHERE id = ?", (last,)).fetchone()[0]


@pytest.mark.parametrize(("column", "value"), [
    ("detail", '{"field": "cards", "reason": "好奇"}'), ("actor", "someone-else"),
    ("action", "warning.view"), ("at", T0 - 86400), ("entity_id", 999)])
def test_an_edited_row_is_found_where_it_was_edited(day_db: Path, column: str,
                                                    value: object) -> None:
    with attacker(day_db) as conn:
        conn.execute(f"UPDATE audit SET {column} = ? WHERE id = 7", (value,))
    verdict = verdict_of(day_db)
    assert (verdict.ok, verdict.broken_at, verdict.rows) == (False, 7, 6)
    assert "changed" in verdict.problem


def test_a_removed_middle_row_is_found(day_db: Path) -> None:
    with attacker(day_db) as conn:
        conn.execute("DELETE FROM audit WHERE id = 9")
    verdict = verdict_of(day_db)
    assert (verdict.ok, verdict.broken_at, verdict.rows) == (False, 9, 8)
    assert "9..9" in verdict.problem and "missing" in verdict.problem


def test_removed_oldest_rows_are_named(day_db: Path) -> None:
    with attacker(day_db) as conn:
        conn.execute("DELETE FROM audit WHERE id <= 3")
    verdict = verdict_of(day_db)
    assert (verdict.ok, verdict.broken_at, verdict.rows) == (False, 1, 0)
    assert "1..3" in verdict.problem and "missing" in verdict.problem


def test_a_forged_row_is_found(day_db: Path) -> None:
    head = verdict_of(day_db)
    forged = (head.head_id + 1, T0 + 999, "lead", "warning.reveal", "warning", 1,
              '{"field": "cards", "reason": "审计"}')
    with attacker(day_db) as conn:
        conn.execute(f"INSERT INTO audit ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", forged)
    verdict = verdict_of(day_db)
    assert (verdict.ok, verdict.broken_at) == (False, head.head_id + 1)
    assert "no hash" in verdict.problem
    with attacker(day_db) as conn:
        conn.execute("UPDATE audit SET hash = ? WHERE id = ?", ("ab" * 32, head.head_id + 1))
    assert verdict_of(day_db).broken_at == head.head_id + 1
    # A row slipped in where another was taken out breaks the chain there too.
    with attacker(day_db) as conn:
        conn.execute("DELETE FROM audit WHERE id = 4")
        conn.execute(f"INSERT INTO audit ({COLUMNS}, hash) VALUES (4, ?, 'x', 'warning.view', "
                     "'warning', 1, '{}', ?)", (T0, "cd" * 32))
    assert verdict_of(day_db).broken_at == 4


def test_rows_cut_off_the_end_are_found_only_with_the_expected_head(day_db: Path) -> None:
    head = verdict_of(day_db)
    with attacker(day_db) as conn:
        conn.execute("DELETE FROM audit WHERE id > ?", (head.head_id - 3,))
    shorter = verdict_of(day_db)
    assert shorter.ok and shorter.rows == head.rows - 3  # a shorter chain is still a chain
    cut = verdict_of(day_db, expect_head=(head.head_id, head.head_hash))
    assert (cut.ok, cut.broken_at) == (False, head.head_id - 2)
    assert "missing" in cut.problem


def test_a_rewritten_chain_is_found_by_the_expected_head(day_db: Path) -> None:
    """An attacker who knows the algorithm edits a row and rehashes every row after it: the chain
    holds, but the head printed earlier (in a shift report) no longer matches."""
    head = verdict_of(day_db)
    assert verdict_of(day_db, expect_head=(head.head_id, head.head_hash[:16])).ok
    with attacker(day_db) as conn:
        conn.execute("UPDATE audit SET actor = 'someone-else' WHERE id = 5")
        prev = AUDIT_GENESIS
        for row in rows(conn):
            prev = audit_hash(prev, tuple(row[:7]))
            conn.execute("UPDATE audit SET hash = ? WHERE id = ?", (prev, row[0]))
    assert verdict_of(day_db).ok
    for named in (head.head_hash, head.head_hash[:16]):
        rewritten = verdict_of(day_db, expect_head=(head.head_id, named))
        assert (rewritten.ok, rewritten.broken_at) == (False, head.head_id)
        assert "not the one the head named" in rewritten.problem


# -- the command line ------------------------------------------------------------------------


def test_cli_verify_says_intact_or_names_the_row(day_db: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    head = verdict_of(day_db)
    assert cli.main(["audit", "verify", "--db", str(day_db)]) == 0
    out = capsys.readouterr().out
    assert "完整" in out and "intact" in out and f"{head.rows:,} rows" in out
    assert f"{head.head_id}:{head.head_hash[:16]}" in out
    printed = f"{head.head_id}:{head.head_hash[:16]}"  # what the auditor copies down
    assert cli.main(["audit", "verify", "--db", str(day_db), "--expect-head", printed]) == 0
    capsys.readouterr()
    with attacker(day_db) as conn:
        conn.execute("UPDATE audit SET detail = '{}' WHERE id = 12")
    assert cli.main(["audit", "verify", "--db", str(day_db)]) == 1
    out = capsys.readouterr().out
    assert "TAMPERED at row 12" in out and "被改动" in out and "11 rows checked" in out


def test_cli_expect_head_catches_a_cut(day_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    head = verdict_of(day_db)
    with attacker(day_db) as conn:
        conn.execute("DELETE FROM audit WHERE id = ?", (head.head_id,))
    assert cli.main(["audit", "verify", "--db", str(day_db)]) == 0
    capsys.readouterr()
    assert cli.main(["audit", "verify", "--db", str(day_db), "--expect-head",
                     f"{head.head_id}:{head.head_hash}"]) == 1
    assert f"TAMPERED at row {head.head_id}" in capsys.readouterr().out


@pytest.mark.parametrize("bad", ["abc", "12", "12:", ":abcdef12", "12:xyz12345", "-1:abcdef12",
                                 "12:abc", "12:" + "a" * 65])
def test_cli_refuses_a_malformed_expected_head(day_db: Path, bad: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["audit", "verify", "--db", str(day_db), f"--expect-head={bad}"]) == 2
    captured = capsys.readouterr()
    assert "--expect-head" in captured.err and "ID:HASH" in captured.err
    assert captured.out == ""


def test_cli_refuses_a_missing_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.db"
    assert cli.main(["audit", "verify", "--db", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not missing.exists()


# -- a database from before the chain --------------------------------------------------------


def test_rows_written_before_the_chain_are_chained_by_the_migration(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before=M005)
    assert "hash" not in db.table("audit").columns_dict
    old = [(T0 + i, "feed", "warning.create", "warning", i + 1, json.dumps({"n": i}))
           for i in range(5)] + [(T0 + 9, "admin", "user.create", "user", None, "{}")]
    db.conn.executemany("INSERT INTO audit (at, actor, action, entity, entity_id, detail) "
                        "VALUES (?, ?, ?, ?, ?, ?)", old)
    db.conn.commit()
    db.close()

    store = Store(path)  # migrates: m005 chains what was there
    try:
        before = assert_chained(store.conn)
        assert [r[1:7] for r in before] == [tuple(o) for o in old]
        wid = int(store.add_warning(warning_data(1), actor="feed", now=T0 + 20)[0].id)
        store.claim(wid, user="a", now=T0 + 21)
        after = assert_chained(store.conn)
        assert len(after) == 8 and after[6][0] == 7
        with pytest.raises(sqlite3.IntegrityError):  # append-only again after the migration
            store.conn.execute("UPDATE audit SET actor = 'x' WHERE id = 1")
        assert store.verify_audit().ok
    finally:
        store.close()
    with attacker(path) as conn:
        conn.execute("UPDATE audit SET actor = 'someone' WHERE id = 3")
    assert verdict_of(path).broken_at == 3


# -- any change to any row -------------------------------------------------------------------


def _base() -> bytes:
    store = Store(":memory:")
    busy_day(store)
    data = store.conn.serialize()
    store.close()
    return data


BASE = _base()


def _base_rows() -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(":memory:")
    conn.deserialize(BASE)
    try:
        return rows(conn)
    finally:
        conn.close()


ORIGINAL = _base_rows()
N = len(ORIGINAL)
TEXT_COLUMNS = ("actor", "action", "entity", "detail", "hash")

a_change = st.one_of(
    st.tuples(st.sampled_from(TEXT_COLUMNS), st.text(max_size=20) | st.none()),
    st.tuples(st.just("at"), st.integers(min_value=-10**9, max_value=10**9).filter(bool)
              | st.text(min_size=1, max_size=10)),
    st.tuples(st.just("entity_id"), st.integers(min_value=-10**6, max_value=10**6) | st.none()),
    st.tuples(st.just("id"), st.integers(min_value=1, max_value=10**6).map(lambda d: N + d)
              | st.integers(min_value=-10**6, max_value=0)),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(position=st.integers(min_value=1, max_value=N), change=a_change)
def test_any_single_change_breaks_the_chain_exactly_there(
        position: int, change: tuple[str, object]) -> None:
    column, value = change
    original = dict(zip((*COLUMNS.split(", "), "hash"), ORIGINAL[position - 1], strict=True))
    if column == "at" and isinstance(value, int):
        value = original["at"] + value  # another time, never the same one
    if column in ("actor", "action", "entity") and value is None:
        value = ""  # NOT NULL columns
    if column == "detail" and value is None:
        value = "{}"
    if value == original[column] or (column == "hash" and value == ""
                                     and original["hash"] is None):
        return  # not a change
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.deserialize(BASE)
    try:
        conn.execute("DROP TRIGGER audit_no_update")
        conn.execute(f"UPDATE audit SET {column} = ? WHERE id = ?", (value, position))
        verdict = verify(conn)
    finally:
        conn.close()
    assert not verdict.ok
    if column == "id" and int(value) < 1:  # type: ignore[call-overload]
        assert verdict.broken_at == value  # walked first, under its new number
    else:
        assert verdict.broken_at == position
        assert verdict.rows == position - 1
