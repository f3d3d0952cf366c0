"""The queue's statements read the indexes made for them, without `INDEXED BY` (which would
turn an index's change into a runtime error): the planner's choice is checked here instead, so a
change to an index or a query that sends the queue back to reading every row fails with a
message saying which statement and what it does now. A million-row queue read without its index
takes tens of milliseconds per count and per claim (tests/bench/bench_workbench.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from dissuade.store import Store
from tests.conftest import warning_data

T0 = 1_790_000_000.0


def _statements(store: Store, act: Callable[[], object]) -> list[str]:
    """The SELECTs on the warnings table that `act` ran, with their values bound."""
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        act()
    finally:
        store.conn.set_trace_callback(None)
    return [s for s in seen if re.match(r"\s*(SELECT|UPDATE)\b", s, re.I)
            and re.search(r"\bFROM warnings\b|\bUPDATE warnings\b", s)]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "plans.db")
    s.add_warnings([warning_data(i, risk_level=("critical", "high", "medium")[i % 3])
                    for i in range(200)], actor="feed", now=T0)
    return s


# Each operation's queue statements, and the index each must read (the queue read in two parts,
# store/queue.py: the waiting warnings in order, the held ones by their lease's end).
WAITING, HELD = "status IN ('new', 'retry') AND", "status = 'claimed' AND"
OPERATIONS: dict[str, tuple[Callable[[Store], object], dict[str, str]]] = {
    "queue count": (lambda s: s.queue_size(user="a", now=T0 + 60), {"": "warnings_queue"}),
    "queue page": (lambda s: s.queue(user="a", limit=50, now=T0 + 60),
                   {WAITING: "warnings_waiting", HELD: "warnings_held"}),
    "breaches": (lambda s: s.breaches(since=T0, now=T0 + 86400), {"": "warnings_queue"}),
    "claim next": (lambda s: s.claim_next(user="a", now=T0 + 60),
                   {WAITING: "warnings_waiting", HELD: "warnings_held"}),
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_the_queue_reads_its_index(store: Store, name: str) -> None:
    # Live claims at the head of the order: a read that stepped over them would still answer.
    for user in ("b", "c", "d"):
        store.claim_next(user=user, now=T0 + 30)
    act, indexes = OPERATIONS[name]
    statements = [s for s in _statements(store, lambda: act(store))
                  if "available_at <=" in s or "deadline <" in s]
    assert statements, f"{name}: no queue statement seen (did the query change shape?)"
    seen = set()
    for sql in statements:
        if sql.lstrip().upper().startswith("UPDATE"):
            continue
        part = next(k for k in sorted(indexes, key=len, reverse=True) if k in sql)
        index = indexes[part]
        seen.add(part)
        plan = " / ".join(r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert index in plan, (
            f"{name}: the statement no longer reads the {index} index, so it reads every "
            f"warning instead. Adjust the index (dissuade/store/schema.py) or the query "
            f"(dissuade/store/queue.py) so that the planner takes it again.\n"
            f"statement: {sql}\nplan: {plan}")
    assert seen == set(indexes), f"{name}: a part of the queue was not read ({seen})"
    store.close()


def test_the_next_change_is_a_few_seeks(store: Store) -> None:
    store.claim_next(user="a", now=T0)
    statements = _statements(store, lambda: store.next_change(now=T0 + 1))
    assert len(statements) == 5
    for sql in statements:
        plan = " / ".join(r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert plan.startswith("SEARCH"), (
            f"next_change: a statement scans instead of seeking an index; the live answer "
            f"runs it for every client.\nstatement: {sql}\nplan: {plan}")
    store.close()
