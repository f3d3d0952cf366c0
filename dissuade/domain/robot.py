"""The robot's first pass, as rules: its calling hours, the dialer's answer, what each answer
does (docs/architecture.md, "The robot's first pass"). Pure: the store applies them
(store/robot.py), the hub's robot makes the calls (hub/robot.py)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime

from dissuade.domain import timeutil
from dissuade.domain.codes import RiskLevel

ROBOT = "robot"  # the officer name of the robot's attempts and claims

# The key prompt the robot plays after the type's voice warning.
PROMPT = {"zh": "如您已知晓并停止转账，请按1；需要民警帮助，请按0。",
          "en": "If you understand and have stopped the transfer, press 1; for an officer's "
                "help, press 0."}

# What a call came to (robot_calls.result).
CONFIRMED = "confirmed"  # key 1
WANTS_OFFICER = "key_0"  # key 0
OTHER_KEY = "other_key"  # a key that is neither
NO_KEY = "no_key"  # listened to the end, pressed nothing
HUNG_UP = "hung_up"  # hung up before the warning ended, pressed nothing
NO_ANSWER = "no_answer"
FAILED = "failed"  # the dialer hung, crashed, refused or answered something else
RESULTS = (CONFIRMED, WANTS_OFFICER, OTHER_KEY, NO_KEY, HUNG_UP, NO_ANSWER, FAILED)

# Why the robot handed a person to people (robot_calls.handed); the answered ones go one level up.
SAMPLED = "sampled"  # confirmed, and drawn for a person's call all the same
LINKED_LEVEL = "linked_level"  # another warning of the person arrived at a level it does not call
OUTSIDE_HOURS = "outside_hours"  # a retry fell outside the robot's hours
TOO_LATE = "too_late"  # no call could be made by the deadline minus one retry interval
TAKEN = "taken"  # the robot's hold lapsed (no robot hub made the call in time)
ROBOT_OFF = "robot_off"  # a lead took the person's levels off the robot's before its call
HANDED = (WANTS_OFFICER, OTHER_KEY, NO_KEY, HUNG_UP, NO_ANSWER, FAILED, SAMPLED, LINKED_LEVEL,
          OUTSIDE_HOURS, TOO_LATE, TAKEN, ROBOT_OFF)
RAISED = (WANTS_OFFICER, OTHER_KEY, NO_KEY, HUNG_UP)  # answered, not confirmed: one level up

LABELS = {
    CONFIRMED: ("按1确认", "pressed 1"), WANTS_OFFICER: ("按0求助", "pressed 0"),
    OTHER_KEY: ("按其他键", "another key"), NO_KEY: ("未按键", "no key"),
    HUNG_UP: ("提前挂断", "hung up early"), NO_ANSWER: ("未接通", "not answered"),
    FAILED: ("外呼失败", "call failed"), SAMPLED: ("抽样回访", "sampled for a person"),
    LINKED_LEVEL: ("关联预警等级不同", "a linked warning of another level"),
    OUTSIDE_HOURS: ("超出外呼时段", "outside the robot's hours"),
    TOO_LATE: ("临近时限", "too close to the deadline"),
    TAKEN: ("机器人保留已过期", "the robot's hold lapsed"),
    ROBOT_OFF: ("机器人已关闭该等级", "the robot no longer calls that level"),
}


def label(code: str, lang: str = "zh") -> str:
    zh, en = LABELS.get(code, (code, code))
    return zh if lang == "zh" else en


@dataclass(frozen=True, slots=True)
class Answer:
    """The dialer's answer: {"answered": true|false, "keys": "<digits>", "seconds": N}."""

    answered: bool
    keys: str = ""
    seconds: float = 0.0

    def to_json(self) -> str:
        return json.dumps({"answered": self.answered, "keys": self.keys,
                           "seconds": self.seconds})


KEY_CHARS = frozenset("0123456789*#ABCD")


def parse_answer(text: str) -> Answer | None:
    """The dialer's answer from its text (a command's last line, a webhook's body); None for
    anything else: not one JSON object, `answered` not a boolean, `keys` not a string of
    phone keys, `seconds` not a finite number from 0 to a day."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("answered"), bool):
        return None
    keys = data.get("keys", "")
    seconds = data.get("seconds", 0)
    if not isinstance(keys, str) or len(keys) > 32 or not set(keys) <= KEY_CHARS:
        return None
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) \
            or not math.isfinite(seconds) or not 0 <= seconds <= 86400:
        return None
    if not data["answered"]:
        return Answer(False, "", 0.0)
    return Answer(True, keys, float(seconds))


def result_of(answer: Answer | None, *, voice_seconds: float) -> str:
    """What a call came to: the first key decides; with no key, hanging up before the voice
    warning (and its prompt) ended is hanging up early. None (no answer to read) is a failure."""
    if answer is None:
        return FAILED
    if not answer.answered:
        return NO_ANSWER
    if answer.keys:
        return {"1": CONFIRMED, "0": WANTS_OFFICER}.get(answer.keys[0], OTHER_KEY)
    return HUNG_UP if answer.seconds < voice_seconds else NO_KEY


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def in_hours(hours: tuple[str, str], at: float, tz: str) -> bool:
    """Whether `at` falls in [start, end) of the centre's day; ("00:00", "24:00") is all day."""
    local = datetime.fromtimestamp(at, timeutil.zone(tz))
    minute = local.hour * 60 + local.minute
    return _minute(hours[0]) <= minute < _minute(hours[1])


_UP = {RiskLevel.LOW.value: RiskLevel.MEDIUM.value, RiskLevel.MEDIUM.value: RiskLevel.HIGH.value,
       RiskLevel.HIGH.value: RiskLevel.EMERGENCY.value}


def one_level_up(level: str) -> str:
    """The level above (emergency stays emergency)."""
    return _UP.get(level, RiskLevel.EMERGENCY.value)


def last_call_at(deadline: float, retry_minutes: float) -> float:
    """No robot call later than the deadline minus one retry interval."""
    return deadline - retry_minutes * 60.0


def sampled(call_id: int, rate: float) -> bool:
    """Whether a confirmed call is drawn for a person's call all the same: a fixed draw per call
    (the same in every process and on every replay), true for a share `rate` of calls."""
    if rate <= 0:
        return False
    if rate >= 1:
        return True
    # Knuth's multiplicative hash spreads consecutive ids over [0, 1).
    return ((call_id * 2654435761) % 2**32) / 2**32 < rate
