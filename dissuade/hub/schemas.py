"""Request bodies of the API. Loose types here; the core checks values and names the field."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr

from dissuade import limits

Text = str | None


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


# A feed's warning: pydantic checks only its shape (known fields, a value where a value belongs)
# and the limits of the fields that refuse a warning; the core reads every value and notes a bad
# secondary one as a problem instead of refusing the victim (settled), so nothing here may be
# stricter than dissuade.intake.
Value = StrictStr | StrictInt | StrictFloat | StrictBool | None
Phone = Annotated[StrictStr, Field(max_length=limits.PHONE_MAX)] | StrictInt | StrictFloat


class WarningIn(Body):
    external_id: Value = None
    source: Annotated[StrictStr, Field(max_length=limits.SOURCE_MAX)] | None = None
    phone: Phone
    phone_extension: Value = None
    name: Value = None
    scam_type: Value = None
    risk_level: Value = None
    reported_at: Value = None
    district: Value = None
    fraud_contact: Value = None
    amount_at_risk: Value = None
    cards: list[Value] | Value = None
    notes: Value = None
    synthetic: StrictBool = False
    id_number: Value = None


class WarningBatchIn(Body):
    warnings: list[dict[str, object]] = Field(max_length=5000)


class AttemptIn(Body):
    client_id: str = Field(min_length=1, max_length=100)
    outcome: str = Field(max_length=50)
    notes: str = Field(default="", max_length=10_000)
    started_at: Text = Field(default=None, max_length=100)
    ended_at: Text = Field(default=None, max_length=100)
    amount_lost: float | str | None = None
    callback_at: Text = Field(default=None, max_length=100)
    callback_scope: Literal["me", "anyone"] | None = None
    escalation: dict[str, object] | None = None  # corrections to the proposal it makes


class EscalationIn(Body):
    client_id: str = Field(min_length=1, max_length=100)
    kind: str = Field(max_length=50)
    reason: str = Field(max_length=2000)
    cards: list[str] | str | None = None
    amount: float | str | None = None


class DecisionIn(Body):
    decision: Literal["approve", "reject"]
    note: str = Field(default="", max_length=2000)


class StatusIn(Body):
    status: str = Field(max_length=50)
    note: str = Field(default="", max_length=2000)


class RetypeIn(Body):
    scam_type: str = Field(max_length=100)
    reason: str = Field(default="", max_length=2000)


class MessageIn(Body):
    client_id: str = Field(min_length=1, max_length=100)
    text: str = Field(max_length=1000)
    via: str = Field(max_length=20)
    result: str = Field(default="", max_length=2000)


class RehearsalIn(Body):
    scam_type: str = Field(max_length=100)
    lang: Literal["zh", "en"] = "zh"
    points_made: int = Field(ge=0, le=10_000)
    points_total: int = Field(ge=1, le=10_000)
    detail: list[dict[str, object]] = Field(default_factory=list, max_length=200)


class RaiseLevelIn(Body):
    level: str = Field(max_length=20)
    reason: str = Field(max_length=2000)


class NoteIn(Body):
    note: str = Field(default="", max_length=2000)


class RevealIn(Body):
    field: Literal["cards", "id_number"]
    reason: str = Field(min_length=1, max_length=500)


class ReviewIn(Body):
    verdict: Literal["pass", "fail"]
    comment: str = Field(default="", max_length=2000)


class SettingsIn(Body):
    hold_hours: float | None = None
    chase_calls: int | None = None
    chase_interval_minutes: float | None = None
    stations: dict[str, str] | None = None
    shift_starts: list[int] | None = Field(default=None, max_length=6)
    grading: dict[str, str] | None = None
