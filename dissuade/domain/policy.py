"""Centre policy: time limits, retries, escalation and grading; stored in the database.

What each setting is, its default and its limits are declared once, in
`dissuade.domain.settings`; `Policy` holds the values in force, one typed attribute a setting
(a test keeps the two in step)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from dissuade.domain import settings as spec
from dissuade.domain.codes import EscalationKind, Outcome, RiskLevel


@dataclass(frozen=True, slots=True)
class LevelPolicy:
    """What the centre requires for one risk level (`settings.LEVEL_FIELDS`). Minutes throughout."""

    level: str
    first_contact_minutes: float  # time limit from report to first attempt
    retry_no_answer_minutes: float
    retry_busy_minutes: float
    retry_powered_off_minutes: float
    max_failed_attempts: int  # no_answer / busy / powered_off before escalating
    after_max: str  # the escalation kind proposed after that many failures
    lease_minutes: float  # how long a claim lasts without renewal

    @classmethod
    def from_values(cls, level: str, values: Mapping[str, Any]) -> LevelPolicy:
        """One level from its fields by name (a row of policy_levels, a hub's JSON), each read
        by its kind; a field missing takes the level's default, an unknown one is ignored."""
        defaults = spec.level_defaults(level) if level in spec.LEVEL_DEFAULTS else {}
        return cls(level=level, **{f.name: f.kind.load(values[f.name]) if f.name in values
                                   else defaults[f.name] for f in spec.LEVEL_FIELDS})

    def retry_minutes(self, outcome: str) -> float:
        return {
            Outcome.NO_ANSWER: self.retry_no_answer_minutes,
            Outcome.BUSY: self.retry_busy_minutes,
            Outcome.POWERED_OFF: self.retry_powered_off_minutes,
        }[Outcome(outcome)]

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


# Documented in README ("Centre policy"); a lead changes them in the database, not here.
DEFAULT_LEVELS: tuple[LevelPolicy, ...] = tuple(
    LevelPolicy.from_values(level, spec.level_defaults(level)) for level in spec.LEVEL_DEFAULTS)
DEFAULT_GRADING = spec.DEFAULT_GRADING


@dataclass(frozen=True, slots=True)
class Policy:
    """The policy in force: the per-level table and every centre-wide setting (see
    `dissuade.domain.settings` for what each is)."""

    levels: dict[str, LevelPolicy]
    timezone: str = spec.TIMEZONE.default
    grading: dict[str, str] = field(default_factory=spec.GRADING.fresh)
    shift_starts: tuple[int, ...] = spec.SHIFT_STARTS.default
    hold_hours: float = spec.HOLD_HOURS.default
    chase_calls: int = spec.CHASE_CALLS.default
    chase_interval_minutes: float = spec.CHASE_INTERVAL_MINUTES.default
    stations: dict[str, str] = field(default_factory=spec.STATIONS.fresh)
    callback_grace_minutes: float = spec.CALLBACK_GRACE_MINUTES.default
    callback_horizon_days: float = spec.CALLBACK_HORIZON_DAYS.default
    self_approval: bool = spec.SELF_APPROVAL.default
    session_hours: float = spec.SESSION_HOURS.default
    idle_lock_minutes: float = spec.IDLE_LOCK_MINUTES.default
    sms_signature: str = spec.SMS_SIGNATURE.default
    sms_first_levels: tuple[str, ...] = spec.SMS_FIRST_LEVELS.default
    robot_first_levels: tuple[str, ...] = spec.ROBOT_FIRST_LEVELS.default
    robot_lines: int = spec.ROBOT_LINES.default
    robot_retries: int = spec.ROBOT_RETRIES.default
    robot_retry_minutes: float = spec.ROBOT_RETRY_MINUTES.default
    robot_sample_rate: float = spec.ROBOT_SAMPLE_RATE.default
    robot_hours: tuple[str, str] = spec.ROBOT_HOURS.default
    dialer_timeout_seconds: int = spec.DIALER_TIMEOUT_SECONDS.default
    forecast_target: float = spec.FORECAST_TARGET.default
    centres: dict[str, str] = field(default_factory=spec.CENTRES.fresh)
    default_centre: str = spec.DEFAULT_CENTRE.default

    @classmethod
    def from_values(cls, levels: dict[str, LevelPolicy], values: Mapping[str, Any]) -> Policy:
        """The policy of `levels` and the settings in `values` (by name, each read by its
        kind); a setting missing takes its default."""
        return cls(levels=levels, **{s.name: s.kind.load(values[s.name]) if s.name in values
                                     else s.fresh() for s in spec.SETTINGS})

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Policy:
        """The policy as GET /api/v1/policy answers it (settings flat beside `levels`)."""
        levels = {str(lv["level"]): LevelPolicy.from_values(str(lv["level"]), lv)
                  for lv in data["levels"]}
        return cls.from_values(levels, spec.values_of(data))

    def level(self, level: str) -> LevelPolicy:
        return self.levels[level]

    def grade(self, scam_type: str) -> str:
        return self.grading.get(scam_type, RiskLevel.MEDIUM.value)

    def settings_dict(self) -> dict[str, object]:
        """The centre-wide settings beside the per-level table, as the API shows them."""
        return {s.name: s.kind.dump(getattr(self, s.name)) for s in spec.SETTINGS}

    def escalation_after_max(self, level: str, *, has_cards: bool) -> str:
        """The kind proposed after the maximum of failed attempts: card locks need cards."""
        kind = self.levels[level].after_max
        if kind == EscalationKind.CARD_LOCK and not has_cards:
            return EscalationKind.DOOR_VISIT.value
        return str(kind)


def default_policy() -> Policy:
    return Policy(levels={p.level: p for p in DEFAULT_LEVELS})
