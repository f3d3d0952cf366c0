"""No 500, ever: text no database can store, a detail nested hundreds deep, a bug in a route.
And error bodies that never echo what was sent."""

from __future__ import annotations

import json
import logging
import socket
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from dissuade.domain import limits
from dissuade.domain.errors import InvalidInput
from dissuade.sources import LocalSource
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import ThreadHub, make_users

LONE = "\\ud800"  # as JSON writes a lone surrogate: valid JSON, no UTF-8 text
CARD = "6222020202020202026"  # Luhn-valid


@pytest.fixture
def ids(hub: ThreadHub) -> Iterator[dict[str, int]]:
    """A warning held by a lead, an escalation on it, a call to review, a card lock."""
    lead = {"Authorization": f"Bearer {hub.tokens['lead-1']}"}
    with httpx.Client(base_url=hub.url, headers=lead) as c:
        w = c.post("/api/v1/warnings", json=warning_data(1, cards=[CARD])).json()["id"]
        c.post(f"/api/v1/warnings/{w}/claim")
        e = c.post(f"/api/v1/warnings/{w}/escalations",
                   json={"client_id": "e0", "kind": "card_lock", "reason": "止付"}).json()["id"]
        called = c.post("/api/v1/warnings", json=warning_data(2)).json()["id"]
    officer = {"Authorization": f"Bearer {hub.tokens['officer-a']}"}
    with httpx.Client(base_url=hub.url, headers=officer) as c:
        c.post(f"/api/v1/warnings/{called}/claim")
        a = c.post(f"/api/v1/warnings/{called}/attempts",
                   json={"client_id": "a0", "outcome": "no_answer"}).json()["id"]
    yield {"w": w, "e": e, "a": a}


def send(hub: ThreadHub, method: str, path: str, raw: str, user: str = "lead-1",
         ) -> httpx.Response:
    return httpx.request(method, hub.url + path, content=raw.encode("utf-8"), timeout=20,
                         headers={"Authorization": f"Bearer {hub.tokens[user]}",
                                  "Content-Type": "application/json"})


# (method, path, JSON body as text with a lone surrogate in one field, where the 422 points)
SURROGATES = [
    ("POST", "/api/v1/warnings/{w}/attempts",
     f'{{"client_id": "c1", "outcome": "no_answer", "notes": "卡{LONE}"}}', ["body", "notes"]),
    ("POST", "/api/v1/warnings/{w}/attempts",
     f'{{"client_id": "{LONE}", "outcome": "no_answer"}}', ["body", "client_id"]),
    ("POST", "/api/v1/warnings/{w}/attempts", '{"client_id": "c4", "outcome": "brainwashed", '
     f'"escalation": {{"reason": "{LONE}"}}}}', ["body", "escalation", "reason"]),
    ("POST", "/api/v1/warnings/{w}/escalations",
     f'{{"client_id": "c2", "kind": "door_visit", "reason": "{LONE}"}}', ["body", "reason"]),
    ("POST", "/api/v1/escalations/{e}/decision", f'{{"decision": "reject", "note": "{LONE}"}}',
     ["body", "note"]),
    ("POST", "/api/v1/escalations/{e}/status", f'{{"status": "sent", "note": "{LONE}"}}',
     ["body", "note"]),
    ("POST", "/api/v1/escalations/{e}/extend-hold", f'{{"note": "{LONE}"}}', ["body", "note"]),
    ("POST", "/api/v1/warnings/{w}/retype", f'{{"scam_type": "fake_loan", "reason": "{LONE}"}}',
     ["body", "reason"]),
    ("POST", "/api/v1/warnings/{w}/messages",
     f'{{"client_id": "m1", "text": "{LONE}", "via": "clipboard"}}', ["body", "text"]),
    ("POST", "/api/v1/warnings/{w}/raise-level", f'{{"level": "emergency", "reason": "{LONE}"}}',
     ["body", "reason"]),
    ("POST", "/api/v1/warnings/{w}/reveal", f'{{"field": "cards", "reason": "{LONE}"}}',
     ["body", "reason"]),
    ("POST", "/api/v1/attempts/{a}/review", f'{{"verdict": "fail", "comment": "{LONE}"}}',
     ["body", "comment"]),
    ("POST", "/api/v1/rehearsals", '{"scam_type": "fake_loan", "points_made": 1, '
     f'"points_total": 2, "detail": [{{"answer": "{LONE}"}}]}}', ["body", "detail", 0, "answer"]),
    ("PUT", "/api/v1/policy/settings", f'{{"stations": {{"{LONE}": "x"}}}}',
     ["body", "stations", "?"]),
    ("PUT", "/api/v1/policy/levels/low", f'{{"retry_no_answer_minutes": "{LONE}"}}',
     ["body", "retry_no_answer_minutes"]),
    ("POST", "/api/v1/warnings", f'{{"phone": "13900000009", "notes": "{LONE}"}}',
     ["body", "notes"]),
    ("POST", "/api/v1/warnings/batch", f'{{"warnings": [{{"phone": "{LONE}"}}]}}',
     ["body", "warnings", 0, "phone"]),
    # Raw in the body's UTF-8 (ED A0 80), which Python's JSON reader lets through.
    ("POST", "/api/v1/warnings/{w}/attempts",
     '{"client_id": "c3", "outcome": "no_answer", "notes": "\udcED\udcA0\udc80"}',
     ["body", "notes"]),
]


def test_a_lone_surrogate_in_any_text_field_is_a_422_naming_it(
        hub: ThreadHub, ids: dict[str, int]) -> None:
    wrong = []
    for method, path, raw, loc in SURROGATES:
        body = raw.encode("utf-8", "surrogateescape")  # the raw case becomes bytes ED A0 80
        response = httpx.request(method, hub.url + path.format(**ids), content=body, timeout=20,
                                 headers={"Authorization": f"Bearer {hub.tokens['lead-1']}",
                                          "Content-Type": "application/json"})
        got = response.json()["detail"][0]["loc"] if response.status_code == 422 else None
        if response.status_code != 422 or got != loc:
            wrong.append((method, path, response.status_code, response.text[:200]))
    assert wrong == []
    # Without a valid token it is a 401 whatever the body holds.
    unsigned = httpx.post(f"{hub.url}/api/v1/warnings/{ids['w']}/attempts", timeout=20,
                          content=b'{"notes": "\\ud800"}',
                          headers={"Content-Type": "application/json"})
    assert unsigned.status_code == 401
    # A surrogate *pair* is an ordinary character (an emoji): taken as it is.
    ok = send(hub, "POST", f"/api/v1/warnings/{ids['w']}/raise-level",
              '{"level": "emergency", "reason": "\\ud83d\\ude00 仍在转账"}')
    assert ok.status_code == 200, ok.text


@pytest.mark.parametrize("call", [
    lambda s, w, a: s.record_message(w, text="短信\ud800", via="clipboard"),
    lambda s, w, a: s.record_message(w, text="短信", via="clipboard", result="ok\ud800"),
    lambda s, w, a: s.retype_warning(w, scam_type="fake_loan", reason="\udfff"),
    lambda s, w, a: s.review_attempt(a, verdict="fail", comment="差\ud800"),
    lambda s, w, a: s.reveal(w, field="cards", reason="核对\ud800"),
    lambda s, w, a: s.save_rehearsal(scam_type="fake_loan", lang="zh", points_made=1,
                                     points_total=2, detail=[{"answer": "\ud800"}]),
], ids=["sms text", "sms result", "retype reason", "review comment", "reveal reason",
        "rehearsal detail"])
def test_the_core_refuses_text_it_cannot_store_naming_the_field(
        tmp_path: Path, call: Callable[[LocalSource, int, int], object]) -> None:
    path = tmp_path / "centre.db"
    make_users(path)
    lead, officer = LocalSource(path, user="lead-1"), LocalSource(path, user="officer-a")
    try:
        (w,) = [int(lead.add_warning(warning_data(1)).id)]
        officer.claim(w)
        attempt = officer.record_attempt(w, outcome="no_answer")
        with pytest.raises(InvalidInput) as err:
            call(lead, w, int(attempt.id))
        assert err.value.field in ("text", "result", "reason", "comment", "detail")
        assert "surrogate" in err.value.message
    finally:
        lead.close()
        officer.close()


def nested(depth: int) -> dict[str, object]:
    node: dict[str, object] = {"answer": "好"}
    for _ in range(depth - 1):
        node = {"next": node}
    return node


def test_a_detail_nested_300_deep_is_refused_at_the_edge_and_in_the_core(
        hub: ThreadHub) -> None:
    body = {"scam_type": "fake_loan", "points_made": 1, "points_total": 2,
            "detail": [nested(300)]}
    response = httpx.post(f"{hub.url}/api/v1/rehearsals", json=body, timeout=20,
                          headers={"Authorization": f"Bearer {hub.tokens['officer-a']}"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "detail"]
    listing = httpx.get(f"{hub.url}/api/v1/rehearsals", timeout=20,
                        headers={"Authorization": f"Bearer {hub.tokens['lead-1']}"})
    assert listing.status_code == 200 and listing.json() == []
    source = LocalSource(hub.db, user="officer-a")
    try:
        with pytest.raises(InvalidInput) as err:
            source.save_rehearsal(scam_type="fake_loan", lang="zh", points_made=1,
                                  points_total=2, detail=[nested(300)])
        assert err.value.field == "detail"
        # As deep as the limit is fine; one deeper is not.
        deepest = nested(limits.DETAIL_DEPTH_MAX)
        assert source.save_rehearsal(scam_type="fake_loan", lang="zh", points_made=1,
                                     points_total=2, detail=[deepest]).detail == [deepest]
        with pytest.raises(InvalidInput):
            source.save_rehearsal(scam_type="fake_loan", lang="zh", points_made=1,
                                  points_total=2, detail=[nested(limits.DETAIL_DEPTH_MAX + 1)])
    finally:
        source.close()


@pytest.mark.allow_logged_errors
def test_a_stored_detail_that_cannot_be_read_back_never_breaks_the_list(
        hub: ThreadHub, caplog: pytest.LogCaptureFixture) -> None:
    """Rows written before the limits (or by hand): the list shows them without a detail."""
    conn = sqlite3.connect(hub.db)
    for detail in (json.dumps([nested(300)]), "not json", "[" * 5000 + "]" * 5000, "[1, 2]"):
        conn.execute("INSERT INTO rehearsals (trainee, scam_type, lang, finished_at, score, "
                     "points_made, points_total, detail) VALUES ('officer-a', 'fake_loan', 'zh', "
                     "1.8e9, 0.5, 1, 2, ?)", (detail,))
    conn.commit()
    conn.close()
    listing = httpx.get(f"{hub.url}/api/v1/rehearsals", timeout=20,
                        headers={"Authorization": f"Bearer {hub.tokens['lead-1']}"})
    assert listing.status_code == 200
    assert [r["detail"] for r in listing.json()] == [[], [], [], []]
    store = Store(hub.db)
    try:
        assert [r.detail for r in store.rehearsals()] == [[], [], [], []]
    finally:
        store.close()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def raw_exchange(hub: ThreadHub, requests: list[bytes]) -> list[bytes]:
    """Send requests one after another on one kept-alive connection; their answers."""
    answers = []
    with socket.create_connection(("127.0.0.1", hub.port), timeout=10) as sock:
        for request in requests:
            sock.sendall(request)
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(65536)
                assert chunk, "the hub closed the connection"
                data += chunk
            head, _, body = data.partition(b"\r\n\r\n")
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:"))
            while len(body) < length:
                body += sock.recv(65536)
            answers.append(head + b"\r\n\r\n" + body)
    return answers


@pytest.mark.allow_logged_errors
def test_a_bug_answers_503_with_a_request_id_and_keeps_the_connection(
        hub: ThreadHub, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(*_a: object, **_k: object) -> int:
        raise RuntimeError("secret internals at /srv/dissuade/centre.db")

    monkeypatch.setattr(Store, "queue_size", broken)
    auth = f"Authorization: Bearer {hub.tokens['officer-a']}\r\n".encode()
    bug, health = raw_exchange(hub, [
        b"GET /api/v1/queue/size HTTP/1.1\r\nHost: hub\r\n" + auth + b"\r\n",
        b"GET /api/v1/health HTTP/1.1\r\nHost: hub\r\n\r\n"])
    head, _, body = bug.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 503")
    assert b"retry-after: 30" in head.lower()
    answer = json.loads(body)
    assert set(answer) == {"detail", "request_id"} and answer["request_id"] in answer["detail"]
    assert b"secret" not in bug and b"RuntimeError" not in bug and b"Traceback" not in bug
    assert health.startswith(b"HTTP/1.1 200")  # the same connection answered again
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1 and answer["request_id"] in logged[0].getMessage()


def test_a_database_error_answers_503_without_its_words(
        hub: ThreadHub, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(*_a: object, **_k: object) -> int:
        raise sqlite3.OperationalError("no such table: warnings_secret_name")

    monkeypatch.setattr(Store, "queue_size", locked)
    response = httpx.get(f"{hub.url}/api/v1/queue/size", timeout=20,
                         headers={"Authorization": f"Bearer {hub.tokens['officer-a']}"})
    assert response.status_code == 503 and response.headers["retry-after"]
    assert "secret" not in response.text


def test_a_422_never_echoes_the_input(hub: ThreadHub, ids: dict[str, int]) -> None:
    """FastAPI's default 422 carries the offending `input` (and `ctx`): a megabyte of text,
    a card number. Here it names the field and says what is wrong, no more."""
    lead = {"Authorization": f"Bearer {hub.tokens['lead-1']}"}
    megabyte = "卡" * 1_000_000
    for method, path, body in [
            ("POST", f"/api/v1/warnings/{ids['w']}/attempts",
             {"client_id": "c9", "outcome": "no_answer", "notes": megabyte}),
            ("POST", f"/api/v1/warnings/{ids['w']}/raise-level",
             {"level": "emergency", "reason": megabyte}),
            ("POST", f"/api/v1/escalations/{ids['e']}/decision", {"decision": megabyte}),
            ("PUT", "/api/v1/policy/settings", {megabyte: 1})]:
        response = httpx.request(method, hub.url + path, json=body, headers=lead, timeout=30)
        assert response.status_code == 422, (path, response.status_code)
        assert len(response.content) < 2000, (path, len(response.content))
        assert megabyte[:100] not in response.text  # a key the client made up: 64 at most
        for item in response.json()["detail"]:
            assert set(item) == {"loc", "msg", "type"}
            assert all(len(str(part)) <= 64 for part in item["loc"])


def test_a_422_for_a_malformed_card_or_id_number_does_not_carry_it(
        hub: ThreadHub, ids: dict[str, int]) -> None:
    lead = {"Authorization": f"Bearer {hub.tokens['lead-1']}"}
    bad_card = "62220202020202020261234"  # 23 digits: no card
    response = httpx.post(f"{hub.url}/api/v1/warnings/{ids['w']}/escalations", headers=lead,
                          json={"client_id": "c8", "kind": "card_lock", "reason": "止付",
                                "cards": [bad_card]}, timeout=20)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "cards"
    assert bad_card not in response.text and bad_card[:12] not in response.text
    spaced = "6222 0202 0202 0202 0261 234"
    response = httpx.post(f"{hub.url}/api/v1/warnings/{ids['w']}/escalations", headers=lead,
                          json={"client_id": "c7", "kind": "card_lock", "reason": "止付",
                                "cards": [spaced]}, timeout=20)
    assert response.status_code == 422 and "0202 0202" not in response.text
    bad_id = "110105194912310021"  # a wrong check digit
    for field in ("id_number", "phone"):
        data = warning_data(7, **{field: bad_id})
        response = httpx.post(f"{hub.url}/api/v1/warnings", json=data, headers=lead, timeout=20)
        assert bad_id not in response.text and bad_id[:11] not in response.text, response.text
