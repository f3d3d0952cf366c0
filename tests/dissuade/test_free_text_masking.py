"""Card and ID numbers written in notes, reasons and comments leave the core masked; the rest of
the text, phones and amounts and dates included, leaves as it was written."""

from __future__ import annotations

import re
import time
from datetime import date

from hypothesis import assume, example, given
from hypothesis import strategies as st

from dissuade.domain import idnumbers, privacy
from dissuade.domain.masking import luhn_ok, mask_free_text
from dissuade.domain.models import (
    Attempt,
    AttemptId,
    ChaseCall,
    Entry,
    Escalation,
    EscalationId,
    Message,
    Review,
    Step,
    Warning,
    WarningId,
)


@st.composite
def cards(draw: st.DrawFn) -> str:
    """A Luhn-valid card number of 13 to 19 digits."""
    length = draw(st.integers(min_value=13, max_value=19))
    body = draw(st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1))
    return body + next(d for d in "0123456789" if luhn_ok(body + d))


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    region = draw(st.integers(min_value=110000, max_value=829999))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
    body = f"{region}{born:%Y%m%d}{draw(st.integers(min_value=0, max_value=999)):03d}"
    return body + idnumbers.check_digit(body)


# Texts that are mostly the characters numbers are written with: where masking could go wrong.
texts = st.one_of(st.text(max_size=60), st.text(alphabet="0123456789 -+xX:.,卡号元\u3000",
                                                max_size=60))


def grouped(number: str, separator: str) -> str:
    return separator.join(number[i:i + 4] for i in range(0, len(number), 4))


def warning(notes: str) -> Warning:
    return Warning(id=WarningId(1), status="new", source="bank", external_id="T-1",
                   phone="+8613900000001", name="甲", scam_type="fake_loan", risk_level="high",
                   reported_at=None, arrived_at=0.0, deadline=0.0, notes=notes,
                   fraud_contact=notes)


def every_output(text: str) -> list[str]:
    """`text` as each kind of record hands it out through privacy."""
    w = privacy.warning(warning(text))
    a = privacy.attempt(Attempt(AttemptId(1), WarningId(1), "c", "o", "no_answer", text, None,
                                None, 0.0))
    e = privacy.escalation(Escalation(EscalationId(1), WarningId(1), "c", "card_lock",
                                      "approved", text, (), None, "o", 0.0, decision_note=text))
    m = privacy.message(Message(1, 1, "c", "sms", "clipboard", text, text, "o", 0.0))
    r = privacy.review(Review(1, 1, 1, "lead", "fail", text, 0.0))
    s = privacy.step(Step("locked", "o", 0.0, text))
    c = privacy.chase_call(ChaseCall(1, 1, 1, 1, 0.0, None, None, text))
    entry = privacy.audit_entry(Entry(1, 0.0, "o", "warning.reveal", "warning", 1,
                                      {"reason": text, "note": text, "comment": text}, "h"))
    return [w.notes, a.notes, e.reason, e.decision_note or "", m.text, m.result, r.comment,
            s.note, c.result, *entry.detail.values()]


@given(card=cards(), before=texts, after=texts)
@example(card="6222020202020202026", before="卡号", after="，请止付")
@example(card="4111111111111111", before="12345678901", after="99")  # digits run on
def test_a_card_written_anywhere_in_any_text_never_leaves_whole(card: str, before: str,
                                                                after: str) -> None:
    for out in every_output(before + card + after):
        assert card not in out


@given(card=cards(), separator=st.sampled_from([" ", "-", "\u3000"]),
       # After "+" a grouped number that is a valid phone is a phone (+86 139 1234 5678).
       before=st.text(max_size=20).filter(lambda t: not t[-1:].isdecimal()
                                          and not t.endswith(("+", "＋"))),
       after=st.text(max_size=20).filter(lambda t: not t[:1].isdecimal()))
def test_a_card_written_in_groups_never_leaves_whole(card: str, separator: str, before: str,
                                                     after: str) -> None:
    written = grouped(card, separator)
    assume(not (before[-1:] in (" ", "-", "\u3000") and before[-2:-1].isdecimal()))
    assume(not (after[:1] in (" ", "-", "\u3000") and after[1:2].isdecimal()))
    for out in every_output(before + written + after):
        assert written not in out and card not in out.replace(separator, "")


@given(number=id_numbers(), lower=st.booleans(), before=texts,
       after=texts.filter(lambda t: not t[:1].isdecimal()))
def test_an_id_number_written_anywhere_never_leaves_whole(number: str, lower: bool, before: str,
                                                          after: str) -> None:
    written = number.lower() if lower else number
    for out in every_output(before + written + after):
        assert number[:17] not in out and written not in out


def no_long_numbers(text: str) -> bool:
    """No 13 digits in a row, even with one other character between any two of them."""
    return re.search(r"\d(?:\D?\d){12}", text) is None


@given(text=st.one_of(texts, st.text(max_size=200)))
@example(text="回拨 13912345678 或 139-1234-5678，+86 139 1234 5678，金额 12,000.50 元")
@example(text="预警 #123456 于 2026-12-05 14:30 到达，外部编号 T-000001，两个号码 13912345678 13812345678")
def test_text_without_card_or_id_numbers_comes_out_unchanged(text: str) -> None:
    assume(no_long_numbers(text))
    assert set(every_output(text)) == {text}


def has_luhn_stretch(digits: str) -> bool:
    return any(luhn_ok(digits[i:i + n]) for n in range(13, 20)
               for i in range(len(digits) - n + 1))


@given(digits=st.text(alphabet="0123456789", min_size=13, max_size=19),
       before=st.sampled_from(["", "流水号 ", "编号:"]), after=st.sampled_from(["", " 号", "。"]))
def test_long_numbers_that_are_no_card_or_id_stay(digits: str, before: str, after: str) -> None:
    assume(not has_luhn_stretch(digits))
    assume(not (len(digits) in (15, 18) and _valid_id(digits)))
    text = before + digits + after
    assert set(every_output(text)) == {text}


def _valid_id(digits: str) -> bool:
    try:
        return idnumbers.normalise(digits) == digits
    except Exception:  # noqa: BLE001 - InvalidInput: not an ID number
        return False


@given(text=texts, card=cards())
def test_masking_twice_changes_nothing(text: str, card: str) -> None:
    for written in (text, text + card + text, card + " " + text):
        once = mask_free_text(written)
        assert mask_free_text(once) == once


def test_what_masked_numbers_look_like() -> None:
    card = "6222020202020202026"
    assert mask_free_text(f"卡号{card}请止付") == "卡号6222 **** **** 2026请止付"
    assert mask_free_text(f"卡号 {grouped(card, ' ')}") == "卡号 6222 **** **** 2026"
    assert mask_free_text("身份证 110105 19491231 002x。") == "身份证 1101**********002X。"
    assert mask_free_text("旧身份证 350203850612123") == "旧身份证 3502*******2123"
    assert mask_free_text("６２２２０２０２０２０２０２０２０２６") == "6222 **** **** 2026"


def test_the_fraudsters_side_is_left_whole() -> None:
    card = "6222020202020202026"
    out = privacy.warning(warning(f"对方账户 {card}"))
    assert out.fraud_contact == f"对方账户 {card}" and card not in out.notes


def test_a_huge_run_of_digits_is_quick() -> None:
    text = "1" * 10_000  # Luhn fails for many stretches of ones: the worst case is looking
    started = time.perf_counter()
    mask_free_text(text)
    mask_free_text("0123456789" * 1000)
    assert time.perf_counter() - started < 1.0
