"""The lead's staffing forecast on screen: the 排班预测 tab forecasts the next shift off the UI
thread, draws officers per hour with people only and with the robot, and says how much history
it used and what it assumed. Officers have no such tab."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCharts import QBarSeries, QChartView
from PySide6.QtWidgets import QLabel, QTableWidget, QWidget

from dissuade import open_source
from ui import MainWindow


def test_the_lead_sees_the_next_shifts_officers(
        qtbot, make_window: Callable[..., MainWindow], demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(demo_db, user="lead-wang")
    window.show()
    view = window.findChild(QWidget, "forecastView")
    assert view is not None
    assert window.tabs.tabText(window.tabs.indexOf(view)) == "排班预测"
    with qtbot.waitSignal(view.forecast_did_load, timeout=15_000):
        window.tabs.setCurrentWidget(view)
    source = open_source(demo_db, user="lead-wang")
    try:
        expected = source.staffing_forecast()
    finally:
        source.close()
    chart = view.findChild(QChartView, "forecastChart")
    (series,) = [s for s in chart.chart().series() if isinstance(s, QBarSeries)]
    people, robot = series.barSets()
    assert [int(people.at(i)) for i in range(people.count())] == [
        h["officers"] for h in expected["hours"]]
    assert [int(robot.at(i)) for i in range(robot.count())] == [
        h["officers_with_robot"] for h in expected["hours"]]
    assert people.count() == 12  # a 12-hour shift, an hour a bar
    table = view.findChild(QTableWidget, "forecastTable")
    assert table.horizontalHeaderItem(0).text() == expected["hours"][0]["hour"]
    assert table.item(2, 0).text() == str(expected["hours"][0]["officers"])
    basis = view.findChild(QLabel, "forecastBasis").text()
    assert "依据 3.0 天的历史" in basis and "机器人确认率 30%（估计）" in basis
    summary = view.findChild(QLabel, "forecastSummary").text()
    assert f"同时最多需 {expected['peak']} 名民警" in summary and "90%" in summary


def test_officers_have_no_forecast(make_window: Callable[..., MainWindow],
                                   demo_db: Path) -> None:
    from dissuade.store import Store

    store = Store(demo_db)
    store.add_user("officer-007", role="officer")
    store.close()
    window = make_window(demo_db, user="officer-007")
    assert window.findChild(QWidget, "forecastView") is None
