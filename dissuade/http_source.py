"""The hub as a source: the same interface as a local file, over HTTP, with an offline outbox."""

from __future__ import annotations

import hashlib
import threading
import uuid
from typing import Any

import httpx

from dissuade import paths, timeutil, wire
from dissuade.errors import (
    Conflict,
    DatabaseBusy,
    DissuadeError,
    Forbidden,
    HubUnreachable,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from dissuade.models import (
    Attempt,
    AttemptId,
    Escalation,
    EscalationDetail,
    EscalationId,
    Warning,
    WarningDetail,
    WarningHistory,
    WarningId,
)
from dissuade.policy import LevelPolicy, Policy
from dissuade.store import IngestResult
from dissuade.store.audit import Entry as AuditEntry
from dissuade.store.audit import Verdict
from dissuade.store.outbox import Item, Outbox
from dissuade.store.review import Found, Review
from dissuade.store.training import Message, RehearsalResult

TIMEOUT = httpx.Timeout(10.0, connect=3.0)


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
                  stations=dict(data.get("stations") or {}))


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
    an outbox file and return at once with ``pending=True``; `replay_outbox` sends it in order
    when the hub answers again. A replay the hub refuses with 409 stays as a conflict.
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
        # One outbox per user of this machine and hub; the token's hash tells users apart.
        key = hashlib.sha256(f"{self.location}|{token}".encode()).hexdigest()[:16]
        self.outbox = Outbox(outbox_path or paths.data_dir() / "outbox.db", hub=key)
        self._replay_lock = threading.Lock()
        try:
            me = self._call("GET", "/api/v1/me")
            policy = self._call("GET", "/api/v1/policy")
            self.outbox.remember("me", me)
            self.outbox.remember("policy", policy)
        except HubUnreachable:
            me, policy = self.outbox.recall("me"), self.outbox.recall("policy")
            if me is None or policy is None:
                raise
        self.user: str = me["name"]
        self.role: str = me["role"]
        self._policy = _policy_in(policy)

    # -- plumbing -------------------------------------------------------------------------

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise HubUnreachable(f"无法连接中心服务器 / cannot reach the hub at "
                                 f"{self.location}: {exc}") from None

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

    def claim_next(self) -> Warning | None:
        data = self._call("POST", "/api/v1/queue/claim-next")
        return None if data is None else wire.warning_in(data)

    def claim(self, warning_id: int) -> Warning:
        return wire.warning_in(self._call("POST", f"/api/v1/warnings/{warning_id}/claim"))

    def release(self, warning_id: int) -> Warning:
        return wire.warning_in(self._call("POST", f"/api/v1/warnings/{warning_id}/release"))

    def get(self, warning_id: int) -> WarningDetail:
        return wire.detail_in(self._call("GET", f"/api/v1/warnings/{warning_id}"))

    def add_warning(self, data: dict[str, object]) -> tuple[Warning, bool]:
        response = self._send("POST", "/api/v1/warnings", json=data)
        raise_for(response)
        return wire.warning_in(response.json()), response.status_code == 201

    def add_warnings(self, items: list[dict[str, object]]) -> list[IngestResult]:
        data = self._call("POST", "/api/v1/warnings/batch", json={"warnings": items})
        return [IngestResult(r["index"], r["id"], r["created"], r["error"], r["field"])
                for r in data["results"]]

    # -- attempts and escalations, kept offline when the hub is away --------------------------

    def record_attempt(
        self, warning_id: int, outcome: str, notes: str = "", *,
        client_id: str | None = None, started_at: float | None = None,
        ended_at: float | None = None, amount_lost: object = None,
        callback_at: float | None = None, callback_scope: str | None = None,
        escalation: dict[str, object] | None = None,
    ) -> Attempt:
        payload = {
            "client_id": client_id or str(uuid.uuid4()), "outcome": outcome, "notes": notes,
            "started_at": _iso(started_at), "ended_at": _iso(ended_at),
            "amount_lost": amount_lost, "callback_at": _iso(callback_at),
            "callback_scope": callback_scope, "escalation": escalation,
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
        """Send now, or keep it in the outbox (behind anything already waiting there)."""
        if self.outbox.count() == 0:
            try:
                return self._call("POST", self._path(kind, warning_id), json=payload)
            except (HubUnreachable, DatabaseBusy):
                pass
        self.outbox.add(kind, warning_id, payload["client_id"], payload)
        self.replay_outbox()
        return None

    def replay_outbox(self) -> tuple[int, int]:
        """Send what waits, in order; (sent, still waiting). Stops at the first unreachable."""
        sent = 0
        with self._replay_lock:
            for item in self.outbox.waiting():
                try:
                    self._replay(item)
                except (HubUnreachable, DatabaseBusy):
                    break
                sent += 1
        return sent, self.outbox.count()

    def _replay(self, item: Item) -> None:
        try:
            self._call("POST", self._path(item.kind, item.warning_id), json=item.payload)
        except (Conflict, NotFound, InvalidInput, Forbidden) as exc:
            self.outbox.conflict(item.seq, str(exc))
        else:
            self.outbox.sent(item.seq)

    def outbox_status(self) -> tuple[int, list[Item]]:
        """(items waiting to be sent, items the hub refused and the officer must resolve)."""
        return self.outbox.count(), self.outbox.conflicts()

    def resolve_conflict(self, seq: int) -> None:
        self.outbox.discard(seq)

    # -- the playbook's records ------------------------------------------------------------

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
        self._policy = _policy_in(self._call("PUT", "/api/v1/policy/settings", json=changes))
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
                         timeout: float = 20.0) -> tuple[int, int, list[Warning]]:
        """Block until something changes after `after` (or timeout): (seq, last id, arrivals)."""
        data = self._call("GET", "/api/v1/events", timeout=timeout + 10, params={
            "after": after, "after_warning": after_warning, "timeout": timeout})
        return (int(data["seq"]), int(data["last_warning_id"]),
                [wire.warning_in(d) for d in data["arrivals"]])

    def close(self) -> None:
        self._http.close()
        self.outbox.close()
