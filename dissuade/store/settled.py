"""Which warnings an attempt settled: a call's own row lists every warning it settled (its own
first); the rows it made for the person's linked warnings point to it (`linked_to`)."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from dissuade.domain.models import Attempt, WarningId


def with_settled(conn: sqlite3.Connection, attempt: Attempt) -> Attempt:
    """The attempt with every warning its call settled (its own first)."""
    return settling(conn, [attempt])[0]


def settling(conn: sqlite3.Connection, found: list[Attempt]) -> tuple[Attempt, ...]:
    """Attempts with `settled` filled: a call's own row lists every warning it settled (its own
    first); a row the call settled for a linked warning lists none (its call's row does)."""
    calls = [a.id for a in found if a.linked_to is None]
    others: dict[int, list[WarningId]] = {}
    for start in range(0, len(calls), 800):
        chunk = calls[start:start + 800]
        marks = ", ".join("?" for _ in chunk)
        for primary, wid in conn.execute(
                f"SELECT linked_to, warning_id FROM attempts WHERE linked_to IN ({marks}) "
                "ORDER BY id", chunk):
            others.setdefault(int(primary), []).append(WarningId(int(wid)))
    return tuple(replace(a, settled=(a.warning_id, *others.get(int(a.id), [])))
                 if a.linked_to is None else a for a in found)


__all__ = ["settling", "with_settled"]
