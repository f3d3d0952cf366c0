"""Starting the client: the QApplication, signing in, the window, and rendering it to a PNG."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from dissuade.domain.errors import DissuadeError
from dissuade.sources import Source
from ui.main_window import DEFAULT_SIZE, MainWindow, build_main_window, default_settings
from ui.signin.flow import NeedsPassword, SignInFlow, Start, is_hub, open_target


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


def has_display() -> bool:
    """Whether a window can be shown: a platform chosen for Qt (tests' offscreen one too), or
    an X11 or Wayland display on Linux; Windows and macOS always have one."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def run(start: Start, *, lang: str | None = None, screenshot: str | None = None) -> int:
    """The `dissuade` command's client: the sign-in window when anything is missing or wrong,
    then the main window (signing out and switching user without a restart). With
    `--screenshot`, or with no display, nothing can be asked: a start-up error goes to stderr
    and the exit status is 2."""
    if screenshot or not has_display():
        try:
            source = open_target(start.address, start.user, None, token=start.token,
                                 create=start.create)
        except NeedsPassword as exc:
            how = ("设置 DISSUADE_TOKEN 或使用 --token / set DISSUADE_TOKEN or give --token"
                   if is_hub(start.address) else
                   "在登录窗口中输入密码 / sign in with the password in the client's window")
            print(f"dissuade: {exc}: {how}（--screenshot 或没有显示器时无法登录 / no sign-in "
                  "window with --screenshot or without a display）", file=sys.stderr)
            return 2
        except DissuadeError as exc:
            print(f"dissuade: {exc}", file=sys.stderr)
            return 2
        return run_client(source, lang=lang, screenshot=screenshot)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("dissuade")
    app.setOrganizationName("dissuade")
    app.setQuitOnLastWindowClosed(False)  # signing out closes the window, not the client
    flow = SignInFlow(start, settings=default_settings(), lang=lang)
    flow.finished.connect(app.quit)
    flow.start()
    code = app.exec()
    flow.shutdown()
    return code
