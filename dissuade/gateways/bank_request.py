"""A stop-payment (card-lock) request as the bank receives it: the fields of one approved card-lock
escalation, card numbers in full, as JSON for a webhook or a command and as the PDF's contents
(bank_pdf.py)."""

from __future__ import annotations

from dataclasses import dataclass

from dissuade.domain import settings, timeutil
from dissuade.domain.codes import SCAM_LABELS

HOLD_HOURS = settings.HOLD_HOURS.default  # the policy's, when none is given


@dataclass(frozen=True, slots=True)
class Request:
    """What the bank is asked: one card-lock escalation's fields, card numbers in full."""

    request_no: int
    warning_id: int
    holder_name: str
    cards: tuple[str, ...]
    amount: float | None
    requested_at: float
    tz: str
    reason: str
    scam_type: str
    fraud_contact: str
    requested_by: str
    approved_by: str | None
    synthetic: bool
    hold_hours: float = HOLD_HOURS

    @property
    def local_time(self) -> str:
        return timeutil.local_text(self.requested_at, self.tz, fmt="%Y-%m-%d %H:%M:%S")

    @property
    def hold_note(self) -> tuple[str, str]:
        hours = self.hold_hours
        return (f"止付期限 {hours:g} 小时，可延长一次", f"The hold lasts {hours:g} hours and may be extended once.")

    @property
    def scam_label(self) -> str:
        return SCAM_LABELS.get(self.scam_type, (self.scam_type,))[0]

    def to_json(self) -> dict[str, object]:
        return {
            "type": "card_lock_request", "request_no": self.request_no, "warning_id": self.warning_id,
            "holder_name": self.holder_name, "cards": list(self.cards), "amount": self.amount,
            "currency": "CNY", "requested_at": timeutil.iso(self.requested_at),
            "requested_at_local": self.local_time, "timezone": self.tz, "reason": self.reason,
            "scam_type": self.scam_type, "scam_type_label": self.scam_label,
            "fraud_contact": self.fraud_contact, "requested_by": self.requested_by,
            "approved_by": self.approved_by, "hold_hours": self.hold_hours, "hold_note": self.hold_note[0],
            "synthetic": self.synthetic,
        }
