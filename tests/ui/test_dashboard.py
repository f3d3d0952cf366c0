"""The lead's dashboard: hand-counted figures on tiles, charts and tables; deciding escalations."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from dissuade import open_source
from dissuade.domain import timeutil
from dissuade.domain.errors import DatabaseBusy
from dissuade.domain.policy import DEFAULT_LEVELS, Policy
from dissuade.sources import Source
from dissuade.store import Store
from tests.conftest import warning_data
from ui.common.ops import Runner
from ui.dashboard.charts import bucket_hours
from ui.dashboard.models import OfficerModel, PendingModel, PendingRow, RepeatVictimModel
from ui.dashboard.view import DashboardView, period_bounds, tr

CARD = "6222021234567890123"
REPEAT_PHONE = "13812345678"
DISPLAY = Qt.ItemDataRole.DisplayRole


@dataclass
class Shift:
    path: Path
    start: float
    end: float
    ids: dict[str, int]
    escalation_id: int


@pytest.fixture
def shift(tmp_path: Path) -> Shift:
    """Five warnings in the current shift (and one the day before on the same phone), worked by
    two officers: 2 dissuaded, 1 already lost, 1 brainwashed (an automatic card-lock proposal),
    1 not called yet. Every time is given, so the counts below are exact."""
    path = tmp_path / "shift.db"
    store = Store(path)
    policy = store.policy()
    start, end = timeutil.current_shift(time.time(), tz=policy.timezone, starts=policy.shift_starts)
    if end - time.time() < 30:  # a handover is about to happen: count in the next shift
        time.sleep(end - time.time() + 1)
        start, end = timeutil.current_shift(time.time(), tz=policy.timezone,
                                            starts=policy.shift_starts)
    for name, role in (("lead-1", "lead"), ("officer-a", "officer"), ("officer-b", "officer")):
        store.add_user(name, role=role)
    t = start + 60
    ids: dict[str, int] = {}

    def add(key: str, n: int, at: float, **fields: object) -> None:
        warning, _ = store.add_warning(warning_data(n, **fields), actor="feed", now=at)
        ids[key] = int(warning.id)

    add("w0", 100, start - 25 * 3600, risk_level="low", scam_type="fake_shopping",
        phone=REPEAT_PHONE)
    add("w00", 101, start - 25 * 3600, risk_level="low", scam_type="fake_shopping")
    # The day before, w0's case closed: w5 on the same phone is a repeat victim.
    store.claim(ids["w0"], user="officer-b", now=start - 24 * 3600)
    store.record_attempt(ids["w0"], user="officer-b", outcome="already_lost",
                         now=start - 24 * 3600 + 30)
    add("w1", 1, t + 1, risk_level="emergency", scam_type="fake_customer_service",
        amount_at_risk=10000)
    add("w2", 2, t + 2, risk_level="high", scam_type="fake_investment", amount_at_risk=2500)
    add("w3", 3, t + 3, risk_level="emergency", scam_type="fake_loan", amount_at_risk=8000)
    add("w4", 4, t + 4, risk_level="high", scam_type="impersonating_authority",
        amount_at_risk=50000, cards=[CARD], name="李四海")
    add("w5", 5, t + 5, risk_level="low", scam_type="order_brushing", phone=REPEAT_PHONE)

    def call(officer: str, key: str, outcome: str, begin: float, finish: float,
             **extra: Any) -> None:
        store.claim(ids[key], user=officer, now=begin)
        store.record_attempt(ids[key], user=officer, outcome=outcome, started_at=begin,
                             ended_at=finish, now=finish, **extra)

    call("officer-a", "w1", "dissuaded", t + 10, t + 70)  # 60 s
    call("officer-b", "w3", "already_lost", t + 20, t + 50, amount_lost=8000)  # 30 s
    call("officer-a", "w2", "no_answer", t + 80, t + 200)  # 120 s
    call("officer-a", "w4", "brainwashed", t + 210, t + 300)  # 90 s: proposes a card lock
    call("officer-b", "w2", "dissuaded", t + 400, t + 490)  # 90 s
    (escalation,) = store.pending_escalations()
    store.close()
    return Shift(path, start, end, ids, int(escalation.id))


@pytest.fixture
def make_view(qtbot) -> Iterator[Callable[..., DashboardView]]:  # type: ignore[no-untyped-def]
    made: list[tuple[DashboardView, Runner, Source]] = []

    def make(path: Path, *, user: str = "lead-1", lang: str = "zh") -> DashboardView:
        source = open_source(path, user=user)
        runner = Runner()
        view = DashboardView(source, runner, lang=lang)
        qtbot.addWidget(view)
        qtbot.waitUntil(lambda: view.policy.loaded)  # its policy loads off the UI thread
        made.append((view, runner, source))
        return view

    yield make
    for view, runner, source in made:
        view.stop()
        view.close()
        runner.wait()
        source.close()


def load(qtbot, view: DashboardView) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.dashboard_did_refresh, timeout=10_000) as blocker:
        view.refresh()
    report: dict[str, Any] = blocker.args[0]
    return report


def tile(view: DashboardView, key: str) -> str:
    return view.tiles[key].text()


def column(model: Any, key: str) -> list[str]:
    col = model.column(key)
    return [model.index(row, col).data(DISPLAY) for row in range(model.rowCount())]


def test_a_lead_sees_the_hand_counted_shift(qtbot, shift: Shift,  # type: ignore[no-untyped-def]
                                            make_view: Callable[..., DashboardView]) -> None:
    view = make_view(shift.path)
    assert view.objectName() == "dashboardView"
    report = load(qtbot, view)
    assert report["stats"]["received"] == 5

    # The tiles, dissuasion first.
    assert list(view.tiles) [:3] == ["dissuaded", "already_lost", "dissuasion_rate"]
    assert tile(view, "dissuaded") == "2"
    assert tile(view, "already_lost") == "1"
    assert tile(view, "dissuasion_rate") == "66.7%"
    assert tile(view, "loss_avoided") == "12,500"
    assert tile(view, "received") == "5"
    assert tile(view, "handled") == "4"
    assert tile(view, "within_time_limit_rate") == "100.0%"  # the untried low one is not due
    assert tile(view, "time_limit_breaches") == "0"
    assert tile(view, "escalations_pending") == "1"
    assert tile(view, "backlog") == "2 / 1"  # yesterday's other warning is open and overdue
    assert view.tiles["escalations_pending"].alert and view.tiles["backlog"].alert
    assert not view.tiles["dissuaded"].alert

    # The charts: arrivals stacked by level add up to what arrived.
    totals = view.arrivals_chart.totals()
    assert totals == {"emergency": 2, "high": 2, "medium": 0, "low": 1}
    assert sum(totals.values()) == report["stats"]["received"]
    assert len(view.arrivals_chart.axis_x.categories()) == len(report["hourly"]) == 12
    first_hour = timeutil.local_text(shift.start, report["timezone"], fmt="%H:%M")
    assert view.arrivals_chart.axis_x.categories()[0] == first_hour
    assert view.outcomes_chart.categories() == ["劝阻成功", "已被骗", "无人接听",
                                                "拒不听劝/疑似被洗脑"]
    assert view.outcomes_chart.values() == [2, 1, 1, 1]
    assert sorted(view.scam_chart.values()) == [1, 1, 1, 1, 1]
    assert "冒充公检法" in view.scam_chart.categories()
    (dissuasion,) = view.rates_chart.points("dissuasion_rate")
    assert dissuasion == (0, pytest.approx(200 / 3))
    assert view.rates_chart.points("within_time_limit_rate") == [(0, 100.0)]

    # Officers: who handled what, their mean call, their outcomes.
    officers = view.officer_model
    assert column(officers, "officer") == ["officer-a", "officer-b"]
    assert column(officers, "handled") == ["3", "2"]
    assert column(officers, "attempts") == ["3", "2"]
    assert column(officers, "mean") == ["1:30", "1:00"]
    assert column(officers, "dissuaded") == ["1", "1"]
    assert column(officers, "breaches") == ["0", "0"]
    assert column(officers, "outcomes") == ["劝阻成功 1 · 无人接听 1 · 拒不听劝/疑似被洗脑 1",
                                            "劝阻成功 1 · 已被骗 1"]
    assert column(officers, "reviews") == ["0 / 0", "0 / 0"]

    # The proposal waiting for a decision, cards masked, with its warning.
    pending = view.pending_model
    assert pending.rowCount() == 1
    assert column(pending, "id") == [str(shift.escalation_id)]
    assert column(pending, "kind") == ["止付锁卡"]
    assert column(pending, "cards") == ["6222 **** **** 0123"]
    assert column(pending, "amount") == ["50,000"]
    assert column(pending, "warning") == [f"#{shift.ids['w4']} 李** 冒充公检法"]
    assert column(pending, "proposed_by") == [tr("%1 · automatic").replace("%1", "officer-a")]
    assert column(pending, "reason") == ["拒不听劝/疑似被洗脑"]

    # Repeat victims of the shift: the phone seen yesterday.
    repeat = view.repeat_model
    assert column(repeat, "warning_id") == [str(shift.ids["w5"])]
    assert column(repeat, "phone") == ["138 **** 5678"]
    assert column(repeat, "earlier") == ["1"]
    assert column(repeat, "scam_type") == ["刷单返利"]
    assert column(repeat, "status") == ["待处置"]

    # The period in the centre's time, and when it was loaded.
    assert view.period_text.text().startswith(
        timeutil.local_text(shift.start, report["timezone"], fmt="%m-%d %H:%M"))
    assert view.updated.text() == tr("Updated %1").replace("%1", timeutil.local_text(
        timeutil.parse(report["generated_at"]), report["timezone"], fmt="%H:%M:%S"))


def test_approving_from_the_dashboard_decides_it_at_once(  # type: ignore[no-untyped-def]
        qtbot, shift: Shift, make_view: Callable[..., DashboardView]) -> None:
    view = make_view(shift.path)
    load(qtbot, view)
    approve = view.findChild(QPushButton, "dashboardApproveButton")
    note = view.findChild(QLineEdit, "dashboardDecisionNote")
    assert not approve.isEnabled()  # nothing selected yet
    assert view.select_escalation(shift.escalation_id)
    assert approve.isEnabled()
    note.setText("同意止付，联系银行")
    with qtbot.waitSignal(view.escalation_did_decide, timeout=10_000) as decided:
        qtbot.mouseClick(approve, Qt.MouseButton.LeftButton)
        assert view.pending_model.rowCount() == 0  # gone at once, before the source answers
        assert tile(view, "escalations_pending") == "0"
    assert decided.args[0].id == shift.escalation_id
    assert decided.args[0].status == "approved"
    store = Store(shift.path)
    try:
        escalation = store.escalation(shift.escalation_id)
    finally:
        store.close()
    assert (escalation.status, escalation.decided_by, escalation.decision_note) == \
        ("approved", "lead-1", "同意止付，联系银行")
    assert note.text() == ""
    # The next load does not bring it back.
    view.min_interval = 0
    load(qtbot, view)
    assert view.pending_model.rowCount() == 0
    assert not view.tiles["escalations_pending"].alert


def test_a_rejection_needs_a_note(qtbot, shift: Shift,  # type: ignore[no-untyped-def]
                                  make_view: Callable[..., DashboardView]) -> None:
    view = make_view(shift.path)
    load(qtbot, view)
    reject = view.findChild(QPushButton, "dashboardRejectButton")
    view.select_escalation(shift.escalation_id)
    with qtbot.assertNotEmitted(view.escalation_did_decide, wait=200):
        qtbot.mouseClick(reject, Qt.MouseButton.LeftButton)
    assert view.message.text() == tr("A rejection needs a note: say why.")
    assert view.pending_model.rowCount() == 1
    view.note_edit.setText("已联系本人，确认非诈骗")
    with qtbot.waitSignal(view.escalation_did_decide, timeout=10_000) as decided:
        qtbot.mouseClick(reject, Qt.MouseButton.LeftButton)
    assert decided.args[0].status == "rejected"
    assert view.pending_model.rowCount() == 0


def test_a_refused_decision_brings_the_row_back_with_the_error(  # type: ignore[no-untyped-def]
        qtbot, shift: Shift, make_view: Callable[..., DashboardView],
        monkeypatch: pytest.MonkeyPatch) -> None:
    view = make_view(shift.path)
    load(qtbot, view)

    def busy(escalation_id: int, *, decision: str, note: str = "") -> None:
        raise DatabaseBusy("数据库忙 / the database is busy")

    monkeypatch.setattr(view.source, "decide_escalation", busy)
    view.select_escalation(shift.escalation_id)
    view.note_edit.setText("同意")
    with qtbot.waitSignal(view.runner.did_finish, timeout=10_000):
        view.approve_button.click()
        assert view.pending_model.rowCount() == 0
    assert view.pending_model.rowCount() == 1
    assert tile(view, "escalations_pending") == "1"
    assert "the database is busy" in view.message.text()
    assert view.note_edit.text() == "同意"  # the lead's note is not lost
    assert view.select_escalation(shift.escalation_id)


def test_an_escalation_decided_by_another_lead_stays_gone(  # type: ignore[no-untyped-def]
        qtbot, shift: Shift, make_view: Callable[..., DashboardView]) -> None:
    view = make_view(shift.path)
    load(qtbot, view)
    other = open_source(shift.path, user="lead-1")
    other.decide_escalation(shift.escalation_id, decision="reject", note="已处理")
    other.close()
    view.select_escalation(shift.escalation_id)
    with qtbot.waitSignal(view.runner.did_finish, timeout=10_000):
        view.approve_button.click()
    assert view.pending_model.rowCount() == 0
    said = tr("Escalation %1 was already decided: %2").replace("%1", str(shift.escalation_id))
    assert view.message.text().startswith(said.split("%2")[0])
    assert "rejected" in view.message.text()  # the source's own words: what became of it


def test_an_officer_sees_why_not_a_crash(qtbot, shift: Shift,  # type: ignore[no-untyped-def]
                                         make_view: Callable[..., DashboardView]) -> None:
    view = make_view(shift.path, user="officer-a")
    with qtbot.waitSignal(view.message_did_change, timeout=10_000) as said:
        view.refresh()
    assert said.args[0].startswith(tr("Could not load the dashboard: %1").replace("%1", ""))
    assert "officer" in said.args[0]
    assert view.message.isVisibleTo(view)
    assert tile(view, "received") == "—"


def test_refresh_runs_one_load_at_a_time_and_throttles(  # type: ignore[no-untyped-def]
        qtbot, shift: Shift, make_view: Callable[..., DashboardView]) -> None:
    view = make_view(shift.path)
    view.min_interval = 0.6
    loads: list[float] = []
    view.dashboard_did_refresh.connect(lambda _report: loads.append(time.monotonic()))
    begun = time.monotonic()
    for _ in range(5):  # a burst of changes from the live watch
        view.refresh()
        assert view.runner.busy <= 1
    qtbot.waitUntil(lambda: len(loads) == 2, timeout=10_000)
    qtbot.wait(900)
    assert len(loads) == 2  # the burst made one load now and one after the quiet time
    assert loads[1] - begun >= 0.6


def test_start_loads_and_stop_ends_the_timers(qtbot, shift: Shift,  # type: ignore[no-untyped-def]
                                              make_view: Callable[..., DashboardView]) -> None:
    """No polling: news reloads it; the one timer for time alone waits for the shift's end."""
    view = make_view(shift.path)
    view.show()
    with qtbot.waitSignal(view.dashboard_did_refresh, timeout=10_000):
        view.start()
    repeating = [t for t in view.findChildren(QTimer) if t.isActive() and not t.isSingleShot()]
    assert repeating == [view._tick_timer]  # the waiting times tick: drawing, not loading
    assert view._edge_timer.isActive()
    now = time.time()
    assert abs(now + view._edge_timer.remainingTime() / 1000 - view.next_edge(now) - 1.0) < 2.0
    view.stop()
    assert not any(t.isActive() for t in view.findChildren(QTimer))


def test_the_period_selector_counts_the_previous_shift(  # type: ignore[no-untyped-def]
        qtbot, shift: Shift, make_view: Callable[..., DashboardView]) -> None:
    view = make_view(shift.path)
    load(qtbot, view)
    with qtbot.waitSignal(view.dashboard_did_refresh, timeout=10_000) as blocker:
        view.period_box.setCurrentIndex(view.period_box.findData("previous"))
    report = blocker.args[0]
    previous = timeutil.current_shift(shift.start - 1, tz=report["timezone"], starts=(8, 20))
    assert (timeutil.parse(report["from"]), timeutil.parse(report["to"])) == previous
    assert tile(view, "received") == "0"
    assert view.pending_model.rowCount() == 1  # waiting now, whatever the period
    with qtbot.waitSignal(view.dashboard_did_refresh, timeout=10_000) as blocker:
        view.period_box.setCurrentIndex(view.period_box.findData("last24"))
    assert timeutil.parse(blocker.args[0]["to"]) - timeutil.parse(blocker.args[0]["from"]) == 86400
    # A day of hours is drawn in buckets that keep their labels readable.
    assert len(view.arrivals_chart.axis_x.categories()) <= 24
    assert sum(view.arrivals_chart.totals().values()) == blocker.args[0]["stats"]["received"]


def test_period_bounds() -> None:
    policy = Policy(levels={p.level: p for p in DEFAULT_LEVELS})
    now = timeutil.parse("2026-03-10T09:30:00+08:00")
    assert period_bounds("current", now=now, policy=policy) == (None, None)
    assert period_bounds("previous", now=now, policy=policy) == (
        timeutil.parse("2026-03-09T20:00:00+08:00"), timeutil.parse("2026-03-10T08:00:00+08:00"))
    assert period_bounds("last24", now=now, policy=policy) == (
        timeutil.parse("2026-03-09T10:00:00+08:00"), timeutil.parse("2026-03-10T10:00:00+08:00"))


def test_hours_join_into_buckets_that_recount_the_rates() -> None:
    hours = [{"hour": f"2026-03-10T{h:02d}:00:00+00:00", "emergency": 1, "high": 0, "medium": 0,
              "low": 0, "dissuaded": h % 2, "already_lost": 1 - h % 2, "judged": 1,
              "in_time": 1} for h in range(24)]
    joined = bucket_hours(hours, most=12)
    assert len(joined) == 12
    assert joined[0]["hour"] == hours[0]["hour"]
    assert joined[0]["emergency"] == 2
    assert joined[0]["dissuasion_rate"] == 0.5
    assert joined[0]["within_time_limit_rate"] == 1.0


def test_the_language_switches(qtbot, shift: Shift,  # type: ignore[no-untyped-def]
                               make_view: Callable[..., DashboardView]) -> None:
    view = make_view(shift.path)
    load(qtbot, view)
    view.set_lang("en")
    assert column(view.pending_model, "kind") == ["Card lock / stop payment"]
    assert column(view.pending_model, "reason") == ["refuses to listen"]
    assert view.outcomes_chart.categories()[0] == "Dissuaded"
    assert view.arrivals_chart.sets["emergency"].label() == "Emergency"
    view.set_lang("zh")
    assert view.outcomes_chart.categories()[0] == "劝阻成功"


def test_charts_are_reused_across_refreshes(qtbot, shift: Shift,  # type: ignore[no-untyped-def]
                                            make_view: Callable[..., DashboardView]) -> None:
    view = make_view(shift.path)
    view.min_interval = 0
    load(qtbot, view)
    before = [(len(c.chart().series()), len(c.chart().axes())) for c in view.charts]
    charts = [c.chart() for c in view.charts]
    for _ in range(3):
        load(qtbot, view)
    assert [(len(c.chart().series()), len(c.chart().axes())) for c in view.charts] == before
    assert [c.chart() for c in view.charts] == charts
    assert sum(view.arrivals_chart.totals().values()) == 5  # replaced, not appended


def test_the_demo_centre_loads_and_fits_1366(qtbot, demo_db: Path,  # type: ignore[no-untyped-def]
                                             make_view: Callable[..., DashboardView]) -> None:
    view = make_view(demo_db)
    view.resize(1366, 740)
    view.show()
    qtbot.waitExposed(view)
    report = load(qtbot, view)
    assert tile(view, "received") == f"{report['stats']['received']:,}"
    assert sum(view.arrivals_chart.totals().values()) == report["stats"]["received"]
    assert view.pending_model.rowCount() == report["stats"]["escalations_pending"]
    assert view.officer_model.rowCount() == len(report["officers"])
    assert view.scam_chart.bars.count() <= 9
    # Nothing cut: every tile shows its whole caption, and the page needs no sideways scroll.
    for key, t in view.tiles.items():
        assert t.caption.width() >= t.caption.sizeHint().width(), key
    assert view.page_scroll.horizontalScrollBar().maximum() == 0
    assert not view.grab().isNull()


def _demo_report(demo_db: Path) -> tuple[dict[str, Any], list[PendingRow]]:
    source = open_source(demo_db, user="lead-1")
    try:
        for kind in ("card_lock", "door_visit", "chase_call"):  # proposals waiting, whatever
            warning = source.claim_next()                       # the demo left
            assert warning is not None
            source.propose_escalation(warning.id, kind=kind, reason="拒不听劝 / refuses")
        now = time.time()
        report = source.shift_report(start=now - 4 * 86400, end=now + 1)  # every demo warning
        known = {e["id"]: e for e in report["escalations"]}
        pending = [PendingRow(e, known[e.id]["name"], known[e.id]["scam_type"])
                   for e in source.pending_escalations()]
    finally:
        source.close()
    return report, pending


def test_models_pass_qtmodeltester(qtmodeltester, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    report, pending = _demo_report(demo_db)
    officers = OfficerModel()
    officers.replace(report["officers"])
    assert officers.rowCount() > 0
    qtmodeltester.check(officers, force_py=True)
    waiting = PendingModel()
    waiting.replace(pending)
    assert waiting.rowCount() > 0
    qtmodeltester.check(waiting, force_py=True)
    repeat = RepeatVictimModel()
    repeat.replace(report["repeat_victims"])
    assert repeat.rowCount() > 0
    qtmodeltester.check(repeat, force_py=True)


def test_pending_rows_leave_and_come_back_in_place(demo_db: Path) -> None:
    _report, pending = _demo_report(demo_db)
    model = PendingModel()
    model.replace(pending[:3])
    middle = int(pending[1].escalation.id)
    taken = model.take(middle)
    assert taken is not None and taken[0] == 1 and model.rowCount() == 2
    model.put_back(*taken)
    assert [model.escalation_at(i).escalation.id for i in range(3)] == \
        [p.escalation.id for p in pending[:3]]  # type: ignore[union-attr]
    assert model.take(-1) is None


def test_the_view_is_a_plain_widget_for_the_window(qtbot, shift: Shift,  # type: ignore[no-untyped-def]
                                                   make_view: Callable[..., DashboardView]) -> None:
    view = make_view(shift.path)
    assert isinstance(view, QWidget)
    for name in ("dashboardApproveButton", "dashboardRejectButton"):
        assert view.findChild(QPushButton, name) is not None
    assert view.findChild(QLineEdit, "dashboardDecisionNote") is not None
    view.retranslate()  # before any load: no report to show, nothing breaks
    assert view.updated.text() == tr("Not loaded yet")
