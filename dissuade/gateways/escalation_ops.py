"""Escalations that reach outside the centre: the bank's stop-payment request and the chase
calls' dialer. Both sources run these the same way (the hub on its own machine, a local file on
the workstation); a gateway that refuses (synthetic data, a bank that is down) leaves the record
as it was and says why."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from dissuade.domain import limits, timeutil
from dissuade.domain.codes import EscalationKind, Role
from dissuade.domain.errors import Conflict, DissuadeError, Forbidden
from dissuade.domain.models import ChaseCall, Escalation, SendTicket
from dissuade.gateways import bank, dialer
from dissuade.store import Store

log = logging.getLogger(__name__)


def _card_lock(store: Store, escalation_id: int) -> Escalation:
    escalation = store.escalation(escalation_id)
    if escalation.kind != EscalationKind.CARD_LOCK:
        raise Conflict(f"升级 {escalation_id} 不是止付锁卡 / escalation {escalation_id} is not "
                       "a card lock")
    return escalation


REASON_MAX = 500


def request_pdf(store: Store, escalation_id: int, *, user: str, role: str, reason: str,
                fonts: Sequence[Path | str] | None = None) -> bytes:
    """The bank's request as PDF bytes; a synthetic warning's copy is stamped as a preview.

    It carries the cards whole, so it follows the reveal rule: a reason is needed, only a lead
    (`role`) or the escalation's proposer may make it, and making it is audited as a reveal of
    the warning's cards (``warning.reveal`` with the reason and the escalation's id).
    """
    reason = limits.check_text(reason, field="reason", limit=REASON_MAX, required=True)
    escalation = store.escalation(escalation_id)
    if role != Role.LEAD.value and escalation.proposed_by != user:
        raise Forbidden(f"止付申请含完整卡号，只有值班长或提出人可以生成；角色 {role} 且非提出人 / "
                        f"the request carries the cards whole: only a lead or the escalation's "
                        f"proposer may make it, not role {role} (escalation {escalation_id})")
    escalation = _card_lock(store, escalation_id)
    warning = store.warning(escalation.warning_id)
    pdf = bank.request_pdf_bytes(
        warning=warning, escalation=escalation, requested_by=escalation.proposed_by,
        approved_by=escalation.decided_by if escalation.status != "proposed" else None,
        requested_at=timeutil.now(), tz=store.policy().timezone, fonts=fonts,
        hold_hours=store.policy().hold_hours)
    store.record_event(user, "warning.reveal", "warning", int(warning.id),
                       {"field": "cards", "reason": reason, "escalation_id": int(escalation_id),
                        "via": "request.pdf"})
    return pdf


def send_bank_request(store: Store, escalation_id: int, *, gateway: bank.BankGateway,
                      user: str) -> Escalation:
    """Deliver an approved card lock's request through `gateway`, then record the step `sent`
    with what the gateway answered. Refused (not approved, being sent by someone else, synthetic,
    the gateway down): nothing changes and the error says why.

    Separate short steps, nothing held from one to the next, so that a caller locking each store
    call never holds its lock through the bank's minute: read; take the request for sending (in
    the database: a second sender anywhere gets a Conflict); deliver; record it sent, or give it
    back when the delivery failed.
    """
    gateway.check()
    _card_lock(store, escalation_id)
    policy = store.policy()
    ticket = store.begin_send(escalation_id, user=user)
    escalation = ticket.escalation
    try:
        warning = store.warning(escalation.warning_id)
        answer = gateway.send(warning=warning, escalation=escalation,
                              requested_by=escalation.proposed_by, approved_by=escalation.decided_by,
                              tz=policy.timezone, hold_hours=policy.hold_hours)
    except BaseException:
        _give_back(store, ticket)
        raise
    # Should this record fail (the database busy), the take stays: nobody sends again until it
    # goes stale (store/sending.py), and that sender's step then says the bank may have it twice.
    return store.finish_send(ticket, note=f"已发送至银行 / sent via {gateway.kind}: {answer}")


def _give_back(store: Store, ticket: SendTicket) -> None:
    try:
        store.abandon_send(ticket)
    except DissuadeError as exc:  # the database busy: the take goes stale on its own
        log.warning("escalation %s stays taken for sending until it goes stale: %s",
                    ticket.escalation.id, exc)


def run_chase_calls(store: Store, *, gateway: dialer.Dialer, folder: Path, user: str = "dialer",
                    limit: int = 10) -> list[ChaseCall]:
    """Make the chase calls due now: each plays the type's synthesised voice warning through the
    dialer, and its result is recorded (a refusal or a failed call counts as not reached).

    As with the bank, short steps with nothing held between them: claim the due calls (atomic
    in the database, so two dialers never ring one call), then for each read its warning, ring,
    and record the result."""
    done = []
    for call in store.claim_due_chase_calls(user=user, limit=limit):
        warning = store.warning(call.warning_id)
        lang = "zh" if warning.phone.startswith("+86") else "en"
        try:
            wav = dialer.make_voice(warning, lang, folder)
            ok, result = True, gateway.call(warning, wav)
        except DissuadeError as exc:
            ok, result = False, str(exc)
        except OSError as exc:  # the voice folder or the sound device
            ok, result = False, f"语音或外呼失败 / voice or dialer failed: {exc}"
        log.info("chase call %s/%s of warning %s: %s", call.escalation_id, call.number,
                 call.warning_id, "reached" if ok else "not reached")
        done.append(store.record_chase_call(call.id, ok=ok, result=result))
    return done
