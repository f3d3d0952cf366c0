"""The lifecycle rules: what an outcome does to a warning. Pure functions, no storage."""

from __future__ import annotations

from dataclasses import dataclass

from dissuade.codes import CLOSING_OUTCOMES, FAILED_OUTCOMES, EscalationKind, Outcome, Status
from dissuade.errors import InvalidInput
from dissuade.policy import Policy


@dataclass(frozen=True, slots=True)
class Transition:
    status: str
    available_at: float  # when it may be worked again (meaningful for retry)
    failed_attempts: int
    escalate: str | None = None  # the escalation kind to propose, if any
    reserved_for: str | None = None


def deadline(*, reported_at: float | None, arrived_at: float, level: str, policy: Policy) -> float:
    """When first contact is due: the report time (arrival if absent) plus the level's limit."""
    start = reported_at if reported_at is not None else arrived_at
    return start + policy.level(level).first_contact_minutes * 60.0


def after_outcome(
    outcome: str,
    *,
    level: str,
    failed_attempts: int,
    has_cards: bool,
    policy: Policy,
    now: float,
    officer: str,
    callback_at: float | None = None,
    callback_scope: str | None = None,
) -> Transition:
    """Where a warning goes after an attempt with `outcome`."""
    try:
        code = Outcome(outcome)
    except ValueError:
        raise InvalidInput(f"未知处置结果 / unknown outcome: {outcome!r}", field="outcome") from None
    if code in CLOSING_OUTCOMES:
        return Transition(Status.CLOSED, now, failed_attempts)
    if code is Outcome.BRAINWASHED:
        # The cards can be locked only if they are known; else officers go to the door.
        kind = EscalationKind.CARD_LOCK if has_cards else EscalationKind.DOOR_VISIT
        return Transition(Status.ESCALATED, now, failed_attempts, kind)
    if code is Outcome.CALLBACK:
        if callback_at is None:
            raise InvalidInput(
                "约定回访需要回访时间 / callback needs callback_at", field="callback_at"
            )
        horizon = policy.callback_horizon_days
        if callback_at > now + horizon * 86400.0:
            raise InvalidInput(f"回访时间不能超过 {horizon:g} 天之后 / a callback may be agreed "
                               f"at most {horizon:g} days ahead", field="callback_at")
        scope = callback_scope or "anyone"
        if scope not in ("me", "anyone"):
            raise InvalidInput(
                f"回访范围应为 me 或 anyone / callback_scope must be me or anyone: {scope!r}",
                field="callback_scope",
            )
        return Transition(
            Status.RETRY,
            max(callback_at, now),
            failed_attempts,
            reserved_for=officer if scope == "me" else None,
        )
    assert code in FAILED_OUTCOMES
    failed = failed_attempts + 1
    level_policy = policy.level(level)
    if failed >= level_policy.max_failed_attempts:
        return Transition(Status.ESCALATED, now, failed,
                          policy.escalation_after_max(level, has_cards=has_cards))
    return Transition(Status.RETRY, now + level_policy.retry_minutes(code) * 60.0, failed)
