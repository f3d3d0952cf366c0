"""The staffing forecast: Erlang C against hand-worked and published values, against a
discrete-event simulation (simpy), and the forecast of a shift from a store's history."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
import simpy

from dissuade.domain import timeutil
from dissuade.forecast import erlang, staffing
from dissuade.store import Store
from tests.conftest import warning_data

# -- the formula, by hand ----------------------------------------------------------------------


def test_two_agents_one_erlang_by_hand() -> None:
    """N = 2, A = 1: C = (A^N/N! * N/(N-A)) / (sum_{k<N} A^k/k! + A^N/N! * N/(N-A))
    = (1/2 * 2) / (1 + 1 + 1) = 1/3. Mean wait = C * h / (N - A) = h / 3; within t:
    1 - 1/3 * exp(-(N - A) t / h)."""
    assert erlang.erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert erlang.mean_wait(2, 1.0, 300) == pytest.approx(100.0)
    assert erlang.service_level(2, 1.0, 300, 300) == pytest.approx(1 - math.exp(-1) / 3)
    assert erlang.erlang_b(1, 1.0) == pytest.approx(0.5)  # B(1, A) = A / (1 + A)


def test_the_published_worked_example() -> None:
    """Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example": 100
    calls in 30 minutes, average handling time 180 s, 80% answered within 20 s. Traffic 10
    Erlangs; with 11 agents the probability of waiting is 68.21% and the service level 39%;
    14 agents are the first to reach 80% (88.84%)."""
    load = erlang.traffic(200, 180)
    assert load == pytest.approx(10.0)
    assert erlang.erlang_c(11, load) == pytest.approx(0.6821, abs=5e-5)
    assert erlang.service_level(11, load, 180, 20) == pytest.approx(0.39, abs=5e-3)
    assert erlang.service_level(13, load, 180, 20) < 0.8
    assert erlang.service_level(14, load, 180, 20) == pytest.approx(0.8884, abs=5e-4)
    assert erlang.agents_for(load, 180, 20, 0.8) == 14


def test_overload_and_no_calls() -> None:
    assert erlang.erlang_c(10, 10.0) == 1.0 and erlang.service_level(10, 10.0, 180, 20) == 0.0
    assert erlang.mean_wait(9, 10.0, 180) == math.inf
    assert erlang.agents_for(0.0, 180, 20, 0.9) == 0
    assert erlang.erlang_c(300, 250.0) < 0.5  # the recursion is stable for large centres


# -- against a simulation ------------------------------------------------------------------------


def _simulate(rates_per_hour: dict[str, float], agents: int, handle: float, hours: float,
              seed: int = 7) -> dict[str, list[float]]:
    """Waits by level in an M/M/N queue worked most urgent first (priority 0 first; first come
    first served within a level), as the centre's queue is, simulated with simpy."""
    rng = random.Random(seed)
    env = simpy.Environment()
    officers = simpy.PriorityResource(env, capacity=agents)
    waits: dict[str, list[float]] = {lv: [] for lv in rates_per_hour}

    def call(level: str, priority: int) -> simpy.events.ProcessGenerator:
        arrived = env.now
        with officers.request(priority=priority) as turn:
            yield turn
            waits[level].append(env.now - arrived)
            yield env.timeout(rng.expovariate(1 / handle))

    def arrivals(level: str, priority: int, rate: float) -> simpy.events.ProcessGenerator:
        while True:
            yield env.timeout(rng.expovariate(rate / 3600))
            env.process(call(level, priority))

    for priority, (level, rate) in enumerate(rates_per_hour.items()):
        if rate > 0:
            env.process(arrivals(level, priority, rate))
    env.run(until=hours * 3600)
    return waits


def _within(waits: list[float], seconds: float) -> float:
    return sum(w <= seconds for w in waits) / len(waits)


def test_erlang_c_agrees_with_a_simulation() -> None:
    """One level (first come first served): the published case simulated for 300 hours
    (about 60,000 calls) answers 88.8% +- 1.5 points within 20 s, as the formula says."""
    waits = _simulate({"all": 200.0}, agents=14, handle=180, hours=300)["all"]
    assert len(waits) > 55_000
    assert _within(waits, 20) == pytest.approx(0.8884, abs=0.015)
    assert sum(waits) / len(waits) == pytest.approx(erlang.mean_wait(14, 10.0, 180), rel=0.2)


@pytest.mark.parametrize("calls", [
    {"emergency": 30.0, "high": 10.0, "medium": 4.0, "low": 2.0},
    {"emergency": 60.0, "high": 20.0, "medium": 8.0, "low": 4.0},
    {"emergency": 10.0, "high": 40.0, "medium": 30.0, "low": 20.0},
    {"emergency": 12.0, "high": 3.0},  # a quiet night: the emergencies' 10 minutes decide
])
def test_the_officers_forecast_meet_every_levels_limit_in_a_simulation(
        calls: dict[str, float]) -> None:
    """An hour's people's calls by level, five-minute calls, worked most urgent first in a
    simulation of 300 hours: with the forecast's officers 90% of each level (less 1.5 points of
    the simulation's noise) is contacted within its limit; when a level decides the number, one
    officer fewer misses that level's limit."""
    limits = {"emergency": 10.0, "high": 30.0, "medium": 120.0, "low": 1440.0}
    r = staffing.Rates(300.0, 1.0, 0.3, 1.6, {})
    officers, deciding = staffing.officers_for(calls, limits, r, 0.9)
    assert deciding is not None
    assert erlang.traffic(sum(calls.values()), 300) / officers <= staffing.MAX_OCCUPANCY
    waits = _simulate(calls, agents=officers, handle=300, hours=300)
    for level in calls:
        assert _within(waits[level], limits[level] * 60) >= 0.9 - 0.015, level
    if deciding != staffing.OCCUPANCY:
        fewer = _simulate(calls, agents=officers - 1, handle=300, hours=300)
        assert _within(fewer[deciding], limits[deciding] * 60) < 0.9


def test_priority_levels_agree_with_the_simulation() -> None:
    """The per-level shares of the priority formula against the simulation, level by level, at
    the 85% occupancy the forecast allows at most (and targets where the levels differ)."""
    calls = {"emergency": 30.0, "high": 20.0, "medium": 10.0, "low": 1.2}
    targets = [120.0, 300.0, 600.0, 900.0]
    loads = [erlang.traffic(c, 300) for c in calls.values()]
    formula = erlang.priority_service_levels(6, loads, 300, targets)
    waits = _simulate(calls, agents=6, handle=300, hours=400)
    simulated = [_within(got, target) for got, target in zip(waits.values(), targets, strict=True)]
    # The first level's is exact (Erlang C on its own load), the second's close; below them the
    # exponential tail errs on the safe side: never more than the simulation, by ~10 points at
    # most, so the forecast never promises what the officers cannot do.
    assert formula[0] == pytest.approx(simulated[0], abs=0.025)
    assert formula[1] == pytest.approx(simulated[1], abs=0.035)
    for want, got in zip(formula[2:], simulated[2:], strict=True):
        assert got - 0.12 <= want <= got + 0.015


# -- from the store's history -------------------------------------------------------------------


DAY0 = timeutil.parse("2026-11-01 00:00", tz="Asia/Shanghai")


def _centre(tmp_path: Path, *, days: int = 14, robot: bool = False) -> Store:
    """`days` days of warnings: 8 an hour from 08:00 to 20:00 and 4 an hour at night (level
    mix: a quarter each), each called by a person for 240 s, every fourth one twice."""
    store = Store(tmp_path / "centre.db")
    rows = []
    n = 0
    for _day in range(days):
        for hour in range(24):
            for _k in range(8 if 8 <= hour < 20 else 4):
                n += 1
                rows.append(warning_data(n, phone=f"138{n:08d}",
                                         risk_level=("emergency", "high", "medium", "low")[n % 4]))
    store.add_warnings(rows, actor="feed")
    # Arrival times spread over the hours (the ingest stamps them all now).
    store.conn.execute("BEGIN")
    n = 0
    for day in range(days):
        for hour in range(24):
            per_hour = 8 if 8 <= hour < 20 else 4
            for k in range(per_hour):
                n += 1
                at = DAY0 + day * 86400 + hour * 3600 + k * 3600 / per_hour
                store.conn.execute("UPDATE warnings SET arrived_at = ?, reported_at = ?, "
                                   "deadline = ? WHERE id = ?", (at, at, at + 600, n))
                calls = 2 if n % 4 == 0 else 1
                for c in range(calls):
                    officer = "robot" if robot and n % 4 in (2, 3) and c == 0 else "officer-1"
                    outcome = "dissuaded" if officer == "robot" and n % 8 == 2 else "no_answer"
                    store.conn.execute(
                        "INSERT INTO attempts (client_id, warning_id, officer, outcome, "
                        "started_at, ended_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (f"a-{n}-{c}", n, officer, outcome, at + 60, at + 300, at + 300))
    store.conn.commit()
    return store


def test_the_forecast_reads_the_history_it_has(tmp_path: Path) -> None:
    store = _centre(tmp_path, days=14)
    now = DAY0 + 14 * 86400 + 3600  # 01:00 on the fifteenth day: the next shift is 08:00-20:00
    f = store.staffing_forecast(now=now, weeks=4)
    assert f["history"]["days"] == pytest.approx(14.0, abs=0.05)  # 4 weeks asked, 14 days held
    assert f["history"]["warnings"] == 14 * (12 * 8 + 12 * 4)
    assert f["rates"]["handle_seconds"] == 240.0 and f["rates"]["measured"]["handle_seconds"]
    assert f["rates"]["calls_per_warning"] == 1.25
    assert not f["rates"]["measured"]["robot_confirm"]
    assert any("30%" in a for a in f["assumptions"])  # the robot's share is a stated assumption
    assert [h["hour"] for h in f["hours"]] == [f"{h:02d}:00" for h in range(8, 20)]
    day = f["hours"][0]
    assert day["arrivals"] == {"emergency": 2.0, "high": 2.0, "medium": 2.0, "low": 2.0}
    # 8 warnings an hour x 1.25 calls x 240 s = 0.67 Erlang on one officer: a call waits with
    # probability C(1, 0.67) = 0.67, an emergency then for 240 / (1 - 1/6) = 288 s on average,
    # so 1 - 0.67 exp(-600 / 288) = 91.7% are called within 10 minutes: one officer will do.
    assert day["people_calls"] == 10.0
    assert erlang.priority_service_levels(1, [10 / 4 * 240 / 3600] * 4, 240,
                                          [600, 1800, 7200, 86400])[0] == pytest.approx(
        1 - 2 / 3 * math.exp(-600 / 288), abs=1e-9)
    assert day["officers"] == 1 and day["deciding_level"] == "emergency"
    # With the robot the medium and low warnings go to the robot first (robot hours 08-21):
    # 30% confirmed, the rest handed to people one level higher; fewer calls for people.
    assert day["robot_calls"] == pytest.approx(4 * 1.6)
    assert day["people_calls_with_robot"] == pytest.approx(
        2 * 1.25 * 2 + 4 * 0.7 * 1.25 + 4 * 0.3 * 0.1)
    assert day["officers_with_robot"] <= day["officers"]
    store.close()


def test_the_robots_own_confirm_rate_is_used_once_it_has_one(tmp_path: Path) -> None:
    store = _centre(tmp_path, days=3, robot=True)
    f = store.staffing_forecast(now=DAY0 + 3 * 86400 + 3600)
    assert f["rates"]["measured"]["robot_confirm"]
    assert f["rates"]["robot_confirm"] == pytest.approx(0.25, abs=0.01)  # one in four, key 1
    assert f["history"]["robot_warnings"] > 30
    assert not any("robot confirm rate assumed" in a for a in f["assumptions"])
    store.close()


def test_an_empty_centre_forecasts_nobody(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    f = store.staffing_forecast()
    assert f["history"]["warnings"] == 0 and f["peak"] == 0 and len(f["hours"]) == 12
    store.close()


def test_through_a_hub_as_on_the_file(tmp_path: Path) -> None:
    """A lead's forecast is the same through the hub as on the file; an officer's is refused."""
    from dissuade.domain.errors import Forbidden
    from dissuade.sources import open_source
    from tests.hubs import ThreadHub, make_users

    store = _centre(tmp_path, days=2)
    store.close()
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    hub = ThreadHub(db, tokens).start()
    try:
        lead = open_source(hub.url, token=tokens["lead-1"])
        officer = open_source(hub.url, token=tokens["officer-a"])
        local = open_source(db, user="lead-1")
        try:
            start = DAY0 + 2 * 86400 + 8 * 3600
            over_hub = lead.staffing_forecast(start=start, weeks=1)
            on_file = local.staffing_forecast(start=start, weeks=1)
            assert over_hub["history"] == on_file["history"]
            assert over_hub["hours"] == on_file["hours"] and len(on_file["hours"]) == 12
            with pytest.raises(Forbidden):
                officer.staffing_forecast()
        finally:
            for s in (lead, officer, local):
                s.close()
    finally:
        hub.stop()


def test_the_handover_report_carries_the_next_shifts_forecast(tmp_path: Path) -> None:
    """`dissuade report` adds the forecast of the shift its period hands over to, as a section
    of the CSV, the XLSX and the PDF; the dashboard's data (shift_report alone) stays without."""
    import csv

    import openpyxl
    from pypdf import PdfReader

    from tests.hubs import run_cli

    store = _centre(tmp_path, days=3)
    store.close()
    db = tmp_path / "centre.db"
    period = ["--from", "2026-11-04 08:00", "--to", "2026-11-04 20:00"]
    for fmt in ("csv", "xlsx", "pdf"):
        done = run_cli("report", "--db", str(db), *period, "-o", str(tmp_path / f"r.{fmt}"))
        assert done.returncode == 0, done.stderr
    rows = list(csv.reader((tmp_path / "r.csv").open(encoding="utf-8-sig")))
    at = next(i for i, r in enumerate(rows) if r and r[0].startswith("下一班排班预测"))
    assert rows[at + 2][0] == "2026-11-04 20:00" and rows[at + 13][0] == "2026-11-05 07:00"
    assert rows[at + 14][0] == "人·小时 / officer-hours"
    # History: from its first warning (11-01 00:00) to the forecast shift (11-04 20:00).
    assert "based on 3.8 天 / days" in rows[at + 15][0] and "432 条预警" in rows[at + 15][0]
    assert "估计 / assumed" in rows[at + 15][0]
    book = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)
    assert any("排班预测" in name for name in book.sheetnames)
    pdf_text = "".join(page.extract_text() for page in PdfReader(tmp_path / "r.pdf").pages)
    assert "下一班排班预测" in pdf_text
    store = Store(db)
    assert "forecast" not in store.shift_report(user="lead", start=DAY0, end=DAY0 + 3600)
    store.close()


def test_a_shift_outside_2000_to_2100_is_refused(tmp_path: Path) -> None:
    from dissuade.domain.errors import InvalidInput

    store = Store(tmp_path / "c.db")
    for start in (-62135596800.0, 253402300000.0):
        with pytest.raises(InvalidInput) as refused:
            store.staffing_forecast(start=start)
        assert refused.value.field == "from"
    store.close()
