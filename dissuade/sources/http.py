"""The hub as a source: the same interface as a local file, over HTTP, with an offline outbox."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
import typing
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
    SlowDown,
)
from dissuade.domain.models import Attempt, AttemptId, Escalation, EscalationId, Warning, WarningId
from dissuade.domain.policy import Policy
from dissuade.sources import codec, wire
from dissuade.sources.base import Changes, LinkListener, LinkState, Source
from dissuade.sources.ops import OPERATIONS, Op
from dissuade.sources.outbox import Item, Outbox

TIMEOUT = httpx.Timeout(10.0, connect=3.0)
CLAIM_TRIES = 3  # a claim-next whose answer was lost is asked again with its client_id
UNEXPECTED_LIMIT = 3  # unexpected answers before an outbox item becomes a conflict (settled)
REFUSED = frozenset({403, 404, 409, 422})  # the hub will never take it: a conflict at once
LATER = frozenset({429, 503})  # the hub answers but cannot take it now: try again later
# A replayed outbox item says so, so that the hub can count replays (its /metrics).
REPLAY_HEADERS = {"X-Dissuade-Replay": "1"}
log = logging.getLogger(__name__)


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
    if code == 429:
        try:
            wait = float(response.headers.get("Retry-After") or 1)
        except ValueError:
            wait = 1.0
        raise SlowDown(message, retry_after=wait)
    raise DissuadeError(f"中心服务器错误 / hub error {code}: {message}")


class HttpSource(Source):
    """A hub at `url`, acting as the holder of `token`.

    When the hub cannot be reached, `record_attempt` and `propose_escalation` keep the work in
    an outbox file (this hub's and this user's) and return at once with ``pending=True``. The
    outbox replays on a thread of its own whenever a call reaches the hub again, one replayer
    at a time; `replay_outbox` does the same in the caller's thread. `watch_link` tells a
    listener the moment a call fails to reach the hub, the moment one gets through again, and
    each change of the outbox.
    """

    session_expires_at: float | None = None  # set when this source signed in with a password

    @classmethod
    def sign_in(cls, url: str, *, user: str, password: str, outbox_path: str | None = None,
                timeout: httpx.Timeout = TIMEOUT) -> HttpSource:
        """Sign in at the hub with a name and password (POST /api/v1/session) and act as the
        session's holder. NotAuthenticated for a wrong name or password, SlowDown after
        repeated failures (wait its `retry_after`), HubUnreachable when the hub is away."""
        token, expires = _new_session(url.rstrip("/"), user, password, timeout)
        source = cls(url, token=token, outbox_path=outbox_path, timeout=timeout)
        source.session_expires_at = expires
        return source

    def __init__(self, url: str, *, token: str, outbox_path: str | None = None,
                 timeout: httpx.Timeout = TIMEOUT) -> None:
        if not token:
            raise NotAuthenticated("需要令牌 / a token is required (DISSUADE_TOKEN or --token)")
        self.kind = "hub"
        self.location = url.rstrip("/")
        # Several hub processes over one database are one hub: `url` may list them,
        # comma-separated; a request goes to the one that answered last, and to the next when
        # a connection cannot be opened there (nothing was sent on it, so nothing is done twice;
        # what may have reached a dying hub is sent again with its client_id).
        self._urls = hub_urls(url)
        self._active = 0
        # retries: a connection that fails to open is tried again (nothing was sent on it).
        self._http = httpx.Client(base_url=self._urls[0], timeout=timeout,
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
        self._policy = wire.policy_in(policy)
        self.outbox.bind(self.user, legacy=token_key)
        self._maybe_waiting = self.outbox.has_waiting()
        self._ready = True
        if self._online and self._maybe_waiting:
            self._wake_replayer()  # the hub answers: send what an earlier session left waiting

    # -- plumbing -------------------------------------------------------------------------

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """The request at the hub process that answered last, or the next one that can be
        reached; ConnectError when none can."""
        for step in range(len(self._urls)):
            at = (self._active + step) % len(self._urls)
            try:
                response = self._http.request(method, self._urls[at] + path, **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout):
                if step == len(self._urls) - 1:
                    raise
                log.warning("hub %s cannot be reached: trying %s", self._urls[at],
                            self._urls[(at + 1) % len(self._urls)])
                continue
            if at != self._active:
                log.info("hub: now working with %s", self._urls[at])
                self._active = at
            return response
        raise AssertionError("unreachable")

    def _send(self, method: str, path: str, *, replaying: bool = False,
              **kwargs: Any) -> httpx.Response:
        try:
            response = self._request(method, path, **kwargs)
        except httpx.TransportError as exc:
            if self._closing.is_set():  # the window closed under a long poll: no outage
                raise HubUnreachable(f"无法连接中心服务器 / cannot reach the hub "
                                     f"({self.location})") from None
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

    # -- signing in again, signing out ---------------------------------------------------

    def reauthenticate(self, password: str) -> None:
        """This user's password again (the idle lock, a session that ran out): a new session
        replaces the current one, so the claim, the notes and the outbox stay as they are; the
        old session ends. Then a call with the new token lets the outbox go on."""
        token, expires = _new_session(self._urls[self._active], self.user, password,
                                      self._http.timeout)
        old = self._http.headers.get("Authorization", "")
        self._http.headers["Authorization"] = f"Bearer {token}"
        if self.session_expires_at is not None and old:
            self._end(old)
        self.session_expires_at = expires
        self._call("GET", "/api/v1/me")  # signed in again: the status bar and replay follow

    def end_session(self) -> None:
        """Sign out: the session's token stops working at once (a long-lived token is left
        alone). An unreachable hub is logged: the session then lapses at its time."""
        if self.session_expires_at is None:
            return
        self._end(self._http.headers.get("Authorization", ""))
        self.session_expires_at = None

    def _end(self, authorization: str) -> None:
        try:
            response = self._request("DELETE", "/api/v1/session",
                                     headers={"Authorization": authorization})
        except httpx.TransportError as exc:
            log.warning("hub %s: session not ended (%s); it lapses at its time", self.location,
                        type(exc).__name__)
            return
        if response.status_code not in (204, 401):
            log.warning("hub %s: ending the session answered %s", self.location,
                        response.status_code)

    # -- the table's operations --------------------------------------------------------------

    def _invoke(self, operation: Op, args: dict[str, Any]) -> Any:
        """One operation of the table as a request to the hub, and its answer back. Attempts
        and proposals go through the outbox (kept when the hub is away)."""
        if operation.local_only:
            return 0  # the hub does it itself (its own dialer makes the chase calls)
        if operation.offline is not None:
            return self._send_or_keep(operation, args)
        path, query, body = wire.request(operation, args)
        kwargs: dict[str, Any] = {"params": query} if query else {}
        if body is not None:
            kwargs["json"] = body
        if operation.timeout is not None:
            kwargs["timeout"] = operation.timeout
        response = self._send(operation.method, path, **kwargs)
        raise_for(response)
        data = None if response.status_code == 204 or operation.media_type else response.json()
        value = wire.result(operation, response.status_code, response.content, data)
        if isinstance(value, Policy):  # a lead changed it from here: keep it for the screens
            self._policy = value
            self.outbox.remember("policy", data)
        return value

    def policy(self) -> Policy:
        """The centre policy as last fetched: at start, on a change seen by the live wait, after
        this client's own change (a screen reads it without a round trip)."""
        return self._policy

    def claim_next(self, *, client_id: str | None = None) -> Warning | None:
        """Claim the most urgent warning. The request carries a client_id and is sent again
        with it when its answer is lost: the hub answers the same warning, so a claim whose
        answer never arrived never leaves a warning held by nobody who knows it."""
        operation = OPERATIONS["claim_next"]
        args = {"client_id": client_id or str(uuid.uuid4())}
        for attempt in range(CLAIM_TRIES):
            try:
                return typing.cast(Warning | None, self._invoke(operation, args))
            except HubUnreachable:
                if attempt == CLAIM_TRIES - 1:
                    raise
        return None  # unreachable: the loop returns or raises

    # -- attempts and escalations, kept offline when the hub is away --------------------------

    def _send_or_keep(self, operation: Op, args: dict[str, Any]) -> Any:
        """Send now, or keep it in the outbox: when the hub is known to be away (the officer
        hears so at once instead of after the network's timeouts), when it cannot be reached or
        is busy, when it no longer accepts the token, and behind an item of the same warning
        already waiting (one warning's work is never sent out of order). Kept, it answers at
        once with a pending record."""
        args = {**args, "client_id": args.get("client_id") or str(uuid.uuid4())}
        path, _query, payload = wire.request(operation, args)
        warning_id = int(args["warning_id"])
        kind = str(operation.offline)
        if self._online is not False and self._signed_in \
                and not self.outbox.has_waiting(warning_id):
            try:
                data = self._call("POST", path, json=payload)
                return wire.result(operation, 201, b"", data)
            except (HubUnreachable, DatabaseBusy, NotAuthenticated):
                pass
        self.outbox.add(kind, warning_id, str(args["client_id"]), payload or {})
        self._maybe_waiting = True
        self._notify()
        self._wake_replayer()
        return _pending(operation, args, user=self.user)

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
            response = self._send("POST", _OUTBOX_PATHS[item.kind].format(
                warning_id=item.warning_id), json=item.payload, replaying=True,
                headers=REPLAY_HEADERS)
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
            if item.kind == "attempt" and isinstance(body.get("id"), int):
                # An undo clicked while it waited finds the attempt the hub made of it.
                self.outbox.remember(f"sent:{item.client_id}", body["id"])
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

    def withdraw_kept(self, client_id: str) -> int | None:
        """An outcome kept offline and undone: out of the outbox if it is still there (0). The
        replay lock is held, so it is never on its way to the hub meanwhile; if the replayer
        sent it already, the id the hub gave it (for `undo_attempt`)."""
        with self._replay_lock:
            if self.outbox.withdraw(client_id):
                self._maybe_waiting = self.outbox.has_waiting()
                taken = True
            else:
                taken = False
        if taken:
            self._notify()
            return 0
        sent = self.outbox.recall(f"sent:{client_id}")
        return int(sent) if sent else None

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
                       codec.from_json(data["arrivals"], list[Warning]),
                       policy_version=version,
                       next_change=timeutil.parse(due) if due else None)

    def _refresh_policy(self, version: int) -> None:
        data = self._call("GET", "/api/v1/policy")
        self._policy = wire.policy_in(data)
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


def hub_urls(url: str) -> list[str]:
    """The hub processes a `--server` value names: one URL, or several separated by commas."""
    urls = [u.strip().rstrip("/") for u in url.split(",") if u.strip()]
    if not urls:
        raise InvalidInput("中心服务器地址为空 / no hub URL given", field="server")
    return urls


def _new_session(url: str, user: str, password: str,
                 timeout: httpx.Timeout) -> tuple[str, float]:
    """POST /api/v1/session: (token, expires_at)."""
    if not user:
        raise InvalidInput("请输入用户名 / enter a user name", field="user")
    if not password:
        raise InvalidInput("请输入密码 / enter the password", field="password")
    response: httpx.Response | None = None
    with httpx.Client(timeout=timeout, transport=httpx.HTTPTransport(retries=2)) as client:
        for base in hub_urls(url):  # the first hub process that can be reached
            try:
                response = client.post(base + "/api/v1/session",
                                       json={"user": user, "password": password})
                break
            except httpx.TransportError as exc:
                log.warning("hub %s unreachable: sign-in: %s: %s", base, type(exc).__name__,
                            exc)
        if response is None:
            raise HubUnreachable(f"无法连接中心服务器 / cannot reach the hub ({url})")
    if response.status_code == 422:
        raise InvalidInput("用户名或密码格式不对 / the user name or password is not valid",
                           field="user")
    raise_for(response)
    try:
        data = response.json()
        return str(data["token"]), timeutil.parse(data["expires_at"])
    except (ValueError, KeyError, TypeError, DissuadeError):
        raise DissuadeError(f"中心服务器应答异常 / the hub answered unexpectedly "
                            f"({response.status_code}): is {url} a dissuade hub?") from None


# Where a kept item goes when it is sent (the outbox stores its kind, as it always did).
_OUTBOX_PATHS = {OPERATIONS[name].offline: OPERATIONS[name].path
                 for name in ("record_attempt", "propose_escalation")}


def _pending(operation: Op, args: dict[str, Any], *, user: str) -> Attempt | Escalation:
    """What an attempt or a proposal kept in the outbox answers at once: itself, pending."""
    now = timeutil.now()
    if operation.offline == "attempt":
        return Attempt(id=AttemptId(0), warning_id=WarningId(args["warning_id"]),
                       client_id=str(args["client_id"]), officer=user, outcome=args["outcome"],
                       notes=args.get("notes") or "", started_at=args.get("started_at"),
                       ended_at=args.get("ended_at"), recorded_at=now, pending=True,
                       dialled_at=args.get("dialled_at"),
                       callback_at=args.get("callback_at"),
                       callback_scope=args.get("callback_scope"))
    return Escalation(id=EscalationId(0), warning_id=WarningId(args["warning_id"]),
                      client_id=str(args["client_id"]), kind=args["kind"], status="proposed",
                      reason=args["reason"], cards=(), amount=None, proposed_by=user,
                      proposed_at=now, pending=True)
