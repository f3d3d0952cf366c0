"""Phone numbers as people write them all normalise to one E.164 form; invalid ones are refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dissuade import phones
from dissuade.errors import InvalidInput

MOBILE_PREFIXES = ["139", "138", "186", "150", "177", "199", "181", "158"]
LANDLINES = [("10", 8), ("21", 8), ("592", 7), ("931", 7), ("416", 7), ("23", 8)]

FULLWIDTH = str.maketrans("0123456789+-() ", "０１２３４５６７８９＋－（）　")


@st.composite
def chinese_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(national digits without trunk 0, E.164) of a valid Chinese mobile or landline."""
    if draw(st.booleans()):
        prefix = draw(st.sampled_from(MOBILE_PREFIXES))
        rest = draw(st.text("0123456789", min_size=8, max_size=8))
        national = prefix + rest
    else:
        area, length = draw(st.sampled_from(LANDLINES))
        first = draw(st.sampled_from("2345678"))
        rest = draw(st.text("0123456789", min_size=length - 1, max_size=length - 1))
        national = area + first + rest
    return national, "+86" + national


def _written(national: str, style: int, sep: str) -> str:
    is_mobile = national.startswith("1")
    body = national if is_mobile else "0" + national
    if is_mobile:
        grouped = sep.join([body[:3], body[3:7], body[7:]])
    else:
        cut = 3 if body[:2] in ("01", "02") else 4
        grouped = f"({body[:cut]}){sep}{body[cut:]}" if sep == " " else body[:cut] + sep + body[cut:]
    return [grouped, "+86 " + national, "86" + national, "0086-" + national,
            f"+86{sep}{national}"][style]


@given(chinese_numbers(), st.integers(0, 4), st.sampled_from(["", " ", "-"]), st.booleans())
def test_every_common_written_form_gives_the_same_e164(
    number: tuple[str, str], style: int, sep: str, fullwidth: bool
) -> None:
    national, e164 = number
    from phonenumbers import is_valid_number, parse

    if not is_valid_number(parse(e164)):
        return  # a landline block the numbering plan leaves unassigned
    text = _written(national, style, sep)
    if fullwidth:
        text = text.translate(FULLWIDTH)
    assert phones.normalise(text) == e164


@given(st.text(max_size=30))
def test_arbitrary_text_is_either_a_valid_number_or_refused_naming_it(text: str) -> None:
    try:
        e164 = phones.normalise(text)
    except InvalidInput as exc:
        assert exc.field == "phone"
        assert "phone" in str(exc)
    else:
        assert e164.startswith("+") and e164[1:].isdigit()


def test_foreign_numbers_keep_their_country() -> None:
    assert phones.normalise("+852 5123 4567") == "+85251234567"
    assert phones.normalise("00852 5123 4567") == "+85251234567"


@pytest.mark.parametrize("bad", ["12345", "139123456789", "abc", "", "   ", "+86 000 0000 0000"])
def test_invalid_numbers_are_refused_with_the_number_named(bad: str) -> None:
    with pytest.raises(InvalidInput) as err:
        phones.normalise(bad)
    assert err.value.field == "phone"
    if bad.strip():
        assert bad in str(err.value)


def test_describe_gives_national_format_region_and_carrier_in_chinese() -> None:
    info = phones.describe(phones.normalise("13912345678"))
    assert info.national == "139 1234 5678"
    assert info.region.endswith("市") and "省" in info.region
    assert info.carrier == "中国移动"
    landline = phones.describe(phones.normalise("0592-5123456"))
    assert landline.national == "0592 512 3456"
    assert "厦门" in landline.region


@given(st.text("0123456789", min_size=10, max_size=10), st.sampled_from(["", "+86", "86", "0086"]))
def test_the_mobile_fast_path_agrees_with_phonenumbers(rest: str, prefix: str) -> None:
    from phonenumbers import PhoneNumberFormat, format_number, is_valid_number, parse

    national = "1" + rest
    number = parse("+86" + national)
    try:
        got: str | None = phones.normalise(prefix + national)
    except InvalidInput:
        got = None
    expected = format_number(number, PhoneNumberFormat.E164) if is_valid_number(number) else None
    assert got == expected


def test_mobile_validity_is_the_same_across_every_five_digit_block() -> None:
    """The fast path judges a block by one number; phonenumbers must agree on the others."""
    import random

    from phonenumbers import is_valid_number, parse

    rng = random.Random(5)
    for block in range(10_000):
        prefix = f"1{block:04d}"
        for _ in range(3):
            national = prefix + f"{rng.randrange(10**6):06d}"
            valid = is_valid_number(parse("+86" + national))
            try:
                phones.normalise(national)
            except InvalidInput:
                assert not valid, national
            else:
                assert valid, national
