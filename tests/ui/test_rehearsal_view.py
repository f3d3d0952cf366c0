"""The rehearsal screen: a trainer rehearses a whole scam, the score shows and is saved for review."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTextBrowser,
)

from dissuade import open_source
from dissuade.domain.errors import HubUnreachable
from dissuade.playbooks.playbook import load_library
from dissuade.playbooks.rehearsal import TurnResult
from dissuade.sources import Source
from dissuade.store import Store
from ui.common.ops import Runner
from ui.rehearsal.results import ResultsModel
from ui.rehearsal.view import RehearsalView, tr

LIBRARY = load_library()
USERS = {"trainer-1": "trainer", "lead-1": "lead", "officer-a": "officer", "officer-b": "officer"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "training.db"
    store = Store(path)
    for name, role in USERS.items():
        store.add_user(name, role=role)
    store.close()
    return path


@pytest.fixture
def make_view(qtbot) -> Iterator[Callable[..., RehearsalView]]:  # type: ignore[no-untyped-def]
    made: list[tuple[RehearsalView, Runner, Source]] = []

    def make(db: Path, user: str, *, source: Any = None, **kwargs: Any) -> RehearsalView:
        source = source or open_source(db, user=user)
        runner = Runner()
        view = RehearsalView(source, LIBRARY, runner, **kwargs)
        qtbot.addWidget(view)
        made.append((view, runner, source))
        # The first load of the results table, started by the constructor.
        qtbot.waitUntil(lambda: runner.busy == 0, timeout=10_000)
        return view

    yield make
    for view, runner, source in made:
        view.close()
        runner.wait()
        source.close()


def _click(qtbot, view: RehearsalView, name: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(view.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def _correct_index(view: RehearsalView) -> int:
    assert view.session is not None and view.session.current is not None
    return next(i for i, c in enumerate(view.session.current.choices) if c.correct)


def test_a_trainer_rehearses_a_whole_scam_and_the_result_is_saved(  # type: ignore[no-untyped-def]
        qtbot, db: Path, make_view: Callable[..., RehearsalView]) -> None:
    spoken: list[tuple[str, str]] = []
    view = make_view(db, "trainer-1", speak=lambda text, lang: spoken.append((text, lang)), seed=7)
    assert view.objectName() == "rehearsalView"
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()

    combo = view.findChild(QComboBox, "rehearsalType")
    assert combo.count() == 13
    combo.setCurrentIndex(combo.findText("虚假网络贷款"))
    _click(qtbot, view, "rehearsalStart")
    session = view.session
    assert session is not None and session.scam_type == "fake_loan"
    persona = view.findChild(QLabel, "rehearsalPersona").text()
    assert tr("Synthetic person") in persona and "外卖骑手" in persona
    progress = tr("Turn %1 of %2").replace("%1", "1").replace("%2", "5")
    assert progress in view.findChild(QLabel, "rehearsalProgress").text()

    _click(qtbot, view, "rehearsalSpeak")
    assert spoken == [(session.turns[0].victim, "zh")]

    results: list[TurnResult] = []
    view.turn_did_score.connect(results.append)
    def answer_turn(index: int) -> None:
        turn = session.current
        assert turn is not None and turn.index == index
        assert turn.victim in view.findChild(QLabel, "rehearsalVictim").text()
        for i, choice in enumerate(turn.choices):
            assert view.findChild(QPushButton, f"rehearsalChoice_{i}").description() == choice.text
        if index == 2:  # typed, submitted with Ctrl+Enter
            answer = view.findChild(QPlainTextEdit, "rehearsalAnswer")
            answer.setFocus()
            answer.insertPlainText("我理解您着急，建议去银行办理")  # QTest types ASCII only
            qtbot.keyClick(answer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        elif index == 1:  # a wrong choice
            wrong = next(i for i, c in enumerate(turn.choices) if not c.correct)
            _click(qtbot, view, f"rehearsalChoice_{wrong}")
        else:
            _click(qtbot, view, f"rehearsalChoice_{_correct_index(view)}")
        assert len(results) == index + 1

    for index in range(len(session.turns) - 1):
        answer_turn(index)
    with qtbot.waitSignal(view.rehearsal_did_finish, timeout=10_000) as done:
        answer_turn(len(session.turns) - 1)
    finished = done.args[0]
    assert [r.turn for r in results] == [0, 1, 2, 3, 4]
    assert results[1].correct is False and results[1].missed
    assert results[2].correct is None and set(results[2].made) == {"fl_r3_p1", "fl_r3_p2"}

    # The score and what was missed, with feedback in the dialogue.
    made, total = session.points_made, session.points_total
    assert 0 < made < total
    score = view.findChild(QLabel, "rehearsalScore").text()
    assert score == "<b>" + tr("Score: %1 of %2 points (%3%)").replace("%1", str(made)).replace(
        "%2", str(total)).replace("%3", str(round(100 * made / total))) + "</b>"
    missed = view.findChild(QListWidget, "rehearsalMissed")
    assert missed.count() == total - made
    turn_2 = tr("Turn %1: %2").replace("%1", "2").replace("%2", "")
    assert all(missed.item(i).text().startswith(turn_2) for i in range(missed.count()))
    dialogue = view.findChild(QTextBrowser, "rehearsalDialogue").toPlainText()
    assert "✗" in dialogue and "✓" in dialogue and tr("Model answer:") in dialogue
    assert session.turns[1].model_answer in dialogue
    assert not view.findChild(QPushButton, "rehearsalChoice_0").isVisible()

    # Saved as the trainer, and there when the database is opened again.
    assert (finished.trainee, finished.scam_type, finished.lang) == ("trainer-1", "fake_loan", "zh")
    assert (finished.points_made, finished.points_total) == (made, total)
    assert [d["turn"] for d in finished.detail] == [1, 2, 3, 4, 5]
    reopened = open_source(db, user="trainer-1")
    try:
        assert [r.id for r in reopened.rehearsals()] == [finished.id]
    finally:
        reopened.close()
    table = view.findChild(QTableView, "rehearsalResults")
    qtbot.waitUntil(lambda: table.model().rowCount() == 1, timeout=10_000)

    # A lead sees the trainer's result in the results table.
    lead = make_view(db, "lead-1")
    model = lead.findChild(QTableView, "rehearsalResults").model()
    assert model.rowCount() == 1
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[:3] == ["trainer-1", "虚假网络贷款", f"{made}/{total} · {round(100 * made / total)}%"]
    assert tr("Everyone's results") in lead.findChild(QLabel, "rehearsalResultsTitle").text()


def test_officers_see_their_own_results_and_leads_everyones(  # type: ignore[no-untyped-def]
        qtbot, db: Path, make_view: Callable[..., RehearsalView]) -> None:
    for user, made in (("officer-a", 3), ("officer-b", 5), ("trainer-1", 9)):
        source = open_source(db, user=user)
        source.save_rehearsal(scam_type="fake_loan", lang="zh", points_made=made,
                              points_total=9, detail=[])
        source.close()
    officer = make_view(db, "officer-a")
    model = officer.findChild(QTableView, "rehearsalResults").model()
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["officer-a"]
    assert tr("My results") in officer.findChild(QLabel, "rehearsalResultsTitle").text()
    lead = make_view(db, "lead-1")
    table = lead.findChild(QTableView, "rehearsalResults")
    assert {table.model().index(r, 0).data() for r in range(3)} == {"officer-a", "officer-b",
                                                                     "trainer-1"}
    # Refresh shows what was saved since.
    source = open_source(db, user="officer-b")
    source.save_rehearsal(scam_type="fake_shopping", lang="en", points_made=1, points_total=2,
                          detail=[])
    source.close()
    with qtbot.waitSignal(lead.results.did_refresh, timeout=10_000):
        _click(qtbot, lead, "rehearsalRefresh")
    assert table.model().rowCount() == 4
    assert table.model().index(0, 1).data() == "虚假购物服务"


def test_the_results_model_passes_qtmodeltester(qtmodeltester, db: Path) -> None:  # type: ignore[no-untyped-def]
    source = open_source(db, user="trainer-1")
    for made in (0, 2, 4):
        source.save_rehearsal(scam_type="impersonating_boss", lang="zh", points_made=made,
                              points_total=4, detail=[{"turn": 1}])
    model = ResultsModel()
    model.replace(source.rehearsals())
    source.close()
    assert model.rowCount() == 3
    assert model.index(2, 2).data() == "0/4 · 0%"
    qtmodeltester.check(model, force_py=True)


def test_english_rehearsal_speaks_english_and_no_speech_hides_the_button(  # type: ignore[no-untyped-def]
        qtbot, db: Path, make_view: Callable[..., RehearsalView]) -> None:
    spoken: list[tuple[str, str]] = []
    view = make_view(db, "officer-a", lang="en", speak=lambda t, lang: spoken.append((t, lang)))
    view.select_type("impersonating_authority")
    _click(qtbot, view, "rehearsalStart")
    assert view.session is not None and view.session.lang == "en"
    _click(qtbot, view, "rehearsalSpeak")
    assert spoken == [(view.session.turns[0].victim, "en")]
    assert spoken[0][0].isascii()

    silent = make_view(db, "officer-a")
    assert silent.findChild(QPushButton, "rehearsalSpeak").isHidden()


def test_an_empty_answer_is_refused_and_a_failed_save_can_be_retried(  # type: ignore[no-untyped-def]
        qtbot, db: Path, make_view: Callable[..., RehearsalView]) -> None:
    class FlakySource:
        """The trainer's source, with the hub unreachable for the first save."""

        def __init__(self) -> None:
            self.inner = open_source(db, user="trainer-1")
            self.failures = 1

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

        def save_rehearsal(self, **kwargs: Any) -> Any:
            if self.failures:
                self.failures -= 1
                raise HubUnreachable("无法连接服务器 / hub unreachable")
            return self.inner.save_rehearsal(**kwargs)

    view = make_view(db, "trainer-1", source=FlakySource())
    view.select_type("fake_game_trade")
    _click(qtbot, view, "rehearsalStart")
    _click(qtbot, view, "rehearsalSubmit")
    message = view.findChild(QLabel, "rehearsalMessage")
    assert message.text() == tr("Choose an answer or type one first.")
    assert view.session is not None and not view.session.results
    while view.session.current is not None:
        _click(qtbot, view, f"rehearsalChoice_{_correct_index(view)}")
    qtbot.waitUntil(lambda: "hub unreachable" in message.text(), timeout=10_000)
    with qtbot.waitSignal(view.rehearsal_did_finish, timeout=10_000) as saved:
        _click(qtbot, view, "rehearsalSaveAgain")
    assert saved.args[0].trainee == "trainer-1" and saved.args[0].scam_type == "fake_game_trade"
    assert message.text() == tr("Result saved.")
