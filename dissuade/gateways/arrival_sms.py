"""The SMS at arrival: the type's SMS warning, one message, sent through the hub's SMS gateway
to a warning that has just arrived, once per person per case (dissuade/store/arrival_sms.py
takes it in the database before the gateway is called).

`ArrivalSender` is the hub's worker: a feed's POST hands it the new warnings' ids and answers at
once; the worker sends on its own thread, so a slow or failing gateway never slows or fails the
feed. A failed delivery is a failed message in the warning's history, never retried.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterable
from typing import Any

from dissuade.domain import timeutil
from dissuade.domain.errors import DissuadeError
from dissuade.domain.models import Warning
from dissuade.gateways import sms
from dissuade.playbooks.guidance import SMS_SEGMENT_LIMIT, sms_length, sms_text
from dissuade.playbooks.playbook import Library, load_library
from dissuade.store.arrival_sms import SENDER, ArrivalTicket

log = logging.getLogger(__name__)


def compose(warning: Warning, library: Library, signature: str) -> str | None:
    """The type's Chinese SMS with the person's name, without the signature (the carrier puts
    it first), when it fits one message with the signature counted; with the polite form in
    place of a long name when only that fits; None when neither does."""
    book = library.get(warning.scam_type)
    if book is None:
        return None
    room = SMS_SEGMENT_LIMIT - sms_length(signature)
    for name in (warning.name, ""):
        text = sms_text(book, name=name, lang="zh")
        if sms_length(text) <= room:
            return text
    return None


def send_at_arrival(store: Any, warning_id: int, *, gateway: sms.Gateway, library: Library,
                    user: str = SENDER, now: Callable[[], float] = timeutil.now) -> str:
    """Send the warning's SMS at arrival if it qualifies and its person's case had none:
    'sent', 'failed' (recorded as a failed message), or why nothing was sent."""
    ticket: ArrivalTicket | str = store.take_arrival_sms(warning_id, user=user, now=now())
    if isinstance(ticket, str):
        return ticket
    signature = store.policy().sms_signature
    text = compose(ticket.warning, library, signature)
    if text is None:
        book = library.get(ticket.warning.scam_type)
        whole = sms_text(book, name=ticket.warning.name, lang="zh") if book else "-"
        store.finish_arrival_sms(
            ticket, text=whole[:1000], via=gateway.kind, failed=True, now=now(),
            result="短信超过一条（70 字，含签名），未发送 / the SMS does not fit one message "
                   "(70 characters with the signature): not sent")
        return "failed"
    try:
        answer = sms.send(gateway, ticket.warning, text)
    except DissuadeError as exc:
        store.finish_arrival_sms(ticket, text=text, via=gateway.kind, result=str(exc),
                                 failed=True, now=now())
        return "failed"
    store.finish_arrival_sms(ticket, text=text, via=gateway.kind, result=answer, now=now())
    return "sent"


class ArrivalSender:
    """The hub's SMS-at-arrival worker: `submit` queues warning ids and returns at once; one
    thread sends them in order through `gateway` with a store of its own (`open_store`)."""

    def __init__(self, open_store: Callable[[], Any], gateway: sms.Gateway, *,
                 library: Library | None = None) -> None:
        gateway.check()
        self.gateway = gateway
        self._open_store = open_store
        self._library = library
        self._queue: queue.Queue[int | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="dissuade-sms-at-arrival",
                                        daemon=True)
        self.done: list[tuple[int, str]] = []  # (warning id, what became of it), for the log
        self.idle = threading.Event()
        self.idle.set()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

    def submit(self, warning_ids: Iterable[int]) -> None:
        for warning_id in warning_ids:
            self.idle.clear()
            self._queue.put(int(warning_id))

    def _run(self) -> None:
        store = None
        while True:
            item = self._queue.get()
            if item is None:
                break
            try:
                if store is None:
                    store = self._open_store()
                if self._library is None:
                    self._library = load_library()
                what = send_at_arrival(store, item, gateway=self.gateway, library=self._library)
                log.info("SMS at arrival, warning %s: %s", item, what)
            except DissuadeError as exc:
                what = f"error: {exc}"
                log.warning("SMS at arrival, warning %s: %s", item, exc)
            except Exception:  # noqa: BLE001 - the worker must outlive one bad warning
                what = "error"
                log.exception("SMS at arrival, warning %s failed", item)
            self.done.append((item, what))
            del self.done[:-1000]
            if self._queue.empty():
                self.idle.set()
        if store is not None:
            store.close()
