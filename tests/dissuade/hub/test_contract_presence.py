"""Where everyone is, two sources: officers set their own state, a lead reads the room (who is on
which warning, the phone masked), officers read their own callbacks and figures."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from dissuade.domain import phones, presence
from dissuade.domain.errors import Forbidden, InvalidInput
from dissuade.sources import Source
from tests.conftest import warning_data

Make = Callable[[str], Source]


def test_an_officer_sets_their_state_and_the_lead_sees_it(sources: Make) -> None:
    officer, lead = sources("officer-a"), sources("lead-1")
    assert officer.my_state().state == presence.NOT_SET
    before = time.time()
    on_break = officer.set_state("break", "午饭")
    assert (on_break.officer, on_break.state, on_break.reason) == ("officer-a", "break", "午饭")
    assert on_break.since is not None and on_break.since >= before - 1
    assert officer.my_state() == on_break
    room = {e.officer: e for e in lead.room()}
    # Every active officer is listed, whether or not they have said anything yet.
    assert set(room) >= {"officer-a", "officer-b"}
    assert (room["officer-a"].shown, room["officer-a"].reason) == ("break", "午饭")
    assert room["officer-b"].shown == presence.NOT_SET
    # The same again is not a new break; back to ready is.
    assert officer.set_state("break", "午饭").since == on_break.since
    assert officer.set_state("ready").state == "ready"
    actions = [e for e in lead.audit_entries(action="officer.state") if e.actor == "officer-a"]
    assert [e.detail["state"] for e in actions] == ["ready", "break"]


def test_a_break_or_training_needs_a_reason_and_states_are_known(sources: Make) -> None:
    officer = sources("officer-a")
    with pytest.raises(InvalidInput, match="需要填写原因"):
        officer.set_state("training", "  ")
    with pytest.raises(InvalidInput):
        officer.set_state("asleep")
    assert officer.my_state().state == presence.NOT_SET


def test_the_room_shows_who_holds_which_warning_masked(sources: Make) -> None:
    lead, officer = sources("lead-1"), sources("officer-a")
    wid = int(lead.add_warning(warning_data(1, risk_level="high", scam_type="impersonating_authority")).id)
    lead.add_warning(warning_data(2, phone="13900000001"))  # the same person, linked
    officer.set_state("ready")
    claimed = officer.claim(wid)
    entry = next(e for e in lead.room() if e.officer == "officer-a")
    assert entry.shown == presence.ON_CALL and entry.state == "ready"
    assert (entry.warning_id, entry.risk_level, entry.scam_type) == (wid, "high", "impersonating_authority")
    assert entry.linked == 1
    national = phones.describe(claimed.phone).national
    assert entry.phone != national and entry.phone[:3] == national[:3] and "*" in entry.phone
    assert entry.holding_since is not None and entry.holding_since <= time.time() + 1
    officer.release(wid)
    after = next(e for e in lead.room() if e.officer == "officer-a")
    assert (after.shown, after.warning_id) == ("ready", None)


def test_only_a_lead_reads_the_room_and_each_reads_their_own(sources: Make) -> None:
    with pytest.raises(Forbidden):
        sources("officer-a").room()
    with pytest.raises(Forbidden):
        sources("trainer-1").set_state("ready")
    sources("officer-b").set_state("training", "新话术")
    assert sources("officer-a").my_state().state == presence.NOT_SET


def test_callbacks_are_the_officers_own_due_first_with_their_figures(sources: Make) -> None:
    lead, officer, other = sources("lead-1"), sources("officer-a"), sources("officer-b")
    now = time.time()
    ids = [int(lead.add_warning(warning_data(n)).id) for n in (1, 2, 3, 4)]
    late, early, theirs, anyone = ids
    for wid, who, at, scope in ((late, officer, now + 7200, "me"),
                                (early, officer, now + 600, "me"),
                                (theirs, other, now + 300, "me"),
                                (anyone, officer, now + 60, "anyone")):
        who.claim(wid)
        who.record_attempt(wid, outcome="callback", callback_at=float(int(at)),
                           callback_scope=scope, started_at=now - 90, ended_at=now - 30)
    mine = officer.my_callbacks()
    assert [c.warning_id for c in mine] == [early, late]
    assert mine[0].callback_at == float(int(now + 600))
    assert "*" in mine[0].phone and mine[0].status == "retry"
    assert [c.warning_id for c in other.my_callbacks()] == [theirs]
    figures = officer.my_figures()
    assert (figures["calls"], figures["dissuaded"]) == (3, 0)
    assert figures["mean_call_seconds"] == 60.0
