"""Colours and fonts shared by the screens: one place for what urgency looks like."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from dissuade.fonts import FONT_SUFFIXES
from dissuade.resources import resource_dir

LEVEL_BACKGROUND = {
    "emergency": QColor("#fbd5d1"),
    "high": QColor("#fde3c4"),
    "medium": QColor("#fbf3c8"),
    "low": QColor("#e8f1fb"),
}
LEVEL_FOREGROUND = {
    "emergency": QColor("#a31515"),
    "high": QColor("#a34f00"),
    "medium": QColor("#6b5800"),
    "low": QColor("#1f4e8c"),
}
OVERDUE = QColor("#c00000")
CJK_FAMILIES = ["Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", "Noto Sans CJK SC",
                "SimSun"]


def app_font(size: int = 10) -> QFont:
    font = QFont()
    font.setFamilies(CJK_FAMILIES)
    font.setPointSize(size)
    return font


def countdown(seconds: float, lang: str = "zh") -> str:
    """A span as an officer reads it at a glance: 9:05, 1:02:03, or 2d 03h past a day."""
    s = int(abs(seconds))
    days, rest = divmod(s, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days}天{hours}小时" if lang == "zh" else f"{days}d {hours:02d}h"
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


DISABLED_TEXT = "#a0a0a0"  # what a button that cannot be pressed now looks like
STYLESHEET = f"""
QPushButton[kind="primary"] {{ font-weight: bold; font-size: 12pt; }}
QPushButton[kind="good"] {{ color: #1b5e20; font-weight: bold; }}
QPushButton:disabled, QPushButton[kind="good"]:disabled,
QPushButton[kind="primary"]:disabled {{ color: {DISABLED_TEXT}; }}
QLabel#queueTitle {{ font-weight: bold; }}
"""


_shipped: list[str] = []


def load_shipped_fonts() -> list[str]:
    """Register the fonts a workstation bundle ships (resources/fonts, absent in a checkout)
    with Qt, once; the families they add."""
    if not _shipped:
        folder = resource_dir("fonts")
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES) \
            if folder.is_dir() else []
        for file in files:
            _shipped.extend(QFontDatabase.applicationFontFamilies(
                QFontDatabase.addApplicationFont(str(file))))
        _shipped.append("")  # looked once, even when there was nothing to load
    return [f for f in _shipped if f]


def apply(app: QApplication) -> None:
    """The CJK font and the few styles the screens share."""
    load_shipped_fonts()
    app.setFont(app_font(10))
    app.setStyleSheet(STYLESHEET)
