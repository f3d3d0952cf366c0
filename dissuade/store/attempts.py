"""Recording a call: the outcome settles the warnings the officer had on screen, each by the
centre's rules, and proposes the escalation they call for (one of a kind per person)."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dissuade.domain import limits, rules
from dissuade.domain.codes import EscalationKind, Outcome, Status
from dissuade.domain.errors import Conflict, InvalidInput
from dissuade.domain.masking import mask_card
from dissuade.domain.models import Attempt, Escalation, Warning
from dissuade.domain.policy import Policy
from dissuade.feeds.intake import parse_amount, parse_cards
from dissuade.store import audit, cases, escalations, rows, undo
from dissuade.store.base import StoreBase, now_or
from dissuade.store.connection import write
from dissuade.store.settled import with_settled


@dataclass(frozen=True, slots=True)
class Call:
    """One attempt as the officer recorded it, before the rules move the warnings on."""

    outcome: str
    notes: str = ""
    client_id: str | None = None
    started_at: float | None = None
    ended_at: float | None = None
    dialled_at: float | None = None
    amount_lost: object = None
    callback_at: float | None = None
    callback_scope: str | None = None
    escalation: Mapping[str, object] | None = None  # corrections to the proposal it makes
    settles: Sequence[int] | None = None  # the warnings on screen; None: all the officer holds


def proposal_overrides(given: Mapping[str, object] | None) -> dict[str, Any]:
    """Checked corrections to an automatic proposal: cards, amount, reason."""
    if not given:
        return {}
    if not isinstance(given, Mapping):
        raise InvalidInput("escalation 应为对象 / escalation must be an object", field="escalation")
    unknown = sorted(set(given) - {"cards", "amount", "reason"})
    if unknown:
        raise InvalidInput(f"未知字段 / unknown field: escalation.{unknown[0]}",
                           field="escalation")
    out: dict[str, Any] = {}
    if "cards" in given:
        out["cards"] = given["cards"]  # resolved against the warnings' cards once they are read
    if "amount" in given:
        out["amount"] = parse_amount(given["amount"], field="escalation")
    if given.get("reason"):
        out["reason"] = limits.check_text(given["reason"], field="escalation")
    return out


_MASKED_SPLIT = re.compile(r"[,，;；\n|、]+")


def resolve_cards(given: object, known: Sequence[str], *,
                  field: str = "cards") -> tuple[str, ...]:
    """Cards for a proposal: full numbers as typed, or masked ones (6222 **** **** 0202, as
    screens show them) standing for the warnings' own cards, which the client never sees whole."""
    if isinstance(given, str) and "*" not in given:
        cards = parse_cards(given, field=field)  # typed numbers: any separator, spaces too
    else:
        items = [p.strip() for p in _MASKED_SPLIT.split(given)] if isinstance(given, str) \
            else list(given) if isinstance(given, list | tuple) else None
        if items is None:
            raise InvalidInput(f"银行卡号应为列表 / {field} must be a list", field=field)
        out: list[str] = []
        for item in items:
            if isinstance(item, str) and "*" in item:
                wanted = "".join(item.split())
                match = [c for c in known if "".join(mask_card(c).split()) == wanted]
                if not match:
                    raise InvalidInput(f"找不到与 {item} 对应的银行卡 / no card of this person "
                                       f"matches {item}", field=field)
                out.append(match[0])
            elif item not in (None, ""):
                out.extend(parse_cards([item], field=field))
        cards = tuple(out)
    cards = tuple(dict.fromkeys(cards))
    if len(cards) > limits.CARDS_MAX:
        raise InvalidInput(f"银行卡最多 {limits.CARDS_MAX} 张 / at most {limits.CARDS_MAX} "
                           "cards", field=field)
    return cards


def _typed_cards(given: object) -> None:
    """Check the card numbers typed whole (masked ones are matched against the person's cards
    later); InvalidInput names the field."""
    if isinstance(given, str) and "*" not in given:
        parse_cards(given)
    elif isinstance(given, list | tuple):
        parse_cards([c for c in given if not (isinstance(c, str) and "*" in c)])


def person_cards(warnings: Sequence[Warning]) -> tuple[str, ...]:
    """Every card the person's warnings name, once each, in the order the feeds gave them."""
    return tuple(dict.fromkeys(c for w in warnings for c in w.cards))


def by_client_id(conn: sqlite3.Connection, client_id: str) -> Attempt | None:
    row = conn.execute(f"SELECT {rows.ATTEMPT_COLUMNS} FROM attempts WHERE client_id = ?",
                       (client_id,)).fetchone()
    return None if row is None else with_settled(conn, rows.attempt(row))


def _escalation_reason(outcome: str, failed: int) -> str:
    if outcome == Outcome.BRAINWASHED:
        return "拒不听劝/疑似被洗脑 / refuses to listen"
    return f"连续{failed}次未接通 / {failed} failed attempts"


def record(conn: sqlite3.Connection, warning_id: int, call: Call, *, user: str, policy: Policy,
           now: float) -> Attempt:
    """Record a call by the holder of the claim on `warning_id`.

    It settles `call.settles` (the warnings the officer had on screen; all they hold of the
    person when None), each with an attempt row of its own and the status its outcome gives; the
    person's other warnings the officer held go back to the queue. Idempotent on the call's
    client_id: the same id gives back the attempt first recorded.
    """
    try:
        Outcome(call.outcome)
    except ValueError:
        raise InvalidInput(f"未知处置结果 / unknown outcome: {str(call.outcome)[:50]!r}",
                           field="outcome") from None
    notes = limits.check_text(call.notes, field="notes", limit=limits.NOTES_MAX)
    lost = parse_amount(call.amount_lost, field="amount_lost")
    proposal = proposal_overrides(call.escalation)
    client_id = call.client_id or str(uuid.uuid4())
    limits.check_text(client_id, field="client_id", limit=limits.ID_MAX)
    with write(conn):
        seen = by_client_id(conn, client_id)
        if seen is not None:
            if seen.warning_id != warning_id:
                raise Conflict(f"client_id {client_id} 已用于其他预警 / already used for warning "
                               f"{seen.warning_id}")
            return seen
        current = cases.get(conn, warning_id)
        if current.status == Status.ESCALATED:
            raise Conflict(
                f"预警 {warning_id} 正在升级处置，升级结束后才能记录结果 / warning {warning_id} "
                "is under escalation: its outcome is recorded after the escalation ends")
        cases.check_not_held_by_other(conn, current, user=user, now=now, tz=policy.timezone)
        if current.status != Status.CLAIMED or current.claimed_by != user:
            raise Conflict(f"请先领取预警 {warning_id} / claim warning {warning_id} first",
                           holder=current.claimed_by)
        group = {int(w.id): w for w in _held_by(conn, current.phone, user)}
        wanted = list(call.settles) if call.settles is not None else list(group)
        settle = [current] + [group[i] for i in dict.fromkeys(int(x) for x in wanted)
                              if i in group and i != warning_id]
        # The cards of every open warning of the person can be locked, whichever feed sent them.
        everyone = [current, *cases.linked(conn, current)]
        has_cards = bool(person_cards(everyone)) or bool(proposal.get("cards"))
        moves = [(w, rules.after_outcome(
            call.outcome, level=w.risk_level, failed_attempts=w.failed_attempts,
            has_cards=has_cards, policy=policy, now=now, officer=user,
            callback_at=call.callback_at, callback_scope=call.callback_scope)) for w in settle]
        primary: int | None = None
        for w, move in moves:
            primary = _insert(conn, w, move, call, notes=notes, lost=lost, user=user, now=now,
                              client_id=client_id if primary is None else str(uuid.uuid4()),
                              linked_to=primary, grace=policy.callback_grace_minutes)
        back = cases.release_person(conn, current.phone, user=user, now=now,
                                    keep=[w.id for w in settle])
        audit.append(conn, user, "attempt.create", "warning", warning_id,
                     {"outcome": call.outcome, "status": str(moves[0][1].status),
                      "settled": [int(w.id) for w in settle], "released": back}, now=now)
        _escalate(conn, moves, call, proposal, known=person_cards(everyone), user=user, now=now)
        undo.clear(conn, [int(w.id) for w in settle], user=user)  # the notes are recorded now
        found = by_client_id(conn, client_id)
    assert found is not None
    return found


def _held_by(conn: sqlite3.Connection, phone: str, user: str) -> list[Warning]:
    """The person's warnings claimed by `user`, the lease live or not (nobody else took them)."""
    return [rows.warning(r) for r in conn.execute(
        f"SELECT {rows.WARNING_COLUMNS} FROM warnings WHERE phone = ? AND status = 'claimed' "
        "AND claimed_by = ? ORDER BY level_rank, deadline, arrived_at, id", (phone, user))]


def _insert(conn: sqlite3.Connection, w: Warning, move: rules.Transition, call: Call, *,
            notes: str, lost: float | None, user: str, now: float, client_id: str,
            linked_to: int | None, grace: float) -> int:
    """One attempt row for warning `w` and the warning moved where its outcome sends it."""
    callback = call.outcome == Outcome.CALLBACK
    cur = conn.execute(
        "INSERT INTO attempts (client_id, warning_id, officer, outcome, notes, started_at, "
        "ended_at, recorded_at, amount_lost, callback_at, callback_scope, linked_to, dialled_at, "
        "before) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (client_id, w.id, user, call.outcome, notes, call.started_at, call.ended_at, now, lost,
         call.callback_at if callback else None,
         (call.callback_scope or "anyone") if callback else None, linked_to, call.dialled_at,
         undo.snapshot(conn, int(w.id))))
    (attempt_id,) = cur.fetchone()
    closed = move.status == Status.CLOSED
    reserved_until = move.available_at + grace * 60.0 if move.reserved_for else None
    conn.execute(
        "UPDATE warnings SET status = ?, available_at = ?, failed_attempts = ?, fresh = 0, "
        "last_outcome = ?, last_outcome_at = ?, first_attempt_at = coalesce(first_attempt_at, ?), "
        "claimed_by = NULL, lease_until = NULL, reserved_for = ?, reserved_until = ?, "
        "reserve_sticky = ?, closed_at = ?, closed_by = ? WHERE id = ?",
        (move.status, move.available_at, move.failed_attempts, call.outcome, now, now,
         move.reserved_for, reserved_until, int(move.reserved_for is not None),
         now if closed else None, user if closed else None, w.id))
    return int(attempt_id)


def _escalate(conn: sqlite3.Connection, moves: list[tuple[Warning, rules.Transition]],
              call: Call, proposal: dict[str, Any], *, known: tuple[str, ...], user: str,
              now: float) -> None:
    """The proposals the outcome calls for: one per kind for the person (joining a live one)."""
    by_kind: dict[str, list[tuple[Warning, rules.Transition]]] = {}
    for w, move in moves:
        if move.escalate:
            by_kind.setdefault(str(move.escalate), []).append((w, move))
    for kind, items in by_kind.items():
        warnings = [w for w, _ in items]
        cards = resolve_cards(proposal["cards"], known, field="escalation") \
            if "cards" in proposal else known
        if kind == EscalationKind.CARD_LOCK and not cards:
            kind = EscalationKind.DOOR_VISIT.value  # nothing to lock: officers go instead
        amount = proposal.get("amount", next((w.amount_at_risk for w in warnings
                                              if w.amount_at_risk is not None), None))
        reason = proposal.get("reason") or _escalation_reason(call.outcome,
                                                              items[0][1].failed_attempts)
        escalations.propose(conn, warnings, kind=kind, reason=reason, cards=cards,
                            amount=amount, user=user, client_id=f"auto:{uuid.uuid4()}",
                            now=now, automatic=True)


def propose(conn: sqlite3.Connection, warning_id: int, *, user: str, kind: str, reason: str,
            cards: object, amount: object, client_id: str | None, policy: Policy,
            now: float) -> Escalation:
    """An officer proposes an escalation for the person they hold (F8): every warning of the
    person they hold goes under it (or joins the person's live one of that kind)."""
    try:
        EscalationKind(kind)
    except ValueError:
        raise InvalidInput(f"未知升级方式 / unknown escalation kind: {str(kind)[:50]!r}",
                           field="kind") from None
    reason = limits.check_text(reason, field="reason", required=True)
    client_id = client_id or str(uuid.uuid4())
    limits.check_text(client_id, field="client_id", limit=limits.ID_MAX)
    value = parse_amount(amount, field="amount")
    _typed_cards(cards)  # a malformed number is the input's fault (422) before any state (409)
    with write(conn):
        seen = escalations.by_client_id(conn, client_id)
        if seen is not None:
            if warning_id not in seen.warning_ids:
                raise Conflict(f"client_id {client_id} 已用于其他预警的升级 / already used for an "
                               f"escalation of warning {seen.warning_id}")
            return seen
        current = cases.get(conn, warning_id)
        if current.status == Status.CLOSED:
            raise Conflict(f"预警 {warning_id} 已办结 / warning {warning_id} is closed")
        cases.check_not_held_by_other(conn, current, user=user, now=now, tz=policy.timezone)
        if current.status != Status.CLAIMED or current.claimed_by != user:
            raise Conflict(f"请先领取预警 {warning_id} 再提出升级 / claim warning {warning_id} "
                           "before proposing an escalation", holder=current.claimed_by)
        group = [current] + [w for w in _held_by(conn, current.phone, user) if w.id != current.id]
        known = person_cards([current, *cases.linked(conn, current)])
        card_list = resolve_cards(cards, known) if cards not in (None, "", []) else known
        if kind == EscalationKind.CARD_LOCK and not card_list:
            raise InvalidInput("止付锁卡至少需要一张银行卡；不知道卡号请申请上门劝阻 / a card lock needs "
                               "at least one card; without one, propose a door visit",
                               field="cards")
        return escalations.propose(
            conn, group, kind=kind, reason=reason, cards=card_list,
            amount=value if value is not None else current.amount_at_risk, user=user,
            client_id=client_id, now=now, automatic=False)


__all__ = ["Call", "record", "propose", "resolve_cards", "by_client_id", "json"]


class AttemptsStore(StoreBase):
    """Calls recorded by the claim's holder, and the escalations they propose."""

    def record_attempt(self, warning_id: int, *, user: str, outcome: str, notes: str = "",
                       client_id: str | None = None, started_at: float | None = None,
                       ended_at: float | None = None, amount_lost: object = None,
                       callback_at: float | None = None, callback_scope: str | None = None,
                       escalation: Mapping[str, object] | None = None,
                       settles: Sequence[int] | None = None, dialled_at: float | None = None,
                       now: float | None = None) -> Attempt:
        """Record a call by the claim's holder; its outcome settles the warnings on screen
        (`settles`; all the holder has of the person when None). Idempotent on `client_id`.
        `escalation` corrects the proposal an outcome makes (cards, amount, reason).
        `dialled_at`: the call was dialled from the screen; `started_at`/`ended_at` are then
        when it was answered and hung up, where the gateway reported them."""
        call = Call(outcome=outcome, notes=notes, client_id=client_id, started_at=started_at,
                    ended_at=ended_at, dialled_at=dialled_at, amount_lost=amount_lost,
                    callback_at=callback_at, callback_scope=callback_scope,
                    escalation=escalation, settles=settles)
        return record(self.conn, warning_id, call, user=user, policy=self.policy(),
                      now=now_or(now))

    def propose_escalation(self, warning_id: int, *, user: str, kind: str, reason: str,
                           cards: object = None, amount: object = None,
                           client_id: str | None = None, now: float | None = None) -> Escalation:
        """The holder proposes an escalation for the person; their warnings leave the queue
        until it ends (or join the person's live escalation of that kind)."""
        return propose(self.conn, warning_id, user=user, kind=kind, reason=reason, cards=cards,
                       amount=amount, client_id=client_id, policy=self.policy(),
                       now=now_or(now))

    def attempt_by_client_id(self, client_id: str) -> Attempt | None:
        return by_client_id(self.conn, client_id)
