"""Every Source method, as every role, through both sources: both allow it or both refuse it
(Forbidden), and what they do is what README says each role may do.

Where the two sources once disagreed, README's stated rights won; where README is silent, the
stricter answer did. A Forbidden found in the data rather than the role (an officer making the
bank's request for someone else's proposal) counts the same way: here officer-a proposed the
card lock, so the officer's call is allowed.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dissuade.domain.errors import DissuadeError, Forbidden
from dissuade.sources import LocalSource, Source
from dissuade.sources.http import HttpSource
from tests.conftest import warning_data
from tests.hubs import ThreadHub

USER_OF = {"officer": "officer-a", "lead": "lead-1", "trainer": "trainer-1",
           "admin": "admin-1", "feed": "feed-1"}
ANY = frozenset(USER_OF)
WORK = frozenset({"officer", "lead"})  # README: officers and leads work the queue
LEAD = frozenset({"lead"})
FEEDING = frozenset({"feed", "lead", "admin"})  # README: feeds push warnings (feed, lead, admin)
REHEARSING = frozenset({"officer", "lead", "trainer"})  # README: the rehearsal tab
AUDITING = frozenset({"lead", "admin"})  # README: the audit log, leads and admins

Call = Callable[[Source, dict[str, int]], Any]
counter = iter(range(1000, 10**6))

# method: (how to call it, the roles README lets do it)
MATRIX: dict[str, tuple[Call, frozenset[str]]] = {
    "describe": (lambda s, i: s.describe(), ANY),
    "policy": (lambda s, i: s.policy(), ANY),
    "gateways": (lambda s, i: s.gateways(), ANY),
    "outbox_status": (lambda s, i: s.outbox_status(), ANY),
    "replay_outbox": (lambda s, i: s.replay_outbox(), ANY),
    "resolve_conflict": (lambda s, i: s.resolve_conflict(99_999), ANY),
    "run_chase_calls": (lambda s, i: s.run_chase_calls(), ANY),
    # Signing in again and out is anyone's own business (a wrong password: refused, not 403).
    "reauthenticate": (lambda s, i: s.reauthenticate("not the password"), ANY),
    "end_session": (lambda s, i: s.end_session(), ANY),  # 0 for whoever has no dialer
    "queue_size": (lambda s, i: s.queue_size(), WORK),
    "reassign": (lambda s, i: s.reassign(i["free"], to=None, reason="改派"), LEAD),
    "transfer": (lambda s, i: s.transfer(i["free"], centre="XM", reason="转交"), LEAD),
    "queue": (lambda s, i: s.queue(limit=5), WORK),
    "claim_next": (lambda s, i: s.claim_next(), WORK),
    "claim": (lambda s, i: s.claim(i["free"]), WORK),
    "release": (lambda s, i: s.release(i["free"]), WORK),
    "get": (lambda s, i: s.get(i["w"]), WORK),
    "add_warning": (lambda s, i: s.add_warning(warning_data(next(counter))), FEEDING),
    "add_warnings": (lambda s, i: s.add_warnings([warning_data(next(counter))]), FEEDING),
    "record_attempt": (lambda s, i: s.record_attempt(i["w"], outcome="no_answer"), WORK),
    "propose_escalation": (lambda s, i: s.propose_escalation(
        i["w"], kind="door_visit", reason="关机"), WORK),
    "retype_warning": (lambda s, i: s.retype_warning(i["w"], scam_type="fake_loan",
                                                     reason="线索"), WORK),
    "record_message": (lambda s, i: s.record_message(i["w"], text="请勿转账", via="clipboard"),
                       WORK),
    "raise_level": (lambda s, i: s.raise_level(i["free"], level="emergency", reason="转账中"),
                    WORK),
    "why": (lambda s, i: s.why(i["w"]), WORK),
    "holds_running_out": (lambda s, i: s.holds_running_out(within=3600), WORK),
    "escalation_detail": (lambda s, i: s.escalation_detail(i["e"]), WORK),
    "advance_escalation": (lambda s, i: s.advance_escalation(i["e"], status="locked"), WORK),
    "pending_escalations": (lambda s, i: s.pending_escalations(), WORK),
    "active_escalations": (lambda s, i: s.active_escalations(), WORK),
    "breaches": (lambda s, i: s.breaches(since=0.0), WORK),
    "send_bank_request": (lambda s, i: s.send_bank_request(i["e"]), WORK),  # synthetic: refused
    "bank_request_pdf": (lambda s, i: s.bank_request_pdf(i["e"], reason="核对"), WORK),
    "reveal": (lambda s, i: s.reveal(i["w"], field="cards", reason="核对"), WORK),
    "wait_for_changes": (lambda s, i: s.wait_for_changes(after=0, after_warning=0, timeout=0),
                         WORK),  # README: the live queue; silent for others, so the stricter
    "save_rehearsal": (lambda s, i: s.save_rehearsal(scam_type="fake_loan", lang="zh",
                                                     points_made=1, points_total=2, detail=[]),
                       REHEARSING),
    "rehearsals": (lambda s, i: s.rehearsals(), REHEARSING),
    "update_level_policy": (lambda s, i: s.update_level_policy(
        "low", {"max_failed_attempts": 5}), LEAD),
    "update_settings": (lambda s, i: s.update_settings({"hold_hours": 48}), LEAD),
    "extend_hold": (lambda s, i: s.extend_hold(i["e"], note="再延"), LEAD),
    "decide_escalation": (lambda s, i: s.decide_escalation(i["e2"], decision="approve"), LEAD),
    "stats": (lambda s, i: s.stats(), LEAD),
    "find_warnings": (lambda s, i: s.find_warnings({}), LEAD),
    "warning_history": (lambda s, i: s.warning_history(i["w"]), LEAD),
    "officers": (lambda s, i: s.officers(), LEAD),
    "review_attempt": (lambda s, i: s.review_attempt(i["a"], verdict="pass"), LEAD),
    "shift_report": (lambda s, i: s.shift_report(), LEAD),
    "staffing_forecast": (lambda s, i: s.staffing_forecast(), LEAD),
    "set_state": (lambda s, i: s.set_state("ready"), WORK),  # README: an officer's own state
    "my_state": (lambda s, i: s.my_state(), WORK),
    "room": (lambda s, i: s.room(), LEAD),  # README: the lead's room view
    "my_callbacks": (lambda s, i: s.my_callbacks(), WORK),
    "my_figures": (lambda s, i: s.my_figures(), WORK),
    "audit_entries": (lambda s, i: s.audit_entries(limit=5), AUDITING),
    "verify_audit": (lambda s, i: s.verify_audit(), AUDITING),
    # An unknown call: past the rights check it is NotFound (only its officer may undo one).
    "undo_attempt": (lambda s, i: s.undo_attempt(99_999), WORK),
    "reopen_warning": (lambda s, i: s.reopen_warning(i["w"], reason="重新核实"), LEAD),
    "save_draft": (lambda s, i: s.save_draft(i["w"], notes="草稿"), WORK),
    "draft": (lambda s, i: s.draft(i["w"]), WORK),
    "warnings_of_phone": (lambda s, i: s.warnings_of_phone("+86 139 0000 0001"), WORK),
    "withdraw_kept": (lambda s, i: s.withdraw_kept("nothing-kept"), ANY),  # its own outbox
}
# close ends the source; link_state and watch_link tell the client about its own connection:
# every role may.
NOT_CALLED = {"close", "link_state", "watch_link"}


@pytest.fixture
def both(hub: ThreadHub, tmp_path: Path) -> Iterator[dict[str, dict[str, Source]]]:
    """For each role, its user's source on the file and through the hub."""
    made: dict[str, dict[str, Source]] = {"local": {}, "hub": {}}
    for role, user in USER_OF.items():
        made["local"][role] = LocalSource(hub.db, user=user)
        made["hub"][role] = HttpSource(hub.url, token=hub.tokens[user],
                                       outbox_path=str(tmp_path / f"outbox-{user}.db"))
    yield made
    for kind in made.values():
        for source in kind.values():
            source.close()


@pytest.fixture
def ids(both: dict[str, dict[str, Source]]) -> dict[str, int]:
    """A warning under a card lock officer-a proposed (approved and sent), a
    proposal waiting for a lead, a call to review, and a warning nobody holds."""
    lead, officer = both["local"]["lead"], both["local"]["officer"]
    card = "6222020202020202026"
    w = int(lead.add_warning(warning_data(1, cards=[card])).id)
    w2 = int(lead.add_warning(warning_data(2)).id)
    free = int(lead.add_warning(warning_data(3)).id)
    called = int(lead.add_warning(warning_data(4)).id)
    officer.claim(called)
    a = int(officer.record_attempt(called, outcome="no_answer").id)
    officer.claim(w)
    e = int(officer.propose_escalation(w, kind="card_lock", reason="仍在转账").id)
    lead.decide_escalation(e, decision="approve", note="同意")
    officer.advance_escalation(e, status="sent", note="人工发送")
    officer.claim(w2)
    e2 = int(officer.propose_escalation(w2, kind="door_visit", reason="关机").id)
    return {"w": w, "e": e, "e2": e2, "a": a, "free": free}


def outcome(call: Call, source: Source, ids: dict[str, int]) -> str:
    try:
        call(source, ids)
    except Forbidden:
        return "forbidden"
    except DissuadeError:
        return "allowed"  # past the rights check: the state or the input said no
    return "allowed"


def test_the_matrix_covers_every_source_method() -> None:
    methods = {n for n, v in inspect.getmembers(Source) if callable(v) and not n.startswith("_")}
    assert set(MATRIX) | NOT_CALLED == methods


def test_both_sources_give_every_role_the_rights_readme_states(
        both: dict[str, dict[str, Source]], ids: dict[str, int]) -> None:
    disagree, wrong = [], []
    for method, (call, allowed) in MATRIX.items():
        for role in USER_OF:
            local = outcome(call, both["local"][role], ids)
            hub = outcome(call, both["hub"][role], ids)
            expected = "allowed" if role in allowed else "forbidden"
            if local != hub:
                disagree.append(f"{method} as {role}: local {local}, hub {hub}")
            elif local != expected:
                wrong.append(f"{method} as {role}: {local}, README says {expected}")
    assert disagree == [] and wrong == []
