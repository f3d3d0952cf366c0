"""Shared fixtures: every test gets its own data and settings folders, and fails on logged errors."""

from __future__ import annotations

import gc
import logging
import os
import ssl
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from dissuade import open_source
from dissuade.sources import LocalSource
from dissuade.store import Store

# Property tests keep every check of what they find; what they do not keep is Hypothesis' own
# timing (a deadline per example, "input generation is slow"): the suite runs on every core of a
# machine that other work shares, where one draw can stall for seconds for reasons of the
# machine's, not the code's (a CI run failed once on a 2-second draw).
settings.register_profile("suite", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("suite")


def _one_tls_context_per_trust_store() -> None:
    """httpx makes a new SSLContext for every Client it makes, loading certifi's CA bundle
    each time: about 20 ms, and the tests make some 1,500 clients (every httpx.get(), every
    HttpSource, a few threads at once). Clients that verify with the default trust store share
    one context here instead; a context is made to be shared, and what it verifies is the same
    (the same bundle, or SSL_CERT_FILE / SSL_CERT_DIR as httpx reads them). A client given its
    own context or `verify=False` gets it as before. If httpx stops making its contexts this way
    the tests run as they are, only slower."""
    try:
        from httpx._transports import default
    except ImportError:  # pragma: no cover
        return
    make = getattr(default, "create_ssl_context", None)
    if make is None or getattr(make, "shared", False):  # pragma: no cover
        return
    made: dict[tuple[object, ...], ssl.SSLContext] = {}
    lock = threading.Lock()

    def create_ssl_context(verify: Any = True, cert: Any = None,
                           trust_env: bool = True) -> ssl.SSLContext:
        if verify is not True or cert is not None:
            return make(verify=verify, cert=cert, trust_env=trust_env)
        key = (trust_env, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")) \
            if trust_env else (False,)
        with lock:
            if key not in made:
                made[key] = make(verify=verify, cert=cert, trust_env=trust_env)
            return made[key]

    create_ssl_context.shared = True  # type: ignore[attr-defined]
    default.create_ssl_context = create_ssl_context  # type: ignore[assignment]


_one_tls_context_per_trust_store()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is alive once the tests are collected (modules, Qt's and FastAPI's types, the test
    items, hypothesis' strategies) lives until the run ends: the garbage collector is told so
    (gc.freeze) and no longer walks it in every full collection. Collections took about 9% of
    the run, a third less with this. Garbage the tests make is collected as before."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def data_tmpdir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A test never touches the user's real data folder, settings or demo database."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("DISSUADE_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "share"))
    return home


class _ErrorCatcher(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def fail_on_logged_error(request: pytest.FixtureRequest) -> Iterator[None]:
    """An error logged during a test is a failure unless the test says it expects one."""
    catcher = _ErrorCatcher()
    logging.getLogger().addHandler(catcher)
    yield
    logging.getLogger().removeHandler(catcher)
    if catcher.records and not request.node.get_closest_marker("allow_logged_errors"):
        messages = "; ".join(r.getMessage() for r in catcher.records)
        pytest.fail(f"unexpected logged error: {messages}")


@pytest.fixture(autouse=True)
def no_hub_outlives_its_test() -> Iterator[None]:
    """A ThreadHub or ProcessHub (`dissuade serve`) a test started and left running, because it
    failed half-way, ends with the test: it holds no port or database into the next one. Hubs
    running before the test (a module's) are left alone."""
    hubs = sys.modules.get("tests.hubs")
    before = hubs.running() if hubs is not None else set()
    yield
    hubs = sys.modules.get("tests.hubs")
    if hubs is not None:
        hubs.end_hubs(spare=before)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """This session's private PostgreSQL server (tests/pgserver.py): one per xdist worker."""
    from tests import pgserver

    with pgserver.running() as server:
        yield server


@pytest.fixture
def pg_url(pg_server: Any) -> str:
    """A new, empty, migrated dissuade database of the test's own on the private server."""
    return pg_server.new_centre()


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory store (sqlite-utils' fresh_db habit)."""
    s = Store(":memory:")
    yield s
    s.close()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "centre.db"


@pytest.fixture
def local(db_path: Path) -> Iterator[LocalSource]:
    source = open_source(db_path, user="officer-007")
    assert isinstance(source, LocalSource)
    yield source
    source.close()


def warning_data(n: int = 1, **overrides: object) -> dict[str, object]:
    """A valid synthetic warning as a feed would send it."""
    data: dict[str, object] = {
        "external_id": f"T-{n:06d}",
        "source": "bank",
        "phone": f"139{n:08d}",
        "name": "测试人",
        "scam_type": "fake_investment",
        "risk_level": "high",
        "synthetic": True,
    }
    data.update(overrides)
    return data
