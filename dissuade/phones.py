"""Phone numbers: any common written form in, E.164 stored, national format with region out."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, carrier, geocoder

from dissuade.errors import InvalidInput

# Full-width digits and punctuation become ASCII under NFKC; these are the separators people type.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212().\[\]/·、]+")


_CN_MOBILE = re.compile(r"(?:\+86|0086|86)?(1\d{10})")


@lru_cache(maxsize=16384)
def _mobile_block_is_valid(block: str) -> bool:
    """Whether phonenumbers calls the numbers of this 5-digit mobile block valid."""
    return bool(phonenumbers.is_valid_number(phonenumbers.parse("+86" + block + "123456")))


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip()
    return _SEPARATORS.sub("", text)


def normalise(raw: object) -> str:
    """The E.164 form of a phone number as written in a warning.

    Read as a Chinese number unless it starts with ``+`` or ``00``; ``86`` or ``0086`` in front
    of a Chinese number is understood. Raises InvalidInput naming the number when it is not a
    valid number.
    """
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput("电话号码为空 / phone number is empty", field="phone")
    text = _clean(raw)
    mobile = _CN_MOBILE.fullmatch(text)
    if mobile is not None:
        # Most warnings carry a Chinese mobile: phonenumbers judges its 5-digit block once, and
        # every other number of the block is valid or not with it (the numbering plan assigns
        # mobile blocks by at most five leading digits; a test checks every block). An import of
        # 100,000 rows would otherwise spend most of its time here.
        national = mobile.group(1)
        if _mobile_block_is_valid(national[:5]):
            return "+86" + national
        raise InvalidInput(f"电话号码无效 / invalid phone number: {raw!r}", field="phone")
    if text.startswith("00"):
        text = "+" + text[2:]
    # "8613912345678" (no plus) is a Chinese mobile with its country code.
    if not text.startswith("+") and text.startswith("86") and len(text) >= 12:
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(
            f"电话号码无法识别 / not a phone number: {raw!r} ({exc})", field="phone"
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(
            f"电话号码无效 / invalid phone number: {raw!r}", field="phone"
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


@dataclass(frozen=True, slots=True)
class PhoneInfo:
    e164: str
    national: str  # as an officer dials it, e.g. "139 1234 5678" or "010 1234 5678"
    region: str  # 江苏省连云港市
    carrier: str  # 中国移动; empty for landlines


@lru_cache(maxsize=4096)
def describe(e164: str, lang: str = "zh") -> PhoneInfo:
    """National format, region and carrier of a stored number, in Chinese by default."""
    number = phonenumbers.parse(e164, None)
    if number.country_code == 86:
        national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    else:
        national = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    locale = "zh" if lang.startswith("zh") else "en"
    return PhoneInfo(
        e164=e164,
        national=national,
        region=geocoder.description_for_number(number, locale),
        carrier=carrier.name_for_number(number, locale),
    )
