"""A real hub on loopback for every test here, and sources of both kinds over one database.

One server per module (HubServer); each test mounts a hub of its own on it, over its own
database, when it first reaches it: a `[local]` variant reaches none and starts none."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

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


@pytest.fixture
def hub(hub_server: HubServer, tmp_path: Path) -> Iterator[SharedHub]:
    db = tmp_path / "centre.db"
    running = hub_server.hub(db, make_users(db))
    yield running
    running.close()


@pytest.fixture(params=["local", "hub"])
def sources(request: pytest.FixtureRequest, hub: SharedHub,
            tmp_path: Path) -> Iterator[Callable[[str], Source]]:
    """`sources(user)`: a source acting as that user, on the file or through the hub."""
    made: list[Source] = []

    def make(user: str) -> Source:
        if request.param == "local":
            source = open_source(hub.db, user=user)
        else:
            source = HttpSource(hub.url, token=hub.tokens[user],
                                outbox_path=str(tmp_path / f"outbox-{user}.db"))
        made.append(source)
        return source

    yield make
    for source in made:
        source.close()
