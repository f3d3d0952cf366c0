"""Benchmark of the hub: 100 simulated workstations on one `dissuade serve` for 60 seconds.

    python tests/bench/run.py hub [--seconds 60] [--workstations 100]

Each workstation polls the queue size, claims the next warning, "talks" for 5-15 s and records
an outcome, as an officer would, only far faster. The load comes from Python threads in this
process (httpx); the hub runs in its own process. Targets (issue 3): claim p99 <= 100 ms, no
double claims, no lost outcomes.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx

from dissuade import demo, open_source
from dissuade.store import Store
from tests.hubs import free_port

PROCESSES = 4
WARM_UP_SECONDS = 8.0
# A real call takes minutes; 5-15 s keeps 100 workstations ten times busier than a real room
# (about 10 claims a second) while the load stays that of officers, not of a flood.
TALK_SECONDS = (5.0, 15.0)
OUTCOMES = ["dissuaded"] * 6 + ["no_answer", "busy", "not_fraud", "already_lost"]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _workstation(url: str, token: str, start_at: float, until: float, seed: int,
                 out: dict[str, list]) -> None:
    rng = random.Random(seed)
    claims: list[tuple[int, float, float]] = []
    recorded: list[str] = []
    errors: list[str] = []
    with httpx.Client(base_url=url, timeout=30,
                      headers={"Authorization": f"Bearer {token}"}) as c:
        c.get("/api/v1/health")  # connected before the clock starts
        # Everyone starts together once every process is up, but officers do not all press F2
        # in the same millisecond.
        time.sleep(max(0.0, start_at - time.time()) + rng.uniform(0, 3.0))
        while time.time() < until:
            try:
                c.get("/api/v1/queue/size")
                started = time.perf_counter()
                r = c.post("/api/v1/queue/claim-next")
                took = time.perf_counter() - started
                if r.status_code == 204:
                    time.sleep(1)
                    continue
                r.raise_for_status()
                wid = r.json()["id"]
                server = float(r.headers["server-timing"].split("dur=")[1]) / 1000
                claims.append((wid, took, server))
                time.sleep(rng.uniform(*TALK_SECONDS))  # the call
                cid = str(uuid.uuid4())
                a = c.post(f"/api/v1/warnings/{wid}/attempts",
                           json={"client_id": cid, "outcome": rng.choice(OUTCOMES)})
                if a.status_code in (200, 201):
                    recorded.append(cid)
                else:
                    errors.append(f"{a.status_code} {a.text[:100]}")
            except httpx.HTTPError as exc:
                errors.append(str(exc))
    out["claims"].extend(claims)
    out["recorded"].extend(recorded)
    out["errors"].extend(errors)


def _group(url: str, tokens: list[str], start_at: float, seconds: float,
           n: int) -> dict[str, list]:
    """One process's share of the workstations, each on its own thread."""
    out: dict[str, list] = {"claims": [], "recorded": [], "errors": []}
    until = start_at + seconds
    threads = [threading.Thread(target=_workstation,
                                args=(url, tok, start_at, until, n * 1000 + i, out))
               for i, tok in enumerate(tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def run(*, warnings: int, db: Path | None, workdir: Path,
        seconds: float = float(os.environ.get("HUB_BENCH_SECONDS", 60)),
        workstations: int = 100) -> dict[str, object]:
    path = workdir / "hub-bench.db"
    store = Store(path)
    demo.generate(store, warnings=min(warnings, 200_000), seed=3)
    tokens = {f"ws-{i:03d}": store.add_user(f"ws-{i:03d}", role="officer")
              for i in range(workstations)}
    store.add_user("bench-local", role="officer")  # the local claims after the run
    store.close()
    port = free_port()
    hub = subprocess.Popen([sys.executable, "-m", "dissuade.cli", "serve", "--db", str(path),
                            "--port", str(port)], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        # The workstations live in several processes: one Python process with 100 threads
        # would measure its own GIL queue, not the hub.
        groups = [list(tokens.values())[i::PROCESSES] for i in range(PROCESSES)]
        start_at = time.time() + WARM_UP_SECONDS  # the processes start and import meanwhile
        with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
            parts = pool.starmap(_group, [(url, g, start_at, seconds, n)
                                          for n, g in enumerate(groups)])
        elapsed = time.time() - start_at
        out: dict[str, list] = {"claims": [], "recorded": [], "errors": []}
        for part in parts:
            for key in out:
                out[key].extend(part[key])
    finally:
        hub.terminate()
        hub.wait(timeout=30)

    claimed_ids = [wid for wid, _, _ in out["claims"]]
    latencies = [took * 1000 for _, took, _ in out["claims"]]
    in_hub = [server * 1000 for _, _, server in out["claims"]]
    conn = sqlite3.connect(path)
    stored = {cid for (cid,) in conn.execute("SELECT client_id FROM attempts")}
    (dupes,) = conn.execute("SELECT count(*) - count(DISTINCT client_id) FROM attempts").fetchone()
    conn.close()
    lost = sum(1 for cid in out["recorded"] if cid not in stored) + dupes
    double = len(claimed_ids) - len(set(claimed_ids))

    local = open_source(path, user="bench-local")
    local_times = []
    for _ in range(300):
        t0 = time.perf_counter()
        local.claim_next()
        local_times.append((time.perf_counter() - t0) * 1000)
    local.close()
    p50, p99 = statistics.median(latencies), _percentile(latencies, 0.99)
    local_p50 = statistics.median(local_times)
    result = {
        "workstations": workstations, "seconds": elapsed, "claims": len(claimed_ids),
        "claims_per_second": len(claimed_ids) / elapsed, "outcomes": len(out["recorded"]),
        "claim_p50_ms": p50, "claim_p99_ms": p99, "hub_p50_ms": statistics.median(in_hub),
        "hub_p99_ms": _percentile(in_hub, 0.99), "double_claims": double,
        "lost_outcomes": lost, "errors": len(out["errors"]), "local_claim_p50_ms": local_p50,
        "hub_to_local_ratio": p50 / local_p50,
    }
    checks = [("claim p99", p99 <= 100, "<= 100 ms"), ("double claims", double == 0, "= 0"),
              ("lost outcomes", lost == 0, "= 0"), ("errors", not out["errors"], "= 0")]
    result["checks"] = {name: ok for name, ok, _ in checks}
    print(f"workstations             {workstations:>10}   for {elapsed:.0f} s "
          f"({PROCESSES} processes of Python threads, httpx; hub in its own process)")
    print(f"claims                   {len(claimed_ids):>10}   ({len(claimed_ids) / elapsed:.1f}/s)")
    print(f"outcomes recorded        {len(out['recorded']):>10}")
    print(f"claim latency p50 / p99  {p50:>10.2f} / {p99:.2f} ms   "
          f"(p90 {_percentile(latencies, 0.9):.1f}, max {max(latencies):.0f})")
    print(f"  of which in the hub    {statistics.median(in_hub):>10.2f} / "
          f"{_percentile(in_hub, 0.99):.2f} ms   (its Server-Timing header)")
    print(f"local claim_next p50     {local_p50:>10.3f} ms")
    print(f"ratio hub / local p50    {p50 / local_p50:>10.1f} x")
    print(f"double claims            {double:>10}")
    print(f"lost outcomes            {lost:>10}")
    if out["errors"]:
        print("first errors:", out["errors"][:3])
    for name, ok, target in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name} {target}")
    return result
