"""A real hub on loopback for every test here, and sources of both kinds over one database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from dissuade import open_source
from dissuade.sources import Source
from dissuade.sources.http import HttpSource
from tests.hubs import ThreadHub, make_users


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[ThreadHub]:
    db = tmp_path / "centre.db"
    running = ThreadHub(db, make_users(db)).start()
    yield running
    running.stop()


@pytest.fixture(params=["local", "hub"])
def sources(request: pytest.FixtureRequest, hub: ThreadHub,
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
