"""Personal data: resident ID numbers checked on the way in (GB 11643), cards and ID numbers
masked on the way out, and never written whole into a log."""

from __future__ import annotations

import csv
import logging
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dissuade.domain import idnumbers, masking, privacy
from dissuade.domain.errors import Conflict, InvalidInput
from dissuade.domain.masking import mask_card
from dissuade.feeds import importer
from dissuade.sources import LocalSource
from dissuade.sources.http import HttpSource
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import ThreadHub, make_users

ID = "11010519491231002X"
CARD = "6222020202020202020"
CARD2 = "6217001234567890123"
FULL_WIDTH = {ord(c): chr(ord(c) + 0xFEE0) for c in "0123456789X"}  # ０１２…９Ｘ


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    """A valid 18-character number: region, birth date (1900 to today), sequence, check."""
    region = draw(st.integers(min_value=110000, max_value=829999))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
    sequence = draw(st.integers(min_value=0, max_value=999))
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    return body + idnumbers.check_digit(body)


def is_valid_18(number: str) -> bool:
    return (len(number) == 18 and number[:17].isascii() and number[:17].isdigit()
            and idnumbers.check_digit(number[:17]) == number[17])


# -- checking ID numbers ---------------------------------------------------------------------


def test_the_check_digit_follows_gb_11643() -> None:
    # Published examples: the standard's own, and one whose check digit is 0.
    assert idnumbers.check_digit("11010519491231002") == "X"
    assert idnumbers.normalise("11010519491231002X") == ID
    assert idnumbers.check_digit("44052418800101001") == "4"
    assert idnumbers.normalise("") == "" and idnumbers.normalise(None) == ""


@given(number=id_numbers())
def test_a_valid_number_round_trips_in_any_written_form(number: str) -> None:
    assert idnumbers.normalise(number) == number
    assert idnumbers.normalise(number.lower()) == number  # 11010519491231002x
    assert idnumbers.normalise(f"{number[:6]} {number[6:14]} {number[14:]}") == number
    assert idnumbers.normalise(f" {number[:6]}-{number[6:]}\t") == number
    assert idnumbers.normalise(number.translate(FULL_WIDTH)) == number  # full-width digits
    assert idnumbers.normalise(number[:6] + "\u3000" + number[6:]) == number  # ideographic space


@given(number=id_numbers(), wrong=st.sampled_from("0123456789X"))
def test_a_wrong_check_digit_is_refused(number: str, wrong: str) -> None:
    if wrong == number[17]:
        return
    with pytest.raises(InvalidInput, match="check digit") as err:
        idnumbers.normalise(number[:17] + wrong)
    assert err.value.field == "id_number"


@given(raw=st.one_of(st.text(max_size=30), st.text(alphabet="0123456789xX -\u3000０１２３",
                                                    min_size=14, max_size=22)))
def test_any_text_is_either_a_valid_number_or_refused_naming_the_field(raw: str) -> None:
    try:
        number = idnumbers.normalise(raw)
    except InvalidInput as exc:
        assert exc.field == "id_number"
        return
    assert number == "" or is_valid_18(number) or (len(number) == 15 and number.isdigit())
    assert idnumbers.normalise(number) == number


@given(raw=st.one_of(st.integers(), st.floats(), st.booleans(), st.binary(),
                     st.lists(st.text(max_size=3), max_size=2), st.dictionaries(st.text(), st.text())))
def test_anything_else_is_refused_naming_the_field(raw: object) -> None:
    try:
        number = idnumbers.normalise(raw, field="身份证号")
    except InvalidInput as exc:
        assert exc.field == "身份证号"
    else:
        assert number == "" or is_valid_18(number) or len(number) == 15


def test_impossible_numbers_are_refused() -> None:
    body = "35020320990101123"  # born in 2099
    for bad in ("1101051949123100", "110105194912310022X", body + idnumbers.check_digit(body),
                "1101051949X231002X", "350203991301123"):
        with pytest.raises(InvalidInput) as err:
            idnumbers.normalise(bad)
        assert err.value.field == "id_number", bad
    assert idnumbers.normalise("350203850612123") == "350203850612123"  # first generation


# -- masking ---------------------------------------------------------------------------------


@given(number=st.one_of(id_numbers(), st.from_regex(r"\A[1-9][0-9]{14}\Z")))
def test_an_id_number_keeps_only_its_first_and_last_four(number: str) -> None:
    masked = idnumbers.mask(number)
    assert masked == number[:4] + "*" * (len(number) - 8) + number[-4:]
    assert idnumbers.mask(masked) == masked
    assert number[4:-4] not in masked and number[6:14] not in masked  # never the birth date
    assert masking.mask_id_number(number) == masked


@given(digits=st.from_regex(r"\A[0-9]{12,19}\Z"),
       separator=st.sampled_from(["", " ", "-"]))
def test_a_card_keeps_only_its_first_and_last_four(digits: str, separator: str) -> None:
    written = separator.join(digits[i:i + 4] for i in range(0, len(digits), 4))
    masked = mask_card(written)
    assert masked == f"{digits[:4]} **** **** {digits[-4:]}"
    assert "".join(c for c in masked if c.isdigit()) == digits[:4] + digits[-4:]
    assert "".join(c for c in masked if c.isdigit() or c == "*")[4:-4] == "*" * 8  # middle hidden
    assert mask_card(masked) == masked
    assert masking.card_matches(masked, digits)


def test_short_values_are_hidden_whole() -> None:
    assert mask_card("12345678") == "********" and idnumbers.mask("12345678") == "********"


def test_records_leave_the_core_masked() -> None:
    store = Store(":memory:")
    try:
        warning, _ = store.add_warning(warning_data(1, cards=[CARD, CARD2], id_number=ID),
                                       actor="feed")
    finally:
        store.close()
    assert (warning.cards, warning.id_number) == ((CARD, CARD2), ID)  # the store's own copy
    masked = privacy.warning(warning)
    assert masked.cards == ("6222 **** **** 2020", "6217 **** **** 0123")
    assert masked.id_number == "1101**********002X"
    assert privacy.warning(masked) == masked


def test_an_officer_may_reveal_only_while_the_lease_runs() -> None:
    t0 = 1_800_000_000.0
    store = Store(":memory:")
    try:
        wid = int(store.add_warning(warning_data(1, cards=[CARD]), actor="feed", now=t0)[0].id)
        store.claim(wid, user="a", now=t0)  # a lease of 10 minutes

        def reveal(at: float, user: str = "a") -> list[str]:
            return store.reveal(wid, field="cards", reason="止付", user=user, holder_only=True,
                                now=at)

        assert reveal(t0 + 599) == [CARD]
        for late in (t0 + 600, t0 + 601):  # the lease has run out: the call is over
            with pytest.raises(Conflict):
                reveal(late)
        with pytest.raises(Conflict):
            reveal(t0 + 1, user="b")
        assert [e.actor for e in store.audit_entries(action="warning.reveal")] == ["a"]
    finally:
        store.close()


# -- intake ----------------------------------------------------------------------------------


def test_intake_takes_an_id_number_and_names_a_bad_one(tmp_path: Path) -> None:
    path = tmp_path / "centre.db"
    source = LocalSource(path, user="feed")
    try:
        receipt = source.add_warning(warning_data(1, id_number="110105 19491231 002x"))
        assert receipt.created and receipt.problems == ()
        assert source.get(receipt.id).warning.id_number == "1101**********002X"
        assert source.store.warning(receipt.id).id_number == ID  # stored whole, normalised
        # A bad ID number costs no victim (settled): the warning comes in without it, and the
        # problem names the field without the number.
        for n, bad in enumerate(("110105194912310021", "1101051949", "abc", 3.5), start=2):
            taken = source.add_warning(warning_data(n, id_number=bad))
            assert taken.created and source.store.warning(taken.id).id_number == "", bad
            (found,) = taken.problems
            assert found["field"] == "id_number" and str(bad) not in str(found), bad
        results = source.add_warnings([warning_data(13, id_number="110105194912310021"),
                                       warning_data(14, id_number=ID)])
        assert results[0].created and results[0].error is None
        assert [p["field"] for p in results[0].problems] == ["id_number"]
        assert "check digit" in results[0].problems[0]["message"]
        assert results[1].created and source.store.warning(results[1].warning_id or 0
                                                           ).id_number == ID
    finally:
        source.close()


def test_the_importer_reads_the_id_number_column(tmp_path: Path) -> None:
    sheet = tmp_path / "feed.csv"
    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows([["手机号", "姓名", "身份证号"], ["13900000001", "王小明", ID]])
    source = LocalSource(tmp_path / "centre.db", user="lead")
    try:
        result = importer.import_file(sheet, source)
        assert (result.imported, result.unknown_columns) == (1, ())
        assert source.store.warning(1).id_number == ID
    finally:
        source.close()


# -- logs ------------------------------------------------------------------------------------


def work_a_warning(source: LocalSource | HttpSource, feed: LocalSource | HttpSource,
                   lead: LocalSource | HttpSource) -> None:
    """Ingest, claim, call, escalate, decide, make the bank's request: the card's whole path."""
    (result,) = feed.add_warnings([warning_data(1, cards=[CARD, CARD2], id_number=ID,
                                                notes="银行卡 6222 **** **** 2020")])
    wid = int(result.warning_id or 0)
    claimed = source.claim_next()
    assert claimed is not None and claimed.id == wid
    source.record_attempt(wid, outcome="no_answer")
    source.claim(wid)
    source.record_attempt(wid, outcome="brainwashed", escalation={"cards": ["6222 **** **** 2020"]})
    (proposal,) = source.get(wid).escalations
    lead.decide_escalation(proposal.id, decision="approve", note="同意止付")
    assert source.bank_request_pdf(proposal.id, reason="核对").startswith(b"%PDF")
    assert lead.reveal(wid, field="cards", reason="核对") == [CARD, CARD2]
    lead.shift_report()
    lead.warning_history(wid)


def assert_no_numbers_logged(records: list[logging.LogRecord]) -> None:
    assert records, "nothing was logged at DEBUG: the test would prove nothing"
    for record in records:
        text = record.getMessage() + (record.exc_text or "") + repr(record.__dict__.get("args"))
        for secret in (CARD, CARD2, ID, ID[:17]):
            assert secret not in text, f"{record.name}: {text[:300]}"


def test_logs_never_hold_a_full_card_or_id_number_locally(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "centre.db"
    make_users(path)
    caplog.set_level(logging.DEBUG)
    sources = [LocalSource(path, user=u) for u in ("officer-a", "feed-1", "lead-1")]
    try:
        work_a_warning(*sources)
    finally:
        for s in sources:
            s.close()
    assert any(r.name.startswith("fpdf") for r in caplog.records)  # the PDF was logged about
    assert_no_numbers_logged(caplog.records)


def test_logs_never_hold_a_full_card_or_id_number_through_a_hub(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "centre.db"
    hub = ThreadHub(path, make_users(path)).start()
    caplog.set_level(logging.DEBUG)
    sources = [HttpSource(hub.url, token=hub.tokens[u], outbox_path=str(tmp_path / f"{u}.db"))
               for u in ("officer-a", "feed-1", "lead-1")]
    try:
        work_a_warning(*sources)
    finally:
        for s in sources:
            s.close()
        hub.stop()
    assert any(r.name.startswith(("httpx", "httpcore")) for r in caplog.records)
    assert_no_numbers_logged(caplog.records)
