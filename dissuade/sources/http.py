"""The hub as a source: the same interface as a local file, over HTTP, with an offline outbox."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from dissuade import paths
from dissuade.domain import timeutil
from dissuade.domain.errors import (
    Conflict,
    DatabaseBusy,
    DissuadeError,
    Forbidden,
    HubUnreachable,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from dissuade.domain.models import (
    Attempt,
    AttemptId,
    Escalation,
    EscalationDetail,
    EscalationId,
    Found,
    IngestResult,
    Message,
    Receipt,
    RehearsalResult,
    Review,
    Verdict,
    Warning,
    WarningDetail,
    WarningHistory,
    WarningId,
)
from dissuade.domain.models import Entry as AuditEntry
from dissuade.domain.policy import LevelPolicy, Policy
from dissuade.sources import wire
from dissuade.sources.local import Changes, LinkListener, LinkState
from dissuade.sources.outbox import Item, Outbox

TIMEOUT = httpx.Timeout(10.0, connect=3.0)
CLAIM_TRIES = 3  # a claim-next whose answer was lost is asked again with its client_id
UNEXPECTED_LIMIT = 3  # unexpected answers before an outbox item becomes a conflict (settled)
REFUSED = frozenset({403, 404, 409, 422})  # the hub will never take it: a conflict at once
LATER = frozenset({429, 503})  # the hub answers but cannot take it now: try again later
log = logging.getLogger(__name__)


def _iso(epoch: float | None) -> str | None:
    return timeutil.iso(epoch)


def _policy_in(data: dict[str, Any]) -> Policy:
    defaults = Policy(levels={})
    return Policy(levels={lv["level"]: LevelPolicy(**lv) for lv in data["levels"]},
                  grading=data["grading"], timezone=data["timezone"],
                  shift_starts=tuple(data["shift_starts"]),
                  hold_hours=float(data.get("hold_hours", defaults.hold_hours)),
                  chase_calls=int(data.get("chase_calls", defaults.chase_calls)),
                  chase_interval_minutes=float(data.get("chase_interval_minutes",
                                                        defaults.chase_interval_minutes)),
                  stations=dict(data.get("stations") or {}),
                  callback_grace_minutes=float(data.get("callback_grace_minutes",
                                                        defaults.callback_grace_minutes)),
                  callback_horizon_days=float(data.get("callback_horizon_days",
                                                       defaults.callback_horizon_days)),
                  self_approval=bool(data.get("self_approval", defaults.self_approval)))


def raise_for(response: httpx.Response) -> None:
    """Turn an error answer into the core's error of the same meaning."""
    code = response.status_code
    if code < 400:
        return
    try:
        body = response.json()
    except ValueError:
        body = {"detail": response.text}
    detail = body.get("detail") if isinstance(body, dict) else body
    if code == 422 and isinstance(detail, list) and detail:
        first = detail[0]
        loc = first.get("loc") or []
        # ["body", "shift_starts", 0]: the field is the top-level one, as the core names it.
        field = loc[1] if len(loc) > 1 and loc[0] in ("body", "query", "path") else \
            (loc[-1] if loc else None)
        raise InvalidInput(str(first.get("msg")), field=None if field is None else str(field))
    message = detail if isinstance(detail, str) else str(detail)
    if code == 401:
        raise NotAuthenticated(message)
    if code == 403:
        raise Forbidden(message)
    if code == 404:
        raise NotFound(message)
    if code == 409:
        raise Conflict(message, holder=body.get("holder") if isinstance(body, dict) else None)
    if code == 503:
        raise DatabaseBusy(message)
    raise DissuadeError(f"中心服务器错误 / hub error {code}: {message}")


class HttpSource:
    """A hub at `url`, acting as the holder of `token`.

    When the hub cannot be reached, `record_attempt` and `propose_escalation` keep the work in
    an outbox file (this hub's and this user's) and return at once with ``pending=True``. The
    outbox replays on a thread of its own whenever a call reaches the hub again, one replayer
    at a time; `replay_outbox` does the same in the caller's thread. `watch_link` tells a
    listener the moment a call fails to reach the hub, the moment one gets through again, and
    each change of the outbox.
    """

    def __init__(self, url: str, *, token: str, outbox_path: str | None = None,
                 timeout: httpx.Timeout = TIMEOUT) -> None:
        if not token:
            raise NotAuthenticated("需要令牌 / a token is required (DISSUADE_TOKEN or --token)")
        self.kind = "hub"
        self.location = url.rstrip("/")
        # retries: a connection that fails to open is tried again (nothing was sent on it).
        self._http = httpx.Client(base_url=self.location, timeout=timeout,
                                  transport=httpx.HTTPTransport(retries=2),
                                  headers={"Authorization": f"Bearer {token}"})
        self._online: bool | None = None  # not known until the first call
        self._signed_in = True
        self._ready = False
        self._listeners: list[LinkListener] = []
        self._notify_lock = threading.RLock()
        self._serial = 0
        self._replay_lock = threading.Lock()
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._replayer: threading.Thread | None = None
        self._maybe_waiting = True  # a hint: whether a successful call should wake the replayer
        # The outbox is this hub's and this user's (settled), not the token's: a rotated token
        # still finds what waits. An earlier version kept items and the cached /me under this
        # key; the cached /me stays under it (it says whose a token is when starting offline).
        token_key = hashlib.sha256(f"{self.location}|{token}".encode()).hexdigest()[:16]
        self.outbox = Outbox(outbox_path or paths.data_dir() / "outbox.db", hub=self.location)
        self._policy_version: int | None = None
        try:
            me = self._call("GET", "/api/v1/me")
            policy = self._call("GET", "/api/v1/policy")
            self.outbox.remember("me", me, scope=token_key)
            self.outbox.remember("policy", policy)
        except HubUnreachable:
            me = self.outbox.recall("me", scope=token_key)
            policy = self.outbox.recall("policy") or self.outbox.recall("policy", scope=token_key)
            if me is None or policy is None:
                self.close()
                raise
        except BaseException:
            self.close()
            raise
        self.user: str = me["name"]
        self.role: str = me["role"]
        self._policy = _policy_in(policy)
        self.outbox.bind(self.user, legacy=token_key)
        self._maybe_waiting = self.outbox.has_waiting()
        self._ready = True
        if self._online and self._maybe_waiting:
            self._wake_replayer()  # the hub answers: send what an earlier session left waiting

    # -- plumbing -------------------------------------------------------------------------

    def _send(self, method: str, path: str, *, replaying: bool = False,
              **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            # The officer reads a plain sentence; the log keeps what the network said.
            self._reached(False, detail=f"{method} {path}: {type(exc).__name__}: {exc}")
            raise HubUnreachable(f"无法连接中心服务器 / cannot reach the hub ({self.location})") \
                from None
        self._reached(True, status=response.status_code, replaying=replaying)
        return response

    def _reached(self, online: bool, *, status: int | None = None, replaying: bool = False,
                 detail: str = "") -> None:
        """Note how the last call went; tell listeners what changed; and when the hub answers
        while items wait, wake the replayer (never from the replayer's own calls)."""
        changed = online != self._online
        if changed and not online:
            log.warning("hub %s unreachable: %s", self.location, detail)
        elif changed and self._online is False:
            log.info("hub %s answers again", self.location)
        self._online = online
        if status == 401 and self._signed_in:
            self._signed_in, changed = False, True
            log.warning("hub %s no longer accepts this session or token", self.location)
        elif status is not None and 200 <= status < 300 and not self._signed_in:
            self._signed_in, changed = True, True
        if changed:
            self._notify()
        if online and not replaying and status is not None and status < 500 and status != 401 \
                and self._maybe_waiting:
            self._wake_replayer()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, **kwargs)
        raise_for(response)
        return None if response.status_code == 204 else response.json()

    def describe(self) -> str:
        return f"中心服务器 / hub: {self.location}"

    def policy(self) -> Policy:
        return self._policy

    # -- the queue ------------------------------------------------------------------------

    def queue_size(self) -> int:
        return int(self._call("GET", "/api/v1/queue/size")["size"])

    def queue(self, limit: int = 50, offset: int = 0) -> list[Warning]:
        data = self._call("GET", "/api/v1/queue", params={"limit": limit, "offset": offset})
        return [wire.warning_in(d) for d in data]

    def claim_next(self, *, client_id: str | None = None) -> Warning | None:
        """Claim the most urgent warning. The request carries a client_id and is sent again
        with it when its answer is lost: the hub answers the same warning, so a claim whose
        answer never arrived never leaves a warning held by nobody who knows it."""
        body = {"client_id": client_id or str(uuid.uuid4())}
        for attempt in range(CLAIM_TRIES):
            try:
                data = self._call("POST", "/api/v1/queue/claim-next", json=body)
            except HubUnreachable:
                if attempt == CLAIM_TRIES - 1:
                    raise
                continue
            return None if data is None else wire.warning_in(data)
        return None  # unreachable: the loop returns or raises

    def claim(self, warning_id: int) -> Warning:
        return wire.warning_in(self._call("POST", f"/api/v1/warnings/{warning_id}/claim"))

    def release(self, warning_id: int) -> Warning:
        return wire.warning_in(self._call("POST", f"/api/v1/warnings/{warning_id}/release"))

    def get(self, warning_id: int) -> WarningDetail:
        return wire.detail_in(self._call("GET", f"/api/v1/warnings/{warning_id}"))

    def add_warning(self, data: dict[str, object]) -> Receipt:
        response = self._send("POST", "/api/v1/warnings", json=data)
        raise_for(response)
        body = response.json()
        return Receipt(WarningId(body["id"]), body["status"], response.status_code == 201,
                       tuple(body.get("problems") or ()))

    def add_warnings(self, items: list[dict[str, object]]) -> list[IngestResult]:
        data = self._call("POST", "/api/v1/warnings/batch", json={"warnings": items})
        return [IngestResult(r["index"], r["id"], r["created"], r["error"], r["field"],
                             r.get("status"), tuple(r.get("problems") or ()))
                for r in data["results"]]

    # -- attempts and escalations, kept offline when the hub is away --------------------------

    def record_attempt(
        self, warning_id: int, outcome: str, notes: str = "", *,
        client_id: str | None = None, started_at: float | None = None,
        ended_at: float | None = None, amount_lost: object = None,
        callback_at: float | None = None, callback_scope: str | None = None,
        escalation: dict[str, object] | None = None, settles: list[int] | None = None,
    ) -> Attempt:
        payload = {
            "client_id": client_id or str(uuid.uuid4()), "outcome": outcome, "notes": notes,
            "started_at": _iso(started_at), "ended_at": _iso(ended_at),
            "amount_lost": amount_lost, "callback_at": _iso(callback_at),
            "callback_scope": callback_scope, "escalation": escalation,
            # The warnings on screen, so that a replay never settles one that arrived later.
            "settles": None if settles is None else [int(i) for i in settles],
        }
        payload = {k: v for k, v in payload.items() if v is not None}
        data = self._send_or_keep("attempt", warning_id, payload)
        if data is None:
            return Attempt(id=AttemptId(0), warning_id=WarningId(warning_id),
                           client_id=str(payload["client_id"]), officer=self.user,
                           outcome=outcome, notes=notes, started_at=started_at,
                           ended_at=ended_at, recorded_at=timeutil.now(), pending=True,
                           callback_at=callback_at, callback_scope=callback_scope)
        return wire.attempt_in(data)

    def propose_escalation(
        self, warning_id: int, *, kind: str, reason: str, cards: object = None,
        amount: object = None, client_id: str | None = None,
    ) -> Escalation:
        payload: dict[str, Any] = {"client_id": client_id or str(uuid.uuid4()), "kind": kind,
                                   "reason": reason}
        if cards not in (None, "", []):
            payload["cards"] = cards
        if amount not in (None, ""):
            payload["amount"] = amount
        data = self._send_or_keep("escalation", warning_id, payload)
        if data is None:
            return Escalation(id=EscalationId(0), warning_id=WarningId(warning_id),
                              client_id=payload["client_id"], kind=kind, status="proposed",
                              reason=reason, cards=(), amount=None, proposed_by=self.user,
                              proposed_at=timeutil.now(), pending=True)
        return wire.escalation_in(data)

    def _path(self, kind: str, warning_id: int) -> str:
        leaf = "attempts" if kind == "attempt" else "escalations"
        return f"/api/v1/warnings/{warning_id}/{leaf}"

    def _send_or_keep(self, kind: str, warning_id: int,
                      payload: dict[str, Any]) -> dict[str, Any] | None:
        """Send now, or keep it in the outbox: when the hub is known to be away (the officer
        hears so at once instead of after the network's timeouts), when it cannot be reached or
        is busy, when it no longer accepts the token, and behind an item of the same warning
        already waiting (one warning's work is never sent out of order)."""
        if self._online is not False and self._signed_in \
                and not self.outbox.has_waiting(warning_id):
            try:
                return self._call("POST", self._path(kind, warning_id), json=payload)
            except (HubUnreachable, DatabaseBusy, NotAuthenticated):
                pass
        self.outbox.add(kind, warning_id, payload["client_id"], payload)
        self._maybe_waiting = True
        self._notify()
        self._wake_replayer()
        return None

    def replay_outbox(self) -> tuple[int, int]:
        """Send what waits, in order; (items settled: sent or refused, items still waiting).

        One replayer at a time (a lock here, a lease in the outbox file for other processes).
        The round stops when the hub cannot be reached, is busy or refuses the token; an item
        the hub refuses (403, 404, 409, 422), or answers unexpectedly for the third time,
        becomes a conflict; items of other warnings go on, later items of its warning wait."""
        settled = 0
        with self._replay_lock:
            if self.outbox.lease():
                try:
                    settled = self._replay_round()
                finally:
                    self.outbox.release()
            waiting = self.outbox.count()
            self._maybe_waiting = waiting > 0
        self._notify()
        return settled, waiting

    def _replay_round(self) -> int:
        settled = 0
        held = self.outbox.held()
        for item in self.outbox.waiting():
            if self._closing.is_set():
                break
            if item.warning_id in held:
                continue
            if not self.outbox.lease():  # renewed item by item; lost only if we stalled
                break
            verdict = self._replay(item)
            if verdict == "stop":
                break
            if verdict in ("sent", "refused"):
                settled += 1
                self._notify()
            if verdict in ("refused", "again"):
                held.add(item.warning_id)
        return settled

    def _replay(self, item: Item) -> str:
        """Send one item: "sent", "refused" (now a conflict), "again" (an unexpected answer,
        tried again later) or "stop" (the hub is away or busy, or refuses the token)."""
        try:
            response = self._send("POST", self._path(item.kind, item.warning_id),
                                  json=item.payload, replaying=True)
        except HubUnreachable:
            return "stop"
        except Exception as exc:  # noqa: BLE001 - counted against the item, never lost
            return self._unexpected(item, f"{type(exc).__name__}: {exc}")
        code = response.status_code
        if 200 <= code < 300:
            try:
                body = response.json()
            except ValueError:
                body = None
            if not isinstance(body, dict):
                return self._unexpected(item, f"HTTP {code}: {response.text[:200]!r}")
            self.outbox.sent(item.seq)
            return "sent"
        if code == 401 or code in LATER:
            return "stop"  # 401: kept until the officer signs in again
        if code in REFUSED:
            try:
                raise_for(response)
            except DissuadeError as exc:
                self.outbox.conflict(item.seq, str(exc))
            return "refused"
        return self._unexpected(item, f"HTTP {code}: {response.text[:200]}")

    def _unexpected(self, item: Item, detail: str) -> str:
        failures = self.outbox.failed(item.seq, detail)
        log.warning("outbox item %s (warning %s): unexpected answer %d of %d: %s", item.seq,
                    item.warning_id, failures, UNEXPECTED_LIMIT, detail)
        if failures < UNEXPECTED_LIMIT:
            return "again"
        self.outbox.conflict(item.seq, f"中心服务器 {failures} 次异常应答 / the hub answered "
                                       f"unexpectedly {failures} times: {detail}")
        return "refused"

    def _wake_replayer(self) -> None:
        """Have the replayer thread send what waits, without holding up the caller."""
        if self._closing.is_set() or not self._ready:
            return
        with self._notify_lock:
            if self._replayer is None:
                self._replayer = threading.Thread(target=self._replay_loop, daemon=True,
                                                  name="dissuade-outbox")
                self._replayer.start()
        self._wake.set()

    def _replay_loop(self) -> None:
        while True:
            self._wake.wait()
            if self._closing.is_set():
                return
            self._wake.clear()
            try:
                self.replay_outbox()
            except Exception:  # noqa: BLE001 - the outbox closed under us, or a bug: go on
                if self._closing.is_set():
                    return
                log.warning("outbox replay failed", exc_info=True)

    def outbox_status(self) -> tuple[int, list[Item]]:
        """(items waiting to be sent, items the hub refused and the officer must resolve)."""
        return self.outbox.count(), self.outbox.conflicts()

    def resolve_conflict(self, seq: int) -> None:
        self.outbox.discard(seq)
        self._maybe_waiting = True  # items of its warning that waited behind it may go now
        self._notify()
        self._wake_replayer()

    # -- the link, for the status bar ------------------------------------------------------

    def link_state(self) -> LinkState:
        with self._notify_lock:
            waiting, conflicts = self.outbox.counts()
            self._serial += 1
            return LinkState(online=self._online is not False, waiting=waiting,
                             conflicts=conflicts, signed_in=self._signed_in, serial=self._serial)

    def watch_link(self, listener: LinkListener) -> Callable[[], None]:
        """Call `listener(LinkState)` (on whichever thread made the call) when a call fails to
        reach the hub, when one reaches it again, when the token is refused or accepted again,
        and when the outbox changes. Returns what stops it."""
        self._listeners.append(listener)

        def stop() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return stop

    def _notify(self) -> None:
        if not self._listeners or not self._ready or self._closing.is_set():
            return
        # One state at a time, read and told under the lock: the last told is the latest.
        with self._notify_lock:
            try:
                state = self.link_state()
            except sqlite3.ProgrammingError:  # the outbox closed as the window quit
                return
            for listener in list(self._listeners):
                try:
                    listener(state)
                except Exception:  # noqa: BLE001 - a listener's bug must not break the call
                    log.warning("link listener failed", exc_info=True)

    # -- the playbook's records ------------------------------------------------------------

    def reassign(self, warning_id: int, *, to: str | None, reason: str) -> Warning:
        return wire.warning_in(self._call("POST", f"/api/v1/warnings/{warning_id}/reassign",
                                          json={"to": to, "reason": reason}))

    def retype_warning(self, warning_id: int, *, scam_type: str, reason: str = "") -> Warning:
        return wire.warning_in(self._call("POST", f"/api/v1/warnings/{warning_id}/retype",
                                          json={"scam_type": scam_type, "reason": reason}))

    def record_message(self, warning_id: int, *, text: str, via: str, result: str = "",
                       client_id: str | None = None) -> Message:
        return wire.message_in(self._call(
            "POST", f"/api/v1/warnings/{warning_id}/messages",
            json={"client_id": client_id or str(uuid.uuid4()), "text": text, "via": via,
                  "result": result}))

    def save_rehearsal(self, *, scam_type: str, lang: str, points_made: int, points_total: int,
                       detail: list[dict[str, Any]]) -> RehearsalResult:
        return wire.rehearsal_in(self._call("POST", "/api/v1/rehearsals", json={
            "scam_type": scam_type, "lang": lang, "points_made": points_made,
            "points_total": points_total, "detail": detail}))

    def rehearsals(self, *, trainee: str | None = None) -> list[RehearsalResult]:
        params = {"trainee": trainee} if trainee else {}
        return [wire.rehearsal_in(d) for d in self._call("GET", "/api/v1/rehearsals",
                                                          params=params)]

    # -- time limits and escalation ----------------------------------------------------------

    def update_level_policy(self, level: str, changes: dict[str, Any]) -> Policy:
        data = self._call("PUT", f"/api/v1/policy/levels/{level}", json=changes)
        self._policy = _policy_in(data)
        self.outbox.remember("policy", data)
        return self._policy

    def raise_level(self, warning_id: int, *, level: str, reason: str) -> Warning:
        return wire.warning_in(self._call("POST", f"/api/v1/warnings/{warning_id}/raise-level",
                                          json={"level": level, "reason": reason}))

    def why(self, warning_id: int, *, lang: str = "zh") -> str:
        return str(self._call("GET", f"/api/v1/warnings/{warning_id}/why",
                              params={"lang": lang})["why"])

    def extend_hold(self, escalation_id: int, *, note: str = "") -> Escalation:
        return wire.escalation_in(self._call(
            "POST", f"/api/v1/escalations/{escalation_id}/extend-hold", json={"note": note}))

    def holds_running_out(self, *, within: float) -> list[Escalation]:
        return [wire.escalation_in(d) for d in self._call(
            "GET", "/api/v1/escalations/holds", params={"within": within})]

    def escalation_detail(self, escalation_id: int) -> EscalationDetail:
        return wire.escalation_detail_in(self._call("GET", f"/api/v1/escalations/{escalation_id}"))

    # -- leads ----------------------------------------------------------------------------

    def decide_escalation(self, escalation_id: int, *, decision: str, note: str = "") -> Escalation:
        return wire.escalation_in(self._call(
            "POST", f"/api/v1/escalations/{escalation_id}/decision",
            json={"decision": decision, "note": note}))

    def advance_escalation(self, escalation_id: int, *, status: str, note: str = "") -> Escalation:
        return wire.escalation_in(self._call(
            "POST", f"/api/v1/escalations/{escalation_id}/status",
            json={"status": status, "note": note}))

    def active_escalations(self) -> list[Escalation]:
        return [wire.escalation_in(d) for d in self._call("GET", "/api/v1/escalations/active")]

    def pending_escalations(self) -> list[Escalation]:
        return [wire.escalation_in(d) for d in self._call("GET", "/api/v1/escalations/pending")]

    def stats(self, *, start: float | None = None, end: float | None = None) -> dict[str, Any]:
        params = {k: v for k, v in (("from", _iso(start)), ("to", _iso(end))) if v}
        return self._call("GET", "/api/v1/stats", params=params)

    def update_settings(self, changes: dict[str, Any]) -> Policy:
        data = self._call("PUT", "/api/v1/policy/settings", json=changes)
        self._policy = _policy_in(data)
        self.outbox.remember("policy", data)
        return self._policy

    def gateways(self) -> dict[str, str | None]:
        return dict(self._call("GET", "/api/v1/gateways"))

    def breaches(self, *, since: float) -> tuple[int, list[Warning]]:
        data = self._call("GET", "/api/v1/breaches", params={"since": _iso(since)})
        return int(data["count"]), [wire.warning_in(d) for d in data["warnings"]]

    def bank_request_pdf(self, escalation_id: int, *, reason: str) -> bytes:
        response = self._send("GET", f"/api/v1/escalations/{escalation_id}/request.pdf",
                              params={"reason": reason})
        raise_for(response)
        return response.content

    def send_bank_request(self, escalation_id: int) -> Escalation:
        return wire.escalation_in(self._call("POST", f"/api/v1/escalations/{escalation_id}/send",
                                             timeout=90))

    def run_chase_calls(self) -> int:
        return 0  # the hub makes the chase calls itself, with its own dialer

    # -- the lead's review, reports and the audit ---------------------------------------------

    def reveal(self, warning_id: int, *, field: str, reason: str) -> list[str]:
        data = self._call("POST", f"/api/v1/warnings/{warning_id}/reveal",
                          json={"field": field, "reason": reason})
        return list(data["values"])

    def find_warnings(self, filters: dict[str, Any], *, limit: int = 100,
                      offset: int = 0) -> tuple[int, list[Found]]:
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        for key, value in filters.items():
            if value in (None, ""):
                continue
            name = {"start": "from", "end": "to"}.get(key, key)
            params[name] = _iso(value) if key in ("start", "end") else value
        data = self._call("GET", "/api/v1/warnings", params=params)
        return int(data["total"]), [wire.found_in(d) for d in data["items"]]

    def warning_history(self, warning_id: int) -> WarningHistory:
        return wire.history_full_in(self._call("GET", f"/api/v1/warnings/{warning_id}/history"))

    def officers(self) -> list[str]:
        return [str(n) for n in self._call("GET", "/api/v1/officers")]

    def review_attempt(self, attempt_id: int, *, verdict: str, comment: str = "") -> Review:
        return wire.review_in(self._call("POST", f"/api/v1/attempts/{attempt_id}/review",
                                         json={"verdict": verdict, "comment": comment}))

    def shift_report(self, *, start: float | None = None,
                     end: float | None = None) -> dict[str, Any]:
        params = {k: v for k, v in (("from", _iso(start)), ("to", _iso(end))) if v}
        return dict(self._call("GET", "/api/v1/report", params=params))

    def audit_entries(self, **filters: Any) -> list[AuditEntry]:
        params: dict[str, Any] = {}
        for key, value in filters.items():
            if value in (None, ""):
                continue
            name = {"start": "from", "end": "to"}.get(key, key)
            params[name] = _iso(value) if key in ("start", "end") else value
        return [wire.audit_in(d) for d in self._call("GET", "/api/v1/audit", params=params)]

    def verify_audit(self) -> Verdict:
        return wire.verdict_in(self._call("GET", "/api/v1/audit/verify", timeout=300))

    # -- live -----------------------------------------------------------------------------

    def wait_for_changes(self, *, after: int, after_warning: int,
                         timeout: float = 20.0) -> Changes:
        """Block until something changes after `after` (or timeout): (seq, last id, arrivals),
        with the policy's version; a new version fetches the policy before this returns."""
        data = self._call("GET", "/api/v1/events", timeout=timeout + 10, params={
            "after": after, "after_warning": after_warning, "timeout": timeout})
        version = int(data.get("policy_version") or 0)
        if version and version != self._policy_version:
            self._refresh_policy(version)
        due = data.get("next_change")
        return Changes(int(data["seq"]), int(data["last_warning_id"]),
                       [wire.warning_in(d) for d in data["arrivals"]], policy_version=version,
                       next_change=timeutil.parse(due) if due else None)

    def _refresh_policy(self, version: int) -> None:
        data = self._call("GET", "/api/v1/policy")
        self._policy = _policy_in(data)
        self._policy_version = version
        self.outbox.remember("policy", data)

    def close(self) -> None:
        self._closing.set()
        self._wake.set()
        replayer = self._replayer
        if replayer is not None and replayer is not threading.current_thread():
            replayer.join(timeout=5)
        self._listeners.clear()
        self._http.close()
        if hasattr(self, "outbox"):
            self.outbox.close()
