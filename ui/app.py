"""Starting the client: the QApplication, the window, and rendering it to a PNG."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from dissuade.sources import Source
from ui.main_window import DEFAULT_SIZE, MainWindow, build_main_window


def render_png(window: MainWindow, path: str | Path, *, open_next: bool = True) -> Path:
    """Show the window at 1366x768, optionally open the most urgent warning, save a PNG."""
    app = QApplication.instance()
    assert app is not None
    window.resize(*DEFAULT_SIZE)
    window.setProperty("keepAsSized", True)  # the screenshot's size, whatever the screen
    window.show()
    bench = window.workbench
    if open_next and bench is not None:
        loop = QEventLoop()
        bench.warning_did_open.connect(loop.quit)
        bench.message_did_change.connect(lambda _t: None if bench.runner.busy else loop.quit())
        QTimer.singleShot(10_000, loop.quit)
        bench.take_next()
        loop.exec()
    for _ in range(5):
        app.processEvents()
    target = Path(path)
    if not window.grab().save(str(target)):
        raise OSError(f"could not write {target}")
    return target


def run_client(source: Source, *, lang: str | None = None, screenshot: str | None = None) -> int:
    """Open the client window on `source` and run until it closes (or save a screenshot)."""
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("dissuade")
    app.setOrganizationName("dissuade")
    # A screenshot shows the default layout, not whatever this user last arranged.
    settings = None
    if screenshot:
        settings = QSettings(str(Path(tempfile.mkdtemp()) / "screenshot.ini"),
                             QSettings.Format.IniFormat)
    window = build_main_window(source, lang=lang, settings=settings)
    if screenshot:
        path = render_png(window, screenshot)
        print(f"screenshot: {path}")
        window.close()
        source.close()
        return 0
    window.show()
    code = app.exec()
    source.close()
    return code
