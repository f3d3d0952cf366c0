"""Where everyone is: an officer's state (ready, on a break, in training, off duty), the room a
lead watches, and an officer's agreed callbacks. Records and rules only; the store keeps them
(dissuade/store/presence.py)."""

from __future__ import annotations

from dataclasses import dataclass

from dissuade.domain import limits
from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import Epoch

READY, BREAK, TRAINING, OFF = "ready", "break", "training", "off"
STATES = (READY, BREAK, TRAINING, OFF)  # what an officer sets
ON_CALL = "on_call"  # never set: an officer holding a warning now is on a call
NOT_SET = "not_set"  # an officer who has not said yet
NEEDS_REASON = frozenset({BREAK, TRAINING})
REASON_MAX = 200

STATE_LABELS: dict[str, tuple[str, str]] = {
    READY: ("就绪", "Ready"),
    BREAK: ("小休", "On a break"),
    TRAINING: ("培训", "Training"),
    OFF: ("离岗", "Off duty"),
    ON_CALL: ("通话中", "On a call"),
    NOT_SET: ("未设置", "Not set"),
}
# The room's order: who is working first, then who could be, then who is away.
ROOM_ORDER = (ON_CALL, READY, BREAK, TRAINING, NOT_SET, OFF)


def check(state: object, reason: object) -> tuple[str, str]:
    """(state, reason) as the store keeps them, or a bilingual refusal."""
    if state not in STATES:
        raise InvalidInput(f"未知状态 / unknown state: {state!r} (one of {', '.join(STATES)})",
                           field="state")
    text = "" if reason is None else str(reason).strip()
    if state in NEEDS_REASON and not text:
        zh, en = STATE_LABELS[str(state)]
        raise InvalidInput(f"「{zh}」需要填写原因 / {en.lower()} needs a reason", field="reason")
    if len(text) > min(REASON_MAX, limits.TEXT_MAX):
        raise InvalidInput(f"原因最多 {REASON_MAX} 字 / a reason is at most {REASON_MAX} "
                           "characters", field="reason")
    return str(state), text


@dataclass(frozen=True, slots=True)
class OfficerState:
    """What an officer said they are doing, since when (None: never said)."""

    officer: str
    state: str
    reason: str = ""
    since: Epoch | None = None


@dataclass(frozen=True, slots=True)
class RoomEntry:
    """One officer in the lead's room view: their state, and the warning they hold now (if
    any: its id, level and type, the phone masked, since when they hold it)."""

    officer: str
    state: str  # as set (NOT_SET when never); `shown` says on a call
    reason: str
    since: Epoch | None
    warning_id: int | None = None
    risk_level: str = ""
    scam_type: str = ""
    phone: str = ""  # masked: 139 **** 5678
    linked: int = 0  # the person's other warnings held with it
    holding_since: Epoch | None = None

    @property
    def shown(self) -> str:
        """The state the room shows: on a call while holding a warning (and not off duty)."""
        return ON_CALL if self.warning_id is not None else self.state


@dataclass(frozen=True, slots=True)
class Callback:
    """A callback agreed with a person, reserved for the officer who agreed it."""

    warning_id: int
    callback_at: Epoch
    phone: str  # masked
    name: str  # masked
    risk_level: str
    scam_type: str
    status: str
    reserved_until: Epoch | None = None
