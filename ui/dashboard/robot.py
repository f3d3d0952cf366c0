"""The robot's part of the lead's dashboard: its lines in use, its calls in the period by result,
the warnings it handed to people and why, and its share of the period's calls and dissuasions
(the report's `robot` section, store/robot.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QWidget

from dissuade.domain import robot as rules

DASH = "—"


def tr(text: str) -> str:
    return QCoreApplication.translate("RobotPanel", text)


def _percent(rate: object) -> str:
    return DASH if not isinstance(rate, int | float) else f"{100.0 * rate:.1f}%"


class RobotPanel(QGroupBox):
    """Four columns: lines, calls by result, hand-overs by reason, the robot's share."""

    COLUMNS = ("lines", "results", "handed", "share")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboardRobot")
        self.section: Mapping[str, Any] = {}
        self.lang = "zh"
        self.headings: dict[str, QLabel] = {}
        self.bodies: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 4, 8, 6)
        grid.setHorizontalSpacing(18)
        for column, key in enumerate(self.COLUMNS):
            heading = QLabel(objectName=f"dashboardRobot_{key}_heading")
            heading.setStyleSheet("color: #4f5a68;")
            body = QLabel(objectName=f"dashboardRobot_{key}")
            body.setTextFormat(Qt.TextFormat.PlainText)
            body.setWordWrap(True)
            body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            body.setStyleSheet("font-weight: normal;")
            grid.addWidget(heading, 0, column)
            grid.addWidget(body, 1, column)
            grid.setColumnStretch(column, 1)
            self.headings[key], self.bodies[key] = heading, body
        self.retranslate("zh")

    def show_section(self, section: Mapping[str, Any], lang: str) -> None:
        self.section = section
        self.retranslate(lang)

    def text(self) -> str:
        """Everything the panel says, one line per part (for tests and the accessible name)."""
        return "\n".join(f"{self.headings[k].text()}: {self.bodies[k].text()}"
                         for k in self.COLUMNS)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        s = self.section
        on, busy = int(s.get("lines_on") or 0), int(s.get("lines_busy") or 0)
        self.setTitle(tr("Robot's first pass") + ("" if on else "  " + tr("(off: no robot line)")))
        self.headings["lines"].setText(tr("Lines in use"))
        self.headings["results"].setText(tr("Robot calls by result (%1)")
                                         .replace("%1", str(int(s.get("calls") or 0))))
        self.headings["handed"].setText(tr("Handed to people, and why (%1)")
                                        .replace("%1", str(int(s.get("handed_persons") or 0))))
        self.headings["share"].setText(tr("Robot's share of the period"))
        self.bodies["lines"].setText("\n".join((
            tr("%1 of %2 lines calling").replace("%1", str(busy)).replace("%2", str(on)),
            tr("%1 waiting for a line").replace("%1", str(int(s.get("waiting") or 0))),
            tr("%1 retries later").replace("%1", str(int(s.get("retries_later") or 0))))))
        self.bodies["results"].setText(self._counts(s.get("by_result")) or tr("No calls yet."))
        self.bodies["handed"].setText(self._counts(s.get("handed")) or tr("None handed over."))
        self.bodies["share"].setText("\n".join((
            tr("Calls: %1 (people made %2)").replace("%1", _percent(s.get("share_of_calls")))
            .replace("%2", str(int(s.get("people_calls") or 0))),
            tr("Dissuaded: %1 (%2 closed by key 1)")
            .replace("%1", _percent(s.get("share_of_dissuaded")))
            .replace("%2", str(int(s.get("closed") or 0))))))

    def _counts(self, counts: object) -> str:
        if not isinstance(counts, Mapping) or not counts:
            return ""
        ordered = sorted(counts.items(), key=lambda kv: (-int(kv[1]), str(kv[0])))
        return "\n".join(f"{rules.label(str(code), self.lang)}  {int(n)}" for code, n in ordered)
