"""The hub's HTTP rules: who may call what, and the status of every kind of bad request."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import httpx
import pytest

from tests.conftest import warning_data
from tests.hubs import USERS, ThreadHub, make_users

OFFICER_OR_LEAD = {"officer", "lead"}
# (method, path, body, roles allowed): every route of DESIGN.md's table and our extensions.
ROUTES = [
    ("POST", "/api/v1/warnings", warning_data(900), {"feed", "lead", "admin"}),
    ("POST", "/api/v1/warnings/batch", {"warnings": [warning_data(901)]}, {"feed", "lead", "admin"}),
    ("GET", "/api/v1/queue", None, OFFICER_OR_LEAD),
    ("GET", "/api/v1/queue/size", None, OFFICER_OR_LEAD),
    ("POST", "/api/v1/queue/claim-next", None, OFFICER_OR_LEAD),
    ("POST", "/api/v1/warnings/{w}/claim", None, OFFICER_OR_LEAD),
    ("POST", "/api/v1/warnings/{w}/release", None, OFFICER_OR_LEAD),
    ("GET", "/api/v1/warnings/{w}", None, OFFICER_OR_LEAD),
    ("POST", "/api/v1/warnings/{w}/attempts", {"client_id": "x", "outcome": "dissuaded"},
     OFFICER_OR_LEAD),
    ("POST", "/api/v1/warnings/{w}/escalations",
     {"client_id": "y", "kind": "door_visit", "reason": "r"}, OFFICER_OR_LEAD),
    ("POST", "/api/v1/escalations/{e}/decision", {"decision": "approve"}, {"lead"}),
    ("POST", "/api/v1/escalations/{e}/status", {"status": "dispatched"}, OFFICER_OR_LEAD),
    ("GET", "/api/v1/escalations/pending", None, OFFICER_OR_LEAD),
    ("GET", "/api/v1/stats", None, {"lead"}),
    ("GET", "/api/v1/events?timeout=0", None, OFFICER_OR_LEAD),
    ("POST", "/api/v1/warnings/{w}/retype", {"scam_type": "fake_loan"}, OFFICER_OR_LEAD),
    ("POST", "/api/v1/warnings/{w}/messages", {"client_id": "m", "text": "t", "via": "clipboard"},
     OFFICER_OR_LEAD),
    ("POST", "/api/v1/warnings/{w}/raise-level", {"level": "emergency", "reason": "r"},
     OFFICER_OR_LEAD),
    ("GET", "/api/v1/warnings/{w}/why", None, OFFICER_OR_LEAD),
    ("GET", "/api/v1/escalations/holds", None, OFFICER_OR_LEAD),
    ("GET", "/api/v1/escalations/active", None, OFFICER_OR_LEAD),
    ("GET", "/api/v1/escalations/{e}", None, OFFICER_OR_LEAD),
    ("POST", "/api/v1/escalations/{e}/extend-hold", {"note": ""}, {"lead"}),
    ("PUT", "/api/v1/policy/levels/low", {"max_failed_attempts": 5}, {"lead"}),
    ("POST", "/api/v1/rehearsals", {"scam_type": "fake_loan", "points_made": 1,
                                    "points_total": 2}, {"officer", "lead", "trainer"}),
    ("GET", "/api/v1/rehearsals", None, {"officer", "lead", "trainer"}),
    ("GET", "/api/v1/me", None, set(USERS.values())),
    ("GET", "/api/v1/policy", None, set(USERS.values())),
]


@pytest.fixture
def ids(hub: ThreadHub) -> dict[str, int]:
    """A warning and an escalation to aim the routes at."""
    headers = {"Authorization": f"Bearer {hub.tokens['lead-1']}"}
    with httpx.Client(base_url=hub.url, headers=headers) as c:
        w = c.post("/api/v1/warnings", json=warning_data(1)).json()["id"]
        c.post(f"/api/v1/warnings/{w}/claim")
        e = c.post(f"/api/v1/warnings/{w}/escalations",
                   json={"client_id": "e0", "kind": "door_visit", "reason": "test"}).json()["id"]
        c.post(f"/api/v1/escalations/{e}/decision", json={"decision": "approve"})
    return {"w": w, "e": e}


def _call(hub: ThreadHub, method: str, path: str, body: object, token: str | None,
          ids: dict[str, int]) -> httpx.Response:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    return httpx.request(method, hub.url + path.format(**ids), json=body, headers=headers,
                         timeout=10)


def test_health_needs_no_token(hub: ThreadHub) -> None:
    assert httpx.get(f"{hub.url}/api/v1/health").json() == {"status": "ok"}
    assert httpx.get(f"{hub.url}/openapi.json").json()["info"]["title"] == "dissuade hub"


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ROUTES,
                         ids=[f"{m} {p}" for m, p, _, _ in ROUTES])
def test_auth_matrix(hub: ThreadHub, ids: dict[str, int], method: str, path: str,
                     body: object, allowed: set[str]) -> None:
    assert _call(hub, method, path, body, None, ids).status_code == 401
    bad = _call(hub, method, path, body, "dsd_not-a-real-token", ids)
    assert bad.status_code == 401 and bad.headers["www-authenticate"] == "Bearer"
    for user, role in USERS.items():
        response = _call(hub, method, path, body, hub.tokens[user], ids)
        if role in allowed:
            assert response.status_code not in (401, 403), (user, response.text)
        else:
            assert response.status_code == 403, (user, response.status_code)
            assert role in response.json()["detail"]


def test_revoked_token_stops_working(hub: ThreadHub) -> None:
    from dissuade.store import Store

    store = Store(hub.db)
    token = store.add_user("officer-c", role="officer")
    ok = httpx.get(f"{hub.url}/api/v1/queue/size", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    store.revoke_user("officer-c")
    store.close()
    gone = httpx.get(f"{hub.url}/api/v1/queue/size", headers={"Authorization": f"Bearer {token}"})
    assert gone.status_code == 401


def test_bad_requests_get_the_status_that_names_the_problem(hub: ThreadHub,
                                                            ids: dict[str, int]) -> None:
    lead = {"Authorization": f"Bearer {hub.tokens['lead-1']}"}
    other = {"Authorization": f"Bearer {hub.tokens['officer-a']}"}
    with httpx.Client(base_url=hub.url, headers=lead) as c:
        invalid = c.post("/api/v1/warnings", json=warning_data(2, phone="12345"))
        assert invalid.status_code == 422
        assert invalid.json()["detail"][0]["loc"] == ["body", "phone"]
        wrong_type = c.post("/api/v1/warnings", json=warning_data(2, synthetic="maybe"))
        assert wrong_type.status_code == 422
        assert wrong_type.json()["detail"][0]["loc"][-1] == "synthetic"
        assert c.post("/api/v1/warnings", content=b"{not json",
                      headers={"content-type": "application/json"}).status_code == 422
        assert c.get("/api/v1/warnings/99999").status_code == 404
        assert c.get("/api/v1/warnings/abc").status_code == 422
        assert c.get(f"/api/v1/warnings/{2**70}").status_code == 422
        huge = c.post("/api/v1/warnings", content=b"x" * (5 * 1024 * 1024),
                      headers={"content-type": "application/json"})
        assert huge.status_code == 413
        w = c.post("/api/v1/warnings", json=warning_data(3)).json()["id"]
        assert c.post(f"/api/v1/warnings/{w}/claim").status_code == 200
    held = httpx.post(f"{hub.url}/api/v1/warnings/{w}/claim", headers=other)
    assert held.status_code == 409 and held.json()["holder"] == "lead-1"
    attempt = httpx.post(f"{hub.url}/api/v1/warnings/{w}/attempts", headers=other,
                         json={"client_id": "z", "outcome": "dissuaded"})
    assert attempt.status_code == 409 and "lead-1" in attempt.json()["detail"]


def test_created_answers_201_and_a_repeat_answers_200_with_the_same_record(hub: ThreadHub) -> None:
    lead = {"Authorization": f"Bearer {hub.tokens['lead-1']}"}
    with httpx.Client(base_url=hub.url, headers=lead) as c:
        first = c.post("/api/v1/warnings", json=warning_data(5))
        again = c.post("/api/v1/warnings", json=warning_data(5))
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["id"] == again.json()["id"]
        w = first.json()["id"]
        c.post(f"/api/v1/warnings/{w}/claim")
        body = {"client_id": "same", "outcome": "no_answer"}
        a1 = c.post(f"/api/v1/warnings/{w}/attempts", json=body)
        a2 = c.post(f"/api/v1/warnings/{w}/attempts", json=body)
        assert (a1.status_code, a2.status_code) == (201, 200)
        assert a1.json() == a2.json()
        assert c.post("/api/v1/queue/claim-next").status_code in (200, 204)


def test_a_locked_database_answers_503_with_retry_after(tmp_path: Path) -> None:
    db = tmp_path / "busy.db"
    tokens = make_users(db)
    hub = ThreadHub(db, tokens, busy_timeout_ms=200).start()
    locker = sqlite3.connect(db, isolation_level=None)
    try:
        locker.execute("BEGIN EXCLUSIVE")
        response = httpx.post(f"{hub.url}/api/v1/warnings", json=warning_data(1), timeout=30,
                              headers={"Authorization": f"Bearer {tokens['feed-1']}"})
        assert response.status_code == 503
        assert response.headers["retry-after"].isdigit()
    finally:
        locker.execute("ROLLBACK")
        locker.close()
        hub.stop()
    again = ThreadHub(db, tokens).start()
    ok = httpx.post(f"{again.url}/api/v1/warnings", json=warning_data(1),
                    headers={"Authorization": f"Bearer {tokens['feed-1']}"})
    assert ok.status_code == 201
    again.stop()


def test_32_concurrent_claimers_empty_the_queue_without_a_double_claim(hub: ThreadHub) -> None:
    from dissuade.store import Store

    store = Store(hub.db)
    tokens = {f"claimer-{i:02d}": store.add_user(f"claimer-{i:02d}", role="officer")
              for i in range(32)}
    store.add_warnings([warning_data(n, risk_level=["emergency", "high", "medium", "low"][n % 4])
                        for n in range(400)], actor="feed-1")
    store.close()
    claimed: dict[str, list[int]] = {}
    start = threading.Barrier(len(tokens))

    def claimer(name: str, token: str) -> None:
        got: list[int] = []
        with httpx.Client(base_url=hub.url, timeout=30,
                          headers={"Authorization": f"Bearer {token}"}) as c:
            start.wait()
            while True:
                r = c.post("/api/v1/queue/claim-next")
                assert r.status_code in (200, 204), r.text
                if r.status_code == 204:
                    break
                got.append(r.json()["id"])
        claimed[name] = got

    threads = [threading.Thread(target=claimer, args=item) for item in tokens.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    every = [w for got in claimed.values() for w in got]
    assert len(claimed) == 32
    assert len(every) == len(set(every)) == 400
    assert sum(1 for got in claimed.values() if got) > 1
