"""Chinese resident ID numbers (居民身份证号码): checked on the way in, masked on the way out."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from dissuade.domain.errors import InvalidInput

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SEPARATORS = re.compile(r"[\s\-]+")


def check_digit(body: str) -> str:
    """The 18th character of the number whose first 17 digits are `body` (GB 11643)."""
    return _CHECK[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def _birth_date(text: str) -> date | None:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None
    return born if date(1900, 1, 1) <= born <= date.today() else None


def normalise(raw: object, *, field: str = "id_number") -> str:
    """The number as stored: 18 characters, a capital X for the check digit; "" when absent.

    A 15-digit number of the first generation is accepted as it is written. Anything else is
    refused with InvalidInput naming the field.
    """
    if raw is None or raw == "":
        return ""
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise InvalidInput(f"身份证号应为文本 / {field} must be text", field=field)
    text = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw)).upper()
    if not text:
        return ""
    if len(text) == 15 and text.isascii() and text.isdigit():
        if _birth_date("19" + text[6:12]) is None:
            raise InvalidInput(f"身份证号出生日期无效 / {field} has no valid birth date", field=field)
        return text
    if len(text) != 18 or not (text[:17].isascii() and text[:17].isdigit()) \
            or text[17] not in "0123456789X":
        raise InvalidInput(f"身份证号应为18位（末位可为X） / {field} must be 18 characters, "
                           "17 digits and a digit or X", field=field)
    if _birth_date(text[6:14]) is None:
        raise InvalidInput(f"身份证号出生日期无效 / {field} has no valid birth date", field=field)
    if check_digit(text[:17]) != text[17]:
        raise InvalidInput(f"身份证号校验位错误 / {field} fails its check digit", field=field)
    return text


def mask(number: str) -> str:
    """The first four and last four characters: the region, never the birth date."""
    if not number or "*" in number:
        return number
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
