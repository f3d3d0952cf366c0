"""Centre policy: time limits, retries, escalation and grading; stored in the database."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from dissuade.domain.codes import EscalationKind, Outcome, RiskLevel, ScamType
from dissuade.domain.timeutil import DEFAULT_TZ


@dataclass(frozen=True, slots=True)
class LevelPolicy:
    """What the centre requires for one risk level. Minutes throughout."""

    level: str
    first_contact_minutes: float  # time limit from report to first attempt
    retry_no_answer_minutes: float
    retry_busy_minutes: float
    retry_powered_off_minutes: float
    max_failed_attempts: int  # no_answer / busy / powered_off before escalating
    after_max: str  # the escalation kind proposed after that many failures
    lease_minutes: float  # how long a claim lasts without renewal

    def retry_minutes(self, outcome: str) -> float:
        return {
            Outcome.NO_ANSWER: self.retry_no_answer_minutes,
            Outcome.BUSY: self.retry_busy_minutes,
            Outcome.POWERED_OFF: self.retry_powered_off_minutes,
        }[Outcome(outcome)]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


# Documented in README ("Centre policy"); a lead changes them in the database, not here.
DEFAULT_LEVELS: tuple[LevelPolicy, ...] = (
    LevelPolicy("emergency", 10, 5, 3, 10, 3, EscalationKind.CARD_LOCK, 10),
    LevelPolicy("high", 30, 10, 5, 20, 3, EscalationKind.CARD_LOCK, 10),
    LevelPolicy("medium", 120, 30, 15, 60, 4, EscalationKind.CHASE_CALL, 10),
    LevelPolicy("low", 1440, 120, 60, 240, 5, EscalationKind.CHASE_CALL, 10),
)

# Scam types that move money fast are emergencies (as Xiamen grades them).
DEFAULT_GRADING: dict[str, str] = {
    code.value: (
        RiskLevel.EMERGENCY
        if code
        in (ScamType.FAKE_CUSTOMER_SERVICE, ScamType.FAKE_LOAN, ScamType.ORDER_BRUSHING)
        else RiskLevel.MEDIUM
        if code is ScamType.UNKNOWN
        else RiskLevel.HIGH
    ).value
    for code in ScamType
}


# Day and night shifts hand over at 08:00 and 20:00 local time unless the centre says otherwise.
DEFAULT_SHIFT_STARTS = (8, 20)
DEFAULT_HOLD_HOURS = 48.0
DEFAULT_CHASE = (3, 10.0)  # calls, minutes apart
DEFAULT_CALLBACK_GRACE_MINUTES = 30.0  # an "only me" callback waits this long for its officer
DEFAULT_CALLBACK_HORIZON_DAYS = 7.0  # the furthest a callback may be agreed


@dataclass(frozen=True, slots=True)
class Policy:
    levels: dict[str, LevelPolicy]
    grading: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_GRADING))
    timezone: str = DEFAULT_TZ
    shift_starts: tuple[int, ...] = DEFAULT_SHIFT_STARTS  # local hours when shifts hand over
    hold_hours: float = DEFAULT_HOLD_HOURS  # a bank's stop-payment hold, extendable once
    chase_calls: int = DEFAULT_CHASE[0]  # automated reminder calls per approved chase call
    chase_interval_minutes: float = DEFAULT_CHASE[1]
    stations: dict[str, str] = field(default_factory=dict)  # district -> police station
    # An "only me" callback lapses to anyone at its time plus this grace when its officer has no
    # live session (on a local file: always).
    callback_grace_minutes: float = DEFAULT_CALLBACK_GRACE_MINUTES
    callback_horizon_days: float = DEFAULT_CALLBACK_HORIZON_DAYS
    self_approval: bool = False  # a lead may approve their own proposal (with a note)

    def level(self, level: str) -> LevelPolicy:
        return self.levels[level]

    def grade(self, scam_type: str) -> str:
        return self.grading.get(scam_type, RiskLevel.MEDIUM.value)

    def settings_dict(self) -> dict[str, object]:
        """The centre-wide settings beside the per-level table, as the API shows them."""
        return {"timezone": self.timezone, "grading": dict(self.grading),
                "shift_starts": list(self.shift_starts), "hold_hours": self.hold_hours,
                "chase_calls": self.chase_calls,
                "chase_interval_minutes": self.chase_interval_minutes,
                "stations": dict(self.stations),
                "callback_grace_minutes": self.callback_grace_minutes,
                "callback_horizon_days": self.callback_horizon_days,
                "self_approval": self.self_approval}

    def escalation_after_max(self, level: str, *, has_cards: bool) -> str:
        """The kind proposed after the maximum of failed attempts: card locks need cards."""
        kind = self.levels[level].after_max
        if kind == EscalationKind.CARD_LOCK and not has_cards:
            return EscalationKind.DOOR_VISIT.value
        return str(kind)


def default_policy() -> Policy:
    return Policy(levels={p.level: p for p in DEFAULT_LEVELS})
