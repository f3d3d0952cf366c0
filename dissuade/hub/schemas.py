"""Request bodies of the API. Loose types here; the core checks values and names the field."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from dissuade.domain import limits, settings
from dissuade.domain.errors import InvalidInput

Text = str | None
WARNING_BATCH_MAX = 5000  # warnings in one POST /warnings/batch


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


# A feed's warning. Pydantic checks nothing but that the body is an object: dissuade.feeds.intake
# checks the shape (unknown fields, an object or a list where a value belongs) and every value,
# the same for the hub and a local file, noting a bad secondary value as a problem instead of
# refusing the victim (settled). Pydantic's own 422 would also repeat the refused value (a
# phone, a card) back in its answer; the core's names the field and masks the number. The
# schema below documents what the core takes, with dissuade.domain.limits' numbers.
_VALUE: dict[str, Any] = {"type": ["string", "number", "boolean", "null"]}
Value = Annotated[Any, WithJsonSchema(_VALUE)]
IdValue = Annotated[Any, WithJsonSchema({"type": ["string", "number", "null"]})]
SourceValue = Annotated[Any, WithJsonSchema({"type": ["string", "null"],
                                             "maxLength": limits.SOURCE_MAX})]
PhoneValue = Annotated[Any, WithJsonSchema({"anyOf": [
    {"type": "string", "maxLength": limits.PHONE_MAX}, {"type": "number"}]})]
CardsValue = Annotated[Any, WithJsonSchema({"anyOf": [{"type": "array", "items": _VALUE},
                                                      _VALUE]})]
FlagValue = Annotated[Any, WithJsonSchema({"type": "boolean"})]
CUT = f"cut to {limits.TEXT_MAX} characters"


class WarningIn(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra={
        "additionalProperties": False, "required": ["phone"]})

    external_id: IdValue = Field(None, description=(
        f"the feed's id: a repeat (source, external_id) is not stored again; over "
        f"{limits.EXTERNAL_ID_MAX} characters it is not kept"))
    source: SourceValue = Field(None, description="the feed's name (default manual)")
    phone: PhoneValue = Field(None, description=(
        "required: any common written form, with an extension (转808, ext. 808) if any"))
    phone_extension: Value = Field(None, description="digits, when not in the phone")
    name: Value = Field(None, description=CUT)
    scam_type: Value = Field(None, description="a code, its label or a common name (杀猪盘)")
    risk_level: Value = Field(None, description="a code or label; by scam type when absent")
    reported_at: Value = Field(None, description=(
        "ISO 8601 (the centre's zone when without an offset), or an Excel serial date"))
    district: Value = Field(None, description=CUT)
    fraud_contact: Value = Field(None, description=CUT)
    amount_at_risk: Value = Field(None, description="yuan: a number or text such as ¥1.5万")
    cards: CardsValue = Field(None, description=(
        f"bank-card numbers, a list or a text; over {limits.CARDS_MAX} none are kept"))
    notes: Value = Field(None, description=CUT)
    synthetic: FlagValue = Field(None, description="demo or rehearsal data")
    id_number: Value = Field(None, description="身份证号; an invalid one is left out")


class WarningBatchIn(BaseModel):
    """Checked by the route and the core, for the reason WarningIn is."""

    model_config = ConfigDict(extra="allow", json_schema_extra={
        "additionalProperties": False, "required": ["warnings"]})

    warnings: Annotated[Any, WithJsonSchema({
        "type": "array", "maxItems": WARNING_BATCH_MAX,
        "items": {"$ref": "#/components/schemas/WarningIn"}})] = None


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
    settles: list[int] | None = Field(default=None, max_length=200)  # the warnings on screen


class ClaimIn(Body):
    client_id: str | None = Field(default=None, min_length=1, max_length=100)


class ReassignIn(Body):
    to: str | None = Field(default=None, max_length=64)
    reason: str = Field(max_length=2000)


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


class SettingsIn(BaseModel):
    """Any of the centre's editable settings, each optional. Made from their declarations
    (dissuade.domain.settings): the schema lists each with its type, limits, meaning and default.
    Pydantic checks only that the body is an object; the core checks every name and value with
    the declarations' one checker, the same for a local file, and a refusal is a 422 naming the
    setting. A null is left out, as if not sent."""

    model_config = ConfigDict(extra="allow", json_schema_extra={
        "properties": settings.json_schema(), "additionalProperties": False})
