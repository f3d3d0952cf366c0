"""The Erlang C formula, as contact-centre planners use it: calls arriving at random (Poisson)
at `rate` a second, each taking `handle` seconds on average (exponentially distributed), served
first come first served by `agents` agents; those who find every agent busy wait.

- `traffic` (A, in Erlangs) = rate x handle: the agents' work, in agents kept busy.
- `erlang_c(agents, A)`: the probability that a call waits at all.
- `service_level(agents, A, handle, target)`: the share answered within `target` seconds,
  1 - C(N, A) * exp(-(N - A) * target / handle).
- `agents_for(A, handle, target, share)`: the fewest agents who answer `share` within `target`.
- `priority_service_levels` and `agents_for_priority`: the same when calls of several classes
  are answered most urgent class first (non-preemptive priority, one handle time for all), as
  the centre's queue works its levels. Whether a call waits at all is C(N, A) of the whole load;
  a waiting call of class k waits on average h / (N (1 - s[k-1]) (1 - s[k])), where s[k] is the
  occupancy of classes 1..k (Cobham's formula, exact for M/M/N); its wait is taken as
  exponential with that mean (exact for the first class, close for the others: see the tests'
  simulation).

Pure Python, no dependency: the sums are done in the stable recursive form (Erlang B's
recursion, then C from B), good for hundreds of agents.
"""

from __future__ import annotations

import math

MAX_AGENTS = 10_000


def traffic(rate_per_hour: float, handle_seconds: float) -> float:
    """Offered load in Erlangs: calls an hour times hours a call."""
    if rate_per_hour < 0 or handle_seconds < 0:
        raise ValueError("rate and handle time must not be negative")
    return rate_per_hour * handle_seconds / 3600.0


def erlang_b(agents: int, load: float) -> float:
    """Blocking probability of Erlang B (the recursion B(0) = 1, B(n) = A B(n-1) / (n + A B(n-1)))."""
    if agents < 0 or load < 0:
        raise ValueError("agents and load must not be negative")
    b = 1.0
    for n in range(1, agents + 1):
        b = load * b / (n + load * b)
    return b


def erlang_c(agents: int, load: float) -> float:
    """Probability that a call waits (every agent busy); 1 when the agents cannot keep up
    (agents <= load: the queue grows without bound)."""
    if load <= 0:
        return 0.0
    if agents <= load:
        return 1.0
    b = erlang_b(agents, load)
    return agents * b / (agents - load * (1 - b))


def service_level(agents: int, load: float, handle_seconds: float, target_seconds: float) -> float:
    """Share of calls answered within `target_seconds` (0 when the agents cannot keep up)."""
    if load <= 0:
        return 1.0
    if agents <= load:
        return 0.0
    wait = erlang_c(agents, load)
    return 1.0 - wait * math.exp(-(agents - load) * target_seconds / handle_seconds)


def mean_wait(agents: int, load: float, handle_seconds: float) -> float:
    """Average speed of answer in seconds: C(N, A) * handle / (N - A); inf when overloaded."""
    if load <= 0:
        return 0.0
    if agents <= load:
        return math.inf
    return erlang_c(agents, load) * handle_seconds / (agents - load)


def agents_for(load: float, handle_seconds: float, target_seconds: float, share: float) -> int:
    """The fewest agents answering at least `share` of calls within `target_seconds` (0 for no
    calls)."""
    if load <= 0:
        return 0
    if not 0 < share < 1:
        raise ValueError("share must be between 0 and 1")
    agents = max(1, math.floor(load) + 1)
    while service_level(agents, load, handle_seconds, target_seconds) < share:
        agents += 1
        if agents > MAX_AGENTS:
            raise ValueError("no staffing up to 10,000 agents meets the target")
    return agents


def priority_service_levels(agents: int, loads: list[float], handle_seconds: float,
                            targets: list[float]) -> list[float]:
    """For classes answered most urgent first (`loads[0]` first), each class's share answered
    within its `targets[k]` seconds (see the module's text); 0 for every class when the agents
    cannot keep up with the whole load."""
    total = sum(loads)
    if total <= 0:
        return [1.0 for _ in loads]
    if agents <= total:
        return [0.0 for _ in loads]
    waits = erlang_c(agents, total)
    out = []
    before = 0.0  # occupancy of the more urgent classes
    for load, target in zip(loads, targets, strict=True):
        upto = before + load / agents
        rate = agents * (1 - before) * (1 - upto) / handle_seconds  # 1 / conditional mean wait
        out.append(1.0 - waits * math.exp(-rate * target))
        before = upto
    return out


def agents_for_priority(loads: list[float], handle_seconds: float, targets: list[float],
                        share: float) -> int:
    """The fewest agents answering at least `share` of every class with calls within its
    target, classes answered most urgent first (0 for no calls)."""
    total = sum(loads)
    if total <= 0:
        return 0
    if not 0 < share < 1:
        raise ValueError("share must be between 0 and 1")
    agents = max(1, math.floor(total) + 1)
    while any(level < share for level, load in zip(
            priority_service_levels(agents, loads, handle_seconds, targets), loads, strict=True)
            if load > 0):
        agents += 1
        if agents > MAX_AGENTS:
            raise ValueError("no staffing up to 10,000 agents meets the target")
    return agents
