"""Request bodies with a model of their own (the others are built from the operation table by
dissuade/hub/routes.py): the feeds', documented but checked by the core, and the settings'."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from dissuade.domain import limits, settings

WARNING_BATCH_MAX = 5000  # warnings in one POST /warnings/batch


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
    outreach: FlagValue = Field(None, description=(
        "false: no SMS at arrival for these warnings (an import's default); a feed's batch "
        "gets them by default"))


class SettingsIn(BaseModel):
    """Any of the centre's editable settings, each optional. Made from their declarations
    (dissuade.domain.settings): the schema lists each with its type, limits, meaning and default.
    Pydantic checks only that the body is an object; the core checks every name and value with
    the declarations' one checker, the same for a local file, and a refusal is a 422 naming the
    setting. A null is left out, as if not sent."""

    model_config = ConfigDict(extra="allow", json_schema_extra={
        "properties": settings.json_schema(), "additionalProperties": False})
