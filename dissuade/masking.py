"""Masking personal data for screens, logs and exports: only the holder sees it whole."""

from __future__ import annotations

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
