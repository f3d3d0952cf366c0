"""The UI thread only draws: the guard itself, screens only for the roles that see them (a
trainer's window asks a hub nothing it may not), and a queue driven by news and by the one
moment it changes by time alone, never by polling."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction

from dissuade import open_source
from dissuade.domain.policy import DEFAULT_LEVELS
from dissuade.sources import Source
from dissuade.sources.http import HttpSource
from dissuade.store import Store
from tests.conftest import warning_data
from tests.hubs import FaultyProxy, ThreadHub, make_users
from tests.ui.conftest import screens_over_a_source
from tests.ui.guard import Guard, GuardedSource, UIThreadCall, unguarded
from ui import MainWindow, build_main_window
from ui.common.ops import Runner

LIVE_PATHS = {"/api/v1/queue", "/api/v1/queue/size", "/api/v1/events", "/api/v1/breaches",
              "/api/v1/escalations/holds", "/api/v1/escalations/active"}


# -- the guard ------------------------------------------------------------------------------

def test_a_source_call_on_the_ui_thread_fails_and_one_on_the_runner_passes(
        qtbot, local: Source) -> None:  # type: ignore[no-untyped-def]
    guard = Guard()
    guarded = guard.wrap(local)
    assert guarded.user == local.user and guarded.role == local.role  # attributes pass
    with pytest.raises(UIThreadCall, match=r"source\.queue_size\(\) on the UI thread"):
        guarded.queue_size()
    assert guard.violations
    guard.violations.clear()
    runner = Runner()
    with qtbot.waitSignal(runner.did_finish, timeout=10_000):
        runner.run(guarded.queue_size)
    assert guard.violations == [] and guard.count("queue_size") == 2


def test_every_screen_built_over_a_source_gets_a_guarded_one(
        make_window: Callable[..., MainWindow], demo_db: Path) -> None:
    names = {f"{c.__module__}.{c.__qualname__}" for c in screens_over_a_source()}
    for expected in ("ui.main_window.MainWindow", "ui.workbench.view.Workbench",
                     "ui.workbench.queue_model.QueueModel", "ui.escalations.view.EscalationsView",
                     "ui.dashboard.view.DashboardView", "ui.review.view.ReviewView",
                     "ui.audit.view.AuditView", "ui.rehearsal.view.RehearsalView",
                     "ui.centre.policy_dialog.PolicyDialog", "ui.centre.report_dialog.ReportDialog",
                     "ui.centre.alerts.AlertWatch", "ui.common.live.LiveWatch",
                     "ui.common.policy.PolicySnapshot", "ui.review.history_dialog.HistoryDialog"):
        assert expected in names, expected
    window = make_window(demo_db, user="lead-1")
    for screen in (window, window.workbench, window.dashboard, window.review, window.audit,
                   window.rehearsal, window.escalations, window.live, window.policy):
        assert isinstance(screen.source if hasattr(screen, "source")  # type: ignore[union-attr]
                          else screen._source, GuardedSource)  # type: ignore[union-attr]


# -- screens for the roles that see them ------------------------------------------------------

def _centre(tmp_path: Path) -> Path:
    db = tmp_path / "centre.db"
    make_users(db, {"officer-a": "officer", "lead-1": "lead", "trainer-1": "trainer",
                    "admin-1": "admin", "feed-1": "feed"})
    return db


def _tabs(window: MainWindow) -> list[str]:
    return [window.tabs.widget(i).objectName() for i in range(window.tabs.count())]


def _keys(window: MainWindow) -> set[str]:
    return {a.shortcut().toString() for a in window.findChildren(QAction)
            if not a.shortcut().isEmpty()}


@pytest.mark.parametrize(("user", "tabs"), [
    ("officer-a", ["workbench", "escalationsView", "rehearsalView"]),
    ("lead-1", ["workbench", "escalationsView", "dashboardView", "roomView", "forecastView",
                "reviewView", "auditView", "rehearsalView"]),
    ("trainer-1", ["rehearsalView"]),
    ("admin-1", ["auditView"]),
    ("feed-1", ["noScreens"]),
])
def test_each_role_gets_only_its_screens_menus_and_keys(
        make_window: Callable[..., MainWindow], tmp_path: Path, user: str,
        tabs: list[str]) -> None:
    window = make_window(_centre(tmp_path), user=user)
    assert _tabs(window) == tabs
    works = "workbench" in tabs
    assert (window.workbench is not None) == works
    assert (window.live is not None) == works  # nobody else long-polls
    assert (window.centre.watch is not None) == works
    keys = _keys(window)
    assert ("F5" in keys) == works  # refreshing a queue that is not there: no key
    assert ("Ctrl+R" in keys) == ("rehearsalView" in tabs)  # playbooks: workbench or rehearsal
    assert {"Ctrl+Q", "F1"} <= keys
    assert (window.centre.policy_action is not None) == (user == "lead-1")
    assert (window.centre.gateways_action is not None) == works


@pytest.mark.parametrize(("role", "asks"), [
    ("trainer", {"/api/v1/me", "/api/v1/policy", "/api/v1/rehearsals"}),
    ("admin", {"/api/v1/me", "/api/v1/policy", "/api/v1/audit"}),
])
def test_a_trainers_or_admins_window_on_a_hub_asks_nothing_it_may_not(
        qtbot, tmp_path: Path, role: str, asks: set[str]) -> None:  # type: ignore[no-untyped-def]
    db = _centre(tmp_path)
    tokens = make_users(db, {"someone": role})
    hub = ThreadHub(db, tokens).start()
    proxy = FaultyProxy(hub.url).start()
    try:
        source = HttpSource(proxy.url, token=tokens["someone"],
                            outbox_path=str(tmp_path / "outbox.db"))
        window = build_main_window(source, settings=QSettings(
            str(tmp_path / "s.ini"), QSettings.Format.IniFormat), lang="zh")
        qtbot.addWidget(window)
        loaded = window.rehearsal.results.did_refresh if window.rehearsal is not None \
            else window.audit.entries_did_load  # type: ignore[union-attr]
        with qtbot.waitSignal(loaded, timeout=10_000):
            window.show()
        qtbot.wait(3_000)  # the window left open: no timer asks anything
        asked = [path for _method, path in proxy.seen]
        assert not LIVE_PATHS & set(asked), asked
        assert [a for a in proxy.answered if a[2] >= 400] == []  # no 403, nothing refused
        assert set(asked) <= asks, asked
        window.close()
        source.close()
    finally:
        proxy.stop()
        hub.stop()


# -- the queue: news, and the one moment it changes by time alone -------------------------------

@pytest.fixture(params=["local", "hub"])
def officer_window(request: pytest.FixtureRequest, qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                   ) -> Iterator[tuple[MainWindow, Path]]:
    db = _centre(tmp_path)
    hub = None
    if request.param == "hub":
        hub = ThreadHub(db, make_users(db, {"officer-z": "officer"})).start()
        source: Source = HttpSource(hub.url, token=hub.tokens["officer-z"],
                                    outbox_path=str(tmp_path / "outbox.db"))
    else:
        source = open_source(db, user="officer-a")
    window = build_main_window(source, settings=QSettings(
        str(tmp_path / "s.ini"), QSettings.Format.IniFormat), lang="zh")
    qtbot.addWidget(window)
    if window.live is not None:
        window.live.poll_seconds = 2.0  # the hub then stops without waiting out a long poll
    yield window, db
    window.close()
    source.close()
    if hub is not None:
        hub.stop()


def test_a_retry_coming_due_appears_on_time_without_polling(
        qtbot, officer_window: tuple[MainWindow, Path], ui_thread_guard: Guard) -> None:  # type: ignore[no-untyped-def]
    window, db = officer_window
    bench, live = window.workbench, window.live
    assert bench is not None and live is not None
    with qtbot.waitSignal(live.connection_did_change, timeout=10_000):
        window.show()  # the watch has looked once
    qtbot.waitUntil(lambda: not bench.model.loading)
    assert bench.model.size == 0
    # Another officer calls a warning with no answer; its retry falls due a second from now.
    retry = next(p for p in DEFAULT_LEVELS if p.level == "high").retry_no_answer_minutes * 60
    store = Store(db)
    wid = int(store.add_warning(warning_data(1), actor="feed")[0].id)
    now = time.time()
    then = now + 1.0 - retry
    store.claim(wid, user="officer-b", now=then)
    store.record_attempt(wid, user="officer-b", outcome="no_answer", now=then)
    store.close()
    due = now + 1.0
    calls = ui_thread_guard.count("queue")
    qtbot.waitUntil(lambda: bench.model.size == 1, timeout=5_000)
    shown = time.time()
    assert bench.model.warning_at(0).id == wid  # type: ignore[union-attr]
    assert shown - due < 0.6, f"shown {shown - due:.2f} s after it fell due"
    # News of the outcome, then the moment itself: no loads on a beat in between.
    assert ui_thread_guard.count("queue") - calls <= 3
    calls = ui_thread_guard.count("queue")
    qtbot.wait(2_500)  # nothing changes and nothing falls due: nothing is asked
    assert ui_thread_guard.count("queue") == calls
    assert bench.model.warning_at(0).id == wid  # type: ignore[union-attr]


def test_news_reloads_the_queue_and_f5_still_does(
        qtbot, officer_window: tuple[MainWindow, Path], ui_thread_guard: Guard) -> None:  # type: ignore[no-untyped-def]
    window, db = officer_window
    bench, live = window.workbench, window.live
    assert bench is not None and live is not None and window.refresh_action is not None
    # The watch's first look is news too (a reload): in before the warning is added, so that
    # the reload waited for below is the one the warning's news makes.
    with qtbot.waitSignal(live.queue_did_change, timeout=10_000):
        window.show()
    qtbot.waitUntil(lambda: not bench.model.loading)
    store = Store(db)
    store.add_warning(warning_data(7, risk_level="emergency"), actor="feed")
    store.close()
    with qtbot.waitSignal(bench.model.queue_did_load, timeout=5_000,
                          check_params_cb=lambda size: size == 1):
        pass  # the live watch heard it: no timer involved
    calls = ui_thread_guard.count("queue")
    with qtbot.waitSignal(bench.model.queue_did_load, timeout=5_000):
        window.refresh_action.trigger()  # F5
    assert ui_thread_guard.count("queue") == calls + 1
    assert unguarded(window.source).queue_size() == 1
