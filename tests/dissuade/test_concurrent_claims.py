"""Several processes claiming from one database file at once never get the same warning."""

from __future__ import annotations

import multiprocessing as mp
import time
from pathlib import Path

from dissuade.store import Store
from tests.conftest import warning_data

WORKERS = 6
WARNINGS = 600


def _claim_all(path: str, user: str, start: mp.synchronize.Barrier, out: mp.Queue) -> None:
    store = Store(path)
    start.wait()  # everyone opened the file: now all claim at once
    got = []
    while (warning := store.claim_next(user=user)) is not None:
        got.append(int(warning.id))
        time.sleep(0.002)  # an officer does something between claims; others get their turn
    store.close()
    out.put((user, got))


def test_processes_claiming_at_once_never_share_a_warning(tmp_path: Path) -> None:
    path = str(tmp_path / "centre.db")
    store = Store(path)
    for n in range(WARNINGS):
        store.add_warning(warning_data(n, risk_level=["emergency", "high", "low"][n % 3]),
                          actor="feed")
    store.close()
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(WORKERS), ctx.Queue()
    procs = [ctx.Process(target=_claim_all, args=(path, f"officer-{i}", start, out))
             for i in range(WORKERS)]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    claimed = [wid for got in results.values() for wid in got]
    assert len(claimed) == len(set(claimed)) == WARNINGS
    assert sum(1 for got in results.values() if got) > 1  # they really did run side by side
    store = Store(path)
    holders = dict(store.conn.execute("SELECT id, claimed_by FROM warnings").fetchall())
    for user, got in results.items():
        assert all(holders[wid] == user for wid in got)
    store.close()
