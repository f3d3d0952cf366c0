"""Phone numbers: any common written form in, E.164 stored, national format with region out.

A number must reach the right person: a letter in it is refused (phonenumbers would read it as a
keypad letter and store a stranger's number), an extension is kept apart and never dropped, and a
number that a spreadsheet wrote as a number (``13800138000.0``, ``1.3800138E10``) is read as the
number it is. Messages name the field and the problem, never the whole number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberFormat, carrier, geocoder

from dissuade.domain.errors import InvalidInput
from dissuade.domain.limits import EXTENSION_MAX, PHONE_MAX

# Full-width digits and punctuation become ASCII under NFKC; these are the separators people type.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212().\[\]/·、]+")

_CN_MOBILE = re.compile(r"(?:\+86|0086|86)?(1\d{10})")

# An extension after the number: 转808, 分机808, ext. 808, x808, #808, (分机 808). Read after NFKC.
_EXTENSION = re.compile(
    r"(?P<number>.*?)[\s,;]*[(\[]?\s*(?:转分机号?|分机号?|转|extension|extn|ext|x|#)\s*[.:：]?\s*"
    r"(?P<extension>\d+)\s*[)\]]?\s*",
    re.IGNORECASE,
)
# What a spreadsheet makes of a number: "13800138000.0" or "1.3800138E10".
_DECIMAL_ZERO = re.compile(r"(\d+)\.0+")
_SCIENTIFIC = re.compile(r"\d(?:\.(\d+))?[eE]\+?(\d{1,2})")
_EXACT_DIGITS = 15  # a spreadsheet keeps 15 significant digits


@dataclass(frozen=True, slots=True)
class Phone:
    """A number as it will be dialled: E.164, and the extension to ask for ("" when none)."""

    e164: str
    extension: str = ""
    # Something the officer should know about how it was written (e.g. a spreadsheet's
    # scientific notation, which may have lost digits); "" when nothing.
    note: str = ""


@lru_cache(maxsize=16384)
def _mobile_block_is_valid(block: str) -> bool:
    """Whether phonenumbers calls the numbers of this 5-digit mobile block valid."""
    return bool(phonenumbers.is_valid_number(phonenumbers.parse("+86" + block + "123456")))


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).strip()
    return _SEPARATORS.sub("", text)


def masked(raw: object) -> str:
    """A phone as written, safe for a message or a log: at most the first three and the last
    two digits, everything else starred (``138******00``)."""
    text = _clean(str(raw)) if raw is not None else ""
    if len(text) <= 6:
        return "*" * len(text)
    keep = [ch if ch.isascii() and (ch.isdigit() or ch == "+") else "*" for ch in text]
    return "".join(keep[:3]) + "*" * (len(text) - 5) + "".join(keep[-2:])


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, field="phone")


def parse(raw: object) -> Phone:
    """The E.164 form and the extension of a phone number as written in a warning.

    Read as a Chinese number unless it starts with ``+`` or ``00``; ``86`` or ``0086`` in front
    of a Chinese number is understood. Raises InvalidInput (field ``phone``) when it is not a
    valid number, holds a letter, or is not text; the message shows the number masked.
    """
    if type(raw) is str:
        text = _clean(raw)
        mobile = _CN_MOBILE.fullmatch(text)
        if mobile is not None:
            # Most warnings carry a Chinese mobile: phonenumbers judges its 5-digit block once,
            # and every other number of the block is valid or not with it (the numbering plan
            # assigns mobile blocks by at most five leading digits; a test checks every block).
            # An import of 100,000 rows would otherwise spend most of its time here.
            national = mobile.group(1)
            if _mobile_block_is_valid(national[:5]):
                return Phone("+86" + national)
            raise _refuse(f"电话号码无效 / invalid phone number: {masked(raw)}")
    return _parse_slowly(raw)


def normalise(raw: object) -> str:
    """The E.164 form of a phone number as written (its extension, if any, left out).

    For callers that want only the number (finding a person by phone); a warning keeps the
    extension through `parse`. Refuses what `parse` refuses.
    """
    return parse(raw).e164


def _parse_slowly(raw: object) -> Phone:
    if isinstance(raw, bool) or raw is None:
        raise _refuse("电话号码为空 / phone number is empty" if raw is None else
                      "电话号码应为文本 / phone must be text")
    if isinstance(raw, int):
        raw = str(raw)
    elif isinstance(raw, float):
        if not (raw == raw and abs(raw) < 1e300 and raw.is_integer()):  # NaN, inf, fractions
            raise _refuse("电话号码无效 / invalid phone number (not a whole number)")
        if abs(raw) >= 10 ** _EXACT_DIGITS:
            raise _refuse("电话号码以数值格式保存已丢失末位，请把该列设为文本 / the phone number was "
                          "stored as a number and has lost its last digits; format the column as "
                          "text")
        raw = str(int(raw))
    if not isinstance(raw, str):
        raise _refuse("电话号码应为文本 / phone must be text")
    if len(raw) > PHONE_MAX:
        raise _refuse(f"电话号码超过 {PHONE_MAX} 个字符 / phone is longer than {PHONE_MAX} "
                      "characters")
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        raise _refuse("电话号码为空 / phone number is empty")
    text, note = _spreadsheet_number(text)
    extension = ""
    split = _EXTENSION.fullmatch(text)
    if split is not None:
        if not _SEPARATORS.sub("", split.group("number")):
            raise _refuse("只有分机号，没有电话号码 / only an extension, no phone number")
        text, extension = split.group("number"), split.group("extension")
        if len(extension) > EXTENSION_MAX:
            raise _refuse(f"分机号超过 {EXTENSION_MAX} 位 / the phone's extension is longer "
                          f"than {EXTENSION_MAX} digits")
    number = _SEPARATORS.sub("", text)
    _refuse_letters(number, raw)
    return Phone(_e164(number, raw), extension, note)


def _spreadsheet_number(text: str) -> tuple[str, str]:
    """A number a spreadsheet wrote as a number, as its digits; and a note when digits may be
    missing (scientific notation keeps only the digits shown)."""
    whole = _DECIMAL_ZERO.fullmatch(text)
    if whole is not None:
        return whole.group(1), ""
    sci = _SCIENTIFIC.fullmatch(text)
    if sci is None:
        return text, ""
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern is a valid decimal
        return text, ""
    if value != value.to_integral_value() or value >= 10 ** _EXACT_DIGITS:
        raise _refuse("电话号码以科学计数法保存，已丢失位数，请把该列设为文本 / the phone number was "
                      "written in scientific notation and has lost digits; format the column as "
                      "text")
    digits = str(int(value))
    shown = 1 + len(sci.group(1) or "")
    note = "" if shown >= len(digits) else (
        "电话号码以科学计数法书写，可能丢失了位数，请与来源核对 / the phone number was written in "
        "scientific notation and may have lost digits: check it with the feed")
    return digits, note


def _refuse_letters(number: str, raw: str) -> None:
    """Refuse anything in the number part but digits and a leading plus, naming letters."""
    body = number[1:] if number.startswith("+") else number
    if body.isascii() and body.isdigit():
        return
    letters = {ch for ch in body if unicodedata.category(ch)[0] == "L"
               or unicodedata.category(ch) in ("Nl", "No")}
    if letters:
        raise _refuse(f"电话号码含{_letters_zh(letters)}，只能填数字（如 O 应为 0）/ the phone number "
                      f"holds {_letters_en(letters)}: phonenumbers would read a letter as a keypad "
                      f"letter and dial someone else; type digits only ({masked(raw)})")
    if all(ch.isdigit() for ch in body):  # other scripts' decimal digits: phonenumbers reads them
        return
    raise _refuse(f"电话号码含非数字字符 / the phone number holds characters that are not digits "
                  f"({masked(raw)})")


def _letters_zh(letters: set[str]) -> str:
    latin = sorted(ch for ch in letters if ch.isascii())
    return f"字母 {' '.join(latin[:5])}" if latin else "非数字的文字"


def _letters_en(letters: set[str]) -> str:
    """Which letters, without echoing words (a name typed into the phone column stays unsaid)."""
    latin = sorted(ch for ch in letters if ch.isascii())
    kinds = []
    if latin:
        kinds.append("the letter" + ("s " if len(latin) > 1 else " ") + " ".join(latin[:5]))
    scripts = {unicodedata.name(ch, "").split(" ")[0] for ch in letters if not ch.isascii()}
    if scripts & {"CYRILLIC", "GREEK"}:
        kinds.append("Cyrillic or Greek letters that look like digits or Latin letters")
    if scripts - {"CYRILLIC", "GREEK"}:
        kinds.append("letters or characters of another script")
    return " and ".join(kinds)


def _e164(text: str, raw: str) -> str:
    if text.startswith("00"):
        text = "+" + text[2:]
    # "8613912345678" (no plus) is a Chinese mobile with its country code.
    if not text.startswith("+") and text.startswith("86") and len(text) >= 12:
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "CN")
    except phonenumbers.NumberParseException:
        raise _refuse(f"电话号码无法识别 / not a phone number: {masked(raw)}") from None
    if number.extension or not phonenumbers.is_valid_number(number):
        raise _refuse(f"电话号码无效 / invalid phone number: {masked(raw)}")
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
