"""How many officers tonight? The staffing forecast for a shift, from the centre's own history.

For each hour of the shift:

1. **Arrivals** by level: the warnings that arrived in that hour of the day over the history read
   (up to `weeks` weeks before the shift), divided by the days the history covers.
2. **People's calls**: each warning people work costs `calls_per_warning` calls (first calls,
   retries and callbacks, measured: people's calls / warnings people called), each
   `handle_seconds` long (measured from the calls' answered and hung-up times).
3. **With the robot's first pass**: warnings of the robot's levels arriving within its calling
   hours go to the robot first; a share `robot_confirm` is confirmed by key 1 (of those, the
   policy's `robot_sample_rate` is still called back by a person), the rest is handed to people
   one level higher (the new level's limit, from the hand-over).
4. **Officers** (Erlang C, `dissuade.forecast.erlang`): the queue is worked most urgent level
   first, so the fewest officers with whom every level's calls are answered within its
   first-contact limit for `target` of them (Erlang C for whether a call waits, Cobham's
   priority formula for how long: `erlang.agents_for_priority`), and never so few that they
   are busy more than `MAX_OCCUPANCY` (85%) of the hour.

What the history lacks is assumed and said so (`assumptions`): a handle time, calls per warning
and the robot's confirm rate, with the figures used.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from dissuade.domain import timeutil
from dissuade.domain.codes import LEVELS as _LEVELS
from dissuade.domain.policy import Policy
from dissuade.domain.settings import ROBOT_FIRST_LEVELS
from dissuade.forecast import erlang

DAY = 86400.0
# Below these, the history is too thin to measure and the stated assumption is used instead.
MIN_TIMED_CALLS = 20
MIN_WORKED_WARNINGS = 20
MIN_ROBOT_WARNINGS = 30
ASSUMED_HANDLE_SECONDS = 300.0  # a five-minute call with its notes
ASSUMED_CALLS_PER_WARNING = 1.5
ASSUMED_ROBOT_CONFIRM = 0.30  # answered and key 1: the benchmark's 60% answered x 50% key 1
ASSUMED_ROBOT_CALLS_PER_WARNING = 1.6
LEVELS = tuple(lv.value for lv in _LEVELS)  # most urgent first
HANDLE_BOUNDS = (10.0, 3600.0)  # a call length outside these is a clock slip, not a call
# Officers kept busy at most this share of the hour, as planners cap it (an officer on calls
# back to back for hours tires and errs; the queue's tail grows without bound near 100%).
MAX_OCCUPANCY = 0.85
OCCUPANCY = "occupancy"  # what decides an hour whose limits would allow fewer officers


@dataclass(frozen=True, slots=True)
class History:
    """What the store read of the centre's past: `start` <= t < `end`."""

    start: float
    end: float
    arrivals: tuple[tuple[float, str], ...]  # (arrived_at, level) of each warning
    handle_seconds: tuple[float, ...]  # people's calls with both answered and hung-up times
    people_calls: int  # calls people made (a call's rows for the person's other warnings: one)
    people_warnings: int  # warnings people called at least once
    robot_calls: int
    robot_warnings: int  # warnings the robot called
    robot_confirmed: int  # of those, confirmed by key 1

    @property
    def days(self) -> float:
        return max(0.0, self.end - self.start) / DAY


@dataclass(frozen=True, slots=True)
class Rates:
    """The figures the forecast works with, each measured or assumed."""

    handle_seconds: float
    calls_per_warning: float
    robot_confirm: float
    robot_calls_per_warning: float
    measured: dict[str, bool]


def rates(history: History) -> Rates:
    timed = [min(max(s, HANDLE_BOUNDS[0]), HANDLE_BOUNDS[1]) for s in history.handle_seconds]
    measured = {
        "handle_seconds": len(timed) >= MIN_TIMED_CALLS,
        "calls_per_warning": history.people_warnings >= MIN_WORKED_WARNINGS,
        "robot_confirm": history.robot_warnings >= MIN_ROBOT_WARNINGS,
    }
    return Rates(
        handle_seconds=sum(timed) / len(timed) if measured["handle_seconds"]
        else ASSUMED_HANDLE_SECONDS,
        calls_per_warning=history.people_calls / history.people_warnings
        if measured["calls_per_warning"] else ASSUMED_CALLS_PER_WARNING,
        robot_confirm=history.robot_confirmed / history.robot_warnings
        if measured["robot_confirm"] else ASSUMED_ROBOT_CONFIRM,
        robot_calls_per_warning=history.robot_calls / history.robot_warnings
        if measured["robot_confirm"] else ASSUMED_ROBOT_CALLS_PER_WARNING,
        measured=measured,
    )


def _one_higher(level: str) -> str:
    index = LEVELS.index(level)
    return LEVELS[max(0, index - 1)]


def _minutes_of_day(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def robot_calls_at(local: datetime, hours: tuple[str, str]) -> bool:
    """Whether the robot calls at this centre time (its calling hours, [start, end))."""
    minute = local.hour * 60 + local.minute
    return _minutes_of_day(hours[0]) <= minute < _minutes_of_day(hours[1])


def arrivals_by_hour(history: History, tz: str) -> dict[int, dict[str, float]]:
    """Warnings an hour by level, for each hour of the day (centre time): the history's count
    divided by the days it covers."""
    counts: dict[int, dict[str, float]] = {h: dict.fromkeys(LEVELS, 0.0) for h in range(24)}
    zone = timeutil.zone(tz)
    for arrived, level in history.arrivals:
        if level in LEVELS:
            counts[datetime.fromtimestamp(arrived, zone).hour][level] += 1
    days = history.days
    if days <= 0:
        return counts
    # An hour of the day the history saw fewer times than `days` (a history of 2.5 days saw
    # some hours 3 times, some twice) is divided by the times it was seen.
    seen = _times_seen(history, zone)
    return {h: {lv: n / seen[h] if seen[h] else 0.0 for lv, n in by.items()}
            for h, by in counts.items()}


def _times_seen(history: History, zone: Any) -> dict[int, float]:
    seen = dict.fromkeys(range(24), 0.0)
    at = datetime.fromtimestamp(history.start, zone).replace(minute=0, second=0, microsecond=0)
    while at.timestamp() < history.end:
        begin, end = at.timestamp(), (at + timedelta(hours=1)).timestamp()
        covered = min(end, history.end) - max(begin, history.start)
        if covered > 0:
            seen[at.hour] += covered / (end - begin)
        at = datetime.fromtimestamp(end, zone)
    return seen


def officers_for(calls: dict[str, float], limits: dict[str, float], r: Rates,
                 target: float) -> tuple[int, str | None]:
    """(officers, the level that decides it) for an hour with `calls` people's calls by level,
    worked most urgent first (see the module's text and erlang.agents_for_priority)."""
    loads = [erlang.traffic(calls.get(lv, 0.0), r.handle_seconds) for lv in LEVELS]
    targets = [limits[lv] * 60.0 for lv in LEVELS]
    by_limits = erlang.agents_for_priority(loads, r.handle_seconds, targets, target)
    by_occupancy = math.ceil(sum(loads) / MAX_OCCUPANCY - 1e-9)
    if by_limits == 0:
        return 0, None
    if by_occupancy > by_limits:
        return by_occupancy, OCCUPANCY
    if by_limits == 1:
        return 1, next(lv for lv, load in zip(LEVELS, loads, strict=True) if load > 0)
    # The level one officer fewer would fail.
    fewer = erlang.priority_service_levels(by_limits - 1, loads, r.handle_seconds, targets)
    failing = [lv for lv, level, load in zip(LEVELS, fewer, loads, strict=True)
               if load > 0 and level < target]
    return by_limits, failing[0] if failing else OCCUPANCY


def _people_calls(arrivals: dict[str, float], r: Rates, *, robot: bool, robot_levels: Iterable[str],
                  sample_rate: float) -> tuple[dict[str, float], float]:
    """People's calls an hour by level (the level whose limit applies), and the robot's calls."""
    calls = dict.fromkeys(LEVELS, 0.0)
    robot_calls = 0.0
    levels = set(robot_levels) if robot else set()
    for level, n in arrivals.items():
        if level not in levels or level == "emergency":
            calls[level] += n * r.calls_per_warning
            continue
        robot_calls += n * r.robot_calls_per_warning
        confirmed = n * r.robot_confirm
        calls[_one_higher(level)] += (n - confirmed) * r.calls_per_warning
        calls[level] += confirmed * sample_rate  # a person calls a sample back, once
    return calls, robot_calls


def next_shift(now: float, policy: Policy) -> tuple[float, float]:
    """The shift after the one running at `now`."""
    _begin, end = timeutil.current_shift(now, tz=policy.timezone, starts=policy.shift_starts)
    return timeutil.current_shift(end, tz=policy.timezone, starts=policy.shift_starts)


def forecast(history: History, policy: Policy, *, start: float, end: float) -> dict[str, Any]:
    """The forecast for the shift start <= t < end, as JSON-ready data (see the module's text)."""
    r = rates(history)
    target = float(policy.forecast_target)
    limits = {lv: policy.level(lv).first_contact_minutes for lv in LEVELS}
    robot_levels = tuple(policy.robot_first_levels) or tuple(ROBOT_FIRST_LEVELS.default)
    by_hour = arrivals_by_hour(history, policy.timezone)
    zone = timeutil.zone(policy.timezone)
    hours: list[dict[str, Any]] = []
    at = datetime.fromtimestamp(start, zone)
    while at.timestamp() < end:
        arrivals = by_hour[at.hour]
        in_hours = robot_calls_at(at, policy.robot_hours)
        without, _ = _people_calls(arrivals, r, robot=False, robot_levels=(), sample_rate=0)
        with_robot, robot_calls = _people_calls(arrivals, r, robot=in_hours,
                                                robot_levels=robot_levels,
                                                sample_rate=policy.robot_sample_rate)
        n_without, deciding_without = officers_for(without, limits, r, target)
        n_with, deciding_with = officers_for(with_robot, limits, r, target)
        hours.append({
            "start": timeutil.iso(at.timestamp()), "hour": at.strftime("%H:%M"),
            "arrivals": {lv: round(n, 2) for lv, n in arrivals.items()},
            "people_calls": round(sum(without.values()), 2),
            "people_calls_with_robot": round(sum(with_robot.values()), 2),
            "robot_calls": round(robot_calls, 2),
            "officers": n_without, "officers_with_robot": n_with,
            "deciding_level": deciding_without, "deciding_level_with_robot": deciding_with,
            "robot_calling": in_hours,
        })
        at = datetime.fromtimestamp((at + timedelta(hours=1)).timestamp(), zone)
    first = hours[0] if hours else None
    return {
        "from": timeutil.iso(start), "to": timeutil.iso(end), "timezone": policy.timezone,
        "target": target,
        "limits_minutes": limits,
        "robot_levels": list(robot_levels), "robot_on": bool(policy.robot_first_levels),
        "robot_hours": list(policy.robot_hours),
        "history": {
            "from": timeutil.iso(history.start), "to": timeutil.iso(history.end),
            "days": round(history.days, 1), "warnings": len(history.arrivals),
            "people_calls": history.people_calls, "timed_calls": len(history.handle_seconds),
            "people_warnings": history.people_warnings, "robot_calls": history.robot_calls,
            "robot_warnings": history.robot_warnings,
        },
        "rates": {
            "handle_seconds": round(r.handle_seconds, 1),
            "calls_per_warning": round(r.calls_per_warning, 2),
            "robot_confirm": round(r.robot_confirm, 3),
            "robot_calls_per_warning": round(r.robot_calls_per_warning, 2),
            "measured": r.measured,
        },
        "assumptions": assumptions(r),
        "hours": hours,
        "peak": max((h["officers"] for h in hours), default=0),
        "peak_with_robot": max((h["officers_with_robot"] for h in hours), default=0),
        "officer_hours": sum(h["officers"] for h in hours),
        "officer_hours_with_robot": sum(h["officers_with_robot"] for h in hours),
        "first_hour": first["hour"] if first else None,
    }


def assumptions(r: Rates) -> list[str]:
    """What was assumed rather than measured, in words (Chinese / English)."""
    out = []
    if not r.measured["handle_seconds"]:
        out.append(f"通话时长按 {ASSUMED_HANDLE_SECONDS:.0f} 秒估计（历史中有时长的通话不足 "
                   f"{MIN_TIMED_CALLS} 次）/ handle time assumed {ASSUMED_HANDLE_SECONDS:.0f} s "
                   f"(fewer than {MIN_TIMED_CALLS} timed calls in the history)")
    if not r.measured["calls_per_warning"]:
        out.append(f"每条预警按 {ASSUMED_CALLS_PER_WARNING} 次通话估计 / "
                   f"{ASSUMED_CALLS_PER_WARNING} calls per warning assumed (fewer than "
                   f"{MIN_WORKED_WARNINGS} warnings called in the history)")
    if not r.measured["robot_confirm"]:
        out.append(f"机器人确认率按 {ASSUMED_ROBOT_CONFIRM:.0%} 估计（历史中机器人外呼不足 "
                   f"{MIN_ROBOT_WARNINGS} 条）/ robot confirm rate assumed "
                   f"{ASSUMED_ROBOT_CONFIRM:.0%} (answered and key 1; fewer than "
                   f"{MIN_ROBOT_WARNINGS} warnings called by the robot in the history), "
                   f"{ASSUMED_ROBOT_CALLS_PER_WARNING} robot calls per warning")
    out.append("来电按泊松到达、通话时长按指数分布（Erlang C），重拨与首呼同一小时内计，"
               f"民警占用率不超过 {MAX_OCCUPANCY:.0%} / arrivals Poisson, call lengths exponential "
               "(Erlang C); retries counted in the hour of arrival; officers busy at most "
               f"{MAX_OCCUPANCY:.0%} of the hour")
    return out
