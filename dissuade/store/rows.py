"""Mapping between table rows and the model records."""

from __future__ import annotations

import json
import sqlite3

from dissuade.domain.models import Attempt, AttemptId, Escalation, EscalationId, HistoryEntry, Warning, WarningId

WARNING_COLUMNS = (
    "id, status, source, external_id, phone, name, scam_type, risk_level, reported_at, "
    "arrived_at, deadline, district, fraud_contact, amount_at_risk, cards, notes, synthetic, "
    "repeat_victim, claimed_by, lease_until, available_at, failed_attempts, last_outcome, "
    "reserved_for, id_number, phone_extension, problems, reserved_until, centre"
)
ATTEMPT_COLUMNS = (
    "id, warning_id, client_id, officer, outcome, notes, started_at, ended_at, recorded_at, "
    "amount_lost, callback_at, callback_scope, linked_to, dialled_at, voided_at"
)
ESCALATION_COLUMNS = (
    "id, warning_id, client_id, kind, status, reason, cards, amount, proposed_by, proposed_at, "
    "automatic, decided_by, decided_at, decision_note, hold_until, hold_extended, station"
)


def warning(row: sqlite3.Row | tuple) -> Warning:
    (id_, status, source, external_id, phone, name, scam_type, level, reported_at, arrived_at,
     deadline, district, fraud_contact, amount, cards, notes, synthetic, repeat, claimed_by,
     lease_until, available_at, failed, last_outcome, reserved_for, id_number, extension,
     problems, reserved_until, centre) = row
    return Warning(
        id=WarningId(id_), status=status, source=source, external_id=external_id, phone=phone,
        name=name, scam_type=scam_type, risk_level=level, reported_at=reported_at,
        arrived_at=arrived_at, deadline=deadline, district=district,
        fraud_contact=fraud_contact, amount_at_risk=amount,
        cards=tuple(json.loads(cards)) if cards and cards != "[]" else (),
        notes=notes, synthetic=bool(synthetic), repeat_victim=bool(repeat),
        claimed_by=claimed_by, lease_until=lease_until, available_at=available_at,
        failed_attempts=failed, last_outcome=last_outcome, reserved_for=reserved_for,
        id_number=id_number or "", phone_extension=extension or "",
        problems=tuple(json.loads(problems)) if problems and problems != "[]" else (),
        reserved_until=reserved_until, centre=centre or "",
    )


def attempt(row: sqlite3.Row | tuple) -> Attempt:
    (id_, warning_id, client_id, officer, outcome, notes, started_at, ended_at, recorded_at,
     amount_lost, callback_at, callback_scope, linked_to, dialled_at, voided_at) = row
    return Attempt(
        id=AttemptId(id_), warning_id=WarningId(warning_id), client_id=client_id,
        officer=officer, outcome=outcome, notes=notes, started_at=started_at,
        ended_at=ended_at, recorded_at=recorded_at, amount_lost=amount_lost,
        callback_at=callback_at, callback_scope=callback_scope,
        linked_to=None if linked_to is None else AttemptId(linked_to), dialled_at=dialled_at,
        voided_at=voided_at,
    )


def escalation(row: sqlite3.Row | tuple) -> Escalation:
    (id_, warning_id, client_id, kind, status, reason, cards, amount, proposed_by, proposed_at,
     automatic, decided_by, decided_at, decision_note, hold_until, hold_extended, station) = row
    return Escalation(
        id=EscalationId(id_), warning_id=WarningId(warning_id), client_id=client_id, kind=kind,
        status=status, reason=reason, cards=tuple(json.loads(cards)), amount=amount,
        proposed_by=proposed_by, proposed_at=proposed_at, automatic=bool(automatic),
        decided_by=decided_by, decided_at=decided_at, decision_note=decision_note,
        hold_until=hold_until, hold_extended=bool(hold_extended), station=station or "",
    )


def history(row: sqlite3.Row | tuple) -> HistoryEntry:
    id_, arrived_at, scam_type, level, status, last_outcome = row
    return HistoryEntry(
        warning_id=WarningId(id_), arrived_at=arrived_at, scam_type=scam_type,
        risk_level=level, status=status, last_outcome=last_outcome,
    )
