"""The hub's request path under wrk: `claim-next` against a trivial FastAPI endpoint.

    python tests/bench/run.py wrk

Both are served the same way in the same run (uvicorn with the hub's protocol and settings, one
process each, on loopback), one after the other, by wrk with 100 connections on 2 threads; the
trivial endpoint answers a constant from a plain FastAPI route. The hub's database holds enough
fresh warnings that the queue never runs dry, and the requests carry the tokens of 200 officers
in turn (each request a different officer, as in a room). An answer that is not a 200 counts as
an error, 204 (nothing to claim) and 503 (busy) too: wrk's own count of "non-2xx" would take a
204 for a success.

Targets (issue 11, "a lean hub"): claim-next at least half the trivial endpoint's rate, its p99
latency at most twice the trivial endpoint's p99, no errors. synchronous = FULL stays: each claim
is a committed, fsynced transaction; a miss is reported, never bought with durability.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from dissuade.store import Store
from tests.hubs import free_port

ROOT = Path(__file__).resolve().parents[2]
OFFICERS = 200
CLAIMS_PER_SECOND_CEILING = 3000  # warnings seeded per second of the run: the queue never empties

# Counts every status wrk sees per thread; `done` prints them on one line the run reads back.
LUA_COMMON = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  statuses = {}
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do total[code] = (total[code] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(total) do table.insert(parts, code .. "=" .. n) end
  io.write("STATUSES " .. table.concat(parts, " ") .. "\\n")
  io.write(string.format("P99_US %d\\n", latency:percentile(99)))
  io.write(string.format("P50_US %d\\n", latency:percentile(50)))
end
"""

LUA_CLAIM = """
local tokens = {}
for line in io.lines(os.getenv("DISSUADE_WRK_TOKENS")) do tokens[#tokens + 1] = line end
local n = 0
request = function()
  n = n + 1
  local token = tokens[(n % #tokens) + 1]
  return wrk.format("POST", "/api/v1/queue/claim-next",
    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"}, "{}")
end
"""

TRIVIAL_APP = '''
import sys
from fastapi import FastAPI
from dissuade.hub import server

app = FastAPI()


@app.get("/trivial")
def trivial() -> dict:
    return {"status": "ok"}


import uvicorn
uvicorn.Server(server.config(app, host="127.0.0.1", port=int(sys.argv[1]),
                             log_level="warning")).run()
'''


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode} before listening")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout:.0f} s")


def _wrk(url: str, script: Path, *, seconds: int, connections: int,
         env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s",
         str(script), url], check=True, capture_output=True, text=True, env=env).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    statuses = dict(tuple(map(int, part.split("="))) for part in  # type: ignore[misc]
                    re.search(r"STATUSES ?(.*)", out).group(1).split())  # type: ignore[union-attr]
    socket_errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)",
                                                   re.search(r"Socket errors:(.*)", out).group(1))
                        ) if "Socket errors" in out else 0
    answered = sum(statuses.values())
    errors = answered - statuses.get(200, 0) + socket_errors
    return {"rate": rate, "p99_ms": int(re.search(r"P99_US (\d+)", out).group(1)) / 1000,  # type: ignore[union-attr]
            "p50_ms": int(re.search(r"P50_US (\d+)", out).group(1)) / 1000,  # type: ignore[union-attr]
            "requests": answered, "errors": errors,
            "statuses": {str(k): v for k, v in sorted(statuses.items())}}


def _seed(db: Path, warnings: int, tokens_file: Path) -> None:
    store = Store(db)
    batch = 5000
    for start in range(0, warnings, batch):
        items = [{"external_id": f"WRK-{i:08d}", "source": "bank",
                  "phone": f"137{i:08d}", "name": "压测", "scam_type": "fake_investment",
                  "risk_level": ("critical", "high", "medium", "low")[i % 4], "synthetic": True}
                 for i in range(start, min(warnings, start + batch))]
        store.add_warnings(items, actor="bench")
    tokens = [store.add_user(f"officer-{n:03d}", role="officer") for n in range(OFFICERS)]
    store.close()
    tokens_file.write_text("\n".join(tokens) + "\n", encoding="utf-8")


def run(*, warnings: int, db: Path | None, workdir: Path, seconds: int = 20,
        connections: int = 100) -> dict[str, object]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: bash scripts/setup.sh bench installs it")
    work = Path(tempfile.mkdtemp(prefix="wrk-", dir=workdir))
    path = work / "hub.db"
    tokens = work / "tokens"
    seeded = max(20_000, CLAIMS_PER_SECOND_CEILING * (seconds + 5))
    print(f"seeding {seeded:,} fresh warnings and {OFFICERS} officers ...", flush=True)
    _seed(path, seeded, tokens)
    claim_lua, trivial_lua = work / "claim.lua", work / "trivial.lua"
    claim_lua.write_text(LUA_CLAIM + LUA_COMMON, encoding="utf-8")
    trivial_lua.write_text(LUA_COMMON, encoding="utf-8")
    trivial_py = work / "trivial.py"
    trivial_py.write_text(TRIVIAL_APP, encoding="utf-8")
    env = dict(os.environ, DISSUADE_WRK_TOKENS=str(tokens), PYTHONPATH=str(ROOT))
    results: dict[str, dict[str, float]] = {}

    port = free_port()
    trivial = subprocess.Popen([sys.executable, str(trivial_py), str(port)], env=env, cwd=ROOT)
    try:
        _wait_for_port(port, trivial)
        httpx.get(f"http://127.0.0.1:{port}/trivial").raise_for_status()
        _wrk(f"http://127.0.0.1:{port}/trivial", trivial_lua, seconds=3,
             connections=connections, env=env)  # warm up
        results["trivial"] = _wrk(f"http://127.0.0.1:{port}/trivial", trivial_lua,
                                  seconds=seconds, connections=connections, env=env)
    finally:
        trivial.terminate()
        trivial.wait(10)

    port = free_port()
    hub = subprocess.Popen([sys.executable, "-m", "dissuade.cli", "serve", "--db", str(path),
                            "--port", str(port)], env=env, cwd=ROOT,
                           stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, hub)
        _wrk(f"http://127.0.0.1:{port}/", claim_lua, seconds=3, connections=connections,
             env=env)  # warm up: connections, caches, the policy
        results["claim_next"] = _wrk(f"http://127.0.0.1:{port}/", claim_lua, seconds=seconds,
                                     connections=connections, env=env)
    finally:
        hub.terminate()
        hub.wait(10)

    t, c = results["trivial"], results["claim_next"]
    rate_ratio = c["rate"] / t["rate"]
    p99_ratio = c["p99_ms"] / t["p99_ms"]
    print(f"wrk: {connections} connections, 2 threads, {seconds} s each, {OFFICERS} officer tokens")
    print(f"{'':22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>10}")
    for name, r in (("trivial endpoint", t), ("claim-next", c)):
        print(f"{name:22}{r['rate']:>10,.0f}{r['p50_ms']:>10.1f}{r['p99_ms']:>10.1f}"
              f"{r['errors']:>10,.0f}")
    print(f"claim-next / trivial: rate {rate_ratio:.2f} x (target >= 0.5), "
          f"p99 {p99_ratio:.2f} x (target <= 2)")
    return {
        "trivial": t, "claim_next": c, "rate_ratio": rate_ratio, "p99_ratio": p99_ratio,
        "checks": {"claim-next rate >= 0.5x trivial": rate_ratio >= 0.5,
                   "claim-next p99 <= 2x trivial p99": p99_ratio <= 2.0,
                   "no errors": t["errors"] == 0 and c["errors"] == 0},
    }
