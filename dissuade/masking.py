"""Masking personal data for screens, logs and exports: only the holder sees it whole."""

from __future__ import annotations

import re

from dissuade import idnumbers, phones

mask_id_number = idnumbers.mask


def mask_card(number: str) -> str:
    """A bank card as officers may see it: first four and last four digits."""
    if "*" in number:  # masked already
        return number
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) <= 8:
        return "*" * len(digits)
    return f"{digits[:4]} **** **** {digits[-4:]}"


def mask_phone(e164: str) -> str:
    """A phone in national format with the middle digits hidden: 139 **** 5678."""
    national = phones.describe(e164).national
    digits = [i for i, ch in enumerate(national) if ch.isdigit()]
    if len(digits) < 7:
        return national
    hide = set(digits[3:-4])
    return "".join("*" if i in hide else ch for i, ch in enumerate(national))


def mask_name(name: str) -> str:
    """A Chinese name keeps its surname: 王**; a Latin name its initial."""
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def card_matches(masked: str, full: str) -> bool:
    """Whether a masked card stands for `full` (same first four and last four digits)."""
    return mask_card(full) == masked.strip()


# 11 to 19 digits, single spaces or hyphens allowed between them, an ID number's X at the end:
# phones (11), ID numbers (15 or 18) and bank cards (13-19). Shorter runs (amounts, dates, warning
# ids) are left alone.
_LONG_NUMBER = re.compile(r"(?<!\d)\d(?:[ \-]?\d){10,18}(?:[ \-]?[Xx])?(?![\dXx])")


def _mask_long(match: re.Match[str]) -> str:
    digits = re.sub(r"[^\dXx]", "", match.group(0)).upper()
    if len(digits) == 11 and digits.startswith("1"):  # a Chinese mobile: 139 **** 5678
        return f"{digits[:3]} **** {digits[-4:]}"
    if digits[-1] == "X" or len(digits) in (15, 18):  # an ID number, as idnumbers.mask shows it
        return digits[:4] + "*" * (len(digits) - 8) + digits[-4:]
    return f"{digits[:4]} **** **** {digits[-4:]}"  # a card, as mask_card shows it


def mask_numbers(text: object) -> str:
    """Free text (a reason, a note) with every long number masked: the records' own fields leave
    masked already, but officers type these and may paste a card or ID number into them."""
    if text is None:
        return ""
    return _LONG_NUMBER.sub(_mask_long, str(text))
