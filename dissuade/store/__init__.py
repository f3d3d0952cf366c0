"""The SQLite store; the only place in dissuade that speaks SQL."""

from dissuade.store.store import Store

__all__ = ["Store"]
