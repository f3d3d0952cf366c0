"""Request bodies of the API. Loose types here; the core checks values and names the field."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from dissuade import limits
from dissuade.errors import InvalidInput

Text = str | None


def _detail(value: list[dict[str, object]]) -> list[dict[str, object]]:
    """A rehearsal's detail within limits.check_detail's bounds (depth, items, texts, numbers):
    the hub refuses what the core would, before it is ever stored."""
    try:
        return limits.check_detail(value, field="detail")
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


Detail = Annotated[list[dict[str, object]], AfterValidator(_detail)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WarningIn(Body):
    external_id: Text = Field(default=None, max_length=200)
    source: Text = Field(default=None, max_length=200)
    phone: str = Field(max_length=100)
    name: Text = Field(default=None, max_length=200)
    scam_type: Text = Field(default=None, max_length=100)
    risk_level: Text = Field(default=None, max_length=50)
    reported_at: Text = Field(default=None, max_length=100)
    district: Text = Field(default=None, max_length=200)
    fraud_contact: Text = Field(default=None, max_length=2000)
    amount_at_risk: float | str | None = None
    cards: list[str] | str | None = None
    notes: Text = Field(default=None, max_length=2000)
    synthetic: bool = False
    id_number: Text = Field(default=None, max_length=50)


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
    detail: Detail = Field(default_factory=list, max_length=limits.DETAIL_ITEMS_MAX)


class RaiseLevelIn(Body):
    level: str = Field(max_length=20)
    reason: str = Field(max_length=2000)


class NoteIn(Body):
    note: str = Field(default="", max_length=2000)


class RevealIn(Body):
    field: Literal["cards", "id_number", "notes"]
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
