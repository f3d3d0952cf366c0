"""A last guard for free text in reports: card, ID and phone numbers typed into it are masked."""

from __future__ import annotations

import re

# 11 to 19 digits, single spaces or hyphens allowed between them, an ID number's X at the end:
# phones (11), ID numbers (15 or 18) and bank cards (13-19). Shorter runs (amounts, dates, warning
# ids) are left alone.
_LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[ \-]?\d){10,18}(?:[ \-]?[Xx])?(?![\dXx])")


def _mask(match: re.Match[str]) -> str:
    digits = re.sub(r"[^\dXx]", "", match.group(0)).upper()
    if len(digits) == 11 and digits.startswith("1"):  # a Chinese mobile: 139 **** 5678
        return f"{digits[:3]} **** {digits[-4:]}"
    if digits[-1] == "X" or len(digits) in (15, 18):  # an ID number, as idnumbers.mask shows it
        return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
    return f"{digits[:4]} **** **** {digits[-4:]}"  # a card, as masking.mask_card shows it


def scrub(text: object) -> str:
    """The text with every long number masked; the data's own fields arrive masked already, but
    reasons and notes are typed by officers, who may paste a card number into them."""
    if text is None:
        return ""
    return _LONG_NUMBER.sub(_mask, str(text))
