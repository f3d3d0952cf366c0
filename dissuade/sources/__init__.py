"""Sources: the one interface every screen, script and test uses, over a file or a hub."""

from __future__ import annotations

import os
from pathlib import Path

from dissuade.sources.base import Changes, LinkListener, LinkState, Source
from dissuade.sources.local import LocalSource


def open_source(target: str | Path, *, user: str | None = None, token: str | None = None,
                password: str | None = None, create: bool = True) -> Source:
    """A source for a database path or a hub URL (``http://`` or ``https://``).

    With `password`, `user` signs in: at a hub a session (POST /api/v1/session), on a file the
    password is checked (a file with no users takes any name, as without one)."""
    text = str(target)
    if text.startswith(("http://", "https://")):
        from dissuade.sources.http import HttpSource

        if password is not None:
            return HttpSource.sign_in(text, user=user or "", password=password)
        return HttpSource(text, token=token or os.environ.get("DISSUADE_TOKEN", ""))
    return LocalSource(target, user=user, create=create, password=password)


def open_operator(target: str | Path, *, create: bool = False) -> LocalSource:
    """A local file for an operator subcommand (import, report, audit, ...): acts as NAME@cli
    with a lead's rights, whatever users the database has (settled decision)."""
    return LocalSource(target, create=create, operator=True)


__all__ = ["Changes", "LinkListener", "LinkState", "LocalSource", "Source", "open_operator",
           "open_source"]
