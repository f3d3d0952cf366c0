"""What leaves the core: bank cards and ID numbers masked, unless someone reveals them (audited).

Both sources (the local file and the hub's JSON) hand out records through these functions, so a
screen, a log line or an export can only show what they let through. Structured cards and ID
numbers are masked whole; the texts people type (a warning's notes, calls' notes, escalations'
reasons, decision notes and steps' notes, review comments, SMS texts, and the reasons, notes and
comments in audit rows) have every card and ID number written in them masked
(masking.mask_free_text). `fraud_contact`, the fraudster's side that banks need, is left whole.
Every function here is idempotent: a masked record passes through unchanged.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dissuade.domain.codes import Role
from dissuade.domain.masking import mask_card, mask_free_text, mask_id_number
from dissuade.domain.models import (
    Attempt,
    ChaseCall,
    Entry,
    Escalation,
    EscalationDetail,
    Found,
    Message,
    Review,
    Step,
    Warning,
    WarningDetail,
    WarningHistory,
)

REVEALABLE = ("cards", "id_number", "notes")
# Leads see whatever they ask to; an officer only on the warning they hold (the call is on).
MAY_REVEAL = frozenset({Role.LEAD.value, Role.OFFICER.value})
# Keys of an audit row's detail that hold typed text.
AUDIT_TEXT_KEYS = frozenset({"reason", "note", "notes", "comment", "decision_note", "text"})

text = mask_free_text


def warning(w: Warning) -> Warning:
    notes = text(w.notes)
    if not w.cards and not w.id_number and notes == w.notes:
        return w
    return replace(w, cards=tuple(mask_card(c) for c in w.cards),
                   id_number=mask_id_number(w.id_number), notes=notes)


def attempt(a: Attempt) -> Attempt:
    notes = text(a.notes)
    return a if notes == a.notes else replace(a, notes=notes)


def escalation(e: Escalation) -> Escalation:
    reason = text(e.reason)
    note = None if e.decision_note is None else text(e.decision_note)
    if not e.cards and reason == e.reason and note == e.decision_note:
        return e
    return replace(e, cards=tuple(mask_card(c) for c in e.cards), reason=reason,
                   decision_note=note)


def message(m: Any) -> Any:
    """An SMS sent (dissuade.store.training.Message): its text and the gateway's answer."""
    body, result = text(m.text), text(m.result)
    return m if (body, result) == (m.text, m.result) else replace(m, text=body, result=result)


def review(r: Any) -> Any:
    """A lead's quality mark (dissuade.store.review.Review): its comment."""
    comment = text(r.comment)
    return r if comment == r.comment else replace(r, comment=comment)


def step(s: Any) -> Any:
    """An escalation's step (dissuade.store.escalations.Step): its note."""
    note = text(s.note)
    return s if note == s.note else replace(s, note=note)


def chase_call(c: Any) -> Any:
    """A chase call (dissuade.store.escalations.ChaseCall): the dialer's answer."""
    result = text(c.result)
    return c if result == c.result else replace(c, result=result)


def audit_entry(e: Any) -> Any:
    """An audit row (dissuade.store.audit.Entry): the typed texts in its detail. The hash stays
    the one over the stored row: `verify_audit` checks the stored rows, never these copies."""
    detail = e.detail
    if not isinstance(detail, dict) or not AUDIT_TEXT_KEYS & detail.keys():
        return e
    masked = {k: text(v) if k in AUDIT_TEXT_KEYS and isinstance(v, str) else v
              for k, v in detail.items()}
    return e if masked == detail else replace(e, detail=masked)


def detail(d: WarningDetail) -> WarningDetail:
    return replace(d, warning=warning(d.warning),
                   attempts=tuple(attempt(a) for a in d.attempts),
                   escalations=tuple(escalation(e) for e in d.escalations),
                   messages=tuple(message(m) for m in d.messages),
                   linked=tuple(warning(w) for w in d.linked))


def escalation_detail(d: EscalationDetail) -> EscalationDetail:
    return replace(d, escalation=escalation(d.escalation), steps=tuple(step(s) for s in d.steps),
                   calls=tuple(chase_call(c) for c in d.calls))


def history(h: WarningHistory) -> WarningHistory:
    return replace(h, detail=detail(h.detail),
                   escalations=tuple(escalation_detail(e) for e in h.escalations),
                   reviews=tuple(review(r) for r in h.reviews),
                   trail=tuple(audit_entry(e) for e in h.trail))


def found(f: Found) -> Found:
    return replace(f, warning=warning(f.warning))


_MASKS: dict[type, Any] = {
    Warning: warning, Attempt: attempt, Escalation: escalation, Message: message, Review: review,
    Step: step, ChaseCall: chase_call, Entry: audit_entry, WarningDetail: detail,
    EscalationDetail: escalation_detail, WarningHistory: history, Found: found,
}


def mask(value: Any) -> Any:
    """Any answer of the core, masked as its records are: records by their type, lists and
    tuples item by item, everything else (counts, texts, dicts of figures) as it is."""
    if isinstance(value, list):
        return [mask(v) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(mask(v) for v in value)
    masker = _MASKS.get(type(value))
    return value if masker is None else masker(value)
