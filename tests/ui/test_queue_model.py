"""The queue model: a valid Qt model, queue order, lean paging off the UI thread, level colours
and countdowns."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from dissuade import open_source
from dissuade.sources import LocalSource, Source
from tests.conftest import warning_data
from tests.ui.guard import Guard
from ui.common import style
from ui.common.ops import Runner
from ui.workbench.queue_model import COL, PAGE, QueueModel


@pytest.fixture
def make_model(qtbot) -> Iterator[Callable[[Source], QueueModel]]:  # type: ignore[no-untyped-def]
    """A model over a source with its own runner, its first pages loaded (waited for)."""
    runners: list[Runner] = []

    def make(source: Source) -> QueueModel:
        runner = Runner()
        runners.append(runner)
        model = QueueModel(source, runner)
        with qtbot.waitSignal(model.queue_did_load, timeout=10_000):
            model.reload()
        return model

    yield make
    for runner in runners:
        runner.wait()
        qtbot.waitUntil(lambda r=runner: r.busy == 0)


def test_queue_model_passes_qtmodeltester(qtmodeltester, demo_db: Path,  # type: ignore[no-untyped-def]
                                          make_model: Callable[[Source], QueueModel]) -> None:
    source = open_source(demo_db, user="officer-007")
    model = make_model(source)
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)
    source.close()


def test_rows_follow_queue_order_with_level_colour_and_masked_phone(
        local: LocalSource, make_model: Callable[[Source], QueueModel]) -> None:
    local.add_warning(warning_data(1, risk_level="low", phone="13912345678"))
    local.add_warning(warning_data(2, risk_level="emergency", phone="13812345678",
                                   scam_type="fake_loan"))
    model = make_model(local)
    display = Qt.ItemDataRole.DisplayRole
    assert model.index(0, COL["level"]).data(display) == "紧急"
    assert model.index(0, COL["scam_type"]).data(display) == "虚假网络贷款"
    assert model.index(0, COL["phone"]).data(display) == "138 **** 5678"
    assert model.index(1, COL["level"]).data(display) == "低"
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) == style.LEVEL_BACKGROUND["emergency"]
    left = model.index(0, COL["time_left"]).data(display)
    assert left.startswith("剩 9分") or left == "剩 10分00秒"  # ten minutes for an emergency


def test_the_model_loads_a_page_at_a_time(qtbot, local: LocalSource,  # type: ignore[no-untyped-def]
                                          make_model: Callable[[Source], QueueModel]) -> None:
    for n in range(PAGE + 50):
        local.add_warning(warning_data(n))
    model = make_model(local)
    assert model.size == PAGE + 50
    assert model.rowCount() == PAGE
    assert model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.page_did_load, timeout=10_000):
        model.fetchMore(QModelIndex())
        assert model.rowCount() == PAGE  # asked, not waited for: the rows come when they come
        assert not model.canFetchMore(QModelIndex())  # one page on its way at a time
    assert model.rowCount() == PAGE + 50
    assert not model.canFetchMore(QModelIndex())


def test_scrolling_past_a_page_loads_the_next_one_off_the_ui_thread(
        qtbot, local: LocalSource, make_model: Callable[[Source], QueueModel],  # type: ignore[no-untyped-def]
        ui_thread_guard: Guard) -> None:
    for n in range(PAGE + 30):
        local.add_warning(warning_data(n))
    model = make_model(local)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    assert model.rowCount() == PAGE
    pages_before = ui_thread_guard.count("queue")
    with qtbot.waitSignal(model.page_did_load, timeout=10_000) as page:
        view.scrollToBottom()  # the view asks fetchMore: the page loads on the runner
    assert page.args == [30]
    assert model.rowCount() == PAGE + 30
    assert ui_thread_guard.count("queue") == pages_before + 1
    assert ui_thread_guard.violations == []


def test_a_reload_during_a_page_drops_the_page_and_keeps_the_rows_consistent(
        qtbot, local: LocalSource, make_model: Callable[[Source], QueueModel]) -> None:  # type: ignore[no-untyped-def]
    for n in range(PAGE + 10):
        local.add_warning(warning_data(n))
    model = make_model(local)
    model.fetchMore(QModelIndex())
    with qtbot.waitSignal(model.queue_did_load, timeout=10_000):
        model.reload()  # news came while the page was on its way
    qtbot.waitUntil(lambda: not model.loading)
    ids = [model.warning_at(r).id for r in range(model.rowCount())]  # type: ignore[union-attr]
    assert len(ids) == len(set(ids)) == PAGE


def test_repeat_victims_are_marked(local: LocalSource,
                                   make_model: Callable[[Source], QueueModel]) -> None:
    first = local.add_warning(warning_data(1, phone="13912345678"))
    local.add_warning(warning_data(3, phone="13912340000"))
    local.claim(first.id)
    local.record_attempt(first.id, outcome="already_lost")
    # Defrauded again after the first case closed.
    local.add_warning(warning_data(2, phone="+86 139 1234 5678"))
    model = make_model(local)
    marks = [model.index(r, COL["mark"]).data(Qt.ItemDataRole.DisplayRole) for r in range(2)]
    assert sorted(marks) == ["", "重复"]
