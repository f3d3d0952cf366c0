"""Shared fixtures: every test gets its own data and settings folders, and fails on logged errors."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dissuade import open_source
from dissuade.sources import LocalSource
from dissuade.store import Store


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)


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
