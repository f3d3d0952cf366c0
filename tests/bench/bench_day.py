"""A simulated day at a Chongqing-like centre, worked by 10 officers, with and without the
robot's first pass: the share of each level first contacted within its limit, people's calls
per officer, robot calls.

    python tests/bench/run.py day [--warnings N]      (default here: 2,000 warnings a day)

The REAL store runs the day on a simulated clock (every store call is given `now=`): the feed's
warnings arrive through `add_warning`, officers take the most urgent with `claim_next` and
record outcomes with `record_attempt`, so the queue order, the retries, the escalations and the
one-victim-one-case rules are the product's own. Only the people and the phones are simulated,
with the rates stated below (seeded, so a run is repeatable).

The robot's first pass is the product's own too (dissuade/store/robot.py): its lines are kept
alive on the simulated clock (`robot_tick`), a warning arriving is taken by the robot or not by
its rules (`add_warning`), `ROBOT_LINES` simulated lines take the calls due (`robot_take`) and
record the dialer's answer (`robot_finish`), which closes, retries or hands the person to people
exactly as the hub's robot does; only the phones' answers are simulated. The robot never calls a
synthetic warning, so this day's warnings are not marked synthetic: the database is a throwaway
one (on /dev/shm), its numbers made up, and nothing here reaches a gateway.

Assumed rates (README quotes them with the figures):
- arrivals: 2,000 a day with the hourly profile `PROFILE` (quiet 02:00-05:00, busiest
  09:00-11:00 and 14:00-16:00 and again 20:00), Poisson within each hour;
- level mix: emergency 25%, high 35%, medium 25%, low 15% (Xiamen grades the three commonest
  scams emergency);
- people's calls: 70% answered; answered calls last 60 s + an exponential 4 min on average and
  end dissuaded 75%, not fraud 8%, already lost 7%, wrong person 4%, brainwashed 6%;
  unanswered ones take 45 s (no answer 80%, busy 10%, powered off 10%);
- the robot: 4 lines, calls of 40 s answered and 30 s unanswered; 60% answered; of those, key 1
  50%, key 0 20%, no key 30%; robot hours 08:00-21:00; 10% of key-1 warnings sampled back to
  people (the policy's defaults; the draw is the robot's own).
- 10 officers on duty all day, each taking the next warning as soon as they are free (an idle
  officer looks again every minute).

A warning's first contact is its first call by a person, or a robot call that was answered
(settled: an unanswered robot call is no contact); within its limit when that is by its
deadline (for a warning the robot handed over, the hand-over's deadline).
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dissuade.domain import timeutil
from dissuade.domain.robot import Answer
from dissuade.store import Store

OFFICERS = 10
ROBOT = "robot"
DAY_START = timeutil.parse("2026-11-02 00:00", tz="Asia/Shanghai")  # a Monday, centre time
LEVEL_MIX = {"emergency": 0.25, "high": 0.35, "medium": 0.25, "low": 0.15}
SCAM_OF_LEVEL = {"emergency": "order_brushing", "high": "fake_investment",
                 "medium": "impersonating_boss", "low": "fake_shopping"}
PROFILE = [1.5, 1.0, 0.6, 0.5, 0.5, 0.8, 1.5, 2.8, 4.5, 6.0, 6.6, 6.2, 4.8, 5.2, 6.2, 6.5,
           6.0, 5.2, 4.8, 5.4, 6.0, 5.2, 3.6, 2.4]  # share of the day's warnings by hour
PEOPLE_ANSWER = 0.70
ANSWERED = {"dissuaded": 0.75, "not_fraud": 0.08, "already_lost": 0.07, "wrong_person": 0.04,
            "brainwashed": 0.06}
UNANSWERED = {"no_answer": 0.8, "busy": 0.1, "powered_off": 0.1}
ROBOT_LINES = 4
ROBOT_HUB = "bench"
ROBOT_VOICE_SECONDS = 30.0  # the voice warning and prompt: an answered 40 s call heard it all
ROBOT_ANSWER = 0.60
ROBOT_KEYS = {"1": 0.50, "0": 0.20, "": 0.30}
IDLE_LOOK = 60.0


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def arrivals(n: int, rng: random.Random) -> list[tuple[float, str]]:
    """(moment, level) of a day's warnings: Poisson counts per hour after PROFILE."""
    total = sum(PROFILE)
    out = []
    for hour, share in enumerate(PROFILE):
        mean = n * share / total
        count = _poisson(rng, mean)
        for _ in range(count):
            out.append((DAY_START + hour * 3600 + rng.random() * 3600, _pick(rng, LEVEL_MIX)))
    return sorted(out)


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method is slow for large means; a normal approximation is plenty for ~100.
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


@dataclass
class Day:
    """One simulated day's events and what happened."""

    store: Store
    robot: bool
    rng: random.Random
    events: list[tuple[float, int, str, Any]] = field(default_factory=list)
    seq: itertools.count = field(default_factory=itertools.count)  # type: ignore[type-arg]
    idle: set[str] = field(default_factory=set)
    robot_free: set[int] = field(default_factory=lambda: set(range(1, ROBOT_LINES + 1)))
    robot_results: Counter[str] = field(default_factory=Counter)
    answered_by_robot: dict[int, float] = field(default_factory=dict)
    handover_deadline: dict[int, float] = field(default_factory=dict)
    arrival_level: dict[int, str] = field(default_factory=dict)

    def at(self, when: float, kind: str, data: Any = None) -> None:
        # Robot events sort before officers' at the same moment: the robot takes its due retry
        # before a free officer looks at the queue.
        order = 0 if kind.startswith("robot") else 1
        heapq.heappush(self.events, (when, order * 10**9 + next(self.seq), kind, data))


def simulate(store: Store, moments: list[tuple[float, str]], *, robot: bool,
             seed: int) -> dict[str, Any]:
    policy = store.policy()
    day = Day(store, robot, random.Random(seed))
    end = DAY_START + 86400
    for n, (when, level) in enumerate(moments):
        day.at(when, "arrive", (n, level))
    for k in range(OFFICERS):
        day.at(DAY_START, "officer", f"officer-{k + 1:02d}")
    started = time.perf_counter()
    while day.events:
        now, _, kind, data = heapq.heappop(day.events)
        if now >= end + 6 * 3600:  # the day's work, and six hours to finish what it left
            break
        if kind == "arrive":
            _arrive(day, now, *data, policy=policy)
        elif kind == "officer":
            _officer(day, now, data)
        elif kind == "officer_look" and data in day.idle:  # still idle: look again
            day.idle.discard(data)
            _officer(day, now, data)
        elif kind == "robot_due":
            _robot_dial(day, now)
        elif kind == "robot_done":
            _robot_done(day, now, *data)
    return _figures(day, end, seconds=time.perf_counter() - started)


def _arrive(day: Day, now: float, n: int, level: str, *, policy: Any) -> None:
    if day.robot:
        day.store.robot_tick(hub=ROBOT_HUB, lines=ROBOT_LINES, now=now)  # its lines are alive
    warning, _ = day.store.add_warning({
        "external_id": f"DAY-{n:05d}", "source": "province", "phone": f"13{n % 10}{n:08d}",
        "name": "测试人", "scam_type": SCAM_OF_LEVEL[level], "risk_level": level,
        "reported_at": timeutil.iso(now), "synthetic": False}, actor="feed", now=now)
    day.arrival_level[int(warning.id)] = level
    if warning.claimed_by == ROBOT:  # the robot took it first, by its own rules
        _robot_dial(day, now)
    for officer in list(day.idle):  # an idle officer hears of the arrival
        day.idle.discard(officer)
        day.at(now, "officer", officer)


def _robot_dial(day: Day, now: float) -> None:
    """Each free line takes the next call due, and is busy until its simulated answer."""
    day.store.robot_tick(hub=ROBOT_HUB, lines=ROBOT_LINES, now=now)
    for line in sorted(day.robot_free):
        job = day.store.robot_take(hub=ROBOT_HUB, line_no=line, timeout=120, now=now)
        if job is None:
            break
        day.robot_free.discard(line)
        answered = day.rng.random() < ROBOT_ANSWER
        answer = Answer(answered, _pick(day.rng, ROBOT_KEYS) if answered else "",
                        40.0 if answered else 0.0)
        day.at(now + (40 if answered else 30), "robot_done", (line, job, answer))
    _robot_next(day, now)


def _robot_next(day: Day, now: float) -> None:
    (due,) = day.store.conn.execute(
        "SELECT min(due_at) FROM robot_calls WHERE state = 'due' AND due_at > ?",
        (now,)).fetchone()
    if due is not None:
        day.at(float(due), "robot_due")


def _robot_done(day: Day, now: float, line: int, job: Any, answer: Answer) -> None:
    day.robot_free.add(line)
    day.store.robot_tick(hub=ROBOT_HUB, lines=ROBOT_LINES, now=now)
    result = day.store.robot_finish(job, answer, hub=ROBOT_HUB, line_no=line,
                                    voice_seconds=ROBOT_VOICE_SECONDS, now=now)
    day.robot_results[result] += 1
    for warning_id in job.settles:
        if answer.answered:
            day.answered_by_robot.setdefault(warning_id, now)
        warning = day.store.warning(warning_id)
        if warning.risk_level != day.arrival_level[warning_id]:  # handed over, one level up
            day.handover_deadline.setdefault(warning_id, warning.deadline)
    if any(day.store.warning(w).claimed_by is None and day.store.warning(w).status != "closed"
           for w in job.settles):  # the person went to people
        for officer in list(day.idle):
            day.idle.discard(officer)
            day.at(now, "officer", officer)
    _robot_dial(day, now)


def _officer(day: Day, now: float, officer: str) -> None:
    warning = day.store.claim_next(user=officer, now=now)
    if warning is None:
        day.idle.add(officer)
        day.at(now + IDLE_LOOK, "officer_look", officer)
        return
    rng = day.rng
    if rng.random() < PEOPLE_ANSWER:
        seconds = 60 + rng.expovariate(1 / 240)
        outcome = _pick(rng, ANSWERED)
        times = {"started_at": now + 15, "ended_at": now + seconds}
    else:
        seconds, outcome, times = 45.0, _pick(rng, UNANSWERED), {}
    done = now + seconds
    day.store.record_attempt(int(warning.id), user=officer, outcome=outcome, now=done,
                             dialled_at=now, **times)
    day.at(done, "officer", officer)


def _figures(day: Day, end: float, *, seconds: float) -> dict[str, Any]:
    conn = day.store.conn
    first_people: dict[int, float] = {}
    people_calls: Counter[str] = Counter()
    robot_calls = 0
    for warning_id, officer, recorded, linked in conn.execute(
            "SELECT warning_id, officer, recorded_at, linked_to FROM attempts "
            "WHERE voided_at IS NULL ORDER BY recorded_at, id"):
        if officer == ROBOT:
            robot_calls += linked is None  # one row a call, others linked to it
            continue
        first_people.setdefault(int(warning_id), float(recorded))
        if linked is None:
            people_calls[officer] += 1
    within: dict[str, list[bool]] = defaultdict(list)
    for warning_id, deadline in conn.execute(
            "SELECT id, deadline FROM warnings WHERE arrived_at < ? ORDER BY id", (end,)):
        level = day.arrival_level[int(warning_id)]
        deadline = day.handover_deadline.get(int(warning_id), float(deadline))
        contacts = [t for t in (first_people.get(int(warning_id)),
                                day.answered_by_robot.get(int(warning_id))) if t is not None]
        contact = min(contacts) if contacts else None
        within[level].append(contact is not None and contact <= deadline)
    return {
        "warnings": sum(len(v) for v in within.values()),
        "by_level": {lv: len(within[lv]) for lv in LEVEL_MIX},
        "within_limit": {lv: round(sum(within[lv]) / len(within[lv]), 3) if within[lv] else None
                         for lv in LEVEL_MIX},
        "people_calls": sum(people_calls.values()),
        "people_calls_per_officer": round(sum(people_calls.values()) / OFFICERS, 1),
        "robot_calls": robot_calls,
        "robot_results": dict(day.robot_results),
        "seconds": round(seconds, 1),
    }


def run_day(workdir: Path, *, warnings: int = 2000, robot: bool, seed: int = 20261205
            ) -> dict[str, Any]:
    """One simulated day on a fresh database in `workdir` (on /dev/shm when there is one: the
    figures are rates, not speeds, and a day is some 10,000 committed transactions)."""
    folder = Path("/dev/shm") if Path("/dev/shm").is_dir() else workdir
    path = folder / f"bench-day-{'robot' if robot else 'people'}-{seed}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    store = Store(path)
    try:
        store.update_settings({"robot_first_levels": ["medium", "low"]}, user="lead")
        moments = arrivals(warnings, random.Random(seed))
        return simulate(store, moments, robot=robot, seed=seed + 1)
    finally:
        store.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


SEEDS = (20261205, 20261206, 20261207)  # three days, so that chance shows as a range


def run(*, warnings: int, db: Path | None, workdir: Path) -> dict[str, Any]:
    per_day = 2000 if warnings >= 100_000 else warnings  # run.py's default is for the others
    results: dict[str, Any] = {}
    for robot in (False, True):
        name = "with the robot" if robot else "people only"
        days = [run_day(workdir, warnings=per_day, robot=robot, seed=seed) for seed in SEEDS]
        results[name] = days
        print(f"{name}: {len(days)} days of {per_day:,} warnings expected "
              f"({', '.join(format(d['warnings'], ',') for d in days)})",
              flush=True)
        for level in LEVEL_MIX:
            shares = [d["within_limit"][level] for d in days]
            print(f"  {level:<9} first contact within its limit: {_spread(shares, '.1%')}")
        print(f"  people's calls per officer: "
              f"{_spread([d['people_calls_per_officer'] for d in days], '.0f')}; robot calls: "
              f"{_spread([d['robot_calls'] for d in days], ',.0f')}; robot results (first day): "
              f"{days[0]['robot_results']}; {sum(d['seconds'] for d in days):.0f} s", flush=True)
    return {"figures": results, "checks": {}}


def _spread(values: list[float], fmt: str) -> str:
    mean = sum(values) / len(values)
    return f"{mean:{fmt}} ({min(values):{fmt}}-{max(values):{fmt}})"
