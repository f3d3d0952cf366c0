"""The kinds of value a centre setting holds (dissuade.domain.settings): how each checks a value
sent in, reads one stored or sent by a hub, writes it as JSON, and describes itself as JSON
Schema and in words (README, the policy dialog, error messages)."""

from __future__ import annotations

import math
import re
import zoneinfo
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from dissuade.domain import limits
from dissuade.domain.errors import InvalidInput

T = TypeVar("T")


def shown_value(value: object, limit: int = 60) -> str:
    """A refused value as a message shows it: short, whatever was sent."""
    try:
        text = repr(value)
    except ValueError:  # an int past Python's digit limit
        return "<a huge number>"
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _g(number: float) -> str:
    return f"{number:g}"


@dataclass(frozen=True)
class Unit:
    """What a number counts, in each language ("" for a plain share)."""

    zh: str
    en: str

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def after(self, number: str, lang: str) -> str:
        """`number` followed by the unit as the language writes it."""
        unit = self.text(lang)
        if not unit:
            return number
        return f"{number} {unit}" if lang != "zh" else f"{number}{unit}"


MINUTES = Unit("分钟", "min")
HOURS = Unit("小时", "h")
DAYS = Unit("天", "days")
SECONDS = Unit("秒", "s")
CALLS = Unit("次", "calls")
ATTEMPTS = Unit("次", "attempts")
LINES = Unit("路", "lines")
SHARE = Unit("", "")


class Kind(ABC, Generic[T]):
    """A setting's type: how a value is checked, read, written and described."""

    @abstractmethod
    def check(self, name: str, value: object) -> T:
        """`value` as sent by a lead, checked; InvalidInput names `name` and what it must be."""

    @abstractmethod
    def load(self, value: Any) -> T:
        """A value already checked once (stored, or sent by a hub) in its Python form."""

    def dump(self, value: T) -> Any:
        """The value as JSON stores and sends it."""
        return value

    @abstractmethod
    def schema(self) -> dict[str, Any]:
        """JSON Schema of the value as sent."""

    @abstractmethod
    def expected(self, lang: str) -> str:
        """What a value must be, in words ("a number from 1 to 168 h")."""

    def show(self, value: T, lang: str) -> str:
        """A value as README and the dialog show it."""
        return str(self.dump(value))

    def refuse(self, name: str, value: object) -> InvalidInput:
        return InvalidInput(f"{name} 应为{self.expected('zh')} / {name} must be "
                            f"{self.expected('en')}: {shown_value(value)}", field=name)


def _number(value: object) -> int | float | None:
    """`value` when it is a finite number (not a boolean), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return None if isinstance(value, float) and not math.isfinite(value) else value


@dataclass(frozen=True)
class Number(Kind[float]):
    """A number with a unit and bounds (both included)."""

    unit: Unit
    low: float
    high: float
    decimals: int = 1  # what the dialog's spin box shows

    def check(self, name: str, value: object) -> float:
        number = _number(value)
        if number is None or not self.low <= number <= self.high:
            raise self.refuse(name, value)
        return float(number)

    def load(self, value: Any) -> float:
        return float(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "number", "minimum": self.low, "maximum": self.high}

    def expected(self, lang: str) -> str:
        low, high = self.unit.after(_g(self.low), lang), self.unit.after(_g(self.high), lang)
        if lang == "zh":
            return f"{low}到{high}之间的数"
        return f"a number from {low} to {high}"

    def show(self, value: float, lang: str) -> str:
        if self.unit is MINUTES and value >= 60 and value % 60 == 0:
            return HOURS.after(_g(value / 60), lang)
        return self.unit.after(_g(value), lang)


@dataclass(frozen=True)
class Whole(Kind[int]):
    """A whole number with a unit and bounds (both included)."""

    unit: Unit
    low: int
    high: int

    def check(self, name: str, value: object) -> int:
        number = _number(value)
        if number is None or int(number) != number or not self.low <= number <= self.high:
            raise self.refuse(name, value)
        return int(number)

    def load(self, value: Any) -> int:
        return int(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.low, "maximum": self.high}

    def expected(self, lang: str) -> str:
        low, high = self.unit.after(str(self.low), lang), self.unit.after(str(self.high), lang)
        if lang == "zh":
            return f"{low}到{high}之间的整数"
        return f"a whole number from {low} to {high}"

    def show(self, value: int, lang: str) -> str:
        return self.unit.after(str(value), lang)


@dataclass(frozen=True)
class Flag(Kind[bool]):
    """Yes or no."""

    def check(self, name: str, value: object) -> bool:
        if not isinstance(value, bool):
            raise self.refuse(name, value)
        return value

    def load(self, value: Any) -> bool:
        return bool(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}

    def expected(self, lang: str) -> str:
        return "true 或 false" if lang == "zh" else "true or false"

    def show(self, value: bool, lang: str) -> str:
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")


@dataclass(frozen=True)
class Text(Kind[str]):
    """Text (stripped) of `low` to `high` characters; a code when `pattern` is given."""

    high: int
    low: int = 0
    pattern: str | None = None  # the whole text must match it (when not empty)
    pattern_zh: str = ""
    pattern_en: str = ""

    def check(self, name: str, value: object) -> str:
        if not isinstance(value, str) or not limits.is_encodable(value):
            raise self.refuse(name, value)
        text = value.strip()
        if not self.low <= len(text) <= self.high or (
                text and self.pattern and not re.fullmatch(self.pattern, text)):
            raise self.refuse(name, value)
        return text

    def load(self, value: Any) -> str:
        return str(value)

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string", "maxLength": self.high}
        if self.low:
            out["minLength"] = self.low
        if self.pattern:
            out["pattern"] = f"^(?:{self.pattern})?$" if not self.low else f"^(?:{self.pattern})$"
        return out

    def expected(self, lang: str) -> str:
        what = (self.pattern_zh if lang == "zh" else self.pattern_en) if self.pattern else ""
        if lang == "zh":
            return f"{self.low}到{self.high}个字符的{what or '文本'}"
        return f"{what or 'text'} of {self.low} to {self.high} characters"

    def show(self, value: str, lang: str) -> str:
        return value if value else ("（空）" if lang == "zh" else "(empty)")


@dataclass(frozen=True)
class Zone(Kind[str]):
    """An IANA time zone name."""

    def check(self, name: str, value: object) -> str:
        if not isinstance(value, str) or not value or len(value) > 64:
            raise self.refuse(name, value)
        try:
            zoneinfo.ZoneInfo(value)
        except (ValueError, zoneinfo.ZoneInfoNotFoundError):
            raise self.refuse(name, value) from None
        return value

    def load(self, value: Any) -> str:
        return str(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "maxLength": 64}

    def expected(self, lang: str) -> str:
        return "IANA 时区，如 Asia/Shanghai" if lang == "zh" else \
            "an IANA time zone such as Asia/Shanghai"


@dataclass(frozen=True)
class Choice(Kind[str]):
    """One code of a fixed list."""

    options: tuple[str, ...]

    def check(self, name: str, value: object) -> str:
        if not isinstance(value, str) or value not in self.options:
            raise self.refuse(name, value)
        return value

    def load(self, value: Any) -> str:
        return str(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.options)}

    def expected(self, lang: str) -> str:
        return f"其一：{'、'.join(self.options)}" if lang == "zh" else \
            f"one of {', '.join(self.options)}"


@dataclass(frozen=True)
class Levels(Kind[tuple[str, ...]]):
    """Some risk levels (none is allowed), kept in order of urgency."""

    options: tuple[str, ...]

    def check(self, name: str, value: object) -> tuple[str, ...]:
        if not isinstance(value, list | tuple) or len(value) > 4 * len(self.options) \
                or not all(isinstance(v, str) and v in self.options for v in value):
            raise self.refuse(name, value)
        return tuple(o for o in self.options if o in value)

    def load(self, value: Any) -> tuple[str, ...]:
        return tuple(str(v) for v in value)

    def dump(self, value: tuple[str, ...]) -> list[str]:
        return list(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "string", "enum": list(self.options)},
                "maxItems": len(self.options)}

    def expected(self, lang: str) -> str:
        return f"由{'、'.join(self.options)}中若干项组成的列表（可为空）" if lang == "zh" else \
            f"a list of any of {', '.join(self.options)} (may be empty)"

    def show(self, value: tuple[str, ...], lang: str) -> str:
        return ", ".join(value) if value else ("无（关闭）" if lang == "zh" else "none (off)")


@dataclass(frozen=True)
class Hours(Kind[tuple[int, ...]]):
    """A few whole hours of the day (0-23), kept sorted."""

    low_items: int
    high_items: int

    def check(self, name: str, value: object) -> tuple[int, ...]:
        if not isinstance(value, list | tuple) \
                or not self.low_items <= len(value) <= self.high_items \
                or not all(isinstance(h, int) and not isinstance(h, bool) and 0 <= h <= 23
                           for h in value):
            raise self.refuse(name, value)
        return tuple(sorted(set(value)))

    def load(self, value: Any) -> tuple[int, ...]:
        return tuple(int(h) for h in value)

    def dump(self, value: tuple[int, ...]) -> list[int]:
        return list(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 23},
                "minItems": self.low_items, "maxItems": self.high_items}

    def expected(self, lang: str) -> str:
        if lang == "zh":
            return f"{self.low_items}至{self.high_items}个 0–23 的整点"
        return f"{self.low_items} to {self.high_items} whole hours from 0 to 23"

    def show(self, value: tuple[int, ...], lang: str) -> str:
        return ", ".join(f"{h:02d}:00" for h in value)


_CLOCK = re.compile(r"([01]?[0-9]|2[0-4]):([0-5][0-9])")


def _minute_of_day(text: object) -> int | None:
    match = _CLOCK.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return None
    minute = int(match[1]) * 60 + int(match[2])
    return minute if minute <= 24 * 60 else None


@dataclass(frozen=True)
class TimeRange(Kind[tuple[str, str]]):
    """[start, end) of the day as "HH:MM", start before end; "24:00" ends at midnight."""

    def check(self, name: str, value: object) -> tuple[str, str]:
        if not isinstance(value, list | tuple) or len(value) != 2:
            raise self.refuse(name, value)
        start, end = (_minute_of_day(v) for v in value)
        if start is None or end is None or not start < end:
            raise self.refuse(name, value)
        return (f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}")

    def load(self, value: Any) -> tuple[str, str]:
        return (str(value[0]), str(value[1]))

    def dump(self, value: tuple[str, str]) -> list[str]:
        return list(value)

    def schema(self) -> dict[str, Any]:
        clock = {"type": "string", "pattern": r"^([01]?[0-9]|2[0-4]):[0-5][0-9]$"}
        return {"type": "array", "items": clock, "minItems": 2, "maxItems": 2}

    def expected(self, lang: str) -> str:
        if lang == "zh":
            return "［开始, 结束］，HH:MM，00:00 至 24:00，开始早于结束"
        return "[start, end] as HH:MM from 00:00 to 24:00, the start before the end"

    def show(self, value: tuple[str, str], lang: str) -> str:
        return f"{value[0]}–{value[1]}"


@dataclass(frozen=True)
class Table(Kind[dict[str, str]]):
    """A mapping of keys to values (district → station, scam type → level)."""

    key: Kind[str]
    value: Kind[str]
    high_items: int
    key_zh: str
    key_en: str
    value_zh: str
    value_en: str
    merge: bool = False  # a change updates the stored table instead of replacing it

    def check(self, name: str, value: object) -> dict[str, str]:
        if not isinstance(value, dict) or len(value) > self.high_items:
            raise self.refuse(name, value)
        out: dict[str, str] = {}
        for k, v in value.items():
            try:
                out[self.key.check(name, k)] = self.value.check(name, v)
            except InvalidInput:
                raise InvalidInput(f"{name} 中 {shown_value(k)} → {shown_value(v)} 无效，应为"
                                   f"{self.expected('zh')} / {name}: {shown_value(k)} → {shown_value(v)} is "
                                   f"not valid; it must be {self.expected('en')}",
                                   field=name) from None
        return out

    def load(self, value: Any) -> dict[str, str]:
        return {str(k): str(v) for k, v in dict(value).items()}

    def dump(self, value: dict[str, str]) -> dict[str, str]:
        return dict(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "propertyNames": self.key.schema(),
                "additionalProperties": self.value.schema(), "maxProperties": self.high_items}

    def expected(self, lang: str) -> str:
        if lang == "zh":
            return (f"至多 {self.high_items} 项的 {{{self.key_zh}: {self.value_zh}}}（"
                    f"{self.key_zh}：{self.key.expected('zh')}；"
                    f"{self.value_zh}：{self.value.expected('zh')}）")
        return (f"an object of at most {self.high_items} {self.key_en} → {self.value_en} "
                f"({self.key_en}: {self.key.expected('en')}; "
                f"{self.value_en}: {self.value.expected('en')})")

    def show(self, value: dict[str, str], lang: str) -> str:
        if not value:
            return "（空）" if lang == "zh" else "(empty)"
        return ", ".join(f"{k} → {v}" for k, v in value.items())
