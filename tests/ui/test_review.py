"""The lead's review: filtering by shift, officer, outcome and level; a warning's full history;
quality marks on calls; revealing a masked card or ID number (audited)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTableWidget

from dissuade import open_source
from dissuade.domain.masking import mask_card
from dissuade.sources.local import Source
from dissuade.store import Store
from tests.conftest import warning_data
from ui.common import i18n
from ui.common.ops import Runner
from ui.common.period import period_bounds
from ui.review import history_dialog
from ui.review import model as review_model
from ui.review.history_dialog import HistoryDialog
from ui.review.model import COL, PAGE, ReviewModel
from ui.review.view import ReviewView

T0 = 1_800_000_000.0  # 2027-01-15 16:00 in Shanghai, in the 08:00-20:00 shift
NOW = T0 + 2 * 3600  # 18:00: the lead looks at the day shift
CARD = "6222021234567890123"
ID_NUMBER = "11010519491231002X"
DISPLAY = Qt.ItemDataRole.DisplayRole


def build_centre(path: Path) -> dict[str, int]:
    """Six warnings with exact times; `ids` names them (w1..w6) and their calls (a-...)."""
    store = Store(path)
    ids: dict[str, int] = {}

    def add(key: str, n: int, at: float, **fields: object) -> None:
        warning, _ = store.add_warning(warning_data(n, **fields), actor="bank-feed", now=at)
        ids[key] = int(warning.id)

    def call(key: str, warning: str, officer: str, outcome: str, at: float,
             notes: str = "") -> None:
        store.claim(ids[warning], user=officer, now=at - 60)
        # w1 and w6 share a phone (one case): each call here settles only the warning it is on.
        attempt = store.record_attempt(ids[warning], user=officer, outcome=outcome, notes=notes,
                                       started_at=at - 50, ended_at=at, now=at,
                                       settles=[ids[warning]])
        ids[key] = int(attempt.id)

    # The previous shift (20:00-08:00): w5 handled in it, w6 arrived in it, called in this one.
    add("w5", 5, T0 - 12 * 3600, risk_level="high")
    add("w6", 6, T0 - 12 * 3600 + 60, risk_level="emergency",
        phone=warning_data(1)["phone"])
    call("a5", "w5", "officer-1", "dissuaded", T0 - 11 * 3600)
    # This shift.
    add("w1", 1, T0, risk_level="emergency", scam_type="fake_loan", name="王小明",
        cards=[CARD], id_number=ID_NUMBER, district="思明区", amount_at_risk=5000)
    add("w2", 2, T0 + 120, risk_level="high")
    add("w3", 3, T0 + 200, risk_level="medium", scam_type="order_brushing")
    add("w4", 4, T0 + 300, risk_level="low")
    call("a1", "w1", "officer-1", "dissuaded", T0 + 60, notes="已劝阻，称不再转账")
    call("a2", "w2", "officer-2", "no_answer", T0 + 300)
    call("a3", "w3", "officer-2", "already_lost", T0 + 400)
    call("a6", "w6", "officer-2", "no_answer", T0 + 500)
    call("a2b", "w2", "officer-1", "busy", T0 + 1000)
    store.record_message(ids["w1"], client_id="sms-1", text="【反诈中心】请勿转账", via="clipboard",
                         result="copied", user="officer-1", now=T0 + 90)
    store.claim(ids["w6"], user="officer-2", now=T0 + 560)
    escalation = store.propose_escalation(ids["w6"], user="officer-2", kind="door_visit",
                                          reason="多次未接通，请派出所上门", now=T0 + 560)
    store.decide_escalation(escalation.id, decision="approve", note="同意上门", user="lead-2",
                            now=T0 + 600)
    ids["e6"] = int(escalation.id)
    store.close()
    return ids


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
    """Torn down before the source: every job done and delivered before it closes."""
    r = Runner()
    yield r
    r.wait()
    qtbot.waitUntil(lambda: r.busy == 0)


@pytest.fixture
def view(qtbot, lead: Source, runner: Runner) -> ReviewView:  # type: ignore[no-untyped-def]
    v = ReviewView(lead, runner, clock=lambda: NOW)
    qtbot.addWidget(v)
    v.resize(1366, 700)
    return v


def search(qtbot, view: ReviewView) -> list[int]:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(view.results_did_load, timeout=10_000):
        qtbot.mouseClick(view.search_button, Qt.MouseButton.LeftButton)
    return shown_ids(view.model)


def shown_ids(model: ReviewModel) -> list[int]:
    return [int(model.index(r, COL["id"]).data(DISPLAY)) for r in range(model.rowCount())]


def choose(combo, code: str | None) -> None:  # type: ignore[no-untyped-def]
    combo.setCurrentIndex(combo.findData(code) if code else 0)


def audit_rows(path: Path, action: str) -> list[tuple[str, dict[str, object]]]:
    conn = sqlite3.connect(path)
    try:
        return [(actor, json.loads(detail)) for actor, detail in conn.execute(
            "SELECT actor, detail FROM audit WHERE action = ? ORDER BY id", (action,))]
    finally:
        conn.close()


def test_periods_follow_the_centre_shift_hours() -> None:
    tz, starts = "Asia/Shanghai", (8, 20)
    assert period_bounds("shift", now=NOW, tz=tz, starts=starts) == (T0 - 8 * 3600, T0 + 4 * 3600)
    assert period_bounds("previous_shift", now=NOW, tz=tz, starts=starts) == (
        T0 - 20 * 3600, T0 - 8 * 3600)
    assert period_bounds("today", now=NOW, tz=tz, starts=starts) == (
        T0 - 16 * 3600, T0 + 8 * 3600)
    assert period_bounds("all", now=NOW, tz=tz, starts=starts) == (None, None)


def test_filters_give_the_hand_counted_rows(qtbot, view: ReviewView,  # type: ignore[no-untyped-def]
                                            centre: tuple[Path, dict[str, int]]) -> None:
    _, ids = centre
    w = {k: v for k, v in ids.items() if k.startswith("w")}
    with qtbot.waitSignal(view.results_did_load, timeout=10_000) as loaded:
        view.refresh()
    # This shift: arrived in it (w1-w4) or called in it (w6), newest arrival first.
    assert loaded.args == [5]
    assert shown_ids(view.model) == [w["w4"], w["w3"], w["w2"], w["w1"], w["w6"]]
    assert "5" in view.count.text()

    view.officer.setEditText("officer-2")
    assert search(qtbot, view) == [w["w3"], w["w2"], w["w6"]]
    choose(view.outcome, "no_answer")  # latest outcome: w2's is busy now
    assert search(qtbot, view) == [w["w6"]]

    view.officer.setEditText("")
    choose(view.outcome, "dissuaded")
    assert search(qtbot, view) == [w["w1"]]  # w5 was dissuaded too, in the previous shift
    choose(view.outcome, None)
    choose(view.level, "emergency")
    assert search(qtbot, view) == [w["w1"], w["w6"]]
    choose(view.level, None)
    choose(view.status, "escalated")
    assert search(qtbot, view) == [w["w6"]]
    choose(view.status, None)
    view.officer.setEditText("officer-1")
    assert search(qtbot, view) == [w["w2"], w["w1"]]

    view.officer.setEditText("")
    with qtbot.waitSignal(view.results_did_load, timeout=10_000):
        view.period.set_key("previous_shift")  # choosing a period searches at once
    assert shown_ids(view.model) == [w["w6"], w["w5"]]
    with qtbot.waitSignal(view.results_did_load, timeout=10_000):
        view.period.set_key("all")
    assert len(shown_ids(view.model)) == 6


def test_searching_a_phone_or_number_ignores_the_period(qtbot, view: ReviewView,  # type: ignore[no-untyped-def]
                                                        centre: tuple[Path, dict[str, int]]) -> None:
    _, ids = centre
    view.period.blockSignals(True)
    view.period.set_key("previous_shift")
    view.period.blockSignals(False)
    view.search.setText("139 0000 0001")  # w1 and w6 share the number
    with qtbot.waitSignal(view.results_did_load, timeout=10_000):
        qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert shown_ids(view.model) == [ids["w1"], ids["w6"]]
    view.search.setText(str(ids["w3"]))
    assert search(qtbot, view) == [ids["w3"]]


def test_rows_show_labels_counts_and_masked_phone_and_name(qtbot, view: ReviewView,  # type: ignore[no-untyped-def]
                                                           centre: tuple[Path, dict[str, int]]) -> None:
    _, ids = centre
    with qtbot.waitSignal(view.results_did_load, timeout=10_000):
        view.refresh()
    model = view.model
    row = model.row_of(ids["w1"])
    assert row is not None
    cell = {key: model.index(row, COL[key]).data(DISPLAY) for key in COL}
    assert cell["level"] == "紧急" and cell["scam_type"] == "虚假网络贷款"
    assert cell["phone"] == "139 **** 0001" and cell["name"] == "王**"
    assert cell["status"] == "已办结" and cell["outcome"] == "劝阻成功"
    assert cell["attempts"] == "1" and cell["officer"] == "officer-1" and cell["review"] == ""
    two = model.row_of(ids["w2"])
    assert two is not None
    assert model.index(two, COL["attempts"]).data(DISPLAY) == "2"
    assert model.index(two, COL["officer"]).data(DISPLAY) == "officer-1"
    assert model.index(row, COL["level"]).data(Qt.ItemDataRole.BackgroundRole) is not None
    # The officers seen are offered in the officer box.
    names = {view.officer.itemText(i) for i in range(view.officer.count())}
    assert {"officer-1", "officer-2"} <= names
    i18n.install("en")  # as the window does, then it tells each screen
    view.set_lang("en")
    assert model.index(row, COL["level"]).data(DISPLAY) == "Emergency"
    assert model.headerData(COL["phone"], Qt.Orientation.Horizontal, DISPLAY) == "Phone"


def test_the_list_loads_100_rows_at_a_time(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "many.db"
    store = Store(path)
    store.add_warnings([warning_data(n) for n in range(PAGE + 30)], actor="bank-feed")
    store.close()
    source = open_source(path, user="lead-1")
    runner = Runner()
    try:
        view = ReviewView(source, runner)
        qtbot.addWidget(view)
        view.period.blockSignals(True)
        view.period.set_key("all")
        view.period.blockSignals(False)
        with qtbot.waitSignal(view.results_did_load, timeout=10_000) as loaded:
            view.refresh()
        assert loaded.args == [PAGE + 30]
        assert view.model.rowCount() == PAGE and view.model.canFetchMore(QModelIndex())
        with qtbot.waitSignal(view.model.page_did_load, timeout=10_000) as page:
            view.model.fetchMore(QModelIndex())
        assert page.args == [PAGE + 30]
        assert not view.model.canFetchMore(QModelIndex())
        assert len(set(shown_ids(view.model))) == PAGE + 30
    finally:
        runner.wait()
        qtbot.waitUntil(lambda: runner.busy == 0)
        source.close()


def test_review_model_passes_qtmodeltester(qtmodeltester, qtbot, lead: Source,  # type: ignore[no-untyped-def]
                                           runner: Runner) -> None:
    model = ReviewModel(lead, runner)
    with qtbot.waitSignal(model.results_did_load, timeout=10_000):
        model.load({})
    assert model.rowCount() == 6
    qtmodeltester.check(model, force_py=True)


def open_history(qtbot, view: ReviewView, warning_id: int) -> HistoryDialog:  # type: ignore[no-untyped-def]
    """Double-click the warning's row, as a lead would."""
    row = view.model.row_of(warning_id)
    assert row is not None
    rect = view.table.visualRect(view.model.index(row, COL["scam_type"]))
    with qtbot.waitSignal(view.history_did_open, timeout=5_000):
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = view.history_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.history is not None and int(dialog.history.detail.id)
                    == warning_id, timeout=10_000)
    return dialog


def loaded_view(qtbot, view: ReviewView) -> ReviewView:  # type: ignore[no-untyped-def]
    view.show()
    with qtbot.waitSignal(view.results_did_load, timeout=10_000):
        view.refresh()
    return view


def cells(table: QTableWidget, col: int) -> list[str]:
    return [table.item(r, col).text() if table.item(r, col) else "" for r in range(table.rowCount())]


def test_the_full_history_shows_calls_sms_escalations_and_the_audit_trail(
        qtbot, view: ReviewView, centre: tuple[Path, dict[str, int]]) -> None:  # type: ignore[no-untyped-def]
    path, ids = centre
    loaded_view(qtbot, view)
    dialog = open_history(qtbot, view, ids["w1"])
    assert dialog.objectName() == "historyDialog" and dialog.isVisible()
    calls = dialog.findChild(QTableWidget, "callsTable")
    assert cells(calls, 1) == ["officer-1"]
    assert cells(calls, 2) == ["劝阻成功"] and cells(calls, 4) == ["已劝阻，称不再转账"]
    assert cells(calls, 3) == ["0:50"]
    # The lead sees the full phone and name here; cards and ID stay masked.
    assert dialog.findChild(QLabel, "history_phone").text().startswith("139 0000 0001")
    assert dialog.findChild(QLabel, "history_name").text() == "王小明"
    assert dialog.findChild(QLabel, "history_cards").text() == mask_card(CARD)
    assert ID_NUMBER not in dialog.findChild(QLabel, "history_id_number").text()
    assert cells(dialog.findChild(QTableWidget, "messagesTable"), 4) == ["【反诈中心】请勿转账"]
    assert cells(dialog.findChild(QTableWidget, "earlierTable"), 0) == [str(ids["w6"])]
    trail = dialog.findChild(QTableWidget, "trailTable")
    actions = [trail.item(r, 2).toolTip() for r in range(trail.rowCount())]
    assert actions == ["warning.create", "warning.claim", "attempt.create", "message.sms",
                       "warning.view"]
    assert cells(trail, 1)[-1] == "lead-1"
    # Opening the full history is itself recorded.
    assert audit_rows(path, "warning.view") == [("lead-1", {"purpose": "history"})]

    # The escalated one, opened with Enter on its row: its steps (who, when, note) under it.
    dialog.close()
    view.table.selectRow(view.model.row_of(ids["w6"]))
    with qtbot.waitSignal(dialog.history_did_load, timeout=10_000):
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert int(dialog.history.detail.id) == ids["w6"] and dialog.isVisible()
    tree = dialog.escalations
    assert tree.topLevelItemCount() == 1
    top = tree.topLevelItem(0)
    assert f"#{ids['e6']}" in top.text(1) and top.text(2) == "officer-2"
    steps = [(top.child(i).text(2), top.child(i).text(3)) for i in range(top.childCount())]
    assert steps == [("officer-2", "多次未接通，请派出所上门"), ("lead-2", "同意上门")]


def test_a_lead_marks_calls_pass_and_fail_and_a_fail_needs_a_comment(
        qtbot, view: ReviewView, centre: tuple[Path, dict[str, int]]) -> None:  # type: ignore[no-untyped-def]
    path, ids = centre
    loaded_view(qtbot, view)
    dialog = open_history(qtbot, view, ids["w2"])
    calls = dialog.findChild(QTableWidget, "callsTable")
    assert cells(calls, 1) == ["officer-2", "officer-1"]
    calls.selectRow(0)
    with qtbot.waitSignal(view.review_did_record, timeout=10_000) as recorded:
        qtbot.mouseClick(dialog.findChild(QPushButton, "reviewPassButton"),
                         Qt.MouseButton.LeftButton)
    assert recorded.args[0].verdict == "pass" and recorded.args[0].attempt_id == ids["a2"]
    assert calls.item(0, 5).text().startswith(history_dialog.tr("Pass"))
    # The list's mark changes in place.
    row = view.model.row_of(ids["w2"])
    assert view.model.index(row, COL["review"]).data(DISPLAY) == review_model.review_text("pass")

    # A fail without a comment is refused, visibly, and nothing is recorded.
    qtbot.waitUntil(lambda: dialog.runner.busy == 0)
    calls.selectRow(1)
    fail = dialog.findChild(QPushButton, "reviewFailButton")
    qtbot.mouseClick(fail, Qt.MouseButton.LeftButton)
    message = dialog.findChild(QLabel, "historyMessage")
    assert message.isVisible()
    assert message.text() == history_dialog.tr("A fail needs a comment saying what was wrong.")
    assert dialog.runner.busy == 0
    check = Store(path)
    assert [r.verdict for r in check.reviews(ids["w2"])] == ["pass"]
    check.close()

    dialog.findChild(QLineEdit, "reviewComment").setText("未核实当事人是否已转账")
    with qtbot.waitSignal(dialog.review_did_record, timeout=10_000):
        qtbot.mouseClick(fail, Qt.MouseButton.LeftButton)
    assert calls.item(1, 5).text().startswith(history_dialog.tr("Fail"))
    assert "未核实当事人是否已转账" in calls.item(1, 5).text()
    check = Store(path)
    reviews = check.reviews(ids["w2"])
    check.close()
    assert [(r.attempt_id, r.verdict, r.reviewer, r.comment) for r in reviews] == [
        (ids["a2"], "pass", "lead-1", ""), (ids["a2b"], "fail", "lead-1", "未核实当事人是否已转账")]
    assert audit_rows(path, "review.fail") == [
        ("lead-1", {"attempt_id": ids["a2b"], "officer": "officer-1",
                    "comment": "未核实当事人是否已转账"})]
    assert view.model.index(row, COL["review"]).data(DISPLAY) == review_model.review_text("fail")
    # The trail in the window gained both reviews without opening the history again.
    qtbot.waitUntil(lambda: "review.fail" in [
        dialog.trail.item(r, 2).toolTip() for r in range(dialog.trail.rowCount())])
    assert len(audit_rows(path, "warning.view")) == 1


def test_a_lead_cannot_review_their_own_call(qtbot, centre: tuple[Path, dict[str, int]]) -> None:  # type: ignore[no-untyped-def]
    path, ids = centre
    source = open_source(path, user="officer-1")  # not in the users table: acts as a lead
    runner = Runner()
    try:
        view = ReviewView(source, runner, clock=lambda: NOW)
        qtbot.addWidget(view)
        loaded_view(qtbot, view)
        dialog = open_history(qtbot, view, ids["w1"])
        assert not dialog.findChild(QPushButton, "reviewPassButton").isEnabled()
        assert not dialog.findChild(QPushButton, "reviewFailButton").isEnabled()
        assert dialog.review_target.text() == history_dialog.tr(
            "Call %1 is your own: another lead reviews it.").replace("%1", "1")
    finally:
        runner.wait()
        qtbot.waitUntil(lambda: runner.busy == 0)
        source.close()


def test_reveal_shows_the_whole_card_only_with_a_reason_and_is_audited(
        qtbot, view: ReviewView, centre: tuple[Path, dict[str, int]]) -> None:  # type: ignore[no-untyped-def]
    path, ids = centre
    loaded_view(qtbot, view)
    dialog = open_history(qtbot, view, ids["w1"])
    cards = dialog.findChild(QLabel, "history_cards")
    button = dialog.findChild(QPushButton, "revealCardsButton")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == history_dialog.tr(
        "Give a reason to reveal it: the reason is recorded.")
    assert cards.text() == mask_card(CARD) and audit_rows(path, "warning.reveal") == []

    dialog.findChild(QLineEdit, "revealReason").setText("办理紧急止付")
    with qtbot.waitSignal(dialog.reveal_did_show, timeout=10_000) as shown:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert shown.args == ["cards", [CARD]]
    assert cards.text() == "6222 0212 3456 7890 123" and not button.isEnabled()
    with qtbot.waitSignal(dialog.reveal_did_show, timeout=10_000):
        qtbot.mouseClick(dialog.findChild(QPushButton, "revealIdButton"),
                         Qt.MouseButton.LeftButton)
    assert dialog.findChild(QLabel, "history_id_number").text() == ID_NUMBER
    assert audit_rows(path, "warning.reveal") == [
        ("lead-1", {"field": "cards", "reason": "办理紧急止付"}),
        ("lead-1", {"field": "id_number", "reason": "办理紧急止付"})]
    conn = sqlite3.connect(path)
    (leaks,) = conn.execute("SELECT count(*) FROM audit WHERE detail LIKE ? OR detail LIKE ?",
                            (f"%{CARD}%", f"%{ID_NUMBER}%")).fetchone()
    conn.close()
    assert leaks == 0  # the values themselves are never written to the audit
    # Another warning opens masked again.
    dialog = open_history(qtbot, view, ids["w6"])
    assert not dialog.findChild(QPushButton, "revealCardsButton").isVisible()


def test_the_review_screen_on_the_demo_database(qtbot, qtmodeltester, demo_db: Path) -> None:  # type: ignore[no-untyped-def]
    source = open_source(demo_db, user="lead-1")
    runner = Runner()
    try:
        view = ReviewView(source, runner)
        qtbot.addWidget(view)
        view.show()
        with qtbot.waitSignal(view.results_did_load, timeout=10_000) as loaded:
            view.period.set_key("all")
        assert loaded.args == [400] and view.model.rowCount() == PAGE
        qtmodeltester.check(view.model, force_py=True)
        runner.wait()
        qtbot.waitUntil(lambda: runner.busy == 0)
        first = view.model.found_at(0)
        assert first is not None
        view.table.selectRow(0)
        assert view.open_button.isEnabled()
        qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
        dialog = view.history_dialog
        assert dialog is not None
        qtbot.waitUntil(lambda: dialog.history is not None, timeout=10_000)
        assert dialog.title.text().endswith(str(first.warning.id))
        assert dialog.calls.rowCount() == first.attempts
    finally:
        runner.wait()
        qtbot.waitUntil(lambda: runner.busy == 0)
        source.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_screens_fit_1366x768(qtbot, lead: Source, runner: Runner, lang: str) -> None:  # type: ignore[no-untyped-def]
    view = ReviewView(lead, runner, lang=lang)
    qtbot.addWidget(view)
    hint = view.minimumSizeHint()
    assert hint.width() <= 1340 and hint.height() <= 600, hint  # inside a tab of the window
    dialog = HistoryDialog(lead, runner, lang=lang, parent=view)
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 728, hint
    assert dialog.width() <= 1366 and dialog.height() <= 768


def test_an_officer_is_told_the_review_is_for_leads(qtbot, centre: tuple[Path, dict[str, int]]) -> None:  # type: ignore[no-untyped-def]
    path, _ = centre
    store = Store(path)
    store.add_user("officer-9", role="officer")
    store.close()
    source = open_source(path, user="officer-9")
    runner = Runner()
    try:
        view = ReviewView(source, runner, clock=lambda: NOW)
        qtbot.addWidget(view)
        view.show()
        qtbot.waitUntil(lambda: "officer" in view.message.text(), timeout=10_000)
        assert view.model.rowCount() == 0 and "b00020" in view.message.styleSheet()
    finally:
        runner.wait()
        qtbot.waitUntil(lambda: runner.busy == 0)
        source.close()
