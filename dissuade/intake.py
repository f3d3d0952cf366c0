"""Checking an incoming warning field by field: the one gate for feeds, imports and demo data."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from dissuade import idnumbers, phones, timeutil
from dissuade.codes import RiskLevel, ScamType
from dissuade.errors import InvalidInput
from dissuade.policy import Policy

FIELDS = (
    "external_id", "source", "phone", "name", "scam_type", "risk_level", "reported_at",
    "district", "fraud_contact", "amount_at_risk", "cards", "notes", "synthetic", "id_number",
)
_FIELD_SET = frozenset(FIELDS)
_SCAM_CODES = frozenset(s.value for s in ScamType)
_LEVEL_CODES = frozenset(lv.value for lv in RiskLevel)
_MAX_TEXT = 2000
_CARD_SPLIT = re.compile(r"[,，;；/\s|、]+")


@dataclass(frozen=True, slots=True)
class NewWarning:
    source: str
    external_id: str | None
    phone: str
    name: str
    scam_type: str
    risk_level: str
    reported_at: float | None
    district: str
    fraud_contact: str
    amount_at_risk: float | None
    cards: tuple[str, ...]
    notes: str
    synthetic: bool
    id_number: str = ""  # 身份证号, masked unless revealed
    phone_extension: str = ""
    problems: tuple[dict[str, str], ...] = ()  # secondary fields left empty, and why


def _text(data: Mapping[str, object], key: str, *, required: bool = False) -> str:
    value = data.get(key)
    if type(value) is str and 0 < len(value) <= _MAX_TEXT:  # nearly every cell: the fast path
        return value.strip()
    if value is None or value == "":
        if required:
            raise InvalidInput(f"缺少字段 / missing field: {key}", field=key)
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str):
        raise InvalidInput(f"字段应为文本 / {key} must be text", field=key)
    value = value.strip()
    if len(value) > _MAX_TEXT:
        raise InvalidInput(f"字段过长 / {key} is longer than {_MAX_TEXT} characters", field=key)
    return value


def parse_amount(value: object, *, field: str = "amount_at_risk") -> float | None:
    """Yuan from a number or text such as "12,000", "1.5万", "800元"."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidInput(f"金额无效 / {field} is not an amount", field=field)
    if isinstance(value, int | float):
        amount = float(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "").removesuffix("元").strip()
        factor = 1.0
        if text.endswith("万"):
            factor, text = 10_000.0, text[:-1]
        try:
            amount = float(text) * factor
        except ValueError:
            raise InvalidInput(f"金额无效 / {field} is not an amount: {value!r}", field=field) from None
    else:
        raise InvalidInput(f"金额无效 / {field} is not an amount", field=field)
    if not (amount >= 0 and amount < 1e13):
        raise InvalidInput(f"金额超出范围 / {field} out of range: {value!r}", field=field)
    return round(amount, 2)


def parse_cards(value: object, *, field: str = "cards") -> tuple[str, ...]:
    """Bank-card numbers (12 to 19 digits) from a list or a text with separators."""
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        items: list[object] = [p for p in _CARD_SPLIT.split(value) if p]
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        raise InvalidInput(f"银行卡号应为列表 / {field} must be a list", field=field)
    cards = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            item = str(item)
        if not isinstance(item, str):
            raise InvalidInput(f"银行卡号无效 / invalid card number in {field}", field=field)
        digits = re.sub(r"[\s-]", "", item)
        if not (digits.isascii() and digits.isdigit() and 12 <= len(digits) <= 19):
            raise InvalidInput(
                f"银行卡号应为12至19位数字 / card number must be 12-19 digits: {item!r}",
                field=field,
            )
        cards.append(digits)
    return tuple(cards)


def parse_scam_type(value: object) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return ScamType.UNKNOWN.value
    if not isinstance(value, str):
        raise InvalidInput(f"未知诈骗类型 / unknown scam type: {value!r}", field="scam_type")
    text = value.strip()
    if text not in _SCAM_CODES:
        raise InvalidInput(f"未知诈骗类型 / unknown scam type: {value!r}", field="scam_type")
    return text


def parse_level(value: object) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"未知预警等级 / unknown risk level: {value!r}", field="risk_level")
    text = value.strip()
    if text not in _LEVEL_CODES:
        raise InvalidInput(f"未知预警等级 / unknown risk level: {value!r}", field="risk_level")
    return text


def check_warning(data: Mapping[str, object], policy: Policy) -> NewWarning:
    """A validated warning, or InvalidInput naming the first field that is wrong."""
    if not _FIELD_SET.issuperset(data):  # checked per row of an import: the cheap test first
        unknown = sorted(set(data) - _FIELD_SET)
        raise InvalidInput(f"未知字段 / unknown field: {unknown[0]}", field=unknown[0])
    scam_type = parse_scam_type(data.get("scam_type"))
    level = parse_level(data.get("risk_level")) or policy.grade(scam_type)
    reported = data.get("reported_at")
    reported_at = (
        None
        if reported in (None, "")
        else timeutil.parse(reported, tz=policy.timezone, field="reported_at")
    )
    synthetic = data.get("synthetic", False)
    if not isinstance(synthetic, bool):
        raise InvalidInput("synthetic 应为 true/false / synthetic must be a boolean", field="synthetic")
    external_id = _text(data, "external_id") or None
    return NewWarning(
        source=_text(data, "source") or "manual",
        external_id=external_id,
        phone=phones.normalise(data.get("phone")),
        name=_text(data, "name"),
        scam_type=scam_type,
        risk_level=level,
        reported_at=reported_at,
        district=_text(data, "district"),
        fraud_contact=_text(data, "fraud_contact"),
        amount_at_risk=parse_amount(data.get("amount_at_risk")),
        cards=parse_cards(data.get("cards")),
        notes=_text(data, "notes"),
        synthetic=synthetic,
        id_number=idnumbers.normalise(data.get("id_number")),
    )
