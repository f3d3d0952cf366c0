"""Centre policy declared once: each setting's type, default, limits, meaning and storage.

The store, the hub, both sources, the policy dialog and README's policy tables read these
declarations; nothing else repeats a default or a bound. A centre-wide setting is a `Setting`
(kept in the `settings` table, one JSON value a row, or one field of a row's JSON object); the
per-level table `policy_levels` has one column per `LevelField` and its defaults in
`LEVEL_DEFAULTS`. Each value type is a `Kind` (dissuade.domain.setting_kinds): it checks a value sent in
(InvalidInput naming the setting, with what it must be), reads one stored or sent by a hub,
writes it as JSON, describes itself as JSON Schema (the hub's OpenAPI) and in words (README, the
dialog, error messages).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from dissuade.domain import timeutil
from dissuade.domain.codes import EscalationKind, RiskLevel, ScamType
from dissuade.domain.errors import InvalidInput
from dissuade.domain.setting_kinds import (
    ATTEMPTS,
    CALLS,
    DAYS,
    HOURS,
    LINES,
    MINUTES,
    SECONDS,
    SHARE,
    Choice,
    Flag,
    Hours,
    Kind,
    Levels,
    Number,
    Table,
    Text,
    TimeRange,
    Unit,
    Whole,
    Zone,
    shown_value,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Group:
    """Settings shown together (a tab of the policy dialog, a table in README)."""

    code: str
    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


ESCALATIONS = Group("escalations", "升级：止付、追呼、上门", "Escalations: holds, chase calls, door visits")
SHIFTS = Group("shifts", "交班、回访与登录", "Shifts, callbacks and signing in")
GRADING_GROUP = Group("grading", "按诈骗类型定级", "Grading by scam type")
OUTREACH = Group("outreach", "机器人首呼与短信", "The robot's first pass and SMS")
CENTRES_GROUP = Group("centres", "多中心", "Centres")
GROUPS = (ESCALATIONS, SHIFTS, GRADING_GROUP, OUTREACH, CENTRES_GROUP)


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One centre-wide setting. Stored in the `settings` table under `key` (its name unless
    said), as that row's whole JSON value or as the field `part` of the row's JSON object."""

    name: str
    kind: Kind[T]
    default: T
    zh: str  # what it is, short enough for a form's label
    en: str
    group: Group
    note_zh: str = ""  # more about it: the dialog's tooltip, README
    note_en: str = ""
    key: str = ""
    part: str | None = None
    editable: bool = True  # changed by a lead (PUT /policy/settings, the dialog)
    # What a database made before the setting existed starts with, when not the default (the
    # migration that brings the setting in writes it).
    upgraded: T | None = None

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", self.name)

    def fresh(self) -> T:
        """The default, a copy of its own (a table's default is a dict)."""
        return copy.deepcopy(self.default)

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def note(self, lang: str) -> str:
        return self.note_zh if lang == "zh" else self.note_en


_LEVELS = tuple(level.value for level in RiskLevel)
_CODE = r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}"  # a centre's code (dissuade user add --centre)
_CODE_ZH, _CODE_EN = "中心代码（字母、数字、_ . -）", "a centre code (letters, digits, _ . -)"
_DISTRICT = Text(100, low=1)

# Scam types that move money fast are emergencies (as Xiamen grades them); unknown is medium.
DEFAULT_GRADING: dict[str, str] = {
    code.value: (
        RiskLevel.EMERGENCY
        if code in (ScamType.FAKE_CUSTOMER_SERVICE, ScamType.FAKE_LOAN, ScamType.ORDER_BRUSHING)
        else RiskLevel.MEDIUM if code is ScamType.UNKNOWN
        else RiskLevel.HIGH
    ).value
    for code in ScamType
}

# -- centre-wide settings, in the order GET /api/v1/policy lists them --------------------------

TIMEZONE: Setting[str] = Setting(
    "timezone", Zone(), timeutil.DEFAULT_TZ, "中心时区", "Centre time zone", SHIFTS,
    "不带时区的时间按此解读；建库时确定", "times written without an offset are read in it; set "
    "when the database is made", editable=False)
GRADING: Setting[dict[str, str]] = Setting(
    "grading", Table(Choice(tuple(s.value for s in ScamType)), Choice(_LEVELS), len(ScamType),
                     "诈骗类型", "scam type", "等级", "level", merge=True),
    DEFAULT_GRADING, "未定级预警按诈骗类型定级", "Level of a warning sent without one",
    GRADING_GROUP, "修改只替换所列类型", "by scam type; a change replaces only the types it "
    "lists")
SHIFT_STARTS: Setting[tuple[int, ...]] = Setting(
    "shift_starts", Hours(1, 6), (8, 20), "交班时间（本地时间）", "Shift handovers (local time)",
    SHIFTS, "看板和报表的“本班”以此为界", "what “this shift” means on the dashboard and in reports")
HOLD_HOURS: Setting[float] = Setting(
    "hold_hours", Number(HOURS, 1, 7 * 24), 48.0, "止付期限（可延长一次）",
    "Stop-payment hold (extendable once)", ESCALATIONS)
CHASE_CALLS: Setting[int] = Setting(
    "chase_calls", Whole(CALLS, 1, 20), 3, "每次追呼拨打次数", "Chase calls per approval",
    ESCALATIONS, key="chase", part="calls")
CHASE_INTERVAL_MINUTES: Setting[float] = Setting(
    "chase_interval_minutes", Number(MINUTES, 1, 24 * 60), 10.0, "追呼间隔",
    "Time between chase calls", ESCALATIONS, key="chase", part="interval_minutes")
STATIONS: Setting[dict[str, str]] = Setting(
    "stations", Table(_DISTRICT, Text(200, low=1), 500, "辖区", "district", "派出所", "station"),
    {}, "上门劝阻派往（辖区 → 派出所）", "Door visits go to (district → station)", ESCALATIONS,
    "未列出的辖区派往「区县辖区派出所」", "a district not listed goes to its own district's station")
CALLBACK_GRACE_MINUTES: Setting[float] = Setting(
    "callback_grace_minutes", Number(MINUTES, 0, 24 * 60), 30.0, "“仅限本人”回访的等候时间",
    "Grace of an “only me” callback", SHIFTS, "过时且本人未在线时转给任何人",
    "past its time, when its officer has no live session, it lapses to anyone")
CALLBACK_HORIZON_DAYS: Setting[float] = Setting(
    "callback_horizon_days", Number(DAYS, 1, 90), 7.0, "回访最远可约", "Furthest a callback may "
    "be agreed", SHIFTS)
SELF_APPROVAL: Setting[bool] = Setting(
    "self_approval", Flag(), False, "值班长可批准自己的提议（需备注）",
    "A lead may approve their own proposal (with a note)", ESCALATIONS,
    "列入交班报告", "listed in the handover report")
SESSION_HOURS: Setting[float] = Setting(
    "session_hours", Number(HOURS, 1, 24), 12.0, "登录有效时长", "A sign-in lasts", SHIFTS,
    "之后须重新登录，不丢失认领和备注", "then the officer signs in again, keeping the claim and notes")
IDLE_LOCK_MINUTES: Setting[float] = Setting(
    "idle_lock_minutes", Number(MINUTES, 0, 120), 10.0, "无操作锁屏", "Idle lock after", SHIFTS,
    "0 为不锁屏；通话中不锁；无密码的数据库不锁", "0: never; never during a dialled call, nor on a "
    "database without passwords")
SMS_SIGNATURE: Setting[str] = Setting(
    "sms_signature", Text(20, low=1), "【反诈中心】", "短信签名", "SMS signature", OUTREACH,
    "运营商加在每条短信开头，计入 70 字", "the carriers put it at the start of every message; "
    "it counts within the 70 characters")
ROBOT_FIRST_LEVELS: Setting[tuple[str, ...]] = Setting(
    "robot_first_levels", Levels(_LEVELS[1:]), (RiskLevel.MEDIUM.value, RiskLevel.LOW.value),
    "机器人先呼的等级", "Levels the robot calls first", OUTREACH,
    "为空即关闭（升级前的数据库默认为空）；紧急预警从不等机器人",
    "none: the robot is off (so in a database made before it); an emergency never waits for a "
    "robot", upgraded=())
SMS_FIRST_LEVELS: Setting[tuple[str, ...]] = Setting(
    "sms_first_levels", Levels(_LEVELS), ROBOT_FIRST_LEVELS.default, "到达即发短信的等级",
    "Levels sent an SMS on arrival", OUTREACH, "每人每案一次，只发给仍在时限内的预警；升级前的数据库默认为空",
    "once per person per case, only to warnings still within their limit; none in a database "
    "made before it", upgraded=())
ROBOT_LINES: Setting[int] = Setting(
    "robot_lines", Whole(LINES, 1, 32), 4, "机器人同时外呼线路", "Robot's calls at once",
    OUTREACH)
ROBOT_RETRIES: Setting[int] = Setting(
    "robot_retries", Whole(CALLS, 0, 5), 2, "机器人未接通重拨次数", "Robot's retries when not "
    "answered", OUTREACH, "不晚于截止时间前一个重拨间隔", "none later than the deadline minus one "
    "retry interval")
ROBOT_RETRY_MINUTES: Setting[float] = Setting(
    "robot_retry_minutes", Number(MINUTES, 1, 240), 15.0, "机器人重拨间隔",
    "Time between robot calls", OUTREACH)
ROBOT_SAMPLE_RATE: Setting[float] = Setting(
    "robot_sample_rate", Number(SHARE, 0, 1, decimals=2), 0.1, "机器人确认后仍由民警回访的比例",
    "Share of robot-confirmed warnings a person calls back", OUTREACH)
ROBOT_HOURS: Setting[tuple[str, str]] = Setting(
    "robot_hours", TimeRange(), ("08:00", "21:00"), "机器人外呼时段（中心时间）",
    "Robot calls between (centre time)", OUTREACH, "00:00–24:00 为全天", "00:00–24:00 is all day")
DIALER_TIMEOUT_SECONDS: Setting[int] = Setting(
    "dialer_timeout_seconds", Whole(SECONDS, 10, 600), 120, "外呼挂起超时",
    "A hung call ends after", OUTREACH)
FORECAST_TARGET: Setting[float] = Setting(
    "forecast_target", Number(SHARE, 0.5, 0.99, decimals=2), 0.9, "排班预测目标",
    "Staffing forecast's target", SHIFTS, "各等级在时限内首次联系的比例",
    "the share of each level first contacted within its limit")
CENTRES: Setting[dict[str, str]] = Setting(
    "centres", Table(_DISTRICT, Text(32, low=1, pattern=_CODE, pattern_zh=_CODE_ZH,
                                     pattern_en=_CODE_EN),
                     500, "辖区", "district", "中心代码", "centre code"),
    {}, "辖区所属中心（辖区 → 中心代码）", "Centre of each district (district → centre code)",
    CENTRES_GROUP, "为空即只有一个中心；修改会重新分派未结预警",
    "empty: one centre; a change re-routes open warnings")
DEFAULT_CENTRE: Setting[str] = Setting(
    "default_centre", Text(32, pattern=_CODE, pattern_zh=_CODE_ZH, pattern_en=_CODE_EN),
    "", "未列辖区归属中心", "Centre of districts not listed", CENTRES_GROUP, "为空即不归属任何中心",
    "empty: none")

SETTINGS: tuple[Setting[Any], ...] = (
    TIMEZONE, GRADING, SHIFT_STARTS, HOLD_HOURS, CHASE_CALLS, CHASE_INTERVAL_MINUTES, STATIONS,
    CALLBACK_GRACE_MINUTES, CALLBACK_HORIZON_DAYS, SELF_APPROVAL, SESSION_HOURS,
    IDLE_LOCK_MINUTES, SMS_SIGNATURE, SMS_FIRST_LEVELS, ROBOT_FIRST_LEVELS, ROBOT_LINES,
    ROBOT_RETRIES, ROBOT_RETRY_MINUTES, ROBOT_SAMPLE_RATE, ROBOT_HOURS, DIALER_TIMEOUT_SECONDS,
    FORECAST_TARGET, CENTRES, DEFAULT_CENTRE,
)
BY_NAME: dict[str, Setting[Any]] = {s.name: s for s in SETTINGS}


# -- the per-level table -------------------------------------------------------------------


@dataclass(frozen=True)
class LevelField(Generic[T]):
    """One column of `policy_levels`: what each risk level requires."""

    name: str
    kind: Kind[T]
    zh: str
    en: str
    note_zh: str = ""
    note_en: str = ""

    def label(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def note(self, lang: str) -> str:
        return self.note_zh if lang == "zh" else self.note_en


_RETRY = Number(MINUTES, 0, 24 * 60)
LEVEL_FIELDS: tuple[LevelField[Any], ...] = (
    LevelField("first_contact_minutes", Number(MINUTES, 1, 7 * 24 * 60), "首次联系时限",
               "First contact within", "从上报起算；修改会调整尚未拨打预警的截止时间",
               "from the report; a change moves the deadlines of warnings not yet called"),
    LevelField("retry_no_answer_minutes", _RETRY, "无人接听后重拨", "Retry after no answer"),
    LevelField("retry_busy_minutes", _RETRY, "占线后重拨", "Retry after busy"),
    LevelField("retry_powered_off_minutes", _RETRY, "关机后重拨", "Retry after powered off"),
    LevelField("max_failed_attempts", Whole(ATTEMPTS, 1, 50), "未接通几次后升级",
               "Failed attempts before escalating", "无人接听、占线、关机",
               "no answer, busy, powered off"),
    LevelField("after_max", Choice(tuple(k.value for k in EscalationKind)), "升级方式",
               "Then propose", "无银行卡时止付改为上门", "a card lock becomes a door visit when "
               "no card is known"),
    LevelField("lease_minutes", Number(MINUTES, 1, 240), "领取有效期", "Claim lease",
               "领取者续期，否则回到队列", "the holder renews it; else the warning is back in the "
               "queue"),
)
LEVEL_BY_NAME: dict[str, LevelField[Any]] = {f.name: f for f in LEVEL_FIELDS}

# Each level's defaults, in LEVEL_FIELDS' order; a lead changes them in the database, not here.
LEVEL_DEFAULTS: dict[str, tuple[Any, ...]] = {
    RiskLevel.EMERGENCY.value: (10.0, 5.0, 3.0, 10.0, 3, EscalationKind.CARD_LOCK.value, 10.0),
    RiskLevel.HIGH.value: (30.0, 10.0, 5.0, 20.0, 3, EscalationKind.CARD_LOCK.value, 10.0),
    RiskLevel.MEDIUM.value: (120.0, 30.0, 15.0, 60.0, 4, EscalationKind.CHASE_CALL.value, 10.0),
    RiskLevel.LOW.value: (1440.0, 120.0, 60.0, 240.0, 5, EscalationKind.CHASE_CALL.value, 10.0),
}


def level_defaults(level: str) -> dict[str, Any]:
    """One level's default values by field name."""
    return dict(zip((f.name for f in LEVEL_FIELDS), LEVEL_DEFAULTS[level], strict=True))


# -- checking what a lead sends ------------------------------------------------------------


def check(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Centre-wide changes, checked: each an editable setting with a value of its kind.
    InvalidInput names the first setting refused, with what it must be."""
    if not isinstance(changes, Mapping):
        raise InvalidInput("设置应为对象 / settings must be an object", field="body")
    checked: dict[str, Any] = {}
    for name, value in changes.items():
        setting = BY_NAME.get(name) if isinstance(name, str) else None
        if setting is None or not setting.editable:
            why = "不可修改 / cannot be changed" if setting else "未知设置 / unknown setting"
            raise InvalidInput(f"{why}: {shown_value(name)}", field=str(name))
        checked[name] = setting.kind.check(name, value)
    return checked


def check_level(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Changes to one level's row, checked the same way."""
    checked: dict[str, Any] = {}
    for name, value in changes.items():
        spec = LEVEL_BY_NAME.get(name) if isinstance(name, str) else None
        if spec is None:
            raise InvalidInput(f"未知策略字段 / unknown policy field: {shown_value(name)}",
                               field=str(name))
        checked[name] = spec.kind.check(name, value)
    return checked


# -- how the settings table holds them -------------------------------------------------------


def stored_values(rows: Mapping[str, Any]) -> dict[str, Any]:
    """The settings found in the settings table's rows ({key: JSON value}), by name; a setting
    with no row (a database from before it) is left out: its default applies."""
    out: dict[str, Any] = {}
    for s in SETTINGS:
        if s.key not in rows:
            continue
        row = rows[s.key]
        if s.part is None:
            out[s.name] = row
        elif isinstance(row, dict) and s.part in row:
            out[s.name] = row[s.part]
    return out


def rows_for(checked: Mapping[str, Any], stored: Mapping[str, Any]) -> dict[str, Any]:
    """The settings table's rows ({key: JSON value}) that hold `checked` changes, given the rows
    `stored` now: a part joins the rest of its row (stored, else their defaults), a merging
    table joins what is stored."""
    rows: dict[str, Any] = {}
    for name, value in checked.items():
        s = BY_NAME[name]
        dumped = s.kind.dump(value)
        if s.part is not None:
            if s.key not in rows:
                base = {p.part: p.kind.dump(p.default) for p in SETTINGS if p.key == s.key}
                current = stored.get(s.key)
                rows[s.key] = {**base, **(current if isinstance(current, dict) else {})}
            rows[s.key][s.part] = dumped
        elif isinstance(s.kind, Table) and s.kind.merge:
            current = stored.get(s.key)
            rows[s.key] = {**(current if isinstance(current, dict) else {}), **dumped}
        else:
            rows[s.key] = dumped
    return rows


def values_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """The settings in `data` (a policy as JSON: GET /api/v1/policy), read by their kinds; the
    rest (levels, names this version does not know) is left out."""
    return {name: BY_NAME[name].kind.load(value) for name, value in data.items()
            if name in BY_NAME and value is not None}


def json_schema() -> dict[str, Any]:
    """{name: JSON Schema} of every editable setting, described (the hub's OpenAPI)."""
    out: dict[str, Any] = {}
    for s in SETTINGS:
        if not s.editable:
            continue
        note = f"; {s.note_en}" if s.note_en else ""
        out[s.name] = {**s.kind.schema(), "description": f"{s.en} ({s.zh}){note}; default "
                       f"{s.kind.show(s.default, 'en')}"}
    return out



__all__ = ["Setting", "LevelField", "Group", "SETTINGS", "BY_NAME", "LEVEL_FIELDS",
           "LEVEL_BY_NAME", "LEVEL_DEFAULTS", "GROUPS", "DEFAULT_GRADING", "check", "check_level",
           "stored_values", "rows_for", "values_of", "json_schema", "level_defaults",
           # the kinds and units, so that one import reads the declarations whole
           "Kind", "Unit", "Number", "Whole", "Flag", "Text", "Zone", "Choice", "Levels", "Hours",
           "TimeRange", "Table", "MINUTES", "HOURS", "DAYS", "SECONDS", "CALLS", "ATTEMPTS",
           "LINES", "SHARE"]
