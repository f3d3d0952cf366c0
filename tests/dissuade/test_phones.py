"""Phone numbers as people write them all normalise to one E.164 form; invalid ones are refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dissuade.domain import phones
from dissuade.domain.errors import InvalidInput

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


@pytest.mark.parametrize("bad", ["12345", "139123456789", "abc", "", "   ", "+86 000 0000 0000",
                                 "13912345678901234"])
def test_invalid_numbers_are_refused_naming_the_field_but_never_the_whole_number(bad: str) -> None:
    with pytest.raises(InvalidInput) as err:
        phones.normalise(bad)
    assert err.value.field == "phone" and "phone" in str(err.value)
    digits = "".join(ch for ch in bad if ch.isdigit())
    if len(digits) > 5:  # personal data: at most a masked form comes back
        assert digits not in str(err.value).replace(" ", "")
        assert phones.masked(bad) in str(err.value)


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


# -- the right person, once: letters, extensions, spreadsheet numbers --------------------------

SEPARATORS = st.sampled_from(["", " ", "-", ".", "\u3000", "－", " - "])
CN_PREFIXES = st.sampled_from(["", "+86", "+86 ", "0086", "0086-", "86", "(+86)", "+86-"])
# Letters a typist or an OCR puts where digits belong: Latin, full-width, and lookalikes from
# Cyrillic and Greek. "x" and "#" are left out here: after a number they start an extension.
LETTERS = st.sampled_from(list("OoIlSBZgqabcdefhijkmnprstuvwyzAEGHJKLMNPQRTUVWY")
                          + ["Ｏ", "ｌ", "Ｉ", "О", "о", "З", "б", "Ο", "ο", "Ι", "Β", "汉"])


def valid_mobiles() -> st.SearchStrategy[str]:
    return st.builds(lambda p, r: p + r, st.sampled_from(MOBILE_PREFIXES),
                     st.text("0123456789", min_size=8, max_size=8))


@st.composite
def written_mobile(draw: st.DrawFn, national: str) -> str:
    """`national` as people write it: grouped with any separator, in brackets, a country prefix,
    full-width digits."""
    groups = [national[:3], national[3:7], national[7:]]
    if draw(st.booleans()):
        groups[0] = f"({groups[0]})"
    text = draw(CN_PREFIXES) + draw(SEPARATORS).join(groups)
    if draw(st.booleans()):
        text = text.translate(FULLWIDTH)
    return draw(st.sampled_from(["", " ", "\t"])) + text + draw(st.sampled_from(["", " "]))


@given(valid_mobiles().flatmap(lambda n: st.tuples(st.just(n), written_mobile(n))))
def test_a_mobile_in_any_common_written_form_parses_to_one_e164(case: tuple[str, str]) -> None:
    national, text = case
    assert phones.parse(text) == phones.Phone("+86" + national)
    assert phones.normalise(text) == "+86" + national


@given(valid_mobiles().flatmap(lambda n: st.tuples(written_mobile(n), st.integers(0, 40),
                                                   LETTERS)))
def test_a_letter_anywhere_in_the_number_is_refused(case: tuple[str, int, str]) -> None:
    text, at, letter = case
    digits = [i for i, ch in enumerate(text) if ch.isdigit()]
    cut = digits[at % len(digits)] + (at % 2)  # before or after one of its digits
    with pytest.raises(InvalidInput) as err:
        phones.parse(text[:cut] + letter + text[cut:])
    assert err.value.field == "phone"
    with pytest.raises(InvalidInput):
        phones.normalise(text[:cut] + letter + text[cut:])


def test_letters_read_as_keypad_letters_are_refused_not_turned_into_a_strangers_number() -> None:
    """phonenumbers alone reads 138OO138OOO as +8613866138666."""
    with pytest.raises(InvalidInput) as err:
        phones.parse("138OO138OOO")
    message = str(err.value)
    assert err.value.field == "phone" and "letter O" in message and "字母 O" in message
    for lookalike in ("1З800138000", "138ОО138000", "1380013800Ο", "138ＯＯ138000"):
        with pytest.raises(InvalidInput, match="phone number holds"):
            phones.parse(lookalike)


LANDLINE_NUMBERS = ["0592-5551234", "010-62345678", "021 5123 4567", "(0931)8123456",
                    "+86 592 555 1234"]
EXTENSION_FORMS = ["{n}转{x}", "{n} 转 {x}", "{n} ext. {x}", "{n} ext {x}", "{n} EXT.{x}",
                   "{n} x{x}", "{n}x{x}", "{n} X {x}", "{n}#{x}", "{n} ＃{x}", "{n}分机{x}",
                   "{n} 分机号 {x}", "{n}（分机{x}）", "{n} (ext. {x})", "{n} extension {x}",
                   "{n}转分机{x}"]


@given(st.sampled_from(LANDLINE_NUMBERS), st.sampled_from(EXTENSION_FORMS),
       st.text("0123456789", min_size=1, max_size=6), st.booleans())
def test_an_extension_is_kept_apart_and_round_trips(
    number: str, form: str, extension: str, fullwidth: bool
) -> None:
    text = form.format(n=number, x=extension)
    if fullwidth:
        text = text.translate(FULLWIDTH)
    parsed = phones.parse(text)
    assert parsed == phones.Phone(phones.normalise(number), extension)
    assert phones.normalise(text) == parsed.e164  # the E.164-only callers get the number


def test_an_extension_alone_or_too_long_is_refused() -> None:
    with pytest.raises(InvalidInput, match="only an extension"):
        phones.parse("分机808")
    with pytest.raises(InvalidInput, match="extension is longer"):
        phones.parse("0592-5551234转12345678901")


@pytest.mark.parametrize("written", ["13800138000.0", "13800138000.00", "1.3800138E10",
                                     "1.3800138E+10", "1.3800138e10", 13800138000.0, 13800138000,
                                     "１３８００１３８０００.0"])
def test_a_number_a_spreadsheet_wrote_as_a_number_is_read_as_that_number(written: object) -> None:
    assert phones.parse(written).e164 == "+8613800138000"


def test_scientific_notation_that_may_have_lost_digits_says_so() -> None:
    assert "lost digits" in phones.parse("1.3800138E10").note  # 000 at the end, or lost?
    assert phones.parse("1.3800138123E10") == phones.Phone("+8613800138123")
    with pytest.raises(InvalidInput, match="lost"):
        phones.parse("1.38001381234567E18")
    with pytest.raises(InvalidInput, match="lost its last digits"):
        phones.parse(1.3800138000123456e18)
    with pytest.raises(InvalidInput):
        phones.parse(13800138000.5)
    with pytest.raises(InvalidInput):
        phones.parse(True)
