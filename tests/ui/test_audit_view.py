"""The audit browser: newest first, filtered by actor and action, paged back by id, and the
hash chain's check naming the row someone edited behind dissuade's back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QPushButton

from dissuade import open_source
from dissuade.sources import Source
from dissuade.store import Store
from tests.conftest import warning_data
from tests.ui.test_review import NOW, T0, build_centre
from ui.audit import model as audit_model
from ui.audit import view as audit_view
from ui.audit.model import COL, PAGE, AuditModel, action_text, detail_text
from ui.audit.view import AuditView
from ui.common.ops import Runner

DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def centre(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "centre.db"
    return path, build_centre(path)


@pytest.fixture
def lead(centre: tuple[Path, dict[str, int]]) -> Iterator[Source]:
    source = open_source(centre[0], user="lead-1")
    yield source
    source.close()


@pytest.fixture
def runner(qtbot, lead: Source) -> Iterator[Runner]:  # type: ignore[no-untyped-def]
    r = Runner()
    yield r
    r.wait()
    qtbot.waitUntil(lambda: r.busy == 0)


@pytest.fixture
def view(qtbot, lead: Source, runner: Runner) -> AuditView:  # type: ignore[no-untyped-def]
    v = AuditView(lead, runner, clock=lambda: NOW)
    qtbot.addWidget(v)
    v.resize(1366, 700)
    return v


def db_ids(path: Path, where: str = "", params: tuple[object, ...] = ()) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [int(i) for (i,) in conn.execute(
            f"SELECT id FROM audit {where} ORDER BY id DESC", params)]
    finally:
        conn.close()


def shown(model: AuditModel, key: str = "id") -> list[str]:
    return [model.index(r, COL[key]).data(DISPLAY) for r in range(model.rowCount())]


def search(qtbot, view: AuditView) -> list[str]:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.entries_did_load, timeout=10_000):
        qtbot.mouseClick(view.search_button, Qt.MouseButton.LeftButton)
    return shown(view.model)


def test_rows_come_newest_first_and_filter_by_actor_and_action(
        qtbot, view: AuditView, centre: tuple[Path, dict[str, int]]) -> None:  # type: ignore[no-untyped-def]
    path, ids = centre
    view.show()  # the first showing loads the newest rows
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    everything = db_ids(path)
    assert [int(i) for i in shown(view.model)] == everything
    # officer-2: three claims and three outcomes (w2, w3, w6), and a claim of w6 again to
    # propose (only the holder proposes) with the proposal.
    view.actor.setEditText("officer-2")
    rows = search(qtbot, view)
    assert len(rows) == 8 and set(shown(view.model, "actor")) == {"officer-2"}
    assert [int(i) for i in rows] == sorted((int(i) for i in rows), reverse=True)
    assert shown(view.model, "action").count(action_text("attempt.create")) == 3

    view.actor.setEditText("")
    view.action.setCurrentIndex(view.action.findData("escalation"))  # every escalation.*
    search(qtbot, view)
    assert shown(view.model, "action") == [action_text("escalation.approve"),
                                           action_text("escalation.create")]
    assert shown(view.model, "actor") == ["lead-2", "officer-2"]
    assert shown(view.model, "entity") == [f"{audit_model.entity_labels()['escalation']} "
                                           f"#{ids['e6']}"] * 2
    # A typed action code works too.
    view.action.setEditText("message.sms")
    assert len(search(qtbot, view)) == 1
    # One warning's rows by its number.
    view.action.setCurrentIndex(0)
    view.entity.setCurrentIndex(view.entity.findData("warning"))
    view.entity_id.setText(str(ids["w1"]))
    assert [int(i) for i in search(qtbot, view)] == db_ids(
        path, "WHERE entity = 'warning' AND entity_id = ?", (ids["w1"],))
    # A period: the previous shift holds w5's claim and call (and the arrivals' rows where the
    # store stamps them with the arrival time).
    view.entity.setCurrentIndex(0)
    view.entity_id.clear()
    with qtbot.waitSignal(view.entries_did_load, timeout=10_000):
        view.period.set_key("previous_shift")
    assert [int(i) for i in shown(view.model)] == db_ids(
        path, "WHERE at >= ? AND at < ?", (T0 - 20 * 3600, T0 - 8 * 3600))
    assert shown(view.model, "action")[:2] == [action_text("attempt.create"),
                                               action_text("warning.claim")]


def test_details_and_hashes_are_shown_compactly(qtbot, view: AuditView,  # type: ignore[no-untyped-def]
                                                centre: tuple[Path, dict[str, int]]) -> None:
    with qtbot.waitSignal(view.entries_did_load, timeout=10_000):
        view.refresh()
    model = view.model
    entry = model.entry_at(0)
    assert entry is not None and entry.action == "escalation.approve"
    assert model.index(0, COL["detail"]).data(DISPLAY) == detail_text(
        entry.action, entry.detail)
    assert model.index(0, COL["hash"]).data(DISPLAY) == entry.hash[:12]
    assert model.index(0, COL["hash"]).data(Qt.ItemDataRole.ToolTipRole) == entry.hash
    assert model.index(0, COL["action"]).data(Qt.ItemDataRole.ToolTipRole) == entry.action
    # Codes in the detail come out as the interface calls them.
    assert "劝阻成功" in detail_text("attempt.create", {"outcome": "dissuaded", "status": "closed"})
    assert "已办结" in detail_text("attempt.create", {"outcome": "dissuaded", "status": "closed"})
    assert action_text("no.such_action") == "no.such_action"


def test_the_list_pages_back_200_rows_at_a_time(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "busy.db"
    store = Store(path)
    for n in range(2 * PAGE + 50):  # one audit row each
        store.add_warning(warning_data(n), actor="bank-feed", now=T0 + n)
    store.close()
    total = len(db_ids(path))
    source = open_source(path, user="lead-1")
    runner = Runner()
    try:
        view = AuditView(source, runner)
        qtbot.addWidget(view)
        view.resize(1366, 700)
        with qtbot.waitSignal(view.entries_did_load, timeout=10_000) as loaded:
            view.show()
        assert loaded.args == [PAGE]
        assert view.model.canFetchMore(QModelIndex())
        with qtbot.waitSignal(view.entries_did_load, timeout=10_000) as loaded:
            view.table.scrollToBottom()  # the view asks for more at the end
        assert loaded.args == [2 * PAGE]
        with qtbot.waitSignal(view.entries_did_load, timeout=10_000) as loaded:
            view.table.scrollToBottom()
        assert loaded.args == [total]
        assert not view.model.canFetchMore(QModelIndex())
        assert [int(i) for i in shown(view.model)] == db_ids(path)
        assert view.count.text() == audit_view.tr("%1 rows shown").replace("%1", str(total))
    finally:
        runner.wait()
        qtbot.waitUntil(lambda: runner.busy == 0)
        source.close()


def test_audit_model_passes_qtmodeltester(qtmodeltester, qtbot, lead: Source,  # type: ignore[no-untyped-def]
                                          runner: Runner) -> None:
    model = AuditModel(lead, runner)
    with qtbot.waitSignal(model.entries_did_load, timeout=10_000):
        model.load({})
    assert model.rowCount() > 10
    qtmodeltester.check(model, force_py=True)


def test_verify_says_intact_then_names_the_edited_row(qtbot, view: AuditView,  # type: ignore[no-untyped-def]
                                                      centre: tuple[Path, dict[str, int]]) -> None:
    path, _ = centre
    button = view.findChild(QPushButton, "verifyAuditButton")
    label = view.findChild(QLabel, "auditVerdict")
    with qtbot.waitSignal(view.verify_did_finish, timeout=10_000) as verified:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    verdict = verified.args[0]
    rows = len(db_ids(path))
    assert verdict.ok and verdict.rows == rows and verdict.head_id == rows
    assert label.text() == audit_view.tr("Intact: %1 rows checked; head %2").replace(
        "%1", str(rows)).replace("%2", f"{rows}:{verdict.head_hash[:16]}")
    assert view.head_text() == f"{rows}:{verdict.head_hash[:16]}"

    # Someone edits a row with sqlite3, getting the append-only trigger out of the way first.
    victim = 4
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET detail = '{\"outcome\": \"dissuaded\"}' WHERE id = ?",
                 (victim,))
    conn.commit()
    conn.close()
    with qtbot.waitSignal(view.verify_did_finish, timeout=10_000) as verified:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    verdict = verified.args[0]
    assert not verdict.ok and verdict.broken_at == victim
    assert label.text().startswith(audit_view.tr(
        "TAMPERED at row %1: %2 (%3 rows before it are intact)").split("%1")[0])
    assert str(victim) in label.text()
    assert "记录被修改" in label.text()  # the core's words for an edited row, in Chinese
    assert not view.copy_head.isVisible()


def test_the_audit_browser_on_the_demo_database(qtbot, qtmodeltester, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    source = open_source(demo_db, user="lead-1")
    runner = Runner()
    try:
        view = AuditView(source, runner)
        qtbot.addWidget(view)
        with qtbot.waitSignal(view.entries_did_load, timeout=10_000) as loaded:
            view.refresh()
        assert loaded.args[0] == min(PAGE, len(db_ids(demo_db)))
        qtmodeltester.check(view.model, force_py=True)
        with qtbot.waitSignal(view.verify_did_finish, timeout=30_000) as verified:
            qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
        assert verified.args[0].ok
    finally:
        runner.wait()
        qtbot.waitUntil(lambda: runner.busy == 0)
        source.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_audit_browser_fits_1366x768(qtbot, lead: Source, runner: Runner, lang: str) -> None:  # type: ignore[no-untyped-def]
    view = AuditView(lead, runner, lang=lang)
    qtbot.addWidget(view)
    hint = view.minimumSizeHint()
    assert hint.width() <= 1340 and hint.height() <= 600, hint
