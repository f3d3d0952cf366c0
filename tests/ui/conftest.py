"""GUI fixtures: a demo database, a main window with its own settings file, and the guard
that fails a test when the UI thread calls a source."""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

import ui
from dissuade import cli, open_source
from dissuade.sources import Source
from tests.ui.guard import Guard
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


def screens_over_a_source() -> list[type]:
    """Every class in `ui` built over a source (its first argument is `source`)."""
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(ui.__path__, "ui."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != info.name or "__init__" not in vars(cls):
                continue
            params = list(inspect.signature(cls.__init__).parameters)
            if params[1:2] == ["source"]:
                found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return list(found.values())


@pytest.fixture(autouse=True)
def ui_thread_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[Guard]:
    """Every screen, model, dialog and watch a UI test builds gets its source guarded: a source
    call on the Qt UI thread fails the test (tests/ui/guard.py)."""
    guard = Guard()
    for cls in screens_over_a_source():
        original = cls.__init__

        @functools.wraps(original)
        def guarded_init(self: Any, source: Any, *args: Any, __original: Any = original,
                         **kwargs: Any) -> None:
            __original(self, guard.wrap(source), *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", guarded_init)
    yield guard
    if guard.violations:
        pytest.fail("source calls on the UI thread:\n" + "\n".join(
            dict.fromkeys(guard.violations)), pytrace=False)


def queue_loaded(qtbot: Any, window: MainWindow) -> None:
    """Wait until the workbench's queue shows its rows (they load off the UI thread)."""
    bench = window.workbench
    assert bench is not None
    if bench.model.loading:
        with qtbot.waitSignal(bench.model.queue_did_load, timeout=10_000):
            pass


@pytest.fixture(autouse=True)
def chinese(qapp) -> None:  # type: ignore[no-untyped-def]
    """Every GUI test starts in the default language, whatever the previous one switched to."""
    from ui.common import i18n

    i18n.install("zh")
