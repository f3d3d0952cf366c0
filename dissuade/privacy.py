"""What leaves the core: bank cards and ID numbers masked, unless someone reveals them (audited).

Both sources (the local file and the hub's JSON) hand out records through these functions, so a
screen, a log line or an export can only show what they let through.
"""

from __future__ import annotations

from dataclasses import replace

from dissuade.codes import Role
from dissuade.masking import mask_card, mask_id_number
from dissuade.models import Escalation, EscalationDetail, Warning, WarningDetail, WarningHistory

REVEALABLE = ("cards", "id_number")
# Leads see whatever they ask to; an officer only on the warning they hold (the call is on).
MAY_REVEAL = frozenset({Role.LEAD.value, Role.OFFICER.value})


def warning(w: Warning) -> Warning:
    if not w.cards and not w.id_number:
        return w
    return replace(w, cards=tuple(mask_card(c) for c in w.cards),
                   id_number=mask_id_number(w.id_number))


def escalation(e: Escalation) -> Escalation:
    return replace(e, cards=tuple(mask_card(c) for c in e.cards)) if e.cards else e


def detail(d: WarningDetail) -> WarningDetail:
    return replace(d, warning=warning(d.warning),
                   escalations=tuple(escalation(e) for e in d.escalations),
                   linked=tuple(warning(w) for w in d.linked))


def escalation_detail(d: EscalationDetail) -> EscalationDetail:
    return replace(d, escalation=escalation(d.escalation))


def history(h: WarningHistory) -> WarningHistory:
    return replace(h, detail=detail(h.detail),
                   escalations=tuple(escalation_detail(e) for e in h.escalations))
