"""Times: ISO 8601 in, UTC epoch seconds stored, the centre's zone for naive times."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dissuade.domain.errors import InvalidInput

DEFAULT_TZ = "Asia/Shanghai"
EARLIEST = 0.0  # 1970-01-01 UTC
LATEST = 7_258_118_400.0  # 2200-01-01 UTC


def now() -> float:
    return time.time()


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"未知时区 / unknown time zone: {name!r}", field="timezone") from None


def parse(value: object, *, tz: str = DEFAULT_TZ, field: str = "time") -> float:
    """Epoch seconds of an ISO 8601 time (or a datetime); naive times are in `tz`."""
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace("/", "-")
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            raise InvalidInput(
                f"时间格式错误 / not an ISO 8601 time in {field}: {value!r}", field=field
            ) from None
    else:
        raise InvalidInput(f"缺少时间 / missing time in {field}", field=field)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=zone(tz))
    epoch = dt.timestamp()
    # Far from any warning, and too far for datetime to turn back into a date with an offset.
    if not EARLIEST <= epoch < LATEST:
        raise InvalidInput(f"时间超出范围 / {field} is out of range (1970-2199): {value!r}",
                           field=field)
    return epoch


def to_datetime(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def iso(epoch: float | None) -> str | None:
    """ISO 8601 in UTC with an explicit offset, as the API answers."""
    dt = to_datetime(epoch)
    return None if dt is None else dt.isoformat(timespec="seconds")


def local_text(epoch: float | None, tz: str = DEFAULT_TZ, *, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A time as an officer reads it: in the centre's zone, no offset."""
    if epoch is None:
        return ""
    return datetime.fromtimestamp(epoch, zone(tz)).strftime(fmt)


def minutes(n: float) -> float:
    return timedelta(minutes=n).total_seconds()


def current_shift(at: float, *, tz: str, starts: tuple[int, ...]) -> tuple[float, float]:
    """The shift containing `at`: (start, end) epoch seconds, from handover hours in `tz`."""
    local = datetime.fromtimestamp(at, zone(tz))
    day = local.replace(hour=0, minute=0, second=0, microsecond=0)
    hours = sorted(set(starts)) or [0]
    candidates = [day + timedelta(days=d, hours=h) for d in (-1, 0, 1) for h in hours]
    begin = max(c for c in candidates if c <= local)
    end = min(c for c in candidates if c > local)
    return begin.timestamp(), end.timestamp()


def previous_shift(at: float, *, tz: str, starts: tuple[int, ...]) -> tuple[float, float]:
    """The shift before the one containing `at`: the one a lead hands over from."""
    begin, _end = current_shift(at, tz=tz, starts=starts)
    return current_shift(begin - 1, tz=tz, starts=starts)
