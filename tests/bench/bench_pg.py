"""The hub on PostgreSQL under load: wrk on `claim-next` for the SQLite hub, one hub process over
PostgreSQL (with and without NOTIFY at each commit) and two hub processes over one PostgreSQL
database, against the trivial FastAPI endpoint of the same run; then 1,000 workstations at a
realistic pace across two hub processes for 60 s; then 1,000 clients long-polling for news.

    python tests/bench/run.py pg

The PostgreSQL server is a private one started for the run (tests/pgserver.py: Debian's
`postgresql`, initdb into a temporary folder, fsync and synchronous_commit on, as a centre runs
it). Two hub processes are loaded by two wrk processes at once, 50 connections each (wrk takes
one address); their rates add up and the worse p99 is reported.
"""

from __future__ import annotations

import asyncio
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import psycopg

from dissuade.store import Store
from tests import pgserver
from tests.bench import bench_wrk
from tests.bench.bench_wrk import LUA_CLAIM, LUA_COMMON, OFFICERS, ROOT, TRIVIAL_APP, _wait_for_port, _wrk
from tests.hubs import free_port

WORKSTATIONS = 1000
PACE_SECONDS = 60
POLLERS = 1000


def _seed(target: str | Path, warnings: int, tokens_file: Path) -> None:
    store = Store(target)
    for start in range(0, warnings, 5000):
        store.add_warnings([
            {"external_id": f"PG-{i:08d}", "source": "bank", "phone": f"137{i:08d}",
             "name": "压测", "scam_type": "fake_investment",
             "risk_level": ("emergency", "high", "medium", "low")[i % 4], "synthetic": True}
            for i in range(start, min(warnings, start + 5000))], actor="bench")
    tokens = [store.add_user(f"officer-{n:04d}", role="officer")
              for n in range(max(OFFICERS, WORKSTATIONS))]
    tokens.append(store.add_user("feed-1", role="feed"))
    store.close()
    tokens_file.write_text("\n".join(tokens[:-1]) + "\n", encoding="utf-8")
    (tokens_file.parent / "feed-token").write_text(tokens[-1], encoding="utf-8")


def _serve(db: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "dissuade.cli", "serve", "--db", db,
                             "--port", str(port)], env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
    _wait_for_port(port, proc)
    return proc, f"http://127.0.0.1:{port}"


def _stop(*procs: subprocess.Popen[bytes]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.wait(20)


def _wrk_both(urls: list[str], script: Path, *, seconds: int, connections: int,
              env: dict[str, str]) -> dict[str, Any]:
    """One wrk per hub process, at once; the rates add up, the worse p99 counts."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(len(urls)) as pool:
        parts = list(pool.map(lambda u: _wrk(u + "/", script, seconds=seconds,
                                             connections=connections // len(urls), env=env),
                              urls))
    return {"rate": sum(p["rate"] for p in parts), "p99_ms": max(p["p99_ms"] for p in parts),
            "p50_ms": max(p["p50_ms"] for p in parts),
            "requests": sum(p["requests"] for p in parts),
            "errors": sum(p["errors"] for p in parts)}


async def _workstations(urls: list[str], tokens: list[str], seconds: float) -> dict[str, Any]:
    """Each workstation: claim the next warning, talk 20-40 s, record the outcome, again; a
    workstation starts at a random moment of the first 30 s (a room does not start at once)."""
    latencies: list[float] = []
    acked: list[str] = []
    claimed: Counter[int] = Counter()  # every outcome closes its warning: a second claim of
    # one (the lease, 10 minutes, outlasts the run) is two officers on one victim
    errors: Counter[str] = Counter()
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=len(tokens) + 10, max_keepalive_connections=len(tokens))
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        async def one(n: int, token: str) -> None:
            base = urls[n % len(urls)]
            auth = {"Authorization": f"Bearer {token}"}
            await asyncio.sleep(random.uniform(0, 30))
            while time.monotonic() < stop_at:
                started = time.monotonic()
                try:
                    r = await http.post(f"{base}/api/v1/queue/claim-next", headers=auth,
                                        json={"client_id": str(uuid.uuid4())})
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] += 1
                    continue
                latencies.append(time.monotonic() - started)
                if r.status_code != 200 or not r.content or r.json() is None:
                    errors[f"claim {r.status_code}"] += 1
                    await asyncio.sleep(5)
                    continue
                wid = r.json()["id"]
                claimed[int(wid)] += 1
                await asyncio.sleep(random.uniform(20, 40))
                client_id = str(uuid.uuid4())
                for _ in range(5):  # the same client_id again when the answer is lost
                    try:
                        r = await http.post(f"{base}/api/v1/warnings/{wid}/attempts",
                                            headers=auth, json={"client_id": client_id,
                                                                "outcome": "dissuaded"})
                    except httpx.HTTPError as exc:
                        errors[type(exc).__name__] += 1
                        continue
                    if r.status_code in (200, 201):
                        acked.append(client_id)
                    else:
                        errors[f"attempt {r.status_code}"] += 1
                    break

        await asyncio.gather(*(one(n, t) for n, t in enumerate(tokens)))
    latencies.sort()
    return {"claims": len(latencies), "outcomes": len(acked), "acked": acked,
            "double_claims": sum(n - 1 for n in claimed.values() if n > 1),
            "p50_ms": 1000 * latencies[len(latencies) // 2] if latencies else None,
            "p99_ms": 1000 * latencies[int(len(latencies) * 0.99)] if latencies else None,
            "errors": dict(errors)}


async def _pollers(urls: list[str], tokens: list[str], feed_token: str) -> dict[str, Any]:
    """POLLERS long polls waiting at the hub processes; one warning posted; how long until
    every poll has answered with it. And the generator's own cost: the same number of polls
    answered at once (timeout=0), from sending to the last answer."""
    limits = httpx.Limits(max_connections=len(tokens) + 10, max_keepalive_connections=len(tokens))
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        auth = [{"Authorization": f"Bearer {t}"} for t in tokens]
        first = (await http.get(f"{urls[0]}/api/v1/events", headers=auth[0],
                                params={"timeout": 0})).json()
        # As the client asks: news after what it has seen, arrivals after its last warning.
        seq, last = first["seq"], first["last_warning_id"]
        gate = asyncio.Semaphore(100)
        failed: Counter[str] = Counter()

        async def immediate(n: int) -> None:
            async with gate:
                try:
                    await http.get(f"{urls[n % len(urls)]}/api/v1/events", headers=auth[n],
                                   params={"timeout": 0, "after_warning": last})
                except httpx.HTTPError as exc:
                    failed[f"immediate {type(exc).__name__}"] += 1

        started = time.monotonic()
        await asyncio.gather(*(immediate(n) for n in range(len(auth))))
        floor = time.monotonic() - started
        answered: list[float] = []
        left_hub: list[float] = []  # when each answer left the hub: sent + its Server-Timing

        async def poll(n: int) -> None:
            await asyncio.sleep(n * 0.005)  # a room's clients do not all connect at one instant
            sent = time.monotonic()
            try:
                r = await http.get(f"{urls[n % len(urls)]}/api/v1/events", headers=auth[n],
                                   params={"after": seq, "after_warning": last, "timeout": 30})
            except httpx.HTTPError as exc:
                failed[f"poll {type(exc).__name__}"] += 1
                return
            if r.status_code == 200 and r.json()["arrivals"]:
                answered.append(time.monotonic())
                timing = r.headers.get("server-timing", "")
                if "dur=" in timing:
                    left_hub.append(sent + float(timing.split("dur=")[1].split(",")[0]) / 1000)

        tasks = [asyncio.create_task(poll(n)) for n in range(len(auth))]
        await asyncio.sleep(10)  # every poll is waiting
        posted = time.monotonic()
        r = await http.post(f"{urls[0]}/api/v1/warnings", headers={
            "Authorization": f"Bearer {feed_token}"}, json={
            "source": "bank", "phone": "13799999999", "scam_type": "fake_loan",
            "risk_level": "emergency", "synthetic": True, "external_id": "NEWS-1"})
        assert r.status_code == 201, r.text
        await asyncio.gather(*tasks)
    delays = sorted(t - posted for t in answered)
    hub = sorted(t - posted for t in left_hub)
    return {"clients": len(auth), "answered": len(delays), "failed": dict(failed),
            "hub_p50_s": hub[len(hub) // 2], "hub_last_s": hub[-1],
            "p50_s": delays[len(delays) // 2], "p99_s": delays[int(len(delays) * 0.99) - 1],
            "last_s": delays[-1], "generator_floor_s": floor}


def run(*, warnings: int, db: Path | None, workdir: Path, seconds: int = 15,
        connections: int = 100) -> dict[str, object]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    work = Path(tempfile.mkdtemp(prefix="pg-", dir=workdir))
    tokens_file = work / "tokens"
    claim_lua, trivial_lua = work / "claim.lua", work / "trivial.lua"
    claim_lua.write_text(LUA_CLAIM + LUA_COMMON, encoding="utf-8")
    trivial_lua.write_text(LUA_COMMON, encoding="utf-8")
    (work / "trivial.py").write_text(TRIVIAL_APP, encoding="utf-8")
    env = dict(os.environ, DISSUADE_WRK_TOKENS=str(tokens_file), PYTHONPATH=str(ROOT))
    seeded = 40_000
    results: dict[str, Any] = {}

    port = free_port()
    trivial = subprocess.Popen([sys.executable, str(work / "trivial.py"), str(port)], env=env)
    try:
        _wait_for_port(port, trivial)
        _wrk(f"http://127.0.0.1:{port}/trivial", trivial_lua, seconds=3, connections=connections,
             env=env)
        results["trivial"] = _wrk(f"http://127.0.0.1:{port}/trivial", trivial_lua,
                                  seconds=seconds, connections=connections, env=env)
    finally:
        _stop(trivial)

    def measure(name: str, target: str, hubs: int, extra_env: dict[str, str] | None = None
                ) -> None:
        print(f"{name}: seeding {seeded:,} warnings ...", flush=True)
        _seed(target, seeded, tokens_file)
        procs = [_serve(target, {**env, **(extra_env or {})}) for _ in range(hubs)]
        try:
            urls = [u for _p, u in procs]
            _wrk_both(urls, claim_lua, seconds=3, connections=connections, env=env)
            results[name] = _wrk_both(urls, claim_lua, seconds=seconds,
                                      connections=connections, env=env)
        finally:
            _stop(*(p for p, _u in procs))

    measure("sqlite_hub", str(work / "hub.db"), 1)
    with pgserver.running(max_connections=600) as server:
        measure("pg_1_hub", server.new_database(), 1)
        measure("pg_1_hub_no_notify", server.new_database(), 1, {"DISSUADE_PG_NOTIFY": "0"})
        measure("pg_2_hubs", server.new_database(), 2)

        # 1,000 workstations at a realistic pace, and 1,000 long polls, on two hub processes.
        url = server.new_database()
        _seed(url, 10_000, tokens_file)
        tokens = tokens_file.read_text().split()[:WORKSTATIONS]
        feed_token = (work / "feed-token").read_text().strip()
        procs = [_serve(url, env) for _ in range(2)]
        try:
            urls = [u for _p, u in procs]
            print(f"{WORKSTATIONS} workstations for {PACE_SECONDS} s ...", flush=True)
            cpu = time.process_time()
            pace = asyncio.run(_workstations(urls, tokens, PACE_SECONDS))
            pace["generator_cpu_s"] = time.process_time() - cpu
            with psycopg.connect(url) as conn:
                stored = {r[0] for r in conn.execute("SELECT client_id FROM attempts")}
            pace["lost_outcomes"] = sum(1 for c in pace.pop("acked") if c not in stored)
            results["workstations"] = pace
            print(f"{POLLERS} long polls ...", flush=True)
            results["news"] = asyncio.run(_pollers(urls, tokens[:POLLERS], feed_token))
        finally:
            _stop(*(p for p, _u in procs))

    t = results["trivial"]
    print(f"wrk: {connections} connections, 2 threads, {seconds} s each")
    print(f"{'':26}{'req/s':>9}{'x trivial':>11}{'p50 ms':>9}{'p99 ms':>9}{'x p99':>8}"
          f"{'errors':>8}")
    for name in ("trivial", "sqlite_hub", "pg_1_hub", "pg_1_hub_no_notify", "pg_2_hubs"):
        r = results[name]
        print(f"{name:26}{r['rate']:>9,.0f}{r['rate'] / t['rate']:>11.2f}{r['p50_ms']:>9.1f}"
              f"{r['p99_ms']:>9.1f}{r['p99_ms'] / t['p99_ms']:>8.2f}{r['errors']:>8,}")
    w, n = results["workstations"], results["news"]
    print(f"{WORKSTATIONS} workstations, {PACE_SECONDS} s, 2 hubs: {w['claims']:,} claims, "
          f"{w['outcomes']:,} outcomes; claim p50 {w['p50_ms']:.0f} ms, p99 {w['p99_ms']:.0f} ms; "
          f"double claims {w['double_claims']}, lost outcomes {w['lost_outcomes']}; "
          f"errors {w['errors']}; generator CPU {w['generator_cpu_s']:.1f} s")
    print(f"news to {n['clients']} long polls: answered {n['answered']} (failed {n['failed']}); "
          f"left the hubs: p50 {n['hub_p50_s']:.2f} s, last {n['hub_last_s']:.2f} s after the "
          f"post; read by the generator: p50 {n['p50_s']:.2f} s, p99 {n['p99_s']:.2f} s, last "
          f"{n['last_s']:.2f} s (the generator alone needs {n['generator_floor_s']:.2f} s for "
          f"{n['clients']} immediate answers)")
    notify_cost = 1 - results["pg_1_hub"]["rate"] / results["pg_1_hub_no_notify"]["rate"]
    print(f"NOTIFY at each commit costs {100 * notify_cost:.0f}% of one hub's claim rate")
    results["notify_cost"] = notify_cost
    results["checks"] = {
        "0 double claims": w["double_claims"] == 0,
        "0 lost outcomes": w["lost_outcomes"] == 0,
        "news leaves the hubs for every long poll within 1 s":
            n["answered"] == n["clients"] and n["hub_last_s"] < 1,
        "no wrk errors": all(results[k]["errors"] == 0 for k in
                             ("sqlite_hub", "pg_1_hub", "pg_2_hubs")),
    }
    return results


__all__ = ["run", "bench_wrk"]
