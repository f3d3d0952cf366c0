"""The trainers' rehearsal: a synthetic victim's lines, the trainee's answers, feedback, a score."""

from __future__ import annotations

import html
import random
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCommandLinkButton,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import codes
from dissuade.domain.codes import ScamType
from dissuade.domain.models import RehearsalResult
from dissuade.playbooks.playbook import Library
from dissuade.playbooks.rehearsal import Session, TurnResult
from dissuade.sources import Source
from ui.common import style
from ui.common.ops import Runner
from ui.common.policy import PolicySnapshot
from ui.rehearsal.results import ResultsPanel

GOOD, BAD = "#1b5e20", "#b00020"


def tr(text: str) -> str:
    return QCoreApplication.translate("Rehearsal", text)


class RehearsalView(QWidget):
    """Rehearse one scam's script against a synthetic victim; the result is saved for review.

    Only the playbook is read while rehearsing: no warning, number or real person is involved.
    """

    turn_did_score = Signal(object)  # TurnResult
    rehearsal_did_finish = Signal(object)  # RehearsalResult, once saved

    def __init__(self, source: Source, library: Library, runner: Runner, *,
                 policy: PolicySnapshot | None = None, lang: str = "zh",
                 speak: Callable[[str, str], None] | None = None, seed: int | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("rehearsalView")
        self.source, self.library, self.runner = source, library, runner
        self.lang = lang
        self.speak = speak
        self.session: Session | None = None
        self._rng = random.Random(seed)
        self._unsaved: Session | None = None  # a finished session whose save failed

        self.type_label = QLabel()
        self.type_combo = QComboBox(objectName="rehearsalType")
        self.start_button = QPushButton(objectName="rehearsalStart")
        self.start_button.setProperty("kind", "primary")
        self.start_button.clicked.connect(self.start)
        self.progress = QLabel(objectName="rehearsalProgress")
        self.persona = QLabel(objectName="rehearsalPersona")
        self.persona.setWordWrap(True)
        self.persona.setFrameShape(QFrame.Shape.StyledPanel)
        self.persona.setStyleSheet("background: #f3f0e6; padding: 6px;")
        self.dialogue = QTextBrowser(objectName="rehearsalDialogue")
        self.victim = QLabel(objectName="rehearsalVictim")
        self.victim.setWordWrap(True)
        self.victim.setFont(style.app_font(13))
        self.speak_button = QPushButton(objectName="rehearsalSpeak")
        self.speak_button.setVisible(speak is not None)
        self.speak_button.clicked.connect(self._speak)
        self.choices_title = QLabel()
        self.choice_buttons: list[QCommandLinkButton] = []
        for i in range(3):
            button = QCommandLinkButton(objectName=f"rehearsalChoice_{i}")
            button.setText(f"{i + 1}")
            button.clicked.connect(lambda _=False, i=i: self.choose(i))
            self.choice_buttons.append(button)
        self.answer_box = QPlainTextEdit(objectName="rehearsalAnswer")
        self.answer_box.setMaximumHeight(80)
        self.submit_button = QPushButton(objectName="rehearsalSubmit")
        self.submit_button.clicked.connect(self.submit)
        self.score = QLabel(objectName="rehearsalScore")
        self.score.setFont(style.app_font(14))
        self.missed_title = QLabel()
        self.missed = QListWidget(objectName="rehearsalMissed")
        self.missed.setMaximumHeight(150)
        self.save_again = QPushButton(objectName="rehearsalSaveAgain")
        self.save_again.clicked.connect(self._save_again)
        self.message = QLabel(objectName="rehearsalMessage")
        self.message.setWordWrap(True)
        self.results = ResultsPanel(source, runner, policy=policy, lang=lang)

        top = QHBoxLayout()
        for widget, stretch in ((self.type_label, 0), (self.type_combo, 1),
                                (self.start_button, 0), (self.progress, 1)):
            top.addWidget(widget, stretch)
        victim_row = QHBoxLayout()
        victim_row.addWidget(self.victim, 1)
        victim_row.addWidget(self.speak_button, 0, Qt.AlignmentFlag.AlignTop)
        answer_row = QHBoxLayout()
        answer_row.addWidget(self.answer_box, 1)
        answer_row.addWidget(self.submit_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.turn_box = QWidget(objectName="rehearsalTurn")
        turn = QVBoxLayout(self.turn_box)
        turn.setContentsMargins(0, 0, 0, 0)
        turn.addLayout(victim_row)
        turn.addWidget(self.choices_title)
        for button in self.choice_buttons:
            turn.addWidget(button)
        turn.addLayout(answer_row)
        self.end_box = QWidget(objectName="rehearsalEnd")
        end = QVBoxLayout(self.end_box)
        end.setContentsMargins(0, 0, 0, 0)
        end.addWidget(self.score)
        end.addWidget(self.missed_title)
        end.addWidget(self.missed)
        end.addWidget(self.save_again, 0, Qt.AlignmentFlag.AlignLeft)
        practice = QWidget()
        left = QVBoxLayout(practice)
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(top)
        left.addWidget(self.persona)
        left.addWidget(self.dialogue, 1)
        left.addWidget(self.turn_box)
        left.addWidget(self.end_box)
        left.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Horizontal, objectName="rehearsalSplitter")
        splitter.addWidget(practice)
        splitter.addWidget(self.results)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, activated=self.submit, context=context)
        for i in range(3):
            QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, context=context,
                      activated=lambda i=i: self.choose(i))
        self.save_again.setVisible(False)
        self.retranslate()
        self.results.refresh()

    # -- language -------------------------------------------------------------------------

    def set_lang(self, lang: str) -> None:
        """The next rehearsal runs in `lang`; one under way keeps the language it began in."""
        self.lang = lang
        self.results.set_lang(lang)
        self.retranslate()

    def retranslate(self) -> None:
        current = self.type_combo.currentData()
        self.type_combo.clear()
        for code in [t.value for t in ScamType if t.value in self.library.playbooks]:
            book = self.library.playbooks[code]
            if book.data.get("rehearsal", {}).get("turns"):
                self.type_combo.addItem(codes.label(codes.SCAM_LABELS, code, self.lang), code)
        if current is not None:
            self.type_combo.setCurrentIndex(max(0, self.type_combo.findData(current)))
        self.type_label.setText(tr("Scam type:"))
        self.start_button.setText(tr("Start") if self.session is None else tr("Start again"))
        self.speak_button.setText(tr("Speak"))
        self.speak_button.setToolTip(tr("Read the victim's line aloud"))
        self.choices_title.setText(tr("Choose what you would say (Ctrl+1 to Ctrl+3), or type it:"))
        self.answer_box.setPlaceholderText(tr("Type your own answer (Ctrl+Enter to submit)"))
        self.submit_button.setText(tr("Submit answer"))
        self.missed_title.setText(tr("What was missed"))
        self.save_again.setText(tr("Save again"))
        self.results.retranslate()
        self._show()

    # -- the rehearsal --------------------------------------------------------------------

    def select_type(self, code: str) -> None:
        index = self.type_combo.findData(code)
        if index >= 0:
            self.type_combo.setCurrentIndex(index)

    def start(self) -> None:
        """Begin the chosen scam type's rehearsal from its first turn, choices shuffled."""
        code = self.type_combo.currentData()
        book = self.library.playbooks.get(code) if code else None
        if book is None:
            self._say(tr("No playbook is loaded for this scam type."), error=True)
            return
        self.session = Session(book, self.lang, seed=self._rng.randrange(2**32))
        self._unsaved = None
        self.save_again.setVisible(False)
        self.answer_box.clear()
        self._say("")
        self.start_button.setText(tr("Start again"))
        self._show()
        self.answer_box.setFocus()

    def choose(self, index: int) -> None:
        """Answer the current turn with the shown choice `index`."""
        turn = self.session.current if self.session is not None else None
        if self.session is not None and turn is not None and 0 <= index < len(turn.choices):
            self._answered(self.session.answer(choice=index))

    def submit(self) -> None:
        """Answer the current turn with the typed text (Ctrl+Enter)."""
        if self.session is None or self.session.current is None:
            return
        text = self.answer_box.toPlainText().strip()
        if not text:
            self._say(tr("Choose an answer or type one first."), error=True)
            return
        self.answer_box.clear()
        self._answered(self.session.answer(text))

    def _answered(self, result: TurnResult) -> None:
        self._say("")
        self._show()
        self.turn_did_score.emit(result)
        if self.session is not None and self.session.finished:
            self._save(self.session)

    def _save(self, session: Session) -> None:
        self._say(tr("Saving the result..."))
        self.save_again.setVisible(False)
        source = self.source

        def save() -> RehearsalResult:
            return source.save_rehearsal(scam_type=session.scam_type, lang=session.lang,
                                         points_made=session.points_made,
                                         points_total=session.points_total,
                                         detail=session.detail())

        def done(result: RehearsalResult) -> None:
            self._unsaved = None
            self._say(tr("Result saved."))
            self.results.refresh()
            self.rehearsal_did_finish.emit(result)

        def failed(exc: Exception) -> None:
            self._unsaved = session
            self.save_again.setVisible(True)
            self._say(tr("Not saved: %1").replace("%1", str(exc)), error=True)

        self.runner.run(save, done, failed)

    def _save_again(self) -> None:
        if self._unsaved is not None:
            self._save(self._unsaved)

    def _speak(self) -> None:
        session = self.session
        if self.speak is not None and session is not None and session.current is not None:
            self.speak(session.current.victim, session.lang)

    # -- showing --------------------------------------------------------------------------

    def _show(self) -> None:
        session = self.session
        turn = session.current if session else None
        self.turn_box.setVisible(turn is not None)
        self.end_box.setVisible(session is not None and session.finished)
        if session is None:
            self.persona.setText(tr("Choose a scam type and press Start. The victim is a "
                                    "synthetic person; no real warning is used."))
            self.progress.clear()
            self.dialogue.clear()
            return
        e = html.escape
        self.persona.setText(f"<b>{tr('Synthetic person')}</b>　{e(session.persona)}")
        self.dialogue.setHtml("".join(self._turn_html(r) for r in session.results))
        bar = self.dialogue.verticalScrollBar()
        bar.setValue(bar.maximum())
        points = tr("Points so far: %1 of %2").replace("%1", str(session.points_made)).replace(
            "%2", str(session.points_total))
        if turn is not None:
            step = tr("Turn %1 of %2").replace("%1", str(turn.index + 1)).replace(
                "%2", str(len(session.turns)))
            self.progress.setText(f"{step}　{points}")
            self.victim.setText(f"<b>{tr('Victim:')}</b> “{e(turn.victim)}”")
            for button, choice in zip(self.choice_buttons, turn.choices, strict=False):
                button.setDescription(choice.text)
            for i, button in enumerate(self.choice_buttons):
                button.setVisible(i < len(turn.choices))
            return
        self.progress.setText(points)
        self.score.setText("<b>" + tr("Score: %1 of %2 points (%3%)")
                           .replace("%1", str(session.points_made))
                           .replace("%2", str(session.points_total))
                           .replace("%3", str(round(100 * session.score))) + "</b>")
        self.missed.clear()
        for number, text in session.missed_points():
            self.missed.addItem(tr("Turn %1: %2").replace("%1", str(number)).replace("%2", text))
        if not self.missed.count():
            self.missed.addItem(tr("Nothing missed. Well done."))

    def _turn_html(self, r: TurnResult) -> str:
        e = html.escape
        said = (f"<p><b>{tr('Victim:')}</b> “{e(r.victim)}”<br>"
                f"<b>{tr('You:')}</b> “{e(r.answer)}”</p>")
        lines: list[str] = []
        if r.correct is not None:
            verdict = tr("The right choice.") if r.correct else tr("Not the best choice.")
            lines.append(f"<span style='color:{GOOD if r.correct else BAD}'>{verdict}</span>")
        lines += [f"<span style='color:{GOOD}'>✓ {e(t)}</span>" for t in r.made_texts]
        lines += [f"<span style='color:{BAD}'>✗ {e(t)}</span>" for t in r.missed_texts]
        if r.answer != r.model_answer:
            lines.append(f"<i>{tr('Model answer:')}</i> {e(r.model_answer)}")
        return said + "<p style='margin-left:16px'>" + "<br>".join(lines) + "</p><hr>"

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {BAD}; font-weight: bold;" if error else "")
        self.message.setText(text)
