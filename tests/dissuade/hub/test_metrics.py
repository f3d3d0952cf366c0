"""GET /metrics: Prometheus' text format, read back with the library's own parser, showing what a
centre's monitoring would: the queue by level after warnings arrive, attempts after an officer
records them, escalations and holds, replays from an officer's outbox, latency by route
template; and only an admin or a metrics token reads it."""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from dissuade.domain.errors import HubUnreachable
from dissuade.sources.http import HttpSource
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import SharedHub, ThreadHub, make_users

ATTEMPTS_ROUTE = "/api/v1/warnings/{warning_id}/attempts"


def scrape(hub: SharedHub | ThreadHub, token: str) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    """name -> {labels: value} of every sample, as Prometheus would read them."""
    answer = httpx.get(f"{hub.url}/metrics", headers={"Authorization": f"Bearer {token}"},
                       timeout=10)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    found: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            found.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def value(figures: dict[str, dict[tuple[tuple[str, str], ...], float]], name: str,
          **labels: str) -> float:
    return figures.get(name, {}).get(tuple(sorted(labels.items())), 0.0)


def add_scraper(db: Path | str) -> str:
    store = Store(db)
    try:
        return store.add_user("prometheus", role="metrics")
    finally:
        store.close()


def test_only_admin_and_metrics_tokens_read_the_metrics(hub: SharedHub) -> None:
    scraper = add_scraper(hub.db)
    url = f"{hub.url}/metrics"
    assert httpx.get(url, timeout=10).status_code == 401
    assert httpx.get(url, headers={"Authorization": "Bearer dsd_wrong"},
                     timeout=10).status_code == 401
    for user in ("officer-a", "lead-1", "feed-1", "trainer-1"):
        answer = httpx.get(url, headers={"Authorization": f"Bearer {hub.tokens[user]}"},
                           timeout=10)
        assert answer.status_code == 403, user
    for token in (hub.tokens["admin-1"], scraper):
        assert "dissuade_queue_warnings" in httpx.get(
            url, headers={"Authorization": f"Bearer {token}"}, timeout=10).text
    # The metrics role reads nothing else: not the queue, not a warning.
    for path in ("/api/v1/queue", "/api/v1/policy", "/api/v1/gateways", "/api/v1/stats"):
        assert httpx.get(f"{hub.url}{path}", headers={"Authorization": f"Bearer {scraper}"},
                         timeout=10).status_code == 403, path


# The hub over SQLite and over PostgreSQL (the hub fixture reads `sources`).
@pytest.mark.parametrize("sources", ["hub", "hub-pg"])
def test_the_figures_follow_what_the_centre_does(hub: SharedHub, tmp_path: Path,
                                                 sources: str) -> None:
    scraper = add_scraper(hub.db)
    before = scrape(hub, scraper)
    assert value(before, "dissuade_queue_warnings", level="emergency") == 0

    feed = HttpSource(hub.url, token=hub.tokens["feed-1"], outbox_path=str(tmp_path / "f.db"))
    levels = ["emergency", "emergency", "high", "low", "low", "low"]
    for n, level in enumerate(levels, start=1):
        feed.add_warning(warning_data(n, risk_level=level))
    # One arrives already past its limit (reported two days ago): overdue at once.
    feed.add_warning(warning_data(50, risk_level="medium",
                                  reported_at="2026-01-01T08:00:00+08:00"))
    feed.close()
    figures = scrape(hub, scraper)
    assert {level: value(figures, "dissuade_queue_warnings", level=level)
            for level in ("emergency", "high", "medium", "low")} == \
        {"emergency": 2, "high": 1, "medium": 1, "low": 3}
    assert value(figures, "dissuade_overdue_warnings", level="medium") == 1
    assert value(figures, "dissuade_overdue_warnings", level="emergency") == 0

    officer = HttpSource(hub.url, token=hub.tokens["officer-a"],
                         outbox_path=str(tmp_path / "o.db"))
    first = officer.claim_next()
    assert first is not None and first.risk_level == "emergency"
    figures = scrape(hub, scraper)
    assert value(figures, "dissuade_claims") == 1
    assert value(figures, "dissuade_queue_warnings", level="emergency") == 1
    officer.record_attempt(first.id, outcome="no_answer")
    second = officer.claim_next()
    assert second is not None
    officer.record_attempt(second.id, outcome="dissuaded")
    third = officer.claim_next()
    assert third is not None
    officer.record_attempt(third.id, outcome="brainwashed")  # proposes an escalation
    officer.close()
    figures = scrape(hub, scraper)
    assert value(figures, "dissuade_shift_attempts", outcome="no_answer") == 1
    assert value(figures, "dissuade_shift_attempts", outcome="dissuaded") == 1
    assert value(figures, "dissuade_shift_attempts", outcome="brainwashed") == 1
    assert value(figures, "dissuade_claims") == 0
    assert sum(figures.get("dissuade_escalations", {}).values()) == 1
    assert value(figures, "dissuade_holds_running") == 0
    assert figures.get("dissuade_hold_next_end_seconds", {}) == {}
    # The robot has not called anyone: no robot figures at all.
    assert figures.get("dissuade_shift_robot_calls", {}) == {}
    # Latency by route template, never the path with its ids.
    claims = value(figures, "dissuade_http_request_duration_seconds_count",
                   route="/api/v1/queue/claim-next", method="POST")
    attempts = value(figures, "dissuade_http_request_duration_seconds_count",
                     route=ATTEMPTS_ROUTE, method="POST")
    assert claims == 3 and attempts == 3
    assert not any(f"/warnings/{first.id}/" in dict(labels).get("route", "")
                   for labels in figures["dissuade_http_request_duration_seconds_count"])
    assert value(figures, "dissuade_hub_info", version=__import__("dissuade").__version__) == 1


@pytest.mark.parametrize("sources", ["hub", "hub-pg"])
def test_a_hold_about_to_lapse_shows(hub: SharedHub, sources: str) -> None:
    scraper = add_scraper(hub.db)
    store = Store(hub.db)
    try:
        wid = int(store.add_warning(warning_data(1, cards=["6222021234567890128"]),
                                    actor="feed")[0].id)
        store.claim(wid, user="officer-a")
        store.record_attempt(wid, user="officer-a", outcome="brainwashed")
        (lock,) = [e for e in store.get(wid).escalations if e.kind == "card_lock"]
        store.decide_escalation(lock.id, user="lead-1", decision="approve", note="批准")
        for step in ("sent", "locked"):
            store.advance_escalation(lock.id, user="lead-1", status=step)
    finally:
        store.close()
    figures = scrape(hub, scraper)
    assert value(figures, "dissuade_holds_running") == 1
    left = value(figures, "dissuade_hold_next_end_seconds")
    assert 47 * 3600 < left <= 48 * 3600  # the default hold: 48 h
    assert value(figures, "dissuade_escalations", kind="card_lock", state="locked") == 1


def test_replays_from_an_officers_outbox_are_counted(hub: SharedHub, tmp_path: Path) -> None:
    scraper = add_scraper(hub.db)
    feed = HttpSource(hub.url, token=hub.tokens["feed-1"], outbox_path=str(tmp_path / "f.db"))
    feed.add_warning(warning_data(1))
    feed.close()
    officer = HttpSource(hub.url, token=hub.tokens["officer-a"],
                         outbox_path=str(tmp_path / "o.db"))
    try:
        warning = officer.claim_next()
        assert warning is not None
        hub.stop()
        kept = officer.record_attempt(warning.id, outcome="dissuaded")
        assert kept.pending
        with pytest.raises(HubUnreachable):
            officer.queue_size()
        hub.start()
        deadline = time.monotonic() + 10
        while officer.outbox_status()[0] and time.monotonic() < deadline:
            officer.replay_outbox()
            time.sleep(0.05)
        assert officer.outbox_status()[0] == 0
    finally:
        officer.close()
    figures = scrape(hub, scraper)
    assert value(figures, "dissuade_outbox_replays_total", route=ATTEMPTS_ROUTE) == 1
    assert value(figures, "dissuade_shift_attempts", outcome="dissuaded") == 1


def test_database_busy_answers_are_counted(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    tokens = make_users(db)
    scraper = add_scraper(db)
    hub = ThreadHub(db, tokens, busy_timeout_ms=200).start()
    locker = sqlite3.connect(db, isolation_level=None)
    try:
        locker.execute("BEGIN EXCLUSIVE")
        answer = httpx.post(f"{hub.url}/api/v1/warnings", json=warning_data(1), timeout=30,
                            headers={"Authorization": f"Bearer {tokens['feed-1']}"})
        assert answer.status_code == 503
        locker.execute("ROLLBACK")
        figures = scrape(hub, scraper)
    finally:
        locker.close()
        hub.stop()
    assert value(figures, "dissuade_database_busy_total") == 1
    assert value(figures, "dissuade_http_responses_total", route="/api/v1/warnings",
                 status="503") == 1


def test_readme_lists_every_figure_and_its_alert_rules_use_them(hub: SharedHub) -> None:
    path = Path(__file__).resolve().parents[3] / "README.md"
    readme = path.read_text(encoding="utf-8")
    table = readme.split("<!-- metrics-table -->")[1].split("<!-- /metrics-table -->")[0]
    listed = set(re.findall(r"^\| `(dissuade_[a-z_]+)`", table, flags=re.MULTILINE))
    answer = httpx.get(f"{hub.url}/metrics", timeout=10,
                       headers={"Authorization": f"Bearer {hub.tokens['admin-1']}"})
    served = set()
    for family in text_string_to_metric_families(answer.text):
        if family.name.startswith("dissuade_"):
            served.add({"counter": f"{family.name}_total", "info": f"{family.name}_info"}.get(
                family.type, family.name))
    assert listed == served
    rules = yaml.safe_load(readme.split("# /etc/prometheus/rules/dissuade.yml\n")[1]
                           .split("```")[0])
    alerts = {rule["alert"]: rule["expr"] for group in rules["groups"] for rule in group["rules"]}
    assert set(alerts) == {"DissuadeWarningsOverdue", "DissuadeHoldAboutToLapse"}
    for expr in alerts.values():
        assert set(re.findall(r"dissuade_[a-z_]+", expr)) <= listed


def test_two_hub_processes_over_one_database_give_the_same_database_figures(
        tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db)
    scraper = add_scraper(db)
    first, second = ThreadHub(db, tokens).start(), ThreadHub(db, tokens).start()
    try:
        for n, level in enumerate(["emergency", "high", "high"], start=1):
            httpx.post(f"{first.url}/api/v1/warnings", json=warning_data(n, risk_level=level),
                       headers={"Authorization": f"Bearer {tokens['feed-1']}"}, timeout=10)
        a, b = scrape(first, scraper), scrape(second, scraper)
    finally:
        first.stop()
        second.stop()
    for name in ("dissuade_queue_warnings", "dissuade_overdue_warnings", "dissuade_claims",
                 "dissuade_escalations", "dissuade_shift_attempts"):
        assert a.get(name) == b.get(name), name
    assert value(a, "dissuade_queue_warnings", level="high") == 2
    # Counters are each process's own: only the first answered the feed.
    posted = ("dissuade_http_responses_total", {"route": "/api/v1/warnings", "status": "201"})
    assert value(a, posted[0], **posted[1]) == 3 and value(b, posted[0], **posted[1]) == 0
