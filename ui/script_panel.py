"""The scam's script beside the call: what it is, how it goes, what to say to objections."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from dissuade import codes
from dissuade.playbook import Library


def tr(text: str) -> str:
    return QCoreApplication.translate("ScriptPanel", text)


class ScriptPanel(QWidget):
    def __init__(self, library: Library, *, lang: str = "zh", parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("scriptPanel")
        self.library = library
        self.lang = lang
        self.scam_type: str | None = None
        self.title = QLabel(objectName="scriptTitle")
        self.browser = QTextBrowser(objectName="scriptText")
        self.browser.setOpenExternalLinks(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.browser)
        self.show_type(None)

    def retranslate(self) -> None:
        self.show_type(self.scam_type)

    def show_type(self, scam_type: str | None) -> None:
        self.scam_type = scam_type
        if scam_type is None:
            self.title.setText(f"<b>{tr('Scam script')}</b>")
            self.browser.setHtml(f"<p>{tr('The script of the open warning appears here.')}</p>")
            return
        lang = self.lang
        name = codes.label(codes.SCAM_LABELS, scam_type, lang)
        self.title.setText(f"<b>{html.escape(name)}</b>")
        playbook = self.library.get(scam_type)
        if playbook is None:
            self.browser.setHtml(f"<p>{tr('No playbook is loaded for this scam type.')}</p>")
            return
        e = html.escape
        parts = [f"<p>{e(playbook.text('summary', lang))}</p>"]
        channels = playbook.items("channels", lang)
        if channels:
            parts.append(f"<h4>{tr('How it reaches victims')}</h4><ul>"
                         + "".join(f"<li>{e(c)}</li>" for c in channels) + "</ul>")
        for stage in playbook.stages:
            parts.append(f"<h4>{e(stage['name'].get(lang, ''))}</h4>")
            say = stage.get("say", {}).get(lang, [])
            flags = stage.get("red_flags", {}).get(lang, [])
            if flags:
                parts.append(f"<p><i>{tr('Red flags')}:</i> " + "；".join(map(e, flags)) + "</p>")
            if say:
                parts.append("<ul>" + "".join(f"<li>“{e(s)}”</li>" for s in say) + "</ul>")
        if playbook.objections:
            parts.append(f"<h4>{tr('Objections and answers')}</h4>")
            for obj in playbook.objections:
                claim = obj["claim"].get(lang, "")
                rebuttals = obj["rebuttals"].get(lang, [])
                parts.append(f"<p><b>“{e(claim)}”</b></p><ul>"
                             + "".join(f"<li>{e(r)}</li>" for r in rebuttals) + "</ul>")
        self.browser.setHtml("".join(parts))
