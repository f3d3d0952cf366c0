"""A stop-payment request goes to the bank once, with no lock held through the delivery: senders
racing through a slow bank (a real webhook that takes a second) from two workstations, from one
workstation's two threads, and through two hubs over one database; a failed or vanished sender
gives the request back."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

import dissuade
from dissuade.domain.errors import Conflict
from dissuade.domain.models import Escalation
from dissuade.gateways import escalation_ops
from dissuade.gateways.bank import BankGateway
from dissuade.gateways.delivery import GatewayRefused
from dissuade.store import Store, sending
from dissuade.store.schema import migrations
from tests.conftest import warning_data
from tests.hubs import ThreadHub, make_users
from tests.webhooks import Webhook, webhook

CARD = "6222020202020202020"
T0 = 1_800_000_000.0


def _approved(path: Path) -> int:
    """An approved card lock of a real (not synthetic) warning, in the file at `path`."""
    store = Store(path)
    wid = int(store.add_warning(warning_data(1, synthetic=False, cards=[CARD], name="张三"),
                                actor="feed")[0].id)
    store.claim(wid, user="officer-a")
    proposal = store.propose_escalation(wid, user="officer-a", kind="card_lock", reason="仍在转账",
                                        cards=(CARD,))
    store.decide_escalation(proposal.id, decision="approve", note="同意", user="lead-1")
    store.close()
    return int(proposal.id)


def _race(senders: list[Callable[[], Escalation]]) -> list[Escalation | BaseException]:
    """Run the senders at once, each on its own thread; what each returned or raised."""
    start = threading.Barrier(len(senders))
    results: list[Escalation | BaseException] = [Conflict("did not finish")] * len(senders)

    def go(i: int) -> None:
        start.wait()
        try:
            results[i] = senders[i]()
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc

    threads = [threading.Thread(target=go, args=(i,)) for i in range(len(senders))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _sent_once(results: list[Escalation | BaseException], hook: Webhook) -> None:
    assert len(hook.received) == 1  # exactly one delivery reached the bank
    sent = [r for r in results if isinstance(r, Escalation)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(sent) == 1 and sent[0].status == "sent"
    assert refused and all(isinstance(r, Conflict) for r in refused), refused
    assert all("never sent twice" in str(r) or "only an approved request" in str(r) for r in refused)


def _steps(path: Path, eid: int) -> list[str]:
    store = Store(path)
    try:
        return [s.status for s in store.escalation_steps(eid)]
    finally:
        store.close()


def test_two_workstations_racing_through_a_slow_bank_send_it_once(tmp_path: Path) -> None:
    path = tmp_path / "centre.db"
    eid = _approved(path)
    stores = [Store(path), Store(path)]
    with webhook(Webhook(delay=1.0, body="已受理".encode())) as hook:
        gateway = BankGateway("webhook", webhook=hook.url)
        results = _race([partial(escalation_ops.send_bank_request, s, eid, gateway=gateway, user=f"officer-{i}")
                         for i, s in enumerate(stores)])
    _sent_once(results, hook)
    assert _steps(path, eid) == ["proposed", "approved", "sent"]
    row = stores[0].conn.execute("SELECT sending_by, sending_at, sending_token FROM escalations "
                                 "WHERE id = ?", (eid,)).fetchone()
    assert tuple(row) == (None, None, None)
    for store in stores:
        store.close()


class LockedStore:
    """A store whose every call takes one lock, as a local source's are: a sender that held it
    through the delivery would stall the other thread for the bank's whole answer."""

    def __init__(self, store: Store, lock: threading.Lock) -> None:
        self._store, self._lock = store, lock

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._store, name)

        def locked(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return attr(*args, **kwargs)

        return locked


def test_while_one_sends_the_lock_is_free_and_a_second_sender_hears_who(tmp_path: Path) -> None:
    path = tmp_path / "centre.db"
    eid = _approved(path)
    lock = threading.Lock()
    store = Store(path)
    locked: Any = LockedStore(store, lock)
    with webhook(Webhook(delay=1.0)) as hook:
        gateway = BankGateway("webhook", webhook=hook.url)
        first: list[Escalation] = []
        sender = threading.Thread(target=lambda: first.append(escalation_ops.send_bank_request(
            locked, eid, gateway=gateway, user="officer-a")))
        sender.start()
        assert hook.arrived.wait(20)  # the bank has the request and takes its second
        assert lock.acquire(timeout=0.2)  # nobody holds the source's lock through the delivery
        lock.release()
        with pytest.raises(Conflict, match="being sent by officer-a") as err:
            escalation_ops.send_bank_request(locked, eid, gateway=gateway, user="officer-b")
        assert "正在由 officer-a 发送" in str(err.value)
        sender.join(timeout=20)
    assert len(hook.received) == 1 and first[0].status == "sent"
    with pytest.raises(Conflict, match="is sent: only an approved request is sent"):
        escalation_ops.send_bank_request(locked, eid, gateway=gateway, user="officer-b")
    store.close()


def test_two_hubs_over_one_database_send_it_once(tmp_path: Path) -> None:
    path = tmp_path / "centre.db"
    tokens = make_users(path)
    eid = _approved(path)
    with webhook(Webhook(delay=1.0)) as hook:
        bank = BankGateway("webhook", webhook=hook.url)
        hubs = [ThreadHub(path, tokens, app_options={"bank": bank}).start() for _ in range(2)]
        try:
            sources = [dissuade.open_source(hub.url, token=tokens[name])
                       for hub, name in zip(hubs, ("officer-a", "officer-b"), strict=True)]
            results = _race([partial(s.send_bank_request, eid) for s in sources])
        finally:
            for hub in hubs:
                hub.stop()
    _sent_once(results, hook)
    assert _steps(path, eid) == ["proposed", "approved", "sent"]


def test_a_failed_delivery_gives_the_request_back(tmp_path: Path) -> None:
    path = tmp_path / "centre.db"
    eid = _approved(path)
    store = Store(path)
    with webhook(Webhook(status=503, body=b"bank closed")) as hook, \
            pytest.raises(GatewayRefused, match="answered 503: bank closed"):
        escalation_ops.send_bank_request(store, eid, gateway=BankGateway("webhook", webhook=hook.url),
                                         user="officer-a")
    assert store.escalation(eid).status == "approved"
    with webhook() as hook:  # the bank is back: the next try sends it, at once
        sent = escalation_ops.send_bank_request(store, eid, gateway=BankGateway("webhook", webhook=hook.url),
                                                user="officer-b")
    assert sent.status == "sent" and len(hook.received) == 1
    assert [s.actor for s in store.escalation_steps(eid)][-1] == "officer-b"
    store.close()


def test_a_vanished_sender_is_overtaken_once_its_take_goes_stale(tmp_path: Path) -> None:
    path = tmp_path / "centre.db"
    eid = _approved(path)
    store = Store(path)
    store.begin_send(eid, user="officer-a", now=T0)  # and then its process died
    with pytest.raises(Conflict, match=r"being sent by officer-a \(started 60 s ago\)"):
        store.begin_send(eid, user="officer-b", now=T0 + 60)
    ticket = store.begin_send(eid, user="officer-b", now=T0 + sending.SEND_STALE_SECONDS + 1)
    assert ticket.overtook == "officer-a"
    sent = store.finish_send(ticket, note="sent via webhook: ok", now=T0 + 700)
    assert sent.status == "sent"
    assert "officer-a" in store.escalation_steps(eid)[-1].note
    assert "the bank may have it twice" in store.escalation_steps(eid)[-1].note
    store.close()


def test_a_request_marked_sent_by_hand_meanwhile_keeps_that_record(tmp_path: Path) -> None:
    path = tmp_path / "centre.db"
    eid = _approved(path)
    store = Store(path)
    ticket = store.begin_send(eid, user="officer-a")
    store.advance_escalation(eid, status="sent", note="已传真至银行", user="lead-1")
    assert store.finish_send(ticket, note="sent via webhook: ok").status == "sent"
    (hand,) = [s for s in store.escalation_steps(eid) if s.status == "sent"]
    assert (hand.actor, hand.note) == ("lead-1", "已传真至银行")
    store.abandon_send(ticket)  # a second give-back is harmless
    store.close()


def test_only_an_approved_card_lock_is_taken(tmp_path: Path) -> None:
    store = Store(tmp_path / "centre.db")
    wid = int(store.add_warning(warning_data(1, cards=[CARD]), actor="feed")[0].id)
    store.claim(wid, user="officer-a")
    proposal = store.propose_escalation(wid, user="officer-a", kind="card_lock", reason="r")
    with pytest.raises(Conflict, match="is proposed: only an approved request is sent"):
        store.begin_send(proposal.id, user="officer-a")
    store.close()


def test_a_database_from_before_takes_its_sending_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    migrations.apply(Database(conn), stop_before="m008_a_request_is_sent_once")
    conn.close()
    eid = _approved(path)  # opening it migrates
    store = Store(path)
    assert store.finish_send(store.begin_send(eid, user="officer-a"), note="ok").status == "sent"
    store.close()
