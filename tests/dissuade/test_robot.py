"""The robot's first pass in the store: which warnings it takes, what each answer does, its
retries within the policy, hand-overs to people and why, on the policy's clock (no sleeping)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dissuade.domain import robot as rules
from dissuade.domain.robot import Answer
from dissuade.store import Store
from tests.conftest import warning_data

T0 = 1_800_000_000.0  # a moment on the policy's clock
HUB = "hub-test"
VOICE = "请立即停止转账。如您已知晓并停止转账，请按1；需要民警帮助，请按0。"


@pytest.fixture(params=["sqlite", "postgresql"])
def where(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The robot's rules on both engines: a SQLite file, a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "robot.db")
    return str(request.getfixturevalue("pg_url"))


def _store(where: str | Path, **settings_: object) -> Store:
    store = Store(where)
    store.update_settings({"robot_hours": ["00:00", "24:00"], **settings_}, user="lead-1")
    store.robot_tick(hub=HUB, lines=4, now=T0)
    return store


def _arrive(store: Store, n: int, *, level: str = "medium", now: float = T0,
            **more: object) -> int:
    data = warning_data(n, synthetic=False, risk_level=level, **more)
    return int(store.add_warning(data, actor="feed-1", now=now)[0].id)


def _call(store: Store, answer: Answer | None, *, now: float, line: int = 1,
          detail: str = "") -> str:
    job = store.robot_take(hub=HUB, line_no=line, timeout=30, now=now)
    assert job is not None
    return store.robot_finish(job, answer, hub=HUB, line_no=line, detail=detail, voice=VOICE,
                              voice_seconds=12.0, now=now + 20)


def test_a_new_warning_of_a_robot_level_waits_for_the_robot_not_for_people(where: str) -> None:
    store = _store(where)
    medium = _arrive(store, 1)
    assert store.warning(medium).claimed_by == "robot"
    assert store.queue_size(user="officer-a", now=T0 + 1) == 0
    assert store.claim_next(user="officer-a", now=T0 + 1) is None
    # An emergency, a high one and a synthetic one go to people at once.
    emergency = _arrive(store, 2, level="emergency")
    high = _arrive(store, 3, level="high")
    demo = int(store.add_warning(warning_data(4, risk_level="low"), actor="feed-1",
                                 now=T0)[0].id)
    for wid in (emergency, high, demo):
        assert store.warning(wid).claimed_by is None
    assert store.queue_size(user="officer-a", now=T0 + 1) == 3


@pytest.mark.parametrize("why", ["no robot line", "robot off", "outside its hours"])
def test_without_a_live_robot_or_outside_its_hours_people_take_the_warning(
        where: str, why: str) -> None:
    store = _store(where)
    now = T0
    if why == "no robot line":
        now = T0 + 31  # the hub's lines were last seen half a minute ago
    elif why == "robot off":
        store.update_settings({"robot_first_levels": []}, user="lead-1")
    else:
        store.update_settings({"robot_hours": ["08:00", "09:00"]}, user="lead-1")
        now = T0  # 2027-01-15 16:00 in Shanghai
    wid = _arrive(store, 1, now=now)
    assert store.warning(wid).claimed_by is None
    assert store.queue_size(user="officer-a", now=now) == 1


def test_key_1_closes_the_warning_as_dissuaded_by_the_robot_and_the_lead_sees_the_call(
        where: str) -> None:
    store = _store(where, robot_sample_rate=0)
    wid = _arrive(store, 1)
    assert _call(store, Answer(True, "1", 25.5), now=T0 + 2) == rules.CONFIRMED
    warning = store.warning(wid)
    assert (warning.status, warning.last_outcome) == ("closed", "dissuaded")
    (attempt,) = store.get(wid).attempts
    assert (attempt.officer, attempt.outcome) == ("robot", "dissuaded")
    assert VOICE in attempt.notes and "keys: 1" in attempt.notes and "25.5" in attempt.notes
    stats = store.stats(start=T0 - 3600, end=T0 + 3600, now=T0 + 60)
    assert (stats["robot_confirmed"], stats["dissuaded"]) == (1, 1)


def test_a_sampled_confirmation_goes_back_to_people_all_the_same(where: str) -> None:
    store = _store(where, robot_sample_rate=1)
    wid = _arrive(store, 1)
    _call(store, Answer(True, "1", 9), now=T0 + 2)
    warning = store.warning(wid)
    assert (warning.status, warning.claimed_by, warning.risk_level) == ("retry", None, "medium")
    assert store.queue_size(user="officer-a", now=T0 + 30) == 1
    assert store.robot_calls(wid)[-1]["handed"] == rules.SAMPLED


def test_sampling_takes_about_its_share() -> None:
    drawn = sum(rules.sampled(i, 0.1) for i in range(1, 10_001))
    assert 900 <= drawn <= 1100


@pytest.mark.parametrize(("answer", "why"), [
    (Answer(True, "0", 14), rules.WANTS_OFFICER),
    (Answer(True, "", 20), rules.NO_KEY),  # listened to the end (12 s of warning), no key
    (Answer(True, "", 4), rules.HUNG_UP),  # hung up during the warning
    (Answer(True, "7", 13), rules.OTHER_KEY),
])
def test_an_answered_call_that_confirms_nothing_goes_to_people_at_once_one_level_higher(
        where: str, answer: Answer, why: str) -> None:
    store = _store(where)
    wid = _arrive(store, 1, level="low")
    assert _call(store, answer, now=T0 + 60) == why
    handed_at = T0 + 60 + 20
    warning = store.warning(wid)
    assert (warning.status, warning.risk_level, warning.claimed_by) == ("retry", "medium", None)
    limit = store.policy().level("medium").first_contact_minutes * 60
    assert warning.deadline == pytest.approx(handed_at + limit)
    assert store.queue(user="officer-a", now=handed_at)[0].id == wid  # at once
    assert store.robot_calls(wid)[-1]["handed"] == why
    (attempt,) = store.get(wid).attempts
    assert attempt.officer == "robot" and attempt.started_at is not None  # answered: contact


def test_an_unanswered_person_is_called_three_times_then_given_to_people_unraised(
        where: str) -> None:
    store = _store(where)  # robot_retries 2, 15 minutes apart; medium: 120 minutes
    wid = _arrive(store, 1)
    now = T0
    for number in (1, 2, 3):
        # Not before its time, and the person is nobody else's meanwhile.
        assert store.robot_take(hub=HUB, line_no=1, timeout=30, now=now - 1) is None
        assert store.claim_next(user="officer-a", now=now) is None
        job = store.robot_take(hub=HUB, line_no=1, timeout=30, now=now)
        assert job is not None and job.number == number
        store.robot_finish(job, Answer(False), hub=HUB, line_no=1, now=now + 40)
        now += 40 + 15 * 60
    warning = store.warning(wid)
    assert (warning.status, warning.risk_level, warning.failed_attempts) == ("new", "medium", 0)
    assert store.robot_calls(wid)[-1]["handed"] == rules.NO_ANSWER
    detail = store.get(wid)
    assert [a.outcome for a in detail.attempts] == ["no_answer"] * 3
    # Unanswered robot calls are no first contact: past its deadline it is a breach.
    count, _ = store.breaches(since=T0, now=warning.deadline + 1)
    assert count == 1


def test_no_robot_call_later_than_the_deadline_less_one_retry_interval(where: str) -> None:
    store = _store(where)
    # 40 minutes: calls at 0 and 15; one at 30 would be later than 40 - 15.
    store.update_level_policy("medium", {"first_contact_minutes": 40}, user="lead-1")
    wid = _arrive(store, 1)
    _call(store, Answer(False), now=T0)
    _call(store, Answer(False), now=T0 + 15 * 60 + 20)
    calls = store.robot_calls(wid)
    assert len(calls) == 2 and calls[-1]["handed"] == rules.NO_ANSWER
    assert store.warning(wid).claimed_by is None


def test_a_failed_call_is_retried_and_reported(where: str) -> None:
    store = _store(where)
    wid = _arrive(store, 1)
    assert _call(store, None, now=T0, detail="外呼命令超时 / timed out") == rules.FAILED
    first = store.robot_calls(wid)[0]
    assert (first["result"], first["detail"]) == ("failed", "外呼命令超时 / timed out")
    assert store.robot_calls(wid)[1]["state"] == "due"
    assert "timed out" in store.get(wid).attempts[0].notes
    assert store.warning(wid).claimed_by == "robot"


def test_a_call_whose_line_vanished_is_a_failed_call(where: str) -> None:
    store = _store(where)
    wid = _arrive(store, 1)
    job = store.robot_take(hub=HUB, line_no=1, timeout=30, now=T0)
    assert job is not None
    store.robot_tick(hub="hub-other", lines=1, now=job.lease_until + 1)
    assert store.robot_calls(wid)[0]["result"] == rules.FAILED
    # The dead line's late answer changes nothing more.
    assert store.robot_finish(job, Answer(True, "1", 5), hub=HUB, line_no=1,
                              now=job.lease_until + 2) == rules.FAILED
    assert store.warning(wid).status == "claimed"


def test_a_linked_arrival_of_another_level_sends_the_person_to_people(where: str) -> None:
    store = _store(where, robot_sample_rate=0)
    waiting = _arrive(store, 1)
    linked = _arrive(store, 2, level="high", phone="13900000001", external_id="X-2")
    assert {store.warning(w).claimed_by for w in (waiting, linked)} == {None}
    assert store.robot_calls(waiting)[-1]["handed"] == rules.LINKED_LEVEL

    # During a call: after it (the call's answer still counts for its warnings).
    calling = _arrive(store, 3)
    job = store.robot_take(hub=HUB, line_no=1, timeout=30, now=T0 + 5)
    assert job is not None
    during = _arrive(store, 4, level="emergency", phone="13900000003", external_id="X-4",
                     now=T0 + 6)
    assert store.warning(during).claimed_by == "robot"  # nobody else calls them meanwhile
    store.robot_finish(job, Answer(True, "1", 8), hub=HUB, line_no=1, now=T0 + 20)
    assert store.warning(calling).status == "closed"
    assert (store.warning(during).status, store.warning(during).claimed_by) == ("new", None)
    assert store.robot_calls(calling)[-1]["handed"] == rules.LINKED_LEVEL
    assert store.queue(user="officer-a", now=T0 + 21)[0].id == during


def test_the_robot_calls_a_person_only_when_every_open_warning_is_of_its_levels(where: str) -> None:
    store = _store(where)
    high = _arrive(store, 1, level="high")
    low = _arrive(store, 2, level="low", phone="13900000001", external_id="X-2")
    assert store.warning(low).claimed_by is None and store.warning(high).claimed_by is None
    assert store.robot_calls(low) == []


def test_the_policys_robot_lines_are_the_calls_at_once(where: str) -> None:
    store = _store(where, robot_lines=1)
    _arrive(store, 1)
    _arrive(store, 2)
    assert store.robot_take(hub=HUB, line_no=1, timeout=30, now=T0) is not None
    assert store.robot_take(hub=HUB, line_no=2, timeout=30, now=T0) is None


def test_the_report_has_the_robots_section_and_people_apart(where: str) -> None:
    store = _store(where, robot_sample_rate=0)
    _arrive(store, 1)
    _arrive(store, 2)
    _call(store, Answer(True, "1", 10), now=T0 + 1)
    _call(store, Answer(False), now=T0 + 2)
    store.robot_tick(hub=HUB, lines=4, now=T0 + 50)
    report = store.shift_report(start=T0 - 3600, end=T0 + 3600, user="lead-1", now=T0 + 60)
    section = report["robot"]
    assert section["by_result"] == {"confirmed": 1, "no_answer": 1}
    assert (section["confirmed"], section["closed"], section["lines_on"]) == (1, 1, 4)
    assert section["share_of_dissuaded"] == 1.0
    assert all(o["officer"] != "robot" for o in report["officers"])
    assert report["summary"]["officers_on_duty"] == 0


# -- the property ----------------------------------------------------------------------------

LEVELS = ("emergency", "high", "medium", "low")
step = st.one_of(
    st.tuples(st.just("arrive"), st.integers(0, 5), st.sampled_from(LEVELS), st.booleans()),
    st.tuples(st.just("take"), st.integers(1, 3)),
    st.tuples(st.just("finish"), st.integers(1, 3),
              st.sampled_from([None, Answer(False), Answer(True, "1", 20),
                               Answer(True, "0", 20), Answer(True, "", 3)])),
    st.tuples(st.just("wait"), st.integers(1, 40)),
    st.tuples(st.just("officer"),),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=30))
def test_no_one_is_robot_called_twice_at_once_nor_an_emergency_first_nor_synthetic(
        tmp_path_factory: pytest.TempPathFactory, steps: list[tuple[object, ...]]) -> None:
    _run(_store(tmp_path_factory.mktemp("robot") / "robot.db", robot_sample_rate=0.5), steps)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=30))
def test_the_same_on_postgresql(pg_server: Any, steps: list[tuple[object, ...]]) -> None:
    _run(_store(pg_server.new_centre(), robot_sample_rate=0.5), steps)


def _run(store: Store, steps: list[tuple[object, ...]]) -> None:
    now, n = T0, 0
    calling: dict[int, object] = {}
    emergencies_first: set[int] = set()
    try:
        for item in steps:
            now += 1
            if item[0] == "arrive":
                n += 1
                _kind, person, level, synthetic = item
                data = warning_data(n, phone=f"1390000000{person}", risk_level=level,
                                    synthetic=synthetic)
                w = store.add_warning(data, actor="feed-1", now=now)[0]
                if level == "emergency":
                    emergencies_first.add(int(w.id))
            elif item[0] == "take":
                line = int(item[1])  # type: ignore[call-overload]
                if line in calling:
                    continue
                job = store.robot_take(hub=HUB, line_no=line, timeout=30, now=now)
                if job is None:
                    continue
                calling[line] = job
                held = [store.warning(i) for i in job.settles]
                assert all(not w.synthetic for w in held), "a synthetic warning robot-called"
                assert not set(job.settles) & emergencies_first, "an emergency robot-called"
                phones = [j.phone for j in calling.values()]  # type: ignore[attr-defined]
                assert len(phones) == len(set(phones)), "a person robot-called twice at once"
            elif item[0] == "finish":
                job = calling.pop(int(item[1]), None)  # type: ignore[call-overload]
                if job is not None:
                    store.robot_finish(job, item[2], hub=HUB, line_no=int(item[1]),  # type: ignore[arg-type, call-overload]
                                       voice_seconds=10, now=now)
            elif item[0] == "wait":
                now += 60.0 * int(item[1])  # type: ignore[call-overload]
                store.robot_tick(hub=HUB, lines=4, now=now)
            else:
                claimed = store.claim_next(user="officer-a", now=now)
                if claimed is not None:
                    assert claimed.claimed_by == "officer-a"
                    assert not any(j.phone == claimed.phone  # type: ignore[attr-defined]
                                   and (j.lease_until > now)  # type: ignore[attr-defined]
                                   for j in calling.values()), "an officer and the robot at once"
                    store.release(claimed.id, user="officer-a", now=now)
            (live,) = store.conn.execute(
                "SELECT count(*) FROM (SELECT phone FROM robot_calls WHERE state = 'calling' "
                "AND lease_until >= ? GROUP BY phone HAVING count(*) > 1) AS twice",
                (now,)).fetchone()
            assert live == 0
        # Every warning the robot ever called: of its levels at the time, never synthetic, and
        # an emergency never had the robot's call before a person's.
        for wid, officer, synthetic in store.conn.execute(
                "SELECT a.warning_id, a.officer, w.synthetic FROM attempts a JOIN warnings w "
                "ON w.id = a.warning_id ORDER BY a.id"):
            if officer == "robot":
                assert synthetic == 0
                assert wid not in emergencies_first
    finally:
        store.close()


def test_nobody_can_be_a_user_called_robot(where: str) -> None:
    from dissuade.domain.errors import InvalidInput

    store = Store(where)
    with pytest.raises(InvalidInput, match="robot"):
        store.add_user("robot", role="officer")


def test_a_lead_turning_the_robot_off_sends_its_waiting_people_to_people(where: str) -> None:
    store = _store(where)
    wid = _arrive(store, 1)
    store.update_settings({"robot_first_levels": []}, user="lead-1")
    assert store.robot_take(hub=HUB, line_no=1, timeout=30, now=T0 + 1) is None
    assert store.robot_calls(wid)[-1]["handed"] == rules.ROBOT_OFF
    assert store.queue_size(user="officer-a", now=T0 + 1) == 1


def test_a_synthetic_warning_for_a_person_the_robot_holds_sends_them_to_people(
        where: str) -> None:
    # Found by the property above: a synthetic warning joined the robot's claim and was called.
    store = _store(where, robot_sample_rate=0)
    real = _arrive(store, 1)
    job = store.robot_take(hub=HUB, line_no=1, timeout=30, now=T0 + 1)
    assert job is not None
    demo = int(store.add_warning(warning_data(2, phone="13900000001", risk_level="medium"),
                                 actor="feed-1", now=T0 + 2)[0].id)
    store.robot_finish(job, Answer(True, "1", 9), hub=HUB, line_no=1, now=T0 + 10)
    assert store.warning(real).status == "closed"
    assert store.get(demo).attempts == ()  # never robot-called
    assert (store.warning(demo).status, store.warning(demo).claimed_by) == ("new", None)
