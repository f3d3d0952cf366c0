"""The table of operations: every operation of the Source interface, declared once.

Each method below is one operation: its HTTP method and path, the roles that may call it, its
arguments (with how they travel and their bounds), what it answers, and, where it is not plain
"the store method of the same name, as the caller", how the core does it. The bodies are never
run: a call goes to the source's `_invoke` (see dissuade/sources/ops.py). The hub's routes, the
hub source's requests, the local source's role checks, the JSON codec's types and the contract
matrix test all come from here. To add an operation: one method here, one store method, its
tests (docs/architecture.md, "Adding an operation").
"""

# mypy: disable-error-code="empty-body"

from __future__ import annotations

import uuid
from typing import Annotated, Any

from dissuade import paths
from dissuade.domain import limits
from dissuade.domain.codes import Role
from dissuade.domain.errors import InvalidInput
from dissuade.domain.models import (
    Attempt,
    Entry,
    Escalation,
    EscalationDetail,
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
)
from dissuade.domain.policy import Policy
from dissuade.domain.presence import Callback, OfficerState, RoomEntry
from dissuade.sources.ops import ID, TIME, WHOLE, Caller, Env, Op, arg, op

ANY = frozenset(r.value for r in Role if r is not Role.METRICS)  # a scraper reads /metrics only
WORK = frozenset({Role.OFFICER.value, Role.LEAD.value})  # who works warnings
LEAD = frozenset({Role.LEAD.value})
FEEDING = frozenset({Role.FEED.value, Role.LEAD.value, Role.ADMIN.value})  # POST /warnings
REHEARSING = frozenset({Role.OFFICER.value, Role.LEAD.value, Role.TRAINER.value})
AUDITING = frozenset({Role.LEAD.value, Role.ADMIN.value})

Text = Annotated[str, arg(max_length=limits.TEXT_MAX)]
Reason = Annotated[str, arg(max_length=limits.TEXT_MAX)]
ClientId = Annotated[str | None, arg(min_length=1, max_length=limits.ID_MAX)]
Since = Annotated[float | None, arg(time=True)]
From = Annotated[float | None, arg(time=True, as_="from")]
To = Annotated[float | None, arg(time=True, as_="to")]
Limit = Annotated[int, arg(ge=1, le=1000)]
Offset = Annotated[int, arg(ge=0, le=10**7)]
Name = Annotated[str | None, arg(max_length=64)]

# What a lead filters the review by (dissuade.store.review.FILTERS), each as a query parameter.
FILTERS: dict[str, Any] = {
    "start": arg(time=True, as_="from"), "end": arg(time=True, as_="to"),
    "officer": arg(max_length=64), "outcome": arg(max_length=50),
    "scam_type": arg(max_length=100), "risk_level": arg(max_length=20),
    "status": arg(max_length=20), "q": arg(max_length=100),
}


# -- how the core does the operations that are not "the store method, as the caller" -----------


def _policy(store: Any, caller: Caller, env: Env) -> Policy:
    return store.policy()


def _gateways(store: Any, caller: Caller, env: Env) -> dict[str, str | None]:
    return {"bank": env.bank.kind if env.bank is not None else "outbox",
            "dialer": env.dialer.kind if env.dialer is not None else None}


def _add_warning(store: Any, caller: Caller, env: Env, data: dict[str, Any]) -> Receipt:
    warning, created = store.add_warning(data, actor=caller.name)
    if created:
        _outreach(env, [warning.id])
    return Receipt(warning.id, warning.status, created, warning.problems if created else ())


BATCH_MAX = 5000  # warnings in one POST /warnings/batch


def _outreach(env: Env, warning_ids: list[int]) -> None:
    """Hand new warnings to the hub's SMS-at-arrival worker, if it has one: it sends after the
    answer, on its own thread (dissuade/gateways/arrival_sms.py)."""
    sender = env.extras.get("outreach")
    if sender is not None and warning_ids:
        sender.submit(warning_ids)


def _add_warnings(store: Any, caller: Caller, env: Env, items: list[dict[str, Any]],
                  outreach: bool = True) -> list[IngestResult]:
    # Checked here, not by pydantic, whose 422 would repeat the warnings back.
    if not isinstance(items, list):
        raise InvalidInput("warnings 应为预警列表 / warnings must be a list of warnings",
                           field="warnings")
    if len(items) > BATCH_MAX:
        raise InvalidInput(f"一次最多 {BATCH_MAX:,} 条预警 / at most {BATCH_MAX:,} warnings in "
                           "one batch", field="warnings")
    results: list[IngestResult] = store.add_warnings(items, actor=caller.name)
    if outreach:
        _outreach(env, [r.warning_id for r in results if r.created and r.warning_id])
    return results


def _record_message(store: Any, caller: Caller, env: Env, *, warning_id: int, text: str,
                    via: str, result: str = "", client_id: str | None = None) -> Message:
    return store.record_message(warning_id, client_id=client_id or str(uuid.uuid4()), text=text,
                                via=via, result=result, user=caller.name)


def _save_rehearsal(store: Any, caller: Caller, env: Env, **args: Any) -> RehearsalResult:
    return store.save_rehearsal(trainee=caller.name, **{**args, "detail": args["detail"] or []})


def _rehearsals(store: Any, caller: Caller, env: Env, *,
                trainee: str | None = None) -> list[RehearsalResult]:
    # Leads and trainers see everyone's results; officers their own.
    if caller.role not in (Role.LEAD.value, Role.TRAINER.value):
        trainee = caller.name
    return store.rehearsals(trainee=trainee)


def _breaches(store: Any, caller: Caller, env: Env, *,
              since: float | None = None) -> tuple[int, list[Warning]]:
    result: tuple[int, list[Warning]] = store.breaches(since=since or 0.0)
    return result


def _request_pdf(store: Any, caller: Caller, env: Env, *, escalation_id: int,
                 reason: str) -> bytes:
    from dissuade.gateways import escalation_ops

    return escalation_ops.request_pdf(store, escalation_id, user=caller.name, role=caller.role,
                                      reason=reason)


def _send_bank_request(store: Any, caller: Caller, env: Env, *,
                       escalation_id: int) -> Escalation:
    from dissuade.gateways import bank, escalation_ops

    # Taken in the store before the delivery (one sender, whichever workstation or hub
    # process asks), so no lock is held through it.
    gateway = env.bank if env.bank is not None else bank.BankGateway()
    return escalation_ops.send_bank_request(store, escalation_id, gateway=gateway,
                                            user=caller.name)


def _run_chase_calls(store: Any, caller: Caller, env: Env) -> int:
    from dissuade.gateways import escalation_ops

    if env.dialer is None or caller.role not in WORK:
        return 0
    return len(escalation_ops.run_chase_calls(store, gateway=env.dialer,
                                              folder=paths.data_dir() / "chase-voice",
                                              user=f"dialer@{caller.name}"))


def _reveal(store: Any, caller: Caller, env: Env, *, warning_id: int, field: str,
            reason: str) -> list[str]:
    # A lead may reveal whatever they ask to; an officer only on the warning they hold.
    return store.reveal(warning_id, field=field, reason=reason, user=caller.name,
                        holder_only=caller.role != Role.LEAD.value)


def _attempt_seen(store: Any, args: dict[str, Any]) -> Attempt | None:
    seen = store.attempt_by_client_id(args["client_id"]) if args.get("client_id") else None
    return seen if seen is not None and seen.warning_id == args["warning_id"] else None


def _escalation_seen(store: Any, args: dict[str, Any]) -> Escalation | None:
    seen = store.escalation_by_client_id(args["client_id"]) if args.get("client_id") else None
    return seen if seen is not None and args["warning_id"] in seen.warning_ids else None


class Operations:
    """Every operation of the Source interface. LocalSource and HttpSource inherit them and
    implement `_invoke` (and the few things that are not operations: the live wait, the
    outbox, the link to a hub, describing and closing)."""

    def _invoke(self, operation: Op, args: dict[str, Any]) -> Any:
        raise NotImplementedError

    # -- the centre ------------------------------------------------------------------------

    @op("GET", "/api/v1/policy", ANY, run=_policy, masked=False)
    def policy(self) -> Policy:
        """The centre policy in force."""

    @op("PUT", "/api/v1/policy/settings", LEAD, masked=False)
    def update_settings(self, changes: Annotated[dict[str, Any], WHOLE]) -> Policy:
        """Change centre-wide settings (checked, audited); the policy now in force."""

    @op("PUT", "/api/v1/policy/levels/{level}", LEAD, masked=False)
    def update_level_policy(self, level: Annotated[str, arg(max_length=20)],
                            changes: Annotated[dict[str, Any], WHOLE]) -> Policy:
        """Change one level's limits, retries, escalation and lease (checked, audited)."""

    @op("GET", "/api/v1/gateways", ANY, run=_gateways, masked=False)
    def gateways(self) -> dict[str, str | None]:
        """Which bank gateway and dialer the hub (or this workstation) uses."""

    # -- feeds -------------------------------------------------------------------------------

    @op("POST", "/api/v1/warnings", FEEDING, run=_add_warning, created=True, masked=False)
    def add_warning(self, data: Annotated[dict[str, Any], WHOLE]) -> Receipt:
        """Ingest one warning: its id, status and the problems noted; never the warning."""

    @op("POST", "/api/v1/warnings/batch", FEEDING, run=_add_warnings, out="results",
        masked=False)
    def add_warnings(self, items: Annotated[list[dict[str, Any]],
                                            arg(as_="warnings")],
                     outreach: bool = True) -> list[IngestResult]:
        """Ingest many warnings in one transaction; each item's id, status or reason.
        `outreach` false (an import's default): no SMS at arrival for them."""

    # -- the queue -----------------------------------------------------------------------------

    @op("GET", "/api/v1/queue/size", WORK, out="size")
    def queue_size(self) -> int:
        """Warnings that can be worked now (the queue's one definition: docs/architecture.md, "The queue")."""

    @op("GET", "/api/v1/queue", WORK)
    def queue(self, limit: Limit = 50, offset: Offset = 0) -> list[Warning]:
        """The queue in queue order, a person once."""

    @op("POST", "/api/v1/queue/claim-next", WORK, grouped=True)
    def claim_next(self, *, client_id: ClientId = None) -> Warning | None:
        """Claim the most urgent warning and its person's other open ones; idempotent on
        client_id while the lease lives. None (204) when the queue is empty."""

    @op("POST", "/api/v1/warnings/{warning_id}/claim", WORK, grouped=True)
    def claim(self, warning_id: Annotated[int, ID]) -> Warning:
        """Claim a warning (its person's others with it), or renew the holder's lease."""

    @op("POST", "/api/v1/warnings/{warning_id}/release", WORK, grouped=True)
    def release(self, warning_id: Annotated[int, ID]) -> Warning:
        """Give a claimed warning back to the queue, where it keeps its place."""

    @op("GET", "/api/v1/warnings/{warning_id}", WORK, user=None)
    def get(self, warning_id: Annotated[int, ID]) -> WarningDetail:
        """The warning, its attempts, escalations, the phone's history, the linked warnings."""

    @op("GET", "/api/v1/warnings/{warning_id}/why", WORK, out="why")
    def why(self, warning_id: Annotated[int, ID], *,
            lang: Annotated[str, arg(choices=("zh", "en"))] = "zh") -> str:
        """Why the warning is, or is not, in the queue, in a sentence."""

    @op("GET", "/api/v1/breaches", WORK, run=_breaches, out=("count", "warnings"))
    def breaches(self, *, since: Since = None) -> tuple[int, list[Warning]]:
        """Warnings past their limit uncalled, and those that became so after `since`."""

    # -- calls -----------------------------------------------------------------------------------

    @op("POST", "/api/v1/warnings/{warning_id}/attempts", WORK, created=True,
        repeat=_attempt_seen, offline="attempt", grouped=True)
    def record_attempt(
        self, warning_id: Annotated[int, ID],
        outcome: Annotated[str, arg(max_length=50)], notes: Annotated[
            str, arg(max_length=limits.NOTES_MAX)] = "", *,
        client_id: Annotated[str | None, arg(min_length=1, max_length=limits.ID_MAX,
                                             required=True)] = None,
        started_at: Annotated[float | None, TIME] = None,
        ended_at: Annotated[float | None, TIME] = None, amount_lost: object = None,
        callback_at: Annotated[float | None, TIME] = None,
        callback_scope: Annotated[str | None, arg(choices=("me", "anyone"))] = None,
        escalation: dict[str, object] | None = None,
        settles: Annotated[list[int] | None, arg(max_items=200)] = None,
        dialled_at: Annotated[float | None, TIME] = None,
    ) -> Attempt:
        """Record a call by the claim's holder; it settles the warnings on screen (`settles`).
        Idempotent on client_id (201 new, 200 seen before). A call dialled from the screen
        gives `dialled_at`, and `started_at`/`ended_at` as answered and hung up where the
        telephony gateway reported them."""

    @op("POST", "/api/v1/warnings/{warning_id}/escalations", WORK, created=True,
        repeat=_escalation_seen, offline="escalation")
    def propose_escalation(
        self, warning_id: Annotated[int, ID], *, kind: Annotated[str, arg(max_length=50)],
        reason: Reason, cards: Annotated[object, arg(schema={
            "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"},
                      {"type": "null"}]})] = None,
        amount: Annotated[object, arg(schema={"type": ["number", "string", "null"]})] = None,
        client_id: Annotated[str | None, arg(min_length=1, max_length=limits.ID_MAX,
                                             required=True)] = None,
    ) -> Escalation:
        """The holder proposes an escalation for the person (or joins their live one of that
        kind). Idempotent on client_id."""

    @op("POST", "/api/v1/warnings/{warning_id}/retype", WORK)
    def retype_warning(self, warning_id: Annotated[int, ID], *,
                       scam_type: Annotated[str, arg(max_length=100)],
                       reason: Reason = "") -> Warning:
        """The cues say it is another scam: change the warning's type (audited)."""

    @op("POST", "/api/v1/warnings/{warning_id}/raise-level", WORK)
    def raise_level(self, warning_id: Annotated[int, ID], *,
                    level: Annotated[str, arg(max_length=20)], reason: Reason) -> Warning:
        """Make a warning more urgent, with a reason (audited)."""

    @op("POST", "/api/v1/warnings/{warning_id}/messages", WORK, run=_record_message,
        created=True)
    def record_message(self, warning_id: Annotated[int, ID], *,
                       text: Annotated[str, arg(max_length=1000)],
                       via: Annotated[str, arg(max_length=20)],
                       result: Annotated[str, arg(max_length=limits.TEXT_MAX)] = "",
                       client_id: ClientId = None) -> Message:
        """An SMS warning sent (or copied to send), kept in the warning's history."""

    @op("POST", "/api/v1/warnings/{warning_id}/reassign", LEAD)
    def reassign(self, warning_id: Annotated[int, ID], *, to: Name = None,
                 reason: Reason) -> Warning:
        """A lead gives a reserved warning to another officer, or to anyone (audited)."""

    @op("POST", "/api/v1/warnings/{warning_id}/transfer", LEAD)
    def transfer(self, warning_id: Annotated[int, ID], *,
                 centre: Annotated[str, arg(min_length=1, max_length=32)],
                 reason: Annotated[str, arg(min_length=1, max_length=limits.TEXT_MAX)]
                 ) -> Warning:
        """A lead hands a warning (with the person's other open warnings) to another centre,
        with a reason (audited): the claim ends, escalations go along."""

    @op("POST", "/api/v1/warnings/{warning_id}/reveal", frozenset({"lead", "officer"}),
        run=_reveal, out="values", echo=("warning_id", "field"), masked=False)
    def reveal(self, warning_id: Annotated[int, ID], *,
               field: Annotated[str, arg(choices=("cards", "id_number", "notes"))],
               reason: Annotated[str, arg(min_length=1, max_length=500)]) -> list[str]:
        """A masked field whole, with a reason (audited): a lead's, or the holder's."""

    # -- taking an outcome back, and notes kept as a draft (dissuade/store/undo.py) ------------

    @op("POST", "/api/v1/attempts/{attempt_id}/undo", WORK)
    def undo_attempt(self, attempt_id: Annotated[int, ID]) -> Attempt:
        """Undo an outcome its officer recorded less than 10 seconds ago (the store's clock):
        the call's rows voided (audited), its warnings back in the officer's hands as they
        were. Idempotent."""

    @op("POST", "/api/v1/warnings/{warning_id}/reopen", LEAD)
    def reopen_warning(self, warning_id: Annotated[int, ID], *,
                       reason: Annotated[str, arg(min_length=1,
                                                  max_length=limits.TEXT_MAX)]) -> Warning:
        """A lead reopens a closed warning, with a reason (audited): back in the queue now."""

    @op("PUT", "/api/v1/warnings/{warning_id}/draft", WORK, out="notes", masked=False)
    def save_draft(self, warning_id: Annotated[int, ID], *,
                   notes: Annotated[str, arg(max_length=limits.NOTES_MAX)]) -> str:
        """Keep the caller's draft notes on a warning (empty: drop them); only theirs."""

    @op("GET", "/api/v1/lookup/phone", WORK, out="ids", user=None)
    def warnings_of_phone(self, phone: Annotated[str, arg(min_length=1, max_length=64)], *,
                          limit: Annotated[int, arg(ge=1, le=20)] = 5) -> list[int]:
        """A phone's warnings, newest first, by the number in any written form (the why box)."""

    @op("GET", "/api/v1/warnings/{warning_id}/draft", WORK, out="notes", masked=False)
    def draft(self, warning_id: Annotated[int, ID]) -> str:
        """The caller's own draft notes on a warning ("" when none)."""

    # -- escalations ---------------------------------------------------------------------------

    @op("GET", "/api/v1/escalations/pending", WORK, user=None)
    def pending_escalations(self) -> list[Escalation]:
        """Proposals waiting for a lead, oldest first."""

    @op("GET", "/api/v1/escalations/active", WORK, user=None)
    def active_escalations(self) -> list[Escalation]:
        """Every escalation not yet ended, oldest first."""

    @op("GET", "/api/v1/escalations/holds", WORK, user=None)
    def holds_running_out(self, *, within: Annotated[float, arg(ge=0, le=30 * 86400)] = 6 * 3600
                          ) -> list[Escalation]:
        """Card locks whose hold ends within `within` seconds, and lapsed ones."""

    @op("GET", "/api/v1/escalations/{escalation_id}", WORK, user=None)
    def escalation_detail(self, escalation_id: Annotated[int, ID]) -> EscalationDetail:
        """An escalation with its steps and chase calls."""

    @op("POST", "/api/v1/escalations/{escalation_id}/decision", LEAD)
    def decide_escalation(self, escalation_id: Annotated[int, ID], *,
                          decision: Annotated[str, arg(choices=("approve", "reject"))],
                          note: Reason = "") -> Escalation:
        """A lead approves or rejects a proposal (a rejection needs a note)."""

    @op("POST", "/api/v1/escalations/{escalation_id}/status", WORK)
    def advance_escalation(self, escalation_id: Annotated[int, ID], *,
                           status: Annotated[str, arg(max_length=50)],
                           note: Reason = "") -> Escalation:
        """The next step of an approved escalation (sent, locked, dispatched, ...)."""

    @op("POST", "/api/v1/escalations/{escalation_id}/extend-hold", LEAD)
    def extend_hold(self, escalation_id: Annotated[int, ID], *, note: Reason = "") -> Escalation:
        """Extend a card lock's running hold once."""

    @op("GET", "/api/v1/escalations/{escalation_id}/request.pdf", WORK, run=_request_pdf,
        masked=False, media_type="application/pdf", filename="card-lock-{escalation_id}.pdf")
    def bank_request_pdf(self, escalation_id: Annotated[int, ID], *,
                         reason: Annotated[str, arg(min_length=1, max_length=500)]) -> bytes:
        """The bank's request with the cards whole: a lead's or the proposer's, with a reason,
        audited as a reveal."""

    @op("POST", "/api/v1/escalations/{escalation_id}/send", WORK, run=_send_bank_request,
        timeout=90, io=True)
    def send_bank_request(self, escalation_id: Annotated[int, ID]) -> Escalation:
        """Deliver an approved card lock's request through the bank gateway; `sent`."""

    @op("POST", "/api/v1/chase-calls", ANY, run=_run_chase_calls, local_only=True,
        masked=False, io=True)
    def run_chase_calls(self) -> int:
        """Make the chase calls due now through this workstation's dialer (a hub makes its own:
        through it, 0)."""

    # -- where everyone is (README, "Officer states, the room and callbacks") -------------------

    @op("PUT", "/api/v1/me/state", WORK)
    def set_state(self, state: Annotated[str, arg(choices=("ready", "break", "training", "off"))],
                  reason: Annotated[str, arg(max_length=200)] = "") -> OfficerState:
        """The caller's own state from now (a break or training needs a reason); audited."""

    @op("GET", "/api/v1/me/state", WORK)
    def my_state(self) -> OfficerState:
        """The caller's own state, since when."""

    @op("GET", "/api/v1/room", LEAD, user=None)
    def room(self) -> list[RoomEntry]:
        """Every officer's state and the warning each holds now (phone masked), for a lead."""

    @op("GET", "/api/v1/me/callbacks", WORK)
    def my_callbacks(self) -> list[Callback]:
        """The caller's agreed callbacks still open, the earliest due first."""

    @op("GET", "/api/v1/me/figures", WORK, masked=False)
    def my_figures(self) -> dict[str, Any]:
        """The caller's own calls, dissuaded and mean call length in the shift now."""

    # -- rehearsal ---------------------------------------------------------------------------

    @op("POST", "/api/v1/rehearsals", REHEARSING, run=_save_rehearsal, created=True)
    def save_rehearsal(self, *, scam_type: Annotated[str, arg(max_length=100)],
                       lang: Annotated[str, arg(choices=("zh", "en"))] = "zh",
                       points_made: Annotated[int, arg(ge=0, le=10_000)],
                       points_total: Annotated[int, arg(ge=1, le=10_000)],
                       detail: Annotated[list[dict[str, Any]] | None,
                                         arg(max_items=limits.DETAIL_ITEMS_MAX,
                                             check=limits.check_detail)] = None
                       ) -> RehearsalResult:
        """A trainee's finished rehearsal and its score."""

    @op("GET", "/api/v1/rehearsals", REHEARSING, run=_rehearsals)
    def rehearsals(self, *, trainee: Name = None) -> list[RehearsalResult]:
        """Rehearsal results: everyone's for leads and trainers, one's own for officers."""

    # -- the lead's review, reports and the audit ------------------------------------------------

    @op("GET", "/api/v1/warnings", LEAD, user=None, out=("total", "items"), reader=True)
    def find_warnings(self, filters: Annotated[dict[str, Any], arg(spread=FILTERS)], *,
                      limit: Annotated[int, arg(ge=1, le=500)] = 100,
                      offset: Offset = 0) -> tuple[int, list[Found]]:
        """Warnings by period, officer, outcome, type, level, status or a number."""

    @op("GET", "/api/v1/warnings/{warning_id}/history", LEAD)
    def warning_history(self, warning_id: Annotated[int, ID]) -> WarningHistory:
        """Everything about a warning, for a lead's review; opening it is audited."""

    @op("GET", "/api/v1/officers", LEAD, user=None)
    def officers(self) -> list[str]:
        """Names for the review's officer filter."""

    @op("POST", "/api/v1/attempts/{attempt_id}/review", LEAD, created=True)
    def review_attempt(self, attempt_id: Annotated[int, ID], *,
                       verdict: Annotated[str, arg(choices=("pass", "fail"))], comment: Reason = "") -> Review:
        """A lead's quality mark on a call (a fail needs a comment)."""

    @op("GET", "/api/v1/stats", LEAD, user=None, reader=True, masked=False)
    def stats(self, *, start: From = None, end: To = None) -> dict[str, Any]:
        """The shift figures (docs/architecture.md, "The shift figures") of a period; the current shift by default."""

    @op("GET", "/api/v1/report", LEAD, reader=True, masked=False)
    def shift_report(self, *, start: From = None, end: To = None) -> dict[str, Any]:
        """The handover report's data for a period."""

    @op("GET", "/api/v1/forecast", LEAD, user=None, reader=True, masked=False)
    def staffing_forecast(self, *, start: From = None,
                          weeks: Annotated[int, arg(ge=1, le=26)] = 4) -> dict[str, Any]:
        """How many officers a shift needs each hour (the next shift by default, or the one at
        `from`), with and without the robot's first pass, from up to `weeks` weeks of history."""

    @op("GET", "/api/v1/audit", AUDITING, user=None, reader=True)
    def audit_entries(self, *, start: From = None, end: To = None,
                      actor: Annotated[str | None, arg(max_length=100)] = None,
                      action: Annotated[str | None, arg(max_length=100)] = None,
                      entity: Annotated[str | None, arg(max_length=50)] = None,
                      entity_id: Annotated[int | None, arg(ge=0, le=2**62)] = None,
                      before_id: Annotated[int | None, arg(ge=1, le=2**62)] = None,
                      limit: Annotated[int, arg(ge=1, le=1000)] = 200) -> list[Entry]:
        """Audit rows, newest first, filtered; `before_id` pages back."""

    @op("GET", "/api/v1/audit/verify", AUDITING, user=None, reader=True, masked=False,
        timeout=300)
    def verify_audit(self) -> Verdict:
        """Walk the audit chain: intact, or the first row that is not."""


__all__ = ["ANY", "AUDITING", "FEEDING", "LEAD", "Operations", "REHEARSING", "WORK"]
