"""The SMS at arrival: the type's one-message SMS, sent by the hub through its SMS gateway when a
feed's warning arrives, once per person per case (held in the database, so several hub
processes never send twice), only within the limit, never to a synthetic warning, recorded in
the warning's history, never slowing the feed's POST; a failing gateway is a failed message."""

from __future__ import annotations

import json
import multiprocessing
import time
from pathlib import Path

import httpx
import pytest

from dissuade.feeds import importer
from dissuade.gateways import sms
from dissuade.gateways.arrival_sms import compose, send_at_arrival
from dissuade.playbooks.guidance import sms_length
from dissuade.playbooks.playbook import load_library
from dissuade.sources import open_source
from dissuade.store import Store
from dissuade.store.arrival_sms import SENDER
from tests.conftest import warning_data
from tests.hubs import ThreadHub, make_users
from tests.webhooks import Webhook, webhook

T0 = 1_780_000_000.0  # a fixed moment for the store-level cases


def _real(n: int, **overrides: object) -> dict[str, object]:
    """A warning a feed sends about a real person (the mark `synthetic` off), medium level."""
    return warning_data(n, **{"synthetic": False, "risk_level": "medium", **overrides})


def _add(store: Store, data: dict[str, object], now: float = T0) -> int:
    warning, _ = store.add_warning(data, actor="feed-1", now=now)
    return int(warning.id)


# -- the rules, in the store ---------------------------------------------------------------------


def test_once_per_person_per_case(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    first = _add(store, _real(1))
    ticket = store.take_arrival_sms(first, now=T0 + 1)
    assert not isinstance(ticket, str)
    store.finish_arrival_sms(ticket, text="t", via="command", result="ok", now=T0 + 2)
    # Another feed reports the same person: the same case, no second SMS.
    second = _add(store, _real(2, source="telecom", phone="13900000001"), now=T0 + 60)
    assert store.take_arrival_sms(second, now=T0 + 61) == "sent in this case"
    assert store.take_arrival_sms(first, now=T0 + 62) == "sent in this case"
    # The case is settled (both closed); a warning a week later is a new case: a new SMS.
    store.conn.execute("UPDATE warnings SET status = 'closed', closed_at = ? WHERE phone = ?",
                       (T0 + 3600, "+8613900000001"))
    later = _add(store, _real(3, phone="13900000001"), now=T0 + 7 * 86400)
    assert not isinstance(store.take_arrival_sms(later, now=T0 + 7 * 86400 + 1), str)
    store.close()


def test_a_case_bridged_by_a_linked_warning_is_one_case(tmp_path: Path) -> None:
    """W1 gets the SMS, W2 arrives for the same person, W1 is settled alone (W2 left out),
    W3 arrives while W2 is still open: still the same case."""
    store = Store(tmp_path / "c.db")
    w1 = _add(store, _real(1))
    assert not isinstance(store.take_arrival_sms(w1, now=T0 + 1), str)
    _add(store, _real(2, source="telecom", phone="13900000001"), now=T0 + 30)
    store.conn.execute("UPDATE warnings SET status = 'closed', closed_at = ? WHERE id = ?",
                       (T0 + 60, w1))
    w3 = _add(store, _real(3, source="province", phone="13900000001"), now=T0 + 600)
    assert store.take_arrival_sms(w3, now=T0 + 601) == "sent in this case"
    store.close()


def test_only_real_warnings_of_the_levels_within_their_limit(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    synthetic = _add(store, warning_data(1, risk_level="medium"))  # demo data: marked
    assert store.take_arrival_sms(synthetic, now=T0) == "synthetic"
    emergency = _add(store, _real(2, risk_level="emergency"))  # not in sms_first_levels
    assert store.take_arrival_sms(emergency, now=T0) == "level"
    medium = _add(store, _real(3))  # 2 h limit
    assert store.take_arrival_sms(medium, now=T0 + 2 * 3600 + 1) == "past its limit"
    store.update_settings({"sms_first_levels": ["emergency"]}, user="lead")
    assert not isinstance(store.take_arrival_sms(emergency, now=T0 + 1), str)
    store.close()


def _take_many(db: str, ids: list[int], out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    store = Store(db, create=False)
    won = [i for i in ids if not isinstance(store.take_arrival_sms(i, now=T0 + 5), str)]
    store.close()
    out.put(won)


def test_several_processes_never_send_a_person_two(tmp_path: Path) -> None:
    """Three processes (as three hub processes) take the SMS of the same 30 warnings, three
    for each of 10 people, at once: each person is taken exactly once."""
    db = tmp_path / "c.db"
    store = Store(db)
    ids = [_add(store, _real(n % 10 + 1, external_id=f"E-{n}", source=f"feed{n // 10}"))
           for n in range(30)]
    store.close()
    ctx = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue = ctx.Queue()  # type: ignore[type-arg]
    procs = [ctx.Process(target=_take_many, args=(str(db), ids[k:] + ids[:k], out))
             for k in (0, 10, 20)]
    for p in procs:
        p.start()
    won = [w for _ in procs for w in out.get(timeout=60)]
    for p in procs:
        p.join(timeout=30)
    store = Store(db)
    phones = [store.get(w).warning.phone for w in won]
    assert sorted(phones) == sorted(set(phones)) and len(phones) == 10
    (rows,) = store.conn.execute("SELECT COUNT(*) FROM arrival_sms").fetchone()
    assert rows == 10
    store.close()


def test_the_text_fits_one_message_with_the_signature(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    library = load_library()
    warning = store.get(_add(store, _real(1, name="欧阳娜娜", scam_type="fake_loan"))).warning
    text = compose(warning, library, "【反诈中心】")
    assert text is not None and "欧阳娜娜" in text
    assert sms_length("【反诈中心】" + text) <= 70
    # A name too long for one message: the polite form instead, still one message.
    long_name = store.get(_add(store, _real(2, name="阿卜杜热合曼·买买提艾力阿卜杜拉"))).warning
    text = compose(long_name, library, "【反诈中心】")
    assert text is not None and "机主" in text and sms_length("【反诈中心】" + text) <= 70
    store.close()


def test_a_failing_command_is_a_failed_message_not_retried(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    wid = _add(store, _real(1))
    gateway = sms.Gateway("command", command="false-sms-gateway-that-does-not-exist {phone} {text}")
    library = load_library()
    assert send_at_arrival(store, wid, gateway=gateway, library=library,
                           now=lambda: T0 + 1) == "failed"
    (message,) = store.get(wid).messages
    assert message.sent_by == SENDER and "failed" in message.result
    assert store.arrival_sms_state(wid) == "failed"
    # Not retried: asking again finds the case's SMS taken.
    assert send_at_arrival(store, wid, gateway=gateway, library=library,
                           now=lambda: T0 + 2) == "sent in this case"
    assert len(store.get(wid).messages) == 1
    store.close()


# -- through a hub ------------------------------------------------------------------------------


@pytest.fixture
def sms_hub(tmp_path: Path):  # type: ignore[no-untyped-def]
    hook = Webhook(delay=3.0, body=b'{"id": "sms-1"}', content_type="application/json")
    with webhook(hook) as served:
        db = tmp_path / "hub.db"
        tokens = make_users(db)
        hub = ThreadHub(db, tokens, app_options={
            "sms": sms.Gateway("webhook", webhook=served.url)}).start()
        try:
            yield hub, served
        finally:
            hub.stop()


def _wait(predicate, seconds: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_feeds_post_sends_once_after_answering(sms_hub) -> None:  # type: ignore[no-untyped-def]
    hub, served = sms_hub
    feed = {"Authorization": f"Bearer {hub.tokens['feed-1']}"}
    started = time.monotonic()
    answer = httpx.post(f"{hub.url}/api/v1/warnings", headers=feed,
                        json=_real(1, name="王芳", scam_type="fake_customer_service"))
    took = time.monotonic() - started
    assert answer.status_code == 201
    assert took < 2.5, f"the POST waited for the SMS gateway ({took:.2f} s)"  # it answers in 3 s
    # The same person again from another feed, and a synthetic warning: no SMS for either.
    assert httpx.post(f"{hub.url}/api/v1/warnings", headers=feed,
                      json=_real(1, source="telecom", external_id="X-1")).status_code == 201
    assert httpx.post(f"{hub.url}/api/v1/warnings", headers=feed,
                      json=warning_data(7, risk_level="low")).status_code == 201
    lead = open_source(hub.url, token=hub.tokens["lead-1"])
    try:
        _wait(lambda: len(lead.get(answer.json()["id"]).messages) == 1)
        time.sleep(0.5)  # the other two, queued behind it on the worker, had their turn
    finally:
        lead.close()
    assert len(served.received) == 1
    sent = json.loads(served.received[0][2])
    assert sent["phone"] == "+8613900000001" and "王芳" in sent["text"]
    assert sms_length("【反诈中心】" + sent["text"]) <= 70
    officer = open_source(hub.url, token=hub.tokens["officer-a"])
    try:
        (message,) = officer.get(answer.json()["id"]).messages
        assert message.sent_by == SENDER and message.via == "webhook"
        assert '"sms-1"' in message.result
    finally:
        officer.close()


def test_a_batch_sends_and_an_import_sends_only_when_asked(sms_hub, tmp_path: Path  # type: ignore[no-untyped-def]
                                                           ) -> None:
    hub, served = sms_hub
    served.delay = 0.0
    feed = open_source(hub.url, token=hub.tokens["feed-1"])
    try:
        results = feed.add_warnings([_real(11), _real(12)])
        assert all(r.created for r in results)
        _wait(lambda: len(served.received) == 2)
        sheet = tmp_path / "feed.csv"
        sheet.write_text("预警编号,手机号,姓名,诈骗类型,预警等级\nI-1,13900000021,张三,刷单返利,中\n",
                         encoding="utf-8-sig")
        importer.import_file(sheet, feed)  # an import: nothing sent
        sheet2 = tmp_path / "feed2.csv"
        sheet2.write_text("预警编号,手机号,姓名,诈骗类型,预警等级\nI-2,13900000022,李四,刷单返利,低\n",
                          encoding="utf-8-sig")
        importer.import_file(sheet2, feed, outreach=True)  # --outreach
        _wait(lambda: len(served.received) == 3)
        time.sleep(0.5)
    finally:
        feed.close()
    phones = [json.loads(body)["phone"] for _, _, body in served.received]
    assert "+8613900000021" not in phones and "+8613900000022" in phones
    assert len(phones) == 3


def test_a_failing_webhook_is_recorded_as_failed(tmp_path: Path) -> None:
    with webhook(Webhook(status=500, body=b"carrier down")) as served:
        db = tmp_path / "hub.db"
        tokens = make_users(db)
        hub = ThreadHub(db, tokens, app_options={
            "sms": sms.Gateway("webhook", webhook=served.url)}).start()
        try:
            feed = {"Authorization": f"Bearer {tokens['feed-1']}"}
            answer = httpx.post(f"{hub.url}/api/v1/warnings", headers=feed, json=_real(1))
            assert answer.status_code == 201
            lead = open_source(hub.url, token=tokens["lead-1"])
            try:
                _wait(lambda: len(lead.get(answer.json()["id"]).messages) == 1)
                (message,) = lead.get(answer.json()["id"]).messages
            finally:
                lead.close()
        finally:
            hub.stop()
    assert "failed" in message.result and "500" in message.result
    assert len(served.received) == 1  # tried once, never again


def test_import_outreach_needs_a_hub(tmp_path: Path) -> None:
    from tests.hubs import run_cli

    db = tmp_path / "c.db"
    Store(db).close()
    sheet = tmp_path / "f.csv"
    sheet.write_text("手机号\n13900000001\n", encoding="utf-8")
    done = run_cli("import", str(sheet), "--db", str(db), "--outreach")
    assert done.returncode != 0 and "--outreach" in done.stderr and "--server" in done.stderr


def test_serve_refuses_an_sms_command_with_a_mistyped_placeholder(tmp_path: Path) -> None:
    from tests.hubs import run_cli

    db = tmp_path / "c.db"
    Store(db).close()
    done = run_cli("serve", "--db", str(db), "--port", "1", "--sms-command", "sms-send {phnoe} {text}")
    assert done.returncode != 0 and "phnoe" in done.stderr
