"""The emergency stop-payment / card-lock request (紧急止付/冻结申请) a bank acts on: its record,
its JSON, its PDF (laid out in bank_pdf.py) and the gateway that delivers both.

Only this document and its JSON carry card numbers unmasked: the bank needs them whole.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dissuade import paths
from dissuade.domain import timeutil
from dissuade.domain.codes import EscalationKind
from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import Escalation, Warning
from dissuade.fonts import find_cjk_font
from dissuade.gateways import bank_pdf, delivery
from dissuade.gateways.bank_request import HOLD_HOURS, Request
from dissuade.gateways.delivery import GatewayRefused

TIMEOUT_SECONDS = 60


def make_request(*, warning: Warning, escalation: Escalation, requested_by: str, approved_by: str | None,
                 requested_at: float, tz: str, hold_hours: float = HOLD_HOURS) -> Request:
    """The request for a card-lock escalation of `warning`; refuses other kinds and other warnings."""
    if escalation.kind != EscalationKind.CARD_LOCK:
        raise InvalidInput(f"只有止付锁卡可向银行申请 / only a card_lock escalation goes to a bank, "
                           f"not {escalation.kind!r}", field="kind")
    if escalation.warning_id != warning.id:
        raise InvalidInput(f"升级 {escalation.id} 不属于预警 {warning.id} / escalation {escalation.id} "
                           f"is not for warning {warning.id}", field="warning_id")
    timeutil.zone(tz)
    return Request(
        request_no=escalation.id, warning_id=warning.id, holder_name=warning.name,
        cards=escalation.cards or warning.cards,
        amount=escalation.amount if escalation.amount is not None else warning.amount_at_risk,
        requested_at=requested_at, tz=tz, reason=escalation.reason, scam_type=warning.scam_type,
        fraud_contact=warning.fraud_contact, requested_by=requested_by, approved_by=approved_by,
        synthetic=warning.synthetic, hold_hours=hold_hours,
    )


def request_record(*, warning: Warning, escalation: Escalation, requested_by: str, approved_by: str | None,
                   requested_at: float, tz: str) -> dict[str, object]:
    """The request's fields as JSON-ready data (cards in full)."""
    return make_request(warning=warning, escalation=escalation, requested_by=requested_by,
                        approved_by=approved_by, requested_at=requested_at, tz=tz).to_json()


def request_pdf(*, warning: Warning, escalation: Escalation, requested_by: str, approved_by: str | None,
                requested_at: float, tz: str, path: Path, fonts: Sequence[Path | str] | None = None,
                hold_hours: float = HOLD_HOURS) -> Path:
    """Write the request a bank checks to `path`; a synthetic warning's copy is stamped as a preview."""
    _write(Path(path), request_pdf_bytes(warning=warning, escalation=escalation, requested_by=requested_by,
                                         approved_by=approved_by, requested_at=requested_at, tz=tz,
                                         fonts=fonts, hold_hours=hold_hours))
    return Path(path)


def request_pdf_bytes(*, warning: Warning, escalation: Escalation, requested_by: str, approved_by: str | None,
                      requested_at: float, tz: str, fonts: Sequence[Path | str] | None = None,
                      hold_hours: float = HOLD_HOURS) -> bytes:
    """The request as PDF bytes (for a preview on screen, or a hub answering a client)."""
    request = make_request(warning=warning, escalation=escalation, requested_by=requested_by,
                           approved_by=approved_by, requested_at=requested_at, tz=tz, hold_hours=hold_hours)
    return bank_pdf.render(request, find_cjk_font(fonts))


@dataclass(frozen=True, slots=True)
class BankGateway:
    """`kind` is outbox (PDF and JSON into `folder`) or webhook (a multipart POST to `webhook`)."""

    kind: str = "outbox"
    folder: Path | None = None
    webhook: str = ""

    def check(self) -> None:
        if self.kind not in ("outbox", "webhook"):
            raise InvalidInput(f"未知银行网关 / unknown bank gateway: {self.kind!r}", field="kind")
        if self.kind == "webhook":
            delivery.check_url(self.webhook, kind=delivery.BANK)

    def send(self, *, warning: Warning, escalation: Escalation, requested_by: str, approved_by: str | None,
             requested_at: float | None = None, tz: str = timeutil.DEFAULT_TZ,
             fonts: Sequence[Path | str] | None = None, hold_hours: float = HOLD_HOURS) -> str:
        """Deliver the request; returns the written PDF's path or the webhook's answer.

        Refuses synthetic warnings (demo accounts may be real people's) and unapproved requests.
        """
        self.check()
        if warning.synthetic:
            raise GatewayRefused("演示/演练数据不向银行发送止付申请 / a stop-payment request is never sent "
                                 "for synthetic (demo or rehearsal) warnings")
        if not approved_by:
            raise GatewayRefused("止付申请须经值班长批准后发送 / a stop-payment request needs a lead's "
                                 "approval before it is sent")
        request = make_request(warning=warning, escalation=escalation, requested_by=requested_by,
                               approved_by=approved_by, tz=tz, hold_hours=hold_hours,
                               requested_at=timeutil.now() if requested_at is None else requested_at)
        if not request.cards:
            raise InvalidInput("止付申请没有卡号或账号 / the request lists no card or account number",
                               field="cards")
        pdf = bank_pdf.render(request, find_cjk_font(fonts))
        body = json.dumps(request.to_json(), ensure_ascii=False, indent=2).encode("utf-8")
        stem = f"card-lock-{escalation.id}"
        if self.kind == "webhook":
            return delivery.post(self.webhook, kind=delivery.BANK, timeout=TIMEOUT_SECONDS,
                                 about=f"escalation {escalation.id}", files={
                                     "pdf": (f"{stem}.pdf", pdf, "application/pdf"),
                                     "record": (f"{stem}.json", body, "application/json")}).answer
        folder = self.folder or paths.data_dir() / "bank-outbox"
        folder.mkdir(parents=True, exist_ok=True)
        _write(folder / f"{stem}.json", body)
        _write(folder / f"{stem}.pdf", pdf)
        return str(folder / f"{stem}.pdf")


def _write(path: Path, data: bytes) -> None:
    """Write whole or not at all: a bank's pickup never sees half a file."""
    partial = path.with_name(f".{path.name}-{uuid.uuid4().hex[:8]}")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
