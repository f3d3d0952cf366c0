"""GUI fixtures: a demo database and a main window with its own settings file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from dissuade import cli, open_source
from dissuade.sources import Source
from ui import MainWindow, build_main_window


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    path = tmp_path / "demo.db"
    assert cli.main(["demo", "--db", str(path), "--warnings", "400", "--seed", "7"]) == 0
    return path


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings: QSettings) -> Iterator[Callable[..., MainWindow]]:  # type: ignore[no-untyped-def]
    made: list[tuple[MainWindow, Source]] = []

    def make(path: Path, *, user: str = "officer-007", lang: str | None = "zh") -> MainWindow:
        source = open_source(path, user=user)
        window = build_main_window(source, settings=settings, lang=lang)
        qtbot.addWidget(window)
        made.append((window, source))
        return window

    yield make
    for window, source in made:
        window.close()
        source.close()


@pytest.fixture(autouse=True)
def chinese(qapp) -> None:  # type: ignore[no-untyped-def]
    """Every GUI test starts in the default language, whatever the previous one switched to."""
    from ui.common import i18n

    i18n.install("zh")
