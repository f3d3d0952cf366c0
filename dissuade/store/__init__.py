"""The SQLite store; the only place in dissuade that speaks SQL."""

from dissuade.domain.models import IngestResult
from dissuade.store.store import Store

__all__ = ["IngestResult", "Store"]
