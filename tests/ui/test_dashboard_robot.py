"""The lead sees the robot on the dashboard: its lines in use, its calls by result, the warnings
it handed to people and why, and its share of the shift, apart from people's figures."""

from __future__ import annotations

import time
from pathlib import Path

from dissuade import open_source
from dissuade.domain import timeutil
from dissuade.domain.robot import Answer
from dissuade.store import Store
from tests.conftest import warning_data
from ui.common.ops import Runner
from ui.dashboard.view import DashboardView


def _centre(path: Path) -> None:
    """Four robot calls this shift: two confirmed (key 1), one no answer, one key 0; one line
    calling now and one person waiting for a line."""
    store = Store(path)
    store.add_user("lead-1", role="lead")
    store.update_settings({"robot_hours": ["00:00", "24:00"], "robot_sample_rate": 0},
                          user="lead-1")
    policy = store.policy()
    now = time.time()
    start, _end = timeutil.current_shift(now, tz=policy.timezone, starts=policy.shift_starts)
    t = max(start + 1, now - 600)
    store.robot_tick(hub="hub-a", lines=2, now=t)
    for n, answer in enumerate((Answer(True, "1", 30), Answer(True, "1", 25), Answer(False),
                                Answer(True, "0", 12)), start=1):
        store.add_warning(warning_data(n, synthetic=False, risk_level="low"), actor="feed",
                          now=t + n)
        job = store.robot_take(hub="hub-a", line_no=1, timeout=60, now=t + n)
        assert job is not None
        store.robot_finish(job, answer, hub="hub-a", line_no=1, voice_seconds=20, now=t + n + 5)
    store.robot_tick(hub="hub-a", lines=2, now=time.time())
    for n in (8, 9):
        store.add_warning(warning_data(n, synthetic=False, risk_level="medium"), actor="feed")
    assert store.robot_take(hub="hub-a", line_no=2, timeout=60) is not None
    store.close()


def test_the_dashboard_shows_the_robots_first_pass(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "robot.db"
    _centre(path)
    source, runner = open_source(path, user="lead-1"), Runner()
    view = DashboardView(source, runner, lang="zh")
    qtbot.addWidget(view)
    try:
        qtbot.waitUntil(lambda: view.policy.loaded)
        with qtbot.waitSignal(view.dashboard_did_refresh, timeout=10_000):
            view.refresh()
        shown = view.robot_box.text()
        assert "2 条线路中 1 条通话中" in shown and "1 人等待线路" in shown and "1 人稍后重拨" in shown
        assert "机器人外呼结果（4）" in shown
        assert "按1确认  2" in shown and "未接通  1" in shown and "按0求助  1" in shown
        assert "转人工及原因（1）" in shown and "按0求助  1" in shown
        assert "按1办结 2 条" in shown
        view.set_lang("en")  # the results' names follow the language (the window's translator
        shown = view.robot_box.text()  # the headings)
        assert "pressed 1  2" in shown and "not answered  1" in shown
    finally:
        view.stop()
        view.close()
        runner.wait()
        source.close()
