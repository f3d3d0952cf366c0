"""The queue model: a valid Qt model, queue order, lean paging, level colours and countdowns."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt

from dissuade import open_source
from dissuade.sources import LocalSource
from tests.conftest import warning_data
from ui.common import style
from ui.workbench.queue_model import COL, PAGE, QueueModel


def test_queue_model_passes_qtmodeltester(qtmodeltester, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    source = open_source(demo_db, user="officer-007")
    model = QueueModel(source)
    model.refresh()
    assert model.rowCount() > 0
    qtmodeltester.check(model, force_py=True)
    source.close()


def test_rows_follow_queue_order_with_level_colour_and_masked_phone(local: LocalSource) -> None:
    local.add_warning(warning_data(1, risk_level="low", phone="13912345678"))
    local.add_warning(warning_data(2, risk_level="emergency", phone="13812345678",
                                   scam_type="fake_loan"))
    model = QueueModel(local)
    model.refresh()
    display = Qt.ItemDataRole.DisplayRole
    assert model.index(0, COL["level"]).data(display) == "紧急"
    assert model.index(0, COL["scam_type"]).data(display) == "虚假网络贷款"
    assert model.index(0, COL["phone"]).data(display) == "138 **** 5678"
    assert model.index(1, COL["level"]).data(display) == "低"
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) == style.LEVEL_BACKGROUND["emergency"]
    left = model.index(0, COL["time_left"]).data(display)
    assert left.startswith("9:") or left == "10:00"  # ten minutes for an emergency


def test_the_model_loads_a_page_at_a_time(local: LocalSource) -> None:
    for n in range(PAGE + 50):
        local.add_warning(warning_data(n))
    model = QueueModel(local)
    model.refresh()
    assert model.size == PAGE + 50
    assert model.rowCount() == PAGE
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == PAGE + 50
    assert not model.canFetchMore(QModelIndex())


def test_repeat_victims_are_marked(local: LocalSource) -> None:
    first = local.add_warning(warning_data(1, phone="13912345678"))
    local.add_warning(warning_data(3, phone="13912340000"))
    local.claim(first.id)
    local.record_attempt(first.id, outcome="already_lost")
    # Defrauded again after the first case closed.
    local.add_warning(warning_data(2, phone="+86 139 1234 5678"))
    model = QueueModel(local)
    model.refresh()
    marks = [model.index(r, COL["mark"]).data(Qt.ItemDataRole.DisplayRole) for r in range(2)]
    assert sorted(marks) == ["", "重复"]
