"""Warnings coming in: one from a feed, a batch from an import, and synthetic demo data."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from dissuade.domain import rules
from dissuade.domain.codes import RiskLevel
from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import IngestResult, Warning
from dissuade.domain.policy import Policy
from dissuade.feeds.intake import NewWarning, check_warning, on_arrival
from dissuade.store import audit, cases, centres, dialect, robot, rows
from dissuade.store.base import StoreBase, now_or
from dissuade.store.connection import write

INSERT_WARNING = (
    "INSERT INTO warnings (source, external_id, phone, name, scam_type, risk_level, level_rank, "
    "reported_at, arrived_at, deadline, district, fraud_contact, amount_at_risk, cards, notes, "
    "synthetic, repeat_victim, status, available_at, id_number, phone_extension, problems, "
    "centre) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new', ?, ?, ?, ?, ?)"
)
# A batch's rows carry the ids reserved for them (dialect.reserve_ids).
INSERT_WARNING_WITH_ID = INSERT_WARNING.replace("(source, ", "(id, source, ", 1).replace(
    "VALUES (", "VALUES (?, ", 1)
BATCH = 50_000  # demo rows written per executemany: bounded memory for a million
_RANKS = {lv.value: lv.rank for lv in RiskLevel}


@dataclass(slots=True)
class DemoBatch:
    """Synthetic rows in the column order of `insert_demo`; indices count from the first row."""

    warnings: list[tuple[object, ...]]
    # (client_id, index, officer, outcome, recorded at, seconds on the call, amount lost)
    attempts: list[tuple[str, int, str, str, float, float, float | None]]
    escalations: list[tuple[object, ...]]
    steps: list[tuple[str, str, str, float, str]]  # (escalation client_id, status, who, at, note)


def _warning(conn: sqlite3.Connection, warning_id: int) -> Warning:
    row = conn.execute(f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE id = ?",
                       (warning_id,)).fetchone()
    return rows.warning(row)


def add_warning(conn: sqlite3.Connection, data: Mapping[str, object], *, policy: Policy,
                actor: str, now: float) -> tuple[Warning, bool]:
    """(warning, True) when new, (the first version, False) when the same (source,
    external_id) was seen before."""
    new = on_arrival(check_warning(data, policy), now)
    with write(conn):
        existing = _existing(conn, new)
        if existing is not None:
            return existing, False
        repeat = bool(_phones_victimised(conn, {new.phone}))
        cur = conn.execute(INSERT_WARNING + " RETURNING id",
                           warning_row(new, now, repeat=repeat, policy=policy))
        warning_id = int(cur.fetchone()[0])
        # The person's case stays in one centre; someone on the phone with this person now
        # takes it too: nobody else calls them.
        centres.follow_person(conn, {new.phone: [warning_id]}, policy=policy, actor=actor,
                              now=now)
        cases.join_live_claims(conn, {new.phone: [warning_id]}, now=now)
        robot.on_arrival(conn, [warning_id], policy=policy, now=now)  # its first pass
        audit.append(conn, actor, "warning.create", "warning", warning_id,
                     {"source": new.source, "external_id": new.external_id}, now=now)
    return _warning(conn, warning_id), True


def add_warnings(conn: sqlite3.Connection, items: Sequence[Mapping[str, object]], *,
                 policy: Policy, actor: str, now: float) -> list[IngestResult]:
    """Many warnings in one transaction. Each item is checked on its own: a bad one gets its
    reason and field in its result and the good ones around it are stored. Idempotent on
    (source, external_id) as add_warning."""
    checked: list[NewWarning | InvalidInput] = []
    for item in items:
        try:
            checked.append(on_arrival(check_warning(item, policy), now))
        except InvalidInput as exc:
            checked.append(exc)
    valid = [new for new in checked if isinstance(new, NewWarning)]
    results: list[IngestResult] = []
    with write(conn):
        # A few queries for the whole batch instead of three statements a row.
        known = _known_ids(conn, {(n.source, n.external_id) for n in valid if n.external_id})
        victimised = _phones_victimised(conn, {n.phone for n in valid})
        # Which items are new first (one may repeat another of the same batch), then their ids:
        # consecutive, in the batch's order, inside this write transaction.
        fresh: list[int] = []
        seen = set(known)
        for index, new in enumerate(checked):
            if isinstance(new, NewWarning):
                key = (new.source, new.external_id)
                if not (new.external_id and key in seen):
                    fresh.append(index)
                    seen.add(key)
        next_id = dialect.reserve_ids(conn, "warnings", len(fresh))
        ids = {index: next_id + n for n, index in enumerate(fresh)}
        inserts: list[tuple[object, ...]] = []
        for index, new in enumerate(checked):
            if isinstance(new, InvalidInput):
                results.append(IngestResult(index, None, False, new.message, new.field))
                continue
            key = (new.source, new.external_id)
            if index not in ids:
                wid, status = known[key]
                results.append(IngestResult(index, wid, False, status=status))
                continue
            warning_id = ids[index]
            inserts.append((warning_id, *warning_row(new, now, repeat=new.phone in victimised,
                                                     policy=policy)))
            if new.external_id:
                known[key] = (warning_id, "new")
            results.append(IngestResult(index, warning_id, True, status="new",
                                        problems=new.problems))
        conn.executemany(INSERT_WARNING_WITH_ID, inserts)
        new_by_phone = _new_by_phone(checked, results)
        centres.follow_person(conn, new_by_phone, policy=policy, actor=actor, now=now)
        cases.join_live_claims(conn, new_by_phone, now=now)
        robot.on_arrival(conn, [i for ids in new_by_phone.values() for i in ids],
                         policy=policy, now=now)  # its first pass
        if inserts:
            audit.append(conn, actor, "warning.import", "warning", None,
                         {"created": len(inserts), "first_id": next_id,
                          "rejected": sum(r.error is not None for r in results)}, now=now)
    return results


def _new_by_phone(checked: Sequence[NewWarning | InvalidInput],
                  results: Sequence[IngestResult]) -> dict[str, list[int]]:
    """The new warnings' ids by phone."""
    out: dict[str, list[int]] = {}
    for new, result in zip(checked, results, strict=True):
        if isinstance(new, NewWarning) and result.created and result.warning_id is not None:
            out.setdefault(new.phone, []).append(result.warning_id)
    return out


def _known_ids(conn: sqlite3.Connection, keys: set[tuple[str, str | None]]
               ) -> dict[tuple[str, str | None], tuple[int, str]]:
    """Ids and statuses of warnings already stored under these (source, external_id) keys."""
    by_source: dict[str, list[str]] = {}
    for source, external_id in keys:
        if external_id is not None:
            by_source.setdefault(source, []).append(external_id)
    found: dict[tuple[str, str | None], tuple[int, str]] = {}
    for source, ids in by_source.items():
        for start in range(0, len(ids), 800):
            chunk = ids[start:start + 800]
            marks = ", ".join("?" for _ in chunk)
            # source = ? AND external_id IN (...): both columns of the unique index.
            for external_id, wid, status in conn.execute(
                    f"SELECT external_id, id, status FROM warnings WHERE source = ? "
                    f"AND external_id IN ({marks})", (source, *chunk)):
                found[(source, external_id)] = (int(wid), str(status))
    return found


# A repeat victim (README, "One victim, one case"): the phone had a warning closed before, as a real victim would be;
# a wrong person or an empty number says nothing about whoever holds the number now.
VICTIMISED = ("status = 'closed' AND last_outcome NOT IN ('wrong_person', 'invalid_number')")


def _phones_victimised(conn: sqlite3.Connection, phones: set[str]) -> set[str]:
    """Which of `phones` had a warning closed before (repeat victims)."""
    seen: set[str] = set()
    ordered = sorted(phones)
    for start in range(0, len(ordered), 800):
        chunk = ordered[start:start + 800]
        marks = ", ".join("?" for _ in chunk)
        seen.update(p for (p,) in conn.execute(
            f"SELECT DISTINCT phone FROM warnings WHERE phone IN ({marks}) AND {VICTIMISED}",
            chunk))
    return seen


def _existing(conn: sqlite3.Connection, new: NewWarning) -> Warning | None:
    if new.external_id is None:
        return None
    row = conn.execute(
        f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE source = ? AND external_id = ?",
        (new.source, new.external_id),
    ).fetchone()
    return rows.warning(row) if row else None


def warning_row(new: NewWarning, now: float, *, repeat: bool,
                policy: Policy) -> tuple[object, ...]:
    """The INSERT_WARNING values of a checked warning arriving `now`."""
    return (
        new.source, new.external_id, new.phone, new.name, new.scam_type,
        new.risk_level, _RANKS[new.risk_level], new.reported_at, now,
        rules.deadline(reported_at=new.reported_at, arrived_at=now, level=new.risk_level,
                       policy=policy),
        new.district, new.fraud_contact, new.amount_at_risk,
        json.dumps(list(new.cards)) if new.cards else "[]",
        new.notes, int(new.synthetic), int(repeat), now, new.id_number, new.phone_extension,
        json.dumps(list(new.problems), ensure_ascii=False) if new.problems else "[]",
        centres.route(policy, district=new.district, given=new.centre),
    )


def insert_demo(conn: sqlite3.Connection, batches: Iterable[DemoBatch], *,
                note: dict[str, object], now: float, in_memory: bool) -> None:
    """Synthetic warnings in one transaction: all of them, or none if anything fails."""
    (empty,) = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM warnings)").fetchone()
    # A new demo centre is a bulk load: a rollback journal writes each page once, where WAL
    # writes it to the log and again into the file (a fifth of a million-warning demo).
    # Nobody else can have an empty centre open for work; if somebody has the file open,
    # SQLite keeps WAL and the load just takes longer.
    bulk = empty and not in_memory and dialect.of(conn) == dialect.SQLITE and str(conn.execute(
        "PRAGMA journal_mode = DELETE").fetchone()[0]).lower() == "delete"
    try:
        _insert_demo(conn, batches, note=note, now=now)
        dialect.refresh_statistics(conn)
    finally:
        if bulk:
            conn.execute("PRAGMA journal_mode = WAL")


def _insert_demo(conn: sqlite3.Connection, batches: Iterable[DemoBatch], *,
                 note: dict[str, object], now: float) -> None:
    with write(conn):
        (base,) = conn.execute("SELECT coalesce(max(id), 0) FROM warnings").fetchone()
        # Into empty tables, the indexes are built once at the end (in this transaction):
        # sorting a million rows once beats keeping a dozen indexes sorted row by row.
        rebuild = [] if base else dialect.index_definitions(
            conn, ("warnings", "attempts", "escalations", "escalation_steps"))
        for name, _sql in rebuild:
            conn.execute(f'DROP INDEX "{name}"')
        for batch in batches:
            first = dialect.reserve_ids(conn, "warnings", len(batch.warnings))
            conn.executemany(
                "INSERT INTO warnings (id, source, external_id, phone, name, scam_type, "
                "risk_level, level_rank, reported_at, arrived_at, deadline, district, "
                "fraud_contact, amount_at_risk, cards, notes, repeat_victim, status, fresh, "
                "available_at, failed_attempts, last_outcome, first_attempt_at, closed_by, "
                "closed_at, last_outcome_at, id_number, synthetic) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
                ((first + n, *row) for n, row in enumerate(batch.warnings)),
            )
            # Row i of the run has id base + i + 1: ids are given in insertion order.
            conn.executemany(
                "INSERT INTO attempts (client_id, warning_id, officer, outcome, recorded_at, "
                "started_at, ended_at, amount_lost) VALUES (?, ? + ? + 1, ?, ?, ?, ?, ?, ?)",
                ((cid, base, i, officer, outcome, at, at - seconds, at, lost)
                 for cid, i, officer, outcome, at, seconds, lost in batch.attempts),
            )
            conn.executemany(
                "INSERT INTO escalations (client_id, warning_id, kind, reason, cards, amount, "
                "proposed_by, proposed_at, automatic, status, decided_by, decided_at, "
                "station, hold_until) VALUES (?, ? + ? + 1, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
                ((cid, base, i, *rest) for cid, i, *rest in batch.escalations),
            )
            conn.executemany(
                "INSERT INTO escalation_steps (escalation_id, status, actor, at, note) "
                "SELECT id, ?, ?, ?, ? FROM escalations WHERE client_id = ?",
                ((status, actor, at, note, cid) for cid, status, actor, at, note
                 in batch.steps),
            )
        for _name, sql in rebuild:
            conn.execute(sql)
        audit.append(conn, "demo", "demo.generate", "warning", None, note, now=now)


class IngestStore(StoreBase):
    """Warnings coming in."""

    def add_warning(self, data: Mapping[str, object], *, actor: str,
                    now: float | None = None) -> tuple[Warning, bool]:
        """Ingest one warning: (warning, True) when new, (the first version, False) when the
        same (source, external_id) was seen before."""
        return add_warning(self.conn, data, policy=self.policy(), actor=actor, now=now_or(now))

    def add_warnings(self, items: Sequence[Mapping[str, object]], *, actor: str,
                     now: float | None = None) -> list[IngestResult]:
        """Ingest many warnings in one transaction (an import, a batch from a feed); each is
        checked on its own and the good ones around a bad one are stored."""
        return add_warnings(self.conn, items, policy=self.policy(), actor=actor,
                            now=now_or(now))

    def insert_demo(self, batches: Iterable[DemoBatch], *, note: dict[str, object],
                    now: float) -> None:
        """Write synthetic warnings in one transaction: all of them, or none if anything
        fails."""
        insert_demo(self.conn, batches, note=note, now=now, in_memory=self.path == ":memory:")
