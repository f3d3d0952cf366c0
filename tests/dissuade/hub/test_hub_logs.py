"""A busy hub's log (what systemd's journal keeps) carries no token, password, card or ID number:
feeds post warnings with cards and ID numbers in their notes, officers work with their tokens,
sign-ins fail, wrong tokens knock, and a bug puts a request's body into an exception."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from dissuade.domain.idnumbers import check_digit
from dissuade.store import Store
from tests.hubs import free_port, make_users

# The hub, with one bug planted: a warning whose notes say BUG fails with its whole body in the
# exception's message (as a careless `raise ValueError(f"... {data}")` would).
BUGGY_HUB = """
import sys
import dissuade.store.ingest as ingest
real = ingest.add_warning
def buggy(conn, data, **kw):
    if "BUG" in str(data.get("notes", "")):
        raise ValueError(f"cannot store {dict(data)!r}")
    return real(conn, data, **kw)
ingest.add_warning = buggy
from dissuade.cli.main import main
sys.exit(main(sys.argv[1:]))
"""
PASSWORD = "correct horse 7"
WRONG_PASSWORD = "Tr0ub4dor&3-wrong"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="stopped with SIGTERM")


def luhn_card(body: str) -> str:
    """`body` plus the Luhn check digit: a card number as a bank's feed sends it (synthetic)."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def id_number(n: int) -> str:
    body = f"1101051980010{n:03d}1"[:17]
    return body + check_digit(body)


@pytest.mark.slow
def test_a_busy_hubs_log_carries_no_token_card_or_id_number(tmp_path: Path) -> None:
    db = tmp_path / "centre.db"
    tokens = make_users(db, {"feed-1": "feed", "officer-a": "officer", "officer-b": "officer",
                             "lead-1": "lead"})
    store = Store(db)
    store.set_password("officer-b", PASSWORD)
    store.close()
    cards = [luhn_card(f"62220212345{n:07d}") for n in range(12)]
    ids = [id_number(n) for n in range(12)]
    log = tmp_path / "hub.log"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", BUGGY_HUB, "serve", "--db", str(db),
                                 "--port", str(port)], stdout=out, stderr=subprocess.STDOUT,
                                env=dict(os.environ))
    seen_tokens = list(tokens.values())
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{url}/api/v1/health", timeout=1)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None, log.read_text()
                time.sleep(0.1)

        def as_(name: str) -> dict[str, str]:
            return {"Authorization": f"Bearer {tokens[name]}"}

        with httpx.Client(base_url=url, timeout=30) as hub:
            for n in range(8):  # feeds: cards and ID numbers, structured and in the notes
                answer = hub.post("/api/v1/warnings", headers=as_("feed-1"), json={
                    "source": "bank", "external_id": f"LOG-{n}", "phone": f"1390000{n:04d}",
                    "name": "测试", "scam_type": "fake_investment", "risk_level": "high",
                    "cards": [cards[n]], "id_number": ids[n],
                    "notes": f"卡号 {cards[n]}，身份证 {ids[n]}，转账到 {cards[n + 1][:4]} {cards[n + 1][4:]}"})
                assert answer.status_code == 201, answer.text
            batch = hub.post("/api/v1/warnings/batch", headers=as_("feed-1"), json={"warnings": [
                {"source": "bank", "external_id": "LOG-B", "phone": "13900009999",
                 "cards": [cards[9]], "notes": f"身份证号码{ids[9]}"}]})
            assert batch.status_code in (200, 201), batch.text
            # Bad input naming the numbers: a card as the phone, an ID number as the level.
            assert hub.post("/api/v1/warnings", headers=as_("feed-1"), json={
                "source": "bank", "phone": cards[10], "risk_level": ids[10]}).status_code == 422
            # The planted bug: its exception holds the whole body.
            bug = hub.post("/api/v1/warnings", headers=as_("feed-1"), json={
                "source": "bank", "external_id": "LOG-BUG", "phone": "13900001111",
                "cards": [cards[11]], "id_number": ids[11], "notes": f"BUG {cards[11]} {ids[11]}"})
            assert bug.status_code == 503, bug.text
            # Officers work: claim, record a call with numbers in the notes, look a card up.
            claimed = hub.post("/api/v1/queue/claim-next", headers=as_("officer-a"), json={})
            assert claimed.status_code == 200, claimed.text
            wid = claimed.json()["id"]
            done = hub.post(f"/api/v1/warnings/{wid}/attempts", headers=as_("officer-a"), json={
                "outcome": "dissuaded", "client_id": "log-test-1",
                "notes": f"当事人说卡 {cards[0]} 已冻结，身份证 {ids[0]}"})
            assert done.status_code == 201, done.text
            hub.get("/api/v1/lookup/phone", headers=as_("officer-a"), params={"phone": cards[3]})
            hub.get(f"/api/v1/warnings/{wid}/reveal", headers=as_("lead-1"),
                    params={"reason": f"银行核对 {cards[0]}"})
            # Failed sign-ins and wrong tokens, then a session that signs in and out.
            for _ in range(2):
                assert hub.post("/api/v1/session", json={"user": "officer-b",
                                                         "password": WRONG_PASSWORD}).status_code == 401
            session = hub.post("/api/v1/session", json={"user": "officer-b", "password": PASSWORD})
            assert session.status_code == 200, session.text
            seen_tokens.append(session.json()["token"])
            auth = {"Authorization": f"Bearer {seen_tokens[-1]}"}
            assert hub.get("/api/v1/me", headers=auth).status_code == 200
            assert hub.delete("/api/v1/session", headers=auth).status_code in (200, 204)
            for n in range(3):
                wrong = f"dsd_{'x' * 20}{n}wrongtoken{n}"
                seen_tokens.append(wrong)
                assert hub.get("/api/v1/queue", headers={"Authorization": f"Bearer {wrong}"}
                               ).status_code == 401
            hub.get(f"/api/v1/queue?token={tokens['officer-a']}")  # a token where it never goes
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=20)
    text = log.read_text(encoding="utf-8")
    flat = re.sub(r"[\s\-]", "", text).upper()
    for token in seen_tokens:
        assert token not in text and token[4:16] not in text, "a token is in the log"
    for card in cards:
        assert card not in flat, f"card {card[:4]}… is in the log"
    for number in ids:
        assert number.upper() not in flat, f"ID number {number[:4]}… is in the log"
    assert PASSWORD not in text and WRONG_PASSWORD not in text
    # The log did see the trouble: the bug's record, its traceback, the masked numbers.
    assert "failed (answered 503)" in text and "ValueError" in text, text[-3000:]
    assert "6222 **** ****" in text, text[-3000:]
    assert proc.returncode == 0
