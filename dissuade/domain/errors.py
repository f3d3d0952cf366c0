"""Errors a user can fix (bad input, a busy or foreign database), kept apart from bugs."""

from __future__ import annotations


class DissuadeError(Exception):
    """An error with a message fit to show a user; anything else is a bug."""


class InvalidInput(DissuadeError):
    """Input that names what is wrong with it: `field` is the offending field, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class NotFound(DissuadeError):
    pass


class Conflict(DissuadeError):
    """The action collides with someone else's claim or a state that does not allow it."""

    def __init__(self, message: str, *, holder: str | None = None) -> None:
        super().__init__(message)
        self.holder = holder


class Forbidden(DissuadeError):
    """The caller's role may not do this."""


class NotAuthenticated(DissuadeError):
    """No token, or a token the hub does not know."""


class SlowDown(DissuadeError):
    """Too many failed sign-ins for a name (or from an address): wait `retry_after` seconds.
    Never a lock-out: the wait is capped (dissuade/store/throttle.py)."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class HubUnreachable(DissuadeError):
    """The hub did not answer (network down, hub stopped); offline work goes to the outbox."""


class DatabaseUnusable(DissuadeError):
    """The file is not a dissuade database, is from a newer version, or cannot be opened."""


class DatabaseBusy(DissuadeError):
    """The database stayed locked longer than the busy timeout; try again shortly."""
