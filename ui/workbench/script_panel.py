"""The scam's script beside the call: cues the victim mentions, the stage they are at and what to
say there, the likely scam when the type is wrong, and objections found by any part of a phrase."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dissuade.domain import codes
from dissuade.playbooks import guidance
from dissuade.playbooks.playbook import Library, Playbook

CueRole = Qt.ItemDataRole.UserRole + 1


def tr(text: str) -> str:
    return QCoreApplication.translate("ScriptPanel", text)


class ScriptPanel(QWidget):
    """Follows the open warning. `retype_requested(code)` when the officer re-types it;
    `sms_requested()` and `voice_requested()` for the warning texts."""

    retype_requested = Signal(str)
    sms_requested = Signal()
    voice_requested = Signal()
    stage_did_change = Signal(str)

    def __init__(self, library: Library, *, lang: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("scriptPanel")
        self.library = library
        self.lang = lang
        self.scam_type: str | None = None
        self.ticked: set[str] = set()
        self.stage_key = "contact"

        self.title = QLabel(objectName="scriptTitle")
        self.sms_button = QPushButton(objectName="smsButton")
        self.sms_button.clicked.connect(self.sms_requested)
        self.voice_button = QPushButton(objectName="voiceButton")
        self.voice_button.clicked.connect(self.voice_requested)
        self.search = QLineEdit(objectName="scriptSearch")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._render())
        self.cue_title = QLabel(objectName="cueTitle")
        self.cue_list = QListWidget(objectName="cueList")
        self.cue_list.setWordWrap(True)
        self.cue_list.itemChanged.connect(self._cue_changed)
        self.suggest_label = QLabel(objectName="suggestLabel")
        self.suggest_label.setWordWrap(True)
        self.retype_choice = QComboBox(objectName="retypeChoice")
        self.retype_button = QPushButton(objectName="retypeButton")
        self.retype_button.clicked.connect(self._retype)
        self.browser = QTextBrowser(objectName="scriptText")
        self.browser.setOpenExternalLinks(False)

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.sms_button)
        head.addWidget(self.voice_button)
        retype = QHBoxLayout()
        retype.addWidget(self.retype_choice, 1)
        retype.addWidget(self.retype_button)
        cues_box = QWidget()
        cues_layout = QVBoxLayout(cues_box)
        cues_layout.setContentsMargins(0, 0, 0, 0)
        cues_layout.addWidget(self.cue_title)
        cues_layout.addWidget(self.cue_list, 1)
        cues_layout.addWidget(self.suggest_label)
        cues_layout.addLayout(retype)
        split = QSplitter(Qt.Orientation.Vertical, objectName="scriptSplitter")
        split.addWidget(cues_box)
        split.addWidget(self.browser)
        split.setSizes([260, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.search)
        layout.addWidget(split, 1)
        self.retranslate()
        self.show_type(None)

    # -- language -------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.sms_button.setText(tr("SMS"))
        self.sms_button.setToolTip(tr("The type's SMS warning with the person's name"))
        self.voice_button.setText(tr("Voice"))
        self.voice_button.setToolTip(tr("Play the type's voice warning"))
        self.search.setPlaceholderText(tr("Search objections (Ctrl+K)"))
        self.search.setToolTip(tr("Find an objection by any part of what the person says "
                                  "(Ctrl+K; Esc returns to the outcome keys)"))
        self.cue_title.setText(tr("Tick what the person mentions:"))
        self.retype_button.setText(tr("Re-type as this"))
        self.show_type(self.scam_type, keep_ticks=True)

    # -- following the warning ------------------------------------------------------------

    @property
    def playbook(self) -> Playbook | None:
        return None if self.scam_type is None else self.library.get(self.scam_type)

    def set_library(self, library: Library) -> None:
        """New playbook files were loaded: show the same warning from them."""
        self.library = library
        self.show_type(self.scam_type, keep_ticks=True)

    def show_type(self, scam_type: str | None, *, keep_ticks: bool = False) -> None:
        self.scam_type = scam_type
        if not keep_ticks:
            self.ticked = set()
        self.sms_button.setEnabled(scam_type is not None)
        self.voice_button.setEnabled(scam_type is not None)
        self.search.setEnabled(True)
        book = self.playbook
        name = codes.label(codes.SCAM_LABELS, scam_type, self.lang) if scam_type else ""
        self.title.setText(f"<b>{html.escape(name or tr('Scam script'))}</b>")
        self.cue_list.blockSignals(True)
        self.cue_list.clear()
        if book is not None:
            for cue in guidance.cues(book):
                item = QListWidgetItem(cue.text(self.lang))
                item.setData(CueRole, cue.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if cue.id in self.ticked
                                   else Qt.CheckState.Unchecked)
                self.cue_list.addItem(item)
        self.cue_list.blockSignals(False)
        self._update_stage()

    def tick(self, cue_id: str, checked: bool = True) -> None:
        """Tick a cue as if clicked (tests and keyboard users)."""
        for row in range(self.cue_list.count()):
            item = self.cue_list.item(row)
            if item.data(CueRole) == cue_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _cue_changed(self, item: QListWidgetItem) -> None:
        cue_id = str(item.data(CueRole))
        if item.checkState() == Qt.CheckState.Checked:
            self.ticked.add(cue_id)
        else:
            self.ticked.discard(cue_id)
        self._update_stage()

    def _update_stage(self) -> None:
        book = self.playbook
        new_stage = guidance.current_stage(book, self.ticked) if book else "contact"
        changed = new_stage != self.stage_key
        self.stage_key = new_stage
        self._update_suggestion()
        self._render()
        if changed:
            self.stage_did_change.emit(new_stage)

    def _update_suggestion(self) -> None:
        current = self.scam_type or "unknown"
        ranked = guidance.rank_types(self.library, self.ticked)
        best = guidance.suggestion(self.library, current, self.ticked)
        show = bool(ranked) and (current == "unknown" or best is not None)
        self.retype_choice.clear()
        for code, score in ranked[:4]:
            label = codes.label(codes.SCAM_LABELS, code, self.lang)
            self.retype_choice.addItem(f"{label} ({score:g})", code)
        if best is not None:
            label = codes.label(codes.SCAM_LABELS, best, self.lang)
            self.suggest_label.setText(tr("The cues point to %1 more than to this type.")
                                       .replace("%1", label))
        elif show:
            self.suggest_label.setText(tr("Likely types from the cues:"))
        for widget in (self.suggest_label, self.retype_choice, self.retype_button):
            widget.setVisible(show)

    def _retype(self) -> None:
        code = self.retype_choice.currentData()
        if code:
            self.retype_requested.emit(str(code))

    # -- the text -------------------------------------------------------------------------

    def _render(self) -> None:
        book = self.playbook
        if book is None:
            self.browser.setHtml(f"<p>{tr('The script of the open warning appears here.')}</p>"
                                 + self._found_html())
            return
        lang, e = self.lang, html.escape
        current = guidance.stage(book, self.stage_key)
        parts = [self._found_html(),
                 f"<h3 style='color:#a31515'>{tr('Now')}: {e(current['name'].get(lang, ''))}</h3>"]
        for key, title in (("say", tr("Say")), ("questions", tr("Ask")),
                           ("red_flags", tr("Red flags"))):
            items = current.get(key, {}).get(lang, [])
            if items:
                parts.append(f"<p><b>{title}</b></p><ul>"
                             + "".join(f"<li>{e(x)}</li>" for x in items) + "</ul>")
        parts.append(f"<h4>{tr('What this scam is')}</h4><p>{e(book.text('summary', lang))}</p>")
        channels = book.items("channels", lang)
        if channels:
            parts.append(f"<h4>{tr('How it reaches victims')}</h4><ul>"
                         + "".join(f"<li>{e(c)}</li>" for c in channels) + "</ul>")
        if book.objections:
            parts.append(f"<h4>{tr('Objections and answers')}</h4>")
            for obj in book.objections:
                parts.append(f"<p><b>“{e(obj['claim'].get(lang, ''))}”</b></p><ul>"
                             + "".join(f"<li>{e(r)}</li>" for r in obj["rebuttals"].get(lang, []))
                             + "</ul>")
        self.browser.setHtml("".join(parts))

    def _found_html(self) -> str:
        query = self.search.text().strip()
        if not query:
            return ""
        found = guidance.search_objections(self.library, query, self.lang, first=self.scam_type)
        e = html.escape
        if not found:
            return f"<p><i>{e(tr('No objection contains “%1”.').replace('%1', query))}</i></p>"
        parts = [f"<h4>{tr('Found')}: {len(found)}</h4>"]
        for f in found[:8]:
            label = codes.label(codes.SCAM_LABELS, f.code, self.lang)
            parts.append(f"<p><b>“{e(f.claim)}”</b> <small>({e(label)})</small></p><ul>"
                         + "".join(f"<li>{e(r)}</li>" for r in f.rebuttals) + "</ul>")
        return "".join(parts) + "<hr>"

    def plain_text(self) -> str:
        return self.browser.toPlainText()
