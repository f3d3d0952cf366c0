"""Benchmark of the embedded default on a million warnings: demo build, first paint, claims, memory.

    python tests/bench/run.py workbench [--warnings N] [--db PATH]

Targets (issue 2): demo of 1M warnings <= 60 s; client window to first paint <= 1 s;
claim_next median <= 5 ms and <= 3x a bare SQLite claim on a same-size table in the same run;
client peak memory <= 300 MB.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

from dissuade import open_source
from dissuade.store import Store
from dissuade.store.connection import BUSY_TIMEOUT_MS

CLAIMS = 300


def build_demo(path: Path, warnings: int) -> float:
    from dissuade import demo

    store = Store(path)
    started = time.perf_counter()
    demo.generate(store, warnings=warnings, seed=20261123)
    store.close()
    return time.perf_counter() - started


def probe_client(path: Path) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-m", "tests.bench.client_probe", str(path)],
                         check=True, capture_output=True, text=True, env=env,
                         cwd=Path(__file__).resolve().parents[2])
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def claim_latencies(path: Path, n: int = CLAIMS) -> list[float]:
    source = open_source(path, user="bench-officer")
    times = []
    for _ in range(n):
        t = time.perf_counter()
        warning = source.claim_next()
        times.append(time.perf_counter() - t)
        assert warning is not None, "the queue ran dry: use more warnings"
    source.close()
    return times


def bare_claim_latencies(path: Path, rows: int, n: int = CLAIMS) -> list[float]:
    """The floor: one UPDATE ... RETURNING on an indexed table of the same size, same pragmas."""
    if path.exists():
        path.unlink()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE w (id INTEGER PRIMARY KEY, rank INTEGER, deadline REAL, "
                 "status TEXT, claimed_by TEXT, lease_until REAL)")
    rng = random.Random(1)
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO w (rank, deadline, status) VALUES (?, ?, ?)",
                     ((rng.randrange(4), rng.random() * 1e6,
                       "new" if rng.random() < 0.1 else "closed") for _ in range(rows)))
    conn.execute("COMMIT")
    conn.execute("CREATE INDEX w_queue ON w (rank, deadline, id) WHERE status = 'new'")
    times = []
    for _ in range(n):
        t = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE w SET status = 'claimed', claimed_by = 'x', lease_until = 1 "
                     "WHERE id = (SELECT id FROM w WHERE status = 'new' "
                     "ORDER BY rank, deadline, id LIMIT 1) RETURNING *").fetchone()
        conn.execute("COMMIT")
        times.append(time.perf_counter() - t)
    conn.close()
    return times


def run(*, warnings: int, db: Path | None, workdir: Path) -> dict[str, object]:
    path = db or workdir / f"bench-{warnings}.db"
    demo_s = None
    if not path.exists():
        print(f"building a demo database of {warnings:,} warnings in {path} ...", flush=True)
        demo_s = build_demo(path, warnings)
    client = probe_client(path)
    ours = claim_latencies(path)
    bare = bare_claim_latencies(workdir / "bare-claim.db", warnings)
    ours_ms = statistics.median(ours) * 1000
    bare_ms = statistics.median(bare) * 1000
    result = {
        "warnings": warnings,
        "demo_build_s": demo_s,
        "queue_size": client["queue_size"],
        "first_paint_s": client["first_paint_s"],
        "client_peak_rss_mb": client["peak_rss_mb"],
        "claim_next_median_ms": ours_ms,
        "claim_next_p99_ms": sorted(ours)[int(len(ours) * 0.99) - 1] * 1000,
        "bare_claim_median_ms": bare_ms,
        "claim_ratio": ours_ms / bare_ms,
    }
    checks = [
        ("demo build", demo_s is None or demo_s <= 60, "<= 60 s"),
        ("first paint", client["first_paint_s"] <= 1.0, "<= 1 s"),
        ("claim_next median", ours_ms <= 5.0, "<= 5 ms"),
        ("claim ratio", ours_ms / bare_ms <= 3.0, "<= 3x bare"),
        ("client memory", client["peak_rss_mb"] <= 300, "<= 300 MB"),
    ]
    result["checks"] = {name: ok for name, ok, _ in checks}
    print(f"warnings in database     {warnings:>12,}   (queue {int(client['queue_size']):,})")
    if demo_s is not None:
        print(f"demo build               {demo_s:>12.1f} s")
    print(f"client first paint       {client['first_paint_s'] * 1000:>12.0f} ms")
    print(f"client peak memory       {client['peak_rss_mb']:>12.0f} MB")
    print(f"claim_next median        {ours_ms:>12.3f} ms   (p99 {result['claim_next_p99_ms']:.3f} ms)")
    print(f"bare SQLite claim median {bare_ms:>12.3f} ms")
    print(f"ratio claim / bare       {ours_ms / bare_ms:>12.2f} x")
    for name, ok, target in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name} {target}")
    return result
