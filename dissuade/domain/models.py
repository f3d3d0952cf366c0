"""The records the store hands out: warnings, attempts, escalations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, NewType

from dissuade.domain import timeutil
from dissuade.domain.masking import mask_card

# A moment, as epoch seconds (UTC). The JSON codec writes it as ISO 8601 and reads it back; a
# plain float (an amount, a score) stays a number.
Epoch = Annotated[float, "epoch"]
# How the JSON codec treats a field: its key ("json"; None: never sent), or written inline in
# its parent object ("inline"), as a warning's detail is the warning's fields and more
# (docs/architecture.md, "The HTTP API").
INLINE: dict[str, Any] = {"inline": True}
CLIENT_ONLY: dict[str, Any] = {"json": None}


def key(name: str) -> dict[str, Any]:
    return {"json": name}


WarningId = NewType("WarningId", int)
AttemptId = NewType("AttemptId", int)
EscalationId = NewType("EscalationId", int)


@dataclass(frozen=True, slots=True)
class Warning:
    """One early warning: a person who is probably being defrauded now."""

    id: WarningId
    status: str
    source: str
    external_id: str | None
    phone: str  # E.164
    name: str
    scam_type: str
    risk_level: str
    reported_at: Epoch | None
    arrived_at: Epoch
    deadline: Epoch  # first-contact time limit
    district: str = ""
    fraud_contact: str = ""
    amount_at_risk: float | None = None
    cards: tuple[str, ...] = ()
    notes: str = ""
    synthetic: bool = False
    repeat_victim: bool = False
    claimed_by: str | None = None
    lease_until: Epoch | None = None
    available_at: Epoch = 0.0
    failed_attempts: int = 0
    last_outcome: str | None = None
    reserved_for: str | None = None
    id_number: str = ""  # masked by sources unless revealed
    phone_extension: str = ""  # 分机: kept visibly, never dropped (the phone stays E.164)
    # What was wrong with the feed's secondary fields ({"field", "message"}): imported anyway.
    problems: tuple[dict[str, str], ...] = ()
    reserved_until: Epoch | None = None  # the reservation binds until then (see queue rules)
    centre: str = ""  # the centre whose queue holds it (policy `centres`; "" with one centre)
    linked: int = 0  # the person's other open warnings (one victim, one case); queue rows only

    @property
    def masked_cards(self) -> tuple[str, ...]:
        return tuple(mask_card(c) for c in self.cards)

    def to_json(self) -> dict[str, object]:
        """The API's form: ISO times, E.164 phone."""
        return {
            "id": self.id,
            "status": self.status,
            "source": self.source,
            "external_id": self.external_id,
            "phone": self.phone,
            "name": self.name,
            "scam_type": self.scam_type,
            "risk_level": self.risk_level,
            "reported_at": timeutil.iso(self.reported_at),
            "arrived_at": timeutil.iso(self.arrived_at),
            "deadline": timeutil.iso(self.deadline),
            "district": self.district,
            "fraud_contact": self.fraud_contact,
            "amount_at_risk": self.amount_at_risk,
            "cards": list(self.cards),
            "notes": self.notes,
            "id_number": self.id_number,
            "synthetic": self.synthetic,
            "repeat_victim": self.repeat_victim,
            "claimed_by": self.claimed_by,
            "lease_until": timeutil.iso(self.lease_until),
            "failed_attempts": self.failed_attempts,
            "last_outcome": self.last_outcome,
            "phone_extension": self.phone_extension,
            "problems": [dict(p) for p in self.problems],
            "reserved_until": timeutil.iso(self.reserved_until),
            "centre": self.centre,
            "linked": self.linked,
        }


@dataclass(frozen=True, slots=True)
class Receipt:
    """What whoever submits a warning learns: its id and status, whether it is new, and the
    problems noted on its secondary fields. Never the warning itself: a feed reposting another
    feed's (source, external_id) must not read that warning back."""

    id: WarningId
    status: str
    # False: the same (source, external_id) was seen before, the first kept. Not in the JSON:
    # the hub's answer says it with 201 (new) or 200.
    created: bool = field(metadata=CLIENT_ONLY)
    problems: tuple[dict[str, str], ...] = ()  # of this submission; () for a repeat


@dataclass(frozen=True, slots=True)
class Attempt:
    id: AttemptId
    warning_id: WarningId
    client_id: str
    officer: str
    outcome: str
    notes: str
    started_at: Epoch | None
    ended_at: Epoch | None
    recorded_at: Epoch
    amount_lost: float | None = None
    callback_at: Epoch | None = None
    callback_scope: str | None = None
    pending: bool = field(default=False, metadata=CLIENT_ONLY)  # waits in an offline outbox
    linked_to: AttemptId | None = None  # the call's own row, when this row was settled by it
    settled: tuple[WarningId, ...] = ()  # every warning the call settled (its own first)
    # Dialled from the screen (F3); then started_at/ended_at are when the person answered and
    # hung up where the telephony gateway reported them (None: not answered).
    dialled_at: Epoch | None = None
    voided_at: Epoch | None = None  # undone by its officer: kept, counted nowhere


@dataclass(frozen=True, slots=True)
class Escalation:
    id: EscalationId
    warning_id: WarningId
    client_id: str
    kind: str
    status: str
    reason: str
    cards: tuple[str, ...]
    amount: float | None
    proposed_by: str
    proposed_at: Epoch
    automatic: bool = False
    decided_by: str | None = None
    decided_at: Epoch | None = None
    decision_note: str | None = None
    hold_until: Epoch | None = None  # a card lock's stop-payment hold runs out then
    hold_extended: bool = False  # the hold may be extended once
    station: str = ""  # where a door visit goes
    pending: bool = field(default=False, metadata=CLIENT_ONLY)  # waits in an offline outbox
    warning_ids: tuple[WarningId, ...] = ()  # every warning of the person under it
    JSON_EXTRA: ClassVar[tuple[str, ...]] = ("lapsed",)  # computed, and in the JSON too

    @property
    def lapsed(self) -> bool:
        """A card lock's hold that ran out with nobody acting: shown to the lead, not a state."""
        return (self.status == "locked" and self.hold_until is not None
                and self.hold_until < timeutil.now())


@dataclass(frozen=True, slots=True)
class SendTicket:
    """An approved request taken by one sender: nobody else sends it until the sender records it
    sent or gives it back (or, after a crash, until the take goes stale)."""

    escalation: Escalation  # as it was when taken
    token: str
    user: str
    taken_at: float
    overtook: str = ""  # whose stale take this one replaced (the bank may have it twice)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """Another warning on the same phone: what happened to it."""

    warning_id: WarningId = field(metadata=key("id"))
    arrived_at: Epoch
    scam_type: str
    risk_level: str
    status: str
    last_outcome: str | None


@dataclass(frozen=True, slots=True)
class WarningDetail:
    """A warning as an officer opens it; in JSON the warning's own fields come first, then
    `attempts`, `escalations`, `history`, `messages` and `linked_warnings` (docs/architecture.md,
    "The HTTP API")."""

    warning: Warning = field(metadata=INLINE)
    attempts: tuple[Attempt, ...] = ()
    escalations: tuple[Escalation, ...] = ()
    history: tuple[HistoryEntry, ...] = field(default=())
    messages: tuple[Message, ...] = ()  # SMS warnings sent
    # the person's other open warnings, every feed's facts
    linked: tuple[Warning, ...] = field(default=(), metadata=key("linked_warnings"))

    @property
    def status(self) -> str:
        return self.warning.status

    @property
    def id(self) -> WarningId:
        return self.warning.id


@dataclass(frozen=True, slots=True)
class EscalationDetail:
    """An escalation with its steps (who, when) and, for a chase call, its calls."""

    escalation: Escalation = field(metadata=INLINE)
    steps: tuple[Step, ...] = ()
    calls: tuple[ChaseCall, ...] = ()


@dataclass(frozen=True, slots=True)
class WarningHistory:
    """Everything about one warning for a lead's review: the detail, each escalation with its
    steps, the quality marks of its calls and every audit row about it."""

    detail: WarningDetail
    escalations: tuple[EscalationDetail, ...] = ()
    reviews: tuple[Review, ...] = ()
    trail: tuple[Entry, ...] = ()


# -- records of the lead's review, training, escalations, the audit and ingest (issue 11:
# records in one place, so that screens never import the SQL package) ---------------------


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    attempt_id: int
    warning_id: int
    reviewer: str
    verdict: str  # pass | fail
    comment: str
    reviewed_at: Epoch


@dataclass(frozen=True, slots=True)
class Found:
    """One row of a review list: the warning and a summary of the calls on it."""

    warning: Warning = field(metadata=INLINE)
    attempts: int = field(metadata=key("attempts_count"))
    last_officer: str | None
    last_attempt_at: Epoch | None
    review: str | None  # the latest quality mark of its calls: pass or fail


@dataclass(frozen=True, slots=True)
class RehearsalResult:
    id: int
    trainee: str
    scam_type: str
    lang: str
    finished_at: Epoch
    score: float  # share of the points the playbook says an officer must make
    points_made: int
    points_total: int
    detail: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Message:
    id: int
    warning_id: int
    client_id: str
    channel: str
    via: str
    text: str
    result: str
    sent_by: str
    sent_at: Epoch


@dataclass(frozen=True, slots=True)
class ChaseCall:
    id: int
    escalation_id: int
    warning_id: int
    number: int
    due_at: Epoch
    called_at: Epoch | None
    ok: bool | None
    result: str


@dataclass(frozen=True, slots=True)
class Step:
    status: str
    actor: str
    at: Epoch
    note: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """What `verify` found: `ok`, how many rows it checked, the chain's head, and the first
    problem (the row id and what is wrong with it)."""

    ok: bool
    rows: int
    head_id: int
    head_hash: str
    broken_at: int | None = None
    problem: str = ""  # in words (English), for logs and the command line
    code: str = ""  # what kind of problem, for a screen to say in its language: codes.AUDIT_PROBLEMS


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    at: Epoch
    actor: str
    action: str
    entity: str
    entity_id: int | None
    detail: dict[str, Any]
    hash: str


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What became of item `index` of a batch: its warning id and status, or why it was
    refused; a new warning's problems (secondary fields left empty, and why). Nothing else of
    the warning: a feed reads nothing back."""

    index: int
    warning_id: int | None = field(metadata=key("id"))
    created: bool
    error: str | None = None
    field: str | None = None
    status: str | None = None  # the warning's status now; None when refused
    problems: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: str
    created_at: Epoch
    revoked_at: Epoch | None
    has_token: bool
