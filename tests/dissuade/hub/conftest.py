"""A real hub on loopback for every test here, and sources of both kinds over one database.

One server per module (HubServer); each test mounts a hub of its own on it, over its own
database: a `[local]` variant starts none unless it reaches for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dissuade import open_source
from dissuade.sources import Source
from dissuade.sources.http import HttpSource
from tests.hubs import HubServer, SharedHub, make_users


@pytest.fixture(scope="module")
def hub_server() -> Iterator[HubServer]:
    server = HubServer()
    yield server
    server.stop()


# The four sources the contract runs on: a local file, a hub over SQLite, a local PostgreSQL
# URL and a hub over PostgreSQL (each test's own database on the session's private server).
SOURCES = ["local", "hub", "local-pg", "hub-pg"]


@pytest.fixture
def hub(request: pytest.FixtureRequest, hub_server: HubServer,
        tmp_path: Path) -> Iterator[SharedHub]:
    """The test's own hub, over its own database, running when the test begins (a test that
    times its requests times none of the hub's start); a `[local]` variant gets the database
    and tokens, and a hub only if it reaches for one."""
    callspec = getattr(request.node, "callspec", None)
    kind = callspec.params.get("sources", "hub") if callspec is not None else "hub"
    if kind.endswith("-pg"):
        db: Any = request.getfixturevalue("pg_url")
    else:
        db = tmp_path / "centre.db"
    running = hub_server.hub(db, make_users(db))
    if not kind.startswith("local"):
        running.start()
    yield running
    running.close()


@pytest.fixture(params=SOURCES)
def sources(request: pytest.FixtureRequest, hub: SharedHub,
            tmp_path: Path) -> Iterator[Callable[[str], Source]]:
    """`sources(user)`: a source acting as that user, on the file or through the hub."""
    made: list[Source] = []

    def make(user: str) -> Source:
        if request.param.startswith("local"):
            source = open_source(hub.db, user=user)
        else:
            source = HttpSource(hub.url, token=hub.tokens[user],
                                outbox_path=str(tmp_path / f"outbox-{user}.db"))
        made.append(source)
        return source

    yield make
    for source in made:
        source.close()
