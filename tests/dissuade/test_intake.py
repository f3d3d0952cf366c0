"""The gate for every warning: a bad secondary field costs no victim, only phone, source and the
body's shape refuse one, and nothing personal comes back in a message."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dissuade.domain import limits
from dissuade.domain.codes import LEVEL_LABELS, SCAM_LABELS
from dissuade.domain.errors import InvalidInput
from dissuade.domain.policy import default_policy
from dissuade.feeds import intake, vocabulary

POLICY = default_policy()
T0 = 1_800_000_000.0
CARD = "6222020200001234567"
ID = "11010519491231002X"


def check(**fields: object) -> intake.NewWarning:
    return intake.check_warning({"phone": "13900000001", "source": "bank", **fields}, POLICY)


def fields_of(new: intake.NewWarning) -> list[str]:
    return [p["field"] for p in new.problems]


@pytest.mark.parametrize("written", ["6222 0202 0000 1234 567", "62220 20200001 234567",
                                     "6222-0202-0000-1234-567", " 6222020200001234567 ",
                                     "６２２２０２０２００００１２３４５６７"])
def test_a_card_with_spaces_in_odd_places_is_understood(written: str) -> None:
    for value in (written, [written]):
        new = check(cards=value)
        assert new.cards == (CARD,) and new.problems == ()


def test_cards_apart_by_any_separator_and_duplicates_once() -> None:
    other = "6222020200009876543"
    for value in (f"{CARD} {other}", f"{CARD}，{other}", f"{CARD}/{other}\n{CARD}",
                  [CARD, other, CARD], [int(CARD), other]):
        assert check(cards=value).cards == (CARD, other), value


def test_a_bad_card_is_left_out_with_a_masked_problem_and_the_good_ones_kept() -> None:
    new = check(cards=[CARD, "12345678901234567890123", "6.222020200001234e+18"])
    assert new.cards == (CARD,)
    assert fields_of(new) == ["cards", "cards"]
    assert "12-19 digits" in new.problems[0]["message"]
    assert "12345678901234567890123" not in str(new.problems) and "1234 **** **** 0123" in str(
        new.problems)
    assert "lost its last digits" in new.problems[1]["message"]


def test_too_many_cards_refuse_the_field_not_the_warning() -> None:
    many = [f"62220202000012{n:05d}" for n in range(limits.CARDS_MAX + 1)]
    new = check(cards=many)
    assert new.cards == () and fields_of(new) == ["cards"]
    assert f"more than {limits.CARDS_MAX}" in new.problems[0]["message"]
    assert check(cards=many[:limits.CARDS_MAX]).cards == tuple(many[:limits.CARDS_MAX])
    with pytest.raises(InvalidInput, match="more than 20 cards"):  # an escalation's cards
        intake.parse_cards(many, field="cards")


@pytest.mark.parametrize(("written", "yuan"), [
    ("12,000", 12000), ("￥1,500", 1500), ("¥3000元", 3000), ("RMB 5000", 5000),
    ("CNY5000", 5000), ("1.5万", 15000), ("1.5万元", 15000), ("2w", 20000), ("800元", 800),
    ("人民币 800 元", 800), ("约5万元", 50000), ("３０００", 3000), (12000, 12000), (99.5, 99.5),
    ("1亿", 1e8),
])
def test_an_amount_with_a_currency_sign_or_unit_is_understood(written: object, yuan: float) -> None:
    new = check(amount_at_risk=written)
    assert new.amount_at_risk == yuan and new.problems == ()


@pytest.mark.parametrize("written", ["很多", "-5", "5 USD", True, float("nan"), "1e20"])
def test_an_amount_that_is_not_one_is_left_empty_with_a_problem(written: object) -> None:
    new = check(amount_at_risk=written)
    assert new.amount_at_risk is None and fields_of(new) == ["amount_at_risk"]


SYNONYMS = [
    ("杀猪盘", "romance_investment"), ("婚恋", "romance_investment"), ("交友", "romance_investment"),
    ("刷单", "order_brushing"), ("兼职刷单", "order_brushing"), ("刷单类诈骗", "order_brushing"),
    ("网贷", "fake_loan"), ("贷款诈骗", "fake_loan"), ("冒充客服", "fake_customer_service"),
    ("退款", "fake_customer_service"), ("冒充公检法", "impersonating_authority"),
    ("冒充警察", "impersonating_authority"), ("冒充领导", "impersonating_boss"),
    ("冒充熟人", "impersonating_boss"), ("游戏交易", "fake_game_trade"), ("网购", "fake_shopping"),
    ("征信", "fake_credit_repair"), ("注销校园贷", "fake_credit_repair"),
    ("投资理财", "fake_investment"), ("荐股", "fake_investment"),
    ("冒充军警", "impersonating_military_purchase"), ("其他", "unknown"),
    ("Pig Butchering", "romance_investment"), (" 杀 猪 盘 ", "romance_investment"),
]


@pytest.mark.parametrize(("word", "code"), SYNONYMS)
def test_the_words_officers_and_feeds_use_for_scam_types(word: str, code: str) -> None:
    new = check(scam_type=word)
    assert new.scam_type == code and new.problems == ()


def test_every_code_and_label_still_maps_and_no_word_means_two_things() -> None:
    for code, (zh, en) in SCAM_LABELS.items():
        assert {vocabulary.scam_code(t) for t in (code, zh, en)} == {code}
    for code, (zh, en) in LEVEL_LABELS.items():
        assert {vocabulary.level_code(t) for t in (code, zh, en)} == {code}
    for table in (vocabulary.SCAM_SYNONYMS, vocabulary.LEVEL_SYNONYMS):
        owners: dict[str, set[str]] = {}
        for code, words in table.items():
            for word in words:
                owners.setdefault(vocabulary.key(word), set()).add(code)
        assert {w: c for w, c in owners.items() if len(c) > 1} == {}


def test_an_unknown_scam_type_is_unknown_with_the_accepted_codes_listed() -> None:
    new = check(scam_type="lottery")
    assert new.scam_type == "unknown" and fields_of(new) == ["scam_type"]
    assert new.problems[0]["value"] == "lottery"
    assert all(code in new.problems[0]["message"] for code in SCAM_LABELS)


@pytest.mark.parametrize(("word", "code"), [("紧急", "emergency"), ("红色预警", "emergency"),
                                            ("Ⅰ级", "emergency"), ("高风险", "high"), ("橙色", "high"),
                                            ("二级", "high"), ("中", "medium"), ("黄色预警", "medium"),
                                            ("Low", "low"), ("蓝色", "low"), ("四级", "low")])
def test_level_labels_colours_and_grades(word: str, code: str) -> None:
    assert check(risk_level=word).risk_level == code


def test_an_unknown_level_is_graded_by_type_and_lists_the_levels() -> None:
    new = check(risk_level="P9", scam_type="fake_loan")
    assert new.risk_level == "emergency" and fields_of(new) == ["risk_level"]
    message = new.problems[0]["message"]
    assert "graded emergency by its scam type" in message
    assert all(f"{code} {zh}" in message for code, (zh, _en) in LEVEL_LABELS.items())


@pytest.mark.parametrize(("written", "local"), [
    ("45992.5", "2025-12-01T12:00:00"), (45992.5, "2025-12-01T12:00:00"),
    (45992, "2025-12-01T00:00:00"), ("2025/12/1 8:30", "2025-12-01T08:30:00"),
    ("2025年12月1日 8时30分", "2025-12-01T08:30:00"), ("2025-12-01T00:30:00Z", "2025-12-01T08:30:00"),
    (datetime(2025, 12, 1, 8, 30), "2025-12-01T08:30:00"), (1764549000, "2025-12-01T08:30:00"),
])
def test_report_times_as_feeds_and_spreadsheets_write_them(written: object, local: str) -> None:
    new = check(reported_at=written)
    assert new.reported_at == datetime.fromisoformat(local + "+08:00").timestamp()
    assert new.problems == ()


@pytest.mark.parametrize("written", ["yesterday", "2025-13-45", "1e30", 3.5e8, "1850-01-01"])
def test_an_unreadable_report_time_is_absent_with_the_feeds_text(written: object) -> None:
    new = check(reported_at=written)
    assert new.reported_at is None and fields_of(new) == ["reported_at"]
    assert new.problems[0]["value"] == str(written)
    assert "the time limit counts from arrival" in new.problems[0]["message"]


def test_a_report_time_ahead_of_arrival_is_noted_with_the_feeds_own_text() -> None:
    tagged = "2027-01-15T16:00:00Z"  # 16:00 local written as UTC: 8 hours ahead
    arrived = intake.on_arrival(check(reported_at=tagged), T0)
    assert arrived.reported_at == T0 + 8 * 3600
    assert arrived.problems == ({"field": "reported_at", "value": tagged, "message": (
        "报告时间晚于接收时间 8 小时，时限从接收时起算 / reported 8 h in the future: the time "
        "limit counts from arrival")},)
    days = intake.on_arrival(check(reported_at="2027-01-20T08:00:00Z"), T0)
    assert days.reported_at is None and "counted as absent" in days.problems[0]["message"]
    drift = intake.on_arrival(check(reported_at="2027-01-15T08:03:00Z"), T0)
    assert drift.reported_at == T0 + 180 and drift.problems == ()
    old = intake.on_arrival(check(reported_at="1999-12-31 12:00"), T0)
    assert old.reported_at is None and "before 2000" in old.problems[0]["message"]


def test_an_invalid_id_number_is_left_empty_and_never_echoed() -> None:
    for bad in ("110105194912310021", "1101051949", "abc", 3.5, "1.10105194912310E+17"):
        new = check(id_number=bad)
        assert new.id_number == "" and fields_of(new) == ["id_number"], bad
        assert "110105194912310021" not in str(new.problems)
    assert check(id_number="110105 19491231 002x").id_number == ID


def test_over_long_text_is_cut_and_says_so() -> None:
    new = check(notes="备" * (limits.TEXT_MAX + 10), name="名" * (limits.TEXT_MAX + 1))
    assert new.notes == "备" * limits.TEXT_MAX and new.name == "名" * limits.TEXT_MAX
    assert sorted(fields_of(new)) == ["name", "notes"]
    assert f"cut to the first {limits.TEXT_MAX:,}" in new.problems[0]["message"]
    long_id = check(external_id="E" * (limits.EXTERNAL_ID_MAX + 1))
    assert long_id.external_id is None and fields_of(long_id) == ["external_id"]
    assert "sending this warning again adds it again" in long_id.problems[0]["message"]


def test_an_invalid_character_is_replaced_and_noted() -> None:
    new = check(notes="a\ud800b")
    assert new.notes == "a?b" and fields_of(new) == ["notes"]


def test_an_extension_field_or_one_in_the_phone() -> None:
    assert check(phone="0592-5551234转808").phone_extension == "808"
    assert check(phone="0592-5551234", phone_extension="808").phone_extension == "808"
    assert check(phone="0592-5551234", phone_extension=808).phone_extension == "808"
    both = check(phone="0592-5551234转808", phone_extension="809")
    assert both.phone_extension == "808" and fields_of(both) == ["phone_extension"]
    bad = check(phone="0592-5551234", phone_extension="转八")
    assert bad.phone_extension == "" and fields_of(bad) == ["phone_extension"]


@pytest.mark.parametrize(("fields", "field"), [
    ({"phone": "138OO138OOO"}, "phone"), ({"phone": None}, "phone"),
    ({"phone": "1" * (limits.PHONE_MAX + 1)}, "phone"),
    ({"source": "s" * (limits.SOURCE_MAX + 1)}, "source"), ({"source": ["bank"]}, "source"),
    ({"source": "b\ud800"}, "source"), ({"name": ["张三"]}, "name"), ({"notes": {"a": 1}}, "notes"),
    ({"cards": [{"no": CARD}]}, "cards"), ({"synthetic": "true"}, "synthetic"),
    ({"victim": "张三"}, "victim"),
])
def test_only_phone_source_and_shape_refuse_a_warning(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        check(**fields)
    assert err.value.field == field and field in str(err.value)


SCALARS = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=60)
           | st.text("0123456789 -,.¥元万/", max_size=40))
SECONDARY = ["external_id", "name", "scam_type", "risk_level", "reported_at", "district",
             "fraud_contact", "amount_at_risk", "cards", "notes", "id_number", "phone_extension"]


@given(st.dictionaries(st.sampled_from(SECONDARY),
                       SCALARS | st.lists(SCALARS, max_size=25), max_size=len(SECONDARY)))
def test_any_values_of_secondary_fields_never_refuse_the_warning(extra: dict[str, object]) -> None:
    if any(isinstance(v, list) for k, v in extra.items() if k != "cards"):
        return  # a list where a value belongs is the body's shape: refused, tested above
    new = intake.on_arrival(check(**extra), T0)
    assert new.phone == "+8613900000001"
    assert {p["field"] for p in new.problems} <= set(SECONDARY)
    assert all(set(p) <= {"field", "message", "value"} and all(isinstance(v, str)
               for v in p.values()) for p in new.problems)
    assert len(new.cards) <= limits.CARDS_MAX and len(new.notes) <= limits.TEXT_MAX


@given(st.text("0123456789", min_size=12, max_size=19), st.text("0123456789", min_size=20,
                                                                  max_size=30))
def test_problems_never_echo_a_whole_card_or_id_number(card: str, too_long: str) -> None:
    new = check(cards=[card + "X", too_long], id_number=too_long[:17] + "Y")
    text = str(new.problems)
    assert card not in text and too_long not in text and too_long[:17] not in text


def test_a_number_in_the_wrong_column_comes_back_masked() -> None:
    """A phone or card a spreadsheet put under 诈骗类型 or 金额 is never shown whole."""
    new = check(scam_type="13812345678", amount_at_risk="卡 6222 0202 0000 1234 567",
                reported_at="110105194912310021x")
    text = str(new.problems)
    assert sorted(fields_of(new)) == ["amount_at_risk", "reported_at", "scam_type"]
    assert "13812345678" not in text and "138******78" in text
    assert "1234 567" not in text and "110105194912310021" not in text
    dated = check(reported_at="2025-13-01 08:30:00")  # dates and times stay readable
    assert dated.problems[0]["value"] == "2025-13-01 08:30:00"
