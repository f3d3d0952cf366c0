"""A private PostgreSQL server for the tests and benchmarks: Debian's `postgresql` package,
initdb into a temporary folder, a random port on loopback, torn down afterwards. No docker, no
shared server: each test session (each xdist worker) starts its own.

As root (CI), the server runs as the `postgres` user, which owns the folder; PostgreSQL refuses
to run as root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
USER = "dissuade"


def binary(name: str) -> str | None:
    for folder in BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    return shutil.which(name)


def available() -> bool:
    return binary("initdb") is not None and binary("postgres") is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_owner(argv: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


class Server:
    """A running private server; `url(db)` for a database on it, `new_database()` for a fresh
    empty one (each test's own)."""

    def __init__(self, folder: Path, port: int, process: subprocess.Popen[bytes]) -> None:
        self.folder, self.port, self.process = folder, port, process

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{db}"

    def new_database(self) -> str:
        name = "t_" + uuid.uuid4().hex[:12]
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def new_centre(self) -> str:
        """A new migrated dissuade database, copied from one migrated once per server (creating
        the schema costs more than copying it)."""
        import psycopg

        if not getattr(self, "_template", False):
            from dissuade.store import Store

            with psycopg.connect(self.url(), autocommit=True) as conn:
                conn.execute('CREATE DATABASE "centre_template"')
            Store(self.url("centre_template")).close()
            self._template = True
        name = "c_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "centre_template"')
        return self.url(name)

    def stop(self) -> None:
        """A fast shutdown (clients disconnected, nothing to wait for), through pg_ctl: a
        signal to `runuser` would not reach the server itself."""
        if self.process.poll() is None:
            pg_ctl = binary("pg_ctl")
            if pg_ctl is not None:
                subprocess.run(_as_owner([pg_ctl, "-D", str(self.folder / "data"), "stop",
                                          "-m", "fast", "-w", "-t", "20"]),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def start(*, max_connections: int = 400, extra: tuple[str, ...] = ()) -> Server:
    initdb, postgres = binary("initdb"), binary("postgres")
    if initdb is None or postgres is None:
        raise RuntimeError("PostgreSQL is not installed: `apt-get install postgresql` "
                           "(scripts/setup.sh test does)")
    folder = Path(tempfile.mkdtemp(prefix="dissuade-pg-"))
    os.chmod(folder, 0o755)
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "postgres:postgres", str(folder)], check=True)
    subprocess.run(_as_owner([initdb, "-D", str(data), "-U", USER, "--auth=trust",
                              "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]),
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    port = _free_port()
    argv = [postgres, "-D", str(data), "-p", str(port), "-k", str(sockets),
            "-c", "listen_addresses=127.0.0.1", "-c", f"max_connections={max_connections}",
            "-c", "shared_buffers=64MB", "-c", "log_min_messages=fatal", *extra]
    process = subprocess.Popen(_as_owner(argv), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    server = Server(folder, port, process)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                pass
            import psycopg

            with psycopg.connect(server.url(), connect_timeout=2):
                return server
        except Exception:  # noqa: BLE001 - not up yet
            if process.poll() is not None or time.monotonic() > deadline:
                server.stop()
                raise RuntimeError("the private PostgreSQL server did not start") from None
            time.sleep(0.1)


@contextlib.contextmanager
def running(**kwargs: object) -> Iterator[Server]:
    server = start(**kwargs)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        server.stop()
