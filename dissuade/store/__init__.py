"""The SQLite store; the only place in dissuade that speaks SQL."""

from dissuade.store.store import IngestResult, Store

__all__ = ["IngestResult", "Store"]
