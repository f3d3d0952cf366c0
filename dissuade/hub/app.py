"""The hub's FastAPI application: every route of DESIGN.md's API table, over one database file."""

# No `from __future__ import annotations` here: FastAPI reads the route signatures, and the
# role dependencies are local to create_app.


import asyncio
import contextlib
import ipaddress
import logging
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from dissuade import __version__
from dissuade.domain import timeutil
from dissuade.domain.codes import Role
from dissuade.domain.errors import DissuadeError, Forbidden, InvalidInput, NotAuthenticated
from dissuade.gateways.bank import BankGateway
from dissuade.gateways.dialer import Dialer
from dissuade.hub import errors, guard
from dissuade.hub.guard import LastResort
from dissuade.hub.limits import BodyLimit
from dissuade.hub.schemas import (
    WARNING_BATCH_MAX,
    AttemptIn,
    ClaimIn,
    DecisionIn,
    EscalationIn,
    MessageIn,
    NoteIn,
    RaiseLevelIn,
    ReassignIn,
    RehearsalIn,
    RetypeIn,
    RevealIn,
    ReviewIn,
    SettingsIn,
    StatusIn,
    WarningBatchIn,
    WarningIn,
)
from dissuade.hub.timing import ServerTiming
from dissuade.sources import wire
from dissuade.store import Store, throttle
from dissuade.store.connection import BUSY_TIMEOUT_MS

Id = Annotated[int, PathParam(ge=1, le=2**62)]
WATCH_INTERVAL = 0.2  # seconds between looks at the database for news (one query for everyone)
CHECKPOINT_EVERY = 10  # watch ticks between background WAL checkpoints (2 s)
CHASE_EVERY = 15.0  # seconds between looks for chase calls that are due
log = logging.getLogger(__name__)


class Caller:
    def __init__(self, name: str, role: str) -> None:
        self.name, self.role = name, role


def client_key(request: Request) -> str:
    """Whom wrong tokens are counted against: the client's address (an IPv6 client by its /64,
    which one machine usually holds whole). Forwarded-for headers are not believed."""
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"token:{host[:100]}"
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:10.0.0.7 is 10.0.0.7
    if address.version == 6 and mapped is None:
        return f"token:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"token:{mapped or address}"


class Stores:
    """One connection per worker thread: SQLite serialises writers, WAL lets readers run."""

    def __init__(self, path: str, busy_timeout_ms: int) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.write_lock = threading.Lock()  # one writer at a time, in turn (see Connection)
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()
        Store(path).close()  # create and migrate before the first request

    def get(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.path, create=False, busy_timeout_ms=self.busy_timeout_ms,
                          write_lock=self.write_lock)
            # No checkpoint inside a request's commit (a long stall for that caller); the
            # watcher checkpoints in the background instead.
            store.conn.execute("PRAGMA wal_autocheckpoint = 0")
            self._local.store = store
            with self._lock:
                self._all.append(store)
        return store

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                with contextlib.suppress(Exception):
                    store.close()
            self._all.clear()


def _precise(epoch: float | None) -> str | None:
    """ISO 8601 to the millisecond: a client waking for a retry's moment wakes on it."""
    dt = timeutil.to_datetime(epoch)
    return None if dt is None else dt.isoformat(timespec="milliseconds")


class Watch:
    """Wakes long-polling clients when anything changes, from this hub or another process."""

    def __init__(self, stores: Stores) -> None:
        self.stores = stores
        self.seq = 0
        self.changed = asyncio.Event()

    async def run(self) -> None:
        ticks = 0
        while True:
            ticks += 1
            try:
                seq = await run_in_threadpool(lambda: self.stores.get().change_seq())
                if ticks % CHECKPOINT_EVERY == 0:
                    await run_in_threadpool(lambda: self.stores.get().checkpoint())
            except DissuadeError:
                seq = self.seq
            if seq != self.seq:
                self.seq = seq
                self.changed.set()
                self.changed = asyncio.Event()
            await asyncio.sleep(WATCH_INTERVAL)


class Chaser:
    """Makes the chase calls as they fall due, on a thread of its own: a call rings for up to a
    minute and must never hold up a claim."""

    def __init__(self, stores: Stores, dialer: Dialer, every: float) -> None:
        self.stores, self.dialer, self.every = stores, dialer, every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="dissuade-chaser", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        from dissuade import paths
        from dissuade.gateways import escalation_ops

        folder = paths.data_dir() / "chase-voice"
        while not self._stop.is_set():
            try:
                escalation_ops.run_chase_calls(self.stores.get(), gateway=self.dialer,
                                               folder=folder, user="hub-dialer")
            except DissuadeError as exc:
                log.warning("chase calls: %s", exc)
            except Exception:  # noqa: BLE001 - the loop must outlive one bad call
                log.exception("chase calls failed")
            self._stop.wait(self.every)


def create_app(db_path: str | Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
               bank: BankGateway | None = None, dialer: Dialer | None = None,
               chase_every: float = CHASE_EVERY) -> FastAPI:
    """The hub over `db_path`; a write waiting longer than `busy_timeout_ms` answers 503.

    `bank` delivers approved stop-payment requests (default: PDF and JSON into the data
    folder's bank-outbox); with a `dialer`, the hub makes the chase calls as they fall due.
    """
    stores = Stores(str(db_path), busy_timeout_ms)
    watch = Watch(stores)
    bank_gateway = bank or BankGateway()
    bank_gateway.check()
    if dialer is not None:
        dialer.check()
    send_lock = threading.Lock()
    chaser = Chaser(stores, dialer, chase_every) if dialer is not None else None

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.create_task(watch.run())
        if chaser is not None:
            chaser.start()
        yield
        if chaser is not None:
            chaser.stop()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        stores.close()

    # redirect_slashes=False: Starlette's trailing-slash redirect builds its Location from the
    # request's Host header, which anyone can set (Host: evil.example). The hub makes no
    # redirects at all: /api/v1/queue/ is a 404, as every other unknown path.
    app = FastAPI(title="dissuade hub", version=__version__, lifespan=lifespan,
                  redirect_slashes=False,
                  description="反诈劝阻中心服务器 / anti-fraud dissuasion hub, API v1")
    errors.install(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(ServerTiming)
    app.add_middleware(LastResort)  # added last: the outermost, it sees every exception
    bearer = HTTPBearer(auto_error=False, description="a token from `dissuade user add`")

    def token_failed(request: Request) -> float:
        """Count a wrong token against the client's address; the seconds it must wait."""
        try:
            return throttle.failed(stores.get().conn, client_key(request))
        except (DissuadeError, sqlite3.Error) as exc:
            log.info("wrong-token counter not written: %s", type(exc).__name__)
            return throttle.FIRST_DELAY  # never cheaper than counted: a busy database is no gap

    async def caller(request: Request, credentials: Annotated[
            HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Caller:
        token = credentials.credentials.strip() if credentials is not None else ""
        if not token:
            raise NotAuthenticated("需要令牌 / a bearer token is required")
        found = await run_in_threadpool(lambda: stores.get().user_for_token(token))
        if found is None:
            # Guessing tokens slows down: each wrong one from an address within the window waits
            # longer before its 401 (capped, never a lock-out; counted in the database, so every
            # hub process over it counts the same). An asyncio sleep holds no thread; a right
            # token is never slowed.
            wait = await run_in_threadpool(token_failed, request)
            if wait > 0:
                await asyncio.sleep(wait)
            raise NotAuthenticated("令牌无效或已停用 / unknown or revoked token")
        guard.refuse_unstorable(await request.body())
        return Caller(*found)

    def allow(*roles: Role) -> Callable[..., Any]:
        names = {r.value for r in roles}

        async def check(who: Annotated[Caller, Depends(caller)]) -> Caller:
            if who.role not in names:
                raise Forbidden(f"角色 {who.role} 无权执行此操作 / role {who.role} may not do this "
                                f"(needs {' or '.join(sorted(names))})")
            return who

        return check

    Officer = Annotated[Caller, Depends(allow(Role.OFFICER, Role.LEAD))]
    Lead = Annotated[Caller, Depends(allow(Role.LEAD))]
    Feed = Annotated[Caller, Depends(allow(Role.FEED, Role.LEAD, Role.ADMIN))]
    Anyone = Annotated[Caller, Depends(caller)]
    Trainee = Annotated[Caller, Depends(allow(Role.OFFICER, Role.LEAD, Role.TRAINER))]
    Auditor = Annotated[Caller, Depends(allow(Role.LEAD, Role.ADMIN))]

    def t(value: str | None, field: str) -> float | None:
        tz = stores.get().policy().timezone
        return None if value in (None, "") else timeutil.parse(value, tz=tz, field=field)

    @app.get("/api/v1/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/api/v1/me")
    def me(who: Anyone) -> dict[str, str]:
        return {"name": who.name, "role": who.role}

    @app.get("/api/v1/policy")
    def policy(who: Anyone) -> dict[str, Any]:
        p = stores.get().policy()
        return {**p.settings_dict(), "levels": [lv.as_dict() for lv in p.levels.values()]}

    @app.put("/api/v1/policy/settings")
    def update_settings(body: SettingsIn, who: Lead) -> dict[str, Any]:
        stores.get().update_settings(body.model_dump(exclude_none=True), user=who.name)
        return policy(who)

    @app.get("/api/v1/gateways")
    def gateways(who: Anyone) -> dict[str, str | None]:
        return {"bank": bank_gateway.kind, "dialer": dialer.kind if dialer else None}

    @app.post("/api/v1/warnings", status_code=201)
    def add_warning(body: WarningIn, who: Feed, response: Response) -> dict[str, Any]:
        # {id, status, problems} and nothing of the warning (settled): a feed reposting another
        # feed's (source, external_id) must not read that warning back; admins read nothing.
        warning, created = stores.get().add_warning(body.model_dump(exclude_unset=True),
                                                    actor=who.name)
        if not created:
            response.status_code = 200
        return {"id": warning.id, "status": warning.status,
                "problems": [dict(p) for p in warning.problems] if created else []}

    @app.post("/api/v1/warnings/batch")
    def add_warnings(body: WarningBatchIn, who: Feed) -> dict[str, Any]:
        # Checked here, not by pydantic, whose 422 would repeat the warnings back.
        if not isinstance(body.warnings, list):
            raise InvalidInput("warnings 应为预警列表 / warnings must be a list of warnings",
                               field="warnings")
        unknown = sorted(set(body.model_dump(exclude_unset=True)) - {"warnings"})
        if unknown:
            raise InvalidInput(f"未知字段 / unknown field: {unknown[0][:100]}", field=unknown[0])
        if len(body.warnings) > WARNING_BATCH_MAX:
            raise InvalidInput(f"一次最多 {WARNING_BATCH_MAX:,} 条预警 / at most "
                               f"{WARNING_BATCH_MAX:,} warnings in one batch", field="warnings")
        results = stores.get().add_warnings(body.warnings, actor=who.name)
        return {"results": [{"index": r.index, "id": r.warning_id, "status": r.status,
                             "created": r.created, "error": r.error, "field": r.field,
                             "problems": [dict(p) for p in r.problems]} for r in results]}

    # The hot routes answer with JSONResponse directly: FastAPI's response validation would
    # cost more than the claim itself.
    @app.get("/api/v1/queue", response_class=JSONResponse)
    def queue(who: Officer, limit: Annotated[int, Query(ge=1, le=1000)] = 50,
              offset: Annotated[int, Query(ge=0, le=10**7)] = 0) -> JSONResponse:
        return JSONResponse([wire.warning_out(w) for w in
                             stores.get().queue(user=who.name, limit=limit, offset=offset)])

    @app.get("/api/v1/queue/size", response_class=JSONResponse)
    def queue_size(who: Officer) -> JSONResponse:
        return JSONResponse({"size": stores.get().queue_size(user=who.name)})

    @app.post("/api/v1/queue/claim-next", response_class=JSONResponse, response_model=None)
    def claim_next(who: Officer, body: ClaimIn | None = None) -> Response:
        warning = stores.get().claim_next(user=who.name,
                                          client_id=body.client_id if body else None)
        if warning is None:
            return Response(status_code=204)
        return JSONResponse(wire.warning_out(warning))

    @app.post("/api/v1/warnings/{warning_id}/claim")
    def claim(warning_id: Id, who: Officer) -> dict[str, Any]:
        return wire.warning_out(stores.get().claim(warning_id, user=who.name))

    @app.post("/api/v1/warnings/{warning_id}/release")
    def release(warning_id: Id, who: Officer) -> dict[str, Any]:
        return wire.warning_out(stores.get().release(warning_id, user=who.name))

    @app.get("/api/v1/warnings/{warning_id}")
    def get_warning(warning_id: Id, who: Officer) -> dict[str, Any]:
        return wire.detail_out(stores.get().get(warning_id))

    @app.post("/api/v1/warnings/{warning_id}/attempts", status_code=201)
    def record_attempt(warning_id: Id, body: AttemptIn, who: Officer,
                       response: Response) -> dict[str, Any]:
        store = stores.get()
        seen = store.attempt_by_client_id(body.client_id)
        if seen is not None and seen.warning_id == warning_id:
            response.status_code = 200
            return wire.attempt_out(seen)
        attempt = store.record_attempt(
            warning_id, user=who.name, outcome=body.outcome, notes=body.notes,
            client_id=body.client_id, started_at=t(body.started_at, "started_at"),
            ended_at=t(body.ended_at, "ended_at"), amount_lost=body.amount_lost,
            callback_at=t(body.callback_at, "callback_at"), callback_scope=body.callback_scope,
            escalation=body.escalation, settles=body.settles)
        return wire.attempt_out(attempt)

    @app.post("/api/v1/warnings/{warning_id}/reassign")
    def reassign(warning_id: Id, body: ReassignIn, who: Lead) -> dict[str, Any]:
        return wire.warning_out(stores.get().reassign(warning_id, to=body.to, reason=body.reason,
                                                      user=who.name))

    @app.post("/api/v1/warnings/{warning_id}/escalations", status_code=201)
    def propose(warning_id: Id, body: EscalationIn, who: Officer,
                response: Response) -> dict[str, Any]:
        store = stores.get()
        seen = store.escalation_by_client_id(body.client_id)
        if seen is not None and seen.warning_id == warning_id:
            response.status_code = 200
            return wire.escalation_out(seen)
        escalation = store.propose_escalation(
            warning_id, user=who.name, kind=body.kind, reason=body.reason, cards=body.cards,
            amount=body.amount, client_id=body.client_id)
        return wire.escalation_out(escalation)

    @app.post("/api/v1/warnings/{warning_id}/retype")
    def retype(warning_id: Id, body: RetypeIn, who: Officer) -> dict[str, Any]:
        return wire.warning_out(stores.get().retype_warning(
            warning_id, scam_type=body.scam_type, reason=body.reason, user=who.name))

    @app.post("/api/v1/warnings/{warning_id}/messages", status_code=201)
    def message(warning_id: Id, body: MessageIn, who: Officer) -> dict[str, Any]:
        return wire.message_out(stores.get().record_message(
            warning_id, client_id=body.client_id, text=body.text, via=body.via,
            result=body.result, user=who.name))

    @app.post("/api/v1/rehearsals", status_code=201)
    def rehearsal(body: RehearsalIn, who: Trainee) -> dict[str, Any]:
        return wire.rehearsal_out(stores.get().save_rehearsal(
            trainee=who.name, scam_type=body.scam_type, lang=body.lang,
            points_made=body.points_made, points_total=body.points_total, detail=body.detail))

    @app.get("/api/v1/rehearsals")
    def rehearsal_results(who: Trainee, trainee: Annotated[str | None, Query(max_length=64)] = None
                          ) -> list[dict[str, Any]]:
        if who.role not in (Role.LEAD.value, Role.TRAINER.value):
            trainee = who.name  # officers see their own results
        return [wire.rehearsal_out(r) for r in stores.get().rehearsals(trainee=trainee)]

    @app.put("/api/v1/policy/levels/{level}")
    def update_policy(level: Annotated[str, PathParam(max_length=20)],
                      body: dict[str, float | int | str], who: Lead) -> dict[str, Any]:
        stores.get().update_level_policy(level, dict(body), user=who.name)
        return policy(who)

    @app.post("/api/v1/warnings/{warning_id}/raise-level")
    def raise_level(warning_id: Id, body: RaiseLevelIn, who: Officer) -> dict[str, Any]:
        return wire.warning_out(stores.get().raise_level(warning_id, level=body.level,
                                                         reason=body.reason, user=who.name))

    @app.get("/api/v1/warnings/{warning_id}/why")
    def why(warning_id: Id, who: Officer,
            lang: Annotated[Literal["zh", "en"], Query()] = "zh") -> dict[str, str]:
        return {"why": stores.get().why(warning_id, user=who.name, lang=lang)}

    @app.get("/api/v1/escalations/active")
    def active(who: Officer) -> list[dict[str, Any]]:
        return [wire.escalation_out(e) for e in stores.get().active_escalations()]

    @app.get("/api/v1/escalations/pending")
    def pending(who: Officer) -> list[dict[str, Any]]:
        return [wire.escalation_out(e) for e in stores.get().pending_escalations()]

    # Fixed paths before /escalations/{escalation_id}, which would otherwise take them.
    @app.get("/api/v1/escalations/holds")
    def holds(who: Officer, within: Annotated[float, Query(ge=0, le=30 * 86400)] = 6 * 3600
              ) -> list[dict[str, Any]]:
        return [wire.escalation_out(e) for e in stores.get().holds_running_out(within=within)]

    @app.get("/api/v1/escalations/{escalation_id}")
    def escalation_detail(escalation_id: Id, who: Officer) -> dict[str, Any]:
        return wire.escalation_detail_out(stores.get().escalation_detail(escalation_id))

    @app.post("/api/v1/escalations/{escalation_id}/extend-hold")
    def extend_hold(escalation_id: Id, body: NoteIn, who: Lead) -> dict[str, Any]:
        return wire.escalation_out(stores.get().extend_hold(escalation_id, user=who.name,
                                                            note=body.note))

    @app.post("/api/v1/escalations/{escalation_id}/decision")
    def decide(escalation_id: Id, body: DecisionIn, who: Lead) -> dict[str, Any]:
        return wire.escalation_out(stores.get().decide_escalation(
            escalation_id, decision=body.decision, note=body.note, user=who.name))

    @app.post("/api/v1/escalations/{escalation_id}/status")
    def advance(escalation_id: Id, body: StatusIn, who: Officer) -> dict[str, Any]:
        return wire.escalation_out(stores.get().advance_escalation(
            escalation_id, status=body.status, note=body.note, user=who.name))

    @app.get("/api/v1/breaches")
    def breaches(who: Officer, since: Annotated[str | None, Query(max_length=100)] = None
                 ) -> dict[str, Any]:
        after = t(since, "since")
        count, found = stores.get().breaches(since=after if after is not None else 0.0)
        return {"count": count, "warnings": [wire.warning_out(w) for w in found]}

    @app.get("/api/v1/escalations/{escalation_id}/request.pdf", response_class=Response)
    def request_pdf(escalation_id: Id, who: Officer,
                    reason: Annotated[str, Query(min_length=1, max_length=500)]) -> Response:
        """The bank's request with the cards whole: a lead's or the escalation's proposer's,
        with a reason, audited as a reveal (as `/reveal`)."""
        from dissuade.gateways import escalation_ops

        pdf = escalation_ops.request_pdf(stores.get(), escalation_id, user=who.name,
                                         role=who.role, reason=reason)
        return Response(pdf, media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="card-lock-{escalation_id}.pdf"'})

    @app.post("/api/v1/escalations/{escalation_id}/send")
    def send_request(escalation_id: Id, who: Officer) -> dict[str, Any]:
        from dissuade.gateways import escalation_ops

        # One sender at a time: two clicks on two workstations must not send the request twice.
        with send_lock:
            return wire.escalation_out(escalation_ops.send_bank_request(
                stores.get(), escalation_id, gateway=bank_gateway, user=who.name))

    @app.post("/api/v1/warnings/{warning_id}/reveal")
    def reveal(warning_id: Id, body: RevealIn, who: Officer) -> dict[str, Any]:
        values = stores.get().reveal(warning_id, field=body.field, reason=body.reason,
                                     user=who.name, holder_only=who.role != Role.LEAD.value)
        return {"warning_id": warning_id, "field": body.field, "values": values}

    @app.get("/api/v1/warnings")
    def find_warnings(
        who: Lead, start: Annotated[str | None, Query(alias="from", max_length=100)] = None,
        end: Annotated[str | None, Query(alias="to", max_length=100)] = None,
        officer: Annotated[str | None, Query(max_length=64)] = None,
        outcome: Annotated[str | None, Query(max_length=50)] = None,
        scam_type: Annotated[str | None, Query(max_length=100)] = None,
        risk_level: Annotated[str | None, Query(max_length=20)] = None,
        status: Annotated[str | None, Query(max_length=20)] = None,
        q: Annotated[str | None, Query(max_length=100)] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0, le=10**7)] = 0,
    ) -> dict[str, Any]:
        filters = {"start": t(start, "from"), "end": t(end, "to"), "officer": officer,
                   "outcome": outcome, "scam_type": scam_type, "risk_level": risk_level,
                   "status": status, "q": q}
        total, found = stores.get().find_warnings(filters, limit=limit, offset=offset)
        return {"total": total, "items": [wire.found_out(f) for f in found]}

    @app.get("/api/v1/warnings/{warning_id}/history")
    def history(warning_id: Id, who: Lead) -> dict[str, Any]:
        return wire.history_full_out(stores.get().warning_history(warning_id, user=who.name))

    @app.get("/api/v1/officers")
    def officers(who: Lead) -> list[str]:
        return stores.get().officers()

    @app.post("/api/v1/attempts/{attempt_id}/review", status_code=201)
    def review(attempt_id: Id, body: ReviewIn, who: Lead) -> dict[str, Any]:
        return wire.review_out(stores.get().review_attempt(
            attempt_id, verdict=body.verdict, comment=body.comment, user=who.name))

    @app.get("/api/v1/report")
    def report(who: Lead, start: Annotated[str | None, Query(alias="from", max_length=100)] = None,
               end: Annotated[str | None, Query(alias="to", max_length=100)] = None
               ) -> dict[str, Any]:
        return stores.get().shift_report(start=t(start, "from"), end=t(end, "to"), user=who.name)

    @app.get("/api/v1/audit")
    def audit_rows(
        who: Auditor, start: Annotated[str | None, Query(alias="from", max_length=100)] = None,
        end: Annotated[str | None, Query(alias="to", max_length=100)] = None,
        actor: Annotated[str | None, Query(max_length=100)] = None,
        action: Annotated[str | None, Query(max_length=100)] = None,
        entity: Annotated[str | None, Query(max_length=50)] = None,
        entity_id: Annotated[int | None, Query(ge=0, le=2**62)] = None,
        before_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    ) -> list[dict[str, Any]]:
        return [wire.audit_out(e) for e in stores.get().audit_entries(
            start=t(start, "from"), end=t(end, "to"), actor=actor, action=action, entity=entity,
            entity_id=entity_id, before_id=before_id, limit=limit)]

    @app.get("/api/v1/audit/verify")
    def audit_verify(who: Auditor) -> dict[str, Any]:
        return wire.verdict_out(stores.get().verify_audit())

    @app.get("/api/v1/stats")
    def stats(who: Lead, start: Annotated[str | None, Query(alias="from", max_length=100)] = None,
              end: Annotated[str | None, Query(alias="to", max_length=100)] = None) -> dict[str, Any]:
        return stores.get().stats(start=t(start, "from"), end=t(end, "to"))

    @app.get("/api/v1/events")
    async def events(request: Request, who: Officer,
                     after: Annotated[int, Query(ge=0, le=2**62)] = 0,
                     after_warning: Annotated[int, Query(ge=0, le=2**62)] = 0,
                     timeout: Annotated[float, Query(ge=0, le=60)] = 25) -> dict[str, Any]:
        """Long poll: answers as soon as anything changed after `after` (or at `timeout`), with
        the warnings that arrived after `after_warning` and the policy's version (it grows with
        every policy change: a client seeing a new one fetches /policy)."""
        if watch.seq <= after:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(watch.changed.wait(), timeout)

        def news() -> dict[str, Any]:
            store = stores.get()
            arrivals = store.arrivals(after_id=after_warning)
            return {"seq": max(watch.seq, after), "last_warning_id": store.last_warning_id(),
                    "arrivals": [wire.warning_out(w) for w in arrivals],
                    "policy_version": store._policy_version(),
                    "next_change": _precise(store.next_change())}

        return await run_in_threadpool(news)

    return app
