"""The shift lead's contract, two sources: every case runs on the local file and through a hub.

What the lead (and the auditor after them) relies on: the shift figures and report, finding and
reviewing warnings, revealing a masked card or ID number (audited, never written down), masking
everywhere else, centre settings, breaches, the audit log, and the bank's stop-payment request.
"""

from __future__ import annotations

import concurrent.futures
import io
import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pypdf
import pytest

from dissuade import paths
from dissuade.domain import idnumbers
from dissuade.domain.errors import Conflict, DissuadeError, Forbidden, InvalidInput, NotFound
from dissuade.sources import Source
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import ThreadHub

Make = Callable[[str], Source]

CARD = "6222020202020202020"
CARD2 = "6217001234567890123"
MASKED = "6222 **** **** 2020"
MASKED2 = "6217 **** **** 0123"
ID = "11010519491231002X"
ID_MASKED = "1101**********002X"
assert idnumbers.check_digit(ID[:17]) == ID[17]

def kind_of(request: pytest.FixtureRequest) -> str:
    return str(request.node.callspec.params["sources"])


def feed(make: Make, *items: dict[str, object]) -> list[int]:
    """Warnings in through the batch route (the single-warning route is checked below)."""
    results = make("feed-1").add_warnings(list(items))
    assert all(r.error is None for r in results), results
    return [int(r.warning_id or 0) for r in results]


def work(source: Source, wid: int, outcome: str, **extra: object) -> int:
    source.claim(wid)
    return int(source.record_attempt(wid, outcome=outcome, **extra).id)  # type: ignore[arg-type]


def no_full_numbers(*things: object) -> None:
    """Nothing a screen gets holds a bank card or an ID number whole."""
    text = repr(things)
    for secret in (CARD, CARD2, ID, ID[:17]):
        assert secret not in text, f"{secret} leaked: {text[:500]}"


def period() -> tuple[float, float]:
    """An hour either side of now, on whole seconds (the API's times have no fractions)."""
    now = float(int(time.time()))
    return now - 3600, now + 3600


# -- figures ---------------------------------------------------------------------------------


def test_stats_and_report_are_the_same_over_both_sources(sources: Make, hub: ThreadHub) -> None:
    w1, w2, w3, w4 = feed(
        sources,
        warning_data(1, risk_level="emergency", scam_type="fake_loan", cards=[CARD],
                     amount_at_risk=9000),
        warning_data(2, risk_level="high", amount_at_risk=4000),
        warning_data(3, risk_level="medium", scam_type="unknown"),
        warning_data(4, risk_level="low"))
    a, b, lead = sources("officer-a"), sources("officer-b"), sources("lead-1")
    work(a, w1, "no_answer")
    dissuaded = work(a, w1, "dissuaded")
    work(a, w2, "already_lost", amount_lost=3000)
    work(b, w3, "brainwashed")  # a card lock is proposed: one escalation pending
    lead.review_attempt(dissuaded, verdict="pass")
    start, end = period()

    figures = lead.stats(start=start, end=end)
    assert figures["received"] == 4 and figures["handled"] == 3
    assert figures["by_level"] == {"emergency": 1, "high": 1, "medium": 1, "low": 1}
    assert figures["by_outcome"] == {"no_answer": 1, "dissuaded": 1, "already_lost": 1,
                                     "brainwashed": 1}
    assert (figures["dissuaded"], figures["already_lost"], figures["dissuasion_rate"]) == (
        1, 1, 0.5)
    assert figures["within_time_limit_rate"] == 1.0 and figures["escalations_pending"] == 1

    data = lead.shift_report(start=start, end=end)
    summary = data["summary"]
    assert (summary["loss_avoided"], summary["amount_lost"], summary["officers_on_duty"],
            summary["time_limit_breaches"], summary["escalations_proposed"]) == (
        9000.0, 3000.0, 2, 0, 1)
    officers = {o["officer"]: o for o in data["officers"]}
    assert (officers["officer-a"]["handled"], officers["officer-a"]["attempts"],
            officers["officer-a"]["reviews_pass"]) == (2, 3, 1)
    assert (officers["officer-b"]["handled"], officers["officer-b"]["attempts"]) == (1, 1)
    assert sum(h[lv] for h in data["hourly"] for lv in ("emergency", "high", "medium", "low")
               ) == 4
    assert data["generated_by"] == "lead-1"

    # The same figures as the file itself gives, to the last field.
    file = Store(hub.db)
    try:
        mine = file.stats(start=start, end=end)
        theirs = file.shift_report(start=start, end=end, user="lead-1")
    finally:
        file.close()
    assert json.loads(json.dumps(figures)) == json.loads(json.dumps(mine))
    for report in (data, theirs):
        report.pop("generated_at")
    assert json.loads(json.dumps(data)) == json.loads(json.dumps(theirs))
    assert w4 not in {e["warning_id"] for e in data["escalations"]}
    for who in (a, sources("trainer-1")):
        with pytest.raises(Forbidden):
            who.stats()
        with pytest.raises(Forbidden):
            who.shift_report()


# -- finding and reviewing -------------------------------------------------------------------


def test_find_warnings_filters_with_totals_and_paging(sources: Make) -> None:
    ids = feed(
        sources,
        warning_data(1, risk_level="emergency", scam_type="fake_loan", cards=[CARD]),
        warning_data(2, risk_level="high", scam_type="fake_investment"),
        warning_data(3, risk_level="high", scam_type="fake_loan", external_id="BANK-77"),
        warning_data(4, risk_level="low", scam_type="fake_investment"),
        warning_data(5, risk_level="medium", scam_type="unknown"),
        warning_data(6, risk_level="low", scam_type="fake_loan"))
    a, b, lead = sources("officer-a"), sources("officer-b"), sources("lead-1")
    work(a, ids[0], "no_answer")
    work(a, ids[0], "dissuaded")
    work(a, ids[1], "already_lost")
    work(b, ids[2], "dissuaded")
    work(b, ids[3], "no_answer")

    def found(**filters: object) -> list[int]:
        total, items = lead.find_warnings(dict(filters), limit=100)
        assert total == len(items)
        return [int(f.warning.id) for f in items]

    newest_first = sorted(ids, reverse=True)
    assert found() == newest_first
    assert found(officer="officer-a") == [ids[1], ids[0]]
    assert found(officer="officer-b") == [ids[3], ids[2]]
    assert found(outcome="dissuaded") == [ids[2], ids[0]]  # the latest outcome
    assert found(outcome="no_answer") == [ids[3]]  # ids[0]'s no answer was not its last
    assert found(scam_type="fake_loan") == [ids[5], ids[2], ids[0]]
    assert found(risk_level="high") == [ids[2], ids[1]]
    assert found(status="closed") == [ids[2], ids[1], ids[0]]
    assert found(status="retry") == [ids[3]]
    assert found(scam_type="fake_loan", status="new") == [ids[5]]
    assert found(q=str(ids[4])) == [ids[4]]
    assert found(q="BANK-77") == [ids[2]]
    assert found(q="+86 139-0000-0004") == [ids[3]]  # the phone in another written form
    assert found(q="139 0000 0006") == [ids[5]]
    assert found(q="nobody") == []
    start, end = period()
    assert found(start=start, end=end) == newest_first
    assert found(start=end, end=end + 3600) == []

    total, rows = lead.find_warnings({}, limit=2, offset=0)
    pages = [rows]
    for offset in (2, 4):
        total_again, page = lead.find_warnings({}, limit=2, offset=offset)
        assert total_again == total == 6
        pages.append(page)
    assert [int(f.warning.id) for page in pages for f in page] == newest_first
    assert lead.find_warnings({}, limit=2, offset=6) == (6, [])

    (row,) = lead.find_warnings({"q": str(ids[0])})[1]
    assert (row.attempts, row.last_officer) == (2, "officer-a")
    assert row.warning.cards == (MASKED,)
    no_full_numbers(lead.find_warnings({}))

    for key, bad in (("outcome", "talked"), ("status", "asleep"), ("risk_level", "urgent"),
                     ("scam_type", "lottery")):
        with pytest.raises(InvalidInput) as err:
            lead.find_warnings({key: bad})
        assert err.value.field == key
    with pytest.raises(Forbidden):
        a.find_warnings({})


def test_warning_history_has_everything_and_opening_it_is_recorded(
        sources: Make, hub: ThreadHub) -> None:
    (wid,) = feed(sources, warning_data(1, risk_level="high", cards=[CARD]))
    a, lead = sources("officer-a"), sources("lead-1")
    first = work(a, wid, "no_answer")
    work(a, wid, "brainwashed")  # high with a card: a card lock is proposed
    (proposal,) = a.get(wid).escalations
    lead.decide_escalation(proposal.id, decision="approve", note="同意止付")
    lead.review_attempt(first, verdict="fail", comment="未说明身份")

    history = lead.warning_history(wid)
    assert history.detail.warning.id == wid
    assert [x.outcome for x in history.detail.attempts] == ["no_answer", "brainwashed"]
    (escalation,) = history.escalations
    assert escalation.escalation.id == proposal.id
    assert escalation.escalation.cards == (MASKED,)
    assert [(s.status, s.actor) for s in escalation.steps] == [
        ("proposed", "officer-a"), ("approved", "lead-1")]
    (review,) = history.reviews
    assert (review.attempt_id, review.verdict, review.reviewer, review.comment) == (
        first, "fail", "lead-1", "未说明身份")
    actions = [e.action for e in history.trail]
    # It came in with a feed's batch: the batch's row, naming its ids, opens the trail.
    assert actions[0] == "warning.import" and history.trail[0].actor == "feed-1"
    assert history.trail[0].detail["first_id"] == wid
    for action in ("warning.claim", "attempt.create", "escalation.create",
                   "escalation.approve", "review.fail", "warning.view"):
        assert action in actions
    assert history.trail[-1].action == "warning.view" and history.trail[-1].actor == "lead-1"
    no_full_numbers(history)

    def views() -> int:
        file = Store(hub.db)
        try:
            return len(file.audit_entries(action="warning.view", entity="warning",
                                          entity_id=wid))
        finally:
            file.close()

    before = views()
    lead.warning_history(wid)
    assert views() == before + 1
    single = sources("feed-1").add_warning(warning_data(2))
    assert [e.action for e in lead.warning_history(single.id).trail] == [
        "warning.create", "warning.view"]
    with pytest.raises(Forbidden):
        a.warning_history(wid)
    with pytest.raises(NotFound):
        lead.warning_history(99_999)


def test_reviewing_a_call(sources: Make) -> None:
    wid, other = feed(sources, warning_data(1), warning_data(2))
    a, lead = sources("officer-a"), sources("lead-1")
    attempt = work(a, wid, "dissuaded", notes="已劝阻")
    passed = lead.review_attempt(attempt, verdict="pass")
    assert (passed.attempt_id, passed.warning_id, passed.verdict, passed.reviewer) == (
        attempt, wid, "pass", "lead-1")
    for comment in ("", "   "):
        with pytest.raises(InvalidInput) as err:
            lead.review_attempt(attempt, verdict="fail", comment=comment)
        assert err.value.field == "comment"
    failed = lead.review_attempt(attempt, verdict="fail", comment="未核实身份")
    assert failed.comment == "未核实身份"
    assert [r.verdict for r in lead.warning_history(wid).reviews] == ["pass", "fail"]
    own = work(lead, other, "not_fraud")
    with pytest.raises(Conflict):
        lead.review_attempt(own, verdict="pass")
    with pytest.raises(Forbidden):
        a.review_attempt(attempt, verdict="pass")
    with pytest.raises(NotFound):
        lead.review_attempt(99_999, verdict="pass")
    (row,) = lead.audit_entries(action="review.fail")
    assert row.detail["comment"] == "未核实身份" and row.detail["officer"] == "officer-a"


# -- revealing and masking -------------------------------------------------------------------


def test_revealing_a_masked_field(sources: Make) -> None:
    (wid,) = feed(sources, warning_data(1, cards=[CARD, CARD2], id_number=ID))
    a, b, lead = sources("officer-a"), sources("officer-b"), sources("lead-1")
    assert lead.reveal(wid, field="cards", reason="银行核对") == [CARD, CARD2]
    assert lead.reveal(wid, field="id_number", reason="核实身份") == [ID]
    with pytest.raises(Conflict):  # an officer only while holding the claim
        a.reveal(wid, field="cards", reason="止付")
    a.claim(wid)
    with pytest.raises(Conflict) as err:
        b.reveal(wid, field="cards", reason="止付")
    assert err.value.holder == "officer-a"
    assert a.reveal(wid, field="id_number", reason="当事人核对身份") == [ID]
    a.record_attempt(wid, outcome="no_answer")  # the claim ends with the attempt
    with pytest.raises(Conflict):
        a.reveal(wid, field="cards", reason="止付")
    with pytest.raises(Forbidden):
        sources("trainer-1").reveal(wid, field="cards", reason="培训")
    with pytest.raises(InvalidInput) as bad:
        lead.reveal(wid, field="phone", reason="x")
    assert bad.value.field == "field"
    with pytest.raises(InvalidInput) as bad:
        lead.reveal(wid, field="cards", reason="  ")
    assert bad.value.field == "reason"

    rows = lead.audit_entries(action="warning.reveal")
    assert [(r.actor, r.detail) for r in reversed(rows)] == [
        ("lead-1", {"field": "cards", "reason": "银行核对"}),
        ("lead-1", {"field": "id_number", "reason": "核实身份"}),
        ("officer-a", {"field": "id_number", "reason": "当事人核对身份"})]
    no_full_numbers(lead.audit_entries(limit=1000))


def test_sources_never_hand_out_a_full_card_or_id_number(sources: Make, hub: ThreadHub) -> None:
    wid, other = feed(sources, warning_data(1, risk_level="emergency", cards=[CARD, CARD2],
                                            id_number=ID),
                      warning_data(2, risk_level="high", cards=[CARD], id_number=ID))
    file = Store(hub.db)
    try:  # a third, overdue for an hour, for the breach list
        late, _ = file.add_warning(warning_data(3, risk_level="emergency", cards=[CARD2],
                                                id_number=ID), actor="feed-1",
                                   now=time.time() - 3600)
    finally:
        file.close()
    a, lead = sources("officer-a"), sources("lead-1")
    queue = a.queue(limit=10)
    assert {w.id for w in queue} == {wid, other, late.id}
    assert next(w for w in queue if w.id == wid).cards == (MASKED, MASKED2)
    assert all(w.id_number == ID_MASKED for w in queue)
    claimed = a.claim_next()
    assert claimed is not None and claimed.cards in ((MASKED, MASKED2), (MASKED2,))
    detail = a.get(wid)
    assert (detail.warning.cards, detail.warning.id_number) == ((MASKED, MASKED2), ID_MASKED)
    held = a.claim(wid)
    proposal = a.propose_escalation(wid, kind="card_lock", reason="仍在转账",
                                    cards=[MASKED, MASKED2])
    assert proposal.cards == (MASKED, MASKED2)
    count, overdue = a.breaches(since=0)
    assert count >= 1 and late.id in {w.id for w in overdue}
    seen = [queue, claimed, detail, held, proposal, a.get(wid), a.pending_escalations(),
            a.active_escalations(), a.escalation_detail(proposal.id), overdue,
            a.release(other) if a.claim(other) else None,
            a.wait_for_changes(after=0, after_warning=0, timeout=0),
            lead.find_warnings({}), lead.warning_history(wid), lead.shift_report(),
            lead.audit_entries(limit=1000)]
    no_full_numbers(*seen)


def test_a_proposal_may_name_the_warnings_cards_in_their_masked_form(
        sources: Make, hub: ThreadHub) -> None:
    wid, other = feed(sources, warning_data(1, cards=[CARD, CARD2]),
                      warning_data(2, risk_level="high", cards=[CARD, CARD2]))
    a = sources("officer-a")
    a.claim(wid)
    with pytest.raises(InvalidInput) as err:
        a.propose_escalation(wid, kind="card_lock", reason="止付",
                             cards=["6222 **** **** 9999"])
    assert err.value.field == "cards" and "6222 **** **** 9999" in str(err.value)
    proposal = a.propose_escalation(wid, kind="card_lock", reason="止付", cards=[MASKED])
    a.claim(other)
    a.record_attempt(other, outcome="brainwashed", escalation={"cards": [MASKED2]})
    (automatic,) = a.get(other).escalations
    file = Store(hub.db)
    try:
        assert file.escalation(proposal.id).cards == (CARD,)  # the whole number, for the bank
        assert file.escalation(automatic.id).cards == (CARD2,)
    finally:
        file.close()


def test_a_proposal_takes_cards_typed_as_one_text(sources: Make, hub: ThreadHub) -> None:
    (wid,) = feed(sources, warning_data(1))
    a = sources("officer-a")
    a.claim(wid)
    proposal = a.propose_escalation(wid, kind="card_lock", reason="止付",
                                    cards=f"{CARD} {CARD2}")
    assert proposal.cards == (MASKED, MASKED2)
    file = Store(hub.db)
    try:
        assert file.escalation(proposal.id).cards == (CARD, CARD2)
    finally:
        file.close()


def test_a_warning_may_carry_an_id_number(sources: Make, request: pytest.FixtureRequest) -> None:
    f = sources("feed-1")
    receipt = f.add_warning(warning_data(1, id_number="110105 19491231 002x"))
    lead = sources("lead-1")
    assert receipt.created and lead.get(receipt.id).warning.id_number == ID_MASKED
    assert lead.reveal(receipt.id, field="id_number", reason="核对") == [ID]
    bad = f.add_warning(warning_data(2, id_number="110105194912310021"))  # wrong check digit
    assert bad.created and lead.get(bad.id).warning.id_number == ""
    assert [p["field"] for p in bad.problems] == ["id_number"]
    assert "110105194912310021" not in str(bad.problems)


# -- settings --------------------------------------------------------------------------------


def test_settings_are_checked_audited_and_seen_by_both_sources(
        sources: Make, hub: ThreadHub) -> None:
    lead = sources("lead-1")
    changed = lead.update_settings({
        "hold_hours": 72, "chase_calls": 5, "chase_interval_minutes": 15,
        "stations": {"思明区": "思明派出所"}, "shift_starts": [19, 7],
        "grading": {"fake_investment": "emergency"}})
    for policy in (changed, lead.policy(), sources("officer-a").policy()):
        assert (policy.hold_hours, policy.chase_calls, policy.chase_interval_minutes) == (
            72, 5, 15)
        assert policy.stations == {"思明区": "思明派出所"}
        assert policy.shift_starts == (7, 19)
        assert policy.grading["fake_investment"] == "emergency"
        assert policy.grading["fake_loan"] == "emergency"  # the rest of the table is kept
    (row,) = lead.audit_entries(action="policy.settings")
    assert row.actor == "lead-1"
    assert row.detail["to"]["hold_hours"] == 72 and row.detail["to"]["chase"] == {
        "calls": 5, "interval_minutes": 15}
    assert row.detail["from"]["hold_hours"] == 48

    # And they act: the grading table, the station of a door visit, the chase plan.
    (wid,) = feed(sources, warning_data(1, risk_level=None, scam_type="fake_investment",
                                        district="思明区"))
    a = sources("officer-a")
    assert a.get(wid).warning.risk_level == "emergency"
    a.claim(wid)
    visit = a.propose_escalation(wid, kind="door_visit", reason="关机")
    assert visit.station == "思明派出所"

    bad: list[tuple[dict[str, object], str]] = [
        ({"hold_hours": 0}, "hold_hours"), ({"hold_hours": "abc"}, "hold_hours"),
        ({"chase_calls": 0}, "chase_calls"), ({"chase_calls": 2.5}, "chase_calls"),
        ({"chase_interval_minutes": -1}, "chase_interval_minutes"),
        ({"stations": "思明区"}, "stations"), ({"shift_starts": [25]}, "shift_starts"),
        ({"shift_starts": []}, "shift_starts"),
        ({"shift_starts": [1, 2, 3, 4, 5, 6, 7]}, "shift_starts"),
        ({"grading": {"fake_loan": "urgent"}}, "grading"),
        ({"grading": {"lottery": "high"}}, "grading"), ({"colour": "red"}, "colour")]
    for changes, field in bad:
        with pytest.raises(InvalidInput) as err:
            lead.update_settings(changes)
        assert err.value.field == field, changes
    assert lead.policy().hold_hours == 72
    assert len(lead.audit_entries(action="policy.settings")) == 1  # refusals change nothing
    with pytest.raises(Forbidden):
        a.update_settings({"hold_hours": 24})


@pytest.mark.parametrize(("changes", "field"), [
    ({"shift_starts": [8.5]}, "shift_starts"), ({"shift_starts": ["eight"]}, "shift_starts"),
    ({"grading": {"fake_loan": 5}}, "grading"), ({"stations": {"思明区": 5}}, "stations")])
def test_a_bad_item_of_a_setting_names_the_setting(
        sources: Make, request: pytest.FixtureRequest, changes: dict[str, object],
        field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        sources("lead-1").update_settings(changes)
    assert err.value.field == field


def test_every_hub_thread_sees_a_settings_change_at_once(hub: ThreadHub) -> None:
    def get(path: str, user: str = "lead-1") -> httpx.Response:
        return httpx.get(hub.url + path, headers={"Authorization": f"Bearer {hub.tokens[user]}"},
                         timeout=30)

    with concurrent.futures.ThreadPoolExecutor(16) as pool:  # many hub threads read the policy
        list(pool.map(lambda _: get("/api/v1/policy").status_code, range(64)))
        answer = httpx.put(hub.url + "/api/v1/policy/settings", timeout=30,
                           json={"hold_hours": 72, "grading": {"fake_investment": "low"}},
                           headers={"Authorization": f"Bearer {hub.tokens['lead-1']}"})
        assert answer.status_code == 200 and answer.json()["hold_hours"] == 72
        seen = set(pool.map(lambda _: get("/api/v1/policy").json()["hold_hours"], range(64)))

        def post(n: int) -> str:
            # A feed reads back only the id (settled); the lead reads the level it was graded.
            wid = httpx.post(hub.url + "/api/v1/warnings", timeout=30,
                             json=warning_data(n, risk_level=None),
                             headers={"Authorization": f"Bearer {hub.tokens['feed-1']}"}
                             ).json()["id"]
            return str(get(f"/api/v1/warnings/{wid}").json()["risk_level"])

        graded = set(pool.map(post, range(100, 164)))
    assert seen == {72}
    assert graded == {"low"}


# -- breaches, the audit log -----------------------------------------------------------------


def test_breaches_since_a_moment(sources: Make, hub: ThreadHub) -> None:
    now = time.time()
    file = Store(hub.db)
    try:
        def arrived(n: int, ago: float, level: str) -> int:
            return int(file.add_warning(warning_data(n, risk_level=level, cards=[CARD]),
                                        actor="feed-1", now=now - ago)[0].id)

        oldest = arrived(1, 7200, "emergency")  # limit passed 6,600 s ago
        older = arrived(2, 3600, "emergency")  # 3,000 s ago
        recent = arrived(3, 1200, "emergency")  # 600 s ago
        arrived(4, 60, "high")  # not due for half an hour
        called = arrived(5, 3600, "emergency")
        file.claim(called, user="officer-b", now=now - 3500)
        file.record_attempt(called, user="officer-b", outcome="no_answer", now=now - 3400)
    finally:
        file.close()
    a = sources("officer-a")
    count, found = a.breaches(since=now - 3300)
    assert count == 3  # every warning overdue and never called
    assert [w.id for w in found] == [recent, older]  # those whose limit passed since then
    assert all(w.cards == (MASKED,) for w in found)
    assert [w.id for w in a.breaches(since=now - 10_000)[1]] == [recent, older, oldest]
    assert a.breaches(since=now)[1] == []
    with pytest.raises(Forbidden):
        sources("trainer-1").breaches(since=0)


def test_audit_entries_filter_and_page(sources: Make, hub: ThreadHub) -> None:
    ids = feed(sources, *(warning_data(n) for n in range(1, 6)))
    a, lead = sources("officer-a"), sources("lead-1")
    for wid in ids[:3]:
        work(a, wid, "no_answer")
    newest = lead.audit_entries(limit=1000)
    assert [e.id for e in newest] == sorted((e.id for e in newest), reverse=True)
    file = Store(hub.db)
    try:
        assert [e.id for e in newest] == [e.id for e in file.audit_entries(limit=1000)]
    finally:
        file.close()
    mine = lead.audit_entries(actor="officer-a")
    assert len(mine) == 6 and {e.action for e in mine} == {"warning.claim", "attempt.create"}
    assert {e.action for e in lead.audit_entries(action="attempt")} == {"attempt.create"}
    about = lead.audit_entries(entity="warning", entity_id=ids[0])
    assert [e.action for e in about] == ["attempt.create", "warning.claim"]
    assert all(e.entity_id == ids[0] for e in about)
    page, seen = lead.audit_entries(limit=4), []
    while page:
        seen += [e.id for e in page]
        page = lead.audit_entries(limit=4, before_id=page[-1].id)
    assert seen == [e.id for e in newest]
    first, last = newest[-1], newest[0]
    assert [e.id for e in lead.audit_entries(start=first.at, end=last.at + 1)] == seen
    assert lead.audit_entries(start=last.at + 1) == []
    assert all(len(e.hash) == 64 for e in newest)
    assert sources("admin-1").audit_entries(limit=1)[0].id == last.id
    with pytest.raises(InvalidInput) as err:
        lead.audit_entries(limit=0)
    assert err.value.field == "limit"
    for who in ("officer-a", "trainer-1", "feed-1"):
        with pytest.raises(Forbidden):
            sources(who).audit_entries()


def test_verify_audit_over_both_sources(sources: Make, hub: ThreadHub) -> None:
    ids = feed(sources, *(warning_data(n, cards=[CARD]) for n in range(1, 4)))
    work(sources("officer-a"), ids[0], "dissuaded")
    verdict = sources("lead-1").verify_audit()
    file = Store(hub.db)
    try:
        expected = file.verify_audit()
        rows = len(file.audit_entries(limit=1000))
    finally:
        file.close()
    assert verdict.ok and verdict.broken_at is None
    assert (verdict.rows, verdict.head_id, verdict.head_hash) == (
        rows, expected.head_id, expected.head_hash)
    assert sources("admin-1").verify_audit().ok
    for who in ("officer-a", "trainer-1"):
        with pytest.raises(Forbidden):
            sources(who).verify_audit()


# -- the bank's stop-payment request ---------------------------------------------------------


def approved_card_lock(make: Make, n: int, *, synthetic: bool) -> tuple[int, int]:
    (wid,) = feed(make, warning_data(n, cards=[CARD, CARD2], amount_at_risk=50000,
                                     synthetic=synthetic))
    a = make("officer-a")
    a.claim(wid)
    proposal = a.propose_escalation(wid, kind="card_lock", reason="仍在转账",
                                    cards=[MASKED, MASKED2])
    make("lead-1").decide_escalation(proposal.id, decision="approve", note="同意止付")
    return wid, int(proposal.id)


def outbox() -> Path:
    return paths.data_dir() / "bank-outbox"


def test_the_request_pdf_carries_the_full_cards_and_is_audited(sources: Make) -> None:
    wid, eid = approved_card_lock(sources, 1, synthetic=True)
    a = sources("officer-a")
    pdf = a.bank_request_pdf(eid, reason="向银行核对止付卡号")
    assert pdf.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert CARD in text and CARD2 in text and "紧急止付" in text
    # Audited as a reveal of the warning's cards, with the reason (settled decisions).
    (row,) = sources("lead-1").audit_entries(action="warning.reveal")
    assert (row.actor, row.entity, row.entity_id) == ("officer-a", "warning", wid)
    assert row.detail == {"field": "cards", "reason": "向银行核对止付卡号", "escalation_id": eid,
                          "via": "request.pdf"}
    a.claim(wid_door := feed(sources, warning_data(2))[0])
    door = a.propose_escalation(wid_door, kind="door_visit", reason="关机")
    with pytest.raises(Conflict):
        a.bank_request_pdf(door.id, reason="核对")
    with pytest.raises(NotFound):
        a.bank_request_pdf(99_999, reason="核对")
    with pytest.raises(Forbidden):
        sources("trainer-1").bank_request_pdf(eid, reason="核对")


def test_only_a_lead_or_the_proposer_makes_the_request_pdf_with_a_reason(sources: Make) -> None:
    """Settled: request.pdf needs a reason and is a lead's or the escalation's proposer's."""
    _, eid = approved_card_lock(sources, 1, synthetic=True)
    with pytest.raises(Forbidden):
        sources("officer-b").bank_request_pdf(eid, reason="想看看")  # not the proposer
    for blank in ("", "   "):
        with pytest.raises(InvalidInput) as err:
            sources("officer-a").bank_request_pdf(eid, reason=blank)
        assert err.value.field == "reason"
    assert sources("lead-1").bank_request_pdf(eid, reason="复核").startswith(b"%PDF")
    rows = sources("lead-1").audit_entries(action="warning.reveal")
    assert [(r.actor, r.detail["reason"]) for r in rows] == [("lead-1", "复核")]


def test_a_synthetic_request_is_never_sent_to_a_bank(sources: Make) -> None:
    _, eid = approved_card_lock(sources, 1, synthetic=True)
    a = sources("officer-a")
    with pytest.raises(DissuadeError, match="synthetic"):
        a.send_bank_request(eid)
    assert a.escalation_detail(eid).escalation.status == "approved"
    assert not outbox().exists() or list(outbox().iterdir()) == []


def test_a_refused_request_is_a_conflict_on_both_sources(
        sources: Make, request: pytest.FixtureRequest) -> None:
    _, eid = approved_card_lock(sources, 1, synthetic=True)
    with pytest.raises(Conflict):
        sources("officer-a").send_bank_request(eid)


def test_an_approved_request_goes_to_the_bank_outbox(sources: Make) -> None:
    wid, eid = approved_card_lock(sources, 1, synthetic=False)
    a = sources("officer-a")
    sent = a.send_bank_request(eid)
    assert sent.status == "sent" and sent.cards == (MASKED, MASKED2)
    record = json.loads((outbox() / f"card-lock-{eid}.json").read_text(encoding="utf-8"))
    assert record["cards"] == [CARD, CARD2] and record["warning_id"] == wid
    assert record["approved_by"] == "lead-1" and record["synthetic"] is False
    assert (outbox() / f"card-lock-{eid}.pdf").read_bytes().startswith(b"%PDF")
    steps = a.escalation_detail(eid).steps
    assert [s.status for s in steps] == ["proposed", "approved", "sent"]
    assert steps[-1].actor == "officer-a" and "card-lock" in steps[-1].note
    with pytest.raises(Conflict):  # sent already: never twice
        a.send_bank_request(eid)
    (_, unapproved) = feed(sources, warning_data(2), warning_data(3, cards=[CARD],
                                                                    synthetic=False))
    a.claim(unapproved)
    proposal = a.propose_escalation(unapproved, kind="card_lock", reason="止付")
    with pytest.raises(Conflict):
        a.send_bank_request(proposal.id)
    assert sorted(p.name for p in outbox().iterdir()) == [f"card-lock-{eid}.json",
                                                          f"card-lock-{eid}.pdf"]
