"""`dissuade serve` as a service: told to stop (SIGTERM, as systemd does) while a room of
workstations waits on GET /api/v1/events, it answers them and exits cleanly within 10 s."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.hubs import free_port, make_users

POLLERS = 100
STOP_LIMIT = 10.0  # seconds systemd gives (TimeoutStopSec in packaging/dissuade-hub.service)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is how systemd stops it")


def start_hub(db: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "dissuade.cli", "serve", "--db", str(db),
                                 "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"the hub did not start: {log.read_text()[-2000:]}")


async def stop_while_polled(proc: subprocess.Popen[bytes], url: str, token: str
                            ) -> tuple[float, list[object]]:
    """POLLERS clients long-poll (25 s, as the client does); once all wait, SIGTERM. The seconds
    from the signal to the process's exit, and what each client got."""
    limits = httpx.Limits(max_connections=POLLERS + 10)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        seq = (await client.get("/api/v1/events", params={"timeout": 0})).json()["seq"]

        async def poll() -> object:
            try:
                return (await client.get("/api/v1/events", params={"after": seq, "timeout": 25})).status_code
            except httpx.HTTPError as exc:
                return type(exc).__name__

        polls = [asyncio.create_task(poll()) for _ in range(POLLERS)]
        await asyncio.sleep(2.0)  # every poll is in and waiting
        assert not any(p.done() for p in polls), "a long poll answered before anything changed"
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        while proc.poll() is None and time.monotonic() - started < 40:
            await asyncio.sleep(0.05)
        took = time.monotonic() - started
        answers = await asyncio.gather(*polls)
    return took, answers


@pytest.mark.slow
def test_sigterm_with_a_hundred_long_polls_exits_cleanly_within_ten_seconds(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    token = make_users(db, {"officer-a": "officer"})["officer-a"]
    log = tmp_path / "serve.log"
    proc, url = start_hub(db, log)
    try:
        took, answers = asyncio.run(stop_while_polled(proc, url, token))
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=20)
    print(f"stop took {took:.2f} s with {POLLERS} long polls")
    assert took < STOP_LIMIT, f"the hub took {took:.1f} s to stop"
    assert proc.returncode == 0, (proc.returncode, log.read_text()[-2000:])
    # Each workstation got an answer (nothing changed), not a connection cut mid-request.
    assert answers.count(200) == POLLERS, answers
    assert "Traceback" not in log.read_text()
    assert os.path.getsize(log) < 100_000
