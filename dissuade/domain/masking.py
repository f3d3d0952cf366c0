"""Masking personal data for screens, logs and exports: only the holder sees it whole."""

from __future__ import annotations

import re
import unicodedata

from dissuade.domain import idnumbers, phones
from dissuade.domain.errors import InvalidInput

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


# -- card and ID numbers written in free text ----------------------------------------------------
#
# Notes, reasons and comments are typed by people, who paste a card or ID number into them. In
# these texts a *written number* is a run of digits (any script's: full-width ６２２２ too) whose
# groups may be split by one space or hyphen ("6222 0202 0202 0202 020", "110105-19491231-002X").
# It is masked when it is, or holds, a bank card (13-19 digits passing the Luhn check) or a
# resident ID number (18 characters passing GB 11643's check digit with a real birth date, or 15
# digits of the first generation with a real birth date, written on their own). Everything else is
# left as written: phones (11 digits), amounts, dates, warning and feed ids, and any run of fewer
# than 13 digits. A phone written with its country code after "+" in groups (+86 139 1234 5678)
# is a phone, not a card. `fraud_contact` (the fraudster's number, which banks need) is never
# passed through this.

CARD_MIN, CARD_MAX = 13, 19
_SEPARATORS = frozenset(" -\u00a0\u3000")
_X = frozenset("xXｘＸ")


def luhn_ok(digits: str) -> bool:
    """Whether an ASCII digit string passes the Luhn check (as every bank card number does)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _has_luhn_window(digits: str) -> bool:
    """Whether any CARD_MIN..CARD_MAX-digit stretch of `digits` passes the Luhn check.

    Prefix sums of both doubling phases make each stretch O(1): a 10,000-digit run costs
    70,000 additions, not a million.
    """
    n = len(digits)
    if n < CARD_MIN:
        return False
    values = [ord(ch) - 48 for ch in digits]
    doubled = [v * 2 - 9 if v > 4 else v * 2 for v in values]
    # even[k]: digits before k, those at even indexes doubled; odd[k]: those at odd indexes.
    even = [0] * (n + 1)
    odd = [0] * (n + 1)
    for i, v in enumerate(values):
        even[i + 1] = even[i] + (doubled[i] if i % 2 == 0 else v)
        odd[i + 1] = odd[i] + (doubled[i] if i % 2 == 1 else v)
    for end in range(CARD_MIN, n + 1):
        # The last digit of a stretch is never doubled, the one before it is, and so on.
        sums = even if (end - 1) % 2 == 1 else odd
        for length in range(CARD_MIN, min(CARD_MAX, end) + 1):
            if (sums[end] - sums[end - length]) % 10 == 0:
                return True
    return False


def _id_ok(number: str) -> bool:
    try:
        return idnumbers.normalise(number) == number
    except InvalidInput:
        return False


def _holds_id18(digits: str) -> bool:
    """An 18-character ID number anywhere in a group of digits (with its X, if one follows)."""
    return any(_id_ok(digits[i:i + 18]) for i in range(len(digits) - 17)
               if "X" not in digits[i:i + 17])


class _Run:
    """One group of digits in a text: where it is, its digits in ASCII, whether an X follows."""

    __slots__ = ("start", "end", "digits", "x_end")

    def __init__(self, start: int, end: int, digits: str, x_end: int | None) -> None:
        self.start, self.end, self.digits, self.x_end = start, end, digits, x_end


def _runs(text: str) -> list[_Run]:
    runs: list[_Run] = []
    i, n = 0, len(text)
    while i < n:
        if not text[i].isdecimal():
            i += 1
            continue
        start = i
        while i < n and text[i].isdecimal():
            i += 1
        digits = "".join(str(unicodedata.decimal(ch)) for ch in text[start:i])
        x_end = i + 1 if i < n and text[i] in _X else None
        runs.append(_Run(start, i, digits, x_end))
    return runs


def _joined(text: str, left: _Run, right: _Run) -> bool:
    """Two groups of one written number: one separator between them, no X after the first."""
    return left.x_end is None and right.start == left.end + 1 and text[left.end] in _SEPARATORS


def _is_grouped_phone(text: str, group: list[_Run]) -> bool:
    if len(group) < 2 or group[0].start == 0 or text[group[0].start - 1] not in "+＋":
        return False
    try:
        phones.normalise("+" + "".join(r.digits for r in group))
    except InvalidInput:
        return False
    return True


def _spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, its digits with the X) of each stretch of `text` to mask, in order."""
    runs = _runs(text)
    found: list[tuple[int, int, str]] = []
    # One group on its own: a card or an 18-character ID number anywhere inside it.
    for run in runs:
        digits = run.digits + ("X" if run.x_end is not None and len(run.digits) >= 17 else "")
        if _has_luhn_window(run.digits) or (len(digits) >= 18 and _holds_id18(digits)):
            found.append((run.start, run.x_end if digits.endswith("X") and run.x_end
                          else run.end, digits))
    # Several groups written as one number (or as part of a longer one): a card or an
    # 18-character ID number made of whole groups.
    for first in range(len(runs)):
        last = first
        digits = runs[first].digits
        while last + 1 < len(runs) and _joined(text, runs[last], runs[last + 1]) \
                and len(digits) < CARD_MAX:
            last += 1
            digits += runs[last].digits
            tail = runs[last]
            whole = digits + ("X" if tail.x_end is not None and len(digits) == 17 else "")
            card = CARD_MIN <= len(digits) <= CARD_MAX and luhn_ok(digits)
            if (card or (len(whole) == 18 and _id_ok(whole))) \
                    and not _is_grouped_phone(text, runs[first:last + 1]):
                end = tail.x_end if whole.endswith("X") and tail.x_end else tail.end
                found.append((runs[first].start, end, whole))
    # A first-generation ID number (15 digits, no check digit) only as a whole written number:
    # inside longer ones too many stretches of 15 digits hold a possible birth date. A card or
    # ID number found above ends a written number (once masked, it is stars, and masking again
    # must find what masking once found).
    covered = [any(start <= r.start and r.end <= end for start, end, _ in found) for r in runs]
    for chain in _chains(text, runs, covered):
        digits = "".join(r.digits for r in chain)
        if len(digits) == 15 and chain[-1].x_end is None and _id_ok(digits) \
                and not _is_grouped_phone(text, chain):
            found.append((chain[0].start, chain[-1].end, digits))
    found.sort()
    merged: list[tuple[int, int, str]] = []
    for start, end, digits in found:
        if merged and start <= merged[-1][1]:
            m_start, m_end, _ = merged[-1]
            if end > m_end:
                merged[-1] = (m_start, end, _digits_between(text, m_start, end))
            continue
        merged.append((start, end, digits))
    return merged


def _chains(text: str, runs: list[_Run], covered: list[bool]) -> list[list[_Run]]:
    """The written numbers outside `covered` groups: groups joined by single separators."""
    chains: list[list[_Run]] = []
    joinable = False
    for run, skip in zip(runs, covered, strict=True):
        if skip:
            joinable = False
            continue
        if joinable and _joined(text, chains[-1][-1], run):
            chains[-1].append(run)
        else:
            chains.append([run])
        joinable = True
    return chains


def _digits_between(text: str, start: int, end: int) -> str:
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else "X"
                   for ch in text[start:end] if ch.isdecimal() or ch in _X)


def _masked(digits: str, *, head: bool, tail: bool) -> str:
    """The first four and last four digits, as structured cards and ID numbers show them; an end
    that another group of digits joins is hidden too, so that masking twice changes nothing."""
    first = digits[:4] if head else "****"
    last = digits[-4:] if tail else "****"
    if len(digits) in (15, 18) and _id_ok(digits):
        return first + "*" * (len(digits) - 8) + last  # 3502**********123X
    return f"{first} **** **** {last}"  # 6222 **** **** 0202


def mask_free_text(text: object) -> str:
    """`text` with every card and ID number in it masked (see above); other text unchanged.

    Masking is idempotent: a masked number holds no card or ID number any more.
    """
    if text is None:
        return ""
    text = str(text)
    if len(text) < CARD_MIN or sum(ch.isdecimal() for ch in text) < CARD_MIN:
        return text  # too few digits to hold a card or an ID number: the common case, quick
    spans = _spans(text)
    if not spans:
        return text
    out: list[str] = []
    at = 0
    for start, end, digits in spans:
        head = not (start >= 2 and text[start - 1] in _SEPARATORS and text[start - 2].isdecimal())
        tail = not (end + 1 < len(text) and text[end] in _SEPARATORS and text[end + 1].isdecimal())
        out.append(text[at:start])
        out.append(_masked(digits, head=head, tail=tail))
        at = end
    out.append(text[at:])
    return "".join(out)
