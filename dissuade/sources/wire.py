"""The JSON form of records on the hub's API, both ways: ISO times out, epoch seconds in.

Everything written out goes through dissuade.domain.privacy: cards and ID numbers leave the hub masked,
and so do those written in notes, reasons and comments.
"""

from __future__ import annotations

from typing import Any

from dissuade.domain import privacy, timeutil
from dissuade.domain.models import (
    Attempt,
    AttemptId,
    Escalation,
    EscalationDetail,
    EscalationId,
    HistoryEntry,
    Message,
    RehearsalResult,
    Warning,
    WarningDetail,
    WarningHistory,
    WarningId,
)

iso = timeutil.iso


def _t(value: Any) -> float | None:
    return None if value in (None, "") else timeutil.parse(value)


def warning_out(w: Warning) -> dict[str, Any]:
    return privacy.warning(w).to_json() | {"available_at": iso(w.available_at),
                                           "reserved_for": w.reserved_for}


def warning_in(d: dict[str, Any]) -> Warning:
    return Warning(
        id=WarningId(d["id"]), status=d["status"], source=d["source"],
        external_id=d.get("external_id"), phone=d["phone"], name=d.get("name") or "",
        scam_type=d["scam_type"], risk_level=d["risk_level"], reported_at=_t(d.get("reported_at")),
        arrived_at=_t(d["arrived_at"]) or 0.0, deadline=_t(d["deadline"]) or 0.0,
        district=d.get("district") or "", fraud_contact=d.get("fraud_contact") or "",
        amount_at_risk=d.get("amount_at_risk"), cards=tuple(d.get("cards") or ()),
        notes=d.get("notes") or "", synthetic=bool(d.get("synthetic")),
        repeat_victim=bool(d.get("repeat_victim")), claimed_by=d.get("claimed_by"),
        lease_until=_t(d.get("lease_until")), available_at=_t(d.get("available_at")) or 0.0,
        failed_attempts=int(d.get("failed_attempts") or 0), last_outcome=d.get("last_outcome"),
        reserved_for=d.get("reserved_for"), id_number=d.get("id_number") or "",
        phone_extension=d.get("phone_extension") or "",
        problems=tuple(d.get("problems") or ()), reserved_until=_t(d.get("reserved_until")),
        linked=int(d.get("linked") or 0),
    )


def attempt_out(a: Attempt) -> dict[str, Any]:
    a = privacy.attempt(a)
    return {
        "id": a.id, "warning_id": a.warning_id, "client_id": a.client_id, "officer": a.officer,
        "outcome": a.outcome, "notes": a.notes, "started_at": iso(a.started_at),
        "ended_at": iso(a.ended_at), "recorded_at": iso(a.recorded_at),
        "amount_lost": a.amount_lost, "callback_at": iso(a.callback_at),
        "callback_scope": a.callback_scope, "linked_to": a.linked_to,
        "settled": list(a.settled),
    }


def attempt_in(d: dict[str, Any], *, pending: bool = False) -> Attempt:
    return Attempt(
        id=AttemptId(d["id"]), warning_id=WarningId(d["warning_id"]), client_id=d["client_id"],
        officer=d["officer"], outcome=d["outcome"], notes=d.get("notes") or "",
        started_at=_t(d.get("started_at")), ended_at=_t(d.get("ended_at")),
        recorded_at=_t(d["recorded_at"]) or 0.0, amount_lost=d.get("amount_lost"),
        callback_at=_t(d.get("callback_at")), callback_scope=d.get("callback_scope"),
        pending=pending, linked_to=d.get("linked_to"),
        settled=tuple(WarningId(i) for i in d.get("settled") or ()),
    )


def escalation_out(e: Escalation) -> dict[str, Any]:
    e = privacy.escalation(e)
    return {
        "id": e.id, "warning_id": e.warning_id, "client_id": e.client_id, "kind": e.kind,
        "status": e.status, "reason": e.reason, "cards": list(e.cards), "amount": e.amount,
        "proposed_by": e.proposed_by, "proposed_at": iso(e.proposed_at),
        "automatic": e.automatic, "decided_by": e.decided_by, "decided_at": iso(e.decided_at),
        "decision_note": e.decision_note, "hold_until": iso(e.hold_until),
        "hold_extended": e.hold_extended, "station": e.station,
        "warning_ids": list(e.warning_ids), "lapsed": e.lapsed,
    }


def escalation_in(d: dict[str, Any], *, pending: bool = False) -> Escalation:
    return Escalation(
        id=EscalationId(d["id"]), warning_id=WarningId(d["warning_id"]), client_id=d["client_id"],
        kind=d["kind"], status=d["status"], reason=d.get("reason") or "",
        cards=tuple(d.get("cards") or ()), amount=d.get("amount"),
        proposed_by=d["proposed_by"], proposed_at=_t(d["proposed_at"]) or 0.0,
        automatic=bool(d.get("automatic")), decided_by=d.get("decided_by"),
        decided_at=_t(d.get("decided_at")), decision_note=d.get("decision_note"),
        hold_until=_t(d.get("hold_until")), hold_extended=bool(d.get("hold_extended")),
        station=d.get("station") or "", pending=pending,
        warning_ids=tuple(WarningId(i) for i in d.get("warning_ids") or ()),
    )


def history_out(h: HistoryEntry) -> dict[str, Any]:
    return {"id": h.warning_id, "arrived_at": iso(h.arrived_at), "scam_type": h.scam_type,
            "risk_level": h.risk_level, "status": h.status, "last_outcome": h.last_outcome}


def history_in(d: dict[str, Any]) -> HistoryEntry:
    return HistoryEntry(warning_id=WarningId(d["id"]), arrived_at=_t(d["arrived_at"]) or 0.0,
                        scam_type=d["scam_type"], risk_level=d["risk_level"],
                        status=d["status"], last_outcome=d.get("last_outcome"))


def detail_out(detail: WarningDetail) -> dict[str, Any]:
    return warning_out(detail.warning) | {
        "attempts": [attempt_out(a) for a in detail.attempts],
        "escalations": [escalation_out(e) for e in detail.escalations],
        "history": [history_out(h) for h in detail.history],
        "messages": [message_out(m) for m in detail.messages],
        "linked_warnings": [warning_out(w) for w in detail.linked],
    }


def detail_in(d: dict[str, Any]) -> WarningDetail:
    return WarningDetail(
        warning=warning_in(d),
        attempts=tuple(attempt_in(a) for a in d.get("attempts", [])),
        escalations=tuple(escalation_in(e) for e in d.get("escalations", [])),
        history=tuple(history_in(h) for h in d.get("history", [])),
        messages=tuple(message_in(m) for m in d.get("messages", [])),
        linked=tuple(warning_in(w) for w in d.get("linked_warnings", [])),
    )


def message_out(m: Message) -> dict[str, Any]:
    m = privacy.message(m)
    return {"id": m.id, "warning_id": m.warning_id, "client_id": m.client_id,
            "channel": m.channel, "via": m.via, "text": m.text, "result": m.result,
            "sent_by": m.sent_by, "sent_at": iso(m.sent_at)}


def message_in(d: dict[str, Any]) -> Message:
    return Message(d["id"], d["warning_id"], d["client_id"], d["channel"], d["via"], d["text"],
                   d.get("result") or "", d["sent_by"], _t(d["sent_at"]) or 0.0)


def rehearsal_out(r: RehearsalResult) -> dict[str, Any]:
    return {"id": r.id, "trainee": r.trainee, "scam_type": r.scam_type, "lang": r.lang,
            "finished_at": iso(r.finished_at), "score": r.score, "points_made": r.points_made,
            "points_total": r.points_total, "detail": r.detail}


def rehearsal_in(d: dict[str, Any]) -> RehearsalResult:
    return RehearsalResult(d["id"], d["trainee"], d["scam_type"], d["lang"],
                           _t(d["finished_at"]) or 0.0, d["score"], d["points_made"],
                           d["points_total"], d.get("detail") or [])


def escalation_detail_out(d: EscalationDetail) -> dict[str, Any]:
    d = privacy.escalation_detail(d)
    return escalation_out(d.escalation) | {
        "steps": [{"status": s.status, "actor": s.actor, "at": iso(s.at), "note": s.note}
                  for s in d.steps],
        "calls": [{"id": c.id, "number": c.number, "due_at": iso(c.due_at),
                   "called_at": iso(c.called_at), "ok": c.ok, "result": c.result}
                  for c in d.calls],
    }


def escalation_detail_in(d: dict[str, Any]) -> EscalationDetail:
    from dissuade.domain.models import ChaseCall, Step

    return EscalationDetail(
        escalation_in(d),
        tuple(Step(s["status"], s["actor"], _t(s["at"]) or 0.0, s.get("note") or "")
              for s in d.get("steps", [])),
        tuple(ChaseCall(c["id"], d["id"], d["warning_id"], c["number"], _t(c["due_at"]) or 0.0,
                        _t(c.get("called_at")), c.get("ok"), c.get("result") or "")
              for c in d.get("calls", [])),
    )


def found_out(f: Any) -> dict[str, Any]:
    return warning_out(f.warning) | {"attempts_count": f.attempts, "last_officer": f.last_officer,
                                     "last_attempt_at": iso(f.last_attempt_at),
                                     "review": f.review}


def found_in(d: dict[str, Any]) -> Any:
    from dissuade.domain.models import Found

    return Found(warning_in(d), int(d.get("attempts_count") or 0), d.get("last_officer"),
                 _t(d.get("last_attempt_at")), d.get("review"))


def review_out(r: Any) -> dict[str, Any]:
    r = privacy.review(r)
    return {"id": r.id, "attempt_id": r.attempt_id, "warning_id": r.warning_id,
            "reviewer": r.reviewer, "verdict": r.verdict, "comment": r.comment,
            "reviewed_at": iso(r.reviewed_at)}


def review_in(d: dict[str, Any]) -> Any:
    from dissuade.domain.models import Review

    return Review(d["id"], d["attempt_id"], d["warning_id"], d["reviewer"], d["verdict"],
                  d.get("comment") or "", _t(d["reviewed_at"]) or 0.0)


def audit_out(e: Any) -> dict[str, Any]:
    e = privacy.audit_entry(e)
    return {"id": e.id, "at": iso(e.at), "actor": e.actor, "action": e.action,
            "entity": e.entity, "entity_id": e.entity_id, "detail": e.detail, "hash": e.hash}


def audit_in(d: dict[str, Any]) -> Any:
    from dissuade.domain.models import Entry

    return Entry(d["id"], _t(d["at"]) or 0.0, d["actor"], d["action"], d["entity"],
                 d.get("entity_id"), d.get("detail") or {}, d.get("hash") or "")


def verdict_out(v: Any) -> dict[str, Any]:
    return {"ok": v.ok, "rows": v.rows, "head_id": v.head_id, "head_hash": v.head_hash,
            "broken_at": v.broken_at, "problem": v.problem, "code": v.code}


def verdict_in(d: dict[str, Any]) -> Any:
    from dissuade.domain.models import Verdict

    return Verdict(bool(d["ok"]), int(d["rows"]), int(d["head_id"]), d["head_hash"],
                   d.get("broken_at"), d.get("problem") or "", d.get("code") or "")


def history_full_out(h: WarningHistory) -> dict[str, Any]:
    return {"detail": detail_out(h.detail),
            "escalations": [escalation_detail_out(e) for e in h.escalations],
            "reviews": [review_out(r) for r in h.reviews],
            "trail": [audit_out(e) for e in h.trail]}


def history_full_in(d: dict[str, Any]) -> WarningHistory:
    return WarningHistory(detail_in(d["detail"]),
                          tuple(escalation_detail_in(e) for e in d.get("escalations", [])),
                          tuple(review_in(r) for r in d.get("reviews", [])),
                          tuple(audit_in(e) for e in d.get("trail", [])))
