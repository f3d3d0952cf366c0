"""`GET /metrics`: the hub's figures in Prometheus' text format, made by prometheus-client.

Two kinds of figure (README, "Metrics (监控指标)"):

- **from the database** (the queue by level, overdue warnings, live claims, the shift's attempts
  and robot calls, escalations under way, stop-payment holds): read at each scrape by
  `dissuade.store.gauges`, a few index reads, so every hub process over one database answers
  the same;
- **from this process** (requests and their latency by route, outbox replays, database-busy
  answers): counters that start at zero when the process starts, as Prometheus expects of
  counters; with several hub processes, sum them over the processes (`sum by (route)`).

Each app has a registry of its own (tests run several hubs in one process). Route labels are
the route's template (`/api/v1/warnings/{warning_id}/claim`), never the path a client sent, so
the number of series stays fixed whatever clients send.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.registry import Collector

from dissuade import __version__
from dissuade.domain import timeutil
from dissuade.hub.errors import BUSY_SCOPE_KEY
from dissuade.store import gauges

# No `*_created` series beside each counter and histogram: noise on every board.
disable_created_metrics()
CONTENT_TYPE = CONTENT_TYPE_LATEST
REPLAY_HEADER = b"x-dissuade-replay"  # sent by the officer's outbox when it replays an item
OTHER_ROUTE = "other"  # a path no route matched (a 404)
# Seconds: a claim takes a few milliseconds, a report seconds, a long poll up to 60.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


def route_of(scope: dict[str, Any]) -> str:
    """The template of the route that answered, or OTHER_ROUTE."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else OTHER_ROUTE


class DatabaseFigures(Collector):
    """The database's figures, read at each scrape on the scraping request's own connection."""

    def __init__(self, store: Callable[[], Any]) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        store = self.store()
        now = timeutil.now()
        policy = store.policy()
        shift = timeutil.current_shift(now, tz=policy.timezone, starts=policy.shift_starts)
        g = gauges.read(store.conn, now=now, shift=shift)

        queue = GaugeMetricFamily("dissuade_queue_warnings", "Warnings in the queue now (open, "
                                  "due, not reserved for one officer), by level", labels=["level"])
        for level, n in g.queue.items():
            queue.add_metric([level], n)
        yield queue
        overdue = GaugeMetricFamily("dissuade_overdue_warnings", "Open warnings never called "
                                    "and past their first-contact limit, by level",
                                    labels=["level"])
        for level, n in g.overdue.items():
            overdue.add_metric([level], n)
        yield overdue
        yield GaugeMetricFamily("dissuade_claims", "Warnings held under a live claim now",
                                value=g.claims)
        attempts = GaugeMetricFamily("dissuade_shift_attempts", "People's call attempts "
                                     "recorded in the current shift, by outcome",
                                     labels=["outcome"])
        for outcome, n in sorted(g.attempts.items()):
            attempts.add_metric([outcome], n)
        yield attempts
        robot = GaugeMetricFamily("dissuade_shift_robot_calls", "The robot's calls recorded "
                                  "in the current shift, by result (the outcome recorded)",
                                  labels=["result"])
        for outcome, n in sorted(g.robot_calls.items()):
            robot.add_metric([outcome], n)
        yield robot
        yield GaugeMetricFamily("dissuade_shift_start_seconds", "When the current shift began "
                                "(Unix time)", value=g.shift_start)
        escalations = GaugeMetricFamily("dissuade_escalations", "Escalations under way, by kind "
                                        "and state", labels=["kind", "state"])
        for (kind, state), n in g.escalations.items():
            escalations.add_metric([kind, state], n)
        yield escalations
        yield GaugeMetricFamily("dissuade_holds_running", "Stop-payment holds in force now",
                                value=g.holds_running)
        yield GaugeMetricFamily("dissuade_holds_lapsed", "Stop-payment holds that ran out with "
                                "nobody acting (the card lock is still 'locked')",
                                value=g.holds_lapsed)
        left = GaugeMetricFamily("dissuade_hold_next_end_seconds", "Seconds until the first "
                                 "running stop-payment hold ends (absent when none runs)")
        if g.hold_next_end is not None:
            left.add_metric([], g.hold_next_end - now)
        yield left


class HubMetrics:
    """One hub app's registry: its process counters and the database's figures."""

    def __init__(self, store: Callable[[], Any]) -> None:
        self.registry = CollectorRegistry(auto_describe=False)  # never a read at start
        self.requests = Histogram(
            "dissuade_http_request_duration_seconds", "Time from a request's arrival to the "
            "end of its answer, by route template and method", ["route", "method"],
            buckets=BUCKETS, registry=self.registry)
        self.statuses = Counter(
            "dissuade_http_responses", "Answers by route template and status code",
            ["route", "status"], registry=self.registry)
        self.replays = Counter(
            "dissuade_outbox_replays", "Requests an officer's offline outbox sent again once "
            "the hub answered, by route template", ["route"], registry=self.registry)
        self.busy = Counter(
            "dissuade_database_busy", "Answers 503 because the database was busy or "
            "unavailable", registry=self.registry)
        info = InfoMetricFamily("dissuade_hub", "This hub's version", value={
            "version": __version__})
        self.registry.register(_Fixed([info]))
        self.registry.register(DatabaseFigures(store))
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)

    def observe(self, scope: dict[str, Any], status: int, began: float) -> None:
        """Count one answered request (called by guard.LastResort once the answer is out)."""
        route = route_of(scope)
        self.requests.labels(route, str(scope.get("method", ""))).observe(
            time.perf_counter() - began)
        self.statuses.labels(route, str(status)).inc()
        if scope.get(BUSY_SCOPE_KEY):
            self.busy.inc()
        for name, value in scope.get("headers") or ():
            if name == REPLAY_HEADER and value.strip() == b"1":
                self.replays.labels(route).inc()
                break

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _Fixed(Collector):
    def __init__(self, metrics: list[Metric]) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        yield from self.metrics


__all__ = ["HubMetrics", "CONTENT_TYPE", "REPLAY_HEADER", "BUSY_SCOPE_KEY", "route_of"]
