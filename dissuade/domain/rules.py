"""The lifecycle rules: what an outcome does to a warning. Pure functions, no storage."""

from __future__ import annotations

from dataclasses import dataclass

from dissuade.domain.codes import CLOSING_OUTCOMES, FAILED_OUTCOMES, EscalationKind, Outcome, Status
from dissuade.domain.errors import InvalidInput
from dissuade.domain.policy import Policy


@dataclass(frozen=True, slots=True)
class Transition:
    status: str
    available_at: float  # when it may be worked again (meaningful for retry)
    failed_attempts: int
    escalate: str | None = None  # the escalation kind to propose, if any
    reserved_for: str | None = None


# A feed's clock or time zone can be wrong (local time tagged "Z" is 8 hours ahead in China): a
# report time after arrival never postpones a time limit. A few minutes ahead is a clock's drift
# and passes quietly; more is noted on the warning; a day ahead, or before 2000, is not believed.
REPORT_AHEAD_NOTED = 5 * 60.0
REPORT_AHEAD_ABSENT = 24 * 3600.0
REPORT_EARLIEST = 946_684_800.0  # 2000-01-01 UTC
# The start of the time limit in SQL over a stored row, for statements that move deadlines: the
# same rule as `deadline`.
DEADLINE_START_SQL = (f"(CASE WHEN reported_at >= {REPORT_EARLIEST!r} AND reported_at < arrived_at "
                      "THEN reported_at ELSE arrived_at END)")


def deadline(*, reported_at: float | None, arrived_at: float, level: str, policy: Policy) -> float:
    """When first contact is due: the report time plus the level's limit, counted from arrival
    when the report time is absent, not believed, or later than arrival, so that it is never
    later than arrival plus the limit."""
    start = arrived_at
    if reported_at is not None and REPORT_EARLIEST <= reported_at < arrived_at:
        start = reported_at
    return start + policy.level(level).first_contact_minutes * 60.0


def report_time(reported_at: float | None, arrived_at: float) -> tuple[float | None, str | None]:
    """The report time a warning keeps, and why it is not believed as sent (None when it is).

    More than REPORT_AHEAD_NOTED after arrival: kept, with a note that the limit counts from
    arrival; more than REPORT_AHEAD_ABSENT after, or before 2000: counted as absent.
    """
    if reported_at is None:
        return None, None
    if reported_at < REPORT_EARLIEST:
        return None, ("报告时间早于 2000 年，视为无报告时间，时限从接收时起算 / reported before "
                      "2000: counted as absent; the time limit counts from arrival")
    ahead = reported_at - arrived_at
    if ahead > REPORT_AHEAD_ABSENT:
        zh, en = _duration(ahead)
        return None, (f"报告时间晚于接收时间 {zh}，视为无报告时间，时限从接收时起算 / reported {en} "
                      "in the future: counted as absent; the time limit counts from arrival")
    if ahead > REPORT_AHEAD_NOTED:
        zh, en = _duration(ahead)
        return reported_at, (f"报告时间晚于接收时间 {zh}，时限从接收时起算 / reported {en} in the "
                             "future: the time limit counts from arrival")
    return reported_at, None


def _duration(seconds: float) -> tuple[str, str]:
    if seconds < 3600:
        n = round(seconds / 60)
        return f"{n} 分钟", f"{n} min"
    if seconds < 48 * 3600:
        n = round(seconds / 3600)
        return f"{n} 小时", f"{n} h"
    n = round(seconds / 86400)
    return f"{n} 天", f"{n} days"


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


# -- escalations (docs/architecture.md, "Escalations") ------------------------------------------

# After approval, each kind moves through these steps in order.
STEPS: dict[str, tuple[str, ...]] = {
    "card_lock": ("approved", "sent", "locked", "explained", "unlocked"),
    "door_visit": ("approved", "dispatched", "visited"),
    "chase_call": ("approved", "scheduled", "done"),
}
# "withdrawn": an automatic proposal taken back when its outcome was undone (nobody decided it).
ENDED = {"rejected", "withdrawn"} | {steps[-1] for steps in STEPS.values()}
# The step after which the warnings under an escalation take their final outcome (settled
# decision): the person was told (explained), seen (visited), called (done), or the lead said no.
RELEASES = {"explained", "visited", "done", "rejected"}
# An escalation is live for its person (one of a kind at a time) until it releases its warnings.
LIVE = {kind: ("proposed", *steps[:next(i for i, s in enumerate(steps) if s in RELEASES)])
        for kind, steps in STEPS.items()}
NOTE_REQUIRED = {"rejected", "explained", "visited"}  # README: these steps say what happened
